#include "policy/policy_book.hpp"

#include <algorithm>
#include <limits>

namespace ts::policy {

PolicyBook::PolicyBook(const model::Scenario& scenario)
    : scenario_(&scenario), n_offers_(scenario.offers.size()) {
    const auto& s = scenario;
    const std::size_t np = s.policies.size();
    timing_.reserve(np);
    for (const auto& pol : s.policies)
        timing_.push_back({pol.announced_tick, pol.from_tick, pol.until_tick});
    in_force_.assign(np, 0);
    announced_.assign(np, 0);
    buyers_only_.assign(np, 0);
    offer_mask_.resize(np);
    dest_mask_.resize(np);
    origin_mask_.resize(np);
    for (std::size_t p = 0; p < np; ++p) {
        const auto& pol = s.policies[p];
        buyers_only_[p] =
            pol.buyers && pol.destinations.all && pol.destinations.except.empty() ? 1 : 0;
        offer_mask_[p].resize(n_offers_);
        for (std::size_t o = 0; o < n_offers_; ++o)
            offer_mask_[p][o] =
                model::matches_offer(pol.products, s, static_cast<Index>(o), pol.by) ? 1 : 0;
        dest_mask_[p].resize(s.countries.size());
        origin_mask_[p].resize(s.countries.size());
        for (std::size_t c = 0; c < s.countries.size(); ++c) {
            const Index ci = static_cast<Index>(c);
            dest_mask_[p][c] = model::matches(pol.destinations, s.countries[c], ci) ? 1 : 0;
            origin_mask_[p][c] = model::matches(pol.origins, s.countries[c], ci) ? 1 : 0;
        }
    }
    tariff_.assign(s.countries.size() * n_offers_, 0.0);
    fee_.assign(s.countries.size() * n_offers_, 0.0);

    available_from_.assign(n_offers_, std::numeric_limits<std::int64_t>::min());
    for (std::size_t o = 0; o < n_offers_; ++o) {
        const auto& av = s.offers[o].available;
        if (!av) continue;
        const auto& after = s.policies[static_cast<std::size_t>(av->after_policy)];
        available_from_[o] = after.from_tick == std::numeric_limits<std::int64_t>::min()
                                 ? std::numeric_limits<std::int64_t>::min()
                                 : after.from_tick + av->lag_ticks;
    }
}

bool PolicyBook::simulated(model::PolicyType /*type*/) {
    return true;
}

bool PolicyBook::selects_buyer(PolicyId policy, BuyerId buyer) const {
    const auto& pol = at(scenario_->policies, policy);
    return pol.buyers && model::matches(*pol.buyers, *scenario_, buyer.value());
}

bool PolicyBook::selects_firm(PolicyId policy, BuyerId buyer) const {
    const auto& pol = at(scenario_->policies, policy);
    return pol.buyers && model::matches_firm(*pol.buyers, *scenario_, buyer.value());
}

bool PolicyBook::offer_available(Index offer, std::int64_t tick) const {
    return tick >= available_from_[static_cast<std::size_t>(offer)];
}

bool PolicyBook::applies(PolicyId policy, CountryId destination, OfferId offer) const {
    const auto& pol = at(scenario_->policies, policy);
    const auto& sup =
        scenario_->suppliers[static_cast<std::size_t>(at(scenario_->offers, offer).supplier)];
    if (!at(at(offer_mask_, policy), offer)) return false;
    if (!at(at(dest_mask_, policy), destination)) return false;
    switch (pol.type) {
        case model::PolicyType::tariff:
            // Levied by the importing government on the customs origin of the goods.
            return CountryId{pol.by} == destination &&
                   at(at(origin_mask_, policy), CountryId{sup.made_in});
        case model::PolicyType::export_fee:
            // Charged by the government whose jurisdiction the goods are under.
            return pol.by == sup.jurisdiction;
        default:
            return false;
    }
}

void PolicyBook::schedule(Index policy, std::int64_t announced_tick, std::int64_t from_tick) {
    auto& t = timing_[static_cast<std::size_t>(policy)];
    t.announced = announced_tick;
    t.from = from_tick;
    t.until = std::numeric_limits<std::int64_t>::max();
}

bool PolicyBook::advance(std::int64_t tick, std::vector<Transition>& transitions) {
    bool changed = false;
    for (std::size_t p = 0; p < timing_.size(); ++p) {
        const auto& pol = timing_[p];
        const Index pi = static_cast<Index>(p);
        const bool now = pol.in_force(tick);
        const bool was = in_force_[p] != 0;
        // An announcement made before the run is reported at tick 0 if it is still pending.
        if (tick == 0 ? pol.announced_only(0) : (pol.announced == tick && pol.from > tick))
            transitions.push_back({pi, Transition::Kind::announced});
        if (now && !was) transitions.push_back({pi, Transition::Kind::in_force});
        if (!now && was) transitions.push_back({pi, Transition::Kind::lapsed});
        const bool pending = pol.announced_only(tick);
        if (now != was || pending != (announced_[p] != 0)) changed = true;
        in_force_[p] = now ? 1 : 0;
        announced_[p] = pending ? 1 : 0;
    }
    if (changed || tick == 0) rebuild_tables();
    return changed;
}

void PolicyBook::rebuild_tables() {
    std::fill(tariff_.begin(), tariff_.end(), 0.0);
    std::fill(fee_.begin(), fee_.end(), 0.0);
    active_fees_.clear();
    const auto& ps = scenario_->policies;
    const std::size_t nc = scenario_->countries.size();
    for (std::size_t p = 0; p < ps.size(); ++p) {
        if (!in_force_[p]) continue;
        const auto& pol = ps[p];
        if (pol.type != model::PolicyType::tariff && pol.type != model::PolicyType::export_fee)
            continue;
        const PolicyId pi{p};
        if (pol.type == model::PolicyType::export_fee) active_fees_.push_back(pi);
        auto& table = pol.type == model::PolicyType::tariff ? tariff_ : fee_;
        for (std::size_t c = 0; c < nc; ++c)
            for (std::size_t o = 0; o < n_offers_; ++o)
                if (applies(pi, CountryId{c}, OfferId{o}))
                    table[cell(CountryId{c}, OfferId{o})] += pol.rate;
    }
}

}  // namespace ts::policy
