// Headline metrics: exact sums over hand-built records.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/summary.hpp"
#include "core/error.hpp"

using ts::analysis::SummaryCollector;
using ts::analysis::SummaryRow;
using ts::engine::Channel;
using ts::engine::TickRecord;
using ts::model::kNone;

namespace {

// Countries TWN (0), CHN (1), SGP (2), USA (3); products H100 (0), Ascend910B (1), H20 (2);
// offers nvidia/H100 (0), nvidia/H20 (1, never on the market), huawei/Ascend910B (2);
// one buyer in CHN.
ts::model::Scenario make_scenario() {
    ts::model::Scenario s;
    s.countries = {{"TWN", "Taiwan", {}},
                   {"CHN", "China", {}},
                   {"SGP", "Singapore", {}},
                   {"USA", "United States", {}}};
    s.products.resize(3);
    s.products[0].id = "H100";
    s.products[1].id = "Ascend910B";
    s.products[2].id = "H20";
    s.suppliers.resize(2);
    s.suppliers[0].id = "nvidia";
    s.suppliers[0].offers = {0, 1};
    s.suppliers[1].id = "huawei";
    s.suppliers[1].offers = {2};
    s.offers.resize(3);
    s.offers[0].supplier = 0;
    s.offers[0].product = 0;
    s.offers[1].supplier = 0;
    s.offers[1].product = 2;
    s.offers[2].supplier = 1;
    s.offers[2].product = 1;
    s.buyers.resize(1);
    s.buyers[0].id = "cn-cloud";
    s.buyers[0].country = s.buyers[0].billing_country = 1;
    return s;
}

ts::engine::FlowRecord flow(int offer, int supplier, int product, int origin, int via,
                            int destination, Channel channel, double units, double compute,
                            double value, double fee, double seized) {
    return {offer,   supplier, product, origin, via, destination, 0,
            channel, units,    compute, value,  0.0, fee,         seized};
}

std::vector<TickRecord> make_ticks() {
    std::vector<TickRecord> ticks(2);
    TickRecord& t0 = ticks[0];
    t0.flows = {
        flow(0, 0, 0, 0, kNone, 1, Channel::direct, 8, 8, 200000, 1000, 0),
        flow(0, 0, 0, 0, 2, 1, Channel::diverted, 2, 2, 50000, 0, 0.5),
        flow(2, 1, 1, 1, kNone, 1, Channel::direct, 10, 6, 165000, 0, 0),
        flow(kNone, 0, 0, 0, kNone, 2, Channel::direct, 4, 4, 100000, 0,
             0),  // offer found by supplier+product
    };
    t0.markets = {{0, 25000, 100, 100, 14, 14, 86}, {2, 16500, 50, 10, 10, 10, 0}};
    t0.countries = {{0, 0, 0, 0, 0, 0, 0, 0, 0},
                    {1, 18, 14, 2, 0.5, 3, 20000, 1500, 0},
                    {2, 4, 4, 0, 0, 0, 0, 0, 0}};
    t0.revenue = {{0, 1, Channel::direct, 10, 249000},
                  {0, 2, Channel::diverted, 4, 100000},
                  {1, 1, Channel::direct, 10, 165000}};

    TickRecord& t1 = ticks[1];
    t1.tick = 1;
    t1.flows = {
        flow(0, 0, 0, 0, 2, 1, Channel::diverted, 4, 4, 100000, 0, 1),
        flow(2, 1, 1, 1, kNone, 1, Channel::direct, 5, 3, 82500, 0, 0),
    };
    t1.markets = {{0, 26000, 100, 50, 4, 4, 132}, {2, 16000, 50, 5, 5, 5, 0}};
    t1.countries = {{1, 9, 7, 4, 1, 1, 21000, 500, 250}};
    t1.revenue = {{0, 1, Channel::direct, 4, 100000}, {1, 1, Channel::direct, 5, 82500}};
    return ticks;
}

std::string show(const std::vector<SummaryRow>& rows) {
    std::string s;
    for (const auto& r : rows)
        s += r.scope + "," + r.key + "," + r.metric + "," + std::to_string(r.value) + "\n";
    return s;
}

}  // namespace

