#pragma once
// Designs of parameter sweeps (`tradesim sweep`): which variants of a scenario to run.
//
// A parameter is a dotted scenario path (the same paths as `--set`) with either a list of
// values (`PATH=v1,v2,...`, each value YAML text) or a numeric range (`PATH=lo:hi:step`, or
// `PATH=lo:hi` for the sampling designs). A range with a step stands for the list of its values
// lo, lo + step, ... <= hi in every design (so `PATH=0:6:1` gives whole numbers, for counts and
// delays); a range without a step is continuous (`PATH=0:1`: any number in [0, 1]).
//
// Designs:
//  - grid: the Cartesian product of every parameter's values (ranges expanded lo, lo+step, ...
//    up to hi), the last parameter varying fastest;
//  - lhs:N: a Latin hypercube of N points: each parameter's [0, 1) is cut into N strata, each
//    stratum is used exactly once, in an order permuted at random, and the point is drawn
//    uniformly within its stratum. A continuous range maps u to lo + u·(hi − lo); a list takes
//    element floor(u·k) of its k values;
//  - morris:R: R Morris trajectories on p = 4 levels {0, 1/3, 2/3, 1}, jump Δ = p/(2(p − 1)) =
//    2/3 (Morris 1991; Saltelli et al. 2008, ch. 3). Each trajectory starts at a random point
//    (each factor at a random admissible level) and moves one factor at a time, in a random
//    order, by ±Δ: k + 1 points per trajectory, R·(k + 1) variants. A continuous range maps
//    level x to lo + x·(hi − lo); a list maps it to element round(x·(k − 1)).
//  - sobol:N: Saltelli sampling for Sobol indices (Saltelli 2002; Saltelli et al. 2010): two
//    N × k matrices A and B side by side in the first N points of a 2k-dimensional Sobol
//    sequence (A the first k coordinates, B the last k), and for each parameter i the matrix
//    AB_i, A with column i taken from B: N·(k + 2) variants, row by row (A, B, AB_1 .. AB_k of
//    row 0, then of row 1, ...). Points map to values as for lhs. See sobol_plan.
// Random draws come from the stream (seed, 0 or trajectory, parameter, Purpose::parameter_draw),
// sobol's shift from a substream of (seed, 0, 0, parameter_draw) of its own: a design is a pure
// function of its parameters, its kind and the scenario seed.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ts::analysis {

struct SweepParameter {
    std::string path;  // dotted scenario path, as for --set
    std::vector<std::string>
        values;  // list: the values as given (YAML text); range: expanded (grid)
    bool is_range = false;
    double lo = 0.0, hi = 0.0;
    std::optional<double> step;  // range step, if given
};

/// Parses `PATH=v1,v2,...` or `PATH=lo:hi[:step]`. Commas inside [], {} or quotes do not split
/// values. Throws ts::InputError with a message naming the spec.
SweepParameter parse_sweep_parameter(std::string_view spec);

/// A number as the text of an override value: whole numbers without a point, others with up
/// to 12 significant digits ("0.3", not "0.30000000000000004").
std::string format_parameter_value(double v);

enum class DesignKind { grid, lhs, morris, sobol };

struct DesignSpec {
    DesignKind kind = DesignKind::grid;
    int count = 0;  // lhs: points; morris: trajectories; sobol: rows N of A and B
};

/// Parses `grid`, `lhs:N`, `morris:R` (N, R >= 1) or `sobol:N` (N >= 2). Throws ts::InputError.
DesignSpec parse_design(std::string_view text);
std::string to_string(const DesignSpec& d);

inline constexpr int kMorrisLevels = 4;
inline constexpr double kMorrisDelta = kMorrisLevels / (2.0 * (kMorrisLevels - 1));  // 2/3

struct Variant {
    std::vector<std::string> values;  // one override value (YAML text) per parameter
    std::vector<double> unit;         // the realised point in [0, 1] per parameter (lhs, morris)
    int trajectory = -1;              // morris: trajectory, else -1
    int point = -1;                   // morris: 0 .. k within its trajectory, else -1
    int moved = -1;  // morris: the parameter changed to reach this point; -1 at a start
    int block = -1;  // sobol: kSobolBlockA, kSobolBlockB or kSobolBlockAB + i (AB_i), else -1
    int row = -1;    // sobol: the row 0 .. N − 1 of the matrices, else -1
};

inline constexpr int kSobolBlockA = 0;
inline constexpr int kSobolBlockB = 1;
inline constexpr int kSobolBlockAB = 2;
/// "A", "B" or "AB_<i + 1>" (parameters counted from 1, in --param order).
std::string sobol_block_name(int block);

struct SweepDesign {
    DesignSpec spec;
    std::vector<SweepParameter> parameters;
    std::vector<Variant> variants;
};

/// Builds the variants. Throws ts::InputError when a parameter cannot be used with the design
/// (a range without a step in a grid, a non-numeric list is fine everywhere; an empty list).
SweepDesign make_design(std::vector<SweepParameter> parameters, DesignSpec spec,
                        std::uint64_t seed);

/// The unit-level Morris design on its own (for tests and the estimator): R trajectories of
/// k + 1 points each, coordinates in {0, 1/3, 2/3, 1}; `moved[r][j]` is the factor that point
/// j + 1 of trajectory r changed (by +Δ or −Δ) from point j.
struct MorrisPlan {
    std::vector<std::vector<std::vector<double>>> points;  // [trajectory][point][factor]
    std::vector<std::vector<int>> moved;                   // [trajectory][step]
};
MorrisPlan morris_plan(std::size_t factors, int trajectories, std::uint64_t seed);

/// The unit-level Saltelli matrices on their own: `a[j]` and `b[j]` (j < rows) hold the
/// first k and the last k coordinates of point j of the 2k-dimensional Sobol sequence of Boost
/// (Joe–Kuo direction numbers). Point 0 is the origin, which Boost's engine skips, so the
/// first 2^m rows are a whole (t, m, 2k)-net; every coordinate is scrambled by a random
/// digital shift (XOR with a 64-bit word per dimension drawn from the seed), which keeps the
/// net, moves the origin off the corner and makes each point uniform on [0, 1)^2k. Throws
/// ts::InputError when 2k exceeds the dimensions Boost has direction numbers for.
struct SobolPlan {
    std::vector<std::vector<double>> a, b;  // [row][factor], in [0, 1)
};
SobolPlan sobol_plan(std::size_t factors, int rows, std::uint64_t seed);
/// The most Sobol parameters: half the dimensions Boost's table has direction numbers for.
std::size_t sobol_max_parameters();

}  // namespace ts::analysis
