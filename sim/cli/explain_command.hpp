#pragma once
// `tradesim explain`: decision traces of a run and attribution of a difference between runs.
#include "cli/commands.hpp"

namespace ts::cli {

int explain_command(const Invocation& inv);

}  // namespace ts::cli
