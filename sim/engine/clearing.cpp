#include "engine/clearing.hpp"

#include <algorithm>

#include "engine/choice.hpp"

namespace ts::engine {

namespace {

/// Constraints start the tick at what they hold: goods, hub capacity, remote capacity, quota
/// left this period.
void open_constraints(const TickContext& t, const BuyerState& buyers, OfferState& offers,
                      ConstraintState& cs) {
    const std::size_t nh = t.world.routes.size();
    for (std::size_t o = 0; o < offers.size(); ++o) {
        cs.remaining[o] = offers.stock[o] + offers.capacity[o];
        offers.orders[o] = 0.0;
    }
    for (std::size_t h = 0; h < nh; ++h) cs.remaining[cs.hub_base + h] = t.world.routes[h].capacity;
    for (std::size_t b = 0; b < buyers.size(); ++b)
        if (buyers.remote_slot[b] >= 0)
            cs.remaining[cs.remote_base + static_cast<std::size_t>(buyers.remote_slot[b])] =
                t.world.buyers[b].remote->capacity;
    for (std::size_t q = 0; q < cs.quota_left.size(); ++q)
        cs.remaining[cs.quota_base + q] = std::max(0.0, cs.quota_left[q]);
}

/// One clearing round's arithmetic over the constraints a request draws on.
class Round {
  public:
    Round(const TickContext& t, const BuyerState& buyers, const OfferState& offers,
          ConstraintState& cs, ClearingState& clearing)
        : t_(t), buyers_(buyers), offers_(offers), cs_(cs), clearing_(clearing) {}

    void tally(Index b, Index o, int r, RouteRef qs, double compute) {
        constraints(b, o, r, qs, [&](std::size_t c, double per_compute) {
            cs_.requested[c] += compute * per_compute;
        });
    }

    /// Books a fill of the request at its fill ratio; what is not filled is the buyer's
    /// residual.
    void book_fill(Index b, Index o, int r, RouteRef qs, double req, bool licensed,
                   std::vector<double>& residual) {
        double fill = req * fill_ratio(b, o, r, qs);
        if (fill <= 1e-9 * std::max(1.0, req)) fill = 0.0;  // residue of an exhausted constraint
        if (fill > 0.0) {
            auto& fills = clearing_.fills;
            fills.push_back({.buyer = b,
                             .offer = o,
                             .route = r,
                             .licensed = licensed,
                             .diverted = qs.diverted,
                             .compute = fill,
                             .quota_begin = qs.quota_begin,
                             .quota_end = qs.quota_end});
            constraints(b, o, r, qs, [&](std::size_t c, double per_compute) {
                cs_.filled[c] += fill * per_compute;
            });
        }
        residual[ix(b)] += req - fill;
    }

  private:
    /// Calls f(constraint, per compute unit) for each constraint the request draws on: its
    /// offer's goods, its hub route's capacity, the buyer's remote capacity, its quotas.
    template <class F>
    void constraints(Index buyer, Index offer, int route, RouteRef ref, F&& f) const {
        const double per_unit = 1.0 / measure(buyers_, offers_, ix(buyer), offer);
        f(ix(offer), per_unit);
        if (t_.is_hub(route)) f(cs_.hub_base + ix(route - 1), per_unit);
        if (t_.legality.is_remote(route))
            f(cs_.remote_base + static_cast<std::size_t>(buyers_.remote_slot[ix(buyer)]), 1.0);
        for (auto q : t_.legality.quotas(ref.quota_begin, ref.quota_end))
            f(cs_.quota_base + q, 1.0);
    }

    double fill_ratio(Index b, Index o, int r, RouteRef qs) const {
        double ratio = 1.0;
        constraints(b, o, r, qs, [&](std::size_t c, double) {
            if (cs_.requested[c] > cs_.remaining[c])
                ratio = std::min(ratio, cs_.remaining[c] / cs_.requested[c]);
        });
        return ratio;
    }

