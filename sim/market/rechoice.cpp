#include "market/rechoice.hpp"

#include <cassert>
#include <cmath>

namespace ts::market {

void rechoice_shares(std::span<const double> weights, std::span<const double> costs, double cmin,
                     double sigma, double residual, std::span<double> out) {
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
