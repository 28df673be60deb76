// Parts of ensemble jobs and their merging (io/ensemble_plan.hpp, io/ensemble_parts.hpp): the
// plan round trip, exact part summaries, atomic part folders, stale temporaries, and the
// assembler's output for run ensembles and sweeps.
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "io/ensemble_parts.hpp"
#include "io/ensemble_plan.hpp"

#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace ts::io;
using ts::analysis::SummaryRow;
using ts::test::read_file;
using ts::test::TempDir;

namespace {

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

EnsemblePlan sweep_plan() {
    EnsemblePlan p;
    p.kind = EnsemblePlan::Kind::sweep;
    p.scenario_name = "a \"quoted\" name";
    p.scenario_sha256 = "abc";
    p.seed = 18446744073709551615ULL;
    p.runs = 2;
    p.design = ts::analysis::parse_design("morris:1");
    p.parameters = {"routes.SGP.detection", "countries.SGP.groups"};
    p.metrics = {{"world", "all", "imports_compute"}, {"country", "C,N", "x"}};
    ts::analysis::Variant v0;
    v0.values = {"0", "[tier2, hub]"};
    v0.unit = {0.0, 1.0 / 3.0};
    v0.trajectory = 0;
    v0.point = 0;
    ts::analysis::Variant v1 = v0;
    v1.values[0] = "0.666666666667";
    v1.unit[0] = 2.0 / 3.0;
    v1.point = 1;
    v1.moved = 0;
    p.variants = {v0, v1};
    return p;
}

}  // namespace

TEST_CASE("plan.yaml round-trips every field exactly", "[parts]") {
    TempDir tmp("plan");
    const auto p = sweep_plan();
    const std::string text = plan_yaml(p);
    write(tmp.path() / "plan.yaml", text);
    const auto q = read_plan(tmp.path() / "plan.yaml");
    CHECK(plan_yaml(q) == text);
    CHECK(q.scenario_name == p.scenario_name);
    CHECK(q.seed == p.seed);
    CHECK(q.metrics == p.metrics);
    REQUIRE(q.variants.size() == 2);
    CHECK(q.variants[0].unit[1] == 1.0 / 3.0);  // exact, not 0.333333
    CHECK(q.variants[1].values == p.variants[1].values);
    CHECK(q.variants[1].moved == 0);
    CHECK(q.tasks() == 4);
    CHECK(q.variant_of(3) == 1);
    CHECK(q.run_of(3) == 1);
    CHECK(q.part_name(3) == "v000001-run-000001");

    EnsemblePlan r;
    r.runs = 12;
    r.detail = RunWriterOptions::Detail::country;
    write(tmp.path() / "run.yaml", plan_yaml(r));
    const auto rr = read_plan(tmp.path() / "run.yaml");
    CHECK(rr.kind == EnsemblePlan::Kind::run);
    CHECK(rr.detail == RunWriterOptions::Detail::country);
    CHECK(rr.part_name(11) == "run-000011");

    write(tmp.path() / "bad.yaml", "format: 99\n");
    CHECK_THROWS_AS(read_plan(tmp.path() / "bad.yaml"), ts::RunError);
}

TEST_CASE("part summaries keep every double exactly", "[parts]") {
    TempDir tmp("partsum");
    const std::vector<SummaryRow> rows{
        {"world", "all", "a", 0.1 + 0.2},
        {"country", "needs,quotes", "b", 1e300},
        {"offer", "x/\"y\"", "c", -1.0 / 3.0},
        {"world", "all", "d", std::numeric_limits<double>::denorm_min()}};
    write_part_summary(rows, tmp.path() / "summary.csv");
    const auto back = read_part_summary(tmp.path() / "summary.csv");
    CHECK(back == rows);
    CHECK(exact_number(0.1) == "0.1");
    CHECK(std::isnan(parse_exact_number("nan")));
}

