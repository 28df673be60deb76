// Dated schedules of numbers (`capacity: {2022-01: 120000, 2024-07: 300000}`): read where a
// field allows one, validated point by point with the field's own range, dated by the policy
// time rule. See docs/scenario-format.md, "Schedules".
#include <fmt/format.h>

#include "io/scenario_build.hpp"

namespace ts::io::detail {

namespace {

const std::vector<std::string> kInterpolations{"step", "linear"};

/// A map of dates (and `interpolate`) with at least one date: a schedule, wherever it is.
bool is_schedule(const Doc& node) {
    if (!node.is_map() || node.entries.empty()) return false;
    bool dated = false;
    for (const DocEntry& e : node.entries) {
        if (parse_date(e.key))
            dated = true;
        else if (e.key != "interpolate")
            return false;
    }
    return dated;
}

bool has_schedule(const Doc& node) {
    if (is_schedule(node)) return true;
    for (const Doc& item : node.items)
        if (has_schedule(item)) return true;
    for (const DocEntry& e : node.entries)
        if (has_schedule(e.value)) return true;
    return false;
}

void normalise(Doc& node) {
    if (is_schedule(node)) {
        for (DocEntry& e : node.entries)
            if (const std::optional<Date> d = parse_date(e.key)) e.key = format_date(*d);
        return;
    }
    for (Doc& item : node.items) normalise(item);
    for (DocEntry& e : node.entries) normalise(e.value);
}

}  // namespace

std::string emit_resolved(const Doc& root) {
    if (!has_schedule(root)) return emit_yaml(root);
    Doc copy = root;
    normalise(copy);
    return emit_yaml(copy);
}

const char* schedule_fields_hint() {
    return "a dated schedule is allowed for an offer's capacity, unit_cost and "
           "supply_elasticity, an input's units per unit, equipment capacity_per_unit and "
           "depreciation, a buyer's demand, reference_cost, price_elasticity, risk_tolerance, "
           "anticipation and backlog, remote markup and capacity, a route's markup, capacity and "
           "detection, a supplier's pool capacity, and the rate, detection, cap and license "
           "approval of a policy in "
           "'policies'";
}

std::optional<double> ScenarioBuilder::scheduled(const Doc& node, const std::string& path,
                                                 const NumberRule& rule,
                                                 const ScheduleTarget& target) {
    if (!node.is_map()) return f_.number(node, path, rule);
    if (target.object == model::kNone) {
        f_.error(node.loc, path,
                 fmt::format("a dated schedule is not allowed here (a reaction's 'then' takes "
                             "force at a date the run decides); {}",
                             schedule_fields_hint()));
        return std::nullopt;
    }
    model::Schedule sch;
    sch.field = target.field;
    sch.object = target.object;
    sch.item = target.item;
    sch.path = path;
    bool ok = true;
    std::string_view last_key;  // as written, for messages
    for (const DocEntry& e : node.entries) {
        if (e.key == "interpolate") {
            if (std::optional<std::size_t> i =
                    f_.choice(e.value, path_join(path, e.key), "interpolation", kInterpolations))
                sch.interpolate = static_cast<model::Interpolation>(*i);
            else
                ok = false;
            continue;
        }
        const std::optional<Date> date = parse_date(e.key);
        if (!date) {
            f_.error(e.key_loc, path,
                     fmt::format("expected a date (YYYY-MM or YYYY-MM-DD, a real month and day) "
                                 "or 'interpolate' as a key of a schedule, got '{}'",
                                 printable(e.key)));
            ok = false;
            continue;
        }
        const std::optional<double> value = f_.number(e.value, path_join(path, e.key), rule);
        if (!value) {
            ok = false;
            continue;
        }
        model::SchedulePoint point{*date, 0, *value};
        if (calendar_) point.tick = calendar_->nearest_boundary(*date);
        if (!sch.points.empty()) {
            const model::SchedulePoint& last = sch.points.back();
            if (!(last.date < *date)) {
                f_.error(e.key_loc, path,
                         last.date == *date
                             ? fmt::format("date {} is given twice ({} before it is the same "
                                           "date): give each date once",
                                           e.key, last_key)
                             : fmt::format("the dates of a schedule must increase: {} comes "
                                           "after {}; write the points in date order",
                                           e.key, last_key));
                ok = false;
                continue;
            }
            if (calendar_ && last.tick == point.tick) {
                f_.error(e.key_loc, path,
                         fmt::format("{} and {} fall on the same tick boundary (the policy time "
                                     "rule): give at most one value per tick",
                                     last_key, e.key));
                ok = false;
                continue;
            }
        }
        sch.points.push_back(point);
        last_key = e.key;
    }
    if (sch.points.empty()) {
        if (ok)
            f_.error(
                node.loc, path,
                "a schedule needs at least one dated value, e.g. {2024-01: 100, 2025-01: 200}");
        return std::nullopt;
    }
    if (!ok) return std::nullopt;
    const double first = sch.at(0);
    s_.schedules.push_back(std::move(sch));
    return first;
}

std::optional<double> ScenarioBuilder::scheduled(const MapReader& m, std::string_view key,
                                                 const NumberRule& rule,
                                                 const ScheduleTarget& target, bool required) {
    const Doc* value = required ? m.required(key) : m.get(key);
    return value ? scheduled(*value, m.path(key), rule, target) : std::nullopt;
}

}  // namespace ts::io::detail
