// Suppliers and their offers: jurisdiction, origin, prices, capacity, availability after a
// policy and design-around; shared capacity pools (`pools`, an offer's `uses`). Inputs,
// equipment and purchases are in scenario_multi_tier.cpp.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "io/scenario_build.hpp"
#include "io/scenario_schema.hpp"

namespace ts::io::detail {

using model::Index;
using model::kNone;

namespace {

const NumberRule kMargin{0.0, false, 1.0, true, false};

/// An offer's `uses: {POOL: per_unit}`: each a pool of its own supplier, finite and positive.
void read_uses(Fields& f, const Doc& node, const std::string& path,
               const std::vector<model::Pool>& pools, model::Offer& offer) {
    if (!f.expect_map(node, path, "a map from pool id to pool units per unit of output")) return;
    std::vector<std::string> ids;
    for (const auto& pool : pools) ids.push_back(pool.id);
    for (const DocEntry& e : node.entries) {
        const auto it = std::find(ids.begin(), ids.end(), e.key);
        if (it == ids.end()) {
            f.error(e.key_loc, path,
                    ids.empty()
                        ? fmt::format("unknown pool '{}': the supplier declares no "
                                      "'pools' (add pools: {{{}: CAPACITY}} to it)",
                                      e.key, e.key)
                        : fmt::format("unknown pool '{}'{}; the supplier's pools: {}", e.key,
                                      did_you_mean(e.key, ids), fmt::join(ids, ", ")));
        }
        const std::optional<double> per_unit = f.number(e.value, path_join(path, e.key), kPositive);
        if (it != ids.end() && per_unit)
            offer.uses.push_back(model::PoolUse{static_cast<Index>(it - ids.begin()), *per_unit});
    }
}

/// A pool no offer draws on bounds nothing: most likely a `uses` was forgotten. Read from the
/// offers as written, so that a `uses` with a bad coefficient still counts as naming its pool.
void warn_unused_pools(Fields& f, const Doc& supplier, const model::Supplier& sup,
                       const std::string& path) {
    const Doc* offers = supplier.find("offers");
    const auto named = [&](const std::string& pool) {
        if (!offers) return false;
        return std::any_of(offers->items.begin(), offers->items.end(), [&](const Doc& offer) {
            const Doc* uses = offer.find("uses");
            return uses && uses->find(pool) != nullptr;
        });
    };
    for (const auto& pool : sup.pools)
        if (!named(pool.id))
            f.warning(pool.loc, path,
                      fmt::format("pool '{}' is declared but no offer uses it: it bounds nothing "
                                  "(add uses: {{{}: PER_UNIT}} to the offers that draw on it)",
                                  pool.id, pool.id));
}

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
        if (const Doc* pools = m.get("pools")) read_pools(*pools, m.path("pools"), sup);
        read_offers(m, static_cast<Index>(i), m.get("equipment") != nullptr);
        warn_unused_pools(f_, item, sup, m.path("pools"));
        sup.price_adjustment = m.number("price_adjustment", kNonNegative).value_or(0.0);
        read_pricing(m, sup);
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

void ScenarioBuilder::read_pools(const Doc& node, const std::string& path, model::Supplier& sup) {
    if (!f_.expect_map(node, path, "a map from pool id to its capacity per tick")) return;
    const auto supplier = static_cast<Index>(&sup - s_.suppliers.data());
    for (const DocEntry& e : node.entries) {
        const ScheduleTarget target{model::ScheduleField::pool_capacity, supplier,
                                    static_cast<Index>(sup.pools.size())};
        const std::optional<double> cap =
            scheduled(e.value, path_join(path, e.key), kNonNegative, target);
        sup.pools.push_back(model::Pool{e.key, cap.value_or(0.0), e.key_loc});
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
        if (const Doc* uses = m.get("uses"))
            read_uses(f_, *uses, m.path("uses"), s_.suppliers[as_size(supplier)].pools, offer);
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

// `pricing: fixed | adjust | clearing` (docs/model.md, "Prices"). Without the key the rule
// follows price_adjustment as it always did; with it the key and price_adjustment must agree,
// so that a reader of the file never has to know which one wins.
void ScenarioBuilder::read_pricing(const MapReader& m, model::Supplier& sup) {
    const Doc* node = m.get("pricing");
    if (!node) return;
    const std::optional<std::size_t> rule = m.choice("pricing", "price rule", schema::kPricings);
    if (!rule) return;
    const std::string& word = schema::kPricings[*rule];
    if (word == "fixed" && sup.price_adjustment > 0.0) {
        f_.error(node->loc, m.path("pricing"),
                 fmt::format("pricing 'fixed' contradicts price_adjustment {}: drop one of them",
                             m.get("price_adjustment")->scalar));
    } else if (word == "adjust" && !(sup.price_adjustment > 0.0)) {
        f_.error(node->loc, m.path("pricing"),
                 "pricing 'adjust' needs price_adjustment > 0, the largest step per tick (e.g. "
                 "price_adjustment: 0.05)");
    } else if (word == "clearing" && sup.price_adjustment > 0.0) {
        f_.error(m.get("price_adjustment")->loc, m.path("price_adjustment"),
                 "pricing 'clearing' has no step: price_adjustment belongs to pricing 'adjust'; "
                 "drop it");
    } else if (word == "clearing") {
        sup.clearing_price = true;
        bool finite = false;
        for (Index o : sup.offers)
            finite = finite || s_.offers[as_size(o)].capacity_from_equipment ||
                     std::isfinite(s_.offers[as_size(o)].capacity);
        if (!finite && !sup.offers.empty())
            f_.error(node->loc, m.path("pricing"),
                     "pricing 'clearing' needs an offer with a finite capacity (it sets the price "
                     "at which orders meet capacity): give an offer a capacity, or drop pricing");
    }
}

}  // namespace ts::io::detail