TEST_CASE("part summaries give back keys with commas, quotes, line breaks and formulas",
          "[parts][csv]") {
    TempDir tmp("parts");
    const std::vector<SummaryRow> rows{{"supplier", "-us,designer", "revenue_usd", -1.5},
                                       {"supplier", "line\nbreak \"q\"", "revenue_usd", 2.0},
                                       {"offer", "=1+2/@x", "shipped", 3.0},
                                       {"offer", "'already", "shipped", 4.0}};
    write_part_summary(rows, tmp.path() / "summary.csv");
    const auto back = read_part_summary(tmp.path() / "summary.csv");
    REQUIRE(back.size() == rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        CHECK(back[i].key == rows[i].key);
        CHECK(back[i].value == rows[i].value);
    }
}

TEST_CASE("part folders appear whole or not at all; stale temporaries of dead processes go",
          "[parts]") {
    TempDir tmp("partdir");
    {
        PartWriter w(tmp.path(), "run-000000");
        write(w.path() / "summary.csv", "x");
        CHECK_FALSE(part_complete(tmp.path(), "run-000000"));
    }  // not committed: removed
    CHECK(fs::is_empty(tmp.path()));
    {
        PartWriter w(tmp.path(), "run-000000");
        write(w.path() / "summary.csv", "first");
        CHECK(w.commit());
    }
    CHECK(part_complete(tmp.path(), "run-000000"));
    {
        PartWriter w(tmp.path(), "run-000000");  // another process finished it meanwhile
        write(w.path() / "summary.csv", "second");
        CHECK_FALSE(w.commit());
    }
    CHECK(read_file(tmp.path() / "run-000000" / "summary.csv") == "first");

    const std::string tag = process_tag();
    const std::string host = tag.substr(0, tag.rfind('-'));
    const fs::path dead = tmp.path() / fmt::format(".run-000001.tmp-{}-{}-0", host, 999999999);
    const fs::path alive =
        tmp.path() / fmt::format(".run-000002.tmp-{}-{}-0", host, static_cast<long>(::getppid()));
    const fs::path other_host = tmp.path() / ".run-000003.tmp-elsewhere-999999999-0";
    for (const auto& p : {dead, alive, other_host}) fs::create_directories(p);
    remove_stale_temporaries(tmp.path());
    CHECK_FALSE(fs::exists(dead));
    CHECK(fs::exists(alive));
    CHECK(fs::exists(other_host));
}

TEST_CASE("the assembler concatenates run parts in order, header once, and summarises the ensemble",
          "[parts]") {
    TempDir tmp("assemble");
    EnsemblePlan plan;
    plan.runs = 3;
    const fs::path parts = tmp.path() / "parts", out = tmp.path() / "out";
    fs::create_directories(out);
    for (int r = 0; r < 3; ++r) {
        const fs::path p = parts / plan.part_name(static_cast<std::size_t>(r));
        write(p / "countries.csv", fmt::format("run,tick,v\n{0},0,a\n{0},1,b\n", r));
        write(p / "events.csv", "run,tick,x\n");
        write_part_summary({{"world", "all", "m", static_cast<double>(r * r)}}, p / "summary.csv");
    }
    EnsembleAssembler a(plan, out);
    CHECK_THROWS_AS(a.add(1, parts / plan.part_name(1)), ts::RunError);  // out of order
    for (std::size_t t = 0; t < 3; ++t) a.add(t, parts / plan.part_name(t));
    CHECK_FALSE(fs::exists(out / "countries.csv"));  // nothing final before finish()
    a.finish();
    CHECK(read_file(out / "countries.csv") ==
          "run,tick,v\n0,0,a\n0,1,b\n1,0,a\n1,1,b\n2,0,a\n2,1,b\n");
    CHECK(read_file(out / "events.csv") == "run,tick,x\n");
    CHECK(read_file(out / "summary.csv") ==
          "scope,key,metric,mean,sd,p05,p50,p95,runs,se\n"
          "world,all,m,1.666667,2.081666,0.100000,1.000000,3.700000,3,1.201850\n");
}

