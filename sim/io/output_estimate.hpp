#pragma once
// How much a run or a sweep would write, estimated from the scenario before anything runs, so
// that `tradesim run|sweep` can refuse a job that would fill the disk (--max-output SIZE), and
// the budget that enforces the same limit while a run writes (OutputBudget).
//
// The estimate of a run follows the world's structure (docs/reliability.md, "Output size"):
// flows.csv has a row per tick for each purchase a buyer considers (a taste weight above 0),
// more for the purchases an export control or quota may split over routes and a licence, while
// it is in force; at --detail country the buyers of a destination share their rows. Row widths
// come from the real ids and the magnitudes of demand, prices and capacities. It is the size
// to expect, within about 2x in the worlds measured, usually above; a run that writes more than
// the limit anyway is stopped by its OutputBudget.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
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
/// What to change to write less: "use --detail country or none, fewer ticks".
std::string run_advice(RunWriterOptions::Detail detail, int runs);
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

/// The limit of --max-output, enforced while a job writes: the writers of its runs (threads
/// included) add the bytes of each tick they write, and the tick that takes the total past the
/// limit throws OutputLimitError. The job then stops as after any failure: its staging folder
/// is removed, nothing that looks complete is left.
class OutputBudget {
  public:
    /// `command` is "run"; `advice` what to change (run_advice); the job simulates `runs` runs
    /// of `ticks` ticks (the message projects the whole job's size from the ticks written).
    OutputBudget(double limit, std::string_view command, std::string advice, int ticks, int runs);

    /// Adds `bytes` written for one tick; throws OutputLimitError past the limit.
    void add(std::uint64_t bytes);
    std::uint64_t bytes() const { return bytes_.load(); }
    double limit() const { return limit_; }

  private:
    double limit_;
    std::string command_;
    std::string advice_;
    int ticks_;
    int runs_;
    std::atomic<std::uint64_t> bytes_{0};
    std::atomic<std::uint64_t> ticks_done_{0};
};

/// A job that wrote more than --max-output (exit 2, as the refusal before running).
class OutputLimitError : public InputError {
  public:
    using InputError::InputError;
};

}  // namespace ts::io
