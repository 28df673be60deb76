// Targets (docs/calibration.md): periods, the standardised error and band rules, ensemble mean
// and spread, the objective, and the filters of the accumulator on hand-made rows.
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/targets.hpp"

using namespace ts::analysis;

namespace {

DayRange period(const std::string& text, std::optional<int> fiscal = std::nullopt) {
    std::string why;
    const auto r = parse_period(text, fiscal, why);
    INFO(why);
    REQUIRE(r);
    return *r;
}

Target target(std::string id, std::string metric, TargetSource source, double observed, double sd) {
    Target t;
    t.id = std::move(id);
    t.metric = std::move(metric);
    t.source = source;
    t.first = "2024-01-01";
    t.last = "2024-12-31";
    t.period = "2024";
    t.observed = observed;
    t.sd = sd;
    return t;
}

}  // namespace

TEST_CASE("targets: calendar years, halves and quarters", "[targets]") {
    CHECK(period("2024H1").last == "2024-06-30");
    CHECK(period("2024H2").first == "2024-07-01");
    CHECK(period("2024H2").last == "2024-12-31");
    CHECK(period("2024").first == "2024-01-01");
    CHECK(period("2024").last == "2024-12-31");
    CHECK(period("2024Q1").last == "2024-03-31");
    CHECK(period("2024Q4").first == "2024-10-01");
    CHECK(period("2024Q4").last == "2024-12-31");
    // A fiscal start month does not move calendar periods.
    CHECK(period("2024", 2).first == "2024-01-01");
}

TEST_CASE("targets: fiscal years are named after the calendar year they end in", "[targets]") {
    // Nvidia-like: FY2025 = 2024-02 .. 2025-01.
    CHECK(period("FY2025", 2).first == "2024-02-01");
    CHECK(period("FY2025", 2).last == "2025-01-31");
    CHECK(period("FY2027Q1", 2).first == "2026-02-01");
    CHECK(period("FY2027Q1", 2).last == "2026-04-30");
    CHECK(period("FY2025Q4", 2).first == "2024-11-01");
    CHECK(period("FY2025Q4", 2).last == "2025-01-31");
    // Fiscal year starting in October (FY2025 = 2024-10 .. 2025-09), leap February inside.
    CHECK(period("FY2024Q2", 10).first == "2024-01-01");
    CHECK(period("FY2024Q2", 10).last == "2024-03-31");
    CHECK(period("FY2025H2", 2).first == "2024-08-01");
    CHECK(period("FY2025H2", 2).last == "2025-01-31");
    // Start month 1: the calendar year.
    CHECK(period("FY2024", 1).first == "2024-01-01");
    CHECK(period("FY2024", 1).last == "2024-12-31");
}

TEST_CASE("targets: malformed periods and fiscal periods without a start month", "[targets]") {
    std::string why;
    CHECK_FALSE(parse_period("FY2025", std::nullopt, why));
    CHECK(why.find("fiscal_year_start") != std::string::npos);
    CHECK_FALSE(parse_period("2024Q5", 1, why));
    CHECK(why.find("Q1..Q4") != std::string::npos);
    CHECK_FALSE(parse_period("2024H3", 1, why));
    CHECK(why.find("H1 or H2") != std::string::npos);
    CHECK_FALSE(parse_period("24", 1, why));
    CHECK_FALSE(parse_period("2024-06", 1, why));
    CHECK(why.find("is not a period") != std::string::npos);
}

TEST_CASE("targets: z with sd, and a band read as a 90 % interval on each side", "[targets]") {
    Target t = target("a", "imports_compute", TargetSource::countries, 100, 10);
    CHECK(z_score(t, 120) == Approx(2.0));
    CHECK(z_score(t, 95) == Approx(-0.5));
    t.sd.reset();
    t.band = std::make_pair(80.0, 140.0);  // asymmetric: 20 below, 40 above
    CHECK(z_score(t, 140) == Approx(kBandZ));
    CHECK(z_score(t, 80) == Approx(-kBandZ));
    CHECK(z_score(t, 120) == Approx(kBandZ / 2));
    const FitReport inside = fit(TargetSet{"f", {t}}, {{139.9}});
    CHECK(inside.rows[0].inside);
    const FitReport outside = fit(TargetSet{"f", {t}}, {{79.9}});
    CHECK_FALSE(outside.rows[0].inside);
}

