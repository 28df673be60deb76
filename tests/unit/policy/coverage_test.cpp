// The coverage rule of export controls and quotas (territory and jurisdiction) and their
// targeting (destination and listed buyers), case by case, as coverage.hpp states them.
#include <catch2/catch.hpp>

#include <vector>

#include "policy/coverage.hpp"
#include "scenario_builder.hpp"

using namespace ts;
using policy::covers_leg;
using policy::covers_shipment;

namespace {

// Country indices of the cases below.
constexpr model::Index kUsa = 0, kTwn = 1, kMys = 2, kSgp = 3, kChn = 4;

model::Policy control_by_usa(bool exports, bool reexports) {
    model::Policy p;
    p.type = model::PolicyType::export_control;
    p.by = kUsa;
    p.covers_exports = exports;
    p.covers_reexports = reexports;
    return p;
}

model::Supplier supplier(model::Index jurisdiction, model::Index made_in, model::Index ships_from) {
    model::Supplier s;
    s.jurisdiction = jurisdiction;
    s.made_in = made_in;
    s.ships_from = ships_from;
    return s;
}

}  // namespace

TEST_CASE("coverage: exports from the government's territory", "[coverage]") {
    const auto us_goods = supplier(kUsa, kUsa, kUsa);
    CHECK(covers_shipment(control_by_usa(true, false), us_goods));
    CHECK_FALSE(covers_shipment(control_by_usa(false, true), us_goods));  // re-exports only
    CHECK(covers_shipment(control_by_usa(true, true), us_goods));
    // Foreign goods leaving the territory are exports too, whoever's jurisdiction they are of.
    const auto tw_goods_from_us = supplier(kTwn, kTwn, kUsa);
    CHECK(covers_shipment(control_by_usa(true, false), tw_goods_from_us));
    CHECK_FALSE(covers_shipment(control_by_usa(false, true), tw_goods_from_us));
}

TEST_CASE("coverage: re-exports of goods of the jurisdiction", "[coverage]") {
    SECTION("goods made elsewhere under the jurisdiction, shipped from where they are made") {
        const auto s = supplier(kUsa, kTwn, kTwn);
        CHECK(covers_shipment(control_by_usa(false, true), s));
        CHECK_FALSE(covers_shipment(control_by_usa(true, false), s));
    }
    SECTION("goods made elsewhere under the jurisdiction but shipped from its territory") {
        // Where the goods are made (customs origin) does not matter; they leave US territory.
        const auto s = supplier(kUsa, kTwn, kUsa);
        CHECK(covers_shipment(control_by_usa(true, false), s));
        CHECK_FALSE(covers_shipment(control_by_usa(false, true), s));
    }
    SECTION("goods of the jurisdiction shipped from a third country") {
        const auto s = supplier(kUsa, kTwn, kMys);
        CHECK(covers_shipment(control_by_usa(false, true), s));
        CHECK_FALSE(covers_shipment(control_by_usa(true, false), s));
    }
    SECTION("goods of another jurisdiction leaving another country are never covered") {
        const auto s = supplier(kTwn, kTwn, kTwn);
        CHECK_FALSE(covers_shipment(control_by_usa(true, true), s));
        CHECK_FALSE(covers_leg(control_by_usa(true, true), s, CountryId{kSgp}));
    }
}

TEST_CASE("coverage: the legs of a hub route", "[coverage]") {
    const CountryId usa{kUsa}, sgp{kSgp};
    SECTION("goods of the jurisdiction: leg 1 is an export, leg 2 (out of the hub) a re-export") {
        const auto s = supplier(kUsa, kUsa, kUsa);
        CHECK(covers_leg(control_by_usa(true, false), s, usa));
        CHECK_FALSE(covers_leg(control_by_usa(true, false), s, sgp));
        CHECK_FALSE(covers_leg(control_by_usa(false, true), s, usa));
        CHECK(covers_leg(control_by_usa(false, true), s, sgp));
    }
    SECTION("foreign goods exported from the territory are free once out of the hub") {
        const auto s = supplier(kTwn, kTwn, kUsa);
        CHECK(covers_leg(control_by_usa(true, true), s, usa));
        CHECK_FALSE(covers_leg(control_by_usa(true, true), s, sgp));
    }
}

