#pragma once
// Variance-based global sensitivity: Sobol first-order and total indices from a Saltelli design
// (sweep_design.hpp, sobol:N). With f_A, f_B and f_ABi the outputs of row j of the matrices A,
// B and AB_i (A with column i from B), over the N rows:
//     V    = variance of the 2N pooled outputs f_A, f_B (divisor 2N)
//     S_i  = mean((f_B − f0) · (f_ABi − f_A)) / V  (Saltelli et al. 2010, table 2, eq. b)
//     ST_i = mean((f_A − f_ABi)²) / (2V)          (Jansen 1999; table 2, eq. f)
// with f0 the mean of the pooled outputs: centring, as SALib does, leaves the expectation as it
// is and removes the part of the error that grows with the output's mean.
// S_i is the share of the output's variance that x_i explains on its own, ST_i the share it
// has a hand in, interactions included (ST_i >= S_i up to sampling error; ST_i ≈ 0: the output
// does not depend on x_i). A row with a non-finite output is left out of every index (`rows`
// counts the rows used). A metric that does not vary (range of the pooled outputs within 1e-12
// of their magnitude) has no indices: V = 0 would divide by zero.
//
// Confidence intervals: a percentile bootstrap. Each of B resamples draws the used rows with
// replacement and recomputes V, S_i and ST_i; the interval is the type-7 2.5% and 97.5%
// quantiles of the resampled values (a resample whose V is 0 is skipped). The resamples come
// from the scenario seed, the same for every metric, so the output is deterministic. They
// treat the rows as independent draws, which quasi-random rows are not (their error is
// smaller), so the intervals are on the safe side.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "analysis/sweep_design.hpp"

namespace ts::analysis {

inline constexpr int kSobolBootstrapDefault = 1000;
inline constexpr int kSobolBootstrapMax = 100'000;
inline constexpr double kSobolConfidence = 0.95;

struct SobolIndex {
    std::size_t parameter = 0;  // index into the design's parameters
    double s1 = 0.0, s1_low = 0.0, s1_high = 0.0;
    double st = 0.0, st_low = 0.0, st_high = 0.0;
};

struct SobolMetric {
    std::size_t metric = 0;  // which output: set by the caller (index into a sweep's metrics)
    bool varies = false;     // false: no indices (the output is constant, or < 2 usable rows)
    int rows = 0;            // rows of the design used (all k + 2 outputs finite)
    double variance = 0.0;   // V over those rows
    int resamples = 0;       // bootstrap resamples behind the intervals
    std::vector<SobolIndex> indices;  // in parameter order; empty unless `varies`
};

/// The indices of one output, `y[v]` for `variants[v]` of a Sobol design with `parameters`
/// parameters, with `bootstrap` resamples (>= 1) drawn from `seed`. Throws ts::RunError if the
/// variants are not a whole Saltelli design.
SobolMetric sobol_indices(const std::vector<Variant>& variants, std::size_t parameters,
                          const std::vector<double>& y, int bootstrap, std::uint64_t seed);

/// Sorted by ST descending (ties keep parameter order): total effects rank importance, and a
/// parameter with ST ≈ 0 can be fixed anywhere in its range.
std::vector<SobolIndex> sobol_ranking(std::vector<SobolIndex> indices);

}  // namespace ts::analysis