TEST_CASE("targets: ensembles use the mean, report sd, p05, p95; the objective skips holdouts",
          "[targets]") {
    TargetSet set{"f",
                  {target("a", "imports_compute", TargetSource::countries, 10, 2),
                   target("b", "imports_compute", TargetSource::countries, 0, 1)}};
    set.targets[0].weight = 3;
    // Runs of [a, b]: a = 10, 12, 14, 16 (mean 13); b = 1 in every run.
    const std::vector<std::vector<double>> runs = {{10, 1}, {12, 1}, {14, 1}, {16, 1}};
    FitReport r = fit(set, runs);
    REQUIRE(r.rows.size() == 2);
    CHECK(r.rows[0].runs == 4);
    CHECK(r.rows[0].model == Approx(13));
    CHECK(r.rows[0].sd == Approx(std::sqrt(20.0 / 3.0)));
    CHECK(r.rows[0].p05 == Approx(10.3));  // type 7: 10 + 0.15 * 2
    CHECK(r.rows[0].p95 == Approx(15.7));
    CHECK(r.rows[0].z == Approx(1.5));
    CHECK(*r.rows[0].ratio == Approx(1.3));
    CHECK_FALSE(r.rows[1].ratio);  // observed 0: no ratio
    CHECK(objective(r) == Approx(3 * 1.5 * 1.5 + 1.0));
    set.targets[1].holdout = true;
    r = fit(set, runs);
    CHECK(objective(r) == Approx(3 * 1.5 * 1.5));
}

TEST_CASE("targets: targets ending after observed_until are projected", "[targets]") {
    TargetSet set{"f", {target("a", "imports_compute", TargetSource::countries, 1, 1)}};
    CHECK_FALSE(fit(set, {{1}}, std::string("2024-12")).rows[0].projected);
    CHECK(fit(set, {{1}}, std::string("2024-11")).rows[0].projected);
    CHECK_FALSE(fit(set, {{1}}).rows[0].projected);
}

TEST_CASE("targets: metrics and keys choose the file the value comes from", "[targets]") {
    std::string why;
    TargetKeys none, country, supplier, billing;
    country.country = "CHN";
    supplier.supplier = "nv";
    billing.billing = "CHN";
    CHECK(target_source("imports_compute", country, why) == TargetSource::countries);
    CHECK(target_source("seized_units", none, why) == TargetSource::countries);
    CHECK(target_source("seized_units", supplier, why) == TargetSource::flows);
    CHECK(target_source("revenue_usd", billing, why) == TargetSource::revenue);
    CHECK_FALSE(target_source("imports_compute", supplier, why));
    CHECK(why.find("flows") != std::string::npos);
    CHECK_FALSE(target_source("revenue_usd", country, why));
    CHECK(why.find("billing") != std::string::npos);
    CHECK_FALSE(target_source("price_index_mean", none, why));
    CHECK_FALSE(target_source("units", billing, why));
}

TEST_CASE("targets: the accumulator sums what each target's period and keys select", "[targets]") {
    Target imports = target("imp", "imports_compute", TargetSource::countries, 1, 1);
    imports.keys.country = "CHN";
    imports.first = "2024-02-01";  // leaves out the first tick
    Target share = target("share", "share_via_third_countries", TargetSource::flows, 1, 1);
    share.keys.country = "CHN";
    Target diverted = target("div", "compute", TargetSource::flows, 1, 1);
    diverted.keys.channel = "diverted";
    diverted.keys.has_route = true;
    diverted.keys.origin = "TWN";
    diverted.keys.via = "SGP";
    diverted.keys.destination = "CHN";
    Target rev = target("rev", "revenue_usd", TargetSource::revenue, 1, 1);
    rev.keys.supplier = "nv";
    rev.keys.billing = "CHN";
    Target hq = target("hq", "compute", TargetSource::flows, 1, 1);
    hq.keys.headquarters = "USA";
    Target price = target("price", "price_index_mean", TargetSource::countries, 1, 1);
    price.keys.country = "CHN";
    TargetSet set{"f", {imports, share, diverted, rev, hq, price}};
    for (Target& t : set.targets) t.last = "2024-03-31";  // the three ticks below
    TargetAccumulator acc(set);
    acc.set_names(
        {{"CHN", "TWN", "SGP", "USA"}, {"nv"}, {"gpu"}, {{"cn-cloud", "CHN"}, {"us-lab", "USA"}}});
    for (const char* date : {"2024-01-01", "2024-02-01", "2024-03-01"}) {
        for (const char* c : {"CHN", "USA"}) {
            CountryTick r;
            r.date = date;
            r.country = c;
            r.imports_compute = 10;
            r.price_index = std::string(date) == "2024-03-01" ? 4 : 1;
            acc.add(r);
        }
        FlowTick direct;
        direct.date = date;
        direct.supplier = "nv";
        direct.product = "gpu";
        direct.origin = "TWN";
        direct.destination = "CHN";
        direct.buyer = "cn-cloud";
        direct.channel = "direct";
        direct.compute = 3;
        acc.add(direct);
        FlowTick via = direct;
        via.via = "SGP";
        via.channel = "diverted";
        via.compute = 1;
        acc.add(via);
        FlowTick us = direct;
        us.destination = "USA";
        us.buyer = "us-lab";
        us.compute = 5;
        acc.add(us);
        RevenueTick rv;
        rv.date = date;
        rv.supplier = "nv";
        rv.billing_country = "CHN";
        rv.revenue_usd = 7;
        acc.add(rv);
    }
    const auto v = acc.model_values(0);
    CHECK(v[0] == 20);            // two ticks of CHN
    CHECK(v[1] == Approx(0.25));  // 3 of 12 compute to CHN came via SGP
    CHECK(v[2] == 3);             // the diverted route, all three ticks
    CHECK(v[3] == 21);
    CHECK(v[4] == 15);           // us-lab is headquartered in USA
    CHECK(v[5] == Approx(2.0));  // mean of 1, 1, 4
    CHECK(acc.span().ticks == 3);
    CHECK(acc.span_end() == "2024-03-31");
    CHECK_FALSE(acc.check("r").has_errors());
}