TEST_CASE("the assembler refuses parts that differ from run 0's and missing parts", "[parts]") {
    TempDir tmp("assemble-bad");
    EnsemblePlan plan;
    plan.runs = 2;
    const fs::path parts = tmp.path() / "parts", out = tmp.path() / "out";
    fs::create_directories(out);
    write(parts / "run-000000" / "countries.csv", "run,tick\n0,0\n");
    write_part_summary({}, parts / "run-000000" / "summary.csv");
    write(parts / "run-000001" / "countries.csv", "run,tick,extra\n1,0,1\n");
    write_part_summary({}, parts / "run-000001" / "summary.csv");
    {
        EnsembleAssembler a(plan, out);
        a.add(0, parts / "run-000000");
        CHECK_THROWS_AS(a.add(1, parts / "run-000001"), ts::RunError);
        CHECK_THROWS_AS(a.finish(), ts::RunError);  // 1 of 2 merged
    }
    CHECK(fs::is_empty(out));  // no temporary file left either
}

TEST_CASE("the assembler writes a sweep's runs.csv, per-variant summary.csv and morris.csv",
          "[parts]") {
    TempDir tmp("assemble-sweep");
    const auto plan = sweep_plan();
    const fs::path parts = tmp.path() / "parts", out = tmp.path() / "out";
    fs::create_directories(out);
    // y = imports_compute: variant 0 runs 10, 14; variant 1 runs 30, 34 (effect of +2/3: 30).
    const double y[4] = {10, 14, 30, 34};
    for (std::size_t t = 0; t < 4; ++t) {
        fs::create_directories(parts / plan.part_name(t));
        write_part_summary({{"world", "all", "imports_compute", y[t]}},
                           parts / plan.part_name(t) / "summary.csv");
    }
    EnsembleAssembler a(plan, out);
    for (std::size_t t = 0; t < 4; ++t) a.add(t, parts / plan.part_name(t));
    a.finish();
    // Long, like a run's summary.csv: a row per variant, run and metric the part has (the plan's
    // metric "country.C,N.x" is in no part, so in no row).
    CHECK(read_file(out / "runs.csv") ==
          "variant,trajectory,point,routes.SGP.detection,countries.SGP.groups,run,scope,key,"
          "metric,value\n"
          "0,0,0,0,\"[tier2, hub]\",0,world,all,imports_compute,10.000000\n"
          "0,0,0,0,\"[tier2, hub]\",1,world,all,imports_compute,14.000000\n"
          "1,0,1,0.666666666667,\"[tier2, hub]\",0,world,all,imports_compute,30.000000\n"
          "1,0,1,0.666666666667,\"[tier2, hub]\",1,world,all,imports_compute,34.000000\n");
    CHECK(read_file(out / "summary.csv") ==
          "variant,trajectory,point,routes.SGP.detection,countries.SGP.groups,scope,key,metric,"
          "mean,sd,p05,p50,p95,runs,se\n"
          "0,0,0,0,\"[tier2, hub]\",world,all,imports_compute,12.000000,2.828427,10.200000,"
          "12.000000,13.800000,2,2.000000\n"
          "1,0,1,0.666666666667,\"[tier2, hub]\",world,all,imports_compute,32.000000,2.828427,"
          "30.200000,32.000000,33.800000,2,2.000000\n");
    // The columns of the data package: numbers where every variant's value is one.
    const auto leading = ts::io::sweep_leading_columns(plan);
    REQUIRE(leading.size() == 5);
    CHECK(leading[3].type == "number");
    CHECK(leading[4].type == "string");
    CHECK(read_file(out / "morris.csv") ==
          "metric,rank,parameter,mu_star,mu,sigma,effects\n"
          "world.imports_compute,1,routes.SGP.detection,30.000000,30.000000,0.000000,1\n"
          "world.imports_compute,2,countries.SGP.groups,nan,nan,nan,0\n"
          "\"country.C,N.x\",1,routes.SGP.detection,nan,nan,nan,0\n"
          "\"country.C,N.x\",2,countries.SGP.groups,nan,nan,nan,0\n");
}

