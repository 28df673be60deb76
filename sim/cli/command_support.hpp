#pragma once
// Helpers shared by the subcommands: option parsing with usage errors, warnings, timestamps.
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace ts::cli {

/// Bad command line: reported like a scenario error, exit code 2.
[[noreturn]] void usage_error(const std::string& command, const std::string& message);

/// Parses the invocation's arguments; a parse error becomes usage_error.
boost::program_options::variables_map parse(
    const std::string& command, const Invocation& inv,
    const boost::program_options::options_description& visible,
    const boost::program_options::options_description& hidden,
    const boost::program_options::positional_options_description& pos);

void print_warnings(const std::vector<Diagnostic>& warnings);

/// The current time as "YYYY-MM-DDTHH:MM:SSZ" (for manifest.json).
std::string utc_now_iso();

}  // namespace ts::cli
