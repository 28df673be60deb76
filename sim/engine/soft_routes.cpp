#include "engine/soft_routes.hpp"

#include <algorithm>

#include "market/route_cost.hpp"

namespace ts::engine {

namespace {

// The step starts at 1 (terms priced at last tick's volume) and never exceeds it; it halves
// when the gap changes sign and recovers by this factor a tick while the sign holds (the same
// adaptive rule as prices, docs/model.md "Prices").
constexpr double kMaxStep = 1.0;
constexpr double kRecovery = 1.2;

bool soft_route(const model::Route& r) {
    return r.markup_doubles_at < model::kUnlimited || r.detection_doubles_at < model::kUnlimited;
}

bool soft_remote(const model::Buyer& b) {
    return b.remote && b.remote->markup_doubles_at < model::kUnlimited;
}

}  // namespace

double SoftRoutes::detection(const model::Scenario& s, std::size_t hub, double d) const {
    return market::soft_detection(d, priced[hub], s.routes[hub].detection_doubles_at);
}

bool has_soft_routes(const model::Scenario& s) {
    return std::any_of(s.routes.begin(), s.routes.end(), soft_route) ||
           std::any_of(s.buyers.begin(), s.buyers.end(), soft_remote);
}

SoftRoutes init_soft_routes(const model::Scenario& s) {
    SoftRoutes soft;
    if (!has_soft_routes(s)) return soft;
    const std::size_t nh = s.routes.size(), n = nh + s.buyers.size();
    soft.remote_base = nh;
    soft.volume.assign(n, 0.0);
    soft.priced.assign(n, 0.0);
    soft.step.assign(n, kMaxStep);
    soft.last_gap.assign(n, 0.0);
    soft.markup.assign(n, 0.0);
    for (std::size_t h = 0; h < nh; ++h) soft.markup[h] = s.routes[h].markup;
    for (std::size_t b = 0; b < s.buyers.size(); ++b)
        if (s.buyers[b].remote) soft.markup[nh + b] = s.buyers[b].remote->markup;
    return soft;
}

void smooth_and_reprice(const model::Scenario& s, SoftRoutes& soft) {
    for (std::size_t c = 0; c < soft.markup.size(); ++c) {
        const double gap = soft.volume[c] - soft.priced[c];
        soft.step[c] = gap * soft.last_gap[c] < 0.0 ? 0.5 * soft.step[c]
                                                    : std::min(kMaxStep, kRecovery * soft.step[c]);
        soft.priced[c] = std::max(0.0, soft.priced[c] + soft.step[c] * gap);
        soft.last_gap[c] = gap;
    }
    for (std::size_t h = 0; h < s.routes.size(); ++h)
        soft.markup[h] =
            market::soft_markup(s.routes[h].markup, soft.priced[h], s.routes[h].markup_doubles_at);
    for (std::size_t b = 0; b < s.buyers.size(); ++b)
        if (s.buyers[b].remote)
            soft.markup[soft.remote_base + b] =
                market::soft_markup(s.buyers[b].remote->markup, soft.priced[soft.remote_base + b],
                                    s.buyers[b].remote->markup_doubles_at);
}

void update_soft_routes(const TickContext& t, const OfferState& offers, const BuyerState& buyers,
                        std::span<const Request> fills, SoftRoutes& soft, TickRecord& record) {
    const auto& s = t.world;
    std::fill(soft.volume.begin(), soft.volume.end(), 0.0);
    for (const Request& f : fills) {
        if (t.is_hub(f.route))
            soft.volume[ix(f.route - 1)] +=
                f.compute / measure(buyers, offers, ix(f.buyer), f.offer);
        else if (t.legality.is_remote(f.route))
            soft.volume[soft.remote_base + ix(f.buyer)] += f.compute;
    }
    for (std::size_t h = 0; h < s.routes.size(); ++h)
        if (soft_route(s.routes[h]))
            record.soft_routes.push_back({static_cast<Index>(h), model::kNone, soft.volume[h],
                                          soft.priced[h], soft.markup[h],
                                          soft.detection(s, h, s.routes[h].detection)});
    for (std::size_t b = 0; b < s.buyers.size(); ++b) {
        const std::size_t c = soft.remote_base + b;
        if (soft_remote(s.buyers[b]))
            record.soft_routes.push_back({model::kNone, static_cast<Index>(b), soft.volume[c],
                                          soft.priced[c], soft.markup[c], 0.0});
    }
    smooth_and_reprice(s, soft);
}

}  // namespace ts::engine
