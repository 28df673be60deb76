// The Saltelli design (sweep_design.hpp, sobol:N) and the Sobol estimators (analysis/sobol.hpp)
// on test functions with analytic indices: an additive function and Ishigami's. No simulator.
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/sobol.hpp"
#include "analysis/sweep_design.hpp"
#include "core/error.hpp"
#include "sweep_params.hpp"

using namespace ts::analysis;
using ts::test::params;

namespace {

/// The values a variant passes to the model, as numbers.
std::vector<double> values(const Variant& v) {
    std::vector<double> x;
    for (const auto& s : v.values) x.push_back(std::stod(s));
    return x;
}

template <typename F>
std::vector<double> outputs(const SweepDesign& d, F f) {
    std::vector<double> y;
    for (const auto& v : d.variants) y.push_back(f(values(v)));
    return y;
}

/// The analytic value lies in the bootstrap interval and within `tol` of the estimate.
void check_index(double estimate, double low, double high, double analytic, double tol) {
    CHECK(estimate == Approx(analytic).margin(tol));
    CHECK(low <= analytic);
    CHECK(analytic <= high);
}

}  // namespace

TEST_CASE("sobol:N parses, with N >= 2 and a stated limit", "[sweep][sobol]") {
    CHECK(parse_design("sobol:64").kind == DesignKind::sobol);
    CHECK(parse_design("sobol:64").count == 64);
    CHECK(to_string(parse_design("sobol:2")) == "sobol:2");
    for (const char* bad : {"sobol", "sobol:", "sobol:0", "sobol:1", "sobol:x", "sobol:-4",
                            "sobol:4000000", "sobol:99999999999999999999"})
        CHECK_THROWS_AS(parse_design(bad), ts::InputError);
    CHECK_THROWS_WITH(parse_design("sobol:4000000"), Catch::Contains("at most 3333333"));
    // N·(k + 2) is limited too: 3 parameters allow N = 2000000.
    CHECK_THROWS_WITH(
        make_design(params({"a=0:1", "b=0:1", "c=0:1"}), parse_design("sobol:2000001"), 1),
        Catch::Contains("N can be at most 2000000"));
}

TEST_CASE("sobol design: N·(k + 2) variants, AB_i is A with column i from B", "[sweep][sobol]") {
    const auto d =
        make_design(params({"a=0:1", "b=10:20", "c=x,y,z"}), parse_design("sobol:16"), 7);
    const std::size_t k = 3, n = 16;
    REQUIRE(d.variants.size() == n * (k + 2));
    for (std::size_t j = 0; j < n; ++j) {
        const auto* row = &d.variants[j * (k + 2)];
        const Variant &a = row[0], &b = row[1];
        CHECK(a.block == kSobolBlockA);
        CHECK(b.block == kSobolBlockB);
        for (std::size_t p = 0; p < k + 2; ++p) CHECK(row[p].row == static_cast<int>(j));
        for (std::size_t i = 0; i < k; ++i) {
            const Variant& ab = row[2 + i];
            CHECK(ab.block == kSobolBlockAB + static_cast<int>(i));
            for (std::size_t c = 0; c < k; ++c) {
                CHECK(ab.values[c] == (c == i ? b.values[c] : a.values[c]));
                CHECK(ab.unit[c] == (c == i ? b.unit[c] : a.unit[c]));
            }
        }
        CHECK(std::stod(a.values[1]) >= 10.0);
        CHECK(std::stod(a.values[1]) < 20.0);
        CHECK(std::set<std::string>{"x", "y", "z"}.count(a.values[2]) == 1);
    }
    CHECK(sobol_block_name(kSobolBlockA) == "A");
    CHECK(sobol_block_name(kSobolBlockAB + 2) == "AB_3");

    // Deterministic for a seed; another seed shifts every point.
    const auto again =
        make_design(params({"a=0:1", "b=10:20", "c=x,y,z"}), parse_design("sobol:16"), 7);
    const auto other =
        make_design(params({"a=0:1", "b=10:20", "c=x,y,z"}), parse_design("sobol:16"), 8);
    for (std::size_t v = 0; v < d.variants.size(); ++v) {
        CHECK(again.variants[v].values == d.variants[v].values);
        CHECK(other.variants[v].values[0] != d.variants[v].values[0]);
    }
}

TEST_CASE("sobol plan: the first 2^m rows are a shifted digital net", "[sweep][sobol]") {
    // Row 0 is the sequence's origin (which Boost's engine skips), so the first 2^m rows are a
    // digital net: a group under XOR, shifted by one word per dimension. Then p_i ^ p_j ^ p_l
    // is again a row for any three rows; without the origin (rows 1 .. 2^m) it is not.
    const int n = 16;
    const auto plan = sobol_plan(2, n, 2025);
    REQUIRE(plan.a.size() == static_cast<std::size_t>(n));
    std::vector<std::vector<std::uint64_t>> rows;
    for (std::size_t j = 0; j < plan.a.size(); ++j) {
        std::vector<std::uint64_t> bits;
        for (const auto* m : {&plan.a[j], &plan.b[j]})
            for (const double u : *m) {
                CHECK(u >= 0.0);
                CHECK(u < 1.0);
                bits.push_back(static_cast<std::uint64_t>(u * 0x1p53));  // exact: 53-bit words
            }
        rows.push_back(bits);
    }
    const std::set<std::vector<std::uint64_t>> all(rows.begin(), rows.end());
    CHECK(all.size() == rows.size());
    int closed = 0;
    for (const auto& p : rows)
        for (const auto& q : rows)
            for (const auto& r : rows) {
                auto x = p;
                for (std::size_t d = 0; d < x.size(); ++d) x[d] ^= q[d] ^ r[d];
                closed += all.count(x) ? 1 : 0;
            }
    CHECK(closed == n * n * n);
    // Every coordinate of 2^m rows has one point in each interval [l/2^m, (l+1)/2^m).
    for (std::size_t c = 0; c < 2; ++c) {
        std::set<int> strata;
        for (const auto& row : plan.a) strata.insert(static_cast<int>(row[c] * n));
        CHECK(strata.size() == static_cast<std::size_t>(n));
    }
    CHECK_THROWS_AS(sobol_plan(sobol_max_parameters() + 1, 2, 1), ts::InputError);
}

