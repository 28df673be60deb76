#pragma once
// `tradesim compare --by-period`: the totals of a run folder split by calendar year, quarter or
// fiscal year (docs/compare.md, "By period"), from one pass over its files.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/compare.hpp"

namespace ts::analysis {

enum class PeriodKind { year, quarter, fiscal_year };
std::optional<PeriodKind> parse_period_kind(std::string_view text);

/// The period holding an ISO date: its label ("2024", "2024Q3", "FY2025": fiscal years are
/// named by the calendar year they end in, as firms name them; FY2025 with fiscal_year_start 2
/// is 2024-02-01 .. 2025-01-31) and its first and last day.
struct PeriodBucket {
    std::string label, first_day, last_day;
};
PeriodBucket period_bucket(PeriodKind kind, int fiscal_year_start, std::string_view iso_date);

/// Feeds every row to the whole run's totals and to the totals of its period.
class PeriodSplit final : public TickSink {
  public:
    PeriodSplit(PeriodKind kind, int fiscal_year_start, Period period, RunTotals& whole);

    void add(const CountryTick& r) override;
    void add(const FlowTick& r) override;
    void add(const RevenueTick& r) override;
    void set_has_flows(bool v) override;
    void set_has_revenue(bool v) override;
    /// As RunTotals::set_headquarters, for the whole run and every period.
    void set_headquarters(const std::map<std::string, std::string, std::less<>>& hq);

    struct Part {
        PeriodBucket bucket;
        std::unique_ptr<RunTotals> totals;
    };
    /// The periods in order of their first row.
    const std::vector<Part>& parts() const { return parts_; }

  private:
    RunTotals& part_of(std::string_view date);

    PeriodKind kind_;
    int fiscal_year_start_;
    Period period_;
    RunTotals& whole_;
    std::vector<Part> parts_;
    std::string last_month_;  // "YYYY-MM" of the last row: the period is looked up per month
    std::size_t last_part_ = 0;
    bool has_flows_ = true, has_revenue_ = true;
    std::map<std::string, std::string, std::less<>> headquarters_;
};

/// Compares the scenarios period by period: rows carry their period, the result its periods
/// (with `partial` where the compared ticks do not cover the whole period). `splits[i]` holds
/// the periods of scenarios[i]; the scenarios must be comparable.
CompareResult compare_by_period(const std::vector<ScenarioRuns>& scenarios,
                                const std::vector<const PeriodSplit*>& splits,
                                const CompareOptions& options);

}  // namespace ts::analysis
