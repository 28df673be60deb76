#pragma once
// Ensemble statistics over Monte Carlo runs (docs/ensembles.md; summary.csv with `--runs` in
// docs/outputs.md). No I/O here: sim/io writes the rows.
//
// Determinism: runs are added in run-index order (the callers merge parts in that order,
// whatever the thread or rank count), sums are taken in that order, and the quantiles are a
// function of the sorted values only, so the statistics are byte-for-byte reproducible.
//
// Quantile definition: Hyndman & Fan (1996) type 7, the default of R, NumPy and Excel's
// PERCENTILE.INC. With the n values sorted x[0] <= ... <= x[n-1] and h = (n-1)·p,
//     Q(p) = x[floor h] + (h - floor h)·(x[floor h + 1] - x[floor h])
// so Q(0) is the minimum, Q(1) the maximum, and Q(0.5) the usual median. The standard deviation
// is the sample one (divisor n-1; 0 for a single run).
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "analysis/summary.hpp"
#include "model/scenario.hpp"

namespace ts::analysis {

struct EnsembleStats {
    double mean = 0.0, sd = 0.0, p05 = 0.0, p50 = 0.0, p95 = 0.0;
    /// Standard error of the mean, sd/√runs (0 for a single run): how far the ensemble's mean
    /// may be from the mean over infinitely many runs, not the spread of the runs.
    double se = 0.0;
    int runs = 0;
    friend bool operator==(const EnsembleStats&, const EnsembleStats&) = default;
};

/// Type-7 quantile of values sorted ascending; p in [0, 1]. NaN for no values.
double quantile_sorted(const std::vector<double>& sorted, double p);
/// mean, sample sd, p05, p50, p95 and the count of `values` (summed in the order given).
EnsembleStats ensemble_stats(const std::vector<double>& values);

/// One headline metric of summary.csv, identified by (scope, key, metric).
struct MetricKey {
    std::string scope, key, metric;
    friend bool operator==(const MetricKey&, const MetricKey&) = default;
    friend auto operator<=>(const MetricKey&, const MetricKey&) = default;
    /// "scope.key.metric", or "world.metric" for the world scope (key `all`): column names.
    std::string column() const;
};

struct EnsembleRow {
    MetricKey metric;
    EnsembleStats stats;
};

/// Accumulates the summary rows of runs, added in run-index order, and gives the ensemble
/// statistics per metric. Metrics appear in the order of their first appearance (run 0's rows
/// first; a metric that appears only in a later run follows). A metric missing from a run is
/// left out of its statistics (`runs` counts the runs that have it). Memory: one double per
/// metric and run.
class EnsembleSummary {
  public:
    void add_run(const std::vector<SummaryRow>& rows);
    std::size_t runs() const { return runs_; }
    std::vector<EnsembleRow> rows() const;

  private:
    std::vector<MetricKey> keys_;
    std::vector<std::vector<double>> values_;  // per metric, in run order
    std::map<MetricKey, std::size_t> index_;   // lookup only; order comes from keys_
    std::size_t runs_ = 0;
};

/// The headline metrics that sweeps report as columns, from the scenario: every world metric
/// of summary.csv; per country with a buyer (scenario order) imports_compute, unmet_compute,
/// diverted_compute, price_index_mean; per supplier revenue_usd.
std::vector<MetricKey> headline_metrics(const model::Scenario& scenario);

/// The value of `key` among `rows`, NaN if absent.
double find_metric(const std::vector<SummaryRow>& rows, const MetricKey& key);

}  // namespace ts::analysis
