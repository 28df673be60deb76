#pragma once
// Reading a run folder back (for `tradesim compare`): countries.csv (required), flows.csv and
// revenue.csv (when present) are streamed into an analysis::TickSink (compare's RunTotals,
// the targets' TargetAccumulator), and manifest.json gives
// the scenario's name and seed. Files with or without the `run` column (ensembles) are read alike
// (no column: run 0). Errors: a folder that does not exist or is not a run folder, a missing
// column or a malformed value throw ts::InputError naming the file (and line); I/O failures
// throw ts::RunError.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/compare.hpp"
#include "analysis/targets.hpp"

namespace ts::io {

struct RunFolderInfo {
    std::string scenario_name;          // manifest.json "scenario_name", else the folder's name
    std::optional<std::uint64_t> seed;  // manifest.json "seed"
    std::optional<std::string> observed_until, projection_from;  // manifest.json, when recorded
    std::optional<std::string> random_parts;                     // manifest.json, when recorded
    bool has_flows = false, has_revenue = false, has_manifest = false;
};

RunFolderInfo read_run_folder(const std::filesystem::path& dir, analysis::TickSink& totals);

/// Buyer id -> headquarters country code (its `country` when it declares none), from the run's
/// scenario.resolved.yaml, for `compare --by headquarters`. Throws ts::InputError when the file
/// is missing or is not YAML.
std::map<std::string, std::string, std::less<>> read_buyer_headquarters(
    const std::filesystem::path& dir);

/// The names of the run's scenario (countries, suppliers, products, buyers' headquarters) from
/// its scenario.resolved.yaml, to check targets against; nullopt when the folder has none.
/// Throws ts::InputError when the file is not YAML.
std::optional<analysis::RunNames> read_run_names(const std::filesystem::path& dir);

/// The value of a top-level string or number member of a JSON object text (as manifest_json
/// writes it): the string unescaped, or the number's text. nullopt if absent.
std::optional<std::string> json_member(std::string_view json, std::string_view name);

}  // namespace ts::io
