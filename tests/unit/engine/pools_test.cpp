// Shared capacity pools (issue 16, item 2): offers of one supplier draw on a pool with per-unit
// coefficients; the supplier grants a binding pool by margin per unit of pool, so an export
// control cannot raise its output and a China-specific part does not add capacity.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/pools.hpp"
#include "engine/simulation.hpp"
#include "scenario_builder.hpp"

using namespace ts;
using engine::ix;

namespace {

struct Params {
    double pool = 1000.0;
    double flagship_price = 25000.0;
    double us_demand = 600.0, cn_demand = 600.0;
    bool control = true;
    double approval = -1.0;  // < 0: a prohibition; else a licence granted with this probability
    bool china_part = true;
    bool uses = true;  // the offers draw on the pool (false: the same world without it)
    double price_adjustment = 0.0;
    double eta = 1.0;  // price elasticity of the buyers' demand
    std::uint64_t seed = 1;
};

struct World {
    model::Scenario s;
    model::Index supplier, flagship, china_part = model::kNone;
};

/// One supplier with a flagship (higher margin per unit of pool) and, optionally, a part only
/// Chinese buyers want; a US control on the flagship to China from tick 3.
World pooled_world(const Params& p) {
    test::ScenarioBuilder b(12);
    const auto usa = b.country("USA");
    const auto twn = b.country("TWN");
    const auto chn = b.country("CHN");
    const auto h100 = b.product("H100", 1.0, 15832.0);
    const auto h20 = b.product("H20", 0.3, 2368.0);
    World w;
    w.supplier = b.supplier("nvidia", twn, p.price_adjustment);
    b.scenario().suppliers[0].jurisdiction = usa;
    w.flagship = b.offer(w.supplier, h100, p.flagship_price, 800.0, 5000.0);
    if (p.china_part) w.china_part = b.offer(w.supplier, h20, 12000.0, 600.0, 4000.0);
    if (p.uses) {
        b.scenario().suppliers[0].pools.push_back({"cowos", p.pool, {}});
        for (auto& off : b.scenario().offers) off.uses.push_back({0, 1.0});
    }
    const double n = p.china_part ? 2.0 : 1.0;
    b.buyer("us-cloud", usa, p.us_demand, 25000.0, p.eta, 2.0, {1.0, 0.0});
    b.buyer("cn-cloud", chn, p.cn_demand, 25000.0, p.eta, 2.0, {1.0 / n, 1.0 / n});
    if (p.control) {
        const auto c = b.control("us-control", usa, {chn}, p.approval, 1, true, true, 3);
        auto& sel = b.policy_ref(c).products;
        sel = model::ProductSelector{};
        sel.tpp_min = 4800.0;
    }
    b.finish();
    w.s = b.scenario();
    w.s.seed = p.seed;
    return w;
}

std::vector<engine::TickRecord> run(const model::Scenario& s) {
    engine::RunConfig cfg;
    cfg.check_invariants = true;  // includes: no pool is overdrawn
    engine::Simulation sim(s, cfg);
    test::CapturingRecorder rec;
    sim.run(rec);
    return rec.ticks;
}

double revenue(const std::vector<engine::TickRecord>& ticks, model::Index supplier) {
    double r = 0.0;
    for (const auto& t : ticks)
        for (const auto& x : t.revenue)
            if (x.supplier == supplier) r += x.revenue_usd;
    return r;
}

bool ever_binds(const std::vector<engine::TickRecord>& ticks) {
    for (const auto& t : ticks)
        for (const auto& p : t.pools)
            if (p.binding) return true;
    return false;
}

double produced(const engine::TickRecord& t) {
    double q = 0.0;
    for (const auto& m : t.markets) q += m.produced;
    return q;
}

}  // namespace

TEST_CASE("binding pool: removing the export control never lowers the supplier's revenue",
          "[pools]") {
    // At given prices (the margin rule's premise: the supplier allocates the pool at this
    // tick's prices). With adjusting prices a control that crowds Chinese demand onto the
    // pool's low-compute part can raise the pool's scarcity rent (docs/model.md).
    int binding_cases = 0;
    for (double price : {20000.0, 25000.0, 32000.0})
        for (double cn : {400.0, 600.0, 1200.0})
            for (double approval : {-1.0, 0.5})
                for (double eta : {0.0, 1.0})
                    for (std::uint64_t seed : {1u, 7u}) {
                        Params p;
                        p.flagship_price = price;
                        p.cn_demand = cn;
                        p.approval = approval;
                        p.eta = eta;
                        p.seed = seed;
                        CAPTURE(price, cn, approval, eta, seed);
                        const World controlled = pooled_world(p);
                        p.control = false;
                        const World open = pooled_world(p);
                        const auto with = run(controlled.s);
                        if (ever_binds(with)) ++binding_cases;
                        CHECK(revenue(run(open.s), open.supplier) >=
                              revenue(with, controlled.supplier) * (1.0 - 1e-12));
                    }
    CHECK(binding_cases >= 36);  // the property is tested where the pool binds
}

