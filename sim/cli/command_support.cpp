#include "cli/command_support.hpp"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

namespace po = boost::program_options;

namespace ts::cli {

void usage_error(const std::string& command, const std::string& message) {
    throw InputError(
        fmt::format("tradesim {}: {} (see 'tradesim {} --help')", command, message, command));
}

po::variables_map parse(const std::string& command, const Invocation& inv,
                        const po::options_description& visible,
                        const po::options_description& hidden,
                        const po::positional_options_description& pos) {
    po::options_description all;
    all.add(visible).add(hidden);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(inv.args).options(all).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        usage_error(command, e.what());
    }
    return vm;
}

void print_warnings(const std::vector<Diagnostic>& warnings) {
    for (const auto& w : warnings) fmt::print(stderr, "{}\n", w.format());
}

std::string utc_now_iso() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace ts::cli
