#pragma once
// What a simulation reports each tick. The engine fills one TickRecord per tick (rows in
// deterministic index order) and hands it to a Recorder; writers and collectors live outside
// the engine (sim/io writes CSV, sim/analysis summarises), so the engine never does I/O.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "model/scenario.hpp"

namespace ts::engine {

using model::Index;

enum class Channel { direct, licensed, transshipped, diverted, remote };
inline constexpr std::size_t kChannels = 5;
const char* to_string(Channel c);

/// The `via` of a direct shipment wherever a route is named (flows.csv, summary.csv route keys):
/// an explicit value, since pandas reads "" as missing.
inline constexpr std::string_view kDirectVia = "direct";

enum class EventKind { announced, in_force, lapsed, triggered, launched, capacity };
const char* to_string(EventKind e);

/// One shipment line: tick × supplier × product × route × buyer. When the recorder asks for no
/// buyer rows (Recorder::wants_buyer_flows), the engine sums the buyers of one destination and
/// billing country into one line with `buyer` kNone.
struct FlowRecord {
    Index offer = model::kNone;
    Index supplier = model::kNone;
    Index product = model::kNone;
    Index origin = model::kNone;       // country the goods physically leave
    Index via = model::kNone;          // hub country, kNone for direct shipments
    Index destination = model::kNone;  // buyer's country
    Index buyer = model::kNone;
    Channel channel = Channel::direct;
    double units = 0.0;
    double compute = 0.0;     // units × product compute
    double value_usd = 0.0;   // units × price (ex tariff)
    double tariff_usd = 0.0;  // paid to the destination government
    double fee_usd = 0.0;     // export fee paid by the supplier
    double seized_units = 0.0;
    int arrival_tick = 0;  // tick the unseized units reach the buyer (tick + the route's delay)
    Index billing = model::kNone;  // the buyer's billing country

