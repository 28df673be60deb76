#pragma once
// Synthetic scenarios for benchmarks and fuzzing seeds (`tradesim generate`).
//
// The generated world has the structure of the real one at any size: a handful of producer
// countries (the first, XAA, is the main producer jurisdiction), a few large suppliers
// (Pareto-distributed capacities) that each offer every product, many buyers spread over the
// countries with lognormal demand, hubs with capacity, markup, delay and detection, and a
// policy set whose dates fall inside the horizon (announced / in force / lapsed during the run):
// an export control with low licence approval and a prohibition on the top product to group D5,
// a quota on group tier2, two tariffs, an export fee, enforcement at the first hub and an import
// restriction. Every buyer states base-period `shares` over a bounded number of offers
// (kMaxOffersPerBuyer), drawn preferentially from the large suppliers, so the cost of a tick
// grows with the number of buyers, not buyers × offers.
//
// The text is a pure function of the spec (ts::Rng streams keyed by the seed; no unordered
// iteration): the same spec gives byte-identical YAML.
#include <cstddef>
#include <cstdint>
#include <string>

namespace ts::io {

struct GenerateSpec {
    std::int64_t countries = 0;
    std::int64_t suppliers = 0;
    std::int64_t buyers = 0;
    std::int64_t products = 0;
    std::int64_t hubs = 0;
    std::int64_t ticks = 0;
    std::uint64_t seed = 1;
    /// Offers named in each buyer's shares: 0 draws 8 to 12 (sparse, the default), N > 0 names
    /// N (at most every offer), kAllOffers writes no shares, so every buyer considers every
    /// offer (dense worlds: the cost of a tick grows with buyers x offers).
    std::int64_t offers_per_buyer = 0;
    /// The command that made the file, written into the comment header (empty: none).
    std::string command;
};

/// Bounds of what can be represented (country codes XAA..XZZ, 4-digit years, ...).
inline constexpr std::int64_t kMaxGeneratedCountries = 676;
inline constexpr std::int64_t kMaxGeneratedSuppliers = 10000;
inline constexpr std::int64_t kMaxGeneratedProducts = 100;
inline constexpr std::int64_t kMaxGeneratedBuyers = 1000000;
inline constexpr std::int64_t kMaxGeneratedTicks = 100000;
/// Each buyer's shares name at most this many offers (at least 8 when that many exist), unless
/// GenerateSpec::offers_per_buyer says otherwise.
inline constexpr int kMaxOffersPerBuyer = 12;
/// GenerateSpec::offers_per_buyer for "every buyer considers every offer" (no shares).
inline constexpr std::int64_t kAllOffers = -1;

/// Throws InputError (one message per problem) if the sizes cannot be represented.
void check_generate_spec(const GenerateSpec& spec);

/// What a generated scenario holds, for the message of `tradesim generate`.
struct GeneratedSize {
    std::size_t countries = 0, products = 0, suppliers = 0, offers = 0, buyers = 0, hubs = 0,
                policies = 0, ticks = 0;
    const char* step = "month";
    std::int64_t offers_per_buyer = 0;  // as in GenerateSpec
};
/// "20 countries, 4 products, 10 suppliers with 40 offers, 200 buyers, 3 hubs, 7 policies, 24
/// ticks of one month" (then "; each buyer considers every offer" or "; N offers per buyer"
/// when GenerateSpec::offers_per_buyer is set).
std::string describe(const GeneratedSize& size);

/// The scenario YAML. Calls check_generate_spec first. `size` (if given) gets its size.
std::string generate_scenario(const GenerateSpec& spec, GeneratedSize* size = nullptr);

}  // namespace ts::io
