// tradesim generate --countries N --suppliers N --buyers N --products N --hubs N --ticks N
//   [--seed N] -o FILE [--force]
// Thin: parse, check the sizes, generate the text (sim/io/generate), write it atomically.
#include "cli/generate_command.hpp"

#include <charconv>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "cli/options.hpp"
#include "core/error.hpp"
#include "io/generate.hpp"
#include "io/output_dir.hpp"

namespace fs = std::filesystem;

namespace ts::cli {

namespace {

constexpr const char* kCommand = "generate";

/// The argument quoted for a POSIX shell when it needs it.
std::string shell_quote(const std::string& arg) {
    const bool plain = !arg.empty() && arg.find_first_not_of(
                                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789-_./=:,+@%") == std::string::npos;
    if (plain) return arg;
    std::string out = "'";
    for (char c : arg) {
        if (c == '\'')
            out += "'\\''";
        else if (c == '\n')
            out += ' ';  // keep the header comment on one line
        else
            out += c;
    }
    return out + "'";
}

/// The sizes and the seed; usage_error when one is missing or not a number.
io::GenerateSpec read_spec(const po::variables_map& vm) {
    std::vector<std::string> missing;
    for (const char* name : {"countries", "suppliers", "buyers", "products", "hubs", "ticks"})
        if (!vm.count(name)) missing.push_back(fmt::format("--{}", name));
    if (!vm.count("output")) missing.push_back("-o FILE");
    if (!missing.empty()) {
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
        usage_error(kCommand, fmt::format("missing {}", list));
    }

    io::GenerateSpec spec;
    spec.countries = vm["countries"].as<std::int64_t>();
    spec.suppliers = vm["suppliers"].as<std::int64_t>();
    spec.buyers = vm["buyers"].as<std::int64_t>();
    spec.products = vm["products"].as<std::int64_t>();
    spec.hubs = vm["hubs"].as<std::int64_t>();
    spec.ticks = vm["ticks"].as<std::int64_t>();
    const std::string seed_text = vm["seed"].as<std::string>();
    {
        const char* end = seed_text.data() + seed_text.size();
        const auto [ptr, ec] = std::from_chars(seed_text.data(), end, spec.seed);
        if (seed_text.empty() || ec != std::errc() || ptr != end)
            usage_error(kCommand, fmt::format("--seed '{}' is not a whole number from 0 to 2^64-1",
                                              seed_text));
    }
    if (vm.count("offers-per-buyer")) {
        const std::string text = vm["offers-per-buyer"].as<std::string>();
        const char* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, spec.offers_per_buyer);
        if (text == "all")
            spec.offers_per_buyer = io::kAllOffers;
        else if (text.empty() || ec != std::errc() || ptr != end || spec.offers_per_buyer < 1)
            usage_error(kCommand,
                        fmt::format("--offers-per-buyer '{}' is neither a whole number of 1 or "
                                    "more nor 'all'",
                                    text));
    }
    io::check_generate_spec(spec);

    return spec;
}

/// A file to write, or to replace with --force, in a folder that exists.
void check_output_file(const std::string& output, bool force) {
    const fs::path path(output);
    std::error_code ec;
    if (fs::exists(path, ec) && !force)
        usage_error(kCommand, fmt::format("'{}' exists; use --force to replace it", output));
    if (fs::is_directory(path, ec))
        usage_error(kCommand, fmt::format("'{}' is a folder, not a file", output));
    const fs::path parent = path.parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
        usage_error(kCommand, fmt::format("the folder of '{}' does not exist", output));
}

}  // namespace

int generate_command(const Invocation& inv) {
    CommandOptions options(
        "Usage: tradesim generate --countries N --suppliers N --buyers N --products N --hubs N "
        "--ticks N\n"
        "                         [--seed N] [--offers-per-buyer N|all] -o FILE [--force]\n\n"
        "Write a synthetic, valid scenario of the given size, for benchmarks and fuzzing seeds. "
        "Countries get\n"
        "codes XAA, XAB, ... (XAA is the main producer jurisdiction); a few large suppliers "
        "(Pareto sizes) offer\n"
        "every product; buyers (lognormal demand) state base-period shares over 8 to 12 offers "
        "each (change it\n"
        "with --offers-per-buyer: N offers, or 'all' for no shares, every buyer considering every "
        "offer); the\n"
        "first N countries after the producers are hubs; policies (export controls, a quota, "
        "tariffs, an export\n"
        "fee, enforcement, an import restriction) are announced, take force and lapse during the "
        "run. The step\n"
        "is a month up to 240 ticks, a week beyond. The same arguments give a byte-identical "
        "file.\n"
        "Options");
    options.visible.add(terminal_options());
    options.visible.add_options()("countries", po::value<std::int64_t>(),
                                  "number of countries (2 to 676)")(
        "suppliers", po::value<std::int64_t>(), "number of suppliers (1 to 10000)")(
        "buyers", po::value<std::int64_t>(), "number of buyers (1 to 1000000)")(
        "products", po::value<std::int64_t>(), "number of products (1 to 100)")(
        "hubs", po::value<std::int64_t>(), "number of hub routes (0 to countries - 1)")(
        "ticks", po::value<std::int64_t>(), "length of the run in ticks (1 to 100000)")(
        "seed", po::value<std::string>()->default_value("1"), "random seed (0 to 2^64-1)")(
        "offers-per-buyer", po::value<std::string>(),
        "offers named in each buyer's shares: N, or 'all' (no shares: every buyer considers "
        "every offer, a dense world); default 8 to 12")(
        "output,o", po::value<std::string>(), "the scenario file to write ('-': standard output)")(
        "force", "replace an existing file");
    const auto vm = parse(kCommand, inv, options);
    if (print_help(vm, options)) return 0;

    io::GenerateSpec spec = read_spec(vm);
    spec.command = "tradesim generate";
    for (const auto& a : inv.args) spec.command += " " + shell_quote(a);

    const std::string output = vm["output"].as<std::string>();
    const bool to_stdout = output == "-";
    if (!to_stdout) check_output_file(output, vm.count("force") > 0);

    io::GeneratedSize size;
    const std::string text = io::generate_scenario(spec, &size);
    if (to_stdout) {
        std::cout << text;
        std::cout.flush();
        if (!std::cout) throw RunError("cannot write the scenario to standard output");
        // The scenario is on standard output: what it holds goes to stderr.
        fmt::print(stderr, "wrote the scenario to standard output ({} bytes): {}\n", text.size(),
                   io::describe(size));
        return 0;
    }
    io::AtomicFile file{fs::path(output)};
    file.write(text);
    file.commit();
    fmt::print("wrote {} ({} bytes): {}\n", output, text.size(), io::describe(size));
    return 0;
}

}  // namespace ts::cli
