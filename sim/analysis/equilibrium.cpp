#include "analysis/equilibrium.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <Eigen/Dense>

#include "core/error.hpp"
#include "market/ces.hpp"
#include "policy/legality.hpp"
#include "policy/policy_book.hpp"

namespace ts::analysis {

namespace {

using model::Index;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kSigmaOneTolerance =
    1e-9;  // as market::allocate: σ this close to 1 is Cobb–Douglas
constexpr double kLogPriceLimit =
    46.0;  // |log(p/base)| beyond this (×1e20): driven to 0 or infinity
constexpr double kMaxNewtonStep = 2.0;  // largest change of a log price in one Newton step
constexpr double kTinyOrders = 1e-300;  // floor under orders before taking logs

std::size_t ix(Index i) {
    return static_cast<std::size_t>(i);
}

/// How one buyer reaches one offer in one policy state: the engine's cheapest usable route.
struct Candidate {
    Index buyer = model::kNone;
    Index offer = model::kNone;
    int route = -1;         // chosen route (0 direct, r: hub r-1, then remote sites); -1 unusable
    double weight = 0.0;    // taste weight × import-restriction factor
    double wedge = kInf;    // cost per compute unit per USD of price: c = price × wedge
    double kappa = 1.0;     // share of requests that ship (licence approval)
    double arrive = 1.0;    // share of shipments that arrive (1 − detection when diverted)
    double tariff = 0.0;    // tariff rate on the shipment's value (0 when diverted)
    double per_unit = 1.0;  // compute per unit
    Index land = model::kNone;  // where the goods land: the buyer's country or the remote site
    bool diverted = false;
    bool licensed = false;
    std::size_t fee_begin = 0, fee_end = 0;  // export fees: Context::fees
    bool usable() const { return route >= 0; }
};

struct FeePart {
    Index country;  // the government collecting it
    double rate;
};

/// A limit the engine enforces by rationing: a hub route's capacity, a remote site's capacity
/// or a quota bucket. Σ coefficient × requested compute of the terms must stay under cap.
struct Limit {
    std::string what;
    double cap_per_tick = kInf;
    std::vector<std::pair<std::size_t, double>> terms;  // (candidate, per requested compute unit)
};

/// Everything the equilibrium needs from one policy state.
struct Context {
    std::string label;  // "at tick 11 (2024-12-01)" or "with no policies"
    std::vector<Candidate> cands;
    std::vector<std::size_t> begin;  // per buyer, size buyers + 1
    std::vector<FeePart> fees;
    std::vector<char> available;    // per offer
    std::vector<double> capacity0;  // per offer: capacity at the base price (0: unavailable)
    std::vector<char> endogenous;   // per offer: the price clears the market
    std::vector<Limit> limits;
    std::vector<Index> pending;  // policies announced but not yet in force
};

Context build_context(const model::Scenario& input, std::int64_t tick, bool no_policies,
                      std::string label) {
    // The world with no policies: every policy stays dormant (never announced, never in force).
    // Offers available only after a policy then never exist.
    model::Scenario dormant;
    const model::Scenario* sp = &input;
    if (no_policies) {
        dormant = input;
        const std::int64_t far = std::numeric_limits<std::int64_t>::max() / 4;
        for (auto& p : dormant.policies) {
            p.announced_tick = p.from_tick = far;
            p.until_tick = std::numeric_limits<std::int64_t>::max();
        }
        sp = &dormant;
    }
    const model::Scenario& s = *sp;
    policy::PolicyBook book(s);
    std::vector<policy::Transition> transitions;
    for (std::int64_t t = 0; t <= tick; ++t) {
        transitions.clear();
        book.advance(t, transitions);
    }
    policy::Legality leg(book);
    leg.rebuild();

    Context c;
    c.label = std::move(label);
    for (std::size_t p = 0; p < s.policies.size(); ++p)
        if (book.announced(static_cast<Index>(p))) c.pending.push_back(static_cast<Index>(p));
    const std::size_t no = s.offers.size(), nb = s.buyers.size();
    c.available.assign(no, 0);
    c.capacity0.assign(no, 0.0);
    c.endogenous.assign(no, 0);
    for (std::size_t o = 0; o < no; ++o) {
        const auto& off = s.offers[o];
        const auto& sup = s.suppliers[ix(off.supplier)];
        c.available[o] = book.offer_available(static_cast<Index>(o), tick) ? 1 : 0;
        double cap = off.capacity;
        if (off.capacity_from_equipment && sup.equipment)
            cap = sup.equipment->installed * sup.equipment->capacity_per_unit;
        c.capacity0[o] = c.available[o] ? cap : 0.0;
        const bool chip = s.products[ix(off.product)].compute > 0.0;
        c.endogenous[o] = c.available[o] && chip && std::isfinite(cap) && cap > 0.0 &&
                                  sup.price_adjustment > 0.0 && off.price > 0.0
                              ? 1
                              : 0;
    }

    // Hub routes, remote sites and quota buckets that the chosen routes draw on.
    std::vector<int> hub_limit(s.routes.size(), -1), remote_limit(nb, -1);
    std::vector<int> quota_limit(leg.quota_buckets().size(), -1);
    const auto cal = s.time.calendar();
    auto quota_ticks = [&](model::QuotaPeriod period) {
        const double per_year = cal.ticks_per_year();
        switch (period) {
            case model::QuotaPeriod::tick:
                return 1.0;
            case model::QuotaPeriod::month:
                return per_year / 12.0;
            case model::QuotaPeriod::quarter:
                return per_year / 4.0;
            case model::QuotaPeriod::year:
                return per_year;
            case model::QuotaPeriod::policy:
                return kInf;
        }
        return 1.0;
    };

    c.begin.assign(nb + 1, 0);
    for (std::size_t b = 0; b < nb; ++b) {
        const auto& buyer = s.buyers[b];
        const Index bi = static_cast<Index>(b);
        for (std::size_t o = 0; o < no && o < buyer.weights.size(); ++o) {
            const auto& off = s.offers[o];
            const double per = s.products[ix(off.product)].compute;
            if (buyer.weights[o] <= 0.0 || per <= 0.0) continue;
            const Index oi = static_cast<Index>(o);
            Candidate k;
            k.buyer = bi;
            k.offer = oi;
            k.per_unit = per;
            k.weight = c.available[o] ? buyer.weights[o] * leg.import_factor(bi, oi) : 0.0;
            if (k.weight > 0.0) {
                // The engine's best_route: the first route of least cost among the usable ones.
                // Every route's cost is proportional to the price, so the choice does not
                // depend on it; costs are compared at the base price as the engine's first tick.
                const double price = off.price > 0.0 ? off.price : 1.0;
                double best = kInf;
                for (int r = 0; r < leg.routes(); ++r) {
                    const auto& st = leg.status(bi, oi, r);
                    if (st.cls == policy::RouteClass::blocked ||
                        st.cls == policy::RouteClass::unavailable)
                        continue;
                    double cost;
                    if (leg.is_remote(r)) {
                        const Index site = leg.remote_site(r);
                        if (!buyer.remote ||
                            std::find(buyer.remote->via.begin(), buyer.remote->via.end(), site) ==
                                buyer.remote->via.end())
                            continue;
                        const double landed = market::landed_cost(price, book.tariff(site, oi),
                                                                  buyer.remote->markup, per);
                        cost = st.cls == policy::RouteClass::licensed
                                   ? market::licensed_cost(landed, st.approval)
                                   : landed;
                    } else {
                        const double markup =
                            r == 0 ? 0.0 : s.routes[static_cast<std::size_t>(r - 1)].markup;
                        if (st.cls == policy::RouteClass::diverted) {
                            cost =
                                market::diverted_cost(market::landed_cost(price, 0.0, markup, per),
                                                      leg.detection(oi, r), buyer.risk_tolerance);
                        } else {
                            const double landed = market::landed_cost(
                                price, book.tariff(buyer.country, oi), markup, per);
                            cost = st.cls == policy::RouteClass::licensed
                                       ? market::licensed_cost(landed, st.approval)
                                       : landed;
                        }
                    }
                    if (cost < best) {
                        best = cost;
                        k.route = r;
                    }
                }
                if (k.route >= 0 && std::isfinite(best)) {
                    const auto& st = leg.status(bi, oi, k.route);
                    k.wedge = best / price;
                    k.licensed = st.cls == policy::RouteClass::licensed;
                    k.kappa = k.licensed ? st.approval : 1.0;
                    k.diverted = st.cls == policy::RouteClass::diverted;
                    k.land = leg.is_remote(k.route) ? leg.remote_site(k.route) : buyer.country;
                    k.fee_begin = k.fee_end = c.fees.size();
                    if (k.diverted) {
                        k.arrive = 1.0 - leg.detection(oi, k.route);
                    } else {
                        k.tariff = book.tariff(k.land, oi);
                        book.for_each_fee(k.land, oi, [&](const model::Policy& pol) {
                            c.fees.push_back({pol.by, pol.rate});
                        });
                        k.fee_end = c.fees.size();
                    }
                    // Limits the chosen route draws on (requests in compute units).
                    const std::size_t kid = c.cands.size();
                    const int nh = leg.hub_routes();
                    if (k.route >= 1 && k.route <= nh) {
                        const auto h = static_cast<std::size_t>(k.route - 1);
                        if (std::isfinite(s.routes[h].capacity)) {
                            if (hub_limit[h] < 0) {
                                hub_limit[h] = static_cast<int>(c.limits.size());
                                c.limits.push_back(
                                    {fmt::format(
                                         "the capacity of the route through {} ({} units per tick)",
                                         s.countries[ix(s.routes[h].via)].code,
                                         s.routes[h].capacity),
                                     s.routes[h].capacity,
                                     {}});
                            }
                            c.limits[static_cast<std::size_t>(hub_limit[h])].terms.push_back(
                                {kid, k.kappa / per});
                        }
                    }
                    if (leg.is_remote(k.route) && buyer.remote &&
                        std::isfinite(buyer.remote->capacity)) {
                        if (remote_limit[b] < 0) {
                            remote_limit[b] = static_cast<int>(c.limits.size());
                            c.limits.push_back({fmt::format("the remote-compute capacity of buyer "
                                                            "'{}' ({} compute per tick)",
                                                            buyer.id, buyer.remote->capacity),
                                                buyer.remote->capacity,
                                                {}});
                        }
                        c.limits[static_cast<std::size_t>(remote_limit[b])].terms.push_back(
                            {kid, k.kappa});
                    }
                    for (auto q : leg.quotas(st)) {
                        if (quota_limit[q] < 0) {
                            const auto& bucket = leg.quota_buckets()[q];
                            const auto& pol = s.policies[ix(bucket.policy)];
                            quota_limit[q] = static_cast<int>(c.limits.size());
                            c.limits.push_back(
                                {fmt::format("quota '{}' for {} ({} compute per period)", pol.id,
                                             s.countries[ix(bucket.country)].code, pol.cap),
                                 pol.cap / std::max(1.0, quota_ticks(pol.period)),
                                 {}});
                        }
                        c.limits[static_cast<std::size_t>(quota_limit[q])].terms.push_back(
                            {kid, k.kappa});
                    }
                } else {
                    k.route = -1;
                }
            }
            c.cands.push_back(k);
        }
        c.begin[b + 1] = c.cands.size();
    }
    return c;
}

/// Demand at given prices: the engine's steps 3 and 5 for every buyer.
struct Demand {
    std::vector<double> q;       // per candidate: compute requested
    std::vector<double> cost;    // per candidate: cost per compute unit
    std::vector<double> P, Q;    // per buyer: price index, composite demand (0 when nothing usable)
    std::vector<double> orders;  // per offer: units shipped (licensed: the granted share)
};

class Economy {
  public:
    Economy(const model::Scenario& s, const Context& c) : s_(s), c_(c) {
        std::size_t widest = 0;
        for (std::size_t b = 0; b < s.buyers.size(); ++b)
            widest = std::max(widest, c.begin[b + 1] - c.begin[b]);
        w_.resize(widest);
        cost_.resize(widest);
        out_.resize(widest);
        k_.resize(widest);
    }

