#include "run/calibrate_output.hpp"

#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "analysis/sweep_design.hpp"
#include "io/calibration_doc.hpp"
#include "io/csv.hpp"
#include "io/fit_report.hpp"
#include "io/manifest.hpp"
#include "io/output_dir.hpp"
#include "io/sha256.hpp"
#include "run/ensemble_runner.hpp"
#include "run/interrupt.hpp"

namespace fs = std::filesystem;

namespace ts::run {

namespace {

std::string num(double v) {
    return analysis::format_parameter_value(v);
}

/// A number for the CSV files: the shortest text that reads back as the same double; "inf"
/// for a standard error that is infinite (a parameter the targets do not pin down), "" for a
/// correlation that does not exist.
std::string csv_number(double v) {
    if (std::isnan(v)) return "";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    return fmt::format("{}", v);
}

void write_evaluations(const CalibrationFiles& f, const fs::path& path) {
    std::vector<std::string> header{"index", "phase", "start"};
    for (const auto& p : f.job.free) header.push_back(p.path);
    header.emplace_back("objective");
    header.emplace_back("best");
    io::CsvWriter csv(path, std::vector<std::string_view>(header.begin(), header.end()));
    const auto& evals = f.result.evaluations;
    for (std::size_t i = 0; i < evals.size(); ++i) {
        const auto& e = evals[i];
        csv.integer(static_cast<std::int64_t>(i)).text(analysis::to_string(e.phase));
        if (e.start >= 0)
            csv.integer(e.start);
        else
            csv.empty();
        for (const double v : f.objective.values_at(e.unit)) csv.text(num(v));
        csv.text(csv_number(e.objective)).integer(i == f.result.best ? 1 : 0);
        csv.end_row();
    }
    csv.commit();
}

/// One row per parameter: fitted value, bounds, standard error, status, then dz/dθ for each
/// fitted target and the correlation with every parameter.
void write_identifiability(const CalibrationFiles& f, const fs::path& path) {
    std::vector<std::string> header{"parameter", "start",         "fitted",      "low",   "high",
                                    "se",        "se_over_range", "sensitivity", "status"};
    for (const auto& t : f.objective.targets().targets)
        if (!t.holdout) header.push_back("dz_d:" + t.id);
    for (const auto& p : f.job.free) header.push_back("corr:" + p.path);
    io::CsvWriter csv(path, std::vector<std::string_view>(header.begin(), header.end()));
    const auto& id = f.identifiability;
    for (std::size_t j = 0; j < f.outcome.parameters.size(); ++j) {
        const auto& p = f.outcome.parameters[j];
        const auto& r = p.report;
        csv.text(p.free.path).text(num(p.start)).text(num(p.fitted)).text(num(p.free.lo));
        csv.text(num(p.free.hi)).text(csv_number(r.se));
        csv.text(csv_number(r.se / (p.free.hi - p.free.lo))).text(csv_number(r.sensitivity));
        csv.text(!r.identified ? "not identified" : r.on_bound ? "on a bound" : "identified");
        for (const auto& row : id.jacobian) csv.text(csv_number(row[j]));
        for (std::size_t q = 0; q < f.outcome.parameters.size(); ++q)
            csv.text(csv_number(id.correlation[j][q]));
        csv.end_row();
    }
    csv.commit();
}

std::string calibrated_text(const CalibrationFiles& f, const fs::path& out) {
    const auto& o = f.outcome;
    std::vector<std::string> header{
        fmt::format("Calibrated by tradesim calibrate against {}.", f.job.targets_file),
        fmt::format("Objective (sum of weight * z^2 over the fitted targets): {:.6g} before, "
                    "{:.6g} after;",
                    o.objective_before, o.objective_after),
        fmt::format("{} with a budget of {}: {} evaluations, seed {}, {} run(s) each.", o.method,
                    f.job.budget, o.evaluations, f.base.seed, f.job.runs),
        "Each fitted value: its bounds and standard error (docs/calibration.md).",
    };
    const fs::path scenario = fs::absolute(f.job.scenario.file).lexically_normal();
    const fs::path folder = fs::absolute(out).lexically_normal();
    const std::string extends = scenario.lexically_relative(folder).generic_string();
    std::vector<io::FittedValue> fitted;
    for (const auto& p : o.parameters) fitted.push_back({num(p.fitted), fitted_comment(p)});
    return io::calibrated_yaml(f.objective.doc(), header, extends, f.objective.overrides(),
                               f.job.free, fitted);
}

/// The manifest of a calibration folder, complete or interrupted: the scenario written there,
/// the job and the search's counts; evaluations per second over the job's wall time.
io::Manifest calibration_manifest(const model::Scenario& s, const CalibrateJob& job,
                                  const JobClock& clock, const char* status,
                                  io::Manifest::Calibration c) {
    io::Manifest m;
    m.scenario_name = s.name;
    m.scenario_sha256 = io::sha256_hex(s.resolved_yaml);
    m.start_time_utc = clock.start_time_utc;
    m.status = status;
    m.seed = s.seed;
    m.runs = job.runs;
    m.threads = resolve_threads(job.threads);
    m.command_line = job.command_line;
    m.wall_seconds = clock.seconds();
    m.observed = io::observed_record(s.time);
    c.budget = job.budget;
    c.starts = job.starts;
    c.evaluations_per_second =
        m.wall_seconds > 0 ? (c.evaluations + c.identify_evaluations) / m.wall_seconds : 0.0;
    m.calibration = c;
    return m;
}

io::Manifest manifest_of(const CalibrationFiles& f, const model::Scenario& calibrated,
                         const JobClock& clock) {
    const auto& o = f.outcome;
    io::Manifest::Calibration c;
    c.method = o.method;
    c.evaluations = o.evaluations;
    c.identify_evaluations = o.identify_evaluations;
    c.objective_before = o.objective_before;
    c.objective_after = o.objective_after;
    return calibration_manifest(calibrated, f.job, clock, "complete", c);
}

}  // namespace

std::string fitted_comment(const CalibratedParameter& p) {
    std::string text = fmt::format("free in [{}, {}]", num(p.free.lo), num(p.free.hi));
    const auto& r = p.report;
    text += std::isfinite(r.se) ? fmt::format(", SE {:.3g}", r.se) : ", SE not finite";
    if (!r.identified) text += ", not identified";
    if (r.on_bound) text += ", on a bound";
    return text;
}

std::size_t write_interrupted(const CalibrateJob& job, const model::Scenario& base,
                              const EvaluationCache& cache, const EvaluationLog& log,
                              const fs::path& out, const JobClock& clock, int done) {
    io::OutputDir dir(out, true);
    const std::size_t rows =
        write_interrupted_evaluations(dir.path() / "evaluations.csv", job.free, cache, log);
    io::Manifest::Calibration c;
    c.method = analysis::to_string(job.method);
    c.evaluations = done;
    const io::Manifest m = calibration_manifest(base, job, clock, "interrupted", c);
    io::write_text_file(dir.path() / io::kManifestJson, io::manifest_json(m));
    dir.commit();
    return rows;
}

void write_calibration(const CalibrationFiles& f, const JobClock& clock) {
    const fs::path out = f.outcome.output;
    io::OutputDir dir(out, f.job.output.force || f.job.resume);
    const auto calibrated = f.objective.scenario_at([&] {
        std::vector<double> v;
        for (const auto& p : f.outcome.parameters) v.push_back(p.fitted);
        return v;
    }());
    io::write_text_file(dir.path() / "calibrated.yaml", calibrated_text(f, out));
    io::write_fit_csv({f.before}, dir.path() / "fit-before.csv");
    io::write_fit_csv({f.after}, dir.path() / "fit-after.csv");
    write_evaluations(f, dir.path() / "evaluations.csv");
    write_identifiability(f, dir.path() / "identifiability.csv");
    io::write_text_file(dir.path() / io::kResolvedScenarioYaml, calibrated.resolved_yaml);
    io::write_text_file(dir.path() / io::kManifestJson,
                        io::manifest_json(manifest_of(f, calibrated, clock)));
    throw_if_interrupted();  // a signal during the writes: the staging folder goes
    dir.commit();
}

}  // namespace ts::run
