#include "market/rechoice.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace ts::market {

void rechoice_shares(std::span<const double> weights, std::span<const double> costs, double sigma,
                     double residual, std::span<double> out) {
    double cmin = std::numeric_limits<double>::infinity();
    for (double c : costs) cmin = std::min(cmin, c);
    assert(std::isfinite(cmin));
    double total = 0.0;
    for (std::size_t i = 0; i < costs.size(); ++i)
        if (std::isfinite(costs[i])) {
            out[i] = weights[i] * std::pow(costs[i] / cmin, -sigma);
            total += out[i];
        }
    for (std::size_t i = 0; i < costs.size(); ++i)
        if (std::isfinite(costs[i])) out[i] = residual * out[i] / total;
}

}  // namespace ts::market
