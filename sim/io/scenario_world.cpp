// The world around the trade: the header (name, description, seed), time, countries, products,
// routes and transport.
#include <algorithm>

#include <fmt/format.h>

#include "io/scenario_build.hpp"
#include "io/scenario_schema.hpp"

namespace ts::io::detail {

using model::Index;
using model::kNone;

namespace {

bool is_folder_name(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.';
    });
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Header and time

void ScenarioBuilder::read_header(const MapReader& top) {
    if (const Doc* name = top.required("name")) {
        if (std::optional<std::string> text = f_.text(*name, "name")) {
            if (text->empty()) {
                f_.error(name->loc, "name", "the scenario name must not be empty");
            } else if (!is_folder_name(*text)) {
                f_.error(
                    name->loc, "name",
                    fmt::format(
                        "the scenario name '{}' names the output folder: use only letters, digits, "
                        "'-', '_' and '.'",
                        *text));
            } else if (*text == "." || *text == "..") {
                f_.error(name->loc, "name",
                         fmt::format("'{}' cannot be used as a scenario name", *text));
            }
            s_.name = *text;
        }
    }
    if (std::optional<std::string> description = top.text("description"))
        s_.description = *description;
    if (const Doc* seed = top.get("seed")) {
        if (std::optional<std::uint64_t> value = f_.unsigned_integer(*seed, "seed"))
            s_.seed = *value;
    }
}

void ScenarioBuilder::read_time(const MapReader& top) {
    const Doc* node = top.required("time");
    if (!node || !f_.expect_map(*node, "time", "a map {start, step, ticks}")) return;
    const MapReader m(f_, *node, "time", schema::kTimeKeys);
    const Doc* start_node = m.required("start");
    std::optional<Date> start = start_node ? f_.date(*start_node, m.path("start")) : std::nullopt;
    std::optional<std::size_t> step = m.choice("step", "time step", schema::kSteps);
    const bool step_ok = step.has_value() || !m.get("step");
    std::optional<std::int64_t> ticks = m.integer("ticks", 1, true);
    if (start) s_.time.start = *start;
    if (step) s_.time.step = *parse_time_step(schema::kSteps[*step]);
    if (start && step_ok && ticks) {
        // Dates are written with four-digit years: the last tick must start by 9999-12-31.
        const Calendar probe(*start, s_.time.step, 1);
        const std::int64_t max_ticks = probe.tick_containing(Date{9999, 12, 31}) + 1;
        if (*ticks > max_ticks) {
            f_.error(m.get("ticks")->loc, m.path("ticks"),
                     fmt::format("{} ticks of one {} from {} would run past the year 9999: at "
                                 "most {} ticks",
                                 *ticks, to_string(s_.time.step), format_date(*start), max_ticks));
            ticks.reset();
        }
    }
    if (ticks) s_.time.ticks = static_cast<int>(*ticks);
    if (start && step_ok && ticks) calendar_ = s_.time.calendar();
    if (const Doc* observed = m.get("observed_until"))
        read_observed_until(*observed, m.path("observed_until"));
}

void ScenarioBuilder::read_observed_until(const Doc& node, const std::string& path) {
    // A month, not a day: the record of monthly statistics ends with a month, and a day would
    // suggest a precision the data do not have.
    constexpr std::string_view what = "a month YYYY-MM (the last observed month)";
    const std::optional<std::string> text = f_.text(node, path, what);
    if (!text) return;
    const std::optional<Date> month = text->size() == 7 ? parse_date(*text) : std::nullopt;
    if (!month) {
        f_.error(node.loc, path, fmt::format("expected {}, got '{}'", what, *text));
        return;
    }
    if (calendar_) {
        // Before the start is allowed (the whole run is projection); after the end is not: the
        // key marks where the record ends inside or before the horizon.
        const Date end = calendar_->date_of(calendar_->ticks());
        if (*month >= end) {
            f_.error(node.loc, path,
                     fmt::format("{} is after the horizon (the last tick starts {}, the run "
                                 "ends before {}): the last observed month must lie inside or "
                                 "before the run",
                                 *text, format_date(calendar_->date_of(calendar_->ticks() - 1)),
                                 format_date(end)));
            return;
        }
    }
    s_.time.observed_until = *month;
}

// ---------------------------------------------------------------------------------------------
// Countries and products

void ScenarioBuilder::read_countries(const MapReader& top) {
    const Doc* list = section(top, "countries", true, "countries");
    if (!list) return;
    s_.countries.resize(list->items.size());
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Doc& item = list->items[i];
        const std::string path = path_item("countries", item_label(item, "countries", i));
        if (!f_.expect_map(item, path, "a country (a map with 'code')")) continue;
        const MapReader m(f_, item, path, schema::kCountryKeys);
        model::Country& c = s_.countries[i];
        if (std::optional<std::string> code = read_id(m, "code", countries_, i, true))
            c.code = *code;
        c.name = m.text("name").value_or(c.code);
        if (const Doc* groups = m.get("groups")) {
            if (auto labels = text_list(*groups, m.path("groups"), "group labels"))
                c.groups = std::move(*labels);
        }
    }
}

