#include "model/scenario.hpp"

#include <algorithm>

namespace ts::model {

const char* to_string(QuotaPeriod p) {
    switch (p) {
        case QuotaPeriod::tick:
            return "tick";
        case QuotaPeriod::month:
            return "month";
        case QuotaPeriod::quarter:
            return "quarter";
        case QuotaPeriod::year:
            return "year";
        case QuotaPeriod::policy:
            return "policy period";
    }
    return "period";
}

const char* to_string(PolicyType t) {
    switch (t) {
        case PolicyType::export_control:
            return "export_control";
        case PolicyType::quota:
            return "quota";
        case PolicyType::tariff:
            return "tariff";
        case PolicyType::export_fee:
            return "export_fee";
        case PolicyType::import_restriction:
            return "import_restriction";
        case PolicyType::enforcement:
            return "enforcement";
        case PolicyType::remote_access:
            return "remote_access";
    }
    return "?";
}

namespace {
template <class T, class F>
Index find_by(const std::vector<T>& v, F key, std::string_view id) {
    for (std::size_t i = 0; i < v.size(); ++i)
        if (key(v[i]) == id) return static_cast<Index>(i);
    return kNone;
}

bool in(const std::vector<Index>& v, Index i) {
    return std::find(v.begin(), v.end(), i) != v.end();
}

bool at_least(const std::optional<double>& value, const std::optional<double>& bound) {
    return !bound || (value && *value >= *bound);
}
bool below(const std::optional<double>& value, const std::optional<double>& bound) {
    return !bound || (value && *value < *bound);
}
}  // namespace

Index Scenario::find_country(std::string_view code) const {
    return find_by(
        countries, [](const Country& c) -> const std::string& { return c.code; }, code);
}
Index Scenario::find_product(std::string_view id) const {
    return find_by(
        products, [](const Product& p) -> const std::string& { return p.id; }, id);
}
Index Scenario::find_supplier(std::string_view id) const {
    return find_by(
        suppliers, [](const Supplier& s) -> const std::string& { return s.id; }, id);
}
Index Scenario::find_buyer(std::string_view id) const {
    return find_by(
        buyers, [](const Buyer& b) -> const std::string& { return b.id; }, id);
}
Index Scenario::find_policy(std::string_view id) const {
    return find_by(
        policies, [](const Policy& p) -> const std::string& { return p.id; }, id);
}

namespace {

bool attributes_match(const ProductSelector& s, const Product& p, Index product_index) {
    if (!s.ids.empty() && !in(s.ids, product_index)) return false;
    if (!s.kinds.empty() && std::find(s.kinds.begin(), s.kinds.end(), p.kind) == s.kinds.end())
        return false;
    const std::optional<double> compute = p.compute;
    if (!at_least(p.tpp, s.tpp_min) || !below(p.tpp, s.tpp_max)) return false;
    if (!at_least(p.density, s.density_min) || !below(p.density, s.density_max)) return false;
    if (!at_least(p.interconnect, s.interconnect_min) || !below(p.interconnect, s.interconnect_max))
        return false;
    return at_least(compute, s.compute_min) && below(compute, s.compute_max);
}

bool origin_matches(const ProductSelector& s, const Scenario& sc, const Supplier& sup,
                    Index supplier, Index government) {
    if (!s.suppliers.empty() && !in(s.suppliers, supplier)) return false;
    const auto country = [&](Index c) -> const Country& {
        return sc.countries[static_cast<std::size_t>(c)];
    };
    if (s.jurisdictions && !matches(*s.jurisdictions, country(sup.jurisdiction), sup.jurisdiction))
        return false;
    if (s.made_in && !matches(*s.made_in, country(sup.made_in), sup.made_in)) return false;
    return !s.domestic || *s.domestic == (sup.made_in == government);
}

}  // namespace

bool matches(const ProductSelector& s, const Product& p, Index product_index) {
    if (s.all) return true;
    if (!attributes_match(s, p, product_index)) return false;
    return s.any.empty() || std::any_of(s.any.begin(), s.any.end(), [&](const ProductSelector& a) {
               return matches(a, p, product_index);
           });
}

bool matches_offer(const ProductSelector& s, const Scenario& scenario, Index offer,
                   Index government) {
    if (s.all) return true;
    const Offer& o = scenario.offers[static_cast<std::size_t>(offer)];
    const Supplier& sup = scenario.suppliers[static_cast<std::size_t>(o.supplier)];
    if (!attributes_match(s, scenario.products[static_cast<std::size_t>(o.product)], o.product) ||
        !origin_matches(s, scenario, sup, o.supplier, government))
        return false;
    return s.any.empty() || std::any_of(s.any.begin(), s.any.end(), [&](const ProductSelector& a) {
               return matches_offer(a, scenario, offer, government);
           });
}

bool matches(const CountrySelector& s, const Country& c, Index country_index) {
    if (in(s.except, country_index)) return false;
    if (s.all) return true;
    if (in(s.countries, country_index)) return true;
    for (const auto& g : s.groups)
        if (std::find(c.groups.begin(), c.groups.end(), g) != c.groups.end()) return true;
    return false;
}

bool matches_firm(const BuyerSelector& s, const Scenario& scenario, Index buyer) {
    const Buyer& b = scenario.buyers[static_cast<std::size_t>(buyer)];
    const Index hq = b.head_office();
    if (s.headquarters &&
        matches(*s.headquarters, scenario.countries[static_cast<std::size_t>(hq)], hq))
        return true;
    return std::any_of(s.groups.begin(), s.groups.end(), [&](const std::string& g) {
        return std::find(b.groups.begin(), b.groups.end(), g) != b.groups.end();
    });
}

bool matches(const BuyerSelector& s, const Scenario& scenario, Index buyer) {
    if (s.listed && scenario.buyers[static_cast<std::size_t>(buyer)].listed) return true;
    return in(s.ids, buyer) || matches_firm(s, scenario, buyer);
}

}  // namespace ts::model
