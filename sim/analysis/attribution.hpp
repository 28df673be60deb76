#pragma once
// Shapley attribution (tradesim explain A B): the value of each of n players (differences
// between two scenarios) for a metric is its marginal effect averaged over every order in
// which the players can be switched on, so that the parts add up to the whole change
// f(all) − f(none). Exact with 2^n evaluations up to `exact_limit` players; above it
// estimated from random orders (permutation sampling), each value with its standard error.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ts::analysis {

struct Attribution {
    std::vector<std::string> names;  // one per player (a difference or a group)
    std::vector<double> value;       // Shapley value
    std::vector<double> se;          // standard error (0 when exact)
    bool exact = true;
    std::size_t evaluations = 0;
    double base = 0.0, full = 0.0;  // the metric with no player on (A) and all on (B)
};

/// A coalition: which players are switched on.
using Coalition = std::vector<bool>;
/// The metric for each coalition given (in order): callers may evaluate them in parallel.
using BatchValue = std::function<std::vector<double>(const std::vector<Coalition>&)>;

/// Shapley values of `players`. Exact (2^n coalitions) when n <= exact_limit, else estimated
/// from `permutations` random orders (seeded). Every coalition needed is evaluated once, all
/// in one call of `f`.
Attribution shapley(std::size_t players, const BatchValue& f, std::size_t exact_limit,
                    std::size_t permutations, std::uint64_t seed);

/// The same with f(players switched on), one coalition at a time.
Attribution shapley(std::size_t players,
                    const std::function<double(const std::vector<std::size_t>&)>& f,
                    std::size_t exact_limit, std::size_t permutations, std::uint64_t seed);

}  // namespace ts::analysis
