// The product and route views of `tradesim compare` (--by product, --by route): the totals of
// flows.csv per product and per ORIGIN > HUB > DESTINATION, and of each route the compute
// seized and still in transit at the end of the period (docs/compare.md).
#include <vector>

#include "analysis/compare.hpp"

namespace ts::analysis {

namespace {

/// The ordering parts of a route "A > H > B" or "A > B": origin, hub (empty: direct, first),
/// destination.
std::vector<std::pair<char, std::string>> route_parts(const std::string& name) {
    std::vector<std::pair<char, std::string>> parts;
    for (auto& x : split_route(name)) parts.emplace_back('c', std::move(x));
    return parts;
}

}  // namespace

const std::vector<std::string>& product_metrics() {
    static const std::vector<std::string> metrics = {"units",          "compute",
                                                     "value_usd",      "tariff_usd",
                                                     "fee_usd",        "share_via_third_countries",
                                                     "share_diverted", "seized_units"};
    return metrics;
}

const std::vector<std::string>& route_metrics() {
    // compute − seized_compute − in_transit_compute: the compute that arrived in the period.
    static const std::vector<std::string> metrics = {
        "units", "compute", "seized_compute", "in_transit_compute", "value_usd", "seized_units"};
    return metrics;
}

void RunTotals::add_route_arrival(RunAcc& acc, std::size_t route, const FlowTick& r,
                                  double unseized_compute) {
    if (route >= acc.route_arrivals.size()) acc.route_arrivals.resize(route + 1);
    // Folders written before arrival_date: the shipment is taken as arriving when it leaves.
    const std::string_view arrival = r.arrival_date.empty() ? r.date : r.arrival_date;
    Arrivals& arrivals = acc.route_arrivals[route];
    const auto it = arrivals.find(arrival);
    if (it != arrivals.end())
        it->second += unseized_compute;
    else
        arrivals.emplace(std::string(arrival), unseized_compute);
}

double RunTotals::route_value(const RunAcc& acc, std::size_t route, const std::string& metric) {
    if (metric != "in_transit_compute")
        return route < acc.routes.size() ? flow_value(acc.routes[route], metric)
                                         : flow_value(FlowAcc{}, metric);
    if (route >= acc.route_arrivals.size()) return 0.0;
    // Arriving after the period's last tick: neither seized nor counted in its imports. Dates
    // are ISO (YYYY-MM-DD), so text order is date order.
    const Arrivals& arrivals = acc.route_arrivals[route];
    double sum = 0;
    for (auto it = arrivals.upper_bound(acc.last_in_period); it != arrivals.end(); ++it)
        sum += it->second;
    return sum;
}

void RunTotals::flow_view(bool products, std::vector<MetricSeries>& out) const {
    if (!has_flows_) return;
    const Names& names = products ? products_ : routes_;
    for (std::size_t i = 0; i < names.list.size(); ++i) {
        const auto& name = names.list[i];
        const std::vector<std::pair<char, std::string>> parts =
            products ? std::vector<std::pair<char, std::string>>{{'p', name}} : route_parts(name);
        for (const auto& m : products ? product_metrics() : route_metrics()) {
            out.push_back(
                MetricSeries{products ? "product" : "route", name, m, metric_unit(m), {}, parts});
            auto& s = out.back();
            for (const auto& [r, acc] : runs_) {
                if (!products)
                    s.runs[r] = route_value(acc, i, m);
                else
                    s.runs[r] = i < acc.products.size() ? flow_value(acc.products[i], m)
                                                        : flow_value(FlowAcc{}, m);
            }
        }
    }
}

std::array<std::string, 3> split_route(const std::string& key) {
    std::vector<std::string> p;
    for (std::size_t start = 0;;) {
        const auto pos = key.find(" > ", start);
        p.push_back(key.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
        if (pos == std::string::npos) break;
        start = pos + 3;
    }
    if (p.size() == 2) p.insert(p.begin() + 1, std::string());
    if (p.size() != 3) return {key, "", ""};
    return {p[0], p[1], p[2]};
}

}  // namespace ts::analysis
