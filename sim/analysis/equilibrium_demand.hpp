#pragma once
// Demand of one policy state at given prices (internal to analysis/equilibrium*.cpp): each
// buyer's CES price index, composite demand and requests over its usable candidates, the
// orders they make, and the Jacobian of log orders in log prices that both solvers use.
#include <cstddef>
#include <vector>

#include <Eigen/Dense>

#include "analysis/equilibrium_context.hpp"

namespace ts::analysis::eq {

/// Demand at given prices: the engine's steps 3 and 5 for every buyer.
struct Demand {
    std::vector<double> q;       // per candidate: compute requested
    std::vector<double> cost;    // per candidate: cost per compute unit
    std::vector<double> P, Q;    // per buyer: price index, composite demand (0 when nothing usable)
    std::vector<double> orders;  // per offer: units shipped (licensed: the granted share)
};

/// Rule (composite demand): Q = demand·(P/reference_cost)^(−η) at tick 0 (no growth, no
/// backlog: the equilibrium's steady state).
double composite_demand(const model::Buyer& buyer, double price_index);

class Economy {
  public:
    Economy(const model::Scenario& s, const Context& c);

    void evaluate(const std::vector<double>& price, Demand& d);

    /// ∂ log orders_o / ∂ log p_j for endogenous o, j (pos: offer -> row, -1 if not endogenous).
    /// For CES with power demand: ∂ log q_i / ∂ log c_j = −σ δ_ij + (σ − η) s_j, s_j the
    /// spending share; every route cost is proportional to its offer's price.
    Eigen::MatrixXd log_orders_jacobian(const Demand& d, const std::vector<int>& pos, int n) const;

  private:
    const model::Scenario& s_;
    const Context& c_;
    std::vector<double> w_, cost_, out_;
    std::vector<std::size_t> k_;
};

}  // namespace ts::analysis::eq
