// Parameter uncertainty (io/uncertainty.hpp; docs/calibration.md, "Parameter uncertainty"):
// the moments of each distribution from many draws, truncation, draws keyed by path and run
// (not by position), joint draws from a CSV file, the scenario of a run, the checks made before
// anything runs, and common random numbers for parameters: paired differences of a policy
// effect under parameter uncertainty vary far less than unpaired ones.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/ensemble.hpp"
#include "analysis/summary.hpp"
#include "core/error.hpp"
#include "core/stream_key.hpp"
#include "engine/simulation.hpp"
#include "io/scenario_reader.hpp"
#include "io/uncertainty.hpp"

#include "temp_dir.hpp"

using ts::io::Distribution;
using ts::io::UncertainParameter;

namespace {

/// `n` draws of `p`, one per run index, as Uncertainty::values makes them.
std::vector<double> draws(const UncertainParameter& p, int n) {
    ts::io::Uncertainty u;
    u.parameters.push_back(p);
    std::vector<double> out;
    for (int r = 0; r < n; ++r) out.push_back(u.values(42, r).front());
    return out;
}

UncertainParameter parameter(Distribution d, double a, double b, double c = 0.0) {
    UncertainParameter p;
    p.path = "x";
    p.distribution = d;
    p.a = a, p.b = b, p.c = c;
    return p;
}

ts::analysis::EnsembleStats stats(const std::vector<double>& v) {
    return ts::analysis::ensemble_stats(v);
}

const std::string kExamples = std::string(TRADESIM_SOURCE_DIR) + "/scenarios/examples/";

/// A small scenario: the policy examples' world with `section` appended.
ts::io::LoadedScenario load_with(const std::string& section) {
    const std::string yaml = "extends: " + kExamples + "policies/base.yaml\n" + section;
    return ts::io::load_scenario_text(yaml, "test.yaml");
}

}  // namespace

TEST_CASE("uncertainty: each distribution has its moments over many draws", "[uncertainty]") {
    const int n = 20000;
    const auto u = stats(draws(parameter(Distribution::uniform, 1.0, 3.0), n));
    CHECK(u.mean == Approx(2.0).margin(0.02));
    CHECK(u.sd == Approx(2.0 / std::sqrt(12.0)).margin(0.01));
    const auto g = stats(draws(parameter(Distribution::normal, 10.0, 2.0), n));
    CHECK(g.mean == Approx(10.0).margin(0.05));
    CHECK(g.sd == Approx(2.0).margin(0.05));
    // lognormal(mu = ln 5, sigma 0.5): median 5, mean 5·exp(sigma²/2).
    const auto l = stats(draws(parameter(Distribution::lognormal, std::log(5.0), 0.5), n));
    CHECK(l.p50 == Approx(5.0).margin(0.06));
    CHECK(l.mean == Approx(5.0 * std::exp(0.125)).margin(0.06));
    // triangular(lo 0, mode 2, hi 10): mean (0 + 2 + 10)/3 = 4, and F(mode) = 2/10.
    const auto tri = parameter(Distribution::triangular, 0.0, 2.0, 10.0);
    const auto t = draws(tri, n);
    CHECK(stats(t).mean == Approx(4.0).margin(0.05));
    const auto below = std::count_if(t.begin(), t.end(), [](double v) { return v <= 2.0; });
    CHECK(static_cast<double>(below) / n == Approx(0.2).margin(0.01));
    CHECK(*std::min_element(t.begin(), t.end()) >= 0.0);
    CHECK(*std::max_element(t.begin(), t.end()) <= 10.0);
}

TEST_CASE("uncertainty: truncation keeps every draw inside [min, max]", "[uncertainty]") {
    auto p = parameter(Distribution::normal, 0.0, 1.0);
    p.min = 0.0;
    p.max = 1.0;
    CHECK(p.kept() == Approx(0.341345).margin(1e-6));
    const auto v = draws(p, 20000);
    CHECK(*std::min_element(v.begin(), v.end()) >= 0.0);
    CHECK(*std::max_element(v.begin(), v.end()) <= 1.0);
    // The mean of a standard normal truncated to [0, 1]: (φ(0) − φ(1)) / (Φ(1) − Φ(0)).
    CHECK(stats(v).mean == Approx(0.459862).margin(0.01));
}

