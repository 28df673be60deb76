// Soft routes and remote channels in the equilibrium (docs/model.md, "Soft capacity"): the
// solver prices each soft channel at a volume, solves, and moves the priced volume towards the
// volume its solution ships with the engine's adaptive rule, until the two agree — the fixed
// point at which the engine settles.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "analysis/equilibrium_solve.hpp"
#include "engine/soft_routes.hpp"

namespace ts::analysis::eq {

namespace {

constexpr int kMaxRounds = 200;
constexpr double kVolumeTolerance = 1e-9;  // relative gap between shipped and priced volume

/// What the solution ships through every channel: units through a hub route, compute a buyer
/// uses remotely (requests × approval share, before seizures: the engine's fills).
void channel_volumes(const model::Scenario& s, const Context& c, const Solution& sol,
                     engine::SoftRoutes& soft) {
    std::fill(soft.volume.begin(), soft.volume.end(), 0.0);
    const int hubs = static_cast<int>(s.routes.size());
    for (std::size_t k = 0; k < c.cands.size(); ++k) {
        const Candidate& cand = c.cands[k];
        if (!cand.usable()) continue;
        const double shipped = sol.demand.q[k] * cand.kappa;
        if (cand.route >= 1 && cand.route <= hubs)
            soft.volume[static_cast<std::size_t>(cand.route - 1)] += shipped / cand.per_unit;
        else if (cand.route > hubs)
            soft.volume[soft.remote_base + ix(cand.buyer)] += shipped;
    }
}

double largest_gap(const engine::SoftRoutes& soft) {
    double gap = 0.0;
    for (std::size_t ch = 0; ch < soft.volume.size(); ++ch)
        gap = std::max(
            gap, std::abs(soft.volume[ch] - soft.priced[ch]) / std::max(1.0, soft.volume[ch]));
    return gap;
}

}  // namespace

Solved solve_soft(const model::Scenario& s, std::int64_t tick, bool no_policies,
                  const std::string& label, const EquilibriumOptions& opt, engine::SoftRoutes& soft,
                  std::vector<std::string>& warnings) {
    const engine::SoftRoutes* terms = soft.empty() ? nullptr : &soft;
    Solved out{build_context(s, tick, no_policies, label, terms), {}};
    out.sol = solve_exact(s, out.c, opt);
    if (!terms) return out;
    for (int round = 0; round < kMaxRounds; ++round) {
        channel_volumes(s, out.c, out.sol, soft);
        if (largest_gap(soft) <= kVolumeTolerance) return out;
        engine::smooth_and_reprice(s, soft);
        out.c = build_context(s, tick, no_policies, label, terms);
        out.sol = solve_exact(s, out.c, opt);
    }
    warnings.push_back(
        fmt::format("soft routes {}: the volume priced and the volume shipped still differ by "
                    "{:.3g} (relative) "
                    "after {} rounds; the result prices them at the last round's volumes",
                    label, largest_gap(soft), kMaxRounds));
    return out;
}

}  // namespace ts::analysis::eq
