#pragma once
// The equilibrium solver's view of one policy state (internal to analysis/equilibrium*.cpp):
// for each (buyer, offer) with a taste weight, the route the engine's buyers would choose, what
// a compute unit costs on it, which share of requests ships, arrives and pays tariffs and fees;
// and the limits (hub routes, remote sites, quotas) that the chosen routes draw on.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "model/scenario.hpp"

namespace ts::engine {
struct SoftRoutes;
}

namespace ts::analysis::eq {

using model::Index;

inline constexpr double kInf = std::numeric_limits<double>::infinity();

inline std::size_t ix(Index i) {
    return static_cast<std::size_t>(i);
}

/// How one buyer reaches one offer in one policy state: the engine's cheapest usable route.
struct Candidate {
    Index buyer = model::kNone;
    Index offer = model::kNone;
    int route = -1;         // chosen route (0 direct, r: hub r-1, then remote sites); -1 unusable
    double weight = 0.0;    // taste weight × import-restriction factor
    double wedge = kInf;    // cost per compute unit per USD of price: c = price × wedge
    double kappa = 1.0;     // share of requests that ship (licence approval)
    double arrive = 1.0;    // share of shipments that arrive (1 − detection when smuggled)
    double tariff = 0.0;    // tariff rate on the shipment's value (0 when smuggled)
    double per_unit = 1.0;  // compute per unit
    Index land = model::kNone;  // where the goods land: the buyer's country or the remote site
    bool diverted = false;      // smuggled: seized at the detection rate, no tariff, no fees
    bool licensed = false;      // requests queue for a licence
    std::size_t fee_begin = 0, fee_end = 0;  // export fees: Context::fees
    bool usable() const { return route >= 0; }
};

struct FeePart {
    Index country;  // the government collecting it
    double rate;
};

/// A limit the engine enforces by rationing: a hub route's capacity, a remote site's capacity
/// or a quota bucket. Σ coefficient × requested compute of the terms must stay under cap.
struct Limit {
    std::string what;
    double cap_per_tick = kInf;
    std::vector<std::pair<std::size_t, double>> terms;  // (candidate, per requested compute unit)
};

/// Everything the equilibrium needs from one policy state.
struct Context {
    std::string label;  // "at tick 11 (2024-12-01)" or "with no policies"
    std::vector<Candidate> cands;
    std::vector<std::size_t> begin;  // per buyer, size buyers + 1
    std::vector<FeePart> fees;
    std::vector<char> available;    // per offer
    std::vector<double> capacity0;  // per offer: capacity at the base price (0: unavailable)
    std::vector<char> endogenous;   // per offer: the price clears the market
    std::vector<Limit> limits;
    std::vector<Index> pending;  // policies announced but not yet in force
};

/// The policy state in force at `tick` (no_policies: every policy dormant, the baseline of a
/// run without policies); `soft` (null: none) prices soft routes and remote channels at its
/// priced volumes, as the engine does.
Context build_context(const model::Scenario& input, std::int64_t tick, bool no_policies,
                      std::string label, const engine::SoftRoutes* soft = nullptr);

/// The scenario with every scheduled parameter at its value at `tick` and no schedules left:
/// the world whose steady state the solver computes for that tick.
model::Scenario dated(const model::Scenario& input, std::int64_t tick);

/// "SUPPLIER/PRODUCT": the offer's name in messages and rows.
std::string offer_name(const model::Scenario& s, std::size_t o);

}  // namespace ts::analysis::eq
