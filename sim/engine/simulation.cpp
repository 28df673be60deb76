#include "engine/simulation.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/random.hpp"
#include "market/ces.hpp"
#include "policy/design_around.hpp"

namespace ts::engine {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kTiny = 1e-12;  // quantities below this are zero (rounding residue)
constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kAlways = std::numeric_limits<std::int64_t>::min();

std::size_t ix(Index i) {
    return static_cast<std::size_t>(i);
}

bool territory_covers(const model::Policy& pol, const model::Supplier& sup) {
    return (pol.covers_exports && sup.ships_from == pol.by) ||
           (pol.covers_reexports && sup.jurisdiction == pol.by && sup.ships_from != pol.by);
}

/// Period index of a quota at a tick (a new index resets the quota).
std::int64_t quota_period(model::QuotaPeriod period, const Calendar& cal, std::int64_t tick) {
    const Date d = cal.date_of(tick);
    switch (period) {
        case model::QuotaPeriod::tick:
            return tick;
        case model::QuotaPeriod::month:
            return d.year * 12LL + d.month - 1;
        case model::QuotaPeriod::quarter:
            return d.year * 4LL + (d.month - 1) / 3;
        case model::QuotaPeriod::year:
            return d.year;
        case model::QuotaPeriod::policy:
            return 0;
    }
    return 0;
}

/// Seized units of a diverted shipment: each whole unit is caught with probability d; a
/// fractional remainder is caught whole with the same probability.
double draw_seized(double units, double d, Rng& rng) {
    if (d <= 0.0 || units <= 0.0) return 0.0;
    const double whole = std::floor(units);
    double seized = static_cast<double>(rng.binomial(static_cast<std::uint64_t>(whole), d));
    if (units - whole > 0.0 && rng.bernoulli(d)) seized += units - whole;
    return seized;
}
}  // namespace

const char* to_string(Phase p) {
    switch (p) {
        case Phase::idle:
            return "idle";
        case Phase::policy:
            return "policy";
        case Phase::production:
            return "production";
        case Phase::demand:
            return "demand";
        case Phase::legality:
            return "legality";
        case Phase::choice:
            return "choice";
        case Phase::clearing:
            return "clearing";
        case Phase::shipping:
            return "shipping";
        case Phase::prices:
            return "prices";
        case Phase::records:
            return "records";
    }
    return "?";
}

std::vector<std::string> Simulation::unsimulated_features(const model::Scenario& s) {
    std::vector<std::string> out;
    for (const auto& p : s.policies)
        if (!policy::PolicyBook::simulated(p.type))
            out.push_back(
                fmt::format("policy '{}' of type '{}' is read and reported in events.csv, but "
                            "this version does not simulate its effect yet",
                            p.id, model::to_string(p.type)));
    return out;
}

model::Scenario Simulation::build_world(const model::Scenario& input,
                                        std::vector<ReactionState>& reactions,
                                        std::vector<VariantState>& variants,
                                        std::vector<Purchaser>& purchasers) {
    model::Scenario w = input;
    // Reaction rules add a dormant policy each; triggering sets its dates.
    for (const auto& r : input.reactions) {
        model::Policy p = r.then;
        p.id = r.id;
        p.by = r.by;
        p.announced_date.reset();
        p.from_date.reset();
        p.until_date.reset();
        p.announced_tick = p.from_tick = kNever;
        p.until_tick = kNever;
        w.policies.push_back(p);
        reactions.push_back({static_cast<Index>(w.policies.size() - 1), 0, false});
    }
    // Design-around variants: for every export control selecting an offer of a supplier with
    // design_around, the variant escaping that control and the static controls in force with it.
    const std::size_t n_original_offers = w.offers.size();
    for (std::size_t o = 0; o < n_original_offers; ++o) {
        const Index sup_i = w.offers[o].supplier;
        if (!w.suppliers[ix(sup_i)].design_around) continue;
        const double margin = w.suppliers[ix(sup_i)].design_around->margin;
        const Index prod_i = w.offers[o].product;
        for (std::size_t p = 0; p < w.policies.size(); ++p) {
            const auto& pol = w.policies[p];
            if (pol.type != model::PolicyType::export_control) continue;
            const model::Product original = w.products[ix(prod_i)];
            if (!model::matches(pol.products, original, prod_i)) continue;
            std::vector<const model::ProductSelector*> escape{&pol.products};
            for (std::size_t q = 0; q < input.policies.size(); ++q) {
                const auto& other = w.policies[q];
                if (q == p || other.type != model::PolicyType::export_control) continue;
                const bool together =
                    pol.from_tick == kNever ||
                    (other.from_tick <= pol.from_tick && other.until_tick > pol.from_tick);
                if (together) escape.push_back(&other.products);
            }
            auto variant = policy::design_variant(original, prod_i, escape, margin,
                                                  original.id + "-under-" + pol.id);
            if (!variant || w.find_product(variant->id) != model::kNone) continue;
            const double ratio = original.compute > 0.0 ? variant->compute / original.compute : 1.0;
            w.products.push_back(*variant);
            model::Offer off = w.offers[o];
            off.product = static_cast<Index>(w.products.size() - 1);
            off.price *= ratio;
            off.unit_cost *= ratio;
            off.available.reset();
            w.offers.push_back(off);
            const Index off_i = static_cast<Index>(w.offers.size() - 1);
            w.suppliers[ix(sup_i)].offers.push_back(off_i);
            variants.push_back(
                {off_i, static_cast<Index>(o), static_cast<Index>(p), false, kNever});
        }
    }
    for (auto& b : w.buyers) b.weights.resize(w.offers.size(), 0.0);
    // Suppliers buy their inputs and equipment as buyers do: one synthetic buyer per purchase,
    // named after the supplier (flows.csv shows the purchasing supplier as the buyer).
    for (std::size_t si = 0; si < w.suppliers.size(); ++si) {
        const auto& sup = w.suppliers[si];
        for (std::size_t pi = 0; pi < sup.purchases.size(); ++pi) {
            const auto& pu = sup.purchases[pi];
            model::Buyer b;
            b.id = sup.id;
            b.country = b.billing_country = sup.made_in;
            b.substitution = pu.substitution;
            b.price_elasticity = pu.price_elasticity;
            b.risk_tolerance = pu.risk_tolerance;
            b.anticipation = pu.anticipation;
            b.weights = pu.weights;
            b.weights.resize(w.offers.size(), 0.0);
            // Reference cost: the mean base price of the input, so demand is what is planned.
            double sum = 0.0, n = 0.0;
            for (std::size_t o = 0; o < w.offers.size(); ++o)
                if (b.weights[o] > 0.0) {
                    sum += w.offers[o].price;
                    n += 1.0;
                }
            b.reference_cost = n > 0.0 ? sum / n : 1.0;
            b.loc = pu.loc;
            w.buyers.push_back(std::move(b));
            Purchaser p;
            p.buyer = static_cast<Index>(w.buyers.size() - 1);
            p.supplier = static_cast<Index>(si);
            p.product = pu.product;
            p.equipment = sup.equipment && sup.equipment->product == pu.product;
            p.purchase = pi;
            p.stock = p.equipment ? sup.equipment->installed : 0.0;
            purchasers.push_back(p);
        }
    }
    return w;
}

