#include "analysis/identifiability.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <Eigen/Dense>

#include "analysis/sweep_design.hpp"

namespace ts::analysis {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNoCurvature = 1e-10;  // eigenvalue relative to the largest

/// (JᵀWJ)⁻¹ over the columns `keep`, with +inf variances along directions of no curvature.
Eigen::MatrixXd covariance(const Eigen::MatrixXd& fisher, std::vector<bool>& unidentified) {
    const auto k = fisher.rows();
    Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(k, k);
    if (k == 0) return cov;
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(fisher);
    const double largest = std::max(eig.eigenvalues().maxCoeff(), 0.0);
    for (Eigen::Index e = 0; e < k; ++e) {
        const double lambda = eig.eigenvalues()(e);
        const Eigen::VectorXd v = eig.eigenvectors().col(e);
        if (lambda > kNoCurvature * largest && lambda > 0.0) {
            cov += v * v.transpose() / lambda;
            continue;
        }
        for (Eigen::Index j = 0; j < k; ++j)
            if (std::abs(v(j)) > 1e-6) unidentified[static_cast<std::size_t>(j)] = true;
    }
    return cov;
}

std::string warning_of(const FreeParameter& p, const ParameterReport& r) {
    const double range = p.hi - p.lo;
    if (r.sensitivity < kFlatResidual)
        return fmt::format(
            "{} is not identified: over its whole range it moves the targets by {:.3g} "
            "standard errors (< {})",
            p.path, r.sensitivity, kFlatResidual);
    if (!std::isfinite(r.se))
        return fmt::format(
            "{} is not identified: the targets only constrain a combination of it with other "
            "parameters",
            p.path);
    if (!r.identified)
        return fmt::format(
            "{} is not identified: its standard error {} exceeds range/sqrt(12) = {} (the "
            "targets say less than its bounds)",
            p.path, format_parameter_value(r.se), format_parameter_value(range / std::sqrt(12.0)));
    return "";
}

}  // namespace

Identifiability identify_from_jacobian(std::vector<std::vector<double>> jacobian,
                                       const std::vector<double>& unit,
                                       const std::vector<FreeParameter>& parameters,
                                       const std::vector<double>& weights) {
    const std::size_t k = parameters.size();
    Identifiability out;
    out.jacobian = std::move(jacobian);
    out.parameters.resize(k);
    Eigen::MatrixXd wj(static_cast<Eigen::Index>(out.jacobian.size()),
                       static_cast<Eigen::Index>(k));  // √W J
    for (std::size_t i = 0; i < out.jacobian.size(); ++i)
        for (std::size_t j = 0; j < k; ++j)
            wj(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
                std::sqrt(weights[i]) * out.jacobian[i][j];

    // Flat columns are left out of the inverse: they would make JᵀWJ singular for all.
    std::vector<std::size_t> kept;
    for (std::size_t j = 0; j < k; ++j) {
        auto& r = out.parameters[j];
        r.sensitivity =
            wj.col(static_cast<Eigen::Index>(j)).norm() * (parameters[j].hi - parameters[j].lo);
        if (r.sensitivity >= kFlatResidual) kept.push_back(j);
    }
    // In unit coordinates (each column times its parameter's range), so that "no curvature"
    // compares like with like: in raw units a demand of 10^5 and a share of 0.05 differ in
    // curvature by 10^13 and every direction looks flat next to the steepest.
    Eigen::MatrixXd sub(wj.rows(), static_cast<Eigen::Index>(kept.size()));
    Eigen::VectorXd scale(static_cast<Eigen::Index>(kept.size()));
    for (std::size_t c = 0; c < kept.size(); ++c) {
        const auto ic = static_cast<Eigen::Index>(c);
        scale(ic) = parameters[kept[c]].hi - parameters[kept[c]].lo;
        sub.col(ic) = wj.col(static_cast<Eigen::Index>(kept[c])) * scale(ic);
    }
    std::vector<bool> degenerate(kept.size(), false);
    const Eigen::MatrixXd cov =
        scale.asDiagonal() * covariance(sub.transpose() * sub, degenerate) * scale.asDiagonal();

    for (auto& r : out.parameters) r.se = kInf;
    out.correlation.assign(k, std::vector<double>(k, std::nan("")));
    for (std::size_t a = 0; a < kept.size(); ++a) {
        if (degenerate[a]) continue;
        const auto ia = static_cast<Eigen::Index>(a);
        out.parameters[kept[a]].se = std::sqrt(cov(ia, ia));
        for (std::size_t b = 0; b < kept.size(); ++b) {
            if (degenerate[b]) continue;
            const auto ib = static_cast<Eigen::Index>(b);
            out.correlation[kept[a]][kept[b]] = cov(ia, ib) / std::sqrt(cov(ia, ia) * cov(ib, ib));
        }
    }
    for (std::size_t j = 0; j < k; ++j) {
        auto& r = out.parameters[j];
        const double range = parameters[j].hi - parameters[j].lo;
        r.identified = std::isfinite(r.se) && r.se <= range / std::sqrt(12.0);
        r.on_bound = unit[j] <= kBoundTolerance || unit[j] >= 1.0 - kBoundTolerance;
        r.warning = warning_of(parameters[j], r);
        if (r.on_bound) {
            const bool low = unit[j] <= 0.5;
            const std::string on =
                fmt::format("sits on its {} bound {}: the best value may lie outside the bounds",
                            low ? "lower" : "upper",
                            format_parameter_value(low ? parameters[j].lo : parameters[j].hi));
            r.warning =
                r.warning.empty() ? parameters[j].path + " " + on : r.warning + "; it also " + on;
        }
    }
    for (std::size_t a = 0; a < k; ++a)
        for (std::size_t b = a + 1; b < k; ++b)
            if (std::abs(out.correlation[a][b]) >= kStrongCorrelation)
                out.correlated.push_back(fmt::format(
                    "{} and {} are strongly correlated ({:+.3f}): the targets pin down mostly a "
                    "combination of the two",
                    parameters[a].path, parameters[b].path, out.correlation[a][b]));
    return out;
}

Identifiability identify(const UnitResiduals& residuals, const std::vector<double>& unit,
                         const std::vector<FreeParameter>& parameters,
                         const std::vector<double>& weights, const TaskMap& map) {
    const std::size_t k = parameters.size();
    // Task 2j: the point below the optimum in parameter j, 2j + 1: above (clamped).
    const auto shifted = [&](std::size_t task) {
        std::vector<double> u = unit;
        const std::size_t j = task / 2;
        u[j] = std::clamp(u[j] + (task % 2 == 0 ? -kDifferenceStep : kDifferenceStep), 0.0, 1.0);
        return u;
    };
    const auto z = map(2 * k, [&](std::size_t task) { return residuals(shifted(task)); });
    std::vector<std::vector<double>> jac(weights.size(), std::vector<double>(k, 0.0));
    for (std::size_t j = 0; j < k; ++j) {
        const double du = shifted(2 * j + 1)[j] - shifted(2 * j)[j];
        const double dtheta = du * (parameters[j].hi - parameters[j].lo);
        for (std::size_t i = 0; i < weights.size(); ++i)
            jac[i][j] = dtheta > 0.0 ? (z[2 * j + 1].at(i) - z[2 * j].at(i)) / dtheta : 0.0;
    }
    auto out = identify_from_jacobian(std::move(jac), unit, parameters, weights);
    out.evaluations = static_cast<int>(2 * k);
    return out;
}

}  // namespace ts::analysis
