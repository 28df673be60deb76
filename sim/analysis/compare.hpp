#pragma once
// `tradesim compare`: headline metrics of run folders side by side, with differences against a
// baseline (docs/compare.md). No I/O here: sim/io parses the per-tick CSV files of a
// run folder into the records below and feeds them to a RunTotals; this file aggregates, checks
// comparability, computes ensemble statistics and paired differences. The table and CSV are
// rendered by sim/io/compare_report.
//
// Definitions (sums over the ticks of the period, per run):
//  - imports_compute, compute_used, unmet_compute, seized_units, tariff_revenue_usd,
//    fee_revenue_usd: Σ of the countries.csv columns (imports_compute, compute_used, ...) of the
//    country; `world` sums the countries;
//  - price_index_mean: the mean of countries.csv price_index over the ticks of the period;
//  - share_via_third_countries: Σ flows.compute to the destination with a `via` (a hub:
//    transshipped, diverted, or remote compute used abroad) / Σ flows.compute to it;
//  - share_diverted: Σ flows.compute with channel `diverted` / Σ flows.compute (both 0 when no
//    compute was shipped);
//  - revenue_usd by supplier and billing country: Σ revenue.csv revenue_usd;
//  - by headquarters (flows.csv with buyers, and the buyers' headquarters from the scenario):
//    Σ flows.compute, units, value_usd and seized_units of the buyers headquartered in a country;
//    compute_abroad: the part used outside it (destination, or for remote compute the site, not
//    the headquarters country); compute_remote: the part rented abroad (channel remote).
//  - by route: seized_compute = Σ compute × seized_units / units of the rows (0 when units is
//    0); in_transit_compute = Σ compute − seized_compute of the rows whose arrival_date lies
//    after the period's last tick. compute − seized_compute − in_transit_compute is the compute
//    of the period's shipments that arrived within it.
// Ensembles (a `run` column): each metric is computed per run; a scenario shows the mean and the
// 90 % interval p05-p95 over its runs (quantiles of type 7, as R's default); the difference
// against the baseline is paired: d_r = x_r − b_r for every run index r in both, reported as the
// mean of d and its own p05-p95. Relative differences are mean(d) / |mean(b)| over the paired
// runs.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ts::analysis {

enum class CompareBy { country, product, supplier, route, headquarters };
const char* to_string(CompareBy by);
std::optional<CompareBy> parse_compare_by(std::string_view text);

/// Ticks whose ISO date (YYYY-MM-DD) lies within [from, to], both optional.
struct Period {
    std::optional<std::string> from, to;  // "YYYY-MM-DD"
    bool contains(std::string_view iso_date) const;
};

// One parsed row of each per-tick file (views into the reader's buffers: valid during add()).
struct CountryTick {
    int run = 0;
    std::string_view date, country;
    double imports_units = 0, imports_compute = 0, diverted_compute = 0, seized_units = 0,
           unmet_compute = 0, price_index = 0, tariff_revenue_usd = 0, fee_revenue_usd = 0;
    std::optional<double> compute_used;  // absent in folders written before multi-tier supply
};
struct FlowTick {
    int run = 0;
    std::string_view date, supplier, product, origin, via, destination, channel;
    std::string_view buyer;  // empty in flows.csv written with --detail country
    /// When the unseized units arrive (countries.csv counts them then); may lie after the last
    /// tick. Read from flows.csv for compare's route view; empty in folders written before the
    /// column (taken as arriving at `date`) and from the in-memory feed of the targets, which
    /// have no metric that needs it.
    std::string_view arrival_date;
    double units = 0, compute = 0, value_usd = 0, tariff_usd = 0, fee_usd = 0, seized_units = 0;
};
struct RevenueTick {
    int run = 0;
    std::string_view date, supplier, billing_country;
    double units = 0, revenue_usd = 0;
};

