#include "engine/simulation.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/error.hpp"
#include "market/ces.hpp"

namespace ts::engine {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kTiny = 1e-12;  // quantities below this are zero (rounding residue)

std::size_t ix(Index i) { return static_cast<std::size_t>(i); }
}  // namespace

const char* to_string(Phase p) {
    switch (p) {
        case Phase::idle: return "idle";
        case Phase::policy: return "policy";
        case Phase::production: return "production";
        case Phase::demand: return "demand";
        case Phase::legality: return "legality";
        case Phase::choice: return "choice";
        case Phase::clearing: return "clearing";
        case Phase::shipping: return "shipping";
        case Phase::prices: return "prices";
        case Phase::records: return "records";
    }
    return "?";
}

std::vector<std::string> Simulation::unsimulated_features(const model::Scenario& s) {
    std::vector<std::string> out;
    for (const auto& p : s.policies)
        if (!policy::PolicyBook::simulated(p.type))
            out.push_back(fmt::format("policy '{}' of type '{}' is read and reported in events.csv, but "
                                      "this version does not simulate its effect yet",
                                      p.id, model::to_string(p.type)));
    if (!s.reactions.empty())
        out.push_back(fmt::format("{} reaction rule(s) are read but not simulated yet", s.reactions.size()));
    for (const auto& sup : s.suppliers)
        if (sup.design_around)
            out.push_back(fmt::format("supplier '{}': design_around is read but not simulated yet", sup.id));
    return out;
}

Simulation::Simulation(const model::Scenario& scenario, RunConfig config)
    : scenario_(&scenario), config_(config), policies_(scenario) {
    const auto& s = scenario;
    const std::size_t no = n_offers(), nb = n_buyers();

    price_.resize(no);
    charged_price_.resize(no);
    capacity_.resize(no);
    stock_.resize(no);
    opening_stock_.resize(no);
    produced_.resize(no);
    orders_.resize(no);
    shipped_.resize(no);
    remaining_.resize(no);
    requested_.resize(no);
    available_.resize(no);
    exhausted_.resize(no);
    offer_compute_.resize(no);
    for (std::size_t o = 0; o < no; ++o) {
        const auto& off = s.offers[o];
        price_[o] = off.price;
        offer_compute_[o] = s.products[ix(off.product)].compute;
        // Start in the steady state the production rule keeps: one tick of capacity in stock
        // (none when capacity is unlimited: such offers produce to order).
        stock_[o] = std::isfinite(off.capacity) ? off.capacity : 0.0;
    }

    cand_begin_.assign(nb + 1, 0);
    for (std::size_t b = 0; b < nb; ++b) {
        const auto& w = s.buyers[b].weights;
        for (std::size_t o = 0; o < no; ++o) {
            // Chips only: components and equipment (compute 0) are bought by suppliers.
            if (o < w.size() && w[o] > 0.0 && offer_compute_[o] > 0.0) {
                cand_offer_.push_back(static_cast<Index>(o));
                cand_weight_.push_back(w[o]);
            }
        }
        cand_begin_[b + 1] = cand_offer_.size();
    }
    const std::size_t nk = cand_offer_.size();
    cand_cost_.assign(nk, kInf);
    cand_tariff_.assign(nk, 0.0);
    cand_request_.assign(nk, 0.0);
    cand_filled_.assign(nk, 0.0);

    base_demand_.assign(nb, 0.0);
    buyer_p_.assign(nb, kInf);
    buyer_q_.assign(nb, 0.0);
    residual_.assign(nb, 0.0);
    unmet_.assign(nb, 0.0);
    backlog_.assign(nb, 0.0);

    int max_delay = s.transport_delay_ticks;
    for (const auto& r : s.routes) max_delay = std::max(max_delay, r.delay_ticks);
    transit_.resize(static_cast<std::size_t>(max_delay) + 1);
    const std::size_t nr = s.routes.size() + 1;
    route_shipped_.assign(nr, 0.0);
    route_delivered_.assign(nr, 0.0);
    route_seized_.assign(nr, 0.0);
    route_in_transit_.assign(nr, 0.0);

    std::size_t widest = 0;
    for (std::size_t b = 0; b < nb; ++b) widest = std::max(widest, cand_begin_[b + 1] - cand_begin_[b]);
    scratch_w_.resize(widest);
    scratch_c_.resize(widest);
    scratch_q_.resize(widest);
    scratch_k_.resize(widest);
}

