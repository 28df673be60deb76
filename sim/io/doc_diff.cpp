#include "io/doc_diff.hpp"

#include <algorithm>
#include <map>

#include "core/error.hpp"

namespace ts::io {

namespace {

bool same(const Doc& a, const Doc& b) {
    if (a.kind != b.kind) return false;
    switch (a.kind) {
        case DocKind::null:
            return true;
        case DocKind::scalar:
            return a.scalar == b.scalar;
        case DocKind::sequence:
            return a.items.size() == b.items.size() &&
                   std::equal(a.items.begin(), a.items.end(), b.items.begin(), same);
        case DocKind::map:
            if (a.entries.size() != b.entries.size()) return false;
            for (const auto& e : a.entries) {
                const Doc* other = b.find(e.key);
                if (!other || !same(e.value, *other)) return false;
            }
            return true;
    }
    return false;
}

/// A value on one line, at most 60 characters: "0.2", "{approval: 0.2, delay: 3}".
std::string one_line(const Doc& d) {
    std::string text;
    switch (d.kind) {
        case DocKind::null:
            text = "~";
            break;
        case DocKind::scalar:
            text = d.scalar;
            break;
        case DocKind::sequence:
            text = "[";
            for (std::size_t i = 0; i < d.items.size(); ++i)
                text += (i ? ", " : "") + one_line(d.items[i]);
            text += "]";
            break;
        case DocKind::map:
            text = "{";
            for (std::size_t i = 0; i < d.entries.size(); ++i)
                text += (i ? ", " : "") + d.entries[i].key + ": " + one_line(d.entries[i].value);
            text += "}";
            break;
    }
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return text;
}

/// Whether every item of both lists is a map carrying the list's merge key.
bool keyed(const Doc& a, const Doc& b, std::string_view list_key) {
    const auto has_key = [&](const Doc& item) {
        const Doc* k = item.find(merge_key_for(list_key));
        return item.is_map() && k && k->is_scalar() && !k->scalar.empty();
    };
    return std::all_of(a.items.begin(), a.items.end(), has_key) &&
           std::all_of(b.items.begin(), b.items.end(), has_key);
}

const Doc* find_item(const Doc& list, std::string_view list_key, std::string_view label) {
    for (std::size_t i = 0; i < list.items.size(); ++i)
        if (item_label(list.items[i], list_key, i) == label) return &list.items[i];
    return nullptr;
}

struct Differ {
    std::vector<Difference> out;

    void add(Difference::Kind kind, std::vector<PathStep> path, const Doc* a, const Doc* b) {
        Difference d;
        d.kind = kind;
        d.path = std::move(path);
        if (a) d.before = one_line(*a), d.line_a = a->loc.line;
        if (b) d.after = one_line(*b), d.line_b = b->loc.line;
        d.change = !a ? "added" : !b ? "removed" : d.before + " → " + d.after;
        out.push_back(std::move(d));
    }

    /// A changed item that is one difference: its before and after name only what changed
    /// inside it ("license: {approval: 0.2, delay: 2} → ~").
    void add_item_change(const std::vector<PathStep>& path, const Doc& a, const Doc& b) {
        Differ inner;
        inner.maps(a, b, {});
        std::string before, after, change;
        for (const auto& d : inner.out) {
            const std::string key = d.name();
            const std::string was = d.before.empty() ? "~" : d.before;
            const std::string now = d.after.empty() ? "~" : d.after;
            before += (before.empty() ? "" : "; ") + key + ": " + was;
            after += (after.empty() ? "" : "; ") + key + ": " + now;
            change += (change.empty() ? "" : "; ") + key + ": " + was + " → " + now;
        }
        add(Difference::Kind::changed, path, &a, &b);
        out.back().before = before;
        out.back().after = after;
        out.back().change = change;
    }

    void maps(const Doc& a, const Doc& b, const std::vector<PathStep>& path) {
        const bool top = path.empty();
        for (const auto& e : a.entries) {
            if (top && (e.key == "name" || e.key == "description")) continue;
            auto p = path;
            p.push_back({e.key, ""});
            if (const Doc* other = b.find(e.key))
                value(e.key, e.value, *other, p);
            else if (e.value.is_sequence() && keyed(e.value, e.value, e.key))
                items(e.key, e.value, Doc::make_sequence(), p);  // each item removed
            else
                add(Difference::Kind::removed, p, &e.value, nullptr);
        }
        for (const auto& e : b.entries) {
            if (top && (e.key == "name" || e.key == "description")) continue;
            if (a.find(e.key)) continue;
            auto p = path;
            p.push_back({e.key, ""});
            if (e.value.is_sequence() && keyed(e.value, e.value, e.key))
                items(e.key, Doc::make_sequence(), e.value, p);  // each item added
            else
                add(Difference::Kind::added, p, nullptr, &e.value);
        }
    }