/// Receives the parsed rows of a run folder (sim/io/run_reader) or of a simulation in memory
/// (analysis::TargetRecorder), so one reader feeds compare's totals and the targets alike.
class TickSink {
  public:
    virtual ~TickSink() = default;
    virtual void add(const CountryTick& r) = 0;
    virtual void add(const FlowTick& r) = 0;
    virtual void add(const RevenueTick& r) = 0;
    /// Whether the folder had flows.csv / revenue.csv.
    virtual void set_has_flows(bool v) = 0;
    virtual void set_has_revenue(bool v) = 0;
};

/// First and last date and number of ticks of a run folder (all ticks, whatever the period).
struct TimeSpan {
    std::string first, last;
    std::int64_t ticks = 0;
    friend bool operator==(const TimeSpan&, const TimeSpan&) = default;
    std::string describe() const;  // "2024-01-01 .. 2025-12-01 (24 ticks)"
};

/// One headline metric of one scenario: its value in every run (by run index).
struct MetricSeries {
    std::string scope;  // world | country | revenue | supplier | product | route
    std::string
        key;  // all | country code | supplier/BILLING | supplier id | product id | A > H > B
    std::string metric;
    std::string unit;  // compute | units | USD | USD/compute | share
    std::map<int, double> runs;
    /// The parts of the key for ordering rows across scenarios: ('c', country), ('s',
    /// supplier), ('p', product); a route's empty hub is ('c', "").
    std::vector<std::pair<char, std::string>> parts;
};

/// The totals of one run folder over a period, accumulated record by record.
class RunTotals final : public TickSink {
  public:
    explicit RunTotals(Period period = {});

    void add(const CountryTick& r) override;
    void add(const FlowTick& r) override;
    void add(const RevenueTick& r) override;
    /// Whether the folder had flows.csv / revenue.csv (metrics from them are left out if not).
    void set_has_flows(bool v) override { has_flows_ = v; }
    void set_has_revenue(bool v) override { has_revenue_ = v; }
    /// Buyer id -> headquarters country code, for the headquarters view (call before adding
    /// flows). Flows to other buyers (suppliers buying inputs) are not a firm's compute.
    void set_headquarters(std::map<std::string, std::string, std::less<>> buyer_headquarters) {
        buyer_headquarters_ = std::move(buyer_headquarters);
    }
    /// Flows in the period that name no buyer (--detail country): the headquarters view cannot
    /// attribute them.
    std::int64_t flows_without_buyer() const { return flows_without_buyer_; }

    /// Countries of countries.csv in order of first appearance.
    const std::vector<std::string>& countries() const { return country_names_; }
    /// The whole run (every tick recorded, inside the period or not); ticks counted in run 0 (or
    /// the lowest run index).
    TimeSpan span() const;
    /// Ticks inside the period (of the lowest run index).
    std::int64_t ticks_in_period() const;
    std::string period_first() const;
    std::string period_last() const;
    /// The dates of the ticks inside the period, in order (of the lowest run index).
    const std::vector<std::string>& period_dates() const;
    /// Run indices seen (0 when the files have no run column).
    std::vector<int> runs() const;

    /// The headline metrics of the view, in display order (see the file comment).
    std::vector<MetricSeries> metrics(CompareBy by) const;
    /// Whether the folder had the file a metric comes from (so a missing row means 0).
    bool provides(const std::string& scope, const std::string& metric) const;

