#include "analysis/targets.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "core/date.hpp"

namespace ts::analysis {

namespace {

// Metrics read from countries.csv when a target names no key other than `country`.
const std::vector<std::string> kCountryMetrics = {
    "imports_compute",    "compute_used",    "unmet_compute", "price_index_mean",
    "tariff_revenue_usd", "fee_revenue_usd", "seized_units"};
// Metrics summed (or shared) over flows.csv.
const std::vector<std::string> kFlowMetrics = {
    "units",   "compute",      "value_usd",      "tariff_usd",
    "fee_usd", "seized_units", "share_diverted", "share_via_third_countries"};

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

bool has_flow_key(const TargetKeys& k) {
    return !k.supplier.empty() || !k.product.empty() || !k.channel.empty() ||
           !k.headquarters.empty() || k.has_route;
}

bool in_period(const Target& t, std::string_view date) {
    return date >= t.first && date <= t.last;
}

}  // namespace

/// What a target sums from a row, resolved once from its metric name (rows are many).
enum class TargetAccumulator::Measure {
    imports_compute,
    compute_used,
    unmet_compute,
    price_index,
    tariff_revenue_usd,
    fee_revenue_usd,
    seized_units,
    units,
    compute,
    value_usd,
    tariff_usd,
    fee_usd,
    compute_diverted,
    compute_via,
    revenue_usd
};

namespace {

using Measure = TargetAccumulator::Measure;

Measure measure_of(const Target& t) {
    static const std::vector<std::pair<std::string, Measure>> countries = {
        {"imports_compute", Measure::imports_compute},
        {"compute_used", Measure::compute_used},
        {"unmet_compute", Measure::unmet_compute},
        {"price_index_mean", Measure::price_index},
        {"tariff_revenue_usd", Measure::tariff_revenue_usd},
        {"fee_revenue_usd", Measure::fee_revenue_usd},
        {"seized_units", Measure::seized_units}};
    static const std::vector<std::pair<std::string, Measure>> flows = {
        {"units", Measure::units},
        {"value_usd", Measure::value_usd},
        {"tariff_usd", Measure::tariff_usd},
        {"fee_usd", Measure::fee_usd},
        {"seized_units", Measure::seized_units},
        {"share_diverted", Measure::compute_diverted},
        {"share_via_third_countries", Measure::compute_via}};
    if (t.source == TargetSource::revenue) return Measure::revenue_usd;
    for (const auto& [name, m] : t.source == TargetSource::countries ? countries : flows)
        if (name == t.metric) return m;
    return Measure::compute;
}

double country_value(Measure m, const CountryTick& r) {
    switch (m) {
        case Measure::imports_compute:
            return r.imports_compute;
        case Measure::compute_used:
            return r.compute_used.value_or(0.0);
        case Measure::unmet_compute:
            return r.unmet_compute;
        case Measure::price_index:
            return r.price_index;
        case Measure::tariff_revenue_usd:
            return r.tariff_revenue_usd;
        case Measure::fee_revenue_usd:
            return r.fee_revenue_usd;
        default:
            return r.seized_units;
    }
}

double flow_value(Measure m, const FlowTick& r) {
    switch (m) {
        case Measure::units:
            return r.units;
        case Measure::value_usd:
            return r.value_usd;
        case Measure::tariff_usd:
            return r.tariff_usd;
        case Measure::fee_usd:
            return r.fee_usd;
        case Measure::seized_units:
            return r.seized_units;
        case Measure::compute_diverted:
            return r.channel == "diverted" ? r.compute : 0.0;
        case Measure::compute_via:
            return r.via.empty() ? 0.0 : r.compute;
        default:
            return r.compute;
    }
}

Date parse_iso(const std::string& iso) {
    return parse_date(iso).value_or(Date{});
}

std::string day_before(const Date& d) {
    return format_date(civil_from_days(days_from_civil(d) - 1));
}

/// The first day of month `month` (may be outside 1..12) of `year`.
Date month_start(int year, int month) {
    const int m0 = year * 12 + (month - 1);
    return Date{m0 / 12, m0 % 12 + 1, 1};
}

/// [first day of `start`, last day before start + months].
DayRange months_from(Date start, int months) {
    const Date end = month_start(start.year, start.month + months);
    return DayRange{format_date(start), day_before(end)};
}

bool parse_int(std::string_view text, int& out) {
    if (text.empty()) return false;
    const auto [p, e] = std::from_chars(text.data(), text.data() + text.size(), out);
    return e == std::errc() && p == text.data() + text.size();
}

}  // namespace

const std::vector<std::string>& channel_names() {
    static const std::vector<std::string> names = {"direct", "licensed", "transshipped", "diverted",
                                                   "remote"};
    return names;
}

const std::vector<std::string>& target_metric_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (CompareBy by : {CompareBy::country, CompareBy::supplier, CompareBy::product,
                             CompareBy::route, CompareBy::headquarters})
            for (const auto& m : metric_names(by))
                // The headquarters view's own metrics need its attribution of remote compute;
                // a target writes them as compute with headquarters: (and channel: remote). The
                // route view's seized and in-transit compute (the arrivals of its shipments)
                // are compare's only.
                if (!contains(out, m) && m != "compute_abroad" && m != "compute_remote" &&
                    m != "seized_compute" && m != "in_transit_compute")
                    out.push_back(m);
        return out;
    }();
    return names;
}

