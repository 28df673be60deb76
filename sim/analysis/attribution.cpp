#include "analysis/attribution.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

namespace ts::analysis {

namespace {

std::vector<std::size_t> members(const Coalition& c) {
    std::vector<std::size_t> on;
    for (std::size_t i = 0; i < c.size(); ++i)
        if (c[i]) on.push_back(i);
    return on;
}

}  // namespace

Attribution shapley(std::size_t players, const BatchValue& f, std::size_t exact_limit,
                    std::size_t permutations, std::uint64_t seed) {
    Attribution out;
    out.value.assign(players, 0.0);
    out.se.assign(players, 0.0);
    out.exact = players <= exact_limit;
    // The coalitions needed, each once, in a fixed order; then one batch evaluation.
    std::map<Coalition, std::size_t> index;
    std::vector<Coalition> needed;
    const auto need = [&](const Coalition& c) {
        if (index.emplace(c, needed.size()).second) needed.push_back(c);
    };
    need(Coalition(players, false));
    need(Coalition(players, true));
    std::vector<std::vector<std::size_t>> orders;
    if (out.exact) {
        for (std::uint64_t m = 0; m < (std::uint64_t{1} << players); ++m) {
            Coalition c(players);
            for (std::size_t i = 0; i < players; ++i) c[i] = (m >> i) & 1U;
            need(c);
        }
    } else {
        std::mt19937_64 rng(seed);
        std::vector<std::size_t> order(players);
        std::iota(order.begin(), order.end(), std::size_t{0});
        for (std::size_t p = 0; p < permutations; ++p) {
            std::shuffle(order.begin(), order.end(), rng);
            orders.push_back(order);
            Coalition c(players, false);
            for (const std::size_t i : order) {
                c[i] = true;
                need(c);
            }
        }
    }
    const std::vector<double> y = f(needed);
    const auto v = [&](const Coalition& c) { return y.at(index.at(c)); };
    out.evaluations = needed.size();
    out.base = v(Coalition(players, false));
    out.full = v(Coalition(players, true));
    if (out.exact) {
        // φ_i = Σ over coalitions S without i of |S|!(n−|S|−1)!/n! · (v(S ∪ i) − v(S)).
        std::vector<double> weight(players, 1.0);  // weight[s] for |S| = s
        for (std::size_t s = 0; s < players; ++s) {
            double w = 1.0 / static_cast<double>(players);
            for (std::size_t j = 1; j <= s; ++j)
                w *= static_cast<double>(j) / static_cast<double>(players - j);
            weight[s] = w;
        }
        for (const auto& c : needed) {
            const std::size_t size = members(c).size();
            for (std::size_t i = 0; i < players; ++i) {
                if (c[i]) continue;
                auto with = c;
                with[i] = true;
                out.value[i] += weight[size] * (v(with) - v(c));
            }
        }
        return out;
    }
    std::vector<double> sum(players, 0.0), sum2(players, 0.0);
    for (const auto& order : orders) {
        Coalition c(players, false);
        double before = out.base;
        for (const std::size_t i : order) {
            c[i] = true;
            const double after = v(c);
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
    return out;
}

Attribution shapley(std::size_t players,
                    const std::function<double(const std::vector<std::size_t>&)>& f,
                    std::size_t exact_limit, std::size_t permutations, std::uint64_t seed) {
    return shapley(
        players,
        [&](const std::vector<Coalition>& all) {
            std::vector<double> y;
            for (const auto& c : all) y.push_back(f(members(c)));
            return y;
        },
        exact_limit, permutations, seed);
}

}  // namespace ts::analysis
