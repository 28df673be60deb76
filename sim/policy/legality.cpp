#include "policy/legality.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "policy/coverage.hpp"

namespace ts::policy {

namespace {
std::size_t ix(Index i) {
    return static_cast<std::size_t>(i);
}
bool border_enforcement(const model::Policy& p) {
    return p.type == model::PolicyType::enforcement && p.inspection == model::Inspection::border;
}
}  // namespace

const char* to_string(RouteClass c) {
    switch (c) {
        case RouteClass::open:
            return "open";
        case RouteClass::licensed:
            return "licensed";
        case RouteClass::capped:
            return "capped";
        case RouteClass::diverted:
            return "diverted";
        case RouteClass::blocked:
            return "blocked";
        case RouteClass::unavailable:
            return "unavailable";
    }
    return "?";
}

Legality::Legality(const PolicyBook& book) : book_(&book) {
    const auto& s = scenario();
    n_offers_ = s.offers.size();
    n_hubs_ = static_cast<int>(s.routes.size());
    for (const auto& b : s.buyers)
        if (b.remote)
            for (Index c : b.remote->via) remote_sites_.push_back(c);
    std::sort(remote_sites_.begin(), remote_sites_.end());
    remote_sites_.erase(std::unique(remote_sites_.begin(), remote_sites_.end()),
                        remote_sites_.end());
    n_routes_ = 1 + n_hubs_ + static_cast<int>(remote_sites_.size());

    // Group buyers into profiles: same country and same buyer-specific policies (and the same
    // of those selecting the buyer as a firm, which also reach its remote compute).
    using Key = std::tuple<CountryId, std::vector<PolicyId>, std::vector<PolicyId>>;
    std::map<Key, Index> seen;
    buyer_profile_.resize(s.buyers.size());
    for (std::size_t b = 0; b < s.buyers.size(); ++b) {
        std::vector<PolicyId> selecting, firm;
        for (std::size_t p = 0; p < s.policies.size(); ++p) {
            const PolicyId pi{static_cast<Index>(p)};
            const BuyerId bi{static_cast<Index>(b)};
            if (book.selects_buyer(pi, bi)) selecting.push_back(pi);
            if (book.selects_firm(pi, bi)) firm.push_back(pi);
        }
        Key key{CountryId{s.buyers[b].country}, std::move(selecting), std::move(firm)};
        auto it = seen.find(key);
        if (it == seen.end()) {
            profile_country_.push_back(std::get<0>(key));
            profile_policies_.push_back(std::get<1>(key));
            profile_firm_policies_.push_back(std::get<2>(key));
            it =
                seen.emplace(std::move(key), static_cast<Index>(profile_country_.size() - 1)).first;
        }
        buyer_profile_[b] = it->second;
    }
    table_.resize(profile_country_.size() * n_offers_ * static_cast<std::size_t>(n_routes_));
    detection_.assign(n_offers_ * static_cast<std::size_t>(n_routes_), 0.0);
    // Border enforcement makes detection depend on the destination: a table per country only
    // in worlds that have some.
    if (std::any_of(s.policies.begin(), s.policies.end(), border_enforcement) ||
        std::any_of(s.reactions.begin(), s.reactions.end(),
                    [](const model::Reaction& r) { return border_enforcement(r.then); }))
        border_pass_.assign(s.countries.size() * detection_.size(), 1.0);
    import_factor_.assign(profile_country_.size() * n_offers_, 1.0);
    pending_.assign(profile_country_.size() * n_offers_, 0);
    all_policies_.reserve(s.policies.size());
    leg_quotas_.reserve(2 * (s.policies.size() + s.reactions.size()));
    for (std::size_t p = 0; p < s.policies.size(); ++p) all_policies_.emplace_back(p);
}

bool Legality::profile_selected(ProfileId profile, PolicyId policy) const {
    const auto& v = at(profile_policies_, profile);
    return std::binary_search(v.begin(), v.end(), policy);
}

std::span<const PolicyId> Legality::end_user_policies(ProfileId profile) const {
    return profile.valid() ? std::span<const PolicyId>(at(profile_policies_, profile))
                           : std::span<const PolicyId>();
}

std::uint32_t Legality::bucket(PolicyId policy, CountryId country) {
    for (std::size_t i = 0; i < buckets_.size(); ++i)
        if (buckets_[i].policy == policy.value() && buckets_[i].country == country.value())
            return static_cast<std::uint32_t>(i);
    buckets_.push_back({policy.value(), country.value()});
    return static_cast<std::uint32_t>(buckets_.size() - 1);
}

bool Legality::leg_covered(PolicyId p, const model::Supplier& sup, CountryId from, CountryId to,
                           OfferId offer, std::span<const PolicyId> named) const {
    return book_->in_force(p.value()) && book_->selects_offer(p, offer) &&
           covers_leg(at(scenario().policies, p), sup, from) &&
           targets(*book_, p, to, std::binary_search(named.begin(), named.end(), p));
}

Legality::LegResult Legality::classify_leg(CountryId from, CountryId to, OfferId offer,
                                           std::span<const PolicyId> named,
                                           std::span<const PolicyId> policies,
                                           std::vector<PolicyId>* quotas) const {
    const auto& s = scenario();
    const auto& sup = s.suppliers[ix(at(s.offers, offer).supplier)];
    LegResult r;
    if (quotas) r.quota_begin = r.quota_end = static_cast<std::uint32_t>(quotas->size());
    for (const PolicyId p : policies) {
        if (!leg_covered(p, sup, from, to, offer, named)) continue;
        const auto& pol = at(s.policies, p);
        if (pol.type == model::PolicyType::quota) {
            r.capped = true;
            if (quotas) {
                quotas->push_back(p);  // mapped to a bucket by the caller
                ++r.quota_end;
            }
            continue;
        }
        if (!pol.licence || pol.licence->approval <= 0.0) {
            r.prohibited = true;
        } else {
            r.licensed = true;
            r.approval *= pol.licence->approval;
            r.delay = std::max(r.delay, pol.licence->delay_ticks);
        }
    }
    return r;
}

RouteStatus Legality::leg(CountryId from, CountryId to, OfferId offer,
                          BuyerId buyer_or_none) const {
    const ProfileId profile =
        buyer_or_none.valid() ? ProfileId{this->profile(buyer_or_none.value())} : ProfileId::none();
    const auto r = classify_leg(from, to, offer, end_user_policies(profile), all_policies_);
    RouteStatus st;
    st.approval = r.approval;
    st.licence_delay = r.delay;
    st.needs_licence = r.licensed;
    st.cls = r.prohibited ? RouteClass::blocked
             : r.licensed ? RouteClass::licensed
             : r.capped   ? RouteClass::capped
                          : RouteClass::open;
    return st;
}

void Legality::rebuild() {
    quota_pool_.clear();
    collect_policies_in_force();
    classify_routes();
    list_candidate_routes();
    compute_detection();
    compute_import_factors();
    mark_pending_restrictions();
}

void Legality::collect_policies_in_force() {
    const auto& s = scenario();
    remote_policies_.clear();
    enforcement_policies_.clear();
    control_policies_.clear();
    for (std::size_t pi = 0; pi < s.policies.size(); ++pi) {
        const PolicyId p{pi};
        if (!book_->in_force(p.value())) continue;
        switch (s.policies[pi].type) {
            case model::PolicyType::remote_access:
                remote_policies_.push_back(p);
                break;
            case model::PolicyType::enforcement:
                enforcement_policies_.push_back(p);
                break;
            case model::PolicyType::export_control:
            case model::PolicyType::quota:
                control_policies_.push_back(p);
                break;
            default:
                break;
        }
    }
    offer_controls_begin_.assign(n_offers_ + 1, 0);
    offer_controls_.clear();
    for (std::size_t o = 0; o < n_offers_; ++o) {
        for (const PolicyId p : control_policies_)
            if (book_->selects_offer(PolicyId{p.value()}, OfferId{static_cast<Index>(o)}))
                offer_controls_.push_back(p);
        offer_controls_begin_[o + 1] = offer_controls_.size();
    }
}

void Legality::classify_routes() {
    const auto& s = scenario();
    for (std::size_t pr = 0; pr < profile_country_.size(); ++pr) {
        const ProfileId profile{pr};
        const CountryId dest = profile_country_[pr];
        for (std::size_t o = 0; o < n_offers_; ++o) {
            const OfferId offer{o};
            const CountryId origin{s.suppliers[ix(s.offers[o].supplier)].ships_from};
            for (int r = 0; r < n_routes_; ++r) {
                const RouteId route{r};
                table_[cell(profile, offer, route)] =
                    r == 0         ? direct_status(profile, offer, origin, dest)
                    : is_remote(r) ? remote_status(profile, offer, route, origin, dest)
                                   : hub_status(profile, offer, route, origin, dest);
            }
        }
    }
}

RouteStatus Legality::direct_status(ProfileId profile, OfferId offer, CountryId origin,
                                    CountryId dest) {
    const LegResult l = classify_leg(origin, dest, offer, end_user_policies(profile),
                                     offer_controls(offer), &leg_quotas_);
    return status_of_legs(l, dest, LegResult{}, CountryId::none());
}

RouteStatus Legality::hub_status(ProfileId profile, OfferId offer, RouteId route, CountryId origin,
                                 CountryId dest) {
    const CountryId hub{scenario().routes[route.index() - 1].via};
    // Through the destination itself or out of the origin: not a hub route for this pair.
    if (hub == dest || hub == origin) return {.cls = RouteClass::unavailable};
    const auto controls = offer_controls(offer);
    // Leg 1 names no buyer: the hub's consignee is not the end user.
    const LegResult l1 = classify_leg(origin, hub, offer, {}, controls, &leg_quotas_);
    const LegResult l2 =
        classify_leg(hub, dest, offer, end_user_policies(profile), controls, &leg_quotas_);
    return status_of_legs(l1, hub, l2, dest);
}

RouteStatus Legality::remote_status(ProfileId profile, OfferId offer, RouteId route,
                                    CountryId origin, CountryId dest) {
    const CountryId site{remote_site(route.value())};
    // Renting compute in one's own country is the direct route.
    if (site == dest) return {.cls = RouteClass::unavailable};
    // The chips go to the data centre, whose operator is the consignee; only a rule on the
    // renting firm itself (by headquarters or buyer group) follows it to the data centre.
    const LegResult l = classify_leg(origin, site, offer, at(profile_firm_policies_, profile),
                                     offer_controls(offer), &leg_quotas_);
    RouteStatus st = status_of_legs(l, site, LegResult{}, CountryId::none());
    if (remote_closed(profile, offer, dest)) st.cls = RouteClass::blocked;
    return st;
}

RouteStatus Legality::status_of_legs(const LegResult& l1, CountryId to1, const LegResult& l2,
                                     CountryId to2) {
    const bool diverted = l2.prohibited;
    RouteStatus st;
    // A diverted route still needs leg 1's licence (to ship to the hub legally).
    st.approval = l1.approval * (diverted ? 1.0 : l2.approval);
    st.licence_delay = std::max(l1.delay, diverted ? 0 : l2.delay);
    st.needs_licence = l1.licensed || (!diverted && l2.licensed);
    st.quota_begin = static_cast<std::uint32_t>(quota_pool_.size());
    add_quotas(l1, to1);
    if (!diverted) add_quotas(l2, to2);
    leg_quotas_.clear();
    st.quota_end = static_cast<std::uint32_t>(quota_pool_.size());
    if (l1.prohibited)
        st.cls = RouteClass::blocked;
    else if (diverted)
        st.cls = RouteClass::diverted;
    else if (l1.licensed || l2.licensed)
        st.cls = RouteClass::licensed;
    else if (st.quota_end > st.quota_begin)
        st.cls = RouteClass::capped;
    else
        st.cls = RouteClass::open;
    return st;
}

void Legality::add_quotas(const LegResult& leg, CountryId to) {
    for (std::uint32_t i = leg.quota_begin; i < leg.quota_end; ++i)
        quota_pool_.push_back(bucket(leg_quotas_[i], to));
}

void Legality::list_candidate_routes() {
    const auto& s = scenario();
    const std::size_t nprof = profile_country_.size();
    route_begin_.resize(nprof * n_offers_ + 1);
    route_list_.clear();
    route_begin_[0] = 0;
    for (std::size_t pr = 0; pr < nprof; ++pr) {
        for (std::size_t o = 0; o < n_offers_; ++o) {
            const std::size_t base = cell(ProfileId{pr}, OfferId{o}, RouteId{0});
            const bool direct_open = table_[base].cls == RouteClass::open;
            for (int r = 0; r < n_routes_; ++r) {
                const RouteStatus& st = table_[base + static_cast<std::size_t>(r)];
                if (st.cls == RouteClass::blocked || st.cls == RouteClass::unavailable) continue;
                const bool hub = r > 0 && r <= n_hubs_;
                if (hub && direct_open && st.cls != RouteClass::diverted &&
                    s.routes[ix(r - 1)].markup >= 0.0)
                    continue;
                route_list_.push_back({r, st});
            }
            route_begin_[pr * n_offers_ + o + 1] = static_cast<std::uint32_t>(route_list_.size());
        }
    }
}

void Legality::compute_detection() {
    // Route detection and enforcement in the hub (of the hub or of the goods' jurisdiction),
    // combined as independent checks; border enforcement of the buyers' country on top
    // (border_pass_).
    const auto& s = scenario();
    std::fill(border_pass_.begin(), border_pass_.end(), 1.0);
    for (std::size_t o = 0; o < n_offers_; ++o) {
        const auto& sup = s.suppliers[ix(s.offers[o].supplier)];
        for (int r = 1; r <= n_hubs_; ++r) {
            const auto& route = s.routes[ix(r - 1)];
            const CountryId hub{route.via};
            const std::size_t at_route =
                o * static_cast<std::size_t>(n_routes_) + static_cast<std::size_t>(r);
            double pass = 1.0 - route.detection;
            for (const PolicyId p : enforcement_policies_) {
                const auto& pol = at(s.policies, p);
                if (!book_->selects_offer(p, OfferId{static_cast<Index>(o)}) ||
                    !book_->selects_destination(p, hub))
                    continue;
                if (pol.inspection == model::Inspection::border) {
                    // The importer's customs: only for goods arriving in `by`.
                    if (enforcement_covers(pol, sup, hub, CountryId{pol.by}))
                        border_pass_[ix(pol.by) * detection_.size() + at_route] *=
                            1.0 - pol.detection;
                } else if (enforcement_covers(pol, sup, hub, CountryId::none())) {
                    pass *= 1.0 - pol.detection;
                }
            }
            detection_[at_route] = 1.0 - pass;
        }
    }
}

void Legality::compute_import_factors() {
    const auto& s = scenario();
    std::fill(import_factor_.begin(), import_factor_.end(), 1.0);
    for (std::size_t pi = 0; pi < s.policies.size(); ++pi) {
        const PolicyId p{pi};
        const auto& pol = s.policies[pi];
        // Conditional approvals change with purchases: ConditionalApprovals applies them.
        if (pol.type != model::PolicyType::import_restriction || pol.domestic_share ||
            !book_->in_force(p.value()))
            continue;
        for (std::size_t pr = 0; pr < profile_country_.size(); ++pr) {
            if (!import_restricted(p, ProfileId{pr})) continue;
            for (std::size_t o = 0; o < n_offers_; ++o) {
                const auto& sup = s.suppliers[ix(s.offers[o].supplier)];
                if (book_->selects_offer(p, OfferId{static_cast<Index>(o)}) &&
                    book_->selects_origin(p, CountryId{sup.made_in}))
                    import_factor_[pr * n_offers_ + o] *= 1.0 - pol.compliance;
            }
        }
    }
}

bool Legality::import_restricted(PolicyId policy, ProfileId profile) const {
    // The importer's buyers, or with `buyers` the class of them it selects.
    const auto& pol = at(scenario().policies, policy);
    return CountryId{pol.by} == at(profile_country_, profile) &&
           (!pol.buyers || profile_selected(profile, policy));
}

void Legality::mark_pending_restrictions() {
    const auto& s = scenario();
    std::fill(pending_.begin(), pending_.end(), 0);
    for (std::size_t pi = 0; pi < s.policies.size(); ++pi) {
        const PolicyId p{pi};
        if (!book_->announced(p.value())) continue;
        for (std::size_t pr = 0; pr < profile_country_.size(); ++pr)
            for (std::size_t o = 0; o < n_offers_; ++o)
                if (book_->selects_offer(PolicyId{p.value()}, OfferId{static_cast<Index>(o)}) &&
                    pending_restriction(p, ProfileId{pr}, OfferId{o}))
                    pending_[pr * n_offers_ + o] = 1;
    }
}

bool Legality::pending_restriction(PolicyId p, ProfileId profile, OfferId offer) const {
    // Whether announced policy p will restrict the direct route of the profile to the offer.
    const auto& s = scenario();
    const auto& pol = at(s.policies, p);
    const auto& sup = s.suppliers[ix(at(s.offers, offer).supplier)];
    const CountryId dest = at(profile_country_, profile);
    switch (pol.type) {
        case model::PolicyType::export_control:
        case model::PolicyType::quota:
            return covers_shipment(pol, sup) &&
                   targets(*book_, p, dest, profile_selected(profile, p));
        case model::PolicyType::import_restriction:
            return import_restricted(p, profile) &&
                   book_->selects_origin(p, CountryId{sup.made_in});
        case model::PolicyType::tariff:
            return CountryId{pol.by} == dest && pol.rate > 0.0 &&
                   book_->selects_origin(PolicyId{p.value()}, CountryId{sup.made_in}) &&
                   book_->selects_destination(PolicyId{p.value()}, CountryId{dest.value()});
        default:
            return false;
    }
}

int Legality::remote_route(Index country) const {
    const auto it = std::lower_bound(remote_sites_.begin(), remote_sites_.end(), country);
    if (it == remote_sites_.end() || *it != country) return -1;
    return 1 + n_hubs_ + static_cast<int>(it - remote_sites_.begin());
}

bool Legality::remote_closed(ProfileId profile, OfferId offer, CountryId buyer_country) const {
    const auto& s = scenario();
    const auto& sup = s.suppliers[ix(at(s.offers, offer).supplier)];
    for (const PolicyId p : remote_policies_) {
        if (remote_access_covers(at(s.policies, p), sup) && book_->in_force(p.value()) &&
            book_->selects_offer(p, offer) &&
            targets(*book_, p, buyer_country, profile_selected(profile, p)))
            return true;
    }
    return false;
}

bool Legality::restricted_by_control(BuyerId buyer, OfferId offer, Index& control) const {
    const auto& s = scenario();
    const ProfileId pr{profile(buyer.value())};
    const CountryId dest = at(profile_country_, pr);
    const auto& sup = s.suppliers[ix(at(s.offers, offer).supplier)];
    for (std::size_t pi = 0; pi < s.policies.size(); ++pi) {
        const PolicyId p{pi};
        const auto& pol = s.policies[pi];
        if (pol.type != model::PolicyType::export_control || !book_->in_force(p.value()) ||
            !book_->selects_offer(PolicyId{p}, OfferId{offer}))
            continue;
        if (covers_shipment(pol, sup) && targets(*book_, p, dest, profile_selected(pr, p)) &&
            (!pol.licence || pol.licence->approval < 1.0)) {
            control = p.value();
            return true;
        }
    }
    return false;
}

}  // namespace ts::policy
