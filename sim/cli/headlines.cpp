#include "cli/headlines.hpp"

#include <cmath>
#include <map>

#include <fmt/format.h>

namespace ts::cli {

std::string human(double v) {
    const double a = std::abs(v);
    if (a >= 1e12) return fmt::format("{:.2f}T", v / 1e12);
    if (a >= 1e9) return fmt::format("{:.2f}B", v / 1e9);
    if (a >= 1e6) return fmt::format("{:.2f}M", v / 1e6);
    if (a >= 1e4) return fmt::format("{:.1f}k", v / 1e3);
    return fmt::format("{:.2f}", v);
}

void print_headlines(const model::Scenario& s, const std::vector<analysis::SummaryRow>& rows) {
    std::map<std::string, std::map<std::string, double>> country, supplier;
    for (const auto& r : rows) {
        if (r.scope == "country") country[r.key][r.metric] = r.value;
        if (r.scope == "supplier") supplier[r.key][r.metric] = r.value;
    }
    fmt::print("\n{:<10} {:>16} {:>14} {:>14} {:>16}\n", "country", "compute_imported",
               "unmet_compute", "price_index", "tariff_rev_usd");
    for (const auto& c : s.countries) {
        auto it = country.find(c.code);
        if (it == country.end()) continue;
        auto& m = it->second;
        fmt::print("{:<10} {:>16} {:>14} {:>14} {:>16}\n", c.code, human(m["imports_compute"]),
                   human(m["unmet_compute"]), human(m["price_index_mean"]),
                   human(m["tariff_revenue_usd"]));
    }
    fmt::print("\n{:<16} {:>16} {:>14}\n", "supplier", "revenue_usd", "units_shipped");
    for (const auto& sup : s.suppliers) {
        auto it = supplier.find(sup.id);
        if (it == supplier.end()) continue;
        fmt::print("{:<16} {:>16} {:>14}\n", sup.id, human(it->second["revenue_usd"]),
                   human(it->second["units_shipped"]));
    }
}

}  // namespace ts::cli