    /// Adds the quantities of another shipment of the same key.
    void add(const FlowRecord& o) {
        units += o.units;
        compute += o.compute;
        value_usd += o.value_usd;
        tariff_usd += o.tariff_usd;
        fee_usd += o.fee_usd;
        seized_units += o.seized_units;
    }
};

/// tick × supplier × product (one per offer).
struct MarketRecord {
    Index offer = model::kNone;
    double price = 0.0;
    double capacity = 0.0;
    double produced = 0.0;
    double orders = 0.0;
    double shipped = 0.0;
    double stock = 0.0;          // closing stock
    double opening_stock = 0.0;  // opening + produced = shipped + stock
};

/// tick × country.
struct CountryRecord {
    Index country = model::kNone;
    double imports_units = 0.0;  // arrivals at the country's buyers this tick
    double imports_compute = 0.0;
    double diverted_compute = 0.0;
    double seized_units = 0.0;
    double unmet_compute = 0.0;
    double price_index = 0.0;  // demand-weighted mean of its buyers' CES price index; 0 = no price
                               // (no buyer with a usable offer)
    double tariff_revenue_usd = 0.0;
    double fee_revenue_usd = 0.0;
    double remote_compute = 0.0;  // compute its buyers used in data centres abroad
    double compute_used = 0.0;    // compute its buyers received: chips delivered + remote
};

/// tick × supplier × purchased product (multi-tier): an input's stock or an equipment's
/// installed base. closing = opening + received − used, exactly.
struct SupplierRecord {
    Index supplier = model::kNone;
    Index product = model::kNone;
    bool equipment = false;  // installed base (received = installed this tick, used = worn out)
    double opening = 0.0;
    double received = 0.0;
    double used = 0.0;
    double closing = 0.0;
    double pipeline = 0.0;  // ordered and not yet in stock (in transit, or awaiting installation)
    double capacity = 0.0;  // equipment: output capacity it gives (installed × per unit)
};

/// tick × supplier × capacity pool (pools.csv), in pool units per tick.
struct PoolRecord {
    Index supplier = model::kNone;
    std::size_t pool = 0;  // index into the supplier's `pools`
    double capacity = 0.0;
    double demand = 0.0;   // what last tick's orders would draw, within own capacities
    double granted = 0.0;  // capacity granted to its offers this tick
    double used = 0.0;     // drawn by this tick's production (never above capacity)
    bool binding = false;  // demand above capacity: the pool rationed its offers
};

/// tick × supplier × billing country.
struct RevenueRecord {
    Index supplier = model::kNone;
    Index billing_country = model::kNone;
    Channel channel = Channel::direct;  // of the flows billed
    double units = 0.0;
    double revenue_usd = 0.0;  // value less export fees
};

struct EventRecord {
    std::string actor;  // country code or supplier id
    std::string id;     // policy, reaction or product id
    EventKind event = EventKind::in_force;
    std::string detail;
};

/// A tick's events. clear() keeps the records and their strings' storage, so that filling the
/// list again with text that fits allocates nothing (no allocation in the tick loop).
class EventList {
  public:
    /// Keeps `slots` records ready, each with room for `text` characters per string.
    void reserve(std::size_t slots, std::size_t text) {
        while (items_.size() < slots) {
            items_.emplace_back();
            items_.back().actor.reserve(text);
            items_.back().id.reserve(text);
            items_.back().detail.reserve(text * 4);
        }
    }
    /// A cleared record at the end of the list, to fill in place.
    EventRecord& add() {
        if (size_ == items_.size()) items_.emplace_back();
        EventRecord& e = items_[size_++];
        e.actor.clear();
        e.id.clear();
        e.detail.clear();
        e.event = EventKind::in_force;
        return e;
    }
    /// Appends a copy of `e` (into a kept record: no allocation when the text fits).
    void push_back(const EventRecord& e) {
        EventRecord& slot = add();
        slot.actor.assign(e.actor);
        slot.id.assign(e.id);
        slot.event = e.event;
        slot.detail.assign(e.detail);
    }
    void clear() { size_ = 0; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const EventRecord& operator[](std::size_t i) const { return items_[i]; }
    const EventRecord* begin() const { return items_.data(); }
    const EventRecord* end() const { return items_.data() + size_; }

  private:
    std::vector<EventRecord> items_;
    std::size_t size_ = 0;
};

/// A soft route or remote channel in one tick (soft_routes.csv): the terms buyers faced and
/// the volume that went through it.
struct SoftRouteRecord {
    Index route = model::kNone;  // hub route (index into Scenario::routes), or kNone
    Index buyer = model::kNone;  // remote channel: the buyer, or kNone
    double volume = 0.0;         // units through the route / compute used remotely, this tick
    double priced = 0.0;         // the smoothed volume the terms were priced at
    double markup = 0.0;
    double detection = 0.0;  // the route's own detection at `priced` (before enforcement)
};

struct TickRecord {
    int tick = 0;
    Date date{};
    std::vector<FlowRecord> flows;
    std::vector<MarketRecord> markets;
    std::vector<CountryRecord> countries;
    std::vector<RevenueRecord> revenue;
    EventList events;
    std::vector<SupplierRecord> suppliers;
    std::vector<SoftRouteRecord> soft_routes;  // soft routes and remote channels only
    std::vector<PoolRecord> pools;             // worlds with capacity pools only
    void clear() {
        suppliers.clear();
        soft_routes.clear();
        pools.clear();
        flows.clear();
        markets.clear();
        countries.clear();
        revenue.clear();
        events.clear();
    }
};

/// Receives a run's records. The engine calls begin() before the first tick's record(), once
/// per run, and end() after the last tick; a recorder may see several runs in sequence.
class Recorder {
  public:
    virtual ~Recorder() = default;
    virtual void begin(const model::Scenario& /*scenario*/, int /*run*/) {}
    virtual void record(const TickRecord& tick) = 0;
    virtual void end() {}
    /// Whether the flows must be one per buyer. A recorder that only sums flows over buyers
    /// says no, and the engine then keeps one flow per destination and billing country: a
    /// dense world's tick holds buyers × offers flows otherwise.
    virtual bool wants_buyer_flows() const { return true; }
};

/// Forwards every record to several recorders, in order.
class TeeRecorder final : public Recorder {
  public:
    explicit TeeRecorder(std::vector<Recorder*> targets) : targets_(std::move(targets)) {}
    void begin(const model::Scenario& s, int run) override {
        for (auto* t : targets_) t->begin(s, run);
    }
    void record(const TickRecord& tick) override {
        for (auto* t : targets_) t->record(tick);
    }
    void end() override {
        for (auto* t : targets_) t->end();
    }
    bool wants_buyer_flows() const override {
        for (const auto* t : targets_)
            if (t->wants_buyer_flows()) return true;
        return false;
    }

  private:
    std::vector<Recorder*> targets_;
};

}  // namespace ts::engine
