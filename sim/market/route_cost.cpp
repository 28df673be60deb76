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

double soft_markup(double markup0, double volume, double doubles_at) {
    return markup0 * (1.0 + volume / doubles_at);
}

double soft_detection(double detection0, double volume, double doubles_at) {
    if (detection0 <= 0.0 || detection0 >= 1.0) return detection0;
    const double odds = detection0 / (1.0 - detection0) * (1.0 + volume / doubles_at);
    return odds / (1.0 + odds);
}

}  // namespace ts::market
