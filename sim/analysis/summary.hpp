#pragma once
// Headline metrics of one run (summary.csv), accumulated tick by tick from the engine's records,
// so a run's ticks are never held in memory. No I/O here: sim/io writes the rows.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "engine/records.hpp"
#include "model/scenario.hpp"

namespace ts::analysis {

struct SummaryRow {
    std::string scope;   // world | country | supplier | offer | revenue
    std::string key;     // all | country code | supplier id | supplier/product | supplier/BILLING
    std::string metric;  // e.g. imports_compute
    double value = 0.0;
    friend bool operator==(const SummaryRow&, const SummaryRow&) = default;
};

/// Sums over all ticks of a run (begin() starts afresh; the scenario must outlive the collector).
///
/// Rows, in this order (countries, suppliers and offers in scenario order):
///  - world/all: imports_compute (Σ countries.imports_compute), units_shipped (Σ flows.units),
///    value_usd (Σ flows.value_usd), tariff_revenue_usd, fee_revenue_usd, unmet_compute,
///    diverted_compute, seized_units (Σ of the countries.csv columns of the same names);
///  - country/CODE, for every country with a buyer or with imports (countries.imports_units or
///    flows to it): imports_compute, imports_units, unmet_compute, diverted_compute, seized_units,
///    tariff_revenue_usd, fee_revenue_usd, price_index_mean (mean over the ticks recorded; only
///    countries with buyers), compute_via_third_countries (Σ flows.compute with a `via`, to the
///    country), share_via_third_countries (of Σ flows.compute to the country; 0 if none);
///  - supplier/ID for every supplier: revenue_usd (Σ revenue.revenue_usd), units_shipped,
///    value_usd, fee_usd (Σ of its flows);
///  - offer/SUPPLIER/PRODUCT for every offer: units_shipped (Σ its flows), produced (Σ markets),
///    and, when the offer has market records, price_final (last tick's) and price_mean;
///  - revenue/SUPPLIER/BILLING for every (supplier, billing country) pair with revenue records,
///    by supplier then country: revenue_usd and share (of the supplier's revenue; 0 if none);
///  - route/ORIGIN/VIA/DESTINATION (VIA `direct` for direct shipments) for every route with
///    flows, by origin, then hub (direct first), then destination, in scenario order: units,
///    compute, value_usd, seized_units (Σ the flows.csv columns of the same names);
///  - channel/NAME for each of the five channels (direct, licensed, transshipped, diverted,
///    remote): units, compute, value_usd, seized_units (Σ its flows) and revenue_usd (Σ its
///    revenue records).
/// A record naming an index outside the scenario throws ts::RunError.
class SummaryCollector final : public engine::Recorder {
  public:
    SummaryCollector() = default;

    void begin(const model::Scenario& scenario, int run) override;
    void record(const engine::TickRecord& tick) override;
    bool wants_buyer_flows() const override { return false; }  // totals only

    /// The headline metrics so far (all ticks recorded since begin()); empty before begin().
    std::vector<SummaryRow> rows() const;

  private:
    struct CountryTotals {
        double imports_compute = 0, imports_units = 0, unmet_compute = 0, diverted_compute = 0,
               seized_units = 0, tariff_revenue_usd = 0, fee_revenue_usd = 0;
        double price_index_sum = 0;
        int price_index_ticks = 0;
        double flow_compute = 0, flow_compute_via = 0, flow_units = 0;
        bool has_buyer = false;
    };
    struct SupplierTotals {
        double revenue_usd = 0, units_shipped = 0, value_usd = 0, fee_usd = 0;
    };
    struct OfferTotals {
        double units_shipped = 0, produced = 0, price_sum = 0, price_last = 0;
        int price_ticks = 0;
    };
    struct RevenueTotals {
        double revenue_usd = 0;
        bool seen = false;
    };
    struct FlowTotals {
        double units = 0, compute = 0, value_usd = 0, seized_units = 0, revenue_usd = 0;
    };
    struct WorldTotals {
        double imports_compute = 0, units_shipped = 0, value_usd = 0, tariff_revenue_usd = 0,
               fee_revenue_usd = 0, unmet_compute = 0, diverted_compute = 0, seized_units = 0;
    };

    std::size_t offer_of(const engine::FlowRecord& f) const;

    const model::Scenario* scenario_ = nullptr;
    WorldTotals world_;
    std::vector<CountryTotals> countries_;
    std::vector<SupplierTotals> suppliers_;
    std::vector<OfferTotals> offers_;
    std::vector<RevenueTotals> revenue_;  // supplier × billing country
    // Keyed by route_key(origin, via + 1, destination), sorted when written (direct, via kNone,
    // first); hashed, since the routes used are few next to countries³ and every flow of a tick
    // adds to one.
    std::unordered_map<std::uint64_t, FlowTotals> routes_;
    std::array<FlowTotals, engine::kChannels> channels_{};
};

}  // namespace ts::analysis
