// The world part of the scenario schema: header, time, countries, products, suppliers and
// their offers, buyers (with their CES weights), routes and transport; and the multi-tier part:
// offer inputs, installed equipment, suppliers' purchases (with their CES weights) and buyers'
// remote compute.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "io/scenario_build.hpp"

namespace ts::io::detail {

using model::Index;
using model::kNone;

namespace {

const std::vector<std::string> kTopKeys = {
    "name",     "description", "extends", "remove", "time",      "seed",     "countries",
    "products", "suppliers",   "buyers",  "routes", "transport", "policies", "reactions"};
const std::vector<std::string> kTimeKeys = {"start", "step", "ticks"};
const std::vector<std::string> kSteps = {"day", "week", "month", "quarter"};
const std::vector<std::string> kCountryKeys = {"code", "name", "groups"};
const std::vector<std::string> kProductKeys = {"id",      "kind",         "tpp",
                                               "density", "interconnect", "compute"};
const std::vector<std::string> kProductKinds = {"chip", "component", "equipment"};
const std::vector<std::string> kSupplierKeys = {
    "id",       "jurisdiction",     "made_in",       "ships_from",
    "offers",   "price_adjustment", "design_around", "equipment",
    "purchases"};
const std::vector<std::string> kOfferKeys = {"product",           "capacity",  "unit_cost", "price",
                                             "supply_elasticity", "available", "inputs"};
const std::vector<std::string> kEquipmentKeys = {"product", "capacity_per_unit", "installed",
                                                 "depreciation", "lag"};
const std::vector<std::string> kPurchaseKeys = {
    "demand",         "substitution", "price_elasticity", "stock_target",
    "risk_tolerance", "anticipation", "preferences"};
const std::vector<std::string> kRemoteKeys = {"via", "markup", "capacity"};
const std::vector<std::string> kAvailableKeys = {"after", "lag"};
const std::vector<std::string> kDesignAroundKeys = {"lag", "margin"};
const std::vector<std::string> kBuyerKeys = {"id",
                                             "country",
                                             "billing_country",
                                             "demand",
                                             "growth",
                                             "reference_cost",
                                             "price_elasticity",
                                             "substitution",
                                             "preferences",
                                             "shares",
                                             "risk_tolerance",
                                             "anticipation",
                                             "backlog",
                                             "listed",
                                             "remote"};
const std::vector<std::string> kRouteKeys = {"via", "markup", "delay", "capacity", "detection"};
const std::vector<std::string> kTransportKeys = {"delay"};

const NumberRule kGrowth{-1.0, true, std::nullopt, false, false};
const NumberRule kUnitInterval{0.0, false, 1.0, false, false};
const NumberRule kMargin{0.0, false, 1.0, true, false};

/// Buyer keys that have no meaning for a supplier's purchases.
std::optional<std::string> buyer_only_key(std::string_view key) {
    static const std::vector<std::string> kBuyerOnly = {
        "id",     "country", "billing_country", "growth", "reference_cost",
        "shares", "backlog", "listed",          "remote"};
    if (std::find(kBuyerOnly.begin(), kBuyerOnly.end(), key) == kBuyerOnly.end())
        return std::nullopt;
    return fmt::format("'{}' applies to buyers, not to a supplier's purchases; expected one of: {}",
                       key, join(kPurchaseKeys));
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

bool is_folder_name(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.';
    });
}

std::size_t as_size(Index i) {
    return static_cast<std::size_t>(i);
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
    const MapReader top(f_, root, "", kTopKeys);
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
}

std::string ScenarioBuilder::where(const SourceLoc& loc, const SourceLoc& here) {
    if (loc.file == here.file) return fmt::format("line {}", loc.line);
    return fmt::format("{}:{}", loc.file, loc.line);
}

void ScenarioBuilder::collect_ids(const Doc& root) {
    const auto collect = [&](std::string_view list, IdTable& table) {
        const Doc* items = root.find(list);
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
    collect("policies", policies_);
    collect("reactions", reactions_);
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

// ---------------------------------------------------------------------------------------------
// Header and time

void ScenarioBuilder::read_header(const MapReader& top) {
    if (const Doc* name = top.required("name")) {
        if (std::optional<std::string> text = f_.text(*name, "name")) {
            if (text->empty()) {
                f_.error(name->loc, "name", "the scenario name must not be empty");
            } else if (!is_folder_name(*text)) {
                f_.error(
                    name->loc, "name",
                    fmt::format(
                        "the scenario name '{}' names the output folder: use only letters, digits, "
                        "'-', '_' and '.'",
                        *text));
            } else if (*text == "." || *text == "..") {
                f_.error(name->loc, "name",
                         fmt::format("'{}' cannot be used as a scenario name", *text));
            }
            s_.name = *text;
        }
    }
    if (std::optional<std::string> description = top.text("description"))
        s_.description = *description;
    if (const Doc* seed = top.get("seed")) {
        if (std::optional<std::uint64_t> value = f_.unsigned_integer(*seed, "seed"))
            s_.seed = *value;
    }
}

void ScenarioBuilder::read_time(const MapReader& top) {
    const Doc* node = top.required("time");
    if (!node || !f_.expect_map(*node, "time", "a map {start, step, ticks}")) return;
    const MapReader m(f_, *node, "time", kTimeKeys);
    const Doc* start_node = m.required("start");
    std::optional<Date> start = start_node ? f_.date(*start_node, m.path("start")) : std::nullopt;
    std::optional<std::size_t> step = m.choice("step", "time step", kSteps);
    const bool step_ok = step.has_value() || !m.get("step");
    std::optional<std::int64_t> ticks = m.integer("ticks", 1, true);
    if (start) s_.time.start = *start;
    if (step) s_.time.step = *parse_time_step(kSteps[*step]);
    if (start && step_ok && ticks) {
        // Dates are written with four-digit years: the last tick must start by 9999-12-31.
        const Calendar probe(*start, s_.time.step, 1);
        const std::int64_t max_ticks = probe.tick_containing(Date{9999, 12, 31}) + 1;
        if (*ticks > max_ticks) {
            f_.error(m.get("ticks")->loc, m.path("ticks"),
                     fmt::format("{} ticks of one {} from {} would run past the year 9999: at "
                                 "most {} ticks",
                                 *ticks, to_string(s_.time.step), format_date(*start), max_ticks));
            ticks.reset();
        }
    }
    if (ticks) s_.time.ticks = static_cast<int>(*ticks);
    if (start && step_ok && ticks) calendar_ = s_.time.calendar();
}

// ---------------------------------------------------------------------------------------------
// Countries and products

void ScenarioBuilder::read_countries(const MapReader& top) {
    const Doc* list = section(top, "countries", true, "countries");
    if (!list) return;
    s_.countries.resize(list->items.size());
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Doc& item = list->items[i];
        const std::string path = path_item("countries", item_label(item, "countries", i));
        if (!f_.expect_map(item, path, "a country (a map with 'code')")) continue;
        const MapReader m(f_, item, path, kCountryKeys);
        model::Country& c = s_.countries[i];
        if (std::optional<std::string> code = read_id(m, "code", countries_, i, true))
            c.code = *code;
        c.name = m.text("name").value_or(c.code);
        if (const Doc* groups = m.get("groups")) {
            if (auto labels = text_list(*groups, m.path("groups"), "group labels"))
                c.groups = std::move(*labels);
        }
    }
}

void ScenarioBuilder::read_products(const MapReader& top) {
    const Doc* list = section(top, "products", true, "products");
    if (!list) return;
    s_.products.resize(list->items.size());
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Doc& item = list->items[i];
        const std::string path = path_item("products", item_label(item, "products", i));
        if (!f_.expect_map(item, path, "a product (a map with 'id')")) continue;
        const MapReader m(f_, item, path, kProductKeys);
        model::Product& p = s_.products[i];
        p.loc = item.loc;
        if (std::optional<std::string> id = read_id(m, "id", products_, i)) p.id = *id;
        if (std::optional<std::size_t> kind = m.choice("kind", "product kind", kProductKinds))
            p.kind = static_cast<model::ProductKind>(*kind);
        p.tpp = m.number("tpp", kNonNegative);
        p.density = m.number("density", kNonNegative);
        p.interconnect = m.number("interconnect", kNonNegative);
        p.compute = p.kind == model::ProductKind::chip ? 1.0 : 0.0;
        if (const Doc* compute = m.get("compute")) {
            if (std::optional<double> value =
                    f_.number(*compute, m.path("compute"), kNonNegative)) {
                p.compute = *value;
                if (*value == 0.0 && p.kind == model::ProductKind::chip) {
                    f_.error(compute->loc, m.path("compute"),
                             "a chip must have compute > 0 (buyers' demand is in compute units)");
                }
            }
        }
    }
}

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
        const MapReader m(f_, item, path, kSupplierKeys);
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
                const MapReader da(f_, *node, da_path, kDesignAroundKeys);
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
        const MapReader m(f_, item, path, kOfferKeys);
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
        offer.capacity = m.number("capacity", kNonNegative).value_or(model::kUnlimited);
        // No capacity of its own: the supplier's installed equipment sets it (the engine
        // computes installed × capacity_per_unit each tick).
        offer.capacity_from_equipment = has_equipment && !m.get("capacity");
        const std::optional<double> unit_cost = m.number("unit_cost", kNonNegative);
        offer.unit_cost = unit_cost.value_or(0.0);
        const std::optional<double> price = m.number("price", kPositive, true);
        offer.price = price.value_or(0.0);
        offer.supply_elasticity = m.number("supply_elasticity", kNonNegative).value_or(0.0);
        if (const Doc* node = m.get("available")) {
            const std::string av_path = m.path("available");
            if (f_.expect_map(*node, av_path, "a map {after, lag}")) {
                const MapReader av(f_, *node, av_path, kAvailableKeys);
                model::Availability availability;
                availability.after_policy = ref(av, "after", policies_, true);
                availability.lag_ticks = static_cast<int>(av.integer("lag", 0).value_or(0));
                offer.available = availability;
            }
        }
        if (const Doc* inputs = m.get("inputs"))
            read_inputs(*inputs, m.path("inputs"), offer, supplier);
        if (unit_cost && price && *unit_cost > *price) {
            f_.warning(
                item.find("unit_cost")->loc, m.path("unit_cost"),
                fmt::format("unit_cost {} is above the price {}: the supplier sells at a loss",
                            item.find("unit_cost")->scalar, item.find("price")->scalar));
        }
        s_.offers.push_back(offer);
        s_.suppliers[as_size(supplier)].offers.push_back(static_cast<Index>(s_.offers.size() - 1));
    }
}

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
            f_.number(e.value, path_join(path, e.key), kPositive);
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
    const MapReader m(f_, *node, path, kEquipmentKeys);
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
    eq.capacity_per_unit = m.number("capacity_per_unit", kPositive, true).value_or(0.0);
    eq.installed = m.number("installed", kNonNegative).value_or(0.0);
    eq.depreciation = m.number("depreciation", kProbability).value_or(0.0);
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
                const MapReader m(f_, e.value, item_path, kPurchaseKeys, buyer_only_key);
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
                if (const Doc* prefs = m.get("preferences")) {
                    const std::string prefs_path = m.path("preferences");
                    if (f_.expect_map(*prefs, prefs_path, "a map from supplier id to weight")) {
                        for (const DocEntry& pe : prefs->entries) {
                            const Index s = suppliers_.find(pe.key);
                            if (s == kNone && suppliers_.usable) {
                                f_.error(pe.key_loc, prefs_path,
                                         fmt::format("unknown supplier '{}'{}", pe.key,
                                                     did_you_mean(pe.key, suppliers_.ids)));
                            }
                            const std::optional<double> w =
                                f_.number(pe.value, path_join(prefs_path, pe.key), kNonNegative);
                            if (s != kNone && w)
                                item.preferences.push_back(
                                    PurchasePreference{s, *w, pe.key_loc, prefs_path});
                        }
                    }
                }
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