void ScenarioBuilder::read_products(const MapReader& top) {
    const Doc* list = section(top, "products", true, "products");
    if (!list) return;
    s_.products.resize(list->items.size());
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Doc& item = list->items[i];
        const std::string path = path_item("products", item_label(item, "products", i));
        if (!f_.expect_map(item, path, "a product (a map with 'id')")) continue;
        const MapReader m(f_, item, path, schema::kProductKeys);
        model::Product& p = s_.products[i];
        p.loc = item.loc;
        if (std::optional<std::string> id = read_id(m, "id", products_, i)) p.id = *id;
        if (std::optional<std::size_t> kind =
                m.choice("kind", "product kind", schema::kProductKinds))
            p.kind = static_cast<model::ProductKind>(*kind);
        p.tpp = m.number("tpp", kNonNegative);
        p.density = m.number("density", kNonNegative);
        p.interconnect = m.number("interconnect", kNonNegative);
        p.compute = p.kind == model::ProductKind::chip ? 1.0 : 0.0;
        if (const Doc* compute = m.get("compute")) {
            if (std::optional<double> value =
                    f_.number(*compute, m.path("compute"), kNonNegative)) {
                p.compute = *value;
                if (*value == 0.0 && p.kind == model::ProductKind::chip) {
                    f_.error(compute->loc, m.path("compute"),
                             "a chip must have compute > 0 (buyers' demand is in compute units)");
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Routes and transport

void ScenarioBuilder::read_routes(const MapReader& top) {
    const Doc* list = section(top, "routes", false, "routes");
    if (!list) return;
    s_.routes.resize(list->items.size());
    std::map<Index, SourceLoc> seen;  // hub -> where first used
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Doc& item = list->items[i];
        const std::string path = path_item("routes", item_label(item, "routes", i));
        if (!f_.expect_map(item, path, "a route (a map with 'via')")) continue;
        const MapReader m(f_, item, path, schema::kRouteKeys);
        model::Route& r = s_.routes[i];
        r.loc = item.loc;
        r.via = ref(m, "via", countries_, true);
        if (r.via != kNone) {
            const SourceLoc& via_loc = item.find("via")->loc;
            if (const auto [it, fresh] = seen.emplace(r.via, via_loc); !fresh) {
                f_.error(
                    via_loc, m.path("via"),
                    fmt::format("duplicate route via '{}' (first defined at {})",
                                s_.countries[as_size(r.via)].code, where(it->second, via_loc)));
            }
        }
        const auto route = static_cast<Index>(i);
        r.markup = scheduled(m, "markup", kNonNegative, {model::ScheduleField::route_markup, route})
                       .value_or(0.0);
        r.delay_ticks = static_cast<int>(m.integer("delay", 0).value_or(1));
        r.capacity =
            scheduled(m, "capacity", kNonNegative, {model::ScheduleField::route_capacity, route})
                .value_or(model::kUnlimited);
        r.detection =
            scheduled(m, "detection", kProbability, {model::ScheduleField::route_detection, route})
                .value_or(0.0);
        r.markup_doubles_at = read_doubles_at(m, "markup_doubles_at", r.markup, "markup");
        r.detection_doubles_at =
            read_doubles_at(m, "detection_doubles_at", r.detection, "detection");
    }
}

double ScenarioBuilder::read_doubles_at(const MapReader& m, std::string_view key, double scaled,
                                        std::string_view what) {
    const std::optional<double> v = m.number(key, kPositive);
    if (!v) return model::kUnlimited;
    // Only a markup or detection left out or written as 0 has nothing to scale; one that was
    // itself rejected has been reported already.
    const Doc* given = m.get(what);
    double written = 0.0;
    const bool zero =
        !given || (given->kind == DocKind::scalar &&
                   parse_number(given->scalar, written) == NumberParse::ok && written == 0.0);
    if (zero && scaled == 0.0) {
        f_.error(m.node().find_entry(key)->key_loc, m.path(key),
                 fmt::format("'{}' makes the {} rise with volume, but the {} here is 0; give a "
                             "positive '{}' or drop '{}'",
                             key, what, what, what, key));
    }
    return *v;
}

void ScenarioBuilder::read_transport(const MapReader& top) {
    const Doc* node = top.get("transport");
    if (!node || !f_.expect_map(*node, "transport", "a map {delay}")) return;
    const MapReader m(f_, *node, "transport", schema::kTransportKeys);
    s_.transport_delay_ticks = static_cast<int>(m.integer("delay", 0).value_or(0));
}

}  // namespace ts::io::detail
