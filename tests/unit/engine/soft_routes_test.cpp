// Soft capacity of routes and remote compute (issue 16, item 3): a hub route's or a remote
// channel's markup, and a route's detection, rise with the volume through it, so diverted and
// rented volumes respond smoothly to bans, enforcement, demand and prices, with no value at
// which they are pinned.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/simulation.hpp"
#include "market/route_cost.hpp"
#include "scenario_builder.hpp"

using namespace ts;
using engine::Channel;

namespace {

constexpr int kTicks = 60;
constexpr int kBanFrom = 3;

struct World {
    bool ban = true;
    double demand = 1000.0;
    double markup_doubles_at = 1000.0;
    double detection = 0.1;
    double detection_doubles_at = model::kUnlimited;
};

/// China buys a US chip (cheap) and a domestic one (dear); from tick 3 the USA bans the US
/// chip to China, and a risk-tolerant Chinese buyer can smuggle it through Singapore.
model::Scenario hub_world(const World& w) {
    test::ScenarioBuilder b(kTicks);
    const auto usa = b.country("USA");
    const auto chn = b.country("CHN");
    const auto sgp = b.country("SGP");
    const auto us_chip = b.product("US", 1.0);
    const auto cn_chip = b.product("CN", 1.0);
    b.offer(b.supplier("us", usa), us_chip, 100.0);
    b.offer(b.supplier("cn", chn), cn_chip, 150.0);
    const auto cn = b.buyer("cn-cloud", chn, w.demand, 100.0, 1.0, 3.0);
    b.buyer_ref(cn).risk_tolerance = 0.5;
    const auto r = b.route(sgp, 0.2, 1, model::kUnlimited, w.detection);
    auto& route = b.scenario().routes[static_cast<std::size_t>(r)];
    route.markup_doubles_at = w.markup_doubles_at;
    route.detection_doubles_at = w.detection_doubles_at;
    if (w.ban) b.control("ban", usa, {chn}, -1.0, 0, true, true, kBanFrom);
    b.finish();
    return b.scenario();
}

test::CapturingRecorder run(const model::Scenario& s) {
    engine::RunConfig cfg;
    cfg.check_invariants = true;
    engine::Simulation sim(s, cfg);
    test::CapturingRecorder rec;
    sim.run(rec);
    return rec;
}

double channel_units(const engine::TickRecord& t, Channel c) {
    double u = 0.0;
    for (const auto& f : t.flows)
        if (f.channel == c) u += f.units;
    return u;
}

/// Diverted units in the last tick, after checking that the volume has settled.
double settled_diversion(const World& w) {
    const auto rec = run(hub_world(w));
    const double last = channel_units(rec.ticks.back(), Channel::diverted);
    const double before = channel_units(rec.ticks[kTicks - 2], Channel::diverted);
    CHECK(last == Approx(before).epsilon(1e-6));
    return last;
}

}  // namespace

TEST_CASE("soft markup: linear inverse supply of intermediation, doubling at V", "[soft]") {
    CHECK(market::soft_markup(0.2, 0.0, 1000.0) == 0.2);
    CHECK(market::soft_markup(0.2, 1000.0, 1000.0) == Approx(0.4));
    CHECK(market::soft_markup(0.2, 2500.0, 1000.0) == Approx(0.7));
    // No doubling volume: the constant markup, exactly.
    CHECK(market::soft_markup(0.2, 1e6, model::kUnlimited) == 0.2);
}

TEST_CASE("soft detection: the odds double at V, detection stays in [0, 1)", "[soft]") {
    CHECK(market::soft_detection(0.1, 0.0, 500.0) == Approx(0.1));
    const double d = market::soft_detection(0.1, 500.0, 500.0);
    CHECK(d / (1.0 - d) == Approx(2.0 * 0.1 / 0.9));
    double prev = 0.1;
    for (double v : {100.0, 1e3, 1e5, 1e9}) {
        const double dv = market::soft_detection(0.1, v, 500.0);
        CHECK(dv > prev);
        CHECK(dv < 1.0);
        prev = dv;
    }
    CHECK(market::soft_detection(0.0, 1e6, 500.0) == 0.0);  // nothing to scale
    CHECK(market::soft_detection(1.0, 1e6, 500.0) == 1.0);
    CHECK(market::soft_detection(0.3, 1e6, model::kUnlimited) == 0.3);
}

TEST_CASE("diversion through a soft hub rises when the legal product is banned", "[soft]") {
    const auto free = run(hub_world({.ban = false}));
    const auto banned = run(hub_world({}));
    for (int t = 0; t < kTicks; ++t) {
        CAPTURE(t);
        CHECK(channel_units(free.ticks[static_cast<std::size_t>(t)], Channel::diverted) == 0.0);
        const double d =
            channel_units(banned.ticks[static_cast<std::size_t>(t)], Channel::diverted);
        if (t < kBanFrom) CHECK(d == 0.0);
        if (t >= kBanFrom) CHECK(d > 0.0);
    }
    // The markup buyers face rises with the volume and settles where the volume it is priced
    // at is the volume that flows (the fixed point markup(v) = markup at the demand for v).
    const auto& last = banned.ticks.back().soft_routes;
    REQUIRE(last.size() == 1);
    CHECK(last[0].priced == Approx(last[0].volume).epsilon(1e-6));
    CHECK(last[0].markup == Approx(0.2 * (1.0 + last[0].priced / 1000.0)));
    CHECK(last[0].markup > 0.2);
}

