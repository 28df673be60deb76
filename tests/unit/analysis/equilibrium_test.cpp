// The equilibrium solver against the known answers of docs/validation.md: V1 (tariff
// incidence, exact and linearised, SMART trade creation), V2 (losing a source), V3 (trade
// diversion), exact → linear convergence as the shock shrinks, and V4 (the tick-by-tick engine
// settles where the solver says, on two multi-region worlds). Ill-posed cases must throw.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <string>

#include "analysis/equilibrium.hpp"
#include "core/error.hpp"
#include "engine/simulation.hpp"
#include "scenario_builder.hpp"

using namespace ts;
using analysis::EquilibriumOptions;
using analysis::EquilibriumResult;
using model::Index;

namespace {

std::size_t ix(Index i) {
    return static_cast<std::size_t>(i);
}

double pct(double before, double after) {
    return (after / before - 1.0) * 100.0;
}

/// V1: one importer (HOM), one foreign supplier (FOR) of one good at base price 1; the market
/// clears at the base price without policies (demand 100 = capacity 100).
/// Scenario keys: η = buyer price_elasticity, ε = offer supply_elasticity, price_adjustment > 0
/// and a finite capacity make the price endogenous; σ is irrelevant with one offer.
struct V1World {
    test::ScenarioBuilder b{2};
    Index home, foreign, offer, buyer;
    V1World(double eta, double eps, bool fixed_price = false, double reference_cost = 1.0) {
        home = b.country("HOM");
        foreign = b.country("FOR");
        const auto good = b.product("good");
        const auto sup = b.supplier("foreign", foreign, fixed_price ? 0.0 : 0.05);
        offer = fixed_price ? b.offer(sup, good, 1.0) : b.offer(sup, good, 1.0, 100.0, 0.0, eps);
        buyer = b.buyer("importer", home, 100.0, reference_cost, eta, 2.0);
    }
    EquilibriumResult solve(bool linear, std::int64_t at = 0,
                            std::optional<std::int64_t> baseline = {}) {
        EquilibriumOptions opt;
        opt.at_tick = at;
        opt.baseline_tick = baseline;
        opt.linear = linear;
        return analysis::solve_equilibrium(b.scenario(), opt);
    }
    double world_price_pct(const EquilibriumResult& r) const {
        return pct(r.baseline.offers[ix(offer)].price, r.current.offers[ix(offer)].price);
    }
    double consumer_price_pct(const EquilibriumResult& r) const {
        return pct(r.baseline.countries[ix(home)].price_index,
                   r.current.countries[ix(home)].price_index);
    }
    double imports_pct(const EquilibriumResult& r) const {
        return pct(r.baseline.countries[ix(home)].imports_units,
                   r.current.countries[ix(home)].imports_units);
    }
    double imports_change(const EquilibriumResult& r) const {
        return r.current.countries[ix(home)].imports_units -
               r.baseline.countries[ix(home)].imports_units;
    }
};

}  // namespace

TEST_CASE("V1 exact: a 10% tariff with eta 1.25 and epsilon 1.5", "[equilibrium][validation][V1]") {
    V1World w(1.25, 1.5);
    w.b.tariff("t10", w.home, 0.10);
    const auto r = w.solve(false);
    CHECK(r.baseline.offers[ix(w.offer)].price == Approx(1.0).epsilon(1e-12));
    CHECK(r.baseline.countries[ix(w.home)].imports_units == Approx(100.0).epsilon(1e-12));
    CHECK(w.world_price_pct(r) == Approx(-4.24).margin(0.01));
    CHECK(w.consumer_price_pct(r) == Approx(5.34).margin(0.01));
    CHECK(w.imports_pct(r) == Approx(-6.29).margin(0.01));
    // The closed form p^(ε+η) = (1+t)^(−η), to solver precision.
    const double p = std::pow(1.1, -1.25 / 2.75);
    CHECK(r.current.offers[ix(w.offer)].price == Approx(p).epsilon(1e-9));
    CHECK(r.current.offers[ix(w.offer)].orders == Approx(100.0 * std::pow(p, 1.5)).epsilon(1e-9));
    // The tariff revenue is t × world price × imports, collected by the importer.
    CHECK(r.current.countries[ix(w.home)].tariff_revenue_usd ==
          Approx(0.1 * p * 100.0 * std::pow(p, 1.5)).epsilon(1e-9));
    CHECK(r.current.method.rfind("newton", 0) == 0);
    // Surpluses: consumers lose ∫ Q dP over the consumer price, the producer ∫ supply over the
    // world price.
    const double pc = 1.1 * p;
    CHECK(r.consumer_surplus_change[ix(w.home)] ==
          Approx(-100.0 * (std::pow(pc, -0.25) - 1.0) / -0.25).epsilon(1e-9));
    const auto sup = ix(w.b.scenario().offers[ix(w.offer)].supplier);
    CHECK(r.producer_surplus_change[sup] ==
          Approx(100.0 / 2.5 * (std::pow(p, 2.5) - 1.0)).epsilon(1e-9));
}

