#pragma once
// Civil dates and the mapping between dates and integer ticks. Time inside the engine is an
// integer tick; dates are derived from the scenario's start date and step.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ts {

struct Date {
    int year = 1970;
    int month = 1;  // 1..12
    int day = 1;    // 1..31
    friend bool operator==(const Date&, const Date&) = default;
    friend auto operator<=>(const Date&, const Date&) = default;
};

enum class TimeStep { day, week, month, quarter };

/// Days since 1970-01-01 (proleptic Gregorian calendar).
std::int64_t days_from_civil(Date d);
Date civil_from_days(std::int64_t days);
int days_in_month(int year, int month);
bool is_valid(Date d);

/// Parses "YYYY-MM-DD" or "YYYY-MM" (day 1). Rejects anything else and impossible dates.
std::optional<Date> parse_date(std::string_view text);
/// "YYYY-MM-DD".
std::string format_date(Date d);

std::optional<TimeStep> parse_time_step(std::string_view text);
const char* to_string(TimeStep step);

/// Maps ticks to dates and back. Tick 0 starts at `start`; tick t starts at start + t steps
/// (months and quarters keep the start's day of month, clamped to the month's length).
/// Ticks beyond the run are still defined, so dates outside the run map to ticks < 0 or
/// >= ticks.
class Calendar {
  public:
    Calendar() = default;
    Calendar(Date start, TimeStep step, int ticks);

    Date start() const { return start_; }
    TimeStep step() const { return step_; }
    int ticks() const { return ticks_; }

    /// First day of tick t.
    Date date_of(std::int64_t tick) const;
    /// The tick whose period contains the date (floor).
    std::int64_t tick_containing(Date d) const;
    /// The tick boundary nearest to the date: a policy taking force on `d` is in force in
    /// a tick when it covers at least half of that tick's period. Used for `from`/`until`.
    std::int64_t nearest_boundary(Date d) const;
    /// Ticks per year (365.25/7 for weeks, 365.25 for days), for per-year quotas and growth.
    double ticks_per_year() const;

  private:
    Date start_{};
    TimeStep step_ = TimeStep::month;
    int ticks_ = 0;
};

}  // namespace ts
