#include "market/taste_weights.hpp"

namespace ts::market {

double purchase_reference_cost(std::span<const double> weights, std::span<const double> prices) {
    double sum = 0.0, n = 0.0;
    for (std::size_t o = 0; o < weights.size(); ++o)
        if (weights[o] > 0.0) {
            sum += prices[o];
            n += 1.0;
        }
    return n > 0.0 ? sum / n : 1.0;
}

}  // namespace ts::market
