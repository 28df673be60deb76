#pragma once
// Warnings about policies that do not do what their author probably meant, found by watching
// one run (`validate` and `run` print them; docs/explaining-results.md, "Warnings"):
//  - an export control or quota that, while in force, never covers a route of a buyer that
//    wants an offer it selects (it selects no flow), and the special case of one whose offers
//    do not exist while it is in force (it lapses before it starts mattering);
//  - a quota whose cap is never reached (it never binds);
//  - a control that closes a buyer's direct route while the route through a hub stays open,
//    and the buyer takes it (the hub's markup is all the control costs);
//  - an import restriction that raises its buyers' demand for the offers it leaves: with
//    substitution σ above price elasticity η, q_j ∝ P^(σ−η) rises as the price index does;
//  - a policy that lapses before the run starts, or is announced and in force only after it
//    ends.
// Each warning names the policy's file:line and says what to change.
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "engine/simulation.hpp"

namespace ts::engine {

class PolicyAudit final : public PhaseProbe {
  public:
    /// `input_policies`: how many of the world's policies the scenario wrote (the rest are
    /// reaction rules' dormant policies, which are not audited).
    PolicyAudit(const model::Scenario& world, std::size_t input_policies);
    void after(Phase phase, const Simulation& sim) override;
    /// The findings of the run watched so far (call after it), except for policies that one of
    /// `already` (the reader's warnings) names: one warning per mistake.
    std::vector<Diagnostic> warnings(const std::vector<Diagnostic>& already = {}) const;

  private:
    struct Finding {
        bool in_force = false;   // in force at some tick of the run
        bool applied = false;    // covered a route of a buyer wanting an offer it selects
        bool available = false;  // an offer it selects existed while it was in force
        bool bound = false;      // quota: a bucket was exhausted
        bool checked = false;    // import restriction: its effect on demand was measured
        std::string moot;        // a buyer that went round it through an open hub
        double raise = 1.0;      // import restriction: largest factor on other offers' demand
        std::string raise_buyer;
        int raised_buyers = 0;
    };
    void audit_routes(const Simulation& sim);
    void audit_import_restriction(const Simulation& sim, std::size_t policy);
    const model::Scenario& world_;
    std::size_t input_policies_;
    std::vector<Finding> found_;
};

}  // namespace ts::engine
