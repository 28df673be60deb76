#include "io/targets_reader.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "analysis/compare.hpp"
#include "core/date.hpp"
#include "io/doc.hpp"
#include "io/scenario_fields.hpp"

namespace ts::io {

namespace {

using analysis::Target;
using analysis::TargetSet;
using detail::Fields;
using detail::MapReader;

const std::vector<std::string> kTopKeys = {"fiscal_year_start", "targets"};
const std::vector<std::string> kTargetKeys = {
    "id",      "metric", "period",      "fiscal_year_start", "observed", "sd",      "band",
    "source",  "weight", "holdout",     "country",           "supplier", "product", "billing",
    "channel", "route",  "headquarters"};
const std::vector<std::string> kRangeKeys = {"from", "to"};

std::string trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return std::string(s);
}

class TargetsBuilder {
  public:
    TargetsBuilder(Diagnostics& diags, TargetSet& out) : fields_(diags), out_(out) {}

    void build(const Doc& root) {
        if (!fields_.expect_map(root, "", "a map with a 'targets' list")) return;
        MapReader top(fields_, root, "", kTopKeys);
        if (auto fy = top.integer("fiscal_year_start", 1))
            fiscal_start_ = month(*fy, root, "fiscal_year_start");
        const Doc* list = top.required("targets");
        if (!list || !fields_.expect_sequence(*list, "targets", "a list of targets")) return;
        if (list->items.empty())
            fields_.error(list->loc, "targets", "the list is empty (expected at least one target)");
        for (std::size_t i = 0; i < list->items.size(); ++i) read_target(list->items[i], i);
    }

  private:
    /// A fiscal_year_start of `at` (a month), or nullopt after reporting it.
    std::optional<int> month(std::int64_t v, const Doc& at, const std::string& path) {
        if (v <= 12) return static_cast<int>(v);
        fields_.error(at.find("fiscal_year_start")->loc, path,
                      fmt::format("expected a month 1-12, found {}", v));
        return std::nullopt;
    }

    void read_target(const Doc& item, std::size_t index) {
        std::string path = path_item("targets", item_label(item, "targets", index));
        if (!fields_.expect_map(item, path, "a target (a map with id, metric, period, ...)"))
            return;
        MapReader m(fields_, item, path, kTargetKeys);
        Target t;
        t.loc = item.loc;
        const std::size_t errors = fields_.error_count();
        if (auto id = m.text("id", true)) {
            t.id = *id;
            if (!ids_.insert(t.id).second)
                fields_.error(m.get("id")->loc, m.path("id"),
                              fmt::format("duplicate target id '{}'", t.id));
        }
        read_keys(m, t);
        if (auto metric = m.text("metric", true)) read_metric(m, *metric, t);
        read_period(m, t);
        read_observed(m, t);
        if (auto src = m.text("source", true)) {
            t.source_text = *src;
            if (trim(*src).empty())
                fields_.error(m.get("source")->loc, m.path("source"),
                              "expected text saying where the observed value comes from");
        }
        if (auto w = m.number("weight", detail::kPositive)) t.weight = *w;
        if (auto h = m.boolean("holdout")) t.holdout = *h;
        if (fields_.error_count() == errors) out_.targets.push_back(std::move(t));
    }

    void read_keys(const MapReader& m, Target& t) {
        const auto key = [&](const char* name, std::string& into) {
            if (auto v = m.text(name)) into = *v;
        };
        key("country", t.keys.country);
        key("supplier", t.keys.supplier);
        key("product", t.keys.product);
        key("billing", t.keys.billing);
        key("headquarters", t.keys.headquarters);
        if (auto c = m.choice("channel", "channel", analysis::channel_names()))
            t.keys.channel = analysis::channel_names()[*c];
        if (auto route = m.text("route")) {
            std::vector<std::string> parts;
            std::size_t start = 0;
            while (true) {
                const auto pos = route->find('>', start);
                parts.push_back(trim(std::string_view(*route).substr(
                    start, pos == std::string::npos ? std::string::npos : pos - start)));
                if (pos == std::string::npos) break;
                start = pos + 1;
            }
            const bool empty_part =
                std::any_of(parts.begin(), parts.end(), [](const auto& p) { return p.empty(); });
            if ((parts.size() != 2 && parts.size() != 3) || empty_part) {
                fields_.error(m.get("route")->loc, m.path("route"),
                              fmt::format("'{}' is not a route (expected ORIGIN > HUB > DEST or "
                                          "ORIGIN > DEST, e.g. 'TWN > SGP > CHN')",
                                          printable(*route)));
                return;
            }
            t.keys.has_route = true;
            t.keys.origin = parts.front();
            t.keys.destination = parts.back();
            if (parts.size() == 3) t.keys.via = parts[1];
        }
    }

