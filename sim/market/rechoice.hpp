#pragma once
// Re-choice of a rationed buyer among what is left (docs/model.md, step 6): the residual quantity
// is spread over the options that still have room in proportion to the CES quantity shares
// a_i·(c_i/c_min)^(−σ) restricted to those options (c_min: the cheapest of them), so a buyer
// re-chooses as it chose, only without the options that ran out.
#include <span>

namespace ts::market {

/// Writes each option's share of `residual` into `out` (same length as weights and costs).
/// Options with infinite cost are not usable and their `out` entry is left as it is. `cmin` is
/// the least cost, finite (the caller has it from pruning the options).
void rechoice_shares(std::span<const double> weights, std::span<const double> costs, double cmin,
                     double sigma, double residual, std::span<double> out);

}  // namespace ts::market