TEST_CASE("a China-specific offer drawing on the pool does not add capacity", "[pools]") {
    Params p;
    p.china_part = false;
    const auto flagship_only = run(pooled_world(p).s);
    p.china_part = true;
    const auto with_part = run(pooled_world(p).s);
    CHECK(ever_binds(with_part));
    for (std::size_t t = 0; t < with_part.size(); ++t) {
        CAPTURE(t);
        CHECK(produced(with_part[t]) <= p.pool * (1.0 + 1e-12));
        CHECK(produced(flagship_only[t]) <= p.pool * (1.0 + 1e-12));
        CHECK(with_part[t].pools.at(0).used <= p.pool * (1.0 + 1e-12));
    }
    // Without the pool the same part adds its own capacity on top of the flagship's.
    p.uses = false;
    const auto unpooled = run(pooled_world(p).s);
    CHECK(produced(unpooled.back()) > p.pool * 1.1);
}

TEST_CASE("design-around variants draw on their original's pool", "[pools]") {
    Params p;
    p.china_part = false;
    World w = pooled_world(p);
    w.s.suppliers[0].design_around = model::DesignAround{0, 0.05};
    engine::RunConfig cfg;
    cfg.check_invariants = true;
    engine::Simulation sim(w.s, cfg);
    test::CapturingRecorder rec;
    sim.run(rec);
    REQUIRE(sim.world().offers.size() == 2);  // the flagship and its variant under the control
    REQUIRE(sim.world().offers[1].uses.size() == 1);
    CHECK(sim.world().offers[1].uses[0].pool == 0);
    CHECK(rec.ticks.back().markets.at(1).produced > 0.0);  // the variant sells
    for (const auto& t : rec.ticks) CHECK(produced(t) <= p.pool * (1.0 + 1e-12));
}

TEST_CASE("a pool that never binds leaves every output as without it", "[pools]") {
    for (double adjustment : {0.0, 0.1}) {
        CAPTURE(adjustment);
        Params p;
        p.pool = 1400.0;  // the offers' own capacities: 800 + 600
        p.cn_demand = 1500.0;
        p.price_adjustment = adjustment;
        const auto pooled = run(pooled_world(p).s);
        p.uses = false;
        const auto plain = run(pooled_world(p).s);
        CHECK_FALSE(ever_binds(pooled));
        REQUIRE(pooled.size() == plain.size());
        for (std::size_t t = 0; t < plain.size(); ++t) {
            CAPTURE(t);
            REQUIRE(pooled[t].markets.size() == plain[t].markets.size());
            for (std::size_t o = 0; o < plain[t].markets.size(); ++o) {
                const auto &a = pooled[t].markets[o], &b = plain[t].markets[o];
                CHECK(a.price == b.price);
                CHECK(a.capacity == b.capacity);
                CHECK(a.produced == b.produced);
                CHECK(a.orders == b.orders);
                CHECK(a.shipped == b.shipped);
                CHECK(a.stock == b.stock);
            }
            REQUIRE(pooled[t].flows.size() == plain[t].flows.size());
            for (std::size_t f = 0; f < plain[t].flows.size(); ++f)
                CHECK(pooled[t].flows[f].units == plain[t].flows[f].units);
            CHECK(pooled[t].events.size() == plain[t].events.size());
        }
    }
}