TEST_CASE("SummaryCollector sums the headline metrics of a run", "[analysis][summary]") {
    const auto scenario = make_scenario();
    SummaryCollector c;
    c.begin(scenario, 0);
    for (const auto& t : make_ticks()) c.record(t);
    const std::vector<SummaryRow> expected = {
        {"world", "all", "imports_compute", 25},
        {"world", "all", "units_shipped", 33},
        {"world", "all", "value_usd", 697500},
        {"world", "all", "tariff_revenue_usd", 2000},
        {"world", "all", "fee_revenue_usd", 250},
        {"world", "all", "unmet_compute", 4},
        {"world", "all", "diverted_compute", 6},
        {"world", "all", "seized_units", 1.5},
        // CHN has the buyer; SGP has imports but no buyer (no price index); TWN and USA neither.
        {"country", "CHN", "imports_compute", 21},
        {"country", "CHN", "imports_units", 27},
        {"country", "CHN", "unmet_compute", 4},
        {"country", "CHN", "diverted_compute", 6},
        {"country", "CHN", "seized_units", 1.5},
        {"country", "CHN", "tariff_revenue_usd", 2000},
        {"country", "CHN", "fee_revenue_usd", 250},
        {"country", "CHN", "price_index_mean", 20500},
        {"country", "CHN", "compute_via_third_countries", 6},
        {"country", "CHN", "share_via_third_countries", 6.0 / 23.0},
        {"country", "SGP", "imports_compute", 4},
        {"country", "SGP", "imports_units", 4},
        {"country", "SGP", "unmet_compute", 0},
        {"country", "SGP", "diverted_compute", 0},
        {"country", "SGP", "seized_units", 0},
        {"country", "SGP", "tariff_revenue_usd", 0},
        {"country", "SGP", "fee_revenue_usd", 0},
        {"country", "SGP", "compute_via_third_countries", 0},
        {"country", "SGP", "share_via_third_countries", 0},
        {"supplier", "nvidia", "revenue_usd", 449000},
        {"supplier", "nvidia", "units_shipped", 18},
        {"supplier", "nvidia", "value_usd", 450000},
        {"supplier", "nvidia", "fee_usd", 1000},
        {"supplier", "huawei", "revenue_usd", 247500},
        {"supplier", "huawei", "units_shipped", 15},
        {"supplier", "huawei", "value_usd", 247500},
        {"supplier", "huawei", "fee_usd", 0},
        {"offer", "nvidia/H100", "units_shipped", 18},
        {"offer", "nvidia/H100", "produced", 150},
        {"offer", "nvidia/H100", "price_final", 26000},
        {"offer", "nvidia/H100", "price_mean", 25500},
        {"offer", "nvidia/H20", "units_shipped", 0},  // no market records: no prices
        {"offer", "nvidia/H20", "produced", 0},
        {"offer", "huawei/Ascend910B", "units_shipped", 15},
        {"offer", "huawei/Ascend910B", "produced", 15},
        {"offer", "huawei/Ascend910B", "price_final", 16000},
        {"offer", "huawei/Ascend910B", "price_mean", 16250},
        {"revenue", "nvidia/CHN", "revenue_usd", 349000},
        {"revenue", "nvidia/CHN", "share", 349000.0 / 449000.0},
        {"revenue", "nvidia/SGP", "revenue_usd", 100000},
        {"revenue", "nvidia/SGP", "share", 100000.0 / 449000.0},
        {"revenue", "huawei/CHN", "revenue_usd", 247500},
        {"revenue", "huawei/CHN", "share", 1},
        // Routes by origin, hub (direct first), destination; the two diverted flows join.
        {"route", "TWN/direct/CHN", "units", 8},
        {"route", "TWN/direct/CHN", "compute", 8},
        {"route", "TWN/direct/CHN", "value_usd", 200000},
        {"route", "TWN/direct/CHN", "seized_units", 0},
        {"route", "TWN/direct/SGP", "units", 4},
        {"route", "TWN/direct/SGP", "compute", 4},
        {"route", "TWN/direct/SGP", "value_usd", 100000},
        {"route", "TWN/direct/SGP", "seized_units", 0},
        {"route", "TWN/SGP/CHN", "units", 6},
        {"route", "TWN/SGP/CHN", "compute", 6},
        {"route", "TWN/SGP/CHN", "value_usd", 150000},
        {"route", "TWN/SGP/CHN", "seized_units", 1.5},
        {"route", "CHN/direct/CHN", "units", 15},
        {"route", "CHN/direct/CHN", "compute", 9},
        {"route", "CHN/direct/CHN", "value_usd", 247500},
        {"route", "CHN/direct/CHN", "seized_units", 0},
        // Every channel, used or not; revenue from the revenue records of the channel.
        {"channel", "direct", "units", 27},
        {"channel", "direct", "compute", 21},
        {"channel", "direct", "value_usd", 547500},
        {"channel", "direct", "seized_units", 0},
        {"channel", "direct", "revenue_usd", 596500},
        {"channel", "licensed", "units", 0},
        {"channel", "licensed", "compute", 0},
        {"channel", "licensed", "value_usd", 0},
        {"channel", "licensed", "seized_units", 0},
        {"channel", "licensed", "revenue_usd", 0},
        {"channel", "transshipped", "units", 0},
        {"channel", "transshipped", "compute", 0},
        {"channel", "transshipped", "value_usd", 0},
        {"channel", "transshipped", "seized_units", 0},
        {"channel", "transshipped", "revenue_usd", 0},
        {"channel", "diverted", "units", 6},
        {"channel", "diverted", "compute", 6},
        {"channel", "diverted", "value_usd", 150000},
        {"channel", "diverted", "seized_units", 1.5},
        {"channel", "diverted", "revenue_usd", 100000},
        {"channel", "remote", "units", 0},
        {"channel", "remote", "compute", 0},
        {"channel", "remote", "value_usd", 0},
        {"channel", "remote", "seized_units", 0},
        {"channel", "remote", "revenue_usd", 0},
    };
    const auto rows = c.rows();
    INFO(show(rows));
    CHECK(rows == expected);
}

