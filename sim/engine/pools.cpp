#include "engine/pools.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

namespace ts::engine {

PoolState make_pools(const model::Scenario& w) {
    PoolState pools;
    pools.begin.push_back(0);
    for (std::size_t s = 0; s < w.suppliers.size(); ++s) {
        const auto& sup = w.suppliers[s];
        for (std::size_t p = 0; p < sup.pools.size(); ++p) {
            pools.supplier.push_back(static_cast<Index>(s));
            pools.pool.push_back(p);
            for (Index o : sup.offers)
                for (const auto& use : w.offers[ix(o)].uses)
                    if (ix(use.pool) == p) {
                        pools.user_offer.push_back(o);
                        pools.user_per_unit.push_back(use.per_unit);
                    }
            pools.begin.push_back(pools.user_offer.size());
        }
    }
    const std::size_t n = pools.size();
    pools.demand.assign(n, 0.0);
    pools.granted.assign(n, 0.0);
    pools.used.assign(n, 0.0);
    pools.binding.assign(n, 0);
    pools.reported.assign(n, 0);
    pools.signal.assign(w.offers.size(), 0.0);
    pools.order.reserve(pools.user_offer.size());
    pools.grant.assign(pools.user_offer.size(), 0.0);
    return pools;
}

namespace {

/// Pool `p`'s capacity this tick: the world's (whose value a schedule may move), never a copy.
double capacity_of(const model::Scenario& w, const PoolState& pools, std::size_t p) {
    return w.suppliers[ix(pools.supplier[p])].pools[pools.pool[p]].capacity;
}

/// One pool: the supplier's margin-maximising use of it given the offers' demand signals. In
/// margin order, each offer is granted what it can sell (within its own capacity); what is left
/// then goes, in the same order, up to each offer's own capacity, so a pool that is large
/// enough for every offer's own capacity changes nothing.
void allocate_one(const model::Scenario& w, std::size_t p, PoolState& pools, OfferState& offers) {
    const std::size_t b = pools.begin[p], e = pools.begin[p + 1];
    auto& order = pools.order;
    order.clear();
    for (std::size_t k = b; k < e; ++k) order.push_back(k);
    const auto margin = [&](std::size_t k) {
        const auto o = ix(pools.user_offer[k]);
        return (offers.charged_price[o] - w.offers[o].unit_cost) / pools.user_per_unit[k];
    };
    // Ties by offer order (users are listed in offer order, so by user index): deterministic,
    // and std::sort needs no buffer (the tick loop allocates nothing).
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        const double mx = margin(x), my = margin(y);
        return mx != my ? mx > my : x < y;
    });
    const double capacity = capacity_of(w, pools, p);
    double left = capacity, demand = 0.0;
    for (std::size_t k : order) {
        const auto o = ix(pools.user_offer[k]);
        const double a = pools.user_per_unit[k];
        const double want = std::min(offers.capacity[o], pools.signal[o]);
        demand += a * want;
        pools.grant[k] = std::min(want, left / a);
        left = std::max(0.0, left - a * pools.grant[k]);
    }
    for (std::size_t k : order) {
        const auto o = ix(pools.user_offer[k]);
        const double a = pools.user_per_unit[k];
        const double extra = std::min(offers.capacity[o] - pools.grant[k], left / a);
        pools.grant[k] += extra;
        left = std::max(0.0, left - a * extra);
    }
    for (std::size_t k = b; k < e; ++k) {
        const auto o = ix(pools.user_offer[k]);
        offers.capacity[o] = std::min(offers.capacity[o], pools.grant[k]);
    }
    pools.demand[p] = demand;
    pools.binding[p] = demand > capacity * (1.0 + 1e-12) ? 1 : 0;
}

}  // namespace

void allocate_pools(const model::Scenario& w, PoolState& pools, OfferState& offers) {
    // Pools in file order; an offer in several pools takes the least grant (a later pool sees
    // the capacity an earlier one left it: a heuristic, see docs/model.md).
    for (std::size_t p = 0; p < pools.size(); ++p) allocate_one(w, p, pools, offers);
    for (std::size_t p = 0; p < pools.size(); ++p) {
        double granted = 0.0;
        for (std::size_t k = pools.begin[p]; k < pools.begin[p + 1]; ++k) {
            const auto o = ix(pools.user_offer[k]);
            granted += pools.user_per_unit[k] * offers.capacity[o];
            offers.base_capacity[o] = offers.capacity[o];
        }
        pools.granted[p] = granted;
    }
}

void start_pools(const model::Scenario& w, PoolState& pools, OfferState& offers) {
    // No orders yet: each offer could sell its own capacity, so tick 0 follows the margin order.
    for (Index o : pools.user_offer) pools.signal[ix(o)] = offers.capacity[ix(o)];
    allocate_pools(w, pools, offers);
    for (Index o : pools.user_offer) {
        offers.stock[ix(o)] = offers.capacity[ix(o)];
        offers.planned[ix(o)] = offers.capacity[ix(o)];
        pools.signal[ix(o)] = offers.capacity[ix(o)];  // tick 0 repeats this allocation
    }
}

void settle_pools(const OfferState& offers, PoolState& pools) {
    for (std::size_t p = 0; p < pools.size(); ++p) {
        double used = 0.0;
        for (std::size_t k = pools.begin[p]; k < pools.begin[p + 1]; ++k)
            used += pools.user_per_unit[k] * offers.produced[ix(pools.user_offer[k])];
        pools.used[p] = used;
    }
    // What each offer can sell next tick: this tick's orders (rationed requests included).
    for (Index o : pools.user_offer) pools.signal[ix(o)] = offers.orders[ix(o)];
}

void record_pools(const model::Scenario& w, PoolState& pools, TickRecord& record) {
    for (std::size_t p = 0; p < pools.size(); ++p) {
        const double capacity = capacity_of(w, pools, p);
        record.pools.push_back(PoolRecord{pools.supplier[p], pools.pool[p], capacity,
                                          pools.demand[p], pools.granted[p], pools.used[p],
                                          pools.binding[p] != 0});
        // One event per spell of binding, when it starts.
        if (pools.binding[p] && !pools.reported[p]) {
            const auto& sup = w.suppliers[ix(pools.supplier[p])];
            EventRecord& ev = record.events.add();
            ev.actor = sup.id;
            ev.id = sup.pools[pools.pool[p]].id;
            ev.event = EventKind::capacity;
            fmt::format_to(std::back_inserter(ev.detail),
                           "pool binds: orders would draw {:.4f} of {:.4f} per tick",
                           pools.demand[p], capacity);
        }
        pools.reported[p] = pools.binding[p];
    }
}

}  // namespace ts::engine
