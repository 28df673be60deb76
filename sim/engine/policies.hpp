#pragma once
// Phase 1, policies: which policies take force, lapse or are announced this tick; when the set
// changes, the legality tables are rebuilt and candidates re-read what they take from them.
// A scheduled change of a value the tables hold (`tables_moved`, from the schedules phase)
// rebuilds them too. Quota periods roll over. Transitions and variant launches are reported as
// events.
#include <vector>

#include "engine/engine_state.hpp"
#include "engine/records.hpp"
#include "engine/world.hpp"

namespace ts::engine {

/// Why phase_policy rebuilt the legality tables in a tick (none: it did not): the first tick,
/// a change of the policies in force or announced, or a scheduled value the tables hold.
enum class Rebuild { none, start, policies, schedule };
const char* to_string(Rebuild r);

Rebuild phase_policy(int tick, const World& world, const BehaviourState& behaviour,
                     policy::PolicyBook& policies, policy::Legality& legality,
                     std::vector<policy::Transition>& transitions, const BuyerState& buyers,
                     CandidateState& cands, ConstraintState& constraints, TickRecord& record,
                     bool tables_moved = false);

}  // namespace ts::engine
