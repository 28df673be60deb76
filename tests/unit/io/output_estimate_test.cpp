// The output-size estimate of tradesim run/sweep and --max-output parsing.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/simulation.hpp"
#include "io/generate.hpp"
#include "io/output_estimate.hpp"
#include "io/run_writer.hpp"
#include "io/scenario_reader.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using Detail = ts::io::RunWriterOptions::Detail;

namespace {

const std::string kWorld = R"(name: estimate
time: {start: 2023-01, step: month, ticks: 12}
countries:
  - {code: USA, groups: [tier1]}
  - {code: CHN, groups: [D5]}
  - {code: MYS, groups: [tier2]}
  - {code: TWN}
products:
  - {id: H100, tpp: 15832, density: 19.4, compute: 1.0}
  - {id: H20, tpp: 2368, density: 2.9, compute: 0.3}
suppliers:
  - {id: nvidia, jurisdiction: USA, made_in: TWN, offers: [{product: H100, capacity: 120000, unit_cost: 3300, price: 25000}, {product: H20, capacity: 80000, unit_cost: 2000, price: 12000}]}
buyers:
  - {id: cn-cloud, country: CHN, demand: 30000, reference_cost: 25000, substitution: 3}
  - {id: my-cloud, country: MYS, demand: 3000, reference_cost: 25000, substitution: 3}
  - {id: us-cloud, country: USA, demand: 90000, reference_cost: 25000, substitution: 3}
routes:
  - {via: MYS, markup: 0.06, detection: 0.05}
policies:
  - {id: us-oct-2023, by: USA, type: export_control, from: 2023-06, products: {tpp_min: 4800}, destinations: {groups: [D5]}, license: {approval: 0.5, delay: 1}}
)";

double file_bytes(const ts::io::OutputEstimate& e, const std::string& name) {
    for (const auto& f : e.files)
        if (f.name == name) return f.bytes;
    return -1.0;
}

double file_rows(const ts::io::OutputEstimate& e, const std::string& name) {
    for (const auto& f : e.files)
        if (f.name == name) return f.rows;
    return -1.0;
}

}  // namespace

TEST_CASE("parse_size reads --max-output values", "[estimate]") {
    using ts::io::parse_size;
    CHECK(parse_size("500G") == Approx(500e9));
    CHECK(parse_size("2T") == Approx(2e12));
    CHECK(parse_size("1.5tb") == Approx(1.5e12));
    CHECK(parse_size("800m") == Approx(800e6));
    CHECK(parse_size("12345") == Approx(12345.0));
    CHECK(std::isinf(*parse_size("none")));
    CHECK_FALSE(parse_size(""));
    CHECK_FALSE(parse_size("G"));
    CHECK_FALSE(parse_size("-1G"));
    CHECK_FALSE(parse_size("0"));
    CHECK_FALSE(parse_size("lots"));
    CHECK_FALSE(parse_size("5X"));
    CHECK_FALSE(parse_size("nan"));
}

TEST_CASE("format_size uses decimal units", "[estimate]") {
    CHECK(ts::io::format_size(512) == "512 B");
    CHECK(ts::io::format_size(3.2e12) == "3.2 TB");
    CHECK(ts::io::format_size(850e6) == "850 MB");
    CHECK(ts::io::format_size(100e9) == "100 GB");
}

TEST_CASE("the run estimate counts rows from the scenario", "[estimate]") {
    const auto loaded = ts::io::load_scenario_text(kWorld, "estimate.yaml");
    const auto& s = loaded.scenario;
    const auto one = ts::io::estimate_run_output(s, Detail::buyer, 1);
    // A row per buyer and offer it considers per tick: the export control never applies (it
    // covers exports from USA, and nvidia ships from TWN).
    CHECK(file_rows(one, "flows.csv") == Approx(3 * 2 * 12));
    // Covering re-exports too, it may split cn-cloud's H100 over the licence and up to 2
    // routes while in force (from 2023-06: 7 of 12 ticks).
    std::string reexports = kWorld;
    reexports.replace(reexports.find("delay: 1}}"), 10, "delay: 1}, covers: [exports, reexports]}");
    const auto controlled = ts::io::load_scenario_text(reexports, "estimate.yaml");
    CHECK(file_rows(ts::io::estimate_run_output(controlled.scenario, Detail::buyer, 1),
                    "flows.csv") == Approx(3 * 2 * 12 + 7 * (3 - 1)));
    CHECK(file_rows(one, "countries.csv") == Approx(4 * 12));
    CHECK(file_rows(one, "markets.csv") == Approx(2 * 12));
    // Largest first, and the total is the sum.
    CHECK(one.files.front().name == "flows.csv");
    double sum = 0.0;
    for (const auto& f : one.files) sum += f.bytes;
    CHECK(one.total_bytes() == Approx(sum));

    // Runs multiply, detail country sums buyers of one destination, none drops flows.csv.
    const auto many = ts::io::estimate_run_output(s, Detail::buyer, 100);
    CHECK(file_rows(many, "flows.csv") == Approx(100 * file_rows(one, "flows.csv")));
    CHECK(file_bytes(many, "flows.csv") > 100 * file_bytes(one, "flows.csv"));  // run column
    const auto country = ts::io::estimate_run_output(s, Detail::country, 1);
    CHECK(file_rows(country, "flows.csv") <= file_rows(one, "flows.csv"));
    const auto none = ts::io::estimate_run_output(s, Detail::none, 1);
    CHECK(file_rows(none, "flows.csv") == -1.0);
    CHECK(none.total_bytes() < one.total_bytes());
}

