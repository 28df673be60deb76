#pragma once
// Shipping with seizures and transit (phase 7). The tick's fills become flows, one per (offer,
// route, buyer, licensed); legal flows pay the tariff where they land and the export fees in
// force; diverted flows evade them and are seized unit by unit with the route's detection
// probability (a whole-unit binomial draw, core/random.hpp). What is not seized travels for
// the route's delay; deliveries due this tick land in the buyer's country (or the data centre
// abroad), and inputs and equipment go to their supplier.
#include <cstdint>
#include <vector>

#include "engine/engine_state.hpp"
#include "engine/records.hpp"

namespace ts::engine {

/// `wants_buyer_flows`: one flow per buyer (else, and when no conditional approval counts a
/// buyer's shipments, one per destination and billing country: Recorder::wants_buyer_flows).
void phase_shipping(const TickContext& t, std::uint64_t run, const OfferState& offers,
                    const BuyerState& buyers, bool wants_buyer_flows, std::vector<Request>& fills,
                    InputState& inputs, TransitState& transit, TickRecord& record);

}  // namespace ts::engine
