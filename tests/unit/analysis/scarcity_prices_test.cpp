// `pricing: clearing` (docs/model.md, "Prices"): a tariff on a capacity-bound market lowers the
// supplier's net price and the buyer's quantity in the proportions of the equilibrium solver,
// and the engine gets there in one tick; with fixed prices the same tariff is absorbed by
// rationing. The engine runs tick by tick; the solver solves the same world directly.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "analysis/equilibrium.hpp"
#include "engine/simulation.hpp"
#include "scenario_builder.hpp"

using namespace ts;
using model::Index;

namespace {

std::size_t ix(Index i) {
    return static_cast<std::size_t>(i);
}

constexpr int kTicks = 12;
constexpr int kTariffTick = 6;
constexpr double kTariff = 0.2;

// Every tick's market records.
std::vector<std::vector<engine::MarketRecord>> run_markets(const model::Scenario& s) {
    engine::RunConfig cfg;
    engine::Simulation sim(s, cfg);
    struct All final : engine::Recorder {
        std::vector<std::vector<engine::MarketRecord>> ticks;
        void record(const engine::TickRecord& t) override { ticks.push_back(t.markets); }
    } rec;
    sim.run(rec);
    return rec.ticks;
}

// One importer that wants 150 a tick at the base price 1 from one foreign supplier that can make
// 100 (at the base price): scarce before any policy. A 20 % tariff from tick 6.
struct ScarceMarket {
    test::ScenarioBuilder b{kTicks};
    Index home, offer;
    ScarceMarket(double eps, bool clearing) {
        home = b.country("HOM");
        const auto foreign = b.country("FOR");
        const auto sup = b.supplier("foreign", foreign);
        b.scenario().suppliers[ix(sup)].clearing_price = clearing;
        offer = b.offer(sup, b.product("good"), 1.0, 100.0, 0.1, eps);
        b.buyer("importer", home, 150.0, 1.0, 1.25, 2.0);
        b.tariff("tariff", home, kTariff, {foreign}, {}, kTariffTick);
    }
};

double change(double before, double after) {
    return after / before - 1.0;
}

}  // namespace

// Tolerance: the clearing rule solves the same CES demand and power-law supply as the solver, to
// |log(orders/capacity)| < 1e-10, and the solver's Newton converges to ~1e-12; 1e-8 relative on
// levels and 1e-7 on changes leaves room for both and for the engine's stock arithmetic, and is
// far below any economically visible difference (the fixed-price case below is off by 10⁻¹).
TEST_CASE("clearing prices: a tariff on a capacity-bound market is shared as the solver says",
          "[engine][equilibrium][scarcity]") {
    for (const double eps : {0.0, 1.5}) {
        CAPTURE(eps);
        ScarceMarket w(eps, true);
        const auto ticks = run_markets(w.b.scenario());
        analysis::EquilibriumOptions opt;
        opt.at_tick = kTicks - 1;
        const auto eq = analysis::solve_equilibrium(w.b.scenario(), opt);
        const auto& base = eq.baseline.offers[ix(w.offer)];
        const auto& now = eq.current.offers[ix(w.offer)];
        REQUIRE(base.endogenous);
        // Scarcity shows in the price from tick 1 (tick 0 sells at the list price) ...
        const auto& before = ticks[kTariffTick - 1][ix(w.offer)];
        const auto& after = ticks[kTicks - 1][ix(w.offer)];
        CHECK(ticks[1][ix(w.offer)].price == Approx(base.price).epsilon(1e-8));
        CHECK(before.price == Approx(base.price).epsilon(1e-8));
        CHECK(before.price > 1.15);  // well above the list price: the scarcity rent
        // ... and the tariff's incidence from the tick after it takes force.
        CHECK(ticks[kTariffTick + 1][ix(w.offer)].price == Approx(now.price).epsilon(1e-8));
        CHECK(after.price == Approx(now.price).epsilon(1e-8));
        const double engine_price = change(before.price, after.price);
        const double solver_price = change(base.price, now.price);
        const double engine_qty = change(before.shipped, after.shipped);
        const double solver_qty = change(base.orders, now.orders);
        CAPTURE(engine_price, solver_price, engine_qty, solver_qty);
        CHECK(engine_price == Approx(solver_price).epsilon(1e-7));
        CHECK(engine_qty == Approx(solver_qty).epsilon(1e-7).margin(1e-9));
        if (eps == 0.0) {
            // Vertical supply: the supplier bears the whole tariff, the quantity does not move.
            CHECK(after.price == Approx(before.price / (1.0 + kTariff)).epsilon(1e-8));
            CHECK(after.shipped == Approx(100.0).epsilon(1e-9));
        } else {
            // Elastic supply: shared in the ratio of the elasticities, p ∝ (1+t)^(−η/(ε+η)).
            CHECK(
                after.price ==
                Approx(before.price * std::pow(1.0 + kTariff, -1.25 / (1.25 + eps))).epsilon(1e-8));
            CHECK(engine_qty < -0.05);
        }
    }
}

