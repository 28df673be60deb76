// The jobs of the run layer end to end on a small example: what they write, what they refuse,
// and that shards + reduce and threads give exactly what one process gives.
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analysis/sweep_design.hpp"
#include "core/error.hpp"
#include "io/ensemble_plan.hpp"
#include "run/run_job.hpp"
#include "run/sweep_job.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace ts;

namespace {

const std::string kExample =
    std::string(TRADESIM_SOURCE_DIR) + "/scenarios/examples/two-suppliers.yaml";
// Stochastic (seizures on diverted routes), so runs differ from each other.
const std::string kStochastic =
    std::string(TRADESIM_SOURCE_DIR) + "/scenarios/examples/policies/export-control.yaml";

run::RunJob job_of(const std::string& scenario, const fs::path& out) {
    run::RunJob job;
    job.scenario.file = scenario;
    job.output.folder = out;
    job.command_line = {"tradesim", "run"};
    return job;
}

}  // namespace

TEST_CASE("a single run writes its whole folder and reports each tick", "[run]") {
    test::TempDir tmp("single");
    const fs::path out = tmp.path() / "out";
    int last_done = 0, total = 0;
    run::Feedback feedback;
    feedback.progress = [&](int done, int of) {
        last_done = done;
        total = of;
    };
    const auto o = run::run_scenario(job_of(kExample, out), feedback);
    CHECK(o.kind == run::RunOutcome::Kind::single);
    CHECK(o.exit_code == 0);
    CHECK(o.output == out);
    CHECK(o.scenario.name == "two-suppliers");
    CHECK(total == o.scenario.time.ticks);
    CHECK(last_done == total);
    CHECK_FALSE(o.headlines.empty());
    for (const char* f : {"flows.csv", "summary.csv", "manifest.json", "scenario.resolved.yaml"})
        CHECK(fs::exists(out / f));
    CHECK(test::read_file(out / "manifest.json").find("\"status\": \"complete\"") !=
          std::string::npos);
}

TEST_CASE("a run refuses an existing folder before writing anything", "[run]") {
    test::TempDir tmp("refuse");
    const fs::path out = tmp.path() / "out";
    fs::create_directories(out);
    std::ofstream(out / "mine.txt") << "keep";
    CHECK_THROWS_AS(run::run_scenario(job_of(kExample, out), run::Feedback{}), InputError);
    CHECK(test::read_file(out / "mine.txt") == "keep");
    CHECK_FALSE(fs::exists(out / "flows.csv"));
}

TEST_CASE("an ensemble gives the same files on 1 and 2 threads, and through shards and reduce",
          "[run]") {
    test::TempDir tmp("ensemble");
    auto job = job_of(kStochastic, tmp.path() / "one");
    job.ensemble.runs = 3;
    const auto one = run::run_scenario(job, run::Feedback{});
    CHECK(one.kind == run::RunOutcome::Kind::ensemble);
    CHECK(one.runs == 3);
    CHECK_FALSE(one.headlines.empty());

    job.output.folder = tmp.path() / "two";
    job.ensemble.threads = 2;
    run::run_scenario(job, run::Feedback{});
    for (const char* f : {"flows.csv", "summary.csv"})
        CHECK(test::read_file(tmp.path() / "one" / f) == test::read_file(tmp.path() / "two" / f));

    job.output.folder = tmp.path() / "sharded";
    job.ensemble.threads = 1;
    run::ReduceJob reduce{tmp.path() / "sharded", false, {"tradesim", "reduce"}};
    job.ensemble.shard = run::Shard{0, 2};
    const auto shard = run::run_scenario(job, run::Feedback{});
    REQUIRE(shard.kind == run::RunOutcome::Kind::shard);
    CHECK(shard.shard->computed == 2);
    CHECK_THROWS_AS(run::reduce_parts(reduce), RunError);  // run 1 is missing
    CHECK_FALSE(fs::exists(tmp.path() / "sharded" / "flows.csv"));
    job.ensemble.shard = run::Shard{1, 2};
    run::run_scenario(job, run::Feedback{});
    const auto reduced = run::reduce_parts(reduce);
    CHECK(reduced.results.plan.tasks() == 3);
    CHECK_FALSE(fs::exists(tmp.path() / "sharded" / io::kPartsDir));
    for (const char* f : {"flows.csv", "summary.csv"})
        CHECK(test::read_file(tmp.path() / "one" / f) ==
              test::read_file(tmp.path() / "sharded" / f));
}

TEST_CASE("a sweep validates every variant first and returns the means per variant", "[run]") {
    test::TempDir tmp("sweep");
    run::SweepJob job;
    job.scenario.file = kStochastic;
    job.output.folder = tmp.path() / "sweep";
    job.ensemble.runs = 2;
    job.parameters.push_back(analysis::parse_sweep_parameter("routes.SGP.detection=0.05,0.2"));
    job.design = analysis::parse_design("grid");
    const auto o = run::run_sweep(job, run::Feedback{});
    REQUIRE(o.kind == run::SweepOutcome::Kind::merged);
    CHECK(o.results.variant_means.size() == 2);
    CHECK(fs::exists(tmp.path() / "sweep" / io::kRunsCsv));

    job.output.folder = tmp.path() / "bad";
    job.parameters = {analysis::parse_sweep_parameter("routes.SGP.detection=0.1,1.5")};
    CHECK_THROWS_AS(run::run_sweep(job, run::Feedback{}), InputError);
    CHECK_FALSE(fs::exists(tmp.path() / "bad"));
}