TEST_CASE("a Sobol sweep's plan round-trips, the assembler writes block, row and sobol.csv",
          "[parts][sobol]") {
    TempDir tmp("assemble-sobol");
    EnsemblePlan plan = sweep_plan();
    plan.runs = 1;
    plan.design = ts::analysis::parse_design("sobol:2");
    plan.parameters = {"x"};
    plan.bootstrap = 50;
    plan.sobol_metrics = {"world.imports_compute"};
    plan.variants.clear();
    for (int row = 0; row < 2; ++row)
        for (int block = 0; block < 3; ++block) {  // A, B, AB_1 (= B with one parameter)
            ts::analysis::Variant v;
            v.values = {std::to_string(row * 3 + block)};
            v.unit = {0.5};
            v.block = block;
            v.row = row;
            plan.variants.push_back(v);
        }
    write(tmp.path() / "plan.yaml", plan_yaml(plan));
    const auto back = read_plan(tmp.path() / "plan.yaml");
    CHECK(plan_yaml(back) == plan_yaml(plan));
    CHECK(back.bootstrap == 50);
    CHECK(back.sobol_metrics == plan.sobol_metrics);
    CHECK(back.variants[5].block == 2);
    CHECK(back.variants[5].row == 1);
    // reduce refuses a plan naming a metric it does not have, before writing anything.
    std::string bad = plan_yaml(plan);
    bad.replace(bad.find("sobol_metrics: [\"world."), 23, "sobol_metrics: [\"wrld.");
    write(tmp.path() / "bad.yaml", bad);
    CHECK_THROWS_WITH(read_plan(tmp.path() / "bad.yaml"), Catch::Contains("sobol metric"));
    // A morris plan has no Sobol keys: plans of other designs are unchanged.
    CHECK(plan_yaml(sweep_plan()).find("block") == std::string::npos);
    CHECK(plan_yaml(sweep_plan()).find("bootstrap") == std::string::npos);

    // f_A = (1, 3), f_B = f_AB1 = (2, 4): V = 1.25, S1 = ST = 0.5 / 1.25 = 0.4.
    const double y[6] = {1, 2, 2, 3, 4, 4};
    const fs::path parts = tmp.path() / "parts", out = tmp.path() / "out";
    fs::create_directories(out);
    for (std::size_t t = 0; t < 6; ++t) {
        fs::create_directories(parts / plan.part_name(t));
        write_part_summary({{"world", "all", "imports_compute", y[t]}},
                           parts / plan.part_name(t) / "summary.csv");
    }
    EnsembleAssembler a(plan, out);
    for (std::size_t t = 0; t < 6; ++t) a.add(t, parts / plan.part_name(t));
    a.finish();
    const std::string runs = read_file(out / "runs.csv");
    CHECK(runs.rfind("variant,block,row,x,run,scope,key,metric,value\n", 0) == 0);
    CHECK(runs.find("\n5,AB_1,1,5,0,world,all,imports_compute,4.000000\n") != std::string::npos);
    const std::string sobol = read_file(out / "sobol.csv");
    CHECK(sobol.rfind("metric,rank,parameter,s1,s1_low,s1_high,st,st_low,st_high,n,variance,"
                      "resamples\nworld.imports_compute,1,x,0.400000,",
                      0) == 0);
    CHECK(sobol.find(",0.400000,") != sobol.rfind(",0.400000,"));  // S1 and ST
    CHECK(sobol.find(",2,1.250000,50\n") != std::string::npos);
    CHECK(sobol.find("country") == std::string::npos);  // only the metric named
    REQUIRE(a.sobol().size() == 1);
    CHECK(a.sobol()[0].metric == 0);

    // Every headline metric when none is named; one that never varies gets empty cells.
    plan.sobol_metrics.clear();
    const fs::path out2 = tmp.path() / "out2";
    fs::create_directories(out2);
    EnsembleAssembler all(plan, out2);
    for (std::size_t t = 0; t < 6; ++t) all.add(t, parts / plan.part_name(t));
    all.finish();
    CHECK(read_file(out2 / "sobol.csv").find("\n\"country.C,N.x\",,x,,,,,,,0,0.000000,0\n") !=
          std::string::npos);
}
