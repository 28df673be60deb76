#include "io/scenario_reader.hpp"

#include <optional>
#include <utility>

#include "io/doc.hpp"
#include "io/scenario_build.hpp"

namespace ts::io {

namespace {

/// Everything after the tree is loaded: --set, the resolved YAML, validation.
LoadedScenario finish(std::optional<Doc> doc, Diagnostics& diags, const std::string& source_file,
                      const LoadOptions& options, const std::vector<std::string>& uncertain) {
    // A file that cannot be read or parsed, or a broken `extends` chain: validating what is
    // left would only report consequences.
    if (!doc) {
        diags.throw_if_errors();
        throw InputError("cannot load scenario '" + source_file + "'");
    }
    // An override whose path names no item is reported and skipped; the rest is still checked.
    for (std::size_t i = 0; i < options.overrides.size(); ++i)
        apply_override(*doc, options.overrides[i], static_cast<int>(i) + 1, diags);
    for (std::size_t i = 0; i < uncertain.size(); ++i)
        apply_uncertain_option(*doc, uncertain[i], static_cast<int>(i) + 1, diags);
    Uncertainty uncertainty = read_uncertainty(*doc, diags);

    LoadedScenario out;
    out.scenario.source_file = source_file;
    out.scenario.resolved_yaml = detail::emit_resolved(*doc);  // the section included
    // The builder never sees the section: it describes the runs of an ensemble, not the world.
    doc->erase("uncertainty");
    detail::ScenarioBuilder(diags, out.scenario).build(*doc);
    diags.throw_if_errors();
    out.warnings = diags.warnings();
    if (!uncertainty.empty()) {
        auto runs = std::make_shared<RunScenarios>(std::move(*doc), source_file,
                                                   std::move(uncertainty), out.scenario.seed);
        runs->check_paths();
        out.uncertainty = std::move(runs);
    }
    return out;
}

}  // namespace

LoadedScenario load_scenario(const std::string& path, const LoadOptions& options,
                             const std::vector<std::string>& uncertain) {
    Diagnostics diags;
    std::optional<Doc> doc = load_doc(path, diags);
    return finish(std::move(doc), diags, path, options, uncertain);
}

LoadedScenario load_scenario_text(std::string_view yaml, const std::string& pseudo_path,
                                  const LoadOptions& options) {
    Diagnostics diags;
    std::optional<Doc> doc = load_doc_text(yaml, pseudo_path, diags);
    return finish(std::move(doc), diags, pseudo_path, options, {});
}

LoadedScenario load_scenario_doc(Doc doc, const std::string& source_file,
                                 const LoadOptions& options) {
    Diagnostics diags;
    return finish(std::move(doc), diags, source_file, options, {});
}

}  // namespace ts::io
