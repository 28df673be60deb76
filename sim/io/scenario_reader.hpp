#pragma once
// Scenario reader: YAML file -> validated, frozen model::Scenario.
//
//   parse (located Doc) -> resolve `extends` and `remove` -> apply `--set` -> emit the resolved
//   YAML -> validate every key and build the Scenario.
//
// Every problem found is collected; if any is an error, an InputError carrying all of them
// (warnings included, in the order found) is thrown. The reader never prints.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "io/doc.hpp"
#include "io/uncertainty.hpp"
#include "model/scenario.hpp"

namespace ts::io {

struct LoadOptions {
    std::vector<std::string> overrides;  // each "dotted.path=VALUE" from --set, in order
};

struct LoadedScenario {
    model::Scenario scenario;
    std::vector<Diagnostic> warnings;
    /// The scenario of each run when it has an `uncertainty` section (or --uncertain), else
    /// null. `scenario` keeps the section's paths at their values in the file.
    std::shared_ptr<const RunScenarios> uncertainty;
};

/// Loads, resolves and validates the scenario file at `path`. Throws InputError. `uncertain`:
/// each "PATH=DIST:ARGS" of --uncertain, in order, applied after the overrides.
LoadedScenario load_scenario(const std::string& path, const LoadOptions& options = {},
                             const std::vector<std::string>& uncertain = {});

/// The same for text in memory. `pseudo_path` names it in messages, becomes
/// Scenario::source_file, and `extends` is resolved relative to its directory.
LoadedScenario load_scenario_text(std::string_view yaml, const std::string& pseudo_path,
                                  const LoadOptions& options = {});

/// The same for a tree already loaded with load_doc (`extends` resolved): jobs that load one
/// scenario many times with different overrides (`calibrate`) parse the file once.
LoadedScenario load_scenario_doc(Doc doc, const std::string& source_file,
                                 const LoadOptions& options = {});

}  // namespace ts::io
