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

double route_cost(const RouteCostInput& r) {
    const double c = r.kind == RouteKind::diverted
                         ? diverted_cost(landed_cost(r.price, 0.0, r.markup, r.compute),
                                         r.detection, r.risk_tolerance)
                         : landed_cost(r.price, r.tariff, r.markup, r.compute);
    return r.licensed ? licensed_cost(c, r.approval) : c;
}

}  // namespace ts::market
