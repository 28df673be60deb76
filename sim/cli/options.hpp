#pragma once
// Option parsing shared by the subcommands: usage errors, the parse itself, and the option
// groups that several commands accept with the same names, defaults and help — each group
// comes with the function that reads it into the run layer's settings.
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "run/feedback.hpp"
#include "run/job_settings.hpp"

namespace ts::cli {

namespace po = boost::program_options;

class ProgressBar;

/// Bad command line: reported like a scenario error, exit code 2.
[[noreturn]] void usage_error(const std::string& command, const std::string& message);

/// A command's options: `visible` (shown by --help) and positional arguments named in `pos`
/// (declared in `hidden`).
struct CommandOptions {
    /// `usage` is the head of --help: the synopsis and what the command does.
    explicit CommandOptions(const std::string& usage) : visible(usage) {}
    po::options_description visible;
    po::options_description hidden;
    po::positional_options_description pos;
};

/// Parses the invocation's arguments; a parse error becomes usage_error.
po::variables_map parse(const std::string& command, const Invocation& inv,
                        const CommandOptions& options);

/// --help: prints the options and returns true when it was given.
bool print_help(const po::variables_map& vm, const CommandOptions& options);

/// The single positional argument `name` (e.g. "scenario"); usage_error `missing` without it.
std::string positional(const std::string& command, const po::variables_map& vm,
                       const std::string& name, const std::string& missing);

/// --set PATH=VALUE... and, with `seed_help`, --seed N; with `uncertain`, --uncertain
/// PATH=DIST:ARGS... (run and sweep).
po::options_description scenario_options(const char* set_help, const char* seed_help = nullptr,
                                         bool uncertain = false);
/// The scenario file (positional "scenario") with --set and --seed as overrides.
run::ScenarioSettings scenario_settings(const std::string& command, const po::variables_map& vm);

/// -o DIR, --max-output SIZE, --force and, with `detail`, --detail buyer|country|none.
po::options_description output_options(bool detail);
run::OutputSettings output_settings(const std::string& command, const po::variables_map& vm);

/// --runs N, --threads T, --shard I/N.
po::options_description ensemble_options(const char* runs_help);
run::EnsembleSettings ensemble_settings(const std::string& command, const po::variables_map& vm);

/// --help and, with `quiet_help`, --quiet. The log level is global (tradesim --log-level,
/// handled by main before any command), so it is not part of this group.
po::options_description terminal_options(const char* quiet_help = nullptr);

/// --quiet of the commands that show a progress bar and a result table.
inline constexpr const char* kQuietHelp = "no progress bar and no result table";

/// The run layer's feedback on this terminal: messages on stderr, progress on `bar`.
run::Feedback terminal_feedback(ProgressBar& bar);

/// The scenario's warnings, one line each on stderr.
void print_warnings(const std::vector<Diagnostic>& warnings);

}  // namespace ts::cli
