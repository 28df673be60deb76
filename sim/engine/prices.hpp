#pragma once
// Prices (phase 8): each supplier adjusts its offer's price to excess demand.
#include "engine/engine_state.hpp"

namespace ts::engine {

/// price ← max(unit_cost, price·(1 + step·(orders − capacity)/capacity)), where the step is
/// `price_adjustment` but halves each time excess demand changes sign and recovers by 20% a
/// tick up to `price_adjustment` while it keeps its sign. Without this, buyers who substitute
/// strongly (high σ) make the plain rule cycle forever; with it the engine settles where the
/// equilibrium solver says.
void phase_prices(const model::Scenario& world, OfferState& offers);

}  // namespace ts::engine
