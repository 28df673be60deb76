#pragma once
// Landed cost per compute unit of one route from an offer to a buyer: the rule the engine's
// route choice and the equilibrium solver share. Plain values in, one number out; the caller
// looks the inputs up in its own tables (price, tariffs, markups, route status, detection).
//
//   open (direct or through a hub)  c = price·(1+tariff)·(1+markup)/compute
//   licensed                        c / approval        (the expected cost of waiting for grants)
//   diverted                        c₀·(1 + d/r)/(1 − d), c₀ without the destination's tariff
//   diverted, licensed first leg    the diverted cost / approval
//   remote                          c with the site's tariff and the buyer's remote markup,
//                                   / approval when the site's leg is licensed
namespace ts::market {

/// price·(1+tariff)·(1+markup)/compute.
double landed_cost(double price, double tariff, double markup, double compute);

/// Expected cost of a licensed route: the landed cost divided by the approval probability
/// (approval 0: unusable, +inf).
double licensed_cost(double landed, double approval);

/// Expected cost of a diverted (illegal) route: the landed cost raised by the expected seizure
/// loss, 1/(1 − d), and by a risk premium d/r that vanishes as the buyer's risk tolerance r
/// grows. r = 0 (never uses illicit channels) or d = 1 makes the route unusable (+inf).
/// Diverted goods evade the destination's tariff: pass a landed cost without it.
double diverted_cost(double landed, double detection, double risk_tolerance);

/// Soft capacity of intermediation (a route or remote channel whose cost rises with the volume
/// v through it): a linear inverse supply of the intermediary's service, markup₀·(1 + v/V),
/// so the markup doubles at V. V = +inf: the constant markup₀.
double soft_markup(double markup0, double volume, double doubles_at);

/// Detection that rises with volume: the odds d/(1 − d) grow like the markup,
/// odds₀·(1 + v/V), so d stays below 1, is smooth, and for small d₀ roughly doubles at V.
/// d₀ = 0 stays 0, d₀ = 1 stays 1.
double soft_detection(double detection0, double volume, double doubles_at);

enum class RouteKind {
    direct,        // route 0: straight to the buyer's country
    transshipped,  // legally through a hub (leg 2 open)
    diverted,      // smuggled from the hub on (leg 2 prohibited)
    remote,        // compute rented in a data centre abroad
};

/// One route as the cost rule sees it.
struct RouteCostInput {
    RouteKind kind = RouteKind::direct;
    double price = 0.0;    // the offer's price this tick (USD per unit)
    double compute = 1.0;  // what one unit is measured in (compute units; 1 for input buyers)
    /// Tariff the goods pay where they land: the buyer's country's for direct and transshipped
    /// routes, the site's for remote ones; ignored for diverted routes (smuggled goods evade it).
    double tariff = 0.0;
    /// Markup of the hub (transshipped, diverted), or the buyer's remote markup; 0 for direct.
    double markup = 0.0;
    /// The purchase waits for a licence granted with probability `approval`: a licensed route,
    /// or a diverted one whose first leg needs a licence.
    bool licensed = false;
    double approval = 1.0;
    double detection = 0.0;       // diverted: probability a shipment is seized
    double risk_tolerance = 0.0;  // diverted: the buyer's
};

/// Expected landed cost per compute unit of the route; +inf when unusable. Inline: the
/// engine's route search calls it for every (buyer, offer, route) it looks at.
inline double route_cost(const RouteCostInput& r) {
    const double c = r.kind == RouteKind::diverted
                         ? diverted_cost(landed_cost(r.price, 0.0, r.markup, r.compute),
                                         r.detection, r.risk_tolerance)
                         : landed_cost(r.price, r.tariff, r.markup, r.compute);
    return r.licensed ? licensed_cost(c, r.approval) : c;
}

}  // namespace ts::market
