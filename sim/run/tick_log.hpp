#pragma once
// `--log-level debug` during a run: what the policy phase of each tick did. Callers test
// spdlog::should_log(spdlog::level::debug) first, so a run at a higher level pays nothing.
#include <string>

#include "engine/simulation.hpp"

namespace ts::run {

/// One line per policy announced, taking force or lapsing in the tick the simulation just ran
/// (tick, date, id, what it does), each reaction triggered and variant launched, and one for a
/// rebuild of the legality tables (why, and their
/// size), at debug level.
void log_policy_tick(const engine::Simulation& sim);

/// What a policy does, on one line: "export_control by USA to CHN, licence approval 0.5 after
/// 1 tick(s), covers exports and re-exports".
std::string describe_policy(const model::Scenario& s, const model::Policy& p);

}  // namespace ts::run
