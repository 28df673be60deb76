#include "run/sweep_job.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "analysis/ensemble.hpp"
#include "analysis/summary.hpp"
#include "core/error.hpp"
#include "engine/simulation.hpp"
#include "io/ensemble_parts.hpp"
#include "io/output_estimate.hpp"
#include "io/run_writer.hpp"
#include "io/scenario_reader.hpp"
#include "io/uncertainty.hpp"
#include "run/ensemble_job.hpp"
#include "run/ensemble_runner.hpp"
#include "run/interrupt.hpp"
#include "run/job_support.hpp"
#include "run/mpi_session.hpp"

namespace fs = std::filesystem;

namespace ts::run {

namespace {

/// Variant `v` of the design, loaded and validated; a bad one names its parameter values.
io::LoadedScenario load_variant(const SweepJob& job, const analysis::SweepDesign& design,
                                std::size_t v) {
    io::LoadOptions o = job.scenario.load;
    for (std::size_t i = 0; i < design.parameters.size(); ++i)
        o.overrides.push_back(design.parameters[i].path + "=" + design.variants[v].values[i]);
    try {
        auto loaded = io::load_scenario(job.scenario.file, o, job.scenario.uncertain);
        if (loaded.uncertainty && job.ensemble.runs > 1)
            loaded.uncertainty->check_runs(job.ensemble.runs);  // before anything runs
        return loaded;
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

/// Each --metric must be a headline metric of the base scenario (a column of runs.csv).
void check_sobol_metrics(const std::vector<std::string>& names,
                         const std::vector<analysis::MetricKey>& metrics) {
    std::vector<std::string> columns;
    for (const auto& m : metrics) columns.push_back(m.column());
    for (const auto& name : names) {
        if (std::find(columns.begin(), columns.end(), name) != columns.end()) continue;
        const std::string hint = did_you_mean(name, columns);
        throw InputError(fmt::format(
            "tradesim sweep: --metric '{}' is not a headline metric of this scenario{}; the "
            "headline metrics are the morris.csv and sobol.csv names, e.g. '{}' or '{}'",
            name, hint, columns.front(), columns.back()));
    }
}

/// A path is swept or drawn, not both: a sweep over a drawn value would compare nothing.
void check_not_swept(const analysis::SweepDesign& design, const io::Uncertainty& u) {
    std::vector<Diagnostic> diags;
    const auto paths = u.paths();
    for (std::size_t i = 0; i < design.parameters.size(); ++i)
        for (std::size_t k = 0; k < paths.size(); ++k)
            if (design.parameters[i].path == paths[k])
                diags.push_back(Diagnostic{
                    Severity::error, u.source(k, 0), "uncertainty",
                    fmt::format("'{}' is both swept (--param {}) and uncertain: sweep it or draw "
                                "it, not both",
                                paths[k], i + 1)});
    if (!diags.empty()) throw InputError(std::move(diags));
}

/// The plan and the variants of a sweep, made on every rank from the base scenario.
struct SweepSetup {
    std::optional<io::LoadedScenario> base;
    std::vector<io::LoadedScenario> variants;
    bool drawn = false;  // the runs draw their uncertain parameters
    std::string parameters_csv;
    io::EnsemblePlan plan;
    fs::path out;
};

void prepare_sweep(const SweepJob& job, const MpiSession& mpi, SweepSetup& setup) {
    setup.base = io::load_scenario(job.scenario.file, job.scenario.load, job.scenario.uncertain);
    const auto& s = setup.base->scenario;
    auto design = analysis::make_design(job.parameters, job.design, s.seed);
    io::EnsemblePlan& plan = setup.plan;
    plan = plan_of(io::EnsemblePlan::Kind::sweep, s, job.ensemble.runs);
    plan.design = design.spec;
    for (const auto& p : design.parameters) plan.parameters.push_back(p.path);
    plan.metrics = analysis::headline_metrics(s);
    if (design.spec.kind == analysis::DesignKind::sobol) {
        check_sobol_metrics(job.sobol_metrics, plan.metrics);
        plan.sobol_metrics = job.sobol_metrics;
        plan.bootstrap = job.bootstrap;
    }
    setup.drawn = setup.base->uncertainty && job.ensemble.runs > 1;
    const io::Uncertainty* u = setup.drawn ? &setup.base->uncertainty->uncertainty() : nullptr;
    plan.random_parts = io::describe(io::random_parts(s, u));
    if (setup.base->uncertainty) check_not_swept(design, setup.base->uncertainty->uncertainty());
    if (setup.drawn)
        setup.parameters_csv = setup.base->uncertainty->parameters_csv(job.ensemble.runs);
    io::check_output_size(
        io::estimate_sweep_output(design.variants.size(), job.ensemble.runs,
                                  design.parameters.size(), io::summary_rows_estimate(s)),
        job.output.max_output, "sweep");
    // Every variant is loaded and validated before anything runs: a bad value exits 2.
    setup.variants.reserve(design.variants.size());
    for (std::size_t v = 0; v < design.variants.size(); ++v)
        setup.variants.push_back(load_variant(job, design, v));
    plan.variants = std::move(design.variants);
    setup.out = job.output.folder ? *job.output.folder : fs::path("out") / (s.name + "-sweep");
    if (mpi.rank() == 0)
        prepare_destination("sweep", setup.out, job.output, job.ensemble, plan, s.resolved_yaml,
                            setup.parameters_csv);
}

}  // namespace

SweepOutcome run_sweep(const SweepJob& job, const Feedback& feedback) {
    MpiSession mpi(feedback.message);
    const JobClock clock;
    SweepSetup setup;
    SweepOutcome outcome;
    outcome.exit_code = prepare_on_all_ranks(mpi, [&] { prepare_sweep(job, mpi, setup); });
    if (outcome.exit_code != 0) return outcome;
    if (mpi.rank() == 0) report_warnings(setup.base->warnings, feedback);
    if (mpi.rank() == 0 && setup.base->uncertainty && !setup.drawn)
        spdlog::warn(
            "uncertainty: one run per variant uses the scenario's own values of {}; give --runs "
            "N (N >= 2) to draw them",
            io::join(setup.base->uncertainty->uncertainty().paths()));

    const io::EnsemblePlan& plan = setup.plan;
    auto ensemble = make_ensemble_job(plan, job.ensemble, job.output, setup.out,
                                      setup.base->scenario.resolved_yaml, job.command_line, clock);
    ensemble.parameters_csv = setup.parameters_csv;
    ensemble.compute = [&](std::size_t task, const fs::path& part) {
        engine::RunConfig config;
        config.run =
            plan.run_of(task);  // the same run index in every variant: common random numbers
        const io::LoadedScenario& variant = setup.variants[plan.variant_of(task)];
        std::optional<model::Scenario> own;  // the run's drawn parameters
        if (setup.drawn) own = variant.uncertainty->scenario(config.run);
        engine::Simulation sim(own ? *own : variant.scenario, config);
        analysis::SummaryCollector summary;
        sim.run(summary, [](int, int) { throw_if_interrupted(); });
        io::write_part_summary(summary.rows(), part / io::kSummaryCsv);
    };
    ensemble.merged_log = fmt::format(
        "sweep '{}': {} variants x {} runs on {} thread(s) x {} process(es)", plan.scenario_name,
        plan.variants.size(), plan.runs, ensemble.ensemble.threads, mpi.size());
    auto result = execute_ensemble(ensemble, mpi, feedback);

    if (result.shard) outcome.kind = SweepOutcome::Kind::shard;
    if (result.merged) outcome.kind = SweepOutcome::Kind::merged;
    outcome.shard = result.shard;
    outcome.output = setup.out;
    outcome.wall_seconds = result.wall_seconds;
    outcome.results.plan = plan;
    outcome.results.variant_means = std::move(result.variant_means);
    outcome.results.morris = std::move(result.morris);
    outcome.results.sobol = std::move(result.sobol);
    return outcome;
}

}  // namespace ts::run