TEST_CASE("V1 linear: Laird-Yeats incidence P* = -eta t / (eps + eta)",
          "[equilibrium][validation][V1]") {
    V1World w(1.25, 1.5);
    w.b.tariff("t10", w.home, 0.10);
    const auto r = w.solve(true);
    CHECK(r.linear);
    CHECK(r.current.method == "linear");
    CHECK(w.world_price_pct(r) == Approx(-4.55).margin(0.01));
    CHECK(w.consumer_price_pct(r) == Approx(5.45).margin(0.01));
    CHECK(w.imports_pct(r) == Approx(-6.82).margin(0.01));
    CHECK(w.world_price_pct(r) == Approx(-100.0 * 1.25 * 0.1 / 2.75).epsilon(1e-9));
}

TEST_CASE("V1 SMART trade creation in linear mode (M = 100, eta = 1.5)",
          "[equilibrium][validation][V1]") {
    SECTION("infinitely elastic supply, tariff 10% -> 0: +13.64") {
        // Reference cost 1.1: the buyer imports M = 100 at the tariff-inclusive price 1.1.
        V1World w(1.5, 0.0, true, 1.1);
        w.b.tariff("t10", w.home, 0.10, {}, {}, 0, 1);  // in force at tick 0 only
        const auto r = w.solve(true, 1, 0);
        CHECK(r.baseline.countries[ix(w.home)].imports_units == Approx(100.0).epsilon(1e-12));
        CHECK(w.imports_change(r) == Approx(13.64).margin(0.005));
        CHECK(w.imports_change(r) ==
              Approx(100.0 * 1.5 * 0.1 / 1.1).epsilon(1e-9));  // M·η·Δt/(1+t0)
    }
    SECTION("infinitely elastic supply, tariff 0 -> 25%: -37.5") {
        V1World w(1.5, 0.0, true);
        w.b.tariff("t25", w.home, 0.25);
        const auto r = w.solve(true);
        CHECK(w.imports_change(r) == Approx(-37.5).margin(1e-9));
        CHECK(r.current.offers[ix(w.offer)].price == 1.0);
    }
    SECTION("supply elasticity 3, tariff 0 -> 25%: -25.0") {
        V1World w(1.5, 3.0);
        w.b.tariff("t25", w.home, 0.25);
        const auto r = w.solve(true);
        CHECK(w.imports_change(r) == Approx(-25.0).margin(1e-9));
        CHECK(w.world_price_pct(r) == Approx(-100.0 * 1.5 * 0.25 / 4.5).epsilon(1e-9));
    }
}

TEST_CASE("Exact converges to linear as the tariff shrinks", "[equilibrium][validation][V4]") {
    double previous_error = 1.0;
    for (double t : {0.1, 0.01, 0.001}) {
        CAPTURE(t);
        V1World exact_w(1.25, 1.5), linear_w(1.25, 1.5);
        exact_w.b.tariff("t", exact_w.home, t);
        linear_w.b.tariff("t", linear_w.home, t);
        const auto exact = exact_w.solve(false);
        const auto linear = linear_w.solve(true);
        const double error =
            std::abs(exact_w.world_price_pct(exact) / linear_w.world_price_pct(linear) - 1.0);
        const double imports_error =
            std::abs(exact_w.imports_pct(exact) / linear_w.imports_pct(linear) - 1.0);
        CAPTURE(error, imports_error);
        CHECK(error < previous_error);
        CHECK(imports_error < 2.0 * t);
        previous_error = error;
    }
    CHECK(previous_error < 0.01);
}

