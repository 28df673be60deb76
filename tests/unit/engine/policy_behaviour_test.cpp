// Policies, rerouting and enforcement in the running engine (issue 3): rerouting through hubs
// (V3 as rerouting), diversion and seizures, licences, quotas, fees, stockpiling, reactions,
// design-around, and the monotone responses of docs/validation.md.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/random.hpp"
#include "engine/simulation.hpp"
#include "scenario_builder.hpp"

using namespace ts;
using engine::Channel;

namespace {

test::CapturingRecorder run(const model::Scenario& s, int run_index = 0) {
    engine::RunConfig cfg;
    cfg.check_invariants = true;
    cfg.run = run_index;
    engine::Simulation sim(s, cfg);
    test::CapturingRecorder rec;
    sim.run(rec);
    return rec;
}

struct Totals {
    double units = 0, compute = 0, seized = 0;
};
template <class Pred>
Totals total(const test::CapturingRecorder& r, Pred pred, int from = 0, int to = 1 << 30) {
    Totals t;
    for (const auto& tick : r.ticks) {
        if (tick.tick < from || tick.tick >= to) continue;
        for (const auto& f : tick.flows)
            if (pred(f)) {
                t.units += f.units;
                t.compute += f.compute;
                t.seized += f.seized_units;
            }
    }
    return t;
}

/// USA designs chips; one supplier ships from the USA, one (US jurisdiction) from Taiwan; a
/// Chinese domestic supplier; buyers in China and a hub route through Singapore.
struct ChipWorld {
    test::ScenarioBuilder b;
    model::Index usa, twn, chn, sgp, gpu, domestic_chip, us_o, tw_o, cn_o, cn_buyer, hub;
    explicit ChipWorld(int ticks = 6, double risk_tolerance = 0.0) : b(ticks) {
        usa = b.country("USA");
        twn = b.country("TWN");
        chn = b.country("CHN");
        sgp = b.country("SGP");
        gpu = b.product("GPU", 1.0, 15832.0);
        domestic_chip = b.product("ASCEND", 0.6, 5000.0);
        us_o = b.offer(b.supplier("us-fab", usa), gpu, 100.0, 1000.0);
        const auto tw = b.supplier("tw-fab", twn);
        b.scenario().suppliers[static_cast<std::size_t>(tw)].jurisdiction = usa;
        tw_o = b.offer(tw, gpu, 100.0, 1000.0);
        cn_o = b.offer(b.supplier("cn-fab", chn), domestic_chip, 80.0, 1000.0);
        cn_buyer = b.buyer("cn-cloud", chn, 300.0, 100.0, 0.5, 3.0);
        b.buyer_ref(cn_buyer).risk_tolerance = risk_tolerance;
        hub = b.route(sgp, 0.05, 1);
    }
    bool to_china(const engine::FlowRecord& f) const { return f.destination == chn; }
};

}  // namespace

TEST_CASE(
    "V3 as rerouting: a control on the direct route moves flows to a legal hub; closing the hub "
    "stops them",
    "[policy][rerouting]") {
    ChipWorld w;
    const auto free_trade = run(w.b.scenario());
    // The USA bans exports (not re-exports) to China: US-made goods go through Singapore,
    // where they are legally re-exported; Taiwan-made goods are untouched.
    const auto ban = w.b.control("ban", w.usa, {w.chn}, -1.0, 0, true, false);
    const auto rerouted = run(w.b.scenario());
    const auto us_direct = [&](const engine::FlowRecord& f) {
        return f.offer == w.us_o && f.via == model::kNone;
    };
    const auto us_via_hub = [&](const engine::FlowRecord& f) {
        return f.offer == w.us_o && f.via == w.sgp;
    };
    CHECK(total(free_trade, us_via_hub).units == 0.0);
    CHECK(total(free_trade, us_direct).units > 0.0);
    CHECK(total(rerouted, us_direct).units == 0.0);
    CHECK(total(rerouted, us_via_hub).units > 0.0);
    for (const auto& t : rerouted.ticks)
        for (const auto& f : t.flows)
            if (f.offer == w.us_o) CHECK(f.channel == Channel::transshipped);
    // The hub's markup makes US goods dearer: fewer of them than under free trade.
    CHECK(total(rerouted, us_via_hub).units < total(free_trade, us_direct).units);

    // Close the hub too: US goods stop reaching China at all.
    w.b.policy_ref(ban).destinations.countries.push_back(w.sgp);
    const auto closed = run(w.b.scenario());
    CHECK(total(closed, [&](const engine::FlowRecord& f) { return f.offer == w.us_o; }).units ==
          0.0);
    CHECK(total(closed, [&](const engine::FlowRecord& f) { return f.offer == w.cn_o; }).units >
          total(rerouted, [&](const engine::FlowRecord& f) { return f.offer == w.cn_o; }).units);
}

