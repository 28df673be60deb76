#pragma once
// The output folder of a sharded job (--shard I/N): shared by every shard, it holds the plan
// and the complete parts in DIR/parts until `reduce` merges them.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "io/ensemble_plan.hpp"
#include "run/interrupt.hpp"
#include "run/job_support.hpp"

namespace ts::run {

/// Rank 0 of a shard: DIR may be new, empty, or hold parts of the same job (same plan: resume);
/// anything else is refused before any work. Writes the plan and the resolved scenario.
void prepare_shard_folder(const std::string& command, const std::filesystem::path& out, bool force,
                          const std::string& plan_text, const std::string& resolved_yaml);

/// After SIGINT/SIGTERM in a shard: the complete parts stay in DIR/parts (a rerun of the same
/// command skips them) and DIR/manifest.json says "interrupted" until `reduce` replaces it.
void mark_shard_interrupted(Interrupted& e, const io::EnsemblePlan& plan, int threads,
                            const JobClock& clock, const std::vector<std::string>& command_line,
                            const std::filesystem::path& out);

/// A shard that completes its share removes the "interrupted" manifest of an earlier attempt.
void clear_interrupted_manifest(const std::filesystem::path& out);

}  // namespace ts::run
