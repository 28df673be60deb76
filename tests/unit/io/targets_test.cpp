// The targets file reader and the two ways of feeding targets: a run folder's CSV files (fit)
// and a simulation in memory (calibrate) must give the same model values.
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/target_recorder.hpp"
#include "analysis/targets.hpp"
#include "core/error.hpp"
#include "engine/simulation.hpp"
#include "io/run_reader.hpp"
#include "io/run_writer.hpp"
#include "io/scenario_reader.hpp"
#include "io/targets_reader.hpp"

#include "temp_dir.hpp"

namespace {

const std::string kExample = std::string(TRADESIM_SOURCE_DIR) + "/scenarios/examples/calibration/";

/// The model values of `set` on `scenario_path` in memory and, through a run folder written
/// with the scenario's resolved YAML, from its CSV files.
std::pair<std::vector<double>, std::vector<double>> both_ways(const ts::analysis::TargetSet& set,
                                                              const std::string& scenario_path) {
    const auto loaded = ts::io::load_scenario(scenario_path);
    ts::test::TempDir dir("targets");
    ts::analysis::TargetAccumulator memory(set);
    ts::analysis::TargetRecorder recorder(memory);
    {
        ts::io::CsvRunWriter writer(loaded.scenario, dir.path());
        ts::engine::TeeRecorder tee({&writer, &recorder});
        ts::engine::Simulation sim(loaded.scenario, ts::engine::RunConfig{});
        sim.run(tee);
    }
    std::ofstream(dir.path() / "scenario.resolved.yaml") << loaded.scenario.resolved_yaml;
    ts::analysis::TargetAccumulator csv(set);
    if (auto names = ts::io::read_run_names(dir.path())) csv.set_names(std::move(*names));
    ts::io::read_run_folder(dir.path(), csv);
    CHECK_FALSE(memory.check("memory").has_errors());
    CHECK_FALSE(csv.check("csv").has_errors());
    CHECK(memory.span() == csv.span());
    CHECK(memory.span_end() == csv.span_end());
    return {memory.model_values(0), csv.model_values(0)};
}

/// The formatted diagnostics of loading `yaml` (empty when it loads).
std::vector<std::string> errors_of(const std::string& yaml) {
    try {
        ts::io::load_targets_text(yaml, "t.yaml");
    } catch (const ts::InputError& e) {
        std::vector<std::string> out;
        for (const auto& d : e.diagnostics()) out.push_back(d.format());
        return out;
    }
    return {};
}

const std::string kHead = "fiscal_year_start: 2\ntargets:\n";
const std::string kOne =
    "  - id: a\n    metric: imports_compute\n    country: CHN\n    period: 2024\n"
    "    observed: 10\n    sd: 1\n    source: test\n";

}  // namespace

TEST_CASE("targets reader: the bundled example", "[targets]") {
    const auto set = ts::io::load_targets(kExample + "targets.yaml");
    REQUIRE(set.targets.size() == 9);
    const auto& q = set.targets[1];
    CHECK(q.id == "rev-fy25q3");
    CHECK(q.source == ts::analysis::TargetSource::revenue);
    CHECK(q.first == "2024-08-01");
    CHECK(q.last == "2024-10-31");
    CHECK(q.period == "FY2025Q3");
    CHECK(*q.sd == 0.1e9);
    CHECK(q.loc.line == 20);  // the line of its `- id:`
    const auto& share = set.targets[3];
    CHECK(share.first == "2024-07-01");
    CHECK(share.last == "2024-12-31");
    CHECK(share.band->first == 0.15);
    const auto& route = set.targets[4];
    CHECK(route.keys.has_route);
    CHECK(route.keys.origin == "TWN");
    CHECK(route.keys.via == "SGP");
    CHECK(route.keys.destination == "CHN");
    CHECK(route.keys.channel == "diverted");
    CHECK(set.targets[2].weight == 0.5);
    CHECK(set.targets[7].holdout);
    CHECK_FALSE(set.targets[6].holdout);
}

TEST_CASE("targets reader: errors are located, with did-you-mean hints", "[targets]") {
    CHECK(errors_of(kHead + kOne).empty());
    CHECK(errors_of(kHead + kOne + "    metrc: x\n") ==
          std::vector<std::string>{"t.yaml:10:5: error: targets[a]: unknown key 'metrc' (did "
                                   "you mean 'metric'?); expected one of: id, metric, period, "
                                   "fiscal_year_start, observed, sd, band, source, weight, "
                                   "holdout, country, supplier, product, billing, channel, "
                                   "route, headquarters"});
    std::string bad = kHead + kOne;
    bad.replace(bad.find("imports_compute"), 15, "imports_compte");
    const auto e = errors_of(bad);
    REQUIRE(e.size() == 1);
    CHECK(e[0].rfind("t.yaml:4:13: error: targets[a].metric: unknown metric 'imports_compte' "
                     "(did you mean 'imports_compute'?)",
                     0) == 0);
    CHECK(errors_of(kHead + kOne + kOne).at(0) ==
          "t.yaml:10:9: error: targets[a].id: duplicate target id 'a'");
}

TEST_CASE("targets: the in-memory recorder and the run folder's CSV give the same values",
          "[targets]") {
    const auto set = ts::io::load_targets(kExample + "targets.yaml");
    const auto [a, b] = both_ways(set, kExample + "world.yaml");
    REQUIRE(a.size() == set.targets.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO(set.targets[i].id);
        CHECK(a[i] != 0);  // every target of the example selects something
        // The CSV files round quantities to 4 decimals and USD to 2.
        CHECK(b[i] == Approx(a[i]).epsilon(1e-9).margin(0.01));
    }
    // Both feed the same fit.
    const double oa = objective(fit(set, {a})), ob = objective(fit(set, {b}));
    CHECK(ob == Approx(oa).epsilon(1e-6));
}

TEST_CASE("targets: recorder and CSV agree on headquarters in a multi-tier world", "[targets]") {
    // Suppliers' purchases are flows to synthetic buyers named after the supplier: no firm's.
    const auto set = ts::io::load_targets_text(R"(targets:
  - {id: hq, metric: units, headquarters: CHN, period: 2024, observed: 1, sd: 1, source: t}
  - {id: hbm, metric: units, product: HBM2E, period: 2024, observed: 1, sd: 1, source: t}
  - {id: used, metric: compute_used, country: CHN, period: 2025, observed: 1, sd: 1, source: t}
)",
                                               "t.yaml");
    const auto [a, b] = both_ways(
        set, std::string(TRADESIM_SOURCE_DIR) + "/scenarios/examples/multi-tier/base.yaml");
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO(set.targets[i].id);
        CHECK(a[i] > 0);
        CHECK(b[i] == Approx(a[i]).epsilon(1e-9).margin(0.01));
    }
}

TEST_CASE("targets reader: extends merges targets by id", "[targets]") {
    ts::test::TempDir dir("targets-extends");
    std::ofstream(dir.path() / "base.yaml") << kHead << kOne;
    std::ofstream(dir.path() / "more.yaml")
        << "extends: base.yaml\ntargets:\n  - {id: a, holdout: true}\n"
           "  - {id: b, metric: units, period: 2024, observed: 1, sd: 1, source: t}\n";
    const auto set = ts::io::load_targets((dir.path() / "more.yaml").string());
    REQUIRE(set.targets.size() == 2);
    CHECK(set.targets[0].id == "a");
    CHECK(set.targets[0].holdout);
    CHECK(set.targets[0].keys.country == "CHN");  // from the base
    CHECK(set.targets[1].source == ts::analysis::TargetSource::flows);
}
