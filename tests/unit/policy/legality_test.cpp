// The legality table of docs/validation.md: for every combination of (control covers exports /
// re-exports, destination targeted or not, hub targeted or not, buyer listed or not, licence
// approval 0 / p / 1) the class of the direct route and of the hub route is checked against
// the rule of docs/model.md step 4, for goods leaving the controlling country and for goods of its
// jurisdiction leaving a third country.
#include <catch2/catch.hpp>

#include <string>

#include "policy/legality.hpp"
#include "policy_rules.hpp"
#include "scenario_builder.hpp"

using namespace ts;
using policy::RouteClass;
using test::Rules;

namespace {

struct Combo {
    bool exports, reexports, dest_targeted, hub_targeted, listed;
    double approval;  // < 0: no licence (prohibited)
};

struct World {
    test::ScenarioBuilder b{1};
    model::Index usa, twn, chn, sgp, gpu, us_offer, tw_offer, buyer;
    explicit World(const Combo& c) {
        usa = b.country("USA");
        twn = b.country("TWN");
        chn = b.country("CHN");
        sgp = b.country("SGP");
        gpu = b.product("GPU");
        // Same jurisdiction (USA); one ships from the USA, one from Taiwan.
        us_offer = b.offer(b.supplier("us-fab", usa), gpu, 100.0);
        const auto tw_sup = b.supplier("tw-fab", twn);
        b.scenario().suppliers[static_cast<std::size_t>(tw_sup)].jurisdiction = usa;
        tw_offer = b.offer(tw_sup, gpu, 100.0);
        buyer = b.buyer("cn-lab", chn, 10.0, 100.0, 1.0, 2.0);
        b.buyer_ref(buyer).listed = c.listed;
        b.route(sgp, 0.05);
        std::vector<model::Index> dests;
        if (c.dest_targeted) dests.push_back(chn);
        if (c.hub_targeted) dests.push_back(sgp);
        const auto p = b.control("ctl", usa, dests, c.approval, 0, c.exports, c.reexports);
        auto& pol = b.policy_ref(p);
        // Listed buyers are always targeted by this control; destinations only when chosen.
        pol.buyers = model::BuyerSelector{};
        pol.buyers->listed = true;
        if (dests.empty()) pol.destinations = model::CountrySelector{true, {}, {}, {}};
    }
};

/// A restricted leg: prohibited without a licence or with approval 0, licensed otherwise.
RouteClass leg_class(bool covered, double approval) {
    if (!covered) return RouteClass::open;
    return approval <= 0.0 ? RouteClass::blocked : RouteClass::licensed;
}

RouteClass expected_direct(const Combo& c, bool ships_from_controller) {
    const bool territory = ships_from_controller ? c.exports : c.reexports;
    return leg_class(territory && (c.dest_targeted || c.listed), c.approval);
}

RouteClass expected_hub(const Combo& c, bool ships_from_controller) {
    // Leg 1: origin -> hub (the hub as destination; the end user is not known there).
    const bool t1 = ships_from_controller ? c.exports : c.reexports;
    const RouteClass l1 = leg_class(t1 && c.hub_targeted, c.approval);
    // Leg 2: hub -> buyer: goods of US jurisdiction leave a third country: re-exports only.
    const RouteClass l2 = leg_class(c.reexports && (c.dest_targeted || c.listed), c.approval);
    if (l1 == RouteClass::blocked) return RouteClass::blocked;
    if (l2 == RouteClass::blocked) return RouteClass::diverted;
    if (l1 == RouteClass::licensed || l2 == RouteClass::licensed) return RouteClass::licensed;
    return RouteClass::open;
}

}  // namespace

TEST_CASE("legality table: every combination of coverage, targets, listing and approval",
          "[legality]") {
    const bool exports = GENERATE(false, true);
    const bool reexports = GENERATE(false, true);
    const bool dest_targeted = GENERATE(false, true);
    const bool hub_targeted = GENERATE(false, true);
    const bool listed = GENERATE(false, true);
    const double approval = GENERATE(-1.0, 0.0, 0.5, 1.0);
    const Combo c{exports, reexports, dest_targeted, hub_targeted, listed, approval};
    CAPTURE(exports, reexports, dest_targeted, hub_targeted, listed, approval);
    World w(c);
    const Rules rules(w.b.scenario());
    const auto& leg = rules.legality;
    CHECK(leg.status(BuyerId{w.buyer}, OfferId{w.us_offer}, RouteId{0}).cls ==
          expected_direct(c, true));
    CHECK(leg.status(BuyerId{w.buyer}, OfferId{w.tw_offer}, RouteId{0}).cls ==
          expected_direct(c, false));
    CHECK(leg.status(BuyerId{w.buyer}, OfferId{w.us_offer}, RouteId{1}).cls ==
          expected_hub(c, true));
    CHECK(leg.status(BuyerId{w.buyer}, OfferId{w.tw_offer}, RouteId{1}).cls ==
          expected_hub(c, false));
    if (approval > 0.0 &&
        leg.status(BuyerId{w.buyer}, OfferId{w.us_offer}, RouteId{0}).cls == RouteClass::licensed)
        CHECK(leg.status(BuyerId{w.buyer}, OfferId{w.us_offer}, RouteId{0}).approval ==
              Approx(approval));
}

