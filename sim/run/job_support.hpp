#pragma once
// Small pieces every job of the run layer uses: clocks and timestamps for the manifest, the
// scenario warnings, and the failure handling of a job spread over MPI ranks.
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "io/ensemble_plan.hpp"
#include "io/manifest.hpp"
#include "model/scenario.hpp"
#include "run/feedback.hpp"
#include "run/interrupt.hpp"
#include "run/mpi_session.hpp"

namespace ts::run {

using Clock = std::chrono::steady_clock;

/// When a job started, for manifest.json (wall clock) and its duration (steady clock).
struct JobClock {
    Clock::time_point started = Clock::now();
    std::string start_time_utc;  // "YYYY-MM-DDTHH:MM:SSZ"

    JobClock();
    double seconds() const;
};

/// The whole content of a file ("" when it cannot be read).
std::string read_text(const std::filesystem::path& path);

/// Shows the scenario's warnings, one line each.
void report_warnings(const std::vector<Diagnostic>& warnings, const Feedback& feedback);

/// The plan of an ensemble job of `kind` over scenario `s`: what every plan records of the
/// scenario (name, resolved-YAML sha256, seed, observed record) and the run count. Run and
/// sweep jobs add their own fields.
io::EnsemblePlan plan_of(io::EnsemblePlan::Kind kind, const model::Scenario& s, int runs);

/// The manifest of an ensemble job (run --runs, sweep, reduce), status "complete".
io::Manifest ensemble_manifest(const io::EnsemblePlan& plan, int threads, const JobClock& clock,
                               const std::vector<std::string>& command_line);

/// datapackage.json of an ensemble folder of kind run (per-tick files with a run column);
/// sweeps' folders hold no per-tick files and get none.
void write_datapackage_of(const io::EnsemblePlan& plan, const std::filesystem::path& dir);

/// Errors after the ranks started working: one rank failing would leave the others waiting,
/// so under MPI the job is aborted after the message.
template <class F>
auto guarded(MpiSession& mpi, F&& body) {
    try {
        return body();
    } catch (const Interrupted&) {
        throw;  // every rank got the signal (mpirun forwards it): each cleans up and leaves
    } catch (const std::exception& e) {
        if (mpi.size() <= 1) throw;
        mpi.say(fmt::format("tradesim: error (MPI rank {} of {}): {}", mpi.rank(), mpi.size(),
                            e.what()));
        mpi.abort(dynamic_cast<const InputError*>(&e) ? 2 : 1);
    }
}

}  // namespace ts::run
