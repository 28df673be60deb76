#include <catch2/catch.hpp>

#include "policy/design_around.hpp"

using namespace ts;

namespace {
model::Product h100() {
    model::Product p;
    p.id = "H100";
    p.tpp = 15832;
    p.density = 19.4;
    p.interconnect = 900;
    p.compute = 1.0;
    return p;
}
}  // namespace

TEST_CASE(
    "the October 2022 rule is escaped by cutting interconnect, keeping all compute (A800/H800)",
    "[design_around]") {
    model::ProductSelector oct22;
    oct22.tpp_min = 4800;
    oct22.interconnect_min = 600;
    const auto v = policy::design_variant(h100(), 0, {&oct22}, 0.05, "H100-v");
    REQUIRE(v);
    CHECK(v->id == "H100-v");
    CHECK(*v->interconnect == Approx(570.0));
    CHECK(*v->tpp == Approx(15832));
    CHECK(v->compute == Approx(1.0));
    CHECK_FALSE(model::matches(oct22, *v, 1));
}

TEST_CASE("the October 2023 rule forces TPP and density under the thresholds (H20-like)",
          "[design_around]") {
    model::ProductSelector a, b, oct23, oct22;
    a.tpp_min = 4800;
    b.tpp_min = 1600;
    b.density_min = 5.92;
    oct23.any = {a, b};
    oct22.tpp_min = 4800;
    oct22.interconnect_min = 600;
    const auto v = policy::design_variant(h100(), 0, {&oct23, &oct22}, 0.05, "H100-v");
    REQUIRE(v);
    CHECK_FALSE(model::matches(oct23, *v, 1));
    CHECK_FALSE(model::matches(oct22, *v, 1));
    // Best choice: TPP just under 4800 (which lowers density in proportion) and density just
    // under 5.92; compute scales with TPP.
    CHECK(*v->tpp == Approx(4560.0));
    CHECK(*v->density <= 5.92 * 0.95 + 1e-9);
    CHECK(v->compute == Approx(4560.0 / 15832.0));
    CHECK(*v->interconnect == Approx(900.0));  // no longer needed
}

TEST_CASE("a rule on every product or on a kind cannot be designed around", "[design_around]") {
    model::ProductSelector all;
    all.all = true;
    CHECK_FALSE(policy::design_variant(h100(), 0, {&all}, 0.05, "x"));
    model::ProductSelector chips;
    chips.kinds = {model::ProductKind::chip};
    CHECK_FALSE(policy::design_variant(h100(), 0, {&chips}, 0.05, "x"));
}

TEST_CASE("a rule naming the product by id is escaped by the new id alone", "[design_around]") {
    model::ProductSelector ids;
    ids.ids = {0};
    const auto v = policy::design_variant(h100(), 0, {&ids}, 0.05, "H100-v");
    REQUIRE(v);
    CHECK(*v->tpp == Approx(15832));
    CHECK(v->compute == Approx(1.0));
}
