// Sweep designs (grid, Latin hypercube, Morris trajectories) and the Morris estimator on toy
// functions with a known ranking (analysis/sweep_design.hpp, analysis/morris.hpp). No simulator.
#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/morris.hpp"
#include "analysis/sweep_design.hpp"
#include "core/error.hpp"
#include "sweep_params.hpp"

using namespace ts::analysis;
using ts::test::params;

namespace {

double value(const Variant& v, std::size_t i) {
    return std::stod(v.values[i]);
}

}  // namespace

TEST_CASE("sweep parameters: lists, ranges, and errors", "[sweep]") {
    const auto list = parse_sweep_parameter("policies.ban.license.approval=0.2, 0.5,1");
    CHECK(list.path == "policies.ban.license.approval");
    CHECK_FALSE(list.is_range);
    CHECK(list.values == std::vector<std::string>{"0.2", "0.5", "1"});

    const auto yaml = parse_sweep_parameter("countries.SGP.groups=[tier2, hub],[tier1],'a,b'");
    CHECK(yaml.values == std::vector<std::string>{"[tier2, hub]", "[tier1]", "'a,b'"});

    const auto range = parse_sweep_parameter("routes.SGP.detection=0.1:0.3:0.1");
    CHECK(range.is_range);
    CHECK(range.values == std::vector<std::string>{"0.1", "0.2", "0.3"});  // no 0.30000000000000004

    const auto ints = parse_sweep_parameter("transport.delay=0:6:2");
    CHECK(ints.values == std::vector<std::string>{"0", "2", "4", "6"});

    const auto open = parse_sweep_parameter("x=0:1");
    CHECK(open.is_range);
    CHECK(open.values.empty());
    CHECK_FALSE(open.step);

    CHECK(parse_sweep_parameter("x=2024-07-01").values == std::vector<std::string>{"2024-07-01"});
    // An id containing '=' or '.' is written in double quotes, as for --set.
    const auto quoted = parse_sweep_parameter(R"(buyers."a=b".demand=1,2)");
    CHECK(quoted.path == R"(buyers."a=b".demand)");
    CHECK(quoted.values == std::vector<std::string>{"1", "2"});
    CHECK(parse_sweep_parameter(R"(buyers."x\"=y".demand=3)").path == R"(buyers."x\"=y".demand)");
    // A '"' inside an unquoted key is an ordinary character.
    CHECK(parse_sweep_parameter(R"(buyers.a"b.demand=4)").path == R"(buyers.a"b.demand)");
    for (const char* bad : {"x", "=1", "x=", "x=2:1:1", "x=0:1:0", "x=1,,2"})
        CHECK_THROWS_AS(parse_sweep_parameter(bad), ts::InputError);

    CHECK(format_parameter_value(0.1 + 0.2) == "0.3");
    CHECK(format_parameter_value(25000.0) == "25000");
    CHECK(format_parameter_value(-0.0) == "0");
}

TEST_CASE("sweep designs: grid, lhs:N, morris:R", "[sweep]") {
    CHECK(parse_design("grid").kind == DesignKind::grid);
    CHECK(parse_design("lhs:7").count == 7);
    CHECK(parse_design("morris:3").kind == DesignKind::morris);
    CHECK(to_string(parse_design("morris:3")) == "morris:3");
    for (const char* bad : {"lhs", "lhs:0", "lhs:x", "morris:-1", "sobol:1", "grid:2"})
        CHECK_THROWS_AS(parse_design(bad), ts::InputError);
}

TEST_CASE("grid: the Cartesian product, last parameter fastest", "[sweep]") {
    const auto d = make_design(params({"a=1,2", "b=0:0.2:0.1"}), parse_design("grid"), 1);
    REQUIRE(d.variants.size() == 6);
    const std::vector<std::vector<std::string>> expected{{"1", "0"}, {"1", "0.1"}, {"1", "0.2"},
                                                         {"2", "0"}, {"2", "0.1"}, {"2", "0.2"}};
    for (std::size_t v = 0; v < 6; ++v) CHECK(d.variants[v].values == expected[v]);
    CHECK_THROWS_AS(make_design(params({"a=0:1"}), parse_design("grid"), 1), ts::InputError);
    CHECK_THROWS_AS(make_design(params({"a=1,2", "a=3"}), parse_design("grid"), 1), ts::InputError);
}

TEST_CASE("lhs: every stratum of every parameter used once; a pure function of the seed",
          "[sweep]") {
    const int n = 10;
    const auto d =
        make_design(params({"a=0:1", "b=100:200", "c=0:9:1", "d=x,y"}), parse_design("lhs:10"), 42);
    REQUIRE(d.variants.size() == static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < 3; ++i) {
        const double lo = i == 0 ? 0 : (i == 1 ? 100 : 0), hi = i == 0 ? 1 : (i == 1 ? 200 : 9);
        std::set<int> strata;
        for (const auto& v : d.variants) {
            const double x = value(v, i);
            CHECK(x >= lo);
            CHECK(x <= hi);
            if (i < 2)
                strata.insert(static_cast<int>(std::floor((x - lo) / (hi - lo) * n)));
            else
                strata.insert(
                    static_cast<int>(x));  // a stepped range is its list 0..9: each value once
        }
        CHECK(strata.size() == static_cast<std::size_t>(n));
    }
    const auto stepped = make_design(params({"s=0:6:2"}), parse_design("lhs:8"), 3);
    for (const auto& v : stepped.variants)
        CHECK(
            (v.values[0] == "0" || v.values[0] == "2" || v.values[0] == "4" || v.values[0] == "6"));

    std::size_t xs = 0;
    for (const auto& v : d.variants) xs += v.values[3] == "x";
    CHECK(xs == 5);  // a list of 2 values: half the strata each

    const auto again =
        make_design(params({"a=0:1", "b=100:200", "c=0:9:1", "d=x,y"}), parse_design("lhs:10"), 42);
    const auto other =
        make_design(params({"a=0:1", "b=100:200", "c=0:9:1", "d=x,y"}), parse_design("lhs:10"), 43);
    bool same = true, differs = false;
    for (int v = 0; v < n; ++v) {
        same = same && again.variants[v].values == d.variants[v].values;
        differs = differs || other.variants[v].values != d.variants[v].values;
    }
    CHECK(same);
    CHECK(differs);
}

TEST_CASE("morris: trajectories of k+1 points on 4 levels, one factor moved by 2/3 per step",
          "[sweep][morris]") {
    const std::size_t k = 5;
    const auto plan = morris_plan(k, 20, 7);
    REQUIRE(plan.points.size() == 20);
    for (std::size_t r = 0; r < plan.points.size(); ++r) {
        REQUIRE(plan.points[r].size() == k + 1);
        std::set<int> moved;
        for (std::size_t j = 0; j <= k; ++j)
            for (const double x : plan.points[r][j]) {
                const double level = x * 3.0;
                CHECK(std::abs(level - std::round(level)) < 1e-12);
                CHECK(x >= 0.0);
                CHECK(x <= 1.0);
            }
        for (std::size_t j = 0; j < k; ++j) {
            int changed = 0;
            for (std::size_t i = 0; i < k; ++i) {
                const double dx = plan.points[r][j + 1][i] - plan.points[r][j][i];
                if (dx != 0.0) {
                    ++changed;
                    CHECK(std::abs(dx) == Approx(kMorrisDelta));
                    CHECK(static_cast<int>(i) == plan.moved[r][j]);
                }
            }
            CHECK(changed == 1);
            moved.insert(plan.moved[r][j]);
        }
        CHECK(moved.size() == k);  // every factor moves exactly once
    }
}

TEST_CASE("morris on a toy function ranks the parameters as their known influence",
          "[sweep][morris]") {
    // y = 10·x1 + 1·x2 + 0·x3 + 5·x4² + 3·x1·x5: linear x1 dominates (with an interaction that
    // gives it σ > 0), x4 is non-linear (EE = 5·(2x + Δ) in [3.33, 10]), x5 acts only through the
    // interaction (|EE| = 3·x1 <= 3), x2 is linear and small, x3 is inert.
    const auto d = make_design(params({"x1=0:1", "x2=0:1", "x3=0:1", "x4=0:1", "x5=0:1"}),
                               parse_design("morris:30"), 2025);
    REQUIRE(d.variants.size() == 30 * 6);
    std::vector<double> y;
    for (const auto& v : d.variants) {
        const double x1 = value(v, 0), x2 = value(v, 1), x4 = value(v, 3), x5 = value(v, 4);
        y.push_back(10 * x1 + x2 + 5 * x4 * x4 + 3 * x1 * x5);
    }
    const auto effects = morris_effects(d.variants, 5, y);
    // x2 is linear: every elementary effect is exactly its coefficient.
    CHECK(effects[1].mu == Approx(1.0));
    CHECK(effects[1].mu_star == Approx(1.0));
    CHECK(effects[1].sigma == Approx(0.0).margin(1e-9));
    CHECK(effects[2].mu_star == 0.0);
    CHECK(effects[0].effects == 30);
    CHECK(effects[0].mu_star >= 10.0);
    CHECK(effects[0].mu_star <= 13.0);
    CHECK(effects[0].sigma > 0.0);
    CHECK(effects[3].mu_star >= 5.0 * 2.0 / 3.0);
    CHECK(effects[3].mu_star <= 10.0);
    CHECK(effects[4].mu_star <= 3.0);

    const auto ranking = morris_ranking(effects);
    std::vector<std::size_t> order;
    for (const auto& e : ranking) order.push_back(e.parameter);
    CHECK(order == std::vector<std::size_t>{0, 3, 4, 1, 2});
}

TEST_CASE("morris: effects skip steps that leave the value unchanged; designs are seeded",
          "[sweep][morris]") {
    // A one-element list never changes: no effect is counted, mu* is NaN and ranks last.
    const auto d = make_design(params({"a=0:1", "b=only"}), parse_design("morris:4"), 1);
    std::vector<double> y;
    for (const auto& v : d.variants) y.push_back(2 * value(v, 0));
    const auto effects = morris_effects(d.variants, 2, y);
    CHECK(effects[0].mu_star == Approx(2.0));
    CHECK(effects[1].effects == 0);
    CHECK(std::isnan(effects[1].mu_star));
    CHECK(morris_ranking(effects)[1].parameter == 1);

    const auto a = morris_plan(3, 5, 11), b = morris_plan(3, 5, 11), c = morris_plan(3, 5, 12);
    CHECK(a.points == b.points);
    CHECK(a.points != c.points);
}
