#include "engine/trace.hpp"

#include <algorithm>
#include <cmath>

#include "engine/behaviour.hpp"
#include "engine/routes.hpp"

namespace ts::engine {

void split_cost(const market::RouteCostInput& in, RouteTrace& out) {
    out.terms = in;
    out.base = in.price / in.compute;
    const bool diverted = in.kind == market::RouteKind::diverted;
    out.tariff = diverted ? 0.0 : out.base * in.tariff;
    out.markup = (out.base + out.tariff) * in.markup;
    const double landed = out.base + out.tariff + out.markup;
    const double risky =
        diverted ? market::diverted_cost(landed, in.detection, in.risk_tolerance) : landed;
    out.seizure = risky - landed;
    out.total = market::route_cost(in);
    out.licence = in.licensed ? out.total - risky : 0.0;
}

TraceProbe TraceProbe::for_buyer(int tick, Index buyer) {
    TraceProbe p;
    p.tick_ = tick;
    p.buyer_.tick = tick;
    p.buyer_.buyer = buyer;
    return p;
}

TraceProbe TraceProbe::for_offer(int tick, Index offer) {
    TraceProbe p;
    p.tick_ = tick;
    p.by_offer_ = true;
    p.offer_.tick = tick;
    p.offer_.offer = offer;
    return p;
}

std::vector<std::string> route_names(const TickContext& t) {
    std::vector<std::string> out{"direct"};
    const auto code = [&](Index c) { return t.world.countries[ix(c)].code; };
    for (int r = 1; r < t.legality.routes(); ++r)
        out.push_back(t.legality.is_remote(r)
                          ? "remote at " + code(t.legality.remote_site(r))
                          : "via " + code(t.world.routes[static_cast<std::size_t>(r - 1)].via));
    return out;
}

void TraceProbe::after(Phase phase, const Simulation& sim) {
    if (sim.tick() != tick_ || done_) return;
    auto& names = by_offer_ ? offer_.route_names : buyer_.route_names;
    if (names.empty()) names = route_names(sim.tick_context());
    if (by_offer_)
        offer_after(phase, sim);
    else
        buyer_after(phase, sim);
    if (phase == Phase::records) done_ = true;
}

namespace {

/// Every route from the candidate's offer to the buyer, priced as the route search prices it.
std::vector<RouteTrace> trace_routes(const TickContext& t, const Simulation& sim, std::size_t b,
                                     std::size_t k) {
    const auto& cands = sim.candidates();
    const auto& offers = sim.offer_state();
    const auto& buyers = sim.buyer_state();
    const auto& legality = t.legality;
    const Index o = cands.offer[k];
    const BuyerId bid{static_cast<Index>(b)};
    const auto listed = legality.candidate_routes(bid, OfferId{o});
    const auto& buyer = t.world.buyers[b];
    std::vector<RouteTrace> out;
    for (int r = 0; r < legality.routes(); ++r) {
        RouteTrace rt;
        rt.route = r;
        const auto& st = legality.status(bid, OfferId{o}, RouteId{r});
        rt.cls = st.cls;
        if (st.cls == policy::RouteClass::unavailable) continue;  // not a route for this pair
        if (legality.is_remote(r) && !remote_usable(buyer, legality, r)) continue;
        rt.causes = legality.route_causes(bid, OfferId{o}, RouteId{r});
        const bool in_list = std::any_of(listed.begin(), listed.end(),
                                         [&](const auto& rc) { return rc.route == r; });
        if (st.cls == policy::RouteClass::blocked)
            rt.skipped = "closed, not priced";
        else if (!in_list)
            rt.skipped = "dominated by the open direct route";
        if (*rt.skipped == '\0') {
            split_cost(route_cost_input(t.world, t.policies, legality, buyer, bid, o, r, st,
                                        offers.price[ix(o)], measure(buyers, offers, b, o),
                                        cands.tariff[k], t.soft),
                       rt);
            if (st.cls != policy::RouteClass::diverted)
                rt.fee_rate = t.policies.fee_rate(
                    CountryId{legality.is_remote(r) ? legality.remote_site(r) : buyer.country},
                    OfferId{o});
        }
        out.push_back(std::move(rt));
    }
    return out;
}

std::vector<Index> restrictions_on(const TickContext& t, std::size_t b, Index o) {
    std::vector<Index> out;
    for (std::size_t p = 0; p < t.world.policies.size(); ++p) {
        const PolicyId pid{static_cast<Index>(p)};
        if (t.world.policies[p].type != model::PolicyType::import_restriction ||
            !t.policies.in_force(pid.value()) || !t.policies.selects_offer(pid, OfferId{o}) ||
            !t.legality.import_restriction_applies(pid, BuyerId{static_cast<Index>(b)}))
            continue;
        out.push_back(pid.value());
    }
    return out;
}

}  // namespace

void TraceProbe::buyer_after(Phase phase, const Simulation& sim) {
    const TickContext t = sim.tick_context();
    const auto& buyers = sim.buyer_state();
    const auto& cands = sim.candidates();
    const std::size_t b = ix(buyer_.buyer);
    const std::size_t k0 = cands.begin[b], k1 = cands.begin[b + 1];
    auto& tr = buyer_;
    switch (phase) {
        case Phase::demand:
            tr.base_demand = buyers.base_demand[b];
            tr.backlog = buyers.backlog[b];
            break;
        case Phase::routes:
            for (std::size_t k = k0; k < k1; ++k) {
                CandidateTrace c;
                c.offer = cands.offer[k];
                const BuyerId bid{static_cast<Index>(b)};
                c.weight = cands.weight[k];
                c.import_factor = t.legality.import_factor(bid, OfferId{c.offer});
                c.approval_factor =
                    t.approvals.empty() ? 1.0 : t.approvals.factor(static_cast<Index>(b), c.offer);
                c.weight_now = cands.wnow[k];
                c.restrictions = restrictions_on(t, b, c.offer);
                c.price = sim.offer_state().price[ix(c.offer)];
                c.cost = cands.cost[k];
                c.route = std::isfinite(c.cost) ? cands.route[k] : -1;
                c.routes = trace_routes(t, sim, b, k);
                tr.candidates.push_back(std::move(c));
            }
            break;
        case Phase::choice:
            tr.price_index = buyers.price_index[b];
            tr.quantity = buyers.quantity[b];
            for (std::size_t k = k0; k < k1; ++k) {
                auto& c = tr.candidates[k - k0];
                c.request = cands.request[k];
                c.stockpile = stockpile_factor(t.legality, static_cast<Index>(b), c.offer,
                                               t.world.buyers[b].anticipation);
                // Its share of spending c·q / (P·Q): the CES shares that add up to one.
                c.share = tr.quantity > 0.0 && std::isfinite(tr.price_index)
                              ? c.cost * c.request / (c.stockpile * tr.price_index * tr.quantity)
                              : 0.0;
            }
            break;
        case Phase::licensing:
            for (std::size_t k = k0; k < k1; ++k) {
                auto& c = tr.candidates[k - k0];
                c.licence_filed = c.request - cands.request[k];
            }
            break;
        case Phase::clearing:
            tr.rounds = sim.clearing().rounds_run;
            for (const auto& f : sim.clearing().fills)
                if (f.buyer == buyer_.buyer)
                    tr.fills.push_back({f.buyer, f.offer, f.route, f.compute, f.licensed});
            tr.unmet = buyers.unmet[b];
            break;
        case Phase::settlement: {
            tr.backlog_after = buyers.backlog[b];
            const auto& slots = sim.transit().slots;
            for (const auto& a : slots[static_cast<std::size_t>(tick_) % slots.size()])
                if (a.buyer == buyer_.buyer) tr.arrivals.push_back(a);
            break;
        }
        case Phase::shipping:
            for (const auto& f : sim.tick_record().flows)
                if (f.buyer == buyer_.buyer) tr.departures.push_back(f);
            for (const auto& l : sim.licences().pending)
                if (l.buyer == buyer_.buyer) tr.licences_pending.push_back(l);
            break;
        default:
            break;
    }
}

void TraceProbe::offer_after(Phase phase, const Simulation& sim) {
    const TickContext t = sim.tick_context();
    const auto& offers = sim.offer_state();
    const auto& cands = sim.candidates();
    const Index o = offer_.offer;
    auto& tr = offer_;
    const auto demand_of = [&](Index b) -> OfferDemand* {
        for (auto& d : tr.demand)
            if (d.buyer == b) return &d;
        return nullptr;
    };
    switch (phase) {
        case Phase::production:
            tr.capacity = offers.capacity[ix(o)];
            tr.opening_stock = offers.opening_stock[ix(o)];
            tr.price = offers.price[ix(o)];
            break;
        case Phase::choice:
            for (std::size_t b = 0; b + 1 < cands.begin.size(); ++b)
                for (std::size_t k = cands.begin[b]; k < cands.begin[b + 1]; ++k)
                    if (cands.offer[k] == o && cands.request[k] > 0.0)
                        tr.demand.push_back({static_cast<Index>(b),
                                             cands.route[k],
                                             cands.request[k],
                                             0.0,
                                             0.0,
                                             {}});
            break;
        case Phase::licensing:
            for (auto& d : tr.demand)
                for (std::size_t k = cands.begin[ix(d.buyer)]; k < cands.begin[ix(d.buyer) + 1];
                     ++k)
                    if (cands.offer[k] == o) d.licence_filed = d.request - cands.request[k];
            break;
        case Phase::clearing: {
            const auto& cs = sim.constraints();
            tr.exhausted = cs.exhausted[ix(o)] != 0;
            const auto& pools = sim.pools();
            for (std::size_t p = 0; p < pools.size(); ++p)
                for (std::size_t u = pools.begin[p]; u < pools.begin[p + 1]; ++u)
                    if (pools.user_offer[u] == o && pools.binding[p]) tr.pool_binding = true;
            for (const auto& f : sim.clearing().fills) {
                if (f.offer != o) continue;
                tr.fills.push_back({f.buyer, f.offer, f.route, f.compute, f.licensed});
                if (auto* d = demand_of(f.buyer)) d->filled += f.compute;
            }
            for (auto& d : tr.demand) {
                if (d.filled >= d.request - d.licence_filed - kTiny) continue;
                if (d.licence_filed > 0.0) d.bound.push_back("licence");
                if (tr.exhausted) d.bound.push_back(tr.pool_binding ? "pool" : "capacity");
                if (t.is_hub(d.route) && cs.exhausted[cs.hub_base + ix(d.route - 1)])
                    d.bound.push_back("route capacity");
                const int slot = sim.buyer_state().remote_slot[ix(d.buyer)];
                if (t.legality.is_remote(d.route) && slot >= 0 &&
                    cs.exhausted[cs.remote_base + static_cast<std::size_t>(slot)])
                    d.bound.push_back("remote capacity");
                const auto& st = t.legality.status(BuyerId{d.buyer}, OfferId{o}, RouteId{d.route});
                for (const auto q : t.legality.quotas(st))
                    if (cs.exhausted[cs.quota_base + q])
                        d.bound.push_back(
                            "quota " +
                            t.world.policies[ix(t.legality.quota_buckets()[q].policy)].id);
            }
            break;
        }
        case Phase::settlement:
            tr.produced = offers.produced[ix(o)];
            tr.shipped = offers.shipped[ix(o)];
            break;
        default:
            break;
    }
}

}  // namespace ts::engine
