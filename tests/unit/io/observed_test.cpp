// Observed versus projected (`time.observed_until`): the reader, the span of observed and
// projected ticks, what validate prints, the manifest and the ensemble plan, and the marking of
// `tradesim compare` tables.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "analysis/compare.hpp"
#include "io/compare_report.hpp"
#include "io/ensemble_plan.hpp"
#include "io/manifest.hpp"
#include "io/observed.hpp"
#include "io/run_reader.hpp"
#include "io/scenario_reader.hpp"
#include "temp_dir.hpp"

using ts::Date;
using ts::TimeStep;

namespace {

/// A small valid world with the given time section.
std::string world(const std::string& time) {
    return "name: small\ntime: " + time + R"(
countries: [{code: USA}, {code: CHN}]
products: [{id: H100}]
suppliers: [{id: s, jurisdiction: USA, made_in: USA, offers: [{product: H100, price: 10}]}]
buyers: [{id: b, country: CHN, demand: 1, reference_cost: 10}]
)";
}

ts::model::TimeSpec time_of(Date start, TimeStep step, int ticks, std::optional<Date> observed) {
    ts::model::TimeSpec t;
    t.start = start;
    t.step = step;
    t.ticks = ticks;
    t.observed_until = observed;
    return t;
}

std::string first_error(const std::string& yaml, const ts::io::LoadOptions& options = {}) {
    try {
        ts::io::load_scenario_text(yaml, "t.yaml", options);
    } catch (const ts::InputError& e) {
        return e.diagnostics().front().format();
    }
    FAIL("expected an InputError");
    return {};
}

}  // namespace

TEST_CASE("the reader takes observed_until as a month and keeps it in the resolved YAML",
          "[reader][observed]") {
    const auto plain =
        ts::io::load_scenario_text(world("{start: 2022-01, step: month, ticks: 72}"), "t.yaml");
    CHECK_FALSE(plain.scenario.time.observed_until);
    CHECK(plain.scenario.resolved_yaml.find("observed_until") == std::string::npos);

    const auto s = ts::io::load_scenario_text(
        world("{start: 2022-01, step: month, ticks: 72, observed_until: 2026-11}"), "t.yaml");
    REQUIRE(s.scenario.time.observed_until);
    CHECK(*s.scenario.time.observed_until == Date{2026, 11, 1});
    CHECK_THAT(s.scenario.resolved_yaml, Catch::Contains("observed_until: 2026-11"));
    const auto again = ts::io::load_scenario_text(s.scenario.resolved_yaml, "resolved.yaml");
    CHECK(again.scenario.time.observed_until == s.scenario.time.observed_until);

    // --set reaches it, and the month before the start is allowed: the whole run is projection.
    ts::io::LoadOptions set;
    set.overrides = {"time.observed_until=2021-06"};
    const auto early = ts::io::load_scenario_text(world("{start: 2022-01, step: month, ticks: 72}"),
                                                  "t.yaml", set);
    CHECK(early.scenario.time.observed_until == Date{2021, 6, 1});
    // The last month of the run is inside the horizon.
    CHECK_NOTHROW(ts::io::load_scenario_text(
        world("{start: 2022-01, step: month, ticks: 72, observed_until: 2027-12}"), "t.yaml"));
}

TEST_CASE("observed_until errors are located", "[reader][observed][errors]") {
    CHECK(first_error(
              world("{start: 2022-01, step: month, ticks: 72, observed_until: 2026-11-30}")) ==
          "t.yaml:2:64: error: time.observed_until: expected a month YYYY-MM (the last observed "
          "month), got '2026-11-30'");
    CHECK(first_error(world("{start: 2022-01, step: month, ticks: 72, observed_until: 2026-00}")) ==
          "t.yaml:2:64: error: time.observed_until: expected a month YYYY-MM (the last observed "
          "month), got '2026-00'");
    CHECK(first_error(world("{start: 2022-01, step: month, ticks: 72, observed_until: 2028-01}")) ==
          "t.yaml:2:64: error: time.observed_until: 2028-01 is after the horizon (the last tick "
          "starts 2027-12-01, the run ends before 2028-01-01): the last observed month must lie "
          "inside or before the run");
    // Weekly ticks: a month that starts inside the last week is inside the horizon.
    CHECK_NOTHROW(ts::io::load_scenario_text(
        world("{start: 2024-01-01, step: week, ticks: 5, observed_until: 2024-02}"), "t.yaml"));
    CHECK_THAT(
        first_error(world("{start: 2024-01-01, step: week, ticks: 4, observed_until: 2024-02}")),
        Catch::Contains("2024-02 is after the horizon (the last tick starts 2024-01-22, the run "
                        "ends before 2024-01-29)"));
}

