#include "analysis/sobol.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/ensemble.hpp"
#include "core/error.hpp"
#include "core/random.hpp"

namespace ts::analysis {

namespace {

/// The outputs of the design as matrices: a[j], b[j] and ab[i][j] for row j.
struct SobolOutputs {
    std::vector<double> a, b;
    std::vector<std::vector<double>> ab;  // [parameter][row]
};

SobolOutputs gather(const std::vector<Variant>& variants, std::size_t k,
                    const std::vector<double>& y) {
    if (y.size() != variants.size()) throw RunError("sobol: one output per variant is needed");
    if (variants.size() % (k + 2) != 0)
        throw RunError("sobol: the variants are not N·(k + 2) Saltelli points");
    const std::size_t n = variants.size() / (k + 2);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    SobolOutputs out{std::vector<double>(n, nan), std::vector<double>(n, nan),
                     std::vector<std::vector<double>>(k, std::vector<double>(n, nan))};
    std::vector<int> seen(n * (k + 2), 0);
    for (std::size_t v = 0; v < variants.size(); ++v) {
        const int block = variants[v].block;
        const int row = variants[v].row;
        if (row < 0 || static_cast<std::size_t>(row) >= n || block < 0 ||
            static_cast<std::size_t>(block) >= k + 2)
            throw RunError("sobol: a variant lies outside the Saltelli design");
        const auto j = static_cast<std::size_t>(row);
        if (seen[j * (k + 2) + static_cast<std::size_t>(block)]++)
            throw RunError("sobol: a point of the Saltelli design is given twice");
        if (block == kSobolBlockA)
            out.a[j] = y[v];
        else if (block == kSobolBlockB)
            out.b[j] = y[v];
        else
            out.ab[static_cast<std::size_t>(block - kSobolBlockAB)][j] = y[v];
    }
    return out;
}

struct Estimate {
    double variance = 0.0;
    std::vector<double> s1, st;  // per parameter
};

/// V, S_i and ST_i over the rows `rows` (repeats allowed: a bootstrap resample). f_B is
/// centred on the pooled mean in S_i: the expectation is the same (f_ABi − f_A has mean 0), but
/// the estimator's error no longer grows with the output's mean, which for a simulator's
/// totals (600k ± 4k) is what dominates it otherwise.
Estimate estimate(const SobolOutputs& f, const std::vector<std::size_t>& rows) {
    const auto n = static_cast<double>(rows.size());
    double sum = 0.0;
    for (const auto j : rows) sum += f.a[j] + f.b[j];
    const double mean = sum / (2.0 * n);
    double ss = 0.0;
    for (const auto j : rows)
        ss += (f.a[j] - mean) * (f.a[j] - mean) + (f.b[j] - mean) * (f.b[j] - mean);
    Estimate e;
    e.variance = ss / (2.0 * n);
    for (const auto& ab : f.ab) {
        double first = 0.0, total = 0.0;
        for (const auto j : rows) {
            first += (f.b[j] - mean) * (ab[j] - f.a[j]);
            total += (f.a[j] - ab[j]) * (f.a[j] - ab[j]);
        }
        e.s1.push_back(first / n / e.variance);
        e.st.push_back(total / n / (2.0 * e.variance));
    }
    return e;
}

/// The rows whose k + 2 outputs are all finite.
std::vector<std::size_t> usable_rows(const SobolOutputs& f) {
    std::vector<std::size_t> rows;
    for (std::size_t j = 0; j < f.a.size(); ++j) {
        bool ok = std::isfinite(f.a[j]) && std::isfinite(f.b[j]);
        for (const auto& ab : f.ab) ok = ok && std::isfinite(ab[j]);
        if (ok) rows.push_back(j);
    }
    return rows;
}

/// False when the pooled outputs are equal up to rounding: their variance is no signal.
bool varies(const SobolOutputs& f, const std::vector<std::size_t>& rows) {
    if (rows.size() < 2) return false;
    double lo = f.a[rows[0]], hi = lo;
    for (const auto j : rows) {
        lo = std::min({lo, f.a[j], f.b[j]});
        hi = std::max({hi, f.a[j], f.b[j]});
    }
    return hi - lo > 1e-12 * std::max(std::abs(lo), std::abs(hi));
}

}  // namespace

SobolMetric sobol_indices(const std::vector<Variant>& variants, std::size_t parameters,
                          const std::vector<double>& y, int bootstrap, std::uint64_t seed) {
    if (bootstrap < 1) throw RunError("sobol: the bootstrap needs at least one resample");
    const auto f = gather(variants, parameters, y);
    const auto rows = usable_rows(f);
    SobolMetric out;
    out.rows = static_cast<int>(rows.size());
    if (!varies(f, rows)) return out;
    out.varies = true;
    const auto point = estimate(f, rows);
    out.variance = point.variance;

    // Every metric restarts the same stream: its intervals do not depend on the others.
    Rng rng = Rng(seed, 0, 0, Purpose::parameter_draw).substream(0x626f6f74ULL);  // "boot"
    std::vector<std::vector<double>> s1(parameters), st(parameters);
    std::vector<std::size_t> resample(rows.size());
    for (int b = 0; b < bootstrap; ++b) {
        for (auto& j : resample) {
            const auto pick =
                static_cast<std::size_t>(rng.uniform() * static_cast<double>(rows.size()));
            j = rows[std::min(pick, rows.size() - 1)];
        }
        const auto e = estimate(f, resample);
        if (!(e.variance > 0.0)) continue;
        for (std::size_t i = 0; i < parameters; ++i) {
            s1[i].push_back(e.s1[i]);
            st[i].push_back(e.st[i]);
        }
        ++out.resamples;
    }
    const double tail = (1.0 - kSobolConfidence) / 2.0;
    for (std::size_t i = 0; i < parameters; ++i) {
        std::sort(s1[i].begin(), s1[i].end());
        std::sort(st[i].begin(), st[i].end());
        out.indices.push_back({i, point.s1[i], quantile_sorted(s1[i], tail),
                               quantile_sorted(s1[i], 1.0 - tail), point.st[i],
                               quantile_sorted(st[i], tail), quantile_sorted(st[i], 1.0 - tail)});
    }
    return out;
}

std::vector<SobolIndex> sobol_ranking(std::vector<SobolIndex> indices) {
    std::stable_sort(indices.begin(), indices.end(),
                     [](const SobolIndex& a, const SobolIndex& b) { return a.st > b.st; });
    return indices;
}

}  // namespace ts::analysis
