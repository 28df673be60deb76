#pragma once
// Parameter uncertainty (docs/scenario-format.md, "Uncertainty"; docs/calibration.md,
// "Parameter uncertainty"): the scenario's `uncertainty:` section and `--uncertain`, which give
// a distribution, or joint draws from a CSV file, for any `--set` path. Each run of an ensemble
// (`--runs N`, N >= 2) draws its own values and simulates its own scenario: the base document
// with the run's values applied as overrides, then validated like any scenario.
//
// Draws come from the stream StreamKey{seed, run, Purpose::parameter_uncertainty}
// .with(id_hash(path)) (path as written), never from positions, so run r draws the same values
// in every variant of a comparison or sweep, whatever the thread, rank or shard count. Row r of
// a draws file (the r-th record after the header, 0-based) gives the values of run r.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/random.hpp"
#include "io/doc.hpp"
#include "model/scenario.hpp"

namespace ts::io {

enum class Distribution { uniform, normal, lognormal, triangular };
const char* to_string(Distribution d);

/// One path with a distribution. Parameters by distribution: uniform (a = lo, b = hi), normal
/// (a = mean, b = sd), lognormal (a = mu = ln median, b = sigma: the value is exp(mu + sigma·Z)),
/// triangular (a = lo, b = mode, c = hi). Draws outside [min, max] are redrawn (truncation).
struct UncertainParameter {
    std::string path;
    Distribution distribution = Distribution::uniform;
    double a = 0.0, b = 0.0, c = 0.0;
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    SourceLoc loc;  // the path key

    /// The probability that an untruncated draw is <= x.
    double cdf(double x) const;
    /// The share of the distribution inside [min, max].
    double kept() const;
    /// One draw from `rng` (redrawn until it lies in [min, max]; the reader requires that
    /// interval to keep at least kMinKept of the distribution).
    double draw(Rng& rng) const;
    /// The mean, median or mode (uniform, lognormal, triangular: the midpoint, median, mode),
    /// moved into [min, max]: the value the reader checks the path with.
    double centre() const;
    /// "normal(mean 0.15, sd 0.05) truncated to [0, 1]".
    std::string describe() const;
};

/// A truncation must keep at least this share of its distribution (so redrawing is quick).
inline constexpr double kMinKept = 1e-3;

/// Joint draws from a CSV file: one column per path (the header), one record per run.
struct DrawTable {
    std::string file;  // as opened (relative to the working folder)
    SourceLoc loc;     // the `draws` key
    std::vector<std::string> paths;
    std::vector<std::vector<double>> rows;
    std::vector<int> lines;  // the line of each row in the file
};

struct Uncertainty {
    std::vector<UncertainParameter> parameters;  // file order
    std::optional<DrawTable> table;
    SourceLoc loc;  // the `uncertainty` key

    bool empty() const { return parameters.empty() && !table; }
    /// The paths: the parameters', then the table's columns.
    std::vector<std::string> paths() const;
    /// Run `run`'s value of every path (order of paths()); the table must have a row for it.
    std::vector<double> values(std::uint64_t seed, int run) const;
    /// Where the value of path `i` comes from in run `run`, for messages.
    SourceLoc source(std::size_t i, int run) const;
    /// "normal(mean 0.15, sd 0.05)" or "row 4 of draws.csv" for path `i` in run `run`.
    std::string origin(std::size_t i, int run) const;
};

/// Reads root's `uncertainty` section (absent: empty), reporting every problem to `diags`.
/// A draws file is read relative to the file that names it.
Uncertainty read_uncertainty(const Doc& root, Diagnostics& diags);

/// `--uncertain PATH=DIST:ARGS` (`index`: its 1-based position among the options) as the entry
/// `uncertainty.parameters.PATH` of `root`, located in the pseudo-file "--uncertain". ARGS are
/// the distribution's keys in order (uniform lo,hi; normal mean,sd; lognormal median,sigma;
/// triangular lo,mode,hi), or KEY=VALUE for any key (min=0). False after reporting a malformed
/// option.
bool apply_uncertain_option(Doc& root, std::string_view text, int index, Diagnostics& diags);

/// What is random in an ensemble of `scenario`: licence decisions (an export control whose
/// approval, or a point of its schedule, lies strictly between 0 and 1) and seizures (a route,
/// or an enforcement policy, with a detection above 0), besides the uncertain parameters.
struct RandomParts {
    bool licence_draws = false;
    bool seizure_draws = false;
    std::vector<std::string> parameters;
    bool any() const { return licence_draws || seizure_draws || !parameters.empty(); }
};
RandomParts random_parts(const model::Scenario& scenario, const Uncertainty* uncertainty);
/// "licence draws, seizure draws, parameters (routes.MYS.detection)"; "" when nothing is
/// random. manifest.json records it as "random_parts" for compare.
std::string describe(const RandomParts& parts);

/// The file of an ensemble's drawn values (docs/outputs.md).
inline constexpr std::string_view kParametersCsv = "parameters.csv";

/// The scenarios of the runs of an uncertain scenario: the document is parsed and resolved
/// once; a run's scenario is that document with the run's values set at their paths, then
/// validated and built.
class RunScenarios {
  public:
    RunScenarios(Doc doc, std::string source_file, Uncertainty uncertainty, std::uint64_t seed);

    const Uncertainty& uncertainty() const { return uncertainty_; }
    /// Run `run`'s scenario. Throws InputError naming the run, each path and value, when the
    /// scenario rejects the values (with the hint to truncate the distribution).
    model::Scenario scenario(int run) const;
    /// Every run's values must be accepted, and a draws file must have a row per run: checked
    /// before anything runs. Throws InputError for the first run that fails.
    void check_runs(int runs) const;
    /// The scenario with every path at its distribution's centre (the first row of a draws
    /// file): how the reader checks that every path names a number the scenario accepts.
    void check_paths() const;
    /// "run,path,value" and one row per run and path: parameters.csv.
    std::string parameters_csv(int runs) const;

  private:
    model::Scenario build(const std::vector<double>& values, const std::string& label,
                          const std::vector<std::string>& origins,
                          const std::vector<SourceLoc>& sources) const;

    Doc doc_;
    std::string source_file_;
    Uncertainty uncertainty_;
    std::uint64_t seed_;
};

}  // namespace ts::io
