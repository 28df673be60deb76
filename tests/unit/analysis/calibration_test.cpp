// The calibration driver (analysis/calibration.hpp) and the identifiability report
// (analysis/identifiability.hpp) on analytic functions: known minima, bounds, budgets,
// determinism for a seed and across thread counts, standard errors of a linear model.
#include <atomic>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/calibration.hpp"
#include "analysis/identifiability.hpp"
#include "core/error.hpp"

using namespace ts::analysis;

namespace {

/// A quadratic with its minimum at `centre` (inside or outside the unit cube).
UnitObjective quadratic(std::vector<double> centre) {
    return [centre](const std::vector<double>& u) {
        double f = 0.0;
        for (std::size_t i = 0; i < u.size(); ++i)
            f += static_cast<double>(i + 1) * (u[i] - centre[i]) * (u[i] - centre[i]);
        return f;
    };
}

CalibrationSettings settings(CalibrationMethod m, int budget, int starts, std::size_t k) {
    CalibrationSettings s;
    s.method = m;
    s.budget = budget;
    s.starts = starts;
    s.seed = 7;
    s.initial.assign(k, 0.9);
    return s;
}

const std::vector<double>& best_point(const CalibrationResult& r) {
    return r.evaluations[r.best].unit;
}

}  // namespace

TEST_CASE("calibrate finds the minimum of a quadratic with every method", "[calibration]") {
    const std::vector<double> centre{0.3, 0.6, 0.45};
    for (const auto m :
         {CalibrationMethod::bobyqa, CalibrationMethod::neldermead, CalibrationMethod::sbplx,
          CalibrationMethod::cobyla, CalibrationMethod::direct}) {
        INFO(to_string(m));
        const auto r = calibrate(quadratic(centre), 3, settings(m, 400, 3, 3), thread_map(1));
        CHECK(r.evaluations.size() <= 400);
        for (std::size_t i = 0; i < 3; ++i)
            CHECK(best_point(r)[i] == Approx(centre[i]).margin(0.01));
        CHECK(r.evaluations[r.best].objective < 1e-3);
    }
}

TEST_CASE("calibrate keeps every point within the bounds", "[calibration]") {
    // The unconstrained minimum lies outside the cube: the fit ends on the bounds.
    const auto r = calibrate(quadratic({-0.5, 1.7}), 2,
                             settings(CalibrationMethod::bobyqa, 120, 2, 2), thread_map(1));
    for (const auto& e : r.evaluations)
        for (const double u : e.unit) {
            CHECK(u >= 0.0);
            CHECK(u <= 1.0);
        }
    CHECK(best_point(r)[0] == Approx(0.0).margin(1e-3));
    CHECK(best_point(r)[1] == Approx(1.0).margin(1e-3));
}

TEST_CASE("calibrate splits the budget: initial point, hypercube, searches", "[calibration]") {
    std::atomic<int> calls{0};
    const auto f = [&](const std::vector<double>& u) {
        ++calls;
        return quadratic({0.2, 0.2})(u);
    };
    const auto r =
        calibrate(f, 2, settings(CalibrationMethod::neldermead, 41, 4, 2), thread_map(2));
    CHECK(calls == static_cast<int>(r.evaluations.size()));
    CHECK(r.evaluations.size() <= 41);
    CHECK(r.evaluations[0].phase == Phase::initial);
    CHECK(r.evaluations[0].unit == std::vector<double>{0.9, 0.9});
    int lhs = 0;
    for (const auto& e : r.evaluations) lhs += e.phase == Phase::lhs ? 1 : 0;
    CHECK(lhs == 10);  // max(S, (B − 1)/4)
    CHECK(r.search_ends.size() == 4);

    // A budget of one evaluates only the initial point.
    const auto one = calibrate(f, 2, settings(CalibrationMethod::bobyqa, 1, 4, 2), thread_map(1));
    CHECK(one.evaluations.size() == 1);
    CHECK(one.best == 0);
}

TEST_CASE("calibrate is deterministic for a seed and across thread counts", "[calibration]") {
    // Rosenbrock's valley: searches take different paths from different starts.
    const auto f = [](const std::vector<double>& u) {
        const double x = 4 * u[0] - 2, y = 4 * u[1] - 1;
        return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    };
    const auto s = settings(CalibrationMethod::sbplx, 150, 3, 2);
    const auto one = calibrate(f, 2, s, thread_map(1));
    const auto four = calibrate(f, 2, s, thread_map(4));
    REQUIRE(one.evaluations.size() == four.evaluations.size());
    for (std::size_t i = 0; i < one.evaluations.size(); ++i) {
        CHECK(one.evaluations[i].unit == four.evaluations[i].unit);
        CHECK(one.evaluations[i].objective == four.evaluations[i].objective);
        CHECK(one.evaluations[i].start == four.evaluations[i].start);
    }
    CHECK(one.best == four.best);
    auto other = s;
    other.seed = 8;
    CHECK(calibrate(f, 2, other, thread_map(1)).evaluations[1].unit != one.evaluations[1].unit);
}

TEST_CASE("calibrate rethrows what the objective throws", "[calibration]") {
    const auto f = [](const std::vector<double>& u) -> double {
        if (u[0] < 0.5) throw std::runtime_error("stop");
        return u[0];
    };
    CHECK_THROWS_WITH(calibrate(f, 1, settings(CalibrationMethod::bobyqa, 50, 2, 1), thread_map(2)),
                      "stop");
}

