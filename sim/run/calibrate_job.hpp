#pragma once
// `tradesim calibrate`: fits free parameters of a scenario to a targets file
// (docs/calibration.md, "Calibrate"). The job loads and checks everything first (scenario,
// targets, each free parameter, the scenario at both ends of every bound), searches with
// analysis::calibrate over threads and MPI ranks, reports identifiability at the optimum, and
// writes its folder (staged like `run`: nothing appears until it is complete; an interrupted
// job leaves nothing that looks whole).
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analysis/calibration.hpp"
#include "analysis/identifiability.hpp"
#include "run/feedback.hpp"
#include "run/job_settings.hpp"

namespace ts::run {

struct CalibrateJob {
    ScenarioSettings scenario;  // the base scenario with --set and --seed
    std::string targets_file;
    std::vector<analysis::FreeParameter> free;
    analysis::CalibrationMethod method = analysis::CalibrationMethod::bobyqa;
    int budget = 200;
    int starts = 4;
    int runs = 1;           // runs 0 .. runs − 1 per evaluation (common random numbers)
    int threads = 1;        // 0: one per core
    OutputSettings output;  // `detail` and `max_output` are unused: no per-tick files
    bool resume = false;    // reuse the evaluations in the output folder (and replace it)
    std::vector<std::string> command_line;
};

/// What the job tells the user: messages, and after each evaluation the evaluations done, the
/// budget and the best objective so far (rank 0 only).
struct CalibrateFeedback {
    MessageSink message = [](const std::string&) {};
    std::function<void(int done, int budget, double best)> progress = [](int, int, double) {};
};

struct CalibratedParameter {
    analysis::FreeParameter free;
    double start = 0.0;   // the scenario's value
    double fitted = 0.0;  // at the optimum
    analysis::ParameterReport report;
};

struct CalibrateOutcome {
    bool written = false;  // false on MPI ranks other than 0
    int exit_code = 0;     // non-zero when preparing failed on some MPI rank (already reported)
    std::filesystem::path output;
    std::string scenario_name;
    std::vector<CalibratedParameter> parameters;
    std::vector<std::vector<double>> correlation;  // of the estimates; NaN where not identified
    double objective_before = 0.0, objective_after = 0.0;
    int evaluations = 0;           // of the search (at most the budget)
    int identify_evaluations = 0;  // the finite differences at the optimum
    double wall_seconds = 0.0;
    std::vector<std::string> warnings;  // identifiability, clamped starts
    std::string fit_table;              // the fit report before and after (io::render_fit_table)
    std::string method;
};

/// Throws InputError (exit 2: bad options, scenario, targets or free parameter), RunError or
/// Interrupted.
CalibrateOutcome run_calibration(const CalibrateJob& job, const CalibrateFeedback& feedback);

}  // namespace ts::run
