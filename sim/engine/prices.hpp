#pragma once
// Prices (phase 8): each supplier adjusts its offer's price to excess demand, by a damped step
// (`pricing: adjust`, price_adjustment > 0) or to the price that clears its capacity
// (`pricing: clearing`); fixed otherwise. docs/model.md, "Prices".
#include "engine/engine_state.hpp"

namespace ts::engine {

/// `pricing: adjust`: price ← max(unit_cost, price·(1 + step·(orders − capacity)/capacity)),
/// where the step is `price_adjustment` but halves each time excess demand changes sign and
/// recovers by 20% a tick up to `price_adjustment` while it keeps its sign. Without this, buyers
/// who substitute strongly (high σ) make the plain rule cycle forever; with it the engine settles
/// where the equilibrium solver says.
///
/// `pricing: clearing`: the prices at which this tick's CES requests, re-evaluated at trial
/// prices, meet capacity·(p/price)^ε, never below unit_cost: Newton in log price over all
/// clearing offers at once (the Jacobian has the cross-price terms of buyers that buy several),
/// each price moving at most a factor of 2 in the tick (an offer at that bound is held there, as
/// one at unit cost with spare capacity is), until |log(orders/capacity)| < 1e-10. The
/// re-evaluation is exact for the CES demand of docs/model.md with routes as chosen this tick
/// (costs scale with the price); the level is this tick's orders, scaled by the CES requests'
/// response. So a scarce market clears in the next tick's price.
void phase_prices(const model::Scenario& world, const CandidateState& cands, OfferState& offers);

/// Sizes the clearing rule's state (its unknowns are the offers of suppliers with `pricing:
/// clearing`); leaves `offers.clearing.used` false and nothing allocated when none has it.
void init_clearing_prices(const model::Scenario& world, std::size_t candidates, OfferState& offers);

/// After choice (before clearing re-routes rationed buyers and forgets their costs): each CES
/// request in units, its share of its buyer's spending and the buyer's backlog share of Q (the
/// carried backlog does not respond to price). Only called when `offers.clearing.used`.
void note_demand_response(const BuyerState& buyers, const CandidateState& cands,
                          OfferState& offers);

}  // namespace ts::engine