    void evaluate(const std::vector<double>& price, Demand& d) {
        const std::size_t nb = s_.buyers.size();
        d.q.assign(c_.cands.size(), 0.0);
        d.cost.assign(c_.cands.size(), kInf);
        d.P.assign(nb, kInf);
        d.Q.assign(nb, 0.0);
        d.orders.assign(s_.offers.size(), 0.0);
        for (std::size_t b = 0; b < nb; ++b) {
            const auto& buyer = s_.buyers[b];
            std::size_t n = 0;
            for (std::size_t k = c_.begin[b]; k < c_.begin[b + 1]; ++k) {
                const auto& cand = c_.cands[k];
                if (!cand.usable()) continue;
                d.cost[k] = price[ix(cand.offer)] * cand.wedge;
                w_[n] = cand.weight;
                cost_[n] = d.cost[k];
                k_[n] = k;
                ++n;
            }
            if (n == 0) continue;
            const std::span<const double> w(w_.data(), n), cost(cost_.data(), n);
            const double p = market::price_index(w, cost, buyer.substitution);
            const double q = market::composite_demand(buyer.demand, buyer.growth, 0, p,
                                                      buyer.reference_cost, buyer.price_elasticity);
            d.P[b] = p;
            d.Q[b] = q;
            market::allocate(w, cost, buyer.substitution, q, std::span<double>(out_.data(), n));
            for (std::size_t i = 0; i < n; ++i) {
                const auto& cand = c_.cands[k_[i]];
                d.q[k_[i]] = out_[i];
                d.orders[ix(cand.offer)] += cand.kappa * out_[i] / cand.per_unit;
            }
        }
    }

