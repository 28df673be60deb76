#include <catch2/catch.hpp>

#include <cmath>

#include "core/error.hpp"
#include "engine/simulation.hpp"
#include "scenario_builder.hpp"

using namespace ts;
using engine::RunConfig;
using engine::Simulation;

namespace {
RunConfig checked() {
    RunConfig c;
    c.check_invariants = true;
    return c;
}

test::CapturingRecorder run(const model::Scenario& s, RunConfig c = checked()) {
    Simulation sim(s, c);
    test::CapturingRecorder rec;
    sim.run(rec);
    return rec;
}

const engine::MarketRecord& market(const test::CapturingRecorder& r, int tick, model::Index offer) {
    return r.ticks.at(static_cast<std::size_t>(tick)).markets.at(static_cast<std::size_t>(offer));
}
const engine::CountryRecord& country(const test::CapturingRecorder& r, int tick, model::Index c) {
    return r.ticks.at(static_cast<std::size_t>(tick)).countries.at(static_cast<std::size_t>(c));
}
}  // namespace

TEST_CASE("production keeps one tick of capacity in stock and never exceeds capacity", "[engine]") {
    test::ScenarioBuilder b(3);
    auto a = b.country("AAA");
    auto p = b.product("chip");
    auto s = b.supplier("s", a);
    auto o = b.offer(s, p, 1.0, 100.0);
    auto buyer = b.buyer("b", a, 60.0, 1.0, 0.0, 2.0);
    SECTION("demand below capacity: produce to order, stock stays at capacity") {
        auto r = run(b.scenario());
        for (int t = 0; t < 3; ++t) {
            CHECK(market(r, t, o).produced == Approx(60.0));
            CHECK(market(r, t, o).shipped == Approx(60.0));
            CHECK(market(r, t, o).stock == Approx(100.0));
        }
    }
    SECTION("demand above capacity: stock is drawn down once, then shipments equal capacity") {
        b.buyer_ref(buyer).demand = 250.0;
        auto r = run(b.scenario());
        CHECK(market(r, 0, o).shipped == Approx(200.0));
        CHECK(market(r, 0, o).produced == Approx(100.0));
        CHECK(market(r, 0, o).stock == Approx(0.0));
        CHECK(market(r, 1, o).shipped == Approx(100.0));
        CHECK(market(r, 1, o).orders == Approx(250.0));
        CHECK(country(r, 1, a).unmet_compute == Approx(150.0));
    }
}

TEST_CASE("rationed buyers re-choose among offers that still have goods", "[engine]") {
    test::ScenarioBuilder b(1);
    auto c = b.country("AAA");
    auto p = b.product("chip");
    auto s1 = b.supplier("small", c);
    auto s2 = b.supplier("large", c);
    auto small = b.offer(s1, p, 1.0, 10.0);  // stock 10 + capacity 10 = 20 shippable
    auto large = b.offer(s2, p, 1.0, 1000.0);
    auto buyer = b.buyer("b", c, 100.0, 1.0, 0.0, 2.0);  // equal costs: 50/50 wanted
    auto r = run(b.scenario());
    CHECK(r.units(0, small, buyer) == Approx(20.0));
    CHECK(r.units(0, large, buyer) == Approx(80.0));
    CHECK(market(r, 0, small).orders == Approx(50.0));
    CHECK(market(r, 0, large).orders == Approx(80.0));  // 50 first round + 30 re-chosen
    CHECK(country(r, 0, c).unmet_compute == Approx(0.0));

    SECTION("without re-choice rounds the rest is unmet") {
        RunConfig cfg = checked();
        cfg.rechoice_rounds = 0;
        auto r0 = run(b.scenario(), cfg);
        CHECK(r0.units(0, large, buyer) == Approx(50.0));
        CHECK(country(r0, 0, c).unmet_compute == Approx(30.0));
    }
}

