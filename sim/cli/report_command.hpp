#pragma once
// `tradesim report`: one self-contained HTML report of run folders (scripts/report.py, run with
// Debian's Python; the numbers come from this binary's `compare` and `fit`).
#include "cli/commands.hpp"

namespace ts::cli {

int report_command(const Invocation& inv);

}  // namespace ts::cli
