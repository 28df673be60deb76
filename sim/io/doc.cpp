#include "io/doc.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

namespace ts::io {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Doc

const char* describe(DocKind kind) {
    switch (kind) {
        case DocKind::null:
            return "an empty value";
        case DocKind::scalar:
            return "a single value";
        case DocKind::sequence:
            return "a list";
        case DocKind::map:
            return "a map";
    }
    return "?";
}

Doc Doc::make_null(SourceLoc loc) {
    Doc d;
    d.loc = std::move(loc);
    return d;
}

Doc Doc::make_scalar(std::string text, SourceLoc loc) {
    Doc d;
    d.kind = DocKind::scalar;
    d.scalar = std::move(text);
    d.loc = std::move(loc);
    return d;
}

Doc Doc::make_sequence(SourceLoc loc) {
    Doc d;
    d.kind = DocKind::sequence;
    d.loc = std::move(loc);
    return d;
}

Doc Doc::make_map(SourceLoc loc) {
    Doc d;
    d.kind = DocKind::map;
    d.loc = std::move(loc);
    return d;
}

const DocEntry* Doc::find_entry(std::string_view key) const {
    if (kind != DocKind::map) return nullptr;
    for (const auto& e : entries)
        if (e.key == key) return &e;
    return nullptr;
}

const Doc* Doc::find(std::string_view key) const {
    const DocEntry* e = find_entry(key);
    return e ? &e->value : nullptr;
}

Doc* Doc::find(std::string_view key) {
    if (kind != DocKind::map) return nullptr;
    for (auto& e : entries)
        if (e.key == key) return &e.value;
    return nullptr;
}

Doc& Doc::set(std::string key, Doc value, SourceLoc key_loc) {
    if (Doc* existing = find(key)) {
        *existing = std::move(value);
        return *existing;
    }
    entries.push_back(DocEntry{std::move(key), std::move(key_loc), std::move(value)});
    return entries.back().value;
}

bool Doc::erase(std::string_view key) {
    if (kind != DocKind::map) return false;
    const auto it = std::find_if(entries.begin(), entries.end(),
                                 [&](const DocEntry& e) { return e.key == key; });
    if (it == entries.end()) return false;
    entries.erase(it);
    return true;
}

std::string_view merge_key_for(std::string_view list_key) {
    if (list_key == "countries") return "code";
    if (list_key == "routes") return "via";
    if (list_key == "offers") return "product";
    return "id";
}

const std::vector<std::string>& removable_lists() {
    static const std::vector<std::string> kLists = {"countries", "products", "suppliers", "buyers",
                                                    "routes",    "policies", "reactions"};
    return kLists;
}

std::string path_join(std::string_view parent, std::string_view key) {
    if (parent.empty()) return std::string(key);
    return fmt::format("{}.{}", parent, key);
}

std::string path_item(std::string_view list_path, std::string_view label) {
    return fmt::format("{}[{}]", list_path, printable(label));
}

std::string item_label(const Doc& item, std::string_view list_key, std::size_t index) {
    const Doc* key = item.find(merge_key_for(list_key));
    if (key && key->is_scalar() && !key->scalar.empty()) return key->scalar;
    return std::to_string(index);
}

namespace {

/// Decodes the UTF-8 sequence at `i`: its code point and length, or length 0 if invalid.
std::pair<unsigned, std::size_t> decode_utf8(std::string_view text, std::size_t i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) return {lead, 1};
    // Sequence length from the lead byte; overlong forms, surrogates and values beyond
    // U+10FFFF are invalid.
    const std::size_t extra = (lead & 0xE0) == 0xC0   ? 1
                              : (lead & 0xF0) == 0xE0 ? 2
                              : (lead & 0xF8) == 0xF0 ? 3
                                                      : 0;
    if (extra == 0 || i + extra >= text.size()) return {0, 0};
    static constexpr unsigned kMinCode[] = {0, 0x80, 0x800, 0x10000};
    unsigned code = lead & (0x7Fu >> (extra + 1));
    for (std::size_t k = 1; k <= extra; ++k) {
        const auto cont = static_cast<unsigned char>(text[i + k]);
        if ((cont & 0xC0) != 0x80) return {0, 0};
        code = (code << 6) | (cont & 0x3Fu);
    }
    if (code < kMinCode[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        return {0, 0};
    return {code, extra + 1};
}

bool needs_escape(unsigned code) {
    return code < 0x20 || code == 0x7F || (code >= 0x80 && code <= 0x9F) ||
           (code >= 0x200B && code <= 0x200F) || (code >= 0x202A && code <= 0x202E) ||
           (code >= 0x2060 && code <= 0x2069) || code == 0xFEFF;
}

}  // namespace

std::size_t invalid_utf8_offset(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = decode_utf8(text, i).second;
        if (length == 0) return i;
        i += length;
    }
    return std::string_view::npos;
}

bool is_valid_utf8(std::string_view text) {
    return invalid_utf8_offset(text) == std::string_view::npos;
}

std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto [code, length] = decode_utf8(text, i);
        if (length == 0) {
            out += fmt::format("\\x{:02X}", static_cast<unsigned char>(text[i]));
            ++i;
            continue;
        }
        if (!needs_escape(code)) {
            out += text.substr(i, length);
        } else if (code == '\n') {
            out += "\\n";
        } else if (code == '\t') {
            out += "\\t";
        } else if (code == '\r') {
            out += "\\r";
        } else if (code < 0x80) {
            out += fmt::format("\\x{:02X}", code);
        } else {
            out += fmt::format("\\u{{{:04X}}}", code);
        }
        i += length;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Parsing: yaml-cpp nodes -> Doc

namespace {

SourceLoc loc_of(const std::string& file, const YAML::Mark& mark) {
    if (mark.is_null()) return SourceLoc{file, 0, 0};
    return SourceLoc{file, mark.line + 1, mark.column + 1};
}

std::string yaml_item_label(const YAML::Node& item, std::string_view list_key, std::size_t index) {
    if (item.IsMap()) {
        const YAML::Node key = item[std::string(merge_key_for(list_key))];
        if (key && key.IsScalar() && !key.Scalar().empty()) return key.Scalar();
    }
    return std::to_string(index);
}

/// Converts a yaml-cpp tree, reporting what yaml-cpp accepts but a scenario must not contain.
class Converter {
  public:
    Converter(const std::string& file, std::size_t value_budget, Diagnostics& diags)
        : file_(file), value_budget_(value_budget), diags_(diags) {}

