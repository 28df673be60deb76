// tradesim calibrate end to end (run/calibrate_job.hpp): recovering known parameters of a
// generated world from noisy targets built from its own outputs, flagging a parameter the
// targets cannot see, identical results for any thread count, calibrated.yaml reproducing the
// fitted scenario, and nothing written on bad input.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "analysis/calibration.hpp"
#include "analysis/sweep_design.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "io/generate.hpp"
#include "io/scenario_reader.hpp"
#include "io/targets_reader.hpp"
#include "run/calibrate_job.hpp"
#include "run/calibrate_objective.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace ts;

namespace {

/// A generated world of 6 countries and 12 buyers over 24 months (2024-01 .. 2025-12).
fs::path world(const fs::path& dir) {
    io::GenerateSpec spec;
    spec.countries = 6;
    spec.suppliers = 3;
    spec.buyers = 12;
    spec.products = 2;
    spec.hubs = 2;
    spec.ticks = 24;
    spec.seed = 3;
    const fs::path file = dir / "world.yaml";
    std::ofstream(file) << io::generate_scenario(spec);
    return file;
}

// The truth: two buyers' demand, which their countries' imports see (XAC holds b03, XAF b09).
// b01 (in the producer country XAA, which no control touches) decides nothing the targets
// measure through its risk tolerance, which only matters on risky routes.
const std::vector<std::string> kTruth{"buyers.b03.demand=300", "buyers.b09.demand=900"};

std::vector<analysis::FreeParameter> free_parameters() {
    return {analysis::parse_free_parameter("buyers.b03.demand=150:450"),
            analysis::parse_free_parameter("buyers.b09.demand=500:1300"),
            analysis::parse_free_parameter("buyers.b01.risk_tolerance=0:1")};
}

struct Moment {
    const char* id;
    const char* country;
    const char* period;
};
constexpr Moment kMoments[] = {
    {"xac-2024", "XAC", "2024"}, {"xac-2025", "XAC", "2025"}, {"xaf-2024", "XAF", "2024"},
    {"xaf-2025", "XAF", "2025"}, {"xad-2025", "XAD", "2025"},  // a third country: sees both through
                                                               // prices only
};

std::string targets_text(const std::vector<double>& observed, const std::vector<double>& sd) {
    std::string text = "targets:\n";
    for (std::size_t i = 0; i < std::size(kMoments); ++i)
        text += fmt::format(
            "  - {{id: {}, metric: imports_compute, country: {}, period: {}, observed: {}, sd: "
            "{}, source: the world's own run with noise}}\n",
            kMoments[i].id, kMoments[i].country, kMoments[i].period, observed[i], sd[i]);
    return text;
}

/// Targets from the world run at the truth: each moment with 3 % noise, sd 3 %.
fs::path noisy_targets(const fs::path& scenario, const fs::path& dir) {
    // Model values at the truth, through the objective's own evaluation (zero observations
    // first: only the model values are used).
    const std::vector<double> zero(std::size(kMoments), 0.0), one(std::size(kMoments), 1.0);
    const auto probe = io::load_targets_text(targets_text(zero, one), "probe.yaml");
    Diagnostics diags;
    run::CalibrationObjective truth(*io::load_doc(scenario.string(), diags), scenario.string(),
                                    kTruth, {}, probe, 1);
    const auto report = truth.fit_at({});
    std::vector<double> observed, sd;
    Rng noise(11, 0, 0, Purpose::test);
    for (const auto& row : report.rows) {
        REQUIRE(row.model > 0);
        observed.push_back(row.model * (1.0 + 0.03 * noise.normal()));
        sd.push_back(0.03 * row.model);
    }
    const fs::path file = dir / "targets.yaml";
    std::ofstream(file) << targets_text(observed, sd);
    return file;
}

run::CalibrateJob job_of(const fs::path& scenario, const fs::path& targets, const fs::path& out) {
    run::CalibrateJob job;
    job.scenario.file = scenario.string();
    job.targets_file = targets.string();
    job.free = free_parameters();
    job.budget = 150;
    job.starts = 3;
    job.output.folder = out;
    job.command_line = {"tradesim", "calibrate"};
    return job;
}

double truth_of(std::size_t i) {
    return i == 0 ? 300.0 : 900.0;
}

}  // namespace

