// The exact equilibrium of one policy state: the complementarity system in log prices, solved
// with Newton (Eigen LU, analytic Jacobian) backtracking on the residual norm, and bursts of
// damped tâtonnement when Newton stalls. A failure says which offer does not clear and why.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "analysis/equilibrium_solve.hpp"
#include "core/error.hpp"

namespace ts::analysis::eq {

namespace {

constexpr double kLogPriceLimit =
    46.0;  // |log(p/base)| beyond this (×1e20): driven to 0 or infinity
constexpr double kMaxNewtonStep = 2.0;  // largest change of a log price in one Newton step
constexpr double kTinyOrders = 1e-300;  // floor under orders before taking logs
constexpr int kMaxTatonnementRounds = 20;

/// Whether any buyer can order the offer at all (structurally positive demand).
std::vector<char> reachable_offers(const model::Scenario& s, const Context& c) {
    std::vector<char> out(s.offers.size(), 0);
    for (const auto& k : c.cands)
        if (k.usable() && k.weight > 0.0 && k.kappa > 0.0 && s.buyers[ix(k.buyer)].demand > 0.0)
            out[ix(k.offer)] = 1;
    return out;
}

class ExactSolver {
  public:
    ExactSolver(const model::Scenario& s, const Context& c, const EquilibriumOptions& opt)
        : s_(s), c_(c), opt_(opt), economy_(s, c) {
        const std::size_t no = s.offers.size();
        sol_.price.resize(no);
        sol_.spare.assign(no, 0);
        for (std::size_t o = 0; o < no; ++o) sol_.price[o] = s.offers[o].price;
        select_unknowns();
    }

    Solution solve() {
        if (n_ == 0) {
            economy_.evaluate(sol_.price, sol_.demand);
            sol_.method = "fixed prices";
            return sol_;
        }
        start();
        bool converged = false;
        while (!converged) {
            // Newton with backtracking on ‖Φ‖²; when it stalls (singular Jacobian, no descent)
            // or spends its budget, a burst of tâtonnement, then Newton again from the best
            // point.
            converged = newton() || within_tolerance();
            if (converged || out_of_range(y_) || rounds_ >= kMaxTatonnementRounds) break;
            tatonnement();
            converged = within_tolerance();
            if (out_of_range(y_)) break;
        }
        const double residual = phi_.allFinite() ? phi_.cwiseAbs().maxCoeff() : kInf;
        if (!converged || !y_.allFinite() || out_of_range(y_)) fail(residual);
        return finish(residual);
    }

  private:
    /// Endogenous offers nobody can buy: their price falls to unit cost, or without bound.
    /// The others are the unknowns.
    void select_unknowns() {
        const auto reachable = reachable_offers(s_, c_);
        pos_.assign(s_.offers.size(), -1);
        for (std::size_t o = 0; o < s_.offers.size(); ++o) {
            if (!c_.endogenous[o]) continue;
            if (!reachable[o]) {
                const double uc = s_.offers[o].unit_cost;
                if (!(uc > 0.0))
                    throw RunError(fmt::format(
                        "no equilibrium {}: offer '{}' has {}, unit_cost "
                        "0 and no buyer that can use it "
                        "under the policies in force, so its price falls towards 0 without "
                        "bound (give it a unit_cost, "
                        "fixed prices, or a buyer)",
                        c_.label, offer_name(s_, o),
                        s_.suppliers[ix(s_.offers[o].supplier)].clearing_price
                            ? "pricing 'clearing'"
                            : "price_adjustment > 0"));
                sol_.price[o] = uc;
                sol_.spare[o] = 1;
                continue;
            }
            pos_[o] = static_cast<int>(endo_.size());
            endo_.push_back(o);
        }
        n_ = static_cast<int>(endo_.size());
    }

    /// Unknowns y = log(p / base price) ≥ l = log(unit_cost / base price). Residual of the
    /// complementarity problem: Φ = min(y − l, −r), r = log orders − log capacity(p).
    void start() {
        y_ = Eigen::VectorXd::Zero(n_);
        lower_.resize(n_);
        eps_.resize(n_);
        r_.resize(n_);
        phi_.resize(n_);
        for (int i = 0; i < n_; ++i) {
            const auto& off = s_.offers[endo(i)];
            lower_(i) = off.unit_cost > 0.0 ? std::log(off.unit_cost / off.price) : -kInf;
            eps_(i) = off.supply_elasticity;
            y_(i) = std::max(0.0, lower_(i));
        }
        price_ = sol_.price;
        merit_ = evaluate(y_);
    }