    Doc convert(const YAML::Node& node, const std::string& path, std::string_view key, int depth) {
        const SourceLoc loc = loc_of(file_, node.Mark());
        if (depth > kMaxNesting || ++values_ > value_budget_) {
            // The path of a node nested this deep is mostly "[0][0]...": keep its start.
            constexpr std::size_t kShown = 60;
            if (!too_big_)
                diags_.error(
                    loc, path.size() > kShown ? path.substr(0, kShown) + "..." : path,
                    depth > kMaxNesting
                        ? fmt::format("maps and lists are nested more than {} levels deep",
                                      kMaxNesting)
                        : fmt::format("more than {} values after expanding YAML aliases (an "
                                      "alias bomb?): an alias *name repeats all that its anchor "
                                      "&name holds",
                                      value_budget_));
            too_big_ = true;
            return Doc::make_null(loc);
        }
        switch (node.Type()) {
            case YAML::NodeType::Scalar: {
                if (node.Scalar().size() > kMaxScalarBytes) {
                    diags_.error(loc, path,
                                 fmt::format("a single value of {} bytes is too long (at most {} "
                                             "bytes)",
                                             node.Scalar().size(), kMaxScalarBytes));
                    too_big_ = true;
                    return Doc::make_null(loc);
                }
                if (!is_valid_utf8(node.Scalar()))
                    diags_.error(loc, path, "text is not valid UTF-8");
                return Doc::make_scalar(node.Scalar(), loc);
            }
            case YAML::NodeType::Sequence: {
                Doc out = Doc::make_sequence(loc);
                std::size_t i = 0;
                for (const YAML::Node& item : node) {
                    const std::string item_path = path_item(path, yaml_item_label(item, key, i));
                    out.items.push_back(convert(item, item_path, "", depth + 1));
                    ++i;
                }
                return out;
            }
            case YAML::NodeType::Map:
                return convert_map(node, loc, path, depth);
            case YAML::NodeType::Null:
            case YAML::NodeType::Undefined:
                break;
        }
        return Doc::make_null(loc);
    }

