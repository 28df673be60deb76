#include "model/schedule.hpp"

#include "model/scenario.hpp"

namespace ts::model {

const char* to_string(ScheduleField field) {
    switch (field) {
        case ScheduleField::offer_capacity:
            return "offer capacity";
        case ScheduleField::offer_unit_cost:
            return "offer unit_cost";
        case ScheduleField::offer_supply_elasticity:
            return "offer supply_elasticity";
        case ScheduleField::input_per_unit:
            return "input per unit";
        case ScheduleField::equipment_capacity_per_unit:
            return "equipment capacity_per_unit";
        case ScheduleField::equipment_depreciation:
            return "equipment depreciation";
        case ScheduleField::buyer_demand:
            return "buyer demand";
        case ScheduleField::buyer_reference_cost:
            return "buyer reference_cost";
        case ScheduleField::buyer_price_elasticity:
            return "buyer price_elasticity";
        case ScheduleField::buyer_risk_tolerance:
            return "buyer risk_tolerance";
        case ScheduleField::buyer_anticipation:
            return "buyer anticipation";
        case ScheduleField::buyer_backlog:
            return "buyer backlog";
        case ScheduleField::remote_markup:
            return "remote markup";
        case ScheduleField::remote_capacity:
            return "remote capacity";
        case ScheduleField::route_markup:
            return "route markup";
        case ScheduleField::route_capacity:
            return "route capacity";
        case ScheduleField::route_detection:
            return "route detection";
        case ScheduleField::policy_rate:
            return "policy rate";
        case ScheduleField::policy_detection:
            return "policy detection";
        case ScheduleField::policy_approval:
            return "policy licence approval";
        case ScheduleField::policy_cap:
            return "policy cap";
        case ScheduleField::pool_capacity:
            return "pool capacity";
    }
    return "?";
}

bool moves_policy_tables(ScheduleField field) {
    // Rates sum into the tariff and fee tables, detection and approval into the route cells;
    // a cap is read when a quota period starts, markups and capacities wherever they are used.
    return field == ScheduleField::policy_rate || field == ScheduleField::policy_detection ||
           field == ScheduleField::policy_approval || field == ScheduleField::route_detection;
}

const char* to_string(Interpolation interpolation) {
    return interpolation == Interpolation::linear ? "linear" : "step";
}

double Schedule::at(std::int64_t tick) const {
    if (tick <= points.front().tick) return points.front().value;
    for (std::size_t i = 1; i < points.size(); ++i) {
        const SchedulePoint& next = points[i];
        if (tick >= next.tick) continue;
        const SchedulePoint& prev = points[i - 1];
        if (interpolate == Interpolation::step) return prev.value;
        const double share =
            static_cast<double>(tick - prev.tick) / static_cast<double>(next.tick - prev.tick);
        return prev.value + share * (next.value - prev.value);
    }
    return points.back().value;
}

double& target(Scenario& s, const Schedule& sch) {
    const auto o = static_cast<std::size_t>(sch.object);
    switch (sch.field) {
        case ScheduleField::offer_capacity:
            return s.offers[o].capacity;
        case ScheduleField::offer_unit_cost:
            return s.offers[o].unit_cost;
        case ScheduleField::offer_supply_elasticity:
            return s.offers[o].supply_elasticity;
        case ScheduleField::input_per_unit:
            return s.offers[o].inputs[static_cast<std::size_t>(sch.item)].per_unit;
        case ScheduleField::equipment_capacity_per_unit:
            return s.suppliers[o].equipment->capacity_per_unit;
        case ScheduleField::equipment_depreciation:
            return s.suppliers[o].equipment->depreciation;
        case ScheduleField::buyer_demand:
            return s.buyers[o].demand;
        case ScheduleField::buyer_reference_cost:
            return s.buyers[o].reference_cost;
        case ScheduleField::buyer_price_elasticity:
            return s.buyers[o].price_elasticity;
        case ScheduleField::buyer_risk_tolerance:
            return s.buyers[o].risk_tolerance;
        case ScheduleField::buyer_anticipation:
            return s.buyers[o].anticipation;
        case ScheduleField::buyer_backlog:
            return s.buyers[o].backlog;
        case ScheduleField::remote_markup:
            return s.buyers[o].remote->markup;
        case ScheduleField::remote_capacity:
            return s.buyers[o].remote->capacity;
        case ScheduleField::route_markup:
            return s.routes[o].markup;
        case ScheduleField::route_capacity:
            return s.routes[o].capacity;
        case ScheduleField::route_detection:
            return s.routes[o].detection;
        case ScheduleField::policy_rate:
            return s.policies[o].rate;
        case ScheduleField::policy_detection:
            return s.policies[o].detection;
        case ScheduleField::policy_approval:
            return s.policies[o].licence->approval;
        case ScheduleField::policy_cap:
            return s.policies[o].cap;
        case ScheduleField::pool_capacity:
            return s.suppliers[o].pools[static_cast<std::size_t>(sch.item)].capacity;
    }
    return s.offers[o].capacity;  // unreachable: every field is handled above
}

bool apply_schedules(Scenario& scenario, const std::vector<Schedule>& schedules,
                     std::int64_t tick) {
    bool tables_moved = false;
    for (const Schedule& sch : schedules) {
        double& field = target(scenario, sch);
        const double value = sch.at(tick);
        if (field == value) continue;
        field = value;
        tables_moved = tables_moved || moves_policy_tables(sch.field);
    }
    return tables_moved;
}

}  // namespace ts::model