// ---------------------------------------------------------------------------------------------
// Buyers

void ScenarioBuilder::read_buyers(const MapReader& top) {
    const Doc* list = section(top, "buyers", true, "buyers");
    if (!list) return;
    s_.buyers.resize(list->items.size());
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Doc& item = list->items[i];
        const std::string path = path_item("buyers", item_label(item, "buyers", i));
        if (!f_.expect_map(item, path, "a buyer (a map with 'id')")) continue;
        const MapReader m(f_, item, path, kBuyerKeys);
        model::Buyer& b = s_.buyers[i];
        b.loc = item.loc;
        if (std::optional<std::string> id = read_id(m, "id", buyers_, i)) b.id = *id;
        b.country = ref(m, "country", countries_, true);
        b.billing_country =
            m.get("billing_country") ? ref(m, "billing_country", countries_, false) : b.country;
        b.demand = m.number("demand", kNonNegative, true).value_or(0.0);
        b.growth = m.number("growth", kGrowth).value_or(0.0);
        const std::optional<double> reference_cost = m.number("reference_cost", kPositive, true);
        b.reference_cost = reference_cost.value_or(1.0);
        b.price_elasticity = m.number("price_elasticity", kNonNegative).value_or(0.0);
        const std::optional<double> sigma = m.number("substitution", kPositive);
        const bool sigma_ok = sigma.has_value() || !m.get("substitution");
        b.substitution = sigma.value_or(1.5);
        read_weights(m, b, reference_cost.has_value() && sigma_ok);
        b.risk_tolerance = m.number("risk_tolerance", kNonNegative).value_or(0.0);
        b.anticipation = m.number("anticipation", kNonNegative).value_or(1.0);
        b.backlog = m.number("backlog", kUnitInterval).value_or(0.0);
        b.listed = m.boolean("listed").value_or(false);
        read_remote(m, b);
    }
}