TEST_CASE("coverage: quotas cover exports and re-exports; other policies no leg", "[coverage]") {
    model::Policy quota = control_by_usa(false, false);  // switches do not apply to quotas
    quota.type = model::PolicyType::quota;
    CHECK(covers_shipment(quota, supplier(kUsa, kUsa, kUsa)));
    CHECK(covers_shipment(quota, supplier(kUsa, kTwn, kTwn)));
    CHECK(covers_shipment(quota, supplier(kTwn, kTwn, kUsa)));
    CHECK_FALSE(covers_shipment(quota, supplier(kTwn, kTwn, kTwn)));
    model::Policy tariff = control_by_usa(true, true);
    tariff.type = model::PolicyType::tariff;
    CHECK_FALSE(covers_shipment(tariff, supplier(kUsa, kUsa, kUsa)));
}

TEST_CASE("coverage: remote access follows the jurisdiction; enforcement the hub too",
          "[coverage]") {
    model::Policy remote = control_by_usa(false, false);
    remote.type = model::PolicyType::remote_access;
    CHECK(policy::remote_access_covers(remote, supplier(kUsa, kTwn, kTwn)));
    CHECK_FALSE(policy::remote_access_covers(remote, supplier(kTwn, kTwn, kUsa)));
    CHECK_FALSE(
        policy::remote_access_covers(control_by_usa(true, true), supplier(kUsa, kUsa, kUsa)));

    model::Policy checks = control_by_usa(false, false);
    checks.type = model::PolicyType::enforcement;
    const auto tw_goods = supplier(kTwn, kTwn, kTwn);
    const CountryId to_china{kChn};
    CHECK(policy::enforcement_covers(checks, tw_goods, CountryId{kUsa}, to_china));  // its hub
    CHECK_FALSE(policy::enforcement_covers(checks, tw_goods, CountryId{kSgp}, to_china));
    CHECK(policy::enforcement_covers(checks, supplier(kUsa, kTwn, kTwn), CountryId{kSgp},
                                     to_china));  // its jurisdiction's goods
    // At the border: only goods arriving for buyers in its own country, whatever the hub or
    // the goods' jurisdiction.
    checks.inspection = model::Inspection::border;
    CHECK(policy::enforcement_covers(checks, tw_goods, CountryId{kSgp}, CountryId{kUsa}));
    CHECK_FALSE(policy::enforcement_covers(checks, tw_goods, CountryId{kUsa}, to_china));
    CHECK_FALSE(
        policy::enforcement_covers(checks, supplier(kUsa, kTwn, kTwn), CountryId{kSgp}, to_china));
}

TEST_CASE("targeting: by destination, by listed buyer, and buyers-only controls", "[coverage]") {
    test::ScenarioBuilder b(1);
    REQUIRE(b.country("USA") == kUsa);
    REQUIRE(b.country("TWN") == kTwn);
    REQUIRE(b.country("MYS") == kMys);
    REQUIRE(b.country("SGP") == kSgp);
    REQUIRE(b.country("CHN") == kChn);
    b.offer(b.supplier("us-fab", kUsa), b.product("GPU"), 1.0);
    // To China, and to listed buyers wherever they are.
    const auto to_china = b.control("to-china", kUsa, {kChn});
    model::BuyerSelector listed;
    listed.listed = true;
    b.policy_ref(to_china).buyers = listed;
    // Listed buyers only (the destination selector is only `buyers`).
    const auto listed_only = b.control("listed", kUsa, {});
    b.policy_ref(listed_only).buyers = listed;
    const policy::PolicyBook book(b.scenario());
    REQUIRE(book.buyers_only(listed_only));
    const PolicyId p1{to_china}, p2{listed_only};
    const CountryId chn{kChn}, sgp{kSgp};

    CHECK(policy::targets(book, p1, chn, false));  // destination, any buyer
    // Leg 1 of a hub route names no buyer: into Singapore it is not targeted, even when the
    // end buyer is listed.
    CHECK_FALSE(policy::targets(book, p1, sgp, false));
    CHECK(policy::targets(book, p1, sgp, true));  // a named buyer in Singapore

    CHECK_FALSE(policy::targets(book, p2, chn, false));  // all destinations, yet buyers only
    CHECK(policy::targets(book, p2, chn, true));
    CHECK(policy::targets(book, p2, sgp, true));
}
