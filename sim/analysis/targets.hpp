#pragma once
// Calibration targets (docs/calibration.md, "Targets"): observed moments a run is held against.
// A target is a filter over a run's per-tick records (a period and keys such as country or
// supplier) and a metric of compare's vocabulary summed (or, for shares and the price index,
// divided) over what the filter keeps. No I/O here: sim/io/targets_reader parses the file, and
// the records come either from a run folder's CSV files (sim/io/run_reader, for `fit`) or from
// a simulation in memory (TargetRecorder, for `calibrate`), through the same TickSink calls, so
// both give the same model values.
//
// Standardised error: z = (model − observed) / s. With `sd`, s = sd. A `band: [lo, hi]` is read
// as a 90 % interval around `observed`: s = (hi − observed) / 1.645 when the model lies above
// `observed`, (observed − lo) / 1.645 below, so that |z| <= 1.645 exactly when lo <= model <= hi
// (an asymmetric band keeps both sides). With sd, the band is observed ± 1.645·sd.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/compare.hpp"
#include "core/error.hpp"

namespace ts::analysis {

/// z of the edge of a 90 % interval of a normal distribution.
inline constexpr double kBandZ = 1.6448536269514722;

/// The channels of flows.csv (engine::Channel), for the `channel` key.
const std::vector<std::string>& channel_names();

/// Where a target's metric comes from.
enum class TargetSource { countries, flows, revenue };

/// What a target selects; an empty field selects everything.
struct TargetKeys {
    std::string country;  // countries.csv country, or the destination of flows
    std::string supplier, product, billing, channel, headquarters;
    /// route: ORIGIN > HUB > DEST (or ORIGIN > DEST, direct: via empty) of flows.
    bool has_route = false;
    std::string origin, via, destination;
};

struct Target {
    std::string id, metric;
    TargetSource source = TargetSource::countries;
    TargetKeys keys;
    std::string first, last;  // ISO days, both included: a tick counts when its date is inside
    std::string period;       // as written ("FY2025", "2024", "2024-01..2024-06")
    double observed = 0;
    std::optional<double> sd;                       // exactly one of sd and band
    std::optional<std::pair<double, double>> band;  // [lo, hi], lo < observed < hi
    double weight = 1;
    bool holdout = false;
    std::string source_text;  // `source:` (where the observed value comes from)
    SourceLoc loc;            // the target's `id`, for messages about it
    /// "world", "CHN", "nvidia/CHN", "supplier nvidia, channel diverted": the keys as text.
    std::string scope_text() const;
};

struct TargetSet {
    std::string file;
    std::vector<Target> targets;
};

/// Which source a metric with these keys reads, or an explanation why the combination is not
/// available (e.g. revenue_usd by destination country). `metric` must be known.
std::optional<TargetSource> target_source(const std::string& metric, const TargetKeys& keys,
                                          std::string& why);
/// Every metric name of compare's vocabulary (all views), for validation and did-you-mean.
const std::vector<std::string>& target_metric_names();

/// Periods. A calendar year "2024", half "2024H2" or quarter "2024Q3", a fiscal year "FY2025",
/// half "FY2025H1" or quarter "FY2025Q1" with the fiscal year starting in month `fiscal_start`
/// (1-12; the fiscal year is named after the calendar year it ends in, so with fiscal_start 2
/// FY2025 is 2024-02-01 .. 2025-01-31). nullopt (with `why`) when the text is none of these.
struct DayRange {
    std::string first, last;  // ISO days, both included
};
std::optional<DayRange> parse_period(std::string_view text, std::optional<int> fiscal_start,
                                     std::string& why);

/// The names a run has (from its scenario), to check the targets' keys against. Empty lists
/// are filled from the records seen instead (run folders without scenario.resolved.yaml).
struct RunNames {
    std::vector<std::string> countries, suppliers, products;
    std::map<std::string, std::string, std::less<>> buyer_headquarters;  // buyer id -> country
};

/// Collects, per run index, what every target of a set needs. Fed record by record (a TickSink);
/// nothing per tick is kept beyond the running sums.
class TargetAccumulator final : public TickSink {
  public:
    enum class Measure;  // what a target sums from a row (targets.cpp)

