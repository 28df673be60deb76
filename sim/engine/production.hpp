#pragma once
// Production and inputs: what each offer can make this tick, what its supplier plans to buy,
// and what was made once clearing has settled the orders.
//   phase_production  (phase 2) equipment delivered `lag` ticks ago is installed; capacity from
//                     plant or installed equipment, the supply response to price, the shared
//                     capacity pools (pools.hpp) and the Leontief limit of each input's stock
//   plan_inputs       (in phase 3) input demand of each synthetic purchaser
//   phase_settlement  (after clearing) quotas used, production to keep a tick of capacity in
//                     stock, closing stock, backlog, inputs used and equipment worn out, next
//                     tick's planned output
#include <vector>

#include "engine/engine_state.hpp"
#include "engine/records.hpp"

namespace ts::engine {

/// `pools`: the suppliers' capacity pools (empty in most worlds) bound the plant capacity.
void phase_production(const TickContext& t, InputState& inputs, OfferState& offers,
                      PoolState& pools, TickRecord& record);

/// Input demand follows planned output: this tick's use plus what restores the stock target
/// (ticks of use), less what is already in stock or on its way. Equipment is bought at the
/// purchase's fixed `demand`.
void plan_inputs(const model::Scenario& world, const InputState& inputs, const OfferState& offers,
                 BuyerState& buyers);

void phase_settlement(const TickContext& t, const std::vector<Request>& fills,
                      ConstraintState& constraints, BuyerState& buyers, OfferState& offers,
                      InputState& inputs, PoolState& pools);

}  // namespace ts::engine