std::optional<TargetSource> target_source(const std::string& metric, const TargetKeys& keys,
                                          std::string& why) {
    const bool flow_keys = has_flow_key(keys);
    if (metric == "revenue_usd") {
        if (flow_keys && (!keys.product.empty() || !keys.channel.empty() ||
                          !keys.headquarters.empty() || keys.has_route)) {
            why = "revenue_usd (revenue.csv) is by supplier and billing country only";
            return std::nullopt;
        }
        if (!keys.country.empty()) {
            why = "revenue_usd is by billing country: write billing: instead of country:";
            return std::nullopt;
        }
        return TargetSource::revenue;
    }
    if (!keys.billing.empty()) {
        why = "billing: applies to revenue_usd only";
        return std::nullopt;
    }
    if (contains(kCountryMetrics, metric) && !flow_keys) {
        if (metric == "price_index_mean" && keys.country.empty()) {
            why = "price_index_mean is a country's (add country:)";
            return std::nullopt;
        }
        return TargetSource::countries;
    }
    if (contains(kFlowMetrics, metric)) return TargetSource::flows;
    why = fmt::format(
        "{} (countries.csv) takes only country:; for flows by supplier, product, channel, route "
        "or headquarters use one of: {}",
        metric, fmt::join(kFlowMetrics, ", "));
    return std::nullopt;
}

std::string Target::scope_text() const {
    std::vector<std::string> parts;
    const auto add = [&](const char* name, const std::string& v) {
        if (!v.empty()) parts.push_back(fmt::format("{} {}", name, v));
    };
    add("country", keys.country);
    add("supplier", keys.supplier);
    add("product", keys.product);
    add("billing", keys.billing);
    add("channel", keys.channel);
    add("hq", keys.headquarters);
    if (keys.has_route)
        parts.push_back(
            keys.via.empty()
                ? fmt::format("route {} > {}", keys.origin, keys.destination)
                : fmt::format("route {} > {} > {}", keys.origin, keys.via, keys.destination));
    if (parts.empty()) return "world";
    return fmt::format("{}", fmt::join(parts, ", "));
}