    std::size_t endo(int i) const { return endo_[static_cast<std::size_t>(i)]; }

    /// Demand, r and Φ at log prices yy; returns ‖Φ‖² (+inf when not finite).
    double evaluate(const Eigen::VectorXd& yy) {
        for (int i = 0; i < n_; ++i) price_[endo(i)] = s_.offers[endo(i)].price * std::exp(yy(i));
        economy_.evaluate(price_, d_);
        for (int i = 0; i < n_; ++i) {
            const std::size_t o = endo(i);
            r_(i) = std::log(std::max(d_.orders[o], kTinyOrders)) - std::log(c_.capacity0[o]) -
                    eps_(i) * yy(i);
            phi_(i) = std::min(yy(i) - lower_(i), -r_(i));
        }
        const double norm = phi_.squaredNorm();
        return std::isfinite(norm) ? norm : kInf;
    }

    Eigen::VectorXd clamp_lower(Eigen::VectorXd v) const {
        for (int i = 0; i < n_; ++i) v(i) = std::max(v(i), lower_(i));
        return v;
    }

    bool out_of_range(const Eigen::VectorXd& v) const {
        for (int i = 0; i < n_; ++i)
            if (std::abs(v(i)) > kLogPriceLimit) return true;
        return false;
    }

    bool within_tolerance() const {
        return phi_.allFinite() && phi_.cwiseAbs().maxCoeff() <= opt_.tolerance;
    }

    /// Jacobian of Φ at the current point.
    Eigen::MatrixXd phi_jacobian() const {
        const Eigen::MatrixXd g = economy_.log_orders_jacobian(d_, pos_, n_);
        Eigen::MatrixXd jac(n_, n_);
        for (int i = 0; i < n_; ++i) {
            if (y_(i) - lower_(i) <= -r_(i)) {
                jac.row(i).setZero();
                jac(i, i) = 1.0;  // the bound is the active piece of min()
            } else {
                jac.row(i) = -g.row(i);
                jac(i, i) += eps_(i);
            }
        }
        return jac;
    }

    /// Newton steps until Φ is within tolerance (true) or Newton stalls or spends its budget.
    bool newton() {
        for (int it = 0; it < opt_.max_newton_iterations; ++it) {
            if (phi_.cwiseAbs().maxCoeff() <= opt_.tolerance) return true;
            ++iterations_;
            Eigen::FullPivLU<Eigen::MatrixXd> lu(phi_jacobian());
            if (!lu.isInvertible()) return false;
            Eigen::VectorXd step = lu.solve(-phi_);
            if (!step.allFinite()) return false;
            const double big = step.cwiseAbs().maxCoeff();
            if (big > kMaxNewtonStep) step *= kMaxNewtonStep / big;
            if (!line_search(step) || out_of_range(y_)) return false;
        }
        return false;
    }

    /// Backtracking along `step` until ‖Φ‖² decreases enough; restores y when it never does.
    bool line_search(const Eigen::VectorXd& step) {
        const Eigen::VectorXd y0 = y_;
        for (double lambda = 1.0; lambda >= 1e-8; lambda *= 0.5) {
            const Eigen::VectorXd trial = clamp_lower(y0 + lambda * step);
            const double m = evaluate(trial);
            if (m <= (1.0 - 1e-4 * lambda) * merit_) {
                y_ = trial;
                merit_ = m;
                return true;
            }
        }
        merit_ = evaluate(y0);  // restore the state of y
        y_ = y0;
        return false;
    }

    /// Damped tâtonnement: each log price moves with its log excess demand, scaled by its own
    /// derivative (a Jacobi step); the step shrinks whenever the residual grows. Ends at the
    /// best point of the burst.
    void tatonnement() {
        used_tatonnement_ = true;
        ++rounds_;
        const Eigen::MatrixXd g = economy_.log_orders_jacobian(d_, pos_, n_);
        Eigen::VectorXd scale(n_);
        for (int i = 0; i < n_; ++i) scale(i) = 1.0 / std::max(std::abs(g(i, i) - eps_(i)), 1e-3);
        double lambda = 0.5;
        Eigen::VectorXd best = y_;
        double best_merit = merit_;
        const int burst = std::max(1, opt_.max_tatonnement_iterations / kMaxTatonnementRounds);
        for (int it = 0; it < burst && best_merit > opt_.tolerance * opt_.tolerance; ++it) {
            ++iterations_;
            const Eigen::VectorXd prev = y_;
            const double prev_merit = merit_;
            y_ = clamp_lower(y_ + lambda * scale.cwiseProduct(r_));
            merit_ = evaluate(y_);
            if (!(merit_ < prev_merit)) {
                lambda *= 0.5;
                if (!std::isfinite(merit_) || merit_ > 4.0 * prev_merit) {
                    y_ = prev;
                    merit_ = evaluate(y_);
                }
                if (lambda < 1e-12) break;
            } else {
                lambda = std::min(1.0, lambda * 1.1);
            }
            if (merit_ < best_merit) {
                best = y_;
                best_merit = merit_;
            }
            if (out_of_range(y_)) break;
        }
        y_ = best;
        merit_ = evaluate(y_);
    }

