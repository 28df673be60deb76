#include "io/variant_changes.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "io/compare_report.hpp"
#include "io/doc.hpp"
#include "io/doc_diff.hpp"

namespace ts::io {

namespace {

/// The first line of `node` and everything under it that comes from `file` (0: none does):
/// an item merged onto an inherited one keeps the inherited item's place, its values their own.
int first_line_in(const Doc& node, const std::string& file) {
    int best = node.loc.file == file ? node.loc.line : 0;
    const auto take = [&](int line) {
        if (line > 0 && (best == 0 || line < best)) best = line;
    };
    for (const auto& item : node.items) take(first_line_in(item, file));
    for (const auto& e : node.entries) {
        if (e.key_loc.file == file) take(e.key_loc.line);
        take(first_line_in(e.value, file));
    }
    return best;
}

/// The line of the `remove` entry naming `label` of `list` in the variant's own text.
int remove_line(const Doc& own, const std::string& list, const std::string& label) {
    const Doc* remove = own.find("remove");
    if (!remove) return 0;
    const Doc* ids = remove->is_map() ? remove->find(list) : remove;
    if (!ids) return 0;
    for (const auto& id : ids->items)
        if (id.is_scalar() && id.scalar == label) return id.loc.line;
    return 0;
}

VariantChange place(const Difference& d, const Doc& base, const Doc& variant, const Doc& own,
                    const std::string& file) {
    VariantChange c;
    c.name = d.name();
    if (const Doc* was = find_path(base, d.path)) c.base = was->loc;
    switch (d.kind) {
        case Difference::Kind::added:
            c.kind = VariantChange::Kind::adds;
            if (!d.path.back().item()) c.change = d.after;
            break;
        case Difference::Kind::changed:
            c.kind = VariantChange::Kind::overrides;
            c.change = d.change;
            break;
        case Difference::Kind::removed:
            c.kind = VariantChange::Kind::removes;
            break;
    }
    if (d.kind != Difference::Kind::removed) {
        if (const Doc* now = find_path(variant, d.path)) c.line = first_line_in(*now, file);
        return c;
    }
    const PathStep& last = d.path.back();
    if (d.path.size() == 1 && last.item()) c.line = remove_line(own, last.key, last.label);
    if (c.line == 0 && last.item()) {  // the list replaced by an empty one: its line
        auto list = d.path;
        list.back().label.clear();
        if (const Doc* l = find_path(variant, list)) c.line = first_line_in(*l, file);
    }
    return c;
}

}  // namespace

std::optional<VariantChanges> variant_changes(const std::string& path) {
    std::string why;
    const auto text = read_text_file(path, why);
    if (!text) return std::nullopt;
    Diagnostics diags;
    const auto own = parse_yaml(*text, path, diags);
    if (!own || !own->is_map()) return std::nullopt;
    const Doc* extends = own->find("extends");
    if (!extends || !extends->is_scalar()) return std::nullopt;
    VariantChanges out;
    out.file = path;
    out.base_file = extends_path(path, extends->scalar);
    const auto base = load_doc(out.base_file, diags);
    const auto variant = load_doc(path, diags);
    if (!base || !variant || diags.has_errors()) return std::nullopt;
    for (const auto& d : differences(*base, *variant))
        out.changes.push_back(place(d, *base, *variant, *own, path));
    const auto key = [](const VariantChange& c) {
        return c.line ? c.line : std::numeric_limits<int>::max();
    };
    std::stable_sort(
        out.changes.begin(), out.changes.end(),
        [&](const VariantChange& a, const VariantChange& b) { return key(a) < key(b); });
    return out;
}

std::string render_variant_changes(const VariantChanges& v, std::size_t width) {
    std::size_t counts[3] = {0, 0, 0};
    for (const auto& c : v.changes) ++counts[static_cast<int>(c.kind)];
    const auto count = [](std::size_t n, const char* one, const char* many) {
        return fmt::format("{} {}", n, n == 1 ? one : many);
    };
    std::string out = "\n" + wrap(fmt::format("changes    against {}: {}, {}, {}", v.base_file,
                                              count(counts[1], "override", "overrides"),
                                              count(counts[0], "addition", "additions"),
                                              count(counts[2], "removal", "removals")),
                                  width, std::string(11, ' '));
    if (v.changes.empty()) return out + "  (none: it repeats what it extends)\n";
    out += fmt::format("  {:>5}  {:<9}  {}\n", "line", "", "value or item (inherited from)");
    static const char* const verbs[] = {"adds", "overrides", "removes"};
    const std::string indent(2 + 5 + 2 + 9 + 2, ' ');
    for (const auto& c : v.changes) {
        std::string text = c.name;
        if (!c.change.empty())
            text += (c.kind == VariantChange::Kind::adds ? " = " : ": ") + c.change;
        if (c.kind != VariantChange::Kind::adds && c.base.known())
            text += c.base.file == v.base_file
                        ? fmt::format(" (base line {})", c.base.line)
                        : fmt::format(" (from {}:{})", c.base.file, c.base.line);
        const std::string head =
            fmt::format("  {:>5}  {:<9}  ", c.line ? std::to_string(c.line) : "-",
                        verbs[static_cast<int>(c.kind)]);
        const std::string body = wrap(text, width > indent.size() ? width - indent.size() : 1, "");
        for (std::size_t pos = 0, n = 0; pos < body.size(); ++n) {
            const std::size_t end = body.find('\n', pos) + 1;
            out += (n == 0 ? head : indent) + body.substr(pos, end - pos);
            pos = end;
        }
    }
    return out;
}

}  // namespace ts::io
