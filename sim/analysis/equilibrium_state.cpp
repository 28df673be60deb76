#include "analysis/equilibrium_state.hpp"

#include <cmath>

#include <fmt/format.h>

#include "analysis/equilibrium_solve.hpp"

namespace ts::analysis::eq {

double capacity_at(const model::Scenario& s, const Context& c, std::size_t o, double price) {
    const double cap = c.capacity0[o];
    const auto& off = s.offers[o];
    if (!std::isfinite(cap) || off.supply_elasticity == 0.0 || !(off.price > 0.0)) return cap;
    return cap * std::pow(price / off.price, off.supply_elasticity);
}

EquilibriumState make_state(const model::Scenario& s, const Context& c,
                            const std::vector<double>& price, const std::vector<double>& q,
                            const std::vector<double>& P, const std::vector<double>& Q) {
    const std::size_t no = s.offers.size(), nb = s.buyers.size(), nc = s.countries.size(),
                      ns = s.suppliers.size();
    EquilibriumState st;
    st.offers.resize(no);
    st.buyers.resize(nb);
    st.countries.resize(nc);
    st.suppliers.resize(ns);
    st.flow_units.assign(ns * nc, 0.0);
    st.flow_compute.assign(ns * nc, 0.0);
    st.flow_value_usd.assign(ns * nc, 0.0);
    for (std::size_t o = 0; o < no; ++o) {
        st.offers[o].price = price[o];
        st.offers[o].capacity = capacity_at(s, c, o, price[o]);
        st.offers[o].endogenous = c.endogenous[o] != 0;
    }
    for (std::size_t b = 0; b < nb; ++b) {
        const auto& buyer = s.buyers[b];
        auto& bs = st.buyers[b];
        bs.price_index = P[b];
        bs.quantity = std::isfinite(P[b]) ? Q[b] : 0.0;
        if (!std::isfinite(P[b])) bs.unmet = buyer.demand;  // nothing usable: the whole demand
        auto& home = st.countries[ix(buyer.country)];
        for (std::size_t k = c.begin[b]; k < c.begin[b + 1]; ++k) {
            const auto& cand = c.cands[k];
            if (!cand.usable() || q[k] == 0.0) continue;
            const std::size_t o = ix(cand.offer);
            const auto sup = ix(s.offers[o].supplier);
            const double units = cand.kappa * q[k] / cand.per_unit;  // shipped
            const double value = units * price[o];
            bs.unmet += (1.0 - cand.kappa) * q[k];
            st.offers[o].orders += units;
            st.offers[o].value_usd += value;
            auto& land = st.countries[ix(cand.land)];
            land.imports_units += units * cand.arrive;
            land.imports_compute += units * cand.arrive * cand.per_unit;
            land.imports_value_usd += units * cand.arrive * price[o];
            land.tariff_revenue_usd += value * cand.tariff;
            if (cand.diverted) home.diverted_compute += units * cand.arrive * cand.per_unit;
            for (std::size_t f = cand.fee_begin; f < cand.fee_end; ++f) {
                const double fee = value * c.fees[f].rate;
                st.countries[ix(c.fees[f].country)].fee_revenue_usd += fee;
                st.offers[o].fees_usd += fee;
            }
            const std::size_t cell = sup * nc + ix(buyer.country);
            st.flow_units[cell] += units;
            st.flow_compute[cell] += units * cand.per_unit;
            st.flow_value_usd[cell] += value;
        }
        home.unmet_compute += bs.unmet;
        if (std::isfinite(P[b])) {
            home.demand_compute += Q[b];
            home.price_index += Q[b] * P[b];  // divided below
        }
    }
    for (auto& cs : st.countries)
        cs.price_index = cs.demand_compute > 0.0 ? cs.price_index / cs.demand_compute : 0.0;
    for (std::size_t o = 0; o < no; ++o) {
        auto& sp = st.suppliers[ix(s.offers[o].supplier)];
        sp.units += st.offers[o].orders;
        sp.revenue_usd += st.offers[o].value_usd - st.offers[o].fees_usd;
    }
    return st;
}

EquilibriumState state_of(const model::Scenario& s, const Context& c, const Solution& sol) {
    auto st = make_state(s, c, sol.price, sol.demand.q, sol.demand.P, sol.demand.Q);
    for (std::size_t o = 0; o < s.offers.size(); ++o) st.offers[o].spare = sol.spare[o] != 0;
    st.method = sol.method;
    st.iterations = sol.iterations;
    st.residual = sol.residual;
    return st;
}
std::vector<std::string> check_limits(const model::Scenario& s, const Context& c,
                                      const std::vector<double>& q,
                                      const std::vector<double>& orders,
                                      const std::vector<double>& price) {
    std::vector<std::string> out;
    for (std::size_t o = 0; o < s.offers.size(); ++o) {
        if (c.endogenous[o] || !std::isfinite(c.capacity0[o])) continue;
        const double cap = capacity_at(s, c, o, price[o]);
        if (orders[o] > cap * (1.0 + 1e-9) + 1e-12)
            out.push_back(fmt::format(
                "{}: orders of '{}' ({:.6g} units per tick) exceed its capacity ({:.6g}) at its "
                "fixed price; the engine rations them (re-choice, unmet demand), which the "
                "equilibrium does not model",
                c.label, offer_name(s, o), orders[o], cap));
    }
    for (const auto& lim : c.limits) {
        double used = 0.0;
        for (const auto& [k, coef] : lim.terms) used += coef * q[k];
        if (used > lim.cap_per_tick * (1.0 + 1e-9) + 1e-12)
            out.push_back(fmt::format(
                "{}: the flows ({:.6g} per tick) exceed {}; the engine rations them, which the "
                "equilibrium does not model",
                c.label, used, lim.what));
    }
    return out;
}

}  // namespace ts::analysis::eq