TEST_CASE("the engine's byte model is kept per phase", "[engine]") {
    test::ScenarioBuilder b(2);
    auto c = b.country("AAA");
    auto p = b.product("chip");
    b.offer(b.supplier("small", c), p, 1.0, 10.0);
    b.offer(b.supplier("large", c), p, 1.0, 1000.0);
    b.buyer("b", c, 100.0, 1.0, 0.0, 2.0);  // rationed at the small offer: re-chooses
    Simulation sim(b.scenario(), checked());
    test::CapturingRecorder rec;
    sim.run(rec);
    const auto& st = sim.stats();
    std::uint64_t sum = 0;
    for (const auto bytes : st.phase_bytes) sum += bytes;
    CHECK(sum == st.bytes());
    CHECK(sum > 0);
    const auto in = [&st](engine::Phase ph) {
        return st.phase_bytes[static_cast<std::size_t>(ph)];
    };
    for (const auto ph : {engine::Phase::routes, engine::Phase::choice, engine::Phase::clearing,
                          engine::Phase::shipping, engine::Phase::demand, engine::Phase::prices})
        CHECK(in(ph) > 0);
    CHECK(in(engine::Phase::output) == 0);
    // Re-choice prices routes again inside clearing: its route checks are clearing's.
    CHECK(in(engine::Phase::clearing) > 2 * 2 * 48 + st.requests * sizeof(engine::Request));
}

TEST_CASE("flows summed over buyers when the recorder wants no buyer rows carry the same totals",
          "[engine]") {
    test::ScenarioBuilder b(3);
    auto a = b.country("AAA");
    auto c = b.country("BBB");
    auto p = b.product("chip");
    auto small = b.offer(b.supplier("small", a), p, 1.0, 30.0);  // rationed: re-choice rounds
    b.offer(b.supplier("large", a), p, 1.2, 1000.0);
    b.buyer("b1", c, 60.0, 1.0, 0.0, 2.0);
    b.buyer("b2", c, 40.0, 1.0, 0.0, 2.0);
    auto b3 = b.buyer("b3", c, 50.0, 1.0, 0.0, 2.0);
    b.buyer_ref(b3).billing_country = a;  // same destination, another billing country
    b.buyer("b4", a, 20.0, 1.0, 0.0, 2.0);
    test::CapturingRecorder rows, summed;
    summed.buyer_rows = false;
    Simulation(b.scenario(), checked()).run(rows);
    Simulation(b.scenario(), checked()).run(summed);
    REQUIRE(rows.ticks.size() == summed.ticks.size());
    for (std::size_t t = 0; t < rows.ticks.size(); ++t) {
        const auto& r = rows.ticks[t];
        const auto& m = summed.ticks[t];
        // Per offer and destination: 2 rows in BBB's billing country (b1, b2), b3's own, b4's.
        CHECK(r.flows.size() == 8);
        CHECK(m.flows.size() == 6);
        for (const auto& f : m.flows) CHECK(f.buyer == model::kNone);
        for (model::Index o = 0; o < 2; ++o)
            for (model::Index d : {a, c}) {
                const auto total = [&](const engine::TickRecord& rec, model::Index billing) {
                    double u = 0.0;
                    for (const auto& f : rec.flows)
                        if (f.offer == o && f.destination == d && f.billing == billing)
                            u += f.units;
                    return u;
                };
                for (model::Index bill : {a, c}) CHECK(total(m, bill) == Approx(total(r, bill)));
            }
        REQUIRE(r.revenue.size() == m.revenue.size());
        for (std::size_t i = 0; i < r.revenue.size(); ++i) {
            CHECK(m.revenue[i].billing_country == r.revenue[i].billing_country);
            CHECK(m.revenue[i].units == Approx(r.revenue[i].units));
        }
        for (model::Index d : {a, c}) {
            CHECK(country(summed, static_cast<int>(t), d).compute_used ==
                  Approx(country(rows, static_cast<int>(t), d).compute_used));
            CHECK(country(summed, static_cast<int>(t), d).imports_units ==
                  Approx(country(rows, static_cast<int>(t), d).imports_units));
        }
    }
    CHECK(rows.units(0, small, b3) > 0.0);
}

