#include "analysis/summary.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace ts::analysis {

namespace {

/// A route of summary.csv as one sortable key: origin, via + 1, destination (21 bits each:
/// countries are fewer than 2^21), in that order of significance.
std::uint64_t route_key(model::Index origin, model::Index via1, model::Index destination) {
    const auto part = [](model::Index i) { return static_cast<std::uint64_t>(i) & 0x1fffff; };
    return part(origin) << 42 | part(via1) << 21 | part(destination);
}

std::tuple<model::Index, model::Index, model::Index> route_parts(std::uint64_t key) {
    const auto part = [key](int shift) {
        return static_cast<model::Index>(key >> shift & 0x1fffff);
    };
    return {part(42), part(21), part(0)};
}

std::size_t checked(model::Index i, std::size_t n, const char* what) {
    if (i < 0 || static_cast<std::size_t>(i) >= n)
        throw RunError(
            fmt::format("summary: record names {} index {}, but the scenario has {}", what, i, n));
    return static_cast<std::size_t>(i);
}

}  // namespace

void SummaryCollector::begin(const model::Scenario& scenario, int /*run*/) {
    if (scenario.countries.size() >= (std::size_t{1} << 21))
        throw RunError(fmt::format("summary: {} countries, more than route keys hold (2^21)",
                                   scenario.countries.size()));
    scenario_ = &scenario;
    world_ = {};
    countries_.assign(scenario.countries.size(), {});
    suppliers_.assign(scenario.suppliers.size(), {});
    offers_.assign(scenario.offers.size(), {});
    revenue_.assign(scenario.suppliers.size() * scenario.countries.size(), {});
    routes_.clear();
    channels_ = {};
    for (const auto& b : scenario.buyers)
        countries_[checked(b.country, countries_.size(), "country")].has_buyer = true;
}

std::size_t SummaryCollector::offer_of(const engine::FlowRecord& f) const {
    if (f.offer != model::kNone) return checked(f.offer, offers_.size(), "offer");
    const auto& supplier = scenario_->suppliers[checked(f.supplier, suppliers_.size(), "supplier")];
    for (const model::Index o : supplier.offers)
        if (scenario_->offers[static_cast<std::size_t>(o)].product == f.product)
            return static_cast<std::size_t>(o);
    throw RunError(fmt::format(
        "summary: flow of supplier '{}' names product index {}, which it does not offer",
        supplier.id, f.product));
}

void SummaryCollector::record(const engine::TickRecord& tick) {
    if (scenario_ == nullptr) throw RunError("summary: record() before begin()");
    const std::size_t n_countries = countries_.size();

    for (const auto& c : tick.countries) {
        auto& t = countries_[checked(c.country, n_countries, "country")];
        t.imports_compute += c.imports_compute;
        t.imports_units += c.imports_units;
        t.unmet_compute += c.unmet_compute;
        t.diverted_compute += c.diverted_compute;
        t.seized_units += c.seized_units;
        t.tariff_revenue_usd += c.tariff_revenue_usd;
        t.fee_revenue_usd += c.fee_revenue_usd;
        t.price_index_sum += c.price_index;
        ++t.price_index_ticks;

        world_.imports_compute += c.imports_compute;
        world_.tariff_revenue_usd += c.tariff_revenue_usd;
        world_.fee_revenue_usd += c.fee_revenue_usd;
        world_.unmet_compute += c.unmet_compute;
        world_.diverted_compute += c.diverted_compute;
        world_.seized_units += c.seized_units;
    }

    for (const auto& f : tick.flows) {
        auto& s = suppliers_[checked(f.supplier, suppliers_.size(), "supplier")];
        s.units_shipped += f.units;
        s.value_usd += f.value_usd;
        s.fee_usd += f.fee_usd;
        offers_[offer_of(f)].units_shipped += f.units;
        auto& dest = countries_[checked(f.destination, n_countries, "country")];
        dest.flow_compute += f.compute;
        dest.flow_units += f.units;
        if (f.via != model::kNone) {
            checked(f.via, n_countries, "country");
            dest.flow_compute_via += f.compute;
        }
        world_.units_shipped += f.units;
        world_.value_usd += f.value_usd;
        const auto add_flow = [&f](FlowTotals& t) {
            t.units += f.units;
            t.compute += f.compute;
            t.value_usd += f.value_usd;
            t.seized_units += f.seized_units;
        };
        checked(f.origin, n_countries, "country");
        add_flow(routes_[route_key(f.origin, f.via + 1, f.destination)]);
        add_flow(channels_[static_cast<std::size_t>(f.channel)]);
    }

    for (const auto& m : tick.markets) {
        auto& o = offers_[checked(m.offer, offers_.size(), "offer")];
        o.produced += m.produced;
        o.price_sum += m.price;
        o.price_last = m.price;
        ++o.price_ticks;
    }

    for (const auto& r : tick.revenue) {
        const std::size_t s = checked(r.supplier, suppliers_.size(), "supplier");
        const std::size_t c = checked(r.billing_country, n_countries, "country");
        suppliers_[s].revenue_usd += r.revenue_usd;
        auto& cell = revenue_[s * n_countries + c];
        cell.revenue_usd += r.revenue_usd;
        cell.seen = true;
        channels_[static_cast<std::size_t>(r.channel)].revenue_usd += r.revenue_usd;
    }
}