TEST_CASE("targets: the span ends the day before the tick after the last", "[targets]") {
    const TargetSet set{"f", {}};
    const auto end_of = [&](std::vector<const char*> dates) {
        TargetAccumulator acc(set);
        for (const char* d : dates) {
            CountryTick r;
            r.date = d;
            r.country = "CHN";
            acc.add(r);
        }
        return acc.span_end();
    };
    CHECK(end_of({"2024-01-01", "2024-02-01"}) == "2024-02-29");
    CHECK(end_of({"2024-01-01", "2024-04-01", "2024-07-01"}) == "2024-09-30");
    CHECK(end_of({"2024-01-01", "2024-01-08"}) == "2024-01-14");
    CHECK(end_of({"2024-01-01", "2024-01-02"}) == "2024-01-02");
    // Months from the 31st: clamped dates keep the start's day where the month has it.
    CHECK(end_of({"2024-01-31", "2024-02-29", "2024-03-31"}) == "2024-04-29");
    CHECK(end_of({"2024-01-31", "2024-02-29"}) == "2024-03-30");
    CHECK(end_of({"2024-05-01"}) == "2024-05-01");
}

TEST_CASE("targets: check() names targets whose keys or period the run lacks", "[targets]") {
    Target t = target("imp", "imports_compute", TargetSource::countries, 1, 1);
    t.keys.country = "CHM";
    t.loc = ts::SourceLoc{"t.yaml", 4, 5};
    Target late = target("late", "imports_compute", TargetSource::countries, 1, 1);
    late.first = "2025-01-01";
    late.last = "2025-01-31";
    late.period = "2025-01..2025-01";
    const TargetSet set{"f", {t, late}};
    TargetAccumulator acc(set);
    acc.set_names({{"CHN"}, {}, {}, {}});
    for (const char* date : {"2024-01-01", "2024-02-01"}) {
        CountryTick r;
        r.date = date;
        r.country = "CHN";
        acc.add(r);
    }
    const auto d = acc.check("run out/x");
    REQUIRE(d.error_count() == 3);
    CHECK(d.items()[0].format() ==
          "t.yaml:4:5: error: targets[imp]: country 'CHM' is not in run out/x (did you mean "
          "'CHN'?)");
    CHECK(d.items()[1].message.find("is not within run out/x (2024-01-01 .. 2024-02-29)") !=
          std::string::npos);
    CHECK(d.items()[2].message.find("is not within run") != std::string::npos);
}

TEST_CASE("targets: check() needs compute_used and flows by buyer where targets use them",
          "[targets]") {
    Target used = target("used", "compute_used", TargetSource::countries, 1, 1);
    Target hq = target("hq", "compute", TargetSource::flows, 1, 1);
    hq.keys.headquarters = "CHN";
    TargetSet set{"f", {used, hq}};
    for (Target& t : set.targets) t.last = "2024-01-31";
    TargetAccumulator acc(set);
    acc.set_names({{"CHN"}, {"nv"}, {"gpu"}, {{"cn-cloud", "CHN"}}});
    CountryTick c;  // countries.csv written before multi-tier supply: no compute_used
    c.date = "2024-01-01";
    c.country = "CHN";
    CountryTick next = c;  // a second tick, so that the run covers January
    next.date = "2024-02-01";
    acc.add(c);
    acc.add(next);
    FlowTick f;  // flows.csv written with --detail country: no buyer
    f.date = "2024-01-01";
    f.supplier = "nv";
    f.product = "gpu";
    f.destination = "CHN";
    f.compute = 1;
    acc.add(f);
    const auto d = acc.check("run x");
    REQUIRE(d.error_count() == 2);
    CHECK(d.items()[0].message ==
          "run x has no compute_used column (written before multi-tier "
          "supply)");
    CHECK(d.items()[1].message.find("without buyers (--detail country)") != std::string::npos);
    c.compute_used = 2;
    f.buyer = "cn-cloud";
    next.compute_used = 5;  // outside the period
    acc.reset();
    acc.add(c);
    acc.add(next);
    acc.add(f);
    CHECK_FALSE(acc.check("run x").has_errors());
    CHECK(acc.model_values(0) == std::vector<double>{2, 1});
}