    /// ∂ log orders_o / ∂ log p_j for endogenous o, j (pos: offer -> row, -1 if not endogenous).
    /// For CES with power demand: ∂ log q_i / ∂ log c_j = −σ δ_ij + (σ − η) s_j, s_j the
    /// spending share; every route cost is proportional to its offer's price.
    Eigen::MatrixXd log_orders_jacobian(const Demand& d, const std::vector<int>& pos, int n) const {
        Eigen::MatrixXd g = Eigen::MatrixXd::Zero(n, n);
        for (std::size_t b = 0; b < s_.buyers.size(); ++b) {
            const auto& buyer = s_.buyers[b];
            if (!(d.Q[b] > 0.0) || !std::isfinite(d.P[b])) continue;
            const double sigma = buyer.substitution, eta = buyer.price_elasticity;
            const double spend = d.P[b] * d.Q[b];
            for (std::size_t i = c_.begin[b]; i < c_.begin[b + 1]; ++i) {
                const auto& ci = c_.cands[i];
                if (!ci.usable()) continue;
                const int row = pos[ix(ci.offer)];
                if (row < 0 || !(d.orders[ix(ci.offer)] > 0.0)) continue;
                const double part = ci.kappa * d.q[i] / ci.per_unit / d.orders[ix(ci.offer)];
                g(row, row) -= part * sigma;
                for (std::size_t j = c_.begin[b]; j < c_.begin[b + 1]; ++j) {
                    const auto& cj = c_.cands[j];
                    if (!cj.usable()) continue;
                    const int col = pos[ix(cj.offer)];
                    if (col < 0) continue;
                    g(row, col) += part * (sigma - eta) * d.q[j] * d.cost[j] / spend;
                }
            }
        }
        return g;
    }

