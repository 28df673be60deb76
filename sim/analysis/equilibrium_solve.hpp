#pragma once
// The two solvers of one policy state (internal to analysis/equilibrium*.cpp): the exact
// complementarity solution (equilibrium_exact.cpp) and the GSIM-style linearisation around a
// baseline (equilibrium_linear.cpp).
#include <string>
#include <vector>

#include "analysis/equilibrium.hpp"
#include "analysis/equilibrium_demand.hpp"

namespace ts::analysis::eq {

struct Solution {
    std::vector<double> price;  // per offer
    Demand demand;
    std::vector<char> spare;  // per offer
    std::string method;
    int iterations = 0;
    double residual = 0.0;
};

/// The exact equilibrium of one policy state. Throws ts::RunError when there is none or the
/// solver fails to verify one.
Solution solve_exact(const model::Scenario& s, const Context& c, const EquilibriumOptions& opt);

/// The first-order change from the baseline solution `base` (policy state c0) to the policy
/// state c1, in proportional changes; appends what it cannot represent to `warnings`.
EquilibriumState solve_linear(const model::Scenario& s, const Context& c0, const Context& c1,
                              const Solution& base, std::vector<std::string>& warnings);

/// A policy state and its exact solution.
struct Solved {
    Context c;
    Solution sol;
};

/// The exact solution of the policy state at `tick` (see build_context) with its soft routes
/// and remote channels priced at their own equilibrium volume: rounds of solve, then the
/// engine's adaptive step of the priced volume towards the volume shipped, until they agree
/// (`soft` holds the priced volumes on return; empty: no soft channel, one solve). Warns when
/// they do not agree after the last round.
Solved solve_soft(const model::Scenario& s, std::int64_t tick, bool no_policies,
                  const std::string& label, const EquilibriumOptions& opt, engine::SoftRoutes& soft,
                  std::vector<std::string>& warnings);

/// The state of an exact solution.
EquilibriumState state_of(const model::Scenario& s, const Context& c, const Solution& sol);

}  // namespace ts::analysis::eq
