#pragma once
// Armington CES choice (PRODUCT.md, step 5) and the demand side of a buyer (step 3).
//   landed cost per compute unit  c = price·(1+tariff)·(1+markup)/compute
//   price index                   P = (Σ a_i c_i^(1−σ))^(1/(1−σ))
//   demand for offer i            q_i = a_i (c_i/P)^(−σ) Q          (compute units)
//   composite demand              Q = demand·(1+g)^t·(P/reference_cost)^(−η)
// Costs are scaled by the cheapest one before powers are taken, so large σ (≥ 200, the
// homogeneous-good limit) neither overflows nor underflows the index. σ = 1 is the
// Cobb–Douglas limit with weights normalised to sum to one.
#include <span>

namespace ts::market {

double landed_cost(double price, double tariff, double markup, double compute);

/// Expected cost of a licensed route: the landed cost divided by the approval probability
/// (approval 0: unusable, +inf).
double licensed_cost(double landed, double approval);

/// Expected cost of a diverted (illegal) route: the landed cost raised by the expected seizure
/// loss, 1/(1 − d), and by a risk premium d/r that vanishes as the buyer's risk tolerance r
/// grows. r = 0 (never uses illicit channels) or d = 1 makes the route unusable (+inf).
/// Diverted goods evade the destination's tariff: pass a landed cost without it.
double diverted_cost(double landed, double detection, double risk_tolerance);

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

/// Q before backlog: demand·(1+g)^t·(P/reference_cost)^(−η).
double composite_demand(double demand, double growth, long tick, double price_index,
                        double reference_cost, double eta);

}  // namespace ts::market