namespace {
/// V2: one buyer, three sources at equal landed cost with base spending shares {0.6, 0.1, 0.3},
/// η = 1, fixed prices.
struct V2World {
    test::ScenarioBuilder b{1};
    Index home, big_c, small_c, mid_c, big, small, mid, buyer;
    explicit V2World(double sigma) {
        home = b.country("HOM");
        big_c = b.country("AAA");
        small_c = b.country("BBB");
        mid_c = b.country("CCC");
        const auto good = b.product("good");
        big = b.offer(b.supplier("big", big_c), good, 1.0);
        small = b.offer(b.supplier("small", small_c), good, 1.0);
        mid = b.offer(b.supplier("mid", mid_c), good, 1.0);
        buyer = b.buyer("importer", home, 100.0, 1.0, 1.0, sigma, {0.6, 0.1, 0.3});
    }
    EquilibriumResult solve() { return analysis::solve_equilibrium(b.scenario(), {}); }
    static double ratio(const EquilibriumResult& r, Index offer) {
        return r.current.offers[ix(offer)].orders / r.baseline.offers[ix(offer)].orders;
    }
};
}  // namespace

TEST_CASE("V2: banning the 0.6 source multiplies the others by 2.5 for any sigma",
          "[equilibrium][validation][V2]") {
    for (double sigma : {0.5, 1.0, 2.0, 4.0, 8.8}) {
        CAPTURE(sigma);
        V2World w(sigma);
        // The ban: the importer's import restriction on the big source's origin (full compliance).
        const auto ban = w.b.policy("ban", model::PolicyType::import_restriction, w.home);
        w.b.policy_ref(ban).origins = {};
        w.b.policy_ref(ban).origins.countries = {w.big_c};
        w.b.policy_ref(ban).compliance = 1.0;
        const auto r = w.solve();
        CHECK(r.baseline.offers[ix(w.big)].orders == Approx(60.0).epsilon(1e-12));
        CHECK(r.current.offers[ix(w.big)].orders == 0.0);
        CHECK(V2World::ratio(r, w.small) == Approx(2.5).epsilon(1e-9));
        CHECK(V2World::ratio(r, w.mid) == Approx(2.5).epsilon(1e-9));
        const double p = r.current.countries[ix(w.home)].price_index;
        if (sigma != 1.0) CHECK(p == Approx(std::pow(0.4, 1.0 / (1.0 - sigma))).epsilon(1e-9));
        if (sigma == 4.0) CHECK(p - 1.0 == Approx(0.357).margin(0.0005));
        if (sigma == 8.8) CHECK(p - 1.0 == Approx(0.125).margin(0.0005));
    }
}

TEST_CASE("V2: an export ban by the source's government has the same effect",
          "[equilibrium][validation][V2]") {
    V2World w(4.0);
    w.b.control("ban", w.big_c, {w.home});
    const auto r = w.solve();
    CHECK(r.current.offers[ix(w.big)].orders == 0.0);
    CHECK(V2World::ratio(r, w.small) == Approx(2.5).epsilon(1e-9));
    CHECK(r.current.countries[ix(w.home)].price_index - 1.0 == Approx(0.357).margin(0.0005));
}

TEST_CASE("V2: a 50% tariff on the 0.6 source at sigma 4", "[equilibrium][validation][V2]") {
    V2World w(4.0);
    w.b.tariff("t50", w.home, 0.5, {w.big_c});
    const auto r = w.solve();
    CHECK(V2World::ratio(r, w.big) == Approx(0.342).margin(0.0005));
    CHECK(V2World::ratio(r, w.small) == Approx(1.731).margin(0.0005));
    CHECK(V2World::ratio(r, w.mid) == Approx(1.731).margin(0.0005));
    CHECK(r.current.countries[ix(w.home)].price_index - 1.0 == Approx(0.2006).margin(0.00005));
    CHECK(r.current.countries[ix(w.home)].tariff_revenue_usd ==
          Approx(0.5 * r.current.offers[ix(w.big)].orders).epsilon(1e-12));
}

