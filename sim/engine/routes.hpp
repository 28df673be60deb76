#pragma once
// Route cost and best route (phase 4): for each candidate (buyer, offer) the cheapest usable
// route, priced by the shared rule market::route_cost. In re-choice rounds (clearing) routes
// through exhausted constraints and licensed routes are skipped.
#include <algorithm>
#include <span>

#include "engine/engine_state.hpp"
#include "market/route_cost.hpp"

namespace ts::engine {

// The route rules the engine and the equilibrium solver share (the solver calls these, it
// does not restate them): which remote site a buyer may use, and how a route's status under
// the policies in force becomes the terms of the cost rule market::route_cost.

/// A remote-compute route is open to a buyer only at a site where it rents compute.
inline bool remote_usable(const model::Buyer& buyer, const policy::Legality& legality, int route) {
    const auto& remote = buyer.remote;
    if (!remote) return false;
    const Index site = legality.remote_site(route);
    return std::find(remote->via.begin(), remote->via.end(), site) != remote->via.end();
}

/// The cost rule's view of `route` from `offer` to `buyer` with status `st`:
/// - remote: the chips pay the site's tariff, the buyer its remote markup; licensed when the
///   site's leg is;
/// - diverted: smuggled goods evade the destination's tariff and carry seizure risk (the
///   route's detection for buyer `b`, which border enforcement of its country raises; the
///   buyer's risk tolerance); a first leg that needs a licence waits for
///   it like any licensed route;
/// - direct or through a hub: the destination's tariff `home_tariff` (the buyer's country's
///   tariff on the offer) and the hub's markup; licensed when the route is.
/// `price` is the offer's price now, `compute` what one unit is measured in for this buyer.
/// `soft` (null: none) holds the markups and detection of soft routes and remote channels at
/// their priced volume; without it the markups are the constant ones of the scenario.
inline market::RouteCostInput route_cost_input(
    const model::Scenario& world, const policy::PolicyBook& book, const policy::Legality& legality,
    const model::Buyer& buyer, BuyerId b, Index offer, int route, const policy::RouteStatus& st,
    double price, double compute, double home_tariff, const SoftRoutes* soft = nullptr) {
    market::RouteCostInput in;
    in.price = price;
    in.compute = compute;
    in.approval = st.approval;
    if (legality.is_remote(route)) {
        in.kind = market::RouteKind::remote;
        in.tariff = book.tariff(CountryId{legality.remote_site(route)}, OfferId{offer});
        in.markup = soft ? soft->markup[soft->remote_base + b.index()] : buyer.remote->markup;
        in.licensed = st.cls == policy::RouteClass::licensed;
        return in;
    }
    const auto hub = static_cast<std::size_t>(route - 1);
    in.markup = route == 0 ? 0.0 : soft ? soft->markup[hub] : world.routes[hub].markup;
    if (st.cls == policy::RouteClass::diverted) {
        in.kind = market::RouteKind::diverted;
        in.detection = legality.detection(b, OfferId{offer}, RouteId{route});
        if (soft) in.detection = soft->detection(world, hub, in.detection);
        in.risk_tolerance = buyer.risk_tolerance;
        in.licensed = st.needs_licence;
        return in;
    }
    in.kind = route == 0 ? market::RouteKind::direct : market::RouteKind::transshipped;
    in.tariff = home_tariff;
    in.licensed = st.cls == policy::RouteClass::licensed;
    return in;
}

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

/// Phase 4, for buyers [b0, b1): this tick's weight and cheapest route of each of their
/// candidates. The caller first marks no constraint exhausted (the tick starts with none).
void phase_routes(const TickContext& t, const BuyerState& buyers, const OfferState& offers,
                  const ConstraintState& cs, CandidateState& cands, std::size_t b0, std::size_t b1,
                  EngineStats& stats);

}  // namespace ts::engine
