#include "run/shard_folder.hpp"

#include <system_error>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "io/ensemble_parts.hpp"
#include "io/manifest.hpp"
#include "io/output_dir.hpp"

namespace fs = std::filesystem;

namespace ts::run {

void prepare_shard_folder(const std::string& command, const fs::path& out, bool force,
                          const std::string& plan_text, const std::string& resolved_yaml) {
    if (force)
        throw InputError(fmt::format(
            "tradesim {}: --force cannot be combined with --shard: the shards of a job share "
            "the output folder; remove '{}' yourself to start over",
            command, out.string()));
    io::OutputDir::check_available(out, true);  // a usable folder name; existing is fine here
    const fs::path parts = out / io::kPartsDir;
    const fs::path plan = parts / io::kPlanYaml;
    std::error_code ec;
    if (fs::exists(out, ec)) {
        if (fs::exists(plan, ec)) {
            if (read_text(plan) != plan_text)
                throw InputError(fmt::format(
                    "output folder '{}' holds parts of another job (its {}/{} differs: another "
                    "scenario, --set, "
                    "--seed, --runs, --param or --design); choose another folder with -o",
                    out.string(), io::kPartsDir, io::kPlanYaml));
        } else if (!fs::is_empty(out, ec)) {
            throw InputError(fmt::format(
                "output folder '{}' already exists and holds no parts of this job; choose "
                "another folder with -o",
                out.string()));
        }
    }
    fs::create_directories(parts, ec);
    if (ec)
        throw RunError(fmt::format("cannot create folder '{}': {}", parts.string(), ec.message()));
    if (!fs::exists(plan, ec)) io::write_file_shared(plan, plan_text);
    if (read_text(plan) != plan_text)  // another job's shard raced us to an empty folder
        throw InputError(fmt::format(
            "output folder '{}' holds parts of another job; choose another folder with -o",
            out.string()));
    if (!fs::exists(out / io::kResolvedScenarioYaml, ec))
        io::write_file_shared(out / io::kResolvedScenarioYaml, resolved_yaml);
}

void mark_shard_interrupted(Interrupted& e, const io::EnsemblePlan& plan, int threads,
                            const JobClock& clock, const std::vector<std::string>& command_line,
                            const fs::path& out) {
    std::size_t complete = 0;
    for (std::size_t t = 0; t < plan.tasks(); ++t)
        if (io::part_complete(out / io::kPartsDir, plan.part_name(t))) ++complete;
    auto m = ensemble_manifest(plan, threads, clock, command_line);
    m.status = "interrupted";
    try {
        io::write_file_shared(out / io::kManifestJson, io::manifest_json(m));
    } catch (const RunError& w) {
        spdlog::warn("{}", w.what());
    }
    e.set_detail(
        fmt::format("{} of {} run(s) complete in {} are kept; run the same command again to resume",
                    complete, plan.tasks(), (out / io::kPartsDir).string()));
}

void clear_interrupted_manifest(const fs::path& out) {
    const fs::path path = out / io::kManifestJson;
    std::error_code ec;
    if (!fs::exists(path, ec)) return;
    if (read_text(path).find("\"status\": \"interrupted\"") != std::string::npos)
        fs::remove(path, ec);
}

}  // namespace ts::run