TEST_CASE("a re-export ban makes the hub route diverted, used only by risk-tolerant buyers",
          "[policy][diversion]") {
    for (double rt : {0.0, 0.5}) {
        ChipWorld w(6, rt);
        w.b.control("ban", w.usa, {w.chn});  // exports and re-exports
        const auto r = run(w.b.scenario());
        const auto diverted =
            total(r, [&](const engine::FlowRecord& f) { return f.channel == Channel::diverted; });
        CAPTURE(rt);
        if (rt == 0.0) {
            CHECK(diverted.units == 0.0);
        } else {
            CHECK(diverted.units > 0.0);
            // Diverted sales are invoiced to the front buyer in the hub.
            bool billed_to_hub = false;
            for (const auto& t : r.ticks)
                for (const auto& rv : t.revenue)
                    if (rv.billing_country == w.sgp) billed_to_hub = true;
            CHECK(billed_to_hub);
            // No tariff or fee is paid on smuggled goods, and they arrive as diverted compute.
            double diverted_arrivals = 0.0;
            for (const auto& t : r.ticks)
                diverted_arrivals += t.countries[static_cast<std::size_t>(w.chn)].diverted_compute;
            CHECK(diverted_arrivals > 0.0);
        }
    }
}

TEST_CASE("the seized share of diverted shipments converges to the detection probability",
          "[policy][seizure]") {
    ChipWorld w(120, 2.0);
    w.b.scenario().routes[0].detection = 0.2;
    w.b.control("ban", w.usa, {w.chn});
    const auto r = run(w.b.scenario());
    const auto d =
        total(r, [&](const engine::FlowRecord& f) { return f.channel == Channel::diverted; });
    REQUIRE(d.units > 10000.0);
    // Each unit is seized independently with p = 0.2: the share's sd is sqrt(p(1-p)/n);
    // 5 sd bound (fractions of units add a little variance, well inside this bound).
    const double share = d.seized / d.units;
    CHECK(std::abs(share - 0.2) < 5.0 * std::sqrt(0.2 * 0.8 / d.units) + 0.002);
}

TEST_CASE(
    "licences: requests are decided after the delay and granted with the approval probability",
    "[policy][licence]") {
    ChipWorld w(60);
    w.b.control("licence", w.usa, {w.chn}, 0.5, 2);
    const auto r = run(w.b.scenario());
    const auto licensed = [&](const engine::FlowRecord& f) {
        return f.channel == Channel::licensed;
    };
    CHECK(total(r, licensed, 0, 2).units == 0.0);  // nothing decided before the delay
    CHECK(total(r, licensed, 2, 3).units > 0.0);
    CHECK(total(r, [&](const engine::FlowRecord& f) {
              return f.offer == w.us_o && f.channel == Channel::direct;
          }).units == 0.0);
    // Granted share ≈ approval: compare shipped licensed compute with the compute that was
    // requested (granted + the denied part, which shows up as unmet).
    double unmet = 0.0;
    for (const auto& t : r.ticks)
        unmet += t.countries[static_cast<std::size_t>(w.chn)].unmet_compute;
    const double granted = total(r, licensed).compute;
    const double share = granted / (granted + unmet);
    CHECK(share == Approx(0.5).margin(0.03));
}