TEST_CASE("legality: the classic cases spelled out", "[legality]") {
    SECTION(
        "a re-export ban on China closes the direct route and makes the Singapore route diverted") {
        World w({false, true, true, false, false, -1.0});
        const Rules rules(w.b.scenario());
        const auto& leg = rules.legality;
        CHECK(leg.status(BuyerId{w.buyer}, OfferId{w.tw_offer}, RouteId{0}).cls ==
              RouteClass::blocked);
        CHECK(leg.status(BuyerId{w.buyer}, OfferId{w.tw_offer}, RouteId{1}).cls ==
              RouteClass::diverted);
        CHECK(leg.status(BuyerId{w.buyer}, OfferId{w.us_offer}, RouteId{0}).cls ==
              RouteClass::open);  // exports not covered
    }
    SECTION("closing the hub too blocks the hub route") {
        World w({true, true, true, true, false, 0.0});
        const Rules rules(w.b.scenario());
        const auto& leg = rules.legality;
        CHECK(leg.status(BuyerId{w.buyer}, OfferId{w.tw_offer}, RouteId{1}).cls ==
              RouteClass::blocked);
        CHECK(leg.status(BuyerId{w.buyer}, OfferId{w.us_offer}, RouteId{1}).cls ==
              RouteClass::blocked);
    }
}

TEST_CASE("a hub route through the buyer's own country or the origin is unavailable",
          "[legality]") {
    test::ScenarioBuilder b(1);
    const auto chn = b.country("CHN");
    const auto twn = b.country("TWN");
    const auto gpu = b.product("GPU");
    const auto o = b.offer(b.supplier("s", twn), gpu, 1.0);
    const auto buyer = b.buyer("b", chn, 1.0, 1.0, 0.0, 2.0);
    b.route(chn);
    b.route(twn);
    const Rules rules(b.scenario());
    const auto& leg = rules.legality;
    CHECK(leg.status(BuyerId{buyer}, OfferId{o}, RouteId{0}).cls == RouteClass::open);
    CHECK(leg.status(BuyerId{buyer}, OfferId{o}, RouteId{1}).cls == RouteClass::unavailable);
    CHECK(leg.status(BuyerId{buyer}, OfferId{o}, RouteId{2}).cls == RouteClass::unavailable);
}

TEST_CASE("quotas cap a leg per destination country; enforcement raises detection", "[legality]") {
    test::ScenarioBuilder b(1);
    const auto usa = b.country("USA");
    const auto chn = b.country("CHN");
    const auto sgp = b.country("SGP");
    const auto mys = b.country("MYS");
    const auto gpu = b.product("GPU");
    const auto o = b.offer(b.supplier("us", usa), gpu, 1.0);
    const auto b1 = b.buyer("sg-dc", sgp, 1.0, 1.0, 0.0, 2.0);
    const auto b2 = b.buyer("my-dc", mys, 1.0, 1.0, 0.0, 2.0);
    const auto b3 = b.buyer("cn", chn, 1.0, 1.0, 0.0, 2.0);
    b.route(sgp, 0.0, 0, model::kUnlimited, 0.10);
    const auto q = b.policy("cap", model::PolicyType::quota, usa, {sgp, mys});
    b.policy_ref(q).cap = 100.0;
    const auto e1 = b.policy("sg-checks", model::PolicyType::enforcement, sgp);
    b.policy_ref(e1).detection = 0.25;
    const auto e2 = b.policy("us-checks", model::PolicyType::enforcement, usa);
    b.policy_ref(e2).detection = 0.20;
    const Rules rules(b.scenario());
    const auto& leg = rules.legality;
    const auto& s1 = leg.status(BuyerId{b1}, OfferId{o}, RouteId{0});
    const auto& s2 = leg.status(BuyerId{b2}, OfferId{o}, RouteId{0});
    CHECK(s1.cls == RouteClass::capped);
    CHECK(s2.cls == RouteClass::capped);
    REQUIRE(leg.quotas(s1).size() == 1);
    REQUIRE(leg.quotas(s2).size() == 1);
    CHECK(leg.quotas(s1)[0] != leg.quotas(s2)[0]);  // one bucket per destination country
    CHECK(leg.detection(BuyerId{b3}, OfferId{o}, RouteId{1}) == Approx(1.0 - 0.9 * 0.75 * 0.8));
}

