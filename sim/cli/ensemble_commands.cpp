// tradesim sweep | reduce: parse the options, call the run layer (run::run_sweep,
// run::reduce_parts), print the results.
#include "cli/ensemble_commands.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analysis/sweep_design.hpp"
#include "cli/headlines.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "io/ensemble_plan.hpp"
#include "run/sweep_job.hpp"

namespace ts::cli {

namespace {

/// --param and --design: the parameters of a sweep and how their values are chosen.
po::options_description design_options() {
    po::options_description group("Sweep");
    group.add_options()(
        "param", po::value<std::vector<std::string>>()->composing(),
        "PATH=v1,v2,... or PATH=lo:hi:step (repeatable; lhs, morris, sobol accept PATH=lo:hi)")(
        "design", po::value<std::string>()->default_value("grid"),
        "grid, lhs:N (N points), morris:R (R trajectories) or sobol:N (Saltelli, N rows: "
        "N*(k+2) variants)")("metric", po::value<std::vector<std::string>>()->composing(),
                             "sobol: a headline metric SCOPE.KEY.METRIC (world.METRIC) to give "
                             "indices (repeatable; default: every headline metric)")(
        "bootstrap", po::value<int>(),
        fmt::format("sobol: bootstrap resamples of the 95% intervals (default {})",
                    analysis::kSobolBootstrapDefault)
            .c_str());
    return group;
}

/// --metric and --bootstrap: the Sobol estimator's settings, for sobol designs only.
void sobol_settings(const po::variables_map& vm, run::SweepJob& job) {
    const bool sobol = job.design.kind == analysis::DesignKind::sobol;
    if (!sobol && (vm.count("metric") || vm.count("bootstrap")))
        usage_error("sweep", "--metric and --bootstrap apply to --design sobol:N only");
    if (vm.count("bootstrap")) {
        job.bootstrap = vm["bootstrap"].as<int>();
        if (job.bootstrap < 1 || job.bootstrap > analysis::kSobolBootstrapMax)
            usage_error("sweep", fmt::format("--bootstrap must be from 1 to {}, not {}",
                                             analysis::kSobolBootstrapMax, job.bootstrap));
    }
    if (!vm.count("metric")) return;
    for (const auto& m : vm["metric"].as<std::vector<std::string>>())
        if (std::find(job.sobol_metrics.begin(), job.sobol_metrics.end(), m) ==
            job.sobol_metrics.end())
            job.sobol_metrics.push_back(m);  // a repeat would only repeat its rows
}

}  // namespace

int sweep_command(const Invocation& inv) {
    CommandOptions options(
        "Usage: tradesim sweep SCENARIO.yaml --param PATH=v1,v2,...|PATH=lo:hi[:step] ...\n"
        "                      [--design grid|lhs:N|morris:R|sobol:N] [--metric METRIC]... "
        "[--bootstrap B]\n"
        "                      [--runs N] [--threads T] [--shard I/N] [-o DIR] [--set "
        "PATH=VALUE]... [--seed N]\n"
        "                      [--max-output SIZE] [--force] [--quiet]\n\n"
        "Run variants of a scenario (each --param overrides a value by dotted path, as --set does) "
        "x N runs.\n"
        "Writes runs.csv (a row per variant x run x metric of the run's summary.csv), "
        "summary.csv (a row\n"
        "per variant x metric: mean, sd, p05, p50, p95, runs, se) and, for Morris, morris.csv "
        "(mu*, mu,\n"
        "sigma ranking of the parameters per metric), for Sobol, sobol.csv (first-order and "
        "total indices,\n"
        "95% bootstrap intervals) into DIR (default out/<scenario name>-sweep), with "
        "datapackage.json.\n"
        "Run r of every variant uses the same random streams (common random numbers). Under "
        "mpirun the\n"
        "runs are spread over the ranks; with --shard I/N only shard I is computed into "
        "DIR/parts and\n"
        "'tradesim reduce DIR' merges the shards.\nOptions");
    options.visible.add(terminal_options(kQuietHelp))
        .add(design_options())
        .add(ensemble_options("Monte Carlo runs per variant"))
        .add(output_options(false))
        .add(scenario_options(
            "override a value of every variant (repeatable)",
            "random seed (overrides the scenario's; also seeds lhs, morris, sobol)", true));
    options.hidden.add_options()("scenario", po::value<std::string>(), "scenario file");
    options.pos.add("scenario", 1);
    const auto vm = parse("sweep", inv, options);
    if (print_help(vm, options)) return 0;
    const bool quiet = vm.count("quiet") > 0;
    run::SweepJob job;
    job.scenario = scenario_settings("sweep", vm);
    if (!vm.count("param")) usage_error("sweep", "give at least one --param PATH=VALUES");
    job.ensemble = ensemble_settings("sweep", vm);
    job.output = output_settings("sweep", vm);
    for (const auto& spec : vm["param"].as<std::vector<std::string>>())
        job.parameters.push_back(analysis::parse_sweep_parameter(spec));
    job.design = analysis::parse_design(vm["design"].as<std::string>());
    sobol_settings(vm, job);
    job.command_line = inv.command_line;

    ProgressBar bar("runs", !quiet);
    const auto outcome = run::run_sweep(job, terminal_feedback(bar));
    bar.finish();
    if (outcome.exit_code != 0 || quiet) return outcome.exit_code;
    if (outcome.kind == run::SweepOutcome::Kind::merged)
        print_sweep_results(outcome.results, outcome.output, outcome.wall_seconds);
    if (outcome.kind == run::SweepOutcome::Kind::shard)
        print_shard_outcome("sweep", *outcome.shard, outcome.output, outcome.wall_seconds);
    return 0;
}

int reduce_command(const Invocation& inv) {
    CommandOptions options(
        "Usage: tradesim reduce DIR [--keep-parts] [--quiet]\n\n"
        "Merge the parts that the shards of a job (tradesim run|sweep --shard I/N -o DIR) wrote "
        "into\n"
        "DIR/parts into the final files in DIR, exactly as one process would have written them; "
        "then\n"
        "remove the parts. Fails, writing nothing, if a run has no complete part.\nOptions");
    options.visible.add_options()("keep-parts", "keep DIR/parts after merging");
    options.visible.add(terminal_options("print nothing on success"));
    options.hidden.add_options()("dir", po::value<std::string>(), "output folder");
    options.pos.add("dir", 1);
    const auto vm = parse("reduce", inv, options);
    if (print_help(vm, options)) return 0;
    run::ReduceJob job;
    job.folder = positional("reduce", vm, "dir", "missing DIR");
    job.keep_parts = vm.count("keep-parts") > 0;
    job.command_line = inv.command_line;

    const auto outcome = run::reduce_parts(job);
    if (vm.count("quiet")) return 0;
    const auto& plan = outcome.results.plan;
    fmt::print("reduced {} part(s) of {} '{}' into {} ({:.2f} s)\n", plan.tasks(),
               io::to_string(plan.kind), plan.scenario_name, job.folder.string(),
               outcome.wall_seconds);
    if (plan.kind == io::EnsemblePlan::Kind::sweep)
        print_sweep_results(outcome.results, job.folder, outcome.wall_seconds);
    return 0;
}

}  // namespace ts::cli
