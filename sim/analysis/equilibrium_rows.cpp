// The equilibrium result as long-format rows (scope,key,metric,baseline,value), in scenario
// order: world totals, offers, flows, countries, suppliers.
#include <cmath>

#include <fmt/format.h>

#include "analysis/equilibrium.hpp"
#include "analysis/equilibrium_context.hpp"

namespace ts::analysis {

namespace {

using eq::ix;
using eq::offer_name;

/// The rows being written: the result's two states side by side.
struct Rows {
    const model::Scenario& s;
    const EquilibriumResult& r;
    std::vector<EquilibriumRow> out;
    void add(const std::string& scope, const std::string& key, const char* metric, double base,
             double value) {
        out.push_back({scope, key, metric, base, value});
    }
};

/// World totals and surplus changes.
void world_rows(Rows& rows) {
    const auto& s = rows.s;
    const auto& a = rows.r.baseline;
    const auto& b = rows.r.current;
    const std::size_t nc = s.countries.size();
    const auto& r = rows.r;
    double tariff0 = 0, tariff1 = 0, fee0 = 0, fee1 = 0, imp0 = 0, imp1 = 0, unmet0 = 0, unmet1 = 0;
    for (std::size_t c = 0; c < nc; ++c) {
        tariff0 += a.countries[c].tariff_revenue_usd;
        tariff1 += b.countries[c].tariff_revenue_usd;
        fee0 += a.countries[c].fee_revenue_usd;
        fee1 += b.countries[c].fee_revenue_usd;
        imp0 += a.countries[c].imports_compute;
        imp1 += b.countries[c].imports_compute;
        unmet0 += a.countries[c].unmet_compute;
        unmet1 += b.countries[c].unmet_compute;
    }
    double value0 = 0, value1 = 0;
    for (std::size_t o = 0; o < s.offers.size(); ++o) {
        value0 += a.offers[o].value_usd;
        value1 += b.offers[o].value_usd;
    }
    double cs = 0, ps = 0, welfare = 0;
    for (double v : r.consumer_surplus_change) cs += v;
    for (double v : r.producer_surplus_change) ps += v;
    for (double v : r.welfare_change) welfare += v;
    rows.add("world", "all", "imports_compute", imp0, imp1);
    rows.add("world", "all", "unmet_compute", unmet0, unmet1);
    rows.add("world", "all", "value_usd", value0, value1);
    rows.add("world", "all", "tariff_revenue_usd", tariff0, tariff1);
    rows.add("world", "all", "fee_revenue_usd", fee0, fee1);
    rows.add("world", "all", "consumer_surplus_change_usd", 0.0, cs);
    rows.add("world", "all", "producer_surplus_change_usd", 0.0, ps);
    rows.add("world", "all", "welfare_change_usd", 0.0, welfare);
}

/// Per offer: price, capacity (when finite), quantity and value.
void offer_rows(Rows& rows) {
    const auto& s = rows.s;
    const auto& a = rows.r.baseline;
    const auto& b = rows.r.current;
    for (std::size_t o = 0; o < s.offers.size(); ++o) {
        const std::string key = offer_name(s, o);
        rows.add("offer", key, "price", a.offers[o].price, b.offers[o].price);
        if (std::isfinite(a.offers[o].capacity) || std::isfinite(b.offers[o].capacity))
            rows.add("offer", key, "capacity", a.offers[o].capacity, b.offers[o].capacity);
        rows.add("offer", key, "quantity", a.offers[o].orders, b.offers[o].orders);
        rows.add("offer", key, "value_usd", a.offers[o].value_usd, b.offers[o].value_usd);
    }
}

/// Per (supplier, destination) with a shipment in either state.
void flow_rows(Rows& rows) {
    const auto& s = rows.s;
    const auto& a = rows.r.baseline;
    const auto& b = rows.r.current;
    const std::size_t nc = s.countries.size();
    for (std::size_t sp = 0; sp < s.suppliers.size(); ++sp)
        for (std::size_t c = 0; c < nc; ++c) {
            const std::size_t cell = sp * nc + c;
            if (a.flow_units[cell] == 0.0 && b.flow_units[cell] == 0.0) continue;
            const std::string key = fmt::format("{}/{}", s.suppliers[sp].id, s.countries[c].code);
            rows.add("flow", key, "units", a.flow_units[cell], b.flow_units[cell]);
            rows.add("flow", key, "compute", a.flow_compute[cell], b.flow_compute[cell]);
            rows.add("flow", key, "value_usd", a.flow_value_usd[cell], b.flow_value_usd[cell]);
        }
}

/// Per country with a buyer, imports or revenue.
void country_rows(Rows& rows) {
    const auto& s = rows.s;
    const auto& a = rows.r.baseline;
    const auto& b = rows.r.current;
    const std::size_t nc = s.countries.size();
    const auto& r = rows.r;
    std::vector<char> has_buyer(nc, 0);
    for (const auto& buyer : s.buyers) has_buyer[ix(buyer.country)] = 1;
    for (std::size_t c = 0; c < nc; ++c) {
        const auto& x = a.countries[c];
        const auto& y = b.countries[c];
        const bool any = has_buyer[c] || x.imports_units != 0.0 || y.imports_units != 0.0 ||
                         x.fee_revenue_usd != 0.0 || y.fee_revenue_usd != 0.0 ||
                         x.tariff_revenue_usd != 0.0 || y.tariff_revenue_usd != 0.0;
        if (!any) continue;
        const std::string& key = s.countries[c].code;
        if (has_buyer[c]) {
            rows.add("country", key, "price_index", x.price_index, y.price_index);
            rows.add("country", key, "demand_compute", x.demand_compute, y.demand_compute);
        }
        rows.add("country", key, "imports_units", x.imports_units, y.imports_units);
        rows.add("country", key, "imports_compute", x.imports_compute, y.imports_compute);
        rows.add("country", key, "imports_value_usd", x.imports_value_usd, y.imports_value_usd);
        rows.add("country", key, "diverted_compute", x.diverted_compute, y.diverted_compute);
        rows.add("country", key, "unmet_compute", x.unmet_compute, y.unmet_compute);
        rows.add("country", key, "tariff_revenue_usd", x.tariff_revenue_usd, y.tariff_revenue_usd);
        rows.add("country", key, "fee_revenue_usd", x.fee_revenue_usd, y.fee_revenue_usd);
        rows.add("country", key, "consumer_surplus_change_usd", 0.0, r.consumer_surplus_change[c]);
        rows.add("country", key, "welfare_change_usd", 0.0, r.welfare_change[c]);
    }
}

/// Per supplier: units, revenue and producer surplus change.
void supplier_rows(Rows& rows) {
    const auto& s = rows.s;
    const auto& a = rows.r.baseline;
    const auto& b = rows.r.current;
    const auto& r = rows.r;
    for (std::size_t sp = 0; sp < s.suppliers.size(); ++sp) {
        const std::string& key = s.suppliers[sp].id;
        rows.add("supplier", key, "units", a.suppliers[sp].units, b.suppliers[sp].units);
        rows.add("supplier", key, "revenue_usd", a.suppliers[sp].revenue_usd,
                 b.suppliers[sp].revenue_usd);
        rows.add("supplier", key, "producer_surplus_change_usd", 0.0,
                 r.producer_surplus_change[sp]);
    }
}

}  // namespace

std::vector<EquilibriumRow> equilibrium_rows(const model::Scenario& s, const EquilibriumResult& r) {
    Rows rows{s, r, {}};
    world_rows(rows);
    offer_rows(rows);
    flow_rows(rows);
    country_rows(rows);
    supplier_rows(rows);
    return std::move(rows.out);
}

}  // namespace ts::analysis