TEST_CASE("V3: a free-trade agreement diverts all purchases to the dearer partner",
          "[equilibrium][validation][V3]") {
    // Tick 0: a 10% tariff on everyone; tick 1: the FTA removes it for Mexico only.
    test::ScenarioBuilder b(2);
    const auto usa = b.country("USA");
    const auto asia = b.country("XAS");
    const auto mex = b.country("MEX");
    const auto good = b.product("good");
    const auto o_asia = b.offer(b.supplier("asia", asia), good, 19.0);
    const auto o_mex = b.offer(b.supplier("mexico", mex), good, 20.0);
    b.buyer("importer", usa, 1000.0, 20.0, 0.0,
            1000.0);  // homogeneous good: σ = 1000, fixed demand
    b.tariff("mfn", usa, 0.10, {}, {}, 0, 1);
    b.tariff("mfn-after-fta", usa, 0.10, {}, {mex}, 1);
    EquilibriumOptions opt;
    opt.baseline_tick = 0;
    opt.at_tick = 1;
    const auto r = analysis::solve_equilibrium(b.scenario(), opt);
    const auto& before = r.baseline;
    const auto& after = r.current;
    const double q0 = before.offers[ix(o_asia)].orders + before.offers[ix(o_mex)].orders;
    const double q1 = after.offers[ix(o_asia)].orders + after.offers[ix(o_mex)].orders;
    CHECK(before.offers[ix(o_asia)].orders / q0 >= 0.999);
    CHECK(after.offers[ix(o_mex)].orders / q1 >= 0.999);
    CHECK(before.countries[ix(usa)].price_index == Approx(20.90).epsilon(0.001));
    CHECK(after.countries[ix(usa)].price_index == Approx(20.0).epsilon(0.001));
    const double revenue_loss = before.countries[ix(usa)].tariff_revenue_usd / q0 -
                                after.countries[ix(usa)].tariff_revenue_usd / q1;
    CHECK(revenue_loss == Approx(1.90).margin(0.01));
    // Per unit: consumers gain $0.90, the nation loses $1.00 (trade diversion).
    CHECK(r.consumer_surplus_change[ix(usa)] / q1 == Approx(0.90).margin(0.01));
    CHECK(r.welfare_change[ix(usa)] / q1 == Approx(-1.00).margin(0.01));
}

TEST_CASE(
    "V3 rerouting: a control on the direct route moves flows to the hub; closing the hub stops "
    "them",
    "[equilibrium][validation][V3]") {
    auto world = [](bool reexports) {
        test::ScenarioBuilder b(1);
        const auto dst = b.country("DST");
        const auto org = b.country("ORG");
        const auto hub = b.country("HUB");
        const auto good = b.product("good");
        b.offer(b.supplier("maker", org), good, 100.0);
        b.buyer("buyer", dst, 50.0, 100.0, 0.5, 2.0);
        b.route(hub, 0.06);
        b.control("ban", org, {dst}, -1.0, 0, true, reexports);
        return analysis::solve_equilibrium(b.scenario(), {});
    };
    const auto open_hub = world(false);
    CHECK(open_hub.baseline.countries[0].price_index == Approx(100.0));
    CHECK(open_hub.current.countries[0].price_index == Approx(106.0).epsilon(1e-12));
    CHECK(open_hub.current.countries[0].imports_units ==
          Approx(50.0 * std::pow(1.06, -0.5)).epsilon(1e-12));
    const auto closed = world(true);  // re-exports covered: diverted, and the buyer takes no risk
    CHECK(closed.current.countries[0].imports_units == 0.0);
    CHECK(closed.current.countries[0].unmet_compute == Approx(50.0));
    CHECK(closed.current.countries[0].price_index == 0.0);
}

TEST_CASE("An endogenous offer at unit cost keeps spare capacity", "[equilibrium]") {
    V1World w(1.25, 1.5);
    w.b.scenario().offers[ix(w.offer)].unit_cost = 0.9;
    w.b.tariff("t50", w.home, 0.5);  // demand falls below capacity even at unit cost
    const auto r = w.solve(false);
    const auto& o = r.current.offers[ix(w.offer)];
    CHECK(o.price == Approx(0.9).epsilon(1e-12));
    CHECK(o.spare);
    CHECK(o.orders < o.capacity);
    CHECK(o.orders == Approx(100.0 * std::pow(0.9 * 1.5, -1.25)).epsilon(1e-9));
}

TEST_CASE("Tatonnement alone reaches the Newton answer", "[equilibrium]") {
    V1World w(1.25, 1.5);
    w.b.tariff("t10", w.home, 0.10);
    EquilibriumOptions opt;
    opt.max_newton_iterations = 0;
    const auto r = analysis::solve_equilibrium(w.b.scenario(), opt);
    CHECK(r.current.method == "newton+tatonnement");
    CHECK(r.current.offers[ix(w.offer)].price == Approx(std::pow(1.1, -1.25 / 2.75)).epsilon(1e-9));
}