Simulation::Simulation(const model::Scenario& scenario, RunConfig config)
    : world_(build_world(scenario, reactions_, variants_, purchasers_)),
      config_(config),
      policies_(world_),
      legality_(policies_) {
    const auto& s = world_;
    const std::size_t no = n_offers(), nb = n_buyers();

    // A variant serves the buyers its control restricts, with the original's taste weight.
    for (auto& v : variants_) {
        const auto& pol = s.policies[ix(v.control)];
        const auto& sup = s.suppliers[ix(s.offers[ix(v.original)].supplier)];
        for (std::size_t b = 0; b < nb; ++b) {
            auto& buyer = world_.buyers[b];
            const double w = buyer.weights[ix(v.original)];
            const bool targeted = (!policies_.buyers_only(v.control) &&
                                   policies_.selects_destination(v.control, buyer.country)) ||
                                  policies_.selects_buyer(v.control, static_cast<Index>(b));
            if (w > 0.0 && targeted) {
                buyer.weights[ix(v.offer)] = w;
                if (territory_covers(pol, sup)) v.binds_statically = true;
            }
        }
    }

    price_.resize(no);
    charged_price_.resize(no);
    capacity_.resize(no);
    stock_.resize(no);
    opening_stock_.resize(no);
    produced_.resize(no);
    orders_.resize(no);
    shipped_.resize(no);
    base_capacity_.resize(no);
    available_.resize(no);
    offer_compute_.resize(no);
    launch_tick_.assign(no, kAlways);
    last_excess_.assign(no, 0.0);
    price_step_.resize(no);
    for (std::size_t o = 0; o < no; ++o)
        price_step_[o] = s.suppliers[ix(s.offers[o].supplier)].price_adjustment;
    for (const auto& v : variants_) launch_tick_[ix(v.offer)] = kNever;
    installed_.assign(s.suppliers.size(), 0.0);
    for (std::size_t si = 0; si < s.suppliers.size(); ++si)
        if (s.suppliers[si].equipment) installed_[si] = s.suppliers[si].equipment->installed;
    purchaser_of_.assign(nb, -1);
    for (std::size_t i = 0; i < purchasers_.size(); ++i)
        purchaser_of_[ix(purchasers_[i].buyer)] = static_cast<int>(i);
    planned_.assign(no, 0.0);
    for (std::size_t o = 0; o < no; ++o) {
        const auto& off = s.offers[o];
        price_[o] = off.price;
        offer_compute_[o] = s.products[ix(off.product)].compute;
        const double cap = off.capacity_from_equipment
                               ? installed_[ix(off.supplier)] *
                                     s.suppliers[ix(off.supplier)].equipment->capacity_per_unit
                               : off.capacity;
        // Start in the steady state the production rule keeps: one tick of capacity in stock
        // (none when capacity is unlimited: such offers produce to order, nor for offers that
        // do not exist yet: variants and offers available after a policy start empty).
        const bool exists_at_start =
            launch_tick_[o] == kAlways && policies_.offer_available(static_cast<Index>(o), 0);
        stock_[o] = std::isfinite(cap) && exists_at_start ? cap : 0.0;
        planned_[o] = std::isfinite(cap) ? cap : 0.0;
    }

    cand_begin_.assign(nb + 1, 0);
    for (std::size_t b = 0; b < nb; ++b) {
        const auto& w = s.buyers[b].weights;
        const bool purchaser = purchaser_of_[b] >= 0;
        for (std::size_t o = 0; o < no; ++o) {
            // Buyers buy chips (compute > 0); suppliers buy their inputs and equipment.
            if (o < w.size() && w[o] > 0.0 && (purchaser || offer_compute_[o] > 0.0)) {
                cand_offer_.push_back(static_cast<Index>(o));
                cand_weight_.push_back(w[o]);
            }
        }
        cand_begin_[b + 1] = cand_offer_.size();
    }
    const std::size_t nk = cand_offer_.size();
    cand_wnow_.assign(nk, 0.0);
    cand_cost_.assign(nk, kInf);
    cand_route_.assign(nk, 0);
    cand_wbase_.assign(nk, 0.0);
    cand_tariff_.assign(nk, 0.0);
    cand_routes_begin_.assign(nk, 0);
    cand_routes_end_.assign(nk, 0);
    cand_quota_begin_.assign(nk, 0);
    cand_quota_end_.assign(nk, 0);
    cand_licence_.assign(nk, 0);
    cand_diverted_.assign(nk, 0);
    cand_request_.assign(nk, 0.0);

    buyer_country_.resize(nb);
    buyer_billing_.resize(nb);
    for (std::size_t b = 0; b < nb; ++b) {
        buyer_country_[b] = s.buyers[b].country;
        buyer_billing_[b] = s.buyers[b].billing_country;
    }
    base_demand_.assign(nb, 0.0);
    buyer_p_.assign(nb, kInf);
    buyer_q_.assign(nb, 0.0);
    residual_.assign(nb, 0.0);
    unmet_.assign(nb, 0.0);
    backlog_.assign(nb, 0.0);

    remote_slot_.assign(nb, -1);
    int n_remote = 0;
    for (std::size_t b = 0; b < nb; ++b)
        if (s.buyers[b].remote) remote_slot_[b] = n_remote++;
    remote_count_ = static_cast<std::size_t>(n_remote);

    int max_delay = s.transport_delay_ticks;
    for (const auto& r : s.routes) max_delay = std::max(max_delay, r.delay_ticks);
    transit_.resize(static_cast<std::size_t>(max_delay) + 1);
    route_shipped_.assign(n_routes(), 0.0);
    route_delivered_.assign(n_routes(), 0.0);
    route_seized_.assign(n_routes(), 0.0);
    route_in_transit_.assign(n_routes(), 0.0);

    std::size_t widest = 0;
    for (std::size_t b = 0; b < nb; ++b)
        widest = std::max(widest, cand_begin_[b + 1] - cand_begin_[b]);
    scratch_w_.resize(widest);
    scratch_c_.resize(widest);
    scratch_q_.resize(widest);
    scratch_k_.resize(widest);

    // Capacity for the per-tick lists at their upper bounds, so that the tick loop never grows
    // a vector (reserved pages are not touched until used: resident memory follows the actual
    // sizes). Per tick each candidate files at most one request per clearing round; a licence
    // request waits at most the longest licence delay.
    int max_licence_delay = 0;
    for (const auto& pol : s.policies)
        if (pol.licence) max_licence_delay = std::max(max_licence_delay, pol.licence->delay_ticks);
    const std::size_t rounds = 1 + static_cast<std::size_t>(std::max(0, config_.rechoice_rounds));
    const std::size_t pending_bound = nk * (static_cast<std::size_t>(max_licence_delay) + 1);
    const std::size_t fills_bound = nk * rounds + pending_bound;
    licences_.reserve(pending_bound);
    firm_.reserve(pending_bound);
    fills_.reserve(fills_bound);
    active_.reserve(nb);
    next_active_.reserve(nb);
    sorted_fills_.reserve(fills_bound);
    record_.flows.reserve(fills_bound);
    for (auto& slot : transit_) slot.reserve(fills_bound);
    // Installations: one per equipment delivery (≤ 2 per candidate and round: licensed or
    // not), waiting at most the longest installation lag.
    std::size_t equipment_buyers = 0, equipment_candidates = 0, max_lag = 1;
    for (const auto& p : purchasers_) {
        if (!p.equipment) continue;
        ++equipment_buyers;
        equipment_candidates += cand_begin_[ix(p.buyer) + 1] - cand_begin_[ix(p.buyer)];
        const auto& eq = *s.suppliers[ix(p.supplier)].equipment;
        max_lag = std::max(max_lag, static_cast<std::size_t>(std::max(1, eq.lag_ticks)) + 1);
    }
    installations_.reserve(2 * equipment_candidates * rounds * max_lag);
    record_.events.reserve(32 + equipment_buyers, 48);
}

void Simulation::enter(Phase p) {
    // Phases run in the order of PRODUCT.md; each asserts it follows the one before.
    assert(static_cast<int>(p) == static_cast<int>(phase_) + 1 ||
           (p == Phase::policy && phase_ == Phase::idle));
    phase_ = p;
}

