// Stream keys from stable ids: the hash is pinned (a silent change would change every published
// result), keys are order-sensitive in their components and independent of when they are made,
// and different ids give different streams.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/stream_key.hpp"

using namespace ts;

TEST_CASE("fnv1a64 matches the published FNV-1a test vectors", "[stream_key]") {
    STATIC_REQUIRE(fnv1a64("") == 0xcbf29ce484222325ULL);
    STATIC_REQUIRE(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
    STATIC_REQUIRE(fnv1a64("foobar") == 0x85944171f73967e8ULL);
}

TEST_CASE("id hashes and stream keys are pinned", "[stream_key]") {
    CHECK(id_hash("") == mix64(0xcbf29ce484222325ULL));
    // Values computed independently of this code (a Python transcription of FNV-1a, mix64,
    // hash_combine and Rng).
    CHECK(id_hash("cn-lab") == 0x7e5764e53853ea55ULL);
    CHECK(id_hash("SGP") == 0xba06610b3f4f1a51ULL);
    const StreamKey key{42, 3, Purpose::licence};
    CHECK(key.with(id_hash("cn-lab")).with(7).rng().next_u64() == 0xcd1e7460437caf58ULL);
    CHECK(key.rng().next_u64() == 0xd95ed6a5edf14e46ULL);
}

TEST_CASE("stream keys are sensitive to the order of their components", "[stream_key]") {
    const StreamKey key{1, 0, Purpose::seizure};
    const std::uint64_t a = id_hash("us-fab/GPU"), b = id_hash("SGP");
    CHECK(key.with(a).with(b).rng().next_u64() != key.with(b).with(a).rng().next_u64());
    // A component also counts when it is zero (tick 0), and the number of components matters.
    CHECK(key.with(a).with(0).rng().next_u64() != key.with(a).rng().next_u64());
}

TEST_CASE("every part of the key changes the stream", "[stream_key]") {
    const std::uint64_t id = id_hash("cn-lab");
    std::set<std::uint64_t> firsts;
    firsts.insert(StreamKey{1, 0, Purpose::licence}.with(id).rng().next_u64());
    firsts.insert(StreamKey{2, 0, Purpose::licence}.with(id).rng().next_u64());
    firsts.insert(StreamKey{1, 1, Purpose::licence}.with(id).rng().next_u64());
    firsts.insert(StreamKey{1, 0, Purpose::seizure}.with(id).rng().next_u64());
    firsts.insert(StreamKey{1, 0, Purpose::licence}.with(id + 1).rng().next_u64());
    CHECK(firsts.size() == 5);
}

TEST_CASE("a stream does not depend on which keys were made or used before it", "[stream_key]") {
    const StreamKey base{9, 2, Purpose::licence};
    const std::vector<std::string> ids{"b1", "b2", "b3", "b4"};
    auto draws = [&](const std::vector<std::size_t>& order) {
        std::vector<std::uint64_t> out(ids.size());
        for (const std::size_t i : order) {
            Rng r = base.with(id_hash(ids[i])).with(5).rng();
            r.next_u64();  // consuming one stream leaves the others alone
            out[i] = r.next_u64();
        }
        return out;
    };
    CHECK(draws({0, 1, 2, 3}) == draws({3, 1, 0, 2}));
    // A key kept and extended later gives what it gives when extended at once.
    const StreamKey kept = base.with(id_hash("b2"));
    base.with(id_hash("b1")).rng().next_u64();
    CHECK(kept.with(5).rng().next_u64() == base.with(id_hash("b2")).with(5).rng().next_u64());
}

TEST_CASE("different ids give different hashes and different streams", "[stream_key]") {
    std::set<std::uint64_t> hashes, firsts;
    const StreamKey key{7, 0, Purpose::seizure};
    const int n = 5000;
    for (int i = 0; i < n; ++i) {
        const std::uint64_t h = id_hash(fmt::format("b{}", i));
        hashes.insert(h);
        firsts.insert(key.with(h).with(0).rng().next_u64());
    }
    CHECK(hashes.size() == static_cast<std::size_t>(n));
    CHECK(firsts.size() == static_cast<std::size_t>(n));
    // Similar short ids spread over the low bits too (the mixer after FNV-1a).
    std::set<std::uint64_t> low_bytes;
    for (int i = 0; i < 64; ++i) low_bytes.insert(id_hash(fmt::format("b{}", i)) & 0xFF);
    CHECK(low_bytes.size() > 40);
}