TEST_CASE("quotas bind per destination and period and are shared pro rata among its buyers",
          "[policy][quota]") {
    test::ScenarioBuilder b(4);  // monthly ticks from January
    const auto usa = b.country("USA");
    const auto sgp = b.country("SGP");
    const auto gpu = b.product("GPU");
    const auto o = b.offer(b.supplier("us", usa), gpu, 1.0, 10000.0);
    const auto big = b.buyer("big", sgp, 150.0, 1.0, 0.0, 2.0);
    const auto small = b.buyer("small", sgp, 50.0, 1.0, 0.0, 2.0);
    const auto q = b.policy("cap", model::PolicyType::quota, usa, {sgp});
    b.policy_ref(q).cap = 100.0;
    b.policy_ref(q).period = model::QuotaPeriod::quarter;
    const auto r = run(b.scenario());
    CHECK(r.units(0, o, big) == Approx(75.0));
    CHECK(r.units(0, o, small) == Approx(25.0));
    CHECK(r.units(1, o, big) == 0.0);  // the quarter's cap is used up
    CHECK(r.units(2, o, small) == 0.0);
    CHECK(r.units(3, o, big) == Approx(75.0));  // April: a new quarter
    CHECK(r.ticks[0].countries[static_cast<std::size_t>(sgp)].unmet_compute == Approx(100.0));
}

TEST_CASE("export fees are paid by the supplier to the goods' jurisdiction", "[policy][fee]") {
    ChipWorld w(2);
    const auto fee = w.b.policy("fee", model::PolicyType::export_fee, w.usa, {w.chn});
    w.b.policy_ref(fee).rate = 0.15;
    const auto r = run(w.b.scenario());
    double value = 0.0, fees = 0.0;
    for (const auto& f : r.ticks[0].flows)
        if (f.supplier == 0 || f.supplier == 1) {
            value += f.value_usd;
            fees += f.fee_usd;
            CHECK(f.fee_usd == Approx(0.15 * f.value_usd));
        }
    CHECK(value > 0.0);
    CHECK(r.ticks[0].countries[static_cast<std::size_t>(w.usa)].fee_revenue_usd == Approx(fees));
    double revenue = 0.0;
    for (const auto& rv : r.ticks[0].revenue)
        if (rv.supplier == 0 || rv.supplier == 1) revenue += rv.revenue_usd;
    CHECK(revenue == Approx(value - fees));
}

TEST_CASE("buyers stockpile while a restriction is announced but not in force",
          "[policy][anticipation]") {
    ChipWorld base(8);
    const auto p = base.b.control("ban", base.usa, {base.chn}, -1.0, 0, true, true, 5);
    base.b.policy_ref(p).announced_tick = 2;
    base.b.buyer_ref(base.cn_buyer).anticipation = 1.0;
    const auto calm = run(base.b.scenario());
    base.b.buyer_ref(base.cn_buyer).anticipation = 1.5;
    const auto eager = run(base.b.scenario());
    const auto us_goods = [&](const engine::FlowRecord& f) {
        return f.offer == base.us_o || f.offer == base.tw_o;
    };
    CHECK(total(eager, us_goods, 0, 2).units == Approx(total(calm, us_goods, 0, 2).units));
    for (int t = 2; t < 5; ++t) {
        CAPTURE(t);
        CHECK(total(eager, us_goods, t, t + 1).units ==
              Approx(1.5 * total(calm, us_goods, t, t + 1).units));
    }
    CHECK(total(eager, us_goods, 5, 8).units == 0.0);
}

TEST_CASE(
    "a reaction fires exactly when its condition has held for N ticks, and takes force after its "
    "lag",
    "[policy][reaction]") {
    ChipWorld w(12, 0.5);
    w.b.control("ban", w.usa, {w.chn}, -1.0, 0, true, true, 3);  // diversion via SGP from tick 3
    model::Reaction rx;
    rx.id = "close-sgp";
    rx.by = w.usa;
    rx.metric = "diverted_units";
    rx.via = w.sgp;
    rx.above = 1.0;
    rx.for_ticks = 2;
    rx.lag_ticks = 2;
    rx.then.type = model::PolicyType::export_control;
    rx.then.products.all = true;
    rx.then.destinations.countries = {w.sgp};
    rx.then.covers_reexports = true;
    w.b.scenario().reactions.push_back(rx);
    const auto r = run(w.b.scenario());
    const auto via_sgp = [&](const engine::FlowRecord& f) {
        return f.channel == Channel::diverted && f.via == w.sgp;
    };
    // Diversion starts at tick 3; the condition holds at ticks 3 and 4: triggered at 4, in
    // force from 6; diversion through Singapore stops then.
    CHECK(total(r, via_sgp, 3, 4).units > 1.0);
    int triggered_at = -1, in_force_at = -1;
    for (const auto& t : r.ticks)
        for (const auto& e : t.events) {
            if (e.id == "close-sgp" && e.event == engine::EventKind::triggered)
                triggered_at = t.tick;
            if (e.id == "close-sgp" && e.event == engine::EventKind::in_force) in_force_at = t.tick;
        }
    CHECK(triggered_at == 4);
    CHECK(in_force_at == 6);
    CHECK(total(r, via_sgp, 6, 12).units == 0.0);
    CHECK(total(r, via_sgp, 4, 6).units > 0.0);
}