    bool gave_up() const { return too_big_; }

  private:
    Doc convert_map(const YAML::Node& node, const SourceLoc& loc, const std::string& path,
                    int depth) {
        Doc out = Doc::make_map(loc);
        for (auto it = node.begin(); it != node.end(); ++it) {
            // Copies: the iterator's pair is a temporary.
            const YAML::Node key = it->first;
            const YAML::Node value = it->second;
            const SourceLoc key_loc = loc_of(file_, key.Mark());
            if (!key.IsScalar()) {
                const DocKind kind = key.IsMap()        ? DocKind::map
                                     : key.IsSequence() ? DocKind::sequence
                                                        : DocKind::null;
                diags_.error(key_loc, path,
                             fmt::format("a key must be a single value, found {}", describe(kind)));
                continue;
            }
            const std::string& name = key.Scalar();
            if (!is_valid_utf8(name)) diags_.error(key_loc, path, "key is not valid UTF-8");
            if (const DocEntry* first = out.find_entry(name)) {
                diags_.error(key_loc, path,
                             fmt::format("duplicate key '{}' (first at line {})", name,
                                         first->key_loc.line));
                continue;
            }
            Doc converted = convert(value, path_join(path, name), name, depth + 1);
            // yaml-cpp marks an empty value (`key:` then a newline) at the next token; the key is
            // the better place to point at.
            if (converted.is_null() && converted.loc.line != key_loc.line) converted.loc = key_loc;
            out.entries.push_back(DocEntry{name, key_loc, std::move(converted)});
        }
        return out;
    }

    const std::string& file_;
    std::size_t value_budget_;
    Diagnostics& diags_;
    std::size_t values_ = 0;
    bool too_big_ = false;
};

}  // namespace

namespace {

/// Line and column (in characters) of byte `offset`, 1-based.
SourceLoc loc_of_offset(const std::string& file, std::string_view text, std::size_t offset) {
    int line = 1;
    int column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++line;
            column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++column;
        }
    }
    return SourceLoc{file, line, column};
}

/// The encoding a byte-order mark announces, other than UTF-8, or nullptr.
const char* foreign_bom(std::string_view text) {
    const auto starts = [&](std::string_view bom) { return text.substr(0, bom.size()) == bom; };
    using namespace std::string_view_literals;
    if (starts("\x00\x00\xFE\xFF"sv)) return "UTF-32BE";
    if (starts("\xFF\xFE\x00\x00"sv)) return "UTF-32LE";
    if (starts("\xFE\xFF"sv)) return "UTF-16BE";
    if (starts("\xFF\xFE"sv)) return "UTF-16LE";
    return nullptr;
}

