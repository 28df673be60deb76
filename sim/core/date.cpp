#include "core/date.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace ts {

namespace {
// Howard Hinnant's civil-calendar algorithms (public-domain arithmetic, re-derived here).
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

int months_per_step(TimeStep s) {
    return s == TimeStep::quarter ? 3 : 1;
}
int days_per_step(TimeStep s) {
    return s == TimeStep::week ? 7 : 1;
}
bool is_month_based(TimeStep s) {
    return s == TimeStep::month || s == TimeStep::quarter;
}

bool parse_int(std::string_view s, int& out) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size();
}
}  // namespace

std::int64_t days_from_civil(Date d) {
    std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
    const std::int64_t era = floor_div(y, 400);
    const std::int64_t yoe = y - era * 400;
    const std::int64_t mp = (d.month + 9) % 12;
    const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

Date civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = floor_div(z, 146097);
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = yoe + era * 400;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), m, d};
}

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2) {
        const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return leap ? 29 : 28;
    }
    return kDays[month - 1];
}

bool is_valid(Date d) {
    return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
           d.day <= days_in_month(d.year, d.month);
}

std::optional<Date> parse_date(std::string_view text) {
    // YYYY-MM or YYYY-MM-DD, nothing else.
    if (text.size() != 7 && text.size() != 10) return std::nullopt;
    if (text[4] != '-') return std::nullopt;
    Date d;
    if (!parse_int(text.substr(0, 4), d.year) || !parse_int(text.substr(5, 2), d.month))
        return std::nullopt;
    if (text.size() == 10) {
        if (text[7] != '-' || !parse_int(text.substr(8, 2), d.day)) return std::nullopt;
    }
    if (!is_valid(d)) return std::nullopt;
    return d;
}

std::string format_date(Date d) {
    return fmt::format("{:04d}-{:02d}-{:02d}", d.year, d.month, d.day);
}

std::optional<TimeStep> parse_time_step(std::string_view text) {
    if (text == "day") return TimeStep::day;
    if (text == "week") return TimeStep::week;
    if (text == "month") return TimeStep::month;
    if (text == "quarter") return TimeStep::quarter;
    return std::nullopt;
}

const char* to_string(TimeStep step) {
    switch (step) {
        case TimeStep::day:
            return "day";
        case TimeStep::week:
            return "week";
        case TimeStep::month:
            return "month";
        case TimeStep::quarter:
            return "quarter";
    }
    return "?";
}

Calendar::Calendar(Date start, TimeStep step, int ticks)
    : start_(start), step_(step), ticks_(ticks) {}

Date Calendar::date_of(std::int64_t tick) const {
    if (!is_month_based(step_))
        return civil_from_days(days_from_civil(start_) + tick * days_per_step(step_));
    const std::int64_t months =
        (start_.year * 12LL + (start_.month - 1)) + tick * months_per_step(step_);
    const int y = static_cast<int>(floor_div(months, 12));
    const int m = static_cast<int>(months - y * 12LL) + 1;
    return Date{y, m, std::min(start_.day, days_in_month(y, m))};
}

std::int64_t Calendar::tick_containing(Date d) const {
    if (!is_month_based(step_))
        return floor_div(days_from_civil(d) - days_from_civil(start_), days_per_step(step_));
    const std::int64_t months =
        (d.year * 12LL + (d.month - 1)) - (start_.year * 12LL + (start_.month - 1));
    std::int64_t t = floor_div(months, months_per_step(step_));
    // The period of tick t may start later in its first month than d (start day > 1).
    while (days_from_civil(date_of(t)) > days_from_civil(d)) --t;
    while (days_from_civil(date_of(t + 1)) <= days_from_civil(d)) ++t;
    return t;
}

std::int64_t Calendar::nearest_boundary(Date d) const {
    const std::int64_t t = tick_containing(d);
    const std::int64_t begin = days_from_civil(date_of(t));
    const std::int64_t end = days_from_civil(date_of(t + 1));
    const std::int64_t x = days_from_civil(d);
    // Covering at least half of the period puts the policy in force for that tick.
    return 2 * (x - begin) <= (end - begin) ? t : t + 1;
}

double Calendar::ticks_per_year() const {
    switch (step_) {
        case TimeStep::day:
            return 365.25;
        case TimeStep::week:
            return 365.25 / 7.0;
        case TimeStep::month:
            return 12.0;
        case TimeStep::quarter:
            return 4.0;
    }
    return 12.0;
}

}  // namespace ts
