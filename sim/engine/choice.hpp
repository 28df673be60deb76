#pragma once
// CES choice and re-choice. Phase 5 spreads each buyer's composite demand, at its price index,
// over its usable candidates by the Armington CES shares (market/ces.hpp), scaled up for goods
// facing an announced restriction (behaviour.hpp, stockpiling). In clearing, a rationed buyer
// re-chooses among what is left (market/rechoice.hpp).
#include "engine/engine_state.hpp"

namespace ts::engine {

/// Phase 5 for buyers [b0, b1).
void phase_choice(const TickContext& t, BuyerState& buyers, CandidateState& cands,
                  ChoiceScratch& scratch, std::size_t b0, std::size_t b1);

/// A rationed buyer's re-choice: candidates whose route ran out (or needs a licence) search
/// again among the routes with room; its residual is then requested in proportion to the
/// CES shares of what is left. Returns false (and books the residual as unmet) when nothing
/// is left.
bool rechoose(const TickContext& t, std::size_t buyer, const OfferState& offers,
              const ConstraintState& cs, BuyerState& buyers, CandidateState& cands,
              EngineStats& stats);

}  // namespace ts::engine
