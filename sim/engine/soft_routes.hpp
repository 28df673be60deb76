#pragma once
// Soft capacity of routes and remote channels (docs/model.md, "Soft capacity"): a hub route's
// or a buyer's remote channel's markup, and a route's detection, rise with the volume through
// it. Buyers choose at terms priced at a smoothed volume of past ticks, which keeps the tick
// one pass; the smoothing step halves whenever the gap between volume and priced volume
// changes sign, so the cobweb of "high markup → low volume → low markup" settles.
#include <span>

#include "engine/engine_state.hpp"
#include "engine/records.hpp"

namespace ts::engine {

/// Whether the world has a soft route or remote channel (a `*_doubles_at` key).
bool has_soft_routes(const model::Scenario& s);

/// The channels at zero volume (markups of the scenario), or empty when none is soft.
SoftRoutes init_soft_routes(const model::Scenario& s);

/// After shipping: this tick's volume of every channel from the fills, one record per soft
/// channel with the terms of this tick, then the priced volume and markups of the next tick.
void update_soft_routes(const TickContext& t, const OfferState& offers, const BuyerState& buyers,
                        std::span<const Request> fills, SoftRoutes& soft, TickRecord& record);

/// One smoothing step of every channel's priced volume towards its volume, then the markups
/// at the new priced volumes (the engine after each tick, the solver after each round).
void smooth_and_reprice(const model::Scenario& s, SoftRoutes& soft);

}  // namespace ts::engine
