#pragma once
// Settings shared by the jobs of the run layer: where the outputs go and how the runs of an
// ensemble are spread. Plain data; the cli fills them from its option groups.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "io/output_estimate.hpp"
#include "io/run_writer.hpp"
#include "io/scenario_reader.hpp"

namespace ts::run {

/// The scenario file and what changes it before it is validated (--set, --seed).
struct ScenarioSettings {
    std::string file;
    io::LoadOptions load;
    std::vector<std::string> uncertain;  // --uncertain PATH=DIST:ARGS, in order
};

struct OutputSettings {
    std::optional<std::filesystem::path> folder;     // default: out/<scenario name>[-sweep]
    bool force = false;                              // replace an existing folder
    double max_output = io::kDefaultMaxOutputBytes;  // bytes; +inf: no limit
    io::RunWriterOptions::Detail detail = io::RunWriterOptions::Detail::buyer;  // flows.csv
};

/// Shard i of n: the tasks t with t mod n = i, written into DIR/parts for `reduce`.
struct Shard {
    int index = 0;
    int count = 1;
};

struct EnsembleSettings {
    int runs = 1;
    int threads = 1;  // 0: one per core
    std::optional<Shard> shard;
};

/// Counts of a shard's work, summed over its MPI ranks.
struct ShardOutcome {
    Shard shard;
    std::size_t computed = 0;  // runs simulated now
    std::size_t skipped = 0;   // runs whose part was already complete (resume)
};

}  // namespace ts::run
