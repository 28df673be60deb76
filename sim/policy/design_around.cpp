#include "policy/design_around.hpp"

#include <algorithm>
#include <cmath>

namespace ts::policy {

namespace {

enum class Attr { tpp, density, interconnect };

/// One conjunction of lower bounds (a clause of the selector in disjunctive normal form);
/// `fixed` clauses (all, kinds) cannot be escaped by lowering attributes.
struct Clause {
    std::vector<std::pair<Attr, double>> mins;
    std::vector<model::ProductKind> kinds;
    bool fixed = false;  // `all`: no lowering escapes it
    bool by_id = false;
};

void expand(const model::ProductSelector& s, std::vector<Clause>& out) {
    Clause base;
    base.fixed = s.all;
    base.kinds = s.kinds;
    base.by_id = !s.ids.empty();
    if (s.tpp_min) base.mins.emplace_back(Attr::tpp, *s.tpp_min);
    if (s.density_min) base.mins.emplace_back(Attr::density, *s.density_min);
    if (s.interconnect_min) base.mins.emplace_back(Attr::interconnect, *s.interconnect_min);
    if (s.any.empty()) {
        out.push_back(base);
        return;
    }
    for (const auto& alt : s.any) {
        std::vector<Clause> sub;
        expand(alt, sub);
        for (auto c : sub) {
            c.mins.insert(c.mins.end(), base.mins.begin(), base.mins.end());
            c.fixed = c.fixed || base.fixed;
            c.kinds.insert(c.kinds.end(), base.kinds.begin(), base.kinds.end());
            c.by_id = c.by_id || base.by_id;
            out.push_back(c);
        }
    }
}

template <class P>
auto& attr(P& p, Attr a) {
    switch (a) {
        case Attr::tpp:
            return p.tpp;
        case Attr::density:
            return p.density;
        case Attr::interconnect:
            return p.interconnect;
    }
    return p.tpp;
}

bool clause_matches(const Clause& c, const model::Product& p) {
    if (c.by_id) return false;  // the variant has a new id
    if (c.fixed) return true;
    for (auto k : c.kinds)
        if (k != p.kind) return false;
    for (const auto& [a, bound] : c.mins) {
        const auto& v = attr(p, a);
        if (!v || *v < bound) return false;
    }
    return true;
}

void lower(model::Product& p, Attr a, double target) {
    auto& v = attr(p, a);
    if (!v || *v <= target) return;
    if (a == Attr::tpp) {
        const double f = target / *v;
        if (p.density) *p.density *= f;  // same die: density falls with TPP
        p.compute *= f;
    }
    v = target;
}

}  // namespace

std::optional<model::Product> design_variant(
    const model::Product& product, model::Index /*product_index*/,
    const std::vector<const model::ProductSelector*>& controls, double margin,
    const std::string& variant_id) {
    std::vector<Clause> clauses;
    for (const auto* s : controls) expand(*s, clauses);
    // Keep only the clauses the original matches; each must be broken by lowering one bound.
    std::vector<const Clause*> binding;
    for (const auto& c : clauses) {
        if (!clause_matches(c, product)) continue;
        if (c.fixed || c.mins.empty()) return std::nullopt;
        binding.push_back(&c);
    }
    model::Product best;
    bool found = false;
    // Enumerate one bound per binding clause (few clauses in practice; capped for safety).
    std::vector<std::size_t> choice(binding.size(), 0);
    for (int guard = 0; guard < 4096; ++guard) {
        model::Product v = product;
        v.id = variant_id;
        for (std::size_t i = 0; i < binding.size(); ++i) {
            const auto& [a, bound] = binding[i]->mins[choice[i]];
            lower(v, a, bound * (1.0 - margin));
        }
        const bool escapes = std::none_of(clauses.begin(), clauses.end(),
                                          [&](const Clause& c) { return clause_matches(c, v); });
        if (escapes && (!found || v.compute > best.compute + 1e-12)) {
            best = v;
            found = true;
        }
        std::size_t k = 0;
        while (k < choice.size() && ++choice[k] == binding[k]->mins.size()) choice[k++] = 0;
        if (k == choice.size()) break;
    }
    if (!found) return std::nullopt;
    return best;
}

}  // namespace ts::policy
