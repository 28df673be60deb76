#pragma once
// The long-run market equilibrium of a scenario, solved directly (no ticks): the steady state
// of the engine (docs/model.md, "The model, one tick") with the policies in force at one tick held
// fixed, no growth and no backlog. `tradesim equilibrium` prints and writes it.
//
// What is solved
// - Demand: each buyer's Armington CES over the offers usable under the policies in force,
//   exactly as engine steps 3–5: each (buyer, offer) is reached by its cheapest usable route
//   (direct or through a hub; licensed routes at landed cost / approval; diverted routes at the
//   seizure- and risk-loaded cost without the destination's tariff, also divided by the
//   approval when their first leg needs a licence; blocked routes unusable),
//   taste weights times the import-restriction factor, composite demand
//   Q = demand·(P/reference_cost)^(−η) (tick 0, no growth).
// - Supply: an offer with finite capacity and price_adjustment > 0 or `pricing: clearing`
//   (Supplier::price_responds) has an endogenous price p
//   that clears orders(p) = capacity·(p/base price)^ε with the complementarity p ≥ unit_cost
//   (at unit cost the offer may have spare capacity). Every other offer keeps its base price.
//   Orders on routes that need a licence (licensed ones, and diverted ones whose first leg
//   needs it) are the granted share (approval × request), as in the engine's expected steady
//   state; what a licence grants ships as licensed (tariff and fees, no seizure), as the engine
//   books it. Smuggled orders include the share that will be seized.
// - Exact mode solves the complementarity system in log prices with Newton (Eigen LU,
//   analytic Jacobian), backtracking on the residual norm, and a damped tâtonnement when
//   Newton stalls. Failure (no convergence, a price driven to 0 or infinity, NaN) throws
//   ts::RunError; the solver never returns a number it has not verified.
// - Linear mode (GSIM / SMART style) solves the first-order conditions in proportional changes
//   around the exact baseline: p̂ = −J⁻¹·ô_shock, with J the Jacobian of the log clearing
//   conditions at the baseline and ô_shock the first-order change in orders caused by the
//   policy change at baseline prices (t̂ = Δ(1+t)/(1+t)). One market: P̂* = −η·t̂/(ε+η).
//
// What is ignored (dynamic features with no static meaning) is listed in
// EquilibriumResult::ignored; conditions the equilibrium cannot represent (capacity binding at
// a fixed price, which the engine rations; hub, remote or quota limits exceeded) are listed in
// EquilibriumResult::warnings.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace ts::analysis {

struct EquilibriumOptions {
    std::int64_t at_tick = 0;                   // the policies in force at this tick
    std::optional<std::int64_t> baseline_tick;  // the baseline's tick; none: no policies at all
    bool linear = false;                        // GSIM-style linearised answer around the baseline
    double tolerance = 1e-11;                   // max |residual| of the log clearing conditions
    int max_newton_iterations = 200;
    int max_tatonnement_iterations = 200000;
};

/// One offer's market in one state (per tick).
struct OfferState {
    double price = 0.0;       // USD per unit
    double capacity = 0.0;    // units per tick at that price (+inf: unlimited; 0: not available)
    double orders = 0.0;      // units per tick shipped (licensed routes: the granted share)
    double value_usd = 0.0;   // orders × price
    double fees_usd = 0.0;    // export fees the supplier pays on them
    bool endogenous = false;  // the price clears the market
    bool spare = false;       // endogenous, at unit cost with spare capacity
};

/// One buyer in one state.
struct BuyerState {
    double price_index = 0.0;  // CES price index per compute unit; +inf: nothing usable
    double quantity = 0.0;     // composite demand Q, compute units per tick
    double unmet = 0.0;        // compute per tick not served (nothing usable, licences refused)
};

/// One country in one state (per tick), as countries.csv would show it in the steady state.
struct CountryState {
    double price_index =
        0.0;  // demand-weighted mean of its buyers' P (0: no buyer with a usable offer)
    double demand_compute = 0.0;  // Σ Q of its buyers with a usable offer
    double imports_units = 0.0;   // expected arrivals (after seizures) landing in the country
    double imports_compute = 0.0;
    double imports_value_usd = 0.0;
    double diverted_compute = 0.0;  // expected diverted arrivals for its buyers
    double unmet_compute = 0.0;
    double tariff_revenue_usd = 0.0;
    double fee_revenue_usd = 0.0;  // export fees it collects
};

/// A supplier in one state (per tick).
struct SupplierState {
    double units = 0.0;
    double revenue_usd = 0.0;  // value shipped less export fees (revenue.csv)
};

struct EquilibriumState {
    std::vector<OfferState> offers;        // per scenario offer
    std::vector<BuyerState> buyers;        // per scenario buyer
    std::vector<CountryState> countries;   // per scenario country
    std::vector<SupplierState> suppliers;  // per scenario supplier
    /// Shipments per (supplier, destination country), dense: supplier × countries.size().
    /// Destination is the buyer's country (flows.csv `destination`).
    std::vector<double> flow_units, flow_compute, flow_value_usd;
    std::string method;  // "newton", "newton+tatonnement", "fixed prices", "linear"
    int iterations = 0;
    double residual = 0.0;  // max |residual| at the solution (exact mode)
};

struct EquilibriumResult {
    bool linear = false;
    std::int64_t at_tick = 0;
    std::optional<std::int64_t> baseline_tick;  // none: no policies
    EquilibriumState baseline, current;
    /// Changes from the baseline to the current state, USD per tick.
    /// Consumer surplus per country: Σ over its buyers of −∫_{P0}^{P1} Q(P) dP with
    /// Q(P) = demand·(P/reference_cost)^(−η) (compensating variation of CES demand).
    std::vector<double> consumer_surplus_change;
    /// Producer surplus per supplier: Σ over its endogenous offers of ∫_{p0}^{p1} capacity(p) dp
    /// (capacity(p) = capacity·(p/base)^ε), less the change in export fees it pays.
    std::vector<double> producer_surplus_change;
    /// Per country: consumer surplus + tariff revenue + fee revenue changes + producer surplus
    /// changes of the suppliers of its jurisdiction.
    std::vector<double> welfare_change;
    std::vector<std::string> warnings;  // what the equilibrium cannot represent in this scenario
    std::vector<std::string> ignored;   // dynamic features of the engine left out

    std::size_t flow_cell(model::Index supplier, model::Index country) const {
        return static_cast<std::size_t>(supplier) * n_countries + static_cast<std::size_t>(country);
    }
    std::size_t n_countries = 0;
};

/// Solves the equilibrium at options.at_tick and at the baseline. Throws ts::RunError when no
/// equilibrium exists or the solver fails, ts::InputError for ticks before the start.
EquilibriumResult solve_equilibrium(const model::Scenario& scenario,
                                    const EquilibriumOptions& options = {});

/// One line of the long-format CSV (scope,key,metric,baseline,value,change,change_pct).
struct EquilibriumRow {
    std::string scope;  // world | offer | flow | country | supplier
    std::string key;    // all | SUPPLIER/PRODUCT | SUPPLIER>COUNTRY | country code | supplier id
    std::string metric;
    double baseline = 0.0;
    double value = 0.0;
    double change() const { return value - baseline; }
};

/// The result as rows, in scenario order: world, offers, flows (pairs with a shipment in either
/// state), countries (with a buyer or imports), suppliers.
std::vector<EquilibriumRow> equilibrium_rows(const model::Scenario& scenario,
                                             const EquilibriumResult& result);

}  // namespace ts::analysis
