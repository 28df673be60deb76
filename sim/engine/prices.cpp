#include "engine/prices.hpp"

#include <algorithm>
#include <cmath>

namespace ts::engine {

namespace {

// The most a clearing price moves in one tick, and in one Newton iteration: a factor of 2 either
// way. A market whose clearing price is further away gets there over a few ticks; one without a
// clearing price (demand above capacity that does not respond to price) rises by ×2 a tick
// instead of without bound within the tick (tradesim equilibrium reports it as ill-posed).
const double kMaxLogStep = std::log(2.0);
constexpr int kIterations = 60;       // Newton iterations per tick, at most
constexpr double kTolerance = 1e-10;  // |log(orders/capacity)| at which a price clears

void adjust_price(const model::Offer& off, double step_cap, std::size_t o, OfferState& offers) {
    const double cap = offers.capacity[o];
    const double excess = (offers.orders[o] - cap) / cap;
    if (excess * offers.last_excess[o] < 0.0)
        offers.price_step[o] *= 0.5;
    else
        offers.price_step[o] = std::min(step_cap, offers.price_step[o] * 1.2);
    offers.last_excess[o] = excess;
    const double change = std::max(-0.5, offers.price_step[o] * excess);
    offers.price[o] = std::max(off.unit_cost, offers.price[o] * (1.0 + change));
}

double log_ratio(const ClearingPriceState& c, Index offer) {
    const int i = c.pos[ix(offer)];
    return i < 0 ? 0.0 : c.log_r[static_cast<std::size_t>(i)];
}

// One buyer at trial prices (price·r): log Π = log(P'/P) by log-sum-exp over its requests
// (safe for σ in the hundreds), the composite factor Q'/Q, the trial requests, and for the
// Newton system each request's spending share s' at the trial prices and σ − η' there, handed
// to `on_request`.
template <class F>
void trial_buyer(const CandidateState& cands, std::size_t b, double sigma, double eta,
                 ClearingPriceState& c, F&& on_request) {
    const std::size_t begin = cands.begin[b], end = cands.begin[b + 1];
    double top = -kInf, fixed = 0.0;
    for (std::size_t k = begin; k < end; ++k) {
        if (!(c.share[k] > 0.0)) continue;
        fixed = c.fixed[k];
        top = std::max(top, std::log(c.share[k]) + (1.0 - sigma) * log_ratio(c, cands.offer[k]));
    }
    if (top == -kInf) return;
    double sum = 0.0, geo = 0.0;
    for (std::size_t k = begin; k < end; ++k) {
        if (!(c.share[k] > 0.0)) continue;
        const double lr = log_ratio(c, cands.offer[k]);
        sum += std::exp(std::log(c.share[k]) + (1.0 - sigma) * lr - top);
        geo += c.share[k] * lr;
    }
    const double log_sum = top + std::log(sum);
    const bool cobb_douglas = std::abs(sigma - 1.0) < 1e-12;
    const double log_pi = cobb_douglas ? geo : log_sum / (1.0 - sigma);
    const double priced = (1.0 - fixed) * std::exp(-eta * log_pi);
    const double q_factor = priced + fixed;
    const double eta_now = q_factor > 0.0 ? eta * priced / q_factor : 0.0;
    for (std::size_t k = begin; k < end; ++k) {
        if (!(c.share[k] > 0.0)) continue;
        const double lr = log_ratio(c, cands.offer[k]);
        const double s_now = cobb_douglas
                                 ? c.share[k]
                                 : std::exp(std::log(c.share[k]) + (1.0 - sigma) * lr - log_sum);
        c.trial[k] = c.units[k] * std::exp(-sigma * lr + sigma * log_pi) * q_factor;
        on_request(k, s_now, sigma - eta_now);
    }
}

// Trial demand of every unknown, its log excess over capacity at the trial price, and (with
// `jacobian`) d log demand / d log r − ε·I over the unknowns that are not held.
void evaluate(const model::Scenario& world, const CandidateState& cands, const OfferState& offers,
              ClearingPriceState& c, bool jacobian) {
    const std::size_t n = c.unknowns.size();
    std::fill(c.demand.begin(), c.demand.end(), 0.0);
    for (std::size_t b = 0; b + 1 < cands.begin.size(); ++b) {
        const auto& buyer = world.buyers[b];
        trial_buyer(cands, b, buyer.substitution, buyer.price_elasticity, c,
                    [&](std::size_t k, double, double) {
                        const int i = c.pos[ix(cands.offer[k])];
                        if (i >= 0) c.demand[static_cast<std::size_t>(i)] += c.trial[k];
                    });
    }
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t o = c.unknowns[i];
        const double supply =
            offers.capacity[o] * std::exp(world.offers[o].supply_elasticity * c.log_r[i]);
        // This tick's orders, scaled by the response of the CES requests to the trial prices.
        const double orders =
            c.base[i] > 0.0 ? offers.orders[o] * c.demand[i] / c.base[i] : offers.orders[o];
        c.excess[i] = std::log(std::max(orders, kTiny) / supply);
    }
    if (!jacobian) return;
    std::fill(c.jac.begin(), c.jac.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i)
        c.jac[i * n + i] = -world.offers[c.unknowns[i]].supply_elasticity;
    for (std::size_t b = 0; b + 1 < cands.begin.size(); ++b) {
        const auto& buyer = world.buyers[b];
        const double sigma = buyer.substitution;
        // d log q_k / d log r_j = −σ·[k is j] + (σ − η')·s'_j: the own term per request here,
        // the index term once the buyer's trial shares are known (second pass).
        trial_buyer(cands, b, sigma, buyer.price_elasticity, c,
                    [&](std::size_t k, double s_now, double pull) {
                        const int i = c.pos[ix(cands.offer[k])];
                        if (i < 0 || c.demand[static_cast<std::size_t>(i)] <= kTiny) return;
                        const std::size_t row = static_cast<std::size_t>(i);
                        const double w = c.trial[k] / c.demand[row];
                        c.jac[row * n + row] -= w * sigma;
                        for (std::size_t l = cands.begin[b]; l < cands.begin[b + 1]; ++l) {
                            const int j = c.pos[ix(cands.offer[l])];
                            if (j < 0 || l == k || !(c.share[l] > 0.0)) continue;
                            // s'_l from s'_k: the ratio of shares is s_l·r_l^(1−σ)/(s_k·r_k^(1−σ)).
                            const double s_l =
                                s_now * c.share[l] / c.share[k] *
                                std::exp((1.0 - sigma) *
                                         (c.log_r[static_cast<std::size_t>(j)] - c.log_r[row]));
                            c.jac[row * n + static_cast<std::size_t>(j)] += w * pull * s_l;
                        }
                        c.jac[row * n + row] += w * pull * s_now;
                    });
    }
}

// Solves jac·step = −excess over the unknowns that are not held (the others' rows and columns
// are replaced by identity), Gaussian elimination with partial pivoting. False if singular.
bool newton_step(ClearingPriceState& c) {
    const std::size_t n = c.unknowns.size();
    for (std::size_t i = 0; i < n; ++i) {
        c.step[i] = c.held[i] ? 0.0 : -c.excess[i];
        for (std::size_t j = 0; j < n; ++j)
            if (c.held[i] || c.held[j]) c.jac[i * n + j] = i == j ? 1.0 : 0.0;
    }
    for (std::size_t col = 0; col < n; ++col) {
        std::size_t best = col;
        for (std::size_t r = col + 1; r < n; ++r)
            if (std::abs(c.jac[r * n + col]) > std::abs(c.jac[best * n + col])) best = r;
        if (!(std::abs(c.jac[best * n + col]) > 1e-300)) return false;
        if (best != col) {
            for (std::size_t j = 0; j < n; ++j) std::swap(c.jac[col * n + j], c.jac[best * n + j]);
            std::swap(c.step[col], c.step[best]);
        }
        for (std::size_t r = col + 1; r < n; ++r) {
            const double f = c.jac[r * n + col] / c.jac[col * n + col];
            if (f == 0.0) continue;
            for (std::size_t j = col; j < n; ++j) c.jac[r * n + j] -= f * c.jac[col * n + j];
            c.step[r] -= f * c.step[col];
        }
    }
    for (std::size_t col = n; col-- > 0;) {
        double v = c.step[col];
        for (std::size_t j = col + 1; j < n; ++j) v -= c.jac[col * n + j] * c.step[j];
        c.step[col] = v / c.jac[col * n + col];
    }
    return true;
}

// Newton in log price on demand(p) = capacity·(p/price)^ε for all clearing offers at once, with
// the complementarity p ≥ unit_cost (an offer at unit cost with spare capacity is held there).
void clear_prices(const model::Scenario& world, const CandidateState& cands, OfferState& offers) {
    ClearingPriceState& c = offers.clearing;
    const std::size_t n = c.unknowns.size();
    std::fill(c.base.begin(), c.base.end(), 0.0);
    for (std::size_t k = 0; k < cands.size(); ++k) {
        const int i = c.pos[ix(cands.offer[k])];
        if (i >= 0) c.base[static_cast<std::size_t>(i)] += c.units[k];
    }
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t o = c.unknowns[i];
        const double cap = offers.capacity[o], uc = world.offers[o].unit_cost;
        c.log_r[i] = 0.0;
        c.floor[i] = std::max(-kMaxLogStep, uc > 0.0 ? std::log(uc / offers.price[o]) : -kInf);
        // Unavailable or unlimited offers keep their price, and so do offers whose orders are
        // not this tick's CES requests (licence grants, re-choice: no response to measure);
        // offers nobody orders from step down as far as one tick allows (halfway, or to unit
        // cost).
        c.held[i] =
            !std::isfinite(cap) || cap <= 0.0 || offers.orders[o] <= kTiny || !(c.base[i] > 0.0);
        if (std::isfinite(cap) && cap > 0.0 && offers.orders[o] <= kTiny) c.log_r[i] = c.floor[i];
    }
    for (int it = 0; it < kIterations; ++it) {
        evaluate(world, cands, offers, c, true);
        double worst = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            if (c.held[i] && (offers.orders[c.unknowns[i]] <= kTiny || !(c.base[i] > 0.0)))
                continue;
            const bool at_floor = c.log_r[i] <= c.floor[i] + 1e-15;
            const bool at_top = c.log_r[i] >= kMaxLogStep - 1e-15;
            c.held[i] = !std::isfinite(offers.capacity[c.unknowns[i]]) ||
                        offers.capacity[c.unknowns[i]] <= 0.0 || (at_floor && c.excess[i] < 0.0) ||
                        (at_top && c.excess[i] > 0.0);
            if (!c.held[i]) worst = std::max(worst, std::abs(c.excess[i]));
        }
        if (worst < kTolerance || !newton_step(c)) break;
        for (std::size_t i = 0; i < n; ++i)
            if (!c.held[i])
                c.log_r[i] =
                    std::clamp(c.log_r[i] + std::clamp(c.step[i], -kMaxLogStep, kMaxLogStep),
                               c.floor[i], kMaxLogStep);
    }
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t o = c.unknowns[i];
        offers.price[o] =
            std::max(world.offers[o].unit_cost, offers.price[o] * std::exp(c.log_r[i]));
    }
}

}  // namespace

