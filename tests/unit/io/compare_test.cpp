// `tradesim compare` arithmetic on hand-written run folders: an ensemble of five runs (a `run`
// column) of a baseline and a variant, with every expected number computed by hand below:
// per-scenario means and 90 % intervals, paired differences (same run index) and their
// intervals, relative differences, missing rows as zeros, the period filter, and the
// comparability checks.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "analysis/compare.hpp"
#include "core/error.hpp"
#include "io/compare_report.hpp"
#include "io/run_reader.hpp"

#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace ts::analysis;
using ts::test::TempDir;

namespace {

void write(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

const char* kCountriesHeader =
    "run,tick,date,country,imports_units,imports_compute,diverted_compute,seized_units,unmet_"
    "compute,"
    "price_index,tariff_revenue_usd,fee_revenue_usd,remote_compute,compute_used\n";
const char* kFlowsHeader =
    "run,tick,date,supplier,product,origin,via,destination,buyer,channel,units,compute,value_usd,"
    "tariff_usd,"
    "fee_usd,seized_units\n";
const char* kRevenueHeader = "run,tick,date,supplier,billing_country,units,revenue_usd\n";

std::string country_row(int run, int tick, const char* country, double compute, double seized,
                        double price) {
    return fmt::format(
        "{},{},2024-0{}-01,{},{:.4f},{:.4f},0.0000,{:.4f},0.0000,{:.4f},0.00,0.00,0.0000,{:.4f}\n",
        run, tick, tick + 1, country, compute, compute, seized, price, compute);
}

/// Five runs, two monthly ticks (2024-01, 2024-02), countries USA and CHN.
///
/// Baseline, run r: CHN imports 10 then 10 + r compute (total 20 + r: 20..24), price index 100
/// then 200 (mean 150); one direct flow of 20 to CHN in tick 1; revenue of s1 billed to CHN
/// 1000·(r + 1).
/// Variant, run r: CHN imports 5 then T_r − 5 with T = {18, 10, 16, 12, 14} (the run order
/// shuffled, so pairing by run index matters), price 100 then 300 + 10r (mean 200 + 5r),
/// seized r units; in tick 1 a direct flow of 10 and a diverted one of 10 via SGP; revenue
/// billed to CHN 500·(r + 1) and to SGP 700.
/// USA imports 5 a tick at price 100 in both.
void write_ensembles(const fs::path& base, const fs::path& variant, int runs = 5) {
    const double totals[] = {18, 10, 16, 12, 14};
    fs::create_directories(base);
    fs::create_directories(variant);
    std::string bc = kCountriesHeader, vc = kCountriesHeader;
    std::string bf = kFlowsHeader, vf = kFlowsHeader;
    std::string br = kRevenueHeader, vr = kRevenueHeader;
    for (int r = 0; r < runs; ++r) {
        bc += country_row(r, 0, "USA", 5, 0, 100) + country_row(r, 0, "CHN", 10, 0, 100);
        bc += country_row(r, 1, "USA", 5, 0, 100) + country_row(r, 1, "CHN", 10 + r, 0, 200);
        vc += country_row(r, 0, "USA", 5, 0, 100) + country_row(r, 0, "CHN", 5, 0, 100);
        vc += country_row(r, 1, "USA", 5, 0, 100) +
              country_row(r, 1, "CHN", totals[r] - 5, r, 300 + 10 * r);
        bf += fmt::format(
            "{},1,2024-02-01,s1,chip,TWN,,CHN,b,direct,20.0000,20.0000,2000.00,0.00,0.00,0.0000\n",
            r);
        vf += fmt::format(
            "{},1,2024-02-01,s1,chip,TWN,,CHN,b,direct,10.0000,10.0000,1000.00,0.00,0.00,0.0000\n",
            r);
        vf += fmt::format(
            "{},1,2024-02-01,s1,chip,TWN,SGP,CHN,b,diverted,10.0000,10.0000,1000.00,0.00,0.00,{}."
            "0000\n",
            r, r);
        br += fmt::format("{},1,2024-02-01,s1,CHN,20.0000,{}.00\n", r, 1000 * (r + 1));
        vr += fmt::format("{},1,2024-02-01,s1,CHN,10.0000,{}.00\n", r, 500 * (r + 1));
        vr += fmt::format("{},1,2024-02-01,s1,SGP,10.0000,700.00\n", r);
    }
    write(base / "countries.csv", bc);
    write(base / "flows.csv", bf);
    write(base / "revenue.csv", br);
    write(base / "manifest.json", "{\n  \"scenario_name\": \"base\",\n  \"seed\": 7\n}\n");
    write(variant / "countries.csv", vc);
    write(variant / "flows.csv", vf);
    write(variant / "revenue.csv", vr);
    write(variant / "manifest.json", "{\n  \"scenario_name\": \"variant\",\n  \"seed\": 7\n}\n");
}

struct Loaded {
    RunTotals base, variant;
    std::vector<ScenarioRuns> scenarios;
    explicit Loaded(const fs::path& b, const fs::path& v, Period period = {})
        : base(period), variant(period) {
        const auto ib = ts::io::read_run_folder(b, base);
        const auto iv = ts::io::read_run_folder(v, variant);
        scenarios = {{ib.scenario_name, b.string(), ib.seed, &base, ib.observed_until,
                      ib.projection_from, ib.random_parts},
                     {iv.scenario_name, v.string(), iv.seed, &variant, iv.observed_until,
                      iv.projection_from, iv.random_parts}};
    }
};

const CompareRow& row(const CompareResult& res, const std::string& scope, const std::string& key,
                      const std::string& metric) {
    for (const auto& r : res.rows)
        if (r.scope == scope && r.key == key && r.metric == metric) return r;
    FAIL("no row " << scope << " " << key << " " << metric);
    throw;
}

}  // namespace

TEST_CASE("interval_of: mean and type-7 quantiles p05, p95") {
    const auto i = interval_of({4, 1, 3, 2, 5});
    CHECK(i.n == 5);
    CHECK(i.mean == 3.0);
    CHECK(i.p05 == Approx(1.2));                  // h = 4·0.05 = 0.2: 1 + 0.2·(2 − 1)
    CHECK(i.p95 == Approx(4.8));                  // h = 3.8: 4 + 0.8·(5 − 4)
    CHECK(i.se == Approx(std::sqrt(2.5 / 5.0)));  // sd² = 10/4; se = sd/√5
    const auto one = interval_of({7});
    CHECK(one.se == 0.0);
    CHECK(one.mean == 7.0);
    CHECK(one.p05 == 7.0);
    CHECK(one.p95 == 7.0);
    CHECK(std::isnan(interval_of({}).mean));
}

TEST_CASE("compare: ensemble means, intervals and paired differences by run index") {
    TempDir dir("compare");
    write_ensembles(dir.path() / "base", dir.path() / "variant");
    Loaded in(dir.path() / "base", dir.path() / "variant");
    REQUIRE(comparability_problems(in.scenarios).empty());
    const auto res = compare_runs(in.scenarios, {});
    CHECK(res.ensemble);
    CHECK(res.runs == std::vector<int>{5, 5});
    CHECK(res.labels == std::vector<std::string>{"base", "variant"});
    CHECK(res.warnings.empty());
    CHECK(res.span.describe() == "2024-01-01 .. 2024-02-01 (2 ticks)");

    // CHN compute: baseline 20..24, variant {18, 10, 16, 12, 14}; paired d = {−2, −11, −6, −11,
    // −10}.
    const auto& chn = row(res, "country", "CHN", "imports_compute");
    CHECK(chn.unit == "compute");
    const auto& b = chn.cells[0];
    CHECK(b.value.mean == Approx(22));
    CHECK(b.value.p05 == Approx(20.2));
    CHECK(b.value.p95 == Approx(23.8));
    CHECK(b.diff.mean == 0.0);
    const auto& v = chn.cells[1];
    CHECK(v.value.mean == Approx(14));
    CHECK(v.value.p05 == Approx(10.4));  // sorted 10 12 14 16 18
    CHECK(v.value.p95 == Approx(17.6));
    CHECK(v.diff.n == 5);
    CHECK(v.diff.mean == Approx(-8));
    CHECK(v.diff.p05 == Approx(-11));  // sorted −11 −11 −10 −6 −2: h = 0.2 between −11 and −11
    CHECK(v.diff.p95 == Approx(-2.8));  // h = 3.8: −6 + 0.8·(−2 − (−6))
    REQUIRE(v.diff_pct);
    CHECK(*v.diff_pct == Approx(-8.0 / 22.0 * 100.0));
    // compute_used is the same column here.
    CHECK(row(res, "country", "CHN", "compute_used").cells[1].diff.p95 == Approx(-2.8));

    // Price index: mean over the two ticks; baseline 150, variant 200 + 5r; d = 50 + 5r.
    const auto& price = row(res, "country", "CHN", "price_index_mean");
    CHECK(price.unit == "USD/compute");
    CHECK(price.cells[0].value.mean == Approx(150));
    CHECK(price.cells[1].diff.mean == Approx(60));
    CHECK(price.cells[1].diff.p05 == Approx(51));
    CHECK(price.cells[1].diff.p95 == Approx(69));
    CHECK(*price.cells[1].diff_pct == Approx(40));

    // Seized units r: baseline 0, so no relative difference.
    const auto& seized = row(res, "country", "CHN", "seized_units");
    CHECK(seized.cells[1].diff.mean == Approx(2));
    CHECK(seized.cells[1].diff.p05 == Approx(0.2));
    CHECK(seized.cells[1].diff.p95 == Approx(3.8));
    CHECK_FALSE(seized.cells[1].diff_pct);
    CHECK(row(res, "world", "all", "seized_units").cells[1].diff.mean == Approx(2));

    // Shares of the compute shipped to CHN: half diverted via SGP in the variant.
    CHECK(row(res, "country", "CHN", "share_diverted").cells[1].value.mean == Approx(0.5));
    CHECK(row(res, "country", "CHN", "share_via_third_countries").cells[1].diff.mean ==
          Approx(0.5));
    CHECK(row(res, "world", "all", "share_diverted").cells[0].value.mean == 0.0);

    // Revenue by billing country: CHN 1000(r+1) -> 500(r+1): d = −500(r+1).
    const auto& rev = row(res, "revenue", "s1/CHN", "revenue_usd");
    CHECK(rev.unit == "USD");
    CHECK(rev.cells[1].diff.mean == Approx(-1500));
    CHECK(rev.cells[1].diff.p05 == Approx(-2400));
    CHECK(rev.cells[1].diff.p95 == Approx(-600));
    CHECK(*rev.cells[1].diff_pct == Approx(-50));
    // SGP is billed only in the variant: the baseline has revenue.csv, so its value is 0.
    const auto& sgp = row(res, "revenue", "s1/SGP", "revenue_usd");
    CHECK(sgp.cells[0].present);
    CHECK(sgp.cells[0].value.mean == 0.0);
    CHECK(sgp.cells[1].diff.mean == Approx(700));
    CHECK_FALSE(sgp.cells[1].diff_pct);

    // USA is identical in both scenarios: zero differences, kept (its values are not zero).
    CHECK(row(res, "country", "USA", "imports_compute").cells[1].diff.mean == 0.0);
    // Rows that are zero everywhere (unmet compute, tariffs, fees) are left out.
    for (const auto& r : res.rows) CHECK(r.metric != "unmet_compute");
    CHECK(res.zero_rows_left_out > 0);
}

TEST_CASE("compare: the route view and a route used only by the variant") {
    TempDir dir("compare");
    write_ensembles(dir.path() / "base", dir.path() / "variant");
    Loaded in(dir.path() / "base", dir.path() / "variant");
    CompareOptions opt;
    opt.by = CompareBy::route;
    const auto res = compare_runs(in.scenarios, opt);
    // TWN > CHN: units, compute, value; hub route: the same, seized_compute and seized_units
    // (no arrival_date column: nothing in transit, a zero row left out).
    REQUIRE(res.rows.size() == 8);
    CHECK(res.rows[0].key == "TWN > CHN");  // direct routes first
    const auto& hub = row(res, "route", "TWN > SGP > CHN", "compute");
    CHECK(hub.cells[0].value.mean == 0.0);
    CHECK(hub.cells[1].diff.mean == Approx(10));
    const auto& direct = row(res, "route", "TWN > CHN", "value_usd");
    CHECK(direct.cells[1].diff.mean == Approx(-1000));
    CHECK(*direct.cells[1].diff_pct == Approx(-50));
    CHECK(row(res, "route", "TWN > SGP > CHN", "seized_units").cells[1].value.mean == Approx(2));
    // The CSV names the route as summary.csv does, and gives its parts their own columns.
    const std::string csv = ts::io::render_compare_csv(res);
    CHECK(csv.rfind("scope,key,origin,via,destination,metric,unit,scenario,", 0) == 0);
    CHECK(csv.find("\nroute,TWN/direct/CHN,TWN,direct,CHN,units,units,base,5,") !=
          std::string::npos);
    CHECK(csv.find("\nroute,TWN/SGP/CHN,TWN,SGP,CHN,compute,compute,variant,5,") !=
          std::string::npos);
}

TEST_CASE("compare: the route view reads arrival_date from flows.csv") {
    TempDir dir("compare");
    const fs::path run = dir.path() / "run";
    fs::create_directories(run);
    std::string countries = kCountriesHeader;
    countries += country_row(0, 0, "CHN", 0, 0, 100) + country_row(0, 1, "CHN", 0, 0, 100);
    write(run / "countries.csv", countries);
    // Shipped 2024-01: 10 units of 2 compute, 1 seized, arriving 2024-02-01 (within the run);
    // shipped 2024-02: 5 units arriving 2024-03-01, after the last tick.
    write(run / "flows.csv",
          "tick,date,supplier,product,origin,via,destination,buyer,channel,units,compute,"
          "value_usd,tariff_usd,fee_usd,seized_units,arrival_tick,arrival_date\n"
          "0,2024-01-01,s1,chip,TWN,direct,CHN,b,direct,10.0000,20.0000,1000.00,0.00,0.00,"
          "1.0000,1,2024-02-01\n"
          "1,2024-02-01,s1,chip,TWN,direct,CHN,b,direct,5.0000,10.0000,500.00,0.00,0.00,0.0000,2,"
          "2024-03-01\n");
    const auto metric = [&](Period period, const std::string& name) {
        RunTotals t(std::move(period));
        ts::io::read_run_folder(run, t);
        for (const auto& s : t.metrics(CompareBy::route))
            if (s.key == "TWN > CHN" && s.metric == name) return s.runs.at(0);
        FAIL("no metric " << name);
        return 0.0;
    };
    CHECK(metric({}, "seized_compute") == Approx(2));
    CHECK(metric({}, "in_transit_compute") == Approx(10));
    // Through January only: January's unseized 18 are still on their way.
    CHECK(metric({std::nullopt, "2024-01-31"}, "in_transit_compute") == Approx(18));

    write(run / "flows.csv",
          "tick,date,supplier,product,origin,via,destination,buyer,channel,units,compute,"
          "value_usd,tariff_usd,fee_usd,seized_units,arrival_tick,arrival_date\n"
          "0,2024-01-01,s1,chip,TWN,direct,CHN,b,direct,1,2,3,0,0,0,1,2024-2-1\n");
    RunTotals bad;
    CHECK_THROWS_WITH(ts::io::read_run_folder(run, bad),
                      Catch::Contains("column 'arrival_date': '2024-2-1' is not a date"));
}

TEST_CASE("compare: a table of many scenarios continues below instead of passing 100 columns") {
    TempDir dir("compare");
    write_ensembles(dir.path() / "base", dir.path() / "variant", 1);
    Loaded in(dir.path() / "base", dir.path() / "variant");
    // The same variant four times under long names: five scenarios side by side would need
    // about 180 columns.
    auto scenarios = in.scenarios;
    for (int i = 0; i < 3; ++i) scenarios.push_back(scenarios[1]);
    for (std::size_t i = 1; i < scenarios.size(); ++i)
        scenarios[i].label = "variant-with-a-long-name-" + std::to_string(i);
    const auto res = compare_runs(scenarios, {});
    const std::string table = ts::io::render_compare_table(res);
    // From the table on (the scenario list above it names the temporary folders).
    std::size_t widest = 0, start = table.find("\n\n");
    std::string widest_line;
    while (start < table.size()) {
        const auto end = table.find('\n', start);
        std::size_t w = 0;
        for (std::size_t k = start; k < end; ++k)
            if ((static_cast<unsigned char>(table[k]) & 0xC0) != 0x80) ++w;
        if (w > widest) widest = w, widest_line = table.substr(start, end - start);
        start = end + 1;
    }
    INFO(widest_line);
    CHECK(widest <= 100);
    CHECK(table.find("(continued, against the baseline base: variant-with-a-long-name-") !=
          std::string::npos);
    // Every scenario is shown, each beside the baseline.
    for (int i = 1; i <= 4; ++i)
        CHECK(table.find("variant-with-a-long-name-" + std::to_string(i)) != std::string::npos);
    // Markdown names the scenario on its difference columns.
    const std::string md = ts::io::render_compare_markdown(res);
    CHECK(md.find("| Δ variant-with-a-long-name-2 | Δ% variant-with-a-long-name-2 |") !=
          std::string::npos);
}

TEST_CASE("compare: the period keeps only the ticks within it") {
    TempDir dir("compare");
    write_ensembles(dir.path() / "base", dir.path() / "variant");
    Period p;
    p.from = "2024-02-01";
    Loaded in(dir.path() / "base", dir.path() / "variant", p);
    CHECK(in.base.ticks_in_period() == 1);
    CHECK(in.base.span().ticks == 2);  // comparability looks at the whole run
    CompareOptions opt;
    opt.metrics = {"imports_compute"};
    const auto res = compare_runs(in.scenarios, opt);
    // Tick 1 only: baseline 10 + r, variant T_r − 5 = {13, 5, 11, 7, 9}; d = {3, −6, −1, −6, −5}.
    const auto& chn = row(res, "country", "CHN", "imports_compute");
    CHECK(chn.cells[0].value.mean == Approx(12));
    CHECK(chn.cells[1].diff.mean == Approx(-3));
    CHECK(chn.cells[1].diff.p05 == Approx(-6));   // sorted −6 −6 −5 −1 3: −6 + 0.2·0
    CHECK(chn.cells[1].diff.p95 == Approx(2.2));  // −1 + 0.8·(3 − (−1))
    for (const auto& r : res.rows) CHECK(r.metric == "imports_compute");
    CHECK(res.period_ticks == 1);
    CHECK(res.period_first == "2024-02-01");
}

TEST_CASE("compare: runs missing from the baseline are left out of the pairing, with a warning") {
    TempDir dir("compare");
    write_ensembles(dir.path() / "base3", dir.path() / "unused", 3);
    write_ensembles(dir.path() / "unused5", dir.path() / "variant", 5);
    Loaded in(dir.path() / "base3", dir.path() / "variant");
    const auto res = compare_runs(in.scenarios, {});
    REQUIRE(res.warnings.size() == 1);
    CHECK(res.warnings[0] ==
          "'variant' has 5 run(s) and the baseline 'base' 3: differences are paired over the 3 run "
          "index(es) they share");
    const auto& chn = row(res, "country", "CHN", "imports_compute");
    CHECK(chn.cells[1].value.n == 5);
    CHECK(chn.cells[1].diff.n == 3);
    CHECK(chn.cells[1].diff.mean == Approx((-2 - 11 - 6) / 3.0));
}

TEST_CASE("compare: folders with different countries or time spans are not comparable") {
    TempDir dir("compare");
    write_ensembles(dir.path() / "base", dir.path() / "variant", 1);
    const fs::path other = dir.path() / "other";
    fs::create_directories(other);
    std::string c = kCountriesHeader;
    for (int t = 0; t < 3; ++t) {
        c += fmt::format("0,{},2024-0{}-01,CHN,0,1,0,0,0,1,0,0,0,1\n", t, t + 1);
        c += fmt::format("0,{},2024-0{}-01,JPN,0,1,0,0,0,1,0,0,0,1\n", t, t + 1);
    }
    write(other / "countries.csv", c);
    RunTotals base, o;
    ts::io::read_run_folder(dir.path() / "base", base);
    const auto info = ts::io::read_run_folder(other, o);
    CHECK(info.scenario_name == "other");  // no manifest: the folder's name
    CHECK_FALSE(info.has_flows);
    const std::vector<ScenarioRuns> s = {{"base", "A", 7, &base, {}, {}, {}},
                                         {"other", "B", {}, &o, {}, {}, {}}};
    const auto problems = comparability_problems(s);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0] ==
          "'B' (other) and the baseline 'A' (base) have different countries (only in 'A' (base): "
          "USA; only in 'B' "
          "(other): JPN)");
    CHECK(problems[1] ==
          "'B' (other) and the baseline 'A' (base) cover different time spans: 2024-01-01 .. "
          "2024-03-01 (3 ticks) vs "
          "2024-01-01 .. 2024-02-01 (2 ticks)");
    // Without flows.csv, flow-based metrics of that folder are absent, not zero.
    CompareOptions keep;
    keep.keep_zero_rows = true;
    const auto res = compare_runs(s, keep);
    CHECK_FALSE(row(res, "country", "CHN", "share_diverted").cells[1].present);
}

