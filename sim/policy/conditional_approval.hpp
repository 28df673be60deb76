#pragma once
// Conditional approvals (docs/policies.md, "Conditional approval"): an import restriction with
// `condition: {domestic_share: s}` is lifted for a buyer as far as its purchases of the last
// tick reached the share s of domestic compute (compute of offers made in the restricting
// country, over all compute it was shipped). With d that share, the buyer keeps
//     1 − compliance · (1 − min(1, d / s))
// of its taste weight for the offers the restriction selects, from the next tick on (before
// its first purchase d = 0: the approval is earned). The engine reports every shipment and
// closes each tick; everything else is read from the policy book and legality.
#include <vector>

#include "core/ids.hpp"
#include "policy/legality.hpp"
#include "policy/policy_book.hpp"

namespace ts::policy {

class ConditionalApprovals {
  public:
    explicit ConditionalApprovals(const Legality& legality);

    /// No import restriction of the world has a condition (nothing to track).
    bool empty() const { return policies_.empty(); }
    /// A shipment of this tick to the buyer (compute units).
    void add_shipment(Index buyer, Index offer, double compute);
    /// This tick's shares become the basis of the next tick's approvals.
    void end_tick();
    /// The factor on the buyer's taste weight for the offer: the product over the conditional
    /// restrictions in force that apply to it and select the offer.
    double factor(Index buyer, Index offer) const;

  private:
    const PolicyBook* book_;
    const Legality* legality_;
    std::size_t n_buyers_ = 0;
    std::vector<PolicyId> policies_;      // import restrictions with a condition
    std::vector<char> domestic_;          // policy × offer: made in the policy's country
    std::vector<double> total_;           // per buyer: compute shipped this tick
    std::vector<double> domestic_total_;  // policy × buyer: of it, domestic
    std::vector<double> share_;           // policy × buyer: last tick's domestic share
};

}  // namespace ts::policy
