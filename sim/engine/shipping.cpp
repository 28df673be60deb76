#include "engine/shipping.hpp"

#include <algorithm>
#include <iterator>
#include <tuple>

#include "core/random.hpp"

namespace ts::engine {

namespace {

/// The order of fills within an (offer, route): by buyer, then unlicensed first; fills of one
/// buyer and licence stay in booking order (the sort and merges are stable).
bool fill_before(const Request& a, const Request& b) {
    return std::tie(a.buyer, a.licensed) < std::tie(b.buyer, b.licensed);
}

/// One flow per (offer, route, buyer, licensed), in that order, with the fills of one key in
/// booking order (so they are summed in the order they were booked): a stable counting sort by
/// (offer, route), then within each key the runs clearing booked in order are merged. Each
/// round books its fills in buyer order, so a key holds one sorted run per round that reached
/// it (and the licence grants): the merge costs little more than the counting pass.
void sort_fills(std::size_t n_offers, int n_routes, std::vector<Request>& fills, TransitState& tr) {
    const auto nr = static_cast<std::size_t>(n_routes);
    const auto key = [nr](const Request& f) { return ix(f.offer) * nr + ix(f.route); };
    auto& bucket = tr.key_fill_begin;
    bucket.assign(n_offers * nr + 1, 0);
    for (const auto& f : fills) ++bucket[key(f) + 1];
    for (std::size_t k = 0; k + 1 < bucket.size(); ++k) bucket[k + 1] += bucket[k];
    tr.sorted_fills.resize(fills.size());
    tr.key_fill_next.assign(bucket.begin(), bucket.end() - 1);
    for (const auto& f : fills) tr.sorted_fills[tr.key_fill_next[key(f)]++] = f;
    const auto at = [&](std::size_t i) {
        return tr.sorted_fills.begin() + static_cast<std::ptrdiff_t>(i);
    };
    for (std::size_t k = 0; k + 1 < bucket.size(); ++k) {
        const std::size_t first = bucket[k], last = bucket[k + 1];
        // Merge each run into the sorted prefix [first, run).
        for (std::size_t run = first + 1; run < last; ++run) {
            if (!fill_before(tr.sorted_fills[run], tr.sorted_fills[run - 1])) continue;
            std::size_t end = run + 1;
            while (end < last && !fill_before(tr.sorted_fills[end], tr.sorted_fills[end - 1]))
                ++end;
            auto& merged = tr.merge_scratch;
            merged.clear();
            std::merge(at(first), at(run), at(run), at(end), std::back_inserter(merged),
                       fill_before);
            std::copy(merged.begin(), merged.end(), at(first));
            run = end - 1;
        }
    }
    fills.swap(tr.sorted_fills);
}

/// Seized units of a diverted flow: each unit is caught with the detection probability of the
/// route for the buyer (hub checks, and its country's border checks), raised by the route's
/// volume when it is soft.
double draw_seizure(const TickContext& t, std::uint64_t run, Index buyer, Index offer, int route,
                    double units) {
    Rng rng = policy::seizure_stream(t.streams, t.world.seed, run, OfferId{offer}, RouteId{route},
                                     BuyerId{buyer}, t.tick);
    double d = t.legality.detection(BuyerId{buyer}, OfferId{offer}, RouteId{route});
    if (t.soft) d = t.soft->detection(t.world, static_cast<std::size_t>(route - 1), d);
    return draw_whole_units(units, d, rng);
}

constexpr std::size_t kNoKey = static_cast<std::size_t>(-1);

/// Puts goods into transit, due at `due`. With a key (chip buyers when flows are summed over
/// buyers: home country and diversion), goods of one (offer, route) and key travel as one
/// arrival; deliveries only need the buyer's home country.
void add_arrival(TransitState& tr, const Arrival& a, std::size_t due, std::size_t key) {
    auto& slot = tr.slots[due % tr.slots.size()];
    if (key != kNoKey) {
        if (tr.arrival_stamp[key] == tr.bucket) {  // this (offer, route)'s arrival of the key
            slot[tr.arrival_at[key]].units += a.units;
            return;
        }
        tr.arrival_stamp[key] = tr.bucket;
        tr.arrival_at[key] = slot.size();
    }
    slot.push_back(a);
}

/// One row per (supplier, product, route, buyer, channel), as flows.csv's primary key says: a
/// route's licensed and unlicensed fills can share a channel (remote use).
void add_buyer_flow(const FlowRecord& f, TickRecord& record) {
    if (!record.flows.empty()) {
        auto& last = record.flows.back();
        if (last.offer == f.offer && last.via == f.via && last.destination == f.destination &&
            last.buyer == f.buyer && last.channel == f.channel &&
            last.arrival_tick == f.arrival_tick) {
            last.add(f);
            return;
        }
    }
    record.flows.push_back(f);
}

/// One row per (offer, route, destination, billing country, channel): the buyers summed in
/// buyer order. The fills of one (offer, route) come together (sort_fills), so a table by
/// destination and channel, stamped with the (offer, route), finds the row.
void add_summed_flow(const FlowRecord& f, TransitState& tr, TickRecord& record) {
    const std::size_t key = ix(f.destination) * kChannels + static_cast<std::size_t>(f.channel);
    const auto same = [&f](const FlowRecord& g) {
        return g.billing == f.billing && g.via == f.via && g.destination == f.destination &&
               g.channel == f.channel && g.arrival_tick == f.arrival_tick;
    };
    if (tr.flow_stamp[key] == tr.bucket) {
        auto& g = record.flows[tr.flow_at[key]];
        if (same(g)) return g.add(f);
        // Another billing country in the same destination (rare): look through the rows of
        // this (offer, route).
        for (std::size_t i = tr.bucket_first_flow; i < record.flows.size(); ++i)
            if (same(record.flows[i])) return record.flows[i].add(f);
    }
    tr.flow_stamp[key] = tr.bucket;
    tr.flow_at[key] = record.flows.size();
    record.flows.push_back(f);
    record.flows.back().buyer = model::kNone;
}

/// Books one aggregated fill as a flow: channel, value, tariffs and fees or seizures, and the
/// goods into transit.
void ship(const TickContext& t, std::uint64_t run, const OfferState& offers,
          const BuyerState& buyers, const Request& agg, bool buyer_flows, InputState& inputs,
          TransitState& tr, TickRecord& record) {
    const auto& s = t.world;
    auto& countries = record.countries;
    const Index o = agg.offer;
    const auto& off = s.offers[ix(o)];
    const auto& sup = s.suppliers[ix(off.supplier)];
    const Index buyer_country = buyers.country[ix(agg.buyer)];
    const bool diverted = agg.diverted && !agg.licensed;
    const bool remote = t.legality.is_remote(agg.route);
    // Where the goods go: the buyer's country, or the data centre abroad for remote use.
    const Index dest = remote ? t.legality.remote_site(agg.route) : buyer_country;
    FlowRecord f;
    f.offer = o;
    f.supplier = off.supplier;
    f.product = off.product;
    f.origin = sup.ships_from;
    f.via = t.is_hub(agg.route) ? s.routes[ix(agg.route - 1)].via : remote ? dest : model::kNone;
    f.destination = remote ? buyer_country : dest;
    f.buyer = agg.buyer;
    f.billing = buyers.billing[ix(agg.buyer)];
    f.channel = remote          ? Channel::remote
                : agg.licensed  ? Channel::licensed
                : diverted      ? Channel::diverted
                : agg.route > 0 ? Channel::transshipped
                                : Channel::direct;
    f.units = agg.compute / measure(buyers, offers, ix(agg.buyer), o);
    f.compute = f.units * offers.compute[ix(o)];
    f.value_usd = f.units * offers.price[ix(o)];
    if (!diverted) {
        f.tariff_usd = f.value_usd * t.policies.tariff(CountryId{dest}, OfferId{o});
        t.policies.for_each_fee(CountryId{dest}, OfferId{o}, [&](const model::Policy& pol) {
            const double fee = f.value_usd * pol.rate;
            f.fee_usd += fee;
            countries[ix(pol.by)].fee_revenue_usd += fee;
        });
        countries[ix(dest)].tariff_revenue_usd += f.tariff_usd;
    } else {
        f.seized_units = draw_seizure(t, run, agg.buyer, o, agg.route, f.units);
        countries[ix(buyer_country)].seized_units += f.seized_units;
    }
    const std::size_t r = static_cast<std::size_t>(agg.route);
    const int delay = t.is_hub(agg.route) ? s.routes[r - 1].delay_ticks : s.transport_delay_ticks;
    f.arrival_tick = t.tick + delay;
    tr.shipped[r] += f.units;
    tr.seized[r] += f.seized_units;
    tr.in_transit[r] += f.units - f.seized_units;
    if (f.units - f.seized_units > 0.0) {
        const bool chips = buyers.purchaser_of[ix(f.buyer)] < 0;
        add_arrival(tr, {f.buyer, o, agg.route, f.units - f.seized_units, diverted},
                    static_cast<std::size_t>(t.tick + delay),
                    buyer_flows || !chips ? kNoKey : ix(buyer_country) * 2 + diverted);
        if (!chips)
            inputs.purchasers[static_cast<std::size_t>(buyers.purchaser_of[ix(f.buyer)])]
                .in_transit += f.units - f.seized_units;
    }
    if (buyer_flows)
        add_buyer_flow(f, record);
    else
        add_summed_flow(f, tr, record);
}

/// Deliveries due this tick.
void deliver(const TickContext& t, const OfferState& offers, const BuyerState& buyers,
             InputState& inputs, TransitState& tr, TickRecord& record) {
    auto& countries = record.countries;
    auto& due = tr.slots[static_cast<std::size_t>(t.tick) % tr.slots.size()];
    for (const auto& a : due) {
        tr.delivered[ix(a.route)] += a.units;
        tr.in_transit[ix(a.route)] -= a.units;
        const int pi = buyers.purchaser_of[ix(a.buyer)];
        if (pi >= 0) {
            // Inputs go into the supplier's stock; equipment is installed after its lag.
            auto& p = inputs.purchasers[static_cast<std::size_t>(pi)];
            p.in_transit -= a.units;
            if (p.equipment) {
                // Installed `lag` ticks after delivery (at the earliest next tick: this
                // tick's capacity is already set).
                const int lag = t.world.suppliers[ix(p.supplier)].equipment->lag_ticks;
                inputs.installations.push_back(
                    {t.tick + std::max(1, lag), static_cast<std::size_t>(pi), a.units});
                p.awaiting += a.units;
            } else {
                p.stock += a.units;
                p.received += a.units;
            }
            continue;
        }
        const Index home = buyers.country[ix(a.buyer)];
        const double compute = a.units * offers.compute[ix(a.offer)];
        // Chips land where they are used: the buyer's country, or the data centre abroad.
        auto& land =
            countries[ix(t.legality.is_remote(a.route) ? t.legality.remote_site(a.route) : home)];
        land.imports_units += a.units;
        land.imports_compute += compute;
        if (a.diverted) countries[ix(home)].diverted_compute += compute;
        if (t.legality.is_remote(a.route)) countries[ix(home)].remote_compute += compute;
        countries[ix(home)].compute_used += compute;
    }
    due.clear();
}

}  // namespace

void phase_shipping(const TickContext& t, std::uint64_t run, const OfferState& offers,
                    const BuyerState& buyers, bool wants_buyer_flows, std::vector<Request>& fills,
                    InputState& inputs, TransitState& transit, TickRecord& record) {
    auto& countries = record.countries;
    countries.resize(t.world.countries.size());
    for (std::size_t c = 0; c < countries.size(); ++c)
        countries[c] = CountryRecord{static_cast<Index>(c)};
    sort_fills(offers.size(), t.legality.routes(), fills, transit);
    const bool buyer_flows = wants_buyer_flows || !t.approvals.empty();
    for (std::size_t i = 0; i < fills.size();) {
        Request agg = fills[i];
        if (i == 0 || fills[i - 1].offer != agg.offer || fills[i - 1].route != agg.route) {
            ++transit.bucket;  // a new (offer, route)
            transit.bucket_first_flow = record.flows.size();
        }
        std::size_t j = i + 1;
        for (; j < fills.size() && fills[j].offer == agg.offer && fills[j].route == agg.route &&
               fills[j].buyer == agg.buyer && fills[j].licensed == agg.licensed;
             ++j)
            agg.compute += fills[j].compute;
        i = j;
        ship(t, run, offers, buyers, agg, buyer_flows, inputs, transit, record);
    }
    deliver(t, offers, buyers, inputs, transit, record);
}

}  // namespace ts::engine
