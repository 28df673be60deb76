#include "analysis/target_recorder.hpp"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "core/error.hpp"
#include "engine/world.hpp"

namespace ts::analysis {

namespace {

/// The name of item `i` of a list of the scenario ("" for kNone, as the CSV files write it).
template <typename T, typename Name>
std::string_view name_at(const std::vector<T>& items, model::Index i, Name name) {
    if (i == model::kNone) return {};
    if (i < 0 || static_cast<std::size_t>(i) >= items.size())
        throw RunError(fmt::format("targets: record names index {}, but the scenario has {}", i,
                                   items.size()));
    return name(items[static_cast<std::size_t>(i)]);
}

std::string_view country_name(const model::Scenario& s, model::Index i) {
    return name_at(s.countries, i,
                   [](const model::Country& c) -> const std::string& { return c.code; });
}

std::string_view supplier_name(const model::Scenario& s, model::Index i) {
    return name_at(s.suppliers, i,
                   [](const model::Supplier& x) -> const std::string& { return x.id; });
}

}  // namespace

void TargetRecorder::begin(const model::Scenario& scenario, int run) {
    scenario_ = &scenario;
    run_ = run;
    RunNames names;
    for (const auto& c : scenario.countries) names.countries.push_back(c.code);
    for (const auto& s : scenario.suppliers) names.suppliers.push_back(s.id);
    for (const auto& p : scenario.products) names.products.push_back(p.id);
    // The world's synthetic purchasers (named after their supplier) are no firm's: the run
    // folder's scenario.resolved.yaml does not list them, so `headquarters:` leaves them out.
    const std::size_t firms = engine::input_buyers(scenario);
    for (std::size_t i = 0; i < firms; ++i) {
        const model::Buyer& b = scenario.buyers[i];
        names.buyer_headquarters.emplace(
            b.id, scenario.countries[static_cast<std::size_t>(b.head_office())].code);
    }
    targets_.set_names(std::move(names));
    targets_.set_has_flows(true);
    targets_.set_has_revenue(true);
}

void TargetRecorder::record(const engine::TickRecord& tick) {
    const model::Scenario& s = *scenario_;
    const auto end = fmt::format_to_n(date_.data(), date_.size(), "{:04}-{:02}-{:02}",
                                      tick.date.year, tick.date.month, tick.date.day);
    const std::string_view date(date_.data(), std::min(end.size, date_.size()));
    for (const auto& c : tick.countries) {
        CountryTick r;
        r.run = run_;
        r.date = date;
        r.country = country_name(s, c.country);
        r.imports_units = c.imports_units;
        r.imports_compute = c.imports_compute;
        r.diverted_compute = c.diverted_compute;
        r.seized_units = c.seized_units;
        r.unmet_compute = c.unmet_compute;
        r.price_index = c.price_index;
        r.tariff_revenue_usd = c.tariff_revenue_usd;
        r.fee_revenue_usd = c.fee_revenue_usd;
        r.compute_used = c.compute_used;
        targets_.add(r);
    }
    // Countries always (they count the run's ticks); flows and revenue only when a target
    // reads them this tick, the bulk of the records.
    if (targets_.wants(TargetSource::flows, date)) add_flows(tick, date);
    if (targets_.wants(TargetSource::revenue, date)) add_revenue(tick, date);
}

void TargetRecorder::add_flows(const engine::TickRecord& tick, std::string_view date) {
    const model::Scenario& s = *scenario_;
    for (const auto& f : tick.flows) {
        FlowTick r;
        r.run = run_;
        r.date = date;
        r.supplier = supplier_name(s, f.supplier);
        r.product = name_at(s.products, f.product,
                            [](const model::Product& x) -> const std::string& { return x.id; });
        r.origin = country_name(s, f.origin);
        r.via = country_name(s, f.via);
        r.destination = country_name(s, f.destination);
        r.buyer = name_at(s.buyers, f.buyer,
                          [](const model::Buyer& x) -> const std::string& { return x.id; });
        r.channel = engine::to_string(f.channel);
        r.units = f.units;
        r.compute = f.compute;
        r.value_usd = f.value_usd;
        r.tariff_usd = f.tariff_usd;
        r.fee_usd = f.fee_usd;
        r.seized_units = f.seized_units;
        targets_.add(r);
    }
}

void TargetRecorder::add_revenue(const engine::TickRecord& tick, std::string_view date) {
    const model::Scenario& s = *scenario_;
    for (const auto& v : tick.revenue) {
        RevenueTick r;
        r.run = run_;
        r.date = date;
        r.supplier = supplier_name(s, v.supplier);
        r.billing_country = country_name(s, v.billing_country);
        r.units = v.units;
        r.revenue_usd = v.revenue_usd;
        targets_.add(r);
    }
}

}  // namespace ts::analysis
