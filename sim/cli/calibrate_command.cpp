// tradesim calibrate: parse the options, call the run layer (run::run_calibration), print the
// fitted parameters, the objective before and after, the work done and the warnings.
#include "cli/calibrate_command.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analysis/calibration.hpp"
#include "analysis/sweep_design.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "run/calibrate_job.hpp"

namespace ts::cli {

namespace {

constexpr const char* kUsage =
    "Usage: tradesim calibrate SCENARIO.yaml --targets FILE --free PATH=LOW:HIGH ... [--method M]\n"
    "                          [--budget N] [--starts S] [--runs N] [--threads N] [--seed N]\n"
    "                          [--set PATH=VALUE]... [-o DIR] [--force] [--resume] [--quiet]\n\n"
    "Fit the free parameters (any --set path naming a number of the scenario, schedule points\n"
    "included) by minimising sum(weight * z^2) over the targets that are not holdouts. Each\n"
    "evaluation simulates runs 0..N-1 (common random numbers). Evaluates the scenario's values,\n"
    "a Latin hypercube, then local searches from the best S points; then the standard errors\n"
    "at the optimum. Writes calibrated.yaml (extends the scenario with the fitted values),\n"
    "fit-before.csv, fit-after.csv, evaluations.csv, identifiability.csv, manifest.json into\n"
    "DIR (default out/<scenario name>-calibrate). Under mpirun evaluations are spread over the\n"
    "ranks. See docs/calibration.md.\nOptions";

po::options_description calibrate_options() {
    po::options_description group("Calibration");
    group.add_options()("targets", po::value<std::string>(), "targets file (YAML)")(
        "free", po::value<std::vector<std::string>>()->composing(),
        "PATH=LOW:HIGH: a free parameter and its bounds (repeatable)")(
        "method", po::value<std::string>()->default_value("bobyqa"),
        "bobyqa, neldermead, sbplx, cobyla (local) or direct (global)")(
        "budget", po::value<int>()->default_value(200), "evaluations of the search in all")(
        "starts", po::value<int>()->default_value(4), "local searches, from the best points")(
        "runs", po::value<int>()->default_value(1), "runs per evaluation")(
        "threads", po::value<int>()->default_value(1), "worker threads (0: one per core)");
    return group;
}

po::options_description folder_options() {
    po::options_description group("Output");
    group.add_options()("output,o", po::value<std::string>(), "output folder")(
        "force", "replace an existing output folder")(
        "resume",
        "reuse the evaluations in DIR (an interrupted or earlier calibrate) and replace it");
    return group;
}

int positive(const std::string& name, const po::variables_map& vm, int minimum) {
    const int v = vm[name].as<int>();
    if (v < minimum)
        usage_error("calibrate", fmt::format("--{} must be >= {}, not {}", name, minimum, v));
    return v;
}

run::CalibrateJob job_of(const Invocation& inv, const po::variables_map& vm) {
    run::CalibrateJob job;
    job.scenario = scenario_settings("calibrate", vm);
    if (!vm.count("targets")) usage_error("calibrate", "give the targets with --targets FILE");
    job.targets_file = vm["targets"].as<std::string>();
    if (!vm.count("free")) usage_error("calibrate", "give at least one --free PATH=LOW:HIGH");
    for (const auto& spec : vm["free"].as<std::vector<std::string>>())
        job.free.push_back(analysis::parse_free_parameter(spec));
    job.method = analysis::parse_calibration_method(vm["method"].as<std::string>());
    job.budget = positive("budget", vm, 1);
    job.starts = positive("starts", vm, 1);
    job.runs = positive("runs", vm, 1);
    job.threads = positive("threads", vm, 0);
    if (vm.count("output")) job.output.folder = vm["output"].as<std::string>();
    job.output.force = vm.count("force") > 0;
    job.resume = vm.count("resume") > 0;
    job.command_line = inv.command_line;
    return job;
}

/// A line of prose broken at spaces into lines of at most 100 columns, indented after the first.
void print_wrapped(const std::string& text) {
    constexpr std::size_t kWidth = 100;
    std::string line;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(start, end - start);
        if (!line.empty() && line.size() + 1 + word.size() > kWidth) {
            fmt::print("{}\n", line);
            line = "  ";
        } else if (!line.empty() && line != "  ") {
            line += ' ';
        }
        line += word;
        start = end + 1;
    }
    if (!line.empty()) fmt::print("{}\n", line);
}

/// The notable correlations of the estimates (|r| >= 0.5; identifiability.csv has them all).
void print_correlations(const run::CalibrateOutcome& o) {
    bool any = false;
    for (std::size_t a = 0; a < o.parameters.size(); ++a)
        for (std::size_t b = a + 1; b < o.parameters.size(); ++b) {
            const double r = o.correlation[a][b];
            if (!(std::abs(r) >= 0.5)) continue;
            if (!any) fmt::print("correlations of the estimates (|r| >= 0.5):\n");
            any = true;
            print_wrapped(fmt::format("  {:+.2f}  {} ~ {}", r, o.parameters[a].free.path,
                                      o.parameters[b].free.path));
        }
}

std::string se_text(const run::CalibratedParameter& p) {
    if (!std::isfinite(p.report.se)) return "-";
    return fmt::format("{:.3g}", p.report.se);
}

void print_outcome(const run::CalibrateOutcome& o, const run::CalibrateJob& job) {
    const double total = o.evaluations + o.identify_evaluations;
    // Two lines whatever the scenario's name, each within 100 columns for a name of up to 60.
    fmt::print("calibrated '{}' to {} with {}\n", o.scenario_name,
               std::filesystem::path(job.targets_file).filename().string(), o.method);
    const double rate = o.wall_seconds > 0 ? total / o.wall_seconds : 0.0;
    fmt::print(
        "{} evaluations + {} for the standard errors in {:.2f} s ({}/s); objective {:.6g} "
        "-> {:.6g}\n\n",
        o.evaluations, o.identify_evaluations, o.wall_seconds,
        rate >= 100 ? fmt::format("{:.0f}", rate) : fmt::format("{:.3g}", rate), o.objective_before,
        o.objective_after);
    std::size_t width = 9;
    for (const auto& p : o.parameters) width = std::max(width, p.free.path.size());
    // Long paths on their own line: the columns after the path take 60, the table stays in 100.
    const bool wrap = width > 40;
    if (wrap) width = 4;
    fmt::print("{:<{}}  {:>12}  {:>12}  {:>19}  {:>9}\n", "parameter", width, "start", "fitted",
               "bounds", "SE");
    for (const auto& p : o.parameters) {
        const std::string bounds =
            fmt::format("[{}, {}]", analysis::format_parameter_value(p.free.lo),
                        analysis::format_parameter_value(p.free.hi));
        if (wrap) fmt::print("{}\n", p.free.path);
        fmt::print("{:<{}}  {:>12}  {:>12}  {:>19}  {:>9}\n", wrap ? "" : p.free.path, width,
                   fmt::format("{:.6g}", p.start), fmt::format("{:.6g}", p.fitted), bounds,
                   se_text(p));
    }
    print_correlations(o);
    for (const auto& w : o.warnings) print_wrapped("warning: " + w);
    fmt::print("\n{}", o.fit_table);
    fmt::print("\nwrote {}\n", o.output.string());
}

}  // namespace

int calibrate_command(const Invocation& inv) {
    CommandOptions options(kUsage);
    options.visible.add(terminal_options(kQuietHelp))
        .add(calibrate_options())
        .add(folder_options())
        .add(scenario_options("override a value of the scenario (repeatable)",
                              "random seed (overrides the scenario's; also seeds the hypercube)"));
    options.hidden.add_options()("scenario", po::value<std::string>(), "scenario file");
    options.pos.add("scenario", 1);
    const auto vm = parse("calibrate", inv, options);
    if (print_help(vm, options)) return 0;
    const bool quiet = vm.count("quiet") > 0;
    const run::CalibrateJob job = job_of(inv, vm);

    ProgressBar bar("evaluations", !quiet);
    run::CalibrateFeedback feedback;
    feedback.message = terminal_feedback(bar).message;
    feedback.progress = [&bar](int done, int budget, double best) {
        bar.update(done, budget, fmt::format("best {:.6g}", best));
    };
    const auto outcome = run::run_calibration(job, feedback);
    bar.finish();
    if (outcome.exit_code != 0 || quiet || !outcome.written) return outcome.exit_code;
    print_outcome(outcome, job);
    return 0;
}

}  // namespace ts::cli
