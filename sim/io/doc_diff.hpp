#pragma once
// The differences between two resolved scenario trees (tradesim explain A B): one per policy
// and one per other value, each with a path, the values before and after and their lines, and
// how to build A's tree with any subset of them switched to B's values.
#include <string>
#include <vector>

#include "io/doc.hpp"

namespace ts::io {

/// One step of a path in a scenario tree: a map key, or an item of a keyed list.
struct PathStep {
    std::string key;    // map key, or the list's key for an item
    std::string label;  // the item's merge-key value (empty: a map key)
    bool item() const { return !label.empty(); }
};

struct Difference {
    enum class Kind { changed, added, removed };
    Kind kind = Kind::changed;
    std::vector<PathStep> path;
    std::string before, after;   // the values as one-line YAML ("" when absent)
    int line_a = 0, line_b = 0;  // where in the files (0: absent)
    /// What changed, on one line: "0.05 → 0.3"; for a policy, each value inside it that changed
    /// ("license.approval: 0.25 → 0; license.delay: 2 → 3"); "added", "removed".
    std::string change;
    /// "policies[us-ctrl]", "buyers[cn-labs].substitution".
    std::string name() const;
};

/// The differences between two resolved scenario trees (no `extends`). A policy is one
/// difference whatever changed inside it; other keyed items are compared value by value.
/// `name` and `description` are ignored.
std::vector<Difference> differences(const Doc& a, const Doc& b);

/// The node at `path` in `root` (a map), or null: where a difference's value is in a tree.
const Doc* find_path(const Doc& root, const std::vector<PathStep>& path);

/// Differences grouped by the item they belong to (policies[x], buyers[y], time, ...): the
/// members of each group in order.
std::vector<std::vector<std::size_t>> group_by_item(const std::vector<Difference>& diffs);

/// A's tree with B's values for the differences in `on` (indices into `diffs`).
Doc with_differences(const Doc& a, const Doc& b, const std::vector<Difference>& diffs,
                     const std::vector<std::size_t>& on);

}  // namespace ts::io