std::optional<DayRange> parse_period(std::string_view text, std::optional<int> fiscal_start,
                                     std::string& why) {
    const bool fiscal = text.size() > 2 && text.substr(0, 2) == "FY";
    std::string_view rest = fiscal ? text.substr(2) : text;
    // A part of the year: quarter Qn (3 months) or half Hn (6 months).
    int part = 0, months = 12;
    if (const auto q = rest.find_first_of("QH"); q != std::string_view::npos) {
        const bool half = rest[q] == 'H';
        months = half ? 6 : 3;
        if (!parse_int(rest.substr(q + 1), part) || part < 1 || part > 12 / months) {
            why = fmt::format("'{}': the {} must be {}", text, half ? "half" : "quarter",
                              half ? "H1 or H2" : "Q1..Q4");
            return std::nullopt;
        }
        rest = rest.substr(0, q);
    }
    int year = 0;
    if (rest.size() != 4 || !parse_int(rest, year) || year < 1000) {
        why = fmt::format(
            "'{}' is not a period (expected a year 2024, a half 2024H1, a quarter 2024Q3, a "
            "fiscal year FY2025 (or its FY2025H1, FY2025Q1), or a range {{from: 2024-01, to: "
            "2024-06}})",
            text);
        return std::nullopt;
    }
    int start_month = 1;
    if (fiscal) {
        if (!fiscal_start) {
            why = fmt::format(
                "'{}' is a fiscal period, but no fiscal_year_start (month 1-12) is given, "
                "neither for the file nor for the target",
                text);
            return std::nullopt;
        }
        start_month = *fiscal_start;
    }
    // The fiscal year is named after the calendar year it ends in.
    Date start = start_month == 1 ? Date{year, 1, 1} : month_start(year - 1, start_month);
    if (part > 0) start = month_start(start.year, start.month + months * (part - 1));
    return months_from(start, months);
}

// --- TargetAccumulator ---------------------------------------------------------------------

TargetAccumulator::TargetAccumulator(const TargetSet& targets) : targets_(&targets) {
    for (std::size_t i = 0; i < targets.targets.size(); ++i) {
        by_source_[static_cast<int>(targets.targets[i].source)].push_back(i);
        measures_.push_back(measure_of(targets.targets[i]));
    }
}

const std::vector<std::size_t>& TargetAccumulator::active(TargetSource source,
                                                          std::string_view date) {
    const int s = static_cast<int>(source);
    // Rows come tick by tick: the targets whose period holds the date change only with it.
    if (active_date_[s] != date) {
        active_date_[s] = date;
        active_[s].clear();
        for (std::size_t i : by_source_[s])
            if (in_period(targets_->targets[i], date)) active_[s].push_back(i);
    }
    return active_[s];
}

bool TargetAccumulator::wants(TargetSource source, std::string_view date) {
    return !active(source, date).empty();
}

void TargetAccumulator::set_names(RunNames names) {
    names_ = std::move(names);
    names_from_scenario_ = true;
}

void TargetAccumulator::reset() {
    runs_.clear();
    has_compute_used_ = false;
    flows_without_buyer_ = false;
}

TargetAccumulator::RunAcc& TargetAccumulator::run(int r) {
    auto it = runs_.find(r);
    if (it == runs_.end()) {
        it = runs_.emplace(r, RunAcc{}).first;
        it->second.targets.resize(targets_->targets.size());
        it->second.ticks_in.resize(targets_->targets.size());
    }
    return it->second;
}

void TargetAccumulator::note(std::vector<std::string>& names, std::string_view name) {
    if (names_from_scenario_ || name.empty()) return;
    if (std::find(names.begin(), names.end(), name) == names.end()) names.emplace_back(name);
}

void TargetAccumulator::add(const CountryTick& r) {
    RunAcc& acc = run(r.run);
    if (acc.last != r.date) {  // the first row of a tick (countries.csv is in tick order)
        ++acc.ticks;
        if (acc.first.empty()) acc.first = r.date;
        acc.previous = acc.last;
        acc.last = r.date;
        for (std::size_t i = 0; i < acc.ticks_in.size(); ++i)
            if (in_period(targets_->targets[i], r.date)) ++acc.ticks_in[i];
    }
    note(names_.countries, r.country);
    if (r.compute_used) has_compute_used_ = true;
    for (std::size_t i : active(TargetSource::countries, r.date)) {
        const Target& t = targets_->targets[i];
        if (!t.keys.country.empty() && t.keys.country != r.country) continue;
        Acc& a = acc.targets[i];
        a.value += country_value(measures_[i], r);
        a.whole += 1;  // ticks, for price_index_mean
    }
}

