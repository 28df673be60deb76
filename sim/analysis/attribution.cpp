#include "analysis/attribution.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

namespace ts::analysis {

Attribution shapley(std::size_t players,
                    const std::function<double(const std::vector<std::size_t>&)>& f,
                    std::size_t exact_limit, std::size_t permutations, std::uint64_t seed) {
    Attribution out;
    out.value.assign(players, 0.0);
    out.se.assign(players, 0.0);
    std::map<std::vector<bool>, double> cache;
    const auto v = [&](const std::vector<bool>& mask) {
        const auto it = cache.find(mask);
        if (it != cache.end()) return it->second;
        std::vector<std::size_t> on;
        for (std::size_t i = 0; i < players; ++i)
            if (mask[i]) on.push_back(i);
        const double y = f(on);
        cache.emplace(mask, y);
        return y;
    };
    out.base = v(std::vector<bool>(players, false));
    out.full = v(std::vector<bool>(players, true));
    if (players <= exact_limit) {
        // φ_i = Σ over coalitions S without i of |S|!(n−|S|−1)!/n! · (v(S ∪ i) − v(S)).
        std::vector<double> weight(players, 1.0);  // weight[s] for |S| = s
        for (std::size_t s = 0; s < players; ++s) {
            double w = 1.0 / static_cast<double>(players);
            for (std::size_t j = 1; j <= s; ++j)
                w *= static_cast<double>(j) / static_cast<double>(players - j);
            weight[s] = w;
        }
        for (std::uint64_t m = 0; m < (std::uint64_t{1} << players); ++m) {
            std::vector<bool> mask(players);
            std::size_t size = 0;
            for (std::size_t i = 0; i < players; ++i) size += (mask[i] = (m >> i) & 1U);
            const double y = v(mask);
            for (std::size_t i = 0; i < players; ++i) {
                if (mask[i]) continue;
                auto with = mask;
                with[i] = true;
                out.value[i] += weight[size] * (v(with) - y);
            }
        }
        out.evaluations = cache.size();
        return out;
    }
    out.exact = false;
    std::mt19937_64 rng(seed);
    std::vector<std::size_t> order(players);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::vector<double> sum(players, 0.0), sum2(players, 0.0);
    for (std::size_t p = 0; p < permutations; ++p) {
        std::shuffle(order.begin(), order.end(), rng);
        std::vector<bool> mask(players, false);
        double before = out.base;
        for (const std::size_t i : order) {
            mask[i] = true;
            const double after = v(mask);
            sum[i] += after - before;
            sum2[i] += (after - before) * (after - before);
            before = after;
        }
    }
    const double m = static_cast<double>(permutations);
    for (std::size_t i = 0; i < players; ++i) {
        out.value[i] = sum[i] / m;
        const double var = std::max(0.0, sum2[i] / m - out.value[i] * out.value[i]);
        out.se[i] = m > 1 ? std::sqrt(var / (m - 1)) : 0.0;
    }
    out.evaluations = cache.size();
    return out;
}

}  // namespace ts::analysis
