#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "engine/invariants.hpp"

using namespace ts;
using namespace ts::engine;

namespace {
/// One offer and one route whose books balance: opening 2 + produced 3 = shipped 4 + closing 1,
/// and the 4 units shipped are 1 delivered + 1 seized + 2 in transit, carried by one flow.
struct Books {
    OfferState offers;
    TransitState transit;
    TickRecord record;
    Books() {
        offers.opening_stock = {2.0};
        offers.produced = {3.0};
        offers.shipped = {4.0};
        offers.stock = {1.0};
        offers.charged_price = {10.0};
        offers.price = {10.0};
        transit.shipped = {4.0};
        transit.delivered = {1.0};
        transit.seized = {1.0};
        transit.in_transit = {2.0};
        FlowRecord f;
        f.offer = 0;
        f.units = 4.0;
        f.value_usd = 40.0;
        f.seized_units = 1.0;
        record.flows.push_back(f);
    }
};
}  // namespace

TEST_CASE("balanced books pass the invariant check", "[engine][invariants]") {
    const Books b;
    CHECK_NOTHROW(check_invariants(3, b.offers, b.transit, b.record));
}

TEST_CASE("each broken identity raises InternalError, never RunError", "[engine][invariants]") {
    Books b;
    SECTION("stock") {
        b.offers.stock[0] = 2.0;
    }
    SECTION("transit") {
        b.transit.in_transit[0] = 1.0;
    }
    SECTION("flow value") {
        b.record.flows[0].value_usd = 39.0;
    }
    SECTION("seizure above the units") {
        b.record.flows[0].seized_units = 5.0;
    }
    SECTION("input stock") {
        SupplierRecord r;
        r.opening = 1.0;
        r.received = 1.0;
        r.used = 0.5;
        r.closing = 0.5;
        b.record.suppliers.push_back(r);
    }
    try {
        check_invariants(3, b.offers, b.transit, b.record);
        FAIL("no InternalError");
    } catch (const RunError&) {
        FAIL("a broken invariant was reported as an ordinary run failure");
    } catch (const InternalError& e) {
        CHECK_THAT(e.what(), Catch::Contains("tick 3") && Catch::Contains("bug in tradesim"));
        CHECK_THAT(e.detail(), !Catch::Contains("bug in tradesim"));
    }
}
