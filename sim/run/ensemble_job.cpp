#include "run/ensemble_job.hpp"

#include <system_error>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "io/ensemble_parts.hpp"
#include "io/manifest.hpp"
#include "io/output_dir.hpp"
#include "io/output_schema.hpp"
#include "io/uncertainty.hpp"
#include "run/ensemble_runner.hpp"
#include "run/interrupt.hpp"
#include "run/shard_folder.hpp"

namespace fs = std::filesystem;

namespace ts::run {

namespace {

/// Hidden folder inside the staging folder where parts wait to be merged.
constexpr const char* kStagingParts = ".parts";

EnsembleRun runner_for(const EnsembleJob& job, const Feedback& feedback) {
    EnsembleRun run;
    run.plan = job.plan;
    run.compute = job.compute;
    run.threads = job.ensemble.threads;
    run.progress = feedback.progress;
    run.shard = job.ensemble.shard;
    return run;
}

/// This shard's runs into DIR/parts; the counts are summed over the ranks.
EnsembleResult execute_shard(const EnsembleJob& job, MpiSession& mpi, const Feedback& feedback) {
    EnsembleRun run = runner_for(job, feedback);
    run.parts_root = job.out / io::kPartsDir;
    if (mpi.rank() == 0) io::remove_stale_temporaries(run.parts_root);
    if (!job.shard_log.empty()) spdlog::info("{}", job.shard_log);
    EnsembleOutcome outcome;
    try {
        outcome = run_ensemble(run, mpi);
        mpi.barrier();  // sleeps while other ranks finish; the sums below are then quick
    } catch (Interrupted& e) {
        if (mpi.rank() == 0)
            mark_shard_interrupted(e, *job.plan, job.ensemble.threads, *job.clock, job.command_line,
                                   job.out);
        throw;
    }
    if (mpi.rank() == 0) clear_interrupted_manifest(job.out);
    EnsembleResult result;
    ShardOutcome counts;
    counts.shard = *job.ensemble.shard;
    counts.computed = static_cast<std::size_t>(mpi.sum(static_cast<long long>(outcome.computed)));
    counts.skipped = static_cast<std::size_t>(mpi.sum(static_cast<long long>(outcome.skipped)));
    if (mpi.rank() == 0) result.shard = counts;
    result.wall_seconds = job.clock->seconds();
    return result;
}

/// After SIGINT/SIGTERM without shards: the staging folder is gone, an existing DIR untouched.
void mark_interrupted(Interrupted& e, const fs::path& out, bool existed, std::size_t merged,
                      std::size_t tasks) {
    e.set_detail(fmt::format(
        "stopped after {} of {} run(s); partial outputs removed, {} (to make an ensemble "
        "resumable, run it with --shard 0/1)",
        merged, tasks,
        existed ? fmt::format("'{}' left as it was", out.string())
                : std::string("nothing written")));
}

/// Every run merged, in task order, into a staging folder that replaces DIR when complete.
EnsembleResult execute_merged(const EnsembleJob& job, MpiSession& mpi, const Feedback& feedback) {
    EnsembleRun run = runner_for(job, feedback);
    std::optional<io::OutputDir> dir;
    std::optional<io::EnsembleAssembler> assembler;
    const bool existed = mpi.rank() == 0 && fs::exists(job.out);
    EnsembleResult result;
    try {
        if (mpi.rank() == 0) {
            dir.emplace(job.out, job.force);
            assembler.emplace(*job.plan, dir->path());
            run.parts_root = dir->path() / kStagingParts;
            run.assembler = &*assembler;
        }
        spdlog::info("{}", job.merged_log);
        run_ensemble(run, mpi);
        if (mpi.rank() != 0) return result;
        assembler->finish();
        std::error_code ec;
        fs::remove_all(run.parts_root, ec);
        io::write_text_file(dir->path() / io::kResolvedScenarioYaml, job.resolved_yaml);
        if (!job.parameters_csv.empty())
            io::write_text_file(dir->path() / io::kParametersCsv, job.parameters_csv);
        const auto m =
            ensemble_manifest(*job.plan, job.ensemble.threads, *job.clock, job.command_line);
        result.wall_seconds = m.wall_seconds;
        io::write_text_file(dir->path() / io::kManifestJson, io::manifest_json(m));
        write_datapackage_of(*job.plan, dir->path());
        throw_if_interrupted();  // a signal during the last writes
    } catch (Interrupted& e) {
        mark_interrupted(e, job.out, existed, assembler ? assembler->added() : 0,
                         job.plan->tasks());
        throw;  // `dir` removes the staging folder on the way out
    }
    dir->commit();
    result.merged = true;
    result.ensemble_rows = assembler->ensemble_rows();
    result.variant_means = assembler->variant_means();
    result.morris = assembler->morris();
    result.sobol = assembler->sobol();
    return result;
}

}  // namespace

EnsembleJob make_ensemble_job(const io::EnsemblePlan& plan, const EnsembleSettings& ensemble,
                              const OutputSettings& output, fs::path out, std::string resolved_yaml,
                              std::vector<std::string> command_line, const JobClock& clock) {
    EnsembleJob job;
    job.plan = &plan;
    job.ensemble = ensemble;
    job.ensemble.threads = resolve_threads(ensemble.threads);
    job.force = output.force;
    job.out = std::move(out);
    job.resolved_yaml = std::move(resolved_yaml);
    job.command_line = std::move(command_line);
    job.clock = &clock;
    return job;
}

void prepare_destination(const std::string& command, const fs::path& out,
                         const OutputSettings& output, const EnsembleSettings& ensemble,
                         const io::EnsemblePlan& plan, const std::string& resolved_yaml,
                         const std::string& parameters_csv) {
    if (ensemble.shard) {
        prepare_shard_folder(command, out, output.force, io::plan_yaml(plan), resolved_yaml);
        std::error_code ec;
        if (!parameters_csv.empty() && !fs::exists(out / io::kParametersCsv, ec))
            io::write_file_shared(out / io::kParametersCsv, parameters_csv);
    } else
        io::OutputDir::check_available(out, output.force);  // before anything is written
}

EnsembleResult execute_ensemble(const EnsembleJob& job, MpiSession& mpi, const Feedback& feedback) {
    return guarded(mpi, [&] {
        return job.ensemble.shard ? execute_shard(job, mpi, feedback)
                                  : execute_merged(job, mpi, feedback);
    });
}

}  // namespace ts::run