bool TargetAccumulator::flow_matches(const Target& t, const FlowTick& r) const {
    const TargetKeys& k = t.keys;
    if (!k.country.empty() && k.country != r.destination) return false;
    if (!k.supplier.empty() && k.supplier != r.supplier) return false;
    if (!k.product.empty() && k.product != r.product) return false;
    if (!k.channel.empty() && k.channel != r.channel) return false;
    if (k.has_route && (k.origin != r.origin || k.via != r.via || k.destination != r.destination))
        return false;
    if (!k.headquarters.empty()) {
        const auto it = names_.buyer_headquarters.find(r.buyer);
        if (it == names_.buyer_headquarters.end() || it->second != k.headquarters) return false;
    }
    return true;
}

void TargetAccumulator::add(const FlowTick& r) {
    RunAcc& acc = run(r.run);
    note(names_.suppliers, r.supplier);
    note(names_.products, r.product);
    if (r.buyer.empty()) flows_without_buyer_ = true;
    for (std::size_t i : active(TargetSource::flows, r.date)) {
        if (!flow_matches(targets_->targets[i], r)) continue;
        Acc& a = acc.targets[i];
        a.value += flow_value(measures_[i], r);
        a.whole += r.compute;
    }
}

void TargetAccumulator::add(const RevenueTick& r) {
    RunAcc& acc = run(r.run);
    note(names_.suppliers, r.supplier);
    for (std::size_t i : active(TargetSource::revenue, r.date)) {
        const Target& t = targets_->targets[i];
        if (!t.keys.supplier.empty() && t.keys.supplier != r.supplier) continue;
        if (!t.keys.billing.empty() && t.keys.billing != r.billing_country) continue;
        acc.targets[i].value += r.revenue_usd;
    }
}

std::vector<int> TargetAccumulator::runs() const {
    std::vector<int> out;
    for (const auto& [r, acc] : runs_) out.push_back(r);
    return out;
}

std::vector<double> TargetAccumulator::model_values(int run) const {
    std::vector<double> out(targets_->targets.size(), 0.0);
    const auto it = runs_.find(run);
    if (it == runs_.end()) return out;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const Target& t = targets_->targets[i];
        const Acc& a = it->second.targets[i];
        const bool ratio = t.metric == "price_index_mean" || t.metric.rfind("share_", 0) == 0;
        out[i] = ratio ? (a.whole > 0 ? a.value / a.whole : 0.0) : a.value;
    }
    return out;
}

std::vector<std::vector<double>> TargetAccumulator::all_model_values() const {
    std::vector<std::vector<double>> out;
    for (const auto& [r, acc] : runs_) out.push_back(model_values(r));
    return out;
}

TimeSpan TargetAccumulator::span() const {
    if (runs_.empty()) return {};
    const RunAcc& a = runs_.begin()->second;
    return TimeSpan{a.first, a.last, a.ticks};
}

std::string TargetAccumulator::span_end() const {
    if (runs_.empty()) return {};
    const RunAcc& a = runs_.begin()->second;
    if (a.previous.empty()) return a.last;
    const Date first = parse_iso(a.first), prev = parse_iso(a.previous), last = parse_iso(a.last);
    const std::int64_t gap = days_from_civil(last) - days_from_civil(prev);
    if (gap < 28) return format_date(civil_from_days(days_from_civil(last) + gap - 1));
    // Monthly and quarterly ticks keep the start's day of month, clamped to the month's length.
    const int months = (last.year - prev.year) * 12 + (last.month - prev.month);
    Date next = month_start(last.year, last.month + months);
    next.day = std::min(first.day, days_in_month(next.year, next.month));
    return day_before(next);
}