std::vector<SummaryRow> SummaryCollector::rows() const {
    std::vector<SummaryRow> out;
    if (scenario_ == nullptr) return out;
    const auto& sc = *scenario_;
    const auto add = [&out](const char* scope, const std::string& key, const char* metric,
                            double value) {
        out.push_back(SummaryRow{scope, key, metric, value});
    };

    const std::string all = "all";
    add("world", all, "imports_compute", world_.imports_compute);
    add("world", all, "units_shipped", world_.units_shipped);
    add("world", all, "value_usd", world_.value_usd);
    add("world", all, "tariff_revenue_usd", world_.tariff_revenue_usd);
    add("world", all, "fee_revenue_usd", world_.fee_revenue_usd);
    add("world", all, "unmet_compute", world_.unmet_compute);
    add("world", all, "diverted_compute", world_.diverted_compute);
    add("world", all, "seized_units", world_.seized_units);

    for (std::size_t i = 0; i < countries_.size(); ++i) {
        const auto& t = countries_[i];
        if (!t.has_buyer && !(t.imports_units > 0) && !(t.flow_units > 0)) continue;
        const std::string& key = sc.countries[i].code;
        add("country", key, "imports_compute", t.imports_compute);
        add("country", key, "imports_units", t.imports_units);
        add("country", key, "unmet_compute", t.unmet_compute);
        add("country", key, "diverted_compute", t.diverted_compute);
        add("country", key, "seized_units", t.seized_units);
        add("country", key, "tariff_revenue_usd", t.tariff_revenue_usd);
        add("country", key, "fee_revenue_usd", t.fee_revenue_usd);
        if (t.has_buyer)
            add("country", key, "price_index_mean",
                t.price_index_ticks > 0 ? t.price_index_sum / t.price_index_ticks : 0.0);
        add("country", key, "compute_via_third_countries", t.flow_compute_via);
        add("country", key, "share_via_third_countries",
            t.flow_compute > 0 ? t.flow_compute_via / t.flow_compute : 0.0);
    }

    for (std::size_t i = 0; i < suppliers_.size(); ++i) {
        const auto& t = suppliers_[i];
        const std::string& key = sc.suppliers[i].id;
        add("supplier", key, "revenue_usd", t.revenue_usd);
        add("supplier", key, "units_shipped", t.units_shipped);
        add("supplier", key, "value_usd", t.value_usd);
        add("supplier", key, "fee_usd", t.fee_usd);
    }

    for (std::size_t i = 0; i < offers_.size(); ++i) {
        const auto& t = offers_[i];
        const auto& offer = sc.offers[i];
        const std::string key = sc.suppliers[static_cast<std::size_t>(offer.supplier)].id + "/" +
                                sc.products[static_cast<std::size_t>(offer.product)].id;
        add("offer", key, "units_shipped", t.units_shipped);
        add("offer", key, "produced", t.produced);
        if (t.price_ticks > 0) {
            add("offer", key, "price_final", t.price_last);
            add("offer", key, "price_mean", t.price_sum / t.price_ticks);
        }
    }

    const std::size_t n_countries = countries_.size();
    for (std::size_t s = 0; s < suppliers_.size(); ++s) {
        const double total = suppliers_[s].revenue_usd;
        for (std::size_t c = 0; c < n_countries; ++c) {
            const auto& cell = revenue_[s * n_countries + c];
            if (!cell.seen) continue;
            const std::string key = sc.suppliers[s].id + "/" + sc.countries[c].code;
            add("revenue", key, "revenue_usd", cell.revenue_usd);
            add("revenue", key, "share", total != 0 ? cell.revenue_usd / total : 0.0);
        }
    }

    const auto code = [&sc](model::Index c) {
        return sc.countries[static_cast<std::size_t>(c)].code;
    };
    std::vector<std::uint64_t> route_keys;
    route_keys.reserve(routes_.size());
    for (const auto& entry : routes_) route_keys.push_back(entry.first);
    std::sort(route_keys.begin(), route_keys.end());
    for (const std::uint64_t route : route_keys) {
        const auto& t = routes_.at(route);
        const auto [origin, via, destination] = route_parts(route);
        const std::string key = code(origin) + "/" +
                                (via == 0 ? std::string(engine::kDirectVia) : code(via - 1)) + "/" +
                                code(destination);
        add("route", key, "units", t.units);
        add("route", key, "compute", t.compute);
        add("route", key, "value_usd", t.value_usd);
        add("route", key, "seized_units", t.seized_units);
    }
    for (std::size_t c = 0; c < engine::kChannels; ++c) {
        const auto& t = channels_[c];
        const std::string key = engine::to_string(static_cast<engine::Channel>(c));
        add("channel", key, "units", t.units);
        add("channel", key, "compute", t.compute);
        add("channel", key, "value_usd", t.value_usd);
        add("channel", key, "seized_units", t.seized_units);
        add("channel", key, "revenue_usd", t.revenue_usd);
    }
    return out;
}

}  // namespace ts::analysis