/// Reports text that is not UTF-8 or too large to be a scenario; false if it must not be
/// parsed. A UTF-8 byte-order mark is removed from `text`.
bool check_text(std::string_view& text, const std::string& file, Diagnostics& diags) {
    if (text.size() > kMaxFileBytes) {
        diags.error(SourceLoc{file, 1, 1}, "",
                    fmt::format("the text has {} bytes, more than the {} MiB a scenario may have",
                                text.size(), kMaxFileBytes >> 20));
        return false;
    }
    if (const char* encoding = foreign_bom(text)) {
        diags.error(SourceLoc{file, 1, 1}, "",
                    fmt::format("the file is encoded in {} (by its byte-order mark): a "
                                "scenario must be UTF-8; convert it, e.g. with iconv -f {} -t "
                                "UTF-8",
                                encoding, encoding));
        return false;
    }
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte-order mark
    const std::size_t nul = text.find('\0');
    const std::size_t bad = invalid_utf8_offset(text);
    if (nul != std::string_view::npos && nul <= bad) {
        diags.error(loc_of_offset(file, text, nul), "",
                    "a NUL byte: a scenario must be UTF-8 text (is this a binary file, or "
                    "UTF-16/UTF-32 without a byte-order mark?)");
        return false;
    }
    if (bad != std::string_view::npos) {
        diags.error(loc_of_offset(file, text, bad), "",
                    fmt::format("invalid UTF-8 (byte 0x{:02X}): a scenario must be UTF-8 text",
                                static_cast<unsigned char>(text[bad])));
        return false;
    }
    return true;
}

}  // namespace

std::optional<Doc> parse_yaml(std::string_view text, const std::string& file, Diagnostics& diags) {
    if (!check_text(text, file, diags)) return std::nullopt;
    YAML::Node root;
    // A second document ('---' starting a line after content) is an error. Found by scanning
    // the text: yaml-cpp's LoadAll loops for ever on some malformed inputs (found by fuzzing).
    {
        bool content = false;
        int separators = 0, line = 1, first_line = 0;
        for (std::size_t pos = 0; pos < text.size();) {
            const std::size_t end = std::min(text.find('\n', pos), text.size());
            const std::string_view l = text.substr(pos, end - pos);
            const bool separator = l.starts_with("---") &&
                                   (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r');
            if (separator && content) {
                if (separators++ == 0) first_line = line;
            } else if (!l.empty() && l[0] != '#' && l[0] != '%' && l[0] != '\r' && !separator &&
                       l.find_first_not_of(" \t") != std::string_view::npos &&
                       l[l.find_first_not_of(" \t")] != '#') {
                content = true;
            }
            pos = end + 1;
            ++line;
        }
        if (separators > 0) {
            diags.error(SourceLoc{file, first_line, 1}, "",
                        fmt::format("the file holds {} YAML documents (separated by '---'): a "
                                    "scenario is one document",
                                    separators + 1));
            return std::nullopt;
        }
    }
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::DeepRecursion& e) {
        diags.error(loc_of(file, e.mark), "",
                    fmt::format("maps and lists are nested more than {} levels deep", kMaxNesting));
        return std::nullopt;
    } catch (const YAML::Exception& e) {
        diags.error(loc_of(file, e.mark), "", fmt::format("invalid YAML: {}", e.msg));
        return std::nullopt;
    }
    Converter converter(file, std::min(kBaseValueBudget + text.size() / 2, kMaxValues), diags);
    Doc doc = converter.convert(root, "", "", 0);
    // Too large or too deep: what was converted is a fragment; checking it would only report
    // consequences.
    if (converter.gave_up()) return std::nullopt;
    if (doc.is_null() && doc.loc.line == 0) doc.loc = SourceLoc{file, 1, 1};
    return doc;
}

Doc parse_yaml(std::string_view text, const std::string& file) {
    Diagnostics diags;
    std::optional<Doc> doc = parse_yaml(text, file, diags);
    diags.throw_if_errors();
    return std::move(*doc);
}

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
                base.entries.push_back(e);
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

std::string join(const std::vector<std::string>& words, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0) out += sep;
        out += words[i];
    }
    return out;
}

