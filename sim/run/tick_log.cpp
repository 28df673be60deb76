#include "run/tick_log.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/date.hpp"
#include "io/doc.hpp"

namespace ts::run {

namespace {

std::string codes(const model::Scenario& s, const std::vector<model::Index>& countries) {
    std::vector<std::string> out;
    for (const auto c : countries) out.push_back(s.countries[static_cast<std::size_t>(c)].code);
    return io::join(out, ", ");
}

/// "CHN, MAC", "group tier3", "all except SGP".
std::string countries(const model::Scenario& s, const model::CountrySelector& sel) {
    std::vector<std::string> parts;
    if (!sel.countries.empty()) parts.push_back(codes(s, sel.countries));
    for (const auto& g : sel.groups) parts.push_back("group " + g);
    std::string out = sel.all || parts.empty() ? "all" : io::join(parts, ", ");
    if (!sel.except.empty()) out += " except " + codes(s, sel.except);
    return out;
}

const char* kind_name(policy::Transition::Kind k) {
    switch (k) {
        case policy::Transition::Kind::announced:
            return "announced";
        case policy::Transition::Kind::in_force:
            return "takes force";
        case policy::Transition::Kind::lapsed:
            return "lapses";
    }
    return "?";
}

}  // namespace

std::string describe_policy(const model::Scenario& s, const model::Policy& p) {
    using T = model::PolicyType;
    std::string out = fmt::format("{} by {}", model::to_string(p.type),
                                  s.countries[static_cast<std::size_t>(p.by)].code);
    switch (p.type) {
        case T::export_control:
        case T::quota:
        case T::remote_access:
            out += " to " + countries(s, p.destinations);
            break;
        case T::tariff:
            out +=
                fmt::format(" of {:g} % on imports from {}", 100 * p.rate, countries(s, p.origins));
            break;
        case T::export_fee:
            out += fmt::format(" of {:g} % to {}", 100 * p.rate, countries(s, p.destinations));
            break;
        case T::import_restriction:
            out += fmt::format(", compliance {:g}", p.compliance);
            if (p.domestic_share)
                out += fmt::format(", lifted at {:g} domestic", *p.domestic_share);
            break;
        case T::enforcement:
            out += fmt::format(
                ", detection +{:g} {}", p.detection,
                p.inspection == model::Inspection::border ? "at its border" : "in hubs");
            break;
    }
    if (p.type == T::quota)
        out += fmt::format(", cap {:g} per {}", p.cap, model::to_string(p.period));
    if (p.licence)
        out += fmt::format(", licence approval {:g} after {} tick(s)", p.licence->approval,
                           p.licence->delay_ticks);
    if (p.buyers) out += ", for listed buyers";
    if (p.type == T::export_control || p.type == T::quota)
        out += p.covers_exports && p.covers_reexports ? ", covers exports and re-exports"
               : p.covers_reexports                   ? ", covers re-exports"
                                                      : ", covers exports";
    return out;
}

void log_policy_tick(const engine::Simulation& sim) {
    const model::Scenario& s = sim.world();
    const int tick = sim.tick() - 1;  // the tick just run
    const std::string when =
        fmt::format("tick {} ({})", tick, format_date(s.time.calendar().date_of(tick)));
    for (const auto& tr : sim.transitions()) {
        const auto& p = s.policies[static_cast<std::size_t>(tr.policy)];
        spdlog::debug("{}: policy {} {}: {}", when, p.id, kind_name(tr.kind),
                      describe_policy(s, p));
    }
    // Reactions triggered and design-around variants launched: the events that schedule the
    // policies and offers of the next ticks.
    for (const auto& ev : sim.tick_record().events)
        if (ev.event == engine::EventKind::triggered || ev.event == engine::EventKind::launched)
            spdlog::debug("{}: {} {} by {}: {}", when, engine::to_string(ev.event), ev.id, ev.actor,
                          ev.detail);
    if (sim.rebuild() != engine::Rebuild::none)
        spdlog::debug("{}: legality tables rebuilt ({}): {} routes, {} candidate routes", when,
                      engine::to_string(sim.rebuild()), sim.legality().routes(),
                      sim.legality().route_choice_count());
}

}  // namespace ts::run
