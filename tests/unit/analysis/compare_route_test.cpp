// The route view's seized_compute and in_transit_compute (docs/compare.md, "Trade-flow view"):
// rows fed to RunTotals by hand, every expected number worked out in the comments.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/compare.hpp"
#include "analysis/targets.hpp"

using namespace ts::analysis;

namespace {

const char* const kDates[] = {"2024-01-01", "2024-02-01", "2024-03-01"};

/// Three monthly ticks of CHN (imports are not what is tested here).
void add_ticks(RunTotals& t, int run = 0) {
    for (const char* d : kDates) {
        CountryTick c;
        c.run = run;
        c.date = d;
        c.country = "CHN";
        t.add(c);
    }
}

FlowTick flow(const char* date, const char* via, double units, double compute, double seized,
              const char* arrival, int run = 0) {
    FlowTick f;
    f.run = run;
    f.date = date;
    f.supplier = "s1";
    f.product = "chip";
    f.origin = "TWN";
    f.via = via;
    f.destination = "CHN";
    f.channel = *via ? "diverted" : "direct";
    f.units = units;
    f.compute = compute;
    f.value_usd = 100 * units;
    f.seized_units = seized;
    f.arrival_date = arrival;
    return f;
}

/// Shipments to CHN:
///  - 2024-01 direct: 10 units, 20 compute, 2 seized (4 compute), arriving 2024-02-01;
///  - 2024-02 via SGP: 4 units, 8 compute, 1 seized (2 compute), arriving 2024-05-01;
///  - 2024-03 direct: 5 units, 10 compute, none seized, arriving 2024-04-01 (after the run);
///  - 2024-03 direct: an empty row (0 units, 0 compute).
void add_flows(RunTotals& t, int run = 0) {
    t.add(flow("2024-01-01", "", 10, 20, 2, "2024-02-01", run));
    t.add(flow("2024-02-01", "SGP", 4, 8, 1, "2024-05-01", run));
    t.add(flow("2024-03-01", "", 5, 10, 0, "2024-04-01", run));
    t.add(flow("2024-03-01", "", 0, 0, 0, "2024-04-01", run));
}

double value(const std::vector<MetricSeries>& series, const std::string& key,
             const std::string& metric, int run = 0) {
    for (const auto& s : series)
        if (s.scope == "route" && s.key == key && s.metric == metric) return s.runs.at(run);
    FAIL("no route series " << key << " " << metric);
    return 0;
}

}  // namespace

TEST_CASE("compare route: seized_compute and in_transit_compute over the whole run",
          "[analysis][compare]") {
    RunTotals t;
    add_ticks(t);
    add_flows(t);
    const auto m = t.metrics(CompareBy::route);
    // Direct: compute 20 + 10 + 0; seized 20 × 2/10 = 4 (the empty row adds 0, not NaN); in
    // transit the 10 arriving 2024-04-01, after the last tick 2024-03-01.
    CHECK(value(m, "TWN > CHN", "compute") == Approx(30));
    CHECK(value(m, "TWN > CHN", "seized_compute") == Approx(4));
    CHECK(value(m, "TWN > CHN", "in_transit_compute") == Approx(10));
    // Via SGP: seized 8 × 1/4 = 2; the other 6 arrive 2024-05-01, in transit.
    CHECK(value(m, "TWN > SGP > CHN", "compute") == Approx(8));
    CHECK(value(m, "TWN > SGP > CHN", "seized_compute") == Approx(2));
    CHECK(value(m, "TWN > SGP > CHN", "in_transit_compute") == Approx(6));
    CHECK(value(m, "TWN > SGP > CHN", "seized_units") == Approx(1));
    // Arrived within the run: 30 − 4 − 10 = 16 direct, 8 − 2 − 6 = 0 via SGP.
    CHECK(value(m, "TWN > CHN", "compute") - value(m, "TWN > CHN", "seized_compute") -
              value(m, "TWN > CHN", "in_transit_compute") ==
          Approx(16));
}

namespace {
/// The route view of the three months of add_ticks and add_flows over `period`.
std::vector<MetricSeries> route_view(const Period& period) {
    RunTotals t(period);
    add_ticks(t);
    add_flows(t);
    return t.metrics(CompareBy::route);
}
}  // namespace

