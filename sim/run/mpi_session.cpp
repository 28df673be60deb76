#include "run/mpi_session.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "run/interrupt.hpp"

#ifdef TRADESIM_HAVE_MPI
#include <mpi.h>
#endif

namespace fs = std::filesystem;

namespace ts::run {

namespace {

bool launched_by_mpi() {
    if (const char* off = std::getenv("TRADESIM_NO_MPI"); off && *off && std::strcmp(off, "0") != 0)
        return false;
    for (const char* var :
         {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK", "MPI_LOCALNRANKS"})
        if (std::getenv(var) != nullptr) return true;
    return false;
}

#ifdef TRADESIM_HAVE_MPI
constexpr int kTagHeader = 101;
constexpr int kTagData = 102;
constexpr int kTagStop = 103;
/// Bytes per message at most: 64 MiB; TRADESIM_MPI_CHUNK_BYTES overrides it (tests use a small
/// value to exercise parts that take several messages).
std::size_t chunk_bytes() {
    static const std::size_t bytes = [] {
        if (const char* v = std::getenv("TRADESIM_MPI_CHUNK_BYTES"))
            if (const auto n = std::strtoull(v, nullptr, 10); n >= 64)
                return static_cast<std::size_t>(n);
        return std::size_t{1} << 26;
    }();
    return bytes;
}

void check(int rc, const char* what) {
    if (rc != MPI_SUCCESS) throw RunError(fmt::format("MPI: {} failed (code {})", what, rc));
}

/// A rank that was interrupted tells every other rank (a kTagStop message holding the signal
/// number), so that a signal to one rank alone (a batch system's or a user's `kill`) stops the
/// whole job at once: a rank that receives it raises the same signal on itself and cleans up as
/// if it had been signalled. Checked wherever a rank waits.
void poll_stop_messages(const MessageSink& message) {
    int flag = 0;
    MPI_Status status;
    if (MPI_Iprobe(MPI_ANY_SOURCE, kTagStop, MPI_COMM_WORLD, &flag, &status) != MPI_SUCCESS ||
        !flag)
        return;
    int sig = 0;
    if (MPI_Recv(&sig, 1, MPI_INT, status.MPI_SOURCE, kTagStop, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE) != MPI_SUCCESS)
        return;
    if (pending_signal() != 0 || (sig != SIGINT && sig != SIGTERM)) return;
    message(fmt::format("tradesim: MPI rank {} was interrupted by {}; stopping this rank too",
                        status.MPI_SOURCE, Interrupted(sig).signal_name()));
    std::raise(sig);  // the handler records it; the next safe point throws Interrupted
}

/// Sends kTagStop to every other rank (eager, fire and forget: the requests are freed at once
/// and complete on their own; the value is static so it outlives them).
void send_stop_messages(int rank, int size) {
    static int sig = 0;
    sig = pending_signal();
    for (int other = 0; other < size; ++other) {
        if (other == rank) continue;
        MPI_Request request;
        if (MPI_Isend(&sig, 1, MPI_INT, other, kTagStop, MPI_COMM_WORLD, &request) == MPI_SUCCESS)
            MPI_Request_free(&request);
    }
}

/// Waits by polling with short sleeps. Blocking MPI calls spin at full speed in OpenMPI, which
/// would take a core from the worker threads of the same rank (measured: 2 ranks on 2 cores
/// were no faster than 1 with blocking sends and receives).
class Backoff {
  public:
    explicit Backoff(const MessageSink& message) : message_(message) {}
    void pause() {
        poll_stop_messages(message_);
        throw_if_interrupted();  // mpirun forwards SIGINT/SIGTERM to every rank
        std::this_thread::sleep_for(std::chrono::microseconds(us_));
        us_ = std::min(us_ * 2, 1000);
    }

  private:
    const MessageSink& message_;
    int us_ = 20;
};

void wait_for(MPI_Request& request, const char* what, const MessageSink& message) {
    Backoff backoff(message);
    for (int done = 0;;) {
        check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), what);
        if (done) return;
        backoff.pause();
    }
}

void send_bytes(const char* data, std::size_t n, int dest, int tag, const MessageSink& message) {
    MPI_Request request;
    check(MPI_Isend(data, static_cast<int>(n), MPI_CHAR, dest, tag, MPI_COMM_WORLD, &request),
          "MPI_Isend");
    wait_for(request, "MPI_Isend", message);
}

void recv_bytes(char* data, std::size_t n, int source, int tag, const MessageSink& message) {
    MPI_Request request;
    check(MPI_Irecv(data, static_cast<int>(n), MPI_CHAR, source, tag, MPI_COMM_WORLD, &request),
          "MPI_Irecv");
    wait_for(request, "MPI_Irecv", message);
}
#endif

}  // namespace

/// SIGINT/SIGTERM make wait_for() throw while a nonblocking send or receive may still be in
/// flight: the peer may already have matched it and be moving its bytes. MPI goes on working
/// on such an operation whenever this rank calls into MPI again (the final barrier in the
/// destructor), so its buffer must stay valid until the process exits: freeing it made the
/// sending rank crash in that barrier and mpirun then SIGKILL rank 0 in the middle of removing
/// its staging folder. The buffers are kept here and never freed. A barrier the signal
/// interrupted is kept too: the destructor completes it rather than starting a second one
/// that the other ranks would never match.
struct MpiSession::Abandoned {
#ifdef TRADESIM_HAVE_MPI
    MPI_Request barrier = MPI_REQUEST_NULL;
#endif
    std::vector<std::unique_ptr<std::string>> buffers;
};

bool MpiSession::compiled() {
#ifdef TRADESIM_HAVE_MPI
    return true;
#else
    return false;
#endif
}

MpiSession::MpiSession(MessageSink message)
    : message_(std::move(message)), abandoned_(std::make_unique<Abandoned>()) {
#ifdef TRADESIM_HAVE_MPI
    if (!launched_by_mpi()) return;
    int provided = 0;
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    active_ = true;
    set_second_signal_exits(false);  // see interrupt.hpp
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
#else
    if (launched_by_mpi())
        spdlog::warn(
            "tradesim was built without MPI (TRADESIM_MPI=OFF): under mpirun every process runs "
            "the whole job");
#endif
}

MpiSession::~MpiSession() {
#ifdef TRADESIM_HAVE_MPI
    if (!active_) return;
    if (pending_signal() == 0) {
        // Ranks that finish early wait here sleeping, not spinning in MPI_Finalize, while rank 0
        // still merges and writes.
        try {
            barrier();
        } catch (...) {
        }
        if (pending_signal() == 0) {
            MPI_Finalize();
            return;
        }
    }
    // Interrupted: mpirun SIGKILLs the other ranks as soon as one rank exits, so a rank must not
    // leave before rank 0 has removed its staging folder. Every rank has cleaned up when it gets
    // here: tell the others (if they were not signalled too), meet in a barrier, but wait at
    // most a few seconds (a rank may be gone or stuck in another collective), and leave
    // without MPI_Finalize, which could hang.
    if (size_ > 1) {
        send_stop_messages(rank_, size_);
        MPI_Request request = abandoned_->barrier;
        if (request != MPI_REQUEST_NULL || MPI_Ibarrier(MPI_COMM_WORLD, &request) == MPI_SUCCESS) {
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
            for (int done = 0; !done && std::chrono::steady_clock::now() < deadline;) {
                if (MPI_Test(&request, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS) break;
                if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        }
    }
    // Unfinished operations may still use their buffers (see Abandoned): keep them reachable,
    // never freed, until the process exits.
    [[maybe_unused]] static Abandoned* kept = nullptr;
    kept = abandoned_.release();
#endif
}

void MpiSession::poll() {
#ifdef TRADESIM_HAVE_MPI
    if (active_ && size_ > 1) poll_stop_messages(message_);
#endif
}

int MpiSession::max(int value) {
#ifdef TRADESIM_HAVE_MPI
    if (active_ && size_ > 1) {
        int out = 0;
        check(MPI_Allreduce(&value, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD), "MPI_Allreduce");
        return out;
    }
#endif
    return value;
}

long long MpiSession::sum(long long value) {
#ifdef TRADESIM_HAVE_MPI
    if (active_ && size_ > 1) {
        long long out = 0;
        check(MPI_Allreduce(&value, &out, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD),
              "MPI_Allreduce");
        return out;
    }
#endif
    return value;
}

void MpiSession::sum(std::vector<double>& values) {
#ifdef TRADESIM_HAVE_MPI
    if (active_ && size_ > 1 && !values.empty()) {
        // Heap buffers, kept for the process's lifetime if a signal ends the wait (see
        // Abandoned).
        const std::size_t bytes = values.size() * sizeof(double);
        auto input =
            std::make_unique<std::string>(reinterpret_cast<const char*>(values.data()), bytes);
        auto output = std::make_unique<std::string>(bytes, '\0');
        MPI_Request request;
        check(MPI_Iallreduce(input->data(), output->data(), static_cast<int>(values.size()),
                             MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD, &request),
              "MPI_Iallreduce");
        try {
            wait_for(request, "MPI_Iallreduce", message_);
        } catch (const Interrupted&) {
            abandoned_->buffers.push_back(std::move(input));
            abandoned_->buffers.push_back(std::move(output));
            throw;
        }
        std::memcpy(values.data(), output->data(), bytes);
    }
#else
    (void)values;
#endif
}

int MpiSession::from_root(int value) {
#ifdef TRADESIM_HAVE_MPI
    if (active_ && size_ > 1) check(MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Bcast");
#endif
    return value;
}

void MpiSession::barrier() {
#ifdef TRADESIM_HAVE_MPI
    if (active_ && size_ > 1) {
        MPI_Request request;
        check(MPI_Ibarrier(MPI_COMM_WORLD, &request), "MPI_Ibarrier");
        try {
            wait_for(request, "MPI_Ibarrier", message_);
        } catch (const Interrupted&) {
            abandoned_->barrier = request;  // the destructor completes it
            throw;
        }
    }
#endif
}

void MpiSession::abort(int code) {
#ifdef TRADESIM_HAVE_MPI
    if (active_) MPI_Abort(MPI_COMM_WORLD, code);
#endif
    std::_Exit(code);
}

void MpiSession::send_part([[maybe_unused]] int dest, [[maybe_unused]] std::size_t task,
                           [[maybe_unused]] const fs::path& dir) {
#ifdef TRADESIM_HAVE_MPI
    // One payload: "task\n", "name\tsize\n" per file (names sorted), "\n", then the files'
    // bytes in that order; sent in as few messages as possible (each message costs a
    // rendezvous), the first with kTagHeader, the rest with kTagData.
    std::vector<std::pair<std::string, std::uintmax_t>> files;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_regular_file())
            files.emplace_back(entry.path().filename().string(), entry.file_size());
    std::sort(files.begin(), files.end());
    auto owned = std::make_unique<std::string>(fmt::format("{}\n", task));
    std::string& payload = *owned;
    for (const auto& [name, size] : files) payload += fmt::format("{}\t{}\n", name, size);
    payload += '\n';
    for (const auto& [name, size] : files) {
        std::ifstream in(dir / name, std::ios::binary);
        const std::size_t at = payload.size();
        payload.resize(at + static_cast<std::size_t>(size));
        in.read(payload.data() + at, static_cast<std::streamsize>(size));
        if (!in || static_cast<std::uintmax_t>(in.gcount()) != size)
            throw RunError(fmt::format("cannot read '{}'", (dir / name).string()));
    }
    try {
        for (std::size_t at = 0; at < payload.size(); at += chunk_bytes())
            send_bytes(payload.data() + at, std::min(chunk_bytes(), payload.size() - at), dest,
                       at == 0 ? kTagHeader : kTagData, message_);
    } catch (const Interrupted&) {
        abandoned_->buffers.push_back(std::move(owned));  // the send may still read it
        throw;
    }
#else
    throw RunError("MPI: not built with MPI support");
#endif
}

void MpiSession::recv_part([[maybe_unused]] int source, [[maybe_unused]] std::size_t task,
                           [[maybe_unused]] const fs::path& dir) {
#ifdef TRADESIM_HAVE_MPI
    MPI_Status status;
    Backoff backoff(message_);
    for (int flag = 0;;) {
        check(MPI_Iprobe(source, kTagHeader, MPI_COMM_WORLD, &flag, &status), "MPI_Iprobe");
        if (flag) break;
        backoff.pause();
    }
    int count = 0;
    MPI_Get_count(&status, MPI_CHAR, &count);
    auto owned = std::make_unique<std::string>(static_cast<std::size_t>(count), '\0');
    std::string& payload = *owned;
    const auto receive = [&](std::size_t at, std::size_t n, int tag) {
        try {
            recv_bytes(payload.data() + at, n, source, tag, message_);
        } catch (const Interrupted&) {
            abandoned_->buffers.push_back(std::move(owned));  // the receive may still write it
            throw;
        }
    };
    receive(0, payload.size(), kTagHeader);
    const auto bad = [&](const std::string& why) {
        return RunError(fmt::format("MPI: bad part {} from rank {}: {}", task, source, why));
    };
    const std::size_t end = payload.find("\n\n");
    if (end == std::string::npos) throw bad("no header");
    std::size_t pos = payload.find('\n');
    if (payload.substr(0, pos) != std::to_string(task))
        throw bad("it is part " + payload.substr(0, pos));
    std::vector<std::pair<std::string, std::size_t>> files;
    std::size_t total = end + 2;
    for (std::size_t start = pos + 1; start < end + 1;) {
        const std::size_t stop = payload.find('\n', start);
        const std::string line = payload.substr(start, stop - start);
        start = stop + 1;
        const auto tab = line.find('\t');
        const std::string name = line.substr(0, tab);
        if (tab == std::string::npos || name.empty() || name.find('/') != std::string::npos ||
            name[0] == '.')
            throw bad("header line '" + line + "'");
        files.emplace_back(name, static_cast<std::size_t>(std::stoull(line.substr(tab + 1))));
        total += files.back().second;
    }
    if (payload.size() > total) throw bad("too many bytes");
    // The rest of a large payload follows in data messages.
    const std::size_t first = payload.size();
    payload.resize(total);
    for (std::size_t at = first; at < total; at += chunk_bytes())
        receive(at, std::min(chunk_bytes(), total - at), kTagData);
    std::size_t at = end + 2;
    for (const auto& [name, size] : files) {
        std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
        out.write(payload.data() + at, static_cast<std::streamsize>(size));
        out.close();
        if (!out) throw RunError(fmt::format("cannot write '{}'", (dir / name).string()));
        at += size;
    }
#else
    throw RunError("MPI: not built with MPI support");
#endif
}

}  // namespace ts::run