TEST_CASE("compare: a folder without countries.csv is not a run folder") {
    TempDir dir("compare");
    RunTotals t;
    try {
        ts::io::read_run_folder(dir.path(), t);
        FAIL("no error");
    } catch (const ts::InputError& e) {
        CHECK(e.diagnostics().front().message ==
              fmt::format("'{}' is not a tradesim run folder (it has no countries.csv)",
                          dir.path().string()));
    }
    CHECK_THROWS_AS(ts::io::read_run_folder(dir.path() / "absent", t), ts::InputError);
}

TEST_CASE("compare CSV: the long form of the table, with intervals for ensembles") {
    TempDir dir("compare");
    write_ensembles(dir.path() / "base", dir.path() / "variant");
    Loaded in(dir.path() / "base", dir.path() / "variant");
    CompareOptions opt;
    opt.metrics = {"imports_compute", "share_diverted"};
    const auto res = compare_runs(in.scenarios, opt);
    const std::string csv = ts::io::render_compare_csv(res);
    // Ensembles: se and diff_se at the end.
    CHECK(csv.rfind("scope,key,metric,unit,scenario,runs,value,p05,p95,diff,diff_p05,diff_p95,"
                    "diff_pct,se,diff_se\n",
                    0) == 0);
    CHECK(csv.find("country,CHN,imports_compute,compute,base,5,22.0000,20.2000,23.8000,0.0000,0."
                   "0000,0.0000,0.0000,0.7071,0.0000\n") != std::string::npos);
    CHECK(csv.find("country,CHN,imports_compute,compute,variant,5,14.0000,10.4000,17.6000,-8.0000,"
                   "-11.0000,-2.8000,"
                   "-36.3636,1.4142,1.7607\n") != std::string::npos);
    CHECK(csv.find("country,CHN,share_diverted,share,variant,5,0.500000,0.500000,0.500000,0.500000,"
                   "0.500000,0.500000,,0.000000,0.000000\n") != std::string::npos);
    // The table prints the same numbers.
    const std::string table = ts::io::render_compare_table(res);
    CHECK(table.find("14.00 ±1.41 [10.40, 17.60]") != std::string::npos);
    CHECK(table.find("-8.00 ±1.76 [-11.00, -2.80]") != std::string::npos);
    CHECK(table.find("-36.36%") != std::string::npos);
    CHECK(table.find("+50.00 pp ±0.00 pp [+50.00 pp, +50.00 pp]") != std::string::npos);
    const std::string md = ts::io::render_compare_markdown(res);
    CHECK(md.find("| country | CHN | imports_compute | compute | 22.00 ±0.71 [20.20, 23.80] | "
                  "14.00 ±1.41 [10.40, 17.60] | -8.00 ±1.76 [-11.00, -2.80] | -36.36% |") !=
          std::string::npos);
}