TEST_CASE("Ill-posed cases give a clear RunError, not a number", "[equilibrium]") {
    SECTION("every offer banned, unit cost 0: the price would fall to 0") {
        V1World w(1.25, 1.5);
        const auto ban = w.b.policy("ban-all", model::PolicyType::import_restriction, w.home);
        w.b.policy_ref(ban).compliance = 1.0;
        REQUIRE_THROWS_AS(w.solve(false), RunError);
        REQUIRE_THROWS_WITH(w.solve(false),
                            Catch::Contains("foreign/good") && Catch::Contains("towards 0"));
    }
    SECTION("inelastic demand above a fixed capacity: the price would rise without bound") {
        V1World w(0.0, 0.0);
        w.b.buyer_ref(w.buyer).demand = 150.0;
        REQUIRE_THROWS_AS(w.solve(false), RunError);
        REQUIRE_THROWS_WITH(w.solve(false), Catch::Contains("rises without bound") &&
                                                Catch::Contains("foreign/good"));
    }
    SECTION("inelastic demand below a fixed capacity with unit cost 0: the price would fall to 0") {
        V1World w(0.0, 0.0);
        w.b.buyer_ref(w.buyer).demand = 50.0;
        REQUIRE_THROWS_WITH(w.solve(false), Catch::Contains("falls to 0"));
    }
    SECTION("a tick before the run") {
        V1World w(1.25, 1.5);
        EquilibriumOptions opt;
        opt.at_tick = -1;
        REQUIRE_THROWS_AS(analysis::solve_equilibrium(w.b.scenario(), opt), InputError);
    }
}

TEST_CASE("Capacity binding at a fixed price is reported as a warning", "[equilibrium]") {
    V1World w(1.25, 0.0, true);
    w.b.scenario().offers[ix(w.offer)].capacity = 80.0;  // fixed price, demand 100 > 80
    const auto r = w.solve(false);
    REQUIRE(r.warnings.size() >= 1);
    CHECK_THAT(r.warnings.front(),
               Catch::Contains("exceed its capacity") && Catch::Contains("rations"));
    CHECK(r.current.offers[ix(w.offer)].price == 1.0);
    CHECK_FALSE(r.ignored.empty());
}

TEST_CASE("equilibrium_rows: long format rows for offers, flows, countries and suppliers",
          "[equilibrium]") {
    V1World w(1.25, 1.5);
    w.b.tariff("t10", w.home, 0.10);
    const auto r = w.solve(false);
    const auto rows = analysis::equilibrium_rows(w.b.scenario(), r);
    std::map<std::string, analysis::EquilibriumRow> by;
    for (const auto& row : rows) by.emplace(row.scope + "," + row.key + "," + row.metric, row);
    REQUIRE(by.count("offer,foreign/good,price"));
    CHECK(by.at("offer,foreign/good,price").baseline == Approx(1.0));
    CHECK(by.at("offer,foreign/good,price").value == Approx(std::pow(1.1, -1.25 / 2.75)));
    REQUIRE(by.count("flow,foreign/HOM,units"));
    CHECK(by.at("flow,foreign/HOM,units").change() ==
          Approx(r.current.offers[ix(w.offer)].orders - 100.0));
    REQUIRE(by.count("country,HOM,tariff_revenue_usd"));
    CHECK(by.at("country,HOM,tariff_revenue_usd").baseline == 0.0);
    REQUIRE(by.count("supplier,foreign,producer_surplus_change_usd"));
    REQUIRE(by.count("world,all,welfare_change_usd"));
    CHECK(by.count("country,FOR,price_index") == 0);  // no buyer there
}

// ---------------------------------------------------------------------------------------------
// V4: the tick-by-tick engine with fixed policies and no growth settles at the solver's answer.

