#include "engine/policy_audit.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/date.hpp"
#include "market/ces.hpp"

namespace ts::engine {

namespace {

bool is_control(const model::Policy& p) {
    return p.type == model::PolicyType::export_control || p.type == model::PolicyType::quota;
}

bool restricts(policy::RouteClass c) {
    return c == policy::RouteClass::blocked || c == policy::RouteClass::licensed;
}

}  // namespace

PolicyAudit::PolicyAudit(const model::Scenario& world, std::size_t input_policies)
    : world_(world),
      input_policies_(std::min(input_policies, world.policies.size())),
      found_(input_policies_) {}

void PolicyAudit::after(Phase phase, const Simulation& sim) {
    if (phase == Phase::routes) audit_routes(sim);
    if (phase != Phase::clearing) return;
    // A quota binds when one of its buckets is used up this tick.
    const auto& cs = sim.constraints();
    const auto& buckets = sim.tick_context().legality.quota_buckets();
    for (std::size_t q = 0; q < buckets.size(); ++q)
        if (cs.exhausted[cs.quota_base + q] && ix(buckets[q].policy) < found_.size())
            found_[ix(buckets[q].policy)].bound = true;
}

void PolicyAudit::audit_routes(const Simulation& sim) {
    const TickContext t = sim.tick_context();
    const auto& cands = sim.candidates();
    const auto& offers = sim.offer_state();
    // Whether this tick changed what is in force or what exists (then the costly checks run).
    const bool changed = sim.tick() == 0 || !sim.tick_record().events.empty();
    for (std::size_t p = 0; p < found_.size(); ++p) {
        auto& f = found_[p];
        if (!t.policies.in_force(static_cast<Index>(p))) continue;
        f.in_force = true;
        const model::Policy& pol = world_.policies[p];
        if (pol.type == model::PolicyType::import_restriction && !f.checked)
            audit_import_restriction(sim, p);
        if (!is_control(pol) || f.applied || !changed) continue;
        const PolicyId pid{static_cast<Index>(p)};
        for (std::size_t o = 0; o < offers.size() && !f.available; ++o)
            f.available = offers.available[o] && t.policies.selects_offer(pid, OfferId{o});
        for (std::size_t b = 0; b + 1 < cands.begin.size() && !f.applied; ++b)
            for (std::size_t k = cands.begin[b]; k < cands.begin[b + 1] && !f.applied; ++k) {
                if (cands.wnow[k] <= 0.0 || !t.policies.selects_offer(pid, OfferId{cands.offer[k]}))
                    continue;
                for (int r = 0; r < t.legality.routes() && !f.applied; ++r)
                    for (const auto& c : t.legality.route_causes(
                             BuyerId{static_cast<Index>(b)}, OfferId{cands.offer[k]}, RouteId{r}))
                        f.applied = f.applied || c.policy == pid;
            }
    }
    // A buyer on an open hub route whose direct route a control restricts goes round it.
    for (std::size_t b = 0; b + 1 < cands.begin.size(); ++b)
        for (std::size_t k = cands.begin[b]; k < cands.begin[b + 1]; ++k) {
            const int r = cands.route[k];
            if (!std::isfinite(cands.cost[k]) || !t.is_hub(r)) continue;
            const BuyerId bid{static_cast<Index>(b)};
            const OfferId oid{cands.offer[k]};
            if (t.legality.status(bid, oid, RouteId{r}).cls != policy::RouteClass::open ||
                !restricts(t.legality.status(bid, oid, RouteId{0}).cls))
                continue;
            for (const auto& c : t.legality.route_causes(bid, oid, RouteId{0})) {
                if (c.policy.index() >= found_.size() || !found_[c.policy.index()].moot.empty())
                    continue;
                const auto& route = world_.routes[static_cast<std::size_t>(r - 1)];
                const auto& o = world_.offers[ix(oid.value())];
                found_[c.policy.index()].moot = fmt::format(
                    "{} buys {}/{} through {} instead, a legal route (no policy covers {}→{}) "
                    "that costs only the hub's markup of {:g} %",
                    world_.buyers[b].id, world_.suppliers[ix(o.supplier)].id,
                    world_.products[ix(o.product)].id, world_.countries[ix(route.via)].code,
                    world_.countries[ix(route.via)].code,
                    world_.countries[ix(world_.buyers[b].country)].code, 100.0 * route.markup);
            }
        }
}

void PolicyAudit::audit_import_restriction(const Simulation& sim, std::size_t p) {
    const TickContext t = sim.tick_context();
    const auto& cands = sim.candidates();
    const auto& offers = sim.offer_state();
    const auto& buyers = sim.buyer_state();
    const PolicyId pid{static_cast<Index>(p)};
    auto& f = found_[p];
    f.checked = true;
    std::vector<double> w_with, w_without, c;
    for (std::size_t b = 0; b < buyers.size(); ++b) {
        const auto& buyer = world_.buyers[b];
        if (buyers.purchaser_of[b] >= 0 || buyer.substitution <= buyer.price_elasticity ||
            !t.legality.import_restriction_applies(pid, BuyerId{static_cast<Index>(b)}))
            continue;
        w_with.clear();
        w_without.clear();
        c.clear();
        bool removes = false;
        for (std::size_t k = cands.begin[b]; k < cands.begin[b + 1]; ++k) {
            const Index o = cands.offer[k];
            const bool hit = t.policies.selects_offer(pid, OfferId{o}) && offers.available[ix(o)];
            // A removed offer is not priced by the route search: its direct landed cost.
            const double cost =
                std::isfinite(cands.cost[k])
                    ? cands.cost[k]
                    : offers.price[ix(o)] * (1.0 + cands.tariff[k]) / measure(buyers, offers, b, o);
            if (!(cost > 0.0) || !std::isfinite(cost)) continue;
            const double without = hit ? cands.weight[k] : cands.wnow[k];
            if (without <= 0.0) continue;
            removes = removes || (hit && cands.wnow[k] < without);
            w_with.push_back(cands.wnow[k]);
            w_without.push_back(without);
            c.push_back(cost);
        }
        if (!removes) continue;
        std::vector<double> keep_w, keep_c;
        for (std::size_t i = 0; i < w_with.size(); ++i)
            if (w_with[i] > 0.0) keep_w.push_back(w_with[i]), keep_c.push_back(c[i]);
        if (keep_w.empty()) continue;
        const double p_with = market::price_index(keep_w, keep_c, buyer.substitution);
        const double p_without = market::price_index(w_without, c, buyer.substitution);
        const double factor =
            std::pow(p_with / p_without, buyer.substitution - buyer.price_elasticity);
        if (!(factor > 1.001)) continue;
        ++f.raised_buyers;
        if (factor > f.raise) f.raise = factor, f.raise_buyer = buyer.id;
    }
}

std::vector<Diagnostic> PolicyAudit::warnings(const std::vector<Diagnostic>& already) const {
    std::vector<Diagnostic> out;
    const auto cal = world_.time.calendar();
    for (std::size_t p = 0; p < found_.size(); ++p) {
        const auto& f = found_[p];
        const model::Policy& pol = world_.policies[p];
        const std::string path = "policies[" + pol.id + "]";
        if (std::any_of(already.begin(), already.end(),
                        [&](const Diagnostic& d) { return d.path.rfind(path, 0) == 0; }))
            continue;
        const auto warn = [&](std::string message) {
            out.push_back({Severity::warning, pol.loc, path, "in the run: " + message});
        };
        if (!f.in_force) {
            if (pol.until_tick <= 0)
                warn(
                    fmt::format("lapses before the run starts (until {}, the run starts {}): it "
                                "never applies; move `until` or drop the policy",
                                pol.until_date ? format_date(*pol.until_date) : "?",
                                format_date(cal.date_of(0))));
            else if (pol.from_tick >= world_.time.ticks && pol.announced_tick >= world_.time.ticks)
                warn(
                    "is announced and takes force only after the run ends: it never applies; "
                    "extend time.ticks or move `from`");
            continue;
        }
        if (is_control(pol) && !f.applied)
            warn(f.available
                     ? "selects no flow: while in force it never covers a route of a "
                       "buyer that wants an offer it selects; check its destinations, buyers, "
                       "products and covers"
                     : "lapses before it starts mattering: no offer it selects exists while it "
                       "is in force; move its dates (or `until`) or drop the policy");
        else if (pol.type == model::PolicyType::quota && !f.bound)
            warn(
                fmt::format("never binds: its cap of {:.10g} per {} is never reached, "
                            "so it changes nothing; lower the cap if it should bite",
                            pol.cap, model::to_string(pol.period)));
        if (!f.moot.empty())
            warn("is moot for part of its target: " + f.moot +
                 "; add reexports to its covers, or the hub to its destinations, to close the "
                 "route");
        if (f.raised_buyers > 0)
            warn(fmt::format(
                "raises demand for the offers it leaves, by up to +{:.1f} % for {}{}: with "
                "substitution σ above price elasticity η, the buyer's demand for each remaining "
                "offer grows with the price index as P^(σ−η), so losing an offer moves its "
                "demand to the rest; if that is not intended, lower substitution or raise "
                "price_elasticity",
                100.0 * (f.raise - 1.0), f.raise_buyer,
                f.raised_buyers > 1 ? fmt::format(" ({} buyers in all)", f.raised_buyers) : ""));
    }
    return out;
}

}  // namespace ts::engine