TEST_CASE("calibrate recovers known parameters within their standard errors", "[calibrate]") {
    test::TempDir tmp("calibrate-recover");
    const fs::path scenario = world(tmp.path());
    const fs::path targets = noisy_targets(scenario, tmp.path());
    // The search starts from the generated values (287 and 852.6), away from the truth.
    const auto outcome = run::run_calibration(job_of(scenario, targets, tmp.path() / "out"), {});
    REQUIRE(outcome.written);
    CHECK(outcome.evaluations <= 150);
    CHECK(outcome.objective_after < outcome.objective_before);
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& p = outcome.parameters[i];
        INFO(p.free.path << " fitted " << p.fitted << " SE " << p.report.se);
        CHECK(p.report.identified);
        CHECK(std::isfinite(p.report.se));
        // Within 3 standard errors (the noise is 1 sd per target; docs/calibration.md).
        CHECK(std::abs(p.fitted - truth_of(i)) <= 3 * p.report.se);
        CHECK(p.report.se < 0.1 * truth_of(i));  // and the targets do pin it down
    }
    const auto& unseen = outcome.parameters[2];
    CHECK_FALSE(unseen.report.identified);
    CHECK(unseen.report.warning.find("buyers.b01.risk_tolerance is not identified") == 0);
    for (const char* f : {"calibrated.yaml", "fit-before.csv", "fit-after.csv", "evaluations.csv",
                          "identifiability.csv", "manifest.json", "scenario.resolved.yaml"})
        CHECK(fs::exists(tmp.path() / "out" / f));

    // calibrated.yaml is the base scenario with --set PATH=fitted.
    io::LoadOptions with_set;
    for (const auto& p : outcome.parameters)
        with_set.overrides.push_back(p.free.path + "=" +
                                     analysis::format_parameter_value(p.fitted));
    CHECK(io::load_scenario((tmp.path() / "out" / "calibrated.yaml").string())
              .scenario.resolved_yaml ==
          io::load_scenario(scenario.string(), with_set).scenario.resolved_yaml);
}

TEST_CASE("calibrate gives the same files for any thread count", "[calibrate]") {
    test::TempDir tmp("calibrate-threads");
    const fs::path scenario = world(tmp.path());
    const fs::path targets = noisy_targets(scenario, tmp.path());
    auto job = job_of(scenario, targets, tmp.path() / "one");
    job.budget = 40;
    run::run_calibration(job, {});
    job.output.folder = tmp.path() / "three";
    job.threads = 3;
    run::run_calibration(job, {});
    for (const char* f :
         {"calibrated.yaml", "fit-after.csv", "evaluations.csv", "identifiability.csv"})
        CHECK(test::read_file(tmp.path() / "one" / f) == test::read_file(tmp.path() / "three" / f));
}

TEST_CASE("calibrate refuses bad bounds and paths before running, writing nothing", "[calibrate]") {
    test::TempDir tmp("calibrate-bad");
    const fs::path scenario = world(tmp.path());
    const fs::path targets = noisy_targets(scenario, tmp.path());
    auto job = job_of(scenario, targets, tmp.path() / "out");
    job.free = {analysis::parse_free_parameter("policies.high-end-control.license.approval=0:2")};
    CHECK_THROWS_AS(run::run_calibration(job, {}), InputError);
    job.free = {analysis::parse_free_parameter("buyers.b99.demand=1:2")};
    CHECK_THROWS_AS(run::run_calibration(job, {}), InputError);
    job.free = free_parameters();
    job.free.push_back(job.free[0]);
    CHECK_THROWS_AS(run::run_calibration(job, {}), InputError);
    CHECK_FALSE(fs::exists(tmp.path() / "out"));
}

TEST_CASE("calibrate --resume reuses a folder's evaluations, only for the same parameters",
          "[calibrate]") {
    test::TempDir tmp("calibrate-resume");
    const fs::path scenario = world(tmp.path());
    const fs::path targets = noisy_targets(scenario, tmp.path());
    auto job = job_of(scenario, targets, tmp.path() / "out");
    job.budget = 30;
    run::run_calibration(job, {});
    const std::string first = test::read_file(tmp.path() / "out" / "evaluations.csv");
    job.resume = true;
    job.budget = 40;  // a larger budget: the hypercube grows, the earlier points still count
    const auto more = run::run_calibration(job, {});
    CHECK(more.evaluations <= 40);
    CHECK(test::read_file(tmp.path() / "out" / "evaluations.csv") != first);
    job.free.pop_back();
    CHECK_THROWS_WITH(run::run_calibration(job, {}),
                      Catch::Contains("was calibrated with other free parameters"));
    CHECK(fs::exists(tmp.path() / "out" / "calibrated.yaml"));  // left as it was
}
