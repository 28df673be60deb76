// The multi-tier part of a supplier: the inputs its offers need, its installed equipment, and
// what it purchases (with the CES weights over the suppliers of each input).
#include <algorithm>

#include <fmt/format.h>

#include "io/scenario_build.hpp"
#include "io/scenario_schema.hpp"

namespace ts::io::detail {

using model::Index;
using model::kNone;

namespace {

/// Buyer keys that have no meaning for a supplier's purchases.
std::optional<std::string> buyer_only_key(std::string_view key) {
    if (std::find(schema::kBuyerOnlyKeys.begin(), schema::kBuyerOnlyKeys.end(), key) ==
        schema::kBuyerOnlyKeys.end())
        return std::nullopt;
    return fmt::format("'{}' applies to buyers, not to a supplier's purchases; expected one of: {}",
                       key, join(schema::kPurchaseKeys));
}

const char* kind_name(model::ProductKind kind) {
    switch (kind) {
        case model::ProductKind::chip:
            return "chip";
        case model::ProductKind::component:
            return "component";
        case model::ProductKind::equipment:
            return "equipment";
    }
    return "chip";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Multi-tier: inputs, equipment and purchases

void ScenarioBuilder::read_inputs(const Doc& node, const std::string& path, model::Offer& offer,
                                  Index supplier) {
    if (!f_.expect_map(node, path, "a map from input product id to units per unit of output"))
        return;
    for (const DocEntry& e : node.entries) {
        const Index p = products_.find(e.key);
        if (p == kNone && products_.usable) {
            f_.error(
                e.key_loc, path,
                fmt::format("unknown product '{}'{}", e.key, did_you_mean(e.key, products_.ids)));
        } else if (p != kNone && p == offer.product) {
            f_.error(e.key_loc, path,
                     fmt::format("an offer cannot need its own product '{}' as an input", e.key));
        }
        const std::optional<double> per_unit =
            scheduled(e.value, path_join(path, e.key), kPositive,
                      {model::ScheduleField::input_per_unit, static_cast<Index>(s_.offers.size()),
                       static_cast<Index>(offer.inputs.size())});
        if (p == kNone) needs_[as_size(supplier)].unresolved = true;
        if (p == kNone || p == offer.product) continue;
        needs_[as_size(supplier)].needs.push_back(Need{p, e.key_loc, path});
        if (per_unit) offer.inputs.push_back(model::InputNeed{p, *per_unit});
    }
}

void ScenarioBuilder::read_equipment(const MapReader& supplier_map, Index supplier) {
    const Doc* node = supplier_map.get("equipment");
    if (!node) return;
    const std::string path = supplier_map.path("equipment");
    if (!f_.expect_map(*node, path,
                       "a map {product, capacity_per_unit, installed, depreciation, lag}"))
        return;
    const MapReader m(f_, *node, path, schema::kEquipmentKeys);
    model::Supplier& sup = s_.suppliers[as_size(supplier)];
    SupplierNeeds& needs = needs_[as_size(supplier)];
    model::Equipment eq;
    eq.product = ref(m, "product", products_, true);
    if (eq.product == kNone) needs.unresolved = true;
    if (eq.product != kNone) {
        const model::Product& product = s_.products[as_size(eq.product)];
        const Doc* product_node = node->find("product");
        if (product.kind != model::ProductKind::equipment) {
            needs.unresolved = true;
            f_.error(product_node->loc, m.path("product"),
                     fmt::format("product '{}' is of kind '{}'; installed equipment must be a "
                                 "product of kind 'equipment'",
                                 product.id, kind_name(product.kind)));
        } else {
            // An input is consumed by production; equipment stays installed: one product
            // cannot be both for the same supplier.
            for (const Need& need : needs.needs) {
                if (need.product != eq.product) continue;
                f_.error(need.loc, need.path,
                         fmt::format("'{}' is the supplier's installed equipment: it cannot also "
                                     "be an input of its offers",
                                     product.id));
            }
            needs.needs.insert(needs.needs.begin(),
                               Need{eq.product, product_node->loc, m.path("product")});
        }
    }
    eq.capacity_per_unit =
        scheduled(m, "capacity_per_unit", kPositive,
                  {model::ScheduleField::equipment_capacity_per_unit, supplier}, true)
            .value_or(0.0);
    eq.installed = m.number("installed", kNonNegative).value_or(0.0);
    eq.depreciation = scheduled(m, "depreciation", kProbability,
                                {model::ScheduleField::equipment_depreciation, supplier})
                          .value_or(0.0);
    eq.lag_ticks = static_cast<int>(m.integer("lag", 0).value_or(0));
    sup.equipment = eq;
    const bool some_offer = !sup.offers.empty();
    const bool uses_equipment = std::any_of(sup.offers.begin(), sup.offers.end(), [&](Index o) {
        return s_.offers[as_size(o)].capacity_from_equipment;
    });
    if (some_offer && !uses_equipment) {
        f_.warning(node->loc, path,
                   "every offer gives its own 'capacity': no offer takes its capacity from the "
                   "installed equipment");
    }
}

void ScenarioBuilder::read_purchases(const MapReader& supplier_map, Index supplier) {
    model::Supplier& sup = s_.suppliers[as_size(supplier)];
    SupplierNeeds& needs = needs_[as_size(supplier)];
    struct Listed {
        model::Purchase purchase;
        std::vector<PurchasePreference> preferences;
        bool taken = false;
    };
    std::vector<Listed> listed;
    if (const Doc* node = supplier_map.get("purchases")) {
        const std::string path = supplier_map.path("purchases");
        if (f_.expect_map(*node, path, "a map from product id to how the supplier buys it")) {
            for (const DocEntry& e : node->entries) {
                const Index p = products_.find(e.key);
                if (p == kNone && products_.usable) {
                    f_.error(e.key_loc, path,
                             fmt::format("unknown product '{}'{}", e.key,
                                         did_you_mean(e.key, products_.ids)));
                }
                const std::string item_path = path_join(path, e.key);
                if (!f_.expect_map(e.value, item_path,
                                   "a map of purchase settings (demand, substitution, ...)"))
                    continue;
                const MapReader m(f_, e.value, item_path, schema::kPurchaseKeys, buyer_only_key);
                Listed item;
                model::Purchase& pu = item.purchase;
                pu.product = p;
                pu.loc = e.key_loc;
                pu.demand = m.number("demand", kNonNegative);
                pu.substitution = m.number("substitution", kPositive).value_or(1.5);
                pu.price_elasticity = m.number("price_elasticity", kNonNegative).value_or(0.0);
                pu.stock_target = m.number("stock_target", kNonNegative).value_or(1.0);
                pu.risk_tolerance = m.number("risk_tolerance", kNonNegative).value_or(0.0);
                pu.anticipation = m.number("anticipation", kNonNegative).value_or(1.0);
                if (const Doc* prefs = m.get("preferences"))
                    item.preferences = read_purchase_preferences(*prefs, m.path("preferences"));
                if (p == kNone) continue;
                const bool used = std::any_of(needs.needs.begin(), needs.needs.end(),
                                              [&](const Need& n) { return n.product == p; });
                // (Unless a need could not be read: the warning would only be a consequence.)
                if (!used && !needs.unresolved) {
                    f_.warning(e.key_loc, path,
                               fmt::format("'{}' buys '{}' but uses it nowhere: none of its offers "
                                           "needs it as an input and it is not its equipment",
                                           sup.id, e.key));
                }
                listed.push_back(std::move(item));
            }
        }
    }
    // Equipment first, then inputs in order of first use, then the rest as listed. A product
    // needed but not listed is bought with the defaults.
    const auto take = [&](Index product, const SourceLoc& loc) {
        for (const model::Purchase& pu : sup.purchases)
            if (pu.product == product) return;
        for (Listed& item : listed) {
            if (item.taken || item.purchase.product != product) continue;
            item.taken = true;
            sup.purchases.push_back(item.purchase);
            needs.preferences.push_back(std::move(item.preferences));
            return;
        }
        model::Purchase pu;
        pu.product = product;
        pu.loc = loc;
        sup.purchases.push_back(pu);
        needs.preferences.emplace_back();
    };
    for (const Need& need : needs.needs) take(need.product, need.loc);
    for (const Listed& item : listed)
        if (!item.taken) take(item.purchase.product, item.purchase.loc);
}

std::vector<ScenarioBuilder::PurchasePreference> ScenarioBuilder::read_purchase_preferences(
    const Doc& node, const std::string& path) {
    std::vector<PurchasePreference> out;
    if (!f_.expect_map(node, path, "a map from supplier id to weight")) return out;
    for (const DocEntry& e : node.entries) {
        const Index s = suppliers_.find(e.key);
        if (s == kNone && suppliers_.usable) {
            f_.error(
                e.key_loc, path,
                fmt::format("unknown supplier '{}'{}", e.key, did_you_mean(e.key, suppliers_.ids)));
        }
        const std::optional<double> w = f_.number(e.value, path_join(path, e.key), kNonNegative);
        if (s != kNone && w) out.push_back(PurchasePreference{s, *w, e.key_loc, path});
    }
    return out;
}

void ScenarioBuilder::resolve_purchases() {
    const std::size_t n = s_.offers.size();
    const auto offered = [&](Index product) {
        return std::any_of(s_.offers.begin(), s_.offers.end(),
                           [&](const model::Offer& o) { return o.product == product; });
    };
    const auto offers_product = [&](Index supplier, Index product) {
        const model::Supplier& sup = s_.suppliers[as_size(supplier)];
        return std::any_of(sup.offers.begin(), sup.offers.end(),
                           [&](Index o) { return s_.offers[as_size(o)].product == product; });
    };
    for (std::size_t si = 0; si < s_.suppliers.size() && si < needs_.size(); ++si) {
        model::Supplier& sup = s_.suppliers[si];
        SupplierNeeds& needs = needs_[si];
        std::vector<Index> reported;
        for (const Need& need : needs.needs) {
            if (offered(need.product) ||
                std::find(reported.begin(), reported.end(), need.product) != reported.end())
                continue;
            reported.push_back(need.product);
            f_.error(need.loc, need.path,
                     fmt::format("no supplier offers product '{}': there is nothing to buy it from",
                                 s_.products[as_size(need.product)].id));
        }
        for (std::size_t k = 0; k < sup.purchases.size(); ++k) {
            model::Purchase& pu = sup.purchases[k];
            pu.weights.assign(n, 0.0);
            std::vector<double> supplier_weight(s_.suppliers.size(), 1.0);
            bool preferences_ok = true;
            bool preferences_given = false;
            if (k < needs.preferences.size()) {
                for (const PurchasePreference& pref : needs.preferences[k]) {
                    preferences_given = true;
                    if (!offers_product(pref.supplier, pu.product)) {
                        f_.error(pref.loc, pref.path,
                                 fmt::format("supplier '{}' does not offer product '{}'",
                                             s_.suppliers[as_size(pref.supplier)].id,
                                             s_.products[as_size(pu.product)].id));
                        preferences_ok = false;
                        continue;
                    }
                    supplier_weight[as_size(pref.supplier)] = pref.weight;
                }
            }
            double total = 0.0;
            for (std::size_t o = 0; o < n; ++o) {
                const model::Offer& offer = s_.offers[o];
                if (offer.product != pu.product || offer.supplier == kNone) continue;
                pu.weights[o] = supplier_weight[as_size(offer.supplier)];
                total += pu.weights[o];
            }
            if (total > 0.0) {
                for (double& w : pu.weights) w /= total;
            } else if (preferences_given && preferences_ok && offered(pu.product)) {
                f_.warning(pu.loc, path_join(path_item("suppliers", sup.id), "purchases"),
                           fmt::format("every supplier of '{}' has preference 0: '{}' will buy "
                                       "none of it",
                                       s_.products[as_size(pu.product)].id, sup.id));
            }
        }
    }
}

}  // namespace ts::io::detail