TEST_CASE("fixed prices: the same tariff is absorbed by rationing", "[engine][scarcity]") {
    ScarceMarket w(0.0, false);
    const auto ticks = run_markets(w.b.scenario());
    const auto& before = ticks[kTariffTick - 1][ix(w.offer)];
    const auto& after = ticks[kTicks - 1][ix(w.offer)];
    // Demand at the landed cost 1.2 is still 150·1.2^−1.25 ≈ 120 > 100: the supplier keeps its
    // price and its sales, the buyer pays the whole tariff and stays rationed.
    CHECK(after.price == 1.0);
    CHECK(before.shipped == Approx(100.0).epsilon(1e-9));
    CHECK(after.shipped == Approx(100.0).epsilon(1e-9));
    CHECK(after.orders > 110.0);
}

TEST_CASE("clearing prices: substitutes sold by different suppliers clear together in one tick",
          "[engine][equilibrium][scarcity]") {
    // The cross-price terms matter here: each fab alone would undershoot, because the buyer's
    // other source gets dearer too (scenarios/examples/markets/scarcity-prices.yaml).
    test::ScenarioBuilder b{kTicks};
    const auto home = b.country("HOM");
    const auto foreign = b.country("FOR");
    const auto chip = b.product("chip");
    const auto rigid = b.supplier("fab-rigid", foreign);
    const auto elastic = b.supplier("fab-elastic", foreign);
    b.scenario().suppliers[ix(rigid)].clearing_price = true;
    b.scenario().suppliers[ix(elastic)].clearing_price = true;
    const auto o_rigid = b.offer(rigid, chip, 1.0, 60.0, 0.2, 0.0);
    const auto o_elastic = b.offer(elastic, chip, 1.0, 60.0, 0.2, 1.5);
    b.buyer("importer", home, 150.0, 1.0, 1.25, 4.0);
    b.tariff("tariff", home, 0.25, {foreign}, {}, kTariffTick);
    const auto ticks = run_markets(b.scenario());
    analysis::EquilibriumOptions opt;
    opt.at_tick = kTicks - 1;
    const auto eq = analysis::solve_equilibrium(b.scenario(), opt);
    for (const Index o : {o_rigid, o_elastic}) {
        CAPTURE(o);
        CHECK(ticks[1][ix(o)].price == Approx(eq.baseline.offers[ix(o)].price).epsilon(1e-8));
        CHECK(ticks[kTariffTick + 1][ix(o)].price ==
              Approx(eq.current.offers[ix(o)].price).epsilon(1e-8));
        CHECK(ticks[kTicks - 1][ix(o)].shipped ==
              Approx(eq.current.offers[ix(o)].orders).epsilon(1e-8));
    }
    // The rigid fab bears more of the tariff than the elastic one.
    CHECK(change(ticks[kTariffTick - 1][ix(o_rigid)].price, ticks[kTicks - 1][ix(o_rigid)].price) <
          change(ticks[kTariffTick - 1][ix(o_elastic)].price,
                 ticks[kTicks - 1][ix(o_elastic)].price));
}

TEST_CASE("clearing prices never fall below unit cost; spare capacity is then unsold",
          "[engine][scarcity]") {
    ScarceMarket w(0.0, true);
    w.b.scenario().buyers[0].demand = 50.0;  // half the capacity at the list price
    w.b.scenario().offers[ix(w.offer)].unit_cost = 0.9;
    const auto ticks = run_markets(w.b.scenario());
    const auto& last = ticks[kTicks - 1][ix(w.offer)];
    CHECK(last.price == 0.9);
    CHECK(last.shipped < 100.0);
    CHECK(last.orders == Approx(50.0 * std::pow(0.9 * (1.0 + kTariff), -1.25)).epsilon(1e-9));
}