    void read_metric(const MapReader& m, const std::string& metric, Target& t) {
        const auto& names = analysis::target_metric_names();
        const Doc& at = *m.get("metric");
        if (const auto retired = analysis::retired_metric(metric)) {
            fields_.error(at.loc, m.path("metric"), *retired);
            return;
        }
        if (std::find(names.begin(), names.end(), metric) == names.end()) {
            fields_.error(at.loc, m.path("metric"),
                          fmt::format("unknown metric '{}'{} (expected one of: {})",
                                      printable(metric), did_you_mean(metric, names), join(names)));
            return;
        }
        t.metric = metric;
        std::string why;
        if (auto source = analysis::target_source(metric, t.keys, why))
            t.source = *source;
        else
            fields_.error(at.loc, m.path("metric"), why);
    }

    void read_period(const MapReader& m, Target& t) {
        std::optional<int> fiscal = fiscal_start_;
        const std::size_t errors = fields_.error_count();
        if (auto fy = m.integer("fiscal_year_start", 1))
            fiscal = month(*fy, m.node(), m.path("fiscal_year_start"));
        const Doc* p = m.required("period");
        // A bad fiscal_year_start is reported once, not again as a period without one.
        if (!p || fields_.error_count() > errors) return;
        const std::string path = m.path("period");
        if (p->is_map()) {
            MapReader range(fields_, *p, path, kRangeKeys);
            const Doc* from = range.required("from");
            const Doc* to = range.required("to");
            if (!from || !to) return;
            const auto a = fields_.date(*from, range.path("from"));
            const auto b = fields_.date(*to, range.path("to"));
            if (!a || !b) return;
            Date last = *b;
            // "to: 2024-06" is the whole of June.
            if (to->scalar.size() == 7) last.day = days_in_month(last.year, last.month);
            if (last < *a) {
                fields_.error(to->loc, range.path("to"),
                              fmt::format("'to' ({}) is before 'from' ({})", format_date(last),
                                          format_date(*a)));
                return;
            }
            t.first = format_date(*a);
            t.last = format_date(last);
            t.period = fmt::format("{}..{}", from->scalar, to->scalar);
            return;
        }
        const auto text = fields_.text(*p, path, "a period");
        if (!text) return;
        std::string why;
        if (auto range = analysis::parse_period(*text, fiscal, why)) {
            t.first = range->first;
            t.last = range->last;
            t.period = *text;
        } else {
            fields_.error(p->loc, path, why);
        }
    }

    void read_observed(const MapReader& m, Target& t) {
        const auto observed = m.number("observed", detail::kAnyNumber, true);
        if (observed) t.observed = *observed;
        const Doc* sd = m.get("sd");
        const Doc* band = m.get("band");
        if ((sd == nullptr) == (band == nullptr)) {
            fields_.error(sd ? sd->loc : m.node().loc, m.path(sd ? "sd" : "observed"),
                          sd ? "give either sd or band, not both"
                             : "missing its uncertainty: give sd: (a standard deviation) or "
                               "band: [lo, hi] (a 90 % interval)");
            return;
        }
        if (sd) {
            if (auto v = m.number("sd", detail::kPositive)) t.sd = *v;
            return;
        }
        const std::string path = m.path("band");
        if (!fields_.expect_sequence(*band, path, "a band [lo, hi]")) return;
        if (band->items.size() != 2) {
            fields_.error(
                band->loc, path,
                fmt::format("expected two numbers [lo, hi], found {}", band->items.size()));
            return;
        }
        const auto lo = fields_.number(band->items[0], path_item(path, "0"));
        const auto hi = fields_.number(band->items[1], path_item(path, "1"));
        if (!lo || !hi || !observed) return;
        if (!(*lo < *observed && *observed < *hi)) {
            fields_.error(band->loc, path,
                          fmt::format("expected lo < observed < hi, found [{}, {}] around {}",
                                      band->items[0].scalar, band->items[1].scalar,
                                      m.get("observed")->scalar));
            return;
        }
        t.band = std::make_pair(*lo, *hi);
    }

    Fields fields_;
    TargetSet& out_;
    std::optional<int> fiscal_start_;
    std::set<std::string> ids_;
};

TargetSet finish(std::optional<Doc> doc, Diagnostics& diags, const std::string& path) {
    if (!doc) {
        diags.throw_if_errors();
        throw InputError("cannot load targets file '" + path + "'");
    }
    TargetSet out;
    out.file = path;
    TargetsBuilder(diags, out).build(*doc);
    diags.throw_if_errors();
    return out;
}

}  // namespace

TargetSet load_targets(const std::string& path) {
    Diagnostics diags;
    std::optional<Doc> doc = load_doc(path, diags);
    return finish(std::move(doc), diags, path);
}

TargetSet load_targets_text(std::string_view yaml, const std::string& pseudo_path) {
    Diagnostics diags;
    std::optional<Doc> doc = load_doc_text(yaml, pseudo_path, diags);
    return finish(std::move(doc), diags, pseudo_path);
}

}  // namespace ts::io
