// tradesim fit RUN_DIR... --targets FILE [-o FIT.csv] [--fail-outside] [--format table|csv]
// Thin: load the targets (sim/io), read every run folder into a TargetAccumulator, check the
// targets against it, fit (sim/analysis), print and write the report (sim/io).
#include "cli/fit_command.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analysis/targets.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "io/fit_report.hpp"
#include "io/output_dir.hpp"
#include "io/run_reader.hpp"
#include "io/targets_reader.hpp"

namespace fs = std::filesystem;

namespace ts::cli {

namespace {

constexpr const char* kCommand = "fit";

CommandOptions fit_options() {
    CommandOptions options(
        "Usage: tradesim fit RUN_DIR [RUN_DIR...] --targets FILE [-o FIT.csv] [--fail-outside] "
        "[--format table|csv]\n\n"
        "Holds run folders (written by 'tradesim run') against the observed moments of a targets "
        "file\n"
        "(docs/calibration.md): for every target the model value, the observed value, their "
        "ratio, the\n"
        "standardised error z and whether the model lies inside the target's band; holdouts in "
        "their own\n"
        "section; the objective, the sum of weight * z^2 over the other targets. Ensembles (files "
        "with a\n"
        "'run' column) use the mean over their runs and show its spread (sd, p05, p95). Several "
        "folders give\n"
        "one block each and their objectives side by side.\n"
        "Exit codes: 0 done; 1 with --fail-outside when a non-holdout target is outside its band "
        "(named on\n"
        "stderr); 2 bad input (targets file, a target naming a key the run lacks, a period "
        "outside the run).\nOptions");
    options.visible.add_options()("targets", po::value<std::string>(), "the targets file (YAML)")(
        "output,o", po::value<std::string>(), "also write the report as CSV to FILE")(
        "format", po::value<std::string>()->default_value("table"), "printed form: table or csv")(
        "fail-outside", "exit 1 when a non-holdout target is outside its band");
    options.visible.add(terminal_options());
    options.hidden.add_options()("folders", po::value<std::vector<std::string>>(), "run folders");
    options.pos.add("folders", -1);
    return options;
}

/// Every folder's fit; bad folders and targets the runs cannot evaluate are input errors,
/// reported together.
std::vector<io::FolderFit> fit_folders(const analysis::TargetSet& targets,
                                       const std::vector<std::string>& folders) {
    std::vector<io::FolderFit> fits;
    std::vector<Diagnostic> problems;
    for (const auto& f : folders) {
        try {
            analysis::TargetAccumulator acc(targets);
            if (auto names = io::read_run_names(f)) acc.set_names(std::move(*names));
            const auto info = io::read_run_folder(f, acc);
            const Diagnostics d = acc.check(fmt::format("run folder '{}'", f));
            for (const auto& item : d.items()) problems.push_back(item);
            if (d.has_errors()) continue;
            io::FolderFit fit;
            fit.folder = f;
            fit.label = info.scenario_name;
            fit.runs = static_cast<int>(acc.runs().size());
            fit.first = acc.span().first;
            fit.last = acc.span_end();
            fit.observed_until = info.observed_until;
            fit.report = analysis::fit(targets, acc.all_model_values(), info.observed_until);
            fits.push_back(std::move(fit));
        } catch (const InputError& e) {
            for (const auto& d : e.diagnostics()) problems.push_back(d);
        }
    }
    bool errors = false;
    for (const auto& p : problems) errors = errors || p.severity == Severity::error;
    if (errors) throw InputError(problems);
    for (const auto& p : problems) fmt::print(stderr, "{}\n", p.format());
    return fits;
}

}  // namespace

int fit_command(const Invocation& inv) {
    const CommandOptions options = fit_options();
    const auto vm = parse(kCommand, inv, options);
    if (print_help(vm, options)) return 0;
    if (!vm.count("folders")) usage_error(kCommand, "missing run folders (RUN_DIR ...)");
    if (!vm.count("targets")) usage_error(kCommand, "missing --targets FILE");
    const auto format = io::parse_fit_format(vm["format"].as<std::string>());
    if (!format)
        usage_error(kCommand, fmt::format("--format must be table or csv, not '{}'",
                                          vm["format"].as<std::string>()));
    std::optional<fs::path> out;
    if (vm.count("output")) out = fs::path(vm["output"].as<std::string>());

    const analysis::TargetSet targets = io::load_targets(vm["targets"].as<std::string>());
    const auto fits = fit_folders(targets, vm["folders"].as<std::vector<std::string>>());

    fmt::print("{}", *format == io::FitFormat::csv ? io::render_fit_csv(fits)
                                                   : io::render_fit_table(targets, fits));
    if (out) {
        io::create_parent_folders(*out);
        io::write_fit_csv(fits, *out);
        if (*format != io::FitFormat::csv) fmt::print("\nwrote {}\n", out->string());
    }
    if (vm.count("fail-outside")) {
        bool outside = false;
        for (const auto& f : fits) {
            const auto ids = io::outside_band(f);
            if (ids.empty()) continue;
            outside = true;
            fmt::print(stderr, "tradesim fit: {}: outside their band: {}\n", f.folder,
                       fmt::join(ids, ", "));
        }
        if (outside) return 1;
    }
    return 0;
}

}  // namespace ts::cli
