// tradesim compare DIR_A DIR_B [DIR...] [--baseline DIR]
//   [--by country|product|supplier|route|headquarters]
//   [--metric M]... [--from DATE] [--to DATE] [-o FILE] [--format table|markdown|csv] [--all]
// Thin: parse, read the run folders (sim/io), check they are comparable, compare
// (sim/analysis), print the table and write the CSV (sim/io).
#include "cli/compare_command.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "analysis/compare.hpp"
#include "analysis/compare_period.hpp"
#include "cli/options.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "io/compare_report.hpp"
#include "io/output_dir.hpp"
#include "io/run_reader.hpp"

namespace fs = std::filesystem;

namespace ts::cli {

namespace {

constexpr const char* kCommand = "compare";

/// The usage and options of `compare`.
CommandOptions compare_options() {
    CommandOptions options(
        "Usage: tradesim compare DIR_A DIR_B [DIR...] [--baseline DIR] [--by "
        "country|product|supplier|route|headquarters]\n"
        "                        [--metric M]... [--from DATE] [--to DATE] [-o FILE] [--format "
        "table|markdown|csv]\n"
        "                        [--by-period year|quarter|fiscal-year [--fiscal-year-start M]]\n\n"
        "Headline metrics of run folders (written by 'tradesim run') side by side, with absolute "
        "and relative\n"
        "differences against the baseline (the first folder unless --baseline names another). The "
        "folders must\n"
        "have the same countries and time span. Ensembles (files with a 'run' column) show the "
        "mean and the\n"
        "90 % interval (p05-p95) over their runs, and the paired difference (same run index) with "
        "its interval.\n"
        "--by route gives origin > hub > destination totals (units, compute, value), the numbers "
        "of a Sankey\n"
        "diagram; compute - seized_compute - in_transit_compute is the compute that arrived in "
        "the period.\n"
        "Metrics by view:\n"
        "  country   world and per country: imports_compute, compute_used, "
        "share_via_third_countries,\n"
        "            share_diverted, seized_units, unmet_compute, price_index_mean, "
        "tariff_revenue_usd,\n"
        "            fee_revenue_usd; per supplier and billing country: revenue_usd\n"
        "  supplier  revenue_usd, units, compute, value_usd, fee_usd, share_via_third_countries, "
        "share_diverted,\n"
        "            seized_units; per supplier and billing country: revenue_usd\n"
        "  product   units, compute, value_usd, tariff_usd, fee_usd, share_via_third_countries, "
        "share_diverted,\n"
        "            seized_units\n"
        "  route     units, compute, seized_compute, in_transit_compute, value_usd, "
        "seized_units\n"
        "  headquarters  per headquarters country of the buyers: compute, compute_abroad,\n"
        "            compute_remote, units, value_usd, share_via_third_countries, share_diverted,\n"
        "            seized_units\n"
        "Rows that are zero in every scenario are left out (--all keeps them).\nOptions");
    options.visible.add_options()("baseline", po::value<std::string>(),
                                  "the baseline folder (default: the first)")(
        "by", po::value<std::string>()->default_value("country"),
        "view: country, product, supplier, route or headquarters")(
        "metric", po::value<std::vector<std::string>>()->composing(),
        "only this metric (repeatable)")(
        "from", po::value<std::string>(),
        "first date of the period (YYYY-MM or YYYY-MM-DD; default: the start)")(
        "to", po::value<std::string>(),
        "last date of the period (YYYY-MM: through its end; default: the end)")(
        "by-period", po::value<std::string>(),
        "split the totals by year, quarter or fiscal-year (rows per period)")(
        "fiscal-year-start", po::value<int>(),
        "with --by-period fiscal-year: the month (1-12) fiscal years start; FY named by the "
        "year they end in")("output,o", po::value<std::string>(),
                            "also write the table as CSV to FILE")(
        "format", po::value<std::string>()->default_value("table"),
        "printed form: table, markdown or csv")("all", "keep rows that are zero in every scenario");
    options.visible.add(terminal_options());
    options.hidden.add_options()("folders", po::value<std::vector<std::string>>(), "run folders");
    options.pos.add("folders", -1);
    return options;
}

/// "YYYY-MM-DD" of a --from/--to date; a month (YYYY-MM) means its first day for --from and its
/// last day for --to, so `--from 2025-01 --to 2025-03` is the whole first quarter.
std::string period_bound(const std::string& option, const std::string& text, bool end) {
    auto d = parse_date(text);
    if (!d)
        usage_error(kCommand, fmt::format("{} '{}' is not a date (expected YYYY-MM or YYYY-MM-DD)",
                                          option, text));
    if (end && text.size() == 7) d->day = days_in_month(d->year, d->month);
    return format_date(*d);
}

bool same_folder(const fs::path& a, const fs::path& b) {
    std::error_code ec1, ec2;
    const auto ca = fs::weakly_canonical(a, ec1), cb = fs::weakly_canonical(b, ec2);
    if (ec1 || ec2) return a.lexically_normal() == b.lexically_normal();
    return ca == cb;
}

/// The folders to compare, the baseline first.
std::vector<std::string> folders_of(const po::variables_map& vm) {
    std::vector<std::string> folders;
    if (vm.count("folders")) folders = vm["folders"].as<std::vector<std::string>>();
    if (vm.count("baseline")) {
        const std::string base = vm["baseline"].as<std::string>();
        const auto it = std::find_if(folders.begin(), folders.end(),
                                     [&](const std::string& f) { return same_folder(f, base); });
        if (it != folders.end()) folders.erase(it);
        folders.insert(folders.begin(), base);
    }
    if (folders.empty()) usage_error(kCommand, "missing run folders (DIR_A DIR_B ...)");

    return folders;
}

/// --by, --metric and --all.
analysis::CompareOptions compare_settings(const po::variables_map& vm) {
    analysis::CompareOptions options;
    const auto by = analysis::parse_compare_by(vm["by"].as<std::string>());
    if (!by)
        usage_error(kCommand, fmt::format("--by must be country, product, supplier, route or "
                                          "headquarters, not '{}'",
                                          vm["by"].as<std::string>()));
    options.by = *by;
    options.keep_zero_rows = vm.count("all") > 0;
    if (vm.count("metric")) {
        const auto known = analysis::metric_names(options.by);
        for (const auto& m : vm["metric"].as<std::vector<std::string>>()) {
            if (const auto retired = analysis::retired_metric(m))
                usage_error(kCommand, fmt::format("--metric {}", *retired));
            if (std::find(known.begin(), known.end(), m) == known.end())
                usage_error(kCommand, fmt::format("--by {} has no metric '{}'{} (metrics: {})",
                                                  analysis::to_string(options.by), m,
                                                  did_you_mean(m, known), fmt::join(known, ", ")));
            options.metrics.push_back(m);
        }
    }
    return options;
}

struct ByPeriod {
    analysis::PeriodKind kind = analysis::PeriodKind::year;
    int fiscal_year_start = 1;
};

/// --by-period and --fiscal-year-start.
std::optional<ByPeriod> by_period_of(const po::variables_map& vm) {
    if (!vm.count("by-period")) {
        if (vm.count("fiscal-year-start"))
            usage_error(kCommand, "--fiscal-year-start goes with --by-period fiscal-year");
        return std::nullopt;
    }
    const std::string text = vm["by-period"].as<std::string>();
    const auto kind = analysis::parse_period_kind(text);
    if (!kind)
        usage_error(kCommand, fmt::format("--by-period must be year, quarter or fiscal-year, not "
                                          "'{}'",
                                          text));
    ByPeriod b{*kind, 1};
    if (*kind == analysis::PeriodKind::fiscal_year) {
        if (!vm.count("fiscal-year-start"))
            usage_error(kCommand,
                        "--by-period fiscal-year needs --fiscal-year-start MONTH (1-12), e.g. 2 "
                        "for fiscal years that start in February");
        b.fiscal_year_start = vm["fiscal-year-start"].as<int>();
        if (b.fiscal_year_start < 1 || b.fiscal_year_start > 12)
            usage_error(kCommand, fmt::format("--fiscal-year-start must be a month 1-12, not {}",
                                              b.fiscal_year_start));
    } else if (vm.count("fiscal-year-start")) {
        usage_error(kCommand, "--fiscal-year-start goes with --by-period fiscal-year");
    }
    return b;
}

/// --from and --to.
analysis::Period period_of(const po::variables_map& vm) {
    analysis::Period period;
    if (vm.count("from")) period.from = period_bound("--from", vm["from"].as<std::string>(), false);
    if (vm.count("to")) period.to = period_bound("--to", vm["to"].as<std::string>(), true);
    if (period.from && period.to && *period.from > *period.to)
        usage_error(kCommand, fmt::format("--from {} is after --to {}", *period.from, *period.to));
    return period;
}

/// Every folder's totals over the period, checked to be comparable (bad folders are input
/// errors: exit 2, reported together). `totals` keeps what the scenarios point to.
/// With --by-period, `splits` gets each folder's totals per period.
std::vector<analysis::ScenarioRuns> read_runs(
    const std::vector<std::string>& folders, const analysis::Period& period, analysis::CompareBy by,
    const std::optional<ByPeriod>& by_period,
    std::vector<std::unique_ptr<analysis::RunTotals>>& totals,
    std::vector<std::unique_ptr<analysis::PeriodSplit>>& splits) {
    std::vector<analysis::ScenarioRuns> scenarios;
    std::vector<Diagnostic> problems;
    for (const auto& f : folders) {
        auto t = std::make_unique<analysis::RunTotals>(period);
        std::unique_ptr<analysis::PeriodSplit> split;
        if (by_period)
            split = std::make_unique<analysis::PeriodSplit>(
                by_period->kind, by_period->fiscal_year_start, period, *t);
        try {
            if (by == analysis::CompareBy::headquarters) {
                const auto hq = io::read_buyer_headquarters(f);
                if (split)
                    split->set_headquarters(hq);
                else
                    t->set_headquarters(hq);
            }
            const auto info = split ? io::read_run_folder(f, *split) : io::read_run_folder(f, *t);
            if (by == analysis::CompareBy::headquarters && t->flows_without_buyer() > 0)
                throw InputError(fmt::format(
                    "'{}': flows.csv has no buyers (written with --detail country); --by "
                    "headquarters needs flows by buyer",
                    f));
            analysis::ScenarioRuns s;
            s.label = info.scenario_name;
            s.folder = f;
            s.seed = info.seed;
            s.observed_until = info.observed_until;
            s.projection_from = info.projection_from;
            s.random_parts = info.random_parts;
            s.totals = t.get();
            scenarios.push_back(s);
            totals.push_back(std::move(t));
            if (split) splits.push_back(std::move(split));
        } catch (const InputError& e) {
            for (const auto& d : e.diagnostics()) problems.push_back(d);
        }
    }
    if (!problems.empty()) throw InputError(problems);
    // Labels must tell the columns apart: a repeated scenario name gets its folder.
    std::vector<std::string> names;
    for (const auto& s : scenarios) names.push_back(s.label);
    for (std::size_t i = 0; i < scenarios.size(); ++i)
        if (std::count(names.begin(), names.end(), names[i]) > 1)
            scenarios[i].label += fmt::format(" [{}]", scenarios[i].folder);
    for (const auto& p : analysis::comparability_problems(scenarios))
        problems.push_back(
            Diagnostic{Severity::error, {}, "", fmt::format("tradesim compare: {}", p)});
    if (!problems.empty()) throw InputError(problems);
    for (const auto& s : scenarios)
        if (s.totals->ticks_in_period() == 0)
            usage_error(kCommand,
                        fmt::format("the period {} .. {} holds no tick of '{}' ({})",
                                    period.from.value_or("start"), period.to.value_or("end"),
                                    s.folder, s.totals->span().describe()));

    return scenarios;
}

/// The table in the chosen form on stdout and, with -o, the CSV.
void report(const analysis::CompareResult& result, io::CompareFormat format,
            const std::optional<fs::path>& out) {
    for (const auto& w : result.warnings) fmt::print(stderr, "warning: {}\n", w);
    switch (format) {
        case io::CompareFormat::table:
            fmt::print("{}", io::render_compare_table(result));
            break;
        case io::CompareFormat::markdown:
            fmt::print("{}", io::render_compare_markdown(result));
            break;
        case io::CompareFormat::csv:
            fmt::print("{}", io::render_compare_csv(result));
            break;
    }
    if (out) {
        io::create_parent_folders(*out);
        io::write_compare_csv(result, *out);
        if (format != io::CompareFormat::csv) fmt::print("\nwrote {}\n", out->string());
    }
}

}  // namespace

int compare_command(const Invocation& inv) {
    const CommandOptions options = compare_options();
    const auto vm = parse(kCommand, inv, options);
    if (print_help(vm, options)) return 0;
    const std::vector<std::string> folders = folders_of(vm);
    const analysis::CompareOptions settings = compare_settings(vm);
    const auto format = io::parse_compare_format(vm["format"].as<std::string>());
    if (!format)
        usage_error(kCommand, fmt::format("--format must be table, markdown or csv, not '{}'",
                                          vm["format"].as<std::string>()));
    const analysis::Period period = period_of(vm);
    std::optional<fs::path> out;
    if (vm.count("output")) out = fs::path(vm["output"].as<std::string>());

    const auto by_period = by_period_of(vm);
    std::vector<std::unique_ptr<analysis::RunTotals>> totals;
    std::vector<std::unique_ptr<analysis::PeriodSplit>> splits;
    const auto scenarios = read_runs(folders, period, settings.by, by_period, totals, splits);
    if (by_period) {
        std::vector<const analysis::PeriodSplit*> views;
        for (const auto& s : splits) views.push_back(s.get());
        report(analysis::compare_by_period(scenarios, views, settings), *format, out);
    } else {
        report(analysis::compare_runs(scenarios, settings), *format, out);
    }
    return 0;
}

}  // namespace ts::cli