TEST_CASE("compare: standard errors of the mean and of the paired mean difference, in the CSV") {
    TempDir dir("compare-se");
    write_ensembles(dir.path() / "base", dir.path() / "variant");
    Loaded in(dir.path() / "base", dir.path() / "variant");
    const auto res = compare_runs(in.scenarios, {});
    // CHN compute of the variant {18, 10, 16, 12, 14}: sd² = 40/4, se = √(10/5); paired d =
    // {−2, −11, −6, −11, −10}: Σ(d − d̄)² = 62, se = √(62/4/5).
    const auto& v = row(res, "country", "CHN", "imports_compute").cells[1];
    CHECK(v.value.se == Approx(std::sqrt(2.0)));
    CHECK(v.diff.se == Approx(std::sqrt(62.0 / 20.0)));
    const std::string csv = ts::io::render_compare_csv(res);
    CHECK(csv.rfind("scope,key,metric,unit,scenario,runs,value,p05,p95,diff,diff_p05,diff_p95,"
                    "diff_pct,se,diff_se\n",
                    0) == 0);
    CHECK(csv.find("country,CHN,imports_compute,compute,variant,5,14.0000,10.4000,17.6000,"
                   "-8.0000,-11.0000,-2.8000,-36.3636,1.4142,1.7607\n") != std::string::npos);
}

