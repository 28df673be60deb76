#pragma once
// Behaviour: how agents react to policy beyond the price. Anticipation (buyers stockpile goods
// facing an announced restriction: used by the choice phase), reactions (a government's rule
// fires when its condition has held long enough) and design-around (a supplier bound by a
// control launches its variant after a lag).
#include "engine/engine_state.hpp"
#include "engine/records.hpp"
#include "engine/world.hpp"

namespace ts::engine {

/// Stockpiling: orders of goods facing an announced restriction are scaled by the buyer's
/// anticipation.
inline double stockpile_factor(const policy::Legality& legality, Index buyer, Index offer,
                               double anticipation) {
    return legality.restriction_pending(BuyerId{buyer}, OfferId{offer}) ? anticipation : 1.0;
}

/// The reaction's metric over this tick's records.
double reaction_metric(const model::Reaction& r, const TickRecord& record);

/// Reactions whose condition has held `for` ticks trigger (their policy is announced now and
/// takes force `lag` ticks later); variants whose control binds are scheduled for launch.
/// A triggered reaction's policy is dated in the policy book (PolicyBook::schedule).
/// Conditional import approvals learn what each buyer was shipped this tick (they decide its
/// approvals next tick).
void phase_behaviour(int tick, const World& world, policy::PolicyBook& policies,
                     policy::ConditionalApprovals& approvals, BehaviourState& behaviour,
                     OfferState& offers, TickRecord& record);

}  // namespace ts::engine