TEST_CASE("competing buyers are rationed pro rata", "[engine]") {
    test::ScenarioBuilder b(1);
    auto c = b.country("AAA");
    auto p = b.product("chip");
    auto s = b.supplier("s", c);
    auto o = b.offer(s, p, 1.0, 30.0);  // 60 shippable at tick 0
    auto b1 = b.buyer("b1", c, 60.0, 1.0, 0.0, 2.0);
    auto b2 = b.buyer("b2", c, 30.0, 1.0, 0.0, 2.0);
    auto r = run(b.scenario());
    CHECK(r.units(0, o, b1) == Approx(40.0));
    CHECK(r.units(0, o, b2) == Approx(20.0));
    CHECK(country(r, 0, c).unmet_compute == Approx(30.0));
}

TEST_CASE("unmet demand is carried as backlog at the buyer's share", "[engine]") {
    test::ScenarioBuilder b(3);
    auto c = b.country("AAA");
    auto p = b.product("chip");
    auto s = b.supplier("s", c);
    auto o = b.offer(s, p, 1.0, 50.0);
    auto buyer = b.buyer("b", c, 120.0, 1.0, 0.0, 2.0);
    b.buyer_ref(buyer).backlog = 0.5;
    auto r = run(b.scenario());
    // tick 0: 100 shippable, unmet 20, backlog 10; tick 1: orders 130, ships 50, unmet 80,
    // backlog 40.
    CHECK(country(r, 0, c).unmet_compute == Approx(20.0));
    CHECK(market(r, 1, o).orders == Approx(130.0));
    CHECK(country(r, 1, c).unmet_compute == Approx(80.0));
    CHECK(market(r, 2, o).orders == Approx(160.0));
}

TEST_CASE("prices adjust to excess demand and never fall below unit cost", "[engine]") {
    test::ScenarioBuilder b(3);
    auto c = b.country("AAA");
    auto p = b.product("chip");
    auto s = b.supplier("s", c, 0.1);
    auto o = b.offer(s, p, 100.0, 100.0, 95.0);
    b.buyer("b", c, 150.0, 100.0, 0.0, 2.0);
    auto r = run(b.scenario());
    CHECK(market(r, 0, o).price == Approx(100.0));
    CHECK(market(r, 1, o).price == Approx(100.0 * (1.0 + 0.1 * 0.5)));
    SECTION("falling demand lowers the price to the unit-cost floor") {
        b.scenario().buyers[0].demand = 10.0;
        auto r2 = run(b.scenario());
        CHECK(market(r2, 1, o).price == Approx(95.0));  // 100·(1 − 0.09) = 91 < 95
    }
}

TEST_CASE("capacity responds to price with the supply elasticity", "[engine]") {
    test::ScenarioBuilder b(2);
    auto c = b.country("AAA");
    auto p = b.product("chip");
    auto s = b.supplier("s", c, 0.2);
    auto o = b.offer(s, p, 100.0, 100.0, 0.0, 1.5);
    b.buyer("b", c, 200.0, 100.0, 0.0, 2.0);
    auto r = run(b.scenario());
    const double p1 = 100.0 * (1.0 + 0.2 * (200.0 - 100.0) / 100.0);
    CHECK(market(r, 1, o).price == Approx(p1));
    CHECK(market(r, 1, o).capacity == Approx(100.0 * std::pow(p1 / 100.0, 1.5)));
}

TEST_CASE("shipments arrive after the transport delay and transit is conserved", "[engine]") {
    test::ScenarioBuilder b(5);
    auto c = b.country("AAA");
    auto p = b.product("chip", 2.0);
    auto s = b.supplier("s", c);
    b.offer(s, p, 1.0, 1000.0);
    b.buyer("b", c, 100.0, 0.5, 0.0, 2.0);  // 100 compute = 50 units per tick
    b.transport_delay(2);
    auto r = run(b.scenario());
    CHECK(country(r, 0, c).imports_units == Approx(0.0));
    CHECK(country(r, 1, c).imports_units == Approx(0.0));
    CHECK(country(r, 2, c).imports_units == Approx(50.0));
    CHECK(country(r, 2, c).imports_compute == Approx(100.0));
    double shipped = 0.0, delivered = 0.0;
    for (const auto& t : r.ticks) {
        for (const auto& f : t.flows) shipped += f.units;
        for (const auto& cr : t.countries) delivered += cr.imports_units;
    }
    CHECK(shipped - delivered == Approx(100.0));  // two ticks still in transit
}

