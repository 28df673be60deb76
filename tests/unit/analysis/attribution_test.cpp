// Shapley attribution: exact values of known games, efficiency, and the sampled estimate.
#include <cmath>
#include <numeric>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/attribution.hpp"

using namespace ts;

namespace {

bool has(const std::vector<std::size_t>& on, std::size_t i) {
    for (const auto j : on)
        if (j == i) return true;
    return false;
}

}  // namespace

TEST_CASE("Shapley values of an additive game are the players' own effects", "[attribution]") {
    const std::vector<double> effect{3.0, -1.0, 0.5};
    const auto at = analysis::shapley(
        3,
        [&](const std::vector<std::size_t>& on) {
            double v = 10.0;
            for (const auto i : on) v += effect[i];
            return v;
        },
        10, 0, 1);
    CHECK(at.exact);
    CHECK(at.evaluations == 8);
    CHECK(at.base == 10.0);
    CHECK(at.full == Approx(12.5));
    for (std::size_t i = 0; i < 3; ++i) CHECK(at.value[i] == Approx(effect[i]));
}

TEST_CASE("an interaction is split equally and a dummy player gets nothing", "[attribution]") {
    // Only players 0 and 1 together do anything (a ban that matters only with the hub closed).
    const auto f = [](const std::vector<std::size_t>& on) {
        return has(on, 0) && has(on, 1) ? 6.0 : 0.0;
    };
    const auto at = analysis::shapley(3, f, 10, 0, 1);
    CHECK(at.value[0] == Approx(3.0));
    CHECK(at.value[1] == Approx(3.0));
    CHECK(at.value[2] == Approx(0.0).margin(1e-12));
}

TEST_CASE("the values add up to the whole change, exact or sampled", "[attribution]") {
    // A game with interactions of every order.
    const auto f = [](const std::vector<std::size_t>& on) {
        double v = 1.0;
        for (const auto i : on) v *= 1.0 + 0.3 * static_cast<double>(i + 1);
        return v + (has(on, 0) && has(on, 3) ? -2.0 : 0.0);
    };
    const auto exact = analysis::shapley(5, f, 10, 0, 1);
    const double sum = std::accumulate(exact.value.begin(), exact.value.end(), 0.0);
    CHECK(sum == Approx(exact.full - exact.base));
    // Above the exact limit: random orders, each close to the exact value in standard errors.
    const auto sampled = analysis::shapley(5, f, 4, 3000, 7);
    CHECK_FALSE(sampled.exact);
    CHECK(sampled.evaluations <= 32);  // each coalition evaluated once
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK(sampled.se[i] > 0.0);
        CHECK(std::abs(sampled.value[i] - exact.value[i]) < 4.0 * sampled.se[i] + 1e-9);
    }
    // Every sampled order adds up to the change, so the sampled values do too.
    const double ssum = std::accumulate(sampled.value.begin(), sampled.value.end(), 0.0);
    CHECK(ssum == Approx(exact.full - exact.base));
}
