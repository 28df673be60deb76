#pragma once
// The folder of `tradesim calibrate` (docs/outputs.md, "calibrate"): calibrated.yaml,
// fit-before.csv, fit-after.csv, evaluations.csv, identifiability.csv,
// scenario.resolved.yaml and manifest.json, staged and moved into place when complete.
#include <filesystem>

#include "analysis/calibration.hpp"
#include "analysis/identifiability.hpp"
#include "analysis/targets.hpp"
#include "model/scenario.hpp"
#include "run/calibrate_cache.hpp"
#include "run/calibrate_job.hpp"
#include "run/calibrate_objective.hpp"
#include "run/job_support.hpp"

namespace ts::run {

struct CalibrationFiles {
    const CalibrateJob& job;
    const CalibrationObjective& objective;
    const model::Scenario& base;
    const io::FolderFit& before;
    const io::FolderFit& after;
    const analysis::CalibrationResult& result;
    const analysis::Identifiability& identifiability;
    const CalibrateOutcome& outcome;  // parameters, objectives, counts
};

/// Writes the folder `files.outcome.output` (replacing it with --force). Throws RunError or,
/// after a signal during the writes, Interrupted (the staging folder is removed).
void write_calibration(const CalibrationFiles& files, const JobClock& clock);

/// An interrupted job's folder: evaluations.csv (the evaluations made, for --resume) and
/// manifest.json with status "interrupted"; nothing else. Replaces `out`.
/// Returns the number of evaluations written.
std::size_t write_interrupted(const CalibrateJob& job, const model::Scenario& base,
                              const EvaluationCache& cache, const EvaluationLog& log,
                              const std::filesystem::path& out, const JobClock& clock, int done);

/// The comment of a fitted value in calibrated.yaml: "free in [LO, HI], SE X" with the
/// identifiability warning's short form ("not identified", "on its upper bound").
std::string fitted_comment(const CalibratedParameter& p);

}  // namespace ts::run
