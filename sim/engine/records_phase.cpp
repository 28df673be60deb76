#include "engine/records_phase.hpp"

#include <cmath>

namespace ts::engine {

namespace {

/// Markets report the price charged during this tick (phase 8 sets the next tick's).
void market_records(const OfferState& offers, TickRecord& record) {
    record.markets.resize(offers.size());
    for (std::size_t o = 0; o < offers.size(); ++o) {
        auto& m = record.markets[o];
        m.offer = static_cast<Index>(o);
        m.price = offers.charged_price[o];
        m.capacity = offers.capacity[o];
        m.produced = offers.produced[o];
        m.orders = offers.orders[o];
        m.shipped = offers.shipped[o];
        m.stock = offers.stock[o];
        m.opening_stock = offers.opening_stock[o];
    }
}

/// Countries: unmet demand and the demand-weighted price index of their (chip) buyers.
void country_records(const BuyerState& buyers, RecordScratch& scratch, TickRecord& record) {
    for (std::size_t b = 0; b < buyers.size(); ++b)
        if (buyers.purchaser_of[b] < 0)
            record.countries[ix(buyers.country[b])].unmet_compute += buyers.unmet[b];
    // Demand-weighted price index per country: one pass over buyers (sums kept in price_index
    // and a scratch array), in buyer order so sums are the same as a per-country loop.
    scratch.country_q.assign(record.countries.size(), 0.0);
    for (std::size_t b = 0; b < buyers.size(); ++b) {
        if (buyers.purchaser_of[b] >= 0 || !std::isfinite(buyers.price_index[b])) continue;
        const std::size_t c = ix(buyers.country[b]);
        scratch.country_q[c] += buyers.quantity[b];
        record.countries[c].price_index += buyers.quantity[b] * buyers.price_index[b];
    }
    for (std::size_t c = 0; c < record.countries.size(); ++c) {
        auto& cr = record.countries[c];
        cr.price_index = scratch.country_q[c] > 0.0 ? cr.price_index / scratch.country_q[c] : 0.0;
    }
}

/// Revenue by supplier, billing country and channel, in index order. Diverted sales are
/// invoiced to the front buyer in the hub; chips for remote use to the data centre abroad.
void revenue_records(const model::Scenario& s, RecordScratch& scratch, TickRecord& record) {
    const std::size_t nc = s.countries.size();
    const std::size_t cells = s.suppliers.size() * nc * kChannels;
    scratch.rev_units.assign(cells, 0.0);
    scratch.rev_usd.assign(cells, 0.0);
    for (const auto& f : record.flows) {
        const Index billing =
            f.channel == Channel::diverted || f.channel == Channel::remote ? f.via : f.billing;
        const std::size_t cell =
            (ix(f.supplier) * nc + ix(billing)) * kChannels + static_cast<std::size_t>(f.channel);
        scratch.rev_units[cell] += f.units;
        scratch.rev_usd[cell] += f.value_usd - f.fee_usd;
    }
    for (std::size_t cell = 0; cell < cells; ++cell) {
        if (scratch.rev_units[cell] <= 0.0) continue;
        const std::size_t sc = cell / kChannels;
        record.revenue.push_back(RevenueRecord{static_cast<Index>(sc / nc),
                                               static_cast<Index>(sc % nc),
                                               static_cast<Channel>(cell % kChannels),
                                               scratch.rev_units[cell], scratch.rev_usd[cell]});
    }
}

void supplier_records(const model::Scenario& s, const InputState& inputs, TickRecord& record) {
    for (const auto& p : inputs.purchasers) {
        SupplierRecord r;
        r.supplier = p.supplier;
        r.product = p.product;
        r.equipment = p.equipment;
        r.opening = p.opening;
        r.received = p.received;
        r.used = p.used;
        r.closing = p.stock;
        r.pipeline = p.in_transit + p.awaiting;
        if (p.equipment)
            r.capacity = p.stock * s.suppliers[ix(p.supplier)].equipment->capacity_per_unit;
        record.suppliers.push_back(r);
    }
}

}  // namespace

void phase_records(const TickContext& t, const OfferState& offers, const BuyerState& buyers,
                   const InputState& inputs, RecordScratch& scratch, TickRecord& record) {
    record.tick = t.tick;
    record.date = t.world.time.calendar().date_of(t.tick);
    market_records(offers, record);
    country_records(buyers, scratch, record);
    revenue_records(t.world, scratch, record);
    supplier_records(t.world, inputs, record);
}

}  // namespace ts::engine
