#include "cli/headlines.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "analysis/sweep_design.hpp"
#include "io/ensemble_plan.hpp"

namespace fs = std::filesystem;

namespace ts::cli {

std::string human(double v) {
    const double a = std::abs(v);
    if (a >= 1e12) return fmt::format("{:.2f}T", v / 1e12);
    if (a >= 1e9) return fmt::format("{:.2f}B", v / 1e9);
    if (a >= 1e6) return fmt::format("{:.2f}M", v / 1e6);
    if (a >= 1e4) return fmt::format("{:.1f}k", v / 1e3);
    return fmt::format("{:.2f}", v);
}

namespace {

using Metrics = std::map<std::string, double>;

/// The rows of a headline table: in scenario order when there are at most kHeadlineAll, else
/// the kHeadlineTop largest by `main` (descending; ties in scenario order). Returns how many
/// were left out.
std::size_t table_rows(std::vector<std::pair<std::string, Metrics*>>& rows, const char* main) {
    if (rows.size() <= kHeadlineAll) return 0;
    std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
        return (*a.second)[main] > (*b.second)[main];
    });
    const std::size_t left = rows.size() - kHeadlineTop;
    rows.resize(kHeadlineTop);
    return left;
}

/// What follows a cut table: what the rows shown are and where the rest is.
void print_rest(std::size_t left, std::size_t shown, const char* what, const char* main) {
    if (left == 0) return;
    fmt::print("… {} more (in summary.csv); the {} {} above are the largest by {}\n", left, shown,
               what, main);
}

}  // namespace

void print_headlines(const model::Scenario& s, const std::vector<analysis::SummaryRow>& rows) {
    std::map<std::string, Metrics> country, supplier;
    for (const auto& r : rows) {
        if (r.scope == "country") country[r.key][r.metric] = r.value;
        if (r.scope == "supplier") supplier[r.key][r.metric] = r.value;
    }
    std::vector<std::pair<std::string, Metrics*>> countries, suppliers;
    for (const auto& c : s.countries)
        if (auto it = country.find(c.code); it != country.end())
            countries.emplace_back(c.code, &it->second);
    for (const auto& sup : s.suppliers)
        if (auto it = supplier.find(sup.id); it != supplier.end())
            suppliers.emplace_back(sup.id, &it->second);

    const std::size_t countries_left = table_rows(countries, "imports_compute");
    fmt::print("\n{:<10} {:>16} {:>14} {:>14} {:>16}\n", "country", "imports_compute",
               "unmet_compute", "price_index", "tariff_rev_usd");
    for (const auto& [code, m] : countries)
        fmt::print("{:<10} {:>16} {:>14} {:>14} {:>16}\n", code, human((*m)["imports_compute"]),
                   human((*m)["unmet_compute"]), human((*m)["price_index_mean"]),
                   human((*m)["tariff_revenue_usd"]));
    print_rest(countries_left, countries.size(), "countries", "imports_compute");

    const std::size_t suppliers_left = table_rows(suppliers, "revenue_usd");
    fmt::print("\n{:<16} {:>16} {:>14}\n", "supplier", "revenue_usd", "units_shipped");
    for (const auto& [id, m] : suppliers)
        fmt::print("{:<16} {:>16} {:>14}\n", id, human((*m)["revenue_usd"]),
                   human((*m)["units_shipped"]));
    print_rest(suppliers_left, suppliers.size(), "suppliers", "revenue_usd");
}

void print_shard_outcome(const std::string& what, const run::ShardOutcome& o, const fs::path& out,
                         double seconds) {
    fmt::print(
        "{} shard {}/{}: computed {} run(s), {} already complete, in {:.2f} s; parts in {}\n", what,
        o.shard.index, o.shard.count, o.computed, o.skipped, seconds,
        (out / io::kPartsDir).string());
    fmt::print("when every shard is done: tradesim reduce {}\n", out.string());
}

