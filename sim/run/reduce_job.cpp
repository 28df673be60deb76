// `tradesim reduce`: merges the parts that the shards of a job left in DIR/parts.
#include <algorithm>
#include <system_error>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "io/ensemble_parts.hpp"
#include "io/ensemble_plan.hpp"
#include "io/manifest.hpp"
#include "run/interrupt.hpp"
#include "run/job_support.hpp"
#include "run/sweep_job.hpp"

namespace fs = std::filesystem;

namespace ts::run {

namespace {

/// The job's plan, read from DIR/parts; an input error when DIR holds no parts.
io::EnsemblePlan read_job_plan(const fs::path& out) {
    const fs::path plan_path = out / io::kPartsDir / io::kPlanYaml;
    std::error_code ec;
    if (!fs::is_directory(out, ec))
        throw InputError(fmt::format("tradesim reduce: '{}' is not a folder", out.string()));
    if (!fs::exists(plan_path, ec))
        throw InputError(fmt::format(
            "tradesim reduce: '{}' holds no parts to merge (no {}); shards write them with "
            "'tradesim run|sweep ... --shard I/N -o {}'",
            out.string(), (fs::path(io::kPartsDir) / io::kPlanYaml).string(), out.string()));
    return io::read_plan(plan_path);
}

/// Refuses, before writing anything, when a task has no complete part.
void check_parts_complete(const io::EnsemblePlan& plan, const fs::path& out) {
    const fs::path parts = out / io::kPartsDir;
    std::vector<std::size_t> missing;
    for (std::size_t t = 0; t < plan.tasks(); ++t)
        if (!io::part_complete(parts, plan.part_name(t))) missing.push_back(t);
    if (missing.empty()) return;
    std::string list;
    for (std::size_t i = 0; i < std::min<std::size_t>(missing.size(), 5); ++i)
        list += (i ? ", " : "") + plan.part_name(missing[i]);
    if (missing.size() > 5) list += ", ...";
    throw RunError(fmt::format(
        "'{}': {} of {} runs have no complete part ({}); run the shards that own them "
        "again (task t belongs to shard t mod N; completed runs are skipped), then reduce",
        out.string(), missing.size(), plan.tasks(), list));
}

}  // namespace

ReduceOutcome reduce_parts(const ReduceJob& job) {
    const fs::path& out = job.folder;
    const fs::path parts = out / io::kPartsDir;
    const JobClock clock;
    ReduceOutcome outcome;
    outcome.results.plan = read_job_plan(out);
    const io::EnsemblePlan& plan = outcome.results.plan;
    check_parts_complete(plan, out);
    {
        io::EnsembleAssembler assembler(plan, out);
        try {
            for (std::size_t t = 0; t < plan.tasks(); ++t) {
                assembler.add(t, parts / plan.part_name(t));
                throw_if_interrupted();
            }
        } catch (Interrupted& e) {
            e.set_detail(
                fmt::format("nothing merged; the parts in {} are kept, run 'tradesim "
                            "reduce {}' again",
                            parts.string(), out.string()));
            throw;
        }
        assembler.finish();
        const auto m = ensemble_manifest(plan, 1, clock, job.command_line);
        io::write_text_file(out / io::kManifestJson, io::manifest_json(m));
        write_datapackage_of(plan, out);
        outcome.wall_seconds = m.wall_seconds;
        outcome.results.variant_means = assembler.variant_means();
        outcome.results.morris = assembler.morris();
        outcome.results.sobol = assembler.sobol();
    }
    if (!job.keep_parts) {
        std::error_code ec;
        fs::remove_all(parts, ec);
        if (ec) spdlog::warn("could not remove '{}': {}", parts.string(), ec.message());
    }
    return outcome;
}

}  // namespace ts::run
