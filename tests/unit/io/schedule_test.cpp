// Dated schedules end to end: the reader (points, ticks, the plain field at tick 0), --set of
// one point, the engine applying each tick's values at that tick (capacity, demand, a tariff's
// rate, a route's and an enforcement policy's detection in the legality tables), and the
// equilibrium solver at a date.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "analysis/equilibrium.hpp"
#include "engine/simulation.hpp"
#include "io/scenario_reader.hpp"

using namespace ts;

namespace {

// Monthly from 2024-01: 2024-04 is tick 3, 2024-07 tick 6, 2024-09 tick 8.
const std::string kWorld = R"(name: sched
time: {start: 2024-01, step: month, ticks: 12}
countries:
  - {code: USA}
  - {code: CHN}
  - {code: SGP}
  - {code: TWN}
products:
  - {id: chip, tpp: 5000, compute: 1.0}
suppliers:
  - id: maker
    jurisdiction: USA
    made_in: TWN
    offers:
      - {product: chip, capacity: {2024-01: 100, 2024-04: 200, 2024-07: 400, interpolate: linear}, unit_cost: 1, price: 10}
buyers:
  - {id: cn, country: CHN, demand: {2024-01: 150, 2024-06: 300}, growth: 0.01, reference_cost: 10, risk_tolerance: 0.5}
routes:
  - {via: SGP, markup: 0.05, detection: {2024-01: 0.1, 2024-05: 0.3}}
)";

const std::string kTariff = R"(policies:
  - {id: t, by: CHN, type: tariff, rate: {2024-03: 0.1, 2024-09: 0.5}, origins: {countries: [TWN]}}
)";

// The export control diverts CHN's purchases through SGP, where detection is the route's and
// the hub's enforcement together.
const std::string kControl = R"(policies:
  - {id: ec, by: USA, type: export_control, products: {tpp_min: 4000}, destinations: {countries: [CHN]}, covers: [exports, reexports]}
  - {id: e, by: SGP, type: enforcement, detection: {2024-01: 0, 2024-10: 0.5}}
)";

model::Scenario load(const std::string& yaml, std::vector<std::string> overrides = {}) {
    io::LoadOptions options;
    options.overrides = std::move(overrides);
    return io::load_scenario_text(yaml, "t.yaml", options).scenario;
}

/// Per tick: the offer's capacity, the value and tariff shipped, detection on the hub route.
struct Trace final : engine::Recorder {
    void record(const engine::TickRecord& t) override {
        for (const auto& m : t.markets) capacity.push_back(m.capacity);
        double value = 0.0, tariff = 0.0;
        for (const auto& f : t.flows) {
            value += f.value_usd;
            tariff += f.tariff_usd;
        }
        tariff_share.push_back(value > 0.0 ? tariff / value : 0.0);
    }
    std::vector<double> capacity, tariff_share;
};

}  // namespace

TEST_CASE("the reader resolves a schedule's dates to ticks and keeps tick 0 in the field",
          "[schedule]") {
    const model::Scenario s = load(kWorld + kTariff);
    REQUIRE(s.schedules.size() == 4);
    const model::Schedule& cap = s.schedules[0];
    CHECK(cap.field == model::ScheduleField::offer_capacity);
    CHECK(cap.object == 0);
    CHECK(cap.path == "suppliers[maker].offers[chip].capacity");
    CHECK(cap.interpolate == model::Interpolation::linear);
    REQUIRE(cap.points.size() == 3);
    CHECK(cap.points[1].tick == 3);
    CHECK(cap.points[2].tick == 6);
    CHECK(cap.points[2].value == 400.0);
    CHECK(s.offers[0].capacity == 100.0);
    CHECK(s.buyers[0].demand == 150.0);
    CHECK(s.routes[0].detection == 0.1);
    // Before its first date (2024-03, tick 2) a schedule holds its first value.
    CHECK(s.schedules[3].field == model::ScheduleField::policy_rate);
    CHECK(s.policies[0].rate == 0.1);

    // The resolved YAML writes the dates normalised and gives the same schedules back.
    CHECK(s.resolved_yaml.find("2024-07-01: 400") != std::string::npos);
    CHECK(s.resolved_yaml.find("interpolate: linear") != std::string::npos);
    const model::Scenario again = io::load_scenario_text(s.resolved_yaml, "r.yaml").scenario;
    REQUIRE(again.schedules.size() == 4);
    CHECK(again.schedules[0].points[2].value == 400.0);
}

TEST_CASE("an override (--set) replaces a whole schedule or adds one point in date order",
          "[schedule]") {
    const model::Scenario whole =
        load(kWorld, {"suppliers.maker.offers.chip.capacity={2024-01: 1, 2024-02: 2}"});
    REQUIRE(whole.schedules[0].points.size() == 2);
    CHECK(whole.schedules[0].interpolate == model::Interpolation::step);
    CHECK(whole.schedules[0].points[1].value == 2.0);

    const model::Scenario point =
        load(kWorld, {"suppliers.maker.offers.chip.capacity.2024-02=150",
                      "suppliers.maker.offers.chip.capacity.2024-07=500"});
    const auto& pts = point.schedules[0].points;
    REQUIRE(pts.size() == 4);
    CHECK(pts[1].tick == 1);
    CHECK(pts[1].value == 150.0);
    CHECK(pts[3].value == 500.0);
    CHECK(point.schedules[0].interpolate == model::Interpolation::linear);
}

