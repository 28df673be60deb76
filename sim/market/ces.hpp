#pragma once
// Armington CES choice (docs/model.md, step 5). Route costs are in route_cost.hpp, the demand side
// of a buyer (step 3) in demand.hpp.
//   landed cost per compute unit  c = price·(1+tariff)·(1+markup)/compute
//   price index                   P = (Σ a_i c_i^(1−σ))^(1/(1−σ))
//   demand for offer i            q_i = a_i (c_i/P)^(−σ) Q          (compute units)
//   composite demand              Q = demand·(1+g)^t·(P/reference_cost)^(−η)
// Costs are scaled by the cheapest one before powers are taken, so large σ (≥ 200, the
// homogeneous-good limit) neither overflows nor underflows the index. σ = 1 is the
// Cobb–Douglas limit with weights normalised to sum to one.
#include <span>

// The route-cost and demand rules, which callers of the CES formulas use with them.
#include "market/demand.hpp"
#include "market/route_cost.hpp"

namespace ts::market {

/// P over the offers given (all with weight > 0 and finite positive cost). +inf if none.
double price_index(std::span<const double> weights, std::span<const double> costs, double sigma);

/// Writes q_i for composite quantity Q into `out` (same length as weights) and returns P.
double allocate(std::span<const double> weights, std::span<const double> costs, double sigma,
                double quantity, std::span<double> out);

/// One pass for a buyer's choice: returns P and writes each offer's share of the composite
/// quantity, q_i = share_i·Q with share_i = a_i·(c_i/P)^(−σ), into `shares`. One power per
/// offer (c_i/c_min)^(−σ), from which (c_i/c_min)^(1−σ) follows by a product: the engine's
/// hot path (price_index + allocate take three).
double ces_shares(std::span<const double> weights, std::span<const double> costs, double sigma,
                  std::span<double> shares);

}  // namespace ts::market
