#include "engine/behaviour.hpp"

#include <algorithm>
#include <iterator>
#include <string>

#include <fmt/format.h>

namespace ts::engine {

double reaction_metric(const model::Reaction& r, const TickRecord& record) {
    const std::string& m = r.metric;
    double v = 0.0;
    if (m == "diverted_units" || m == "diverted_compute" ||
        (m == "seized_units" && r.via != model::kNone)) {
        for (const auto& f : record.flows) {
            if (f.channel != Channel::diverted) continue;
            if (r.via != model::kNone && f.via != r.via) continue;
            if (r.country != model::kNone && f.destination != r.country) continue;
            v += m == "diverted_units"     ? f.units
                 : m == "diverted_compute" ? f.compute
                                           : f.seized_units;
        }
        return v;
    }
    double qsum = 0.0;
    for (const auto& cr : record.countries) {
        if (r.country != model::kNone && cr.country != r.country) continue;
        if (m == "imports_compute")
            v += cr.imports_compute;
        else if (m == "unmet_compute")
            v += cr.unmet_compute;
        else if (m == "seized_units")
            v += cr.seized_units;
        else if (m == "price_index") {
            v += cr.price_index;
            qsum += 1.0;
        }
    }
    return m == "price_index" && qsum > 0.0 ? v / qsum : v;
}

namespace {

/// A rule fires when its condition has held for `for` consecutive ticks; its policy is
/// announced now and takes force `lag` ticks later (at the earliest next tick).
void react(int tick, const World& world, policy::PolicyBook& policies, BehaviourState& behaviour,
           TickRecord& record) {
    const auto& s = world.scenario;
    for (std::size_t i = 0; i < world.reactions.size(); ++i) {
        auto& st = behaviour.reactions[i];
        if (st.triggered) continue;
        const auto& r = s.reactions[i];
        const double v = reaction_metric(r, record);
        const bool holds = (r.above && v > *r.above) || (r.below && v < *r.below);
        st.streak = holds ? st.streak + 1 : 0;
        if (st.streak < r.for_ticks) continue;
        st.triggered = true;
        // The dormant policy's dates are run state of the policy book, not of the world.
        const Index added = world.reactions[i].policy;
        const auto& pol = s.policies[ix(added)];
        const std::int64_t from = tick + std::max(1, r.lag_ticks);
        policies.schedule(added, tick, from);
        EventRecord& ev = record.events.add();
        ev.actor = s.countries[ix(r.by)].code;
        ev.id = r.id;
        ev.event = EventKind::triggered;
        fmt::format_to(std::back_inserter(ev.detail),
                       "{}={:.4f} for {} tick(s); {} in force from {}", r.metric, v, r.for_ticks,
                       model::to_string(pol.type), format_date(s.time.calendar().date_of(from)));
    }
}

/// A binding control makes the supplier launch its variant after the lag.
void schedule_launches(int tick, const policy::PolicyBook& policies, const World& world,
                       BehaviourState& behaviour, OfferState& offers) {
    const auto& s = world.scenario;
    for (std::size_t i = 0; i < world.variants.size(); ++i) {
        const auto& v = world.variants[i];
        auto& launch = behaviour.launch_tick[i];
        if (launch != kNever || !v.binds_statically || !policies.in_force(v.control)) continue;
        const auto& sup = s.suppliers[ix(s.offers[ix(v.offer)].supplier)];
        launch = tick + std::max(1, sup.design_around->lag_ticks);
        offers.launch_tick[ix(v.offer)] = launch;
    }
}

}  // namespace

void phase_behaviour(int tick, const World& world, policy::PolicyBook& policies,
                     policy::ConditionalApprovals& approvals, BehaviourState& behaviour,
                     OfferState& offers, TickRecord& record) {
    react(tick, world, policies, behaviour, record);
    schedule_launches(tick, policies, world, behaviour, offers);
    if (!approvals.empty()) {
        for (const FlowRecord& f : record.flows)
            approvals.add_shipment(f.buyer, f.offer, f.compute);
        approvals.end_tick();
    }
}

}  // namespace ts::engine