TEST_CASE("the observed span splits the ticks at the end of the observed month", "[observed]") {
    using ts::io::describe;
    using ts::io::observed_span;
    CHECK_FALSE(observed_span(time_of({2022, 1, 1}, TimeStep::month, 72, std::nullopt)));

    const auto monthly =
        observed_span(time_of({2022, 1, 1}, TimeStep::month, 72, Date{2026, 11, 1}));
    REQUIRE(monthly);
    CHECK(monthly->first_projected == 59);
    CHECK_FALSE(monthly->straddles);
    CHECK(describe(*monthly) == "2026-11 (tick 58 of 72; ticks 59–71 are projection)");

    const auto last = observed_span(time_of({2022, 1, 1}, TimeStep::month, 72, Date{2027, 12, 1}));
    CHECK_FALSE(last->has_projection());
    CHECK(describe(*last) == "2027-12 (tick 71 of 72, the last; no projection)");

    const auto one = observed_span(time_of({2022, 1, 1}, TimeStep::month, 72, Date{2027, 11, 1}));
    CHECK(describe(*one) == "2027-11 (tick 70 of 72; tick 71 is projection)");

    const auto before = observed_span(time_of({2022, 1, 1}, TimeStep::month, 72, Date{2021, 6, 1}));
    CHECK(before->first_projected == 0);
    CHECK(describe(*before) == "2021-06 (before the first tick; all 72 ticks are projection)");

    // A quarter that straddles the end of the record is partly projection.
    const auto quarter =
        observed_span(time_of({2023, 1, 1}, TimeStep::quarter, 8, Date{2024, 5, 1}));
    CHECK(quarter->first_projected == 5);
    CHECK(quarter->straddles);
    CHECK(describe(*quarter) ==
          "2024-05 (ends inside tick 5 of 8; ticks 5–7 are projection, tick 5 in part)");
    const auto quarter_end =
        observed_span(time_of({2023, 1, 1}, TimeStep::quarter, 8, Date{2024, 6, 1}));
    CHECK(quarter_end->first_projected == 6);
    CHECK_FALSE(quarter_end->straddles);

    // Months that start mid-month (start day 15) straddle every month end.
    const auto mid = observed_span(time_of({2024, 1, 15}, TimeStep::month, 12, Date{2024, 3, 1}));
    CHECK(mid->first_projected == 2);  // 2024-03-15 .. 2024-04-14 holds the record's last day
    CHECK(mid->straddles);
}

TEST_CASE("the manifest records observed_until and where projection starts",
          "[io][manifest][observed]") {
    using ts::io::observed_record;
    CHECK_FALSE(observed_record(time_of({2022, 1, 1}, TimeStep::month, 72, std::nullopt)));
    const auto rec = observed_record(time_of({2022, 1, 1}, TimeStep::month, 72, Date{2026, 11, 1}));
    REQUIRE(rec);
    CHECK(rec->until == "2026-11");
    CHECK(rec->projection_from == "2026-12-01");
    const auto quarter =
        observed_record(time_of({2023, 1, 1}, TimeStep::quarter, 8, Date{2024, 5, 1}));
    CHECK(quarter->projection_from == "2024-04-01");  // the straddling quarter
    const auto whole =
        observed_record(time_of({2022, 1, 1}, TimeStep::month, 72, Date{2027, 12, 1}));
    CHECK_FALSE(whole->projection_from);

    ts::io::Manifest m;
    m.scenario_sha256 = "abc";
    CHECK(ts::io::manifest_json(m).find("observed_until") == std::string::npos);
    m.observed = rec;
    const std::string json = ts::io::manifest_json(m);
    CHECK_THAT(json, Catch::Contains("  \"scenario_sha256\": \"abc\",\n  \"status\": \"\",\n"
                                     "  \"observed_until\": \"2026-11\",\n"
                                     "  \"projection_from\": \"2026-12-01\",\n  \"seed\": 0,\n"));
    CHECK(ts::io::json_member(json, "observed_until") == "2026-11");
    CHECK(ts::io::json_member(json, "projection_from") == "2026-12-01");
    m.observed = whole;
    CHECK(ts::io::json_member(ts::io::manifest_json(m), "projection_from") == std::nullopt);
}

TEST_CASE("the ensemble plan carries observed_until to the merged manifest", "[parts][observed]") {
    ts::test::TempDir tmp("plan-observed");
    ts::io::EnsemblePlan p;
    p.runs = 3;
    const std::string plain = ts::io::plan_yaml(p);
    CHECK(plain.find("observed_until") == std::string::npos);
    p.observed = ts::io::Manifest::Observed{"2026-11", "2026-12-01"};
    const std::string text = ts::io::plan_yaml(p);
    CHECK_THAT(text, Catch::Contains("observed_until: \"2026-11\"\nprojection_from: "
                                     "\"2026-12-01\"\n"));
    std::ofstream(tmp.path() / "plan.yaml", std::ios::binary) << text;
    const auto q = ts::io::read_plan(tmp.path() / "plan.yaml");
    CHECK(q.observed == p.observed);
    CHECK(ts::io::plan_yaml(q) == text);
}

