#pragma once
// Dated schedules: a numeric parameter that changes over the run
// (`capacity: {2022-01: 120000, 2024-07: 300000, interpolate: linear}`). The reader resolves
// the dates to ticks by the policy time rule (Calendar::nearest_boundary) and keeps the value
// at tick 0 in the plain field, so code that reads the field at the start sees the schedule's
// first value. The engine's schedules phase writes each tick's value into its run copy of the
// scenario (engine/schedules.cpp); the equilibrium solver reads the value at its date.
#include <cstdint>
#include <string>
#include <vector>

#include "core/date.hpp"

namespace ts::model {

struct Scenario;

/// Which field a schedule drives. `object` indexes the owner's list (offers, suppliers for
/// equipment and pools, buyers for buyer and remote fields, routes, policies); `item` is the
/// input's position in Offer::inputs for input_per_unit.
enum class ScheduleField {
    offer_capacity,
    offer_unit_cost,
    offer_supply_elasticity,
    input_per_unit,
    equipment_capacity_per_unit,
    equipment_depreciation,
    buyer_demand,
    buyer_reference_cost,
    buyer_price_elasticity,
    buyer_risk_tolerance,
    buyer_anticipation,
    buyer_backlog,
    remote_markup,
    remote_capacity,
    route_markup,
    route_capacity,
    route_detection,
    policy_rate,
    policy_detection,
    policy_approval,
    policy_cap,
    pool_capacity,  // object: the supplier; item: the pool's position in Supplier::pools
};
const char* to_string(ScheduleField field);
/// The fields of an offer (they come first in ScheduleField), which a design-around variant
/// of the offer follows.
inline bool drives_offer(ScheduleField field) {
    return field <= ScheduleField::input_per_unit;
}
/// The fields the policy tables (PolicyBook, Legality) are built from: a change must rebuild
/// them, as a policy taking force does.
bool moves_policy_tables(ScheduleField field);

enum class Interpolation { step, linear };
const char* to_string(Interpolation interpolation);

struct SchedulePoint {
    Date date{};
    std::int64_t tick = 0;  // Calendar::nearest_boundary(date)
    double value = 0.0;
};

struct Schedule {
    ScheduleField field = ScheduleField::offer_capacity;
    std::int32_t object = -1;
    std::int32_t item = -1;
    std::string path;  // scenario path of the field, for validate and messages
    Interpolation interpolate = Interpolation::step;
    std::vector<SchedulePoint> points;  // at least one; dates and ticks strictly increasing

    /// The value in force at `tick`: the first point's before it, the last point's after the
    /// last; in between the latest point's (step) or the straight line between the two points
    /// around the tick (linear).
    double at(std::int64_t tick) const;
};

/// The scenario field the schedule drives.
double& target(Scenario& scenario, const Schedule& schedule);
/// Writes every schedule's value at `tick` into its field; true when a field the policy tables
/// are built from changed value.
bool apply_schedules(Scenario& scenario, const std::vector<Schedule>& schedules, std::int64_t tick);

}  // namespace ts::model
