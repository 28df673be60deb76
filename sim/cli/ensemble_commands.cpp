// tradesim run --runs N | sweep | reduce: thin drivers around io::EnsemblePlan (what to compute),
// cli::run_ensemble (threads, MPI ranks, shards) and io::EnsembleAssembler (merging parts in
// task order into the final files).
#include "cli/ensemble_commands.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/program_options.hpp>

#include "analysis/ensemble.hpp"
#include "analysis/summary.hpp"
#include "analysis/sweep_design.hpp"
#include "cli/command_support.hpp"
#include "cli/headlines.hpp"
#include "cli/interrupt.hpp"
#include "core/error.hpp"
#include "engine/simulation.hpp"
#include "io/ensemble_parts.hpp"
#include "io/ensemble_plan.hpp"
#include "io/manifest.hpp"
#include "io/output_dir.hpp"
#include "io/output_estimate.hpp"
#include "io/sha256.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace ts::cli {

namespace {

using Clock = std::chrono::steady_clock;

/// Hidden folder inside the staging folder where parts wait to be merged.
constexpr const char* kStagingParts = ".parts";

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Rank 0 of a shard: DIR is shared by every shard of the job. It may be new, empty, or hold
/// parts of the same job (same plan: resume); anything else is refused before any work.
void prepare_shard_folder(const std::string& command, const fs::path& out, bool force,
                          const std::string& plan_text, const std::string& resolved_yaml) {
    if (force)
        throw InputError(fmt::format(
            "tradesim {}: --force cannot be combined with --shard: the shards of a job share "
            "the output folder; remove '{}' yourself to start over",
            command, out.string()));
    io::OutputDir::check_available(out, true);  // a usable folder name; existing is fine here
    const fs::path parts = out / io::kPartsDir;
    const fs::path plan = parts / io::kPlanYaml;
    std::error_code ec;
    if (fs::exists(out, ec)) {
        if (fs::exists(plan, ec)) {
            if (read_text(plan) != plan_text)
                throw InputError(fmt::format(
                    "output folder '{}' holds parts of another job (its {}/{} differs: another "
                    "scenario, --set, "
                    "--seed, --runs, --param or --design); choose another folder with -o",
                    out.string(), io::kPartsDir, io::kPlanYaml));
        } else if (!fs::is_empty(out, ec)) {
            throw InputError(fmt::format(
                "output folder '{}' already exists and holds no parts of this job; choose "
                "another folder with -o",
                out.string()));
        }
    }
    fs::create_directories(parts, ec);
    if (ec)
        throw RunError(fmt::format("cannot create folder '{}': {}", parts.string(), ec.message()));
    if (!fs::exists(plan, ec)) io::write_file_shared(plan, plan_text);
    if (read_text(plan) != plan_text)  // another job's shard raced us to an empty folder
        throw InputError(fmt::format(
            "output folder '{}' holds parts of another job; choose another folder with -o",
            out.string()));
    if (!fs::exists(out / io::kResolvedScenarioYaml, ec))
        io::write_file_shared(out / io::kResolvedScenarioYaml, resolved_yaml);
}

/// Errors after the ranks started working: one rank failing would leave the others waiting,
/// so under MPI the job is aborted after the message.
template <class F>
int guarded(MpiSession& mpi, F&& body) {
    try {
        return body();
    } catch (const Interrupted&) {
        throw;  // every rank got the signal (mpirun forwards it): each cleans up and leaves
    } catch (const std::exception& e) {
        if (mpi.size() <= 1) throw;
        fmt::print(stderr, "tradesim: error (MPI rank {} of {}): {}\n", mpi.rank(), mpi.size(),
                   e.what());
        std::fflush(stderr);
        mpi.abort(dynamic_cast<const InputError*>(&e) ? 2 : 1);
    }
}

io::Manifest make_manifest(const io::EnsemblePlan& plan, int threads, const std::string& start_time,
                           const Invocation& inv, Clock::time_point started) {
    io::Manifest m;
    m.scenario_name = plan.scenario_name;
    m.scenario_sha256 = plan.scenario_sha256;
    m.start_time_utc = start_time;
    m.status = "complete";
    m.seed = plan.seed;
    m.runs = plan.runs;
    m.threads = threads;
    m.command_line = inv.command_line;
    m.wall_seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return m;
}

/// After SIGINT/SIGTERM in a shard: the complete parts stay in DIR/parts (a rerun of the same
/// command skips them) and DIR/manifest.json says "interrupted" until `reduce` replaces it.
void mark_shard_interrupted(Interrupted& e, const io::EnsemblePlan& plan, int threads,
                            const std::string& start_time, const Invocation& inv,
                            Clock::time_point started, const fs::path& out) {
    std::size_t complete = 0;
    for (std::size_t t = 0; t < plan.tasks(); ++t)
        if (io::part_complete(out / io::kPartsDir, plan.part_name(t))) ++complete;
    auto m = make_manifest(plan, threads, start_time, inv, started);
    m.status = "interrupted";
    try {
        io::write_file_shared(out / io::kManifestJson, io::manifest_json(m));
    } catch (const RunError& w) {
        spdlog::warn("{}", w.what());
    }
    e.set_detail(
        fmt::format("{} of {} run(s) complete in {} are kept; run the same command again to resume",
                    complete, plan.tasks(), (out / io::kPartsDir).string()));
}

/// A shard that completes its share removes the "interrupted" manifest of an earlier attempt.
void clear_interrupted_manifest(const fs::path& out) {
    const fs::path path = out / io::kManifestJson;
    std::error_code ec;
    if (!fs::exists(path, ec)) return;
    if (read_text(path).find("\"status\": \"interrupted\"") != std::string::npos)
        fs::remove(path, ec);
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

void print_shard_outcome(const std::string& what, const Shard& shard, const EnsembleOutcome& o,
                         const fs::path& out, double seconds) {
    fmt::print(
        "{} shard {}/{}: computed {} run(s), {} already complete, in {:.2f} s; parts in {}\n", what,
        shard.index, shard.count, o.computed, o.skipped, seconds, (out / io::kPartsDir).string());
    fmt::print("when every shard is done: tradesim reduce {}\n", out.string());
}

std::string parameter_label(const io::EnsemblePlan& plan, std::size_t v) {
    std::string s;
    for (std::size_t i = 0; i < plan.parameters.size(); ++i)
        s += fmt::format("{}{}={}", i ? " " : "", plan.parameters[i], plan.variants[v].values[i]);
    return s;
}

void print_sweep_results(const io::EnsemblePlan& plan, const io::EnsembleAssembler& a,
                         const fs::path& out, double seconds) {
    fmt::print("sweep '{}': {} variant(s) x {} run(s) ({}), outputs in {} ({:.2f} s)\n",
               plan.scenario_name, plan.variants.size(), plan.runs,
               analysis::to_string(plan.design), out.string(), seconds);
    // The first two world metrics: compute delivered and unmet compute, mean over runs.
    const std::size_t shown = std::min<std::size_t>(plan.variants.size(), 20);
    const auto col = [&](const char* metric) {
        for (std::size_t m = 0; m < plan.metrics.size(); ++m)
            if (plan.metrics[m].scope == "world" && plan.metrics[m].metric == metric) return m;
        return plan.metrics.size();
    };
    const std::size_t delivered = col("compute_delivered"), unmet = col("unmet_compute");
    fmt::print("\n{:>7} {:>18} {:>14}  {}\n", "variant", "compute_delivered", "unmet_compute",
               "parameters");
    for (std::size_t v = 0; v < shown; ++v) {
        const auto& means = a.variant_means()[v];
        fmt::print("{:>7} {:>18} {:>14}  {}\n", v,
                   delivered < means.size() ? human(means[delivered]) : "-",
                   unmet < means.size() ? human(means[unmet]) : "-", parameter_label(plan, v));
    }
    if (shown < plan.variants.size())
        fmt::print("... ({} more in summary.csv)\n", plan.variants.size() - shown);
    if (plan.design.kind != analysis::DesignKind::morris || a.morris().empty()) return;
    for (const std::size_t m : {delivered, unmet}) {
        if (m >= a.morris().size()) continue;
        fmt::print(
            "\nMorris ranking for {} (mu* = mean |elementary effect| per unit of the range):\n",
            plan.metrics[m].column());
        fmt::print("{:>4} {:>14} {:>14}  {}\n", "rank", "mu*", "sigma", "parameter");
        const auto& ranking = a.morris()[m];
        for (std::size_t r = 0; r < ranking.size(); ++r)
            fmt::print("{:>4} {:>14} {:>14}  {}\n", r + 1, human(ranking[r].mu_star),
                       human(ranking[r].sigma), plan.parameters[ranking[r].parameter]);
    }
    fmt::print("\nAll metrics: {}\n", (out / io::kMorrisCsv).string());
}

}  // namespace

int run_ensemble_command(const RunRequest& req, MpiSession& mpi, const Invocation& inv) {
    const auto started = Clock::now();
    const std::string start_time = utc_now_iso();
    std::optional<io::LoadedScenario> loaded;
    io::EnsemblePlan plan;
    fs::path out;
    const int rc = prepare_on_all_ranks(mpi, [&] {
        loaded = io::load_scenario(req.scenario, req.load);
        const auto& s = loaded->scenario;
        out = req.output ? *req.output : fs::path("out") / s.name;
        plan.kind = io::EnsemblePlan::Kind::run;
        plan.scenario_name = s.name;
        plan.scenario_sha256 = io::sha256_hex(s.resolved_yaml);
        plan.seed = s.seed;
        plan.runs = req.runs;
        plan.detail = req.detail;
        io::check_output_size(io::estimate_run_output(s, req.detail, req.runs), req.max_output,
                              "run");
        if (mpi.rank() != 0) return;
        if (req.shard)
            prepare_shard_folder("run", out, req.force, io::plan_yaml(plan), s.resolved_yaml);
        else
            io::OutputDir::check_available(out, req.force);  // before anything is written
    });
    if (rc != 0) return rc;
    const model::Scenario& s = loaded->scenario;
    if (mpi.rank() == 0) {
        print_warnings(loaded->warnings);
        for (const auto& note : engine::Simulation::unsimulated_features(s))
            spdlog::warn("{}", note);
    }

    io::RunWriterOptions writer_options;
    writer_options.flows_detail = req.detail;
    writer_options.run_column = req.runs > 1;
    EnsembleRun job;
    job.plan = &plan;
    job.threads = req.threads;
    job.progress = !req.quiet;
    job.shard = req.shard;
    job.compute = [&](std::size_t task, const fs::path& part) {
        engine::RunConfig config;
        config.run = static_cast<int>(task);
        engine::Simulation sim(s, config);
        analysis::SummaryCollector summary;  // refers to the simulation's world: keep sim alive
        {
            io::CsvRunWriter writer(sim.world(), part, writer_options);
            engine::TeeRecorder tee({&writer, &summary});
            sim.run(tee, [](int, int) { throw_if_interrupted(); });
        }
        io::write_part_summary(summary.rows(), part / io::kSummaryCsv);
    };

    std::optional<io::OutputDir> dir;
    return guarded(mpi, [&] {
        if (req.shard) {
            job.parts_root = out / io::kPartsDir;
            if (mpi.rank() == 0) io::remove_stale_temporaries(job.parts_root);
            spdlog::info("running '{}': runs of shard {}/{} of {} runs", s.name, req.shard->index,
                         req.shard->count, req.runs);
            EnsembleOutcome outcome;
            try {
                outcome = run_ensemble(job, mpi);
                mpi.barrier();  // sleeps while other ranks finish; the sums below are then quick
            } catch (Interrupted& e) {
                if (mpi.rank() == 0)
                    mark_shard_interrupted(e, plan, req.threads, start_time, inv, started, out);
                throw;
            }
            if (mpi.rank() == 0) clear_interrupted_manifest(out);
            outcome.computed =
                static_cast<std::size_t>(mpi.sum(static_cast<long long>(outcome.computed)));
            outcome.skipped =
                static_cast<std::size_t>(mpi.sum(static_cast<long long>(outcome.skipped)));
            if (mpi.rank() == 0 && !req.quiet)
                print_shard_outcome("run", *req.shard, outcome, out,
                                    std::chrono::duration<double>(Clock::now() - started).count());
            return 0;
        }
        std::optional<io::EnsembleAssembler> assembler;
        const bool existed = mpi.rank() == 0 && fs::exists(out);
        io::Manifest m;
        try {
            if (mpi.rank() == 0) {
                dir.emplace(out, req.force);
                assembler.emplace(plan, dir->path());
                job.parts_root = dir->path() / kStagingParts;
                job.assembler = &*assembler;
            }
            spdlog::info("running '{}': {} runs of {} ticks on {} thread(s) x {} process(es)",
                         s.name, req.runs, s.time.ticks, req.threads, mpi.size());
            run_ensemble(job, mpi);
            if (mpi.rank() != 0) return 0;
            assembler->finish();
            std::error_code ec;
            fs::remove_all(job.parts_root, ec);
            io::write_text_file(dir->path() / io::kResolvedScenarioYaml, s.resolved_yaml);
            m = make_manifest(plan, req.threads, start_time, inv, started);
            io::write_text_file(dir->path() / io::kManifestJson, io::manifest_json(m));
            throw_if_interrupted();  // a signal during the last writes
        } catch (Interrupted& e) {
            mark_interrupted(e, out, existed, assembler ? assembler->added() : 0, plan.tasks());
            throw;  // `dir` removes the staging folder on the way out
        }
        dir->commit();
        if (!req.quiet) {
            fmt::print("{}: {} run(s) of {} ticks from {}, outputs in {} ({:.2f} s)\n", s.name,
                       req.runs, s.time.ticks, format_date(s.time.start), out.string(),
                       m.wall_seconds);
            std::vector<analysis::SummaryRow> means;
            for (const auto& r : assembler->ensemble_rows())
                means.push_back({r.metric.scope, r.metric.key, r.metric.metric, r.stats.mean});
            if (req.runs > 1)
                fmt::print("(means over {} runs; distributions in summary.csv)\n", req.runs);
            print_headlines(s, means);
        }
        return 0;
    });
}

int sweep_command(const Invocation& inv) {
    po::options_description visible(
        "Usage: tradesim sweep SCENARIO.yaml --param PATH=v1,v2,...|PATH=lo:hi[:step] ... "
        "[--design grid|lhs:N|morris:R]\n"
        "                      [--runs N] [--threads T] [--shard I/N] [-o DIR] [--set "
        "PATH=VALUE]... [--seed N]\n"
        "                      [--max-output SIZE] [--force] [--quiet]\n\n"
        "Run variants of a scenario (each --param overrides a value by dotted path, as --set does) "
        "x N runs.\n"
        "Writes runs.csv (one row per variant x run), summary.csv (one row per variant: mean, sd, "
        "p05, p50,\n"
        "p95 of each headline metric) and, for Morris, morris.csv (mu*, mu, sigma ranking of the "
        "parameters\n"
        "per metric) into DIR (default out/<scenario name>-sweep). Run r of every variant uses the "
        "same\n"
        "random streams (common random numbers). Under mpirun the runs are spread over the ranks; "
        "with\n"
        "--shard I/N only shard I is computed into DIR/parts and 'tradesim reduce DIR' merges the "
        "shards.\nOptions");
    visible.add_options()("help,h", "show this help")(
        "param", po::value<std::vector<std::string>>()->composing(),
        "PATH=v1,v2,... or PATH=lo:hi:step (repeatable; lhs and morris accept PATH=lo:hi)")(
        "design", po::value<std::string>()->default_value("grid"),
        "grid, lhs:N (N points) or morris:R (R trajectories)")(
        "runs", po::value<int>()->default_value(1), "Monte Carlo runs per variant")(
        "threads", po::value<int>()->default_value(1), "worker threads (0: one per core)")(
        "shard", po::value<std::string>(),
        "I/N: compute only shard I of N into DIR/parts (job arrays)")(
        "output,o", po::value<std::string>(), "output folder")(
        "set", po::value<std::vector<std::string>>()->composing(),
        "override a value of every variant (repeatable)")(
        "seed", po::value<std::uint64_t>(),
        "random seed (overrides the scenario's; also seeds lhs and morris)")(
        "max-output", po::value<std::string>()->default_value("100G"),
        "refuse to start if the outputs would exceed SIZE (e.g. 500G, 2T, or none)")(
        "force", "replace an existing output folder")("quiet,q",
                                                      "no progress bar and no result table");
    po::options_description hidden;
    hidden.add_options()("scenario", po::value<std::string>(), "scenario file");
    po::positional_options_description pos;
    pos.add("scenario", 1);
    auto vm = parse("sweep", inv, visible, hidden, pos);
    if (vm.count("help")) {
        std::cout << visible << "\n";
        return 0;
    }
    if (!vm.count("scenario")) usage_error("sweep", "missing SCENARIO.yaml");
    if (!vm.count("param")) usage_error("sweep", "give at least one --param PATH=VALUES");
    const int runs = vm["runs"].as<int>();
    if (runs < 1) usage_error("sweep", fmt::format("--runs must be >= 1, not {}", runs));
    const int threads_opt = vm["threads"].as<int>();
    if (threads_opt < 0)
        usage_error("sweep", fmt::format("--threads must be >= 0, not {}", threads_opt));
    const int threads = resolve_threads(threads_opt);
    std::optional<Shard> shard;
    if (vm.count("shard")) shard = parse_shard("sweep", vm["shard"].as<std::string>());
    const bool force = vm.count("force") > 0;
    const bool quiet = vm.count("quiet") > 0;
    const std::string max_output_text = vm["max-output"].as<std::string>();
    const std::optional<double> max_output = io::parse_size(max_output_text);
    if (!max_output)
        usage_error("sweep", fmt::format("--max-output must be a size such as 500G or 2T, or "
                                         "none, not '{}'",
                                         max_output_text));
    std::vector<analysis::SweepParameter> params;
    for (const auto& spec : vm["param"].as<std::vector<std::string>>())
        params.push_back(analysis::parse_sweep_parameter(spec));
    const auto design_spec = analysis::parse_design(vm["design"].as<std::string>());
    io::LoadOptions base_options;
    if (vm.count("set")) base_options.overrides = vm["set"].as<std::vector<std::string>>();
    if (vm.count("seed"))
        base_options.overrides.push_back(fmt::format("seed={}", vm["seed"].as<std::uint64_t>()));
    const std::string scenario_path = vm["scenario"].as<std::string>();

    MpiSession mpi;
    const auto started = Clock::now();
    const std::string start_time = utc_now_iso();
    std::optional<io::LoadedScenario> base;
    std::vector<model::Scenario> variants;
    io::EnsemblePlan plan;
    fs::path out;
    const int rc = prepare_on_all_ranks(mpi, [&] {
        base = io::load_scenario(scenario_path, base_options);
        const auto& s = base->scenario;
        auto design = analysis::make_design(std::move(params), design_spec, s.seed);
        plan.kind = io::EnsemblePlan::Kind::sweep;
        plan.scenario_name = s.name;
        plan.scenario_sha256 = io::sha256_hex(s.resolved_yaml);
        plan.seed = s.seed;
        plan.runs = runs;
        plan.design = design.spec;
        for (const auto& p : design.parameters) plan.parameters.push_back(p.path);
        plan.metrics = analysis::headline_metrics(s);
        io::check_output_size(
            io::estimate_sweep_output(design.variants.size(), runs, design.parameters.size(),
                                      plan.metrics.size()),
            *max_output, "sweep");
        // Every variant is loaded and validated before anything runs: a bad value exits 2.
        variants.reserve(design.variants.size());
        for (std::size_t v = 0; v < design.variants.size(); ++v) {
            io::LoadOptions o = base_options;
            for (std::size_t i = 0; i < design.parameters.size(); ++i)
                o.overrides.push_back(design.parameters[i].path + "=" +
                                      design.variants[v].values[i]);
            try {
                variants.push_back(io::load_scenario(scenario_path, o).scenario);
            } catch (const InputError& e) {
                std::vector<Diagnostic> diags;
                Diagnostic head;
                head.loc.file = "tradesim sweep";
                std::string label;
                for (std::size_t i = 0; i < design.parameters.size(); ++i)
                    label += fmt::format("{}{}={}", i ? ", " : "", design.parameters[i].path,
                                         design.variants[v].values[i]);
                head.message = fmt::format("variant {} ({}) is not a valid scenario:", v, label);
                diags.push_back(head);
                diags.insert(diags.end(), e.diagnostics().begin(), e.diagnostics().end());
                throw InputError(std::move(diags));
            }
        }
        plan.variants = std::move(design.variants);
        out = vm.count("output") ? fs::path(vm["output"].as<std::string>())
                                 : fs::path("out") / (s.name + "-sweep");
        if (mpi.rank() != 0) return;
        if (shard)
            prepare_shard_folder("sweep", out, force, io::plan_yaml(plan), s.resolved_yaml);
        else
            io::OutputDir::check_available(out, force);
    });
    if (rc != 0) return rc;
    if (mpi.rank() == 0) print_warnings(base->warnings);

    EnsembleRun job;
    job.plan = &plan;
    job.threads = threads;
    job.progress = !quiet;
    job.shard = shard;
    job.compute = [&](std::size_t task, const fs::path& part) {
        engine::RunConfig config;
        config.run =
            plan.run_of(task);  // the same run index in every variant: common random numbers
        engine::Simulation sim(variants[plan.variant_of(task)], config);
        analysis::SummaryCollector summary;
        sim.run(summary, [](int, int) { throw_if_interrupted(); });
        io::write_part_summary(summary.rows(), part / io::kSummaryCsv);
    };

    std::optional<io::OutputDir> dir;
    return guarded(mpi, [&] {
        if (shard) {
            job.parts_root = out / io::kPartsDir;
            if (mpi.rank() == 0) io::remove_stale_temporaries(job.parts_root);
            EnsembleOutcome outcome;
            try {
                outcome = run_ensemble(job, mpi);
                mpi.barrier();  // sleeps while other ranks finish; the sums below are then quick
            } catch (Interrupted& e) {
                if (mpi.rank() == 0)
                    mark_shard_interrupted(e, plan, threads, start_time, inv, started, out);
                throw;
            }
            if (mpi.rank() == 0) clear_interrupted_manifest(out);
            outcome.computed =
                static_cast<std::size_t>(mpi.sum(static_cast<long long>(outcome.computed)));
            outcome.skipped =
                static_cast<std::size_t>(mpi.sum(static_cast<long long>(outcome.skipped)));
            if (mpi.rank() == 0 && !quiet)
                print_shard_outcome("sweep", *shard, outcome, out,
                                    std::chrono::duration<double>(Clock::now() - started).count());
            return 0;
        }
        std::optional<io::EnsembleAssembler> assembler;
        const bool existed = mpi.rank() == 0 && fs::exists(out);
        io::Manifest m;
        try {
            if (mpi.rank() == 0) {
                dir.emplace(out, force);
                assembler.emplace(plan, dir->path());
                job.parts_root = dir->path() / kStagingParts;
                job.assembler = &*assembler;
            }
            spdlog::info("sweep '{}': {} variants x {} runs on {} thread(s) x {} process(es)",
                         plan.scenario_name, plan.variants.size(), runs, threads, mpi.size());
            run_ensemble(job, mpi);
            if (mpi.rank() != 0) return 0;
            assembler->finish();
            std::error_code ec;
            fs::remove_all(job.parts_root, ec);
            io::write_text_file(dir->path() / io::kResolvedScenarioYaml,
                                base->scenario.resolved_yaml);
            m = make_manifest(plan, threads, start_time, inv, started);
            io::write_text_file(dir->path() / io::kManifestJson, io::manifest_json(m));
            throw_if_interrupted();  // a signal during the last writes
        } catch (Interrupted& e) {
            mark_interrupted(e, out, existed, assembler ? assembler->added() : 0, plan.tasks());
            throw;  // `dir` removes the staging folder on the way out
        }
        dir->commit();
        if (!quiet) print_sweep_results(plan, *assembler, out, m.wall_seconds);
        return 0;
    });
}

int reduce_command(const Invocation& inv) {
    po::options_description visible(
        "Usage: tradesim reduce DIR [--keep-parts] [--quiet]\n\n"
        "Merge the parts that the shards of a job (tradesim run|sweep --shard I/N -o DIR) wrote "
        "into\n"
        "DIR/parts into the final files in DIR, exactly as one process would have written them; "
        "then\n"
        "remove the parts. Fails, writing nothing, if a run has no complete part.\nOptions");
    visible.add_options()("help,h", "show this help")("keep-parts", "keep DIR/parts after merging")(
        "quiet,q", "print nothing on success");
    po::options_description hidden;
    hidden.add_options()("dir", po::value<std::string>(), "output folder");
    po::positional_options_description pos;
    pos.add("dir", 1);
    auto vm = parse("reduce", inv, visible, hidden, pos);
    if (vm.count("help")) {
        std::cout << visible << "\n";
        return 0;
    }
    if (!vm.count("dir")) usage_error("reduce", "missing DIR");
    const fs::path out = vm["dir"].as<std::string>();
    const fs::path parts = out / io::kPartsDir;
    const fs::path plan_path = parts / io::kPlanYaml;
    std::error_code ec;
    if (!fs::is_directory(out, ec))
        throw InputError(fmt::format("tradesim reduce: '{}' is not a folder", out.string()));
    if (!fs::exists(plan_path, ec))
        throw InputError(fmt::format(
            "tradesim reduce: '{}' holds no parts to merge (no {}); shards write them with "
            "'tradesim run|sweep ... --shard I/N -o {}'",
            out.string(), (fs::path(io::kPartsDir) / io::kPlanYaml).string(), out.string()));
    const auto started = Clock::now();
    const std::string start_time = utc_now_iso();
    const io::EnsemblePlan plan = io::read_plan(plan_path);

    std::vector<std::size_t> missing;
    for (std::size_t t = 0; t < plan.tasks(); ++t)
        if (!io::part_complete(parts, plan.part_name(t))) missing.push_back(t);
    if (!missing.empty()) {
        std::string list;
        for (std::size_t i = 0; i < std::min<std::size_t>(missing.size(), 5); ++i)
            list += (i ? ", " : "") + plan.part_name(missing[i]);
        if (missing.size() > 5) list += ", ...";
        throw RunError(fmt::format(
            "'{}': {} of {} runs have no complete part ({}); run the shards that own them "
            "again (task t belongs to shard t mod N; completed runs are skipped), then reduce",
            out.string(), missing.size(), plan.tasks(), list));
    }

    {
        io::EnsembleAssembler assembler(plan, out);
        try {
            for (std::size_t t = 0; t < plan.tasks(); ++t) {
                assembler.add(t, parts / plan.part_name(t));
                throw_if_interrupted();
            }
        } catch (Interrupted& e) {
            e.set_detail(
                fmt::format("nothing merged; the parts in {} are kept, run 'tradesim "
                            "reduce {}' again",
                            parts.string(), out.string()));
            throw;
        }
        assembler.finish();
        const auto m = make_manifest(plan, 1, start_time, inv, started);
        io::write_text_file(out / io::kManifestJson, io::manifest_json(m));
        if (!vm.count("quiet")) {
            fmt::print("reduced {} part(s) of {} '{}' into {} ({:.2f} s)\n", plan.tasks(),
                       io::to_string(plan.kind), plan.scenario_name, out.string(), m.wall_seconds);
            if (plan.kind == io::EnsemblePlan::Kind::sweep)
                print_sweep_results(plan, assembler, out, m.wall_seconds);
        }
    }
    if (!vm.count("keep-parts")) {
        fs::remove_all(parts, ec);
        if (ec) spdlog::warn("could not remove '{}': {}", parts.string(), ec.message());
    }
    return 0;
}

}  // namespace ts::cli
