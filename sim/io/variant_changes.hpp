#pragma once
// What a scenario file that `extends` another changes (tradesim validate): the differences
// between its resolved base and itself (io::differences), each placed at its line in the
// variant file and, for what it overrides or removes, at the inherited value's place.
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace ts::io {

struct VariantChange {
    enum class Kind { adds, overrides, removes };
    Kind kind = Kind::overrides;
    std::string name;    // "buyers[cn-cloud].demand", "policies[us-ctrl]"
    std::string change;  // "500 → 9000"; a value added ("0.1"); "" for an item added or removed
    int line = 0;        // where in the variant file (0: not known)
    SourceLoc base;      // the inherited value (overrides and removes)
};

struct VariantChanges {
    std::string file;                    // the variant, as named
    std::string base_file;               // the file it extends, as resolved
    std::vector<VariantChange> changes;  // by line in the variant file
};

/// The changes of the scenario file at `path` against the file it extends, or nullopt when it
/// extends none (or cannot be loaded: validation has said why).
std::optional<VariantChanges> variant_changes(const std::string& path);

/// The changes as `validate` prints them: a heading, then one entry per change (line, what it
/// does, the inherited place), wrapped to `width` columns.
std::string render_variant_changes(const VariantChanges& v, std::size_t width = 100);

}  // namespace ts::io
