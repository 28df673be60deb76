#pragma once
// tradesim sweep and tradesim reduce (`run --runs N` is run_command): option parsing, one call
// into the run layer, and the results table.
#include "cli/commands.hpp"

namespace ts::cli {

int sweep_command(const Invocation& inv);
int reduce_command(const Invocation& inv);

}  // namespace ts::cli
