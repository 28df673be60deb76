#pragma once
// The tradesim subcommands. Each parses its own arguments (Boost.Program_options, with the
// option groups of cli/options.hpp), makes one call — a job of the run layer (sim/run) for run,
// sweep and reduce — and prints what it returns; they return the process exit code (0 ok,
// 1 failure while running, 2 bad command line or invalid scenario) and never call exit().
#include <string>
#include <vector>

namespace ts::cli {

/// Everything after the subcommand name, plus the whole command line for the manifest.
struct Invocation {
    std::vector<std::string> args;
    std::vector<std::string> command_line;
};

int run_command(const Invocation& inv);
int validate_command(const Invocation& inv);

}  // namespace ts::cli
