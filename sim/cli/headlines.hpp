#pragma once
// What the commands print when a job is done: the short table of headline results after a run
// (and, with ensemble means, after `run --runs N`), a shard's counts, a sweep's variants and
// Morris rankings or Sobol indices.
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/summary.hpp"
#include "model/scenario.hpp"
#include "run/job_settings.hpp"
#include "run/sweep_job.hpp"

namespace ts::cli {

/// A number for a table, readable at any magnitude ("1.25M").
std::string human(double v);

/// A headline table of at most this many rows is shown whole, in scenario order; a longer one
/// shows its kHeadlineTop largest rows by its first column and "… N more (in summary.csv)".
inline constexpr std::size_t kHeadlineAll = 20;
inline constexpr std::size_t kHeadlineTop = 15;

/// The countries (imports_compute, unmet_compute, price index, tariff revenue) and the
/// suppliers (revenue, units shipped) of a run's summary.
void print_headlines(const model::Scenario& s, const std::vector<analysis::SummaryRow>& rows);

/// `what` is the command ("run", "sweep"); `seconds` the job's wall time.
void print_shard_outcome(const std::string& what, const run::ShardOutcome& o,
                         const std::filesystem::path& out, double seconds);

/// The variants (compute delivered and unmet compute, means over runs) and, for a Morris design,
/// the ranking of the parameters; for a Sobol design their indices.
void print_sweep_results(const run::SweepResults& results, const std::filesystem::path& out,
                         double seconds);

}  // namespace ts::cli
