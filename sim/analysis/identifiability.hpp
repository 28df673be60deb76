#pragma once
// What the targets say about the fitted parameters of `tradesim calibrate`
// (docs/calibration.md, "Identifiability"). At the optimum θ̂ the standardised residuals
// z_i(θ) of the fitted targets are differentiated by finite differences: for parameter j,
// u_j ± kDifferenceStep in unit coordinates (a step of 1 % of its range), clamped into the
// bounds (one-sided at a bound), J_ij = Δz_i / Δθ_j. The objective is Σ w_i z_i², so by
// Gauss–Newton its Hessian is ≈ 2 JᵀWJ, and the covariance of the weighted least-squares
// estimate is (JᵀWJ)⁻¹ (the inverse Fisher information when z_i ~ N(0, 1/w_i)).
//
// A parameter is flagged
//  - "not identified" when moving it over its whole range moves the weighted residuals by less
//    than kFlatResidual (‖√W J_j‖ · (hi − lo) < 0.1: a column of J that is practically zero),
//    or when its standard error exceeds (hi − lo)/√12, the standard deviation of a uniform
//    distribution over its bounds (the targets say less about it than the bounds do), or when
//    it lies in a direction of JᵀWJ with no curvature (eigenvalue ≤ 1e−10 × the largest):
//    its standard error is then infinite;
//  - "strongly correlated" with another parameter when |correlation| >= kStrongCorrelation
//    (0.95): the targets then pin down mostly a combination of the two, and each standard error
//    is large along it;
//  - "on a bound" when the fitted value is within 0.1 % of the range from a bound: the
//    optimum may lie outside, and the standard error is only a local statement.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "analysis/calibration.hpp"

namespace ts::analysis {

inline constexpr double kDifferenceStep = 0.01;  // in unit coordinates
inline constexpr double kFlatResidual = 0.1;
inline constexpr double kBoundTolerance = 1e-3;  // fraction of the range
inline constexpr double kStrongCorrelation = 0.95;

/// Standardised residuals of the fitted targets at a point of the unit cube.
using UnitResiduals = std::function<std::vector<double>(const std::vector<double>& unit)>;

struct ParameterReport {
    double se = 0.0;           // in the parameter's units; +inf when not identified
    double sensitivity = 0.0;  // ‖√W J_j‖ · (hi − lo)
    bool identified = true;
    bool on_bound = false;
    std::string warning;  // "" or a plain sentence for the report
};

struct Identifiability {
    std::vector<std::vector<double>> jacobian;     // [target][parameter]: dz/dθ
    std::vector<ParameterReport> parameters;       // per parameter
    std::vector<std::vector<double>> correlation;  // [p][q]; NaN where not identified
    std::vector<std::string> correlated;           // a sentence per strongly correlated pair
    int evaluations = 0;                           // objective evaluations it took
};

/// The report at `unit` (the optimum). `weights` are the fitted targets' weights.
Identifiability identify(const UnitResiduals& residuals, const std::vector<double>& unit,
                         const std::vector<FreeParameter>& parameters,
                         const std::vector<double>& weights, const TaskMap& map);

/// The same from a Jacobian already computed (tests; identify calls it).
Identifiability identify_from_jacobian(std::vector<std::vector<double>> jacobian,
                                       const std::vector<double>& unit,
                                       const std::vector<FreeParameter>& parameters,
                                       const std::vector<double>& weights);

}  // namespace ts::analysis