TEST_CASE("import restrictions remove offers in proportion to compliance", "[legality]") {
    test::ScenarioBuilder b(1);
    const auto usa = b.country("USA");
    const auto chn = b.country("CHN");
    const auto gpu = b.product("GPU");
    const auto us_o = b.offer(b.supplier("us", usa), gpu, 1.0);
    const auto cn_o = b.offer(b.supplier("cn", chn), gpu, 1.0);
    const auto buyer = b.buyer("b", chn, 1.0, 1.0, 0.0, 2.0);
    const auto p = b.policy("avoid", model::PolicyType::import_restriction, chn);
    b.policy_ref(p).compliance = 0.7;
    b.policy_ref(p).origins = model::CountrySelector{false, {usa}, {}, {}};
    const Rules rules(b.scenario());
    const auto& leg = rules.legality;
    CHECK(leg.import_factor(BuyerId{buyer}, OfferId{us_o}) == Approx(0.3));
    CHECK(leg.import_factor(BuyerId{buyer}, OfferId{cn_o}) == Approx(1.0));
}

TEST_CASE("announced restrictions are pending until they take force", "[legality]") {
    test::ScenarioBuilder b(6);
    const auto usa = b.country("USA");
    const auto chn = b.country("CHN");
    const auto gpu = b.product("GPU");
    const auto o = b.offer(b.supplier("us", usa), gpu, 1.0);
    const auto buyer = b.buyer("b", chn, 1.0, 1.0, 0.0, 2.0);
    const auto p = b.control("ban", usa, {chn}, -1.0, 0, true, false, 3);
    b.policy_ref(p).announced_tick = 1;
    policy::PolicyBook book(b.scenario());
    policy::Legality leg(book);
    for (std::int64_t t = 0; t < 5; ++t) {
        std::vector<policy::Transition> tr;
        book.advance(t, tr);
        leg.rebuild();
        CAPTURE(t);
        CHECK(leg.restriction_pending(BuyerId{buyer}, OfferId{o}) == (t == 1 || t == 2));
        CHECK((leg.status(BuyerId{buyer}, OfferId{o}, RouteId{0}).cls == RouteClass::blocked) ==
              (t >= 3));
    }
}

TEST_CASE("a diverted route still needs the licence of its first leg", "[legality]") {
    // Re-export ban on China; licence (approval 0.5) for shipments to Singapore.
    World w({false, true, true, true, false, -1.0});
    auto& ban = w.b.policy_ref(0);
    ban.destinations.countries = {w.chn};
    const auto lic = w.b.control("sg-licence", w.usa, {w.sgp}, 0.5, 2, false, true);
    (void)lic;
    const Rules rules(w.b.scenario());
    const auto& leg = rules.legality;
    const auto& st = leg.status(BuyerId{w.buyer}, OfferId{w.tw_offer}, RouteId{1});
    CHECK(st.cls == RouteClass::diverted);
    CHECK(st.needs_licence);
    CHECK(st.approval == Approx(0.5));
    CHECK(st.licence_delay == 2);
}

namespace {
// Swapped or untyped indices do not compile: the queries take distinct index types.
template <class A, class B, class C>
constexpr bool status_callable = requires(const ts::policy::Legality& l, A a, B b, C c) {
    l.status(a, b, c);
};
template <class A, class B>
constexpr bool tariff_callable = requires(const ts::policy::PolicyBook& p, A a, B b) {
    p.tariff(a, b);
};
template <class A, class B>
constexpr bool selects_buyer_callable = requires(const ts::policy::PolicyBook& p, A a, B b) {
    p.selects_buyer(a, b);
};
}  // namespace

TEST_CASE("legality and policy-book queries reject swapped or untyped indices", "[legality]") {
    using ts::BuyerId, ts::CountryId, ts::OfferId, ts::PolicyId, ts::RouteId;
    STATIC_REQUIRE(status_callable<BuyerId, OfferId, RouteId>);
    STATIC_REQUIRE_FALSE(status_callable<OfferId, BuyerId, RouteId>);
    STATIC_REQUIRE_FALSE(status_callable<BuyerId, RouteId, OfferId>);
    STATIC_REQUIRE_FALSE(status_callable<int, int, int>);
    STATIC_REQUIRE(tariff_callable<CountryId, OfferId>);
    STATIC_REQUIRE_FALSE(tariff_callable<OfferId, CountryId>);
    STATIC_REQUIRE_FALSE(tariff_callable<int, int>);
    STATIC_REQUIRE(selects_buyer_callable<PolicyId, BuyerId>);
    STATIC_REQUIRE_FALSE(selects_buyer_callable<BuyerId, PolicyId>);
}