void Simulation::step(Recorder& recorder) {
    if (done()) throw RunError("simulation already finished");
    if (tick_ == 0) recorder.begin(world_, config_.run);
    record_.clear();
    phase_ = Phase::idle;
    phase_policy();           // 1. policies take force, lapse, are announced; reactions' policies
    phase_production();       // 2. capacity this tick (production itself is settled in clearing)
    phase_demand();           // 3. composite demand before the price response
    phase_legality();         // 4. each buyer's cheapest usable route to each offer
    phase_choice();           // 5. Armington CES choice, anticipation
    phase_clearing();         // 6. licences, rationing over stock, routes and quotas, re-choice,
                              // production
    phase_shipping();         // 7. shipments, seizures, transit, deliveries, tariffs and fees
    phase_prices();           // 8. price adjustment
    phase_records(recorder);  // 9. records, reactions, design-around
    phase_ = Phase::idle;
    count_tick_bytes();
    ++tick_;
    if (done()) recorder.end();
}

void Simulation::run(Recorder& recorder, const std::function<void(int, int)>& progress) {
    while (!done()) {
        step(recorder);
        if (progress) progress(tick_, ticks());
    }
}

void Simulation::phase_policy() {
    enter(Phase::policy);
    transitions_.clear();
    if (policies_.advance(tick_, transitions_) || tick_ == 0) {
        legality_.rebuild();
        // What candidates read from the tables until the next change: the taste weight with
        // import restrictions applied, the buyer's country's tariff on the offer, and where the
        // candidate's route list is.
        for (std::size_t b = 0; b < n_buyers(); ++b)
            for (std::size_t k = cand_begin_[b]; k < cand_begin_[b + 1]; ++k) {
                const Index o = cand_offer_[k];
                cand_wbase_[k] =
                    cand_weight_[k] * legality_.import_factor(static_cast<Index>(b), o);
                cand_tariff_[k] = policies_.tariff(buyer_country_[b], o);
                const auto range = legality_.candidate_route_range(static_cast<Index>(b), o);
                cand_routes_begin_[k] = range.first;
                cand_routes_end_[k] = range.second;
            }
    }
    reset_quota_periods();
    for (const auto& tr : transitions_) {
        const auto& pol = world_.policies[ix(tr.policy)];
        EventRecord& ev = record_.events.add();
        ev.actor = world_.countries[ix(pol.by)].code;
        ev.id = pol.id;
        auto out = std::back_inserter(ev.detail);
        fmt::format_to(out, "{}", model::to_string(pol.type));
        if (pol.type == model::PolicyType::tariff || pol.type == model::PolicyType::export_fee)
            fmt::format_to(out, " rate={}", pol.rate);
        switch (tr.kind) {
            case policy::Transition::Kind::announced:
                ev.event = EventKind::announced;
                if (pol.from_date) fmt::format_to(out, " from {}", format_date(*pol.from_date));
                break;
            case policy::Transition::Kind::in_force:
                ev.event = EventKind::in_force;
                if (pol.from_date && pol.from_tick < tick_)
                    fmt::format_to(out, " since {}", format_date(*pol.from_date));
                break;
            case policy::Transition::Kind::lapsed:
                ev.event = EventKind::lapsed;
                break;
        }
    }
    for (const auto& v : variants_) {
        if (v.launch_tick != tick_) continue;
        const auto& off = world_.offers[ix(v.offer)];
        const auto& prod = world_.products[ix(off.product)];
        EventRecord& ev = record_.events.add();
        ev.actor = world_.suppliers[ix(off.supplier)].id;
        ev.id = prod.id;
        ev.event = EventKind::launched;
        fmt::format_to(std::back_inserter(ev.detail),
                       "designs around {}: tpp={:.0f} compute={:.4f} price={:.2f}",
                       world_.policies[ix(v.control)].id, prod.tpp.value_or(0.0), prod.compute,
                       off.price);
    }
}

void Simulation::reset_quota_periods() {
    const auto& buckets = legality_.quota_buckets();
    const auto cal = world_.time.calendar();
    for (std::size_t q = 0; q < buckets.size(); ++q) {
        const auto& pol = world_.policies[ix(buckets[q].policy)];
        const std::int64_t period = quota_period(pol.period, cal, tick_);
        if (q >= quota_left_.size()) {
            quota_left_.push_back(pol.cap);
            quota_period_.push_back(period);
        } else if (quota_period_[q] != period) {
            quota_left_[q] = pol.cap;
            quota_period_[q] = period;
        }
    }
    const std::size_t nc = quota_base() + quota_left_.size();
    remaining_.resize(nc);
    requested_.resize(nc);
    filled_.resize(nc);
    exhausted_.resize(nc);
}

void Simulation::phase_production() {
    enter(Phase::production);
    // Equipment delivered `lag` ticks ago is installed now.
    for (auto& p : purchasers_) {
        p.opening = p.stock;
        p.received = p.used = 0.0;
    }
    std::size_t keep = 0;
    for (const auto& inst : installations_) {
        if (inst.tick > tick_) {
            installations_[keep++] = inst;
            continue;
        }
        auto& p = purchasers_[inst.purchaser];
        p.stock += inst.units;
        p.received += inst.units;
        p.awaiting -= inst.units;
        installed_[ix(p.supplier)] = p.stock;
        const auto& eq = *world_.suppliers[ix(p.supplier)].equipment;
        EventRecord& ev = record_.events.add();
        ev.actor = world_.suppliers[ix(p.supplier)].id;
        ev.id = world_.products[ix(p.product)].id;
        ev.event = EventKind::capacity;
        fmt::format_to(std::back_inserter(ev.detail),
                       "installed {:.4f} {}: {:.4f} in place, capacity {:.4f} per tick", inst.units,
                       world_.products[ix(p.product)].id, p.stock, p.stock * eq.capacity_per_unit);
    }
    installations_.resize(keep);

    for (std::size_t o = 0; o < n_offers(); ++o) {
        const auto& off = world_.offers[o];
        const auto& sup = world_.suppliers[ix(off.supplier)];
        available_[o] =
            policies_.offer_available(static_cast<Index>(o), tick_) && tick_ >= launch_tick_[o] ? 1
                                                                                                : 0;
        double cap = off.capacity_from_equipment
                         ? installed_[ix(off.supplier)] * sup.equipment->capacity_per_unit
                         : off.capacity;
        if (std::isfinite(cap) && off.supply_elasticity != 0.0)
            cap *= std::pow(price_[o] / off.price, off.supply_elasticity);
        capacity_[o] = available_[o] ? cap : 0.0;
        base_capacity_[o] = capacity_[o];
        opening_stock_[o] = stock_[o];
        charged_price_[o] = price_[o];
    }
    // Leontief: output of an offer with inputs is at most its share of each input's stock
    // divided by the need per unit (shares in proportion to planned use).
    for (const auto& p : purchasers_) {
        if (p.equipment) continue;
        const auto& sup = world_.suppliers[ix(p.supplier)];
        double planned_use = 0.0;
        int users = 0;
        for (Index o : sup.offers)
            for (const auto& in : world_.offers[ix(o)].inputs)
                if (in.product == p.product) {
                    planned_use += planned_[ix(o)] * in.per_unit;
                    ++users;
                }
        for (Index o : sup.offers)
            for (const auto& in : world_.offers[ix(o)].inputs) {
                if (in.product != p.product) continue;
                const double share = planned_use > 0.0 ? planned_[ix(o)] * in.per_unit / planned_use
                                                       : 1.0 / static_cast<double>(users);
                capacity_[ix(o)] = std::min(capacity_[ix(o)], p.stock * share / in.per_unit);
            }
    }
}

void Simulation::phase_demand() {
    enter(Phase::demand);
    for (std::size_t b = 0; b < n_buyers(); ++b) {
        const auto& buyer = world_.buyers[b];
        base_demand_[b] = buyer.demand * std::pow(1.0 + buyer.growth, static_cast<double>(tick_));
    }
    plan_inputs();
}