TEST_CASE(
    "design-around: a binding control makes the supplier launch a variant under the threshold",
    "[policy][design_around]") {
    ChipWorld w(10);
    auto& sup = w.b.scenario().suppliers[1];  // tw-fab, US jurisdiction
    sup.design_around = model::DesignAround{2, 0.05};
    const auto ctl = w.b.control("rule", w.usa, {w.chn}, -1.0, 0, true, true, 3);
    w.b.policy_ref(ctl).products = model::ProductSelector{};
    w.b.policy_ref(ctl).products.tpp_min = 4800;
    engine::RunConfig cfg;
    cfg.check_invariants = true;
    engine::Simulation sim(w.b.scenario(), cfg);
    test::CapturingRecorder r;
    sim.run(r);
    const auto& world = sim.world();
    const auto v = world.find_product("GPU-under-rule");
    REQUIRE(v != model::kNone);
    CHECK(*world.products[static_cast<std::size_t>(v)].tpp == Approx(4560.0));
    CHECK(world.products[static_cast<std::size_t>(v)].compute == Approx(4560.0 / 15832.0));
    int launched_at = -1;
    for (const auto& t : r.ticks)
        for (const auto& e : t.events)
            if (e.event == engine::EventKind::launched && e.id == "GPU-under-rule")
                launched_at = t.tick;
    CHECK(launched_at == 5);  // binds at tick 3, lag 2
    const auto variant_flows = [&](int from, int to) {
        return total(
                   r,
                   [&](const engine::FlowRecord& f) {
                       return f.product == v && f.destination == w.chn;
                   },
                   from, to)
            .units;
    };
    CHECK(variant_flows(0, 5) == 0.0);
    CHECK(variant_flows(5, 10) > 0.0);
}

TEST_CASE(
    "stochastic runs are deterministic per seed and run, and conserve goods with seizures and "
    "licences",
    "[policy][determinism][conservation]") {
    ChipWorld w(24, 1.0);
    w.b.scenario().routes[0].detection = 0.3;
    w.b.scenario().seed = 7;
    w.b.control("ban", w.usa, {w.chn});
    // Licences for US-made goods to Singapore (exports only: Taiwan-made goods still divert
    // freely).
    const auto lic = w.b.control("lic", w.usa, {w.sgp}, 0.6, 1, true, false);
    (void)lic;
    w.b.buyer("sg-dc", w.sgp, 200.0, 100.0, 0.5, 3.0);
    const auto a = run(w.b.scenario());
    const auto b = run(w.b.scenario());
    const auto c = run(w.b.scenario(), 1);
    bool same = true, differs = false;
    for (std::size_t t = 0; t < a.ticks.size(); ++t) {
        same = same && a.ticks[t].flows.size() == b.ticks[t].flows.size();
        for (std::size_t i = 0; same && i < a.ticks[t].flows.size(); ++i)
            same = a.ticks[t].flows[i].units == b.ticks[t].flows[i].units &&
                   a.ticks[t].flows[i].seized_units == b.ticks[t].flows[i].seized_units;
        for (std::size_t i = 0; i < std::min(a.ticks[t].flows.size(), c.ticks[t].flows.size()); ++i)
            if (a.ticks[t].flows[i].seized_units != c.ticks[t].flows[i].seized_units)
                differs = true;
    }
    CHECK(same);
    CHECK(differs);  // another run index draws other seizures
    // Over the run: shipped = delivered + seized + still in transit (route delay 1: the last
    // tick's hub shipments are in transit).
    double shipped = 0, seized = 0, delivered = 0, last_in_transit = 0;
    for (const auto& t : a.ticks) {
        for (const auto& f : t.flows) {
            shipped += f.units;
            seized += f.seized_units;
            if (t.tick == 23 && (f.via != model::kNone))
                last_in_transit += f.units - f.seized_units;
        }
        for (const auto& cr : t.countries) delivered += cr.imports_units;
    }
    CHECK(shipped == Approx(delivered + seized + last_in_transit).epsilon(1e-12));
}

