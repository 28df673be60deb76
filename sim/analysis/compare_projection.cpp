// Observed versus projected in `tradesim compare`: which part of the period a scenario's record
// does not cover (docs/compare.md). Kept apart from compare.cpp, which aggregates the records.
#include <algorithm>

#include "analysis/compare.hpp"

namespace ts::analysis {

std::optional<Projection> projection_of(const ScenarioRuns& scenario) {
    if (!scenario.observed_until) return std::nullopt;
    Projection p;
    p.observed_until = *scenario.observed_until;
    if (!scenario.projection_from) return p;
    // ISO dates order as text; the period's dates are in tick order.
    const std::vector<std::string>& dates = scenario.totals->period_dates();
    const auto first = std::lower_bound(dates.begin(), dates.end(), *scenario.projection_from);
    p.projected_ticks = dates.end() - first;
    if (first != dates.end()) p.first_projected = *first;
    return p;
}

}  // namespace ts::analysis
