#include "cli/options.hpp"

#include <charconv>
#include <cstdio>
#include <iostream>
#include <string_view>

#include <fmt/format.h>

#include "cli/progress.hpp"
#include "io/output_estimate.hpp"

namespace ts::cli {

namespace {

/// Parses "I/N" (0 <= I < N).
run::Shard parse_shard(const std::string& command, const std::string& text) {
    const auto slash = text.find('/');
    run::Shard s;
    const auto parse_int = [](std::string_view v, int& out) {
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
        return ec == std::errc() && end == v.data() + v.size() && !v.empty();
    };
    const std::string_view t(text);
    if (slash == std::string::npos || !parse_int(t.substr(0, slash), s.index) ||
        !parse_int(t.substr(slash + 1), s.count) || s.count < 1 || s.index < 0 ||
        s.index >= s.count)
        throw InputError(fmt::format(
            "tradesim {}: --shard '{}': expected I/N with 0 <= I < N (see 'tradesim {} --help')",
            command, text, command));
    return s;
}

io::RunWriterOptions::Detail parse_detail(const std::string& command, const std::string& text) {
    if (text == "buyer") return io::RunWriterOptions::Detail::buyer;
    if (text == "country") return io::RunWriterOptions::Detail::country;
    if (text == "none") return io::RunWriterOptions::Detail::none;
    usage_error(command, fmt::format("--detail must be buyer, country or none, not '{}'", text));
}

}  // namespace

void usage_error(const std::string& command, const std::string& message) {
    throw InputError(
        fmt::format("tradesim {}: {} (see 'tradesim {} --help')", command, message, command));
}

po::variables_map parse(const std::string& command, const Invocation& inv,
                        const CommandOptions& options) {
    po::options_description all;
    all.add(options.visible).add(options.hidden);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(inv.args).options(all).positional(options.pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        usage_error(command, e.what());
    }
    return vm;
}

bool print_help(const po::variables_map& vm, const CommandOptions& options) {
    if (!vm.count("help")) return false;
    std::cout << options.visible << "\n";
    return true;
}

std::string positional(const std::string& command, const po::variables_map& vm,
                       const std::string& name, const std::string& missing) {
    if (!vm.count(name)) usage_error(command, missing);
    return vm[name].as<std::string>();
}

po::options_description scenario_options(const char* set_help, const char* seed_help,
                                         bool uncertain) {
    po::options_description group("Scenario");
    group.add_options()("set", po::value<std::vector<std::string>>()->composing(), set_help);
    if (seed_help != nullptr) group.add_options()("seed", po::value<std::uint64_t>(), seed_help);
    if (uncertain)
        group.add_options()("uncertain", po::value<std::vector<std::string>>()->composing(),
                            "PATH=DIST:ARGS: draw PATH in each run of an ensemble, as the "
                            "scenario's uncertainty section (normal:MEAN,SD, uniform:LO,HI, "
                            "lognormal:MEDIAN,SIGMA, triangular:LO,MODE,HI; min=, max= truncate; "
                            "repeatable)");
    return group;
}

run::ScenarioSettings scenario_settings(const std::string& command, const po::variables_map& vm) {
    run::ScenarioSettings s;
    s.file = positional(command, vm, "scenario", "missing SCENARIO.yaml");
    if (vm.count("set")) s.load.overrides = vm["set"].as<std::vector<std::string>>();
    if (vm.count("seed"))
        s.load.overrides.push_back(fmt::format("seed={}", vm["seed"].as<std::uint64_t>()));
    if (vm.count("uncertain")) s.uncertain = vm["uncertain"].as<std::vector<std::string>>();
    return s;
}

po::options_description output_options(bool detail) {
    po::options_description group("Output");
    group.add_options()("output,o", po::value<std::string>(), "output folder");
    if (detail)
        group.add_options()("detail", po::value<std::string>()->default_value("buyer"),
                            "flows.csv detail: buyer, country or none");
    group.add_options()(
        "max-output", po::value<std::string>()->default_value("100G"),
        "refuse to start if the outputs would exceed SIZE (e.g. 500G, 2T, or none)")(
        "force", "replace an existing output folder");
    return group;
}

run::OutputSettings output_settings(const std::string& command, const po::variables_map& vm) {
    run::OutputSettings o;
    if (vm.count("output")) o.folder = vm["output"].as<std::string>();
    o.force = vm.count("force") > 0;
    if (vm.count("detail")) o.detail = parse_detail(command, vm["detail"].as<std::string>());
    const std::string max_output = vm["max-output"].as<std::string>();
    const std::optional<double> bytes = io::parse_size(max_output);
    if (!bytes)
        usage_error(command, fmt::format("--max-output must be a size such as 500G or 2T, or "
                                         "none, not '{}'",
                                         max_output));
    o.max_output = *bytes;
    return o;
}

po::options_description ensemble_options(const char* runs_help) {
    po::options_description group("Ensemble");
    group.add_options()("runs", po::value<int>()->default_value(1), runs_help)(
        "threads", po::value<int>()->default_value(1), "worker threads (0: one per core)")(
        "shard", po::value<std::string>(),
        "I/N: compute only shard I of N into DIR/parts (job arrays)");
    return group;
}

run::EnsembleSettings ensemble_settings(const std::string& command, const po::variables_map& vm) {
    run::EnsembleSettings e;
    e.runs = vm["runs"].as<int>();
    if (e.runs < 1) usage_error(command, fmt::format("--runs must be >= 1, not {}", e.runs));
    e.threads = vm["threads"].as<int>();
    if (e.threads < 0)
        usage_error(command, fmt::format("--threads must be >= 0, not {}", e.threads));
    if (vm.count("shard")) e.shard = parse_shard(command, vm["shard"].as<std::string>());
    return e;
}

po::options_description terminal_options(const char* quiet_help) {
    po::options_description group("Terminal");
    group.add_options()("help,h", "show this help");
    if (quiet_help != nullptr) group.add_options()("quiet,q", quiet_help);
    return group;
}

run::Feedback terminal_feedback(ProgressBar& bar) {
    run::Feedback f;
    f.message = [](const std::string& line) {
        fmt::print(stderr, "{}\n", line);
        std::fflush(stderr);
    };
    f.progress = [&bar](int done, int total) { bar.update(done, total); };
    return f;
}

void print_warnings(const std::vector<Diagnostic>& warnings) {
    for (const auto& w : warnings) fmt::print(stderr, "{}\n", w.format());
}

}  // namespace ts::cli
