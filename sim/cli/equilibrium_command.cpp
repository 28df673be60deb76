// tradesim equilibrium SCENARIO.yaml [--at DATE] [--baseline-at DATE] [--linear] [--set
// PATH=VALUE]... [-o FILE] Thin: parse, load, call analysis::solve_equilibrium, print the table,
// write the CSV.
#include "cli/equilibrium_command.hpp"

#include <cmath>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analysis/equilibrium.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "io/csv.hpp"
#include "io/output_dir.hpp"
#include "io/scenario_reader.hpp"

namespace fs = std::filesystem;

namespace ts::cli {

namespace {

constexpr const char* kCommand = "equilibrium";

/// The tick whose period contains DATE (YYYY-MM or YYYY-MM-DD); it must lie within the run.
std::int64_t tick_of(const model::Scenario& s, const std::string& option, const std::string& text) {
    const auto date = parse_date(text);
    if (!date)
        usage_error(kCommand, fmt::format("{} '{}' is not a date (expected YYYY-MM or YYYY-MM-DD)",
                                          option, text));
    const auto cal = s.time.calendar();
    const std::int64_t tick = cal.tick_containing(*date);
    if (tick < 0 || tick >= s.time.ticks)
        usage_error(kCommand, fmt::format("{} {} is outside the run of '{}' ({} .. {})", option,
                                          text, s.name, format_date(cal.date_of(0)),
                                          format_date(cal.date_of(s.time.ticks - 1))));
    return tick;
}

/// A number for the table: readable at any magnitude.
std::string num(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    const double a = std::abs(v);
    if (a >= 1e12) return fmt::format("{:.2f}T", v / 1e12);
    if (a >= 1e9) return fmt::format("{:.2f}B", v / 1e9);
    if (a >= 1e6) return fmt::format("{:.2f}M", v / 1e6);
    if (a >= 100.0) return fmt::format("{:.2f}", v);
    return fmt::format("{:.4f}", v);
}

/// The change in percent of the baseline; none when the baseline is 0 at the precision printed
/// (`decimals`) or not finite.
std::optional<double> change_pct(double base, double value, int decimals = 6) {
    if (std::abs(base) < 0.5 * std::pow(10.0, -decimals) || !std::isfinite(base) ||
        !std::isfinite(value))
        return std::nullopt;
    return (value - base) / std::abs(base) * 100.0;
}

std::string pct(double base, double value) {
    const auto p = change_pct(base, value);
    if (!p) return "-";
    return std::abs(*p) < 1e6 ? fmt::format("{:+.2f}", *p) : fmt::format("{:+.1e}", *p);
}

void print_table(const model::Scenario& s, const analysis::EquilibriumResult& r,
                 const std::string& when, const std::string& against) {
    const auto& a = r.baseline;
    const auto& b = r.current;
    const std::string how = r.linear
                                ? "linearised around the exact baseline (GSIM style)"
                                : fmt::format("exact: {}, {} iteration(s)", b.method, b.iterations);
    fmt::print("equilibrium of '{}' ({})\n", s.name, how);
    fmt::print("  policies in force {}, against {}\n", when, against);

    std::size_t w = 8;
    for (std::size_t o = 0; o < s.offers.size(); ++o) {
        const auto& off = s.offers[o];
        w = std::max(w, s.suppliers[static_cast<std::size_t>(off.supplier)].id.size() + 1 +
                            s.products[static_cast<std::size_t>(off.product)].id.size());
    }
    fmt::print("\n{:<{}}  {:>12} {:>12} {:>9}  {:>12} {:>12} {:>9}  {}\n", "offer", w, "price base",
               "price new", "change %", "qty base", "qty new", "change %", "market");
    for (std::size_t o = 0; o < s.offers.size(); ++o) {
        const auto& off = s.offers[o];
        const std::string name =
            fmt::format("{}/{}", s.suppliers[static_cast<std::size_t>(off.supplier)].id,
                        s.products[static_cast<std::size_t>(off.product)].id);
        const auto& x = a.offers[o];
        const auto& y = b.offers[o];
        const char* market = !y.endogenous ? "fixed price"
                             : y.spare     ? "at unit cost, spare capacity"
                                           : "clears";
        fmt::print("{:<{}}  {:>12} {:>12} {:>9}  {:>12} {:>12} {:>9}  {}\n", name, w, num(x.price),
                   num(y.price), pct(x.price, y.price), num(x.orders), num(y.orders),
                   pct(x.orders, y.orders), market);
    }

    const std::size_t nc = s.countries.size();
    std::vector<char> has_buyer(nc, 0);
    for (const auto& buyer : s.buyers) has_buyer[static_cast<std::size_t>(buyer.country)] = 1;
    fmt::print("\n{:<8} {:>12} {:>12} {:>9}  {:>12} {:>12} {:>9}  {:>12} {:>12}\n", "country",
               "P index base", "P index new", "change %", "imports base", "imports new", "change %",
               "tariff base", "tariff new");
    for (std::size_t c = 0; c < nc; ++c) {
        const auto& x = a.countries[c];
        const auto& y = b.countries[c];
        if (!has_buyer[c] && x.imports_units == 0.0 && y.imports_units == 0.0) continue;
        fmt::print("{:<8} {:>12} {:>12} {:>9}  {:>12} {:>12} {:>9}  {:>12} {:>12}\n",
                   s.countries[c].code, num(x.price_index), num(y.price_index),
                   pct(x.price_index, y.price_index), num(x.imports_compute),
                   num(y.imports_compute), pct(x.imports_compute, y.imports_compute),
                   num(x.tariff_revenue_usd), num(y.tariff_revenue_usd));
    }
    fmt::print(
        "  (price index per compute unit; imports in compute units per tick; tariff revenue in USD "
        "per tick)\n");

    fmt::print("\n{:<8} {:>16} {:>16} {:>16} {:>16}\n", "country", "consumer surplus",
               "tariff revenue", "fee revenue", "welfare");
    for (std::size_t c = 0; c < nc; ++c) {
        const auto& x = a.countries[c];
        const auto& y = b.countries[c];
        const double dt = y.tariff_revenue_usd - x.tariff_revenue_usd,
                     df = y.fee_revenue_usd - x.fee_revenue_usd;
        if (r.consumer_surplus_change[c] == 0.0 && dt == 0.0 && df == 0.0 &&
            r.welfare_change[c] == 0.0 && !has_buyer[c])
            continue;
        fmt::print("{:<8} {:>16} {:>16} {:>16} {:>16}\n", s.countries[c].code,
                   num(r.consumer_surplus_change[c]), num(dt), num(df), num(r.welfare_change[c]));
    }
    std::size_t ws = 8;
    for (const auto& sup : s.suppliers) ws = std::max(ws, sup.id.size());
    fmt::print("\n{:<{}} {:>14} {:>14} {:>9} {:>18}\n", "supplier", ws, "revenue base",
               "revenue new", "change %", "producer surplus");
    for (std::size_t sp = 0; sp < s.suppliers.size(); ++sp)
        fmt::print("{:<{}} {:>14} {:>14} {:>9} {:>18}\n", s.suppliers[sp].id, ws,
                   num(a.suppliers[sp].revenue_usd), num(b.suppliers[sp].revenue_usd),
                   pct(a.suppliers[sp].revenue_usd, b.suppliers[sp].revenue_usd),
                   num(r.producer_surplus_change[sp]));
    fmt::print(
        "  (surplus, revenue and welfare changes in USD per tick; welfare = consumer surplus + "
        "tariff and fee "
        "revenue + producer surplus of the suppliers of the country's jurisdiction)\n");

    for (const auto& warning : r.warnings) fmt::print("\nwarning: {}", warning);
    if (!r.warnings.empty()) fmt::print("\n");
    fmt::print("\nleft out (dynamic features):\n");
    for (const auto& note : r.ignored) fmt::print("  - {}\n", note);
}

int decimals(const std::string& metric) {
    return metric.size() >= 4 && metric.compare(metric.size() - 4, 4, "_usd") == 0 ? 2 : 6;
}

void write_csv(const fs::path& path, const std::vector<analysis::EquilibriumRow>& rows) {
    io::create_parent_folders(path);
    io::CsvWriter csv(path,
                      {"scope", "key", "metric", "baseline", "value", "change", "change_pct"});
    for (const auto& row : rows) {
        const int d = decimals(row.metric);
        csv.text(row.scope)
            .text(row.key)
            .text(row.metric)
            .number(row.baseline, d)
            .number(row.value, d);
        csv.number(row.change(), d);
        const auto p = change_pct(row.baseline, row.value, d);
        if (p)
            csv.number(*p, 4);
        else
            csv.empty();
        csv.end_row();
    }
    csv.commit();
}

}  // namespace

int equilibrium_command(const Invocation& inv) {
    CommandOptions options(
        "Usage: tradesim equilibrium SCENARIO.yaml [--at DATE] [--baseline-at DATE] [--linear] "
        "[--set PATH=VALUE]... "
        "[-o FILE]\n\n"
        "Solve the long-run market equilibrium (no ticks) for the policies in force at DATE, with "
        "changes against\n"
        "the baseline (the world with no policies, or the policies in force at --baseline-at). "
        "Prices of offers\n"
        "with finite capacity and price_adjustment > 0 (or pricing: clearing) clear their markets; "
        "other prices stay "
        "fixed. Growth,\n"
        "backlog, anticipation, licence queues, seizures' randomness, stockpiling, reactions and "
        "design-around\n"
        "are left out. Prints a table; with -o also writes the result as CSV\n"
        "(scope,key,metric,baseline,value,change,change_pct).\nOptions");
    options.visible.add_options()(
        "at", po::value<std::string>(),
        "policies in force at this date (YYYY-MM or YYYY-MM-DD; default: the last tick)")(
        "baseline-at", po::value<std::string>(),
        "baseline: the policies in force at this date (default: no policies)")(
        "linear", "GSIM-style linearised answer around the baseline")(
        "output,o", po::value<std::string>(), "write the result as CSV to FILE");
    options.visible.add(terminal_options())
        .add(scenario_options("override a value by dotted path (repeatable)"));
    options.hidden.add_options()("scenario", po::value<std::string>(), "scenario file");
    options.pos.add("scenario", 1);
    const auto vm = parse(kCommand, inv, options);
    if (print_help(vm, options)) return 0;
    const auto scenario = scenario_settings(kCommand, vm);

    const auto loaded = io::load_scenario(scenario.file, scenario.load);
    print_warnings(loaded.warnings);
    if (loaded.uncertainty)
        fmt::print(stderr,
                   "warning: the uncertainty section is ignored: the equilibrium uses the "
                   "scenario's own values of {}\n",
                   io::join(loaded.uncertainty->uncertainty().paths()));
    const model::Scenario& s = loaded.scenario;
    if (s.time.ticks <= 0) usage_error(kCommand, fmt::format("scenario '{}' has no ticks", s.name));

    analysis::EquilibriumOptions opt;
    opt.at_tick =
        vm.count("at") ? tick_of(s, "--at", vm["at"].as<std::string>()) : s.time.ticks - 1;
    if (vm.count("baseline-at"))
        opt.baseline_tick = tick_of(s, "--baseline-at", vm["baseline-at"].as<std::string>());
    opt.linear = vm.count("linear") > 0;
    std::optional<fs::path> out;
    if (vm.count("output")) out = fs::path(vm["output"].as<std::string>());

    // From here on, failures are run failures (exit 1).
    const auto result = analysis::solve_equilibrium(s, opt);
    const auto cal = s.time.calendar();
    const std::string when =
        fmt::format("at {} (tick {})", format_date(cal.date_of(opt.at_tick)), opt.at_tick);
    const std::string against =
        opt.baseline_tick
            ? fmt::format("the baseline at {} (tick {})",
                          format_date(cal.date_of(*opt.baseline_tick)), *opt.baseline_tick)
            : std::string("the baseline with no policies");
    print_table(s, result, when, against);
    if (out) {
        write_csv(*out, analysis::equilibrium_rows(s, result));
        fmt::print("\nwrote {}\n", out->string());
    }
    return 0;
}

}  // namespace ts::cli
