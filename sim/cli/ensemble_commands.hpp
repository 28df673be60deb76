#pragma once
// Ensemble commands: `run --runs N` (and `run` under mpirun or with --shard), `sweep` and
// `reduce` (PRODUCT.md, "Command line"; README "Ensembles, sweeps and clusters").
#include <filesystem>
#include <optional>
#include <string>

#include "cli/commands.hpp"
#include "cli/ensemble_runner.hpp"
#include "cli/mpi_session.hpp"
#include "io/output_estimate.hpp"
#include "io/run_writer.hpp"
#include "io/scenario_reader.hpp"

namespace ts::cli {

/// What `tradesim run` was asked for.
struct RunRequest {
    std::string scenario;
    io::LoadOptions load;
    std::optional<std::filesystem::path> output;
    bool force = false;
    bool quiet = false;
    io::RunWriterOptions::Detail detail = io::RunWriterOptions::Detail::buyer;
    int runs = 1;
    int threads = 1;
    std::optional<Shard> shard;
    double max_output = io::kDefaultMaxOutputBytes;  // --max-output, bytes (+inf: none)
};

/// `run` through the ensemble machinery: several runs, MPI ranks or a shard.
int run_ensemble_command(const RunRequest& request, MpiSession& mpi, const Invocation& inv);
int sweep_command(const Invocation& inv);
int reduce_command(const Invocation& inv);

}  // namespace ts::cli
