// Inputs found by the fuzz targets (fuzz/, docs/fuzzing.md) that crashed the scenario reader:
// each must now be a diagnosed InputError (or a clean load), never a crash or another exception.
// The minimised crashers themselves are in fuzz/regressions/<target>/.
#include <catch2/catch.hpp>

#include <string>

#include "io/doc.hpp"
#include "io/scenario_reader.hpp"

using ts::Diagnostics;

namespace {

std::vector<std::string> formatted(const Diagnostics& diags) {
    std::vector<std::string> out;
    for (const auto& d : diags.items()) out.push_back(d.format());
    return out;
}

}  // namespace

TEST_CASE("set: a list index too large for size_t is out of range, not an exception",
          "[doc][set][fuzz]") {
    ts::io::Doc doc = ts::io::parse_yaml("countries: [{code: CHN, groups: [D5]}]\n", "s.yaml");
    Diagnostics diags;
    CHECK_FALSE(
        ts::io::apply_override(doc, "countries.CHN.groups.99999999999999999999=x", 1, diags));
    CHECK(formatted(diags) ==
          std::vector<std::string>{"--set:1:22: error: countries[CHN].groups: no item "
                                   "'99999999999999999999' in this list: expected an index from 0 "
                                   "to 0"});
}

TEST_CASE("shares naming an offer that has no product report only the missing product",
          "[reader][fuzz]") {
    // fuzz/regressions/fuzz_scenario/shares-offer-without-product.yaml: the shares check used to
    // look up the name of product -1 (undefined behaviour) to say it has compute 0.
    const std::string yaml = R"(name: x
time: {start: 2024-01, step: month, ticks: 2}
countries: [{code: USA, name: U}]
products: [{id: good}]
suppliers: [{id: s, jurisdiction: USA, made_in: USA, offers: [{price: 1}]}]
buyers: [{id: b, country: USA, demand: 1, reference_cost: 1, shares: {s: 1}}]
)";
    std::vector<std::string> lines;
    try {
        ts::io::load_scenario_text(yaml, "t.yaml");
    } catch (const ts::InputError& e) {
        for (const auto& d : e.diagnostics()) lines.push_back(d.format());
    }
    CHECK(lines ==
          std::vector<std::string>{
              "t.yaml:5:63: error: suppliers[s].offers[0]: missing required key 'product'"});
}
