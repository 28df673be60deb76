// `--set PATH=VALUE`: parsing the path (quoted keys, ids with dots), parsing the value as YAML
// located in the pseudo-file "--set", and walking the tree (list items by their merge key).
#include <algorithm>
#include <charconv>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "io/doc.hpp"

namespace ts::io {

namespace {

struct Segment {
    std::string text;        // quotes removed
    std::size_t offset = 0;  // in the override text
};

std::string joined(const std::vector<Segment>& segments, std::size_t begin, std::size_t end) {
    std::string out;
    for (std::size_t i = begin; i < end; ++i) {
        if (i > begin) out += '.';
        out += segments[i].text;
    }
    return out;
}

/// Moves every location of a value parsed from an override into the "--set" pseudo-file.
void relocate(Doc& doc, int index, std::size_t value_offset) {
    auto shift = [&](SourceLoc& loc) {
        if (loc.line == 1) loc.column += static_cast<int>(value_offset);
        loc.file = "--set";
        loc.line = index;
    };
    shift(doc.loc);
    for (Doc& item : doc.items) relocate(item, index, value_offset);
    for (DocEntry& e : doc.entries) {
        shift(e.key_loc);
        relocate(e.value, index, value_offset);
    }
}

}  // namespace

namespace {

/// One override being applied: `parse` splits its path and reads its value, `apply` walks the
/// tree along the path and puts the value there. Every problem is reported at its column in the
/// pseudo-file "--set", line `index`.
class Override {
  public:
    Override(std::string_view text, int index, Diagnostics& diags)
        : text_(text), index_(index), diags_(diags) {}

    bool parse() { return split_path() && check_path() && parse_value(); }

    bool apply(Doc& root) {
        Doc* node = &root;
        while (true) {
            const Segment& seg = segments_[i_];
            if (node->is_null()) *node = Doc::make_map(at(seg.offset));
            Step step = Step::failed;
            if (node->is_map()) {
                step = step_into_map(node);
            } else if (node->is_sequence()) {
                step = step_into_list(node);
            } else {
                diags_.error(at(seg.offset), path_,
                             fmt::format("cannot set '{}' inside '{}': it is a single value, not "
                                         "a map",
                                         seg.text, path_));
            }
            if (step != Step::next) return step == Step::done;
        }
    }

  private:
    enum class Step { next, done, failed };

    SourceLoc at(std::size_t offset) const {
        return SourceLoc{"--set", index_, static_cast<int>(offset) + 1};
    }

    /// The path ends at the first '=' outside double quotes. A key in double quotes is taken as
    /// written, '.' and '=' included (\" and \\ inside quotes stand for " and \): that is how an
    /// id containing '=' is addressed, e.g. --set 'buyers."a=b".demand=5'.
    bool split_path() {
        Segment seg;
        bool quoted = false;
        bool was_quoted = false;
        for (std::size_t i = 0; i < text_.size(); ++i) {
            const char c = text_[i];
            if (quoted) {
                if (c == '\\' && i + 1 < text_.size()) {
                    seg.text += text_[++i];
                } else if (c == '"') {
                    quoted = false;
                } else {
                    seg.text += c;
                }
                continue;
            }
            if (c == '=' || c == '.') {
                if (seg.text.empty() && !was_quoted && !(c == '=' && segments_.empty() && i == 0)) {
                    diags_.error(at(seg.offset), "",
                                 fmt::format("malformed override '{}': empty key in path '{}'",
                                             printable(text_),
                                             printable(text_.substr(0, text_.find('=', i)))));
                    return false;
                }
                segments_.push_back(std::move(seg));
                seg = Segment{"", i + 1};
                was_quoted = false;
                if (c == '=') {
                    eq_ = i;
                    return true;
                }
                continue;
            }
            if (c == '"' && seg.text.empty() && !was_quoted) {
                quoted = was_quoted = true;
                continue;
            }
            seg.text += c;
        }
        if (quoted) {
            diags_.error(at(seg.offset), "",
                         fmt::format("malformed override '{}': unclosed '\"' in the path",
                                     printable(text_)));
            return false;
        }
        return true;
    }

    bool check_path() {
        if (eq_ == std::string_view::npos) {
            diags_.error(
                at(0), "",
                fmt::format("malformed override '{}': expected PATH=VALUE", printable(text_)));
            return false;
        }
        if (eq_ == 0) {
            diags_.error(
                at(0), "",
                fmt::format("malformed override '{}': the path before '=' is empty", text_));
            return false;
        }
        if (segments_.front().text == "extends" || segments_.front().text == "remove") {
            diags_.error(at(0), "",
                         fmt::format("'{}' cannot be set with --set", segments_.front().text));
            return false;
        }
        return true;
    }