void phase_prices(const model::Scenario& world, const CandidateState& cands, OfferState& offers) {
    for (std::size_t o = 0; o < offers.size(); ++o) {
        const auto& off = world.offers[o];
        const auto& sup = world.suppliers[ix(off.supplier)];
        const double cap = offers.capacity[o];
        if (sup.price_adjustment == 0.0 || sup.clearing_price || !std::isfinite(cap) || cap <= 0.0)
            continue;
        adjust_price(off, sup.price_adjustment, o, offers);
    }
    if (offers.clearing.used) clear_prices(world, cands, offers);
}

void init_clearing_prices(const model::Scenario& world, std::size_t candidates,
                          OfferState& offers) {
    ClearingPriceState& c = offers.clearing;
    c.used = std::any_of(world.suppliers.begin(), world.suppliers.end(),
                         [](const model::Supplier& s) { return s.clearing_price; });
    if (!c.used) return;
    c.pos.assign(offers.size(), -1);
    for (std::size_t o = 0; o < offers.size(); ++o) {
        if (!world.suppliers[ix(world.offers[o].supplier)].clearing_price) continue;
        c.pos[o] = static_cast<int>(c.unknowns.size());
        c.unknowns.push_back(o);
    }
    const std::size_t n = c.unknowns.size();
    for (auto* v : {&c.units, &c.share, &c.fixed, &c.trial}) v->assign(candidates, 0.0);
    for (auto* v : {&c.log_r, &c.floor, &c.base, &c.demand, &c.excess, &c.step}) v->assign(n, 0.0);
    c.held.assign(n, 0);
    c.jac.assign(n * n, 0.0);
}

void note_demand_response(const BuyerState& buyers, const CandidateState& cands,
                          OfferState& offers) {
    ClearingPriceState& c = offers.clearing;
    for (std::size_t b = 0; b < buyers.size(); ++b) {
        double spend = 0.0;
        for (std::size_t k = cands.begin[b]; k < cands.begin[b + 1]; ++k)
            if (cands.request[k] > 0.0) spend += cands.request[k] * cands.cost[k];
        const double q = buyers.quantity[b];
        const double fixed = q > 0.0 ? std::clamp(buyers.backlog[b] / q, 0.0, 1.0) : 0.0;
        for (std::size_t k = cands.begin[b]; k < cands.begin[b + 1]; ++k) {
            const bool asked = cands.request[k] > 0.0 && spend > 0.0;
            c.units[k] =
                asked ? cands.request[k] / measure(buyers, offers, b, cands.offer[k]) : 0.0;
            c.share[k] = asked ? cands.request[k] * cands.cost[k] / spend : 0.0;
            c.fixed[k] = fixed;
        }
    }
}

}  // namespace ts::engine
