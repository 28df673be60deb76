#include "io/scenario_schema.hpp"

#include <algorithm>
#include <string_view>

#include "io/doc.hpp"

namespace ts::io::schema {

const Words kTopKeys = {"name",   "description", "extends",  "remove",    "time",
                        "seed",   "countries",   "products", "suppliers", "buyers",
                        "routes", "transport",   "policies", "reactions"};
const Words kTimeKeys = {"start", "step", "ticks", "observed_until"};
const Words kCountryKeys = {"code", "name", "groups"};
const Words kProductKeys = {"id", "kind", "tpp", "density", "interconnect", "compute"};
const Words kSupplierKeys = {"id",
                             "jurisdiction",
                             "made_in",
                             "ships_from",
                             "offers",
                             "price_adjustment",
                             "design_around",
                             "equipment",
                             "purchases",
                             "pools",
                             "pricing"};
const Words kOfferKeys = {"product",           "capacity",  "unit_cost", "price",
                          "supply_elasticity", "available", "inputs",    "uses"};
const Words kAvailableKeys = {"after", "lag"};
const Words kDesignAroundKeys = {"lag", "margin"};
const Words kEquipmentKeys = {"product", "capacity_per_unit", "installed", "depreciation", "lag"};
const Words kPurchaseKeys = {"demand",         "substitution", "price_elasticity", "stock_target",
                             "risk_tolerance", "anticipation", "preferences"};
const Words kBuyerOnlyKeys = {
    "id",      "country", "billing_country", "growth", "reference_cost", "shares",
    "backlog", "listed",  "headquarters",    "groups", "remote"};
const Words kBuyerKeys = {"id",          "country",        "billing_country",  "demand",
                          "growth",      "reference_cost", "price_elasticity", "substitution",
                          "preferences", "shares",         "risk_tolerance",   "anticipation",
                          "backlog",     "listed",         "headquarters",     "groups",
                          "remote"};
const Words kRemoteKeys = {"via", "markup", "capacity", "markup_doubles_at"};
const Words kRouteKeys = {
    "via", "markup", "delay", "capacity", "detection", "markup_doubles_at", "detection_doubles_at"};
const Words kTransportKeys = {"delay"};

const Words kIdentityKeys = {"id", "by"};
const Words kCommonKeys = {"type", "products", "destinations", "buyers"};
const Words kDateKeys = {"announced", "from", "until"};
const Words kPolicyTypes = {"export_control",     "quota",       "tariff",       "export_fee",
                            "import_restriction", "enforcement", "remote_access"};
const std::vector<Words> kTypeKeys = {
    {"license", "covers"},       {"cap", "period"},   {"rate", "origins"}, {"rate"},
    {"compliance", "condition"}, {"detection", "at"}, {"covers"}};
const Words kLicenseKeys = {"approval", "delay"};
const Words kConditionKeys = {"domestic_share"};
const Words kProductSelectorKeys = {"all",
                                    "ids",
                                    "kinds",
                                    "tpp_min",
                                    "tpp_max",
                                    "density_min",
                                    "density_max",
                                    "interconnect_min",
                                    "interconnect_max",
                                    "compute_min",
                                    "compute_max",
                                    "suppliers",
                                    "jurisdictions",
                                    "made_in",
                                    "domestic",
                                    "any"};
const Words kCountrySelectorKeys = {"all", "countries", "groups", "except"};
const Words kBuyerSelectorKeys = {"listed", "ids", "headquarters", "groups"};
const Words kReactionKeys = {"id", "by", "when", "then", "lag"};
const Words kWhenKeys = {"metric", "via", "country", "above", "below", "for"};
const Words kUncertaintyKeys = {"parameters", "draws"};
const Words kUncertainParameterKeys = {"distribution", "lo", "hi",    "mode", "mean", "sd",
                                       "median",       "mu", "sigma", "min",  "max"};

const Words kSteps = {"day", "week", "month", "quarter"};
const Words kProductKinds = {"chip", "component", "equipment"};
const Words kCovers = {"exports", "reexports"};
const Words kPeriods = {"tick", "month", "quarter", "year", "policy"};
const Words kInspections = {"hub", "border"};
const Words kMetrics = {"diverted_units", "diverted_compute", "imports_compute",
                        "unmet_compute",  "seized_units",     "price_index"};
const Words kPricings = {"fixed", "adjust", "clearing"};
const Words kRouteMetrics = {"diverted_units", "diverted_compute", "seized_units"};
const Words kDistributions = {"uniform", "normal", "lognormal", "triangular"};

Words all_type_keys() {
    Words out;
    for (const Words& keys : kTypeKeys)
        for (const std::string& k : keys)
            if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
    return out;
}

namespace {

class Registry {
  public:
    void map(std::string_view where, const Words& keys) {
        for (const std::string& k : keys) key(path_join(where, k));
    }
    void key(std::string path, Words values = {}) {
        out_.push_back(AcceptedKey{std::move(path), std::move(values), {}});
    }
    /// A policy map (`policies[]` or a reaction's `then`): the keys every type takes, then each
    /// type's keys with the types that take them.
    void policy(std::string_view where, bool in_reaction) {
        if (!in_reaction) map(where, kIdentityKeys);
        for (const std::string& k : kCommonKeys)
            key(path_join(where, k), k == "type" ? kPolicyTypes : Words{});
        if (!in_reaction) map(where, kDateKeys);
        for (const std::string& k : all_type_keys()) {
            AcceptedKey entry{path_join(where, k),
                              k == "covers"   ? kCovers
                              : k == "period" ? kPeriods
                              : k == "at"     ? kInspections
                                              : Words{},
                              {}};
            for (std::size_t t = 0; t < kPolicyTypes.size(); ++t)
                if (std::find(kTypeKeys[t].begin(), kTypeKeys[t].end(), k) != kTypeKeys[t].end())
                    entry.types.push_back(kPolicyTypes[t]);
            out_.push_back(std::move(entry));
        }
    }
    /// Sets the words the key at `path` accepts.
    void values(std::string_view path, const Words& words) {
        for (AcceptedKey& k : out_)
            if (k.path == path) k.values = words;
    }
    std::vector<AcceptedKey> take() { return std::move(out_); }

