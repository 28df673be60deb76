#include "analysis/equilibrium_demand.hpp"

#include <algorithm>
#include <cmath>
#include <span>

#include "market/ces.hpp"

namespace ts::analysis::eq {

double composite_demand(const model::Buyer& buyer, double price_index) {
    return market::composite_demand(buyer.demand, buyer.growth, 0, price_index,
                                    buyer.reference_cost, buyer.price_elasticity);
}

Economy::Economy(const model::Scenario& s, const Context& c) : s_(s), c_(c) {
    std::size_t widest = 0;
    for (std::size_t b = 0; b < s.buyers.size(); ++b)
        widest = std::max(widest, c.begin[b + 1] - c.begin[b]);
    w_.resize(widest);
    cost_.resize(widest);
    out_.resize(widest);
    k_.resize(widest);
}

void Economy::evaluate(const std::vector<double>& price, Demand& d) {
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
        const double q = composite_demand(buyer, p);
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

Eigen::MatrixXd Economy::log_orders_jacobian(const Demand& d, const std::vector<int>& pos,
                                             int n) const {
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

}  // namespace ts::analysis::eq
