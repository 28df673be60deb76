// Suppliers and their offers: jurisdiction, origin, prices, capacity, availability after a
// policy and design-around. Inputs, equipment and purchases are in scenario_multi_tier.cpp.
#include <fmt/format.h>

#include "io/scenario_build.hpp"
#include "io/scenario_schema.hpp"

namespace ts::io::detail {

using model::Index;
using model::kNone;

namespace {

const NumberRule kMargin{0.0, false, 1.0, true, false};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Suppliers and offers

void ScenarioBuilder::read_suppliers(const MapReader& top) {
    const Doc* list = section(top, "suppliers", true, "suppliers");
    if (!list) return;
    s_.suppliers.resize(list->items.size());
    needs_.resize(list->items.size());
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Doc& item = list->items[i];
        const std::string path = path_item("suppliers", item_label(item, "suppliers", i));
        if (!f_.expect_map(item, path, "a supplier (a map with 'id')")) continue;
        const MapReader m(f_, item, path, schema::kSupplierKeys);
        model::Supplier& sup = s_.suppliers[i];
        sup.loc = item.loc;
        if (std::optional<std::string> id = read_id(m, "id", suppliers_, i)) sup.id = *id;
        sup.jurisdiction = ref(m, "jurisdiction", countries_, true);
        sup.made_in = ref(m, "made_in", countries_, true);
        sup.ships_from =
            m.get("ships_from") ? ref(m, "ships_from", countries_, false) : sup.made_in;
        read_offers(m, static_cast<Index>(i), m.get("equipment") != nullptr);
        sup.price_adjustment = m.number("price_adjustment", kNonNegative).value_or(0.0);
        if (const Doc* node = m.get("design_around")) {
            const std::string da_path = m.path("design_around");
            if (f_.expect_map(*node, da_path, "a map {lag, margin}")) {
                const MapReader da(f_, *node, da_path, schema::kDesignAroundKeys);
                model::DesignAround design;
                design.lag_ticks = static_cast<int>(da.integer("lag", 0).value_or(0));
                design.margin = da.number("margin", kMargin).value_or(0.05);
                sup.design_around = design;
            }
        }
        read_equipment(m, static_cast<Index>(i));
        read_purchases(m, static_cast<Index>(i));
    }
}

void ScenarioBuilder::read_offers(const MapReader& supplier_map, Index supplier,
                                  bool has_equipment) {
    const Doc* list = supplier_map.required("offers");
    if (!list) return;
    const std::string list_path = supplier_map.path("offers");
    if (!f_.expect_sequence(*list, list_path, "a list of offers")) return;
    if (list->items.empty()) f_.error(list->loc, list_path, "expected at least one offer");
    std::map<Index, SourceLoc> seen;  // product -> where first offered
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Doc& item = list->items[i];
        const std::string path = path_item(list_path, item_label(item, "offers", i));
        if (!f_.expect_map(item, path, "an offer (a map with 'product' and 'price')")) continue;
        const MapReader m(f_, item, path, schema::kOfferKeys);
        model::Offer offer;
        offer.supplier = supplier;
        offer.loc = item.loc;
        offer.product = ref(m, "product", products_, true);
        if (offer.product != kNone) {
            const auto [it, fresh] = seen.emplace(offer.product, item.find("product")->loc);
            if (!fresh) {
                f_.error(item.find("product")->loc, m.path("product"),
                         fmt::format("duplicate offer of product '{}' (first at {})",
                                     s_.products[as_size(offer.product)].id,
                                     where(it->second, item.loc)));
            }
        }
        const auto here = static_cast<Index>(s_.offers.size());  // this offer's index
        offer.capacity =
            scheduled(m, "capacity", kNonNegative, {model::ScheduleField::offer_capacity, here})
                .value_or(model::kUnlimited);
        // No capacity of its own: the supplier's installed equipment sets it (the engine
        // computes installed × capacity_per_unit each tick).
        offer.capacity_from_equipment = has_equipment && !m.get("capacity");
        const std::optional<double> unit_cost =
            scheduled(m, "unit_cost", kNonNegative, {model::ScheduleField::offer_unit_cost, here});
        offer.unit_cost = unit_cost.value_or(0.0);
        const std::optional<double> price = m.number("price", kPositive, true);
        offer.price = price.value_or(0.0);
        offer.supply_elasticity = scheduled(m, "supply_elasticity", kNonNegative,
                                            {model::ScheduleField::offer_supply_elasticity, here})
                                      .value_or(0.0);
        if (const Doc* node = m.get("available")) {
            const std::string av_path = m.path("available");
            if (f_.expect_map(*node, av_path, "a map {after, lag}")) {
                const MapReader av(f_, *node, av_path, schema::kAvailableKeys);
                model::Availability availability;
                availability.after_policy = ref(av, "after", policies_, true);
                availability.lag_ticks = static_cast<int>(av.integer("lag", 0).value_or(0));
                offer.available = availability;
            }
        }
        if (const Doc* inputs = m.get("inputs"))
            read_inputs(*inputs, m.path("inputs"), offer, supplier);
        if (unit_cost && price && *unit_cost > *price && item.find("unit_cost")->is_scalar()) {
            f_.warning(
                item.find("unit_cost")->loc, m.path("unit_cost"),
                fmt::format("unit_cost {} is above the price {}: the supplier sells at a loss",
                            item.find("unit_cost")->scalar, item.find("price")->scalar));
        }
        s_.offers.push_back(offer);
        s_.suppliers[as_size(supplier)].offers.push_back(static_cast<Index>(s_.offers.size() - 1));
    }
}

}  // namespace ts::io::detail
