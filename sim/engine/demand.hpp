#pragma once
// Phase 3, composite demand: each buyer's base demand this tick, before the price response
// (which the choice phase applies at the buyer's price index), and the input purchasers' plans.
#include "engine/engine_state.hpp"

namespace ts::engine {

void phase_demand(const TickContext& t, const InputState& inputs, const OfferState& offers,
                  BuyerState& buyers);

}  // namespace ts::engine