void ScenarioBuilder::read_remote(const MapReader& buyer_map, model::Buyer& buyer) {
    const Doc* node = buyer_map.get("remote");
    if (!node) return;
    const std::string path = buyer_map.path("remote");
    if (!f_.expect_map(*node, path, "a map {via, markup, capacity}")) return;
    const MapReader m(f_, *node, path, kRemoteKeys);
    model::Remote remote;
    if (const Doc* via = m.required("via")) {
        const std::string via_path = m.path("via");
        if (f_.expect_sequence(*via, via_path, "a list of country codes")) {
            if (via->items.empty())
                f_.error(via->loc, via_path,
                         "expected at least one country code (where the compute is rented)");
            std::map<Index, SourceLoc> seen;  // site -> where first listed
            for (std::size_t i = 0; i < via->items.size(); ++i) {
                const Doc& item = via->items[i];
                const std::string item_path = path_item(via_path, std::to_string(i));
                const Index c = ref(item, item_path, countries_);
                if (c == kNone) continue;
                if (c == buyer.country) {
                    f_.error(item.loc, item_path,
                             fmt::format("'{}' is the buyer's own country: remote compute is "
                                         "rented in another country",
                                         s_.countries[as_size(c)].code));
                } else if (const auto [it, fresh] = seen.emplace(c, item.loc); !fresh) {
                    f_.error(
                        item.loc, item_path,
                        fmt::format("duplicate remote site '{}' (first at {})",
                                    s_.countries[as_size(c)].code, where(it->second, item.loc)));
                } else {
                    remote.via.push_back(c);
                }
            }
        }
    }
    remote.markup = m.number("markup", kNonNegative).value_or(0.0);
    remote.capacity = m.number("capacity", kNonNegative).value_or(model::kUnlimited);
    buyer.remote = remote;
}

