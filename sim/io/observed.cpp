#include "io/observed.hpp"

#include <fmt/format.h>

namespace ts::io {

namespace {

/// "ticks 59–71 are" or "tick 71 is".
std::string tick_range(std::int64_t first, std::int64_t last) {
    if (first == last) return fmt::format("tick {} is", first);
    return fmt::format("ticks {}–{} are", first, last);
}

}  // namespace

std::string ObservedSpan::month_text() const {
    return fmt::format("{:04}-{:02}", month.year, month.month);
}

std::optional<ObservedSpan> observed_span(const model::TimeSpec& time) {
    if (!time.observed_until) return std::nullopt;
    const Calendar cal = time.calendar();
    ObservedSpan span;
    span.month = *time.observed_until;
    span.ticks = time.ticks;
    const Date last_day{span.month.year, span.month.month,
                        days_in_month(span.month.year, span.month.month)};
    const Date next_month = span.month.month == 12 ? Date{span.month.year + 1, 1, 1}
                                                   : Date{span.month.year, span.month.month + 1, 1};
    // The tick holding the record's last day is observed only when it ends with the month.
    const std::int64_t holding = cal.tick_containing(last_day);
    if (cal.date_of(holding + 1) == next_month) {
        span.first_projected = holding + 1;
    } else {
        span.first_projected = holding;
        span.straddles = true;
    }
    if (span.first_projected < 0) {  // the record ends before the run starts
        span.first_projected = 0;
        span.straddles = false;
    }
    if (span.first_projected >= span.ticks) {
        span.first_projected = span.ticks;
        span.straddles = false;
    }
    return span;
}

std::string describe(const ObservedSpan& span) {
    const std::string month = span.month_text();
    const std::int64_t last = span.ticks - 1;
    if (!span.has_projection())
        return fmt::format("{} (tick {} of {}, the last; no projection)", month, last, span.ticks);
    if (span.first_projected == 0 && !span.straddles)
        return fmt::format("{} (before the first tick; all {} ticks are projection)", month,
                           span.ticks);
    if (span.straddles)
        return fmt::format("{} (ends inside tick {} of {}; {} projection, tick {} in part)", month,
                           span.first_projected, span.ticks, tick_range(span.first_projected, last),
                           span.first_projected);
    return fmt::format("{} (tick {} of {}; {} projection)", month, span.first_projected - 1,
                       span.ticks, tick_range(span.first_projected, last));
}

}  // namespace ts::io
