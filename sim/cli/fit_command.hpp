#pragma once
// `tradesim fit`: run folders held against the observed targets of a targets file.
#include "cli/commands.hpp"

namespace ts::cli {

int fit_command(const Invocation& inv);

}  // namespace ts::cli
