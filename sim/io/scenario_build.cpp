// The scenario builder's entry point and what every part of the schema shares: the id tables,
// ids (syntax and duplicates), references to ids with did-you-mean, lists and sections.
#include <algorithm>

#include <fmt/format.h>

#include "io/scenario_build.hpp"
#include "io/scenario_schema.hpp"

namespace ts::io::detail {

using model::Index;
using model::kNone;

namespace {

bool is_country_code(std::string_view s) {
    return s.size() == 3 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

/// The code points of valid UTF-8 text.
std::vector<unsigned> code_points(std::string_view s) {
    std::vector<unsigned> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto lead = static_cast<unsigned char>(s[i]);
        const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        unsigned code = length == 1 ? lead : lead & (0x7Fu >> length);
        for (std::size_t k = 1; k < length && i + k < s.size(); ++k)
            code = (code << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
        out.push_back(code);
        i += length;
    }
    return out;
}

bool is_white_space(unsigned c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

/// Why `id` (valid UTF-8, not empty) cannot be an id, or nullopt. The rules (docs/reliability.md,
/// "Bad input"): commas, quotes, inner spaces, newlines and a leading = + - @ are fine (the CSV
/// writer quotes or neutralises them); control characters other than newline, bidirectional
/// controls, zero-width characters and leading or trailing white space are not.
std::optional<std::string> id_problem(std::string_view id) {
    const std::vector<unsigned> codes = code_points(id);
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const unsigned c = codes[i];
        const char* what = nullptr;
        if ((c < 0x20 && c != '\n') || c == 0x7F || (c >= 0x80 && c <= 0x9F))
            what = "control characters (other than a newline)";
        else if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
            what = "bidirectional text controls";
        else if ((c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF)
            what = "zero-width characters";
        if (what)
            return fmt::format("an id must not contain {}: U+{:04X} at character {} of '{}'", what,
                               c, i + 1, printable(id));
    }
    if (is_white_space(codes.front()) || is_white_space(codes.back()))
        return fmt::format("an id must not begin or end with white space, got '{}'", printable(id));
    return std::nullopt;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// IdTable

Index IdTable::find(std::string_view id) const {
    const auto it = index.find(id);
    return it == index.end() ? kNone : it->second;
}

void IdTable::add(const std::string& id, Index i, const SourceLoc& loc) {
    if (index.contains(id)) return;
    index.emplace(id, i);
    first_loc.emplace(id, loc);
    ids.push_back(id);
}

// ---------------------------------------------------------------------------------------------
// Builder: entry point and shared helpers

ScenarioBuilder::ScenarioBuilder(Diagnostics& diags, model::Scenario& out)
    : f_(diags),
      s_(out),
      countries_{"country", "a country code", false, {}, {}, {}},
      products_{"product", "a product id", false, {}, {}, {}},
      suppliers_{"supplier", "a supplier id", false, {}, {}, {}},
      buyers_{"buyer", "a buyer id", false, {}, {}, {}},
      policies_{"policy", "a policy id", false, {}, {}, {}},
      reactions_{"reaction", "a reaction id", false, {}, {}, {}} {}

void ScenarioBuilder::build(const Doc& root) {
    if (!f_.expect_map(root, "", "a map of scenario keys")) return;
    const MapReader top(f_, root, "", schema::kTopKeys);
    read_header(top);
    read_time(top);
    collect_ids(root);
    read_countries(top);
    const std::size_t errors_before_offers = f_.error_count();
    read_products(top);
    read_suppliers(top);
    resolve_purchases();
    offers_reliable_ = f_.error_count() == errors_before_offers;
    read_buyers(top);
    read_routes(top);
    read_transport(top);
    read_policies(top);
    read_reactions(top);
    if (f_.error_count() == 0) warn_unreachable_policies();
}

std::string ScenarioBuilder::where(const SourceLoc& loc, const SourceLoc& here) {
    if (loc.file == here.file) return fmt::format("line {}", loc.line);
    return fmt::format("{}:{}", loc.file, loc.line);
}

void ScenarioBuilder::collect_ids(const Doc& root) {
    // A missing optional list (policies, reactions) has no ids: a reference to one is unknown.
    // A missing required list, or one that is not a list, is reported where it is read, and
    // references into it are not reported again.
    const auto collect = [&](std::string_view list, IdTable& table, bool optional = false) {
        const Doc* items = root.find(list);
        if (!items) table.usable = optional;
        if (!items || !items->is_sequence()) return;
        table.usable = true;
        const std::string_view key = merge_key_for(list);
        for (std::size_t i = 0; i < items->items.size(); ++i) {
            const Doc* id = items->items[i].find(key);
            if (id && id->is_scalar() && !id->scalar.empty())
                table.add(id->scalar, static_cast<Index>(i), id->loc);
        }
    };
    collect("countries", countries_);
    collect("products", products_);
    collect("suppliers", suppliers_);
    collect("buyers", buyers_);
    collect("policies", policies_, true);
    collect("reactions", reactions_, true);
}

std::optional<std::string> ScenarioBuilder::read_id(const MapReader& m, std::string_view key,
                                                    const IdTable& table, std::size_t index,
                                                    bool country_code) {
    const Doc* node = m.required(key);
    if (!node) return std::nullopt;
    const std::string path = m.path(key);
    std::optional<std::string> id = f_.text(*node, path, table.what);
    if (!id) return std::nullopt;
    if (country_code) {
        if (!is_country_code(*id)) {
            f_.error(node->loc, path,
                     fmt::format("a country code is 3 uppercase letters (ISO 3166-1 alpha-3, or "
                                 "XAA to XZZ), got '{}'",
                                 *id));
        }
    } else if (id->empty()) {
        f_.error(node->loc, path, "an id must not be empty");
        return std::nullopt;
    } else if (!is_valid_utf8(*id)) {
        f_.error(node->loc, path, "an id must be valid UTF-8");
    } else if (std::optional<std::string> problem = id_problem(*id)) {
        f_.error(node->loc, path, std::move(*problem));
    }
    const Index first = table.find(*id);
    if (first != kNone && as_size(first) != index) {
        f_.error(node->loc, path,
                 fmt::format("duplicate {} '{}' (first defined at {})", table.noun, printable(*id),
                             where(table.first_loc.find(*id)->second, node->loc)));
    }
    return id;
}

Index ScenarioBuilder::ref(const Doc& node, const std::string& path, const IdTable& table) {
    const std::optional<std::string> id = f_.text(node, path, table.what);
    if (!id) return kNone;
    const Index i = table.find(*id);
    if (i == kNone && table.usable)
        f_.error(node.loc, path,
                 fmt::format("unknown {} '{}'{}", table.noun, printable(*id),
                             did_you_mean(*id, table.ids)));
    return i;
}

Index ScenarioBuilder::ref(const MapReader& m, std::string_view key, const IdTable& table,
                           bool required) {
    const Doc* node = required ? m.required(key) : m.get(key);
    return node ? ref(*node, m.path(key), table) : kNone;
}

std::vector<Index> ScenarioBuilder::ref_list(const Doc& node, const std::string& path,
                                             const IdTable& table) {
    std::vector<Index> out;
    if (!f_.expect_sequence(node, path, fmt::format("a list of {} ids", table.noun))) return out;
    if (node.items.empty())
        f_.error(node.loc, path, fmt::format("expected at least one {} id", table.noun));
    for (std::size_t i = 0; i < node.items.size(); ++i) {
        const Index r = ref(node.items[i], path_item(path, std::to_string(i)), table);
        if (r != kNone) out.push_back(r);
    }
    return out;
}

std::optional<std::vector<std::string>> ScenarioBuilder::text_list(const Doc& node,
                                                                   const std::string& path,
                                                                   std::string_view what) {
    if (!f_.expect_sequence(node, path, fmt::format("a list of {}", what))) return std::nullopt;
    std::vector<std::string> out;
    bool ok = true;
    for (std::size_t i = 0; i < node.items.size(); ++i) {
        const std::string item_path = path_item(path, std::to_string(i));
        std::optional<std::string> text = f_.text(node.items[i], item_path);
        if (text && text->empty()) {
            f_.error(node.items[i].loc, item_path, "expected a non-empty string");
            text.reset();
        }
        if (text)
            out.push_back(std::move(*text));
        else
            ok = false;
    }
    if (!ok) return std::nullopt;
    return out;
}

const Doc* ScenarioBuilder::section(const MapReader& top, std::string_view key, bool required,
                                    std::string_view what) {
    const Doc* list = required ? top.required(key) : top.get(key);
    if (!list) return nullptr;
    const std::string path(key);
    if (!f_.expect_sequence(*list, path, fmt::format("a list of {}", what))) return nullptr;
    if (required && list->items.empty())
        f_.error(list->loc, path,
                 fmt::format("expected at least one item in the list of {}", what));
    return list;
}

}  // namespace ts::io::detail