namespace {

/// Writes the CSV files of a run of `s` at `detail` into `dir`, summary.csv included.
void write_run(const ts::model::Scenario& s, Detail detail, const fs::path& dir) {
    ts::engine::Simulation sim(s, ts::engine::RunConfig{});
    ts::analysis::SummaryCollector summary;
    ts::io::RunWriterOptions options;
    options.flows_detail = detail;
    ts::io::CsvRunWriter writer(sim.world(), dir, options);
    ts::engine::TeeRecorder tee({&writer, &summary});
    sim.run(tee);
    ts::io::write_summary_csv(summary.rows(), dir / "summary.csv");
}

/// Bytes of the CSV files a run of `s` at `detail` writes.
double run_bytes(const ts::model::Scenario& s, Detail detail) {
    const ts::test::TempDir dir("estimate");
    write_run(s, detail, dir.path());
    double bytes = 0.0;
    for (const auto& f : fs::directory_iterator(dir.path()))
        if (f.path().extension() == ".csv") bytes += static_cast<double>(f.file_size());
    return bytes;
}

}  // namespace

TEST_CASE("the run estimate of generated worlds is within 2x of what runs write", "[estimate]") {
    // Dense (every buyer considers every offer) and sparse worlds, at both flow details: the
    // estimate must neither refuse what fits by a wide margin nor let through much more.
    for (const std::int64_t offers : {ts::io::kAllOffers, std::int64_t{0}}) {
        ts::io::GenerateSpec spec;
        spec.countries = 20;
        spec.suppliers = 10;
        spec.products = 3;
        spec.buyers = 200;
        spec.hubs = 4;
        spec.ticks = 24;
        spec.offers_per_buyer = offers;
        const auto loaded =
            ts::io::load_scenario_text(ts::io::generate_scenario(spec), "generated.yaml");
        for (const Detail detail : {Detail::buyer, Detail::country, Detail::none}) {
            const double actual = run_bytes(loaded.scenario, detail);
            const double estimate =
                ts::io::estimate_run_output(loaded.scenario, detail, 1).total_bytes();
            INFO((offers == ts::io::kAllOffers ? "dense, " : "sparse, ")
                 << ts::io::to_string(detail) << ": estimate " << estimate << ", actual "
                 << actual);
            CHECK(estimate >= 0.8 * actual);
            CHECK(estimate <= 2.0 * actual);
        }
    }
}

TEST_CASE("the run estimate is near what a run writes, file by file", "[estimate]") {
    const auto loaded = ts::io::load_scenario_text(kWorld, "estimate.yaml");
    const auto& s = loaded.scenario;
    const ts::test::TempDir dir("estimate");
    write_run(s, Detail::buyer, dir.path());
    const auto estimate = ts::io::estimate_run_output(s, Detail::buyer, 1);
    for (const char* name : {"flows.csv", "countries.csv", "markets.csv", "revenue.csv"}) {
        INFO(name);
        const double actual = static_cast<double>(fs::file_size(dir.path() / name));
        CHECK(file_bytes(estimate, name) >= 0.7 * actual);
        CHECK(file_bytes(estimate, name) <= 2.0 * actual);
    }
}

