#pragma once
// manifest.json: provenance of one output folder (tool version, git state, scenario fingerprint,
// seeds, command line, timing). Deterministic apart from the fields that are about the run
// itself (start_time_utc, wall_seconds), so identical runs differ only there.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ts::model {
struct TimeSpec;
}

namespace ts::io {

inline constexpr std::string_view kManifestJson = "manifest.json";
inline constexpr std::string_view kResolvedScenarioYaml = "scenario.resolved.yaml";

struct Manifest {
    std::string scenario_name;
    std::string scenario_sha256;  // of Scenario::resolved_yaml (sha256_hex)
    std::string start_time_utc;   // ISO 8601, e.g. "2025-01-31T12:00:00Z"
    std::string status;           // "complete" | "interrupted" | "failed"
    std::uint64_t seed = 0;
    int runs = 1;
    int threads = 1;
    std::vector<std::string> command_line;  // argv, program name first
    double wall_seconds = 0.0;
    /// Single runs: the engine's work counters (engine::EngineStats) and the time spent in the
    /// tick loop (simulation and streaming the records), written as an "engine" object, with
    /// the seconds of each phase of the tick by name (EngineStats::phase_seconds, in tick
    /// order) as its "phase_seconds" object, and the modelled bytes each moved
    /// (EngineStats::phase_bytes) as "phase_bytes".
    struct Engine {
        std::uint64_t ticks = 0, evaluations = 0, route_checks = 0, requests = 0, bytes = 0;
        double loop_seconds = 0.0;
        std::vector<std::pair<std::string, double>> phase_seconds;
        std::vector<std::pair<std::string, std::uint64_t>> phase_bytes;
    };
    std::optional<Engine> engine;
    /// Scenarios with `time.observed_until`: where the observed record ends, written as
    /// "observed_until" (YYYY-MM) and "projection_from" (the date of the first tick that is wholly
    /// or partly projection; left out when the record covers the whole run), so that readers of
    /// the folder (compare, the chip table, charts) flag the projected ticks without the scenario.
    struct Observed {
        std::string until;                           // "2026-11"
        std::optional<std::string> projection_from;  // "2026-12-01"
        friend bool operator==(const Observed&, const Observed&) = default;
    };
    std::optional<Observed> observed;
    /// What is random in the runs (io::describe(RandomParts): "licence draws, parameters (...)",
    /// "" for nothing), written as "random_parts" so that compare can say what a band includes.
    std::optional<std::string> random_parts;
    /// `calibrate` folders: the search (docs/calibration.md, "Calibrate"), written as a
    /// "calibration" object.
    struct Calibration {
        std::string method;
        int budget = 0, starts = 0, evaluations = 0, identify_evaluations = 0;
        double evaluations_per_second = 0.0;
        double objective_before = 0.0, objective_after = 0.0;
    };
    std::optional<Calibration> calibration;
};

/// The manifest's record of a scenario's observed_until (nullopt without it).
std::optional<Manifest::Observed> observed_record(const model::TimeSpec& time);

/// Pretty-printed JSON (2-space indent, fixed key order, "\n" at the end) with "tool",
/// "version" (ts::kVersion), "git_describe" (ts::kGitDescribe) and the fields above. Strings are
/// escaped per RFC 8259 (`"` `\` and control characters); valid UTF-8 passes through, and
/// bytes that are not valid UTF-8 become U+FFFD so the file is always valid JSON.
std::string manifest_json(const Manifest& manifest);

/// `"text"` as a JSON string literal, escaped as in manifest_json.
std::string json_string(std::string_view text);

/// "YYYY-MM-DDTHH:MM:SSZ" for seconds since the Unix epoch.
std::string format_utc(std::int64_t unix_seconds);

/// Writes `text` to `path` through an AtomicFile (whole or not at all). Throws RunError.
void write_text_file(const std::filesystem::path& path, std::string_view text, bool sync = false);

}  // namespace ts::io
