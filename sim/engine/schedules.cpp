#include "engine/schedules.hpp"

namespace ts::engine {

bool phase_schedules(int tick, World& scheduled, policy::PolicyBook& policies) {
    model::Scenario& s = scheduled.scenario;
    if (!model::apply_schedules(s, s.schedules, tick)) return false;
    policies.refresh_rates();
    return true;
}

}  // namespace ts::engine
