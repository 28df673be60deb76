#pragma once
// The scenario side of `tradesim calibrate`: which numbers the free parameters name, and the
// short `calibrated.yaml` that extends the scenario with the fitted values
// (docs/calibration.md, "Calibrate").
#include <string>
#include <vector>

#include "analysis/calibration.hpp"
#include "io/doc.hpp"

namespace ts::io {

/// The scenario's value of each free parameter in `root` (the scenario after `extends` and
/// `--set`). A path that names no value, or a value that is not a number, is an InputError:
/// located at the value in the scenario file, or (for a path that names nothing) in the
/// pseudo-file "--free", line = the parameter's position among the --free options.
std::vector<double> free_parameter_values(const Doc& root,
                                          const std::vector<analysis::FreeParameter>& free);

/// One fitted parameter for calibrated.yaml: its value (override text) and its comment.
struct FittedValue {
    std::string value;    // as for --set, e.g. "512.25"
    std::string comment;  // "free in [100, 2000], SE 12.5"
};

/// The text of calibrated.yaml: `header` (comment lines, each without '#'), `extends: PATH`,
/// then the least YAML that, merged onto the scenario as `extends` merges, gives the scenario
/// with `overrides` (the --set of the calibration, in order) and then each PATH=VALUE of
/// `fitted` applied: maps by key, lists of items with ids by id (plain lists whole). Each fitted
/// value carries its comment at the end of its line. `root` is the scenario after `extends`
/// only; `overrides` must apply to it (they did when the scenario was loaded).
std::string calibrated_yaml(const Doc& root, const std::vector<std::string>& header,
                            const std::string& extends, const std::vector<std::string>& overrides,
                            const std::vector<analysis::FreeParameter>& free,
                            const std::vector<FittedValue>& fitted);

}  // namespace ts::io
