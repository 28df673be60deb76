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

void phase_shipping(const TickContext& t, std::uint64_t run, const OfferState& offers,
                    const BuyerState& buyers, std::vector<Request>& fills, InputState& inputs,
                    TransitState& transit, TickRecord& record);

}  // namespace ts::engine
