// Common random numbers (docs/ensembles.md, "Common random numbers"): run r of every policy variant
// draws from the same streams, keyed by (seed, run, agent, purpose), so the differences between
// variants are paired. On a stochastic example (licence decisions drawn per request), the variance
// of the paired differences must be well below that of unpaired ones.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/ensemble.hpp"
#include "analysis/summary.hpp"
#include "engine/simulation.hpp"
#include "io/scenario_reader.hpp"

namespace {

const std::string kLicence =
    std::string(TRADESIM_SOURCE_DIR) + "/scenarios/examples/policies/licence.yaml";

/// A headline metric of run `run` of the scenario with `overrides`.
std::vector<double> metric_per_run(const std::vector<std::string>& overrides, int runs,
                                   const char* scope, const char* key, const char* metric) {
    ts::io::LoadOptions opts;
    opts.overrides = overrides;
    const auto loaded = ts::io::load_scenario(kLicence, opts);
    std::vector<double> out;
    for (int r = 0; r < runs; ++r) {
        ts::engine::RunConfig config;
        config.run = r;
        ts::engine::Simulation sim(loaded.scenario, config);
        ts::analysis::SummaryCollector summary;
        sim.run(summary);
        out.push_back(ts::analysis::find_metric(summary.rows(), {scope, key, metric}));
    }
    return out;
}

double variance(const std::vector<double>& x) {
    return ts::analysis::ensemble_stats(x).sd * ts::analysis::ensemble_stats(x).sd;
}

/// Variances of the differences b − a run by run (paired) and with the runs of a shifted by
/// one (unpaired: other streams, as if the variants were seeded independently).
struct Spread {
    double paired, unpaired;
};
Spread spread(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> paired, unpaired;
    for (std::size_t r = 0; r < a.size(); ++r) {
        paired.push_back(b[r] - a[r]);
        unpaired.push_back(b[r] - a[(r + 1) % a.size()]);
    }
    return {variance(paired), variance(unpaired)};
}

}  // namespace

TEST_CASE("CRN: paired differences between policy variants vary far less than unpaired ones",
          "[ensemble][crn]") {
    const int runs = 24;
    // Variant A grants 50 % of licensed units, variant B 60 %: the same run index draws the
    // same uniforms for the same requests, so the grants move together.
    const auto a = metric_per_run({}, runs, "country", "CHN", "imports_compute");
    const auto b = metric_per_run({"policies.us-flagship-licence.license.approval=0.6"}, runs,
                                  "country", "CHN", "imports_compute");
    REQUIRE(variance(a) > 0.0);  // the example is stochastic
    REQUIRE(variance(b) > 0.0);
    const auto [var_paired, var_unpaired] = spread(a, b);
    INFO("var(A) " << variance(a) << ", var(B) " << variance(b) << ", paired " << var_paired
                   << ", unpaired " << var_unpaired);
    CHECK(var_paired < 0.25 * var_unpaired);
    CHECK(var_paired < 0.25 * (variance(a) + variance(b)));  // independent draws: var(A) + var(B)
}

TEST_CASE("CRN: a variant that changes nothing random reproduces every run exactly",
          "[ensemble][crn]") {
    const int runs = 6;
    const auto a = metric_per_run({}, runs, "world", "all", "imports_compute");
    const auto b =
        metric_per_run({"description=another label"}, runs, "world", "all", "imports_compute");
    CHECK(a == b);
    // ... while the runs themselves differ (they are not copies of one another).
    CHECK(variance(a) > 0.0);
}