    /// Says why: probes each offer that does not clear at an extreme price, the others held.
    [[noreturn]] void fail(double residual) {
        std::string why;
        for (int i = 0; i < n_; ++i) {
            if (std::abs(phi_(i)) <= opt_.tolerance && std::abs(y_(i)) <= kLogPriceLimit) continue;
            const std::size_t o = endo(i);
            Eigen::VectorXd probe = y_;
            probe(i) = kLogPriceLimit;
            evaluate(probe);
            const bool up = r_(i) > 0.0;
            bool down = false;
            if (!std::isfinite(lower_(i))) {
                probe(i) = -kLogPriceLimit;
                evaluate(probe);
                down = r_(i) < 0.0;
            }
            if (up)
                why += fmt::format(
                    "; offer '{}': orders exceed capacity even at 1e20 times its base price, so "
                    "its "
                    "price rises without bound (demand too inelastic for its capacity?)",
                    offer_name(s_, o));
            else if (down)
                why += fmt::format(
                    "; offer '{}': capacity exceeds orders at any positive price and its unit_cost "
                    "is "
                    "0, so its price falls to 0",
                    offer_name(s_, o));
            else
                why += fmt::format(
                    "; offer '{}' does not clear (log excess demand {:.3g} at price {:.6g})",
                    offer_name(s_, o), r_(i), s_.offers[o].price * std::exp(y_(i)));
        }
        evaluate(y_);
        throw RunError(
            fmt::format("no equilibrium {}: the solver did not converge after {} iterations "
                        "(residual {:.3g}){}",
                        c_.label, iterations_, residual, why));
    }

    /// Snaps offers at the bound with spare capacity to unit cost and checks the answer.
    Solution finish(double residual) {
        for (int i = 0; i < n_; ++i) {
            // At the bound with orders below capacity: the offer sells at unit cost with spare
            // capacity.
            if (std::isfinite(lower_(i)) && y_(i) - lower_(i) <= opt_.tolerance &&
                r_(i) < -opt_.tolerance) {
                y_(i) = lower_(i);
                sol_.spare[endo(i)] = 1;
            }
        }
        evaluate(y_);
        for (int i = 0; i < n_; ++i) {
            const std::size_t o = endo(i);
            sol_.price[o] = price_[o];
            if (!(price_[o] > 0.0) || !std::isfinite(price_[o]))
                throw RunError(fmt::format("no equilibrium {}: the price of offer '{}' is {}",
                                           c_.label, offer_name(s_, o), price_[o]));
        }
        for (std::size_t o = 0; o < s_.offers.size(); ++o)
            if (!std::isfinite(d_.orders[o]))
                throw RunError(fmt::format("no equilibrium {}: orders of offer '{}' are not finite",
                                           c_.label, offer_name(s_, o)));
        sol_.demand = d_;
        sol_.method = used_tatonnement_ ? "newton+tatonnement" : "newton";
        sol_.iterations = iterations_;
        sol_.residual = residual;
        return sol_;
    }

    const model::Scenario& s_;
    const Context& c_;
    const EquilibriumOptions& opt_;
    Economy economy_;
    Solution sol_;
    std::vector<int> pos_;           // per offer: its unknown, -1 if none
    std::vector<std::size_t> endo_;  // per unknown: its offer
    int n_ = 0;
    Eigen::VectorXd y_, lower_, eps_, r_, phi_;
    std::vector<double> price_;
    Demand d_;
    double merit_ = kInf;
    int iterations_ = 0, rounds_ = 0;
    bool used_tatonnement_ = false;
};

}  // namespace

Solution solve_exact(const model::Scenario& s, const Context& c, const EquilibriumOptions& opt) {
    return ExactSolver(s, c, opt).solve();
}

}  // namespace ts::analysis::eq
