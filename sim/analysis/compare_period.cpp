#include "analysis/compare_period.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/date.hpp"

namespace ts::analysis {

std::optional<PeriodKind> parse_period_kind(std::string_view text) {
    if (text == "year") return PeriodKind::year;
    if (text == "quarter") return PeriodKind::quarter;
    if (text == "fiscal-year") return PeriodKind::fiscal_year;
    return std::nullopt;
}

PeriodBucket period_bucket(PeriodKind kind, int fiscal_year_start, std::string_view iso_date) {
    const auto d = parse_date(iso_date.substr(0, 10));
    if (!d) return {std::string(iso_date), std::string(iso_date), std::string(iso_date)};
    const auto last_day_before = [](Date first) {
        return format_date(civil_from_days(days_from_civil(first) - 1));
    };
    switch (kind) {
        case PeriodKind::year:
            return {fmt::format("{}", d->year), format_date({d->year, 1, 1}),
                    format_date({d->year, 12, 31})};
        case PeriodKind::quarter: {
            const int q = (d->month - 1) / 3;
            const Date next = q == 3 ? Date{d->year + 1, 1, 1} : Date{d->year, q * 3 + 4, 1};
            return {fmt::format("{}Q{}", d->year, q + 1), format_date({d->year, q * 3 + 1, 1}),
                    last_day_before(next)};
        }
        case PeriodKind::fiscal_year: {
            const int s = std::clamp(fiscal_year_start, 1, 12);
            const int start_year = d->month >= s ? d->year : d->year - 1;
            const int end_year = s == 1 ? start_year : start_year + 1;
            return {fmt::format("FY{}", end_year), format_date({start_year, s, 1}),
                    last_day_before({start_year + 1, s, 1})};
        }
    }
    return {};
}

PeriodSplit::PeriodSplit(PeriodKind kind, int fiscal_year_start, Period period, RunTotals& whole)
    : kind_(kind),
      fiscal_year_start_(fiscal_year_start),
      period_(std::move(period)),
      whole_(whole) {}

RunTotals& PeriodSplit::part_of(std::string_view date) {
    const std::string_view month = date.substr(0, 7);
    if (!parts_.empty() && month == last_month_) return *parts_[last_part_].totals;
    auto bucket = period_bucket(kind_, fiscal_year_start_, date);
    const auto it = std::find_if(parts_.begin(), parts_.end(),
                                 [&](const Part& p) { return p.bucket.label == bucket.label; });
    if (it == parts_.end()) {
        auto t = std::make_unique<RunTotals>(period_);
        t->set_has_flows(has_flows_);
        t->set_has_revenue(has_revenue_);
        if (!headquarters_.empty()) t->set_headquarters(headquarters_);
        parts_.push_back({std::move(bucket), std::move(t)});
        last_part_ = parts_.size() - 1;
    } else {
        last_part_ = static_cast<std::size_t>(it - parts_.begin());
    }
    last_month_ = std::string(month);
    return *parts_[last_part_].totals;
}

void PeriodSplit::add(const CountryTick& r) {
    whole_.add(r);
    part_of(r.date).add(r);
}
void PeriodSplit::add(const FlowTick& r) {
    whole_.add(r);
    part_of(r.date).add(r);
}
void PeriodSplit::add(const RevenueTick& r) {
    whole_.add(r);
    part_of(r.date).add(r);
}
void PeriodSplit::set_has_flows(bool v) {
    has_flows_ = v;
    whole_.set_has_flows(v);
    for (auto& p : parts_) p.totals->set_has_flows(v);
}
void PeriodSplit::set_has_revenue(bool v) {
    has_revenue_ = v;
    whole_.set_has_revenue(v);
    for (auto& p : parts_) p.totals->set_has_revenue(v);
}
void PeriodSplit::set_headquarters(const std::map<std::string, std::string, std::less<>>& hq) {
    headquarters_ = hq;
    whole_.set_headquarters(hq);
    for (auto& p : parts_) p.totals->set_headquarters(hq);
}

namespace {

/// Whether the ticks compared cover the period from its first to its last day: the first tick
/// starts on its first day and the tick after the last (or, at the end of what is compared,
/// one more step) starts after its last day.
bool covers(const PeriodBucket& b, const std::vector<std::string>& dates,
            const std::vector<std::string>& all_dates) {
    if (dates.empty()) return false;
    if (dates.front() > b.first_day) return false;
    const auto last = std::find(all_dates.begin(), all_dates.end(), dates.back());
    std::string end;  // first day after the last tick
    if (last != all_dates.end() && last + 1 != all_dates.end()) {
        end = *(last + 1);
    } else if (all_dates.size() >= 2) {
        const auto a = parse_date(all_dates[all_dates.size() - 2]);
        const auto z = parse_date(all_dates.back());
        if (!a || !z) return true;
        // One more step: months and quarters by calendar, days and weeks by their length.
        const int months = (z->year - a->year) * 12 + (z->month - a->month);
        Date next = *z;
        if (months > 0 && a->day == z->day) {
            const int m = z->month - 1 + months;
            next = Date{z->year + m / 12, m % 12 + 1, z->day};
        } else {
            next =
                civil_from_days(days_from_civil(*z) + (days_from_civil(*z) - days_from_civil(*a)));
        }
        end = format_date(next);
    } else {
        return true;  // one tick: nothing tells its length
    }
    return end > b.last_day;
}

}  // namespace

CompareResult compare_by_period(const std::vector<ScenarioRuns>& scenarios,
                                const std::vector<const PeriodSplit*>& splits,
                                const CompareOptions& options) {
    CompareResult result = compare_runs(scenarios, options);
    result.rows.clear();
    result.zero_rows_left_out = 0;
    const PeriodSplit& base = *splits.front();
    const auto& all_dates = scenarios.front().totals->period_dates();
    for (std::size_t p = 0; p < base.parts().size(); ++p) {
        const auto& part = base.parts()[p];
        if (part.totals->ticks_in_period() == 0) continue;
        std::vector<ScenarioRuns> in_period = scenarios;
        bool everywhere = true;
        for (std::size_t i = 0; i < scenarios.size(); ++i) {
            const auto& parts = splits[i]->parts();
            const auto it = std::find_if(parts.begin(), parts.end(), [&](const auto& q) {
                return q.bucket.label == part.bucket.label;
            });
            if (it == parts.end())
                everywhere = false;
            else
                in_period[i].totals = it->totals.get();
        }
        if (!everywhere) continue;  // comparable scenarios share their ticks
        auto r = compare_runs(in_period, options);
        const auto& dates = part.totals->period_dates();
        result.periods.push_back({part.bucket.label, dates.front(), dates.back(),
                                  part.totals->ticks_in_period(),
                                  !covers(part.bucket, dates, all_dates)});
        for (auto& row : r.rows) {
            row.period = part.bucket.label;
            row.period_partial = result.periods.back().partial;
            result.rows.push_back(std::move(row));
        }
        result.zero_rows_left_out += r.zero_rows_left_out;
    }
    return result;
}

}  // namespace ts::analysis
