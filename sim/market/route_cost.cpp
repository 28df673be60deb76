#include "market/route_cost.hpp"

#include <limits>

namespace ts::market {

double landed_cost(double price, double tariff, double markup, double compute) {
    return price * (1.0 + tariff) * (1.0 + markup) / compute;
}

double licensed_cost(double landed, double approval) {
    return approval > 0.0 ? landed / approval : std::numeric_limits<double>::infinity();
}

double diverted_cost(double landed, double detection, double risk_tolerance) {
    if (risk_tolerance <= 0.0 || detection >= 1.0) return std::numeric_limits<double>::infinity();
    return landed * (1.0 + detection / risk_tolerance) / (1.0 - detection);
}

}  // namespace ts::market
