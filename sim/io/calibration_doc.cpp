#include "io/calibration_doc.hpp"

#include <charconv>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "analysis/sweep_design.hpp"
#include "core/error.hpp"

namespace ts::io {

namespace {

/// What apply_override puts in place of a value, to find where a path leads: a scalar no
/// scenario can hold (a control character is refused in every value).
constexpr std::string_view kProbe = "\x01probe\x01";

/// One step from a node to a child: a map key or a list index.
struct Step {
    bool in_list = false;
    std::string key;  // map: the key; list: the key of the list in its parent map
    std::size_t index = 0;
};

bool find_probe(const Doc& node, std::vector<Step>& steps, const std::string& list_key) {
    if (node.is_scalar()) return node.scalar == kProbe;
    for (const DocEntry& e : node.entries) {
        steps.push_back({false, e.key, 0});
        if (find_probe(e.value, steps, e.key)) return true;
        steps.pop_back();
    }
    for (std::size_t i = 0; i < node.items.size(); ++i) {
        steps.push_back({true, list_key, i});
        if (find_probe(node.items[i], steps, "")) return true;
        steps.pop_back();
    }
    return false;
}

/// The steps that the override `path` takes in `root`, or nullopt with its diagnostics.
std::optional<std::vector<Step>> steps_of(const Doc& root, const std::string& path, int index,
                                          Diagnostics& diags) {
    Doc probe = root;
    if (!apply_override(probe, path + "=" + std::string(kProbe), index, diags)) return std::nullopt;
    std::vector<Step> steps;
    if (!find_probe(probe, steps, "")) return std::nullopt;
    return steps;
}

const Doc* follow(const Doc& root, const std::vector<Step>& steps) {
    const Doc* node = &root;
    for (const Step& s : steps) {
        if (s.in_list) {
            if (!node->is_sequence() || s.index >= node->items.size()) return nullptr;
            node = &node->items[s.index];
        } else {
            node = node->find(s.key);
            if (!node) return nullptr;
        }
    }
    return node;
}

/// The scenario path of `steps` as messages write it: "buyers[cn-cloud].demand".
std::string path_text(const Doc& root, const std::vector<Step>& steps) {
    std::string path;
    const Doc* node = &root;
    for (const Step& s : steps) {
        if (!node) return path;
        if (s.in_list) {
            if (!node->is_sequence() || s.index >= node->items.size()) return path;
            node = &node->items[s.index];
            path = path_item(path, item_label(*node, s.key, s.index));
        } else {
            path = path_join(path, s.key);
            node = node->find(s.key);
        }
    }
    return path;
}

std::optional<double> number(const Doc& node) {
    if (!node.is_scalar()) return std::nullopt;
    std::string_view s = node.scalar;
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double v = 0.0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

/// Puts `value` at `steps` into `overlay`, creating the maps and id-carrying list items on the
/// way; a list whose items have no id is copied whole from `full` (a merge replaces it).
void place(Doc& overlay, const Doc& full, const std::vector<Step>& steps, const Doc& value) {
    Doc* out = &overlay;
    const Doc* in = &full;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const Step& s = steps[i];
        if (!s.in_list) {
            if (!out->is_map()) *out = Doc::make_map();
            out = out->find(s.key) ? out->find(s.key) : &out->set(s.key, Doc::make_null());
            in = in->find(s.key);
            continue;
        }
        const std::string key(merge_key_for(s.key));
        const Doc& item = in->items[s.index];
        const Doc* id = item.is_map() ? item.find(key) : nullptr;
        if (!id || !id->is_scalar()) {
            *out = *in;  // the whole plain list, with the value in place
            Doc* node = out;
            for (std::size_t j = i; j < steps.size(); ++j)
                node = steps[j].in_list ? &node->items[steps[j].index] : node->find(steps[j].key);
            *node = value;
            return;
        }
        if (!out->is_sequence()) *out = Doc::make_sequence();
        Doc* match = nullptr;
        for (Doc& candidate : out->items)
            if (const Doc* k = candidate.find(key); k && k->scalar == id->scalar)
                match = &candidate;
        if (!match) {
            out->items.push_back(Doc::make_map());
            match = &out->items.back();
            match->set(key, *id);
        }
        out = match;
        in = &item;
    }
    *out = value;
}

std::string placeholder(std::size_t i) {
    return fmt::format("tradesim-fitted-{}-here", i);  // no placeholder is a prefix of another
}

}  // namespace

std::vector<double> free_parameter_values(const Doc& root,
                                          const std::vector<analysis::FreeParameter>& free) {
    Diagnostics diags;
    std::vector<double> values;
    for (std::size_t i = 0; i < free.size(); ++i) {
        const auto& p = free[i];
        const int line = static_cast<int>(i) + 1;
        Diagnostics walk;
        const auto steps = steps_of(root, p.path, line, walk);
        for (Diagnostic d : walk.items()) {
            if (d.loc.file == "--set") d.loc.file = "--free";
            diags.add(std::move(d));
        }
        const Doc* node = steps ? follow(root, *steps) : nullptr;
        const auto v = node ? number(*node) : std::nullopt;
        const std::string path = steps ? path_text(root, *steps) : p.path;
        if (steps && !node)
            diags.error({"--free", line, 1}, path,
                        "the scenario sets no value here: a free parameter must be a number the "
                        "scenario gives (write the default into the scenario to free it)");
        if (node && !v)
            diags.error(node->loc, path,
                        fmt::format("a free parameter must be a number, found {}",
                                    node->is_scalar() ? "'" + printable(node->scalar) + "'"
                                                      : std::string(describe(node->kind))));
        values.push_back(v.value_or(0.0));
    }
    diags.throw_if_errors();
    return values;
}

std::string calibrated_yaml(const Doc& root, const std::vector<std::string>& header,
                            const std::string& extends, const std::vector<std::string>& overrides,
                            const std::vector<analysis::FreeParameter>& free,
                            const std::vector<FittedValue>& fitted) {
    // The scenario as it will be: every override applied, the fitted values as placeholders
    // that the values and their comments replace in the text.
    std::vector<std::string> all = overrides, paths;
    for (const auto& o : overrides) paths.push_back(analysis::parse_sweep_parameter(o).path);
    for (std::size_t i = 0; i < free.size(); ++i) {
        all.push_back(free[i].path + "=" + placeholder(i));
        paths.push_back(free[i].path);
    }
    Doc full = root;
    Diagnostics diags;
    for (std::size_t i = 0; i < all.size(); ++i)
        apply_override(full, all[i], static_cast<int>(i) + 1, diags);
    Doc overlay = Doc::make_map();
    overlay.set("extends", Doc::make_scalar(extends));
    for (std::size_t i = 0; i < all.size() && !diags.has_errors(); ++i) {
        const auto steps = steps_of(full, paths[i], static_cast<int>(i) + 1, diags);
        if (steps) place(overlay, full, *steps, *follow(full, *steps));
    }
    if (diags.has_errors()) throw InternalError("calibrated.yaml: an override no longer applies");

    std::string text;
    for (const auto& line : header) text += line.empty() ? "#\n" : "# " + line + "\n";
    text += emit_yaml(overlay);
    for (std::size_t i = 0; i < free.size(); ++i) {
        const auto at = text.find(placeholder(i));
        if (at == std::string::npos) throw InternalError("calibrated.yaml: a fitted value is lost");
        text.replace(at, placeholder(i).size(), fitted[i].value + "  # " + fitted[i].comment);
    }
    return text;
}

}  // namespace ts::io
