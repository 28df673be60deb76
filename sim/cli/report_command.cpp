// `tradesim report DIR... [--baseline DIR] [--targets FILE] -o report.html`: hands its arguments
// to scripts/report.py (plotly charts, written by Python) with `--tradesim` naming this binary,
// so every number in the report comes from this binary's `compare` and `fit`.
#include "cli/report_command.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"

namespace ts::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPython = "/usr/bin/python3";

fs::path self_path() {
    std::error_code ec;
    fs::path p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path{} : p;
}

/// The report script: $TRADESIM_REPORT_SCRIPT, the installed copy beside the binary
/// (PREFIX/share/tradesim/scripts), else the source tree the binary was built from.
fs::path find_script(const fs::path& self) {
    if (const char* env = std::getenv("TRADESIM_REPORT_SCRIPT"); env && *env) return env;
    std::vector<fs::path> candidates;
    if (!self.empty())
        candidates.push_back(self.parent_path().parent_path() / "share" / "tradesim" / "scripts" /
                             "report.py");
    candidates.push_back(fs::path(TRADESIM_SOURCE_DIR) / "scripts" / "report.py");
    for (const auto& c : candidates) {
        std::error_code ec;
        if (fs::is_regular_file(c, ec)) return c;
    }
    return {};
}

}  // namespace

int report_command(const Invocation& inv) {
    const fs::path self = self_path();
    const fs::path script = find_script(self);
    if (script.empty())
        throw RunError(
            "tradesim report: cannot find scripts/report.py (looked beside the binary in "
            "../share/tradesim/scripts and in the source tree " TRADESIM_SOURCE_DIR
            "); set TRADESIM_REPORT_SCRIPT to its path");
    std::vector<std::string> args{kPython, script.string()};
    if (!self.empty()) {
        args.emplace_back("--tradesim");
        args.push_back(self.string());
    }
    args.insert(args.end(), inv.args.begin(), inv.args.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::fflush(stdout);
    std::fflush(stderr);
    ::execv(kPython, argv.data());
    throw RunError(
        fmt::format("tradesim report: cannot run {} ({}); the report needs Debian's python3 with "
                    "python3-plotly and python3-pandas (scripts/setup installs them)",
                    kPython, std::strerror(errno)));
}

}  // namespace ts::cli
