#include "engine/policies.hpp"

#include <iterator>

#include <fmt/format.h>

#include "market/taste_weights.hpp"

namespace ts::engine {

namespace {

/// Period index of a quota at a tick (a new index resets the quota).
std::int64_t quota_period(model::QuotaPeriod period, const Calendar& cal, std::int64_t tick) {
    const Date d = cal.date_of(tick);
    switch (period) {
        case model::QuotaPeriod::tick:
            return tick;
        case model::QuotaPeriod::month:
            return d.year * 12LL + d.month - 1;
        case model::QuotaPeriod::quarter:
            return d.year * 4LL + (d.month - 1) / 3;
        case model::QuotaPeriod::year:
            return d.year;
        case model::QuotaPeriod::policy:
            return 0;
    }
    return 0;
}

/// What candidates read from the tables until the next change: the taste weight with import
/// restrictions applied, the buyer's country's tariff on the offer, and where the candidate's
/// route list is.
void refresh_candidates(const policy::PolicyBook& policies, const policy::Legality& legality,
                        const BuyerState& buyers, CandidateState& cands) {
    for (std::size_t b = 0; b < buyers.size(); ++b)
        for (std::size_t k = cands.begin[b]; k < cands.begin[b + 1]; ++k) {
            const Index o = cands.offer[k];
            cands.wbase[k] = market::candidate_weight(
                cands.weight[k],
                legality.import_factor(BuyerId{static_cast<Index>(b)}, OfferId{o}));
            cands.tariff[k] = policies.tariff(CountryId{buyers.country[b]}, OfferId{o});
            const auto range =
                legality.candidate_route_range(BuyerId{static_cast<Index>(b)}, OfferId{o});
            cands.routes_begin[k] = range.first;
            cands.routes_end[k] = range.second;
        }
}

/// New quota buckets start full; a bucket whose period changed is refilled.
void reset_quota_periods(int tick, const model::Scenario& world, const policy::Legality& legality,
                         ConstraintState& cs) {
    const auto& buckets = legality.quota_buckets();
    const auto cal = world.time.calendar();
    for (std::size_t q = 0; q < buckets.size(); ++q) {
        const auto& pol = world.policies[ix(buckets[q].policy)];
        const std::int64_t period = quota_period(pol.period, cal, tick);
        if (q >= cs.quota_left.size()) {
            cs.quota_left.push_back(pol.cap);
            cs.quota_period.push_back(period);
        } else if (cs.quota_period[q] != period) {
            cs.quota_left[q] = pol.cap;
            cs.quota_period[q] = period;
        }
    }
    const std::size_t nc = cs.quota_base + cs.quota_left.size();
    cs.remaining.resize(nc);
    cs.requested.resize(nc);
    cs.filled.resize(nc);
    cs.exhausted.resize(nc);
}

void transition_events(int tick, const model::Scenario& world, const policy::PolicyBook& policies,
                       const std::vector<policy::Transition>& transitions, TickRecord& record) {
    for (const auto& tr : transitions) {
        const auto& pol = world.policies[ix(tr.policy)];
        EventRecord& ev = record.events.add();
        ev.actor = world.countries[ix(pol.by)].code;
        ev.id = pol.id;
        auto out = std::back_inserter(ev.detail);
        fmt::format_to(out, "{}", model::to_string(pol.type));
        if (pol.type == model::PolicyType::tariff || pol.type == model::PolicyType::export_fee)
            fmt::format_to(out, " rate={}", pol.rate);
        switch (tr.kind) {
            case policy::Transition::Kind::announced:
                ev.event = EventKind::announced;
                if (pol.from_date) fmt::format_to(out, " from {}", format_date(*pol.from_date));
                break;
            case policy::Transition::Kind::in_force:
                ev.event = EventKind::in_force;
                if (pol.from_date && policies.from_tick(tr.policy) < tick)
                    fmt::format_to(out, " since {}", format_date(*pol.from_date));
                break;
            case policy::Transition::Kind::lapsed:
                ev.event = EventKind::lapsed;
                break;
        }
    }
}

void launch_events(int tick, const World& world, const BehaviourState& behaviour,
                   TickRecord& record) {
    const auto& s = world.scenario;
    for (std::size_t i = 0; i < world.variants.size(); ++i) {
        if (behaviour.launch_tick[i] != tick) continue;
        const auto& v = world.variants[i];
        const auto& off = s.offers[ix(v.offer)];
        const auto& prod = s.products[ix(off.product)];
        EventRecord& ev = record.events.add();
        ev.actor = s.suppliers[ix(off.supplier)].id;
        ev.id = prod.id;
        ev.event = EventKind::launched;
        fmt::format_to(std::back_inserter(ev.detail),
                       "designs around {}: tpp={:.0f} compute={:.4f} price={:.2f}",
                       s.policies[ix(v.control)].id, prod.tpp.value_or(0.0), prod.compute,
                       off.price);
    }
}

}  // namespace

const char* to_string(Rebuild r) {
    switch (r) {
        case Rebuild::none:
            return "none";
        case Rebuild::start:
            return "start of the run";
        case Rebuild::policies:
            return "policies in force or announced changed";
        case Rebuild::schedule:
            return "a scheduled value the tables hold changed";
    }
    return "?";
}

Rebuild phase_policy(int tick, const World& world, const BehaviourState& behaviour,
                     policy::PolicyBook& policies, policy::Legality& legality,
                     std::vector<policy::Transition>& transitions, const BuyerState& buyers,
                     CandidateState& cands, ConstraintState& constraints, TickRecord& record,
                     bool tables_moved) {
    transitions.clear();
    const bool changed = policies.advance(tick, transitions);
    const Rebuild why = tick == 0      ? Rebuild::start
                        : changed      ? Rebuild::policies
                        : tables_moved ? Rebuild::schedule
                                       : Rebuild::none;
    if (why != Rebuild::none) {
        legality.rebuild();
        refresh_candidates(policies, legality, buyers, cands);
    }
    reset_quota_periods(tick, world.scenario, legality, constraints);
    transition_events(tick, world.scenario, policies, transitions, record);
    launch_events(tick, world, behaviour, record);
    return why;
}

}  // namespace ts::engine
