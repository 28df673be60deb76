#include "analysis/morris.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace ts::analysis {

std::vector<MorrisEffect> morris_effects(const std::vector<Variant>& variants,
                                         std::size_t parameters, const std::vector<double>& y) {
    if (y.size() != variants.size()) throw RunError("morris: one output per variant is needed");
    std::vector<std::vector<double>> ee(parameters);
    for (std::size_t v = 1; v < variants.size(); ++v) {
        const Variant& after = variants[v];
        const Variant& before = variants[v - 1];
        if (after.moved < 0 || after.trajectory != before.trajectory) continue;
        const auto i = static_cast<std::size_t>(after.moved);
        if (i >= parameters) throw RunError("morris: a variant moves an unknown parameter");
        const double dx = after.unit[i] - before.unit[i];
        const double dy = y[v] - y[v - 1];
        if (dx == 0.0 || !std::isfinite(dy)) continue;
        ee[i].push_back(dy / dx);
    }
    std::vector<MorrisEffect> out(parameters);
    for (std::size_t i = 0; i < parameters; ++i) {
        auto& e = out[i];
        e.parameter = i;
        e.effects = static_cast<int>(ee[i].size());
        if (ee[i].empty()) {
            e.mu = e.mu_star = e.sigma = std::numeric_limits<double>::quiet_NaN();
            continue;
        }
        double sum = 0.0, sum_abs = 0.0;
        for (const double x : ee[i]) {
            sum += x;
            sum_abs += std::abs(x);
        }
        const auto n = static_cast<double>(ee[i].size());
        e.mu = sum / n;
        e.mu_star = sum_abs / n;
        double ss = 0.0;
        for (const double x : ee[i]) ss += (x - e.mu) * (x - e.mu);
        e.sigma = ee[i].size() > 1 ? std::sqrt(ss / (n - 1.0)) : 0.0;
    }
    return out;
}

std::vector<MorrisEffect> morris_ranking(std::vector<MorrisEffect> effects) {
    std::stable_sort(effects.begin(), effects.end(),
                     [](const MorrisEffect& a, const MorrisEffect& b) {
                         if (std::isnan(a.mu_star)) return false;
                         if (std::isnan(b.mu_star)) return true;
                         return a.mu_star > b.mu_star;
                     });
    return effects;
}

}  // namespace ts::analysis