void Simulation::plan_inputs() {
    // Input demand follows planned output: this tick's use plus what restores the stock target
    // (ticks of use), less what is already in stock or on its way. Equipment is bought at the
    // purchase's fixed `demand`.
    for (const auto& p : purchasers_) {
        const auto& sup = world_.suppliers[ix(p.supplier)];
        const auto& pu = sup.purchases[p.purchase];
        double demand = 0.0;
        if (pu.demand) {
            demand = *pu.demand;
        } else if (!p.equipment) {
            double use = 0.0;
            for (Index o : sup.offers)
                for (const auto& in : world_.offers[ix(o)].inputs)
                    if (in.product == p.product) use += planned_[ix(o)] * in.per_unit;
            demand = std::max(0.0, use * (1.0 + pu.stock_target) - p.stock - p.in_transit);
        }
        base_demand_[ix(p.buyer)] = demand;
    }
}

double Simulation::route_cost(std::size_t buyer, Index offer, int route,
                              const policy::RouteStatus& st, double home_tariff) const {
    const auto& b = world_.buyers[buyer];
    const double price = price_[ix(offer)], per = measure(buyer, offer);
    if (legality_.is_remote(route)) {
        // Compute rented abroad: the chips pay the site's tariff; the buyer pays the markup.
        const Index site = legality_.remote_site(route);
        const double landed =
            market::landed_cost(price, policies_.tariff(site, offer), b.remote->markup, per);
        return st.cls == policy::RouteClass::licensed ? market::licensed_cost(landed, st.approval)
                                                      : landed;
    }
    const double markup = route == 0 ? 0.0 : world_.routes[ix(route - 1)].markup;
    if (st.cls == policy::RouteClass::diverted) {
        // Smuggled goods evade the destination's tariff, and carry seizure risk.
        const double c = market::diverted_cost(market::landed_cost(price, 0.0, markup, per),
                                               legality_.detection(offer, route), b.risk_tolerance);
        return st.needs_licence ? market::licensed_cost(c, st.approval) : c;
    }
    assert(home_tariff == policies_.tariff(b.country, offer));
    const double landed = market::landed_cost(price, home_tariff, markup, per);
    return st.cls == policy::RouteClass::licensed ? market::licensed_cost(landed, st.approval)
                                                  : landed;
}

bool Simulation::remote_usable(std::size_t buyer, int route) const {
    const auto& remote = world_.buyers[buyer].remote;
    if (!remote) return false;
    const Index site = legality_.remote_site(route);
    return std::find(remote->via.begin(), remote->via.end(), site) != remote->via.end();
}

bool Simulation::route_exhausted(std::size_t buyer, Index offer, int route,
                                 const policy::RouteStatus& st) const {
    return route_exhausted(buyer, offer, route, legality_.quotas(st));
}

bool Simulation::route_exhausted(std::size_t buyer, Index offer, int route,
                                 std::span<const std::uint32_t> quotas) const {
    if (exhausted_[ix(offer)]) return true;
    if (is_hub(route) && exhausted_[hub_base() + ix(route - 1)]) return true;
    if (legality_.is_remote(route) &&
        exhausted_[remote_base() + static_cast<std::size_t>(remote_slot_[buyer])])
        return true;
    for (auto q : quotas)
        if (exhausted_[quota_base() + q]) return true;
    return false;
}

void Simulation::count_tick_bytes() {
    // Passes over the hot arrays (see EngineStats::bytes): legality reads the candidate's offer,
    // weight, and writes weight now, route and cost (32 bytes); choice reads and writes them
    // again with the request and CES scratch (48); clearing passes over requests twice per
    // round (24 each); per buyer about 12 doubles, per offer about 16 doubles are touched by
    // demand, clearing, prices and records.
    const std::uint64_t nk = cand_offer_.size(), nb = n_buyers(), no = n_offers();
    const std::uint64_t rounds = clearing_rounds_run_;
    stats_.ticks += 1;
    stats_.bytes += nk * (32 + 48 + 48 * rounds) + nb * 12 * 8 + no * 16 * 8 +
                    (stats_.route_checks - route_checks_counted_) * sizeof(policy::RouteStatus) +
                    (stats_.requests - requests_counted_) * sizeof(Request) +
                    record_.flows.size() * sizeof(FlowRecord);
    route_checks_counted_ = stats_.route_checks;
    requests_counted_ = stats_.requests;
}

int Simulation::best_route(std::size_t buyer, std::size_t k, bool rechoice, double& cost,
                           const policy::RouteStatus*& status) const {
    const Index o = cand_offer_[k];
    int best = -1;
    cost = kInf;
    status = nullptr;
    const auto routes = legality_.route_choices(cand_routes_begin_[k], cand_routes_end_[k]);
    assert(routes.size() == legality_.candidate_routes(static_cast<Index>(buyer), o).size());
    ++stats_.evaluations;
    stats_.route_checks += routes.size();
    for (const auto& rc : routes) {
        const int r = rc.route;
        const auto& st = rc.status;
        if (legality_.is_remote(r) && !remote_usable(buyer, r)) continue;
        if (rechoice && (st.needs_licence || route_exhausted(buyer, o, r, st))) continue;
        const double c = route_cost(buyer, o, r, st, cand_tariff_[k]);
        if (c < cost) {
            cost = c;
            best = r;
            status = &st;
        }
    }
    return best;
}

void Simulation::set_candidate_route(std::size_t k, int r, double cost,
                                     const policy::RouteStatus* st) {
    cand_route_[k] = std::max(r, 0);
    cand_cost_[k] = r < 0 ? kInf : cost;
    cand_quota_begin_[k] = r < 0 ? 0 : st->quota_begin;
    cand_quota_end_[k] = r < 0 ? 0 : st->quota_end;
    cand_licence_[k] = r >= 0 && st->needs_licence ? 1 : 0;
    cand_diverted_[k] = r >= 0 && st->cls == policy::RouteClass::diverted ? 1 : 0;
}

void Simulation::phase_legality() {
    enter(Phase::legality);
    std::fill(exhausted_.begin(), exhausted_.end(), 0);
    const std::size_t nk = cand_offer_.size();
    constexpr std::size_t kAhead = 8;  // candidates ahead whose route list is prefetched
    for (std::size_t b = 0; b < n_buyers(); ++b) {
        for (std::size_t k = cand_begin_[b]; k < cand_begin_[b + 1]; ++k) {
            // The route lists of later candidates are scattered over the legality tables:
            // ask for them early (the loop is bound by memory latency, not arithmetic).
            if (k + kAhead < nk)
                __builtin_prefetch(legality_
                                       .route_choices(cand_routes_begin_[k + kAhead],
                                                      cand_routes_begin_[k + kAhead])
                                       .data());
            const Index o = cand_offer_[k];
            cand_wnow_[k] = available_[ix(o)] ? cand_wbase_[k] : 0.0;
            double cost = kInf;
            const policy::RouteStatus* st = nullptr;
            const int r = cand_wnow_[k] > 0.0 ? best_route(b, k, false, cost, st) : -1;
            set_candidate_route(k, r, cost, st);
        }
    }
}

