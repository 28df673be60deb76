#include "core/random.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ts {

std::uint64_t mix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

std::uint64_t hash_combine(std::uint64_t a, std::uint64_t b) {
    return mix64(mix64(a) ^ (b + 0x632BE59BD9B4E019ULL));
}

Rng::Rng(std::uint64_t seed, std::uint64_t run, std::uint64_t agent, Purpose purpose) {
    key_ = hash_combine(hash_combine(hash_combine(mix64(seed), run), agent),
                        static_cast<std::uint64_t>(purpose));
    state_ = key_;
}

Rng Rng::substream(std::uint64_t key) const {
    Rng r(hash_combine(key_, key));
    r.key_ = r.state_;
    return r;
}

std::uint64_t Rng::next_u64() {
    state_ += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double Rng::uniform() {
    return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

bool Rng::bernoulli(double p) {
    return uniform() < p;
}

double Rng::normal() {
    double u1 = uniform();
    while (u1 <= 0.0) u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::uint64_t Rng::binomial(std::uint64_t n, double p) {
    if (n == 0 || p <= 0.0) return 0;
    if (p >= 1.0) return n;
    const double nd = static_cast<double>(n);
    if (nd * std::min(p, 1.0 - p) < 30.0 || n < 64) {
        // Exact: count successes (n small) or invert the CDF.
        if (n <= 256) {
            std::uint64_t k = 0;
            for (std::uint64_t i = 0; i < n; ++i) k += bernoulli(p) ? 1 : 0;
            return k;
        }
        const double q = 1.0 - p;
        const double ratio = p / q;
        double prob = std::pow(q, nd);
        double cdf = prob;
        const double u = uniform();
        std::uint64_t k = 0;
        while (u > cdf && k < n) {
            prob *= ratio * static_cast<double>(n - k) / static_cast<double>(k + 1);
            ++k;
            cdf += prob;
            if (prob < 1e-300 && cdf >= 1.0 - 1e-15) break;
        }
        return k;
    }
    const double mean = nd * p;
    const double sd = std::sqrt(nd * p * (1.0 - p));
    const double x = std::floor(mean + sd * normal() + 0.5);
    return static_cast<std::uint64_t>(std::clamp(x, 0.0, nd));
}

double draw_whole_units(double units, double p, Rng& rng) {
    if (p <= 0.0 || units <= 0.0) return 0.0;
    const double whole = std::floor(units);
    double drawn = static_cast<double>(rng.binomial(static_cast<std::uint64_t>(whole), p));
    if (units - whole > 0.0 && rng.bernoulli(p)) drawn += units - whole;
    return drawn;
}

}  // namespace ts