  private:
    struct CountryAcc {
        double imports_compute = 0, compute_used = 0, unmet_compute = 0, seized_units = 0,
               tariff_revenue_usd = 0, fee_revenue_usd = 0, price_index_sum = 0;
        std::int64_t ticks = 0;
        bool has_compute_used = false;
        double flow_compute = 0, flow_compute_via = 0, flow_compute_diverted = 0;
    };
    struct FlowAcc {  // per product, supplier or route
        double units = 0, compute = 0, value_usd = 0, tariff_usd = 0, fee_usd = 0, seized_units = 0,
               compute_via = 0, compute_diverted = 0, seized_compute = 0;
    };
    /// Per route: the unseized compute of its shipments by arrival date (for in_transit_compute,
    /// which needs the period's last tick, known only once every row is read).
    using Arrivals = std::map<std::string, double, std::less<>>;
    struct HeadquartersAcc {
        FlowAcc flows;
        double compute_abroad = 0, compute_remote = 0;
    };
    struct SupplierRevenueAcc {
        double revenue_usd = 0, units = 0;
    };
    struct RunAcc {
        std::vector<CountryAcc> countries;
        std::vector<FlowAcc> products, suppliers, routes;
        std::vector<Arrivals> route_arrivals;
        std::vector<HeadquartersAcc> headquarters;
        std::vector<SupplierRevenueAcc> revenue_by_supplier;
        std::map<std::pair<std::size_t, std::size_t>, double>
            revenue;  // (supplier, billing) -> USD
        std::int64_t ticks_in_period = 0;
        std::string first_in_period, last_in_period;
        std::vector<std::string> dates_in_period;
        std::int64_t ticks = 0;
        std::string first, last, last_date_seen;
    };
    /// Names in order of first appearance, with their index.
    struct Names {
        std::vector<std::string> list;
        std::map<std::string, std::size_t, std::less<>> index;
        std::size_t id(std::string_view name);
    };

    RunAcc& run(int r);
    // metrics(), view by view.
    void country_view(std::vector<MetricSeries>& out) const;
    void supplier_view(std::vector<MetricSeries>& out) const;
    void revenue_view(std::vector<MetricSeries>& out) const;  // by supplier and billing country
    // compare_flows.cpp: the product and route views.
    void flow_view(bool products, std::vector<MetricSeries>& out) const;  // products or routes
    static void add_route_arrival(RunAcc& acc, std::size_t route, const FlowTick& r,
                                  double unseized_compute);
    static double route_value(const RunAcc& acc, std::size_t route, const std::string& metric);
    void add_headquarters(RunAcc& acc, const FlowTick& r);  // compare_headquarters.cpp
    void headquarters_view(std::vector<MetricSeries>& out) const;
    static double flow_value(const FlowAcc& f, const std::string& metric);
    static double headquarters_value(const HeadquartersAcc& h, const std::string& metric);
    static double country_value(const CountryAcc& c, const std::string& metric);
    static CountryAcc world_sum(const RunAcc& acc);

    Period period_;
    bool has_flows_ = true, has_revenue_ = true;
    std::map<int, RunAcc> runs_;
    std::vector<std::string> country_names_;
    Names countries_, products_, suppliers_, routes_, billing_, headquarters_;
    std::map<std::string, std::string, std::less<>> buyer_headquarters_;
    std::int64_t flows_without_buyer_ = 0;
    std::vector<std::pair<std::size_t, std::size_t>> revenue_order_;  // first appearance
    std::map<std::pair<std::size_t, std::size_t>, bool> revenue_seen_;
};

/// The unit of a metric: USD, share, USD/compute, compute or units (from its name).
std::string metric_unit(const std::string& metric);

/// The metrics of the headquarters view, in display order.
const std::vector<std::string>& headquarters_metrics();
/// The metrics of the product and route views, in display order.
const std::vector<std::string>& product_metrics();
const std::vector<std::string>& route_metrics();

/// The metrics a view offers (for --metric and its did-you-mean).
std::vector<std::string> metric_names(CompareBy by);

/// A route key of the route view, "A > H > B" or "A > B" (direct), as origin, hub ("" when
/// direct) and destination.
std::array<std::string, 3> split_route(const std::string& key);

/// For a metric name retired for one vocabulary (compute_imported, compute_delivered), the
/// sentence that names its successor; nullopt for any other name.
std::optional<std::string> retired_metric(std::string_view name);

