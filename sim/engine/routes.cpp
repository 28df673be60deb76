#include "engine/routes.hpp"

#include <algorithm>
#include <cassert>

#include "market/route_cost.hpp"

namespace ts::engine {

namespace {

/// Landed cost per compute unit of `route` for the buyer; `home_tariff`: the tariff of the
/// buyer's country on the offer (cached per candidate).
double route_cost(const TickContext& t, const BuyerState& buyers, const OfferState& offers,
                  std::size_t buyer, Index offer, int route, const policy::RouteStatus& st,
                  double home_tariff) {
    const auto& b = t.world.buyers[buyer];
    assert(t.legality.is_remote(route) ||
           home_tariff == t.policies.tariff(CountryId{b.country}, OfferId{offer}));
    return market::route_cost(route_cost_input(
        t.world, t.policies, t.legality, b, BuyerId{buyer}, offer, route, st,
        offers.price[ix(offer)], measure(buyers, offers, buyer, offer), home_tariff, t.soft));
}

}  // namespace

bool route_exhausted(const TickContext& t, const ConstraintState& cs, const BuyerState& buyers,
                     std::size_t buyer, Index offer, int route,
                     std::span<const std::uint32_t> quotas) {
    const policy::Legality& legality = t.legality;
    if (cs.exhausted[ix(offer)]) return true;
    if (t.is_hub(route) && cs.exhausted[cs.hub_base + ix(route - 1)]) return true;
    if (legality.is_remote(route) &&
        cs.exhausted[cs.remote_base + static_cast<std::size_t>(buyers.remote_slot[buyer])])
        return true;
    for (auto q : quotas)
        if (cs.exhausted[cs.quota_base + q]) return true;
    return false;
}

int best_route(const TickContext& t, const BuyerState& buyers, const OfferState& offers,
               const CandidateState& cands, const ConstraintState& cs, std::size_t buyer,
               std::size_t k, bool rechoice, double& cost, const policy::RouteStatus*& status,
               EngineStats& stats) {
    const policy::Legality& legality = t.legality;
    const Index o = cands.offer[k];
    int best = -1;
    cost = kInf;
    status = nullptr;
    const auto routes = legality.route_choices(cands.routes_begin[k], cands.routes_end[k]);
    assert(routes.size() ==
           legality.candidate_routes(BuyerId{static_cast<Index>(buyer)}, OfferId{o}).size());
    ++stats.evaluations;
    stats.route_checks += routes.size();
    const auto& b = t.world.buyers[buyer];
    for (const auto& rc : routes) {
        const int r = rc.route;
        const auto& st = rc.status;
        if (legality.is_remote(r) && !remote_usable(b, legality, r)) continue;
        if (rechoice &&
            (st.needs_licence || route_exhausted(t, cs, buyers, buyer, o, r, legality.quotas(st))))
            continue;
        const double c = route_cost(t, buyers, offers, buyer, o, r, st, cands.tariff[k]);
        if (c < cost) {
            cost = c;
            best = r;
            status = &st;
        }
    }
    return best;
}

void phase_routes(const TickContext& t, const BuyerState& buyers, const OfferState& offers,
                  const ConstraintState& cs, CandidateState& cands, std::size_t b0, std::size_t b1,
                  EngineStats& stats) {
    const policy::Legality& legality = t.legality;
    const std::size_t nk = cands.begin[b1];
    constexpr std::size_t kAhead = 8;  // candidates ahead whose route list is prefetched
    for (std::size_t b = b0; b < b1; ++b) {
        for (std::size_t k = cands.begin[b]; k < cands.begin[b + 1]; ++k) {
            // The route lists of later candidates are scattered over the legality tables:
            // ask for them early (the loop is bound by memory latency, not arithmetic).
            if (k + kAhead < nk)
                __builtin_prefetch(legality
                                       .route_choices(cands.routes_begin[k + kAhead],
                                                      cands.routes_begin[k + kAhead])
                                       .data());
            const Index o = cands.offer[k];
            double w = offers.available[ix(o)] ? cands.wbase[k] : 0.0;
            if (w > 0.0 && !t.approvals.empty()) w *= t.approvals.factor(static_cast<Index>(b), o);
            cands.wnow[k] = w;
            double cost = kInf;
            const policy::RouteStatus* st = nullptr;
            const int r = cands.wnow[k] > 0.0 ? best_route(t, buyers, offers, cands, cs, b, k,
                                                           false, cost, st, stats)
                                              : -1;
            set_candidate_route(cands, k, r, cost, st);
        }
    }
}

}  // namespace ts::engine