/// Reads a whole file; on failure returns nullopt and says why.
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
        const std::string display = (fs::path(child).parent_path() / fs::path(extends_value.scalar))
                                        .lexically_normal()
                                        .generic_string();
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
        const std::vector<std::string>& lists = removable_lists();
        if (remove.is_sequence()) {
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
                        fmt::format(
                            "'{}' names items in several lists ({}): use the map form, e.g. "
                            "remove: {{{}: [{}]}}",
                            item.scalar, join(found_in, ", "), found_in.front(), item.scalar));
                } else {
                    remove_items(base, found_in.front(), item.scalar);
                }
            }
            return;
        }
        if (remove.is_map()) {
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
                        diags_.error(
                            item.loc, path,
                            fmt::format(
                                "cannot remove '{}': no inherited item of '{}' has this {}{}",
                                item.scalar, e.key, merge_key_for(e.key),
                                did_you_mean(item.scalar, ids)));
                    }
                }
            }
            return;
        }
        diags_.error(remove.loc, "remove",
                     fmt::format("expected a list of ids or a map of lists of ids, found {}",
                                 describe(remove.kind)));
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

// ---------------------------------------------------------------------------------------------
// --set overrides

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

bool apply_override(Doc& root, std::string_view text, int index, Diagnostics& diags) {
    auto at = [&](std::size_t offset) {
        return SourceLoc{"--set", index, static_cast<int>(offset) + 1};
    };
    // The path ends at the first '=' outside double quotes. A key in double quotes is taken
    // as written, '.' and '=' included (\" and \\ inside quotes stand for " and \): that is how
    // an id containing '=' is addressed, e.g. --set 'buyers."a=b".demand=5'.
    std::vector<Segment> segments;
    std::size_t eq = std::string_view::npos;
    {
        Segment seg;
        bool quoted = false;
        bool was_quoted = false;
        std::size_t i = 0;
        for (; i < text.size(); ++i) {
            const char c = text[i];
            if (quoted) {
                if (c == '\\' && i + 1 < text.size()) {
                    seg.text += text[++i];
                } else if (c == '"') {
                    quoted = false;
                } else {
                    seg.text += c;
                }
                continue;
            }
            if (c == '=' || c == '.') {
                if (seg.text.empty() && !was_quoted && !(c == '=' && segments.empty() && i == 0)) {
                    diags.error(
                        at(seg.offset), "",
                        fmt::format("malformed override '{}': empty key in path '{}'",
                                    printable(text), printable(text.substr(0, text.find('=', i)))));
                    return false;
                }
                segments.push_back(std::move(seg));
                seg = Segment{"", i + 1};
                was_quoted = false;
                if (c == '=') {
                    eq = i;
                    break;
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
            diags.error(
                at(seg.offset), "",
                fmt::format("malformed override '{}': unclosed '\"' in the path", printable(text)));
            return false;
        }
    }
    if (eq == std::string_view::npos) {
        diags.error(at(0), "",
                    fmt::format("malformed override '{}': expected PATH=VALUE", printable(text)));
        return false;
    }
    const std::string_view path_text = text.substr(0, eq);
    if (path_text.empty()) {
        diags.error(at(0), "",
                    fmt::format("malformed override '{}': the path before '=' is empty", text));
        return false;
    }
    if (segments.front().text == "extends" || segments.front().text == "remove") {
        diags.error(at(0), "", fmt::format("'{}' cannot be set with --set", segments.front().text));
        return false;
    }

    const std::size_t value_offset = eq + 1;
    Diagnostics value_diags;
    std::optional<Doc> value = parse_yaml(text.substr(value_offset), "--set", value_diags);
    for (Diagnostic d : value_diags.items()) {
        if (d.loc.line == 1) d.loc.column += static_cast<int>(value_offset);
        d.loc.line = index;
        d.path = std::string(path_text);
        diags.add(std::move(d));
    }
    if (!value || value_diags.has_errors()) return false;
    relocate(*value, index, value_offset);
    if (value->is_null()) value->loc = at(value_offset);

    Doc* node = &root;
    std::string path;           // scenario path of `node`, for messages
    std::string_view list_key;  // the key under which `node` sits
    std::size_t i = 0;
    const std::size_t n = segments.size();
    while (true) {
        const Segment& seg = segments[i];
        if (node->is_null()) *node = Doc::make_map(at(seg.offset));
        if (node->is_map()) {
            // Ids may contain dots: prefer the longest run of segments that names a key.
            std::size_t end = n;
            DocEntry* entry = nullptr;
            for (; end > i && !entry; --end) {
                const std::string key = joined(segments, i, end);
                for (DocEntry& e : node->entries)
                    if (e.key == key) entry = &e;
                if (entry) break;
            }
            if (!entry) {
                const std::string key(seg.text);
                if (i + 1 == n) {
                    node->set(key, std::move(*value), at(seg.offset));
                    return true;
                }
                node = &node->set(key, Doc::make_map(at(seg.offset)), at(seg.offset));
                path = path_join(path, key);
                list_key = seg.text;
                ++i;
                continue;
            }
            path = path_join(path, entry->key);
            if (end == n) {
                entry->value = std::move(*value);
                return true;
            }
            node = &entry->value;
            list_key = entry->key;
            i = end;
            continue;
        }
        if (node->is_sequence()) {
            const std::string_view merge_key = merge_key_for(list_key);
            std::vector<std::string> keys;
            for (const Doc& item : node->items) {
                const Doc* k = item.find(merge_key);
                if (k && k->is_scalar()) keys.push_back(k->scalar);
            }
            Doc* item = nullptr;
            std::size_t end = n;
            if (keys.empty()) {
                // A plain list: items by 0-based index.
                std::size_t pos = 0;
                const bool numeric =
                    !seg.text.empty() && std::all_of(seg.text.begin(), seg.text.end(),
                                                     [](char c) { return c >= '0' && c <= '9'; });
                // An index too large for size_t is out of range like any other (no throw).
                if (numeric &&
                    std::from_chars(seg.text.data(), seg.text.data() + seg.text.size(), pos).ec !=
                        std::errc())
                    pos = node->items.size();
                if (!numeric || pos >= node->items.size()) {
                    diags.error(
                        at(seg.offset), path,
                        fmt::format("no item '{}' in this list: expected an index from 0 to {}",
                                    seg.text,
                                    node->items.size() == 0 ? 0 : node->items.size() - 1));
                    return false;
                }
                item = &node->items[pos];
                end = i + 1;
            } else {
                for (; end > i && !item; --end) {
                    const std::string key = joined(segments, i, end);
                    for (Doc& candidate : node->items) {
                        const Doc* k = candidate.find(merge_key);
                        if (k && k->is_scalar() && k->scalar == key) item = &candidate;
                    }
                    if (item) break;
                }
                if (!item) {
                    diags.error(at(seg.offset), path,
                                fmt::format("no item with {} '{}' in '{}'{}", merge_key, seg.text,
                                            list_key, did_you_mean(seg.text, keys)));
                    return false;
                }
            }
            path = path_item(path, joined(segments, i, end));
            if (end == n) {
                *item = std::move(*value);
                return true;
            }
            node = item;
            list_key = "";
            i = end;
            continue;
        }
        diags.error(at(seg.offset), path,
                    fmt::format("cannot set '{}' inside '{}': it is a single value, not a map",
                                seg.text, path));
        return false;
    }
}

// ---------------------------------------------------------------------------------------------
// Emitting

namespace {

// A block-style YAML writer for the Doc tree (yaml-cpp's Emitter tests every scalar against
// regular expressions and took longer than parsing on large scenarios: 2.2 s against 1.7 s on
// the 8 MB benchmark world L). Scalars are written plain when they are made only of letters,
// digits, `_ . / + - ( )` and inner `, ; :` or spaces (`:` not before a space) and are not a
// word YAML reads as null; otherwise double-quoted with escapes. Reading the
// text back gives the same tree (tests/unit/io: round trip).
bool plain_safe(std::string_view t) {
    if (t.empty() || t.front() == ' ' || t.back() == ' ') return false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const char c = t[i];
        const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/' || c == '+' ||
                          c == '-' || c == '(' || c == ')';
        // Inside a block scalar also `,` `;` spaces, and `:` not followed by a space or the end.
        const bool inner = i > 0 && (c == ',' || c == ';' || c == ' ' || c == '%' ||
                                     (c == ':' && i + 1 < t.size() && t[i + 1] != ' '));
        if (!word && !inner) return false;
    }
    if (t == "-" || t.starts_with("- ") || t.starts_with("---") || t.starts_with("..."))
        return false;  // a sequence entry or a document marker
    // Words YAML reads as null (booleans stay plain, as written in scenarios).
    return t != "null" && t != "Null" && t != "NULL";
}

void emit_scalar(std::string& out, std::string_view t) {
    if (plain_safe(t)) {
        out.append(t);
        return;
    }
    out.push_back('"');
    for (const char ch : t) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
            case '"':
                out.append("\\\"");
                break;
            case '\\':
                out.append("\\\\");
                break;
            case '\n':
                out.append("\\n");
                break;
            case '\t':
                out.append("\\t");
                break;
            case '\r':
                out.append("\\r");
                break;
            default:
                if (c < 0x20 || c == 0x7f)
                    fmt::format_to(std::back_inserter(out), "\\x{:02x}", c);
                else
                    out.push_back(ch);
        }
    }
    out.push_back('"');
}

