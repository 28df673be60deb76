#pragma once
// A located YAML document tree. The scenario reader never looks at yaml-cpp nodes directly:
// a file is parsed into a Doc, where every node and every map key remembers the file, line
// and column it came from. `extends`, `remove` and `--set` are applied to Docs, so a value
// inherited from a base file still reports errors at its own place in that base file.
//
// Scalars keep their raw text: no YAML 1.1 conversions (the country code NO stays "NO").
// Maps keep the order of their keys, so the resolved scenario is emitted in file order.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace ts::io {

enum class DocKind { null, scalar, sequence, map };

/// "an empty value", "a scalar", "a list", "a map": for messages such as "found a list".
const char* describe(DocKind kind);

struct DocEntry;

/// One node of the tree: null, scalar, sequence or map.
struct Doc {
    DocKind kind = DocKind::null;
    std::string scalar;             // kind == scalar: the text as written (quotes removed)
    std::vector<Doc> items;         // kind == sequence
    std::vector<DocEntry> entries;  // kind == map, in file order, keys unique
    SourceLoc loc;

    static Doc make_null(SourceLoc loc = {});
    static Doc make_scalar(std::string text, SourceLoc loc = {});
    static Doc make_sequence(SourceLoc loc = {});
    static Doc make_map(SourceLoc loc = {});

    bool is_null() const { return kind == DocKind::null; }
    bool is_scalar() const { return kind == DocKind::scalar; }
    bool is_sequence() const { return kind == DocKind::sequence; }
    bool is_map() const { return kind == DocKind::map; }

    /// The value of `key` in a map, or nullptr (also for non-maps).
    const Doc* find(std::string_view key) const;
    Doc* find(std::string_view key);
    const DocEntry* find_entry(std::string_view key) const;
    /// Replaces the value of `key` (keeping the key's place and location) or appends an entry;
    /// a new key that is a date goes before the first later date key (dated schedules).
    Doc& set(std::string key, Doc value, SourceLoc key_loc = {});
    /// Removes `key` from a map; false if it was not there.
    bool erase(std::string_view key);
};

struct DocEntry {
    std::string key;
    SourceLoc key_loc;
    Doc value;
};

/// The key that identifies the items of a list named `list_key` for merging, `remove` and
/// `--set`: "code" for countries, "via" for routes, "product" for a supplier's offers, "id"
/// for every other list.
std::string_view merge_key_for(std::string_view list_key);

/// The top-level lists whose items `remove` can delete, in schema order.
const std::vector<std::string>& removable_lists();

/// Scenario paths as used in messages: ("time", "ticks") -> "time.ticks", ("", "name") -> "name".
std::string path_join(std::string_view parent, std::string_view key);
/// ("policies", "us-oct-2023") -> "policies[us-oct-2023]".
std::string path_item(std::string_view list_path, std::string_view label);
/// The label of item `index` of the list named `list_key`: the value of its merge key if it is
/// a map that has one, else the 0-based index.
std::string item_label(const Doc& item, std::string_view list_key, std::size_t index);

/// The words separated by `sep`: "a, b, c".
std::string join(const std::vector<std::string>& words, std::string_view sep = ", ");

bool is_valid_utf8(std::string_view text);
/// The offset of the first byte that does not begin a valid UTF-8 sequence, or npos.
std::size_t invalid_utf8_offset(std::string_view text);
/// The text with control, bidirectional and zero-width characters escaped (\n, \t, \x01,
/// \u{202E}), for messages: a diagnostic stays on one line and shows what is really there.
std::string printable(std::string_view text);

// Limits of the reader (docs/reliability.md, "Bad input").
/// A scenario file (and every file it extends) may have at most 64 MiB.
inline constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{64} << 20;
/// A single value may have at most 1 MiB.
inline constexpr std::size_t kMaxScalarBytes = std::size_t{1} << 20;
/// After expanding YAML aliases, a document may hold at most kBaseValueBudget values plus one
/// per two bytes of its text (more than a file without aliases can hold, so only alias bombs,
/// "billion laughs", reach it), and never more than kMaxValues (bounded memory: about 300 MB).
inline constexpr std::size_t kBaseValueBudget = 100'000;
inline constexpr std::size_t kMaxValues = 500'000;
/// Maps and lists may be nested at most this deep.
inline constexpr int kMaxNesting = 200;

/// Parses YAML text. Syntax errors, duplicate keys, non-scalar keys and invalid UTF-8 are
/// reported to `diags` with file:line:column; returns nullopt if the text cannot be parsed
/// at all (a document with duplicate keys is returned without the duplicates).
std::optional<Doc> parse_yaml(std::string_view text, const std::string& file, Diagnostics& diags);
/// As above, but throws InputError on any error.
Doc parse_yaml(std::string_view text, const std::string& file);

/// Reads a whole scenario file (at most the size limit of a scenario file); on failure returns
/// nullopt and says why ("no such file", "it is a directory", ...).
std::optional<std::string> read_text_file(const std::string& path, std::string& why);
/// The file that `extends: NAME` in `child` names: NAME relative to child's folder, normalised.
std::string extends_path(const std::string& child, const std::string& name);

/// Loads a scenario file and resolves its `extends` chain (paths relative to the extending
/// file) and `remove` lists. The result is a map with no `extends` or `remove` key. Problems
/// go to `diags`; returns nullopt when a file of the chain cannot be read or parsed, the chain
/// has a cycle, or a file is not a map (continuing would only report consequences).
std::optional<Doc> load_doc(const std::string& path, Diagnostics& diags);
/// Same for text already in memory; `pseudo_path` names it in messages and anchors relative
/// `extends` paths.
std::optional<Doc> load_doc_text(std::string_view text, const std::string& pseudo_path,
                                 Diagnostics& diags);

/// Overlays `overlay` onto `base`: maps merge key by key, lists of maps that all carry their
/// merge key merge item by item (matching items merge, new ones are appended), any other
/// value (scalars, plain lists, an empty list) replaces the base value.
void merge(Doc& base, const Doc& overlay);

/// Applies one `--set PATH=VALUE` override (`index` is its 1-based position among the
/// overrides; it becomes the line of locations in the pseudo-file "--set"). Returns false
/// (with a diagnostic) if the override is malformed or its path names no existing item.
bool apply_override(Doc& root, std::string_view text, int index, Diagnostics& diags);

/// Block-style YAML, keys in order; reading it back gives the same tree (scalars included).
std::string emit_yaml(const Doc& doc);

}  // namespace ts::io