TEST_CASE("uncertainty: a run's draw depends on the seed, the run and the path only",
          "[uncertainty]") {
    const auto a = load_with(
        "uncertainty:\n  parameters:\n"
        "    routes.MYS.detection: {distribution: uniform, lo: 0.05, hi: 0.3}\n"
        "    buyers.cn-cloud.price_elasticity: {distribution: normal, mean: 1, sd: 0.2}\n");
    const auto b = load_with(  // the same two paths in the other order
        "uncertainty:\n  parameters:\n"
        "    buyers.cn-cloud.price_elasticity: {distribution: normal, mean: 1, sd: 0.2}\n"
        "    routes.MYS.detection: {distribution: uniform, lo: 0.05, hi: 0.3}\n");
    REQUIRE(a.uncertainty);
    REQUIRE(b.uncertainty);
    const auto& ua = a.uncertainty->uncertainty();
    const auto& ub = b.uncertainty->uncertainty();
    for (int r = 0; r < 5; ++r) {
        const auto va = ua.values(7, r), vb = ub.values(7, r);
        CHECK(va[0] == vb[1]);
        CHECK(va[1] == vb[0]);
    }
    CHECK(ua.values(7, 0) != ua.values(7, 1));
    CHECK(ua.values(7, 0) != ua.values(8, 0));
    // The stream of a path is the documented key.
    ts::Rng rng = ts::StreamKey{7, 3, ts::Purpose::parameter_uncertainty}
                      .with(ts::id_hash("routes.MYS.detection"))
                      .rng();
    CHECK(ua.values(7, 3)[0] == Approx(0.05 + 0.25 * rng.uniform()));
}

TEST_CASE("uncertainty: a run simulates the base document with its draws applied",
          "[uncertainty]") {
    const auto loaded = load_with(
        "uncertainty:\n  parameters:\n"
        "    routes.MYS.detection: {distribution: uniform, lo: 0.05, hi: 0.3}\n");
    REQUIRE(loaded.uncertainty);
    // The scenario itself keeps its own values, and the resolved YAML keeps the section.
    const auto mys = loaded.scenario.find_country("MYS");
    const auto route_of = [&](const ts::model::Scenario& s) {
        return *std::find_if(s.routes.begin(), s.routes.end(),
                             [&](const auto& r) { return r.via == mys; });
    };
    CHECK(route_of(loaded.scenario).detection == 0.10);
    CHECK(loaded.scenario.resolved_yaml.find("uncertainty:") != std::string::npos);
    const auto values = loaded.uncertainty->uncertainty().values(loaded.scenario.seed, 4);
    const auto s4 = loaded.uncertainty->scenario(4);
    CHECK(route_of(s4).detection == values[0]);
}

TEST_CASE("uncertainty: one point of a dated schedule is a path too", "[uncertainty]") {
    const auto loaded = ts::io::load_scenario(
        kExamples + "markets/schedules.yaml", {},
        {"suppliers.us-designer.offers.flagship.capacity.2025-01=uniform:2e4,4e4"});
    REQUIRE(loaded.uncertainty);
    const double v = loaded.uncertainty->uncertainty().values(loaded.scenario.seed, 2)[0];
    CHECK(v >= 2e4);
    CHECK(v <= 4e4);
    const auto s2 = loaded.uncertainty->scenario(2);
    bool found = false;
    for (const auto& sched : s2.schedules)
        for (const auto& point : sched.points) found |= point.value == v;
    CHECK(found);
}

TEST_CASE("uncertainty: joint draws from a CSV file, row r for run r", "[uncertainty]") {
    ts::test::TempDir dir("uncertainty");
    const auto csv = dir.path() / "draws.csv";
    std::ofstream(csv) << "routes.MYS.detection,buyers.cn-cloud.demand\n0.11,6100\n0.12,6200\n"
                          "0.13,6300\n";
    const auto loaded = load_with("uncertainty:\n  draws: " + csv.string() + "\n");
    REQUIRE(loaded.uncertainty);
    const auto& u = loaded.uncertainty->uncertainty();
    CHECK(u.paths() == std::vector<std::string>{"routes.MYS.detection", "buyers.cn-cloud.demand"});
    CHECK(u.values(1, 2) == std::vector<double>{0.13, 6300});
    const auto s1 = loaded.uncertainty->scenario(1);
    CHECK(s1.buyers[static_cast<std::size_t>(s1.find_buyer("cn-cloud"))].demand == 6200);
    loaded.uncertainty->check_runs(3);
    CHECK_THROWS_AS(loaded.uncertainty->check_runs(4), ts::InputError);  // fewer rows than runs
    CHECK(loaded.uncertainty->parameters_csv(2) ==
          "run,path,value\n0,routes.MYS.detection,0.11\n0,buyers.cn-cloud.demand,6100\n"
          "1,routes.MYS.detection,0.12\n1,buyers.cn-cloud.demand,6200\n");
}

