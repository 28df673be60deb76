#pragma once
// Internal to the scenario reader: validates a resolved Doc against the scenario schema
// (io/scenario_schema.hpp, documented in docs/scenario-format.md) and fills a model::Scenario.
// Every problem goes to the Diagnostics; the Scenario is only meaningful when no error was
// recorded.
//
// Two passes: first the ids of every top-level list are collected (so references may point
// forwards, e.g. an offer available after a policy), then every item is read in file order.
// Item i of a list becomes element i of the corresponding Scenario vector.
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "io/doc.hpp"
#include "io/scenario_fields.hpp"
#include "model/scenario.hpp"

namespace ts::io::detail {

inline std::size_t as_size(model::Index i) {
    return static_cast<std::size_t>(i);
}

/// The ids of one top-level list, for references and did-you-mean suggestions.
struct IdTable {
    std::string noun;  // "country", "product", ...: "unknown country 'MYA'"
    std::string what;  // "a country code", "a product id": "expected a country code, found a list"
    /// Unknown references are errors: the list exists, or is an optional one left out
    /// (else they are consequences of an error reported already, and not reported).
    bool usable = false;
    std::vector<std::string> ids;  // first occurrences, file order
    std::map<std::string, model::Index, std::less<>> index;
    std::map<std::string, SourceLoc, std::less<>> first_loc;

    model::Index find(std::string_view id) const;
    void add(const std::string& id, model::Index i, const SourceLoc& loc);
};

/// The resolved scenario as YAML (emit_yaml), with the dates of every schedule written
/// YYYY-MM-DD (scenario_schedule.cpp).
std::string emit_resolved(const Doc& root);

class ScenarioBuilder {
  public:
    ScenarioBuilder(Diagnostics& diags, model::Scenario& out);
    void build(const Doc& root);

  private:
    // scenario_world.cpp
    void read_header(const MapReader& top);
    void read_time(const MapReader& top);
    void read_observed_until(const Doc& node, const std::string& path);
    void read_countries(const MapReader& top);
    void read_products(const MapReader& top);
    void read_routes(const MapReader& top);
    /// A soft-capacity key `key` (a volume > 0 at which `what`, valued `scaled`, doubles);
    /// kUnlimited when absent. An error when there is nothing to scale (`scaled` is 0).
    double read_doubles_at(const MapReader& m, std::string_view key, double scaled,
                           std::string_view what);
    void read_transport(const MapReader& top);

    // scenario_suppliers.cpp
    void read_suppliers(const MapReader& top);
    /// `has_equipment`: the supplier has `equipment`, so offers without `capacity` take it from
    /// there.
    void read_offers(const MapReader& supplier_map, model::Index supplier, bool has_equipment);
    /// `pools: {ID: capacity}`: pool units per tick, each a number >= 0 or a dated schedule.
    void read_pools(const Doc& node, const std::string& path, model::Supplier& supplier);
    void read_pricing(const MapReader& supplier_map, model::Supplier& sup);

    // scenario_multi_tier.cpp
    void read_inputs(const Doc& node, const std::string& path, model::Offer& offer,
                     model::Index supplier);
    void read_equipment(const MapReader& supplier_map, model::Index supplier);
    /// Builds Supplier::purchases (equipment first, then inputs in order of first use, then the
    /// other listed products); weights are filled later by resolve_purchases.
    void read_purchases(const MapReader& supplier_map, model::Index supplier);
    /// After every supplier is read: inputs nobody offers, purchase weights from preferences.
    void resolve_purchases();

    // scenario_buyers.cpp
    void read_buyers(const MapReader& top);
    void read_remote(const MapReader& m, model::Buyer& buyer);
    /// Buyer::weights from `preferences` or `shares` (calibrated only when `costs_known`:
    /// reference_cost and substitution were read).
    void read_weights(const MapReader& m, model::Buyer& buyer, bool costs_known);
    /// The read_weights of each form; false when the form was malformed (nothing more to say).
    bool weights_from_preferences(const MapReader& m, const Doc* preferences, model::Buyer& buyer);
    bool weights_from_shares(const MapReader& m, const Doc& shares, model::Buyer& buyer,
                             bool costs_known);
    /// The offers a key of `shares` names: a product id or a supplier id (each with one offer)
    /// or 'supplier/product'. `problem` says why the key names no single offer; neither is set
    /// for an unknown key when no product or supplier could be read.
    std::vector<std::size_t> offers_named(const std::string& key, std::string& problem) const;
    /// Every product id, supplier id and 'supplier/product': did-you-mean candidates.
    std::vector<std::string> offer_names() const;
    /// The offer's product has compute (buyers buy compute).
    bool serves_compute(std::size_t offer) const;

