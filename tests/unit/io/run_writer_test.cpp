// The per-tick CSV files, summary.csv and manifest.json, compared byte for byte.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "core/version.hpp"
#include "engine/records.hpp"
#include "io/manifest.hpp"
#include "io/run_writer.hpp"
#include "model/scenario.hpp"

#include "temp_dir.hpp"

namespace fs = std::filesystem;
using ts::engine::Channel;
using ts::engine::EventKind;
using ts::engine::TickRecord;
using ts::io::CsvRunWriter;
using ts::io::RunWriterOptions;
using ts::model::kNone;
using ts::model::kUnlimited;

using ts::test::read_file;
using ts::test::TempDir;

namespace {

std::vector<std::string> listing(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// Countries TWN (0), CHN (1), SGP (2, the hub); products H100 (0), Ascend910B (1);
// suppliers nvidia (0, offer 0: H100, capacity 100) and huawei (1, offer 1: Ascend910B,
// unlimited); one buyer cn-cloud in CHN.
ts::model::Scenario make_scenario() {
    ts::model::Scenario s;
    s.name = "writer-test";
    s.time = {ts::Date{2024, 1, 1}, ts::TimeStep::month, 2, std::nullopt};
    s.countries = {
        {"TWN", "Taiwan", {}}, {"CHN", "China", {"D5"}}, {"SGP", "Singapore", {"tier2"}}};
    s.products.resize(2);
    s.products[0].id = "H100";
    s.products[1].id = "Ascend910B";
    s.products[1].compute = 0.6;
    s.suppliers.resize(2);
    s.suppliers[0].id = "nvidia";
    s.suppliers[0].made_in = s.suppliers[0].ships_from = 0;
    s.suppliers[0].offers = {0};
    s.suppliers[1].id = "huawei";
    s.suppliers[1].made_in = s.suppliers[1].ships_from = 1;
    s.suppliers[1].offers = {1};
    s.offers.resize(2);
    s.offers[0].supplier = 0;
    s.offers[0].product = 0;
    s.offers[0].capacity = 100;
    s.offers[0].price = 25000;
    s.offers[1].supplier = 1;
    s.offers[1].product = 1;
    s.offers[1].capacity = kUnlimited;
    s.offers[1].price = 16500;
    s.buyers.resize(1);
    s.buyers[0].id = "cn-cloud";
    s.buyers[0].country = s.buyers[0].billing_country = 1;
    s.routes.resize(1);
    s.routes[0].via = 2;
    return s;
}

ts::engine::FlowRecord flow(int offer, int supplier, int product, int origin, int via,
                            int destination, int buyer, Channel channel, double units,
                            double compute, double value, double tariff, double fee, double seized,
                            int arrival) {
    return {offer, supplier, product, origin, via, destination, buyer,  channel,
            units, compute,  value,   tariff, fee, seized,      arrival};
}

std::vector<TickRecord> make_ticks() {
    std::vector<TickRecord> ticks(2);
    TickRecord& t0 = ticks[0];
    t0.tick = 0;
    t0.date = {2024, 1, 1};
    t0.flows = {
        flow(0, 0, 0, 0, kNone, 1, 0, Channel::direct, 10, 10, 250000, 0, 0, 0, 1),
        flow(0, 0, 0, 0, 2, 1, 0, Channel::diverted, 2.5, 2.5, 62500.126, 0, 0, 0.5, 2),
        flow(1, 1, 1, 1, kNone, 1, 0, Channel::direct, 4, 2.4, 66000, 0, 0, -0.0, 1),
    };
    t0.markets = {{0, 25000, 100, 100, 112.5, 12.5, 87.5}, {1, 16500, kUnlimited, 4, 4, 4, 0}};
    t0.countries = {{0, 0, 0, 0, 0, 0, 0, 0, 0},
                    {1, 14, 12.4, 2.5, 0.5, 1.23456, 21000.123456, 0, 0},
                    {2, 0, 0, 0, 0, 0, kUnlimited, 0, 0}};
    t0.revenue = {{0, 1, Channel::direct, 10, 250000},
                  {0, 1, Channel::diverted, 2.5, 62500.126},
                  {1, 1, Channel::direct, 4, 66000}};
    t0.events.push_back({"CHN", "cn-tariff", EventKind::in_force, "rate 34%, \"reciprocal\""});

    TickRecord& t1 = ticks[1];
    t1.tick = 1;
    t1.date = {2024, 2, 1};
    t1.flows = {
        flow(0, 0, 0, 0, kNone, 1, 0, Channel::licensed, 11.25, 11.25, 281250, 95625.5, 100, 0, 2)};
    t1.markets = {{0, 26250, 100, 25, 11.25, 11.25, 101.25, 87.5}};
    t1.countries = {{1, 11.25, 11.25, 0, 0, 0, 25000, 95625.5, 100}};
    t1.revenue = {{0, 1, Channel::licensed, 11.25, 281150}};
    t1.events.push_back({"nvidia", "H100-cn", EventKind::launched, ""});
    return ticks;
}

void run_all(CsvRunWriter& w, const ts::model::Scenario& s, const std::vector<TickRecord>& ticks,
             int run = 0) {
    w.begin(s, run);
    for (const auto& t : ticks) w.record(t);
    w.end();
}

const std::string kFlowsHeader =
    "tick,date,supplier,product,origin,via,destination,buyer,channel,units,compute,value_usd,"
    "tariff_usd,fee_usd,seized_units,arrival_tick,arrival_date\n";

const std::string kExpectedFlows =
    kFlowsHeader +
    "0,2024-01-01,nvidia,H100,TWN,direct,CHN,cn-cloud,direct,10.0000,10.0000,250000.00,0.00,0.00,"
    "0.0000,1,2024-02-01\n"
    "0,2024-01-01,nvidia,H100,TWN,SGP,CHN,cn-cloud,diverted,2.5000,2.5000,62500.13,0.00,0.00,"
    "0.5000,2,2024-03-01\n"
    "0,2024-01-01,huawei,Ascend910B,CHN,direct,CHN,cn-cloud,direct,4.0000,2.4000,66000.00,0.00,"
    "0.00,0.0000,1,2024-02-01\n"
    "1,2024-02-01,nvidia,H100,TWN,direct,CHN,cn-cloud,licensed,11.2500,11.2500,281250.00,95625.50,"
    "100.00,0.0000,2,2024-03-01\n";

const std::string kExpectedCountries =
    "tick,date,country,imports_units,imports_compute,diverted_compute,seized_units,unmet_compute,"
    "price_index,"
    "tariff_revenue_usd,fee_revenue_usd,remote_compute,compute_used\n"
    "0,2024-01-01,TWN,0.0000,0.0000,0.0000,0.0000,0.0000,0.0000,0.00,0.00,0.0000,0.0000\n"
    "0,2024-01-01,CHN,14.0000,12.4000,2.5000,0.5000,1.2346,21000.1235,0.00,0.00,0.0000,0.0000\n"
    "0,2024-01-01,SGP,0.0000,0.0000,0.0000,0.0000,0.0000,inf,0.00,0.00,0.0000,0.0000\n"
    "1,2024-02-01,CHN,11.2500,11.2500,0.0000,0.0000,0.0000,25000.0000,95625.50,100.00,0.0000,0."
    "0000\n";

const std::string kExpectedMarkets =
    "tick,date,supplier,product,price,capacity,produced,orders,shipped,stock,opening_stock\n"
    "0,2024-01-01,nvidia,H100,25000.0000,100.0000,100.0000,112.5000,12.5000,87.5000,0.0000\n"
    "0,2024-01-01,huawei,Ascend910B,16500.0000,inf,4.0000,4.0000,4.0000,0.0000,0.0000\n"
    "1,2024-02-01,nvidia,H100,26250.0000,100.0000,25.0000,11.2500,11.2500,101.2500,87.5000\n";

const std::string kExpectedRevenue =
    "tick,date,supplier,billing_country,units,revenue_usd,channel\n"
    "0,2024-01-01,nvidia,CHN,10.0000,250000.00,direct\n"
    "0,2024-01-01,nvidia,CHN,2.5000,62500.13,diverted\n"
    "0,2024-01-01,huawei,CHN,4.0000,66000.00,direct\n"
    "1,2024-02-01,nvidia,CHN,11.2500,281150.00,licensed\n";

const std::string kExpectedEvents =
    "tick,date,actor,id,event,detail\n"
    "0,2024-01-01,CHN,cn-tariff,in_force,\"rate 34%, \"\"reciprocal\"\"\"\n"
    "1,2024-02-01,nvidia,H100-cn,launched,\n";

/// Every line after the header prefixed with `prefix`, and the header with "run,".
std::string with_run_column(const std::string& csv, const std::string& prefix) {
    std::string out = "run,";
    std::size_t start = 0;
    bool header = true;
    while (start < csv.size()) {
        const std::size_t end = csv.find('\n', start);
        if (!header) out += prefix;
        out += csv.substr(start, end + 1 - start);
        header = false;
        start = end + 1;
    }
    return out;
}

}  // namespace

TEST_CASE("CsvRunWriter writes the five per-tick files exactly", "[io][run_writer]") {
    TempDir dir;
    const auto scenario = make_scenario();
    const auto ticks = make_ticks();
    CsvRunWriter w(scenario, dir.path());
    w.begin(scenario, 0);
    for (const auto& t : ticks) w.record(t);
    // Nothing looks whole before end().
    CHECK(listing(dir.path()) == std::vector<std::string>{"countries.csv.tmp", "events.csv.tmp",
                                                          "flows.csv.tmp", "markets.csv.tmp",
                                                          "revenue.csv.tmp"});
    w.end();
    CHECK(w.committed());
    CHECK(listing(dir.path()) == std::vector<std::string>{"countries.csv", "events.csv",
                                                          "flows.csv", "markets.csv",
                                                          "revenue.csv"});
    CHECK(read_file(dir.path() / "flows.csv") == kExpectedFlows);
    CHECK(read_file(dir.path() / "countries.csv") == kExpectedCountries);
    CHECK(read_file(dir.path() / "markets.csv") == kExpectedMarkets);
    CHECK(read_file(dir.path() / "revenue.csv") == kExpectedRevenue);
    CHECK(read_file(dir.path() / "events.csv") == kExpectedEvents);
    CHECK_THROWS_AS(w.record(ticks[0]), ts::RunError);
    CHECK_THROWS_AS(w.end(), ts::RunError);
}

TEST_CASE("CsvRunWriter run column carries the run given to begin()", "[io][run_writer]") {
    TempDir dir;
    const auto scenario = make_scenario();
    const auto ticks = make_ticks();
    RunWriterOptions options;
    options.run_column = true;
    CsvRunWriter w(scenario, dir.path(), options);
    run_all(w, scenario, ticks, 7);
    CHECK(read_file(dir.path() / "flows.csv") == with_run_column(kExpectedFlows, "7,"));
    CHECK(read_file(dir.path() / "countries.csv") == with_run_column(kExpectedCountries, "7,"));
    CHECK(read_file(dir.path() / "markets.csv") == with_run_column(kExpectedMarkets, "7,"));
    CHECK(read_file(dir.path() / "revenue.csv") == with_run_column(kExpectedRevenue, "7,"));
    CHECK(read_file(dir.path() / "events.csv") == with_run_column(kExpectedEvents, "7,"));
    CHECK(read_file(dir.path() / "events.csv").substr(0, 44) ==
          "run,tick,date,actor,id,event,detail\n7,0,2024");
}

TEST_CASE("CsvRunWriter appends sequential runs until end()", "[io][run_writer]") {
    TempDir dir;
    const auto scenario = make_scenario();
    const auto ticks = make_ticks();
    RunWriterOptions options;
    options.run_column = true;
    CsvRunWriter w(scenario, dir.path(), options);
    w.begin(scenario, 0);
    w.record(ticks[1]);
    w.begin(scenario, 1);
    w.record(ticks[1]);
    w.end();
    CHECK(read_file(dir.path() / "revenue.csv") ==
          "run,tick,date,supplier,billing_country,units,revenue_usd,channel\n"
          "0,1,2024-02-01,nvidia,CHN,11.2500,281150.00,licensed\n"
          "1,1,2024-02-01,nvidia,CHN,11.2500,281150.00,licensed\n");
}

TEST_CASE("CsvRunWriter with country detail sums flows over buyers in first-seen order",
          "[io][run_writer]") {
    TempDir dir;
    auto scenario = make_scenario();
    scenario.buyers.resize(2);
    scenario.buyers[1].id = "cn-labs";
    scenario.buyers[1].country = scenario.buyers[1].billing_country = 1;
    TickRecord t;
    t.tick = 3;
    t.date = {2024, 4, 1};
    t.flows = {
        flow(0, 0, 0, 0, kNone, 1, 0, Channel::direct, 10, 10, 250000, 1000, 10, 0, 4),
        flow(0, 0, 0, 0, 2, 1, 0, Channel::diverted, 2.5, 2.5, 62500, 0, 0, 0.5, 5),
        flow(0, 0, 0, 0, kNone, 1, 1, Channel::direct, 5, 5, 125000, 500, 5, 0, 4),
        flow(1, 1, 1, 1, kNone, 1, 1, Channel::direct, 4, 2.4, 66000, 0, 0, 0, 4),
        flow(0, 0, 0, 0, 2, 1, 1, Channel::diverted, 1.25, 1.25, 31250, 0, 0, 0.25, 5),
        // Same route and buyer but another channel: a separate row.
        flow(0, 0, 0, 0, kNone, 1, 1, Channel::licensed, 1, 1, 25000, 0, 0, 0, 4),
    };
    RunWriterOptions options;
    options.flows_detail = RunWriterOptions::Detail::country;
    CsvRunWriter w(scenario, dir.path(), options);
    w.begin(scenario, 0);
    w.record(t);
    t.tick = 4;
    t.date = {2024, 5, 1};
    t.flows.resize(1);  // sums start afresh every tick
    w.record(t);
    w.end();
    CHECK(read_file(dir.path() / "flows.csv") ==
          kFlowsHeader +
              "3,2024-04-01,nvidia,H100,TWN,direct,CHN,,direct,15.0000,15.0000,375000.00,1500.00,"
              "15.00,0.0000,4,2024-05-01\n"
              "3,2024-04-01,nvidia,H100,TWN,SGP,CHN,,diverted,3.7500,3.7500,93750.00,0.00,0.00,"
              "0.7500,5,2024-06-01\n"
              "3,2024-04-01,huawei,Ascend910B,CHN,direct,CHN,,direct,4.0000,2.4000,66000.00,0.00,"
              "0.00,0.0000,4,2024-05-01\n"
              "3,2024-04-01,nvidia,H100,TWN,direct,CHN,,licensed,1.0000,1.0000,25000.00,0.00,0.00,"
              "0.0000,4,2024-05-01\n"
              "4,2024-05-01,nvidia,H100,TWN,direct,CHN,,direct,10.0000,10.0000,250000.00,1000.00,"
              "10.00,0.0000,4,2024-05-01\n");
}

TEST_CASE("CsvRunWriter with detail none writes no flows.csv", "[io][run_writer]") {
    TempDir dir;
    const auto scenario = make_scenario();
    RunWriterOptions options;
    options.flows_detail = RunWriterOptions::Detail::none;
    CsvRunWriter w(scenario, dir.path(), options);
    run_all(w, scenario, make_ticks());
    CHECK(listing(dir.path()) ==
          std::vector<std::string>{"countries.csv", "events.csv", "markets.csv", "revenue.csv"});
    CHECK(read_file(dir.path() / "markets.csv") == kExpectedMarkets);
}

TEST_CASE("CsvRunWriter abandoned before end() leaves no files", "[io][run_writer]") {
    TempDir dir;
    const auto scenario = make_scenario();
    {
        CsvRunWriter w(scenario, dir.path());
        w.begin(scenario, 0);
        w.record(make_ticks()[0]);
    }
    CHECK(listing(dir.path()).empty());
}

TEST_CASE("CsvRunWriter rejects records naming indices outside the scenario", "[io][run_writer]") {
    TempDir dir;
    const auto scenario = make_scenario();
    CsvRunWriter w(scenario, dir.path());
    w.begin(scenario, 0);
    TickRecord t;
    t.flows = {flow(0, 0, 5, 0, kNone, 1, 0, Channel::direct, 1, 1, 1, 0, 0, 0, 1)};
    try {
        w.record(t);
        FAIL("no exception");
    } catch (const ts::RunError& e) {
        CHECK(std::string(e.what()) ==
              "output: record names product index 5, but the scenario has 2");
    }
    TickRecord m;
    m.markets = {{2, 1, 1, 1, 1, 1, 1}};
    CHECK_THROWS_AS(w.record(m), ts::RunError);
}

TEST_CASE("CsvRunWriter into a missing folder is a RunError", "[io][run_writer]") {
    TempDir dir;
    CHECK_THROWS_AS(CsvRunWriter(make_scenario(), dir.path() / "missing"), ts::RunError);
}

TEST_CASE("flows detail names parse and print", "[io][run_writer]") {
    using D = RunWriterOptions::Detail;
    for (const D d : {D::buyer, D::country, D::none})
        CHECK(ts::io::parse_flows_detail(ts::io::to_string(d)) == d);
    CHECK_FALSE(ts::io::parse_flows_detail("buyers").has_value());
}

TEST_CASE("write_summary_csv writes scope,key,metric,value with 6 decimals", "[io][run_writer]") {
    TempDir dir;
    const std::vector<ts::analysis::SummaryRow> rows = {
        {"world", "all", "units_shipped", 12.5},
        {"country", "CHN", "share_via_third_countries", 1.0 / 3.0},
        {"offer", "a,b/H100", "price_final", -0.0000001},
        {"country", "SGP", "price_index_mean", kUnlimited},
    };
    ts::io::write_summary_csv(rows, dir.path() / "summary.csv");
    CHECK(read_file(dir.path() / "summary.csv") ==
          "scope,key,metric,value\n"
          "world,all,units_shipped,12.500000\n"
          "country,CHN,share_via_third_countries,0.333333\n"
          "offer,\"a,b/H100\",price_final,0.000000\n"
          "country,SGP,price_index_mean,inf\n");
    CHECK(listing(dir.path()) == std::vector<std::string>{"summary.csv"});
}

// --- manifest.json
// ----------------------------------------------------------------------------

TEST_CASE("manifest_json is pretty, ordered and complete", "[io][manifest]") {
    ts::io::Manifest m;
    m.scenario_name = "chips-baseline";
    m.scenario_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    m.start_time_utc = "2025-01-31T12:00:00Z";
    m.status = "complete";
    m.seed = 18446744073709551615ULL;  // the full 64-bit range, exactly
    m.runs = 20;
    m.threads = 4;
    m.command_line = {"tradesim", "run", "x.yaml", "--runs", "20"};
    m.wall_seconds = 12.3456;
    CHECK(ts::io::manifest_json(m) == fmt::format(R"({{
  "tool": "tradesim",
  "version": "{}",
  "git_describe": "{}",
  "scenario_name": "chips-baseline",
  "scenario_sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "status": "complete",
  "seed": 18446744073709551615,
  "runs": 20,
  "threads": 4,
  "start_time_utc": "2025-01-31T12:00:00Z",
  "wall_seconds": 12.346,
  "command_line": [
    "tradesim",
    "run",
    "x.yaml",
    "--runs",
    "20"
  ]
}}
)",
                                                  ts::kVersion, ts::kGitDescribe));
}