TEST_CASE("uncertainty: a draw the field rejects is an error naming the run before any run",
          "[uncertainty]") {
    const auto loaded = load_with(
        "uncertainty:\n  parameters:\n"
        "    routes.MYS.detection: {distribution: normal, mean: 0.05, sd: 0.1}\n");
    REQUIRE(loaded.uncertainty);
    try {
        loaded.uncertainty->check_runs(50);
        FAIL("a negative detection was accepted");
    } catch (const ts::InputError& e) {
        REQUIRE(e.diagnostics().size() == 2);
        CHECK(e.diagnostics()[0].message.find("truncate") != std::string::npos);
        CHECK(e.diagnostics()[1].message.find("routes.MYS.detection = -") == 0);
        CHECK(e.diagnostics()[1].loc.file == "test.yaml");
    }
    // Truncated to [0, 1], every run is valid.
    const auto truncated = load_with(
        "uncertainty:\n  parameters:\n"
        "    routes.MYS.detection: {distribution: normal, mean: 0.05, sd: 0.1, min: 0, max: 1}\n");
    truncated.uncertainty->check_runs(50);
}

TEST_CASE("uncertainty: --uncertain is the section's entry", "[uncertainty]") {
    const auto cli =
        ts::io::load_scenario(kExamples + "policies/base.yaml", {},
                              {"routes.MYS.detection=triangular:0.02,0.1,0.25",
                               "buyers.cn-cloud.price_elasticity=normal:1,0.25,min=0.1"});
    const auto section = load_with(
        "uncertainty:\n  parameters:\n"
        "    routes.MYS.detection: {distribution: triangular, lo: 0.02, mode: 0.1, hi: 0.25}\n"
        "    buyers.cn-cloud.price_elasticity: {distribution: normal, mean: 1, sd: 0.25, "
        "min: 0.1}\n");
    REQUIRE(cli.uncertainty);
    REQUIRE(section.uncertainty);
    CHECK(cli.uncertainty->parameters_csv(10) == section.uncertainty->parameters_csv(10));
}

TEST_CASE("uncertainty: the random parts of an ensemble", "[uncertainty]") {
    const auto base = ts::io::load_scenario(kExamples + "policies/base.yaml");
    CHECK(ts::io::describe(ts::io::random_parts(base.scenario, nullptr)) == "seizure draws");
    const auto licence = ts::io::load_scenario(kExamples + "policies/licence.yaml");
    CHECK(ts::io::describe(ts::io::random_parts(licence.scenario, nullptr)) ==
          "licence draws, seizure draws");
    const auto u = ts::io::load_scenario(kExamples + "calibration/uncertainty.yaml");
    REQUIRE(u.uncertainty);
    CHECK(ts::io::describe(ts::io::random_parts(u.scenario, &u.uncertainty->uncertainty())) ==
          "seizure draws, parameters (buyers.cn-cloud.price_elasticity, "
          "suppliers.cn-domestic.offers.cn-accel.capacity, routes.MYS.detection)");
    ts::io::LoadOptions none;
    none.overrides = {"routes.SGP.detection=0", "routes.MYS.detection=0"};
    const auto quiet = ts::io::load_scenario(kExamples + "policies/base.yaml", none);
    CHECK(ts::io::describe(ts::io::random_parts(quiet.scenario, nullptr)).empty());
}

TEST_CASE(
    "CRN: with parameter uncertainty, paired differences of a policy effect vary far less "
    "than unpaired ones",
    "[uncertainty][crn]") {
    const int runs = 24;
    const auto metric = [&](const std::string& file) {
        const auto loaded = ts::io::load_scenario(kExamples + "calibration/" + file);
        std::vector<double> out;
        for (int r = 0; r < runs; ++r) {
            const auto s = loaded.uncertainty->scenario(r);
            ts::engine::RunConfig config;
            config.run = r;
            ts::engine::Simulation sim(s, config);
            ts::analysis::SummaryCollector summary;
            sim.run(summary);
            out.push_back(
                ts::analysis::find_metric(summary.rows(), {"country", "CHN", "imports_compute"}));
        }
        return out;
    };
    const auto base = metric("uncertainty.yaml");
    const auto licence = metric("uncertainty-licence.yaml");
    std::vector<double> paired, unpaired;
    for (int r = 0; r < runs; ++r) {
        paired.push_back(licence[r] - base[r]);
        unpaired.push_back(licence[r] - base[(r + 1) % runs]);
    }
    const double var_paired = std::pow(stats(paired).sd, 2);
    const double var_unpaired = std::pow(stats(unpaired).sd, 2);
    INFO("sd(base) " << stats(base).sd << ", paired " << var_paired << ", unpaired "
                     << var_unpaired);
    REQUIRE(stats(base).sd > 0.0);  // the parameters move the baseline
    CHECK(var_paired < 0.25 * var_unpaired);
}