TEST_CASE("the engine applies each schedule's value at its tick", "[schedule]") {
    engine::Simulation sim(load(kWorld + kTariff), engine::RunConfig{});
    Trace trace;
    sim.run(trace);
    REQUIRE(trace.capacity.size() == 12);
    CHECK(trace.capacity[0] == 100.0);
    CHECK(trace.capacity[1] == Approx(100.0 + 100.0 / 3.0));
    CHECK(trace.capacity[3] == 200.0);
    CHECK(trace.capacity[4] == Approx(200.0 + 200.0 / 3.0));
    CHECK(trace.capacity[6] == 400.0);
    CHECK(trace.capacity[11] == 400.0);
    // The tariff's rate: 10 % until 2024-09 (tick 8), then 50 %.
    CHECK(trace.tariff_share[0] == Approx(0.1));
    CHECK(trace.tariff_share[7] == Approx(0.1));
    CHECK(trace.tariff_share[8] == Approx(0.5));
    CHECK(trace.tariff_share[11] == Approx(0.5));
    // The world the simulation reports is the frozen one: the tick-0 values.
    CHECK(sim.world().offers[0].capacity == 100.0);
}

TEST_CASE("scheduled detection changes the legality tables at its tick", "[schedule]") {
    engine::Simulation sim(load(kWorld + kControl), engine::RunConfig{});
    Trace none;
    const auto detection = [&] {
        return sim.legality().detection(BuyerId{0}, OfferId{0}, RouteId{1});
    };
    std::map<int, double> seen;
    while (!sim.done()) {
        sim.step(none);
        seen[sim.tick() - 1] = detection();
    }
    CHECK(seen[0] == Approx(0.1));
    CHECK(seen[3] == Approx(0.1));
    CHECK(seen[4] == Approx(0.3));  // the route's detection from 2024-05
    CHECK(seen[8] == Approx(0.3));
    CHECK(seen[9] == Approx(1.0 - 0.7 * 0.5));  // and SGP's enforcement from 2024-10
}

TEST_CASE("the equilibrium solver takes scheduled values at its date", "[schedule]") {
    const model::Scenario s = load(kWorld);
    analysis::EquilibriumOptions at_start;
    at_start.at_tick = 0;
    analysis::EquilibriumOptions later;
    later.at_tick = 7;
    later.baseline_tick = 1;
    const auto r0 = analysis::solve_equilibrium(s, at_start);
    const auto r7 = analysis::solve_equilibrium(s, later);
    CHECK(r0.current.offers[0].capacity == 100.0);
    CHECK(r7.current.offers[0].capacity == 400.0);
    CHECK(r7.baseline.offers[0].capacity == Approx(100.0 + 100.0 / 3.0));
    // Demand at 2024-06 and after is 300 (growth is reported, not applied, by the solver).
    CHECK(r7.current.buyers[0].quantity > r0.current.buyers[0].quantity);
}

TEST_CASE("a scheduled pool capacity bounds the pooled offers from its tick", "[schedule]") {
    // Two offers of one supplier share a pool that halves from 2024-05 (tick 4); buyers want
    // more than the pool at both levels, so the pool binds throughout.
    const std::string world = R"(name: pooled
time: {start: 2024-01, step: month, ticks: 8}
countries: [{code: USA}, {code: TWN}]
products:
  - {id: big, compute: 1.0}
  - {id: small, compute: 0.5}
suppliers:
  - id: maker
    jurisdiction: USA
    made_in: TWN
    pools: {pack: {2024-01: 1000, 2024-05: 500}}
    offers:
      - {product: big, capacity: 900, unit_cost: 1, price: 10, uses: {pack: 1}}
      - {product: small, capacity: 900, unit_cost: 1, price: 4, uses: {pack: 1}}
buyers:
  - {id: us, country: USA, demand: 3000, reference_cost: 10}
)";
    const model::Scenario s = load(world);
    REQUIRE(s.schedules.size() == 1);
    CHECK(s.schedules[0].path == "suppliers[maker].pools.pack");
    CHECK(s.suppliers[0].pools[0].capacity == 1000.0);
    engine::Simulation sim(s, engine::RunConfig{});
    struct Pools final : engine::Recorder {
        void record(const engine::TickRecord& t) override {
            REQUIRE(t.pools.size() == 1);
            capacity.push_back(t.pools[0].capacity);
            granted.push_back(t.pools[0].granted);
        }
        std::vector<double> capacity, granted;
    } trace;
    sim.run(trace);
    REQUIRE(trace.capacity.size() == 8);
    for (int t = 0; t < 8; ++t) {
        const double pool = t < 4 ? 1000.0 : 500.0;
        CHECK(trace.capacity[t] == pool);
        CHECK(trace.granted[t] == Approx(pool));
    }
    // A point can be set like any other schedule's.
    const model::Scenario later = load(world, {"suppliers.maker.pools.pack.2024-07=200"});
    REQUIRE(later.schedules.size() == 1);
    CHECK(later.schedules[0].at(6) == 200.0);
}