  private:
    const model::Scenario& s_;
    const Context& c_;
    std::vector<double> w_, cost_, out_;
    std::vector<std::size_t> k_;
};

std::string offer_name(const model::Scenario& s, std::size_t o) {
    const auto& off = s.offers[o];
    return fmt::format("{}/{}", s.suppliers[ix(off.supplier)].id, s.products[ix(off.product)].id);
}

double capacity_at(const model::Scenario& s, const Context& c, std::size_t o, double price) {
    const double cap = c.capacity0[o];
    const auto& off = s.offers[o];
    if (!std::isfinite(cap) || off.supply_elasticity == 0.0 || !(off.price > 0.0)) return cap;
    return cap * std::pow(price / off.price, off.supply_elasticity);
}

/// Whether any buyer can order the offer at all (structurally positive demand).
std::vector<char> reachable_offers(const model::Scenario& s, const Context& c) {
    std::vector<char> out(s.offers.size(), 0);
    for (const auto& k : c.cands)
        if (k.usable() && k.weight > 0.0 && k.kappa > 0.0 && s.buyers[ix(k.buyer)].demand > 0.0)
            out[ix(k.offer)] = 1;
    return out;
}

struct Solution {
    std::vector<double> price;  // per offer
    Demand demand;
    std::vector<char> spare;  // per offer
    std::string method;
    int iterations = 0;
    double residual = 0.0;
};

/// The exact equilibrium of one policy state.
Solution solve_exact(const model::Scenario& s, const Context& c, const EquilibriumOptions& opt) {
    const std::size_t no = s.offers.size();
    Solution sol;
    sol.price.resize(no);
    sol.spare.assign(no, 0);
    for (std::size_t o = 0; o < no; ++o) sol.price[o] = s.offers[o].price;

    // Endogenous offers nobody can buy: their price falls to unit cost, or without bound.
    const auto reachable = reachable_offers(s, c);
    std::vector<int> pos(no, -1);
    std::vector<std::size_t> endo;
    for (std::size_t o = 0; o < no; ++o) {
        if (!c.endogenous[o]) continue;
        if (!reachable[o]) {
            const double uc = s.offers[o].unit_cost;
            if (!(uc > 0.0))
                throw RunError(
                    fmt::format("no equilibrium {}: offer '{}' has price_adjustment > 0, unit_cost "
                                "0 and no buyer that can use it "
                                "under the policies in force, so its price falls towards 0 without "
                                "bound (give it a unit_cost, "
                                "fixed prices, or a buyer)",
                                c.label, offer_name(s, o)));
            sol.price[o] = uc;
            sol.spare[o] = 1;
            continue;
        }
        pos[o] = static_cast<int>(endo.size());
        endo.push_back(o);
    }
    const int n = static_cast<int>(endo.size());
    Economy economy(s, c);
    if (n == 0) {
        economy.evaluate(sol.price, sol.demand);
        sol.method = "fixed prices";
        return sol;
    }

    // Unknowns y = log(p / base price) ≥ l = log(unit_cost / base price). Residual of the
    // complementarity problem: Φ = min(y − l, −r), r = log orders − log capacity(p).
    Eigen::VectorXd y = Eigen::VectorXd::Zero(n), lower(n), eps(n);
    for (int i = 0; i < n; ++i) {
        const auto& off = s.offers[endo[static_cast<std::size_t>(i)]];
        lower(i) = off.unit_cost > 0.0 ? std::log(off.unit_cost / off.price) : -kInf;
        eps(i) = off.supply_elasticity;
        y(i) = std::max(0.0, lower(i));
    }
    std::vector<double> price = sol.price;
    Demand d;
    Eigen::VectorXd r(n), phi(n);
    auto evaluate = [&](const Eigen::VectorXd& yy) {
        for (int i = 0; i < n; ++i) {
            const std::size_t o = endo[static_cast<std::size_t>(i)];
            price[o] = s.offers[o].price * std::exp(yy(i));
        }
        economy.evaluate(price, d);
        for (int i = 0; i < n; ++i) {
            const std::size_t o = endo[static_cast<std::size_t>(i)];
            r(i) = std::log(std::max(d.orders[o], kTinyOrders)) - std::log(c.capacity0[o]) -
                   eps(i) * yy(i);
            phi(i) = std::min(yy(i) - lower(i), -r(i));
        }
        const double norm = phi.squaredNorm();
        return std::isfinite(norm) ? norm : kInf;
    };
    auto clamp_lower = [&](Eigen::VectorXd v) {
        for (int i = 0; i < n; ++i) v(i) = std::max(v(i), lower(i));
        return v;
    };
    auto out_of_range = [&](const Eigen::VectorXd& v) {
        for (int i = 0; i < n; ++i)
            if (std::abs(v(i)) > kLogPriceLimit) return true;
        return false;
    };

    double merit = evaluate(y);
    int iterations = 0, tatonnement_rounds = 0;
    bool converged = false;
    bool used_tatonnement = false;
    const int max_rounds = 20;
    while (!converged) {
        // Newton with backtracking on ‖Φ‖²; when it stalls (singular Jacobian, no descent) or
        // spends its budget, a burst of tâtonnement, then Newton again from the best point.
        for (int it = 0; it < opt.max_newton_iterations; ++it) {
            if (phi.cwiseAbs().maxCoeff() <= opt.tolerance) {
                converged = true;
                break;
            }
            ++iterations;
            const Eigen::MatrixXd g = economy.log_orders_jacobian(d, pos, n);
            Eigen::MatrixXd jac(n, n);
            for (int i = 0; i < n; ++i) {
                if (y(i) - lower(i) <= -r(i)) {
                    jac.row(i).setZero();
                    jac(i, i) = 1.0;  // the bound is the active piece of min()
                } else {
                    jac.row(i) = -g.row(i);
                    jac(i, i) += eps(i);
                }
            }
            Eigen::FullPivLU<Eigen::MatrixXd> lu(jac);
            if (!lu.isInvertible()) break;
            Eigen::VectorXd step = lu.solve(-phi);
            if (!step.allFinite()) break;
            const double big = step.cwiseAbs().maxCoeff();
            if (big > kMaxNewtonStep) step *= kMaxNewtonStep / big;
            bool accepted = false;
            const Eigen::VectorXd y0 = y;
            for (double lambda = 1.0; lambda >= 1e-8; lambda *= 0.5) {
                const Eigen::VectorXd trial = clamp_lower(y0 + lambda * step);
                const double m = evaluate(trial);
                if (m <= (1.0 - 1e-4 * lambda) * merit) {
                    y = trial;
                    merit = m;
                    accepted = true;
                    break;
                }
            }
            if (!accepted) {
                merit = evaluate(y0);  // restore the state of y
                y = y0;
                break;
            }
            if (out_of_range(y)) break;
        }
        if (!converged && phi.allFinite() && phi.cwiseAbs().maxCoeff() <= opt.tolerance)
            converged = true;
        if (converged || out_of_range(y) || tatonnement_rounds >= max_rounds) break;
        // Damped tâtonnement: each log price moves with its log excess demand, scaled by its own
        // derivative (a Jacobi step); the step shrinks whenever the residual grows.
        used_tatonnement = true;
        ++tatonnement_rounds;
        const Eigen::MatrixXd g = economy.log_orders_jacobian(d, pos, n);
        Eigen::VectorXd scale(n);
        for (int i = 0; i < n; ++i) scale(i) = 1.0 / std::max(std::abs(g(i, i) - eps(i)), 1e-3);
        double lambda = 0.5;
        Eigen::VectorXd best = y;
        double best_merit = merit;
        const int burst = std::max(1, opt.max_tatonnement_iterations / max_rounds);
        for (int it = 0; it < burst && best_merit > opt.tolerance * opt.tolerance; ++it) {
            ++iterations;
            const Eigen::VectorXd prev = y;
            const double prev_merit = merit;
            y = clamp_lower(y + lambda * scale.cwiseProduct(r));
            merit = evaluate(y);
            if (!(merit < prev_merit)) {
                lambda *= 0.5;
                if (!std::isfinite(merit) || merit > 4.0 * prev_merit) {
                    y = prev;
                    merit = evaluate(y);
                }
                if (lambda < 1e-12) break;
            } else {
                lambda = std::min(1.0, lambda * 1.1);
            }
            if (merit < best_merit) {
                best = y;
                best_merit = merit;
            }
            if (out_of_range(y)) break;
        }
        y = best;
        merit = evaluate(y);
        if (phi.allFinite() && phi.cwiseAbs().maxCoeff() <= opt.tolerance) converged = true;
        if (out_of_range(y)) break;
    }

    const double residual = phi.allFinite() ? phi.cwiseAbs().maxCoeff() : kInf;
    if (!converged || !y.allFinite() || out_of_range(y)) {
        // Say why: probe each offer that does not clear at an extreme price, the others held.
        std::string why;
        for (int i = 0; i < n; ++i) {
            if (std::abs(phi(i)) <= opt.tolerance && std::abs(y(i)) <= kLogPriceLimit) continue;
            const std::size_t o = endo[static_cast<std::size_t>(i)];
            Eigen::VectorXd probe = y;
            probe(i) = kLogPriceLimit;
            evaluate(probe);
            const bool up = r(i) > 0.0;
            bool down = false;
            if (!std::isfinite(lower(i))) {
                probe(i) = -kLogPriceLimit;
                evaluate(probe);
                down = r(i) < 0.0;
            }
            if (up)
                why += fmt::format(
                    "; offer '{}': orders exceed capacity even at 1e20 times its base price, so "
                    "its "
                    "price rises without bound (demand too inelastic for its capacity?)",
                    offer_name(s, o));
            else if (down)
                why += fmt::format(
                    "; offer '{}': capacity exceeds orders at any positive price and its unit_cost "
                    "is "
                    "0, so its price falls to 0",
                    offer_name(s, o));
            else
                why += fmt::format(
                    "; offer '{}' does not clear (log excess demand {:.3g} at price {:.6g})",
                    offer_name(s, o), r(i), s.offers[o].price * std::exp(y(i)));
        }
        evaluate(y);
        throw RunError(
            fmt::format("no equilibrium {}: the solver did not converge after {} iterations "
                        "(residual {:.3g}){}",
                        c.label, iterations, residual, why));
    }

    for (int i = 0; i < n; ++i) {
        const std::size_t o = endo[static_cast<std::size_t>(i)];
        // At the bound with orders below capacity: the offer sells at unit cost with spare
        // capacity.
        if (std::isfinite(lower(i)) && y(i) - lower(i) <= opt.tolerance && r(i) < -opt.tolerance) {
            y(i) = lower(i);
            sol.spare[o] = 1;
        }
    }
    evaluate(y);
    for (int i = 0; i < n; ++i) {
        const std::size_t o = endo[static_cast<std::size_t>(i)];
        sol.price[o] = price[o];
        if (!(price[o] > 0.0) || !std::isfinite(price[o]))
            throw RunError(fmt::format("no equilibrium {}: the price of offer '{}' is {}", c.label,
                                       offer_name(s, o), price[o]));
    }
    for (std::size_t o = 0; o < no; ++o)
        if (!std::isfinite(d.orders[o]))
            throw RunError(fmt::format("no equilibrium {}: orders of offer '{}' are not finite",
                                       c.label, offer_name(s, o)));
    sol.demand = d;
    sol.method = used_tatonnement ? "newton+tatonnement" : "newton";
    sol.iterations = iterations;
    sol.residual = residual;
    return sol;
}

/// The state (what countries.csv, markets.csv and flows.csv would show per tick) for given
/// prices, requests and buyer indices.
EquilibriumState make_state(const model::Scenario& s, const Context& c,
                            const std::vector<double>& price, const std::vector<double>& q,
                            const std::vector<double>& P, const std::vector<double>& Q) {
    const std::size_t no = s.offers.size(), nb = s.buyers.size(), nc = s.countries.size(),
                      ns = s.suppliers.size();
    EquilibriumState st;
    st.offers.resize(no);
    st.buyers.resize(nb);
    st.countries.resize(nc);
    st.suppliers.resize(ns);
    st.flow_units.assign(ns * nc, 0.0);
    st.flow_compute.assign(ns * nc, 0.0);
    st.flow_value_usd.assign(ns * nc, 0.0);
    for (std::size_t o = 0; o < no; ++o) {
        st.offers[o].price = price[o];
        st.offers[o].capacity = capacity_at(s, c, o, price[o]);
        st.offers[o].endogenous = c.endogenous[o] != 0;
    }
    for (std::size_t b = 0; b < nb; ++b) {
        const auto& buyer = s.buyers[b];
        auto& bs = st.buyers[b];
        bs.price_index = P[b];
        bs.quantity = std::isfinite(P[b]) ? Q[b] : 0.0;
        if (!std::isfinite(P[b])) bs.unmet = buyer.demand;  // nothing usable: the whole demand
        auto& home = st.countries[ix(buyer.country)];
        for (std::size_t k = c.begin[b]; k < c.begin[b + 1]; ++k) {
            const auto& cand = c.cands[k];
            if (!cand.usable() || q[k] == 0.0) continue;
            const std::size_t o = ix(cand.offer);
            const auto sup = ix(s.offers[o].supplier);
            const double units = cand.kappa * q[k] / cand.per_unit;  // shipped
            const double value = units * price[o];
            bs.unmet += (1.0 - cand.kappa) * q[k];
            st.offers[o].orders += units;
            st.offers[o].value_usd += value;
            auto& land = st.countries[ix(cand.land)];
            land.imports_units += units * cand.arrive;
            land.imports_compute += units * cand.arrive * cand.per_unit;
            land.imports_value_usd += units * cand.arrive * price[o];
            land.tariff_revenue_usd += value * cand.tariff;
            if (cand.diverted) home.diverted_compute += units * cand.arrive * cand.per_unit;
            for (std::size_t f = cand.fee_begin; f < cand.fee_end; ++f) {
                const double fee = value * c.fees[f].rate;
                st.countries[ix(c.fees[f].country)].fee_revenue_usd += fee;
                st.offers[o].fees_usd += fee;
            }
            const std::size_t cell = sup * nc + ix(buyer.country);
            st.flow_units[cell] += units;
            st.flow_compute[cell] += units * cand.per_unit;
            st.flow_value_usd[cell] += value;
        }
        home.unmet_compute += bs.unmet;
        if (std::isfinite(P[b])) {
            home.demand_compute += Q[b];
            home.price_index += Q[b] * P[b];  // divided below
        }
    }
    for (auto& cs : st.countries)
        cs.price_index = cs.demand_compute > 0.0 ? cs.price_index / cs.demand_compute : 0.0;
    for (std::size_t o = 0; o < no; ++o) {
        auto& sp = st.suppliers[ix(s.offers[o].supplier)];
        sp.units += st.offers[o].orders;
        sp.revenue_usd += st.offers[o].value_usd - st.offers[o].fees_usd;
    }
    return st;
}

EquilibriumState state_of(const model::Scenario& s, const Context& c, const Solution& sol) {
    auto st = make_state(s, c, sol.price, sol.demand.q, sol.demand.P, sol.demand.Q);
    for (std::size_t o = 0; o < s.offers.size(); ++o) st.offers[o].spare = sol.spare[o] != 0;
    st.method = sol.method;
    st.iterations = sol.iterations;
    st.residual = sol.residual;
    return st;
}

/// −∫_{P0}^{P1} demand·(P/ref)^(−η) dP, the change in consumer surplus of a power demand curve.
double consumer_surplus_change(const model::Buyer& b, double p0, double p1) {
    if (p0 == p1) return 0.0;
    const double d = b.demand, ref = b.reference_cost, eta = b.price_elasticity;
    if (std::abs(eta - 1.0) < 1e-12) {
        if (!std::isfinite(p1)) return -kInf;
        if (!std::isfinite(p0)) return kInf;
        return -d * ref * std::log(p1 / p0);
    }
    auto antiderivative = [&](double p) {  // ∫ d·(p/ref)^(−η) dp = d·ref·(p/ref)^(1−η)/(1−η)
        if (!std::isfinite(p)) return eta > 1.0 ? 0.0 : kInf;
        return d * ref * std::pow(p / ref, 1.0 - eta) / (1.0 - eta);
    };
    const double a1 = antiderivative(p1), a0 = antiderivative(p0);
    if (std::isinf(a1) && std::isinf(a0)) return 0.0;
    return -(a1 - a0);
}

/// ∫_{p0}^{p1} capacity·(p/base)^ε dp.
double supply_integral(const model::Offer& off, double capacity, double p0, double p1) {
    if (p0 == p1 || !std::isfinite(capacity)) return 0.0;
    const double e = off.supply_elasticity, base = off.price;
    if (std::abs(e + 1.0) < 1e-12) return capacity * base * std::log(p1 / p0);
    return capacity * base / (1.0 + e) *
           (std::pow(p1 / base, 1.0 + e) - std::pow(p0 / base, 1.0 + e));
}

std::vector<std::string> check_limits(const model::Scenario& s, const Context& c,
                                      const std::vector<double>& q,
                                      const std::vector<double>& orders,
                                      const std::vector<double>& price) {
    std::vector<std::string> out;
    for (std::size_t o = 0; o < s.offers.size(); ++o) {
        if (c.endogenous[o] || !std::isfinite(c.capacity0[o])) continue;
        const double cap = capacity_at(s, c, o, price[o]);
        if (orders[o] > cap * (1.0 + 1e-9) + 1e-12)
            out.push_back(fmt::format(
                "{}: orders of '{}' ({:.6g} units per tick) exceed its capacity ({:.6g}) at its "
                "fixed price; the engine rations them (re-choice, unmet demand), which the "
                "equilibrium does not model",
                c.label, offer_name(s, o), orders[o], cap));
    }
    for (const auto& lim : c.limits) {
        double used = 0.0;
        for (const auto& [k, coef] : lim.terms) used += coef * q[k];
        if (used > lim.cap_per_tick * (1.0 + 1e-9) + 1e-12)
            out.push_back(fmt::format(
                "{}: the flows ({:.6g} per tick) exceed {}; the engine rations them, which the "
                "equilibrium does not model",
                c.label, used, lim.what));
    }
    return out;
}

/// GSIM-style linearisation: the first-order change from the baseline solution `base` (policy
/// state c0) to the policy state c1, in proportional changes (hats).
EquilibriumState solve_linear(const model::Scenario& s, const Context& c0, const Context& c1,
                              const Solution& base, std::vector<std::string>& warnings) {
    const std::size_t no = s.offers.size(), nk = c0.cands.size(), nb = s.buyers.size();
    const Demand& d0 = base.demand;
    // Shocks per candidate: cost wedge, taste weight (import factor) and shipped share.
    std::vector<double> w_hat(nk, 0.0), a_hat(nk, 0.0), k_hat(nk, 0.0);
    std::vector<char> removed(nk, 0);
    for (std::size_t k = 0; k < nk; ++k) {
        const auto& a = c0.cands[k];
        const auto& b = c1.cands[k];
        if (a.usable() && b.usable()) {
            w_hat[k] = b.wedge / a.wedge - 1.0;
            a_hat[k] = b.weight / a.weight - 1.0;
            k_hat[k] = b.kappa / a.kappa - 1.0;
        } else if (a.usable()) {
            removed[k] = 1;
            a_hat[k] = -1.0;
            warnings.push_back(
                fmt::format("linear mode: buyer '{}' loses offer '{}' (a discrete change, "
                            "linearised as the loss of its taste "
                            "weight); the exact mode is the reliable answer",
                            s.buyers[ix(a.buyer)].id, offer_name(s, ix(a.offer))));
        } else if (b.usable()) {
            warnings.push_back(fmt::format(
                "linear mode: offer '{}' becomes usable for buyer '{}' only in the policy "
                "state; a new source cannot be linearised and is left out",
                offer_name(s, ix(b.offer)), s.buyers[ix(b.buyer)].id));
        }
    }

    // Interior endogenous offers of the baseline: their prices respond.
    std::vector<int> pos(no, -1);
    std::vector<std::size_t> endo;
    for (std::size_t o = 0; o < no; ++o)
        if (c0.endogenous[o] && !base.spare[o] && d0.orders[o] > 0.0) {
            pos[o] = static_cast<int>(endo.size());
            endo.push_back(o);
        }
    const int n = static_cast<int>(endo.size());

    std::vector<double> q_hat(nk, 0.0), P_hat(nb, 0.0);
    auto hats = [&](const std::vector<double>& p_hat) {
        for (std::size_t b = 0; b < nb; ++b) {
            const auto& buyer = s.buyers[b];
            if (!std::isfinite(d0.P[b]) || !(d0.Q[b] > 0.0)) continue;
            const double sigma = buyer.substitution, eta = buyer.price_elasticity;
            const bool cobb_douglas = std::abs(sigma - 1.0) < kSigmaOneTolerance;
            const double spend = d0.P[b] * d0.Q[b];
            double ph = 0.0, a_bar = 0.0;
            for (std::size_t k = c0.begin[b]; k < c0.begin[b + 1]; ++k) {
                if (!c0.cands[k].usable()) continue;
                const double share = d0.q[k] * d0.cost[k] / spend;
                ph += share * (p_hat[ix(c0.cands[k].offer)] + w_hat[k]);
                a_bar += share * a_hat[k];
            }
            for (std::size_t k = c0.begin[b]; k < c0.begin[b + 1]; ++k) {
                if (!c0.cands[k].usable()) continue;
                const double share = d0.q[k] * d0.cost[k] / spend;
                ph += cobb_douglas ? share * (a_hat[k] - a_bar) * std::log(d0.cost[k] / d0.P[b])
                                   : share * a_hat[k] / (1.0 - sigma);
            }
            P_hat[b] = ph;
            for (std::size_t k = c0.begin[b]; k < c0.begin[b + 1]; ++k) {
                if (!c0.cands[k].usable()) continue;
                const double c_hat = p_hat[ix(c0.cands[k].offer)] + w_hat[k];
                q_hat[k] = cobb_douglas ? a_hat[k] - a_bar - c_hat + (1.0 - eta) * ph
                                        : a_hat[k] - sigma * c_hat + (sigma - eta) * ph;
            }
        }
    };
    auto orders_hat = [&]() {
        std::vector<double> oh(no, 0.0);
        for (std::size_t k = 0; k < nk; ++k) {
            const auto& cand = c0.cands[k];
            const auto o = ix(cand.offer);
            if (!cand.usable() || !(d0.orders[o] > 0.0)) continue;
            oh[o] += cand.kappa * d0.q[k] / cand.per_unit / d0.orders[o] * (q_hat[k] + k_hat[k]);
        }
        return oh;
    };

    std::vector<double> p_hat(no, 0.0);
    if (n > 0) {
        hats(p_hat);
        const auto shock = orders_hat();
        Economy economy(s, c0);
        Eigen::MatrixXd jac = economy.log_orders_jacobian(d0, pos, n);
        Eigen::VectorXd rhs(n);
        for (int i = 0; i < n; ++i) {
            const std::size_t o = endo[static_cast<std::size_t>(i)];
            jac(i, i) -= s.offers[o].supply_elasticity;
            rhs(i) = -shock[o];
        }
        Eigen::FullPivLU<Eigen::MatrixXd> lu(jac);
        if (!lu.isInvertible())
            throw RunError(fmt::format(
                "linear equilibrium {}: the Jacobian of the clearing conditions at the baseline "
                "is singular (a market with inelastic demand and supply?)",
                c1.label));
        const Eigen::VectorXd x = lu.solve(rhs);
        if (!x.allFinite())
            throw RunError(fmt::format(
                "linear equilibrium {}: the linear system has no finite solution", c1.label));
        for (int i = 0; i < n; ++i) p_hat[endo[static_cast<std::size_t>(i)]] = x(i);
    }
    hats(p_hat);

    std::vector<double> price(no), q(nk, 0.0), P(nb, kInf), Q(nb, 0.0);
    for (std::size_t o = 0; o < no; ++o) price[o] = base.price[o] * (1.0 + p_hat[o]);
    bool negative = false;
    for (std::size_t k = 0; k < nk; ++k) {
        if (!c0.cands[k].usable() || removed[k]) continue;
        q[k] = d0.q[k] * (1.0 + q_hat[k]);
        negative = negative || q[k] < 0.0;
    }
    for (std::size_t b = 0; b < nb; ++b) {
        if (!std::isfinite(d0.P[b])) continue;
        P[b] = d0.P[b] * (1.0 + P_hat[b]);
        Q[b] = d0.Q[b] * (1.0 - s.buyers[b].price_elasticity * P_hat[b]);
    }
    if (negative)
        warnings.push_back(
            "linear mode: some linearised quantities are negative (the shock is too large for a "
            "first-order answer); use the exact mode");
    for (std::size_t o = 0; o < no; ++o)
        if (!(price[o] > 0.0) && p_hat[o] != 0.0)
            warnings.push_back(fmt::format(
                "linear mode: the linearised price of '{}' is not positive", offer_name(s, o)));
    // Values on the policy state's routes (tariffs, fees, seizure shares); the candidates
    // align because both contexts list every (buyer, offer) with a taste weight.
    auto st = make_state(s, c1, price, q, P, Q);
    for (std::size_t o = 0; o < no; ++o) st.offers[o].spare = base.spare[o] != 0;
    st.method = "linear";
    return st;
}

std::string tick_label(const model::Scenario& s, std::int64_t tick) {
    return fmt::format("at tick {} ({})", tick, format_date(s.time.calendar().date_of(tick)));
}

}  // namespace

EquilibriumResult solve_equilibrium(const model::Scenario& s, const EquilibriumOptions& opt) {
    auto check_tick = [&](std::int64_t t, const char* what) {
        if (t < 0)
            throw InputError(
                fmt::format("equilibrium: {} tick {} is before the start of the run", what, t));
    };
    check_tick(opt.at_tick, "the");
    if (opt.baseline_tick) check_tick(*opt.baseline_tick, "the baseline");
    if (!(opt.tolerance > 0.0)) throw InputError("equilibrium: the tolerance must be positive");

    EquilibriumResult res;
    res.linear = opt.linear;
    res.at_tick = opt.at_tick;
    res.baseline_tick = opt.baseline_tick;
    res.n_countries = s.countries.size();

    const Context c0 = opt.baseline_tick
                           ? build_context(s, *opt.baseline_tick, false,
                                           "in the baseline " + tick_label(s, *opt.baseline_tick))
                           : build_context(s, 0, true, "in the baseline with no policies");
    const Context c1 = build_context(s, opt.at_tick, false, tick_label(s, opt.at_tick));

    const Solution base = solve_exact(s, c0, opt);
    res.baseline = state_of(s, c0, base);
    for (auto& w : check_limits(s, c0, base.demand.q, base.demand.orders, base.price))
        res.warnings.push_back(std::move(w));

    if (opt.linear) {
        res.current = solve_linear(s, c0, c1, base, res.warnings);
    } else {
        const Solution cur = solve_exact(s, c1, opt);
        res.current = state_of(s, c1, cur);
        for (auto& w : check_limits(s, c1, cur.demand.q, cur.demand.orders, cur.price))
            res.warnings.push_back(std::move(w));
    }

    // Surplus changes.
    const std::size_t nc = s.countries.size(), ns = s.suppliers.size();
    res.consumer_surplus_change.assign(nc, 0.0);
    res.producer_surplus_change.assign(ns, 0.0);
    res.welfare_change.assign(nc, 0.0);
    for (std::size_t b = 0; b < s.buyers.size(); ++b) {
        const auto& buyer = s.buyers[b];
        res.consumer_surplus_change[ix(buyer.country)] += consumer_surplus_change(
            buyer, res.baseline.buyers[b].price_index, res.current.buyers[b].price_index);
    }
    for (std::size_t o = 0; o < s.offers.size(); ++o) {
        const auto& off = s.offers[o];
        const auto& a = res.baseline.offers[o];
        const auto& b = res.current.offers[o];
        double ps = -(b.fees_usd - a.fees_usd);
        if (a.endogenous && b.endogenous)
            ps += supply_integral(off, c0.capacity0[o], a.price, b.price);
        res.producer_surplus_change[ix(off.supplier)] += ps;
    }
    for (std::size_t c = 0; c < nc; ++c) {
        const auto& a = res.baseline.countries[c];
        const auto& b = res.current.countries[c];
        res.welfare_change[c] = res.consumer_surplus_change[c] +
                                (b.tariff_revenue_usd - a.tariff_revenue_usd) +
                                (b.fee_revenue_usd - a.fee_revenue_usd);
    }
    for (std::size_t sp = 0; sp < ns; ++sp)
        res.welfare_change[ix(s.suppliers[sp].jurisdiction)] += res.producer_surplus_change[sp];

    // What the equilibrium leaves out.
    res.ignored = {
        "growth and backlog: demand is taken at tick 0 and unmet demand is not carried over",
        "anticipation: orders are not scaled while a restriction is announced but not yet in force",
        "licence queues and delays: a licensed route ships its approval share of requests at once",
        "seizures' randomness: diverted shipments arrive at the expected share (1 - detection)",
        "stockpiling and stock dynamics, transport delays: flows are per tick in the steady state",
        "rationing and re-choice: binding capacities at fixed prices, hub capacities and quotas "
        "are reported as "
        "warnings",
        "reaction rules and design-around variants: the policies and offers they would add are not "
        "applied",
    };
    for (Index p : c1.pending)
        res.warnings.push_back(
            fmt::format("policy '{}' is announced but not in force {}: the engine's buyers would "
                        "scale their orders by their anticipation, which the equilibrium ignores",
                        s.policies[ix(p)].id, c1.label));
    for (const auto& buyer : s.buyers)
        if (buyer.growth != 0.0)
            res.warnings.push_back(
                fmt::format("buyer '{}' grows {} per tick: the equilibrium takes its demand at "
                            "tick 0 (no growth)",
                            buyer.id, buyer.growth));
    if (!s.reactions.empty())
        res.warnings.push_back(
            fmt::format("{} reaction rule(s) are not applied: the equilibrium holds the "
                        "scenario's own policies fixed",
                        s.reactions.size()));
    for (const auto& sup : s.suppliers) {
        if (sup.design_around)
            res.warnings.push_back(fmt::format(
                "supplier '{}' has design_around: its variants are not launched", sup.id));
        if (!sup.purchases.empty() || sup.equipment)
            res.warnings.push_back(
                fmt::format("supplier '{}' buys inputs or equipment: input markets are not solved, "
                            "its capacity is taken as given",
                            sup.id));
    }
    return res;
}

std::vector<EquilibriumRow> equilibrium_rows(const model::Scenario& s, const EquilibriumResult& r) {
    std::vector<EquilibriumRow> rows;
    const auto& a = r.baseline;
    const auto& b = r.current;
    const std::size_t nc = s.countries.size();
    auto add = [&](const std::string& scope, const std::string& key, const char* metric,
                   double base, double value) {
        rows.push_back({scope, key, metric, base, value});
    };

    double tariff0 = 0, tariff1 = 0, fee0 = 0, fee1 = 0, imp0 = 0, imp1 = 0, unmet0 = 0, unmet1 = 0;
    for (std::size_t c = 0; c < nc; ++c) {
        tariff0 += a.countries[c].tariff_revenue_usd;
        tariff1 += b.countries[c].tariff_revenue_usd;
        fee0 += a.countries[c].fee_revenue_usd;
        fee1 += b.countries[c].fee_revenue_usd;
        imp0 += a.countries[c].imports_compute;
        imp1 += b.countries[c].imports_compute;
        unmet0 += a.countries[c].unmet_compute;
        unmet1 += b.countries[c].unmet_compute;
    }
    double value0 = 0, value1 = 0;
    for (std::size_t o = 0; o < s.offers.size(); ++o) {
        value0 += a.offers[o].value_usd;
        value1 += b.offers[o].value_usd;
    }
    double cs = 0, ps = 0, welfare = 0;
    for (double v : r.consumer_surplus_change) cs += v;
    for (double v : r.producer_surplus_change) ps += v;
    for (double v : r.welfare_change) welfare += v;
    add("world", "all", "imports_compute", imp0, imp1);
    add("world", "all", "unmet_compute", unmet0, unmet1);
    add("world", "all", "value_usd", value0, value1);
    add("world", "all", "tariff_revenue_usd", tariff0, tariff1);
    add("world", "all", "fee_revenue_usd", fee0, fee1);
    add("world", "all", "consumer_surplus_change_usd", 0.0, cs);
    add("world", "all", "producer_surplus_change_usd", 0.0, ps);
    add("world", "all", "welfare_change_usd", 0.0, welfare);

    for (std::size_t o = 0; o < s.offers.size(); ++o) {
        const std::string key = offer_name(s, o);
        add("offer", key, "price", a.offers[o].price, b.offers[o].price);
        if (std::isfinite(a.offers[o].capacity) || std::isfinite(b.offers[o].capacity))
            add("offer", key, "capacity", a.offers[o].capacity, b.offers[o].capacity);
        add("offer", key, "quantity", a.offers[o].orders, b.offers[o].orders);
        add("offer", key, "value_usd", a.offers[o].value_usd, b.offers[o].value_usd);
    }
    for (std::size_t sp = 0; sp < s.suppliers.size(); ++sp)
        for (std::size_t c = 0; c < nc; ++c) {
            const std::size_t cell = sp * nc + c;
            if (a.flow_units[cell] == 0.0 && b.flow_units[cell] == 0.0) continue;
            const std::string key = fmt::format("{}/{}", s.suppliers[sp].id, s.countries[c].code);
            add("flow", key, "units", a.flow_units[cell], b.flow_units[cell]);
            add("flow", key, "compute", a.flow_compute[cell], b.flow_compute[cell]);
            add("flow", key, "value_usd", a.flow_value_usd[cell], b.flow_value_usd[cell]);
        }
    std::vector<char> has_buyer(nc, 0);
    for (const auto& buyer : s.buyers) has_buyer[ix(buyer.country)] = 1;
    for (std::size_t c = 0; c < nc; ++c) {
        const auto& x = a.countries[c];
        const auto& y = b.countries[c];
        const bool any = has_buyer[c] || x.imports_units != 0.0 || y.imports_units != 0.0 ||
                         x.fee_revenue_usd != 0.0 || y.fee_revenue_usd != 0.0 ||
                         x.tariff_revenue_usd != 0.0 || y.tariff_revenue_usd != 0.0;
        if (!any) continue;
        const std::string& key = s.countries[c].code;
        if (has_buyer[c]) {
            add("country", key, "price_index", x.price_index, y.price_index);
            add("country", key, "demand_compute", x.demand_compute, y.demand_compute);
        }
        add("country", key, "imports_units", x.imports_units, y.imports_units);
        add("country", key, "imports_compute", x.imports_compute, y.imports_compute);
        add("country", key, "imports_value_usd", x.imports_value_usd, y.imports_value_usd);
        add("country", key, "diverted_compute", x.diverted_compute, y.diverted_compute);
        add("country", key, "unmet_compute", x.unmet_compute, y.unmet_compute);
        add("country", key, "tariff_revenue_usd", x.tariff_revenue_usd, y.tariff_revenue_usd);
        add("country", key, "fee_revenue_usd", x.fee_revenue_usd, y.fee_revenue_usd);
        add("country", key, "consumer_surplus_change_usd", 0.0, r.consumer_surplus_change[c]);
        add("country", key, "welfare_change_usd", 0.0, r.welfare_change[c]);
    }
    for (std::size_t sp = 0; sp < s.suppliers.size(); ++sp) {
        const std::string& key = s.suppliers[sp].id;
        add("supplier", key, "units", a.suppliers[sp].units, b.suppliers[sp].units);
        add("supplier", key, "revenue_usd", a.suppliers[sp].revenue_usd,
            b.suppliers[sp].revenue_usd);
        add("supplier", key, "producer_surplus_change_usd", 0.0, r.producer_surplus_change[sp]);
    }
    return rows;
}

}  // namespace ts::analysis