void emit_inline(std::string& out, const Doc& d) {
    switch (d.kind) {
        case DocKind::null:
            out.append("~");
            break;
        case DocKind::scalar:
            emit_scalar(out, d.scalar);
            break;
        case DocKind::map:
            out.append("{}");
            break;
        case DocKind::sequence:
            out.append("[]");
            break;
    }
}

void emit_block(std::string& out, const Doc& d, int indent);

// Writes the value after "key:" or "- ": inline for scalars and empty collections, else a
// nested block on the next lines.
void emit_value(std::string& out, const Doc& v, int indent) {
    if (v.kind == DocKind::map && !v.entries.empty()) {
        out.push_back('\n');
        emit_block(out, v, indent + 2);
    } else if (v.kind == DocKind::sequence && !v.items.empty()) {
        out.push_back('\n');
        emit_block(out, v, indent + 2);
    } else {
        out.push_back(' ');
        emit_inline(out, v);
        out.push_back('\n');
    }
}

void emit_block(std::string& out, const Doc& d, int indent) {
    const std::string pad(static_cast<std::size_t>(indent), ' ');
    if (d.kind == DocKind::map) {
        for (const DocEntry& e : d.entries) {
            out.append(pad);
            emit_scalar(out, e.key);
            out.push_back(':');
            emit_value(out, e.value, indent);
        }
    } else if (d.kind == DocKind::sequence) {
        for (const Doc& item : d.items) {
            out.append(pad);
            out.push_back('-');
            if (item.kind == DocKind::map && !item.entries.empty()) {
                // "- key: value" with the item's other keys aligned under the first.
                std::string nested;
                emit_block(nested, item, indent + 2);
                out.push_back(' ');
                out.append(std::string_view(nested).substr(static_cast<std::size_t>(indent) + 2));
            } else if (item.kind == DocKind::sequence && !item.items.empty()) {
                out.push_back('\n');
                emit_block(out, item, indent + 2);
            } else {
                out.push_back(' ');
                emit_inline(out, item);
                out.push_back('\n');
            }
        }
    } else {
        out.append(pad);
        emit_inline(out, d);
        out.push_back('\n');
    }
}

}  // namespace

std::string emit_yaml(const Doc& doc) {
    std::string text;
    text.reserve(1 << 16);
    emit_block(text, doc, 0);
    return text;
}

}  // namespace ts::io