    explicit TargetAccumulator(const TargetSet& targets);

    void add(const CountryTick& r) override;
    void add(const FlowTick& r) override;
    void add(const RevenueTick& r) override;
    void set_has_flows(bool v) override { has_flows_ = v; }
    void set_has_revenue(bool v) override { has_revenue_ = v; }
    /// The run's names and buyers' headquarters (call before adding flows).
    void set_names(RunNames names);
    /// Forgets every run (keeps the targets and names), to evaluate another simulation.
    void reset();
    /// Whether some target reading `source` has `date` (YYYY-MM-DD) in its period: a feed may
    /// skip a tick's rows of that file when not.
    bool wants(TargetSource source, std::string_view date);

    const TargetSet& targets() const { return *targets_; }
    /// Run indices seen, ascending.
    std::vector<int> runs() const;
    /// The model value of every target (in file order) in run `run` (0 when nothing matched).
    std::vector<double> model_values(int run) const;
    /// The model values of every run, in runs() order.
    std::vector<std::vector<double>> all_model_values() const;
    /// The whole run of the lowest run index: first and last tick date, ticks.
    TimeSpan span() const;
    /// The last day the run covers: the day before the tick after its last one (the step is
    /// taken from the last two ticks; a one-tick run covers its date only).
    std::string span_end() const;
    /// Why targets cannot be evaluated on this run, each at the target's line: keys the run does
    /// not have, periods outside its span or holding no tick, metrics from a file it lacks.
    /// `run_label` names the run in messages, as a noun: "run folder 'out/a'".
    Diagnostics check(const std::string& run_label) const;

  private:
    struct Acc {
        double value = 0, whole = 0;  // shares: part and whole; price index: sum and ticks
    };
    struct RunAcc {
        std::vector<Acc> targets;
        std::vector<std::int64_t> ticks_in;  // ticks inside each target's period
        std::int64_t ticks = 0;
        std::string first, previous, last;
    };
    RunAcc& run(int r);
    /// The targets reading `source` whose period holds `date` (cached for the last date).
    const std::vector<std::size_t>& active(TargetSource source, std::string_view date);
    bool flow_matches(const Target& t, const FlowTick& r) const;
    void note(std::vector<std::string>& names, std::string_view name);

    const TargetSet* targets_;
    std::vector<std::size_t> by_source_[3];  // target indices reading each TargetSource
    std::vector<Measure> measures_;          // per target
    std::vector<std::size_t> active_[3];     // by source: the targets active at active_date_
    std::string active_date_[3];
    std::map<int, RunAcc> runs_;
    RunNames names_;
    bool names_from_scenario_ = false;
    bool has_flows_ = true, has_revenue_ = true, has_compute_used_ = false;
    bool flows_without_buyer_ = false;  // flows.csv written with --detail country
};

/// One target's row of a fit report.
struct FitRow {
    const Target* target = nullptr;
    int runs = 0;
    double model = 0;                 // mean over the runs
    double sd = 0, p05 = 0, p95 = 0;  // over the runs (0 for one run)
    std::optional<double> ratio;      // model / observed; none when observed is 0
    double z = 0;
    bool inside = false;     // |z| <= kBandZ (within the band)
    bool projected = false;  // the period ends after the run's observed_until
};

struct FitReport {
    std::vector<FitRow> rows;  // in file order (holdouts included; FitRow::target says which)
};

/// Standardised error of a model value against a target (see the file comment).
double z_score(const Target& t, double model);

/// The fit of model values (per run, one value per target in file order). `observed_until`
/// (YYYY-MM, the run's manifest) marks targets whose period ends after it as projected.
FitReport fit(const TargetSet& targets, const std::vector<std::vector<double>>& per_run,
              const std::optional<std::string>& observed_until = std::nullopt);

/// The calibration objective: Σ weight · z² over the non-holdout targets.
double objective(const FitReport& report);

}  // namespace ts::analysis
