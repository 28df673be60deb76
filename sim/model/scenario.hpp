#pragma once
// The frozen, validated scenario: the description a simulation runs a copy of. It is built
// only by the scenario reader (sim/io) after every check has passed, and never changes after.
// All cross references are dense indices into the vectors below (id order = file order).
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "model/schedule.hpp"

namespace ts::model {

using Index = std::int32_t;
inline constexpr Index kNone = -1;
inline constexpr double kUnlimited = std::numeric_limits<double>::infinity();

struct TimeSpec {
    Date start{};
    TimeStep step = TimeStep::month;
    int ticks = 0;
    /// The last observed month (`time.observed_until`, day 1): data end with it, later ticks are
    /// projection. Recorded in the outputs and marked in reports; the simulation ignores it.
    std::optional<Date> observed_until;
    Calendar calendar() const { return Calendar(start, step, ticks); }
};

struct Country {
    std::string code;  // ISO 3166-1 alpha-3 or user-assigned XAA..XZZ
    std::string name;
    std::vector<std::string> groups;
};

enum class ProductKind { chip, component, equipment };

struct Product {
    std::string id;
    ProductKind kind = ProductKind::chip;
    // Attributes that rules are written against; absent attributes never satisfy a bound.
    std::optional<double> tpp;
    std::optional<double> density;
    std::optional<double> interconnect;
    double compute = 1.0;  // H100-equivalents per unit; 0 for components and equipment
    SourceLoc loc;
};

/// `available: {after: POLICY, lag: N}`: the offer exists only from `lag` ticks after the
/// policy takes force.
struct Availability {
    Index after_policy = kNone;
    int lag_ticks = 0;
};

/// Units of an input product needed per unit of output (`inputs: {HBM2E: 1, wafer-7nm: 0.05}`).
struct InputNeed {
    Index product = kNone;
    double per_unit = 0.0;
};

/// An offer's draw on one of its supplier's capacity pools (`uses: {cowos: 1.0}`): pool units
/// per unit of output.
struct PoolUse {
    Index pool = kNone;  // index into Supplier::pools
    double per_unit = 0.0;
};

/// One product offered by one supplier. Offers are flattened into Scenario::offers in supplier
/// order, then in the order of the supplier's `offers` list.
struct Offer {
    Index supplier = kNone;
    Index product = kNone;
    double capacity = kUnlimited;  // units per tick at the base price
    double unit_cost = 0.0;        // USD per unit; price never falls below it
    double price = 0.0;            // base price, USD per unit
    double supply_elasticity = 0.0;
    std::optional<Availability> available;
    /// Inputs per unit of output: output is limited to min(capacity, input stock / need).
    std::vector<InputNeed> inputs;
    /// No `capacity` given and the supplier has `equipment`: capacity = installed × per unit.
    bool capacity_from_equipment = false;
    /// Shared capacity pools the offer draws on: its output is also bounded by what each pool
    /// grants it (docs/model.md, "Shared capacity pools"). Design-around variants copy it.
    std::vector<PoolUse> uses;
    SourceLoc loc;
};

/// Installed equipment that sets a supplier's capacity (`equipment:` of a supplier).
struct Equipment {
    Index product = kNone;           // a product of kind equipment
    double capacity_per_unit = 0.0;  // output units per tick per installed unit
    double installed = 0.0;          // installed base at the start
    double depreciation = 0.0;       // share worn out per tick
    int lag_ticks = 0;               // ticks from delivery to capacity
};

/// How a supplier buys one input (`purchases: {PRODUCT: {...}}`): the same Armington choice,
/// routes and legality as a buyer, with demand following planned output.
struct Purchase {
    Index product = kNone;
    std::optional<double> demand;  // fixed units per tick (equipment); default: planned use
    double substitution = 1.5;     // sigma among offers of the input
    double price_elasticity = 0.0;
    double stock_target = 1.0;  // ticks of use kept in stock
    double risk_tolerance = 0.0;
    double anticipation = 1.0;
    /// Taste weight per offer (size = Scenario::offers.size()): 1 for offers of the product
    /// (or from `preferences`, normalised), 0 otherwise.
    std::vector<double> weights;
    SourceLoc loc;
};

/// A capacity several offers of one supplier share (`pools: {cowos: 500000}`): packaging, wafer
/// or memory capacity, in pool units per tick.
struct Pool {
    std::string id;
    double capacity = 0.0;
    SourceLoc loc;
};

struct DesignAround {
    int lag_ticks = 0;
    double margin = 0.05;  // how far under the binding threshold the variant is placed
};

struct Supplier {
    std::string id;
    Index jurisdiction = kNone;  // whose export controls follow the goods everywhere
    Index made_in = kNone;       // customs origin, for tariffs
    Index ships_from = kNone;    // physical origin of shipments
    std::vector<Index> offers;   // indices into Scenario::offers
    double price_adjustment = 0.0;
    /// `pricing: clearing`: each tick its offers with a finite capacity take the price at which
    /// orders meet capacity (one damped Newton step on the demand response, never below
    /// unit_cost; engine/prices.hpp) instead of the `price_adjustment` step.
    bool clearing_price = false;
    /// Whether its offers' prices respond to scarcity at all (what the equilibrium solver
    /// treats as an endogenous price): `pricing: clearing`, or `adjust` with a step.
    bool price_responds() const { return clearing_price || price_adjustment > 0.0; }
    std::optional<DesignAround> design_around;
    std::optional<Equipment> equipment;
    std::vector<Purchase> purchases;  // one per input or equipment product it buys
    std::vector<Pool> pools;          // shared capacity pools, in file order
    SourceLoc loc;
};

/// Compute rented in data centres abroad (`remote:` of a buyer): chips go legally to a data
/// centre in one of the hubs; the buyer uses the compute there at a markup, up to a capacity.
struct Remote {
    std::vector<Index> via;  // hub countries, in order of the file
    double markup = 0.0;
    double capacity = kUnlimited;  // compute units per tick
    /// Soft capacity: the markup doubles when the buyer's remote volume (compute units per
    /// tick, all sites) reaches this; kUnlimited: a constant markup.
    double markup_doubles_at = kUnlimited;
};

struct Buyer {
    std::string id;
    Index country = kNone;          // where the compute is deployed
    Index billing_country = kNone;  // where purchases are invoiced
    double demand = 0.0;            // compute units per tick at the reference cost
    double growth = 0.0;            // per tick
    double reference_cost = 1.0;    // landed cost per compute unit at which demand == `demand`
    double price_elasticity = 0.0;  // eta
    double substitution = 1.5;      // sigma
    /// CES taste weight a_i per offer (size = Scenario::offers.size()), resolved by the reader
    /// from `preferences` (product and supplier weights multiply, default 1) or calibrated from
    /// `shares`. 0 excludes the offer.
    std::vector<double> weights;
    double risk_tolerance = 0.0;
    double anticipation = 1.0;
    double backlog = 0.0;  // share of unmet demand carried to the next tick
    bool listed = false;
    /// Where the firm is headquartered (default `country`): rules on firms by headquarters
    /// reach its compute wherever it is deployed or rented.
    Index headquarters = kNone;
    std::vector<std::string> groups;  // buyer classes (`groups:`), selected by `buyers.groups`
    /// `headquarters`, or `country` for a buyer built without one (tests, generated worlds).
    Index head_office() const { return headquarters == kNone ? country : headquarters; }
    std::optional<Remote> remote;
    SourceLoc loc;
};

/// A third country that goods can be rerouted through.
struct Route {
    Index via = kNone;
    double markup = 0.0;
    int delay_ticks = 1;
    double capacity = kUnlimited;  // units per tick
    double detection = 0.0;        // probability a diverted shipment is seized
    /// Soft capacity: the markup doubles, and the odds of detection double, when the route's
    /// volume (units per tick) reaches these; kUnlimited: constant.
    double markup_doubles_at = kUnlimited;
    double detection_doubles_at = kUnlimited;
    SourceLoc loc;
};

enum class PolicyType {
    export_control,
    quota,
    tariff,
    export_fee,
    import_restriction,
    enforcement,
    remote_access
};
const char* to_string(PolicyType t);

/// Country selector: listed countries or members of listed groups, or all; minus `except`.
struct CountrySelector {
    bool all = false;
    std::vector<Index> countries;
    std::vector<std::string> groups;
    std::vector<Index> except;
};

/// Product selector: all fields present must hold (AND); `any` holds if one alternative does.
/// Lower bounds are inclusive (>=), upper bounds exclusive (<). The origin fields (suppliers,
/// jurisdictions, made_in, domestic) are properties of an offer, not of a product: they are
/// read by matches_offer only.
struct ProductSelector {
    bool all = false;
    std::vector<Index> ids;
    std::vector<ProductKind> kinds;
    std::optional<double> tpp_min, tpp_max, density_min, density_max, interconnect_min,
        interconnect_max, compute_min, compute_max;
    std::vector<Index> suppliers;
    std::optional<CountrySelector> jurisdictions;  // the supplier's `jurisdiction`
    std::optional<CountrySelector> made_in;        // the customs origin
    /// true: made in the policy's own country (`by`); false: made anywhere else.
    std::optional<bool> domestic;
    std::vector<ProductSelector> any;

