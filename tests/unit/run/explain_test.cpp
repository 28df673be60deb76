// tradesim explain end to end on the worked examples of docs/explaining-results.md: traces
// that price every route by the engine's rule and name the policy behind each closed route,
// and an attribution whose parts add up to the change between two run folders.
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "engine/simulation.hpp"
#include "engine/trace.hpp"
#include "io/scenario_reader.hpp"
#include "run/explain_job.hpp"
#include "run/run_job.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace ts;

namespace {

const std::string kExamples = std::string(TRADESIM_SOURCE_DIR) + "/scenarios/examples/explain/";

fs::path run_into(const std::string& name, const fs::path& dir) {
    run::RunJob job;
    job.scenario.file = kExamples + name + ".yaml";
    job.output.folder = dir / name;
    job.command_line = {"tradesim", "run"};
    run::run_scenario(job, run::Feedback{});
    return dir / name;
}

/// The value of a summary.csv row.
double summary_value(const fs::path& dir, const std::string& prefix) {
    std::istringstream in(test::read_file(dir / "summary.csv"));
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(prefix + ",", 0) == 0) return std::stod(line.substr(prefix.size() + 1));
    FAIL("no summary row " << prefix);
    return 0.0;
}

engine::BuyerTrace trace_of(const std::string& name, const std::string& buyer, int tick) {
    const auto loaded = io::load_scenario(kExamples + name + ".yaml");
    engine::Simulation sim(loaded.scenario, engine::RunConfig{});
    const auto& s = sim.world();
    model::Index b = 0;
    while (s.buyers[static_cast<std::size_t>(b)].id != buyer) ++b;
    auto probe = engine::TraceProbe::for_buyer(tick, b);
    sim.set_probe(&probe);
    struct Sink : engine::Recorder {
        void record(const engine::TickRecord&) override {}
    } sink;
    sim.run(sink);
    REQUIRE(probe.done());
    return probe.buyer();
}

}  // namespace

TEST_CASE("a trace prices every route by the engine's rule and names the policy behind it",
          "[explain]") {
    // 2024-09 (tick 8): the rule took force in July; the ban closes the direct route.
    const auto t = trace_of("ban", "cn-cloud", 8);
    REQUIRE(t.candidates.size() == 3);
    const auto& flagship = t.candidates[0];
    REQUIRE(flagship.routes.size() == 3);  // direct, via SGP, via MYS
    const auto& direct = flagship.routes[0];
    CHECK(direct.cls == policy::RouteClass::blocked);
    REQUIRE(direct.causes.size() == 1);
    CHECK(direct.causes[0].effect == policy::Legality::RouteCause::Effect::prohibits);
    CHECK(direct.causes[0].leg == 1);
    const auto& sgp = flagship.routes[1];
    CHECK(sgp.cls == policy::RouteClass::diverted);
    REQUIRE(sgp.causes.size() == 1);
    CHECK(sgp.causes[0].leg == 2);  // SGP → CHN is what the rule prohibits
    CHECK(sgp.seizure > 0.0);
    CHECK(flagship.route == 1);  // smuggled through Singapore, the cheaper hub
    double spend = 0.0;
    for (const auto& c : t.candidates) {
        spend += c.share;
        for (const auto& r : c.routes) {
            if (*r.skipped != '\0') continue;
            CHECK(r.base + r.tariff + r.markup + r.seizure + r.licence ==
                  Approx(r.total).epsilon(1e-12));
            if (r.route == c.route) CHECK(r.total == Approx(c.cost).epsilon(1e-12));
        }
    }
    CHECK(spend == Approx(1.0));  // spending shares of the CES choice
    CHECK_FALSE(t.departures.empty());
}

TEST_CASE("under a 20 % licence the wait for a licence is four fifths of the cost", "[explain]") {
    const auto t = trace_of("licence", "cn-cloud", 8);
    const auto& direct = t.candidates[0].routes[0];
    CHECK(direct.cls == policy::RouteClass::licensed);
    CHECK(direct.licence == Approx(0.8 * direct.total));
    REQUIRE(direct.causes.size() == 1);
    CHECK(direct.causes[0].effect == policy::Legality::RouteCause::Effect::licence);
    CHECK(direct.causes[0].approval == 0.2);
    // Licensed hub routes are not diverted: nothing smuggled while the leg is licensable.
    for (const auto& r : t.candidates[0].routes) CHECK(r.cls != policy::RouteClass::diverted);
}

TEST_CASE("explain writes a trace and an attribution that adds up to the change", "[explain]") {
    test::TempDir tmp("explain");
    const auto licence = run_into("licence", tmp.path());
    const auto ban = run_into("ban", tmp.path());

    run::TraceJob trace;
    trace.run_dir = ban;
    trace.buyer = "cn-cloud";
    trace.date = "2024-09";
    const auto t = run::run_trace_job(trace);
    CHECK(t.csv == ban / "explain" / "cn-cloud-2024-09-01.csv");
    CHECK(test::read_file(t.csv).rfind("tick,date,run,buyer,supplier,product,route,status", 0) ==
          0);
    CHECK(t.text.find("us-flagship-rule prohibits SGP→CHN (leg 2)") != std::string::npos);

    trace.buyer = "cn-clod";
    CHECK_THROWS_WITH(run::run_trace_job(trace), Catch::Contains("did you mean 'cn-cloud'"));
    trace.buyer = "";
    trace.offer = "us-designer/flagship";
    const auto o = run::run_trace_job(trace);
    CHECK(o.text.find("route capacity") != std::string::npos);  // Singapore's hub is full

    run::AttributionJob job;
    job.a = licence;
    job.b = ban;
    job.metric = "imports_compute";
    job.key = "CHN";
    job.output = tmp.path() / "attribution";
    const auto a = run::run_attribution_job(job);
    REQUIRE(a.files.size() == 2);
    const double delta = summary_value(ban, "country,CHN,imports_compute") -
                         summary_value(licence, "country,CHN,imports_compute");
    CHECK(delta > 0.0);  // the ban raises China's compute
    std::istringstream rows(test::read_file(a.files[0]));
    std::string header, row;
    std::getline(rows, header);
    std::getline(rows, row);
    CHECK(row.rfind("imports_compute,country,CHN,policies[us-flagship-rule],", 0) == 0);
    // ...,value,se,share_of_change,exact (the change text before them may hold commas): the
    // one difference explains it all.
    std::vector<std::string> f;
    std::stringstream cells(row);
    for (std::string c; std::getline(cells, c, ',');) f.push_back(c);
    REQUIRE(f.size() >= 9);
    CHECK(std::stod(f[f.size() - 4]) == Approx(delta).epsilon(1e-9));
    CHECK(f.back() == "1");  // exact
    // Where it went: diverted through the hubs.
    CHECK(test::read_file(a.files[1]).find("diverted,TWN,SGP,CHN,us-designer,flagship,0.0000,") !=
          std::string::npos);

    job.metric = "imports_compute";
    job.key = "";
    CHECK_THROWS_WITH(run::run_attribution_job(job), Catch::Contains("choose with --key"));
}
