#pragma once
// tradesim calibrate: option parsing, one call into the run layer (run::run_calibration), and
// the summary of the fit.
#include "cli/commands.hpp"

namespace ts::cli {

int calibrate_command(const Invocation& inv);

}  // namespace ts::cli