TEST_CASE("accounting identities hold every tick in a rationed, growing world",
          "[engine][conservation]") {
    test::ScenarioBuilder b(24);
    auto us = b.country("USA");
    auto cn = b.country("CHN");
    auto tw = b.country("TWN");
    auto gpu = b.product("GPU", 1.0);
    auto lite = b.product("LITE", 0.3);
    auto nv = b.supplier("nv", tw, 0.05);
    auto hw = b.supplier("hw", cn, 0.08);
    b.offer(nv, gpu, 25000, 800, 3000, 0.5);
    b.offer(nv, lite, 12000, 900, 2000);
    b.offer(hw, gpu, 16500, 300, 8000, 1.0);
    auto x = b.buyer("us-cloud", us, 1200, 25000, 0.5, 3.0);
    auto y = b.buyer("cn-cloud", cn, 900, 25000, 0.8, 4.0);
    b.buyer_ref(x).growth = 0.03;
    b.buyer_ref(y).backlog = 0.4;
    b.buyer_ref(y).billing_country = tw;
    b.tariff("cn-tariff", cn, 0.25, {tw}, {}, 6, 18);
    b.transport_delay(1);
    auto r = run(b.scenario());  // throws RunError if any identity breaks
    REQUIRE(r.ticks.size() == 24);
    const auto& offers = b.scenario().offers;
    for (std::size_t t = 0; t < r.ticks.size(); ++t) {
        for (std::size_t o = 0; o < offers.size(); ++o) {
            const auto& m = r.ticks[t].markets[o];
            const double opening = t == 0 ? offers[o].capacity : r.ticks[t - 1].markets[o].stock;
            CHECK(opening + m.produced == Approx(m.shipped + m.stock).epsilon(1e-12));
            double flow_units = 0.0;
            for (const auto& f : r.ticks[t].flows)
                if (f.offer == static_cast<model::Index>(o)) {
                    flow_units += f.units;
                    CHECK(f.value_usd == Approx(f.units * m.price).epsilon(1e-12));
                }
            CHECK(flow_units == Approx(m.shipped).epsilon(1e-12));
        }
        double revenue = 0.0, value = 0.0;
        for (const auto& rv : r.ticks[t].revenue) revenue += rv.revenue_usd;
        for (const auto& f : r.ticks[t].flows) value += f.value_usd - f.fee_usd;
        CHECK(revenue == Approx(value).epsilon(1e-12));
    }
    // The tariff is booked by China while in force, and only then.
    CHECK(country(r, 5, cn).tariff_revenue_usd == 0.0);
    CHECK(country(r, 6, cn).tariff_revenue_usd > 0.0);
    CHECK(country(r, 18, cn).tariff_revenue_usd == 0.0);
    // Revenue is booked to the buyer's billing country.
    bool billed_tw = false;
    for (const auto& rv : r.ticks[0].revenue)
        if (rv.supplier == hw && rv.billing_country == tw) billed_tw = true;
    CHECK(billed_tw);
}

