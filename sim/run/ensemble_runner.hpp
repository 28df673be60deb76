#pragma once
// Runs the tasks of an ensemble job (io::EnsemblePlan) on worker threads, MPI ranks and
// shards, and merges their parts in task order.
//
//  - Threads: each of T workers takes the next task this process owns, simulates it into a
//    part folder and publishes it; the main thread merges parts in task order as soon as they
//    are complete and deletes them, so at most a small window of parts waits on disk and
//    memory does not grow with the number of runs.
//  - MPI (K ranks, no shard): task t belongs to rank t mod K (static assignment). Ranks other
//    than 0 send each finished part to rank 0, in task order; rank 0 merges all parts in task
//    order, so the output is byte-identical to one process.
//  - Shards (--shard i/n): the shard owns the tasks t with t mod n = i (under MPI, spread again
//    over the ranks) and leaves each part in DIR/parts; tasks whose part is already there are
//    skipped (resume). `tradesim reduce DIR` merges them later.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "io/ensemble_parts.hpp"
#include "io/ensemble_plan.hpp"
#include "run/job_settings.hpp"
#include "run/mpi_session.hpp"

namespace ts::run {

/// Worker threads to use: `requested`, or the hardware's count for 0.
int resolve_threads(int requested);

struct EnsembleRun {
    const io::EnsemblePlan* plan = nullptr;
    /// Simulates task `task` and writes its part into `part_dir`. Called from worker threads.
    std::function<void(std::size_t task, const std::filesystem::path& part_dir)> compute;
    int threads = 1;
    /// Runs merged (or, for a shard, computed) so far; called on rank 0 only.
    std::function<void(int done, int total)> progress = [](int, int) {};
    std::optional<Shard> shard;
    /// Where parts are written: DIR/parts for shards; a hidden folder of the staging folder on
    /// rank 0 otherwise. Ranks > 0 use a private temporary folder when this is empty.
    std::filesystem::path parts_root;
    /// Rank 0 without shard: receives every part in task order.
    io::EnsembleAssembler* assembler = nullptr;
};

struct EnsembleOutcome {
    std::size_t computed = 0;  // tasks simulated by this process
    std::size_t skipped = 0;   // tasks whose part was already complete (shards)
    std::size_t owned = 0;     // tasks this process is responsible for
};

EnsembleOutcome run_ensemble(const EnsembleRun& job, MpiSession& mpi);

/// Runs `prepare` on every rank and agrees on the outcome: returns 0 when all succeeded. One
/// process alone rethrows its failure. Under MPI one rank reports the failure (mpi.say) (rank 0, or
/// a rank whose failure rank 0 did not share), then all ranks meet at a barrier — so that no rank
/// exits, and has mpirun kill the rest, before the message is out — and each returns its exit
/// code (the worst one when only other ranks failed).
int prepare_on_all_ranks(MpiSession& mpi, const std::function<void()>& prepare);

}  // namespace ts::run