TEST_CASE("diversion through a soft hub falls when detection rises (enforcement)", "[soft]") {
    double prev = settled_diversion({.detection = 0.02});
    for (double d : {0.05, 0.1, 0.2, 0.4}) {
        CAPTURE(d);
        const double v = settled_diversion({.detection = d});
        CHECK(v < prev);
        CHECK(v > 0.0);
        prev = v;
    }
    // Detection that rises with volume lowers diversion further, and each tick's recorded
    // detection is the odds-scaled one at the priced volume.
    const World soft_detection{.detection_doubles_at = 300.0};
    CHECK(settled_diversion(soft_detection) < settled_diversion({}));
    const auto rec = run(hub_world(soft_detection));
    const auto& r = rec.ticks.back().soft_routes.at(0);
    CHECK(r.detection == Approx(market::soft_detection(0.1, r.priced, 300.0)));
    CHECK(r.detection > 0.1);
}

TEST_CASE("diversion through a soft hub moves continuously: no volume is pinned", "[soft]") {
    // With demand and with the doubling volume the settled diversion changes smoothly and
    // strictly: no cap binds at an exact value.
    double prev = 0.0;
    for (double demand : {800.0, 900.0, 1000.0, 1100.0, 1200.0}) {
        const double v = settled_diversion({.demand = demand});
        CHECK(v > prev);
        CHECK(v < demand);
        prev = v;
    }
    prev = 0.0;
    std::vector<double> volumes;
    for (double big_v : {250.0, 500.0, 1000.0, 2000.0, 4000.0}) {
        const double v = settled_diversion({.markup_doubles_at = big_v});
        CHECK(v > prev);
        volumes.push_back(v);
        prev = v;
    }
    // Less than proportional to the doubling volume: the volume is not V times a constant.
    CHECK(volumes[1] / volumes[0] < 2.0);
    CHECK(volumes[4] / volumes[3] < volumes[1] / volumes[0]);
}

TEST_CASE("soft routes settle without oscillating even when buyers substitute strongly", "[soft]") {
    // σ = 30: a small markup change moves orders a lot, the cobweb of last tick's volume
    // alone would cycle; the adaptive smoothing damps it.
    auto s = hub_world({.markup_doubles_at = 100.0});
    for (auto& b : s.buyers) b.substitution = 30.0;
    const auto rec = run(s);
    const double last = channel_units(rec.ticks.back(), Channel::diverted);
    CHECK(last > 0.0);
    for (int t = kTicks - 10; t < kTicks; ++t)
        CHECK(channel_units(rec.ticks[static_cast<std::size_t>(t)], Channel::diverted) ==
              Approx(last).epsilon(1e-4));
}

TEST_CASE("a soft remote channel: the markup rises with the buyer's remote compute", "[soft]") {
    auto world = [](double doubles_at) {
        test::ScenarioBuilder b(kTicks);
        const auto usa = b.country("USA");
        const auto chn = b.country("CHN");
        const auto mys = b.country("MYS");
        const auto gpu = b.product("GPU", 1.0, 15832.0);
        const auto cn_chip = b.product("CN", 1.0);
        b.offer(b.supplier("nv", usa), gpu, 100.0);
        b.offer(b.supplier("cn", chn), cn_chip, 150.0);
        const auto cn = b.buyer("cn-lab", chn, 1000.0, 100.0, 1.0, 3.0);
        b.buyer_ref(cn).remote = model::Remote{{mys}, 0.3, model::kUnlimited, doubles_at};
        b.control("ban", usa, {chn});
        b.finish();
        return run(b.scenario());
    };
    double prev = 0.0;
    for (double big_v : {200.0, 400.0, 800.0}) {
        const auto rec = world(big_v);
        const auto& r = rec.ticks.back().soft_routes.at(0);
        CHECK(r.buyer == 0);
        const double remote = channel_units(rec.ticks.back(), Channel::remote);
        CHECK(r.volume == Approx(remote));
        CHECK(r.priced == Approx(remote).epsilon(1e-6));
        CHECK(r.markup == Approx(0.3 * (1.0 + r.priced / big_v)));
        CHECK(remote > prev);
        prev = remote;
    }
    // A constant markup rents more than any soft one.
    CHECK(channel_units(world(model::kUnlimited).ticks.back(), Channel::remote) > prev);
}

TEST_CASE("without soft keys nothing changes; a doubling volume beyond reach is the old rule",
          "[soft]") {
    const auto hard = run(hub_world({.markup_doubles_at = model::kUnlimited}));
    for (const auto& t : hard.ticks) CHECK(t.soft_routes.empty());
    // markup·(1 + v/1e300) is the markup exactly: the soft path (markups from the soft state,
    // smoothing, records) gives the flows of the constant-markup world bit for bit.
    const auto far = run(hub_world({.markup_doubles_at = 1e300}));
    REQUIRE(far.ticks.size() == hard.ticks.size());
    for (std::size_t t = 0; t < hard.ticks.size(); ++t) {
        CHECK_FALSE(far.ticks[t].soft_routes.empty());
        REQUIRE(far.ticks[t].flows.size() == hard.ticks[t].flows.size());
        for (std::size_t i = 0; i < hard.ticks[t].flows.size(); ++i) {
            CHECK(far.ticks[t].flows[i].units == hard.ticks[t].flows[i].units);
            CHECK(far.ticks[t].flows[i].seized_units == hard.ticks[t].flows[i].seized_units);
        }
    }
}

TEST_CASE("a soft route keeps a hard capacity when both are given", "[soft]") {
    auto s = hub_world({.markup_doubles_at = 5000.0});
    s.routes[0].capacity = 100.0;
    const auto rec = run(s);
    for (const auto& t : rec.ticks) CHECK(channel_units(t, Channel::diverted) <= 100.0 + 1e-9);
    CHECK(channel_units(rec.ticks.back(), Channel::diverted) == Approx(100.0));
}