TEST_CASE("check_output_size refuses above the limit with advice", "[estimate]") {
    const auto loaded = ts::io::load_scenario_text(kWorld, "estimate.yaml");
    const auto e = ts::io::estimate_run_output(loaded.scenario, Detail::buyer, 1);
    CHECK_NOTHROW(ts::io::check_output_size(e, e.total_bytes() * 1.01, "run"));
    CHECK_NOTHROW(ts::io::check_output_size(e, *ts::io::parse_size("none"), "run"));
    try {
        ts::io::check_output_size(e, 1000.0, "run");
        FAIL("expected an InputError");
    } catch (const ts::InputError& err) {
        const std::string text = err.what();
        CHECK(text.find("tradesim run: would write about") != std::string::npos);
        CHECK(text.find("flows.csv ≈") != std::string::npos);
        CHECK(text.find("more than the limit of 1.0 kB") != std::string::npos);
        CHECK(text.find("--detail country or none") != std::string::npos);
        CHECK(text.find("--max-output") != std::string::npos);
    }
    // The advice never suggests the detail already asked for, nor fewer runs of a single run.
    const auto advice = [&](Detail detail, int runs) {
        try {
            ts::io::check_output_size(ts::io::estimate_run_output(loaded.scenario, detail, runs),
                                      1000.0, "run");
        } catch (const ts::InputError& err) {
            return std::string(err.what());
        }
        return std::string();
    };
    CHECK(advice(Detail::buyer, 1).find("use --detail country or none, fewer ticks, or") !=
          std::string::npos);
    CHECK(advice(Detail::buyer, 10).find("use --detail country or none, fewer runs or ticks") !=
          std::string::npos);
    CHECK(advice(Detail::country, 10).find("use --detail none, fewer runs or ticks") !=
          std::string::npos);
    CHECK(advice(Detail::none, 10).find("; use fewer runs or ticks, or --max-output") !=
          std::string::npos);
    CHECK(advice(Detail::none, 1).find("; use fewer ticks, or --max-output") != std::string::npos);
    const auto sweep = ts::io::estimate_sweep_output(101, 10000, 1, 8);
    CHECK(sweep.files.front().name == "runs.csv");
    CHECK(sweep.files.front().rows == Approx(101.0 * 10000.0 * 8.0));  // long: a row per metric
    CHECK(sweep.files.back().rows == Approx(101.0 * 8.0));
    CHECK_THROWS_AS(ts::io::check_output_size(sweep, 10e6, "sweep"), ts::InputError);
}

TEST_CASE("a run's writer stops at the limit of its budget", "[estimate]") {
    const auto loaded = ts::io::load_scenario_text(kWorld, "estimate.yaml");
    const auto& s = loaded.scenario;
    // What a whole run writes without a limit.
    double whole = 0.0;
    {
        const ts::test::TempDir all("budget");
        {
            ts::engine::Simulation sim(s, ts::engine::RunConfig{});
            ts::io::OutputBudget budget(1e18, "run", "", s.time.ticks, 1);
            ts::io::RunWriterOptions options;
            options.budget = &budget;
            ts::io::CsvRunWriter writer(sim.world(), all.path(), options);
            sim.run(writer);
            whole = static_cast<double>(budget.bytes());
        }
        double files = 0.0;
        for (const auto& f : fs::directory_iterator(all.path()))
            files += static_cast<double>(f.file_size());
        CHECK(whole == files);  // the budget counts every byte of the per-tick files
    }
    const ts::test::TempDir half("budget");
    const fs::path& dir = half.path();

    // Half of it: the tick that passes the limit throws, and no file is left behind.
    ts::io::OutputBudget budget(whole / 2, "run", ts::io::run_advice(Detail::buyer, 1),
                                s.time.ticks, 1);
    try {
        ts::engine::Simulation sim(s, ts::engine::RunConfig{});
        ts::io::RunWriterOptions options;
        options.budget = &budget;
        ts::io::CsvRunWriter writer(sim.world(), dir, options);
        sim.run(writer);
        FAIL("expected an OutputLimitError");
    } catch (const ts::io::OutputLimitError& e) {
        const std::string text = e.what();
        INFO(text);
        CHECK(text.find("tradesim run: stopped after writing") != std::string::npos);
        CHECK(text.find("of 12 ticks, more than the limit of") != std::string::npos);
        CHECK(text.find("partial outputs removed; use --detail country or none") !=
              std::string::npos);
    }
    CHECK(static_cast<double>(budget.bytes()) > whole / 2);
    CHECK(static_cast<double>(budget.bytes()) < whole);
    CHECK(fs::is_empty(dir));
}
