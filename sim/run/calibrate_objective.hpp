#pragma once
// The objective of `tradesim calibrate`: the scenario with its free parameters set, simulated
// for runs 0 .. R − 1 (the same random streams at every point: common random numbers, so the
// objective is a deterministic function of the parameters) and held against the targets in
// memory (analysis::TargetRecorder, the same model values `tradesim fit` computes from the
// run's files).
#include <string>
#include <vector>

#include "analysis/calibration.hpp"
#include "analysis/targets.hpp"
#include "io/doc.hpp"
#include "io/fit_report.hpp"
#include "model/scenario.hpp"

namespace ts::run {

class CalibrationObjective {
  public:
    /// `doc` is the scenario after `extends` (io::load_doc); `overrides` its --set.
    CalibrationObjective(io::Doc doc, std::string file, std::vector<std::string> overrides,
                         std::vector<analysis::FreeParameter> free, analysis::TargetSet targets,
                         int runs);
    CalibrationObjective(const CalibrationObjective&) = delete;  // fit reports point into it
    CalibrationObjective& operator=(const CalibrationObjective&) = delete;

    /// Parameter values from a point of the unit cube: lo + u·(hi − lo), to 12 significant
    /// digits.
    std::vector<double> values_at(const std::vector<double>& unit) const;
    /// The --set overrides of the scenario at `values`: the job's, then PATH=VALUE each.
    std::vector<std::string> overrides_at(const std::vector<double>& values) const;
    /// The scenario at `values` (InputError if invalid there).
    model::Scenario scenario_at(const std::vector<double>& values) const;
    /// Simulates the scenario at `values` and fits the targets. With `check`, first reports
    /// (InputError) targets the scenario cannot give (unknown keys, periods outside the run).
    analysis::FitReport fit_at(const std::vector<double>& values, bool check = false) const;
    /// The same as the fit report's CSV wants it (folder `label`, the days the run covers).
    io::FolderFit folder_fit_at(const std::vector<double>& values, const std::string& label,
                                bool check = false) const;
    /// The standardised residuals of the fitted (non-holdout) targets, in file order.
    std::vector<double> residuals(const analysis::FitReport& report) const;
    /// Their weights.
    std::vector<double> weights() const;

    const analysis::TargetSet& targets() const { return targets_; }
    const std::vector<analysis::FreeParameter>& free() const { return free_; }
    const io::Doc& doc() const { return doc_; }
    const std::vector<std::string>& overrides() const { return overrides_; }

  private:
    io::Doc doc_;
    std::string file_;
    std::vector<std::string> overrides_;
    std::vector<analysis::FreeParameter> free_;
    analysis::TargetSet targets_;
    int runs_;
};

}  // namespace ts::run
