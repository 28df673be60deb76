#include <cstdint>
#include <limits>

#include <catch2/catch.hpp>

#include "policy/policy_book.hpp"
#include "scenario_builder.hpp"

using namespace ts;
using policy::PolicyBook;
using policy::Transition;

namespace {
struct World {
    test::ScenarioBuilder b{12};
    model::Index usa, chn, twn, gpu, nv, hw, o_nv, o_hw;
    World() {
        usa = b.country("USA");
        chn = b.country("CHN");
        twn = b.country("TWN");
        gpu = b.product("GPU");
        nv = b.supplier("nvidia", twn);
        hw = b.supplier("huawei", chn);
        o_nv = b.offer(nv, gpu, 100.0);
        o_hw = b.offer(hw, gpu, 80.0);
        b.buyer("cn", chn, 10, 100, 1, 2);
    }
};
}  // namespace

TEST_CASE("tariffs apply to the importer's own imports by customs origin and stack additively",
          "[policy]") {
    World w;
    w.b.tariff("cn-on-twn", w.chn, 0.10, {w.twn});
    w.b.tariff("cn-on-all", w.chn, 0.05);
    w.b.tariff("us-on-twn", w.usa, 0.20, {w.twn});
    PolicyBook book(w.b.scenario());
    std::vector<Transition> tr;
    book.advance(0, tr);
    CHECK(book.tariff(CountryId{w.chn}, OfferId{w.o_nv}) == Approx(0.15));
    CHECK(book.tariff(CountryId{w.chn}, OfferId{w.o_hw}) ==
          Approx(0.05));  // made in CHN: only the all-origin tariff
    CHECK(book.tariff(CountryId{w.usa}, OfferId{w.o_nv}) == Approx(0.20));
    CHECK(book.tariff(CountryId{w.usa}, OfferId{w.o_hw}) == Approx(0.0));
    CHECK(book.tariff(CountryId{w.twn}, OfferId{w.o_nv}) == Approx(0.0));
}

TEST_CASE("origins except removes a country from an all-origin tariff", "[policy]") {
    World w;
    w.b.tariff("fta", w.chn, 0.10, {}, {w.twn});
    PolicyBook book(w.b.scenario());
    std::vector<Transition> tr;
    book.advance(0, tr);
    CHECK(book.tariff(CountryId{w.chn}, OfferId{w.o_nv}) == Approx(0.0));
    CHECK(book.tariff(CountryId{w.chn}, OfferId{w.o_hw}) == Approx(0.10));
}

TEST_CASE("policies take force at from, lapse at until, and report each transition once",
          "[policy]") {
    World w;
    auto p = w.b.tariff("t", w.chn, 0.3, {w.twn}, {}, 3, 6);
    w.b.policy_ref(p).announced_tick = 1;
    PolicyBook book(w.b.scenario());
    std::vector<std::pair<std::int64_t, Transition::Kind>> seen;
    for (std::int64_t t = 0; t < 10; ++t) {
        std::vector<Transition> tr;
        const bool changed = book.advance(t, tr);
        for (const auto& x : tr) seen.emplace_back(t, x.kind);
        CHECK(changed == (t == 1 || t == 3 || t == 6));  // announcement, entry into force, lapse
        CHECK(book.tariff(CountryId{w.chn}, OfferId{w.o_nv}) ==
              Approx(t >= 3 && t < 6 ? 0.3 : 0.0));
    }
    REQUIRE(seen.size() == 3);
    CHECK(seen[0] == std::make_pair(std::int64_t{1}, Transition::Kind::announced));
    CHECK(seen[1] == std::make_pair(std::int64_t{3}, Transition::Kind::in_force));
    CHECK(seen[2] == std::make_pair(std::int64_t{6}, Transition::Kind::lapsed));
}

