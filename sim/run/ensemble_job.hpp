#pragma once
// The part of `run --runs N` and `sweep` that comes after their plan is made and checked on
// every rank: the runs on threads, ranks or a shard (run::run_ensemble), merging into a staging
// folder, the manifest and the commit — or, for a shard, its parts in DIR/parts.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analysis/ensemble.hpp"
#include "analysis/morris.hpp"
#include "analysis/sobol.hpp"
#include "io/ensemble_plan.hpp"
#include "run/feedback.hpp"
#include "run/job_settings.hpp"
#include "run/job_support.hpp"
#include "run/mpi_session.hpp"

namespace ts::run {

struct EnsembleJob {
    const io::EnsemblePlan* plan = nullptr;
    /// Simulates a task into its part folder (called from worker threads).
    std::function<void(std::size_t task, const std::filesystem::path& part_dir)> compute;
    EnsembleSettings ensemble;  // threads already resolved
    bool force = false;
    std::filesystem::path out;
    std::string resolved_yaml;   // of the base scenario, copied into the output folder
    std::string parameters_csv;  // the runs' drawn values ("": no parameter uncertainty)
    std::vector<std::string> command_line;
    const JobClock* clock = nullptr;
    std::string merged_log;  // logged (info) when the runs start without shards
    std::string shard_log;   // logged (info) when a shard starts ("": nothing)
};

/// What rank 0 has to show; other ranks get an empty result.
struct EnsembleResult {
    std::optional<ShardOutcome> shard;  // a shard's counts
    bool merged = false;                // the final files are committed in `out`
    double wall_seconds = 0.0;
    std::vector<analysis::EnsembleRow> ensemble_rows;         // run
    std::vector<std::vector<double>> variant_means;           // sweep, [variant][metric]
    std::vector<std::vector<analysis::MorrisEffect>> morris;  // sweep with Morris
    std::vector<analysis::SobolMetric> sobol;                 // sweep with Sobol
};

/// The fields every ensemble job fills the same way (threads resolved: 0 becomes one per core).
EnsembleJob make_ensemble_job(const io::EnsemblePlan& plan, const EnsembleSettings& ensemble,
                              const OutputSettings& output, std::filesystem::path out,
                              std::string resolved_yaml, std::vector<std::string> command_line,
                              const JobClock& clock);

/// Rank 0, before any work: a shard's folder is prepared (or refused), another job's folder
/// must be free to create or replace (--force).
/// A shard writes `parameters_csv` (when not empty) into the folder as well.
void prepare_destination(const std::string& command, const std::filesystem::path& out,
                         const OutputSettings& output, const EnsembleSettings& ensemble,
                         const io::EnsemblePlan& plan, const std::string& resolved_yaml,
                         const std::string& parameters_csv = {});

EnsembleResult execute_ensemble(const EnsembleJob& job, MpiSession& mpi, const Feedback& feedback);

}  // namespace ts::run
