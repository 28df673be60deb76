#include "engine/simulation.hpp"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "engine/behaviour.hpp"
#include "engine/choice.hpp"
#include "engine/clearing.hpp"
#include "engine/demand.hpp"
#include "engine/invariants.hpp"
#include "engine/licensing.hpp"
#include "engine/policies.hpp"
#include "engine/pools.hpp"
#include "engine/prices.hpp"
#include "engine/production.hpp"
#include "engine/routes.hpp"
#include "engine/schedules.hpp"
#include "engine/shipping.hpp"
#include "engine/soft_routes.hpp"

namespace ts::engine {

const char* to_string(Phase p) {
    switch (p) {
        case Phase::idle:
            return "idle";
        case Phase::schedules:
            return "schedules";
        case Phase::policy:
            return "policy";
        case Phase::production:
            return "production";
        case Phase::demand:
            return "demand";
        case Phase::routes:
            return "routes";
        case Phase::choice:
            return "choice";
        case Phase::licensing:
            return "licensing";
        case Phase::clearing:
            return "clearing";
        case Phase::settlement:
            return "settlement";
        case Phase::shipping:
            return "shipping";
        case Phase::prices:
            return "prices";
        case Phase::records:
            return "records";
        case Phase::behaviour:
            return "behaviour";
        case Phase::invariants:
            return "invariants";
        case Phase::output:
            return "output";
    }
    return "?";
}

std::vector<std::string> Simulation::unsimulated_features(const model::Scenario& s) {
    std::vector<std::string> out;
    for (const auto& p : s.policies)
        if (!policy::PolicyBook::simulated(p.type))
            out.push_back(
                fmt::format("policy '{}' of type '{}' is read and reported in events.csv, but "
                            "this version does not simulate its effect yet",
                            p.id, model::to_string(p.type)));
    return out;
}

Simulation::Simulation(const model::Scenario& scenario, RunConfig config)
    : world_(build_world(scenario)),
      scheduled_(world_.scenario.schedules.empty() ? std::nullopt : std::optional<World>(world_)),
      now_(scheduled_ ? *scheduled_ : world_),
      config_(config),
      policies_(now_.scenario),
      legality_(policies_),
      streams_(policy::StreamIds::of(now_.scenario, legality_)),
      approvals_(legality_) {
    const auto& s = world_.scenario;
    for (const auto& spec : world_.purchasers) {
        Purchaser p;
        p.buyer = spec.buyer;
        p.supplier = spec.supplier;
        p.product = spec.product;
        p.equipment = spec.equipment;
        p.purchase = spec.purchase;
        p.stock = p.equipment ? s.suppliers[ix(p.supplier)].equipment->installed : 0.0;
        inputs_.purchasers.push_back(p);
    }
    inputs_.installed.assign(s.suppliers.size(), 0.0);
    for (std::size_t si = 0; si < s.suppliers.size(); ++si)
        if (s.suppliers[si].equipment) inputs_.installed[si] = s.suppliers[si].equipment->installed;
    buyers_.purchaser_of.assign(s.buyers.size(), -1);
    for (std::size_t i = 0; i < inputs_.purchasers.size(); ++i)
        buyers_.purchaser_of[ix(inputs_.purchasers[i].buyer)] = static_cast<int>(i);
    behaviour_.reactions.assign(world_.reactions.size(), {});
    behaviour_.launch_tick.assign(world_.variants.size(), kNever);
    soft_ = init_soft_routes(s);
    pools_ = make_pools(s);

    init_offers();
    init_candidates();
    init_buyers();
    init_transit();
    reserve_tick_lists();
}

void Simulation::init_offers() {
    const auto& s = world_.scenario;
    const std::size_t no = s.offers.size();
    auto& of = offers_;
    for (auto* v :
         {&of.price, &of.charged_price, &of.capacity, &of.stock, &of.opening_stock, &of.produced,
          &of.orders, &of.shipped, &of.base_capacity, &of.compute, &of.price_step})
        v->resize(no);
    of.available.resize(no);
    of.launch_tick.assign(no, kAlways);
    of.last_excess.assign(no, 0.0);
    for (std::size_t o = 0; o < no; ++o)
        of.price_step[o] = s.suppliers[ix(s.offers[o].supplier)].price_adjustment;
    for (const auto& v : world_.variants) of.launch_tick[ix(v.offer)] = kNever;
    of.planned.assign(no, 0.0);
    for (std::size_t o = 0; o < no; ++o) {
        const auto& off = s.offers[o];
        of.price[o] = off.price;
        of.compute[o] = s.products[ix(off.product)].compute;
        const double cap = off.capacity_from_equipment
                               ? inputs_.installed[ix(off.supplier)] *
                                     s.suppliers[ix(off.supplier)].equipment->capacity_per_unit
                               : off.capacity;
        // Start in the steady state the production rule keeps: one tick of capacity in stock
        // (none when capacity is unlimited: such offers produce to order, nor for offers that
        // do not exist yet: variants and offers available after a policy start empty).
        const bool exists_at_start =
            of.launch_tick[o] == kAlways && policies_.offer_available(static_cast<Index>(o), 0);
        of.stock[o] = std::isfinite(cap) && exists_at_start ? cap : 0.0;
        // Tick 0's planned output, on which input purchases are based: an offer that does not
        // exist yet plans none (it would otherwise buy inputs for output it cannot make).
        of.planned[o] = std::isfinite(cap) && exists_at_start ? cap : 0.0;
        // Read only by start_pools: phase 2 sets both again every tick.
        of.capacity[o] = exists_at_start ? cap : 0.0;
        of.charged_price[o] = off.price;
    }
    if (!pools_.empty()) start_pools(s, pools_, of);
}

void Simulation::init_candidates() {
    const auto& s = world_.scenario;
    const std::size_t no = s.offers.size(), nb = s.buyers.size();
    auto& c = cands_;
    c.begin.assign(nb + 1, 0);
    for (std::size_t b = 0; b < nb; ++b) {
        const auto& w = s.buyers[b].weights;
        const bool purchaser = buyers_.purchaser_of[b] >= 0;
        for (std::size_t o = 0; o < no; ++o) {
            // Buyers buy chips (compute > 0); suppliers buy their inputs and equipment.
            if (o < w.size() && w[o] > 0.0 && (purchaser || offers_.compute[o] > 0.0)) {
                c.offer.push_back(static_cast<Index>(o));
                c.weight.push_back(w[o]);
            }
        }
        c.begin[b + 1] = c.offer.size();
    }
    const std::size_t nk = c.offer.size();
    c.wnow.assign(nk, 0.0);
    c.cost.assign(nk, kInf);
    c.route.assign(nk, 0);
    c.wbase.assign(nk, 0.0);
    c.tariff.assign(nk, 0.0);
    c.routes_begin.assign(nk, 0);
    c.routes_end.assign(nk, 0);
    c.quota_begin.assign(nk, 0);
    c.quota_end.assign(nk, 0);
    c.licence.assign(nk, 0);
    c.diverted.assign(nk, 0);
    c.request.assign(nk, 0.0);
    init_clearing_prices(s, nk, offers_);

    std::size_t widest = 0;
    for (std::size_t b = 0; b < nb; ++b) widest = std::max(widest, c.begin[b + 1] - c.begin[b]);
    split_.plan(c.begin, config_.threads);
    choice_scratch_.resize(split_.parts());
    for (auto& scratch : choice_scratch_) {
        scratch.w.resize(widest);
        scratch.c.resize(widest);
        scratch.q.resize(widest);
        scratch.k.resize(widest);
    }
    part_stats_.resize(split_.parts());
}

void Simulation::init_buyers() {
    const auto& s = world_.scenario;
    const std::size_t nb = s.buyers.size();
    auto& bs = buyers_;
    bs.country.resize(nb);
    bs.billing.resize(nb);
    for (std::size_t b = 0; b < nb; ++b) {
        bs.country[b] = s.buyers[b].country;
        bs.billing[b] = s.buyers[b].billing_country;
    }
    bs.base_demand.assign(nb, 0.0);
    bs.price_index.assign(nb, kInf);
    bs.quantity.assign(nb, 0.0);
    bs.residual.assign(nb, 0.0);
    bs.unmet.assign(nb, 0.0);
    bs.backlog.assign(nb, 0.0);
    bs.remote_slot.assign(nb, -1);
    int n_remote = 0;
    for (std::size_t b = 0; b < nb; ++b)
        if (s.buyers[b].remote) bs.remote_slot[b] = n_remote++;
    // Constraint index space: [offers | hub routes | remote capacities | quota buckets].
    constraints_.hub_base = s.offers.size();
    constraints_.remote_base = s.offers.size() + s.routes.size();
    constraints_.quota_base = constraints_.remote_base + static_cast<std::size_t>(n_remote);
}

void Simulation::init_transit() {
    const auto& s = world_.scenario;
    int max_delay = s.transport_delay_ticks;
    for (const auto& r : s.routes) max_delay = std::max(max_delay, r.delay_ticks);
    transit_.slots.resize(static_cast<std::size_t>(max_delay) + 1);
    const auto n_routes = static_cast<std::size_t>(legality_.routes());
    transit_.shipped.assign(n_routes, 0.0);
    transit_.delivered.assign(n_routes, 0.0);
    transit_.seized.assign(n_routes, 0.0);
    transit_.in_transit.assign(n_routes, 0.0);
    // Flows summed over buyers (shipping.cpp): rows by destination × channel, arrivals by
    // home country × diversion.
    const std::size_t nc = s.countries.size();
    transit_.flow_stamp.assign(nc * kChannels, 0);
    transit_.flow_at.assign(nc * kChannels, 0);
    transit_.arrival_stamp.assign(nc * 2, 0);
    transit_.arrival_at.assign(nc * 2, 0);
}

void Simulation::reserve_tick_lists() {
    // Capacity for the per-tick lists at their upper bounds, so that the tick loop never grows
    // a vector (reserved pages are not touched until used: resident memory follows the actual
    // sizes). Per tick each candidate files at most one request per clearing round; a licence
    // request waits at most the longest licence delay.
    const auto& s = world_.scenario;
    const std::size_t nk = cands_.size(), nb = s.buyers.size();
    int max_licence_delay = 0;
    for (const auto& pol : s.policies)
        if (pol.licence) max_licence_delay = std::max(max_licence_delay, pol.licence->delay_ticks);
    const std::size_t rounds = 1 + static_cast<std::size_t>(std::max(0, config_.rechoice_rounds));
    const std::size_t pending_bound = nk * (static_cast<std::size_t>(max_licence_delay) + 1);
    const std::size_t fills_bound = nk * rounds + pending_bound;
    licences_.pending.reserve(pending_bound);
    licences_.granted.reserve(pending_bound);
    clearing_.fills.reserve(fills_bound);
    clearing_.active.reserve(nb);
    clearing_.next_active.reserve(nb);
    transit_.sorted_fills.reserve(fills_bound);
    transit_.merge_scratch.reserve(fills_bound);
    record_.flows.reserve(fills_bound);
    // Revenue: a record per supplier, billing country and channel with a flow.
    record_.revenue.reserve(
        std::min(fills_bound, s.suppliers.size() * s.countries.size() * kChannels));
    for (auto& slot : transit_.slots) slot.reserve(fills_bound);
    // Installations: one per equipment delivery (≤ 2 per candidate and round: licensed or
    // not), waiting at most the longest installation lag.
    std::size_t equipment_buyers = 0, equipment_candidates = 0, max_lag = 1;
    for (const auto& p : inputs_.purchasers) {
        if (!p.equipment) continue;
        ++equipment_buyers;
        equipment_candidates += cands_.begin[ix(p.buyer) + 1] - cands_.begin[ix(p.buyer)];
        const auto& eq = *s.suppliers[ix(p.supplier)].equipment;
        max_lag = std::max(max_lag, static_cast<std::size_t>(std::max(1, eq.lag_ticks)) + 1);
    }
    inputs_.installations.reserve(2 * equipment_candidates * rounds * max_lag);
    record_.events.reserve(32 + equipment_buyers + pools_.size(), 48);
    record_.pools.reserve(pools_.size());
}

template <class F>
void Simulation::timed(Phase p, F&& phase) {
    // Phases run in the order of docs/model.md ("The model, one tick"); each asserts it follows the
    // one before.
    assert(static_cast<int>(p) == static_cast<int>(phase_) + 1);
    phase_ = p;
    const std::uint64_t checks = stats_.route_checks, requests = stats_.requests;
    const auto start = std::chrono::steady_clock::now();
    phase();
    const auto i = static_cast<std::size_t>(p);
    stats_.phase_seconds[i] +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    stats_.phase_bytes[i] += (stats_.route_checks - checks) * sizeof(policy::RouteStatus) +
                             (stats_.requests - requests) * sizeof(Request);
    if (probe_) probe_->after(p, *this);
}

void Simulation::step(Recorder& recorder) {
    if (done()) throw RunError("simulation already finished");
    if (tick_ == 0) recorder.begin(world_.scenario, config_.run);
    record_.clear();
    phase_ = Phase::idle;
    const TickContext t = context();
    const auto run = static_cast<std::uint64_t>(config_.run);
    if (scheduled_)
        timed(Phase::schedules,
              [&] { tables_moved_ = phase_schedules(tick_, *scheduled_, policies_); });
    else
        phase_ = Phase::schedules;  // nothing scheduled: not even the clock is read
    timed(Phase::policy, [&] {
        rebuild_ = phase_policy(tick_, now_, behaviour_, policies_, legality_, transitions_,
                                buyers_, cands_, constraints_, record_, tables_moved_);
    });
    timed(Phase::production, [&] { phase_production(t, inputs_, offers_, pools_, record_); });
    timed(Phase::demand, [&] { phase_demand(t, inputs_, offers_, buyers_); });
    timed(Phase::routes, [&] {
        std::fill(constraints_.exhausted.begin(), constraints_.exhausted.end(), 0);
        for (auto& ps : part_stats_) ps.evaluations = ps.route_checks = 0;
        split_.run([&](std::size_t part, std::size_t b0, std::size_t b1) {
            phase_routes(t, buyers_, offers_, constraints_, cands_, b0, b1, part_stats_[part]);
        });
        for (const auto& ps : part_stats_) {  // in part order: integers, any order is the same
            stats_.evaluations += ps.evaluations;
            stats_.route_checks += ps.route_checks;
        }
    });
    timed(Phase::choice, [&] {
        split_.run([&](std::size_t part, std::size_t b0, std::size_t b1) {
            phase_choice(t, buyers_, cands_, choice_scratch_[part], b0, b1);
        });
        if (offers_.clearing.used) note_demand_response(buyers_, cands_, offers_);
    });
    timed(Phase::licensing, [&] { phase_licensing(t, run, offers_, buyers_, cands_, licences_); });
    timed(Phase::clearing, [&] {
        phase_clearing(t, config_, licences_, buyers_, offers_, cands_, constraints_, clearing_,
                       stats_);
    });
    timed(Phase::settlement, [&] {
        phase_settlement(t, clearing_.fills, constraints_, buyers_, offers_, inputs_, pools_);
    });
    timed(Phase::shipping, [&] {
        phase_shipping(t, run, offers_, buyers_, recorder.wants_buyer_flows(), clearing_.fills,
                       inputs_, transit_, record_);
        if (!soft_.empty())
            update_soft_routes(t, offers_, buyers_, clearing_.fills, soft_, record_);
    });
    timed(Phase::prices, [&] { phase_prices(now_.scenario, cands_, offers_); });
    timed(Phase::records, [&] {
        phase_records(t, offers_, buyers_, inputs_, record_scratch_, record_);
        if (!pools_.empty()) record_pools(now_.scenario, pools_, record_);
    });
    timed(Phase::behaviour, [&] {
        phase_behaviour(tick_, now_, policies_, approvals_, behaviour_, offers_, record_);
    });
    timed(Phase::invariants, [&] {
        if (config_.check_invariants) check_invariants(tick_, offers_, transit_, record_);
    });
    timed(Phase::output, [&] { recorder.record(record_); });
    phase_ = Phase::idle;
    count_tick_bytes();
    ++tick_;
    if (done()) recorder.end();
}

void Simulation::run(Recorder& recorder, const std::function<void(int, int)>& progress) {
    while (!done()) {
        step(recorder);
        if (progress) progress(tick_, ticks());
    }
}

void Simulation::count_tick_bytes() {
    // Passes over the hot arrays (see EngineStats::bytes; route checks and requests are counted
    // as they happen, in timed()): the route phase reads the candidate's offer, weight, and
    // writes weight now, route and cost (32 bytes); choice reads and writes them again with the
    // request and CES scratch (48); clearing passes over requests twice per round (24 each);
    // shipping reads each fill twice and writes it once (the counting sort, then the flows)
    // and writes a record per flow; per buyer about 12 doubles (demand, clearing) and per
    // offer about 16 doubles (clearing, prices, records) are touched.
    const std::uint64_t nk = cands_.size(), nb = buyers_.size(), no = offers_.size();
    const std::uint64_t rounds = clearing_.rounds_run;
    const auto add = [this](Phase p, std::uint64_t bytes) {
        stats_.phase_bytes[static_cast<std::size_t>(p)] += bytes;
    };
    add(Phase::routes, nk * 32);
    add(Phase::choice, nk * 48);
    add(Phase::clearing, nk * 48 * rounds);
    add(Phase::shipping,
        clearing_.fills.size() * 3 * sizeof(Request) + record_.flows.size() * sizeof(FlowRecord));
    add(Phase::demand, nb * 12 * 8);
    add(Phase::prices, no * 16 * 8);
    stats_.ticks += 1;
}

}  // namespace ts::engine