void Simulation::enter(Phase p) {
    // Phases run in the order of PRODUCT.md; each asserts it follows the one before.
    assert(static_cast<int>(p) == static_cast<int>(phase_) + 1 || (p == Phase::policy && phase_ == Phase::idle));
    phase_ = p;
}

void Simulation::step(Recorder& recorder) {
    if (done()) throw RunError("simulation already finished");
    if (tick_ == 0) recorder.begin(*scenario_, config_.run);
    record_.clear();
    phase_ = Phase::idle;
    phase_policy();      // 1. policies take force, lapse, are announced
    phase_production();  // 2. capacity this tick (production itself is settled in clearing)
    phase_demand();      // 3. composite demand before the price response
    phase_legality();    // 4. which offers each buyer can use, and at what landed cost
    phase_choice();      // 5. Armington CES choice
    phase_clearing();    // 6. rationing, re-choice, production
    phase_shipping();    // 7. shipments, transit, deliveries, tariffs and fees
    phase_prices();      // 8. price adjustment
    phase_records(recorder);  // 9. records
    phase_ = Phase::idle;
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
    policies_.advance(tick_, transitions_);
    for (const auto& tr : transitions_) {
        const auto& pol = scenario_->policies[ix(tr.policy)];
        EventRecord ev;
        ev.actor = scenario_->countries[ix(pol.by)].code;
        ev.id = pol.id;
        std::string detail = model::to_string(pol.type);
        if (pol.type == model::PolicyType::tariff || pol.type == model::PolicyType::export_fee)
            detail += fmt::format(" rate={}", pol.rate);
        switch (tr.kind) {
            case policy::Transition::Kind::announced:
                ev.event = EventKind::announced;
                if (pol.from_date) detail += " from " + format_date(*pol.from_date);
                break;
            case policy::Transition::Kind::in_force:
                ev.event = EventKind::in_force;
                if (pol.from_date && pol.from_tick < tick_) detail += " since " + format_date(*pol.from_date);
                break;
            case policy::Transition::Kind::lapsed: ev.event = EventKind::lapsed; break;
        }
        ev.detail = std::move(detail);
        record_.events.push_back(std::move(ev));
    }
}

void Simulation::phase_production() {
    enter(Phase::production);
    for (std::size_t o = 0; o < n_offers(); ++o) {
        const auto& off = scenario_->offers[o];
        available_[o] = policies_.offer_available(static_cast<Index>(o), tick_) ? 1 : 0;
        double cap = off.capacity;
        if (std::isfinite(cap) && off.supply_elasticity != 0.0)
            cap *= std::pow(price_[o] / off.price, off.supply_elasticity);
        capacity_[o] = available_[o] ? cap : 0.0;
        opening_stock_[o] = stock_[o];
        charged_price_[o] = price_[o];
    }
}

void Simulation::phase_demand() {
    enter(Phase::demand);
    for (std::size_t b = 0; b < n_buyers(); ++b) {
        const auto& buyer = scenario_->buyers[b];
        base_demand_[b] = buyer.demand * std::pow(1.0 + buyer.growth, static_cast<double>(tick_));
    }
}

void Simulation::phase_legality() {
    enter(Phase::legality);
    // Every (offer, route) is open in this version; the buyer reaches each offer by its
    // cheapest route, which without controls is the direct one (hub routes only add markup).
    for (std::size_t b = 0; b < n_buyers(); ++b) {
        const Index dest = scenario_->buyers[b].country;
        for (std::size_t k = cand_begin_[b]; k < cand_begin_[b + 1]; ++k) {
            const Index o = cand_offer_[k];
            if (!available_[ix(o)]) {
                cand_cost_[k] = kInf;
                continue;
            }
            cand_tariff_[k] = policies_.tariff(dest, o);
            cand_cost_[k] = market::landed_cost(price_[ix(o)], cand_tariff_[k], 0.0, offer_compute_[ix(o)]);
        }
    }
}

