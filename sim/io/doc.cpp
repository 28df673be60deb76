// The located document tree: nodes, map access, scenario paths in messages, and the UTF-8
// checks and escapes every message uses. Parsing is in doc_parse.cpp, `extends`/`remove` in
// doc_load.cpp, `--set` in doc_override.cpp, writing YAML back in doc_emit.cpp.
#include "io/doc.hpp"

#include "core/date.hpp"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace ts::io {

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
    // A new point of a dated schedule goes before the first later date, so that points added
    // by `extends` or `--set PATH.2024-03=5` keep the increasing order the reader requires.
    auto at = entries.end();
    if (const std::optional<Date> date = parse_date(key))
        at = std::find_if(entries.begin(), entries.end(), [&](const DocEntry& e) {
            const std::optional<Date> d = parse_date(e.key);
            return d && *date < *d;
        });
    return entries.insert(at, DocEntry{std::move(key), std::move(key_loc), std::move(value)})
        ->value;
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

std::string join(const std::vector<std::string>& words, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0) out += sep;
        out += words[i];
    }
    return out;
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
}  // namespace ts::io