TEST_CASE("same scenario, same records", "[engine][determinism]") {
    test::ScenarioBuilder b(12);
    auto a = b.country("AAA");
    auto z = b.country("ZZZ");
    auto p = b.product("chip");
    auto s1 = b.supplier("s1", a, 0.1);
    auto s2 = b.supplier("s2", z, 0.1);
    b.offer(s1, p, 10.0, 40.0, 5.0, 1.0);
    b.offer(s2, p, 12.0, 60.0, 5.0, 0.5);
    b.buyer("b1", a, 70.0, 11.0, 1.2, 5.0);
    b.buyer("b2", z, 50.0, 11.0, 0.7, 2.5);
    b.tariff("t", a, 0.2, {z}, {}, 4);
    auto r1 = run(b.scenario());
    auto r2 = run(b.scenario());
    REQUIRE(r1.ticks.size() == r2.ticks.size());
    for (std::size_t t = 0; t < r1.ticks.size(); ++t) {
        REQUIRE(r1.ticks[t].flows.size() == r2.ticks[t].flows.size());
        for (std::size_t i = 0; i < r1.ticks[t].flows.size(); ++i) {
            CHECK(r1.ticks[t].flows[i].units == r2.ticks[t].flows[i].units);
            CHECK(r1.ticks[t].flows[i].value_usd == r2.ticks[t].flows[i].value_usd);
        }
        for (std::size_t o = 0; o < r1.ticks[t].markets.size(); ++o)
            CHECK(r1.ticks[t].markets[o].price == r2.ticks[t].markets[o].price);
    }
}

TEST_CASE("a broken identity is detected and reported as a bug", "[engine][conservation]") {
    // Negative capacity is rejected by the reader; fed to the engine directly it produces
    // negative shipments, which the invariant check must refuse rather than write. A broken
    // identity is a bug in tradesim (InternalError), not an ordinary run failure (RunError).
    test::ScenarioBuilder b(1);
    auto c = b.country("AAA");
    auto p = b.product("chip");
    auto s = b.supplier("s", c);
    b.offer(s, p, 1.0, -10.0);
    b.buyer("b", c, 50.0, 1.0, 0.0, 2.0);
    CHECK_THROWS_AS(run(b.scenario()), InternalError);
    CHECK_THROWS_WITH(run(b.scenario()), Catch::Contains("stock identity broken") &&
                                             Catch::Contains("bug in tradesim") &&
                                             Catch::Contains("report"));
}

TEST_CASE("events report policies taking force and lapsing", "[engine]") {
    test::ScenarioBuilder b(6);
    auto c = b.country("AAA");
    auto p = b.product("chip");
    auto s = b.supplier("s", c);
    b.offer(s, p, 1.0);
    b.buyer("b", c, 1.0, 1.0, 0.0, 2.0);
    b.tariff("t", c, 0.1, {}, {}, 2, 4);
    auto r = run(b.scenario());
    REQUIRE(r.ticks[2].events.size() == 1);
    CHECK(r.ticks[2].events[0].event == engine::EventKind::in_force);
    CHECK(r.ticks[2].events[0].actor == "AAA");
    REQUIRE(r.ticks[4].events.size() == 1);
    CHECK(r.ticks[4].events[0].event == engine::EventKind::lapsed);
    CHECK(r.ticks[3].events.empty());
}

TEST_CASE("prices settle even when buyers substitute very strongly (no endless cycling)",
          "[engine]") {
    // σ = 400 between a capacity-bound supplier and a fixed-price one: the plain price rule
    // cycles for ever here; the adaptive step must settle (at 104.7368, the equilibrium the
    // solver finds for this world).
    test::ScenarioBuilder b(400);
    const auto home = b.country("XHM");
    const auto ca = b.country("XAA");
    const auto cb = b.country("XBB");
    const auto good = b.product("good");
    const auto a = b.offer(b.supplier("a", ca, 0.05), good, 100.0, 100.0, 50.0, 1.0);
    b.offer(b.supplier("b", cb), good, 100.0);
    b.buyer("importer", home, 150.0, 100.0, 1.0, 400.0);
    b.tariff("tariff-on-b", home, 0.05, {cb});
    auto r = run(b.scenario());
    double lo = 1e300, hi = 0.0;
    for (int t = 350; t < 400; ++t) {
        lo = std::min(lo, market(r, t, a).price);
        hi = std::max(hi, market(r, t, a).price);
    }
    CHECK(hi - lo < 1e-6 * hi);
    CHECK(market(r, 399, a).price == Approx(104.7368).epsilon(1e-5));
}