namespace {

struct Settled {
    std::vector<double> price;  // per offer, charged in the last tick
    std::map<std::pair<Index, Index>, double>
        flows;                                // (supplier, destination) -> units in the last tick
    std::map<engine::Channel, int> channels;  // flows per channel in the last tick
};

Settled run_engine(const model::Scenario& s) {
    engine::RunConfig cfg;
    cfg.check_invariants = false;
    engine::Simulation sim(s, cfg);
    struct Last final : engine::Recorder {
        engine::TickRecord last;
        void record(const engine::TickRecord& t) override { last = t; }
    } rec;
    sim.run(rec);
    Settled out;
    for (const auto& m : rec.last.markets) out.price.push_back(m.price);
    for (const auto& f : rec.last.flows) {
        out.flows[{f.supplier, f.destination}] += f.units;
        ++out.channels[f.channel];
    }
    return out;
}

Settled check_settles(const model::Scenario& s) {
    EquilibriumOptions opt;
    opt.at_tick = s.time.ticks - 1;
    const auto eq = analysis::solve_equilibrium(s, opt);
    const auto settled = run_engine(s);
    int endogenous = 0;
    for (std::size_t o = 0; o < s.offers.size(); ++o) {
        CAPTURE(o, eq.current.offers[o].price, settled.price[o]);
        CHECK(std::abs(settled.price[o] / eq.current.offers[o].price - 1.0) < 0.001);
        if (eq.current.offers[o].endogenous && !eq.current.offers[o].spare) ++endogenous;
        // The policies must have moved the price: otherwise the test would prove little.
    }
    CHECK(endogenous >= 3);
    const std::size_t nc = s.countries.size();
    int flows = 0;
    for (std::size_t sp = 0; sp < s.suppliers.size(); ++sp)
        for (std::size_t c = 0; c < nc; ++c) {
            const double want = eq.current.flow_units[sp * nc + c];
            const auto it = settled.flows.find({static_cast<Index>(sp), static_cast<Index>(c)});
            const double got = it == settled.flows.end() ? 0.0 : it->second;
            CAPTURE(s.suppliers[sp].id, s.countries[c].code, want, got);
            if (want == 0.0) {
                CHECK(got == 0.0);
                continue;
            }
            ++flows;
            CHECK(std::abs(got / want - 1.0) < 0.001);
        }
    CHECK(flows >= 6);
    bool moved = false;
    for (std::size_t o = 0; o < s.offers.size(); ++o)
        moved = moved ||
                std::abs(eq.current.offers[o].price / eq.baseline.offers[o].price - 1.0) > 0.01;
    CHECK(moved);
    CHECK(eq.warnings.empty());
    return settled;
}

}  // namespace

TEST_CASE("V4: three regions with asymmetric tariffs settle at the equilibrium",
          "[equilibrium][validation][V4]") {
    test::ScenarioBuilder b(2000);
    const auto west = b.country("XWE");
    const auto east = b.country("XEA");
    const auto south = b.country("XSO");
    const auto chip = b.product("accel");
    const auto w_sup = b.supplier("west-chips", west, 0.05);
    const auto e_sup = b.supplier("east-chips", east, 0.05);
    const auto s_sup = b.supplier("south-chips", south, 0.05);
    b.offer(w_sup, chip, 20000.0, 50000.0, 6000.0, 1.0);
    b.offer(e_sup, chip, 17000.0, 40000.0, 5000.0, 1.0);
    b.offer(s_sup, chip, 21000.0, 20000.0, 7000.0, 1.5);
    b.buyer("west-buyers", west, 45000.0, 20000.0, 0.8, 4.0, {0.6, 0.3, 0.1});
    b.buyer("east-buyers", east, 40000.0, 18000.0, 0.8, 4.0, {0.45, 0.45, 0.1});
    b.buyer("south-buyers", south, 20000.0, 20000.0, 1.0, 4.0, {0.4, 0.3, 0.3});
    b.tariff("west-on-east", west, 0.25, {east});
    b.tariff("east-on-west", east, 0.15, {west});
    b.tariff("south-on-east", south, 0.05, {east});
    b.transport_delay(1);
    check_settles(b.scenario());
}

