// Writing a Doc back as block-style YAML (scenario.resolved.yaml).
#include <iterator>
#include <string_view>

#include <fmt/format.h>

#include "io/doc.hpp"

namespace ts::io {

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
