#pragma once
// `tradesim generate`: write a synthetic, valid scenario of a given size (benchmarks, fuzzing
// seeds).
#include "cli/commands.hpp"

namespace ts::cli {

int generate_command(const Invocation& inv);

}  // namespace ts::cli
