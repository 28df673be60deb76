// solve_equilibrium: the baseline and the current policy state, each built (equilibrium_context)
// and solved (equilibrium_exact, equilibrium_linear), their states (equilibrium_state), the
// surplus changes (equilibrium_welfare), and what the equilibrium leaves out of the engine.
#include "analysis/equilibrium.hpp"

#include <fmt/format.h>

#include "analysis/equilibrium_context.hpp"
#include "analysis/equilibrium_solve.hpp"
#include "analysis/equilibrium_state.hpp"
#include "analysis/equilibrium_welfare.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "engine/soft_routes.hpp"

namespace ts::analysis {

namespace {

using eq::ix;
using model::Index;

std::string tick_label(const model::Scenario& s, std::int64_t tick) {
    return fmt::format("at tick {} ({})", tick, format_date(s.time.calendar().date_of(tick)));
}

void check_options(const EquilibriumOptions& opt) {
    auto check_tick = [&](std::int64_t t, const char* what) {
        if (t < 0)
            throw InputError(
                fmt::format("equilibrium: {} tick {} is before the start of the run", what, t));
    };
    check_tick(opt.at_tick, "the");
    if (opt.baseline_tick) check_tick(*opt.baseline_tick, "the baseline");
    if (!(opt.tolerance > 0.0)) throw InputError("equilibrium: the tolerance must be positive");
}

/// The dynamic features of the engine that the equilibrium leaves out.
std::vector<std::string> ignored_features() {
    return {
        "growth and backlog: demand is taken at tick 0 and unmet demand is not carried over",
        "anticipation: orders are not scaled while a restriction is announced but not yet in force",
        "licence queues and delays: a licensed route ships its approval share of requests at once",
        "seizures' randomness: diverted shipments arrive at the expected share (1 - detection)",
        "stockpiling and stock dynamics, transport delays: flows are per tick in the steady state",
        "rationing and re-choice: binding capacities at fixed prices, hub capacities and quotas "
        "are reported as "
        "warnings",
        "reaction rules and design-around variants: the policies and offers they would add are not "
        "applied",
    };
}

/// What the scenario has that the equilibrium does not apply (c1: the current policy state).
void add_scenario_warnings(const model::Scenario& s, const eq::Context& c1,
                           std::vector<std::string>& warnings) {
    for (Index p : c1.pending)
        warnings.push_back(
            fmt::format("policy '{}' is announced but not in force {}: the engine's buyers would "
                        "scale their orders by their anticipation, which the equilibrium ignores",
                        s.policies[ix(p)].id, c1.label));
    for (const auto& buyer : s.buyers)
        if (buyer.growth != 0.0)
            warnings.push_back(
                fmt::format("buyer '{}' grows {} per tick: the equilibrium takes its demand at "
                            "tick 0 (no growth)",
                            buyer.id, buyer.growth));
    for (const auto& pol : s.policies)
        if (pol.domestic_share)
            warnings.push_back(fmt::format(
                "policy '{}' is a conditional approval: it depends on the buyers' domestic "
                "purchases of the tick before, which a steady state without ticks has not; the "
                "equilibrium leaves it out (the imports are approved)",
                pol.id));
    if (!s.reactions.empty())
        warnings.push_back(
            fmt::format("{} reaction rule(s) are not applied: the equilibrium holds the "
                        "scenario's own policies fixed",
                        s.reactions.size()));
    for (const auto& sup : s.suppliers) {
        if (sup.design_around)
            warnings.push_back(fmt::format(
                "supplier '{}' has design_around: its variants are not launched", sup.id));
        if (!sup.pools.empty())
            warnings.push_back(fmt::format(
                "supplier '{}' has capacity pools: the equilibrium leaves them out (each offer is "
                "bounded by its own capacity only; an offer without one is unlimited)",
                sup.id));
        if (!sup.purchases.empty() || sup.equipment)
            warnings.push_back(
                fmt::format("supplier '{}' buys inputs or equipment: input markets are not solved, "
                            "its capacity is taken as given",
                            sup.id));
    }
}

/// The solver on the baseline's world `s0` and the current world `s1` (the same scenario
/// unless parameters are scheduled: then each at its own date).
EquilibriumResult solve_states(const model::Scenario& s0, const model::Scenario& s1,
                               const EquilibriumOptions& opt) {
    EquilibriumResult res;
    res.linear = opt.linear;
    res.at_tick = opt.at_tick;
    res.baseline_tick = opt.baseline_tick;
    res.n_countries = s1.countries.size();

    // Soft routes and remote channels are priced at each state's own equilibrium volume; the
    // linear answer holds them at the baseline's (a first-order change keeps the terms).
    engine::SoftRoutes soft = engine::init_soft_routes(s0);
    const eq::Solved base =
        opt.baseline_tick ? eq::solve_soft(s0, *opt.baseline_tick, false,
                                           "in the baseline " + tick_label(s0, *opt.baseline_tick),
                                           opt, soft, res.warnings)
                          : eq::solve_soft(s0, 0, true, "in the baseline with no policies", opt,
                                           soft, res.warnings);
    const eq::Context& c0 = base.c;
    res.baseline = eq::state_of(s0, c0, base.sol);
    for (auto& w :
         eq::check_limits(s0, c0, base.sol.demand.q, base.sol.demand.orders, base.sol.price))
        res.warnings.push_back(std::move(w));

    eq::Context c1;
    if (opt.linear) {
        c1 = eq::build_context(s1, opt.at_tick, false, tick_label(s1, opt.at_tick),
                               soft.empty() ? nullptr : &soft);
        res.current = eq::solve_linear(s1, c0, c1, base.sol, res.warnings);
        if (!soft.empty())
            res.warnings.push_back(
                "--linear holds the markups and detection of soft routes and remote channels at "
                "the baseline's volumes; the exact mode prices them at the current state's");
    } else {
        engine::SoftRoutes soft1 = engine::init_soft_routes(s1);  // from zero volume
        eq::Solved cur = eq::solve_soft(s1, opt.at_tick, false, tick_label(s1, opt.at_tick), opt,
                                        soft1, res.warnings);
        c1 = std::move(cur.c);
        res.current = eq::state_of(s1, c1, cur.sol);
        for (auto& w :
             eq::check_limits(s1, c1, cur.sol.demand.q, cur.sol.demand.orders, cur.sol.price))
            res.warnings.push_back(std::move(w));
    }
    eq::set_surplus_changes(s1, c0, res);
    res.ignored = ignored_features();
    add_scenario_warnings(s1, c1, res.warnings);
    return res;
}

}  // namespace

EquilibriumResult solve_equilibrium(const model::Scenario& s, const EquilibriumOptions& opt) {
    check_options(opt);
    EquilibriumResult res = s.schedules.empty()
                                ? solve_states(s, s, opt)
                                : solve_states(eq::dated(s, opt.baseline_tick.value_or(0)),
                                               eq::dated(s, opt.at_tick), opt);
    if (!s.schedules.empty())
        res.warnings.push_back(fmt::format(
            "{} scheduled parameter(s) are taken at their values {} (the baseline at its own "
            "date): the equilibrium is the steady state of that one date, not of the path; "
            "consumer surplus is measured on the demand of that date",
            s.schedules.size(), tick_label(s, opt.at_tick)));
    return res;
}

}  // namespace ts::analysis