TEST_CASE("manifest_json with an empty command line and no wall time", "[io][manifest]") {
    ts::io::Manifest m;
    m.status = "failed";
    const std::string json = ts::io::manifest_json(m);
    CHECK_THAT(json, Catch::Contains("  \"wall_seconds\": 0.000,\n  \"command_line\": []\n}\n"));
    m.wall_seconds = std::numeric_limits<double>::quiet_NaN();
    CHECK_THAT(ts::io::manifest_json(m), Catch::Contains("\"wall_seconds\": 0.000,"));
}

TEST_CASE("manifest_json writes the engine's seconds per phase by name, in order",
          "[io][manifest]") {
    ts::io::Manifest m;
    m.engine = ts::io::Manifest::Engine{};
    m.engine->ticks = 2;
    m.engine->loop_seconds = 0.5;
    m.engine->phase_seconds = {
        {"policy", 0.125}, {"routes", 0.25}, {"output", std::numeric_limits<double>::infinity()}};
    CHECK_THAT(ts::io::manifest_json(m),
               Catch::Contains("\"loop_seconds\": 0.500000, \"phase_seconds\": {\"policy\": "
                               "0.125000, \"routes\": 0.250000, \"output\": 0.000000}},\n"));
}

TEST_CASE("manifest_json writes the engine's modelled bytes per phase after its seconds",
          "[io][manifest]") {
    ts::io::Manifest m;
    m.engine = ts::io::Manifest::Engine{};
    m.engine->phase_seconds = {{"routes", 0.25}};
    m.engine->phase_bytes = {{"routes", 640}, {"shipping", 12345678901234ULL}};
    CHECK_THAT(ts::io::manifest_json(m),
               Catch::Contains("\"phase_seconds\": {\"routes\": 0.250000}, \"phase_bytes\": "
                               "{\"routes\": 640, \"shipping\": 12345678901234}},\n"));
}

