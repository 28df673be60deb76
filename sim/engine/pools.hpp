#pragma once
// Shared capacity pools (`pools:` of a supplier, `uses:` of its offers): packaging, wafer or
// memory capacity that several offers of one supplier draw on with per-unit coefficients.
//   make_pools      the pool table of the world, variants included (they copy their original's
//                   `uses`, so a design-around or China-specific part draws on the same pool)
//   start_pools     tick 0's allocation from the offers' own capacities, for the opening stock
//   allocate_pools  (in phase 2) each pooled offer's capacity this tick: the supplier grants
//                   the pool by margin per unit of pool, up to last tick's orders, then the rest
//                   by the same order up to own capacity (docs/model.md, "Shared capacity
//                   pools")
//   settle_pools    (in settlement) what production drew from each pool; next tick's signal
//   record_pools    (in records) the tick's pool rows, an event when a pool starts to bind
#include "engine/engine_state.hpp"
#include "engine/records.hpp"

namespace ts::engine {

PoolState make_pools(const model::Scenario& world);

/// `offers.capacity` holds each offer's own capacity this tick (0 when unavailable) and
/// `offers.charged_price` its price; both capacities of a pooled offer become its grant.
void allocate_pools(const model::Scenario& world, PoolState& pools, OfferState& offers);

/// Tick 0: `offers.capacity` holds the own capacity of the offers that exist at the start (0
/// for the others); pooled offers start with one tick of their grant in stock.
void start_pools(const model::Scenario& world, PoolState& pools, OfferState& offers);

void settle_pools(const OfferState& offers, PoolState& pools);

void record_pools(const model::Scenario& world, PoolState& pools, TickRecord& record);

}  // namespace ts::engine
