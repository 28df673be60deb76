#include "analysis/equilibrium_context.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "engine/routes.hpp"
#include "market/ces.hpp"
#include "market/route_cost.hpp"
#include "market/taste_weights.hpp"
#include "policy/legality.hpp"
#include "policy/policy_book.hpp"

namespace ts::analysis::eq {

namespace {

using policy::RouteClass;
using policy::RouteStatus;

/// The scenario with every policy dormant (never announced, never in force): the world with
/// no policies. Offers available only after a policy then never exist.
model::Scenario without_policies(const model::Scenario& input) {
    model::Scenario dormant = input;
    const std::int64_t far = std::numeric_limits<std::int64_t>::max() / 4;
    for (auto& p : dormant.policies) {
        p.announced_tick = p.from_tick = far;
        p.until_tick = std::numeric_limits<std::int64_t>::max();
    }
    return dormant;
}

/// Ticks in one quota period: a cap per period is a cap per tick over that many ticks.
double quota_ticks(model::QuotaPeriod period, double ticks_per_year) {
    switch (period) {
        case model::QuotaPeriod::tick:
            return 1.0;
        case model::QuotaPeriod::month:
            return ticks_per_year / 12.0;
        case model::QuotaPeriod::quarter:
            return ticks_per_year / 4.0;
        case model::QuotaPeriod::year:
            return ticks_per_year;
        case model::QuotaPeriod::policy:
            return kInf;
    }
    return 1.0;
}

/// The taste weight a_i of a candidate: the engine's rule (market::candidate_weight), zero
/// while the offer is not available.
double taste_weight(const model::Buyer& buyer, const policy::Legality& leg, Index b, Index o,
                    bool available) {
    return available ? market::candidate_weight(buyer.weights[ix(o)],
                                                leg.import_factor(BuyerId{b}, OfferId{o}))
                     : 0.0;
}

/// A route is usable when it is neither blocked nor unavailable under the controls in force
/// (Legality's classification) and, for a remote site, the buyer rents compute there (the
/// engine's rule engine::remote_usable).
bool route_usable(const model::Buyer& buyer, const policy::Legality& leg, int r,
                  const RouteStatus& st) {
    if (st.cls == RouteClass::blocked || st.cls == RouteClass::unavailable) return false;
    return !leg.is_remote(r) || engine::remote_usable(buyer, leg, r);
}

/// Landed cost per compute unit at `price`: the engine's rule, engine::route_cost_input
/// feeding market::route_cost.
double route_cost(const model::Scenario& s, const policy::PolicyBook& book,
                  const policy::Legality& leg, const model::Buyer& buyer, Index b, Index o, int r,
                  const RouteStatus& st, double price, double per, const engine::SoftRoutes* soft) {
    return market::route_cost(
        engine::route_cost_input(s, book, leg, buyer, BuyerId{b}, o, r, st, price, per,
                                 book.tariff(CountryId{buyer.country}, OfferId{o}), soft));
}

/// What ships smuggled: everything bought on a diverted route, including what a licence
/// for its first leg grants (the goods are still smuggled from the hub on: no destination
/// tariff or fees, seized at the route's detection), as the engine books it.
bool smuggled(const RouteStatus& st) {
    return st.cls == RouteClass::diverted;
}

/// Builds the Context of one policy state.
class ContextBuilder {
  public:
    ContextBuilder(const model::Scenario& s, std::int64_t tick, std::string label,
                   const engine::SoftRoutes* soft)
        : s_(s), tick_(tick), soft_(soft), book_(s), leg_(book_) {
        std::vector<policy::Transition> transitions;
        for (std::int64_t t = 0; t <= tick; ++t) {
            transitions.clear();
            book_.advance(t, transitions);
        }
        leg_.rebuild();
        c_.label = std::move(label);
        for (std::size_t p = 0; p < s.policies.size(); ++p)
            if (book_.announced(static_cast<Index>(p))) c_.pending.push_back(static_cast<Index>(p));
        hub_limit_.assign(s.routes.size(), -1);
        remote_limit_.assign(s.buyers.size(), -1);
        quota_limit_.assign(leg_.quota_buckets().size(), -1);
    }

