#include "engine/invariants.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"

namespace ts::engine {

namespace {

bool close(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

void check_stock(int tick, const OfferState& offers) {
    for (std::size_t o = 0; o < offers.size(); ++o) {
        if (!close(offers.opening_stock[o] + offers.produced[o],
                   offers.shipped[o] + offers.stock[o]) ||
            offers.stock[o] < 0.0 || offers.produced[o] < 0.0)
            throw InternalError(fmt::format(
                "tick {}: stock identity broken for offer {}: opening {} + produced {} != "
                "shipped {} + closing {}",
                tick, o, offers.opening_stock[o], offers.produced[o], offers.shipped[o],
                offers.stock[o]));
    }
}

void check_transit(int tick, const TransitState& tr) {
    for (std::size_t r = 0; r < tr.shipped.size(); ++r) {
        if (!close(tr.shipped[r], tr.delivered[r] + tr.seized[r] + tr.in_transit[r]))
            throw InternalError(fmt::format(
                "tick {}: transit identity broken on route {}: shipped {} != delivered {} + "
                "seized {} + in transit {}",
                tick, r, tr.shipped[r], tr.delivered[r], tr.seized[r], tr.in_transit[r]));
    }
}

void check_flows(int tick, const OfferState& offers, const TickRecord& record) {
    std::vector<double> flow_units(offers.size(), 0.0);
    for (const auto& f : record.flows) {
        flow_units[ix(f.offer)] += f.units;
        if (!close(f.value_usd, f.units * offers.charged_price[ix(f.offer)]))
            throw InternalError(
                fmt::format("tick {}: value != units × price for offer {}", tick, f.offer));
        if (f.seized_units < 0.0 || f.seized_units > f.units * (1.0 + 1e-12))
            throw InternalError(
                fmt::format("tick {}: seized {} of {} units", tick, f.seized_units, f.units));
    }
    for (std::size_t o = 0; o < offers.size(); ++o)
        if (offers.shipped[o] < 0.0 || !close(offers.shipped[o], flow_units[o]))
            throw InternalError(fmt::format("tick {}: offer {} shipped {} but its flows carry {}",
                                            tick, o, offers.shipped[o], flow_units[o]));
}

}  // namespace

void check_invariants(int tick, const OfferState& offers, const TransitState& transit,
                      const TickRecord& record) {
    check_stock(tick, offers);
    check_transit(tick, transit);
    for (const auto& r : record.suppliers)
        if (!close(r.opening + r.received, r.used + r.closing) || r.closing < -1e-9)
            throw InternalError(fmt::format(
                "tick {}: input stock identity broken for supplier {} product {}: {} + {} != "
                "{} + {}",
                tick, r.supplier, r.product, r.opening, r.received, r.used, r.closing));
    check_flows(tick, offers, record);
    for (const auto& r : record.pools)
        if (r.used > r.capacity * (1.0 + 1e-9) + 1e-9)
            throw InternalError(fmt::format(
                "tick {}: capacity pool {} of supplier {} overdrawn: production used {} of {}",
                tick, r.pool, r.supplier, r.used, r.capacity));
}

}  // namespace ts::engine
