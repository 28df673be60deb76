#pragma once
// The stable id hashes that key the simulator's random streams (see core/stream_key.hpp), one
// per offer, buyer and route of a world, computed once at set-up. They live in the policy layer
// because routes are numbered by Legality (direct, hubs, then remote-compute sites), and the
// hash of a route must follow the same numbering.
//
// What each hash is made of, so that it survives a variant adding or reordering entries:
// - offer: hash_combine(id_hash(supplier id), id_hash(product id)); an offer is unique per
//   supplier and product, and a design-around variant has its own product id.
// - buyer: id_hash(buyer id). Buyer ids are unique in the file, but the engine adds one buyer
//   per supplier purchase, named after the supplier; the k-th buyer (k >= 1) bearing an id that
//   an earlier buyer has is keyed hash_combine(id_hash(id), k). File buyers come first, so their
//   hashes never depend on purchases, and a purchaser's only on the purchases of its supplier.
// - route: direct id_hash("direct"); through a hub id_hash(via country code); remote compute at
//   a site hash_combine(id_hash(site code), id_hash("remote")), unlike a hub in the same country.
#include <cstdint>
#include <vector>

#include "core/ids.hpp"
#include "core/random.hpp"
#include "model/scenario.hpp"
#include "policy/legality.hpp"

namespace ts::policy {

struct StreamIds {
    std::vector<std::uint64_t> offer;  // per offer
    std::vector<std::uint64_t> buyer;  // per buyer
    std::vector<std::uint64_t> route;  // per Legality route

    /// The id hashes of `world`, with routes numbered as `legality` numbers them (a Legality
    /// of the same world).
    static StreamIds of(const model::Scenario& world, const Legality& legality);
};

/// The stream deciding a licence request of `buyer` for `offer` on `route`, made at
/// `requested_tick` (key layout in core/stream_key.hpp).
Rng licence_stream(const StreamIds& ids, std::uint64_t seed, std::uint64_t run, BuyerId buyer,
                   OfferId offer, RouteId route, std::int64_t requested_tick);
/// The stream drawing seizures of `buyer`'s diverted shipment of `offer` on `route` at `tick`
/// (key layout in core/stream_key.hpp).
Rng seizure_stream(const StreamIds& ids, std::uint64_t seed, std::uint64_t run, OfferId offer,
                   RouteId route, BuyerId buyer, std::int64_t tick);

}  // namespace ts::policy
