#pragma once
// MPI for ensembles and sweeps (plain C API, OpenMPI from Debian). A process joins MPI only
// when tradesim was built with TRADESIM_MPI and an MPI launcher started it (mpirun, mpiexec or
// srun set OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK); otherwise it is rank 0 of 1 and
// nothing here touches MPI, so a plain `tradesim run` never pays for MPI start-up.
// TRADESIM_NO_MPI=1 in the environment keeps a launched process out of MPI too.
//
// All MPI calls come from the thread that created the session (MPI_THREAD_FUNNELED); worker
// threads only simulate.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "run/feedback.hpp"

namespace ts::run {

class MpiSession {
  public:
    /// `message` shows a line to the user at once (a stop that another rank sent).
    explicit MpiSession(MessageSink message);
    ~MpiSession();  // MPI_Finalize
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;

    /// Built with MPI support.
    static bool compiled();
    bool active() const { return active_; }
    int rank() const { return rank_; }
    int size() const { return size_; }

    /// Maximum of `value` over the ranks (a collective; every rank must call it).
    int max(int value);
    /// Sum of `value` over the ranks (a collective).
    long long sum(long long value);
    /// Element-wise sum of `values` over the ranks, in place (a collective; every rank passes
    /// the same length). Interruptible like every wait for MPI. `calibrate` shares results this
    /// way: each rank fills its own tasks and leaves the others 0, and x + 0 is exact.
    void sum(std::vector<double>& values);
    /// Rank 0's `value` on every rank (a collective).
    int from_root(int value);
    void barrier();
    /// Takes a stop message from a rank that was interrupted, if one arrived: this rank then
    /// raises the same signal on itself (see the .cpp). Every wait for MPI does it; call it
    /// where a rank waits for other things (its own worker threads).
    void poll();
    /// Ends every rank of the job with `code` (after a failure on one rank; never returns).
    [[noreturn]] void abort(int code);
    /// Shows `line` to the user at once (through the sink given to the constructor).
    void say(const std::string& line) const { message_(line); }

    /// Sends the files of a part folder (task `task`) to rank `dest`; recv_part() writes them
    /// into `dir`. Messages between two ranks arrive in the order they were sent.
    void send_part(int dest, std::size_t task, const std::filesystem::path& dir);
    void recv_part(int source, std::size_t task, const std::filesystem::path& dir);

  private:
    /// Operations left unfinished by SIGINT/SIGTERM (see the .cpp).
    struct Abandoned;
    MessageSink message_;
    std::unique_ptr<Abandoned> abandoned_;
    bool active_ = false;
    int rank_ = 0;
    int size_ = 1;
};

}  // namespace ts::run