TEST_CASE(
    "a policy in force before the run is reported in force at tick 0; a pending announcement too",
    "[policy]") {
    World w;
    w.b.tariff("old", w.chn, 0.1, {}, {}, -5);
    auto pending = w.b.tariff("pending", w.chn, 0.1, {}, {}, 4);
    w.b.policy_ref(pending).announced_tick = -2;
    PolicyBook book(w.b.scenario());
    std::vector<Transition> tr;
    book.advance(0, tr);
    REQUIRE(tr.size() == 2);
    CHECK(tr[0].policy == 0);
    CHECK(tr[0].kind == Transition::Kind::in_force);
    CHECK(tr[1].policy == 1);
    CHECK(tr[1].kind == Transition::Kind::announced);
}

TEST_CASE("export fees are charged by the goods' jurisdiction on selected destinations",
          "[policy]") {
    World w;
    model::Policy fee;
    fee.id = "h20-fee";
    fee.by = w.twn;  // nvidia's jurisdiction in this world
    fee.type = model::PolicyType::export_fee;
    fee.rate = 0.15;
    fee.products.all = true;
    fee.destinations.countries = {w.chn};
    fee.from_tick = 0;
    w.b.scenario().policies.push_back(fee);
    PolicyBook book(w.b.scenario());
    std::vector<Transition> tr;
    book.advance(0, tr);
    CHECK(book.fee_rate(CountryId{w.chn}, OfferId{w.o_nv}) == Approx(0.15));
    CHECK(book.fee_rate(CountryId{w.usa}, OfferId{w.o_nv}) == Approx(0.0));
    CHECK(book.fee_rate(CountryId{w.chn}, OfferId{w.o_hw}) ==
          Approx(0.0));  // huawei is not under TWN jurisdiction
    int n = 0;
    book.for_each_fee(CountryId{w.chn}, OfferId{w.o_nv}, [&](const model::Policy& p) {
        CHECK(p.id == "h20-fee");
        ++n;
    });
    CHECK(n == 1);
}

TEST_CASE("an offer available after a policy appears lag ticks after it takes force", "[policy]") {
    World w;
    auto p = w.b.tariff("rule", w.usa, 0.0, {}, {}, 4);
    w.b.scenario().offers[static_cast<std::size_t>(w.o_hw)].available = model::Availability{p, 2};
    PolicyBook book(w.b.scenario());
    CHECK_FALSE(book.offer_available(w.o_hw, 5));
    CHECK(book.offer_available(w.o_hw, 6));
    CHECK(book.offer_available(w.o_nv, 0));
}

TEST_CASE("a dormant policy dated by schedule takes force in the book, not in the scenario",
          "[policy]") {
    // Reaction rules add a policy with no dates; when the rule triggers, the engine dates it
    // with PolicyBook::schedule. The scenario (the engine's frozen world) keeps its dates.
    World w;
    constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
    auto p = w.b.tariff("dormant", w.chn, 0.25, {w.twn});
    auto& pol = w.b.policy_ref(p);
    pol.announced_tick = pol.from_tick = pol.until_tick = kNever;
    const model::Scenario& s = w.b.scenario();
    PolicyBook book(s);
    std::vector<std::pair<std::int64_t, Transition::Kind>> seen;
    for (std::int64_t t = 0; t < 8; ++t) {
        if (t == 2) book.schedule(p, 2, 4);  // triggered at tick 2, in force from tick 4
        std::vector<Transition> tr;
        book.advance(t, tr);
        for (const auto& x : tr) seen.emplace_back(t, x.kind);
        CHECK(book.tariff(CountryId{w.chn}, OfferId{w.o_nv}) == Approx(t >= 4 ? 0.25 : 0.0));
    }
    REQUIRE(seen.size() == 2);
    CHECK(seen[0] == std::make_pair(std::int64_t{2}, Transition::Kind::announced));
    CHECK(seen[1] == std::make_pair(std::int64_t{4}, Transition::Kind::in_force));
    CHECK(book.from_tick(p) == 4);
    CHECK(s.policies[static_cast<std::size_t>(p)].from_tick == kNever);
    CHECK(s.policies[static_cast<std::size_t>(p)].announced_tick == kNever);
}
