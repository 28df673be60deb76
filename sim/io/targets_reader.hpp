#pragma once
// Reading a targets file (docs/calibration.md, "Targets") into an analysis::TargetSet, through
// the scenario reader's located YAML (io::load_doc: file:line:column in every message, the same
// limits, `extends` with targets merged by id) and its typed field reads. Everything that can be
// checked without a run is checked here; keys and periods are checked against each run by
// analysis::TargetAccumulator::check().
#include <string>
#include <string_view>

#include "analysis/targets.hpp"

namespace ts::io {

/// Throws ts::InputError with every problem found, located.
analysis::TargetSet load_targets(const std::string& path);
/// The same for text in memory; `pseudo_path` names it in messages.
analysis::TargetSet load_targets_text(std::string_view yaml, const std::string& pseudo_path);

}  // namespace ts::io
