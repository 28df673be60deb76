#pragma once
// Resuming `tradesim calibrate` (docs/calibration.md, "Interrupting and resuming"). An
// evaluation is a deterministic function of the text of its parameter values (what the
// scenario is loaded with), so the evaluations of an earlier job with the same scenario,
// targets and runs can stand in for new ones: `--resume` reads them from DIR/evaluations.csv
// (complete or interrupted) and replays the search without simulating those points again,
// which gives exactly the files an uninterrupted job gives.
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/calibration.hpp"

namespace ts::run {

/// Parameter values as text (analysis::format_parameter_value), one per free parameter.
using ValueText = std::vector<std::string>;

class EvaluationCache {
  public:
    EvaluationCache() = default;
    /// Reads DIR/evaluations.csv. InputError if DIR has none, or if its parameter columns are
    /// not the job's free parameters in order.
    static EvaluationCache read(const std::filesystem::path& dir,
                                const std::vector<analysis::FreeParameter>& free);
    std::optional<double> find(const ValueText& values) const;
    std::size_t size() const { return objectives_.size(); }
    const std::map<ValueText, double>& objectives() const { return objectives_; }

  private:
    std::map<ValueText, double> objectives_;
};

/// The evaluations made so far, in the order they finished (thread-safe): what an interrupted
/// job leaves in its folder.
class EvaluationLog {
  public:
    void add(ValueText values, double objective);
    std::vector<std::pair<ValueText, double>> entries() const;

  private:
    mutable std::mutex mutex_;
    std::vector<std::pair<ValueText, double>> entries_;
};

/// Writes an interrupted job's evaluations.csv (phase `interrupted`) into `path`: those of
/// `cache` (a resumed job's earlier ones), then those of `log` in the order they finished.
/// Returns the number of rows.
std::size_t write_interrupted_evaluations(const std::filesystem::path& path,
                                          const std::vector<analysis::FreeParameter>& free,
                                          const EvaluationCache& cache, const EvaluationLog& log);

}  // namespace ts::run
