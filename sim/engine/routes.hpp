#pragma once
// Route cost and best route (phase 4): for each candidate (buyer, offer) the cheapest usable
// route, priced by the shared rule market::route_cost. In re-choice rounds (clearing) routes
// through exhausted constraints and licensed routes are skipped.
#include <algorithm>
#include <span>

#include "engine/engine_state.hpp"

namespace ts::engine {

/// Whether a request on the route would draw on a constraint already exhausted this tick.
bool route_exhausted(const TickContext& t, const ConstraintState& cs, const BuyerState& buyers,
                     std::size_t buyer, Index offer, int route,
                     std::span<const std::uint32_t> quotas);

/// The cheapest usable route of candidate k; -1 if none. `status` receives the chosen route's
/// status (a copy in the legality's route list).
int best_route(const TickContext& t, const BuyerState& buyers, const OfferState& offers,
               const CandidateState& cands, const ConstraintState& cs, std::size_t buyer,
               std::size_t k, bool rechoice, double& cost, const policy::RouteStatus*& status,
               EngineStats& stats);

/// Records candidate k's chosen route (r < 0: none) and what clearing needs of its status.
/// Inline: called once per candidate and tick.
inline void set_candidate_route(CandidateState& cands, std::size_t k, int r, double cost,
                                const policy::RouteStatus* st) {
    cands.route[k] = std::max(r, 0);
    cands.cost[k] = r < 0 ? kInf : cost;
    cands.quota_begin[k] = r < 0 ? 0 : st->quota_begin;
    cands.quota_end[k] = r < 0 ? 0 : st->quota_end;
    cands.licence[k] = r >= 0 && st->needs_licence ? 1 : 0;
    cands.diverted[k] = r >= 0 && st->cls == policy::RouteClass::diverted ? 1 : 0;
}

/// Phase 4: this tick's weight and cheapest route of every candidate; constraints start the
/// tick with none exhausted.
void phase_routes(const TickContext& t, const BuyerState& buyers, const OfferState& offers,
                  ConstraintState& cs, CandidateState& cands, EngineStats& stats);

}  // namespace ts::engine
