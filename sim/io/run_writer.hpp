#pragma once
// The per-tick CSV files of one output folder (docs/outputs.md): flows.csv, countries.csv,
// markets.csv, revenue.csv and events.csv, streamed tick by tick (a run's ticks are never held
// in memory), each written as `<name>.tmp` and renamed into place by end(). Also summary.csv.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/summary.hpp"
#include "engine/records.hpp"
#include "io/csv.hpp"
#include "model/scenario.hpp"

namespace ts::io {

class OutputBudget;  // io/output_estimate.hpp

inline constexpr std::string_view kFlowsCsv = "flows.csv";
inline constexpr std::string_view kCountriesCsv = "countries.csv";
inline constexpr std::string_view kMarketsCsv = "markets.csv";
inline constexpr std::string_view kRevenueCsv = "revenue.csv";
inline constexpr std::string_view kEventsCsv = "events.csv";
inline constexpr std::string_view kSuppliersCsv = "suppliers.csv";
inline constexpr std::string_view kSoftRoutesCsv = "soft_routes.csv";
inline constexpr std::string_view kPoolsCsv = "pools.csv";
inline constexpr std::string_view kSummaryCsv = "summary.csv";
/// flows.csv's `via` for a direct shipment (engine::kDirectVia).
using engine::kDirectVia;

// Decimals in the CSV files.
inline constexpr int kQuantityDecimals = 4;  // units, compute, capacity, produced, stock, ...
inline constexpr int kUsdDecimals = 2;
inline constexpr int kPriceDecimals = 4;  // price, price_index
inline constexpr int kSummaryDecimals = 6;
inline constexpr int kRateDecimals = 6;  // soft_routes.csv: markup, detection

struct RunWriterOptions {
    /// First column `run`, the run number given to begin() (ensembles, shards).
    bool run_column = false;
    /// flows.csv: one row per buyer (as the engine reports), rows summed over buyers per
    /// (supplier, product, origin, via, destination, channel) with an empty buyer column, or
    /// no flows.csv at all (`--detail buyer|country|none`).
    enum class Detail { buyer, country, none } flows_detail = Detail::buyer;
    /// fsync every file before it is renamed into place.
    bool sync = false;
    /// --max-output: each tick's bytes are added to it, which throws OutputLimitError past
    /// the limit (null: no limit). Shared by the writers of a job's runs; must outlive them.
    OutputBudget* budget = nullptr;
};

const char* to_string(RunWriterOptions::Detail d);
std::optional<RunWriterOptions::Detail> parse_flows_detail(std::string_view text);

/// Writes the per-tick files into `dir` (normally OutputDir::path()). The constructor creates
/// the temporary files with their header rows; record() appends one tick, rows in the order the
/// engine gives; end() commits every file. begin() may be called again for another run before
/// end() (sequential runs into one set of files, told apart by the run column); after end() the
/// writer is closed. Destroyed without end(), it removes its temporary files. The scenario must
/// outlive the writer; ids are printed from its vectors by index, and a record naming an index
/// outside them throws ts::RunError. I/O failures throw ts::RunError.
class CsvRunWriter final : public engine::Recorder {
  public:
    CsvRunWriter(const model::Scenario& scenario, const std::filesystem::path& dir,
                 RunWriterOptions options = {});
    ~CsvRunWriter() override;

    void begin(const model::Scenario& scenario, int run) override;
    void record(const engine::TickRecord& tick) override;
    void end() override;
    /// Buyer rows only for flows.csv at buyer detail.
    bool wants_buyer_flows() const override {
        return options_.flows_detail == RunWriterOptions::Detail::buyer;
    }

    bool committed() const { return committed_; }

  private:
    struct FlowKey {
        engine::Index supplier, product, origin, via, destination;
        engine::Channel channel;
        bool operator==(const FlowKey&) const = default;
    };
    struct FlowKeyHash {
        std::size_t operator()(const FlowKey& k) const noexcept;
    };

    void cache_names(const model::Scenario& scenario);
    void write_flow(const engine::FlowRecord& f, bool with_buyer);
    const std::string& arrival_date(int tick);
    void write_flows(const engine::TickRecord& tick);
    void check_open(const char* what) const;
    /// Bytes of every file so far.
    std::uint64_t bytes() const;

    const model::Scenario* scenario_;
    RunWriterOptions options_;
    int run_ = 0;
    bool committed_ = false;
    std::uint64_t counted_ = 0;  // bytes already added to options_.budget

    // Ids as CSV fields, by index.
    std::vector<std::string> countries_, products_, suppliers_, buyers_;
    std::string prefix_;     // "[run,]tick,date" of the current tick
    int arrival_tick_ = -1;  // the tick arrival_date_ is the date of
    std::string arrival_date_;

    std::unique_ptr<CsvWriter> flows_;
    std::unique_ptr<CsvWriter> suppliers_csv_;    // multi-tier worlds only
    std::unique_ptr<CsvWriter> soft_routes_csv_;  // worlds with soft routes or remote channels
    std::unique_ptr<CsvWriter> pools_csv_;        // worlds with capacity pools only
    CsvWriter countries_csv_, markets_csv_, revenue_csv_, events_csv_;

    // Detail::country: this tick's sums, in first-seen order (the map only finds them).
    std::vector<engine::FlowRecord> summed_;
    // Open-addressing index of summed_ by key (slot = index + 1, 0 empty): keeps its storage
    // from tick to tick, so country-detail aggregation allocates nothing once warm.
    std::vector<std::uint32_t> summed_slots_;
    std::vector<std::size_t> used_slots_;
};

/// summary.csv: `scope,key,metric,value`, value with 6 decimals, through an AtomicFile.
void write_summary_csv(const std::vector<analysis::SummaryRow>& rows,
                       const std::filesystem::path& path, bool sync = false);

}  // namespace ts::io