    Context build() {
        offer_markets();
        const std::size_t nb = s_.buyers.size();
        c_.begin.assign(nb + 1, 0);
        for (std::size_t b = 0; b < nb; ++b) {
            const auto& buyer = s_.buyers[b];
            for (std::size_t o = 0; o < s_.offers.size() && o < buyer.weights.size(); ++o) {
                const double per = s_.products[ix(s_.offers[o].product)].compute;
                if (buyer.weights[o] <= 0.0 || per <= 0.0) continue;
                c_.cands.push_back(candidate(b, o, per));
            }
            c_.begin[b + 1] = c_.cands.size();
        }
        return std::move(c_);
    }

  private:
    /// Per offer: available, capacity at the base price, endogenous price.
    void offer_markets() {
        const std::size_t no = s_.offers.size();
        c_.available.assign(no, 0);
        c_.capacity0.assign(no, 0.0);
        c_.endogenous.assign(no, 0);
        for (std::size_t o = 0; o < no; ++o) {
            const auto& off = s_.offers[o];
            const auto& sup = s_.suppliers[ix(off.supplier)];
            c_.available[o] = book_.offer_available(static_cast<Index>(o), tick_) ? 1 : 0;
            double cap = off.capacity;
            if (off.capacity_from_equipment && sup.equipment)
                cap = sup.equipment->installed * sup.equipment->capacity_per_unit;
            c_.capacity0[o] = c_.available[o] ? cap : 0.0;
            const bool chip = s_.products[ix(off.product)].compute > 0.0;
            c_.endogenous[o] = c_.available[o] && chip && std::isfinite(cap) && cap > 0.0 &&
                                       sup.price_responds() && off.price > 0.0
                                   ? 1
                                   : 0;
        }
    }

    Candidate candidate(std::size_t b, std::size_t o, double per) {
        const auto& buyer = s_.buyers[b];
        Candidate k;
        k.buyer = static_cast<Index>(b);
        k.offer = static_cast<Index>(o);
        k.per_unit = per;
        k.weight = taste_weight(buyer, leg_, k.buyer, k.offer, c_.available[o] != 0);
        if (!(k.weight > 0.0)) return k;
        // Every route's cost is proportional to the price, so the choice does not depend on
        // it; costs are compared at the base price as on the engine's first tick.
        const double price = s_.offers[o].price > 0.0 ? s_.offers[o].price : 1.0;
        double best = kInf;
        k.route = cheapest_route(buyer, k.buyer, k.offer, price, per, best);
        if (k.route < 0 || !std::isfinite(best)) {
            k.route = -1;
            return k;
        }
        k.wedge = best / price;
        const auto& st = leg_.status(BuyerId{k.buyer}, OfferId{k.offer}, RouteId{k.route});
        shipping_terms(k, st);
        add_limits(c_.cands.size(), k, st);
        return k;
    }

    /// Rule (route choice, the engine's best_route): the first usable route of least cost.
    int cheapest_route(const model::Buyer& buyer, Index b, Index o, double price, double per,
                       double& best) const {
        int chosen = -1;
        for (int r = 0; r < leg_.routes(); ++r) {
            const auto& st = leg_.status(BuyerId{b}, OfferId{o}, RouteId{r});
            if (!route_usable(buyer, leg_, r, st)) continue;
            const double cost = route_cost(s_, book_, leg_, buyer, b, o, r, st, price, per, soft_);
            if (cost < best) {
                best = cost;
                chosen = r;
            }
        }
        return chosen;
    }