void Simulation::phase_choice() {
    enter(Phase::choice);
    for (std::size_t b = 0; b < n_buyers(); ++b) {
        const auto& buyer = world_.buyers[b];
        std::size_t n = 0;
        for (std::size_t k = cand_begin_[b]; k < cand_begin_[b + 1]; ++k) {
            cand_request_[k] = 0.0;
            if (!std::isfinite(cand_cost_[k])) continue;
            scratch_w_[n] = cand_wnow_[k];
            scratch_c_[n] = cand_cost_[k];
            scratch_k_[n] = k;
            ++n;
        }
        const std::span<const double> w(scratch_w_.data(), n), c(scratch_c_.data(), n);
        const double p =
            market::ces_shares(w, c, buyer.substitution, std::span<double>(scratch_q_.data(), n));
        buyer_p_[b] = p;
        if (n == 0) {
            // Nothing usable: the whole reference demand (and backlog) goes unmet.
            buyer_q_[b] = base_demand_[b] + backlog_[b];
            continue;
        }
        const double q =
            base_demand_[b] * std::pow(p / buyer.reference_cost, -buyer.price_elasticity) +
            backlog_[b];
        buyer_q_[b] = q;
        for (std::size_t i = 0; i < n; ++i) scratch_q_[i] *= q;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t k = scratch_k_[i];
            // Stockpiling: orders of goods facing an announced restriction are scaled up.
            const bool pending =
                legality_.restriction_pending(static_cast<Index>(b), cand_offer_[k]);
            cand_request_[k] = scratch_q_[i] * (pending ? buyer.anticipation : 1.0);
        }
    }
}

void Simulation::decide_licences() {
    // Licence requests are decided after their delay: each requested unit is granted with the
    // route's approval probability; what is granted ships now, the rest is unmet.
    firm_.clear();
    std::size_t keep = 0;
    for (std::size_t i = 0; i < licences_.size(); ++i) {
        const auto& l = licences_[i];
        if (l.decide_tick != tick_) {
            licences_[keep++] = l;
            continue;
        }
        // Decided under the rules in force now: a route closed since the request (blocked, or
        // a legal route that has become diverted) is denied; one that no longer needs a
        // licence is granted.
        const auto& st = legality_.status(l.buyer, l.offer, l.route);
        const bool now_diverted = st.cls == policy::RouteClass::diverted;
        const double approval = st.cls == policy::RouteClass::blocked ||
                                        st.cls == policy::RouteClass::unavailable ||
                                        (now_diverted && !l.diverted)
                                    ? 0.0
                                : st.needs_licence ? st.approval
                                                   : 1.0;
        const double comp = measure(ix(l.buyer), l.offer);
        const double units = l.compute / comp;
        Rng rng =
            Rng(world_.seed, static_cast<std::uint64_t>(config_.run),
                static_cast<std::uint64_t>(l.buyer), Purpose::licence)
                .substream(static_cast<std::uint64_t>(l.requested_tick) * n_offers() + ix(l.offer));
        const double whole = std::floor(units);
        double granted =
            static_cast<double>(rng.binomial(static_cast<std::uint64_t>(whole), approval));
        if (units - whole > 0.0 && rng.bernoulli(approval)) granted += units - whole;
        const double granted_compute = granted * comp;
        // Granted goods bound for a diverted route are still smuggled from the hub on.
        if (granted_compute > 0.0)
            firm_.push_back({l.buyer, l.offer, l.route, granted_compute, !now_diverted});
        unmet_[ix(l.buyer)] += l.compute - granted_compute;
    }
    licences_.resize(keep);
}