    const TickContext& t_;
    const BuyerState& buyers_;
    const OfferState& offers_;
    ConstraintState& cs_;
    ClearingState& clearing_;
};

/// What a request needs of its route's status: cached per candidate.
RouteRef candidate_ref(const CandidateState& cands, std::size_t k) {
    return RouteRef{cands.quota_begin[k], cands.quota_end[k], cands.diverted[k] != 0};
}

/// Looked up for licence grants (few).
RouteRef grant_ref(const TickContext& t, const Request& f) {
    const auto& st = t.legality.status(BuyerId{f.buyer}, OfferId{f.offer}, RouteId{f.route});
    return RouteRef{st.quota_begin, st.quota_end, st.cls == policy::RouteClass::diverted};
}

/// Constraints asked for at least what they hold are exhausted; fills are taken off.
void close_round(ConstraintState& cs) {
    for (std::size_t c = 0; c < cs.remaining.size(); ++c) {
        if (cs.requested[c] > 0.0 && cs.requested[c] >= cs.remaining[c] * (1.0 - 1e-12))
            cs.exhausted[c] = 1;
        cs.remaining[c] = std::max(0.0, cs.remaining[c] - cs.filled[c]);
    }
}

}  // namespace

void phase_clearing(const TickContext& t, const RunConfig& config, const LicenceQueue& licences,
                    BuyerState& buyers, OfferState& offers, CandidateState& cands,
                    ConstraintState& cs, ClearingState& clearing, EngineStats& stats) {
    open_constraints(t, buyers, offers, cs);
    clearing.fills.clear();
    const int rounds = 1 + std::max(0, config.rechoice_rounds);
    // Buyers with requests in the round: all in the first, then those re-choosing (in buyer
    // order, so sums run in the same order as a pass over all buyers).
    auto& active = clearing.active;
    active.clear();
    for (std::size_t b = 0; b < buyers.size(); ++b) active.push_back(static_cast<Index>(b));
    clearing.rounds_run = 0;
    Round round_ops(t, buyers, offers, cs, clearing);
    for (int round = 0; round < rounds; ++round) {
        ++clearing.rounds_run;
        std::fill(cs.requested.begin(), cs.requested.end(), 0.0);
        std::fill(cs.filled.begin(), cs.filled.end(), 0.0);
        for (const Index bi : active) {
            const std::size_t b = ix(bi);
            for (std::size_t k = cands.begin[b]; k < cands.begin[b + 1]; ++k)
                if (cands.request[k] > 0.0) {
                    ++stats.requests;
                    round_ops.tally(bi, cands.offer[k], cands.route[k], candidate_ref(cands, k),
                                    cands.request[k]);
                }
        }
        if (round == 0)
            for (const auto& f : licences.granted)
                round_ops.tally(f.buyer, f.offer, f.route, grant_ref(t, f), f.compute);
        for (std::size_t o = 0; o < offers.size(); ++o) offers.orders[o] += cs.requested[o];

        for (const Index bi : active) buyers.residual[ix(bi)] = 0.0;
        for (const Index bi : active) {
            const std::size_t b = ix(bi);
            for (std::size_t k = cands.begin[b]; k < cands.begin[b + 1]; ++k) {
                if (cands.request[k] <= 0.0) continue;
                round_ops.book_fill(bi, cands.offer[k], cands.route[k], candidate_ref(cands, k),
                                    cands.request[k], false, buyers.residual);
                cands.request[k] = 0.0;
            }
        }
        if (round == 0)
            for (const auto& f : licences.granted)
                round_ops.book_fill(f.buyer, f.offer, f.route, grant_ref(t, f), f.compute,
                                    f.licensed, buyers.residual);

        close_round(cs);
        bool any_residual = false;
        for (const Index bi : active)
            any_residual = any_residual || buyers.residual[ix(bi)] > kTiny;
        if (!any_residual) break;
        const bool last = round + 1 == rounds;
        // Rationed buyers re-choose among the offers and routes that still have room.
        clearing.next_active.clear();
        for (const Index bi : active) {
            const std::size_t b = ix(bi);
            if (buyers.residual[b] <= kTiny) continue;
            if (last) {
                buyers.unmet[b] += buyers.residual[b];
                continue;
            }
            if (rechoose(t, b, offers, cs, buyers, cands, stats))
                clearing.next_active.push_back(bi);
        }
        active.swap(clearing.next_active);
    }
}

}  // namespace ts::engine
