#pragma once
// Counter-based random streams. Every stream is derived from (seed, run, agent, purpose) with a
// SplitMix64-style mixer, so a draw never depends on thread count, rank count, creation order
// or evaluation order. Distributions are written here (not std::*_distribution, which differ
// between standard libraries), so results are identical on every platform.
#include <cstdint>

namespace ts {

/// What a stream is used for; part of the stream key. Never renumber: values are persisted
/// implicitly in every reproducible result.
enum class Purpose : std::uint64_t {
    licence = 1,
    seizure = 2,
    demand_shock = 3,
    parameter_draw = 4,
    /// Parameter uncertainty in ensembles: the draws of an uncertain --set path
    /// (io/uncertainty.hpp).
    parameter_uncertainty = 5,
    test = 99,
};

/// SplitMix64 finaliser: a bijective 64-bit mixer.
std::uint64_t mix64(std::uint64_t x);
/// Combines two 64-bit words into one, order-sensitive.
std::uint64_t hash_combine(std::uint64_t a, std::uint64_t b);

class Rng {
  public:
    Rng(std::uint64_t seed, std::uint64_t run, std::uint64_t agent, Purpose purpose);
    /// Restarts the stream at a sub-key (e.g. the tick), still a pure function of the key.
    Rng substream(std::uint64_t key) const;

    std::uint64_t next_u64();
    /// Uniform on [0, 1) with 53 random bits.
    double uniform();
    bool bernoulli(double p);
    /// Standard normal (Box-Muller, both values drawn fresh each call for purity).
    double normal();
    /// Binomial(n, p): exact inversion for small n·p, normal approximation otherwise
    /// (continuity corrected and clamped to [0, n]).
    std::uint64_t binomial(std::uint64_t n, double p);

  private:
    explicit Rng(std::uint64_t state) : state_(state) {}
    std::uint64_t key_ = 0;
    std::uint64_t state_ = 0;
};

/// How many of `units` (possibly fractional) succeed when each succeeds with probability p:
/// a binomial draw on the whole units, and the fractional remainder succeeds whole with a
/// bernoulli draw of the same p (so the expectation is units·p and the draw stays in units).
/// Used for seized units of a diverted shipment and granted units of a licence request.
/// Draws nothing when p <= 0 or units <= 0.
double draw_whole_units(double units, double p, Rng& rng);

}  // namespace ts
