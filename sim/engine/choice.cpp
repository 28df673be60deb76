#include "engine/choice.hpp"

#include <algorithm>
#include <cmath>
#include <span>

#include "engine/behaviour.hpp"
#include "engine/routes.hpp"
#include "market/ces.hpp"
#include "market/rechoice.hpp"

namespace ts::engine {

void phase_choice(const TickContext& t, BuyerState& buyers, CandidateState& cands,
                  ChoiceScratch& scratch, std::size_t b0, std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b) {
        const auto& buyer = t.world.buyers[b];
        std::size_t n = 0;
        for (std::size_t k = cands.begin[b]; k < cands.begin[b + 1]; ++k) {
            cands.request[k] = 0.0;
            if (!std::isfinite(cands.cost[k])) continue;
            scratch.w[n] = cands.wnow[k];
            scratch.c[n] = cands.cost[k];
            scratch.k[n] = k;
            ++n;
        }
        const std::span<const double> w(scratch.w.data(), n), c(scratch.c.data(), n);
        const double p =
            market::ces_shares(w, c, buyer.substitution, std::span<double>(scratch.q.data(), n));
        buyers.price_index[b] = p;
        if (n == 0) {
            // Nothing usable: the whole reference demand (and backlog) goes unmet.
            buyers.quantity[b] = buyers.base_demand[b] + buyers.backlog[b];
            continue;
        }
        const double q = market::demand_at_price(buyers.base_demand[b], p, buyer.reference_cost,
                                                 buyer.price_elasticity) +
                         buyers.backlog[b];
        buyers.quantity[b] = q;
        for (std::size_t i = 0; i < n; ++i) scratch.q[i] *= q;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t k = scratch.k[i];
            cands.request[k] = scratch.q[i] * stockpile_factor(t.legality, static_cast<Index>(b),
                                                               cands.offer[k], buyer.anticipation);
        }
    }
}

bool rechoose(const TickContext& t, std::size_t b, const OfferState& offers,
              const ConstraintState& cs, BuyerState& buyers, CandidateState& cands,
              EngineStats& stats) {
    double cmin = kInf;
    for (std::size_t k = cands.begin[b]; k < cands.begin[b + 1]; ++k) {
        // Costs do not change within a tick and re-choice only removes routes (exhausted or
        // licensed), so a still-usable current choice is still the cheapest: only candidates
        // that lost their route search again. An exhausted offer has no route left at all.
        if (!std::isfinite(cands.cost[k])) {
            // nothing usable before: nothing now
        } else if (cs.exhausted[ix(cands.offer[k])]) {
            set_candidate_route(cands, k, -1, kInf, nullptr);
        } else if (cands.licence[k] ||
                   route_exhausted(t, cs, buyers, b, cands.offer[k], cands.route[k],
                                   t.legality.quotas(cands.quota_begin[k], cands.quota_end[k]))) {
            double cost = kInf;
            const policy::RouteStatus* st = nullptr;
            const int r = cands.wnow[k] > 0.0 ? best_route(t, buyers, offers, cands, cs, b, k, true,
                                                           cost, st, stats)
                                              : -1;
            set_candidate_route(cands, k, r, cost, st);
        }
        cmin = std::min(cmin, cands.cost[k]);
    }
    if (!std::isfinite(cmin)) {
        buyers.unmet[b] += buyers.residual[b];
        return false;
    }
    const std::size_t begin = cands.begin[b], n = cands.begin[b + 1] - begin;
    market::rechoice_shares(std::span<const double>(cands.wnow.data() + begin, n),
                            std::span<const double>(cands.cost.data() + begin, n), cmin,
                            t.world.buyers[b].substitution, buyers.residual[b],
                            std::span<double>(cands.request.data() + begin, n));
    return true;
}

}  // namespace ts::engine