namespace {

/// "0.812 [0.701, 0.930]": an index and its interval ("-" where a bound is missing).
std::string with_interval(double x, double low, double high) {
    const auto num = [](double v) { return std::isfinite(v) ? fmt::format("{:.3f}", v) : "-"; };
    return fmt::format("{} [{}, {}]", num(x), num(low), num(high));
}

/// The Sobol rankings: of every metric named with --metric, else of the two world metrics
/// that the variants table shows.
void print_sobol(const run::SweepResults& results, std::size_t delivered, std::size_t unmet,
                 const fs::path& out) {
    const io::EnsemblePlan& plan = results.plan;
    for (const auto& r : results.sobol) {
        if (plan.sobol_metrics.empty() && r.metric != delivered && r.metric != unmet) continue;
        const std::string name = plan.metrics[r.metric].column();
        if (!r.varies) {
            fmt::print("\nSobol indices for {}: none, it does not vary over the design (V = 0)\n",
                       name);
            continue;
        }
        fmt::print("\nSobol indices for {} (V = {}, {} rows; 95% intervals, {} resamples):\n", name,
                   human(r.variance), r.rows, r.resamples);
        fmt::print("{:>4} {:>22} {:>22}  {}\n", "rank", "ST total [low, high]",
                   "S1 first [low, high]", "parameter");
        const auto ranking = analysis::sobol_ranking(r.indices);
        for (std::size_t i = 0; i < ranking.size(); ++i) {
            const auto& x = ranking[i];
            fmt::print("{:>4} {:>22} {:>22}  {}\n", i + 1, with_interval(x.st, x.st_low, x.st_high),
                       with_interval(x.s1, x.s1_low, x.s1_high), plan.parameters[x.parameter]);
        }
    }
    fmt::print("\nAll metrics: {}\n", (out / io::kSobolCsv).string());
}

std::string parameter_label(const io::EnsemblePlan& plan, std::size_t v) {
    std::string s;
    for (std::size_t i = 0; i < plan.parameters.size(); ++i)
        s += fmt::format("{}{}={}", i ? " " : "", plan.parameters[i], plan.variants[v].values[i]);
    return s;
}

}  // namespace

void print_sweep_results(const run::SweepResults& results, const fs::path& out, double seconds) {
    const io::EnsemblePlan& plan = results.plan;
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
    const std::size_t delivered = col("imports_compute"), unmet = col("unmet_compute");
    fmt::print("\n{:>7} {:>18} {:>14}  {}\n", "variant", "imports_compute", "unmet_compute",
               "parameters");
    for (std::size_t v = 0; v < shown; ++v) {
        const auto& means = results.variant_means[v];
        fmt::print("{:>7} {:>18} {:>14}  {}\n", v,
                   delivered < means.size() ? human(means[delivered]) : "-",
                   unmet < means.size() ? human(means[unmet]) : "-", parameter_label(plan, v));
    }
    if (shown < plan.variants.size())
        fmt::print("... ({} more in summary.csv)\n", plan.variants.size() - shown);
    if (plan.design.kind == analysis::DesignKind::sobol)
        print_sobol(results, delivered, unmet, out);
    if (plan.design.kind != analysis::DesignKind::morris || results.morris.empty()) return;
    for (const std::size_t m : {delivered, unmet}) {
        if (m >= results.morris.size()) continue;
        fmt::print(
            "\nMorris ranking for {} (mu* = mean |elementary effect| per unit of the range):\n",
            plan.metrics[m].column());
        fmt::print("{:>4} {:>14} {:>14}  {}\n", "rank", "mu*", "sigma", "parameter");
        const auto& ranking = results.morris[m];
        for (std::size_t r = 0; r < ranking.size(); ++r)
            fmt::print("{:>4} {:>14} {:>14}  {}\n", r + 1, human(ranking[r].mu_star),
                       human(ranking[r].sigma), plan.parameters[ranking[r].parameter]);
    }
    fmt::print("\nAll metrics: {}\n", (out / io::kMorrisCsv).string());
}

}  // namespace ts::cli
