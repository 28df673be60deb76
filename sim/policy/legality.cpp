#include "policy/legality.hpp"

#include <algorithm>
#include <map>

namespace ts::policy {

namespace {
std::size_t ix(Index i) {
    return static_cast<std::size_t>(i);
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

    // Group buyers into profiles: same country and same buyer-specific policies.
    std::map<std::pair<Index, std::vector<Index>>, Index> seen;
    buyer_profile_.resize(s.buyers.size());
    for (std::size_t b = 0; b < s.buyers.size(); ++b) {
        std::vector<Index> selecting;
        for (std::size_t p = 0; p < s.policies.size(); ++p)
            if (book.selects_buyer(static_cast<Index>(p), static_cast<Index>(b)))
                selecting.push_back(static_cast<Index>(p));
        const auto key = std::make_pair(s.buyers[b].country, selecting);
        auto it = seen.find(key);
        if (it == seen.end()) {
            it = seen.emplace(key, static_cast<Index>(profile_country_.size())).first;
            profile_country_.push_back(s.buyers[b].country);
            profile_policies_.push_back(selecting);
            profile_example_buyer_.push_back(static_cast<Index>(b));
        }
        buyer_profile_[b] = it->second;
    }
    table_.resize(profile_country_.size() * n_offers_ * static_cast<std::size_t>(n_routes_));
    detection_.assign(n_offers_ * static_cast<std::size_t>(n_routes_), 0.0);
    import_factor_.assign(s.countries.size() * n_offers_, 1.0);
    pending_.assign(profile_country_.size() * n_offers_, 0);
    all_policies_.resize(s.policies.size());
    for (std::size_t p = 0; p < s.policies.size(); ++p) all_policies_[p] = static_cast<Index>(p);
}

bool Legality::profile_selected(Index profile, Index policy) const {
    const auto& v = profile_policies_[ix(profile)];
    return std::binary_search(v.begin(), v.end(), policy);
}

std::uint32_t Legality::bucket(Index policy, Index country) {
    for (std::size_t i = 0; i < buckets_.size(); ++i)
        if (buckets_[i].policy == policy && buckets_[i].country == country)
            return static_cast<std::uint32_t>(i);
    buckets_.push_back({policy, country});
    return static_cast<std::uint32_t>(buckets_.size() - 1);
}

Legality::LegResult Legality::classify_leg(Index from, Index to, Index offer, Index profile_or_none,
                                           std::span<const Index> policies) const {
    const auto& s = scenario();
    const auto& sup = s.suppliers[ix(s.offers[ix(offer)].supplier)];
    LegResult r;
    for (const Index p : policies) {
        const auto& pol = s.policies[ix(p)];
        if (pol.type != model::PolicyType::export_control && pol.type != model::PolicyType::quota)
            continue;
        if (!book_->in_force(p) || !book_->selects_offer(p, offer)) continue;
        const bool leaves_territory = from == pol.by;
        const bool of_jurisdiction = sup.jurisdiction == pol.by && from != pol.by;
        bool territory;
        if (pol.type == model::PolicyType::quota) {
            territory = leaves_territory || of_jurisdiction;
        } else {
            territory = (pol.covers_exports && leaves_territory) ||
                        (pol.covers_reexports && of_jurisdiction);
        }
        if (!territory) continue;
        const bool by_destination = !book_->buyers_only(p) && book_->selects_destination(p, to);
        const bool by_buyer =
            profile_or_none != model::kNone && profile_selected(profile_or_none, p);
        if (!by_destination && !by_buyer) continue;
        if (pol.type == model::PolicyType::quota) {
            r.quotas.push_back(
                static_cast<std::uint32_t>(p));  // policy index; mapped to a bucket by the caller
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

RouteStatus Legality::leg(Index from, Index to, Index offer, Index buyer_or_none) const {
    const auto r = classify_leg(
        from, to, offer, buyer_or_none == model::kNone ? model::kNone : profile(buyer_or_none),
        all_policies_);
    RouteStatus st;
    st.approval = r.approval;
    st.licence_delay = r.delay;
    st.needs_licence = r.licensed;
    st.cls = r.prohibited        ? RouteClass::blocked
             : r.licensed        ? RouteClass::licensed
             : !r.quotas.empty() ? RouteClass::capped
                                 : RouteClass::open;
    return st;
}

void Legality::rebuild() {
    const auto& s = scenario();
    quota_pool_.clear();
    offer_controls_begin_.assign(n_offers_ + 1, 0);
    offer_controls_.clear();
    remote_policies_.clear();
    enforcement_policies_.clear();
    for (std::size_t pi = 0; pi < s.policies.size(); ++pi) {
        const auto type = s.policies[pi].type;
        if (type == model::PolicyType::remote_access && book_->in_force(static_cast<Index>(pi)))
            remote_policies_.push_back(static_cast<Index>(pi));
        if (type == model::PolicyType::enforcement && book_->in_force(static_cast<Index>(pi)))
            enforcement_policies_.push_back(static_cast<Index>(pi));
    }
    control_policies_.clear();
    for (std::size_t pi = 0; pi < s.policies.size(); ++pi) {
        const auto type = s.policies[pi].type;
        if ((type == model::PolicyType::export_control || type == model::PolicyType::quota) &&
            book_->in_force(static_cast<Index>(pi)))
            control_policies_.push_back(static_cast<Index>(pi));
    }
    for (std::size_t o = 0; o < n_offers_; ++o) {
        for (const Index p : control_policies_)
            if (book_->selects_offer(p, static_cast<Index>(o))) offer_controls_.push_back(p);
        offer_controls_begin_[o + 1] = offer_controls_.size();
    }
    const std::size_t nprof = profile_country_.size();
    for (std::size_t pr = 0; pr < nprof; ++pr) {
        const Index profile = static_cast<Index>(pr);
        const Index dest = profile_country_[pr];
        for (std::size_t o = 0; o < n_offers_; ++o) {
            const Index offer = static_cast<Index>(o);
            const auto& sup = s.suppliers[ix(s.offers[o].supplier)];
            const Index origin = sup.ships_from;
            const auto controls = offer_controls(o);
            for (int r = 0; r < n_routes_; ++r) {
                RouteStatus st;
                LegResult l1, l2;
                bool diverted = false;
                if (r == 0) {
                    l1 = classify_leg(origin, dest, offer, profile, controls);
                } else if (is_remote(r)) {
                    const Index site = remote_site(r);
                    st.cls = RouteClass::unavailable;
                    if (site != dest) {
                        const LegResult l =
                            classify_leg(origin, site, offer, model::kNone, controls);
                        st.approval = l.approval;
                        st.licence_delay = l.delay;
                        st.needs_licence = l.licensed;
                        st.quota_begin = static_cast<std::uint32_t>(quota_pool_.size());
                        for (auto p : l.quotas)
                            quota_pool_.push_back(bucket(static_cast<Index>(p), site));
                        st.quota_end = static_cast<std::uint32_t>(quota_pool_.size());
                        st.cls = l.prohibited || remote_closed(offer, dest) ? RouteClass::blocked
                                 : l.licensed                               ? RouteClass::licensed
                                 : st.quota_end > st.quota_begin            ? RouteClass::capped
                                                                            : RouteClass::open;
                    }
                    table_[cell(profile, offer, r)] = st;
                    continue;
                } else {
                    const Index hub = s.routes[ix(r - 1)].via;
                    if (hub == dest || hub == origin) {
                        st.cls = RouteClass::unavailable;
                        table_[cell(profile, offer, r)] = st;
                        continue;
                    }
                    l1 = classify_leg(origin, hub, offer, model::kNone, controls);
                    l2 = classify_leg(hub, dest, offer, profile, controls);
                    diverted = l2.prohibited;
                }
                // A diverted route still needs leg 1's licence (to ship to the hub legally).
                st.approval = l1.approval * (diverted ? 1.0 : l2.approval);
                st.licence_delay = std::max(l1.delay, diverted ? 0 : l2.delay);
                st.needs_licence = l1.licensed || (!diverted && l2.licensed);
                st.quota_begin = static_cast<std::uint32_t>(quota_pool_.size());
                auto add_quotas = [&](const LegResult& l, Index to) {
                    for (auto p : l.quotas)
                        quota_pool_.push_back(bucket(static_cast<Index>(p), to));
                };
                add_quotas(l1, r == 0 ? dest : s.routes[ix(r - 1)].via);
                if (r > 0 && !diverted) add_quotas(l2, dest);
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
                table_[cell(profile, offer, r)] = st;
            }
        }
    }

    // Candidate routes per profile and offer (see candidate_routes).
    route_begin_.resize(nprof * n_offers_ + 1);
    route_list_.clear();
    route_begin_[0] = 0;
    for (std::size_t pr = 0; pr < nprof; ++pr) {
        for (std::size_t o = 0; o < n_offers_; ++o) {
            const std::size_t base = cell(static_cast<Index>(pr), static_cast<Index>(o), 0);
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

    // Detection on hub routes: route detection and enforcement of the hub and jurisdiction.
    for (std::size_t o = 0; o < n_offers_; ++o) {
        const auto& sup = s.suppliers[ix(s.offers[o].supplier)];
        for (int r = 1; r <= n_hubs_; ++r) {
            const auto& route = s.routes[ix(r - 1)];
            double pass = 1.0 - route.detection;
            for (const Index p : enforcement_policies_) {
                const auto& pol = s.policies[ix(p)];
                if (pol.by != route.via && pol.by != sup.jurisdiction) continue;
                if (!book_->selects_offer(p, static_cast<Index>(o)) ||
                    !book_->selects_destination(p, route.via))
                    continue;
                pass *= 1.0 - pol.detection;
            }
            detection_[o * static_cast<std::size_t>(n_routes_) + static_cast<std::size_t>(r)] =
                1.0 - pass;
        }
    }

    // Import restrictions: compliance-weighted removal of the selected offers.
    std::fill(import_factor_.begin(), import_factor_.end(), 1.0);
    for (std::size_t pi = 0; pi < s.policies.size(); ++pi) {
        const Index p = static_cast<Index>(pi);
        const auto& pol = s.policies[pi];
        if (pol.type != model::PolicyType::import_restriction || !book_->in_force(p)) continue;
        for (std::size_t o = 0; o < n_offers_; ++o) {
            const auto& sup = s.suppliers[ix(s.offers[o].supplier)];
            if (book_->selects_offer(p, static_cast<Index>(o)) &&
                book_->selects_origin(p, sup.made_in))
                import_factor_[ix(pol.by) * n_offers_ + o] *= 1.0 - pol.compliance;
        }
    }

    // Pending restrictions on the direct route, for anticipation.
    std::fill(pending_.begin(), pending_.end(), 0);
    for (std::size_t pi = 0; pi < s.policies.size(); ++pi) {
        const Index p = static_cast<Index>(pi);
        const auto& pol = s.policies[pi];
        if (!book_->announced(p)) continue;
        for (std::size_t pr = 0; pr < nprof; ++pr) {
            const Index dest = profile_country_[pr];
            for (std::size_t o = 0; o < n_offers_; ++o) {
                const Index offer = static_cast<Index>(o);
                if (!book_->selects_offer(p, offer)) continue;
                const auto& sup = s.suppliers[ix(s.offers[o].supplier)];
                bool hits = false;
                switch (pol.type) {
                    case model::PolicyType::export_control:
                    case model::PolicyType::quota: {
                        const bool territory =
                            pol.type == model::PolicyType::quota
                                ? (sup.ships_from == pol.by || sup.jurisdiction == pol.by)
                                : ((pol.covers_exports && sup.ships_from == pol.by) ||
                                   (pol.covers_reexports && sup.jurisdiction == pol.by &&
                                    sup.ships_from != pol.by));
                        const bool target =
                            (!book_->buyers_only(p) && book_->selects_destination(p, dest)) ||
                            profile_selected(static_cast<Index>(pr), p);
                        hits = territory && target;
                        break;
                    }
                    case model::PolicyType::import_restriction:
                        hits = pol.by == dest && book_->selects_origin(p, sup.made_in);
                        break;
                    case model::PolicyType::tariff:
                        hits = pol.by == dest && pol.rate > 0.0 &&
                               book_->selects_origin(p, sup.made_in) &&
                               book_->selects_destination(p, dest);
                        break;
                    default:
                        break;
                }
                if (hits) pending_[pr * n_offers_ + o] = 1;
            }
        }
    }
}

int Legality::remote_route(Index country) const {
    const auto it = std::lower_bound(remote_sites_.begin(), remote_sites_.end(), country);
    if (it == remote_sites_.end() || *it != country) return -1;
    return 1 + n_hubs_ + static_cast<int>(it - remote_sites_.begin());
}

bool Legality::remote_closed(Index offer, Index buyer_country) const {
    const auto& s = scenario();
    const auto& sup = s.suppliers[ix(s.offers[ix(offer)].supplier)];
    for (const Index p : remote_policies_) {
        const auto& pol = s.policies[ix(p)];
        if (pol.type == model::PolicyType::remote_access && book_->in_force(p) &&
            pol.by == sup.jurisdiction && book_->selects_offer(p, offer) &&
            book_->selects_destination(p, buyer_country))
            return true;
    }
    return false;
}

bool Legality::restricted_by_control(Index buyer, Index offer, Index& control) const {
    const auto& s = scenario();
    const Index pr = profile(buyer);
    const Index dest = profile_country_[ix(pr)];
    const auto& sup = s.suppliers[ix(s.offers[ix(offer)].supplier)];
    for (std::size_t pi = 0; pi < s.policies.size(); ++pi) {
        const Index p = static_cast<Index>(pi);
        const auto& pol = s.policies[pi];
        if (pol.type != model::PolicyType::export_control || !book_->in_force(p) ||
            !book_->selects_offer(p, offer))
            continue;
        const bool territory =
            (pol.covers_exports && sup.ships_from == pol.by) ||
            (pol.covers_reexports && sup.jurisdiction == pol.by && sup.ships_from != pol.by);
        const bool target = (!book_->buyers_only(p) && book_->selects_destination(p, dest)) ||
                            profile_selected(pr, p);
        if (territory && target && (!pol.licence || pol.licence->approval < 1.0)) {
            control = p;
            return true;
        }
    }
    return false;
}

}  // namespace ts::policy