    bool parse_value() {
        const std::size_t value_offset = eq_ + 1;
        const std::string_view path_text = text_.substr(0, eq_);
        Diagnostics value_diags;
        value_ = parse_yaml(text_.substr(value_offset), "--set", value_diags);
        for (Diagnostic d : value_diags.items()) {
            if (d.loc.line == 1) d.loc.column += static_cast<int>(value_offset);
            d.loc.line = index_;
            d.path = std::string(path_text);
            diags_.add(std::move(d));
        }
        if (!value_ || value_diags.has_errors()) return false;
        relocate(*value_, index_, value_offset);
        if (value_->is_null()) value_->loc = at(value_offset);
        return true;
    }

    /// In a map: the key named by the longest run of segments from the current one (ids may
    /// contain dots), or a new key.
    Step step_into_map(Doc*& node) {
        const Segment& seg = segments_[i_];
        const std::size_t n = segments_.size();
        std::size_t end = n;
        DocEntry* entry = nullptr;
        for (; end > i_ && !entry; --end) {
            const std::string key = joined(segments_, i_, end);
            for (DocEntry& e : node->entries)
                if (e.key == key) entry = &e;
            if (entry) break;
        }
        if (!entry) {
            const std::string key(seg.text);
            if (i_ + 1 == n) {
                node->set(key, std::move(*value_), at(seg.offset));
                return Step::done;
            }
            node = &node->set(key, Doc::make_map(at(seg.offset)), at(seg.offset));
            path_ = path_join(path_, key);
            list_key_ = seg.text;
            ++i_;
            return Step::next;
        }
        path_ = path_join(path_, entry->key);
        if (end == n) {
            entry->value = std::move(*value_);
            return Step::done;
        }
        node = &entry->value;
        list_key_ = entry->key;
        i_ = end;
        return Step::next;
    }

    /// In a list: the item whose merge key the longest run of segments names, or for a plain
    /// list (no item has the merge key) the item at a 0-based index.
    Step step_into_list(Doc*& node) {
        const std::string_view merge_key = merge_key_for(list_key_);
        std::vector<std::string> keys;
        for (const Doc& item : node->items) {
            const Doc* k = item.find(merge_key);
            if (k && k->is_scalar()) keys.push_back(k->scalar);
        }
        std::size_t end = segments_.size();
        Doc* item = keys.empty() ? item_at_index(*node, end) : item_by_key(*node, keys, end);
        if (!item) return Step::failed;
        path_ = path_item(path_, joined(segments_, i_, end));
        if (end == segments_.size()) {
            *item = std::move(*value_);
            return Step::done;
        }
        node = item;
        list_key_ = "";
        i_ = end;
        return Step::next;
    }

    Doc* item_at_index(Doc& list, std::size_t& end) {
        const Segment& seg = segments_[i_];
        std::size_t pos = 0;
        const bool numeric =
            !seg.text.empty() && std::all_of(seg.text.begin(), seg.text.end(),
                                             [](char c) { return c >= '0' && c <= '9'; });
        // An index too large for size_t is out of range like any other (no throw).
        if (numeric &&
            std::from_chars(seg.text.data(), seg.text.data() + seg.text.size(), pos).ec !=
                std::errc())
            pos = list.items.size();
        if (!numeric || pos >= list.items.size()) {
            diags_.error(at(seg.offset), path_,
                         fmt::format("no item '{}' in this list: expected an index from 0 to {}",
                                     seg.text, list.items.size() == 0 ? 0 : list.items.size() - 1));
            return nullptr;
        }
        end = i_ + 1;
        return &list.items[pos];
    }

    Doc* item_by_key(Doc& list, const std::vector<std::string>& keys, std::size_t& end) {
        const std::string_view merge_key = merge_key_for(list_key_);
        Doc* item = nullptr;
        for (; end > i_ && !item; --end) {
            const std::string key = joined(segments_, i_, end);
            for (Doc& candidate : list.items) {
                const Doc* k = candidate.find(merge_key);
                if (k && k->is_scalar() && k->scalar == key) item = &candidate;
            }
            if (item) break;
        }
        if (!item) {
            const Segment& seg = segments_[i_];
            diags_.error(at(seg.offset), path_,
                         fmt::format("no item with {} '{}' in '{}'{}", merge_key, seg.text,
                                     list_key_, did_you_mean(seg.text, keys)));
        }
        return item;
    }

    std::string_view text_;
    int index_;
    Diagnostics& diags_;
    std::vector<Segment> segments_;
    std::size_t eq_ = std::string_view::npos;  // the '=' ending the path
    std::optional<Doc> value_;
    // Where the walk is: the segment to match next, the scenario path of the node reached (for
    // messages) and the key under which that node sits (for a list, it gives the merge key).
    std::size_t i_ = 0;
    std::string path_;
    std::string_view list_key_;
};

}  // namespace

bool apply_override(Doc& root, std::string_view text, int index, Diagnostics& diags) {
    Override change(text, index, diags);
    return change.parse() && change.apply(root);
}

}  // namespace ts::io
