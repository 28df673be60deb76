#include "policy/conditional_approval.hpp"

#include <algorithm>

namespace ts::policy {

ConditionalApprovals::ConditionalApprovals(const Legality& legality)
    : book_(&legality.book()), legality_(&legality) {
    const auto& s = book_->scenario();
    n_buyers_ = s.buyers.size();
    for (std::size_t p = 0; p < s.policies.size(); ++p)
        if (s.policies[p].type == model::PolicyType::import_restriction &&
            s.policies[p].domestic_share)
            policies_.emplace_back(p);
    if (policies_.empty()) return;
    const std::size_t n_offers = s.offers.size();
    domestic_.assign(policies_.size() * n_offers, 0);
    for (std::size_t c = 0; c < policies_.size(); ++c) {
        const Index by = at(s.policies, policies_[c]).by;
        for (std::size_t o = 0; o < n_offers; ++o)
            domestic_[c * n_offers + o] =
                s.suppliers[static_cast<std::size_t>(s.offers[o].supplier)].made_in == by ? 1 : 0;
    }
    total_.assign(n_buyers_, 0.0);
    domestic_total_.assign(policies_.size() * n_buyers_, 0.0);
    share_.assign(policies_.size() * n_buyers_, 0.0);
}

void ConditionalApprovals::add_shipment(Index buyer, Index offer, double compute) {
    const std::size_t b = static_cast<std::size_t>(buyer);
    const std::size_t n_offers = book_->scenario().offers.size();
    total_[b] += compute;
    for (std::size_t c = 0; c < policies_.size(); ++c)
        if (domestic_[c * n_offers + static_cast<std::size_t>(offer)])
            domestic_total_[c * n_buyers_ + b] += compute;
}

void ConditionalApprovals::end_tick() {
    // A buyer shipped nothing keeps its last share: no purchase is no new evidence.
    for (std::size_t c = 0; c < policies_.size(); ++c)
        for (std::size_t b = 0; b < n_buyers_; ++b)
            if (total_[b] > 0.0)
                share_[c * n_buyers_ + b] = domestic_total_[c * n_buyers_ + b] / total_[b];
    std::fill(total_.begin(), total_.end(), 0.0);
    std::fill(domestic_total_.begin(), domestic_total_.end(), 0.0);
}

double ConditionalApprovals::factor(Index buyer, Index offer) const {
    const auto& s = book_->scenario();
    const Index made_in =
        s.suppliers[static_cast<std::size_t>(s.offers[static_cast<std::size_t>(offer)].supplier)]
            .made_in;
    double f = 1.0;
    for (std::size_t c = 0; c < policies_.size(); ++c) {
        const PolicyId p = policies_[c];
        if (!book_->in_force(p.value()) || !book_->selects_offer(p, OfferId{offer}) ||
            !book_->selects_origin(p, CountryId{made_in}) ||
            !legality_->import_restriction_applies(p, BuyerId{buyer}))
            continue;
        const auto& pol = at(s.policies, p);
        const double met = std::min(
            1.0, share_[c * n_buyers_ + static_cast<std::size_t>(buyer)] / *pol.domestic_share);
        f *= 1.0 - pol.compliance * (1.0 - met);
    }
    return f;
}

}  // namespace ts::policy
