#include "market/ces.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ts::market {

namespace {
constexpr double kSigmaOneTolerance = 1e-9;

double min_cost(std::span<const double> costs) {
    double m = std::numeric_limits<double>::infinity();
    for (double c : costs) m = std::min(m, c);
    return m;
}
}  // namespace

double price_index(std::span<const double> weights, std::span<const double> costs, double sigma) {
    if (weights.empty()) return std::numeric_limits<double>::infinity();
    const double cmin = min_cost(costs);
    if (std::abs(sigma - 1.0) < kSigmaOneTolerance) {
        double wsum = 0.0, log_p = 0.0;
        for (std::size_t i = 0; i < weights.size(); ++i) wsum += weights[i];
        for (std::size_t i = 0; i < weights.size(); ++i)
            log_p += weights[i] / wsum * std::log(costs[i] / cmin);
        return cmin * std::exp(log_p);
    }
    double s = 0.0;
    for (std::size_t i = 0; i < weights.size(); ++i)
        s += weights[i] * std::pow(costs[i] / cmin, 1.0 - sigma);
    return cmin * std::pow(s, 1.0 / (1.0 - sigma));
}

double allocate(std::span<const double> weights, std::span<const double> costs, double sigma,
                double quantity, std::span<double> out) {
    const double p = price_index(weights, costs, sigma);
    if (weights.empty()) return p;
    if (std::abs(sigma - 1.0) < kSigmaOneTolerance) {
        double wsum = 0.0;
        for (double w : weights) wsum += w;
        for (std::size_t i = 0; i < weights.size(); ++i)
            out[i] = weights[i] / wsum * p / costs[i] * quantity;
        return p;
    }
    for (std::size_t i = 0; i < weights.size(); ++i)
        out[i] = weights[i] * std::pow(costs[i] / p, -sigma) * quantity;
    return p;
}

double ces_shares(std::span<const double> weights, std::span<const double> costs, double sigma,
                  std::span<double> shares) {
    if (weights.empty()) return std::numeric_limits<double>::infinity();
    const double cmin = min_cost(costs);
    if (std::abs(sigma - 1.0) < kSigmaOneTolerance) {
        const double p = price_index(weights, costs, sigma);
        double wsum = 0.0;
        for (double w : weights) wsum += w;
        for (std::size_t i = 0; i < weights.size(); ++i)
            shares[i] = weights[i] / wsum * p / costs[i];
        return p;
    }
    double s = 0.0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const double r = costs[i] / cmin;
        const double t = std::pow(r, -sigma);  // (c_i/c_min)^(−σ)
        shares[i] = weights[i] * t;
        s += shares[i] * r;  // a_i·(c_i/c_min)^(1−σ)
    }
    // P = c_min·s^(1/(1−σ)); (c_i/P)^(−σ) = (c_i/c_min)^(−σ)·(c_min/P)^(−σ) = …·s^(σ/(1−σ)).
    const double p = cmin * std::pow(s, 1.0 / (1.0 - sigma));
    const double k = std::pow(s, sigma / (1.0 - sigma));
    for (std::size_t i = 0; i < weights.size(); ++i) shares[i] *= k;
    return p;
}

}  // namespace ts::market
