// The scenario side of calibrate (io/calibration_doc.hpp): reading the free parameters'
// values with located errors, and calibrated.yaml giving the same scenario as --set.
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/calibration.hpp"
#include "core/error.hpp"
#include "io/calibration_doc.hpp"
#include "io/doc.hpp"
#include "io/scenario_reader.hpp"
#include "temp_dir.hpp"

using namespace ts;

namespace {

constexpr const char* kScenario = R"(name: calib
time: {start: 2024-01, step: month, ticks: 24}
countries: [{code: USA}, {code: TWN}, {code: CHN}]
products: [{id: H100, tpp: 15832, compute: 1.0}]
suppliers:
  - id: nvidia
    jurisdiction: USA
    made_in: TWN
    offers:
      - {product: H100, capacity: {2024-01: 1000, 2025-01: 1500}, price: 25000}
buyers:
  - {id: us-cloud, country: USA, demand: 500, reference_cost: 25000}
  - {id: cn-cloud, country: CHN, demand: 400, reference_cost: 25000, price_elasticity: 1.5}
policies:
  - {id: ban, by: USA, type: export_control, covers: [exports, reexports],
     products: {tpp_min: 4800}, destinations: {countries: [CHN]},
     license: {approval: 0.5, delay: 1}, from: 2024-07}
)";

std::vector<analysis::FreeParameter> frees(std::initializer_list<const char*> specs) {
    std::vector<analysis::FreeParameter> out;
    for (const char* s : specs) out.push_back(analysis::parse_free_parameter(s));
    return out;
}

io::Doc tree(const std::string& text, const std::string& file = "s.yaml") {
    Diagnostics d;
    auto doc = io::load_doc_text(text, file, d);
    REQUIRE(doc);
    return *doc;
}

std::vector<std::string> messages(const InputError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics()) out.push_back(d.format());
    return out;
}

}  // namespace

TEST_CASE("free parameters read the scenario's numbers, schedule points included",
          "[calibration]") {
    const auto values = io::free_parameter_values(
        tree(kScenario),
        frees({"buyers.cn-cloud.demand=100:1000",
               "suppliers.nvidia.offers.H100.capacity.2025-01=1000:3000",
               "policies.ban.license.approval=0:1", "buyers.cn-cloud.price_elasticity=0.5:3"}));
    CHECK(values == std::vector<double>{400, 1500, 0.5, 1.5});
}

TEST_CASE("a free parameter that is not a number of the scenario is a located error",
          "[calibration]") {
    try {
        io::free_parameter_values(
            tree(kScenario),
            frees({"buyers.nobody.demand=1:2", "buyers.us-cloud.price_elasticity=0.5:3", "name=0:1",
                   "suppliers.nvidia.offers.H100.capacity=1:2"}));
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        const auto m = messages(e);
        REQUIRE(m.size() == 4);
        CHECK(m[0] == "--free:1:8: error: buyers: no item with id 'nobody' in 'buyers'");
        CHECK(m[1].find("--free:2:1: error: buyers[us-cloud].price_elasticity: the scenario sets "
                        "no value here") == 0);
        CHECK(m[2] == "s.yaml:1:7: error: name: a free parameter must be a number, found 'calib'");
        CHECK(m[3] ==
              "s.yaml:10:35: error: suppliers[nvidia].offers[H100].capacity: a free "
              "parameter must be a number, found a map");
    }
}

TEST_CASE("calibrated.yaml extends the scenario and gives the scenario with --set",
          "[calibration]") {
    test::TempDir dir("calibration-doc");
    const auto base = dir.path() / "world.yaml";
    { std::ofstream(base) << kScenario; }
    std::filesystem::create_directories(dir.path() / "out" / "fit");
    const auto free = frees({"buyers.cn-cloud.demand=100:1000",
                             "suppliers.nvidia.offers.H100.capacity.2025-01=1000:3000",
                             "policies.ban.license.approval=0:1"});
    const std::vector<std::string> overrides{"seed=7", "buyers.us-cloud.growth=0.01",
                                             "countries.TWN.groups=[tier2]"};
    const std::vector<io::FittedValue> fitted{{"512.25", "free in [100, 1000], SE 12.5"},
                                              {"2250", "free in [1000, 3000], SE 80"},
                                              {"0.125", "free in [0, 1], SE 0.02"}};
    const std::string text = io::calibrated_yaml(tree(kScenario, base.string()), {"a header", ""},
                                                 "../../world.yaml", overrides, free, fitted);
    CHECK(text.rfind("# a header\n#\nextends: ../../world.yaml\n", 0) == 0);
    CHECK(text.find("demand: 512.25  # free in [100, 1000], SE 12.5\n") != std::string::npos);
    CHECK(text.find("2025-01: 2250  # free in [1000, 3000], SE 80\n") != std::string::npos);
    CHECK(text.find("us-cloud") != std::string::npos);        // the job's --set is in it
    CHECK(text.find("reference_cost") == std::string::npos);  // only what changes

    const auto calibrated = dir.path() / "out" / "fit" / "calibrated.yaml";
    { std::ofstream(calibrated) << text; }
    io::LoadOptions with_set;
    with_set.overrides = overrides;
    for (std::size_t i = 0; i < free.size(); ++i)
        with_set.overrides.push_back(free[i].path + "=" + fitted[i].value);
    const auto expected = io::load_scenario(base.string(), with_set).scenario.resolved_yaml;
    CHECK(io::load_scenario(calibrated.string()).scenario.resolved_yaml == expected);
}
