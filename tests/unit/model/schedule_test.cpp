// Dated schedules: the value in force at a tick (step, linear, before the first and after the
// last point) and writing a tick's values into the scenario.
#include <catch2/catch.hpp>

#include "model/scenario.hpp"

using namespace ts::model;

namespace {

Schedule points(Interpolation rule) {
    Schedule s;
    s.interpolate = rule;
    s.points = {{{2024, 4, 1}, 3, 10.0}, {{2024, 10, 1}, 9, 40.0}, {{2025, 1, 1}, 12, 25.0}};
    return s;
}

}  // namespace

TEST_CASE("a step schedule holds each value from its tick to the next point", "[schedule]") {
    const Schedule s = points(Interpolation::step);
    CHECK(s.at(0) == 10.0);  // before the first date the first value holds
    CHECK(s.at(3) == 10.0);
    CHECK(s.at(8) == 10.0);
    CHECK(s.at(9) == 40.0);
    CHECK(s.at(11) == 40.0);
    CHECK(s.at(12) == 25.0);
    CHECK(s.at(500) == 25.0);  // after the last date the last value holds
}

TEST_CASE("a linear schedule interpolates between the ticks of its points", "[schedule]") {
    const Schedule s = points(Interpolation::linear);
    CHECK(s.at(-4) == 10.0);
    CHECK(s.at(3) == 10.0);
    CHECK(s.at(5) == Approx(20.0));  // two of six ticks from 10 to 40
    CHECK(s.at(9) == 40.0);
    CHECK(s.at(10) == Approx(35.0));
    CHECK(s.at(12) == 25.0);
    CHECK(s.at(13) == 25.0);
}

TEST_CASE("apply_schedules writes the tick's values and says when policy tables move",
          "[schedule]") {
    Scenario sc;
    sc.offers.resize(1);
    sc.policies.resize(1);
    Schedule capacity = points(Interpolation::step);
    capacity.field = ScheduleField::offer_capacity;
    capacity.object = 0;
    Schedule rate = points(Interpolation::step);
    rate.field = ScheduleField::policy_rate;
    rate.object = 0;
    for (auto& p : rate.points) p.value /= 100.0;
    rate.points[1].tick = 6;  // the rate moves at tick 6, the capacity at 9

    CHECK(apply_schedules(sc, {capacity, rate}, 0));  // rate 0 -> 0.10
    CHECK(sc.offers[0].capacity == 10.0);
    CHECK_FALSE(apply_schedules(sc, {capacity, rate}, 1));  // nothing changed
    CHECK(apply_schedules(sc, {capacity, rate}, 6));
    CHECK(sc.policies[0].rate == 0.40);
    CHECK(sc.offers[0].capacity == 10.0);
    CHECK_FALSE(apply_schedules(sc, {capacity, rate}, 9));  // only the capacity moves
    CHECK(sc.offers[0].capacity == 40.0);
}
