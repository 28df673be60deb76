#pragma once
// The search of `tradesim calibrate` (docs/calibration.md, "Calibrate"): minimise a
// deterministic objective over the unit cube [0, 1]^k with NLopt, multi-started from a Latin
// hypercube. The driver knows nothing of scenarios: the run layer gives it the objective (a
// scenario evaluated against its targets) and a TaskMap that spreads independent tasks over
// threads and MPI ranks; the tests give it analytic functions.
//
// The budget B counts every evaluation of the search:
//  1. the initial point (the scenario's own values, clamped into the bounds): 1 evaluation;
//  2. a Latin hypercube of L = min(B − 1, max(S, ⌊(B − 1)/4⌋)) points (the sweep's lhs design,
//     analysis/sweep_design.hpp), evaluated in parallel;
//  3. local searches from the best S' = min(S, L + 1) points of 1–2 (ties: the earlier point),
//     run in parallel, each with ⌊(B − 1 − L)/S'⌋ evaluations (the first (B − 1 − L) mod S'
//     searches one more). A search also ends when NLopt's step in unit coordinates falls below
//     kUnitTolerance.
// The global method (DIRECT-L) ignores starting points: it skips the hypercube and runs one
// search with the B − 1 evaluations left.
// Each task is a pure function of its inputs, so the result does not depend on how the tasks
// are spread: byte-identical for any thread or rank count.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ts::analysis {

/// A free parameter: a scenario path (as for --set) and its bounds, lo < hi.
struct FreeParameter {
    std::string path;
    double lo = 0.0, hi = 1.0;
    std::string spec;  // as given on the command line, for messages
};

/// Parses `PATH=LOW:HIGH` (two numbers, LOW < HIGH). Throws ts::InputError naming `--free`.
FreeParameter parse_free_parameter(std::string_view spec);

enum class CalibrationMethod { bobyqa, neldermead, sbplx, cobyla, direct };

/// bobyqa | neldermead | sbplx | cobyla | direct. Throws ts::InputError.
CalibrationMethod parse_calibration_method(std::string_view text);
const char* to_string(CalibrationMethod method);
bool is_global(CalibrationMethod method);

/// NLopt's stopping step in unit coordinates (xtol_abs) and its first step (initial_step).
inline constexpr double kUnitTolerance = 1e-4;
inline constexpr double kUnitInitialStep = 0.1;

/// Numbers out of one task (see TaskMap).
using TaskResult = std::vector<double>;
/// Runs tasks 0..count−1 (independent, each deterministic) and returns their results in task
/// order. A task that throws makes the map rethrow (the lowest task's exception) after every
/// started task has ended.
using TaskMap = std::function<std::vector<TaskResult>(
    std::size_t count, const std::function<TaskResult(std::size_t task)>& task)>;

/// Runs the tasks on `threads` threads of this process (1: in the calling thread).
TaskMap thread_map(int threads);

/// The objective at a point of the unit cube. Called concurrently from several threads.
using UnitObjective = std::function<double(const std::vector<double>& unit)>;

struct CalibrationSettings {
    CalibrationMethod method = CalibrationMethod::bobyqa;
    int budget = 200;  // B >= 1
    int starts = 4;    // S >= 1
    std::uint64_t seed = 1;
    std::vector<double> initial;  // the scenario's values in unit coordinates (clamped)
};

enum class Phase { initial, lhs, search };
const char* to_string(Phase phase);

struct Evaluation {
    Phase phase = Phase::initial;
    int start = -1;  // search: which start (0 .. S' − 1), else −1
    std::vector<double> unit;
    double objective = 0.0;
};

struct CalibrationResult {
    std::vector<Evaluation> evaluations;   // initial, hypercube, then each search in start order
    std::size_t best = 0;                  // index of the lowest objective (first of ties)
    std::vector<std::string> search_ends;  // per start: why NLopt stopped ("xtol reached", ...)
};

/// Progress after each evaluation: evaluations done, the budget and the best objective so far.
/// Called from worker threads, one call at a time.
using CalibrationProgress = std::function<void(int done, int budget, double best)>;

/// Throws what the objective throws (after the running tasks ended).
CalibrationResult calibrate(const UnitObjective& objective, std::size_t dimensions,
                            const CalibrationSettings& settings, const TaskMap& map,
                            const CalibrationProgress& progress = {});

}  // namespace ts::analysis
