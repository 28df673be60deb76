#include "engine/prices.hpp"

#include <algorithm>
#include <cmath>

namespace ts::engine {

void phase_prices(const model::Scenario& world, OfferState& offers) {
    for (std::size_t o = 0; o < offers.size(); ++o) {
        const auto& off = world.offers[o];
        const auto& sup = world.suppliers[ix(off.supplier)];
        const double cap = offers.capacity[o];
        if (sup.price_adjustment == 0.0 || !std::isfinite(cap) || cap <= 0.0) continue;
        const double excess = (offers.orders[o] - cap) / cap;
        if (excess * offers.last_excess[o] < 0.0)
            offers.price_step[o] *= 0.5;
        else
            offers.price_step[o] = std::min(sup.price_adjustment, offers.price_step[o] * 1.2);
        offers.last_excess[o] = excess;
        const double change = std::max(-0.5, offers.price_step[o] * excess);
        offers.price[o] = std::max(off.unit_cost, offers.price[o] * (1.0 + change));
    }
}

}  // namespace ts::engine
