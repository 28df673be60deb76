#include "policy/stream_ids.hpp"

#include <string_view>
#include <unordered_map>

#include "core/stream_key.hpp"

namespace ts::policy {

StreamIds StreamIds::of(const model::Scenario& world, const Legality& legality) {
    StreamIds ids;
    ids.offer.reserve(world.offers.size());
    for (const auto& o : world.offers)
        ids.offer.push_back(
            hash_combine(id_hash(world.suppliers[static_cast<std::size_t>(o.supplier)].id),
                         id_hash(world.products[static_cast<std::size_t>(o.product)].id)));

    std::unordered_map<std::string_view, std::uint64_t> seen;  // id -> buyers bearing it so far
    ids.buyer.reserve(world.buyers.size());
    for (const auto& b : world.buyers) {
        const std::uint64_t k = seen[b.id]++;
        ids.buyer.push_back(k == 0 ? id_hash(b.id) : hash_combine(id_hash(b.id), k));
    }

    ids.route.reserve(static_cast<std::size_t>(legality.routes()));
    ids.route.push_back(id_hash("direct"));
    for (const auto& r : world.routes)
        ids.route.push_back(id_hash(world.countries[static_cast<std::size_t>(r.via)].code));
    for (int r = legality.hub_routes() + 1; r < legality.routes(); ++r)
        ids.route.push_back(hash_combine(
            id_hash(world.countries[static_cast<std::size_t>(legality.remote_site(r))].code),
            id_hash("remote")));
    return ids;
}

Rng licence_stream(const StreamIds& ids, std::uint64_t seed, std::uint64_t run, BuyerId buyer,
                   OfferId offer, RouteId route, std::int64_t requested_tick) {
    return StreamKey{seed, run, Purpose::licence}
        .with(at(ids.buyer, buyer))
        .with(at(ids.offer, offer))
        .with(at(ids.route, route))
        .with(static_cast<std::uint64_t>(requested_tick))
        .rng();
}

Rng seizure_stream(const StreamIds& ids, std::uint64_t seed, std::uint64_t run, OfferId offer,
                   RouteId route, BuyerId buyer, std::int64_t tick) {
    return StreamKey{seed, run, Purpose::seizure}
        .with(at(ids.offer, offer))
        .with(at(ids.route, route))
        .with(at(ids.buyer, buyer))
        .with(static_cast<std::uint64_t>(tick))
        .rng();
}

}  // namespace ts::policy
