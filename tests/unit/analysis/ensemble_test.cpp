// Ensemble statistics: the type-7 quantile, mean and sample sd, and the per-metric collection
// of runs' summaries (analysis/ensemble.hpp).
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/ensemble.hpp"
#include "analysis/summary.hpp"
#include "model/scenario.hpp"

using ts::analysis::ensemble_stats;
using ts::analysis::EnsembleSummary;
using ts::analysis::MetricKey;
using ts::analysis::quantile_sorted;
using ts::analysis::SummaryRow;

TEST_CASE("type-7 quantiles interpolate between order statistics", "[ensemble]") {
    const std::vector<double> five{1, 2, 3, 4, 5};
    CHECK(quantile_sorted(five, 0.0) == 1.0);
    CHECK(quantile_sorted(five, 0.05) == Approx(1.2));
    CHECK(quantile_sorted(five, 0.5) == 3.0);
    CHECK(quantile_sorted(five, 0.95) == Approx(4.8));
    CHECK(quantile_sorted(five, 1.0) == 5.0);
    std::vector<double> twenty;
    for (int i = 1; i <= 20; ++i) twenty.push_back(i);
    CHECK(quantile_sorted(twenty, 0.05) == Approx(1.95));
    CHECK(quantile_sorted(twenty, 0.5) == Approx(10.5));
    CHECK(quantile_sorted(twenty, 0.95) == Approx(19.05));
    CHECK(std::isnan(quantile_sorted({}, 0.5)));
}

TEST_CASE("ensemble stats: mean, sample sd, quantiles, count; quantiles ignore run order",
          "[ensemble]") {
    const auto s = ensemble_stats({2, 4, 4, 4, 5, 5, 7, 9});
    CHECK(s.mean == 5.0);
    CHECK(s.sd == Approx(std::sqrt(32.0 / 7.0)));
    CHECK(s.se == Approx(std::sqrt(32.0 / 7.0 / 8.0)));  // standard error of the mean: sd/√8
    CHECK(s.p50 == 4.5);
    CHECK(s.runs == 8);
    const auto shuffled = ensemble_stats({9, 5, 2, 7, 4, 5, 4, 4});
    CHECK(shuffled.p05 == s.p05);
    CHECK(shuffled.p50 == s.p50);
    CHECK(shuffled.p95 == s.p95);

    const auto one = ensemble_stats({3.5});
    CHECK(one.mean == 3.5);
    CHECK(one.sd == 0.0);
    CHECK(one.se == 0.0);
    CHECK(one.p05 == 3.5);
    CHECK(one.p95 == 3.5);
    CHECK(one.runs == 1);
}

TEST_CASE("EnsembleSummary keeps first-appearance order and counts runs per metric", "[ensemble]") {
    EnsembleSummary e;
    e.add_run({{"world", "all", "a", 1.0}, {"country", "CHN", "b", 10.0}});
    e.add_run(
        {{"world", "all", "a", 3.0}, {"country", "SGP", "b", 5.0}, {"country", "CHN", "b", 20.0}});
    const auto rows = e.rows();
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].metric == MetricKey{"world", "all", "a"});
    CHECK(rows[0].stats.mean == 2.0);
    CHECK(rows[0].stats.runs == 2);
    CHECK(rows[1].metric == MetricKey{"country", "CHN", "b"});
    CHECK(rows[1].stats.mean == 15.0);
    CHECK(rows[2].metric == MetricKey{"country", "SGP", "b"});
    CHECK(rows[2].stats.runs == 1);
    CHECK(e.runs() == 2);
    CHECK(rows[0].metric.column() == "world.a");
    CHECK(rows[1].metric.column() == "country.CHN.b");
}

TEST_CASE("headline metrics: world, countries with buyers, suppliers' revenue", "[ensemble]") {
    ts::model::Scenario s;
    s.countries = {{"USA", "United States", {}}, {"SGP", "Singapore", {}}, {"CHN", "China", {}}};
    ts::model::Buyer b;
    b.id = "cn";
    b.country = 2;
    s.buyers.push_back(b);
    ts::model::Supplier sup;
    sup.id = "nv";
    s.suppliers.push_back(sup);
    const auto m = ts::analysis::headline_metrics(s);
    REQUIRE(m.size() == 8 + 4 + 1);
    CHECK(m[0] == MetricKey{"world", "all", "imports_compute"});
    CHECK(m[8] == MetricKey{"country", "CHN", "imports_compute"});
    CHECK(m[12] == MetricKey{"supplier", "nv", "revenue_usd"});
    CHECK(std::isnan(ts::analysis::find_metric({{"world", "all", "x", 1.0}}, m[0])));
    CHECK(ts::analysis::find_metric({{"world", "all", "imports_compute", 7.0}}, m[0]) == 7.0);
}
