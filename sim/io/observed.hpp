#pragma once
// Observed versus projected (`time.observed_until`): which ticks of a run lie within the
// observed record and which are projection. One rule for everything that reports it (validate,
// manifest.json, and through the manifest compare, the chip table and the charts): the record
// ends with the last day of the observed month; a tick is observed when its whole period ends
// by then, and projection (wholly or partly) otherwise.
#include <cstdint>
#include <optional>
#include <string>

#include "core/date.hpp"
#include "model/scenario.hpp"

namespace ts::io {

struct ObservedSpan {
    Date month;  // the last observed month (day 1)
    /// The first tick that is wholly or partly projection: `ticks` when the record covers the
    /// whole run, 0 when it ends before the run starts.
    std::int64_t first_projected = 0;
    /// Whether tick first_projected starts inside the observed record (a quarter or week that
    /// straddles the end of the month), so that it is only partly projection.
    bool straddles = false;
    int ticks = 0;

    bool has_projection() const { return first_projected < ticks; }
    /// "2026-11" (YYYY-MM).
    std::string month_text() const;
};

/// The span of a scenario's time section, or nullopt without `observed_until`.
std::optional<ObservedSpan> observed_span(const model::TimeSpec& time);

/// What `validate` prints after "observed until": "2026-11 (tick 58 of 72; ticks 59–71 are
/// projection)".
std::string describe(const ObservedSpan& span);

}  // namespace ts::io