void Simulation::phase_choice() {
    enter(Phase::choice);
    for (std::size_t b = 0; b < n_buyers(); ++b) {
        const auto& buyer = scenario_->buyers[b];
        std::size_t n = 0;
        for (std::size_t k = cand_begin_[b]; k < cand_begin_[b + 1]; ++k) {
            cand_request_[k] = 0.0;
            cand_filled_[k] = 0.0;
            if (!std::isfinite(cand_cost_[k])) continue;
            scratch_w_[n] = cand_weight_[k];
            scratch_c_[n] = cand_cost_[k];
            scratch_k_[n] = k;
            ++n;
        }
        const std::span<const double> w(scratch_w_.data(), n), c(scratch_c_.data(), n);
        const double p = market::price_index(w, c, buyer.substitution);
        buyer_p_[b] = p;
        if (n == 0) {
            // Nothing usable: the whole reference demand (and backlog) goes unmet.
            buyer_q_[b] = base_demand_[b] + backlog_[b];
            continue;
        }
        const double q = base_demand_[b] * std::pow(p / buyer.reference_cost, -buyer.price_elasticity) + backlog_[b];
        buyer_q_[b] = q;
        market::allocate(w, c, buyer.substitution, q, std::span<double>(scratch_q_.data(), n));
        for (std::size_t i = 0; i < n; ++i) cand_request_[scratch_k_[i]] = scratch_q_[i];
    }
}

void Simulation::phase_clearing() {
    enter(Phase::clearing);
    const std::size_t no = n_offers(), nb = n_buyers();
    for (std::size_t o = 0; o < no; ++o) {
        remaining_[o] = stock_[o] + capacity_[o];
        orders_[o] = 0.0;
        exhausted_[o] = 0;
    }
    std::fill(unmet_.begin(), unmet_.end(), 0.0);
    for (std::size_t b = 0; b < nb; ++b)
        if (!std::isfinite(buyer_p_[b])) unmet_[b] = buyer_q_[b];

    auto& requested = requested_;  // per-offer tally of this round's requests (units)
    const int rounds = 1 + std::max(0, config_.rechoice_rounds);
    for (int round = 0; round < rounds; ++round) {
        std::fill(requested.begin(), requested.end(), 0.0);
        for (std::size_t k = 0; k < cand_offer_.size(); ++k)
            requested[ix(cand_offer_[k])] += cand_request_[k] / offer_compute_[ix(cand_offer_[k])];
        // Pro-rata rationing of each offer's requests to what it can ship.
        bool any_residual = false;
        for (std::size_t o = 0; o < no; ++o) orders_[o] += requested[o];
        for (std::size_t b = 0; b < nb; ++b) {
            residual_[b] = 0.0;
            for (std::size_t k = cand_begin_[b]; k < cand_begin_[b + 1]; ++k) {
                const double req = cand_request_[k];
                if (req <= 0.0) continue;
                const std::size_t o = ix(cand_offer_[k]);
                const double ratio = requested[o] > remaining_[o] ? remaining_[o] / requested[o] : 1.0;
                const double fill = req * ratio;
                cand_filled_[k] += fill;
                residual_[b] += req - fill;
                cand_request_[k] = 0.0;
            }
            if (residual_[b] > kTiny) any_residual = true;
        }
        for (std::size_t o = 0; o < no; ++o) {
            if (requested[o] >= remaining_[o] && requested[o] > 0.0) exhausted_[o] = 1;
            remaining_[o] = std::max(0.0, remaining_[o] - requested[o]);
        }
        if (!any_residual) break;
        const bool last = round + 1 == rounds;
        // Rationed buyers re-choose among the offers that still have goods, with the CES
        // quantity shares a_i·c_i^(−σ) restricted to those offers.
        for (std::size_t b = 0; b < nb; ++b) {
            if (residual_[b] <= kTiny) continue;
            const double sigma = scenario_->buyers[b].substitution;
            double cmin = kInf;
            for (std::size_t k = cand_begin_[b]; k < cand_begin_[b + 1]; ++k)
                if (std::isfinite(cand_cost_[k]) && !exhausted_[ix(cand_offer_[k])]) cmin = std::min(cmin, cand_cost_[k]);
            if (last || !std::isfinite(cmin)) {
                unmet_[b] += residual_[b];
                continue;
            }
            double total = 0.0;
            for (std::size_t k = cand_begin_[b]; k < cand_begin_[b + 1]; ++k)
                if (std::isfinite(cand_cost_[k]) && !exhausted_[ix(cand_offer_[k])])
                    total += cand_weight_[k] * std::pow(cand_cost_[k] / cmin, -sigma);
            for (std::size_t k = cand_begin_[b]; k < cand_begin_[b + 1]; ++k)
                if (std::isfinite(cand_cost_[k]) && !exhausted_[ix(cand_offer_[k])])
                    cand_request_[k] = residual_[b] * cand_weight_[k] * std::pow(cand_cost_[k] / cmin, -sigma) / total;
        }
    }

    // Production is settled with clearing: produce to keep about one tick of capacity in
    // stock, never more than capacity; offers with unlimited capacity produce to order.
    for (std::size_t o = 0; o < no; ++o) {
        const double shipped = stock_[o] + capacity_[o] - remaining_[o];
        shipped_[o] = std::isfinite(capacity_[o]) ? shipped : 0.0;
        if (std::isfinite(capacity_[o])) {
            produced_[o] = std::clamp(orders_[o] + capacity_[o] - stock_[o], 0.0, capacity_[o]);
        } else {
            produced_[o] = 0.0;  // set below from the allocations
        }
    }
    for (std::size_t k = 0; k < cand_offer_.size(); ++k) {
        const std::size_t o = ix(cand_offer_[k]);
        if (!std::isfinite(capacity_[o])) shipped_[o] += cand_filled_[k] / offer_compute_[o];
    }
    for (std::size_t o = 0; o < no; ++o) {
        if (!std::isfinite(capacity_[o])) produced_[o] = std::max(0.0, shipped_[o] - stock_[o]);
        stock_[o] = opening_stock_[o] + produced_[o] - shipped_[o];
        if (stock_[o] < 0.0 && stock_[o] > -1e-9 * std::max(1.0, shipped_[o])) stock_[o] = 0.0;
    }
    for (std::size_t b = 0; b < nb; ++b) backlog_[b] = scenario_->buyers[b].backlog * unmet_[b];
}

