#pragma once
// Surplus and welfare changes between the baseline and the current state (internal to
// analysis/equilibrium*.cpp); the definitions are EquilibriumResult's.
#include "analysis/equilibrium.hpp"
#include "analysis/equilibrium_context.hpp"

namespace ts::analysis::eq {

/// −∫_{P0}^{P1} demand·(P/ref)^(−η) dP, the change in consumer surplus of a power demand curve.
double consumer_surplus_change(const model::Buyer& b, double p0, double p1);

/// ∫_{p0}^{p1} capacity·(p/base)^ε dp.
double supply_integral(const model::Offer& off, double capacity, double p0, double p1);

/// Fills the consumer, producer surplus and welfare changes of `res` from its baseline (policy
/// state c0) and current states.
void set_surplus_changes(const model::Scenario& s, const Context& c0, EquilibriumResult& res);

}  // namespace ts::analysis::eq
