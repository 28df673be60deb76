#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "market/ces.hpp"
#include "market/demand.hpp"
#include "market/rechoice.hpp"
#include "market/route_cost.hpp"
#include "market/taste_weights.hpp"

using namespace ts::market;

namespace {
RouteCostInput base(RouteKind kind) {
    RouteCostInput r;
    r.kind = kind;
    r.price = 12000.0;
    r.compute = 0.3;
    r.tariff = 0.25;
    r.markup = 0.06;
    r.approval = 0.8;
    r.detection = 0.2;
    r.risk_tolerance = 0.5;
    return r;
}
}  // namespace

TEST_CASE("route cost of every route type", "[market][route_cost]") {
    const double open = 12000.0 * 1.25 * 1.06 / 0.3;
    const double smuggled = 12000.0 * 1.06 / 0.3 * (1.0 + 0.2 / 0.5) / (1.0 - 0.2);
    auto direct = base(RouteKind::direct);
    direct.markup = 0.0;
    CHECK(route_cost(direct) == Approx(12000.0 * 1.25 / 0.3));
    auto licensed = base(RouteKind::direct);
    licensed.markup = 0.0;
    licensed.licensed = true;
    CHECK(route_cost(licensed) == Approx(12000.0 * 1.25 / 0.3 / 0.8));
    CHECK(route_cost(base(RouteKind::transshipped)) == Approx(open));
    // Diverted goods evade the destination's tariff: the tariff given is ignored.
    CHECK(route_cost(base(RouteKind::diverted)) == Approx(smuggled));
    auto diverted_licensed = base(RouteKind::diverted);
    diverted_licensed.licensed = true;
    CHECK(route_cost(diverted_licensed) == Approx(smuggled / 0.8));
    CHECK(route_cost(base(RouteKind::remote)) == Approx(open));
    auto remote_licensed = base(RouteKind::remote);
    remote_licensed.licensed = true;
    CHECK(route_cost(remote_licensed) == Approx(open / 0.8));
}

TEST_CASE("unusable routes cost infinity", "[market][route_cost]") {
    auto denied = base(RouteKind::direct);
    denied.licensed = true;
    denied.approval = 0.0;
    CHECK(std::isinf(route_cost(denied)));
    auto averse = base(RouteKind::diverted);
    averse.risk_tolerance = 0.0;
    CHECK(std::isinf(route_cost(averse)));
    auto caught = base(RouteKind::diverted);
    caught.detection = 1.0;
    CHECK(std::isinf(route_cost(caught)));
}

TEST_CASE("re-choice spreads the residual by CES shares over what is left", "[market][rechoice]") {
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<double> w{0.5, 0.3, 0.2}, c{2.0, inf, 4.0};
    std::vector<double> out{0.0, -1.0, 0.0};
    rechoice_shares(w, c, 2.0, 2.0, 10.0, out);
    // Shares a_i (c_i/c_min)^-σ among the usable options: 0.5 and 0.2·(2)^-2 = 0.05.
    CHECK(out[0] == Approx(10.0 * 0.5 / 0.55));
    CHECK(out[2] == Approx(10.0 * 0.05 / 0.55));
    CHECK(out[1] == -1.0);  // unusable: left as it was
    CHECK(out[0] + out[2] == Approx(10.0));
}

TEST_CASE("composite demand is base demand at the price index", "[market][demand]") {
    CHECK(base_demand(100.0, 0.1, 2) == Approx(121.0));
    CHECK(demand_at_price(121.0, 2.0, 1.0, 1.5) == Approx(121.0 * std::pow(2.0, -1.5)));
    CHECK(composite_demand(100.0, 0.1, 2, 2.0, 1.0, 1.5) ==
          demand_at_price(base_demand(100.0, 0.1, 2), 2.0, 1.0, 1.5));
}

TEST_CASE("taste weights of candidates, variants and purchases", "[market][taste_weights]") {
    CHECK(candidate_weight(0.4, 0.5) == Approx(0.2));
    CHECK(variant_weight(0.4, true) == 0.4);
    CHECK(variant_weight(0.4, false) == 0.0);
    CHECK(variant_weight(0.0, true) == 0.0);
    const std::vector<double> w{0.5, 0.0, 0.5}, p{10.0, 100.0, 30.0};
    CHECK(purchase_reference_cost(w, p) == Approx(20.0));
    CHECK(purchase_reference_cost(std::vector<double>{0.0}, std::vector<double>{5.0}) == 1.0);
}
