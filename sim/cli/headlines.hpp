#pragma once
// The short table of headline results printed after a run (and, with ensemble means, after
// `run --runs N`).
#include <string>
#include <vector>

#include "analysis/summary.hpp"
#include "model/scenario.hpp"

namespace ts::cli {

/// A number for a table, readable at any magnitude ("1.25M").
std::string human(double v);

void print_headlines(const model::Scenario& s, const std::vector<analysis::SummaryRow>& rows);

}  // namespace ts::cli
