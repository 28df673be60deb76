#include <catch2/catch.hpp>

#include "core/date.hpp"

using namespace ts;

TEST_CASE("civil dates round-trip through day numbers", "[date]") {
    CHECK(days_from_civil({1970, 1, 1}) == 0);
    CHECK(days_from_civil({2000, 3, 1}) == 11017);
    for (std::int64_t d = -800000; d < 800000; d += 997)
        CHECK(days_from_civil(civil_from_days(d)) == d);
    CHECK(civil_from_days(days_from_civil({2024, 2, 29})) == Date{2024, 2, 29});
}

TEST_CASE("dates parse strictly", "[date]") {
    CHECK(parse_date("2023-10-17") == Date{2023, 10, 17});
    CHECK(parse_date("2022-01") == Date{2022, 1, 1});
    CHECK_FALSE(parse_date("2023-02-29"));
    CHECK_FALSE(parse_date("2023-13-01"));
    CHECK_FALSE(parse_date("2023-1-5"));
    CHECK_FALSE(parse_date("17/10/2023"));
    CHECK_FALSE(parse_date("2023-10-17T00:00"));
    CHECK_FALSE(parse_date(""));
    CHECK(format_date({2025, 5, 13}) == "2025-05-13");
}

TEST_CASE("monthly and quarterly calendars keep the day of month", "[date]") {
    Calendar m({2022, 1, 1}, TimeStep::month, 48);
    CHECK(m.date_of(0) == Date{2022, 1, 1});
    CHECK(m.date_of(13) == Date{2023, 2, 1});
    CHECK(m.date_of(-1) == Date{2021, 12, 1});
    Calendar q({2022, 1, 1}, TimeStep::quarter, 20);
    CHECK(q.date_of(3) == Date{2022, 10, 1});
    Calendar end_of_month({2024, 1, 31}, TimeStep::month, 3);
    CHECK(end_of_month.date_of(1) == Date{2024, 2, 29});
    CHECK(end_of_month.date_of(2) == Date{2024, 3, 31});
}

TEST_CASE("day and week calendars", "[date]") {
    Calendar d({2024, 12, 30}, TimeStep::day, 10);
    CHECK(d.date_of(3) == Date{2025, 1, 2});
    CHECK(d.tick_containing({2025, 1, 2}) == 3);
    Calendar w({2024, 1, 1}, TimeStep::week, 10);
    CHECK(w.date_of(2) == Date{2024, 1, 15});
    CHECK(w.tick_containing({2024, 1, 14}) == 1);
    CHECK(w.tick_containing({2023, 12, 31}) == -1);
}

TEST_CASE("dates map to the tick containing them and to the nearest boundary", "[date]") {
    Calendar m({2022, 1, 1}, TimeStep::month, 60);
    CHECK(m.tick_containing({2023, 10, 17}) == 21);
    // 17 Nov 2023: 16 of 30 days gone, so the rule covers less than half of November.
    CHECK(m.nearest_boundary({2023, 11, 17}) == 23);
    CHECK(m.nearest_boundary({2023, 11, 1}) == 22);
    // 7 Oct 2022 covers most of October.
    CHECK(m.nearest_boundary({2022, 10, 7}) == 9);
    // Exactly half counts as in force.
    CHECK(m.nearest_boundary({2023, 11, 16}) == 22);
    Calendar q({2022, 1, 1}, TimeStep::quarter, 20);
    CHECK(q.tick_containing({2025, 4, 9}) == 13);
    CHECK(q.nearest_boundary({2025, 4, 9}) == 13);
    CHECK(q.nearest_boundary({2025, 5, 20}) == 14);
    CHECK(m.tick_containing({2021, 6, 1}) == -7);
}

TEST_CASE("time steps parse and print", "[date]") {
    CHECK(parse_time_step("quarter") == TimeStep::quarter);
    CHECK_FALSE(parse_time_step("year"));
    CHECK(std::string(to_string(TimeStep::week)) == "week");
    CHECK(Calendar({2022, 1, 1}, TimeStep::quarter, 4).ticks_per_year() == 4.0);
}