    // scenario_policies.cpp
    void read_policies(const MapReader& top);
    /// Warnings for policies that can never apply: a product selector that selects no offer,
    /// and an export control that covers only `exports` while none of the goods it selects
    /// leave the government's territory (the chips are made and shipped elsewhere).
    void warn_unreachable_policies();
    /// Reads a policy map: item `index` of `policies`, or a reaction's `then` (no index: no id,
    /// 'by' or dates).
    void read_policy(const Doc& node, const std::string& path, model::Policy& policy,
                     std::optional<std::size_t> index);
    void read_policy_dates(const MapReader& m, model::Policy& policy);
    /// `self`: the policy's index, kNone in a reaction's `then` (no schedules there).
    void read_licence(const Doc& node, const std::string& path, model::Policy& policy,
                      model::Index self);
    void read_covers(const Doc& node, const std::string& path, model::Policy& policy);
    std::optional<model::ProductSelector> read_product_selector(const Doc& node,
                                                                const std::string& path);
    /// The origin fields of a product selector (suppliers, jurisdictions, made_in, domestic);
    /// true when one is given.
    bool read_origin_criteria(const MapReader& m, model::ProductSelector& selector);
    std::optional<model::CountrySelector> read_country_selector(const Doc& node,
                                                                const std::string& path);
    /// A non-empty list of group labels; a label no `member` (country, buyer) has among `known`
    /// is a warning.
    std::vector<std::string> read_group_labels(const Doc& node, const std::string& path,
                                               const std::vector<std::string>& known,
                                               std::string_view member);
    std::optional<model::BuyerSelector> read_buyer_selector(const Doc& node,
                                                            const std::string& path);
    void read_reactions(const MapReader& top);

    // scenario_schedule.cpp
    /// What a schedule drives: the field, and the owner's index (kNone: no schedule allowed).
    struct ScheduleTarget {
        model::ScheduleField field;
        model::Index object = model::kNone;
        model::Index item = model::kNone;
    };
    /// A number, or a dated schedule of numbers in `rule`, recorded in Scenario::schedules for
    /// `target`; returns the value at tick 0 (which the plain field holds).
    std::optional<double> scheduled(const Doc& node, const std::string& path,
                                    const NumberRule& rule, const ScheduleTarget& target);
    std::optional<double> scheduled(const MapReader& m, std::string_view key,
                                    const NumberRule& rule, const ScheduleTarget& target,
                                    bool required = false);

    // shared helpers (scenario_build.cpp)
    void collect_ids(const Doc& root);
    /// The top-level list `key`, or nullptr (reported when it is not a list, or required and
    /// missing or empty).
    const Doc* section(const MapReader& top, std::string_view key, bool required,
                       std::string_view what);
    /// The item's id under `key` (required), checked for syntax and duplicates in `table`.
    std::optional<std::string> read_id(const MapReader& m, std::string_view key,
                                       const IdTable& table, std::size_t index,
                                       bool country_code = false);
    /// A reference to an item of `table`; kNone after reporting an unknown id.
    model::Index ref(const Doc& node, const std::string& path, const IdTable& table);
    model::Index ref(const MapReader& m, std::string_view key, const IdTable& table, bool required);
    /// A non-empty list of references.
    std::vector<model::Index> ref_list(const Doc& node, const std::string& path,
                                       const IdTable& table);
    /// A list of non-empty strings.
    std::optional<std::vector<std::string>> text_list(const Doc& node, const std::string& path,
                                                      std::string_view what);
    /// "line 12" when `loc` is in `here`'s file, else "base.yaml:12".
    static std::string where(const SourceLoc& loc, const SourceLoc& here);

    /// A product a supplier needs (its equipment's product, or an input of one of its offers),
    /// where the need is written.
    struct Need {
        model::Index product = model::kNone;
        SourceLoc loc;
        std::string path;
    };
    /// A purchase preference (`preferences: {SUPPLIER: weight}`), checked once all offers are
    /// known.
    struct PurchasePreference {
        model::Index supplier = model::kNone;
        double weight = 1.0;
        SourceLoc loc;
        std::string path;
    };
    /// What the multi-tier part of a supplier leaves for resolve_purchases.
    struct SupplierNeeds {
        std::vector<Need> needs;  // the equipment's product first, then inputs in file order
        bool unresolved = false;  // an input or equipment product was not understood
        std::vector<std::vector<PurchasePreference>> preferences;  // parallel to purchases
    };
    /// A purchase's `preferences` (scenario_multi_tier.cpp).
    std::vector<PurchasePreference> read_purchase_preferences(const Doc& node,
                                                              const std::string& path);

    Fields f_;
    model::Scenario& s_;
    std::vector<SupplierNeeds> needs_;  // parallel to Scenario::suppliers
    std::optional<Calendar> calendar_;
    bool offers_reliable_ = false;  // products and suppliers were read without errors
    IdTable countries_, products_, suppliers_, buyers_, policies_, reactions_;
};

}  // namespace ts::io::detail