TEST_CASE("a binding pool is granted by margin per unit of pool, ties by offer order", "[pools]") {
    test::ScenarioBuilder b(1);
    const auto usa = b.country("USA");
    const auto sup = b.supplier("s", usa);
    // Margins per unit of pool: x 10, y (30 − 0)/2 = 15, z 5, v 10 (ties x: x first).
    const auto x = b.offer(sup, b.product("X"), 10.0);
    const auto y = b.offer(sup, b.product("Y"), 30.0, 40.0);
    const auto z = b.offer(sup, b.product("Z"), 5.0);
    const auto v = b.offer(sup, b.product("V"), 12.0, model::kUnlimited, 2.0);
    b.scenario().suppliers[0].pools.push_back({"line", 100.0, {}});
    for (auto o : {x, z, v})
        b.scenario().offers[static_cast<std::size_t>(o)].uses.push_back({0, 1.0});
    b.scenario().offers[static_cast<std::size_t>(y)].uses.push_back({0, 2.0});
    b.finish();
    const auto& s = b.scenario();
    engine::PoolState pools = engine::make_pools(s);
    engine::OfferState offers;
    const std::size_t n = s.offers.size();
    offers.charged_price = {10.0, 30.0, 5.0, 12.0};
    offers.capacity = {engine::kInf, 40.0, engine::kInf, engine::kInf};
    offers.base_capacity = offers.capacity;
    REQUIRE(n == 4);

    SECTION("demand above the pool: served in margin order up to what each can sell") {
        pools.signal = {10.0, 50.0, 30.0, 30.0};
        engine::allocate_pools(s, pools, offers);
        CHECK(offers.capacity[ix(y)] == 40.0);  // first: its own capacity, 80 of the pool
        CHECK(offers.capacity[ix(x)] == 10.0);  // tie with v at 10: x comes first in the file
        CHECK(offers.capacity[ix(v)] == 10.0);  // what is left
        CHECK(offers.capacity[ix(z)] == 0.0);
        CHECK(offers.base_capacity[ix(v)] == 10.0);
        CHECK(pools.binding[0] == 1);
        CHECK(pools.demand[0] == Approx(150.0));
        CHECK(pools.granted[0] == Approx(100.0));
    }
    SECTION("demand within the pool: each gets its demand, the rest goes by margin") {
        pools.signal = {5.0, 10.0, 5.0, 5.0};
        engine::allocate_pools(s, pools, offers);
        CHECK(offers.capacity[ix(y)] == 40.0);       // 10 + 30 of the spare: its own capacity
        CHECK(offers.capacity[ix(x)] == 5.0 + 5.0);  // the rest of the spare, next in order
        CHECK(offers.capacity[ix(v)] == 5.0);
        CHECK(offers.capacity[ix(z)] == 5.0);
        CHECK(pools.binding[0] == 0);
        CHECK(pools.granted[0] == Approx(100.0));
    }
}

TEST_CASE("an offer in two pools takes the smaller grant", "[pools]") {
    test::ScenarioBuilder b(1);
    const auto sup = b.supplier("s", b.country("USA"));
    const auto x = b.offer(sup, b.product("X"), 10.0);
    const auto y = b.offer(sup, b.product("Y"), 20.0);
    auto& pools_in = b.scenario().suppliers[0].pools;
    pools_in.push_back({"wafer", 100.0, {}});
    pools_in.push_back({"hbm", 60.0, {}});
    b.scenario().offers[ix(x)].uses = {{0, 1.0}};
    b.scenario().offers[ix(y)].uses = {{0, 1.0}, {1, 1.0}};
    b.finish();
    const auto& s = b.scenario();
    engine::PoolState pools = engine::make_pools(s);
    engine::OfferState offers;
    offers.charged_price = {10.0, 20.0};
    offers.capacity = {engine::kInf, engine::kInf};
    offers.base_capacity = offers.capacity;
    pools.signal = {100.0, 100.0};
    engine::allocate_pools(s, pools, offers);
    CHECK(offers.capacity[ix(y)] == 60.0);    // wafer granted 100, hbm only 60
    CHECK(offers.capacity[ix(x)] == 0.0);     // wafer was exhausted by y's first grant
    CHECK(pools.granted[0] == Approx(60.0));  // what the offers can actually use of it
    CHECK(pools.granted[1] == Approx(60.0));
}

TEST_CASE("pooled runs are deterministic and report when the pool starts to bind", "[pools]") {
    Params p;
    p.approval = 0.5;
    p.price_adjustment = 0.1;
    const auto a = run(pooled_world(p).s);
    const auto c = run(pooled_world(p).s);
    REQUIRE(a.size() == c.size());
    int binding_events = 0;
    for (std::size_t t = 0; t < a.size(); ++t) {
        REQUIRE(a[t].pools.size() == 1);
        CHECK(a[t].pools[0].used == c[t].pools[0].used);
        CHECK(a[t].pools[0].granted == c[t].pools[0].granted);
        for (std::size_t o = 0; o < a[t].markets.size(); ++o)
            CHECK(a[t].markets[o].produced == c[t].markets[o].produced);
        for (const auto& e : a[t].events)
            if (e.event == engine::EventKind::capacity && e.id == "cowos") ++binding_events;
    }
    CHECK(ever_binds(a));
    CHECK(binding_events >= 1);
    CHECK(binding_events <= 2);  // once per spell of binding, not every tick
}
