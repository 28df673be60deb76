// The statistics of a compare cell over the runs of an ensemble (analysis/compare.hpp).
#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/compare.hpp"

namespace ts::analysis {

Interval interval_of(const std::vector<double>& values) {
    Interval out;
    out.n = static_cast<int>(values.size());
    if (values.empty()) {
        out.mean = out.p05 = out.p95 = out.se = std::numeric_limits<double>::quiet_NaN();
        return out;
    }
    double sum = 0.0;
    for (const double v : values) sum += v;  // in run order: reproducible
    out.mean = sum / static_cast<double>(values.size());
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end(), [](double a, double b) {
        if (std::isnan(a)) return false;
        if (std::isnan(b)) return true;
        return a < b;
    });
    // Hyndman & Fan type 7: h = (n − 1)·p, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
    const auto quantile = [&sorted](double p) {
        const double h = static_cast<double>(sorted.size() - 1) * p;
        const double lo = std::floor(h);
        const auto i = static_cast<std::size_t>(lo);
        if (i + 1 >= sorted.size()) return sorted.back();
        const double frac = h - lo;
        return frac == 0.0 ? sorted[i] : sorted[i] + frac * (sorted[i + 1] - sorted[i]);
    };
    out.p05 = quantile(0.05);
    out.p95 = quantile(0.95);
    if (values.size() > 1) {
        double ss = 0.0;
        for (const double v : values) ss += (v - out.mean) * (v - out.mean);
        const auto n = static_cast<double>(values.size());
        out.se = std::sqrt(ss / (n - 1.0) / n);
    }
    return out;
}

}  // namespace ts::analysis
