#pragma once
// Builds small frozen scenarios in code, for engine tests that must not depend on the YAML
// reader. Weights are set directly (taste weights a_i per offer).
#include <string>
#include <vector>

#include "engine/records.hpp"
#include "model/scenario.hpp"

namespace ts::test {

class ScenarioBuilder {
  public:
    explicit ScenarioBuilder(int ticks = 1, TimeStep step = TimeStep::month,
                             Date start = {2024, 1, 1}) {
        s_.name = "test";
        s_.time = {start, step, ticks, std::nullopt};
    }
    model::Index country(const std::string& code, std::vector<std::string> groups = {}) {
        s_.countries.push_back({code, code, std::move(groups)});
        return static_cast<model::Index>(s_.countries.size() - 1);
    }
    model::Index product(const std::string& id, double compute = 1.0,
                         std::optional<double> tpp = {}) {
        model::Product p;
        p.id = id;
        p.compute = compute;
        p.tpp = tpp;
        s_.products.push_back(p);
        return static_cast<model::Index>(s_.products.size() - 1);
    }
    model::Index supplier(const std::string& id, model::Index made_in,
                          double price_adjustment = 0.0) {
        model::Supplier sup;
        sup.id = id;
        sup.jurisdiction = sup.made_in = sup.ships_from = made_in;
        sup.price_adjustment = price_adjustment;
        s_.suppliers.push_back(sup);
        return static_cast<model::Index>(s_.suppliers.size() - 1);
    }
    model::Index offer(model::Index supplier, model::Index product, double price,
                       double capacity = model::kUnlimited, double unit_cost = 0.0,
                       double supply_elasticity = 0.0) {
        model::Offer o;
        o.supplier = supplier;
        o.product = product;
        o.price = price;
        o.capacity = capacity;
        o.unit_cost = unit_cost;
        o.supply_elasticity = supply_elasticity;
        s_.offers.push_back(o);
        const auto idx = static_cast<model::Index>(s_.offers.size() - 1);
        s_.suppliers[static_cast<std::size_t>(supplier)].offers.push_back(idx);
        return idx;
    }
    /// A buyer; weights default to 1/n for each of the n offers defined so far (the reader
    /// normalises preference weights the same way).
    model::Index buyer(const std::string& id, model::Index country, double demand,
                       double reference_cost, double eta, double sigma,
                       std::vector<double> weights = {}) {
        model::Buyer b;
        b.id = id;
        b.country = b.billing_country = country;
        b.demand = demand;
        b.reference_cost = reference_cost;
        b.price_elasticity = eta;
        b.substitution = sigma;
        b.weights =
            weights.empty()
                ? std::vector<double>(s_.offers.size(), 1.0 / static_cast<double>(s_.offers.size()))
                : std::move(weights);
        s_.buyers.push_back(b);
        return static_cast<model::Index>(s_.buyers.size() - 1);
    }
    model::Buyer& buyer_ref(model::Index b) { return s_.buyers[static_cast<std::size_t>(b)]; }
    /// A tariff by `importer` on goods made in `origins` (all if empty), from tick `from`.
    model::Index tariff(const std::string& id, model::Index importer, double rate,
                        std::vector<model::Index> origins = {},
                        std::vector<model::Index> except = {}, std::int64_t from = 0,
                        std::int64_t until = std::numeric_limits<std::int64_t>::max()) {
        model::Policy p;
        p.id = id;
        p.by = importer;
        p.type = model::PolicyType::tariff;
        p.rate = rate;
        p.products.all = true;
        p.destinations.all = true;
        p.origins.all = origins.empty();
        p.origins.countries = std::move(origins);
        p.origins.except = std::move(except);
        p.announced_tick = p.from_tick = from;
        p.until_tick = until;
        s_.policies.push_back(p);
        return static_cast<model::Index>(s_.policies.size() - 1);
    }
    model::Policy& policy_ref(model::Index p) { return s_.policies[static_cast<std::size_t>(p)]; }
    /// A route through a hub country.
    model::Index route(model::Index via, double markup = 0.0, int delay = 0,
                       double capacity = model::kUnlimited, double detection = 0.0) {
        model::Route r;
        r.via = via;
        r.markup = markup;
        r.delay_ticks = delay;
        r.capacity = capacity;
        r.detection = detection;
        s_.routes.push_back(r);
        return static_cast<model::Index>(s_.routes.size() - 1);
    }
    /// A policy of any type on all products and the given destinations (all if empty), in force
    /// from `from`; adjust the rest through policy_ref.
    model::Index policy(const std::string& id, model::PolicyType type, model::Index by,
                        std::vector<model::Index> destinations = {}, std::int64_t from = 0) {
        model::Policy p;
        p.id = id;
        p.by = by;
        p.type = type;
        p.products.all = true;
        p.destinations.all = destinations.empty();
        p.destinations.countries = std::move(destinations);
        p.origins.all = true;
        p.announced_tick = p.from_tick = from;
        s_.policies.push_back(p);
        return static_cast<model::Index>(s_.policies.size() - 1);
    }
    /// An export control by `by` on all products to `destinations`; approval < 0 means no
    /// licence (prohibition).
    model::Index control(const std::string& id, model::Index by,
                         std::vector<model::Index> destinations, double approval = -1.0,
                         int delay = 0, bool exports = true, bool reexports = true,
                         std::int64_t from = 0) {
        const auto p =
            policy(id, model::PolicyType::export_control, by, std::move(destinations), from);
        auto& pol = policy_ref(p);
        if (approval >= 0.0) pol.licence = model::Licence{approval, delay};
        pol.covers_exports = exports;
        pol.covers_reexports = reexports;
        return p;
    }
    void transport_delay(int ticks) { s_.transport_delay_ticks = ticks; }
    /// The supplier buys `product` (all its offers, equal weights), like the reader's default.
    model::Purchase& purchase(model::Index supplier, model::Index product) {
        model::Purchase pu;
        pu.product = product;
        pu.weights.assign(s_.offers.size(), 0.0);
        double n = 0.0;
        for (const auto& o : s_.offers)
            if (o.product == product) n += 1.0;
        for (std::size_t o = 0; o < s_.offers.size(); ++o)
            if (s_.offers[o].product == product) pu.weights[o] = 1.0 / n;
        auto& sup = s_.suppliers[static_cast<std::size_t>(supplier)];
        sup.purchases.push_back(pu);
        return sup.purchases.back();
    }
    void input(model::Index offer, model::Index product, double per_unit) {
        s_.offers[static_cast<std::size_t>(offer)].inputs.push_back({product, per_unit});
    }
    void equipment(model::Index supplier, model::Index product, double per_unit, double installed,
                   double depreciation, int lag) {
        s_.suppliers[static_cast<std::size_t>(supplier)].equipment =
            model::Equipment{product, per_unit, installed, depreciation, lag};
        for (model::Index o : s_.suppliers[static_cast<std::size_t>(supplier)].offers)
            s_.offers[static_cast<std::size_t>(o)].capacity_from_equipment = true;
    }
    /// Buyers' weight vectors must cover offers added after them.
    void finish() {
        for (auto& b : s_.buyers) b.weights.resize(s_.offers.size(), 0.0);
        for (auto& sup : s_.suppliers)
            for (auto& pu : sup.purchases) pu.weights.resize(s_.offers.size(), 0.0);
    }
    model::Scenario& scenario() { return s_; }

  private:
    model::Scenario s_;
};

/// Keeps every tick's records, for assertions.
class CapturingRecorder final : public engine::Recorder {
  public:
    void record(const engine::TickRecord& t) override { ticks.push_back(t); }
    bool wants_buyer_flows() const override { return buyer_rows; }
    std::vector<engine::TickRecord> ticks;
    bool buyer_rows = true;  // false: the engine may sum flows over buyers

    /// Units of `offer` shipped to `buyer` at `tick`.
    double units(int tick, model::Index offer, model::Index buyer) const {
        double u = 0.0;
        for (const auto& f : ticks.at(static_cast<std::size_t>(tick)).flows)
            if (f.offer == offer && f.buyer == buyer) u += f.units;
        return u;
    }
};

}  // namespace ts::test