// ---- Monotone responses over generated worlds ------------------------------------------

namespace {
/// A random small world: 3–5 countries, 2–4 suppliers, 2–4 buyers, one or two hubs; the target
/// country 0 is where controls and tariffs bite.
model::Scenario generated_world(std::uint64_t seed) {
    Rng rng(seed, 0, 0, Purpose::test);
    auto pick = [&](double lo, double hi) { return lo + (hi - lo) * rng.uniform(); };
    test::ScenarioBuilder b(12);
    const int nc = 3 + static_cast<int>(rng.next_u64() % 3);
    for (int c = 0; c < nc; ++c) b.country(std::string("C") + static_cast<char>('A' + c) + "X");
    const auto gpu = b.product("GPU", 1.0, 10000.0);
    const int ns = 2 + static_cast<int>(rng.next_u64() % 3);
    for (int i = 0; i < ns; ++i) {
        const auto home = static_cast<model::Index>(
            1 + static_cast<int>(rng.next_u64() % static_cast<std::uint64_t>(nc - 1)));
        const auto sup = b.supplier("s" + std::to_string(i), home, pick(0.0, 0.1));
        b.offer(sup, gpu, pick(50.0, 150.0), pick(200.0, 2000.0), 20.0, pick(0.0, 1.5));
    }
    const int nb = 2 + static_cast<int>(rng.next_u64() % 3);
    for (int i = 0; i < nb; ++i) {
        const auto c = static_cast<model::Index>(
            i == 0 ? 0 : static_cast<int>(rng.next_u64() % static_cast<std::uint64_t>(nc)));
        const auto buyer = b.buyer("b" + std::to_string(i), c, pick(100.0, 1000.0), 100.0,
                                   pick(0.2, 1.5), pick(1.5, 6.0));
        b.buyer_ref(buyer).risk_tolerance = pick(0.0, 1.0);
        b.buyer_ref(buyer).anticipation = pick(1.0, 2.0);
    }
    b.route(static_cast<model::Index>(nc - 1), pick(0.0, 0.2), 1, model::kUnlimited,
            pick(0.0, 0.3));
    return b.scenario();
}

double flows_to(const test::CapturingRecorder& r, model::Index dest, bool direct_only) {
    return total(r,
                 [&](const engine::FlowRecord& f) {
                     return f.destination == dest && (!direct_only || f.via == model::kNone);
                 })
        .units;
}
}  // namespace

TEST_CASE("monotone: a higher tariff never raises direct flows to the targeted destination",
          "[policy][monotone]") {
    for (std::uint64_t seed = 1; seed <= 25; ++seed) {
        CAPTURE(seed);
        auto s = generated_world(seed);
        double previous = std::numeric_limits<double>::infinity();
        for (double rate : {0.0, 0.1, 0.25, 0.5}) {
            auto v = s;
            model::Policy t;
            t.id = "t";
            t.by = 0;
            t.type = model::PolicyType::tariff;
            t.rate = rate;
            t.products.all = t.destinations.all = t.origins.all = true;
            t.origins.except = {0};
            t.from_tick = 0;
            v.policies.push_back(t);
            const double now = flows_to(run(v), 0, true);
            CHECK(now <= previous * (1.0 + 1e-9) + 1e-9);
            previous = now;
        }
    }
}