TEST_CASE("sobol indices of an additive function: S_i = ST_i = a_i² / Σ a_j²", "[sweep][sobol]") {
    // f = 1·x1 + 2·x2 + 3·x3 + 0·x4 on uniform x: shares 1/14, 4/14, 9/14 and 0. N = 1024.
    const auto d = make_design(params({"x1=0:1", "x2=0:1", "x3=0:1", "x4=0:1"}),
                               parse_design("sobol:1024"), 42);
    const auto y = outputs(d, [](const std::vector<double>& x) {
        return 1000.0 + x[0] + 2.0 * x[1] + 3.0 * x[2];  // an offset, as a simulator's totals
    });
    const auto r = sobol_indices(d.variants, 4, y, 500, 42);
    REQUIRE(r.varies);
    CHECK(r.rows == 1024);
    CHECK(r.resamples == 500);
    CHECK(r.variance == Approx(14.0 / 12.0).epsilon(0.01));
    const double analytic[4] = {1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0, 0.0};
    REQUIRE(r.indices.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
        const auto& x = r.indices[i];
        CHECK(x.parameter == i);
        check_index(x.s1, x.s1_low, x.s1_high, analytic[i], 0.01);
        check_index(x.st, x.st_low, x.st_high, analytic[i], 0.01);
    }
    CHECK(r.indices[3].st == 0.0);  // x4 never changes f: exactly zero, not noise
    const auto ranking = sobol_ranking(r.indices);
    CHECK(ranking[0].parameter == 2);
    CHECK(ranking[3].parameter == 3);
}

TEST_CASE("sobol indices of the Ishigami function match the analytic values", "[sweep][sobol]") {
    // f = sin x1 + a sin² x2 + b x3⁴ sin x1, x uniform on [−π, π], a = 7, b = 0.1 (Ishigami &
    // Homma 1990). N = 4096 rows: 20480 evaluations; estimates within 0.03.
    const auto d = make_design(
        params({"x1=-3.14159265358979:3.14159265358979", "x2=-3.14159265358979:3.14159265358979",
                "x3=-3.14159265358979:3.14159265358979"}),
        parse_design("sobol:4096"), 2025);
    const auto y = outputs(d, [](const std::vector<double>& x) {
        return std::sin(x[0]) + 7.0 * std::pow(std::sin(x[1]), 2) +
               0.1 * std::pow(x[2], 4) * std::sin(x[0]);
    });
    const auto r = sobol_indices(d.variants, 3, y, 300, 2025);
    REQUIRE(r.varies);
    const double s1[3] = {0.3139, 0.4424, 0.0}, st[3] = {0.5576, 0.4424, 0.2437};
    for (std::size_t i = 0; i < 3; ++i) {
        INFO("x" << i + 1 << ": S1 " << r.indices[i].s1 << " [" << r.indices[i].s1_low << ", "
                 << r.indices[i].s1_high << "], ST " << r.indices[i].st << " ["
                 << r.indices[i].st_low << ", " << r.indices[i].st_high << "]");
        check_index(r.indices[i].s1, r.indices[i].s1_low, r.indices[i].s1_high, s1[i], 0.03);
        check_index(r.indices[i].st, r.indices[i].st_low, r.indices[i].st_high, st[i], 0.03);
    }
}

TEST_CASE("sobol: a constant metric has no indices, non-finite rows are left out, seeded",
          "[sweep][sobol]") {
    const auto d = make_design(params({"a=0:1", "b=0:1"}), parse_design("sobol:32"), 3);
    const auto constant =
        sobol_indices(d.variants, 2, std::vector<double>(d.variants.size(), 5.0), 100, 3);
    CHECK_FALSE(constant.varies);
    CHECK(constant.indices.empty());
    CHECK(constant.variance == 0.0);

    auto y = outputs(d, [](const std::vector<double>& x) { return x[0] + x[1] * x[1]; });
    y[2 * 4 + 3] = std::nan("");  // row 2, AB_2
    const auto r = sobol_indices(d.variants, 2, y, 100, 3);
    CHECK(r.varies);
    CHECK(r.rows == 31);
    for (const auto& x : r.indices) {
        CHECK(std::isfinite(x.s1));
        CHECK(std::isfinite(x.st_high));
    }
    // The bootstrap is a function of the seed: the same intervals again, others for another.
    const auto same = sobol_indices(d.variants, 2, y, 100, 3);
    const auto other = sobol_indices(d.variants, 2, y, 100, 4);
    CHECK(same.indices[0].st_low == r.indices[0].st_low);
    CHECK(same.indices[1].s1_high == r.indices[1].s1_high);
    CHECK(other.indices[0].st_low != r.indices[0].st_low);
    CHECK(other.indices[0].st == r.indices[0].st);  // the point estimate does not resample

    CHECK_THROWS_AS(sobol_indices(d.variants, 2, std::vector<double>(3, 1.0), 10, 1), ts::RunError);
    CHECK_THROWS_AS(sobol_indices(d.variants, 3, y, 10, 1), ts::RunError);  // not N·(3 + 2)
}