void Simulation::phase_clearing() {
    enter(Phase::clearing);
    const std::size_t no = n_offers(), nb = n_buyers(), nh = world_.routes.size();
    const std::size_t quota_base = this->quota_base();
    for (std::size_t o = 0; o < no; ++o) {
        remaining_[o] = stock_[o] + capacity_[o];
        orders_[o] = 0.0;
    }
    for (std::size_t h = 0; h < nh; ++h) remaining_[hub_base() + h] = world_.routes[h].capacity;
    for (std::size_t b = 0; b < nb; ++b)
        if (remote_slot_[b] >= 0)
            remaining_[remote_base() + static_cast<std::size_t>(remote_slot_[b])] =
                world_.buyers[b].remote->capacity;
    for (std::size_t q = 0; q < quota_left_.size(); ++q)
        remaining_[quota_base + q] = std::max(0.0, quota_left_[q]);
    std::fill(unmet_.begin(), unmet_.end(), 0.0);
    for (std::size_t b = 0; b < nb; ++b)
        if (!std::isfinite(buyer_p_[b])) unmet_[b] = buyer_q_[b];

    // Requests on licensed routes become licence requests, decided after the delay.
    for (std::size_t b = 0; b < nb; ++b)
        for (std::size_t k = cand_begin_[b]; k < cand_begin_[b + 1]; ++k) {
            if (cand_request_[k] <= 0.0 || !cand_licence_[k]) continue;
            const auto& st =
                legality_.status(static_cast<Index>(b), cand_offer_[k], cand_route_[k]);
            licences_.push_back({static_cast<Index>(b), cand_offer_[k], cand_route_[k],
                                 cand_request_[k], tick_, tick_ + st.licence_delay,
                                 st.cls == policy::RouteClass::diverted});
            cand_request_[k] = 0.0;
        }
    decide_licences();
    fills_.clear();

    // Each request draws on its offer's goods, its hub route's capacity and its quotas.
    // `quotas`: the route's quota buckets (cached per candidate; looked up for licence grants).
    auto constraints = [&](Index buyer, Index offer, int route, RouteRef ref, auto&& f) {
        const double per_unit = 1.0 / measure(ix(buyer), offer);
        f(ix(offer), per_unit);
        if (is_hub(route)) f(hub_base() + ix(route - 1), per_unit);
        if (legality_.is_remote(route))
            f(remote_base() + static_cast<std::size_t>(remote_slot_[ix(buyer)]), 1.0);
        for (auto q : legality_.quotas(ref.quota_begin, ref.quota_end)) f(quota_base + q, 1.0);
    };
    // What a request needs of its route's status: cached per candidate; looked up for
    // licence grants (few).
    auto cand_quotas = [&](std::size_t k) {
        return RouteRef{cand_quota_begin_[k], cand_quota_end_[k], cand_diverted_[k] != 0};
    };
    auto firm_quotas = [&](const Request& f) {
        const auto& st = legality_.status(f.buyer, f.offer, f.route);
        return RouteRef{st.quota_begin, st.quota_end, st.cls == policy::RouteClass::diverted};
    };
    const int rounds = 1 + std::max(0, config_.rechoice_rounds);
    // Buyers with requests in the round: all in the first, then those re-choosing (in buyer
    // order, so sums run in the same order as a pass over all buyers).
    active_.clear();
    for (std::size_t b = 0; b < nb; ++b) active_.push_back(static_cast<Index>(b));
    clearing_rounds_run_ = 0;
    for (int round = 0; round < rounds; ++round) {
        ++clearing_rounds_run_;
        std::fill(requested_.begin(), requested_.end(), 0.0);
        std::fill(filled_.begin(), filled_.end(), 0.0);
        auto tally = [&](Index b, Index o, int r, RouteRef qs, double compute) {
            constraints(b, o, r, qs, [&](std::size_t c, double per_compute) {
                requested_[c] += compute * per_compute;
            });
        };
        auto fill_ratio = [&](Index b, Index o, int r, RouteRef qs) {
            double ratio = 1.0;
            constraints(b, o, r, qs, [&](std::size_t c, double) {
                if (requested_[c] > remaining_[c])
                    ratio = std::min(ratio, remaining_[c] / requested_[c]);
            });
            return ratio;
        };
        auto book_fill = [&](Index b, Index o, int r, RouteRef qs, double req, bool licensed) {
            double fill = req * fill_ratio(b, o, r, qs);
            if (fill <= 1e-9 * std::max(1.0, req))
                fill = 0.0;  // rounding residue of an exhausted constraint
            if (fill > 0.0) {
                fills_.push_back({b, o, r, fill, licensed,
                                  static_cast<std::uint32_t>(fills_.size()), qs.quota_begin,
                                  qs.quota_end, qs.diverted});
                constraints(b, o, r, qs, [&](std::size_t c, double per_compute) {
                    filled_[c] += fill * per_compute;
                });
            }
            residual_[ix(b)] += req - fill;
        };
        for (const Index bi : active_) {
            const std::size_t b = ix(bi);
            for (std::size_t k = cand_begin_[b]; k < cand_begin_[b + 1]; ++k)
                if (cand_request_[k] > 0.0) {
                    ++stats_.requests;
                    tally(static_cast<Index>(b), cand_offer_[k], cand_route_[k], cand_quotas(k),
                          cand_request_[k]);
                }
        }
        if (round == 0)
            for (const auto& f : firm_) tally(f.buyer, f.offer, f.route, firm_quotas(f), f.compute);
        for (std::size_t o = 0; o < no; ++o) orders_[o] += requested_[o];

        for (const Index bi : active_) residual_[ix(bi)] = 0.0;
        for (const Index bi : active_) {
            const std::size_t b = ix(bi);
            for (std::size_t k = cand_begin_[b]; k < cand_begin_[b + 1]; ++k) {
                if (cand_request_[k] <= 0.0) continue;
                book_fill(static_cast<Index>(b), cand_offer_[k], cand_route_[k], cand_quotas(k),
                          cand_request_[k], false);
                cand_request_[k] = 0.0;
            }
        }
        if (round == 0)
            for (const auto& f : firm_)
                book_fill(f.buyer, f.offer, f.route, firm_quotas(f), f.compute, true);

        for (std::size_t c = 0; c < remaining_.size(); ++c) {
            if (requested_[c] > 0.0 && requested_[c] >= remaining_[c] * (1.0 - 1e-12))
                exhausted_[c] = 1;
            remaining_[c] = std::max(0.0, remaining_[c] - filled_[c]);
        }
        bool any_residual = false;
        for (const Index bi : active_) any_residual = any_residual || residual_[ix(bi)] > kTiny;
        if (!any_residual) break;
        const bool last = round + 1 == rounds;
        // Rationed buyers re-choose among the offers and routes that still have room, with the
        // CES quantity shares a_i·c_i^(−σ) restricted to those options.
        next_active_.clear();
        for (const Index bi : active_) {
            const std::size_t b = ix(bi);
            if (residual_[b] <= kTiny) continue;
            if (last) {
                unmet_[b] += residual_[b];
                continue;
            }
            const double sigma = world_.buyers[b].substitution;
            double cmin = kInf;
            for (std::size_t k = cand_begin_[b]; k < cand_begin_[b + 1]; ++k) {
                // Costs do not change within a tick and re-choice only removes routes
                // (exhausted or licensed), so a still-usable current choice is still the
                // cheapest: only candidates that lost their route search again. An exhausted
                // offer has no route left at all.
                if (!std::isfinite(cand_cost_[k])) {
                    // nothing usable before: nothing now
                } else if (exhausted_[ix(cand_offer_[k])]) {
                    set_candidate_route(k, -1, kInf, nullptr);
                } else if (cand_licence_[k] ||
                           route_exhausted(
                               b, cand_offer_[k], cand_route_[k],
                               legality_.quotas(cand_quota_begin_[k], cand_quota_end_[k]))) {
                    double cost = kInf;
                    const policy::RouteStatus* st = nullptr;
                    const int r = cand_wnow_[k] > 0.0 ? best_route(b, k, true, cost, st) : -1;
                    set_candidate_route(k, r, cost, st);
                }
                cmin = std::min(cmin, cand_cost_[k]);
            }
            if (!std::isfinite(cmin)) {
                unmet_[b] += residual_[b];
                continue;
            }
            double total = 0.0;
            for (std::size_t k = cand_begin_[b]; k < cand_begin_[b + 1]; ++k)
                if (std::isfinite(cand_cost_[k])) {
                    cand_request_[k] = cand_wnow_[k] * std::pow(cand_cost_[k] / cmin, -sigma);
                    total += cand_request_[k];
                }
            for (std::size_t k = cand_begin_[b]; k < cand_begin_[b + 1]; ++k)
                if (std::isfinite(cand_cost_[k]))
                    cand_request_[k] = residual_[b] * cand_request_[k] / total;
            next_active_.push_back(bi);
        }
        active_.swap(next_active_);
    }

    // Quotas consumed this tick.
    for (const auto& f : fills_)
        for (auto q : legality_.quotas(f.quota_begin, f.quota_end)) quota_left_[q] -= f.compute;
    // Production is settled with clearing: produce to keep about one tick of capacity in
    // stock, never more than capacity; offers with unlimited capacity produce to order.
    std::fill(shipped_.begin(), shipped_.end(), 0.0);
    for (const auto& f : fills_) shipped_[ix(f.offer)] += f.compute / measure(ix(f.buyer), f.offer);
    for (std::size_t o = 0; o < no; ++o) {
        if (std::isfinite(capacity_[o])) {
            produced_[o] = std::clamp(orders_[o] + capacity_[o] - stock_[o], 0.0, capacity_[o]);
            // Never ship what was not there (guards rounding in the rationing arithmetic).
            shipped_[o] = std::min(shipped_[o], stock_[o] + produced_[o]);
        } else {
            produced_[o] = std::max(0.0, shipped_[o] - stock_[o]);
        }
        stock_[o] = opening_stock_[o] + produced_[o] - shipped_[o];
        if (stock_[o] < 0.0 && stock_[o] > -1e-9 * std::max(1.0, shipped_[o])) stock_[o] = 0.0;
    }
    for (std::size_t b = 0; b < nb; ++b) backlog_[b] = world_.buyers[b].backlog * unmet_[b];
    settle_inputs();
}

void Simulation::settle_inputs() {
    // Inputs used by this tick's production; equipment wears out; next tick's plan.
    for (auto& p : purchasers_) {
        const auto& sup = world_.suppliers[ix(p.supplier)];
        double used = 0.0;
        if (p.equipment) {
            used = p.stock * sup.equipment->depreciation;
            installed_[ix(p.supplier)] = p.stock - used;
        } else {
            for (Index o : sup.offers)
                for (const auto& in : world_.offers[ix(o)].inputs)
                    if (in.product == p.product) used += produced_[ix(o)] * in.per_unit;
            used = std::min(used, p.stock);  // guards rounding: output never exceeds input stock
        }
        p.used += used;
        p.stock -= used;
    }
    // Planned output: what buyers asked for, within the capacity the supplier's equipment or
    // plant allows (not the input-limited capacity: a supplier short of inputs plans to buy more).
    for (std::size_t o = 0; o < n_offers(); ++o)
        planned_[o] =
            std::isfinite(base_capacity_[o]) ? std::min(orders_[o], base_capacity_[o]) : orders_[o];
}