void Simulation::phase_shipping() {
    enter(Phase::shipping);
    const auto& s = *scenario_;
    const std::size_t slots = transit_.size();
    const int delay = s.transport_delay_ticks;
    auto& countries = record_.countries;
    countries.resize(s.countries.size());
    for (std::size_t c = 0; c < countries.size(); ++c) countries[c] = CountryRecord{static_cast<Index>(c)};

    for (std::size_t b = 0; b < n_buyers(); ++b) {
        const auto& buyer = s.buyers[b];
        for (std::size_t k = cand_begin_[b]; k < cand_begin_[b + 1]; ++k) {
            if (cand_filled_[k] <= 0.0) continue;
            const Index o = cand_offer_[k];
            const auto& off = s.offers[ix(o)];
            const auto& sup = s.suppliers[ix(off.supplier)];
            FlowRecord f;
            f.offer = o;
            f.supplier = off.supplier;
            f.product = off.product;
            f.origin = sup.ships_from;
            f.via = model::kNone;
            f.destination = buyer.country;
            f.buyer = static_cast<Index>(b);
            f.channel = Channel::direct;
            f.units = cand_filled_[k] / offer_compute_[ix(o)];
            f.compute = cand_filled_[k];
            f.value_usd = f.units * price_[ix(o)];
            f.tariff_usd = f.value_usd * cand_tariff_[k];
            policies_.for_each_fee(buyer.country, o, [&](const model::Policy& pol) {
                const double fee = f.value_usd * pol.rate;
                f.fee_usd += fee;
                countries[ix(pol.by)].fee_revenue_usd += fee;
            });
            countries[ix(buyer.country)].tariff_revenue_usd += f.tariff_usd;
            route_shipped_[0] += f.units;
            route_in_transit_[0] += f.units;
            transit_[static_cast<std::size_t>(tick_ + delay) % slots].push_back({f.buyer, o, 0, f.units});
            record_.flows.push_back(f);
        }
    }

    // Deliveries due this tick.
    auto& due = transit_[static_cast<std::size_t>(tick_) % slots];
    for (const auto& a : due) {
        const auto& buyer = s.buyers[ix(a.buyer)];
        auto& cr = countries[ix(buyer.country)];
        cr.imports_units += a.units;
        cr.imports_compute += a.units * offer_compute_[ix(a.offer)];
        route_delivered_[ix(a.route)] += a.units;
        route_in_transit_[ix(a.route)] -= a.units;
    }
    due.clear();
}

