// The worker pool and rank agreement of run::run_ensemble, in one process (no MPI launcher).
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "io/ensemble_parts.hpp"
#include "io/ensemble_plan.hpp"
#include "run/ensemble_runner.hpp"
#include "run/mpi_session.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace ts;

namespace {

io::EnsemblePlan plan_of(int runs) {
    io::EnsemblePlan plan;
    plan.kind = io::EnsemblePlan::Kind::run;
    plan.scenario_name = "toy";
    plan.runs = runs;
    return plan;
}

/// A compute function that records which tasks ran and leaves a marker in each part.
struct Recording {
    std::mutex mu;
    std::multiset<std::size_t> tasks;
    void operator()(std::size_t task, const fs::path& part) {
        std::ofstream(part / "marker") << task;
        std::lock_guard lock(mu);
        tasks.insert(task);
    }
};

}  // namespace

TEST_CASE("a shard computes the tasks t mod n = i into DIR/parts and skips them on a rerun",
          "[run]") {
    test::TempDir tmp("shard");
    const auto plan = plan_of(7);
    Recording rec;
    run::MpiSession mpi([](const std::string&) {});
    run::EnsembleRun job;
    job.plan = &plan;
    job.compute = [&](std::size_t t, const fs::path& p) { rec(t, p); };
    job.threads = 2;
    job.shard = run::Shard{1, 3};
    job.parts_root = tmp.path() / "parts";

    const auto first = run::run_ensemble(job, mpi);
    CHECK(first.owned == 2);
    CHECK(first.computed == 2);
    CHECK(first.skipped == 0);
    CHECK(rec.tasks == std::multiset<std::size_t>{1, 4});
    for (std::size_t t = 0; t < plan.tasks(); ++t)
        CHECK(io::part_complete(job.parts_root, plan.part_name(t)) == (t % 3 == 1));
    CHECK(test::read_file(job.parts_root / plan.part_name(4) / "marker") == "4");

    const auto again = run::run_ensemble(job, mpi);
    CHECK(again.computed == 0);
    CHECK(again.skipped == 2);
    CHECK(rec.tasks.size() == 2);  // nothing recomputed
}

TEST_CASE("a failing task stops the ensemble with its error and leaves no part of it", "[run]") {
    test::TempDir tmp("fail");
    const auto plan = plan_of(4);
    run::MpiSession mpi([](const std::string&) {});
    run::EnsembleRun job;
    job.plan = &plan;
    job.compute = [](std::size_t t, const fs::path&) {
        if (t == 2) throw RunError("task 2 failed");
    };
    job.shard = run::Shard{0, 1};
    job.parts_root = tmp.path() / "parts";
    CHECK_THROWS_WITH(run::run_ensemble(job, mpi), "task 2 failed");
    CHECK_FALSE(io::part_complete(job.parts_root, plan.part_name(2)));
}

TEST_CASE("preparing in one process rethrows its failure and reports nothing", "[run]") {
    std::vector<std::string> said;
    run::MpiSession mpi([&](const std::string& line) { said.push_back(line); });
    REQUIRE(mpi.size() == 1);
    CHECK(run::prepare_on_all_ranks(mpi, [] {}) == 0);
    CHECK_THROWS_AS(run::prepare_on_all_ranks(mpi, [] { throw InputError("bad scenario"); }),
                    InputError);
    CHECK_THROWS_AS(run::prepare_on_all_ranks(mpi, [] { throw std::runtime_error("disk"); }),
                    std::runtime_error);
    CHECK(said.empty());
}

TEST_CASE("thread counts: 0 means one per core", "[run]") {
    CHECK(run::resolve_threads(3) == 3);
    CHECK(run::resolve_threads(0) >= 1);
}
