#include "analysis/compare.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <set>
#include <tuple>

#include <fmt/format.h>

namespace ts::analysis {

namespace {

constexpr const char* kDiverted = "diverted";

// Display order of the metrics of each scope (also the names --metric accepts).
const std::vector<std::string> kWorldMetrics = {
    "imports_compute", "compute_used",  "share_via_third_countries", "share_diverted",
    "seized_units",    "unmet_compute", "tariff_revenue_usd",        "fee_revenue_usd"};
const std::vector<std::string> kCountryMetrics = {
    "imports_compute",  "compute_used",       "share_via_third_countries",
    "share_diverted",   "seized_units",       "unmet_compute",
    "price_index_mean", "tariff_revenue_usd", "fee_revenue_usd"};
const std::vector<std::string> kRevenueMetrics = {"revenue_usd"};
const std::vector<std::string> kSupplierMetrics = {
    "revenue_usd",    "units",       "compute", "value_usd", "fee_usd", "share_via_third_countries",
    "share_diverted", "seized_units"};

const std::vector<std::string>& scope_metrics(const std::string& scope) {
    if (scope == "world") return kWorldMetrics;
    if (scope == "country") return kCountryMetrics;
    if (scope == "revenue") return kRevenueMetrics;
    if (scope == "supplier") return kSupplierMetrics;
    if (scope == "product") return product_metrics();
    if (scope == "headquarters") return headquarters_metrics();
    return route_metrics();
}

// Rows are grouped by scope; revenue by billing country joins its supplier's group.
int scope_group(const std::string& scope) {
    static const std::vector<std::string> order = {"world",   "country", "supplier",
                                                   "product", "route",   "headquarters"};
    const auto it = std::find(order.begin(), order.end(), scope == "revenue" ? "supplier" : scope);
    return static_cast<int>(it - order.begin());
}

double share(double part, double whole) {
    return whole > 0 ? part / whole : 0.0;
}

/// Appends one series per (scope, key, metric), to be filled run by run.
MetricSeries& add_series(std::vector<MetricSeries>& out, std::string scope, std::string key,
                         const std::string& metric,
                         std::vector<std::pair<char, std::string>> parts) {
    out.push_back(MetricSeries{
        std::move(scope), std::move(key), metric, metric_unit(metric), {}, std::move(parts)});
    return out.back();
}

template <class T>
T& grow(std::vector<T>& v, std::size_t i) {
    if (i >= v.size()) v.resize(i + 1);
    return v[i];
}

}  // namespace

std::string metric_unit(const std::string& metric) {
    if (metric.size() > 4 && metric.compare(metric.size() - 4, 4, "_usd") == 0) return "USD";
    if (metric.rfind("share_", 0) == 0) return "share";
    if (metric == "price_index_mean") return "USD/compute";
    if (metric.find("compute") != std::string::npos) return "compute";
    return "units";
}

const char* to_string(CompareBy by) {
    switch (by) {
        case CompareBy::country:
            return "country";
        case CompareBy::product:
            return "product";
        case CompareBy::supplier:
            return "supplier";
        case CompareBy::route:
            return "route";
        case CompareBy::headquarters:
            return "headquarters";
    }
    return "?";
}

std::optional<CompareBy> parse_compare_by(std::string_view text) {
    for (const auto by : {CompareBy::country, CompareBy::product, CompareBy::supplier,
                          CompareBy::route, CompareBy::headquarters})
        if (text == to_string(by)) return by;
    return std::nullopt;
}

bool Period::contains(std::string_view iso_date) const {
    if (from && iso_date < std::string_view(*from)) return false;
    if (to && iso_date > std::string_view(*to)) return false;
    return true;
}

std::string TimeSpan::describe() const {
    if (ticks == 0) return "no ticks";
    return fmt::format("{} .. {} ({} tick{})", first, last, ticks, ticks == 1 ? "" : "s");
}

std::vector<std::string> metric_names(CompareBy by) {
    std::vector<std::string> out;
    auto add = [&out](const std::vector<std::string>& m) {
        for (const auto& name : m)
            if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    };
    switch (by) {
        case CompareBy::country:
            add(kCountryMetrics);
            add(kRevenueMetrics);
            break;
        case CompareBy::supplier:
            add(kSupplierMetrics);
            break;
        case CompareBy::product:
            add(product_metrics());
            break;
        case CompareBy::route:
            add(route_metrics());
            break;
        case CompareBy::headquarters:
            add(headquarters_metrics());
            break;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// RunTotals

std::size_t RunTotals::Names::id(std::string_view name) {
    const auto it = index.find(name);
    if (it != index.end()) return it->second;
    list.emplace_back(name);
    index.emplace(std::string(name), list.size() - 1);
    return list.size() - 1;
}

RunTotals::RunTotals(Period period) : period_(std::move(period)) {}

RunTotals::RunAcc& RunTotals::run(int r) {
    return runs_[r];
}

void RunTotals::add(const CountryTick& r) {
    RunAcc& acc = run(r.run);
    // A new tick: rows are tick by tick, so the date changes exactly when the tick does.
    const bool new_tick = acc.ticks == 0 || r.date != acc.last_date_seen;
    if (new_tick) {
        ++acc.ticks;
        if (acc.first.empty()) acc.first = std::string(r.date);
        acc.last = std::string(r.date);
        acc.last_date_seen = std::string(r.date);
    }
    const bool before = countries_.index.find(r.country) == countries_.index.end();
    const std::size_t c = countries_.id(r.country);
    if (before) country_names_.emplace_back(r.country);
    if (!period_.contains(r.date)) return;
    if (new_tick) {
        ++acc.ticks_in_period;
        if (acc.first_in_period.empty()) acc.first_in_period = std::string(r.date);
        acc.dates_in_period.emplace_back(r.date);
        acc.last_in_period = std::string(r.date);
    }
    CountryAcc& t = grow(acc.countries, c);
    t.imports_compute += r.imports_compute;
    if (r.compute_used) {
        t.compute_used += *r.compute_used;
        t.has_compute_used = true;
    }
    t.unmet_compute += r.unmet_compute;
    t.seized_units += r.seized_units;
    t.tariff_revenue_usd += r.tariff_revenue_usd;
    t.fee_revenue_usd += r.fee_revenue_usd;
    t.price_index_sum += r.price_index;
    ++t.ticks;
}

void RunTotals::add(const FlowTick& r) {
    if (!period_.contains(r.date)) return;
    RunAcc& acc = run(r.run);
    const bool via = !r.via.empty();
    const bool diverted = r.channel == kDiverted;
    CountryAcc& dest = grow(acc.countries, countries_.id(r.destination));
    dest.flow_compute += r.compute;
    if (via) dest.flow_compute_via += r.compute;
    if (diverted) dest.flow_compute_diverted += r.compute;

    const std::string route = via ? fmt::format("{} > {} > {}", r.origin, r.via, r.destination)
                                  : fmt::format("{} > {}", r.origin, r.destination);
    countries_.id(r.origin);
    if (via) countries_.id(r.via);
    const double seized = r.units > 0 ? r.compute * r.seized_units / r.units : 0.0;
    const std::size_t route_id = routes_.id(route);
    for (FlowAcc* f :
         {&grow(acc.products, products_.id(r.product)),
          &grow(acc.suppliers, suppliers_.id(r.supplier)), &grow(acc.routes, route_id)}) {
        f->units += r.units;
        f->compute += r.compute;
        f->value_usd += r.value_usd;
        f->tariff_usd += r.tariff_usd;
        f->fee_usd += r.fee_usd;
        f->seized_units += r.seized_units;
        if (via) f->compute_via += r.compute;
        if (diverted) f->compute_diverted += r.compute;
        f->seized_compute += seized;
    }
    add_route_arrival(acc, route_id, r, r.compute - seized);
    add_headquarters(acc, r);
}

void RunTotals::add(const RevenueTick& r) {
    if (!period_.contains(r.date)) return;
    RunAcc& acc = run(r.run);
    const std::size_t s = suppliers_.id(r.supplier);
    const std::size_t b = billing_.id(r.billing_country);
    auto& sup = grow(acc.revenue_by_supplier, s);
    sup.revenue_usd += r.revenue_usd;
    sup.units += r.units;
    const auto key = std::make_pair(s, b);
    acc.revenue[key] += r.revenue_usd;
    if (revenue_seen_.emplace(key, true).second) revenue_order_.push_back(key);
}

bool RunTotals::provides(const std::string& scope, const std::string& metric) const {
    if (scope == "revenue" || (scope == "supplier" && metric == "revenue_usd")) return has_revenue_;
    if (scope == "supplier" || scope == "product" || scope == "route" ||
        metric.rfind("share_", 0) == 0)
        return has_flows_;
    if (metric == "compute_used") {
        for (const auto& [r, acc] : runs_)
            for (const auto& c : acc.countries)
                if (c.has_compute_used) return true;
        return false;
    }
    return true;
}

TimeSpan RunTotals::span() const {
    TimeSpan s;
    if (runs_.empty()) return s;
    const RunAcc& a = runs_.begin()->second;
    s.first = a.first;
    s.last = a.last;
    s.ticks = a.ticks;
    return s;
}

std::int64_t RunTotals::ticks_in_period() const {
    return runs_.empty() ? 0 : runs_.begin()->second.ticks_in_period;
}
std::string RunTotals::period_first() const {
    return runs_.empty() ? std::string() : runs_.begin()->second.first_in_period;
}
std::string RunTotals::period_last() const {
    return runs_.empty() ? std::string() : runs_.begin()->second.last_in_period;
}

const std::vector<std::string>& RunTotals::period_dates() const {
    static const std::vector<std::string> none;
    return runs_.empty() ? none : runs_.begin()->second.dates_in_period;
}

std::vector<int> RunTotals::runs() const {
    std::vector<int> out;
    for (const auto& [r, acc] : runs_) out.push_back(r);
    return out;
}

double RunTotals::flow_value(const FlowAcc& f, const std::string& m) {
    if (m == "units") return f.units;
    if (m == "compute") return f.compute;
    if (m == "value_usd") return f.value_usd;
    if (m == "tariff_usd") return f.tariff_usd;
    if (m == "fee_usd") return f.fee_usd;
    if (m == "seized_units") return f.seized_units;
    if (m == "seized_compute") return f.seized_compute;
    if (m == "share_via_third_countries") return share(f.compute_via, f.compute);
    if (m == "share_diverted") return share(f.compute_diverted, f.compute);
    return std::numeric_limits<double>::quiet_NaN();
}

double RunTotals::country_value(const CountryAcc& c, const std::string& m) {
    if (m == "imports_compute") return c.imports_compute;
    if (m == "compute_used") return c.compute_used;
    if (m == "share_via_third_countries") return share(c.flow_compute_via, c.flow_compute);
    if (m == "share_diverted") return share(c.flow_compute_diverted, c.flow_compute);
    if (m == "seized_units") return c.seized_units;
    if (m == "unmet_compute") return c.unmet_compute;
    if (m == "price_index_mean")
        return c.ticks > 0 ? c.price_index_sum / static_cast<double>(c.ticks) : 0.0;
    if (m == "tariff_revenue_usd") return c.tariff_revenue_usd;
    if (m == "fee_revenue_usd") return c.fee_revenue_usd;
    return std::numeric_limits<double>::quiet_NaN();
}

RunTotals::CountryAcc RunTotals::world_sum(const RunAcc& acc) {
    CountryAcc sum;
    for (const auto& c : acc.countries) {
        sum.imports_compute += c.imports_compute;
        sum.compute_used += c.compute_used;
        sum.flow_compute += c.flow_compute;
        sum.flow_compute_via += c.flow_compute_via;
        sum.flow_compute_diverted += c.flow_compute_diverted;
        sum.seized_units += c.seized_units;
        sum.unmet_compute += c.unmet_compute;
        sum.tariff_revenue_usd += c.tariff_revenue_usd;
        sum.fee_revenue_usd += c.fee_revenue_usd;
    }
    return sum;
}

void RunTotals::country_view(std::vector<MetricSeries>& out) const {
    // world, then each country of countries.csv, then revenue by supplier and billing country.
    bool any_compute_used = false;
    for (const auto& [r, acc] : runs_)
        for (const auto& c : acc.countries) any_compute_used |= c.has_compute_used;
    auto wanted = [&](const std::string& m) {
        if (m == "compute_used" && !any_compute_used) return false;
        if (m.rfind("share_", 0) == 0 && !has_flows_) return false;
        return true;
    };
    for (const auto& m : kWorldMetrics) {
        if (!wanted(m)) continue;
        auto& s = add_series(out, "world", "all", m, {});
        for (const auto& [r, acc] : runs_) s.runs[r] = country_value(world_sum(acc), m);
    }
    for (const auto& name : country_names_) {
        const std::size_t c = countries_.index.find(name)->second;
        for (const auto& m : kCountryMetrics) {
            if (!wanted(m)) continue;
            auto& s = add_series(out, "country", name, m, {{'c', name}});
            for (const auto& [r, acc] : runs_)
                s.runs[r] = c < acc.countries.size() ? country_value(acc.countries[c], m) : 0.0;
        }
    }
    revenue_view(out);
}

void RunTotals::supplier_view(std::vector<MetricSeries>& out) const {
    for (std::size_t i = 0; i < suppliers_.list.size(); ++i) {
        const auto& name = suppliers_.list[i];
        for (const auto& m : kSupplierMetrics) {
            const bool from_revenue = m == "revenue_usd";
            if (from_revenue ? !has_revenue_ : !has_flows_) continue;
            auto& s = add_series(out, "supplier", name, m, {{'s', name}});
            for (const auto& [r, acc] : runs_) {
                if (from_revenue)
                    s.runs[r] = i < acc.revenue_by_supplier.size()
                                    ? acc.revenue_by_supplier[i].revenue_usd
                                    : 0.0;
                else
                    s.runs[r] = i < acc.suppliers.size() ? flow_value(acc.suppliers[i], m)
                                                         : flow_value(FlowAcc{}, m);
            }
        }
    }
    revenue_view(out);
}

void RunTotals::revenue_view(std::vector<MetricSeries>& out) const {
    if (!has_revenue_) return;
    for (const auto& key : revenue_order_) {
        const auto& sup = suppliers_.list[key.first];
        const auto& bill = billing_.list[key.second];
        auto& s =
            add_series(out, "revenue", sup + "/" + bill, "revenue_usd", {{'s', sup}, {'c', bill}});
        for (const auto& [r, acc] : runs_) {
            const auto it = acc.revenue.find(key);
            s.runs[r] = it == acc.revenue.end() ? 0.0 : it->second;
        }
    }
}

std::vector<MetricSeries> RunTotals::metrics(CompareBy by) const {
    std::vector<MetricSeries> out;
    switch (by) {
        case CompareBy::country:
            country_view(out);
            break;
        case CompareBy::supplier:
            supplier_view(out);
            break;
        case CompareBy::product:
        case CompareBy::route:
            flow_view(by == CompareBy::product, out);
            break;
        case CompareBy::headquarters:
            headquarters_view(out);
            break;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Comparing

std::vector<std::string> comparability_problems(const std::vector<ScenarioRuns>& scenarios) {
    std::vector<std::string> problems;
    if (scenarios.empty()) return problems;
    const ScenarioRuns& base = scenarios.front();
    const auto name = [](const ScenarioRuns& s) {
        return fmt::format("'{}' ({})", s.folder, s.label);
    };
    const std::set<std::string> base_countries(base.totals->countries().begin(),
                                               base.totals->countries().end());
    const TimeSpan base_span = base.totals->span();
    for (std::size_t i = 1; i < scenarios.size(); ++i) {
        const ScenarioRuns& s = scenarios[i];
        const std::set<std::string> countries(s.totals->countries().begin(),
                                              s.totals->countries().end());
        if (countries != base_countries) {
            std::vector<std::string> only_base, only_this;
            std::set_difference(base_countries.begin(), base_countries.end(), countries.begin(),
                                countries.end(), std::back_inserter(only_base));
            std::set_difference(countries.begin(), countries.end(), base_countries.begin(),
                                base_countries.end(), std::back_inserter(only_this));
            std::string what;
            if (!only_base.empty())
                what += fmt::format("only in {}: {}", name(base), fmt::join(only_base, ", "));
            if (!only_this.empty())
                what += fmt::format("{}only in {}: {}", what.empty() ? "" : "; ", name(s),
                                    fmt::join(only_this, ", "));
            problems.push_back(fmt::format("{} and the baseline {} have different countries ({})",
                                           name(s), name(base), what));
        }
        const TimeSpan span = s.totals->span();
        if (span != base_span)
            problems.push_back(
                fmt::format("{} and the baseline {} cover different time spans: {} vs {}", name(s),
                            name(base), span.describe(), base_span.describe()));
    }
    return problems;
}

namespace {

using RowId = std::tuple<std::string, std::string, std::string>;  // scope, key, metric

/// Rank of each country (the baseline's order), supplier and product (first appearance).
struct PartRanks {
    std::map<std::string, int> country, supplier, product;
    std::map<std::string, int>& of(char kind) {
        return kind == 's' ? supplier : kind == 'p' ? product : country;
    }
    const std::map<std::string, int>& of(char kind) const {
        return kind == 's' ? supplier : kind == 'p' ? product : country;
    }
};

/// Row identities of every scenario's series, each with the first series seen under it.
struct RowOrder {
    std::vector<RowId> ids;
    std::map<RowId, const MetricSeries*> first;
};

/// {group, first part, scope within the group, other parts, metric}: a supplier's totals come
/// before its revenue by billing country.
std::vector<int> row_rank(const MetricSeries& m, const PartRanks& ranks) {
    std::vector<int> r{scope_group(m.scope)};
    for (std::size_t i = 0; i < m.parts.size(); ++i) {
        const auto& [kind, part] = m.parts[i];
        r.push_back(part.empty() ? -1  // a route without a hub comes first
                                 : ranks.of(kind).at(part));
        if (i == 0) r.push_back(m.scope == "revenue" ? 1 : 0);
    }
    const auto& names = scope_metrics(m.scope);
    r.push_back(static_cast<int>(std::find(names.begin(), names.end(), m.metric) - names.begin()));
    return r;
}

/// Row identities, in a common order: scope; then the key's parts (countries in the
/// baseline's order, suppliers and products in order of first appearance); then the metric.
RowOrder order_rows(const std::vector<std::vector<MetricSeries>>& series, const RunTotals& base) {
    PartRanks ranks;
    for (const auto& c : base.countries())
        ranks.country.emplace(c, static_cast<int>(ranks.country.size()));
    RowOrder order;
    for (const auto& list : series)
        for (const auto& m : list) {
            for (const auto& [kind, part] : m.parts) {
                auto& of = ranks.of(kind);
                of.emplace(part, static_cast<int>(of.size()));
            }
            RowId id{m.scope, m.key, m.metric};
            if (order.first.emplace(id, &m).second) order.ids.push_back(id);
        }
    std::stable_sort(order.ids.begin(), order.ids.end(), [&](const RowId& a, const RowId& b) {
        return row_rank(*order.first.at(a), ranks) < row_rank(*order.first.at(b), ranks);
    });
    return order;
}

/// Pairing: the run indices each scenario shares with the baseline, and whether the seeds
/// allow common random numbers.
void add_pairing_warnings(const std::vector<ScenarioRuns>& scenarios, CompareResult& res) {
    const ScenarioRuns& base = scenarios.front();
    const std::vector<int> base_runs = base.totals->runs();
    for (std::size_t i = 1; i < scenarios.size(); ++i) {
        const auto runs = scenarios[i].totals->runs();
        std::vector<int> common;
        std::set_intersection(base_runs.begin(), base_runs.end(), runs.begin(), runs.end(),
                              std::back_inserter(common));
        if (common.size() != runs.size() || common.size() != base_runs.size())
            res.warnings.push_back(fmt::format(
                "'{}' has {} run(s) and the baseline '{}' {}: differences are paired over the {} "
                "run "
                "index(es) they share",
                scenarios[i].label, runs.size(), base.label, base_runs.size(), common.size()));
        if (res.ensemble && base.seed && scenarios[i].seed && *base.seed != *scenarios[i].seed)
            res.warnings.push_back(
                fmt::format("'{}' ran with seed {} and the baseline '{}' with seed {}: paired "
                            "differences assume "
                            "common random numbers (the same seeds)",
                            scenarios[i].label, *scenarios[i].seed, base.label, *base.seed));
    }
}

/// Each scenario's series of the row (none when it has no such row). A total a scenario has
/// no row for (a route it does not use, a billing country it does not sell to) is 0 in every
/// run, as long as it has the file the metric comes from: those zero series go into `zeros`.
std::vector<const MetricSeries*> row_series(const std::vector<std::vector<MetricSeries>>& series,
                                            const std::vector<ScenarioRuns>& scenarios,
                                            const CompareRow& row,
                                            std::vector<MetricSeries>& zeros) {
    std::vector<const MetricSeries*> found;
    for (const auto& list : series) {
        const MetricSeries* hit = nullptr;
        for (const auto& m : list)
            if (m.metric == row.metric && m.key == row.key && m.scope == row.scope) {
                hit = &m;
                break;
            }
        found.push_back(hit);
    }
    zeros.assign(found.size(), MetricSeries{});
    for (std::size_t i = 0; i < found.size(); ++i) {
        if (found[i] || !scenarios[i].totals->provides(row.scope, row.metric)) continue;
        for (const int r : scenarios[i].totals->runs()) zeros[i].runs[r] = 0.0;
        found[i] = &zeros[i];
    }
    return found;
}

/// One scenario's cell: its values over its runs and the paired difference against the
/// baseline `b` (the same run index in both).
CompareCell compare_cell(const MetricSeries* m, const MetricSeries* b) {
    CompareCell cell;
    if (!m) return cell;
    cell.present = true;
    std::vector<double> values;
    for (const auto& [r, v] : m->runs) values.push_back(v);
    cell.value = interval_of(values);
    std::vector<double> diffs, paired_base;
    if (b)
        for (const auto& [r, v] : m->runs) {
            const auto it = b->runs.find(r);
            if (it == b->runs.end()) continue;
            diffs.push_back(v - it->second);
            paired_base.push_back(it->second);
        }
    cell.diff = interval_of(diffs);
    if (!diffs.empty()) {
        const double bm = interval_of(paired_base).mean;
        if (std::isfinite(bm) && std::abs(bm) > 1e-12 && std::isfinite(cell.diff.mean))
            cell.diff_pct = cell.diff.mean / std::abs(bm) * 100.0;
    }
    return cell;
}

}  // namespace

CompareResult compare_runs(const std::vector<ScenarioRuns>& scenarios,
                           const CompareOptions& options) {
    CompareResult res;
    res.by = options.by;
    if (scenarios.empty()) return res;
    const ScenarioRuns& base = scenarios.front();
    res.span = base.totals->span();
    res.period_first = base.totals->period_first();
    res.period_last = base.totals->period_last();
    res.period_ticks = base.totals->ticks_in_period();

    std::vector<std::vector<MetricSeries>> series;
    for (const auto& s : scenarios) {
        res.labels.push_back(s.label);
        res.folders.push_back(s.folder);
        res.runs.push_back(static_cast<int>(s.totals->runs().size()));
        res.random_parts.push_back(s.random_parts);
        res.identical_runs.push_back(true);
        res.ensemble |= s.totals->runs().size() > 1;
        res.projection.push_back(projection_of(s));
        series.push_back(s.totals->metrics(options.by));
    }
    const RowOrder order = order_rows(series, *base.totals);
    add_pairing_warnings(scenarios, res);

    const auto wanted = [&options](const std::string& metric) {
        return options.metrics.empty() || std::find(options.metrics.begin(), options.metrics.end(),
                                                    metric) != options.metrics.end();
    };
    std::vector<MetricSeries> zeros;
    for (const RowId& id : order.ids) {
        if (!wanted(std::get<2>(id))) continue;
        CompareRow row;
        row.scope = std::get<0>(id);
        row.key = std::get<1>(id);
        row.metric = std::get<2>(id);
        row.unit = order.first.at(id)->unit;
        const auto found = row_series(series, scenarios, row, zeros);
        bool all_zero = true;
        for (const auto* m : found)
            if (m)
                for (const auto& [r, v] : m->runs) all_zero &= v == 0.0;
        if (all_zero && !options.keep_zero_rows) {
            ++res.zero_rows_left_out;
            continue;
        }
        for (const auto* m : found) row.cells.push_back(compare_cell(m, found.front()));
        for (std::size_t i = 0; i < row.cells.size(); ++i)
            if (row.cells[i].value.p05 != row.cells[i].value.p95) res.identical_runs[i] = false;
        res.rows.push_back(std::move(row));
    }
    return res;
}

std::optional<std::string> retired_metric(std::string_view name) {
    if (name != "compute_imported" && name != "compute_delivered") return std::nullopt;
    return fmt::format(
        "'{}' is now 'imports_compute' (one name for compute arriving at a country's buyers, as "
        "in countries.csv)",
        name);
}

}  // namespace ts::analysis