TEST_CASE("compare: each ensemble says what its runs include") {
    TempDir dir("compare-parts");
    write_ensembles(dir.path() / "base", dir.path() / "variant");
    Loaded in(dir.path() / "base", dir.path() / "variant");
    in.scenarios[1].random_parts = "licence draws, parameters (routes.MYS.detection)";
    auto res = compare_runs(in.scenarios, {});
    std::string table = ts::io::render_compare_table(res);
    CHECK(table.find("base: sources of uncertainty not recorded") != std::string::npos);
    CHECK(table.find("variant: the 5 runs include licence draws, parameters") != std::string::npos);
    CHECK(table.find("nothing else") != std::string::npos);
    in.scenarios[0].random_parts = "";
    res = compare_runs(in.scenarios, {});
    table = ts::io::render_compare_table(res);
    CHECK(table.find("base: no random parts: all 5 runs are identical") != std::string::npos);
}

TEST_CASE("compare: a band that is not zero never reads x [x, x]") {
    CompareResult res;
    res.labels = {"a"};
    res.folders = {"a"};
    res.runs = {200};
    res.random_parts = {std::nullopt};
    res.identical_runs = {false};
    res.projection = {std::nullopt};
    res.ensemble = true;
    CompareRow r{"world", "all", "imports_compute", "compute", {}};
    CompareCell c;
    c.present = true;
    c.value = {2.0316e6, 2.0301e6, 2.0339e6, 200, 110.0};
    r.cells.push_back(c);
    res.rows.push_back(r);
    CompareRow zero = r;  // a deterministic row: the mean may differ from the runs in the last bit
    zero.key = "CHN";
    zero.scope = "country";
    zero.cells[0].value = {2.03e6 * (1 + 1e-15), 2.03e6, 2.03e6, 200, 0.0};
    res.rows.push_back(zero);
    const std::string table = ts::io::render_compare_table(res);
    INFO(table);
    CHECK(table.find("2.03M [2.03M, 2.03M]") == std::string::npos);
    CHECK(table.find("2.032M ±110.000 [2.030M, 2.034M]") != std::string::npos);
    CHECK(table.find("2.03M ±0.00 [2.03M, 2.03M]") != std::string::npos);
}