    void value(const std::string& key, const Doc& a, const Doc& b,
               const std::vector<PathStep>& path) {
        if (same(a, b)) return;
        if (a.is_map() && b.is_map()) return maps(a, b, path);
        if (a.is_sequence() && b.is_sequence() && keyed(a, b, key)) return items(key, a, b, path);
        add(Difference::Kind::changed, path, &a, &b);
    }

    void items(const std::string& key, const Doc& a, const Doc& b, std::vector<PathStep> path) {
        path.pop_back();  // the list's key goes into each item's step
        // A policy is one difference: its parts only mean something together.
        const bool atomic = path.empty() && key == "policies";
        for (std::size_t i = 0; i < a.items.size(); ++i) {
            const std::string label = item_label(a.items[i], key, i);
            auto p = path;
            p.push_back({key, label});
            const Doc* other = find_item(b, key, label);
            if (!other)
                add(Difference::Kind::removed, p, &a.items[i], nullptr);
            else if (atomic && !same(a.items[i], *other))
                add_item_change(p, a.items[i], *other);
            else if (!atomic)
                maps(a.items[i], *other, p);
        }
        for (std::size_t i = 0; i < b.items.size(); ++i) {
            const std::string label = item_label(b.items[i], key, i);
            if (find_item(a, key, label)) continue;
            auto p = path;
            p.push_back({key, label});
            add(Difference::Kind::added, p, nullptr, &b.items[i]);
        }
    }
};

/// The node at `step` under `node` (a map), or null.
Doc* step_in(Doc& node, const PathStep& step) {
    Doc* v = node.find(step.key);
    if (!v || !step.item()) return v;
    for (std::size_t i = 0; i < v->items.size(); ++i)
        if (item_label(v->items[i], step.key, i) == step.label) return &v->items[i];
    return nullptr;
}

const Doc* step_in(const Doc& node, const PathStep& step) {
    return step_in(const_cast<Doc&>(node), step);
}

void apply(Doc& out, const Doc& b, const Difference& d) {
    Doc* parent = &out;
    const Doc* parent_b = &b;
    for (std::size_t i = 0; i + 1 < d.path.size(); ++i) {
        parent = step_in(*parent, d.path[i]);
        parent_b = step_in(*parent_b, d.path[i]);
        if (!parent || !parent_b) throw InternalError("explain: lost the path of " + d.name());
    }
    const PathStep& last = d.path.back();
    const Doc* from_b = d.kind == Difference::Kind::removed ? nullptr : step_in(*parent_b, last);
    if (d.kind != Difference::Kind::removed && !from_b)
        throw InternalError("explain: lost the value of " + d.name());
    if (d.kind == Difference::Kind::changed) {
        Doc* target = step_in(*parent, last);
        if (!target) throw InternalError("explain: lost the value of " + d.name());
        *target = *from_b;
    } else if (d.kind == Difference::Kind::added) {
        if (!last.item()) {
            parent->set(last.key, *from_b);
        } else {
            Doc* list = parent->find(last.key);
            if (!list) list = &parent->set(last.key, Doc::make_sequence());
            list->items.push_back(*from_b);
        }
    } else if (!last.item()) {
        parent->erase(last.key);
    } else if (Doc* list = parent->find(last.key)) {
        for (std::size_t i = 0; i < list->items.size(); ++i)
            if (item_label(list->items[i], last.key, i) == last.label) {
                list->items.erase(list->items.begin() + static_cast<std::ptrdiff_t>(i));
                break;
            }
    }
}

}  // namespace

std::string Difference::name() const {
    std::string out;
    for (const auto& s : path) {
        if (!out.empty()) out += '.';
        out += s.key;
        if (s.item()) out += "[" + s.label + "]";
    }
    return out;
}

const Doc* find_path(const Doc& root, const std::vector<PathStep>& path) {
    const Doc* node = &root;
    for (const auto& step : path)
        if (!(node = step_in(*node, step))) return nullptr;
    return node;
}

std::vector<Difference> differences(const Doc& a, const Doc& b) {
    Differ d;
    d.maps(a, b, {});
    return std::move(d.out);
}

std::vector<std::vector<std::size_t>> group_by_item(const std::vector<Difference>& diffs) {
    std::vector<std::vector<std::size_t>> groups;
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < diffs.size(); ++i) {
        const auto& p = diffs[i].path;
        std::string key = p.front().key + (p.front().item() ? "[" + p.front().label + "]" : "");
        const auto [it, fresh] = index.emplace(key, groups.size());
        if (fresh) groups.emplace_back();
        groups[it->second].push_back(i);
    }
    return groups;
}

Doc with_differences(const Doc& a, const Doc& b, const std::vector<Difference>& diffs,
                     const std::vector<std::size_t>& on) {
    Doc out = a;
    for (const std::size_t i : on) apply(out, b, diffs.at(i));
    return out;
}

}  // namespace ts::io
