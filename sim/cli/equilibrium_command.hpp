#pragma once
// `tradesim equilibrium`: the long-run market equilibrium of a scenario, solved directly.
#include "cli/commands.hpp"

namespace ts::cli {

int equilibrium_command(const Invocation& inv);

}  // namespace ts::cli
