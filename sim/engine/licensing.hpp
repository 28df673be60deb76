#pragma once
// Licensing (phase 6a): the licence queue. Requests a buyer makes on a licensed route become
// licence requests, decided after the route's delay under the rules in force then: each
// requested unit is granted with the route's approval probability (a whole-unit binomial
// draw, core/random.hpp); what is granted ships now (clearing books it first), the rest is
// unmet. The tick's unmet demand starts here: buyers with nothing usable.
#include <cstdint>

#include "engine/engine_state.hpp"

namespace ts::engine {

void phase_licensing(const TickContext& t, std::uint64_t run, const OfferState& offers,
                     BuyerState& buyers, CandidateState& cands, LicenceQueue& queue);

}  // namespace ts::engine
