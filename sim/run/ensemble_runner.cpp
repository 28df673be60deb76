#include "run/ensemble_runner.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "run/interrupt.hpp"

namespace fs = std::filesystem;

namespace ts::run {

namespace {

/// Worker threads computing a list of tasks into part folders. With a finite window, task
/// todo[i] does not start before the first i + 1 - window parts were consumed (bounded disk).
class WorkerPool {
  public:
    /// `merge`, if given, consumes each finished part on the worker threads, in task order
    /// (one worker at a time): a run of T threads then uses T cores, and no other thread
    /// competes with the workers for them.
    WorkerPool(const EnsembleRun& job, const fs::path& root, std::vector<std::size_t> todo,
               std::size_t window, std::function<void(std::size_t task)> merge = {})
        : job_(job),
          root_(root),
          todo_(std::move(todo)),
          done_(todo_.size(), 0),
          window_(window),
          merge_(std::move(merge)) {
        const auto n =
            std::min<std::size_t>(static_cast<std::size_t>(std::max(1, job.threads)), todo_.size());
        for (std::size_t i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
    }
    ~WorkerPool() { stop_and_join(); }
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    std::size_t size() const { return todo_.size(); }
    std::size_t task(std::size_t i) const { return todo_[i]; }

    /// Blocks until todo[i]'s part is complete; rethrows a worker's failure.
    void wait_done(std::size_t i) {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return done_[i] || error_; });
        if (error_) std::rethrow_exception(error_);
    }
    /// The first `n` parts were merged or sent: later tasks may start.
    void consumed(std::size_t n) {
        {
            std::lock_guard lock(mu_);
            consumed_ = n;
        }
        cv_.notify_all();
    }
    /// With a merge function: blocks until every part is merged, calling `tick(merged)`.
    void wait_merged(const std::function<void(std::size_t)>& tick) {
        std::unique_lock lock(mu_);
        std::size_t seen = 0;
        if (todo_.empty()) return;
        while (true) {
            cv_.wait(lock, [&] { return merged_ != seen || error_; });
            if (error_) std::rethrow_exception(error_);
            seen = merged_;
            lock.unlock();
            tick(seen);
            lock.lock();
            if (seen == todo_.size()) return;
        }
    }
    /// Blocks until every task is done, calling `tick(done)` as they complete.
    void wait_all(const std::function<void(std::size_t)>& tick) {
        std::unique_lock lock(mu_);
        std::size_t seen = 0;
        if (todo_.empty()) return;
        while (true) {
            cv_.wait(lock, [&] { return finished_ != seen || error_; });
            if (error_) std::rethrow_exception(error_);
            seen = finished_;
            lock.unlock();
            tick(seen);
            lock.lock();
            if (seen == todo_.size()) return;
        }
    }
    void stop_and_join() {
        {
            std::lock_guard lock(mu_);
            stop_ = true;
        }
        cv_.notify_all();
        for (auto& t : threads_)
            if (t.joinable()) t.join();
        threads_.clear();
    }

  private:
    void work() {
        while (true) {
            std::size_t i = 0;
            {
                std::unique_lock lock(mu_);
                cv_.wait(lock, [&] {
                    return stop_ || error_ || next_ >= todo_.size() || next_ < consumed_ + window_;
                });
                if (stop_ || error_ || next_ >= todo_.size()) return;
                i = next_++;
            }
            try {
                throw_if_interrupted();  // after SIGINT/SIGTERM no new run starts
                const std::size_t t = todo_[i];
                io::PartWriter part(root_, job_.plan->part_name(t));
                job_.compute(t, part.path());
                if (!part.commit())
                    spdlog::info("part {} was completed by another process",
                                 job_.plan->part_name(t));
            } catch (...) {
                {
                    std::lock_guard lock(mu_);
                    if (!error_) error_ = std::current_exception();
                }
                cv_.notify_all();
                return;
            }
            {
                std::lock_guard lock(mu_);
                done_[i] = 1;
                ++finished_;
            }
            cv_.notify_all();
            if (merge_ && !drain()) return;
        }
    }

