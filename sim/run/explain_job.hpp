#pragma once
// tradesim explain (docs/explaining-results.md). Both forms re-simulate from the run folders'
// scenario.resolved.yaml, which repeats a run exactly, so run folders store nothing extra.
//  - A decision trace: one buyer, or one offer, at one date (engine/trace.hpp).
//  - An attribution: the change of one metric between two run folders split among the
//    differences of their scenarios (Shapley values, analysis/attribution.hpp) and broken
//    down by channel, route, supplier and product.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "model/scenario.hpp"

namespace ts::run {

struct TraceJob {
    std::filesystem::path run_dir;
    std::string buyer;             // a buyer id, or
    std::string offer;             // "supplier/product"
    std::string date;              // YYYY-MM or YYYY-MM-DD: the tick containing it
    int run = 0;                   // ensemble member (its random streams)
    std::filesystem::path output;  // CSV; empty: RUN_DIR/explain/<buyer|offer>-<date>.csv
};

struct TraceOutcome {
    std::string text;
    std::filesystem::path csv;
};

TraceOutcome run_trace_job(const TraceJob& job);

struct AttributionJob {
    std::filesystem::path a, b;
    std::string metric;  // a summary.csv metric
    std::string key;     // its key (country code, supplier id, ...); empty: the only one
    std::string scope;   // its scope when the metric and key are in several
    std::optional<Date> from, until;  // the window of ticks summed (until exclusive)
    int runs = 1;                     // runs 0..runs-1 averaged at every evaluation
    std::size_t exact_limit = 10;     // exact Shapley values up to this many players
    std::size_t permutations = 200;   // random orders above it
    int threads = 1;                  // evaluations in parallel (0: one per core)
    std::filesystem::path output;     // folder; empty: B/explain
};

struct AttributionOutcome {
    std::string text;
    std::vector<std::filesystem::path> files;
};

AttributionOutcome run_attribution_job(const AttributionJob& job);

/// Simulates the scenario once (run 0, nothing written) under engine::PolicyAudit and returns
/// its warnings about policies the reader's `warnings` do not name: what `validate` adds.
std::vector<Diagnostic> audit_policies(const model::Scenario& scenario,
                                       const std::vector<Diagnostic>& warnings);

}  // namespace ts::run
