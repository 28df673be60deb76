#include "engine/demand.hpp"

#include "engine/production.hpp"
#include "market/demand.hpp"

namespace ts::engine {

void phase_demand(const TickContext& t, const InputState& inputs, const OfferState& offers,
                  BuyerState& buyers) {
    for (std::size_t b = 0; b < buyers.size(); ++b) {
        const auto& buyer = t.world.buyers[b];
        buyers.base_demand[b] = market::base_demand(buyer.demand, buyer.growth, t.tick);
    }
    plan_inputs(t.world, inputs, offers, buyers);
}

}  // namespace ts::engine
