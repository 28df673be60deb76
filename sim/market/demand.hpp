#pragma once
// Composite demand of a buyer (docs/model.md, step 3), in two steps because the engine takes the
// first before it knows the price index and the second after the choice:
//   base demand        D_t = demand·(1+g)^t
//   at the price index Q   = D_t·(P/reference_cost)^(−η)      (backlog is added by the caller)
namespace ts::market {

/// demand·(1+g)^t: what the buyer wants at its reference cost.
double base_demand(double demand, double growth, long tick);

/// D·(P/reference_cost)^(−η): the buyer's demand at its price index P.
double demand_at_price(double base_demand, double price_index, double reference_cost, double eta);

/// Q before backlog: demand_at_price(base_demand(demand, growth, tick), P, reference_cost, η).
double composite_demand(double demand, double growth, long tick, double price_index,
                        double reference_cost, double eta);

}  // namespace ts::market