TEST_CASE("free parameters and methods are parsed with located messages", "[calibration]") {
    const auto p = parse_free_parameter("buyers.cn.demand=100:2000");
    CHECK(p.path == "buyers.cn.demand");
    CHECK(p.lo == 100);
    CHECK(p.hi == 2000);
    CHECK(parse_free_parameter("suppliers.n.offers.H100.capacity.2025-01=1:2").path ==
          "suppliers.n.offers.H100.capacity.2025-01");
    CHECK_THROWS_WITH(
        parse_free_parameter("x=2:1"),
        "--free 'x=2:1': expected PATH=LOW:HIGH, the bounds of the search (e.g. --free "
        "routes.SGP.detection=0:0.3)");  // the sweep refuses hi < lo
    CHECK_THROWS_WITH(parse_free_parameter("x=1:1"),
                      "--free 'x=1:1': LOW must be < HIGH, got 1 and 1");
    CHECK_THROWS_WITH(
        parse_free_parameter("x=1,2"),
        "--free 'x=1,2': expected PATH=LOW:HIGH, two numbers and no step (e.g. --free "
        "routes.SGP.detection=0:0.3)");
    CHECK_THROWS_WITH(
        parse_free_parameter("x=0:1:0.5"),
        "--free 'x=0:1:0.5': expected PATH=LOW:HIGH, two numbers and no step (e.g. --free "
        "routes.SGP.detection=0:0.3)");
    CHECK_THROWS_AS(parse_free_parameter("x"), ts::InputError);
    CHECK(parse_calibration_method("cobyla") == CalibrationMethod::cobyla);
    CHECK(is_global(parse_calibration_method("direct")));
    CHECK_THROWS_AS(parse_calibration_method("newton"), ts::InputError);
}

TEST_CASE("identifiability: standard errors of a linear model, flat and collinear parameters",
          "[calibration]") {
    // z = (θ − θ*)/σ for two targets that each see one parameter; a third parameter is unseen.
    const std::vector<FreeParameter> ps{{"a", 0, 10, ""}, {"b", 0, 10, ""}, {"c", 0, 10, ""}};
    const auto residuals = [](const std::vector<double>& u) {
        const double a = 10 * u[0], b = 10 * u[1];
        return std::vector<double>{(a - 4) / 0.5, (b - 6) / 2.0};
    };
    const std::vector<double> at{0.4, 0.6, 0.5};
    const auto r = identify(residuals, at, ps, {1.0, 1.0}, thread_map(2));
    CHECK(r.evaluations == 6);
    CHECK(r.jacobian[0][0] == Approx(2.0));
    CHECK(r.jacobian[1][1] == Approx(0.5));
    CHECK(r.parameters[0].se == Approx(0.5));
    CHECK(r.parameters[1].se == Approx(2.0));
    CHECK(r.parameters[0].identified);
    CHECK(r.parameters[1].identified);
    CHECK_FALSE(r.parameters[2].identified);
    CHECK(std::isinf(r.parameters[2].se));
    CHECK(r.parameters[2].warning.find("c is not identified") == 0);
    CHECK(r.correlation[0][1] == Approx(0.0).margin(1e-9));
    CHECK(std::isnan(r.correlation[0][2]));

    // A weight of 4 halves the standard error; a parameter on its bound is flagged.
    const auto w = identify(residuals, {0.4, 1.0, 0.5}, ps, {4.0, 1.0}, thread_map(1));
    CHECK(w.parameters[0].se == Approx(0.25));
    CHECK(w.parameters[1].on_bound);
    CHECK(w.parameters[1].warning.find("b sits on its upper bound 10") == 0);

    // Two parameters seen only through their sum: neither is identified.
    const auto sum = identify_from_jacobian({{1.0, 1.0}}, {0.5, 0.5}, {ps[0], ps[1]}, {1.0});
    CHECK(std::isinf(sum.parameters[0].se));
    CHECK_FALSE(sum.parameters[1].identified);
    CHECK(sum.parameters[1].warning.find("combination") != std::string::npos);

    // Two parameters seen mostly through their sum: strongly (negatively) correlated.
    const auto near =
        identify_from_jacobian({{1.0, 1.0}, {0.1, 0.0}}, {0.5, 0.5}, {ps[0], ps[1]}, {1.0, 1.0});
    CHECK(near.correlation[0][1] < -kStrongCorrelation);
    REQUIRE(near.correlated.size() == 1);
    CHECK(near.correlated[0].find("a and b are strongly correlated (-0.995)") == 0);
    CHECK(r.correlated.empty());

    // A large standard error relative to the range: weakly seen.
    const auto weak = identify_from_jacobian({{0.05}}, {0.5}, {ps[0]}, {1.0});
    CHECK(weak.parameters[0].se == Approx(20.0));
    CHECK_FALSE(weak.parameters[0].identified);
    CHECK(weak.parameters[0].warning.find("exceeds range/sqrt(12)") != std::string::npos);

    // Parameters of very different scales (a demand in [1e5, 5e5], a taste weight in [0.01,
    // 0.1]), each pinned by its own target: both identified, whatever their units. In raw
    // units JᵀWJ has eigenvalues 1e-8 and 1e4, which a scale-dependent test reads as flat.
    const std::vector<FreeParameter> scaled{{"demand", 1e5, 5e5, ""}, {"taste", 0.01, 0.1, ""}};
    const auto mixed =
        identify_from_jacobian({{1e-4, 0.0}, {0.0, 100.0}}, {0.5, 0.5}, scaled, {1.0, 1.0});
    CHECK(mixed.parameters[0].se == Approx(1e4));
    CHECK(mixed.parameters[1].se == Approx(0.01));
    CHECK(mixed.parameters[0].identified);
    CHECK(mixed.parameters[1].identified);
    CHECK(mixed.parameters[0].warning.empty());
}