namespace {

const std::string kPolicies = std::string(TRADESIM_SOURCE_DIR) + "/scenarios/examples/policies/";

/// `metric` of runs 0..runs-1 of a scenario given as text, read as if it stood in the policy
/// examples' folder (so `extends: licence.yaml` works).
std::vector<double> metric_per_run_text(const std::string& yaml,
                                        const std::vector<std::string>& overrides, int runs,
                                        const char* scope, const char* key, const char* metric) {
    ts::io::LoadOptions opts;
    opts.overrides = overrides;
    const auto loaded = ts::io::load_scenario_text(yaml, kPolicies + "crn-variant.yaml", opts);
    std::vector<double> out;
    for (int r = 0; r < runs; ++r) {
        ts::engine::RunConfig config;
        config.run = r;
        ts::engine::Simulation sim(loaded.scenario, config);
        ts::analysis::SummaryCollector summary;
        sim.run(summary);
        out.push_back(ts::analysis::find_metric(summary.rows(), {scope, key, metric}));
    }
    return out;
}

// Every buyer of the policy examples, to exclude an offer none of them should take.
const std::vector<std::string> kBuyers = {"us-cloud", "cn-cloud", "cn-lab",
                                          "sg-dc",    "my-dc",    "xrw-buyers"};

/// Runs `base` and `variant` (scenario texts) and checks that the variant reproduces every run
/// of the base exactly, and that the metric does vary from run to run (the draws matter).
void check_same_runs(const std::string& base, const std::string& variant,
                     const std::vector<std::string>& variant_overrides, const char* scope,
                     const char* key, const char* metric) {
    const int runs = 8;
    const auto a = metric_per_run_text(base, {}, runs, scope, key, metric);
    const auto b = metric_per_run_text(variant, variant_overrides, runs, scope, key, metric);
    REQUIRE(variance(a) > 0.0);
    CHECK(a == b);
}

}  // namespace

TEST_CASE("CRN: a variant that adds an offer nobody buys leaves every licence draw unchanged",
          "[ensemble][crn]") {
    // Licence grants are drawn per request. The added supplier's offer is excluded by every
    // buyer, so nothing economic changes: if the draws are keyed by stable ids (buyer,
    // supplier, product, tick), every run is reproduced exactly; keys built from positions
    // and the number of offers would shift every draw.
    const std::string with_offer = R"(extends: licence.yaml
products:
  - {id: spare, tpp: 100, density: 1.0, interconnect: 100, compute: 0.1}
suppliers:
  - id: spare-maker
    jurisdiction: XRW
    made_in: XRW
    offers:
      - {product: spare, capacity: 100, unit_cost: 100, price: 1000}
)";
    std::vector<std::string> exclude;
    for (const auto& b : kBuyers) exclude.push_back("buyers." + b + ".preferences.spare-maker=0");
    check_same_runs("extends: licence.yaml\n", with_offer, exclude, "country", "CHN",
                    "imports_compute");
}

TEST_CASE("CRN: a variant that adds a hub nobody uses leaves every seizure draw unchanged",
          "[ensemble][crn]") {
    // Diverted shipments through the hubs are seized by draws keyed by (buyer, offer, route,
    // tick). A third hub priced out of use changes no flow; with stable keys (the hub's
    // country, not its position or the number of routes) every run is reproduced exactly.
    const std::string with_hub = R"(extends: enforcement.yaml
routes:
  - {via: XRW, markup: 20.0, delay: 1, capacity: 1500, detection: 0.5}
)";
    check_same_runs("extends: enforcement.yaml\n", with_hub, {}, "world", "all", "seized_units");
}

TEST_CASE("CRN: paired differences after adding a hub vary far less than unpaired ones",
          "[ensemble][crn]") {
    // A new hub that some smuggled goods do take: the draws of the flows that stay on the old
    // routes are the same in both variants, so the paired difference isolates the new hub.
    const int runs = 24;
    const std::string with_hub = R"(extends: enforcement.yaml
countries:
  - {code: THA, name: Thailand, groups: [tier2, hub]}
routes:
  - {via: THA, markup: 0.04, delay: 1, capacity: 300, detection: 0.1}
)";
    const auto a = metric_per_run_text("extends: enforcement.yaml\n", {}, runs, "country", "CHN",
                                       "imports_compute");
    const auto b = metric_per_run_text(with_hub, {}, runs, "country", "CHN", "imports_compute");
    REQUIRE(variance(a) > 0.0);
    REQUIRE(a != b);  // the hub is used
    const auto [var_paired, var_unpaired] = spread(a, b);
    INFO("var(A) " << variance(a) << ", var(B) " << variance(b) << ", paired " << var_paired
                   << ", unpaired " << var_unpaired);
    CHECK(var_paired < 0.25 * var_unpaired);
}