void ScenarioBuilder::read_weights(const MapReader& m, model::Buyer& buyer, bool costs_known) {
    const std::size_t n = s_.offers.size();
    // Buyers demand compute: offers of products without compute (components, equipment)
    // cannot serve them.
    const auto serves_compute = [&](std::size_t o) {
        const Index p = s_.offers[o].product;
        return p != kNone && s_.products[as_size(p)].compute > 0.0;
    };
    buyer.weights.assign(n, 0.0);
    const std::size_t errors_before = f_.error_count();
    const Doc* preferences = m.get("preferences");
    const Doc* shares = m.get("shares");
    if (preferences && shares) {
        f_.error(m.node().find_entry("shares")->key_loc, m.path(),
                 "give either 'preferences' or 'shares', not both");
        return;
    }

    if (!shares) {
        std::vector<double> product_weight(s_.products.size(), 1.0);
        std::vector<double> supplier_weight(s_.suppliers.size(), 1.0);
        if (preferences) {
            const std::string path = m.path("preferences");
            if (!f_.expect_map(*preferences, path, "a map from product or supplier id to weight"))
                return;
            for (const DocEntry& e : preferences->entries) {
                const Index p = products_.find(e.key);
                const Index s = suppliers_.find(e.key);
                const std::optional<double> w =
                    f_.number(e.value, path_join(path, e.key), kNonNegative);
                if (p != kNone && s != kNone) {
                    f_.error(e.key_loc, path,
                             fmt::format("'{}' is both a product id and a supplier id: ambiguous",
                                         e.key));
                } else if (p != kNone) {
                    if (w) product_weight[as_size(p)] = *w;
                    if (w && *w > 0.0 && s_.products[as_size(p)].compute == 0.0) {
                        f_.warning(
                            e.key_loc, path,
                            fmt::format(
                                "product '{}' has compute 0 and cannot serve a buyer's demand for "
                                "compute: its weight is ignored",
                                e.key));
                    }
                } else if (s != kNone) {
                    if (w) supplier_weight[as_size(s)] = *w;
                } else if (products_.usable || suppliers_.usable) {
                    std::vector<std::string> candidates = products_.ids;
                    candidates.insert(candidates.end(), suppliers_.ids.begin(),
                                      suppliers_.ids.end());
                    f_.error(e.key_loc, path,
                             fmt::format("unknown product or supplier '{}'{}", e.key,
                                         did_you_mean(e.key, candidates)));
                }
            }
        }
        for (std::size_t o = 0; o < n; ++o) {
            const model::Offer& offer = s_.offers[o];
            if (!serves_compute(o) || offer.supplier == kNone) continue;
            buyer.weights[o] =
                product_weight[as_size(offer.product)] * supplier_weight[as_size(offer.supplier)];
        }
        // Preferences are relative: normalised to sum to one, so that with equal landed costs
        // the price index equals that cost and the compute bought adds up to the demand (no
        // CES love-of-variety bonus for buyers with many offers). See docs/model.md.
        double total = 0.0;
        for (double w : buyer.weights) total += w;
        if (total > 0.0)
            for (double& w : buyer.weights) w /= total;
    } else {
        // Calibrate from base-period spending shares: a_i = s_i·(c_i/reference_cost)^(σ−1) with
        // c_i = price/compute, so that at base costs the buyer spends exactly s_i on offer i and
        // its price index equals reference_cost.
        const std::string path = m.path("shares");
        if (!f_.expect_map(*shares, path,
                           "a map from offer (product, supplier or 'supplier/product') to share"))
            return;
        // The did-you-mean candidates (every id and 'supplier/product'), built only for an
        // unknown key: building them for every buyer took most of the loading time of a large
        // world (20,000 buyers x 1,000 offers).
        const auto candidates = [&] {
            std::vector<std::string> c = products_.ids;
            c.insert(c.end(), suppliers_.ids.begin(), suppliers_.ids.end());
            for (std::size_t o = 0; o < n; ++o) {
                const model::Offer& offer = s_.offers[o];
                if (offer.supplier != kNone && offer.product != kNone)
                    c.push_back(s_.suppliers[as_size(offer.supplier)].id + "/" +
                                s_.products[as_size(offer.product)].id);
            }
            return c;
        };
        std::vector<double> share(n, 0.0);
        std::map<std::size_t, std::string> named;  // offer -> key that named it
        double sum = 0.0;
        bool all_ok = true;
        for (const DocEntry& e : shares->entries) {
            const std::optional<double> value =
                f_.number(e.value, path_join(path, e.key), kUnitInterval);
            all_ok = all_ok && value.has_value();
            std::vector<std::size_t> matches;
            const Index p = products_.find(e.key);
            const Index s = suppliers_.find(e.key);
            std::string problem;
            if (p != kNone && s != kNone) {
                problem =
                    fmt::format("'{}' is both a product id and a supplier id: ambiguous", e.key);
            } else if (p != kNone) {
                std::vector<std::string> by;
                for (std::size_t o = 0; o < n; ++o) {
                    if (s_.offers[o].product == p) {
                        matches.push_back(o);
                        if (s_.offers[o].supplier != kNone)
                            by.push_back(s_.suppliers[as_size(s_.offers[o].supplier)].id);
                    }
                }
                if (matches.empty())
                    problem = fmt::format("no supplier offers product '{}'", e.key);
                else if (matches.size() > 1)
                    problem = fmt::format(
                        "product '{}' is offered by several suppliers ({}): name one offer as "
                        "'supplier/product'",
                        e.key, join(by));
            } else if (s != kNone) {
                std::vector<std::string> what;
                for (Index o : s_.suppliers[as_size(s)].offers) {
                    matches.push_back(as_size(o));
                    if (s_.offers[as_size(o)].product != kNone)
                        what.push_back(s_.products[as_size(s_.offers[as_size(o)].product)].id);
                }
                if (matches.size() > 1)
                    problem = fmt::format(
                        "supplier '{}' has several offers ({}): name one offer as "
                        "'supplier/product'",
                        e.key, join(what));
                else if (matches.empty())
                    problem = fmt::format("supplier '{}' has no offers", e.key);
            } else {
                // 'supplier/product'; ids may contain '/', so try every split.
                for (std::size_t cut = e.key.find('/'); cut != std::string::npos;
                     cut = e.key.find('/', cut + 1)) {
                    const Index sp = suppliers_.find(std::string_view(e.key).substr(0, cut));
                    const Index pp = products_.find(std::string_view(e.key).substr(cut + 1));
                    if (sp == kNone || pp == kNone) continue;
                    for (Index o : s_.suppliers[as_size(sp)].offers)
                        if (s_.offers[as_size(o)].product == pp) matches.push_back(as_size(o));
                    if (matches.empty())
                        problem = fmt::format("supplier '{}' does not offer product '{}'",
                                              e.key.substr(0, cut), e.key.substr(cut + 1));
                    break;
                }
                if (matches.empty() && problem.empty()) {
                    if (!products_.usable && !suppliers_.usable) continue;
                    problem = fmt::format("unknown product, supplier or offer '{}'{}", e.key,
                                          did_you_mean(e.key, candidates()));
                }
            }
            if (!problem.empty()) {
                f_.error(e.key_loc, path, problem);
                all_ok = false;
                continue;
            }
            if (matches.size() != 1) {
                all_ok = false;
                continue;
            }
            const std::size_t o = matches.front();
            if (const auto [it, fresh] = named.emplace(o, e.key); !fresh) {
                f_.error(e.key_loc, path,
                         fmt::format("'{}' names the same offer as '{}'", e.key, it->second));
                all_ok = false;
                continue;
            }
            if (!serves_compute(o)) {
                // An offer without a valid product was reported where it is defined.
                if (s_.offers[o].product != kNone)
                    f_.error(
                        e.key_loc, path,
                        fmt::format("'{}' names an offer of product '{}', which has compute 0: a "
                                    "buyer's shares are "
                                    "spending on compute",
                                    e.key, s_.products[as_size(s_.offers[o].product)].id));
                all_ok = false;
                continue;
            }
            if (value) {
                share[o] = *value;
                sum += *value;
            }
        }
        if (!all_ok) return;
        if (std::abs(sum - 1.0) > 1e-6) {
            f_.error(shares->loc, path,
                     fmt::format("the shares sum to {:.6g}; they must sum to 1", sum));
            return;
        }
        if (!costs_known) return;
        const double sigma = buyer.substitution;
        for (std::size_t o = 0; o < n; ++o) {
            if (share[o] == 0.0) continue;
            const model::Offer& offer = s_.offers[o];
            const double cost = offer.price / s_.products[as_size(offer.product)].compute;
            buyer.weights[o] = share[o] * std::pow(cost / buyer.reference_cost, sigma - 1.0);
        }
    }
    // Only when the offers themselves were read without errors: else the zeros are a consequence.
    if (offers_reliable_ && f_.error_count() == errors_before && n > 0 &&
        std::all_of(buyer.weights.begin(), buyer.weights.end(),
                    [](double w) { return w == 0.0; })) {
        f_.warning(m.node().loc, m.path(),
                   "every offer has weight 0 for this buyer: it will buy nothing");
    }
}