/// One scenario to compare: its label (scenario name), where it came from, its totals.
struct ScenarioRuns {
    std::string label;
    std::string folder;
    std::optional<std::uint64_t> seed;
    const RunTotals* totals = nullptr;
    /// Where the folder's observed record ends (manifest.json "observed_until", YYYY-MM) and
    /// the date of its first (partly) projected tick ("projection_from"; none when the record
    /// covers the whole run). Both absent for scenarios without time.observed_until.
    std::optional<std::string> observed_until, projection_from;
    /// What is random in its runs (manifest.json "random_parts": "licence draws, parameters
    /// (...)", "" for nothing); none when the folder does not record it.
    std::optional<std::string> random_parts;
};

/// How much of the compared period a scenario projects rather than observes: the ticks of the
/// period dated on or after its projection_from. A column with projected_ticks > 0 is marked
/// in the tables (docs/compare.md).
struct Projection {
    std::string observed_until;  // YYYY-MM
    std::int64_t projected_ticks = 0;
    std::string first_projected;  // date of the first projected tick in the period
};
/// nullopt when the scenario records no observed_until.
std::optional<Projection> projection_of(const ScenarioRuns& scenario);

/// Every reason the scenarios cannot be compared with the first (the baseline): different
/// countries or time spans. Empty when comparable. Each message names both folders.
std::vector<std::string> comparability_problems(const std::vector<ScenarioRuns>& scenarios);

/// mean, p05 and p95 (type-7 quantiles) of the values, their count and the standard error of
/// the mean, se = sd/√n (sample sd, divisor n − 1; 0 for one value). For a paired difference,
/// se is the standard error of the mean difference: with common random numbers far smaller
/// than the spread of either scenario.
struct Interval {
    double mean = 0, p05 = 0, p95 = 0;
    int n = 0;
    double se = 0;
};
Interval interval_of(const std::vector<double>& values);

struct CompareCell {
    bool present = false;  // the scenario has this metric
    Interval value;        // over the scenario's runs
    Interval diff;         // paired difference against the baseline (0 for the baseline itself)
    std::optional<double>
        diff_pct;  // mean(d) / |mean(baseline)| · 100; none when the baseline is 0
};

struct CompareRow {
    std::string scope, key, metric, unit;
    std::vector<CompareCell> cells;  // one per scenario, the baseline first
    std::string period = {};  // --by-period: its label ("2024", "2024Q3", "FY2025"); else empty
    bool period_partial = false;
};

struct CompareOptions {
    CompareBy by = CompareBy::country;
    std::vector<std::string> metrics;  // only these (empty: all)
    /// Keep rows that are zero in every run of every scenario (left out by default).
    bool keep_zero_rows = false;
};

struct CompareResult {
    CompareBy by = CompareBy::country;
    std::vector<std::string> labels;  // baseline first
    std::vector<std::string> folders;
    std::vector<int> runs;                                 // runs per scenario
    std::vector<std::optional<std::string>> random_parts;  // per scenario (ScenarioRuns)
    /// Per scenario: every row shown has the same value in all its runs.
    std::vector<bool> identical_runs;
    bool ensemble = false;  // some scenario has more than one run
    TimeSpan span;
    std::string period_first, period_last;
    std::int64_t period_ticks = 0;
    std::vector<std::optional<Projection>> projection;  // per scenario, the baseline first
    std::vector<CompareRow> rows;
    /// --by-period: the periods, in order; `partial` when the ticks compared do not cover it
    /// (the run, or --from/--to, starts or ends inside it).
    struct PeriodInfo {
        std::string label, first_tick, last_tick;
        std::int64_t ticks = 0;
        bool partial = false;
    };
    std::vector<PeriodInfo> periods;
    std::size_t zero_rows_left_out = 0;
    std::vector<std::string> warnings;  // e.g. runs paired on fewer indices than run
};

/// Compares the scenarios, the first being the baseline. Call comparability_problems() first.
CompareResult compare_runs(const std::vector<ScenarioRuns>& scenarios,
                           const CompareOptions& options);

}  // namespace ts::analysis
