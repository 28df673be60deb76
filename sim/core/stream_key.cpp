#include "core/stream_key.hpp"

namespace ts {

std::uint64_t id_hash(std::string_view id) {
    return mix64(fnv1a64(id));
}

Rng StreamKey::rng() const {
    // The combined components take the agent slot of Rng's key, so the stream goes through the
    // same mixing as every other stream of the simulator.
    return Rng(seed_, run_, components_, purpose_);
}

}  // namespace ts
