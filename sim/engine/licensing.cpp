#include "engine/licensing.hpp"

#include <algorithm>
#include <cmath>

#include "core/random.hpp"

namespace ts::engine {

namespace {

/// Requests on licensed routes become licence requests, decided after the delay.
void file_requests(const TickContext& t, const BuyerState& buyers, CandidateState& cands,
                   LicenceQueue& queue) {
    for (std::size_t b = 0; b < buyers.size(); ++b)
        for (std::size_t k = cands.begin[b]; k < cands.begin[b + 1]; ++k) {
            if (cands.request[k] <= 0.0 || !cands.licence[k]) continue;
            const auto& st = t.legality.status(BuyerId{static_cast<Index>(b)},
                                               OfferId{cands.offer[k]}, RouteId{cands.route[k]});
            queue.pending.push_back({static_cast<Index>(b), cands.offer[k], cands.route[k],
                                     cands.request[k], t.tick, t.tick + st.licence_delay,
                                     st.cls == policy::RouteClass::diverted});
            cands.request[k] = 0.0;
        }
}

/// Licence requests due now are decided: each requested unit is granted with the route's
/// approval probability; what is granted ships now, the rest is unmet.
void decide(const TickContext& t, std::uint64_t run, const OfferState& offers, BuyerState& buyers,
            LicenceQueue& queue) {
    queue.granted.clear();
    std::size_t keep = 0;
    for (std::size_t i = 0; i < queue.pending.size(); ++i) {
        const auto& l = queue.pending[i];
        if (l.decide_tick != t.tick) {
            queue.pending[keep++] = l;
            continue;
        }
        // Decided under the rules in force now: a route closed since the request (blocked, or
        // a legal route that has become diverted) is denied; one that no longer needs a
        // licence is granted.
        const auto& st = t.legality.status(BuyerId{l.buyer}, OfferId{l.offer}, RouteId{l.route});
        const bool now_diverted = st.cls == policy::RouteClass::diverted;
        const double approval = st.cls == policy::RouteClass::blocked ||
                                        st.cls == policy::RouteClass::unavailable ||
                                        (now_diverted && !l.diverted)
                                    ? 0.0
                                : st.needs_licence ? st.approval
                                                   : 1.0;
        const double comp = measure(buyers, offers, ix(l.buyer), l.offer);
        const double units = l.compute / comp;
        Rng rng = policy::licence_stream(t.streams, t.world.seed, run, BuyerId{l.buyer},
                                         OfferId{l.offer}, RouteId{l.route}, l.requested_tick);
        const double granted_compute = draw_whole_units(units, approval, rng) * comp;
        // Granted goods bound for a diverted route are still smuggled from the hub on.
        if (granted_compute > 0.0)
            queue.granted.push_back({.buyer = l.buyer,
                                     .offer = l.offer,
                                     .route = l.route,
                                     .licensed = !now_diverted,
                                     .compute = granted_compute});
        buyers.unmet[ix(l.buyer)] += l.compute - granted_compute;
    }
    queue.pending.resize(keep);
}

}  // namespace

void phase_licensing(const TickContext& t, std::uint64_t run, const OfferState& offers,
                     BuyerState& buyers, CandidateState& cands, LicenceQueue& queue) {
    std::fill(buyers.unmet.begin(), buyers.unmet.end(), 0.0);
    for (std::size_t b = 0; b < buyers.size(); ++b)
        if (!std::isfinite(buyers.price_index[b])) buyers.unmet[b] = buyers.quantity[b];
    file_requests(t, buyers, cands, queue);
    decide(t, run, offers, buyers, queue);
}

}  // namespace ts::engine