TEST_CASE("compare route: a period that ends before the arrival counts the shipment in transit",
          "[analysis][compare]") {
    SECTION("--to 2024-01: the January shipment arrives 2024-02-01, after the period") {
        const auto m = route_view(Period{std::nullopt, "2024-01-31"});
        CHECK(value(m, "TWN > CHN", "compute") == Approx(20));
        CHECK(value(m, "TWN > CHN", "seized_compute") == Approx(4));
        CHECK(value(m, "TWN > CHN", "in_transit_compute") == Approx(16));  // 20 − 4 seized
    }
    SECTION("--to 2024-02: January's has arrived (2024-02-01 is the last tick), SGP's has not") {
        const auto m = route_view(Period{std::nullopt, "2024-02-29"});
        CHECK(value(m, "TWN > CHN", "compute") == Approx(20));
        CHECK(value(m, "TWN > CHN", "in_transit_compute") == 0.0);
        CHECK(value(m, "TWN > SGP > CHN", "in_transit_compute") == Approx(6));
    }
    SECTION("--from 2024-03: only March's shipments, the last in transit") {
        const auto m = route_view(Period{"2024-03-01", std::nullopt});
        CHECK(value(m, "TWN > CHN", "compute") == Approx(10));
        CHECK(value(m, "TWN > CHN", "seized_compute") == 0.0);
        CHECK(value(m, "TWN > CHN", "in_transit_compute") == Approx(10));
    }
}

TEST_CASE("compare route: rows without arrival_date arrive when they leave",
          "[analysis][compare]") {
    RunTotals t;
    add_ticks(t);
    t.add(flow("2024-03-01", "", 10, 20, 5, ""));  // a folder written before arrival_date
    const auto m = t.metrics(CompareBy::route);
    CHECK(value(m, "TWN > CHN", "seized_compute") == Approx(10));
    CHECK(value(m, "TWN > CHN", "in_transit_compute") == 0.0);
}

TEST_CASE("compare route: in_transit_compute per run of an ensemble, with mean and paired diff",
          "[analysis][compare]") {
    // Run 0 as above; run 1 ships one more direct unit of 2 compute in March, arriving after
    // the run: in transit 12 instead of 10.
    RunTotals base, variant;
    for (int r = 0; r < 2; ++r) {
        add_ticks(base, r);
        add_flows(base, r);
        add_ticks(variant, r);
        add_flows(variant, r);
    }
    variant.add(flow("2024-03-01", "", 1, 2, 0, "2024-04-01", 1));
    const auto m = variant.metrics(CompareBy::route);
    CHECK(value(m, "TWN > CHN", "in_transit_compute", 0) == Approx(10));
    CHECK(value(m, "TWN > CHN", "in_transit_compute", 1) == Approx(12));

    CompareOptions options;
    options.by = CompareBy::route;
    options.metrics = {"in_transit_compute"};
    std::vector<ScenarioRuns> scenarios(2);
    scenarios[0].label = "base";
    scenarios[0].totals = &base;
    scenarios[1].label = "variant";
    scenarios[1].totals = &variant;
    const auto res = compare_runs(scenarios, options);
    const CompareRow* row = nullptr;
    for (const auto& r : res.rows)
        if (r.key == "TWN > CHN") row = &r;
    REQUIRE(row);
    CHECK(row->unit == "compute");
    CHECK(row->cells[1].value.mean == Approx(11));
    CHECK(row->cells[1].diff.mean == Approx(1));  // paired: 0 then 2
    CHECK(res.rows.size() == 2);                  // both routes, only the metric asked for
}

TEST_CASE("compare route: the two metrics belong to the route view only", "[analysis][compare]") {
    const auto has = [](CompareBy by, const std::string& m) {
        const auto names = metric_names(by);
        return std::find(names.begin(), names.end(), m) != names.end();
    };
    CHECK(has(CompareBy::route, "seized_compute"));
    CHECK(has(CompareBy::route, "in_transit_compute"));
    CHECK_FALSE(has(CompareBy::product, "in_transit_compute"));
    CHECK_FALSE(has(CompareBy::supplier, "seized_compute"));
    CHECK_FALSE(has(CompareBy::country, "in_transit_compute"));
    // Nor are they target metrics (targets.yaml): they are the arrivals of compare's period.
    const auto& targets = target_metric_names();
    CHECK(std::find(targets.begin(), targets.end(), "seized_compute") == targets.end());
    CHECK(std::find(targets.begin(), targets.end(), "in_transit_compute") == targets.end());
    CHECK(metric_unit("in_transit_compute") == "compute");
    CHECK(metric_unit("seized_compute") == "compute");
}