TEST_CASE(
    "monotone: tighter controls, higher detection and closed hubs never raise the flows they "
    "target",
    "[policy][monotone]") {
    for (std::uint64_t seed = 1; seed <= 25; ++seed) {
        CAPTURE(seed);
        const auto s = generated_world(seed);
        const auto hub = s.routes[0].via;
        auto with_control = [&](double approval, bool close_hub) {
            auto v = s;
            model::Policy p;
            p.id = "ctl";
            p.by = 1;
            p.type = model::PolicyType::export_control;
            p.products.all = true;
            p.destinations.countries = {0};
            if (close_hub) p.destinations.countries.push_back(hub);
            p.covers_exports = p.covers_reexports = true;
            if (approval >= 0.0) p.licence = model::Licence{approval, 0};
            p.from_tick = 0;
            v.policies.push_back(p);
            return v;
        };
        // Tighter licensing never raises direct flows of the controlled goods to the target
        // (other suppliers' goods may rise: that is substitution, not leakage).
        const auto controlled_direct = [&](const test::CapturingRecorder& r) {
            return total(
                       r,
                       [&](const engine::FlowRecord& f) {
                           return f.destination == 0 && f.via == model::kNone &&
                                  s.suppliers[static_cast<std::size_t>(f.supplier)].jurisdiction ==
                                      1;
                       })
                .units;
        };
        CHECK(controlled_direct(run(with_control(0.3, false))) <=
              controlled_direct(run(with_control(0.8, false))) + 1e-9);
        // Higher detection never raises diverted deliveries.
        auto low = with_control(-1.0, false), high = low;
        high.routes[0].detection = std::min(1.0, low.routes[0].detection + 0.3);
        const auto diverted = [](const test::CapturingRecorder& r) {
            double d = 0.0;
            for (const auto& t : r.ticks)
                for (const auto& c : t.countries) d += c.diverted_compute;
            return d;
        };
        CHECK(diverted(run(high)) <= diverted(run(low)) + 1e-9);
        // Closing the hub never raises flows through it.
        const auto through_hub = [&](const test::CapturingRecorder& r) {
            return total(r, [&](const engine::FlowRecord& f) { return f.via == hub; }).units;
        };
        CHECK(through_hub(run(with_control(-1.0, true))) <=
              through_hub(run(with_control(-1.0, false))) + 1e-9);
    }
}

TEST_CASE(
    "monotone: an announced, not yet in force restriction never lowers orders of the affected "
    "goods",
    "[policy][monotone]") {
    for (std::uint64_t seed = 1; seed <= 25; ++seed) {
        CAPTURE(seed);
        const auto s = generated_world(seed);
        auto announced = s;
        model::Policy p;
        p.id = "later";
        p.by = 1;
        p.type = model::PolicyType::export_control;
        p.products.all = true;
        p.destinations.countries = {0};
        p.covers_exports = p.covers_reexports = true;
        p.announced_tick = 3;
        p.from_tick = 9;
        announced.policies.push_back(p);
        const auto a = run(s), b = run(announced);
        // Orders to the target country before the rule takes force.
        CHECK(flows_to(b, 0, false) >= 0.0);
        for (int t = 3; t < 9; ++t) {
            double before = 0.0, after = 0.0;
            for (const auto& m : a.ticks[static_cast<std::size_t>(t)].markets) before += m.orders;
            for (const auto& m : b.ticks[static_cast<std::size_t>(t)].markets) after += m.orders;
            CAPTURE(t);
            CHECK(after >= before * (1.0 - 1e-9));
        }
    }
}

TEST_CASE("licence requests still pending when a ban takes force are denied", "[policy][licence]") {
    // Taiwan bans its own direct exports to China, so the Taiwan-made (US-jurisdiction) chip
    // reaches China through Singapore under a US re-export licence; then the US bans re-exports:
    // the licensed hub route becomes diverted, and requests decided after that are denied,
    // not shipped as licensed goods.
    ChipWorld w(8, 1.0);
    w.b.control("tw-ban", w.twn, {w.chn}, -1.0, 0, true, false, 0);
    const auto lic = w.b.control("us-licence", w.usa, {w.chn}, 1.0, 2, false, true, 0);
    w.b.policy_ref(lic).until_tick = 3;
    w.b.control("us-ban", w.usa, {w.chn}, -1.0, 0, false, true, 3);
    const auto r = run(w.b.scenario());
    const auto licensed = [&](const engine::FlowRecord& f) {
        return f.offer == w.tw_o && f.channel == Channel::licensed;
    };
    CHECK(total(r, licensed, 2, 3).units > 0.0);   // asked at tick 0, granted at tick 2
    CHECK(total(r, licensed, 3, 8).units == 0.0);  // asked at ticks 1-2, decided under the ban
}
