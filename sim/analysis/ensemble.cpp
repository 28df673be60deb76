#include "analysis/ensemble.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ts::analysis {

double quantile_sorted(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
    const std::size_t n = sorted.size();
    const double h = static_cast<double>(n - 1) * std::clamp(p, 0.0, 1.0);
    const double lower = std::floor(h);
    const auto i = static_cast<std::size_t>(lower);
    if (i + 1 >= n) return sorted[n - 1];
    const double frac = h - lower;
    if (frac == 0.0) return sorted[i];
    return sorted[i] + frac * (sorted[i + 1] - sorted[i]);
}

EnsembleStats ensemble_stats(const std::vector<double>& values) {
    EnsembleStats s;
    s.runs = static_cast<int>(values.size());
    if (values.empty()) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        s.mean = s.sd = s.se = s.p05 = s.p50 = s.p95 = nan;
        return s;
    }
    double sum = 0.0;
    for (const double v : values) sum += v;
    s.mean = sum / static_cast<double>(values.size());
    if (values.size() > 1) {
        double ss = 0.0;
        for (const double v : values) ss += (v - s.mean) * (v - s.mean);
        s.sd = std::sqrt(ss / static_cast<double>(values.size() - 1));
        s.se = s.sd / std::sqrt(static_cast<double>(values.size()));
    }
    std::vector<double> sorted = values;
    // NaN sorts last so that the order is total (std::sort needs a strict weak order).
    std::sort(sorted.begin(), sorted.end(), [](double a, double b) {
        if (std::isnan(a)) return false;
        if (std::isnan(b)) return true;
        return a < b;
    });
    s.p05 = quantile_sorted(sorted, 0.05);
    s.p50 = quantile_sorted(sorted, 0.50);
    s.p95 = quantile_sorted(sorted, 0.95);
    return s;
}

std::string MetricKey::column() const {
    if (scope == "world" && key == "all") return scope + "." + metric;
    return scope + "." + key + "." + metric;
}

void EnsembleSummary::add_run(const std::vector<SummaryRow>& rows) {
    for (const auto& r : rows) {
        MetricKey k{r.scope, r.key, r.metric};
        auto [it, inserted] = index_.try_emplace(k, keys_.size());
        if (inserted) {
            keys_.push_back(std::move(k));
            values_.emplace_back();
        }
        values_[it->second].push_back(r.value);
    }
    ++runs_;
}

std::vector<EnsembleRow> EnsembleSummary::rows() const {
    std::vector<EnsembleRow> out;
    out.reserve(keys_.size());
    for (std::size_t i = 0; i < keys_.size(); ++i)
        out.push_back({keys_[i], ensemble_stats(values_[i])});
    return out;
}

std::vector<MetricKey> headline_metrics(const model::Scenario& scenario) {
    std::vector<MetricKey> out;
    for (const char* m : {"imports_compute", "units_shipped", "value_usd", "tariff_revenue_usd",
                          "fee_revenue_usd", "unmet_compute", "diverted_compute", "seized_units"})
        out.push_back({"world", "all", m});
    std::vector<char> has_buyer(scenario.countries.size(), 0);
    for (const auto& b : scenario.buyers)
        if (b.country >= 0 && static_cast<std::size_t>(b.country) < has_buyer.size())
            has_buyer[static_cast<std::size_t>(b.country)] = 1;
    for (std::size_t c = 0; c < scenario.countries.size(); ++c) {
        if (!has_buyer[c]) continue;
        for (const char* m :
             {"imports_compute", "unmet_compute", "diverted_compute", "price_index_mean"})
            out.push_back({"country", scenario.countries[c].code, m});
    }
    for (const auto& s : scenario.suppliers) out.push_back({"supplier", s.id, "revenue_usd"});
    return out;
}

double find_metric(const std::vector<SummaryRow>& rows, const MetricKey& key) {
    for (const auto& r : rows)
        if (r.metric == key.metric && r.key == key.key && r.scope == key.scope) return r.value;
    return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace ts::analysis