TEST_CASE("manifest JSON strings are escaped", "[io][manifest]") {
    using ts::io::json_string;
    CHECK(json_string("plain") == "\"plain\"");
    CHECK(json_string("say \"hi\"") == R"("say \"hi\"")");
    CHECK(json_string("C:\\dir\\x.yaml") == R"("C:\\dir\\x.yaml")");
    CHECK(json_string("a\nb\rc\td\be\ff") == R"("a\nb\rc\td\be\ff")");
    CHECK(json_string(std::string("nul\0x\x01\x1f", 7)) == R"("nul\u0000x\u0001\u001f")");
    CHECK(json_string("\x7f") == "\"\x7f\"");  // DEL needs no escape
    CHECK(json_string("/") == "\"/\"");
    // Valid UTF-8 passes through; invalid bytes become U+FFFD.
    CHECK(json_string("Z\xc3\xbcrich \xe5\x8c\x97\xe4\xba\xac \xf0\x9f\x92\xbe") ==
          "\"Z\xc3\xbcrich \xe5\x8c\x97\xe4\xba\xac \xf0\x9f\x92\xbe\"");
    CHECK(json_string("bad\xff") == R"("bad\ufffd")");
    CHECK(json_string("cut\xc3") == R"("cut\ufffd")");
    CHECK(json_string("over\xc0\xaf") == R"("over\ufffd\ufffd")");            // overlong '/'
    CHECK(json_string("surr\xed\xa0\x80") == R"("surr\ufffd\ufffd\ufffd")");  // U+D800
    ts::io::Manifest m;
    m.scenario_name = "x\"y";
    m.command_line = {"--set", "name=a\\b\n"};
    const std::string json = ts::io::manifest_json(m);
    CHECK_THAT(json, Catch::Contains(R"("scenario_name": "x\"y",)"));
    CHECK_THAT(json, Catch::Contains(R"(    "name=a\\b\n")"));
}

TEST_CASE("format_utc prints ISO 8601 with Z", "[io][manifest]") {
    CHECK(ts::io::format_utc(0) == "1970-01-01T00:00:00Z");
    CHECK(ts::io::format_utc(1738324800) == "2025-01-31T12:00:00Z");
    CHECK(ts::io::format_utc(951825599) == "2000-02-29T11:59:59Z");
    CHECK(ts::io::format_utc(-1) == "1969-12-31T23:59:59Z");
}
