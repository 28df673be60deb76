#include <catch2/catch.hpp>

#include "model/scenario.hpp"

using namespace ts::model;

namespace {
Product chip(const char* id, double tpp, double density, double interconnect) {
    Product p;
    p.id = id;
    p.tpp = tpp;
    p.density = density;
    p.interconnect = interconnect;
    return p;
}
}  // namespace

TEST_CASE("the October 2023 selector: TPP >= 4800, or TPP >= 1600 and density >= 5.92",
          "[selector]") {
    ProductSelector a, b, rule;
    a.tpp_min = 4800;
    b.tpp_min = 1600;
    b.density_min = 5.92;
    rule.any = {a, b};
    CHECK(matches(rule, chip("H100", 15832, 19.4, 900), 0));
    CHECK(matches(rule, chip("A800", 4992, 6.0, 400), 1));
    CHECK_FALSE(matches(rule, chip("H20", 2368, 2.9, 900), 2));
    CHECK(matches(rule, chip("mid", 2000, 6.0, 100), 3));
    CHECK_FALSE(matches(rule, chip("mid-sparse", 2000, 5.0, 100), 4));
}

TEST_CASE("fields of one selector must all hold; upper bounds are exclusive", "[selector]") {
    ProductSelector s;
    s.tpp_min = 4800;
    s.interconnect_min = 600;  // the October 2022 rule
    CHECK(matches(s, chip("A100", 4992, 6.0, 600), 0));
    CHECK_FALSE(matches(s, chip("A800", 4992, 6.0, 400), 1));
    ProductSelector band;
    band.tpp_min = 2400;
    band.tpp_max = 4800;
    CHECK(matches(band, chip("x", 2400, 1, 1), 0));
    CHECK_FALSE(matches(band, chip("y", 4800, 1, 1), 0));
    Product no_tpp;
    no_tpp.id = "tool";
    CHECK_FALSE(matches(band, no_tpp, 0));  // absent attributes never satisfy a bound
}

TEST_CASE("ids, kinds and all", "[selector]") {
    ProductSelector ids;
    ids.ids = {2};
    CHECK(matches(ids, chip("x", 1, 1, 1), 2));
    CHECK_FALSE(matches(ids, chip("x", 1, 1, 1), 1));
    ProductSelector kinds;
    kinds.kinds = {ProductKind::equipment};
    Product duv;
    duv.kind = ProductKind::equipment;
    CHECK(matches(kinds, duv, 0));
    CHECK_FALSE(matches(kinds, chip("x", 1, 1, 1), 0));
    ProductSelector all;
    all.all = true;
    CHECK(matches(all, duv, 5));
}

TEST_CASE("country selectors by code, group, all and except", "[selector]") {
    Country chn{"CHN", "China", {"D5", "tier3"}}, sgp{"SGP", "Singapore", {"tier2"}},
        mac{"MAC", "Macau", {}};
    CountrySelector s;
    s.groups = {"D5"};
    s.countries = {2};
    CHECK(matches(s, chn, 0));
    CHECK_FALSE(matches(s, sgp, 1));
    CHECK(matches(s, mac, 2));
    CountrySelector everyone_but;
    everyone_but.all = true;
    everyone_but.except = {0};
    CHECK_FALSE(matches(everyone_but, chn, 0));
    CHECK(matches(everyone_but, sgp, 1));
}

TEST_CASE("scenario lookups by id", "[scenario]") {
    Scenario s;
    s.countries = {{"USA", "", {}}, {"CHN", "", {}}};
    s.policies.resize(1);
    s.policies[0].id = "p";
    CHECK(s.find_country("CHN") == 1);
    CHECK(s.find_country("XXX") == kNone);
    CHECK(s.find_policy("p") == 0);
}

TEST_CASE("policy force windows", "[scenario]") {
    Policy p;
    p.announced_tick = 2;
    p.from_tick = 4;
    p.until_tick = 6;
    CHECK_FALSE(p.in_force(3));
    CHECK(p.in_force(4));
    CHECK(p.in_force(5));
    CHECK_FALSE(p.in_force(6));
    CHECK(p.announced_only(2));
    CHECK_FALSE(p.announced_only(4));
}
