#pragma once
// How much a run or a sweep would write, estimated from the scenario before anything runs, so
// that `tradesim run|sweep` can refuse a job that would fill the disk (--max-output SIZE).
//
// The estimate is an upper bound on the rows of each file (every buyer buying every offer it
// may buy over every route, every tick) times a typical row width (the scenario's real ids, 12
// bytes per number, the date and tick columns): it can only err on the large side, by about
// the share of zero flows the engine leaves out.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/run_writer.hpp"
#include "model/scenario.hpp"

namespace ts::io {

struct FileEstimate {
    std::string name;   // "flows.csv"
    double rows = 0.0;  // data rows, all runs
    double bytes = 0.0;
};

struct OutputEstimate {
    std::vector<FileEstimate> files;  // largest first
    /// How the job could write less: "use --detail none, fewer runs or ticks".
    std::string advice;
    double total_bytes() const;
    /// "flows.csv ≈ 3.1 TB, markets.csv ≈ 2.0 GB, countries.csv ≈ 1.1 GB" (the `count` largest).
    std::string largest(std::size_t count = 3) const;
};

/// `tradesim run` with `runs` runs (a `run` column when runs > 1) at flows detail `detail`.
OutputEstimate estimate_run_output(const model::Scenario& scenario, RunWriterOptions::Detail detail,
                                   int runs);
/// Rows of a run's summary.csv, estimated from the scenario's size (an upper bound in
/// practice: countries without buyers or imports and unused routes have no rows).
double summary_rows_estimate(const model::Scenario& scenario);
/// `tradesim sweep`: runs.csv (variants x runs x summary rows) and summary.csv (variants x
/// summary rows), long like a run's summary.csv.
OutputEstimate estimate_sweep_output(std::size_t variants, int runs, std::size_t parameters,
                                     double summary_rows);

/// The default of --max-output: 100 GB (docs/reliability.md, "Bad input", says why).
inline constexpr double kDefaultMaxOutputBytes = 100e9;

/// "3.2 TB", "850 MB", "12 kB", "512 B" (decimal units, as disks are sold).
std::string format_size(double bytes);
/// A --max-output value: a number with an optional unit K, M, G, T or P (decimal, an optional
/// trailing B, any case): "500G", "2T", "1.5TB", "800m"; "none" is no limit (+infinity).
/// nullopt if malformed or not positive.
std::optional<double> parse_size(std::string_view text);

/// Throws InputError (exit 2) when the estimate is above `limit` bytes, naming the largest
/// files and how to proceed. `command` is "run" or "sweep".
void check_output_size(const OutputEstimate& estimate, double limit, std::string_view command);

}  // namespace ts::io