TEST_CASE(
    "V4: four regions with a hub, a control, an import restriction and fees settle at the "
    "equilibrium",
    "[equilibrium][validation][V4]") {
    test::ScenarioBuilder b(2000);
    const auto aaa = b.country("AAA");
    const auto bbb = b.country("BBB");
    const auto ccc = b.country("CCC");
    const auto hub = b.country("HUB");
    const auto big = b.product("big", 1.0);
    const auto small = b.product("small", 0.4);
    const auto clone = b.product("clone", 0.4);
    const auto a_sup = b.supplier("alpha", aaa, 0.04);
    const auto b_sup = b.supplier("beta", bbb, 0.04);
    const auto c_sup = b.supplier("gamma", ccc, 0.0);  // a fringe at a fixed price
    b.offer(a_sup, big, 25000.0, 30000.0, 4000.0, 0.5);
    b.offer(a_sup, small, 9000.0, 40000.0, 2000.0, 1.0);
    b.offer(b_sup, big, 22000.0, 20000.0, 5000.0, 2.0);
    b.offer(c_sup, clone, 11000.0);
    b.buyer("a-buyers", aaa, 30000.0, 25000.0, 0.6, 3.0);
    b.buyer("b-buyers", bbb, 20000.0, 24000.0, 0.9, 3.0);
    b.buyer("c-buyers", ccc, 25000.0, 26000.0, 0.7, 2.5);
    b.buyer("hub-buyers", hub, 6000.0, 25000.0, 1.2, 5.0);
    b.route(hub, 0.08, 1);
    // AAA bans exports to CCC (re-exports not covered): CCC buys AAA's chips through the hub.
    b.control("aaa-ccc", aaa, {ccc}, -1.0, 0, true, false);
    b.tariff("ccc-on-bbb", ccc, 0.20, {bbb});
    b.tariff("bbb-on-aaa", bbb, 0.10, {aaa});
    // Half of BBB's buyers comply with a restriction on CCC's clone chips.
    const auto restr = b.policy("bbb-avoids-clones", model::PolicyType::import_restriction, bbb);
    b.policy_ref(restr).products = {};
    b.policy_ref(restr).products.ids = {clone};
    b.policy_ref(restr).compliance = 0.5;
    // AAA charges a 5% export fee on shipments to BBB (paid by the supplier).
    const auto fee = b.policy("aaa-fee", model::PolicyType::export_fee, aaa, {bbb});
    b.policy_ref(fee).rate = 0.05;
    // Shipments to the hub need a licence, always granted after one tick.
    b.control("aaa-hub-licence", aaa, {hub}, 1.0, 1, true, false);
    b.finish();
    const auto settled = check_settles(b.scenario());
    // The world exercises licensed shipments (to and through the hub) and direct ones.
    CHECK(settled.channels.count(engine::Channel::licensed) == 1);
    CHECK(settled.channels.count(engine::Channel::direct) == 1);
}

TEST_CASE(
    "Exact converges to linear in a multi-region world with tariffs, licences and import "
    "restrictions",
    "[equilibrium][validation][V4]") {
    // Every kind of static shock, scaled by k: tariffs (cost wedges), a licence with approval
    // 1 − k/2 (cost wedge and granted share), an import restriction with compliance k/2 (taste
    // weight); one buyer is Cobb–Douglas (σ = 1).
    auto world = [](double k) {
        test::ScenarioBuilder b(1);
        const auto west = b.country("XWE");
        const auto east = b.country("XEA");
        const auto south = b.country("XSO");
        const auto chip = b.product("accel");
        b.offer(b.supplier("west-chips", west, 0.05), chip, 20000.0, 50000.0, 6000.0, 1.0);
        b.offer(b.supplier("east-chips", east, 0.05), chip, 17000.0, 40000.0, 5000.0, 1.0);
        b.offer(b.supplier("south-chips", south, 0.05), chip, 21000.0, 20000.0, 7000.0, 1.5);
        b.buyer("west-buyers", west, 45000.0, 20000.0, 0.8, 4.0, {0.6, 0.3, 0.1});
        b.buyer("east-buyers", east, 40000.0, 18000.0, 0.8, 1.0, {0.45, 0.45, 0.1});
        b.buyer("south-buyers", south, 20000.0, 20000.0, 1.0, 2.5, {0.4, 0.3, 0.3});
        b.tariff("west-on-east", west, 0.25 * k, {east});
        b.tariff("east-on-west", east, 0.15 * k, {west});
        b.control("west-licence-south", west, {south}, 1.0 - 0.5 * k);
        const auto restr =
            b.policy("east-avoids-south", model::PolicyType::import_restriction, east);
        b.policy_ref(restr).origins = {};
        b.policy_ref(restr).origins.countries = {south};
        b.policy_ref(restr).compliance = 0.5 * k;
        return b.scenario();
    };
    std::vector<double> previous(3, 1.0);
    for (double k : {0.1, 0.01, 0.001}) {
        CAPTURE(k);
        const auto s = world(k);
        EquilibriumOptions exact_opt, linear_opt;
        linear_opt.linear = true;
        const auto exact = analysis::solve_equilibrium(s, exact_opt);
        const auto linear = analysis::solve_equilibrium(s, linear_opt);
        for (std::size_t o = 0; o < 3; ++o) {
            const double de = exact.current.offers[o].price / exact.baseline.offers[o].price - 1.0;
            const double dl =
                linear.current.offers[o].price / linear.baseline.offers[o].price - 1.0;
            const double error = std::abs(de / dl - 1.0);
            CAPTURE(o, de, dl, error);
            CHECK(std::abs(dl) > 1e-3 * k);  // the shock moves every price
            CHECK(error < previous[o]);
            if (k == 0.001) CHECK(error < 0.01);
            previous[o] = error;
        }
        for (std::size_t c = 0; c < 3; ++c) {
            const double de = exact.current.countries[c].imports_units /
                                  exact.baseline.countries[c].imports_units -
                              1.0;
            const double dl = linear.current.countries[c].imports_units /
                                  linear.baseline.countries[c].imports_units -
                              1.0;
            CAPTURE(c, de, dl);
            CHECK(std::abs(de - dl) < 20.0 * k * k + 1e-9);  // the difference is second order
        }
    }
}