namespace {

/// Totals of a monthly run 2026-07 .. 2027-06 with one country.
ts::analysis::RunTotals year_of_ticks(const ts::analysis::Period& period) {
    ts::analysis::RunTotals t(period);
    const std::vector<std::string> dates = {"2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01",
                                            "2026-11-01", "2026-12-01", "2027-01-01", "2027-02-01",
                                            "2027-03-01", "2027-04-01", "2027-05-01", "2027-06-01"};
    for (const auto& d : dates) {
        ts::analysis::CountryTick r;
        r.date = d;
        r.country = "CHN";
        r.imports_compute = 1.0;
        t.add(r);
    }
    return t;
}

ts::analysis::ScenarioRuns scenario(const std::string& label, const ts::analysis::RunTotals& t,
                                    std::optional<std::string> until,
                                    std::optional<std::string> from) {
    ts::analysis::ScenarioRuns s;
    s.label = label;
    s.folder = label;
    s.totals = &t;
    s.observed_until = std::move(until);
    s.projection_from = std::move(from);
    return s;
}

/// The text with its notes' line wrapping undone (a newline and the indent become one space).
std::string unwrapped(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' && i + 2 < text.size() && text[i + 1] == ' ' && text[i + 2] == ' ') {
            out.push_back(' ');
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("compare counts a scenario's projected ticks in the period", "[compare][observed]") {
    using ts::analysis::projection_of;
    const auto all = year_of_ticks({});
    CHECK_FALSE(projection_of(scenario("a", all, std::nullopt, std::nullopt)));
    const auto p = projection_of(scenario("a", all, "2026-11", "2026-12-01"));
    REQUIRE(p);
    CHECK(p->observed_until == "2026-11");
    CHECK(p->projected_ticks == 7);
    CHECK(p->first_projected == "2026-12-01");
    // The record covers the whole run: nothing projected.
    CHECK(projection_of(scenario("a", all, "2027-06", std::nullopt))->projected_ticks == 0);
    // A period inside the record, and one wholly after it.
    const auto early = year_of_ticks({std::nullopt, std::string("2026-10-31")});
    CHECK(projection_of(scenario("a", early, "2026-11", "2026-12-01"))->projected_ticks == 0);
    const auto late = year_of_ticks({std::string("2027-01-01"), std::nullopt});
    const auto q = projection_of(scenario("a", late, "2026-11", "2026-12-01"));
    CHECK(q->projected_ticks == 6);
    CHECK(q->first_projected == "2027-01-01");
}

TEST_CASE("compare tables mark projected columns and say where the record ends",
          "[compare][observed]") {
    const auto totals = year_of_ticks({});
    const std::vector<ts::analysis::ScenarioRuns> runs = {
        scenario("history", totals, "2027-06", std::nullopt),
        scenario("outlook", totals, "2026-11", "2026-12-01"),
        scenario("plain", totals, std::nullopt, std::nullopt)};
    const auto res = ts::analysis::compare_runs(runs, {});
    REQUIRE(res.projection.size() == 3);
    const std::string table = unwrapped(ts::io::render_compare_table(res));
    CHECK_THAT(table, Catch::Contains("outlook (p)"));
    CHECK_THAT(table, !Catch::Contains("history (p)"));
    CHECK_THAT(table, !Catch::Contains("plain (p)"));
    CHECK_THAT(table, Catch::Contains("- (p) outlook: partly projection: its observed record ends "
                                      "with 2026-11 (time.observed_until); 7 of the period's "
                                      "12 ticks, 2026-12-01 .. 2027-06-01, are projection\n"));
    CHECK_THAT(table, Catch::Contains("- history: observed throughout the period (its record ends "
                                      "with 2027-06, time.observed_until)\n"));
    const std::string md = ts::io::render_compare_markdown(res);
    CHECK_THAT(
        md, Catch::Contains(
                "| history | outlook (p) | Δ outlook | Δ% outlook | plain | Δ plain | Δ% plain |"));
    CHECK_THAT(md, Catch::Contains("- (p) outlook: partly projection"));

    // A period wholly after the record is projection throughout.
    const auto late = year_of_ticks({std::string("2027-01-01"), std::nullopt});
    const auto res_late =
        ts::analysis::compare_runs({scenario("outlook", late, "2026-11", "2026-12-01")}, {});
    CHECK_THAT(unwrapped(ts::io::render_compare_table(res_late)),
               Catch::Contains("- (p) outlook: projection: its observed record ends with 2026-11 "
                               "(time.observed_until), before the period\n"));
    // Without observed_until anywhere the table is as before: no mark, no note.
    const auto res_plain =
        ts::analysis::compare_runs({scenario("plain", totals, std::nullopt, std::nullopt)}, {});
    CHECK_THAT(ts::io::render_compare_table(res_plain), !Catch::Contains("(p)"));
    CHECK_THAT(ts::io::render_compare_table(res_plain), !Catch::Contains("observed"));
}
