// tradesim: the command-line entry point. Thin: picks the subcommand, sets up logging, maps
// every exception to the exit codes of docs/cli.md ("Exit codes") (0 ok, 1 failure while running, 2
// bad command line or invalid scenario).
#include <cerrno>
#include <cstdio>
#include <exception>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/calibrate_command.hpp"
#include "cli/commands.hpp"
#include "cli/compare_command.hpp"
#include "cli/ensemble_commands.hpp"
#include "cli/equilibrium_command.hpp"
#include "cli/explain_command.hpp"
#include "cli/fit_command.hpp"
#include "cli/generate_command.hpp"
#include "cli/report_command.hpp"
#include "core/error.hpp"
#include "core/version.hpp"
#include "run/interrupt.hpp"

namespace {

constexpr const char* kUsage =
    R"(tradesim — agent-based simulation of trade in AI chips under export controls and tariffs

Usage: tradesim [--log-level LEVEL] COMMAND [ARGS...]

Commands:
  run SCENARIO.yaml       simulate; write flows, countries, markets, revenue, events, summary
  validate SCENARIO.yaml  load and check only; print the world and the policy timeline
  equilibrium SCENARIO.yaml  solve the long-run market equilibrium for the policies at a date (no ticks)
  compare DIR_A DIR_B ...  headline metrics of run folders side by side, differences against a baseline
  explain DIR --buyer ID --date D  why a buyer (or --offer) did what it did in one tick
  explain DIR_A DIR_B --metric M  split a change between two runs among their scenarios' differences
  fit DIR... --targets FILE  run folders against observed targets: model, observed, z, inside the band
  report DIR... -o FILE.html  one self-contained HTML report of run folders (charts, tables, fit)
  sweep SCENARIO.yaml --param PATH=VALUES...  run variants x runs (grid, lhs:N, morris:R, sobol:N); MPI-aware
  calibrate SCENARIO.yaml --targets FILE --free PATH=LOW:HIGH...  fit parameters to targets
  reduce DIR              merge the parts that shards (--shard I/N) wrote into DIR
  generate --countries N ... -o FILE  write a synthetic, valid scenario of a given size (benchmarks)

Run 'tradesim COMMAND --help' for a command's options.
Global options: --log-level trace|debug|info|warn|error|off (default warn), --version, --help
)";

int dispatch(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    ts::cli::Invocation inv;
    inv.command_line.assign(argv, argv + argc);

    std::string level = "warn";
    std::size_t i = 0;
    while (i < args.size() && args[i].rfind("--", 0) == 0) {
        if (args[i] == "--help" || args[i] == "-h") {
            fmt::print("{}", kUsage);
            return 0;
        }
        if (args[i] == "--version") {
            fmt::print("tradesim {} ({})\n", ts::kVersion, ts::kGitDescribe);
            return 0;
        }
        if (args[i] == "--log-level" && i + 1 < args.size()) {
            level = args[i + 1];
            i += 2;
            continue;
        }
        if (args[i].rfind("--log-level=", 0) == 0) {
            level = args[i].substr(12);
            ++i;
            continue;
        }
        throw ts::InputError(
            fmt::format("tradesim: unknown option '{}' (see 'tradesim --help')", args[i]));
    }
    // --log-level may also follow the subcommand.
    std::vector<std::string> rest;
    for (std::size_t j = i + 1; j < args.size(); ++j) {
        if (args[j] == "--log-level" && j + 1 < args.size()) {
            level = args[++j];
        } else if (args[j].rfind("--log-level=", 0) == 0) {
            level = args[j].substr(12);
        } else {
            rest.push_back(args[j]);
        }
    }
    const auto lvl = spdlog::level::from_str(level);
    if (lvl == spdlog::level::off && level != "off")
        throw ts::InputError(fmt::format(
            "tradesim: unknown log level '{}' (expected trace, debug, info, warn, error or off)",
            level));
    auto logger = spdlog::stderr_color_mt("tradesim");
    logger->set_pattern("%^%l%$: %v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(lvl);

    if (i >= args.size()) {
        fmt::print(stderr, "{}", kUsage);
        return 2;
    }
    const std::string command = args[i];
    inv.args = std::move(rest);
    if (command == "run") return ts::cli::run_command(inv);
    if (command == "validate") return ts::cli::validate_command(inv);
    if (command == "equilibrium") return ts::cli::equilibrium_command(inv);
    if (command == "compare") return ts::cli::compare_command(inv);
    if (command == "fit") return ts::cli::fit_command(inv);
    if (command == "explain") return ts::cli::explain_command(inv);
    if (command == "report") return ts::cli::report_command(inv);
    if (command == "sweep") return ts::cli::sweep_command(inv);
    if (command == "calibrate") return ts::cli::calibrate_command(inv);
    if (command == "reduce") return ts::cli::reduce_command(inv);
    if (command == "generate") return ts::cli::generate_command(inv);
    throw ts::InputError(
        fmt::format("tradesim: unknown command '{}' (expected run, validate, equilibrium, compare, "
                    "explain, fit, report, calibrate, sweep, reduce or generate; see 'tradesim "
                    "--help')",
                    command));
}

/// Writes an error report to stderr; never throws (stderr itself may be on a full disk).
template <class... Args>
void say(fmt::format_string<Args...> format, Args&&... args) noexcept {
    try {
        const std::string text = fmt::format(format, std::forward<Args>(args)...);
        std::fputs(text.c_str(), stderr);
    } catch (...) {
    }
}

/// Tables and results go to stdout through stdio's buffer: a failure to write them (a full disk,
/// `> /dev/full`) shows only when the buffer is flushed, so it is checked before exiting.
int check_stdout(int code) {
    errno = 0;
    if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return code;
    const int err = errno;
    say("tradesim: error: cannot write to standard output: {}\n",
        err != 0 ? std::error_code(err, std::generic_category()).message()
                 : std::string("write error"));
    return code == 0 ? 1 : code;
}

}  // namespace

int main(int argc, char** argv) {
    ts::run::install_signal_handlers();
    try {
        return check_stdout(dispatch(argc, argv));
    } catch (const ts::run::Interrupted& e) {
        std::fflush(stdout);
        if (e.detail().empty())
            say("tradesim: {}\n", e.what());
        else
            say("tradesim: {}; {}\n", e.what(), e.detail());
        return e.exit_code();
    } catch (const ts::InputError& e) {
        for (const auto& d : e.diagnostics()) say("{}\n", d.format());
        return 2;
    } catch (const ts::RunError& e) {
        say("tradesim: error: {}\n", e.what());
        return 1;
    } catch (const ts::InternalError& e) {
        // A bug, not a failed run: what() already says so and asks for a report.
        std::fflush(stdout);
        say("tradesim: {}\n", e.what());
        return 1;
    } catch (const std::system_error& e) {
        // fmt::print throws this when a write to stdout fails.
        if (std::ferror(stdout))
            say("tradesim: error: cannot write to standard output: {}\n", e.code().message());
        else
            say("tradesim: error: {}\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        say("tradesim: error: {}\n", e.what());
        return 1;
    }
}
