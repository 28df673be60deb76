#pragma once
// `tradesim compare`: headline metrics of run folders side by side, differences against a
// baseline.
#include "cli/commands.hpp"

namespace ts::cli {

int compare_command(const Invocation& inv);

}  // namespace ts::cli
