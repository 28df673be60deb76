#pragma once
// From a solution to what the outputs show (internal to analysis/equilibrium*.cpp): the state
// per offer, buyer, country, supplier and flow, and the limits the engine would ration.
#include <cstddef>
#include <string>
#include <vector>

#include "analysis/equilibrium.hpp"
#include "analysis/equilibrium_context.hpp"

namespace ts::analysis::eq {

/// The offer's capacity at `price`: capacity·(price/base price)^ε.
double capacity_at(const model::Scenario& s, const Context& c, std::size_t o, double price);

/// The state (what countries.csv, markets.csv and flows.csv would show per tick) for given
/// prices, requests per candidate and buyer indices.
EquilibriumState make_state(const model::Scenario& s, const Context& c,
                            const std::vector<double>& price, const std::vector<double>& q,
                            const std::vector<double>& P, const std::vector<double>& Q);

/// Warnings for capacities binding at a fixed price and for hub, remote or quota limits
/// exceeded: the engine rations them, the equilibrium does not.
std::vector<std::string> check_limits(const model::Scenario& s, const Context& c,
                                      const std::vector<double>& q,
                                      const std::vector<double>& orders,
                                      const std::vector<double>& price);

}  // namespace ts::analysis::eq
