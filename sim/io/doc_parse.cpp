// Parsing: YAML text -> Doc. The text is checked before yaml-cpp sees it (size, encoding, NUL
// bytes, several documents), and what yaml-cpp accepts but a scenario must not hold (non-scalar
// and duplicate keys, invalid UTF-8, alias bombs, deep nesting) is reported while converting.
#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "io/doc.hpp"

namespace ts::io {

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

/// The column (1-based) of a TAB in the leading whitespace of line `line` (1-based), if any.
std::optional<int> indent_tab_on(std::string_view text, int line) {
    std::size_t start = 0;
    for (int l = 1; l < line; ++l) {
        start = text.find('\n', start);
        if (start == std::string_view::npos) return std::nullopt;
        ++start;
    }
    for (std::size_t k = start; k < text.size() && (text[k] == ' ' || text[k] == '\t'); ++k)
        if (text[k] == '\t') return static_cast<int>(k - start) + 1;
    return std::nullopt;
}

/// How many YAML documents the text holds ('---' starting a line after content begins a new
/// one; a scenario is one), and the line of the second one's '---'. Found by scanning the text:
/// yaml-cpp's LoadAll loops for ever on some malformed inputs (found by fuzzing).
std::pair<int, int> count_documents(std::string_view text) {
    bool content = false;
    int separators = 0, line = 1, first_line = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view l = text.substr(pos, end - pos);
        const bool separator =
            l.starts_with("---") && (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r');
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
    return {separators + 1, first_line};
}

}  // namespace

std::optional<Doc> parse_yaml(std::string_view text, const std::string& file, Diagnostics& diags) {
    if (!check_text(text, file, diags)) return std::nullopt;
    YAML::Node root;
    if (const auto [documents, line] = count_documents(text); documents > 1) {
        diags.error(SourceLoc{file, line, 1}, "",
                    fmt::format("the file holds {} YAML documents (separated by '---'): a "
                                "scenario is one document",
                                documents));
        return std::nullopt;
    }
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::DeepRecursion& e) {
        diags.error(loc_of(file, e.mark), "",
                    fmt::format("maps and lists are nested more than {} levels deep", kMaxNesting));
        return std::nullopt;
    } catch (const YAML::Exception& e) {
        // A TAB in the indentation of the line the parser stopped at is the common cause, and
        // its own message ("illegal block entry", "bad indentation") does not say so.
        const SourceLoc loc = loc_of(file, e.mark);
        if (const auto column = indent_tab_on(text, loc.line)) {
            diags.error(SourceLoc{file, loc.line, *column}, "",
                        "invalid YAML: tabs are not allowed for indentation; indent with spaces");
            return std::nullopt;
        }
        diags.error(loc, "", fmt::format("invalid YAML: {}", e.msg));
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
}  // namespace ts::io
