#include "engine/production.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "engine/pools.hpp"

namespace ts::engine {

namespace {

/// Equipment delivered `lag` ticks ago is installed now.
void install_equipment(const TickContext& t, InputState& inputs, TickRecord& record) {
    const auto& w = t.world;
    for (auto& p : inputs.purchasers) {
        p.opening = p.stock;
        p.received = p.used = 0.0;
    }
    std::size_t keep = 0;
    for (const auto& inst : inputs.installations) {
        if (inst.tick > t.tick) {
            inputs.installations[keep++] = inst;
            continue;
        }
        auto& p = inputs.purchasers[inst.purchaser];
        p.stock += inst.units;
        p.received += inst.units;
        p.awaiting -= inst.units;
        inputs.installed[ix(p.supplier)] = p.stock;
        const auto& eq = *w.suppliers[ix(p.supplier)].equipment;
        EventRecord& ev = record.events.add();
        ev.actor = w.suppliers[ix(p.supplier)].id;
        ev.id = w.products[ix(p.product)].id;
        ev.event = EventKind::capacity;
        fmt::format_to(std::back_inserter(ev.detail),
                       "installed {:.4f} {}: {:.4f} in place, capacity {:.4f} per tick", inst.units,
                       w.products[ix(p.product)].id, p.stock, p.stock * eq.capacity_per_unit);
    }
    inputs.installations.resize(keep);
}

/// Leontief: output of an offer with inputs is at most its share of each input's stock divided
/// by the need per unit (shares in proportion to planned use).
void limit_by_inputs(const model::Scenario& w, const InputState& inputs, OfferState& offers) {
    for (const auto& p : inputs.purchasers) {
        if (p.equipment) continue;
        const auto& sup = w.suppliers[ix(p.supplier)];
        double planned_use = 0.0;
        int users = 0;
        for (Index o : sup.offers)
            for (const auto& in : w.offers[ix(o)].inputs)
                if (in.product == p.product) {
                    planned_use += offers.planned[ix(o)] * in.per_unit;
                    ++users;
                }
        for (Index o : sup.offers)
            for (const auto& in : w.offers[ix(o)].inputs) {
                if (in.product != p.product) continue;
                const double share = planned_use > 0.0
                                         ? offers.planned[ix(o)] * in.per_unit / planned_use
                                         : 1.0 / static_cast<double>(users);
                offers.capacity[ix(o)] =
                    std::min(offers.capacity[ix(o)], p.stock * share / in.per_unit);
            }
    }
}

/// Inputs used by this tick's production; equipment wears out; next tick's plan.
void settle_inputs(const model::Scenario& w, InputState& inputs, OfferState& offers) {
    for (auto& p : inputs.purchasers) {
        const auto& sup = w.suppliers[ix(p.supplier)];
        double used = 0.0;
        if (p.equipment) {
            used = p.stock * sup.equipment->depreciation;
            inputs.installed[ix(p.supplier)] = p.stock - used;
        } else {
            for (Index o : sup.offers)
                for (const auto& in : w.offers[ix(o)].inputs)
                    if (in.product == p.product) used += offers.produced[ix(o)] * in.per_unit;
            used = std::min(used, p.stock);  // guards rounding: output never exceeds input stock
        }
        p.used += used;
        p.stock -= used;
    }
    // Planned output: what buyers asked for, within the capacity the supplier's equipment or
    // plant allows (not the input-limited capacity: a supplier short of inputs plans to buy more).
    for (std::size_t o = 0; o < offers.size(); ++o)
        offers.planned[o] = std::isfinite(offers.base_capacity[o])
                                ? std::min(offers.orders[o], offers.base_capacity[o])
                                : offers.orders[o];
}

}  // namespace

void phase_production(const TickContext& t, InputState& inputs, OfferState& offers,
                      PoolState& pools, TickRecord& record) {
    install_equipment(t, inputs, record);
    const auto& w = t.world;
    for (std::size_t o = 0; o < offers.size(); ++o) {
        const auto& off = w.offers[o];
        const auto& sup = w.suppliers[ix(off.supplier)];
        offers.available[o] = t.policies.offer_available(static_cast<Index>(o), t.tick) &&
                                      t.tick >= offers.launch_tick[o]
                                  ? 1
                                  : 0;
        double cap = off.capacity_from_equipment
                         ? inputs.installed[ix(off.supplier)] * sup.equipment->capacity_per_unit
                         : off.capacity;
        if (std::isfinite(cap) && off.supply_elasticity != 0.0)
            cap *= std::pow(offers.price[o] / off.price, off.supply_elasticity);
        offers.capacity[o] = offers.available[o] ? cap : 0.0;
        offers.base_capacity[o] = offers.capacity[o];
        offers.opening_stock[o] = offers.stock[o];
        offers.charged_price[o] = offers.price[o];
    }
    // Lagged: the pool is shared out before this tick's orders are known, by last tick's
    // orders, so clearing and settlement see an ordinary per-offer capacity.
    if (!pools.empty()) allocate_pools(w, pools, offers);
    limit_by_inputs(w, inputs, offers);
}

void plan_inputs(const model::Scenario& w, const InputState& inputs, const OfferState& offers,
                 BuyerState& buyers) {
    for (const auto& p : inputs.purchasers) {
        const auto& sup = w.suppliers[ix(p.supplier)];
        const auto& pu = sup.purchases[p.purchase];
        double demand = 0.0;
        if (pu.demand) {
            demand = *pu.demand;
        } else if (!p.equipment) {
            double use = 0.0;
            for (Index o : sup.offers)
                for (const auto& in : w.offers[ix(o)].inputs)
                    if (in.product == p.product) use += offers.planned[ix(o)] * in.per_unit;
            demand = std::max(0.0, use * (1.0 + pu.stock_target) - p.stock - p.in_transit);
        }
        buyers.base_demand[ix(p.buyer)] = demand;
    }
}

void phase_settlement(const TickContext& t, const std::vector<Request>& fills,
                      ConstraintState& constraints, BuyerState& buyers, OfferState& offers,
                      InputState& inputs, PoolState& pools) {
    // Quotas consumed this tick.
    for (const auto& f : fills)
        for (auto q : t.legality.quotas(f.quota_begin, f.quota_end))
            constraints.quota_left[q] -= f.compute;
    // Production is settled with clearing: produce to keep about one tick of capacity in
    // stock, never more than capacity; offers with unlimited capacity produce to order.
    std::fill(offers.shipped.begin(), offers.shipped.end(), 0.0);
    for (const auto& f : fills)
        offers.shipped[ix(f.offer)] += f.compute / measure(buyers, offers, ix(f.buyer), f.offer);
    for (std::size_t o = 0; o < offers.size(); ++o) {
        auto& stock = offers.stock[o];
        if (std::isfinite(offers.capacity[o])) {
            offers.produced[o] =
                std::clamp(offers.orders[o] + offers.capacity[o] - stock, 0.0, offers.capacity[o]);
            // Never ship what was not there (guards rounding in the rationing arithmetic).
            offers.shipped[o] = std::min(offers.shipped[o], stock + offers.produced[o]);
        } else {
            offers.produced[o] = std::max(0.0, offers.shipped[o] - stock);
        }
        stock = offers.opening_stock[o] + offers.produced[o] - offers.shipped[o];
        if (stock < 0.0 && stock > -1e-9 * std::max(1.0, offers.shipped[o])) stock = 0.0;
    }
    for (std::size_t b = 0; b < buyers.size(); ++b)
        buyers.backlog[b] = t.world.buyers[b].backlog * buyers.unmet[b];
    if (!pools.empty()) settle_pools(offers, pools);
    settle_inputs(t.world, inputs, offers);
}

}  // namespace ts::engine
