// libFuzzer target: bytes -> `--set PATH=VALUE` overrides applied to a fixed, small, valid
// scenario, then validated (as `tradesim validate fixed.yaml --set ... --set ...` does). The
// input is split at newlines; each line is one override (at most 16). An InputError is an
// expected outcome; a crash, sanitizer report, leak, any other exception or a timeout is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "io/scenario_reader.hpp"

namespace {

// Every part of the schema that --set can reach: groups, product attributes, equipment,
// purchases and inputs, remote compute, routes, policies of several types and a reaction.
constexpr std::string_view kScenario = R"(name: fuzz-set
description: The fixed scenario of the fuzz_set target
time: {start: 2024-01, step: month, ticks: 12}
seed: 7
countries:
  - {code: USA, name: United States}
  - {code: CHN, name: China, groups: [D5]}
  - {code: TWN, name: Taiwan}
  - {code: NLD, name: Netherlands}
  - {code: MYS, name: Malaysia}
  - {code: SGP, name: Singapore}
products:
  - {id: DUV, kind: equipment, compute: 0}
  - {id: HBM2E, kind: component, compute: 0}
  - {id: wafer-7nm, kind: component, compute: 0}
  - {id: GPU, tpp: 15832, density: 19.4, interconnect: 900, compute: 1.0}
  - {id: Ascend910B, tpp: 5100, compute: 0.32}
suppliers:
  - id: asml
    jurisdiction: NLD
    made_in: NLD
    offers: [{product: DUV, capacity: 4, unit_cost: 15000000, price: 20000000}]
  - id: hynix
    jurisdiction: USA
    made_in: TWN
    offers: [{product: HBM2E, capacity: 3000, unit_cost: 800, price: 1200}]
  - id: smic
    jurisdiction: CHN
    made_in: CHN
    offers: [{product: wafer-7nm, unit_cost: 9000, price: 12000}]
    equipment: {product: DUV, capacity_per_unit: 60, installed: 1.0, depreciation: 0.01, lag: 6}
    purchases: {DUV: {demand: 0.5}}
  - id: huawei
    jurisdiction: CHN
    made_in: CHN
    offers: [{product: Ascend910B, capacity: 2000, unit_cost: 8000, price: 16500, inputs: {wafer-7nm: 0.1, HBM2E: 1}}]
    purchases: {HBM2E: {stock_target: 2}, wafer-7nm: {stock_target: 2}}
  - id: nvidia
    jurisdiction: USA
    made_in: TWN
    offers: [{product: GPU, capacity: 3000, unit_cost: 3300, price: 25000, supply_elasticity: 0.5}]
    price_adjustment: 0.05
buyers:
  - {id: us-cloud, country: USA, demand: 5000, growth: 0.01, reference_cost: 25000, price_elasticity: 0.5, substitution: 3.0, backlog: 0.5}
  - id: cn-lab
    country: CHN
    demand: 800
    reference_cost: 40000
    price_elasticity: 0.8
    substitution: 2.0
    preferences: {GPU: 1.0, Ascend910B: 0.3}
    remote: {via: [MYS], markup: 0.35, capacity: 600}
routes:
  - {via: SGP, markup: 0.06, delay: 1, capacity: 1500, detection: 0.05}
transport: {delay: 1}
policies:
  - id: us-ban
    by: USA
    type: export_control
    from: 2024-04-01
    products: {any: [{tpp_min: 4800}, {tpp_min: 1600, density_min: 5.92}]}
    destinations: {countries: [CHN]}
    covers: [exports, reexports]
  - {id: cn-tariff, by: CHN, type: tariff, rate: 0.10, origins: {countries: [TWN]}, from: 2024-06-01, until: 2024-10-01}
reactions:
  - id: us-closes-sgp
    by: USA
    when: {metric: diverted_units, via: SGP, above: 200, for: 2}
    then:
      type: export_control
      products: {any: [{tpp_min: 4800}]}
      destinations: {countries: [SGP]}
      covers: [exports, reexports]
    lag: 2
)";

constexpr std::size_t kMaxOverrides = 16;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    ts::io::LoadOptions options;
    for (std::size_t begin = 0; begin <= bytes.size();) {
        if (options.overrides.size() == kMaxOverrides) return -1;
        const std::size_t nl = bytes.find('\n', begin);
        const std::size_t end = nl == std::string_view::npos ? bytes.size() : nl;
        options.overrides.emplace_back(bytes.substr(begin, end - begin));
        if (nl == std::string_view::npos) break;
        begin = nl + 1;
    }
    try {
        const ts::io::LoadedScenario loaded =
            ts::io::load_scenario_text(kScenario, "fuzz-set.yaml", options);
        (void)loaded;
    } catch (const ts::InputError&) {
        // A diagnosed bad override or value: the expected outcome for most inputs.
    }
    return 0;
}