// ---------------------------------------------------------------------------------------------
// Routes and transport

void ScenarioBuilder::read_routes(const MapReader& top) {
    const Doc* list = section(top, "routes", false, "routes");
    if (!list) return;
    s_.routes.resize(list->items.size());
    std::map<Index, SourceLoc> seen;  // hub -> where first used
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Doc& item = list->items[i];
        const std::string path = path_item("routes", item_label(item, "routes", i));
        if (!f_.expect_map(item, path, "a route (a map with 'via')")) continue;
        const MapReader m(f_, item, path, kRouteKeys);
        model::Route& r = s_.routes[i];
        r.loc = item.loc;
        r.via = ref(m, "via", countries_, true);
        if (r.via != kNone) {
            const SourceLoc& via_loc = item.find("via")->loc;
            if (const auto [it, fresh] = seen.emplace(r.via, via_loc); !fresh) {
                f_.error(
                    via_loc, m.path("via"),
                    fmt::format("duplicate route via '{}' (first defined at {})",
                                s_.countries[as_size(r.via)].code, where(it->second, via_loc)));
            }
        }
        r.markup = m.number("markup", kNonNegative).value_or(0.0);
        r.delay_ticks = static_cast<int>(m.integer("delay", 0).value_or(1));
        r.capacity = m.number("capacity", kNonNegative).value_or(model::kUnlimited);
        r.detection = m.number("detection", kProbability).value_or(0.0);
    }
}

void ScenarioBuilder::read_transport(const MapReader& top) {
    const Doc* node = top.get("transport");
    if (!node || !f_.expect_map(*node, "transport", "a map {delay}")) return;
    const MapReader m(f_, *node, "transport", kTransportKeys);
    s_.transport_delay_ticks = static_cast<int>(m.integer("delay", 0).value_or(0));
}

}  // namespace ts::io::detail
