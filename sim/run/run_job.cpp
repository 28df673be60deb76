#include "run/run_job.hpp"

#include <cmath>
#include <functional>
#include <optional>
#include <system_error>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/date.hpp"
#include "core/error.hpp"
#include "engine/policy_audit.hpp"
#include "engine/simulation.hpp"
#include "io/ensemble_parts.hpp"
#include "io/ensemble_plan.hpp"
#include "io/manifest.hpp"
#include "io/output_dir.hpp"
#include "io/output_estimate.hpp"
#include "io/output_schema.hpp"
#include "io/run_writer.hpp"
#include "io/scenario_reader.hpp"
#include "io/sha256.hpp"
#include "io/uncertainty.hpp"
#include "run/ensemble_job.hpp"
#include "run/ensemble_runner.hpp"
#include "run/interrupt.hpp"
#include "run/job_support.hpp"
#include "run/mpi_session.hpp"
#include "run/tick_log.hpp"

namespace fs = std::filesystem;

namespace ts::run {

namespace {

fs::path output_folder(const OutputSettings& output, const model::Scenario& s) {
    return output.folder ? *output.folder : fs::path("out") / s.name;
}

/// What an interrupted single run leaves behind, for the message.
std::string interrupted_detail(int done, int ticks, const fs::path& out, bool replacing) {
    return fmt::format("stopped after {} of {} ticks; partial outputs removed, {}", done, ticks,
                       replacing ? fmt::format("'{}' left as it was", out.string())
                                 : std::string("nothing written"));
}

/// What the tick loop of a single run gives: the engine's counters for the manifest and the
/// summary rows.
struct Simulated {
    io::Manifest::Engine engine;
    std::vector<analysis::SummaryRow> summary;
};

/// The tick loop of a single run, writing per-tick files into `folder`.
/// Warnings of the policy audit (engine/policy_audit.hpp) go to `feedback`, except for policies
/// the reader already warned about (`warned`).
Simulated simulate(const model::Scenario& s, const io::RunWriterOptions& options,
                   const fs::path& folder, const Feedback& feedback,
                   const std::vector<Diagnostic>& warned, int threads) {
    engine::RunConfig config;
    config.threads = threads;
    engine::Simulation sim(s, config);
    analysis::SummaryCollector summary;  // refers to the simulation's world: keep sim alive
    engine::PolicyAudit audit(sim.world(), s.policies.size());
    sim.set_probe(&audit);
    double loop_seconds = 0.0;
    {
        io::CsvRunWriter writer(sim.world(), folder, options);
        engine::TeeRecorder tee({&writer, &summary});
        spdlog::info("running '{}': {} ticks", s.name, s.time.ticks);
        const auto loop_start = Clock::now();
        const bool debug = spdlog::should_log(spdlog::level::debug);
        sim.run(tee, [&](int done, int total) {
            if (debug) log_policy_tick(sim);
            feedback.progress(done, total);
            throw_if_interrupted();  // SIGINT/SIGTERM: stop after this tick
        });
        loop_seconds = std::chrono::duration<double>(Clock::now() - loop_start).count();
    }
    report_warnings(audit.warnings(warned), feedback);
    const auto& st = sim.stats();
    spdlog::info("engine: {} ticks, {} buyer-offer evaluations, {:.3f} s in the tick loop",
                 st.ticks, st.evaluations, loop_seconds);
    io::Manifest::Engine engine{
        st.ticks, st.evaluations, st.route_checks, st.requests, st.bytes(), loop_seconds, {}, {}};
    for (std::size_t p = 1; p < engine::kPhases; ++p) {
        const char* phase = engine::to_string(static_cast<engine::Phase>(p));
        engine.phase_seconds.emplace_back(phase, st.phase_seconds[p]);
        engine.phase_bytes.emplace_back(phase, st.phase_bytes[p]);
        spdlog::debug("engine phase {}: {:.6f} s ({:.1f} % of the tick loop)", phase,
                      st.phase_seconds[p],
                      loop_seconds > 0 ? 100 * st.phase_seconds[p] / loop_seconds : 0.0);
    }
    return {std::move(engine), summary.rows()};
}

/// A job of one run simulates the scenario's own values of its uncertain paths: say so.
void warn_undrawn(const io::LoadedScenario& loaded) {
    if (loaded.uncertainty)
        spdlog::warn(
            "uncertainty: one run uses the scenario's own values of {}; give --runs N (N >= 2) "
            "to draw them",
            io::join(loaded.uncertainty->uncertainty().paths()));
}

/// What is random in the job's runs, for the manifest: parameters only when they are drawn.
std::string random_parts_of(const io::LoadedScenario& loaded, bool drawn) {
    const io::Uncertainty* u =
        drawn && loaded.uncertainty ? &loaded.uncertainty->uncertainty() : nullptr;
    return io::describe(io::random_parts(loaded.scenario, u));
}

/// One run into a staging folder that replaces `out` when complete.
RunOutcome run_single(const RunJob& job, const Feedback& feedback) {
    auto phase_start = Clock::now();
    const auto phase_done = [&](const char* phase) {  // --log-level debug: the job's phases
        const auto now = Clock::now();
        spdlog::debug("run phase {}: {:.6f} s", phase,
                      std::chrono::duration<double>(now - phase_start).count());
        phase_start = now;
    };
    auto loaded = io::load_scenario(job.scenario.file, job.scenario.load, job.scenario.uncertain);
    report_warnings(loaded.warnings, feedback);
    warn_undrawn(loaded);
    const model::Scenario& s = loaded.scenario;
    const fs::path out = output_folder(job.output, s);
    io::check_output_size(io::estimate_run_output(s, job.output.detail, 1), job.output.max_output,
                          "run");
    io::OutputDir::check_available(out, job.output.force);  // before anything is written
    for (const auto& note : engine::Simulation::unsimulated_features(s)) spdlog::warn("{}", note);

    phase_done("load (read, check, estimate the output)");

    // From here on, failures are run failures (exit 1); the staging folder is removed.
    const JobClock clock;
    const int threads = resolve_threads(job.ensemble.threads);  // the per-buyer phases
    const bool replacing = fs::exists(out);
    io::OutputDir dir(out, job.output.force);
    io::RunWriterOptions options;
    options.flows_detail = job.output.detail;
    io::OutputBudget budget(job.output.max_output, "run", io::run_advice(job.output.detail, 1),
                            s.time.ticks, 1);
    if (std::isfinite(job.output.max_output)) options.budget = &budget;
    int ticks_done = 0;
    Simulated simulated;
    try {
        const Feedback counting{feedback.message, [&](int done, int total) {
                                    ticks_done = done;
                                    feedback.progress(done, total);
                                }};
        simulated = simulate(s, options, dir.path(), counting, loaded.warnings, threads);
        throw_if_interrupted();
        phase_done("simulate (the tick loop, per-tick files)");
    } catch (Interrupted& e) {
        e.set_detail(interrupted_detail(ticks_done, s.time.ticks, out, replacing));
        throw;  // `dir` removes the staging folder on the way out
    }
    io::write_summary_csv(simulated.summary, dir.path() / "summary.csv");
    io::write_text_file(dir.path() / "scenario.resolved.yaml", s.resolved_yaml);
    io::Manifest m;
    m.engine = simulated.engine;
    m.observed = io::observed_record(s.time);
    m.scenario_name = s.name;
    m.scenario_sha256 = io::sha256_hex(s.resolved_yaml);
    m.start_time_utc = clock.start_time_utc;
    m.status = "complete";
    m.seed = s.seed;
    m.random_parts = random_parts_of(loaded, false);
    m.runs = 1;
    m.threads = threads;
    m.command_line = job.command_line;
    m.wall_seconds = clock.seconds();
    io::write_text_file(dir.path() / "manifest.json", io::manifest_json(m));
    io::write_datapackage(
        dir.path(), {s.name, false, job.output.detail == io::RunWriterOptions::Detail::buyer});
    if (const int sig = pending_signal(); sig != 0) {  // a signal during the last writes
        Interrupted e(sig);
        e.set_detail(interrupted_detail(s.time.ticks, s.time.ticks, out, replacing));
        throw e;
    }
    dir.commit();
    phase_done("finish (summary, manifest, move into place)");

    RunOutcome outcome;
    outcome.kind = RunOutcome::Kind::single;
    outcome.output = out;
    outcome.wall_seconds = m.wall_seconds;
    outcome.headlines = std::move(simulated.summary);
    outcome.scenario = std::move(loaded.scenario);
    return outcome;
}

io::EnsemblePlan run_plan(const io::LoadedScenario& loaded, const RunJob& job) {
    io::EnsemblePlan plan =
        plan_of(io::EnsemblePlan::Kind::run, loaded.scenario, job.ensemble.runs);
    plan.detail = job.output.detail;
    plan.random_parts = random_parts_of(loaded, job.ensemble.runs > 1);
    return plan;
}

/// Simulates run `task` of an ensemble into its part folder: per-tick files and summary rows.
/// With parameter uncertainty (`drawn` not null) the run simulates its own scenario.
/// Every run's writer adds to `budget` (null: no --max-output).
std::function<void(std::size_t, const fs::path&)> run_part(const model::Scenario& s,
                                                           const io::RunScenarios* drawn,
                                                           const RunJob& job,
                                                           io::OutputBudget* budget) {
    io::RunWriterOptions options;
    options.flows_detail = job.output.detail;
    options.run_column = job.ensemble.runs > 1;
    options.budget = budget;
    return [&s, drawn, options](std::size_t task, const fs::path& part) {
        engine::RunConfig config;
        config.run = static_cast<int>(task);
        std::optional<model::Scenario> own;
        if (drawn) own = drawn->scenario(config.run);
        engine::Simulation sim(own ? *own : s, config);
        analysis::SummaryCollector summary;  // refers to the simulation's world: keep sim alive
        {
            io::CsvRunWriter writer(sim.world(), part, options);
            engine::TeeRecorder tee({&writer, &summary});
            sim.run(tee, [](int, int) { throw_if_interrupted(); });
        }
        io::write_part_summary(summary.rows(), part / io::kSummaryCsv);
    };
}

/// Whether the runs draw their uncertain parameters: only an ensemble of two runs or more does
/// (one run simulates the scenario's own values, as `tradesim run` without --runs).
bool drawn(const io::LoadedScenario& loaded, const RunJob& job) {
    return loaded.uncertainty && job.ensemble.runs > 1;
}

/// Several runs, MPI ranks or a shard: every rank loads and checks, then the runs are spread.
RunOutcome run_ensemble_job(const RunJob& job, MpiSession& mpi, const Feedback& feedback) {
    const JobClock clock;
    std::optional<io::LoadedScenario> loaded;
    io::EnsemblePlan plan;
    fs::path out;
    const auto& shard = job.ensemble.shard;
    std::string parameters_csv;
    RunOutcome outcome;
    outcome.exit_code = prepare_on_all_ranks(mpi, [&] {
        loaded = io::load_scenario(job.scenario.file, job.scenario.load, job.scenario.uncertain);
        const auto& s = loaded->scenario;
        out = output_folder(job.output, s);
        plan = run_plan(*loaded, job);
        io::check_output_size(io::estimate_run_output(s, job.output.detail, job.ensemble.runs),
                              job.output.max_output, "run");
        // Every run's draws are made and validated before anything runs.
        if (drawn(*loaded, job)) {
            loaded->uncertainty->check_runs(job.ensemble.runs);
            parameters_csv = loaded->uncertainty->parameters_csv(job.ensemble.runs);
        }
        if (mpi.rank() == 0)
            prepare_destination("run", out, job.output, job.ensemble, plan, s.resolved_yaml,
                                parameters_csv);
    });
    if (outcome.exit_code != 0) return outcome;
    const model::Scenario& s = loaded->scenario;
    if (mpi.rank() == 0) {
        report_warnings(loaded->warnings, feedback);
        if (!drawn(*loaded, job)) warn_undrawn(*loaded);
        for (const auto& note : engine::Simulation::unsimulated_features(s))
            spdlog::warn("{}", note);
    }

    auto ensemble = make_ensemble_job(plan, job.ensemble, job.output, out, s.resolved_yaml,
                                      job.command_line, clock);
    ensemble.parameters_csv = parameters_csv;
    // --max-output while writing: the runs of this process together (each MPI rank or shard
    // process counts its own).
    io::OutputBudget budget(job.output.max_output, "run",
                            io::run_advice(job.output.detail, job.ensemble.runs), s.time.ticks,
                            job.ensemble.runs);
    ensemble.compute = run_part(s, drawn(*loaded, job) ? loaded->uncertainty.get() : nullptr, job,
                                std::isfinite(job.output.max_output) ? &budget : nullptr);
    ensemble.merged_log =
        fmt::format("running '{}': {} runs of {} ticks on {} thread(s) x {} process(es)", s.name,
                    job.ensemble.runs, s.time.ticks, ensemble.ensemble.threads, mpi.size());
    if (shard)
        ensemble.shard_log = fmt::format("running '{}': runs of shard {}/{} of {} runs", s.name,
                                         shard->index, shard->count, job.ensemble.runs);
    auto result = execute_ensemble(ensemble, mpi, feedback);

    if (result.shard) outcome.kind = RunOutcome::Kind::shard;
    if (result.merged) outcome.kind = RunOutcome::Kind::ensemble;
    outcome.shard = result.shard;
    outcome.output = out;
    outcome.runs = job.ensemble.runs;
    outcome.wall_seconds = result.wall_seconds;
    outcome.random_parts = plan.random_parts;
    for (const auto& r : result.ensemble_rows)
        outcome.headlines.push_back({r.metric.scope, r.metric.key, r.metric.metric, r.stats.mean});
    outcome.scenario = std::move(loaded->scenario);
    return outcome;
}

}  // namespace

RunOutcome run_scenario(const RunJob& job, const Feedback& feedback) {
    MpiSession mpi(feedback.message);
    if (job.ensemble.runs > 1 || job.ensemble.shard || mpi.size() > 1)
        return run_ensemble_job(job, mpi, feedback);
    return run_single(job, feedback);
}

}  // namespace ts::run
