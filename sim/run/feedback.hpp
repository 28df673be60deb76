#pragma once
// What a job tells the user while it works. The run layer never writes to the terminal: the
// caller (the cli) passes these functions, and decides how progress and messages look.
#include <functional>
#include <string>

namespace ts::run {

/// One line the user must see at once, on stderr (without its newline): scenario warnings,
/// and under MPI a rank's failure before the job is aborted or a stop from another rank. Lines
/// are passed as they must appear, so the cli writes them unchanged.
using MessageSink = std::function<void(const std::string& line)>;

struct Feedback {
    MessageSink message = [](const std::string&) {};
    /// Progress of the job: ticks of a single run, runs of an ensemble or a sweep (only the
    /// process that merges, rank 0, reports it).
    std::function<void(int done, int total)> progress = [](int, int) {};
};

}  // namespace ts::run
