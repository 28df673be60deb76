#pragma once
// Morris elementary-effects screening (Morris 1991; μ* of Campolongo, Cariboni & Saltelli 2007).
// Along each trajectory of a Morris design (see sweep_design.hpp) consecutive points differ in
// one parameter i; its elementary effect is
//     EE_i = (y(after) − y(before)) / (x_i(after) − x_i(before))
// with x in unit coordinates ([0, 1] over the parameter's range or list), so effects of
// parameters with different units compare. Per parameter over the trajectories:
//     μ = mean EE,  μ* = mean |EE|,  σ = sample standard deviation of EE (divisor r − 1).
// μ* ranks importance; σ large relative to μ* signals non-linearity or interactions. Effects
// with a non-finite y, or whose step left the realised value unchanged (snapping to a step,
// one-element lists), are skipped and not counted.
#include <cstddef>
#include <vector>

#include "analysis/sweep_design.hpp"

namespace ts::analysis {

struct MorrisEffect {
    std::size_t parameter = 0;  // index into the design's parameters
    double mu = 0.0, mu_star = 0.0, sigma = 0.0;
    int effects = 0;  // elementary effects averaged
};

/// Effects per parameter (in parameter order) from one output per variant, `y[v]` for
/// `variants[v]` of a Morris design with `parameters` parameters.
std::vector<MorrisEffect> morris_effects(const std::vector<Variant>& variants,
                                         std::size_t parameters, const std::vector<double>& y);

/// Sorted by μ* descending; ties keep parameter order. NaN μ* (no effect counted) last.
std::vector<MorrisEffect> morris_ranking(std::vector<MorrisEffect> effects);

}  // namespace ts::analysis
