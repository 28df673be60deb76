// The differences between two resolved scenario trees, and A with any of them switched to B.
#include <string>

#include <catch2/catch.hpp>

#include "io/doc.hpp"
#include "io/doc_diff.hpp"

using namespace ts;

namespace {

const char* kA = R"(name: a
time: {start: 2024-01, step: month, ticks: 12}
buyers:
  - {id: cn-cloud, country: CHN, substitution: 3.0}
  - {id: us-cloud, country: USA, substitution: 3.0}
policies:
  - {id: rule, by: USA, type: export_control, license: {approval: 0.2, delay: 2}}
  - {id: old, by: USA, type: tariff, rate: 0.1}
)";
const char* kB = R"(name: b
time: {start: 2024-01, step: month, ticks: 24}
buyers:
  - {id: cn-cloud, country: CHN, substitution: 2.0}
  - {id: us-cloud, country: USA, substitution: 3.0}
policies:
  - {id: rule, by: USA, type: export_control}
  - {id: new, by: CHN, type: import_restriction}
)";

}  // namespace

TEST_CASE("differences: one per policy, one per other value, names ignored", "[doc_diff]") {
    const io::Doc a = io::parse_yaml(kA, "a.yaml"), b = io::parse_yaml(kB, "b.yaml");
    const auto d = io::differences(a, b);
    REQUIRE(d.size() == 5);
    CHECK(d[0].name() == "time.ticks");
    CHECK(d[0].before == "12");
    CHECK(d[0].after == "24");
    CHECK(d[1].name() == "buyers[cn-cloud].substitution");
    CHECK(d[1].line_a == 4);
    CHECK(d[2].name() == "policies[rule]");
    CHECK(d[2].kind == io::Difference::Kind::changed);
    // A policy is one difference; what changed inside it is named.
    CHECK(d[2].before == "license: {approval: 0.2, delay: 2}");
    CHECK(d[2].after == "license: ~");
    CHECK(d[2].change == "license: {approval: 0.2, delay: 2} → ~");
    CHECK(d[1].change == "3.0 → 2.0");
    CHECK(d[3].name() == "policies[old]");
    CHECK(d[3].kind == io::Difference::Kind::removed);
    CHECK(d[4].name() == "policies[new]");
    CHECK(d[4].kind == io::Difference::Kind::added);
    const auto groups = io::group_by_item(d);
    CHECK(groups.size() == 5);  // time, buyers[cn-cloud], three policies
}

TEST_CASE("with_differences switches exactly the chosen differences", "[doc_diff]") {
    const io::Doc a = io::parse_yaml(kA, "a.yaml"), b = io::parse_yaml(kB, "b.yaml");
    const auto d = io::differences(a, b);
    const auto all = io::with_differences(a, b, d, {0, 1, 2, 3, 4});
    CHECK(io::differences(all, b).empty());
    const auto none = io::with_differences(a, b, d, {});
    CHECK(io::differences(none, a).empty());
    const auto some = io::with_differences(a, b, d, {1, 4});
    const auto left = io::differences(some, b);
    REQUIRE(left.size() == 3);
    CHECK(left[0].name() == "time.ticks");
    CHECK(left[1].name() == "policies[rule]");
    CHECK(left[2].name() == "policies[old]");
}

TEST_CASE("a list only one side has differs item by item", "[doc_diff]") {
    const io::Doc a = io::parse_yaml("name: a\nseed: 1\n", "a.yaml");
    const io::Doc b = io::parse_yaml(
        "name: b\nseed: 1\npolicies:\n  - {id: p1, by: USA, type: tariff}\n"
        "  - {id: p2, by: CHN, type: tariff}\n",
        "b.yaml");
    const auto d = io::differences(a, b);
    REQUIRE(d.size() == 2);
    CHECK(d[0].name() == "policies[p1]");
    CHECK(d[1].kind == io::Difference::Kind::added);
    CHECK(io::differences(io::with_differences(a, b, d, {0, 1}), b).empty());
    const auto back = io::differences(b, a);  // and removed one by one the other way
    REQUIRE(back.size() == 2);
    CHECK(back[1].kind == io::Difference::Kind::removed);
    CHECK(io::differences(io::with_differences(b, a, back, {0, 1}), a).empty());
}