  private:
    std::vector<AcceptedKey> out_;
};

}  // namespace

std::vector<AcceptedKey> accepted_keys() {
    Registry r;
    r.map("", kTopKeys);
    for (const std::string& list : removable_lists()) r.key(path_join("remove", list));
    r.map("time", kTimeKeys);
    r.values("time.step", kSteps);
    r.map("countries[]", kCountryKeys);
    r.map("products[]", kProductKeys);
    r.values("products[].kind", kProductKinds);
    r.map("suppliers[]", kSupplierKeys);
    r.values("suppliers[].pricing", kPricings);
    r.map("suppliers[].offers[]", kOfferKeys);
    r.map("suppliers[].offers[].available", kAvailableKeys);
    r.key("suppliers[].offers[].inputs.<product>");
    r.key("suppliers[].pools.<pool>");
    r.key("suppliers[].offers[].uses.<pool>");
    r.map("suppliers[].design_around", kDesignAroundKeys);
    r.map("suppliers[].equipment", kEquipmentKeys);
    r.key("suppliers[].purchases.<product>");
    r.map("suppliers[].purchases.<product>", kPurchaseKeys);
    r.key("suppliers[].purchases.<product>.preferences.<supplier>");
    r.map("buyers[]", kBuyerKeys);
    r.key("buyers[].preferences.<id>");
    r.key("buyers[].shares.<offer>");
    r.map("buyers[].remote", kRemoteKeys);
    r.map("routes[]", kRouteKeys);
    r.map("transport", kTransportKeys);
    r.policy("policies[]", false);
    r.map("policies[].license", kLicenseKeys);
    r.map("policies[].condition", kConditionKeys);
    r.map("policies[].products", kProductSelectorKeys);
    r.values("policies[].products.kinds", kProductKinds);
    r.map("policies[].products.jurisdictions", kCountrySelectorKeys);
    r.map("policies[].products.made_in", kCountrySelectorKeys);
    r.map("policies[].destinations", kCountrySelectorKeys);
    r.map("policies[].buyers", kBuyerSelectorKeys);
    r.map("policies[].buyers.headquarters", kCountrySelectorKeys);
    r.map("reactions[]", kReactionKeys);
    r.map("reactions[].when", kWhenKeys);
    r.values("reactions[].when.metric", kMetrics);
    r.policy("reactions[].then", true);
    // Read apart from the rest (io/uncertainty.hpp), so it is not among kTopKeys.
    r.key("uncertainty");
    r.map("uncertainty", kUncertaintyKeys);
    r.key("uncertainty.parameters.<path>");
    r.map("uncertainty.parameters.<path>", kUncertainParameterKeys);
    r.values("uncertainty.parameters.<path>.distribution", kDistributions);
    return r.take();
}

}  // namespace ts::io::schema
