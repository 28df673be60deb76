#pragma once
// Clearing and rationing over shared constraints (phase 6b). Every request draws on its
// offer's goods (stock + capacity), its hub route's capacity, the buyer's remote capacity and
// its route's quota buckets (ConstraintState). In each round all requests are tallied, each is
// filled at the smallest ratio remaining/requested over the constraints it draws on, and
// rationed buyers re-choose among what is left (choice.hpp) for the next round. The licences
// granted this tick are booked in the first round. Production is settled afterwards
// (production.hpp, phase_settlement).
#include "engine/engine_state.hpp"

namespace ts::engine {

void phase_clearing(const TickContext& t, const RunConfig& config, const LicenceQueue& licences,
                    BuyerState& buyers, OfferState& offers, CandidateState& cands,
                    ConstraintState& cs, ClearingState& clearing, EngineStats& stats);

}  // namespace ts::engine
