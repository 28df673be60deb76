#include "market/demand.hpp"

#include <cmath>

namespace ts::market {

double base_demand(double demand, double growth, long tick) {
    return demand * std::pow(1.0 + growth, static_cast<double>(tick));
}

double demand_at_price(double base_demand, double price_index, double reference_cost, double eta) {
    return base_demand * std::pow(price_index / reference_cost, -eta);
}

double composite_demand(double demand, double growth, long tick, double price_index,
                        double reference_cost, double eta) {
    return demand_at_price(base_demand(demand, growth, tick), price_index, reference_cost, eta);
}

}  // namespace ts::market
