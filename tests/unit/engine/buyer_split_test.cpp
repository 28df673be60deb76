#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <vector>

#include "engine/buyer_split.hpp"

using ts::engine::BuyerSplit;

namespace {
/// Candidate rows (per buyer + 1) from each buyer's candidate count.
std::vector<std::size_t> rows(const std::vector<std::size_t>& counts) {
    std::vector<std::size_t> begin{0};
    for (const auto c : counts) begin.push_back(begin.back() + c);
    return begin;
}

/// The ranges a split runs, in part order.
std::vector<std::pair<std::size_t, std::size_t>> ranges(const BuyerSplit& split) {
    std::vector<std::pair<std::size_t, std::size_t>> out(split.parts());
    split.run([&](std::size_t part, std::size_t b0, std::size_t b1) { out[part] = {b0, b1}; });
    return out;
}
}  // namespace

TEST_CASE("a buyer split covers every buyer once, in contiguous ranges of about equal work",
          "[engine][threads]") {
    BuyerSplit split;
    split.plan(rows({10, 10, 10, 10, 10, 10}), 2);
    CHECK(ranges(split) == std::vector<std::pair<std::size_t, std::size_t>>{{0, 3}, {3, 6}});
    // One heavy buyer: the ranges follow candidates, not buyers.
    split.plan(rows({90, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}), 2);
    CHECK(ranges(split) == std::vector<std::pair<std::size_t, std::size_t>>{{0, 1}, {1, 11}});
    // More threads than buyers: one range per buyer; no threads asked: one range.
    split.plan(rows({5, 5}), 8);
    CHECK(split.parts() == 2);
    split.plan(rows({5, 5}), 0);
    CHECK(ranges(split) == std::vector<std::pair<std::size_t, std::size_t>>{{0, 2}});
    split.plan(rows({}), 4);
    CHECK(ranges(split) == std::vector<std::pair<std::size_t, std::size_t>>{{0, 0}});
}

TEST_CASE("a buyer split runs its ranges on threads and rethrows a range's exception",
          "[engine][threads]") {
    BuyerSplit split;
    split.plan(rows(std::vector<std::size_t>(100, 3)), 4);
    REQUIRE(split.parts() == 4);
    std::atomic<std::size_t> buyers{0};
    split.run([&](std::size_t, std::size_t b0, std::size_t b1) { buyers += b1 - b0; });
    CHECK(buyers == 100);
    CHECK_THROWS_WITH(split.run([](std::size_t part, std::size_t, std::size_t) {
        if (part == 2) throw std::runtime_error("range 2 failed");
    }),
                      "range 2 failed");
}
