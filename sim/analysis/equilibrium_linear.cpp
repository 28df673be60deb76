// GSIM / SMART-style linear mode: the first-order conditions in proportional changes (hats)
// around the exact baseline, p̂ = −J⁻¹·ô_shock, with J the Jacobian of the log clearing
// conditions at the baseline and ô_shock the first-order change in orders that the policy
// change causes at baseline prices.
#include <cmath>

#include <fmt/format.h>

#include "analysis/equilibrium_solve.hpp"
#include "analysis/equilibrium_state.hpp"
#include "core/error.hpp"

namespace ts::analysis::eq {

namespace {

constexpr double kSigmaOneTolerance =
    1e-9;  // as market::allocate: σ this close to 1 is Cobb–Douglas

/// The policy change per candidate, as proportional changes of the baseline's terms.
struct Shocks {
    std::vector<double> w_hat, a_hat, k_hat;  // cost wedge, taste weight, shipped share
    std::vector<char> removed;                // usable in the baseline only
};

Shocks shocks_between(const model::Scenario& s, const Context& c0, const Context& c1,
                      std::vector<std::string>& warnings) {
    const std::size_t nk = c0.cands.size();
    Shocks sh{std::vector<double>(nk, 0.0), std::vector<double>(nk, 0.0),
              std::vector<double>(nk, 0.0), std::vector<char>(nk, 0)};
    for (std::size_t k = 0; k < nk; ++k) {
        const auto& a = c0.cands[k];
        const auto& b = c1.cands[k];
        if (a.usable() && b.usable()) {
            sh.w_hat[k] = b.wedge / a.wedge - 1.0;
            sh.a_hat[k] = b.weight / a.weight - 1.0;
            sh.k_hat[k] = b.kappa / a.kappa - 1.0;
        } else if (a.usable()) {
            sh.removed[k] = 1;
            sh.a_hat[k] = -1.0;
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
    return sh;
}

/// First-order responses of requests (q̂) and price indices (P̂) to price changes p̂ and the
/// shocks, around the baseline demand.
class Linearisation {
  public:
    Linearisation(const model::Scenario& s, const Context& c0, const Demand& d0, const Shocks& sh)
        : s_(s), c0_(c0), d0_(d0), sh_(sh) {
        q_hat.assign(c0.cands.size(), 0.0);
        P_hat.assign(s.buyers.size(), 0.0);
    }

    /// q̂ and P̂ for price changes p_hat (per offer).
    void respond(const std::vector<double>& p_hat) {
        for (std::size_t b = 0; b < s_.buyers.size(); ++b) {
            if (!std::isfinite(d0_.P[b]) || !(d0_.Q[b] > 0.0)) continue;
            respond_buyer(b, p_hat);
        }
    }

    /// ô per offer: the change in orders implied by q̂ and the shipped shares.
    std::vector<double> orders_hat() const {
        std::vector<double> oh(s_.offers.size(), 0.0);
        for (std::size_t k = 0; k < c0_.cands.size(); ++k) {
            const auto& cand = c0_.cands[k];
            const auto o = ix(cand.offer);
            if (!cand.usable() || !(d0_.orders[o] > 0.0)) continue;
            oh[o] +=
                cand.kappa * d0_.q[k] / cand.per_unit / d0_.orders[o] * (q_hat[k] + sh_.k_hat[k]);
        }
        return oh;
    }

    std::vector<double> q_hat, P_hat;

  private:
    void respond_buyer(std::size_t b, const std::vector<double>& p_hat) {
        const auto& buyer = s_.buyers[b];
        const double sigma = buyer.substitution, eta = buyer.price_elasticity;
        const bool cobb_douglas = std::abs(sigma - 1.0) < kSigmaOneTolerance;
        const double spend = d0_.P[b] * d0_.Q[b];
        const auto& cands = c0_.cands;
        double ph = 0.0, a_bar = 0.0;
        for (std::size_t k = c0_.begin[b]; k < c0_.begin[b + 1]; ++k) {
            if (!cands[k].usable()) continue;
            const double share = d0_.q[k] * d0_.cost[k] / spend;
            ph += share * (p_hat[ix(cands[k].offer)] + sh_.w_hat[k]);
            a_bar += share * sh_.a_hat[k];
        }
        for (std::size_t k = c0_.begin[b]; k < c0_.begin[b + 1]; ++k) {
            if (!cands[k].usable()) continue;
            const double share = d0_.q[k] * d0_.cost[k] / spend;
            ph += cobb_douglas ? share * (sh_.a_hat[k] - a_bar) * std::log(d0_.cost[k] / d0_.P[b])
                               : share * sh_.a_hat[k] / (1.0 - sigma);
        }
        P_hat[b] = ph;
        for (std::size_t k = c0_.begin[b]; k < c0_.begin[b + 1]; ++k) {
            if (!cands[k].usable()) continue;
            const double c_hat = p_hat[ix(cands[k].offer)] + sh_.w_hat[k];
            q_hat[k] = cobb_douglas ? sh_.a_hat[k] - a_bar - c_hat + (1.0 - eta) * ph
                                    : sh_.a_hat[k] - sigma * c_hat + (sigma - eta) * ph;
        }
    }

    const model::Scenario& s_;
    const Context& c0_;
    const Demand& d0_;
    const Shocks& sh_;
};

/// p̂ = −J⁻¹·ô_shock over the interior endogenous offers of the baseline (the others keep
/// their price).
std::vector<double> price_changes(const model::Scenario& s, const Context& c0, const Context& c1,
                                  const Solution& base, Linearisation& lin) {
    const std::size_t no = s.offers.size();
    std::vector<int> pos(no, -1);
    std::vector<std::size_t> endo;
    for (std::size_t o = 0; o < no; ++o)
        if (c0.endogenous[o] && !base.spare[o] && base.demand.orders[o] > 0.0) {
            pos[o] = static_cast<int>(endo.size());
            endo.push_back(o);
        }
    const int n = static_cast<int>(endo.size());
    std::vector<double> p_hat(no, 0.0);
    if (n == 0) return p_hat;
    lin.respond(p_hat);
    const auto shock = lin.orders_hat();
    Economy economy(s, c0);
    Eigen::MatrixXd jac = economy.log_orders_jacobian(base.demand, pos, n);
    Eigen::VectorXd rhs(n);
    for (int i = 0; i < n; ++i) {
        const std::size_t o = endo[static_cast<std::size_t>(i)];
        jac(i, i) -= s.offers[o].supply_elasticity;
        rhs(i) = -shock[o];
    }
    Eigen::FullPivLU<Eigen::MatrixXd> lu(jac);
    if (!lu.isInvertible())
        throw RunError(
            fmt::format("linear equilibrium {}: the Jacobian of the clearing conditions at the "
                        "baseline is singular (a market with inelastic demand and supply?)",
                        c1.label));
    const Eigen::VectorXd x = lu.solve(rhs);
    if (!x.allFinite())
        throw RunError(fmt::format(
            "linear equilibrium {}: the linear system has no finite solution", c1.label));
    for (int i = 0; i < n; ++i) p_hat[endo[static_cast<std::size_t>(i)]] = x(i);
    return p_hat;
}

}  // namespace

EquilibriumState solve_linear(const model::Scenario& s, const Context& c0, const Context& c1,
                              const Solution& base, std::vector<std::string>& warnings) {
    const std::size_t no = s.offers.size(), nk = c0.cands.size(), nb = s.buyers.size();
    const Demand& d0 = base.demand;
    const Shocks sh = shocks_between(s, c0, c1, warnings);
    Linearisation lin(s, c0, d0, sh);
    const auto p_hat = price_changes(s, c0, c1, base, lin);
    lin.respond(p_hat);

    std::vector<double> price(no), q(nk, 0.0), P(nb, kInf), Q(nb, 0.0);
    for (std::size_t o = 0; o < no; ++o) price[o] = base.price[o] * (1.0 + p_hat[o]);
    bool negative = false;
    for (std::size_t k = 0; k < nk; ++k) {
        if (!c0.cands[k].usable() || sh.removed[k]) continue;
        q[k] = d0.q[k] * (1.0 + lin.q_hat[k]);
        negative = negative || q[k] < 0.0;
    }
    for (std::size_t b = 0; b < nb; ++b) {
        if (!std::isfinite(d0.P[b])) continue;
        P[b] = d0.P[b] * (1.0 + lin.P_hat[b]);
        Q[b] = d0.Q[b] * (1.0 - s.buyers[b].price_elasticity * lin.P_hat[b]);
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

}  // namespace ts::analysis::eq
