#pragma once
// Parts of an ensemble job and their merging into the final files.
//
// A task (one run) writes its *part*: a folder `NAME/` (EnsemblePlan::part_name) holding its
// summary rows at full precision (`summary.csv`, values in shortest round-trip form, so merging
// parts read back from disk gives exactly the statistics of merging them in memory) and, for
// `run`, its per-tick files (with the run column when runs > 1). A part is written under a
// hidden temporary name and renamed into place when complete, so a part folder that exists
// is whole: a killed job resumes by skipping them, and `reduce` merges only whole parts.
//
// EnsembleAssembler merges parts, given in task order, into the final files of an output
// folder. Threads, MPI ranks, shards and `reduce` all go through it, so their outputs are
// byte-identical.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/ensemble.hpp"
#include "analysis/morris.hpp"
#include "analysis/sobol.hpp"
#include "analysis/summary.hpp"
#include "io/csv.hpp"
#include "io/ensemble_plan.hpp"
#include "io/output_dir.hpp"
#include "io/output_schema.hpp"

namespace ts::io {

/// The per-tick files a run part may hold, in the order they are merged.
const std::vector<std::string_view>& per_tick_files();

/// summary.csv of a part: `scope,key,metric,value` with exact values.
void write_part_summary(const std::vector<analysis::SummaryRow>& rows,
                        const std::filesystem::path& path);
/// Reads it back. Throws ts::RunError.
std::vector<analysis::SummaryRow> read_part_summary(const std::filesystem::path& path);

/// "HOST-PID": tells apart temporary files of processes sharing a folder (shards on a cluster).
std::string process_tag();

/// A part folder being written: created as `<root>/.NAME.tmp-HOST-PID-SEQ`, moved to
/// `<root>/NAME` by commit(). Removed by the destructor unless committed. Thread-safe to use
/// several at once.
class PartWriter {
  public:
    PartWriter(const std::filesystem::path& root, const std::string& name);
    ~PartWriter();
    PartWriter(const PartWriter&) = delete;
    PartWriter& operator=(const PartWriter&) = delete;

    const std::filesystem::path& path() const { return temp_; }
    const std::filesystem::path& final_path() const { return final_; }
    /// Renames into place. Returns false (and discards this copy) if another process
    /// completed the same part meanwhile. Throws ts::RunError on I/O failure.
    bool commit();

  private:
    std::filesystem::path temp_, final_;
    bool committed_ = false;
};

/// True when the part folder `<root>/NAME` is complete.
bool part_complete(const std::filesystem::path& root, const std::string& name);

/// Removes temporary part folders and files that processes of this host left behind when
/// they were killed (their pid no longer runs). Others' are left alone.
void remove_stale_temporaries(const std::filesystem::path& root);

/// Writes `text` to `path` through a temporary file with a process-unique name and a rename,
/// so concurrent writers (shards) never mix their bytes.
void write_file_shared(const std::filesystem::path& path, std::string_view text);

/// summary.csv of an ensemble: `scope,key,metric,mean,sd,p05,p50,p95,runs` (6 decimals).
void write_ensemble_summary_csv(const std::vector<analysis::EnsembleRow>& rows,
                                const std::filesystem::path& path);

/// The columns a sweep's runs.csv and summary.csv start with: variant, the design's (trajectory
/// and point; block and row) and one per swept parameter (views into `plan`).
std::vector<OutputColumn> sweep_leading_columns(const EnsemblePlan& plan);

class EnsembleAssembler {
  public:
    /// Final files go into `out_dir` (each through an AtomicFile: none appears before finish()).
    EnsembleAssembler(const EnsemblePlan& plan, std::filesystem::path out_dir);
    ~EnsembleAssembler();
    EnsembleAssembler(const EnsembleAssembler&) = delete;
    EnsembleAssembler& operator=(const EnsembleAssembler&) = delete;

    /// Merges the part of the next task (tasks must come 0, 1, 2, ...). Throws ts::RunError.
    void add(std::size_t task, const std::filesystem::path& part_dir);
    std::size_t added() const { return next_; }
    /// Writes the summaries and commits every file. Throws ts::RunError if a task is missing.
    void finish();

    /// run: the ensemble rows (after finish); a single run's rows as stats with runs = 1.
    const std::vector<analysis::EnsembleRow>& ensemble_rows() const { return ensemble_rows_; }
    /// run with one run: its summary rows.
    const std::vector<analysis::SummaryRow>& single_rows() const { return single_rows_; }
    /// sweep: the mean over runs of each metric, per variant ([variant][metric]).
    const std::vector<std::vector<double>>& variant_means() const { return variant_means_; }
    /// sweep with a Morris design: per metric, the ranking (after finish).
    const std::vector<std::vector<analysis::MorrisEffect>>& morris() const { return morris_; }
    /// sweep with a Sobol design: the indices of each chosen metric (after finish).
    const std::vector<analysis::SobolMetric>& sobol() const { return sobol_; }

  private:
    void add_run_part(const std::filesystem::path& part_dir);
    void add_sweep_part(std::size_t task, const std::filesystem::path& part_dir);
    void write_sweep_summary_rows(std::size_t variant);
    void design_fields(CsvWriter& w, std::size_t variant) const;
    std::vector<double> metric_outputs(std::size_t metric) const;
    void write_morris();
    void write_sobol();

    const EnsemblePlan& plan_;
    std::filesystem::path out_;
    std::size_t next_ = 0;

    // run
    struct Merged {
        std::string name;
        std::string header;
        std::unique_ptr<AtomicFile> file;
    };
    std::vector<Merged> merged_;
    analysis::EnsembleSummary summary_;
    std::vector<analysis::SummaryRow> single_rows_;
    std::vector<analysis::EnsembleRow> ensemble_rows_;

    // sweep
    /// The header of one of the sweep's files, from files_.
    std::vector<std::string_view> header(std::string_view file) const;

    std::vector<OutputColumn> leading_;
    std::vector<OutputFile> files_;  // sweep_files(leading_): the columns of every sweep file
    std::unique_ptr<CsvWriter> runs_csv_, summary_csv_;
    analysis::EnsembleSummary variant_summary_;  // the runs of the variant being merged
    std::vector<std::vector<double>> current_;   // [metric][run] of the variant being merged
    std::vector<std::vector<double>> variant_means_;
    std::vector<std::vector<analysis::MorrisEffect>> morris_;
    std::vector<analysis::SobolMetric> sobol_;
};

}  // namespace ts::io