void Simulation::phase_prices() {
    enter(Phase::prices);
    for (std::size_t o = 0; o < n_offers(); ++o) {
        const auto& off = scenario_->offers[o];
        const auto& sup = scenario_->suppliers[ix(off.supplier)];
        const double cap = capacity_[o];
        if (sup.price_adjustment == 0.0 || !std::isfinite(cap) || cap <= 0.0) continue;
        price_[o] = std::max(off.unit_cost, price_[o] * (1.0 + sup.price_adjustment * (orders_[o] - cap) / cap));
    }
}

void Simulation::phase_records(Recorder& recorder) {
    enter(Phase::records);
    const auto& s = *scenario_;
    record_.tick = tick_;
    record_.date = s.time.calendar().date_of(tick_);

    // Markets report the price charged during this tick (phase 8 sets the next tick's).
    record_.markets.resize(n_offers());
    for (std::size_t o = 0; o < n_offers(); ++o) {
        auto& m = record_.markets[o];
        m.offer = static_cast<Index>(o);
        m.capacity = capacity_[o];
        m.produced = produced_[o];
        m.orders = orders_[o];
        m.shipped = shipped_[o];
        m.stock = stock_[o];
        m.price = charged_price_[o];
    }

    // Countries: unmet demand and the demand-weighted price index of their buyers.
    for (std::size_t b = 0; b < n_buyers(); ++b) {
        auto& cr = record_.countries[ix(s.buyers[b].country)];
        cr.unmet_compute += unmet_[b];
    }
    for (auto& cr : record_.countries) {
        double qsum = 0.0, pq = 0.0;
        for (std::size_t b = 0; b < n_buyers(); ++b) {
            if (s.buyers[b].country != cr.country || !std::isfinite(buyer_p_[b])) continue;
            qsum += buyer_q_[b];
            pq += buyer_q_[b] * buyer_p_[b];
        }
        cr.price_index = qsum > 0.0 ? pq / qsum : 0.0;
    }

    // Revenue by supplier and billing country, in index order.
    const std::size_t nc = s.countries.size();
    rev_units_.assign(s.suppliers.size() * nc, 0.0);
    rev_usd_.assign(s.suppliers.size() * nc, 0.0);
    for (const auto& f : record_.flows) {
        const std::size_t cell = ix(f.supplier) * nc + ix(s.buyers[ix(f.buyer)].billing_country);
        rev_units_[cell] += f.units;
        rev_usd_[cell] += f.value_usd - f.fee_usd;
    }
    for (std::size_t cell = 0; cell < rev_units_.size(); ++cell) {
        if (rev_units_[cell] <= 0.0) continue;
        record_.revenue.push_back(RevenueRecord{static_cast<Index>(cell / nc), static_cast<Index>(cell % nc),
                                                rev_units_[cell], rev_usd_[cell]});
    }

    if (config_.check_invariants) check_invariants();
    recorder.record(record_);
}

void Simulation::check_invariants() const {
    auto close = [](double a, double b) { return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)}); };
    for (std::size_t o = 0; o < n_offers(); ++o) {
        if (!close(opening_stock_[o] + produced_[o], shipped_[o] + stock_[o]) || stock_[o] < 0.0 || produced_[o] < 0.0)
            throw RunError(fmt::format("tick {}: stock identity broken for offer {}: opening {} + produced {} != "
                                       "shipped {} + closing {}",
                                       tick_, o, opening_stock_[o], produced_[o], shipped_[o], stock_[o]));
    }
    for (std::size_t r = 0; r < route_shipped_.size(); ++r) {
        if (!close(route_shipped_[r], route_delivered_[r] + route_seized_[r] + route_in_transit_[r]))
            throw RunError(fmt::format("tick {}: transit identity broken on route {}: shipped {} != delivered {} + "
                                       "seized {} + in transit {}",
                                       tick_, r, route_shipped_[r], route_delivered_[r], route_seized_[r],
                                       route_in_transit_[r]));
    }
    std::vector<double> flow_units(n_offers(), 0.0);
    for (const auto& f : record_.flows) {
        flow_units[ix(f.offer)] += f.units;
        if (!close(f.value_usd, f.units * charged_price_[ix(f.offer)]))
            throw RunError(fmt::format("tick {}: value != units × price for offer {}", tick_, f.offer));
    }
    for (std::size_t o = 0; o < n_offers(); ++o)
        if (shipped_[o] < 0.0 || !close(shipped_[o], flow_units[o]))
            throw RunError(fmt::format("tick {}: offer {} shipped {} but its flows carry {}", tick_, o, shipped_[o],
                                       flow_units[o]));
}

}  // namespace ts::engine
