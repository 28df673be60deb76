#pragma once
// SIGINT and SIGTERM stop a run cleanly (docs/reliability.md, "Interruptions"). The handlers
// only record the signal (async-signal-safe); the work checks it at safe points (after each
// tick, between runs of an ensemble, while waiting for MPI messages) and throws Interrupted,
// so that destructors remove staging and temporary files on the way out. main() reports one
// line and exits with 128 + the signal number (130 for SIGINT, 143 for SIGTERM). A second
// signal while cleaning up exits at once with the same code.
#include <exception>
#include <string>

namespace ts::run {

/// Thrown at a safe point after SIGINT or SIGTERM. Not a RunError: it maps to 128 + signal.
class Interrupted : public std::exception {
  public:
    explicit Interrupted(int signal);
    int signal() const { return signal_; }
    int exit_code() const { return 128 + signal_; }
    /// "SIGINT" or "SIGTERM".
    std::string signal_name() const;
    /// What was kept and what removed, for the message ("" until a command adds it).
    const std::string& detail() const { return detail_; }
    void set_detail(std::string detail) { detail_ = std::move(detail); }
    const char* what() const noexcept override { return what_.c_str(); }

  private:
    int signal_;
    std::string what_;
    std::string detail_;
};

/// Installs the SIGINT and SIGTERM handlers and ignores SIGXFSZ (a file-size limit then makes
/// write() fail with EFBIG, reported as a write error, instead of killing the process).
void install_signal_handlers();

/// Whether a second signal exits at once (default). Under mpirun it does not: mpirun sends
/// every rank another SIGTERM when one rank leaves, which would cut rank 0's clean-up short;
/// mpirun itself sends SIGKILL after its grace period if a rank hangs.
void set_second_signal_exits(bool exits);

/// The signal received (SIGINT or SIGTERM), or 0.
int pending_signal();
/// Throws Interrupted if a signal was received.
void throw_if_interrupted();

}  // namespace ts::run
