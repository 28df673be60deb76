#pragma once
// `tradesim run`: one simulation into an output folder, or — with several runs, a shard or
// MPI ranks — an ensemble. The job owns staging, writers, manifest, shards and MPI; the caller
// gets back what there is to show.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/summary.hpp"
#include "model/scenario.hpp"
#include "run/feedback.hpp"
#include "run/job_settings.hpp"

namespace ts::run {

struct RunJob {
    ScenarioSettings scenario;
    OutputSettings output;
    EnsembleSettings ensemble;
    std::vector<std::string> command_line;  // for manifest.json
};

struct RunOutcome {
    enum class Kind {
        single,    // one run written into `output`
        ensemble,  // an ensemble merged into `output`
        shard,     // a shard's parts written into `output`/parts
        none,      // nothing to show: an MPI rank other than 0, or preparing failed (reported)
    };
    Kind kind = Kind::none;
    int exit_code = 0;  // non-zero when preparing failed on some MPI rank (already reported)
    model::Scenario scenario;
    std::filesystem::path output;
    int runs = 1;
    double wall_seconds = 0.0;
    /// single: the run's summary rows; ensemble: the mean over runs of each row.
    std::vector<analysis::SummaryRow> headlines;
    /// ensemble: what is random in its runs (io::describe; "" for nothing), for the headline.
    std::optional<std::string> random_parts;
    std::optional<ShardOutcome> shard;
};

/// Throws InputError (bad scenario or options, exit 2), RunError (exit 1) or Interrupted.
RunOutcome run_scenario(const RunJob& job, const Feedback& feedback);

}  // namespace ts::run
