#pragma once
// Random streams keyed by stable ids. A stream's key is (seed, run, purpose) followed by a few
// components: hashes of the ids of what the draw is about (buyer, offer, route, ...) and the
// tick. Ids are the text the user wrote (buyer id, supplier id, product id, country code), so
// a variant that adds an offer, a hub or a buyer leaves the keys, and so the draws, of
// everything else unchanged: common random numbers hold across such variants. Positions in the
// file or current sizes (number of offers, routes) must never enter a key.
//
// Id hashes are computed once at set-up (policy::StreamIds holds them for a scenario); building
// a stream in the tick loop is a few multiplications and allocates nothing.
//
// Key layouts (components in this order; every component is required):
//
//   licence decision   StreamKey{seed, run, Purpose::licence}
//                        .with(buyer).with(offer).with(route).with(requested_tick)
//   seizure draw       StreamKey{seed, run, Purpose::seizure}
//                        .with(offer).with(route).with(buyer).with(tick)
//
// where buyer = id_hash(buyer id), offer = hash_combine(id_hash(supplier id), id_hash(product
// id)), route = the route's hash (direct, hub via country, remote site; see policy::StreamIds).
// A licence key has no policy id on purpose: one draw decides a request against the product of
// the approvals of every control on the route, so adding a control keeps the same uniforms and
// grants a subset of what was granted (a coupled comparison). A seizure is keyed by the buyer,
// not the destination country, because each buyer's diverted shipment is inspected on its own.
#include <cstdint>
#include <string_view>

#include "core/random.hpp"

namespace ts {

/// FNV-1a 64 of the bytes of `text` (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
constexpr std::uint64_t fnv1a64(std::string_view text) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : text) {
        h ^= static_cast<std::uint8_t>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

/// The stable hash of an id: FNV-1a 64 of its text, then mix64 (the FNV-1a of ids differing in
/// their last character, such as "b1" and "b2", differ by a multiple of the FNV prime, a
/// structured difference that the mixer spreads over every bit). Never change: it is part of
/// every reproducible result.
std::uint64_t id_hash(std::string_view id);

/// A stream key under construction. Components are combined in order (with(a).with(b) differs
/// from with(b).with(a)); the key is a pure function of its components, independent of when or
/// in which order keys are built.
class StreamKey {
  public:
    StreamKey(std::uint64_t seed, std::uint64_t run, Purpose purpose)
        : seed_(seed), run_(run), purpose_(purpose) {}

    /// The key extended by one component (an id hash or a tick).
    [[nodiscard]] StreamKey with(std::uint64_t component) const {
        StreamKey k = *this;
        k.components_ = hash_combine(components_, component);
        return k;
    }
    /// The stream of this key.
    Rng rng() const;

  private:
    std::uint64_t seed_;
    std::uint64_t run_;
    Purpose purpose_;
    std::uint64_t components_ = 0;
};

}  // namespace ts
