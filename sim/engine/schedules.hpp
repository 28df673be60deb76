#pragma once
// Phase 0, schedules: every scheduled parameter (model/schedule.hpp) takes its value for the
// tick, before any other phase reads it. Runs only for a world with schedules.
#include "engine/world.hpp"
#include "policy/policy_book.hpp"

namespace ts::engine {

/// Writes the tick's values into `scheduled` (the run's copy of the world). When a rate,
/// detection or approval changed, rebuilds the policy book's rate tables and returns true: the
/// policy phase then rebuilds the legality tables as when a policy takes force.
bool phase_schedules(int tick, World& scheduled, policy::PolicyBook& policies);

}  // namespace ts::engine