    bool has_origin_criteria() const {
        return !suppliers.empty() || jurisdictions || made_in || domestic;
    }
};

/// Buyer selector: a buyer is selected when any field selects it (OR): `listed: true` buyers,
/// explicit ids, buyers whose headquarters the country selector selects, members of a group.
struct BuyerSelector {
    bool listed = false;
    std::vector<Index> ids;
    std::optional<CountrySelector> headquarters;
    std::vector<std::string> groups;
};

/// Where an enforcement policy inspects diverted goods.
enum class Inspection {
    hub,     // in hubs: `by` is the hub or the goods' jurisdiction
    border,  // at `by`'s own border: diverted goods arriving for buyers in `by`
};

enum class QuotaPeriod { tick, month, quarter, year, policy };
/// "tick", "month", "quarter", "year", "policy period": the period a quota's cap is per.
const char* to_string(QuotaPeriod p);

struct Licence {
    double approval = 0.0;  // share of requests granted
    int delay_ticks = 0;    // ticks to decide
};

struct Policy {
    std::string id;
    Index by = kNone;  // the government
    PolicyType type = PolicyType::tariff;
    // Dates as written and the ticks they map to (see Calendar::nearest_boundary).
    std::optional<Date> announced_date, from_date, until_date;
    std::int64_t announced_tick = std::numeric_limits<std::int64_t>::min();
    std::int64_t from_tick = std::numeric_limits<std::int64_t>::min();   // in force from this tick
    std::int64_t until_tick = std::numeric_limits<std::int64_t>::max();  // lapsed from this tick
    ProductSelector products;                                            // default: all
    CountrySelector destinations;                                        // default: all
    CountrySelector origins;  // tariffs: customs origins (default: all)
    std::optional<BuyerSelector> buyers;
    std::optional<Licence> licence;
    bool covers_exports = true;
    bool covers_reexports = false;
    double cap = kUnlimited;  // quota, units per period
    QuotaPeriod period = QuotaPeriod::year;
    double rate = 0.0;        // tariff or export fee, share of value
    double compliance = 1.0;  // import restriction: share of buyers that obey
    /// Import restriction `condition: {domestic_share}`: a conditional approval, lifted for a
    /// buyer as far as its last tick's purchases reached this share of domestic compute.
    std::optional<double> domestic_share;
    double detection = 0.0;                   // enforcement: added detection probability
    Inspection inspection = Inspection::hub;  // enforcement `at`
    SourceLoc loc;