    /// Rule (licence queue and shipment): requests on a route that needs a licence (a licensed
    /// route, or a diverted one whose first leg needs it) are granted at the approval share;
    /// smuggled goods arrive at 1 − detection and pay neither tariff nor fees.
    void shipping_terms(Candidate& k, const RouteStatus& st) {
        const auto& buyer = s_.buyers[ix(k.buyer)];
        k.licensed = st.needs_licence;
        k.kappa = k.licensed ? st.approval : 1.0;
        k.diverted = smuggled(st);
        k.land = leg_.is_remote(k.route) ? leg_.remote_site(k.route) : buyer.country;
        k.fee_begin = k.fee_end = c_.fees.size();
        if (k.diverted) {
            double d = leg_.detection(BuyerId{k.buyer}, OfferId{k.offer}, RouteId{k.route});
            if (soft_) d = soft_->detection(s_, static_cast<std::size_t>(k.route - 1), d);
            k.arrive = 1.0 - d;
            return;
        }
        k.tariff = book_.tariff(CountryId{k.land}, OfferId{k.offer});
        book_.for_each_fee(CountryId{k.land}, OfferId{k.offer}, [&](const model::Policy& pol) {
            c_.fees.push_back({pol.by, pol.rate});
        });
        k.fee_end = c_.fees.size();
    }

    /// The limit in `slot[i]`, added by `make` the first time a route draws on it.
    template <class Make>
    Limit& limit(std::vector<int>& slot, std::size_t i, Make&& make) {
        if (slot[i] < 0) {
            slot[i] = static_cast<int>(c_.limits.size());
            c_.limits.push_back(make());
        }
        return c_.limits[static_cast<std::size_t>(slot[i])];
    }

    /// Limits the chosen route of candidate `kid` draws on (requests in compute units).
    void add_limits(std::size_t kid, const Candidate& k, const RouteStatus& st) {
        const auto& buyer = s_.buyers[ix(k.buyer)];
        if (k.route >= 1 && k.route <= leg_.hub_routes()) {
            const auto h = static_cast<std::size_t>(k.route - 1);
            const auto& route = s_.routes[h];
            if (std::isfinite(route.capacity))
                limit(hub_limit_, h, [&] {
                    return Limit{
                        fmt::format("the capacity of the route through {} ({} units per tick)",
                                    s_.countries[ix(route.via)].code, route.capacity),
                        route.capacity,
                        {}};
                }).terms.push_back({kid, k.kappa / k.per_unit});
        }
        if (leg_.is_remote(k.route) && buyer.remote && std::isfinite(buyer.remote->capacity))
            limit(remote_limit_, ix(k.buyer), [&] {
                return Limit{fmt::format("the remote-compute capacity of buyer '{}' ({} compute "
                                         "per tick)",
                                         buyer.id, buyer.remote->capacity),
                             buyer.remote->capacity,
                             {}};
            }).terms.push_back({kid, k.kappa});
        const double per_year = s_.time.calendar().ticks_per_year();
        for (auto q : leg_.quotas(st))
            limit(quota_limit_, q, [&] {
                const auto& bucket = leg_.quota_buckets()[q];
                const auto& pol = s_.policies[ix(bucket.policy)];
                return Limit{fmt::format("quota '{}' for {} ({} compute per period)", pol.id,
                                         s_.countries[ix(bucket.country)].code, pol.cap),
                             pol.cap / std::max(1.0, quota_ticks(pol.period, per_year)),
                             {}};
            }).terms.push_back({kid, k.kappa});
    }

    const model::Scenario& s_;
    std::int64_t tick_;
    const engine::SoftRoutes* soft_;  // soft routes' terms at their priced volume, or null
    policy::PolicyBook book_;
    policy::Legality leg_;  // reads book_
    Context c_;
    // Per hub route, buyer and quota bucket: its limit in c_.limits, -1 before the first use.
    std::vector<int> hub_limit_, remote_limit_, quota_limit_;
};

}  // namespace

Context build_context(const model::Scenario& input, std::int64_t tick, bool no_policies,
                      std::string label, const engine::SoftRoutes* soft) {
    if (!no_policies) return ContextBuilder(input, tick, std::move(label), soft).build();
    const model::Scenario dormant = without_policies(input);
    return ContextBuilder(dormant, tick, std::move(label), soft).build();
}

model::Scenario dated(const model::Scenario& input, std::int64_t tick) {
    model::Scenario out = input;
    model::apply_schedules(out, out.schedules, tick);
    out.schedules.clear();
    return out;
}

std::string offer_name(const model::Scenario& s, std::size_t o) {
    const auto& off = s.offers[o];
    return fmt::format("{}/{}", s.suppliers[ix(off.supplier)].id, s.products[ix(off.product)].id);
}

}  // namespace ts::analysis::eq
