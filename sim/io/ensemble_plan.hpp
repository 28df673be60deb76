#pragma once
// The plan of an ensemble job (`run --runs N`, `sweep`): the tasks it consists of and how their
// results are merged. A task is one simulation run: task t of a run ensemble is run t; task t
// of a sweep is run t mod N of variant t div N (variant-major, so a variant's runs are
// consecutive). Shards write the plan as `parts/plan.yaml` next to their parts; `reduce`
// reads it back. The text is deterministic, so a shard that finds a plan in its folder knows by
// comparing texts whether the parts there belong to the same job (resume) or not.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/ensemble.hpp"
#include "analysis/sweep_design.hpp"
#include "io/manifest.hpp"
#include "io/run_writer.hpp"

namespace ts::io {

inline constexpr std::string_view kPartsDir = "parts";
inline constexpr std::string_view kPlanYaml = "plan.yaml";
inline constexpr std::string_view kRunsCsv = "runs.csv";
inline constexpr std::string_view kMorrisCsv = "morris.csv";
inline constexpr std::string_view kSobolCsv = "sobol.csv";

struct EnsemblePlan {
    enum class Kind { run, sweep };
    Kind kind = Kind::run;
    std::string scenario_name;
    std::string scenario_sha256;  // of the base scenario's resolved YAML
    std::uint64_t seed = 0;
    int runs = 1;
    /// The base scenario's observed_until, for the merged folder's manifest (written into the
    /// plan only when the scenario has one, so plans of other scenarios are unchanged).
    std::optional<Manifest::Observed> observed;
    /// What is random in the runs, for the manifest (Manifest::random_parts).
    std::optional<std::string> random_parts;
    // run: per-tick files written per run
    RunWriterOptions::Detail detail = RunWriterOptions::Detail::buyer;
    // sweep
    analysis::DesignSpec design;
    std::vector<std::string> parameters;  // paths, in --param order
    std::vector<analysis::Variant> variants;
    std::vector<analysis::MetricKey> metrics;  // the columns of runs.csv and summary.csv
    // sweep with a Sobol design (written into the plan only then)
    std::vector<std::string> sobol_metrics;  // columns (--metric) given indices; empty: all
    int bootstrap = 0;                       // resamples of the confidence intervals

    std::size_t variant_count() const { return kind == Kind::run ? 1 : variants.size(); }
    std::size_t tasks() const { return variant_count() * static_cast<std::size_t>(runs); }
    std::size_t variant_of(std::size_t task) const { return task / static_cast<std::size_t>(runs); }
    int run_of(std::size_t task) const {
        return static_cast<int>(task % static_cast<std::size_t>(runs));
    }
    /// The folder name of a task's part: `run-000003` or `v000002-run-000003`.
    std::string part_name(std::size_t task) const;
};

const char* to_string(EnsemblePlan::Kind k);

/// The plan as YAML text (deterministic; doubles in shortest round-trip form).
std::string plan_yaml(const EnsemblePlan& plan);
/// Reads a plan written by plan_yaml. Throws ts::RunError naming `path` if it is not one.
EnsemblePlan read_plan(const std::filesystem::path& path);

/// A double in its shortest form that reads back to the same value ("0.1", "1e+300", "nan").
std::string exact_number(double v);
/// Parses exact_number's output (and any decimal number). Throws ts::RunError.
double parse_exact_number(std::string_view text);

}  // namespace ts::io
