// Loading a scenario file: reading it (bounded), resolving its `extends` chain (with cycle
// detection) by merging each file onto its base, and applying `remove`.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "io/doc.hpp"

namespace ts::io {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Merging

namespace {

/// The merge-key value of a list item, or nullptr if it has none.
const std::string* merge_id(const Doc& item, std::string_view merge_key) {
    const Doc* key = item.find(merge_key);
    return key && key->is_scalar() ? &key->scalar : nullptr;
}

bool all_keyed(const Doc& list, std::string_view merge_key) {
    return std::all_of(list.items.begin(), list.items.end(),
                       [&](const Doc& item) { return merge_id(item, merge_key) != nullptr; });
}

void merge_node(Doc& base, const Doc& overlay, std::string_view key) {
    if (base.is_map() && overlay.is_map()) {
        for (const DocEntry& e : overlay.entries) {
            if (Doc* existing = base.find(e.key))
                merge_node(*existing, e.value, e.key);
            else
                base.set(e.key, e.value, e.key_loc);  // dated points in date order
        }
        return;
    }
    if (base.is_sequence() && overlay.is_sequence() && !overlay.items.empty()) {
        const std::string_view merge_key = merge_key_for(key);
        if (all_keyed(base, merge_key) && all_keyed(overlay, merge_key)) {
            for (const Doc& item : overlay.items) {
                const std::string* id = merge_id(item, merge_key);
                Doc* match = nullptr;
                for (Doc& candidate : base.items) {
                    const std::string* candidate_id = merge_id(candidate, merge_key);
                    if (!match && id && candidate_id && *candidate_id == *id) match = &candidate;
                }
                if (match)
                    merge_node(*match, item, "");
                else
                    base.items.push_back(item);
            }
            return;
        }
    }
    base = overlay;
}

}  // namespace

void merge(Doc& base, const Doc& overlay) {
    merge_node(base, overlay, "");
}

// ---------------------------------------------------------------------------------------------
// Loading: extends and remove

namespace {

/// The ids of the items of a top-level keyed list, in order.
std::vector<std::string> list_ids(const Doc& root, std::string_view list) {
    std::vector<std::string> ids;
    const Doc* items = root.find(list);
    if (!items || !items->is_sequence()) return ids;
    const std::string_view key = merge_key_for(list);
    for (const Doc& item : items->items) {
        const Doc* id = item.find(key);
        if (id && id->is_scalar()) ids.push_back(id->scalar);
    }
    return ids;
}

/// Deletes the items of `list` whose merge key is `id`; returns how many.
std::size_t remove_items(Doc& root, std::string_view list, std::string_view id) {
    Doc* items = root.find(list);
    if (!items || !items->is_sequence()) return 0;
    const std::string_view key = merge_key_for(list);
    const auto before = items->items.size();
    std::erase_if(items->items, [&](const Doc& item) {
        const Doc* k = item.find(key);
        return k && k->is_scalar() && k->scalar == id;
    });
    return before - items->items.size();
}

}  // namespace

std::optional<std::string> read_text_file(const std::string& path, std::string& why) {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (!fs::exists(st)) {
        why = "no such file";
        return std::nullopt;
    }
    if (fs::is_directory(st)) {
        why = "it is a directory";
        return std::nullopt;
    }
    const auto too_large = [&](std::uintmax_t size) {
        why = fmt::format("it is too large ({}; a scenario file may have at most {} MiB)",
                          size > 0 ? fmt::format("{} bytes", size)
                                   : fmt::format("more than {} MiB", kMaxFileBytes >> 20),
                          kMaxFileBytes >> 20);
        return std::nullopt;
    };
    if (fs::is_regular_file(st)) {
        const std::uintmax_t size = fs::file_size(path, ec);
        if (!ec && size > kMaxFileBytes) return too_large(size);
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        why = "cannot read it";
        return std::nullopt;
    }
    // Read at most one byte more than allowed: a pipe or device is bounded too.
    std::string text;
    std::vector<char> buffer(std::size_t{1} << 16);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        text.append(buffer.data(), static_cast<std::size_t>(in.gcount()));
        if (text.size() > kMaxFileBytes) return too_large(0);
    }
    if (in.bad()) {
        why = "read error";
        return std::nullopt;
    }
    return text;
}

