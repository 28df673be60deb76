// The headquarters view of `tradesim compare` (--by headquarters): the compute the buyers of
// each headquarters country acquired, wherever it is deployed (docs/compare.md).
#include "analysis/compare.hpp"

namespace ts::analysis {

namespace {

constexpr const char* kRemote = "remote";

}  // namespace

const std::vector<std::string>& headquarters_metrics() {
    static const std::vector<std::string> metrics = {"compute",        "compute_abroad",
                                                     "compute_remote", "units",
                                                     "value_usd",      "share_via_third_countries",
                                                     "share_diverted", "seized_units"};
    return metrics;
}

void RunTotals::add_headquarters(RunAcc& acc, const FlowTick& r) {
    if (r.buyer.empty()) {
        ++flows_without_buyer_;
        return;
    }
    const auto it = buyer_headquarters_.find(r.buyer);
    if (it == buyer_headquarters_.end()) return;  // a supplier buying inputs, not a firm
    const std::string& hq = it->second;
    const std::size_t index = headquarters_.id(hq);
    if (index >= acc.headquarters.size()) acc.headquarters.resize(index + 1);
    HeadquartersAcc& h = acc.headquarters[index];
    const bool remote = r.channel == kRemote;
    // Remote compute is used at the site (`via`), other flows where they arrive.
    const std::string_view used_in = remote ? r.via : r.destination;
    h.flows.units += r.units;
    h.flows.compute += r.compute;
    h.flows.value_usd += r.value_usd;
    h.flows.seized_units += r.seized_units;
    if (!r.via.empty()) h.flows.compute_via += r.compute;
    if (r.channel == "diverted") h.flows.compute_diverted += r.compute;
    if (used_in != hq) h.compute_abroad += r.compute;
    if (remote) h.compute_remote += r.compute;
}

double RunTotals::headquarters_value(const HeadquartersAcc& h, const std::string& metric) {
    if (metric == "compute_abroad") return h.compute_abroad;
    if (metric == "compute_remote") return h.compute_remote;
    return flow_value(h.flows, metric);
}

void RunTotals::headquarters_view(std::vector<MetricSeries>& out) const {
    if (!has_flows_) return;
    for (std::size_t i = 0; i < headquarters_.list.size(); ++i) {
        const std::string& hq = headquarters_.list[i];
        for (const auto& m : headquarters_metrics()) {
            out.push_back(MetricSeries{"headquarters", hq, m, metric_unit(m), {}, {{'c', hq}}});
            auto& series = out.back();
            for (const auto& [r, acc] : runs_)
                series.runs[r] = i < acc.headquarters.size()
                                     ? headquarters_value(acc.headquarters[i], m)
                                     : headquarters_value(HeadquartersAcc{}, m);
        }
    }
}

}  // namespace ts::analysis
