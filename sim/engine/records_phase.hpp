#pragma once
// Records (phase 9): the tick's market, country, revenue and supplier records from the state
// the phases left (flows and events were booked as they happened).
#include <vector>

#include "engine/engine_state.hpp"
#include "engine/records.hpp"

namespace ts::engine {

/// Per-tick scratch of the records phase (kept to avoid allocation).
struct RecordScratch {
    std::vector<double> country_q;           // per country: its buyers' quantity
    std::vector<double> rev_units, rev_usd;  // supplier × billing country
};

void phase_records(const TickContext& t, const OfferState& offers, const BuyerState& buyers,
                   const InputState& inputs, RecordScratch& scratch, TickRecord& record);

}  // namespace ts::engine
