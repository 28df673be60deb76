// The output-size estimate of tradesim run/sweep and --max-output parsing.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/simulation.hpp"
#include "io/output_estimate.hpp"
#include "io/run_writer.hpp"
#include "io/scenario_reader.hpp"

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
    // 3 buyers x 2 offers x (direct + 1 hub) x (licensed or not) x 12 ticks.
    CHECK(file_rows(one, "flows.csv") == Approx(3 * 2 * 2 * 2 * 12));
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

TEST_CASE("the run estimate is an upper bound of what a run writes", "[estimate]") {
    const auto loaded = ts::io::load_scenario_text(kWorld, "estimate.yaml");
    const auto& s = loaded.scenario;
    const fs::path dir = fs::temp_directory_path() / "tradesim_estimate_test";
    fs::remove_all(dir);
    fs::create_directories(dir);
    {
        ts::engine::Simulation sim(s, ts::engine::RunConfig{});
        ts::io::CsvRunWriter writer(sim.world(), dir);
        sim.run(writer);
    }
    const auto estimate = ts::io::estimate_run_output(s, Detail::buyer, 1);
    for (const char* name : {"flows.csv", "countries.csv", "markets.csv", "revenue.csv"}) {
        INFO(name);
        const double actual = static_cast<double>(fs::file_size(dir / name));
        CHECK(actual <= file_bytes(estimate, name));
        // and not absurdly above it: the same order of magnitude for the fixed-size files
        if (std::string(name) == "countries.csv" || std::string(name) == "markets.csv")
            CHECK(file_bytes(estimate, name) < 3.0 * actual);
    }
    fs::remove_all(dir);
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
