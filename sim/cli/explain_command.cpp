// tradesim explain RUN_DIR (--buyer ID | --offer SUPPLIER/PRODUCT) --date D [--run N] [-o FILE]
// tradesim explain RUN_A RUN_B --metric M [--key K] [--scope S] [--from D] [--until D]
//                  [--runs N] [--exact-limit N] [--permutations N] [--threads N] [-o DIR]
// Thin: parse, call the job (sim/run/explain_job), print what it says and the files it wrote.
#include "cli/explain_command.hpp"

#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/options.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "run/explain_job.hpp"

namespace ts::cli {

namespace {

constexpr const char* kCommand = "explain";

CommandOptions explain_options() {
    CommandOptions options(
        "Usage: tradesim explain RUN_DIR (--buyer ID | --offer SUPPLIER/PRODUCT) --date D "
        "[--run N] [-o FILE]\n"
        "       tradesim explain RUN_A RUN_B --metric M [--key K] [--scope S] [--from D] "
        "[--until D] [-o DIR]\n\n"
        "Explains results by re-simulating the run folders' scenario.resolved.yaml (which "
        "repeats a run\n"
        "exactly; docs/explaining-results.md).\n"
        "With one folder: the decision trace of a buyer (every candidate offer, every route with "
        "its cost\n"
        "terms and the policies that restrict it, the CES shares, licences, rationing and "
        "re-choice, what\n"
        "arrived and left) or of an offer (who ordered it, who got it, what bound) in the tick "
        "containing D.\n"
        "With two folders: the change of a summary.csv metric from A to B attributed to each "
        "difference\n"
        "between the two scenarios (Shapley values: its effect averaged over every order of "
        "switching the\n"
        "differences on; the values add up to the change), and where the change went by channel, "
        "route,\n"
        "supplier and product.\nOptions");
    options.visible.add_options()("buyer", po::value<std::string>(), "trace this buyer")(
        "offer", po::value<std::string>(), "trace this offer (SUPPLIER/PRODUCT)")(
        "date", po::value<std::string>(), "the tick containing this date (YYYY-MM[-DD])")(
        "run", po::value<int>()->default_value(0), "ensemble member to trace (its random streams)")(
        "metric", po::value<std::string>(), "two folders: the summary.csv metric to attribute")(
        "key", po::value<std::string>(), "its key: country code, supplier id, ... (summary.csv)")(
        "scope", po::value<std::string>(), "its scope when the key is in several")(
        "from", po::value<std::string>(), "sum the metric from this date (default: run start)")(
        "until", po::value<std::string>(), "... to this date, exclusive (default: run end)")(
        "runs", po::value<int>()->default_value(1), "runs averaged at every evaluation")(
        "exact-limit", po::value<int>()->default_value(10),
        "exact Shapley values up to this many differences (2^N runs); above it differences are "
        "grouped by item and, if still too many, sampled")(
        "permutations", po::value<int>()->default_value(200), "random orders when sampling")(
        "threads", po::value<int>()->default_value(1),
        "attribution: runs in parallel (0: one per core)")(
        "output,o", po::value<std::string>(),
        "trace: the CSV file (default RUN_DIR/explain/ID-DATE.csv); attribution: the folder "
        "(default RUN_B/explain)");
    options.visible.add(terminal_options());
    options.hidden.add_options()("folders", po::value<std::vector<std::string>>(), "run folders");
    options.pos.add("folders", -1);
    return options;
}

std::optional<Date> date_option(const po::variables_map& vm, const char* name) {
    if (!vm.count(name)) return std::nullopt;
    const auto text = vm[name].as<std::string>();
    const auto d = parse_date(text);
    if (!d)
        usage_error(kCommand, fmt::format("--{} '{}' is not a date (YYYY-MM[-DD])", name, text));
    return d;
}

int positive(const po::variables_map& vm, const char* name, int min) {
    const int v = vm[name].as<int>();
    if (v < min) usage_error(kCommand, fmt::format("--{} must be at least {}", name, min));
    return v;
}

}  // namespace

int explain_command(const Invocation& inv) {
    const CommandOptions options = explain_options();
    const auto vm = parse(kCommand, inv, options);
    if (print_help(vm, options)) return 0;
    const auto folders = vm.count("folders") ? vm["folders"].as<std::vector<std::string>>()
                                             : std::vector<std::string>{};
    const auto text = [&](const char* name) {
        return vm.count(name) ? vm[name].as<std::string>() : std::string();
    };
    if (folders.size() == 1) {
        if (vm.count("metric"))
            usage_error(kCommand, "--metric needs two run folders (RUN_A RUN_B)");
        if (!vm.count("date")) usage_error(kCommand, "missing --date D (the tick to trace)");
        run::TraceJob job;
        job.run_dir = folders[0];
        job.buyer = text("buyer");
        job.offer = text("offer");
        job.date = text("date");
        job.run = positive(vm, "run", 0);
        job.output = text("output");
        const auto out = run::run_trace_job(job);
        fmt::print("{}\nwrote {}\n", out.text, out.csv.string());
        return 0;
    }
    if (folders.size() == 2) {
        if (!vm.count("metric")) usage_error(kCommand, "missing --metric M (a summary.csv metric)");
        if (vm.count("buyer") || vm.count("offer"))
            usage_error(kCommand, "--buyer and --offer trace one run folder, not two");
        run::AttributionJob job;
        job.a = folders[0];
        job.b = folders[1];
        job.metric = text("metric");
        job.key = text("key");
        job.scope = text("scope");
        job.from = date_option(vm, "from");
        job.until = date_option(vm, "until");
        job.runs = positive(vm, "runs", 1);
        job.exact_limit = static_cast<std::size_t>(positive(vm, "exact-limit", 1));
        job.permutations = static_cast<std::size_t>(positive(vm, "permutations", 2));
        job.threads = positive(vm, "threads", 0);
        job.output = text("output");
        const auto out = run::run_attribution_job(job);
        fmt::print("{}\n", out.text);
        for (const auto& f : out.files) fmt::print("wrote {}\n", f.string());
        return 0;
    }
    usage_error(kCommand, "expected one run folder (a trace) or two (an attribution)");
}

}  // namespace ts::cli
