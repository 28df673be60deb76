#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "market/ces.hpp"

using namespace ts::market;

TEST_CASE("landed cost per compute unit applies tariff and markup multiplicatively", "[ces]") {
    CHECK(landed_cost(25000.0, 0.0, 0.0, 1.0) == Approx(25000.0));
    CHECK(landed_cost(12000.0, 0.25, 0.06, 0.3) == Approx(12000.0 * 1.25 * 1.06 / 0.3));
}

TEST_CASE("price index is the CES aggregate of landed costs", "[ces]") {
    const std::vector<double> w{0.6, 0.1, 0.3}, c{2.0, 3.0, 5.0};
    const double sigma = 4.0;
    double s = 0.0;
    for (int i = 0; i < 3; ++i)
        s += w[static_cast<std::size_t>(i)] * std::pow(c[static_cast<std::size_t>(i)], 1.0 - sigma);
    CHECK(price_index(w, c, sigma) == Approx(std::pow(s, 1.0 / (1.0 - sigma))).epsilon(1e-12));
}

TEST_CASE("no usable offer gives an infinite price index", "[ces]") {
    CHECK(std::isinf(price_index({}, {}, 2.0)));
}

TEST_CASE("allocation spends exactly P times Q and follows relative costs", "[ces]") {
    const std::vector<double> w{0.6, 0.1, 0.3}, c{2.0, 3.0, 5.0};
    std::vector<double> q(3);
    for (double sigma : {0.5, 1.0, 2.0, 4.0, 8.8}) {
        const double p = allocate(w, c, sigma, 100.0, q);
        const double spend = c[0] * q[0] + c[1] * q[1] + c[2] * q[2];
        CHECK(spend == Approx(p * 100.0).epsilon(1e-12));
        if (sigma != 1.0)
            CHECK(q[0] / q[2] == Approx(0.6 / 0.3 * std::pow(2.0 / 5.0, -sigma)).epsilon(1e-12));
    }
}

TEST_CASE("sigma = 1 is the Cobb-Douglas limit", "[ces]") {
    const std::vector<double> w{0.25, 0.75}, c{4.0, 9.0};
    std::vector<double> q(2), q_near(2);
    const double p1 = allocate(w, c, 1.0, 10.0, q);
    CHECK(p1 == Approx(std::pow(4.0, 0.25) * std::pow(9.0, 0.75)));
    // Spending shares equal the weights.
    CHECK(c[0] * q[0] / (p1 * 10.0) == Approx(0.25));
    const double p_near = allocate(w, c, 1.0 + 1e-6, 10.0, q_near);
    CHECK(p_near == Approx(p1).epsilon(1e-5));
    CHECK(q_near[1] == Approx(q[1]).epsilon(1e-5));
}

TEST_CASE("very large sigma neither overflows nor underflows", "[ces]") {
    const std::vector<double> w{1.0, 1.0}, c{20.9, 20.0};
    std::vector<double> q(2);
    const double p = allocate(w, c, 500.0, 1.0, q);
    REQUIRE(std::isfinite(p));
    CHECK(p == Approx(20.0).epsilon(1e-3));
    CHECK(q[1] / (q[0] + q[1]) > 0.999);
}

TEST_CASE("composite demand responds to the price index with elasticity eta and grows", "[ces]") {
    CHECK(composite_demand(100.0, 0.0, 0, 2.0, 1.0, 1.0) == Approx(50.0));
    CHECK(composite_demand(100.0, 0.1, 2, 1.0, 1.0, 1.0) == Approx(121.0));
    CHECK(composite_demand(100.0, 0.0, 0, 0.5, 1.0, 0.5) == Approx(100.0 * std::sqrt(2.0)));
}