Diagnostics TargetAccumulator::check(const std::string& run_label) const {
    Diagnostics d;
    const TimeSpan s = span();
    const std::string end = span_end();
    const auto known = [](const std::vector<std::string>& names, const std::string& key) {
        return key.empty() || std::find(names.begin(), names.end(), key) != names.end();
    };
    for (const Target& t : targets_->targets) {
        const std::string path = fmt::format("targets[{}]", t.id);
        const auto unknown = [&](const char* what, const std::string& key,
                                 const std::vector<std::string>& names) {
            if (known(names, key)) return;
            d.error(t.loc, path,
                    fmt::format("{} '{}' is not in {}{}", what, key, run_label,
                                did_you_mean(key, names)));
        };
        unknown("country", t.keys.country, names_.countries);
        unknown("billing country", t.keys.billing, names_.countries);
        unknown("headquarters country", t.keys.headquarters, names_.countries);
        unknown("supplier", t.keys.supplier, names_.suppliers);
        unknown("product", t.keys.product, names_.products);
        if (t.keys.has_route) {
            unknown("route origin", t.keys.origin, names_.countries);
            unknown("route hub", t.keys.via, names_.countries);
            unknown("route destination", t.keys.destination, names_.countries);
        }
        if (t.source == TargetSource::flows && !has_flows_)
            d.error(t.loc, path,
                    fmt::format("{} comes from flows.csv, which {} does not have", t.metric,
                                run_label));
        if (t.source == TargetSource::revenue && !has_revenue_)
            d.error(t.loc, path,
                    fmt::format("revenue_usd comes from revenue.csv, which {} does not have",
                                run_label));
        if (t.metric == "compute_used" && t.source == TargetSource::countries &&
            !has_compute_used_ && !runs_.empty())
            d.error(t.loc, path,
                    fmt::format("{} has no compute_used column (written before multi-tier "
                                "supply)",
                                run_label));
        if (!t.keys.headquarters.empty() && flows_without_buyer_)
            d.error(t.loc, path,
                    fmt::format("{} wrote flows.csv without buyers (--detail country): "
                                "flows cannot be attributed to headquarters",
                                run_label));
        if (runs_.empty()) continue;
        if (t.first < s.first || t.last > end) {
            d.error(t.loc, path,
                    fmt::format("period {} ({} .. {}) is not within {} ({} .. {})", t.period,
                                t.first, t.last, run_label, s.first, end));
            continue;
        }
        const std::size_t i = static_cast<std::size_t>(&t - targets_->targets.data());
        if (runs_.begin()->second.ticks_in[i] == 0)
            d.error(t.loc, path,
                    fmt::format("period {} ({} .. {}) holds no tick of {} (a tick counts when "
                                "its start date is inside the period)",
                                t.period, t.first, t.last, run_label));
    }
    return d;
}

// --- fit -----------------------------------------------------------------------------------

double z_score(const Target& t, double model) {
    const double diff = model - t.observed;
    if (t.sd) return diff / *t.sd;
    const double half = diff >= 0 ? t.band->second - t.observed : t.observed - t.band->first;
    return diff * kBandZ / half;
}

FitReport fit(const TargetSet& targets, const std::vector<std::vector<double>>& per_run,
              const std::optional<std::string>& observed_until) {
    FitReport report;
    // The record ends with the last day of the observed month.
    std::string observed_end;
    if (observed_until) {
        if (const auto m = parse_date(*observed_until))
            observed_end = day_before(month_start(m->year, m->month + 1));
    }
    for (std::size_t i = 0; i < targets.targets.size(); ++i) {
        const Target& t = targets.targets[i];
        std::vector<double> values;
        for (const auto& run : per_run) values.push_back(run.at(i));
        FitRow row;
        row.target = &t;
        row.runs = static_cast<int>(values.size());
        const Interval iv = interval_of(values);
        row.model = iv.mean;
        row.p05 = iv.p05;
        row.p95 = iv.p95;
        if (values.size() > 1) {
            double ss = 0;
            for (double v : values) ss += (v - iv.mean) * (v - iv.mean);
            row.sd = std::sqrt(ss / static_cast<double>(values.size() - 1));
        }
        if (t.observed != 0) row.ratio = row.model / t.observed;
        row.z = z_score(t, row.model);
        row.inside = std::abs(row.z) <= kBandZ;
        row.projected = !observed_end.empty() && t.last > observed_end;
        report.rows.push_back(row);
    }
    return report;
}

double objective(const FitReport& report) {
    double sum = 0;
    for (const FitRow& r : report.rows)
        if (!r.target->holdout) sum += r.target->weight * r.z * r.z;
    return sum;
}

}  // namespace ts::analysis
