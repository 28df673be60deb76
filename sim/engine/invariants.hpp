#pragma once
// Invariants: the accounting identities every tick must satisfy whatever the input (stock,
// transit, input stock, flow value and seizure, shipped = flows). A broken one is a bug in
// tradesim: it throws ts::InternalError (core/error.hpp), never a RunError.
#include "engine/engine_state.hpp"
#include "engine/records.hpp"

namespace ts::engine {

/// Throws InternalError naming the first identity broken at `tick`.
void check_invariants(int tick, const OfferState& offers, const TransitState& transit,
                      const TickRecord& record);

}  // namespace ts::engine