    /// Merges the finished parts that are next in task order. Every worker calls it after
    /// finishing a part, so a part that is not next yet is merged by the worker of the part
    /// before it. False after a failure (recorded for the waiting thread).
    bool drain() {
        std::lock_guard merging(merge_mu_);
        try {
            while (true) {
                std::size_t k = 0;
                {
                    std::lock_guard lock(mu_);
                    if (error_) return false;
                    if (merged_ >= todo_.size() || !done_[merged_]) return true;
                    k = merged_;
                }
                merge_(todo_[k]);
                {
                    std::lock_guard lock(mu_);
                    merged_ = k + 1;
                    consumed_ = merged_;
                }
                cv_.notify_all();
            }
        } catch (...) {
            {
                std::lock_guard lock(mu_);
                if (!error_) error_ = std::current_exception();
            }
            cv_.notify_all();
            return false;
        }
    }

    const EnsembleRun& job_;
    fs::path root_;
    std::vector<std::size_t> todo_;
    std::vector<char> done_;
    std::size_t window_;
    std::function<void(std::size_t)> merge_;
    std::mutex merge_mu_;  // one merging worker at a time
    std::mutex mu_;
    std::condition_variable cv_;
    std::size_t next_ = 0, consumed_ = 0, finished_ = 0, merged_ = 0;
    bool stop_ = false;
    std::exception_ptr error_;
    std::vector<std::thread> threads_;
};

/// A private folder for the parts of a rank > 0, removed at the end.
class PrivateFolder {
  public:
    PrivateFolder() {
        std::error_code ec;
        fs::path base = fs::temp_directory_path(ec);
        if (ec) base = "/tmp";
        path_ = base / fmt::format("tradesim-parts-{}", io::process_tag());
        fs::remove_all(path_, ec);
        fs::create_directories(path_, ec);
        if (ec)
            throw RunError(
                fmt::format("cannot create folder '{}': {}", path_.string(), ec.message()));
    }
    ~PrivateFolder() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    PrivateFolder(const PrivateFolder&) = delete;
    PrivateFolder& operator=(const PrivateFolder&) = delete;
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

}  // namespace

int resolve_threads(int requested) {
    if (requested > 0) return requested;
    const unsigned hw = std::thread::hardware_concurrency();
    return hw > 0 ? static_cast<int>(hw) : 1;
}

namespace {

/// The tasks this process computes: static assignment by task index (t mod ranks, within the
/// shard's tasks t mod n = i when there is a shard).
std::vector<std::size_t> owned_tasks(const EnsembleRun& job, std::size_t ranks, std::size_t me) {
    std::vector<std::size_t> owned;
    const std::size_t tasks = job.plan->tasks();
    if (!job.shard) {
        for (std::size_t t = me; t < tasks; t += ranks) owned.push_back(t);
        return owned;
    }
    std::size_t position = 0;
    for (std::size_t t = 0; t < tasks; ++t) {
        if (t % static_cast<std::size_t>(job.shard->count) !=
            static_cast<std::size_t>(job.shard->index))
            continue;
        if (position++ % ranks == me) owned.push_back(t);
    }
    return owned;
}

/// Rank 0 under MPI: merges every part in task order, its own as its workers finish them and
/// the others' as they arrive.
void gather_on_root(const EnsembleRun& job, MpiSession& mpi, WorkerPool& pool,
                    const fs::path& root) {
    if (job.assembler == nullptr) throw RunError("ensemble: rank 0 has nothing to merge into");
    const io::EnsemblePlan& plan = *job.plan;
    const std::size_t tasks = plan.tasks();
    const auto ranks = static_cast<std::size_t>(mpi.size());
    std::size_t local = 0;
    std::error_code ec;
    for (std::size_t t = 0; t < tasks; ++t) {
        const std::string name = plan.part_name(t);
        const auto owner = t % ranks;
        if (owner == 0) {
            pool.wait_done(local);
        } else {
            io::PartWriter part(root, name);
            mpi.recv_part(static_cast<int>(owner), t, part.path());
            part.commit();
        }
        job.assembler->add(t, root / name);
        fs::remove_all(root / name, ec);
        mpi.poll();
        throw_if_interrupted();
        if (owner == 0) pool.consumed(++local);
        job.progress(static_cast<int>(t + 1), static_cast<int>(tasks));
    }
}

/// A rank other than 0 under MPI: sends each finished part to rank 0, in task order.
void send_to_root(const EnsembleRun& job, MpiSession& mpi, WorkerPool& pool, const fs::path& root) {
    std::error_code ec;
    for (std::size_t i = 0; i < pool.size(); ++i) {
        pool.wait_done(i);
        const fs::path part = root / job.plan->part_name(pool.task(i));
        mpi.send_part(0, pool.task(i), part);
        fs::remove_all(part, ec);
        mpi.poll();
        throw_if_interrupted();
        pool.consumed(i + 1);
    }
}

}  // namespace

EnsembleOutcome run_ensemble(const EnsembleRun& job, MpiSession& mpi) {
    const io::EnsemblePlan& plan = *job.plan;
    const auto ranks = static_cast<std::size_t>(mpi.size());
    const auto me = static_cast<std::size_t>(mpi.rank());
    const std::vector<std::size_t> owned = owned_tasks(job, ranks, me);

    std::optional<PrivateFolder> private_folder;
    fs::path root = job.parts_root;
    if (root.empty()) {
        private_folder.emplace();
        root = private_folder->path();
    }
    std::error_code ec;
    fs::create_directories(root, ec);
    if (ec)
        throw RunError(fmt::format("cannot create folder '{}': {}", root.string(), ec.message()));

    EnsembleOutcome outcome;
    outcome.owned = owned.size();
    std::vector<std::size_t> todo;
    for (const std::size_t t : owned) {
        if (job.shard && io::part_complete(root, plan.part_name(t)))
            ++outcome.skipped;
        else
            todo.push_back(t);
    }
    outcome.computed = todo.size();
    if (job.shard)
        spdlog::info("shard {}/{}{}: {} run(s) to compute, {} already complete (skipped)",
                     job.shard->index, job.shard->count,
                     ranks > 1 ? fmt::format(" rank {}", me) : std::string(), todo.size(),
                     outcome.skipped);

    const bool streaming = !job.shard;
    const std::size_t window =
        streaming ? std::max<std::size_t>(4, 2 * static_cast<std::size_t>(std::max(1, job.threads)))
                  : std::numeric_limits<std::size_t>::max() / 2;
    const auto progress = [&](std::size_t done) {
        if (me == 0) job.progress(static_cast<int>(done), static_cast<int>(todo.size()));
    };
    if (streaming && ranks == 1) {
        // One process: the workers merge the parts themselves, in task order.
        if (job.assembler == nullptr) throw RunError("ensemble: nothing to merge into");
        WorkerPool pool(job, root, todo, window, [&](std::size_t t) {
            throw_if_interrupted();
            const std::string name = plan.part_name(t);
            job.assembler->add(t, root / name);
            std::error_code remove_ec;
            fs::remove_all(root / name, remove_ec);
        });
        pool.wait_merged(progress);
        pool.stop_and_join();
        return outcome;
    }
    WorkerPool pool(job, root, todo, window);
    if (!streaming) {
        pool.wait_all([&](std::size_t done) {
            mpi.poll();  // another rank was interrupted: stop too
            progress(done);
        });
    } else if (me == 0) {
        gather_on_root(job, mpi, pool, root);
    } else {
        send_to_root(job, mpi, pool, root);
    }
    pool.stop_and_join();
    return outcome;
}

int prepare_on_all_ranks(MpiSession& mpi, const std::function<void()>& prepare) {
    int code = 0;
    std::exception_ptr error;
    try {
        prepare();
    } catch (const InputError&) {
        code = 2;
        error = std::current_exception();
    } catch (...) {
        code = 1;
        error = std::current_exception();
    }
    if (mpi.size() == 1) {
        if (error) std::rethrow_exception(error);
        return 0;
    }
    const int root_code = mpi.from_root(code);
    const int worst = mpi.max(code);
    if (worst == 0) return 0;
    // One rank reports (rank 0, or the failing rank when rank 0 succeeded), then every rank
    // waits for it before leaving: a rank that exits first makes mpirun kill the others, and
    // the message would be lost.
    if (error && (mpi.rank() == 0 || root_code == 0)) {
        try {
            std::rethrow_exception(error);
        } catch (const InputError& e) {
            for (const auto& d : e.diagnostics()) mpi.say(d.format());
        } catch (const std::exception& e) {
            mpi.say(fmt::format("tradesim: error: {}", e.what()));
        }
    }
    mpi.barrier();
    return error ? code : worst;
}

}  // namespace ts::run