std::string extends_path(const std::string& child, const std::string& name) {
    return (fs::path(child).parent_path() / fs::path(name)).lexically_normal().generic_string();
}

namespace {

std::string canonical_name(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::path(path), ec);
    if (ec) p = fs::absolute(fs::path(path), ec).lexically_normal();
    return p.generic_string();
}

class Loader {
  public:
    explicit Loader(Diagnostics& diags) : diags_(diags) {}

    std::optional<Doc> load_text(std::string_view text, const std::string& display) {
        std::optional<Doc> doc = parse_yaml(text, display, diags_);
        if (!doc) return std::nullopt;
        chain_.push_back(display);
        canon_.push_back(canonical_name(display));
        std::optional<Doc> out = resolve(std::move(*doc), display);
        chain_.pop_back();
        canon_.pop_back();
        return out;
    }

    std::optional<Doc> load_top_file(const std::string& path) {
        std::string why;
        std::optional<std::string> text = read_text_file(path, why);
        if (!text) {
            diags_.error({}, "", fmt::format("cannot open scenario file '{}': {}", path, why));
            return std::nullopt;
        }
        return load_text(*text, path);
    }

  private:
    std::optional<Doc> resolve(Doc doc, const std::string& display) {
        if (!doc.is_map()) {
            diags_.error(
                doc.loc, "",
                doc.is_null()
                    ? std::string("the file is empty: expected a map of scenario keys")
                    : fmt::format(
                          "expected a map of scenario keys at the top of the file, found {}",
                          describe(doc.kind)));
            return std::nullopt;
        }
        const DocEntry* extends = doc.find_entry("extends");
        const DocEntry* remove = doc.find_entry("remove");
        std::optional<Doc> base;
        bool parent_ok = true;
        if (extends) {
            if (!extends->value.is_scalar() || extends->value.scalar.empty()) {
                diags_.error(
                    extends->value.loc, "extends",
                    fmt::format("expected the name of a scenario file, found {}",
                                extends->value.is_scalar() ? "an empty name"
                                                           : describe(extends->value.kind)));
                parent_ok = false;
            } else {
                base = load_parent(extends->value, display);
                parent_ok = base.has_value();
            }
        }
        if (remove) {
            if (!extends)
                diags_.error(remove->key_loc, "remove",
                             "'remove' needs 'extends': there are no inherited items to remove");
            else if (base)
                apply_remove(*base, remove->value);
        }
        if (!parent_ok) return std::nullopt;
        doc.erase("extends");
        doc.erase("remove");
        if (!base) return doc;
        merge(*base, doc);
        base->loc = doc.loc;  // top-level problems are reported against the file the user named
        return base;
    }

    std::optional<Doc> load_parent(const Doc& extends_value, const std::string& child) {
        const std::string display = extends_path(child, extends_value.scalar);
        const std::string canon = canonical_name(display);
        if (std::find(canon_.begin(), canon_.end(), canon) != canon_.end()) {
            std::vector<std::string> names = chain_;
            names.push_back(display);
            diags_.error(extends_value.loc, "extends",
                         fmt::format("extends cycle: {}", join(names, " -> ")));
            return std::nullopt;
        }
        std::string why;
        std::optional<std::string> text = read_text_file(display, why);
        if (!text) {
            diags_.error(extends_value.loc, "extends",
                         fmt::format("cannot open '{}': {}", display, why));
            return std::nullopt;
        }
        return load_text(*text, display);
    }

