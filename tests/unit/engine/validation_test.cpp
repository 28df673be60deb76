// Known answers from docs/validation.md that the tick-by-tick engine must reproduce
// with fixed prices: V2 (losing a source, Armington CES) and the tariff part of V3 (trade
// diversion with a homogeneous good).
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/simulation.hpp"
#include "scenario_builder.hpp"

using namespace ts;

namespace {
struct V2World {
    test::ScenarioBuilder b{1};
    model::Index home, big_c, small_c, mid_c;
    model::Index big, small, mid, buyer;
    explicit V2World(double sigma) {
        home = b.country("HOM");
        big_c = b.country("AAA");
        small_c = b.country("BBB");
        mid_c = b.country("CCC");
        const auto good = b.product("good");
        big = b.offer(b.supplier("big", big_c), good, 1.0);
        small = b.offer(b.supplier("small", small_c), good, 1.0);
        mid = b.offer(b.supplier("mid", mid_c), good, 1.0);
        // Equal landed costs and base spending shares {0.6, 0.1, 0.3}: weights = shares,
        // price index = reference cost, so demand = 100 at base.
        buyer = b.buyer("importer", home, 100.0, 1.0, 1.0, sigma, {0.6, 0.1, 0.3});
    }
    engine::TickRecord run() {
        engine::RunConfig cfg;
        cfg.check_invariants = true;
        engine::Simulation sim(b.scenario(), cfg);
        test::CapturingRecorder rec;
        sim.run(rec);
        return rec.ticks.at(0);
    }
    static double units(const engine::TickRecord& t, model::Index offer) {
        double u = 0.0;
        for (const auto& f : t.flows)
            if (f.offer == offer) u += f.units;
        return u;
    }
};
}  // namespace

TEST_CASE("V2: banning the 0.6 source multiplies each other source by 2.5 for any sigma",
          "[validation][V2]") {
    for (double sigma : {0.5, 2.0, 4.0, 8.8}) {
        CAPTURE(sigma);
        V2World base(sigma);
        const auto before = base.run();
        CHECK(V2World::units(before, base.big) == Approx(60.0).epsilon(1e-12));
        CHECK(V2World::units(before, base.small) == Approx(10.0).epsilon(1e-12));
        CHECK(before.countries[0].price_index == Approx(1.0).epsilon(1e-12));

        V2World ban(sigma);
        ban.b.buyer_ref(ban.buyer).weights[static_cast<std::size_t>(ban.big)] =
            0.0;  // weight 0 excludes
        const auto after = ban.run();
        CHECK(V2World::units(after, ban.big) == 0.0);
        CHECK(V2World::units(after, ban.small) / V2World::units(before, base.small) ==
              Approx(2.5).epsilon(1e-9));
        CHECK(V2World::units(after, ban.mid) / V2World::units(before, base.mid) ==
              Approx(2.5).epsilon(1e-9));
        const double expected_p = std::pow(0.4, 1.0 / (1.0 - sigma));
        CHECK(after.countries[0].price_index == Approx(expected_p).epsilon(1e-9));
        if (sigma == 4.0)
            CHECK(after.countries[0].price_index - 1.0 == Approx(0.357).margin(0.0005));
        if (sigma == 8.8)
            CHECK(after.countries[0].price_index - 1.0 == Approx(0.125).margin(0.0005));
    }
}

TEST_CASE("V2: a 50% tariff on the 0.6 source at sigma 4", "[validation][V2]") {
    V2World base(4.0);
    const auto before = base.run();
    V2World w(4.0);
    w.b.tariff("t50", w.home, 0.5, {w.big_c});
    const auto after = w.run();
    CHECK(V2World::units(after, w.big) / V2World::units(before, base.big) ==
          Approx(0.342).margin(0.0005));
    CHECK(V2World::units(after, w.small) / V2World::units(before, base.small) ==
          Approx(1.731).margin(0.0005));
    CHECK(V2World::units(after, w.mid) / V2World::units(before, base.mid) ==
          Approx(1.731).margin(0.0005));
    CHECK(after.countries[0].price_index - 1.0 == Approx(0.2006).margin(0.00005));
    // Tariff revenue = 50% of the value imported from the taxed source.
    CHECK(after.countries[0].tariff_revenue_usd ==
          Approx(0.5 * V2World::units(after, w.big)).epsilon(1e-12));
}

TEST_CASE("V3: a free-trade agreement diverts all purchases to the dearer partner",
          "[validation][V3]") {
    // Tick 0: 10% tariff on everyone; tick 1: the FTA removes it for Mexico only.
    test::ScenarioBuilder b(2);
    const auto usa = b.country("USA");
    const auto asia = b.country("XAS");
    const auto mex = b.country("MEX");
    const auto good = b.product("good");
    const auto o_asia = b.offer(b.supplier("asia", asia), good, 19.0);
    const auto o_mex = b.offer(b.supplier("mexico", mex), good, 20.0);
    // Normalised weights (1/2 each) leave a variety term 2^(1/(σ−1)) in the price index:
    // 0.35% at σ = 200, 0.07% at σ = 1000, so the homogeneous-good limit is taken at 1000.
    const auto buyer = b.buyer("importer", usa, 1000.0, 20.0, 0.0, 1000.0);
    b.tariff("mfn", usa, 0.10, {}, {}, 0, 1);
    b.tariff("mfn-after-fta", usa, 0.10, {}, {mex}, 1);
    engine::RunConfig cfg;
    cfg.check_invariants = true;
    engine::Simulation sim(b.scenario(), cfg);
    test::CapturingRecorder rec;
    sim.run(rec);

    const double q0 = rec.units(0, o_asia, buyer) + rec.units(0, o_mex, buyer);
    const double q1 = rec.units(1, o_asia, buyer) + rec.units(1, o_mex, buyer);
    CHECK(rec.units(0, o_asia, buyer) / q0 >= 0.999);  // before: Asia at $20.90 beats Mexico at $22
    CHECK(rec.units(1, o_mex, buyer) / q1 >= 0.999);   // after: Mexico at $20 beats Asia at $20.90
    const auto& c0 = rec.ticks[0].countries[static_cast<std::size_t>(usa)];
    const auto& c1 = rec.ticks[1].countries[static_cast<std::size_t>(usa)];
    CHECK(c0.price_index == Approx(20.90).epsilon(0.001));
    CHECK(c1.price_index == Approx(20.0).epsilon(0.001));
    // Per unit: consumers gain $0.90, tariff revenue falls $1.90, the nation loses $1.00.
    const double consumer_gain = c0.price_index - c1.price_index;
    const double revenue_loss = c0.tariff_revenue_usd / q0 - c1.tariff_revenue_usd / q1;
    CHECK(consumer_gain == Approx(0.90).margin(0.01));
    CHECK(revenue_loss == Approx(1.90).margin(0.01));
    CHECK(revenue_loss - consumer_gain == Approx(1.00).margin(0.01));
}
