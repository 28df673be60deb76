#include "engine/buyer_split.hpp"

#include <algorithm>

namespace ts::engine {

void BuyerSplit::plan(const std::vector<std::size_t>& begin, int threads) {
    const std::size_t nb = begin.empty() ? 0 : begin.size() - 1;
    const std::size_t parts =
        std::max<std::size_t>(1, std::min(static_cast<std::size_t>(std::max(threads, 1)), nb));
    const std::size_t total = nb == 0 ? 0 : begin[nb];
    bounds_.assign(1, 0);
    std::size_t b = 0;
    for (std::size_t p = 1; p < parts; ++p) {
        // The first buyer whose row starts at or past p/parts of the candidates.
        const std::size_t target = total * p / parts;
        while (b < nb && begin[b] < target) ++b;
        bounds_.push_back(std::max(b, bounds_.back()));
    }
    bounds_.push_back(nb);
}

}  // namespace ts::engine