TEST_CASE("Flows beyond a hub's capacity or a quota are reported as warnings", "[equilibrium]") {
    test::ScenarioBuilder b(12);
    const auto dst = b.country("DST");
    const auto org = b.country("ORG");
    const auto hub = b.country("HUB");
    const auto good = b.product("good");
    b.offer(b.supplier("maker", org), good, 100.0);
    b.buyer("buyer", dst, 50.0, 100.0, 0.5, 2.0);
    b.route(hub, 0.06, 0, 10.0);  // 10 units per tick through the hub
    b.control("ban", org, {dst}, -1.0, 0, true, false);
    SECTION("hub capacity") {
        const auto r = analysis::solve_equilibrium(b.scenario(), {});
        REQUIRE(r.warnings.size() == 1);
        CHECK_THAT(r.warnings[0], Catch::Contains("route through HUB"));
    }
    SECTION("quota per month") {
        b.scenario().routes[0].capacity = model::kUnlimited;
        const auto q = b.policy("cap", model::PolicyType::quota, org, {hub});
        b.policy_ref(q).cap = 30.0;
        b.policy_ref(q).period = model::QuotaPeriod::month;
        const auto r = analysis::solve_equilibrium(b.scenario(), {});
        REQUIRE(r.warnings.size() == 1);
        CHECK_THAT(r.warnings[0], Catch::Contains("quota 'cap'"));
        b.policy_ref(q).cap = 60.0;  // above the 50 per tick that flow
        CHECK(analysis::solve_equilibrium(b.scenario(), {}).warnings.empty());
    }
}

TEST_CASE("The solver applies an import gate by supplier to one class of buyers only",
          "[equilibrium]") {
    // Two buyers in one country with the V2 shares; a procurement mandate on the class of one of
    // them against the big source (by supplier) leaves the other buyer's choice as it was.
    V2World w(4.0);
    const auto other = w.b.buyer("other", w.home, 100.0, 1.0, 1.0, 4.0, {0.6, 0.1, 0.3});
    w.b.buyer_ref(w.buyer).groups = {"state-funded"};
    const auto gate = w.b.policy("mandate", model::PolicyType::import_restriction, w.home);
    auto& pol = w.b.policy_ref(gate);
    pol.products = model::ProductSelector{};
    pol.products.suppliers = {w.b.scenario().offers[ix(w.big)].supplier};
    pol.buyers = model::BuyerSelector{};
    pol.buyers->groups = {"state-funded"};
    const auto r = w.solve();
    // Fixed prices: the class loses the 0.6 source (P rises as in V2), the other buyer not.
    CHECK(r.current.buyers[ix(w.buyer)].price_index - 1.0 == Approx(0.357).margin(0.0005));
    CHECK(r.current.buyers[ix(other)].price_index == Approx(1.0).epsilon(1e-12));
    CHECK(r.current.offers[ix(w.big)].orders == Approx(60.0).epsilon(1e-9));
}

TEST_CASE("Capacity pools are left out of the equilibrium with a warning", "[equilibrium]") {
    test::ScenarioBuilder b(12);
    const auto dst = b.country("DST");
    const auto good = b.product("good");
    const auto maker = b.supplier("maker", b.country("ORG"));
    b.offer(maker, good, 100.0, 80.0);
    b.buyer("buyer", dst, 50.0, 100.0, 0.5, 2.0);
    CHECK(analysis::solve_equilibrium(b.scenario(), {}).warnings.empty());
    b.scenario().suppliers[0].pools.push_back({"line", 40.0, {}});
    b.scenario().offers[0].uses.push_back({0, 1.0});
    const auto r = analysis::solve_equilibrium(b.scenario(), {});
    REQUIRE(r.warnings.size() == 1);
    CHECK_THAT(r.warnings[0], Catch::Contains("supplier 'maker' has capacity pools"));
    CHECK(r.current.offers.at(0).orders == Approx(50.0));  // the pool of 40 does not bind it
}