void Simulation::phase_shipping() {
    enter(Phase::shipping);
    const auto& s = world_;
    const std::size_t slots = transit_.size();
    auto& countries = record_.countries;
    countries.resize(s.countries.size());
    for (std::size_t c = 0; c < countries.size(); ++c)
        countries[c] = CountryRecord{static_cast<Index>(c)};

    // One flow per (offer, route, buyer, licensed), in that order: a counting sort by offer,
    // then each offer's fills by route, buyer, licensed and booking order (so fills of one key
    // are summed in the order they were booked).
    {
        const std::size_t no = n_offers();
        offer_fill_begin_.assign(no + 1, 0);
        for (const auto& f : fills_) ++offer_fill_begin_[ix(f.offer) + 1];
        for (std::size_t o = 0; o < no; ++o) offer_fill_begin_[o + 1] += offer_fill_begin_[o];
        sorted_fills_.resize(fills_.size());
        offer_fill_next_.assign(offer_fill_begin_.begin(), offer_fill_begin_.end() - 1);
        for (const auto& f : fills_) sorted_fills_[offer_fill_next_[ix(f.offer)]++] = f;
        for (std::size_t o = 0; o < no; ++o)
            std::sort(sorted_fills_.begin() + static_cast<std::ptrdiff_t>(offer_fill_begin_[o]),
                      sorted_fills_.begin() + static_cast<std::ptrdiff_t>(offer_fill_begin_[o + 1]),
                      [](const Request& a, const Request& b) {
                          return std::tie(a.route, a.buyer, a.licensed, a.seq) <
                                 std::tie(b.route, b.buyer, b.licensed, b.seq);
                      });
        fills_.swap(sorted_fills_);
    }
    for (std::size_t i = 0; i < fills_.size();) {
        Request agg = fills_[i];
        std::size_t j = i + 1;
        for (; j < fills_.size() && fills_[j].offer == agg.offer && fills_[j].route == agg.route &&
               fills_[j].buyer == agg.buyer && fills_[j].licensed == agg.licensed;
             ++j)
            agg.compute += fills_[j].compute;
        i = j;
        const Index o = agg.offer;
        const auto& off = s.offers[ix(o)];
        const auto& sup = s.suppliers[ix(off.supplier)];
        const Index buyer_country = buyer_country_[ix(agg.buyer)];
        const bool diverted = agg.diverted && !agg.licensed;
        const bool remote = legality_.is_remote(agg.route);
        // Where the goods go: the buyer's country, or the data centre abroad for remote use.
        const Index dest = remote ? legality_.remote_site(agg.route) : buyer_country;
        FlowRecord f;
        f.offer = o;
        f.supplier = off.supplier;
        f.product = off.product;
        f.origin = sup.ships_from;
        f.via = is_hub(agg.route) ? s.routes[ix(agg.route - 1)].via : remote ? dest : model::kNone;
        f.destination = remote ? buyer_country : dest;
        f.buyer = agg.buyer;
        f.channel = remote          ? Channel::remote
                    : agg.licensed  ? Channel::licensed
                    : diverted      ? Channel::diverted
                    : agg.route > 0 ? Channel::transshipped
                                    : Channel::direct;
        f.units = agg.compute / measure(ix(agg.buyer), o);
        f.compute = f.units * offer_compute_[ix(o)];
        f.value_usd = f.units * price_[ix(o)];
        if (!diverted) {
            f.tariff_usd = f.value_usd * policies_.tariff(dest, o);
            policies_.for_each_fee(dest, o, [&](const model::Policy& pol) {
                const double fee = f.value_usd * pol.rate;
                f.fee_usd += fee;
                countries[ix(pol.by)].fee_revenue_usd += fee;
            });
            countries[ix(dest)].tariff_revenue_usd += f.tariff_usd;
        } else {
            Rng rng = Rng(s.seed, static_cast<std::uint64_t>(config_.run),
                          static_cast<std::uint64_t>(agg.buyer), Purpose::seizure)
                          .substream((static_cast<std::uint64_t>(tick_) * n_offers() + ix(o)) *
                                         n_routes() +
                                     static_cast<std::uint64_t>(agg.route));
            f.seized_units = draw_seized(f.units, legality_.detection(o, agg.route), rng);
            countries[ix(buyer_country)].seized_units += f.seized_units;
        }
        const std::size_t r = static_cast<std::size_t>(agg.route);
        const int delay = is_hub(agg.route) ? s.routes[r - 1].delay_ticks : s.transport_delay_ticks;
        route_shipped_[r] += f.units;
        route_seized_[r] += f.seized_units;
        route_in_transit_[r] += f.units - f.seized_units;
        if (f.units - f.seized_units > 0.0) {
            transit_[static_cast<std::size_t>(tick_ + delay) % slots].push_back(
                {f.buyer, o, agg.route, f.units - f.seized_units, diverted});
            if (purchaser_of_[ix(f.buyer)] >= 0)
                purchasers_[static_cast<std::size_t>(purchaser_of_[ix(f.buyer)])].in_transit +=
                    f.units - f.seized_units;
        }
        record_.flows.push_back(f);
    }

    // Deliveries due this tick.
    auto& due = transit_[static_cast<std::size_t>(tick_) % slots];
    for (const auto& a : due) {
        route_delivered_[ix(a.route)] += a.units;
        route_in_transit_[ix(a.route)] -= a.units;
        const int pi = purchaser_of_[ix(a.buyer)];
        if (pi >= 0) {
            // Inputs go into the supplier's stock; equipment is installed after its lag.
            auto& p = purchasers_[static_cast<std::size_t>(pi)];
            p.in_transit -= a.units;
            if (p.equipment) {
                // Installed `lag` ticks after delivery (at the earliest next tick: this
                // tick's capacity is already set).
                const int lag = s.suppliers[ix(p.supplier)].equipment->lag_ticks;
                installations_.push_back(
                    {tick_ + std::max(1, lag), static_cast<std::size_t>(pi), a.units});
                p.awaiting += a.units;
            } else {
                p.stock += a.units;
                p.received += a.units;
            }
            continue;
        }
        const Index home = buyer_country_[ix(a.buyer)];
        const double compute = a.units * offer_compute_[ix(a.offer)];
        // Chips land where they are used: the buyer's country, or the data centre abroad.
        auto& land =
            countries[ix(legality_.is_remote(a.route) ? legality_.remote_site(a.route) : home)];
        land.imports_units += a.units;
        land.imports_compute += compute;
        if (a.diverted) countries[ix(home)].diverted_compute += compute;
        if (legality_.is_remote(a.route)) countries[ix(home)].remote_compute += compute;
        countries[ix(home)].compute_used += compute;
    }
    due.clear();
}

void Simulation::phase_prices() {
    enter(Phase::prices);
    for (std::size_t o = 0; o < n_offers(); ++o) {
        const auto& off = world_.offers[o];
        const auto& sup = world_.suppliers[ix(off.supplier)];
        const double cap = capacity_[o];
        if (sup.price_adjustment == 0.0 || !std::isfinite(cap) || cap <= 0.0) continue;
        // price ← max(unit_cost, price·(1 + step·(orders − capacity)/capacity)), where the step
        // is `price_adjustment` but halves each time excess demand changes sign and recovers
        // by 20% a tick up to `price_adjustment` while it keeps its sign. Without this, buyers
        // who substitute strongly (high σ) make the plain rule cycle forever; with it the
        // engine settles where the equilibrium solver says.
        const double excess = (orders_[o] - cap) / cap;
        if (excess * last_excess_[o] < 0.0)
            price_step_[o] *= 0.5;
        else
            price_step_[o] = std::min(sup.price_adjustment, price_step_[o] * 1.2);
        last_excess_[o] = excess;
        const double change = std::max(-0.5, price_step_[o] * excess);
        price_[o] = std::max(off.unit_cost, price_[o] * (1.0 + change));
    }
}

