// Legality::route_causes: which policies make a route what it is, for `tradesim explain`. The
// same predicate as the tables (Legality::leg_covered), applied one policy at a time.
#include "policy/coverage.hpp"
#include "policy/legality.hpp"

namespace ts::policy {

std::vector<Legality::RouteCause> Legality::route_causes(BuyerId buyer, OfferId offer,
                                                         RouteId route) const {
    const auto& s = scenario();
    const auto& sup = s.suppliers[static_cast<std::size_t>(at(s.offers, offer).supplier)];
    const ProfileId profile{this->profile(buyer.value())};
    const CountryId dest = at(profile_country_, profile);
    const CountryId origin{sup.ships_from};
    std::vector<RouteCause> out;
    const auto leg = [&](int n, CountryId from, CountryId to, std::span<const PolicyId> named) {
        for (const PolicyId p : all_policies_) {
            const auto& pol = at(s.policies, p);
            if (pol.type != model::PolicyType::export_control &&
                pol.type != model::PolicyType::quota)
                continue;
            if (!leg_covered(p, sup, from, to, offer, named)) continue;
            RouteCause c{.leg = n, .from = from, .to = to, .policy = p};
            if (pol.type == model::PolicyType::quota) {
                c.effect = RouteCause::Effect::quota;
            } else if (!pol.licence || pol.licence->approval <= 0.0) {
                c.effect = RouteCause::Effect::prohibits;
            } else {
                c.effect = RouteCause::Effect::licence;
                c.approval = pol.licence->approval;
                c.delay = pol.licence->delay_ticks;
            }
            out.push_back(c);
        }
    };
    if (route.value() == 0) {
        leg(1, origin, dest, end_user_policies(profile));
    } else if (is_remote(route.value())) {
        const CountryId site{remote_site(route.value())};
        leg(1, origin, site, at(profile_firm_policies_, profile));
        for (const PolicyId p : remote_policies_)
            if (remote_access_covers(at(s.policies, p), sup) && book_->selects_offer(p, offer) &&
                targets(*book_, p, dest, profile_selected(profile, p)))
                out.push_back({.leg = 1,
                               .from = origin,
                               .to = site,
                               .policy = p,
                               .effect = RouteCause::Effect::closes_remote});
    } else {
        const CountryId hub{s.routes[route.index() - 1].via};
        leg(1, origin, hub, {});
        leg(2, hub, dest, end_user_policies(profile));
    }
    return out;
}

}  // namespace ts::policy