    bool in_force(std::int64_t tick) const { return tick >= from_tick && tick < until_tick; }
    bool announced_only(std::int64_t tick) const {
        return tick >= announced_tick && tick < from_tick;
    }
};

/// Endogenous policy: when `metric` (optionally for a country or route) is above/below a level
/// for `for_ticks` consecutive ticks, `then` takes force `lag_ticks` later.
struct Reaction {
    std::string id;
    Index by = kNone;
    std::string metric;
    Index via = kNone;      // route hub, for route metrics
    Index country = kNone;  // country, for country metrics
    std::optional<double> above, below;
    int for_ticks = 1;
    int lag_ticks = 0;
    Policy then;  // its from/until are set when triggered
    SourceLoc loc;
};

struct Scenario {
    std::string name;
    std::string description;
    std::string source_file;  // the file the user named
    TimeSpec time;
    std::uint64_t seed = 0;

    std::vector<Country> countries;
    std::vector<Product> products;
    std::vector<Supplier> suppliers;
    std::vector<Offer> offers;
    std::vector<Buyer> buyers;
    std::vector<Route> routes;
    int transport_delay_ticks = 0;  // direct shipments
    std::vector<Policy> policies;
    std::vector<Reaction> reactions;
    /// Dated schedules (model/schedule.hpp), in file order; each field they drive holds the
    /// schedule's value at tick 0.
    std::vector<Schedule> schedules;

    /// The scenario after `extends` and `--set`, as YAML: repeating a run from it gives the
    /// same results. Written as scenario.resolved.yaml; its sha256 goes into the manifest.
    std::string resolved_yaml;

    Index find_country(std::string_view code) const;
    Index find_product(std::string_view id) const;
    Index find_supplier(std::string_view id) const;
    Index find_buyer(std::string_view id) const;
    Index find_policy(std::string_view id) const;
};

/// Product attributes only (ids, kinds, bounds): the origin fields are ignored.
bool matches(const ProductSelector& s, const Product& p, Index product_index);
/// Every field, for offer `offer` of the scenario; `domestic` compares the offer's customs
/// origin with `government` (the policy's `by`).
bool matches_offer(const ProductSelector& s, const Scenario& scenario, Index offer,
                   Index government);
bool matches(const CountrySelector& s, const Country& c, Index country_index);
bool matches(const BuyerSelector& s, const Scenario& scenario, Index buyer);
/// Whether the selector selects the buyer by what the firm is (headquarters, groups) rather than
/// by naming a consignee (listed, ids).
bool matches_firm(const BuyerSelector& s, const Scenario& scenario, Index buyer);

}  // namespace ts::model
