#pragma once
// `tradesim sweep` and `tradesim reduce`: variants of a scenario x runs, and the merging of a
// sharded job's parts. Like run::run_scenario they own staging, writers, manifest, shards and
// MPI, and return what there is to show.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/morris.hpp"
#include "analysis/sobol.hpp"
#include "analysis/sweep_design.hpp"
#include "io/ensemble_plan.hpp"
#include "run/feedback.hpp"
#include "run/job_settings.hpp"

namespace ts::run {

struct SweepJob {
    ScenarioSettings scenario;  // the base scenario; --set and --seed apply to every variant
    std::vector<analysis::SweepParameter> parameters;
    analysis::DesignSpec design;
    std::vector<std::string> sobol_metrics;  // --metric: columns given Sobol indices; empty: all
    int bootstrap = analysis::kSobolBootstrapDefault;  // --bootstrap
    OutputSettings output;  // `detail` is unused: a sweep writes no per-tick files
    EnsembleSettings ensemble;
    std::vector<std::string> command_line;
};

/// A sweep's merged results (from `sweep`, or from `reduce` of a sharded sweep).
struct SweepResults {
    io::EnsemblePlan plan;
    std::vector<std::vector<double>> variant_means;           // [variant][metric]
    std::vector<std::vector<analysis::MorrisEffect>> morris;  // per metric, Morris designs only
    std::vector<analysis::SobolMetric> sobol;  // per chosen metric, Sobol designs only
};

struct SweepOutcome {
    enum class Kind { merged, shard, none };  // none: not rank 0, or preparing failed (reported)
    Kind kind = Kind::none;
    int exit_code = 0;  // non-zero when preparing failed on some MPI rank (already reported)
    std::filesystem::path output;
    double wall_seconds = 0.0;
    SweepResults results;               // merged
    std::optional<ShardOutcome> shard;  // shard
};

/// Every variant is loaded and validated before anything runs (a bad one: InputError).
SweepOutcome run_sweep(const SweepJob& job, const Feedback& feedback);

struct ReduceJob {
    std::filesystem::path folder;  // DIR of `run|sweep --shard I/N -o DIR`
    bool keep_parts = false;
    std::vector<std::string> command_line;
};

struct ReduceOutcome {
    SweepResults results;  // the plan of the job; means and Morris rankings when a sweep
    double wall_seconds = 0.0;
};

/// Merges DIR/parts into the final files of DIR, exactly as one process would have written
/// them, then removes the parts. Writes nothing if a run has no complete part (RunError).
ReduceOutcome reduce_parts(const ReduceJob& job);

}  // namespace ts::run