TEST_CASE("SummaryCollector starts afresh at begin()", "[analysis][summary]") {
    const auto scenario = make_scenario();
    SummaryCollector c;
    CHECK(c.rows().empty());
    CHECK_THROWS_AS(c.record(make_ticks()[0]), ts::RunError);
    c.begin(scenario, 0);
    for (const auto& t : make_ticks()) c.record(t);
    c.begin(scenario, 1);
    c.record(make_ticks()[1]);
    const auto rows = c.rows();
    REQUIRE(rows.size() >= 2);
    CHECK(rows[0] == SummaryRow{"world", "all", "imports_compute", 7});
    CHECK(rows[1] == SummaryRow{"world", "all", "units_shipped", 9});
}

TEST_CASE("SummaryCollector without activity gives zeros, not NaN", "[analysis][summary]") {
    auto scenario = make_scenario();
    scenario.offers.resize(1);
    scenario.suppliers.resize(1);
    scenario.suppliers[0].offers = {0};
    SummaryCollector c;
    c.begin(scenario, 0);
    TickRecord t;
    t.revenue = {{0, 1, Channel::direct, 0, 0}};  // a billing pair with zero revenue
    c.record(t);
    const auto rows = c.rows();
    for (const auto& r : rows) {
        INFO(r.scope << "/" << r.key << "/" << r.metric);
        CHECK(r.value == 0);
    }
    // The buyer's country is listed even without imports (mean price index 0 without ticks).
    CHECK(std::count_if(rows.begin(), rows.end(),
                        [](const SummaryRow& r) { return r.scope == "country"; }) == 10);
    CHECK(std::count(rows.begin(), rows.end(), SummaryRow{"revenue", "nvidia/CHN", "share", 0}) ==
          1);
    // No flows: no route rows, but every channel's five.
    CHECK(std::none_of(rows.begin(), rows.end(),
                       [](const SummaryRow& r) { return r.scope == "route"; }));
    CHECK(std::count_if(rows.begin(), rows.end(),
                        [](const SummaryRow& r) { return r.scope == "channel"; }) == 25);
}

TEST_CASE("SummaryCollector rejects records outside the scenario", "[analysis][summary]") {
    const auto scenario = make_scenario();
    SummaryCollector c;
    c.begin(scenario, 0);
    TickRecord t;
    t.countries = {{4, 0, 0, 0, 0, 0, 0, 0, 0}};
    CHECK_THROWS_AS(c.record(t), ts::RunError);
    TickRecord f;
    f.flows = {flow(kNone, 1, 0, 0, kNone, 1, Channel::direct, 1, 1, 1, 0,
                    0)};  // huawei does not offer H100
    CHECK_THROWS_AS(c.record(f), ts::RunError);
    TickRecord m;
    m.markets = {{3, 1, 1, 1, 1, 1, 1}};
    CHECK_THROWS_AS(c.record(m), ts::RunError);
}