    void apply_remove(Doc& base, const Doc& remove) {
        if (remove.is_sequence()) {
            remove_ids(base, remove);
        } else if (remove.is_map()) {
            remove_from_lists(base, remove);
        } else {
            diags_.error(remove.loc, "remove",
                         fmt::format("expected a list of ids or a map of lists of ids, found {}",
                                     describe(remove.kind)));
        }
    }

    /// `remove: [id, ...]`: each id must name items of exactly one removable list.
    void remove_ids(Doc& base, const Doc& remove) {
        const std::vector<std::string>& lists = removable_lists();
        for (std::size_t i = 0; i < remove.items.size(); ++i) {
            const Doc& item = remove.items[i];
            const std::string path = path_item("remove", std::to_string(i));
            if (!item.is_scalar()) {
                diags_.error(item.loc, path,
                             fmt::format("expected an id, found {}", describe(item.kind)));
                continue;
            }
            std::vector<std::string> found_in;
            std::vector<std::string> all_ids;
            for (const std::string& list : lists) {
                const std::vector<std::string> ids = list_ids(base, list);
                if (std::find(ids.begin(), ids.end(), item.scalar) != ids.end())
                    found_in.push_back(list);
                all_ids.insert(all_ids.end(), ids.begin(), ids.end());
            }
            if (found_in.empty()) {
                diags_.error(item.loc, path,
                             fmt::format("cannot remove '{}': no inherited item has this id{}",
                                         item.scalar, did_you_mean(item.scalar, all_ids)));
            } else if (found_in.size() > 1) {
                diags_.error(
                    item.loc, path,
                    fmt::format("'{}' names items in several lists ({}): use the map "
                                "form, e.g. remove: {{{}: [{}]}}",
                                item.scalar, join(found_in, ", "), found_in.front(), item.scalar));
            } else {
                remove_items(base, found_in.front(), item.scalar);
            }
        }
    }

    /// `remove: {list: [id, ...], ...}`.
    void remove_from_lists(Doc& base, const Doc& remove) {
        const std::vector<std::string>& lists = removable_lists();
        for (const DocEntry& e : remove.entries) {
            const std::string list_path = path_join("remove", e.key);
            if (std::find(lists.begin(), lists.end(), e.key) == lists.end()) {
                diags_.error(e.key_loc, "remove",
                             fmt::format("unknown list '{}'{}; expected one of: {}", e.key,
                                         did_you_mean(e.key, lists), join(lists, ", ")));
                continue;
            }
            if (!e.value.is_sequence()) {
                diags_.error(
                    e.value.loc, list_path,
                    fmt::format("expected a list of ids, found {}", describe(e.value.kind)));
                continue;
            }
            const std::vector<std::string> ids = list_ids(base, e.key);
            for (std::size_t i = 0; i < e.value.items.size(); ++i) {
                const Doc& item = e.value.items[i];
                const std::string path = path_item(list_path, std::to_string(i));
                if (!item.is_scalar()) {
                    diags_.error(item.loc, path,
                                 fmt::format("expected an id, found {}", describe(item.kind)));
                } else if (remove_items(base, e.key, item.scalar) == 0) {
                    diags_.error(item.loc, path,
                                 fmt::format("cannot remove '{}': no inherited item of '{}' has "
                                             "this {}{}",
                                             item.scalar, e.key, merge_key_for(e.key),
                                             did_you_mean(item.scalar, ids)));
                }
            }
        }
    }

    Diagnostics& diags_;
    std::vector<std::string> chain_;  // files being loaded, outermost first, as displayed
    std::vector<std::string> canon_;  // the same, canonical, to detect cycles
};

}  // namespace

std::optional<Doc> load_doc(const std::string& path, Diagnostics& diags) {
    Loader loader(diags);
    return loader.load_top_file(path);
}

std::optional<Doc> load_doc_text(std::string_view text, const std::string& pseudo_path,
                                 Diagnostics& diags) {
    Loader loader(diags);
    return loader.load_text(text, pseudo_path);
}
}  // namespace ts::io
