#include "analysis/equilibrium_welfare.hpp"

#include <cmath>

namespace ts::analysis::eq {

double consumer_surplus_change(const model::Buyer& b, double p0, double p1) {
    if (p0 == p1) return 0.0;
    const double d = b.demand, ref = b.reference_cost, eta = b.price_elasticity;
    if (std::abs(eta - 1.0) < 1e-12) {
        if (!std::isfinite(p1)) return -kInf;
        if (!std::isfinite(p0)) return kInf;
        return -d * ref * std::log(p1 / p0);
    }
    auto antiderivative = [&](double p) {  // ∫ d·(p/ref)^(−η) dp = d·ref·(p/ref)^(1−η)/(1−η)
        if (!std::isfinite(p)) return eta > 1.0 ? 0.0 : kInf;
        return d * ref * std::pow(p / ref, 1.0 - eta) / (1.0 - eta);
    };
    const double a1 = antiderivative(p1), a0 = antiderivative(p0);
    if (std::isinf(a1) && std::isinf(a0)) return 0.0;
    return -(a1 - a0);
}

/// ∫_{p0}^{p1} capacity·(p/base)^ε dp.
double supply_integral(const model::Offer& off, double capacity, double p0, double p1) {
    if (p0 == p1 || !std::isfinite(capacity)) return 0.0;
    const double e = off.supply_elasticity, base = off.price;
    if (std::abs(e + 1.0) < 1e-12) return capacity * base * std::log(p1 / p0);
    return capacity * base / (1.0 + e) *
           (std::pow(p1 / base, 1.0 + e) - std::pow(p0 / base, 1.0 + e));
}

void set_surplus_changes(const model::Scenario& s, const Context& c0, EquilibriumResult& res) {
    const std::size_t nc = s.countries.size(), ns = s.suppliers.size();
    res.consumer_surplus_change.assign(nc, 0.0);
    res.producer_surplus_change.assign(ns, 0.0);
    res.welfare_change.assign(nc, 0.0);
    for (std::size_t b = 0; b < s.buyers.size(); ++b) {
        const auto& buyer = s.buyers[b];
        res.consumer_surplus_change[ix(buyer.country)] += consumer_surplus_change(
            buyer, res.baseline.buyers[b].price_index, res.current.buyers[b].price_index);
    }
    for (std::size_t o = 0; o < s.offers.size(); ++o) {
        const auto& off = s.offers[o];
        const auto& a = res.baseline.offers[o];
        const auto& b = res.current.offers[o];
        double ps = -(b.fees_usd - a.fees_usd);
        if (a.endogenous && b.endogenous)
            ps += supply_integral(off, c0.capacity0[o], a.price, b.price);
        res.producer_surplus_change[ix(off.supplier)] += ps;
    }
    for (std::size_t c = 0; c < nc; ++c) {
        const auto& a = res.baseline.countries[c];
        const auto& b = res.current.countries[c];
        res.welfare_change[c] = res.consumer_surplus_change[c] +
                                (b.tariff_revenue_usd - a.tariff_revenue_usd) +
                                (b.fee_revenue_usd - a.fee_revenue_usd);
    }
    for (std::size_t sp = 0; sp < ns; ++sp)
        res.welfare_change[ix(s.suppliers[sp].jurisdiction)] += res.producer_surplus_change[sp];
}

}  // namespace ts::analysis::eq