void Simulation::phase_records(Recorder& recorder) {
    enter(Phase::records);
    const auto& s = world_;
    record_.tick = tick_;
    record_.date = s.time.calendar().date_of(tick_);

    // Markets report the price charged during this tick (phase 8 sets the next tick's).
    record_.markets.resize(n_offers());
    for (std::size_t o = 0; o < n_offers(); ++o) {
        auto& m = record_.markets[o];
        m.offer = static_cast<Index>(o);
        m.price = charged_price_[o];
        m.capacity = capacity_[o];
        m.produced = produced_[o];
        m.orders = orders_[o];
        m.shipped = shipped_[o];
        m.stock = stock_[o];
    }

    // Countries: unmet demand and the demand-weighted price index of their (chip) buyers.
    for (std::size_t b = 0; b < n_buyers(); ++b)
        if (purchaser_of_[b] < 0)
            record_.countries[ix(s.buyers[b].country)].unmet_compute += unmet_[b];
    // Demand-weighted price index per country: one pass over buyers (sums kept in price_index
    // and a scratch array), in buyer order so sums are the same as a per-country loop.
    country_q_.assign(record_.countries.size(), 0.0);
    for (std::size_t b = 0; b < n_buyers(); ++b) {
        if (purchaser_of_[b] >= 0 || !std::isfinite(buyer_p_[b])) continue;
        const std::size_t c = ix(s.buyers[b].country);
        country_q_[c] += buyer_q_[b];
        record_.countries[c].price_index += buyer_q_[b] * buyer_p_[b];
    }
    for (std::size_t c = 0; c < record_.countries.size(); ++c) {
        auto& cr = record_.countries[c];
        cr.price_index = country_q_[c] > 0.0 ? cr.price_index / country_q_[c] : 0.0;
    }

    // Revenue by supplier and billing country, in index order. Diverted sales are invoiced to
    // the front buyer in the hub.
    const std::size_t nc = s.countries.size();
    rev_units_.assign(s.suppliers.size() * nc, 0.0);
    rev_usd_.assign(s.suppliers.size() * nc, 0.0);
    for (const auto& f : record_.flows) {
        // Diverted sales are invoiced to the front buyer in the hub; chips for remote use to the
        // data centre abroad.
        const Index billing = f.channel == Channel::diverted || f.channel == Channel::remote
                                  ? f.via
                                  : buyer_billing_[ix(f.buyer)];
        const std::size_t cell = ix(f.supplier) * nc + ix(billing);
        rev_units_[cell] += f.units;
        rev_usd_[cell] += f.value_usd - f.fee_usd;
    }
    for (std::size_t cell = 0; cell < rev_units_.size(); ++cell) {
        if (rev_units_[cell] <= 0.0) continue;
        record_.revenue.push_back(RevenueRecord{static_cast<Index>(cell / nc),
                                                static_cast<Index>(cell % nc), rev_units_[cell],
                                                rev_usd_[cell]});
    }

    supplier_records();
    behaviour();
    if (config_.check_invariants) check_invariants();
    recorder.record(record_);
}

void Simulation::supplier_records() {
    for (const auto& p : purchasers_) {
        SupplierRecord r;
        r.supplier = p.supplier;
        r.product = p.product;
        r.equipment = p.equipment;
        r.opening = p.opening;
        r.received = p.received;
        r.used = p.used;
        r.closing = p.stock;
        r.pipeline = p.in_transit + p.awaiting;
        if (p.equipment)
            r.capacity = p.stock * world_.suppliers[ix(p.supplier)].equipment->capacity_per_unit;
        record_.suppliers.push_back(r);
    }
}

double Simulation::reaction_metric(const model::Reaction& r) const {
    const std::string& m = r.metric;
    double v = 0.0;
    if (m == "diverted_units" || m == "diverted_compute" ||
        (m == "seized_units" && r.via != model::kNone)) {
        for (const auto& f : record_.flows) {
            if (f.channel != Channel::diverted) continue;
            if (r.via != model::kNone && f.via != r.via) continue;
            if (r.country != model::kNone && f.destination != r.country) continue;
            v += m == "diverted_units"     ? f.units
                 : m == "diverted_compute" ? f.compute
                                           : f.seized_units;
        }
        return v;
    }
    double qsum = 0.0;
    for (const auto& cr : record_.countries) {
        if (r.country != model::kNone && cr.country != r.country) continue;
        if (m == "imports_compute")
            v += cr.imports_compute;
        else if (m == "unmet_compute")
            v += cr.unmet_compute;
        else if (m == "seized_units")
            v += cr.seized_units;
        else if (m == "price_index") {
            v += cr.price_index;
            qsum += 1.0;
        }
    }
    return m == "price_index" && qsum > 0.0 ? v / qsum : v;
}

void Simulation::behaviour() {
    // Reactions: a rule fires when its condition has held for `for` consecutive ticks; its
    // policy is announced now and takes force `lag` ticks later (at the earliest next tick).
    for (std::size_t i = 0; i < reactions_.size(); ++i) {
        auto& st = reactions_[i];
        if (st.triggered) continue;
        const auto& r = world_.reactions[i];
        const double v = reaction_metric(r);
        const bool holds = (r.above && v > *r.above) || (r.below && v < *r.below);
        st.streak = holds ? st.streak + 1 : 0;
        if (st.streak < r.for_ticks) continue;
        st.triggered = true;
        auto& pol = world_.policies[ix(st.policy)];
        pol.announced_tick = tick_;
        pol.from_tick = tick_ + std::max(1, r.lag_ticks);
        EventRecord& ev = record_.events.add();
        ev.actor = world_.countries[ix(r.by)].code;
        ev.id = r.id;
        ev.event = EventKind::triggered;
        fmt::format_to(std::back_inserter(ev.detail),
                       "{}={:.4f} for {} tick(s); {} in force from {}", r.metric, v, r.for_ticks,
                       model::to_string(pol.type),
                       format_date(world_.time.calendar().date_of(pol.from_tick)));
    }
    // Design-around: a binding control makes the supplier launch its variant after the lag.
    for (auto& v : variants_) {
        if (v.launch_tick != kNever || !v.binds_statically || !policies_.in_force(v.control))
            continue;
        const auto& sup = world_.suppliers[ix(world_.offers[ix(v.offer)].supplier)];
        v.launch_tick = tick_ + std::max(1, sup.design_around->lag_ticks);
        launch_tick_[ix(v.offer)] = v.launch_tick;
    }
}

void Simulation::check_invariants() const {
    auto close = [](double a, double b) {
        return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
    };
    for (std::size_t o = 0; o < n_offers(); ++o) {
        if (!close(opening_stock_[o] + produced_[o], shipped_[o] + stock_[o]) || stock_[o] < 0.0 ||
            produced_[o] < 0.0)
            throw RunError(fmt::format(
                "tick {}: stock identity broken for offer {}: opening {} + produced {} != "
                "shipped {} + closing {}",
                tick_, o, opening_stock_[o], produced_[o], shipped_[o], stock_[o]));
    }
    for (std::size_t r = 0; r < route_shipped_.size(); ++r) {
        if (!close(route_shipped_[r],
                   route_delivered_[r] + route_seized_[r] + route_in_transit_[r]))
            throw RunError(fmt::format(
                "tick {}: transit identity broken on route {}: shipped {} != delivered {} + "
                "seized {} + in transit {}",
                tick_, r, route_shipped_[r], route_delivered_[r], route_seized_[r],
                route_in_transit_[r]));
    }
    for (const auto& r : record_.suppliers)
        if (!close(r.opening + r.received, r.used + r.closing) || r.closing < -1e-9)
            throw RunError(fmt::format(
                "tick {}: input stock identity broken for supplier {} product {}: {} + {} != "
                "{} + {}",
                tick_, r.supplier, r.product, r.opening, r.received, r.used, r.closing));
    std::vector<double> flow_units(n_offers(), 0.0);
    for (const auto& f : record_.flows) {
        flow_units[ix(f.offer)] += f.units;
        if (!close(f.value_usd, f.units * charged_price_[ix(f.offer)]))
            throw RunError(
                fmt::format("tick {}: value != units × price for offer {}", tick_, f.offer));
        if (f.seized_units < 0.0 || f.seized_units > f.units * (1.0 + 1e-12))
            throw RunError(
                fmt::format("tick {}: seized {} of {} units", tick_, f.seized_units, f.units));
    }
    for (std::size_t o = 0; o < n_offers(); ++o)
        if (shipped_[o] < 0.0 || !close(shipped_[o], flow_units[o]))
            throw RunError(fmt::format("tick {}: offer {} shipped {} but its flows carry {}", tick_,
                                       o, shipped_[o], flow_units[o]));
}

}  // namespace ts::engine
