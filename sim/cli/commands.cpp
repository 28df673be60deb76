#include "cli/commands.hpp"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/program_options.hpp>

#include "analysis/summary.hpp"
#include "cli/command_support.hpp"
#include "cli/ensemble_commands.hpp"
#include "cli/headlines.hpp"
#include "cli/interrupt.hpp"
#include "cli/mpi_session.hpp"
#include "cli/progress.hpp"
#include "core/error.hpp"
#include "engine/simulation.hpp"
#include "io/manifest.hpp"
#include "io/output_dir.hpp"
#include "io/output_estimate.hpp"
#include "io/run_writer.hpp"
#include "io/scenario_reader.hpp"
#include "io/sha256.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace ts::cli {

int validate_command(const Invocation& inv) {
    po::options_description visible(
        "Usage: tradesim validate SCENARIO.yaml [--set PATH=VALUE]...\n\n"
        "Load and check a scenario; print the world and the policy timeline.\nOptions");
    visible.add_options()("help,h", "show this help")(
        "set", po::value<std::vector<std::string>>()->composing(),
        "override a value by dotted path (repeatable)");
    po::options_description hidden;
    hidden.add_options()("scenario", po::value<std::string>(), "scenario file");
    po::positional_options_description pos;
    pos.add("scenario", 1);
    auto vm = parse("validate", inv, visible, hidden, pos);
    if (vm.count("help")) {
        std::cout << visible << "\n";
        return 0;
    }
    if (!vm.count("scenario")) usage_error("validate", "missing SCENARIO.yaml");

    io::LoadOptions opts;
    if (vm.count("set")) opts.overrides = vm["set"].as<std::vector<std::string>>();
    const auto loaded = io::load_scenario(vm["scenario"].as<std::string>(), opts);
    print_warnings(loaded.warnings);
    const auto& s = loaded.scenario;
    const auto cal = s.time.calendar();
    fmt::print("scenario   {}\n", s.name);
    if (!s.description.empty()) fmt::print("           {}\n", s.description);
    fmt::print("time       {} .. {}: {} ticks of one {}\n", format_date(cal.date_of(0)),
               format_date(cal.date_of(s.time.ticks - 1)), s.time.ticks, to_string(s.time.step));
    fmt::print(
        "world      {} countries, {} products, {} suppliers with {} offers, {} buyers, {} routes "
        "(hubs)\n",
        s.countries.size(), s.products.size(), s.suppliers.size(), s.offers.size(), s.buyers.size(),
        s.routes.size());
    fmt::print("policies   {} (+ {} reaction rules)\n", s.policies.size(), s.reactions.size());
    if (!s.policies.empty()) {
        fmt::print("\n{:<12} {:<12} {:>6} {:>6}  {:<5} {:<19} {}\n", "from", "until", "tick",
                   "until", "by", "type", "id");
        std::vector<const model::Policy*> order;
        for (const auto& p : s.policies) order.push_back(&p);
        std::stable_sort(order.begin(), order.end(),
                         [](const model::Policy* a, const model::Policy* b) {
                             return a->from_tick < b->from_tick;
                         });
        auto tick_str = [](std::int64_t t) {
            if (t == std::numeric_limits<std::int64_t>::min()) return std::string("start");
            if (t == std::numeric_limits<std::int64_t>::max()) return std::string("-");
            return std::to_string(t);
        };
        for (const auto* p : order)
            fmt::print("{:<12} {:<12} {:>6} {:>6}  {:<5} {:<19} {}\n",
                       p->from_date ? format_date(*p->from_date) : "start",
                       p->until_date ? format_date(*p->until_date) : "-", tick_str(p->from_tick),
                       tick_str(p->until_tick), s.countries[static_cast<std::size_t>(p->by)].code,
                       model::to_string(p->type), p->id);
    }
    if (!s.reactions.empty()) {
        fmt::print("\nreactions\n");
        for (const auto& r : s.reactions) {
            std::string where;
            if (r.via != model::kNone)
                where = " via " + s.countries[static_cast<std::size_t>(r.via)].code;
            if (r.country != model::kNone)
                where += " in " + s.countries[static_cast<std::size_t>(r.country)].code;
            fmt::print(
                "  {:<24} {} adds a {} when {}{} is {} {} for {} tick(s), {} tick(s) later\n", r.id,
                s.countries[static_cast<std::size_t>(r.by)].code, model::to_string(r.then.type),
                r.metric, where, r.above ? "above" : "below",
                r.above ? *r.above : r.below.value_or(0.0), r.for_ticks, r.lag_ticks);
        }
    }
    for (const auto& sup : s.suppliers)
        if (sup.design_around)
            fmt::print(
                "design-around: {} launches a variant {} tick(s) after a control binds (margin "
                "{})\n",
                sup.id, sup.design_around->lag_ticks, sup.design_around->margin);
    for (const auto& note : engine::Simulation::unsimulated_features(s))
        fmt::print(stderr, "note: {}\n", note);
    fmt::print("\nok: {} is valid\n", s.source_file);
    return 0;
}

int run_command(const Invocation& inv) {
    po::options_description visible(
        "Usage: tradesim run SCENARIO.yaml [-o DIR] [--seed N] [--set PATH=VALUE]... [--runs N] "
        "[--threads T]\n"
        "                    [--shard I/N] [--detail buyer|country|none] [--max-output SIZE] "
        "[--force]\n"
        "                    [--quiet]\n\n"
        "Simulate a scenario and write its outputs into DIR (default out/<scenario name>).\n"
        "With --runs N > 1: N Monte Carlo runs (run r seeded from the scenario seed and r), "
        "per-tick files\n"
        "with a `run` column and summary.csv with mean, sd, p05, p50, p95 per metric. Under mpirun "
        "the runs\n"
        "are spread over the ranks; with --shard I/N this process writes only its share into "
        "DIR/parts\n"
        "(completed runs are skipped) and 'tradesim reduce DIR' merges the shards.\nOptions");
    visible.add_options()("help,h", "show this help")("output,o", po::value<std::string>(),
                                                      "output folder")(
        "seed", po::value<std::uint64_t>(), "random seed (overrides the scenario's)")(
        "set", po::value<std::vector<std::string>>()->composing(),
        "override a value by dotted path (repeatable)")("runs", po::value<int>()->default_value(1),
                                                        "Monte Carlo runs")(
        "threads", po::value<int>()->default_value(1), "worker threads (0: one per core)")(
        "shard", po::value<std::string>(),
        "I/N: compute only shard I of N into DIR/parts (job arrays)")(
        "detail", po::value<std::string>()->default_value("buyer"),
        "flows.csv detail: buyer, country or none")(
        "max-output", po::value<std::string>()->default_value("100G"),
        "refuse to start if the outputs would exceed SIZE (e.g. 500G, 2T, or none)")(
        "force", "replace an existing output folder")("quiet,q",
                                                      "no progress bar and no result table");
    po::options_description hidden;
    hidden.add_options()("scenario", po::value<std::string>(), "scenario file");
    po::positional_options_description pos;
    pos.add("scenario", 1);
    auto vm = parse("run", inv, visible, hidden, pos);
    if (vm.count("help")) {
        std::cout << visible << "\n";
        return 0;
    }
    if (!vm.count("scenario")) usage_error("run", "missing SCENARIO.yaml");
    const bool quiet = vm.count("quiet") > 0;
    const bool force = vm.count("force") > 0;
    io::RunWriterOptions writer_options;
    const std::string detail = vm["detail"].as<std::string>();
    if (detail == "buyer")
        writer_options.flows_detail = io::RunWriterOptions::Detail::buyer;
    else if (detail == "country")
        writer_options.flows_detail = io::RunWriterOptions::Detail::country;
    else if (detail == "none")
        writer_options.flows_detail = io::RunWriterOptions::Detail::none;
    else
        usage_error("run",
                    fmt::format("--detail must be buyer, country or none, not '{}'", detail));
    const int runs = vm["runs"].as<int>();
    if (runs < 1) usage_error("run", fmt::format("--runs must be >= 1, not {}", runs));
    const int threads = vm["threads"].as<int>();
    if (threads < 0) usage_error("run", fmt::format("--threads must be >= 0, not {}", threads));
    std::optional<Shard> shard;
    if (vm.count("shard")) shard = parse_shard("run", vm["shard"].as<std::string>());
    const std::string max_output_text = vm["max-output"].as<std::string>();
    const std::optional<double> max_output = io::parse_size(max_output_text);
    if (!max_output)
        usage_error("run", fmt::format("--max-output must be a size such as 500G or 2T, or none, "
                                       "not '{}'",
                                       max_output_text));

    io::LoadOptions opts;
    if (vm.count("set")) opts.overrides = vm["set"].as<std::vector<std::string>>();
    if (vm.count("seed"))
        opts.overrides.push_back(fmt::format("seed={}", vm["seed"].as<std::uint64_t>()));

    // Several runs, MPI ranks or a shard: the ensemble machinery (sim/cli/ensemble_commands.cpp).
    MpiSession mpi;
    if (runs > 1 || shard || mpi.size() > 1) {
        RunRequest request;
        request.scenario = vm["scenario"].as<std::string>();
        request.load = opts;
        if (vm.count("output")) request.output = fs::path(vm["output"].as<std::string>());
        request.force = force;
        request.quiet = quiet;
        request.detail = writer_options.flows_detail;
        request.runs = runs;
        request.threads = resolve_threads(threads);
        request.shard = shard;
        request.max_output = *max_output;
        return run_ensemble_command(request, mpi, inv);
    }

    const auto loaded = io::load_scenario(vm["scenario"].as<std::string>(), opts);
    print_warnings(loaded.warnings);
    const model::Scenario& s = loaded.scenario;
    const fs::path out =
        vm.count("output") ? fs::path(vm["output"].as<std::string>()) : fs::path("out") / s.name;
    io::check_output_size(io::estimate_run_output(s, writer_options.flows_detail, 1), *max_output,
                          "run");
    io::OutputDir::check_available(out, force);  // before anything is written
    for (const auto& note : engine::Simulation::unsimulated_features(s)) spdlog::warn("{}", note);

    // From here on, failures are run failures (exit 1); the staging folder is removed.
    const auto started = std::chrono::steady_clock::now();
    const std::string start_time = utc_now_iso();
    const bool replacing = fs::exists(out);
    const auto interrupted_detail = [&](int done) {
        return fmt::format("stopped after {} of {} ticks; partial outputs removed, {}", done,
                           s.time.ticks,
                           replacing ? fmt::format("'{}' left as it was", out.string())
                                     : std::string("nothing written"));
    };
    io::OutputDir dir(out, force);
    analysis::SummaryCollector summary;  // refers to the simulation's world: keep sim alive
    engine::Simulation sim(s, engine::RunConfig{});
    int ticks_done = 0;
    double loop_seconds = 0.0;
    try {
        {
            io::CsvRunWriter writer(sim.world(), dir.path(), writer_options);
            engine::TeeRecorder tee({&writer, &summary});
            ProgressBar bar("ticks", !quiet);
            spdlog::info("running '{}': {} ticks", s.name, s.time.ticks);
            const auto loop_start = std::chrono::steady_clock::now();
            sim.run(tee, [&](int done, int total) {
                ticks_done = done;
                throw_if_interrupted();  // SIGINT/SIGTERM: stop after this tick
                bar.update(done, total);
            });
            loop_seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - loop_start)
                    .count();
            bar.finish();
        }
        throw_if_interrupted();
    } catch (Interrupted& e) {
        e.set_detail(interrupted_detail(ticks_done));
        throw;  // `dir` removes the staging folder on the way out
    }
    io::write_summary_csv(summary.rows(), dir.path() / "summary.csv");
    io::write_text_file(dir.path() / "scenario.resolved.yaml", s.resolved_yaml);
    io::Manifest m;
    m.scenario_name = s.name;
    m.scenario_sha256 = io::sha256_hex(s.resolved_yaml);
    m.start_time_utc = start_time;
    m.status = "complete";
    m.seed = s.seed;
    m.runs = 1;
    m.threads = 1;
    m.command_line = inv.command_line;
    const auto& st = sim.stats();
    m.engine = io::Manifest::Engine{
        st.ticks, st.evaluations, st.route_checks, st.requests, st.bytes, loop_seconds, {}};
    spdlog::info("engine: {} ticks, {} buyer-offer evaluations, {:.3f} s in the tick loop",
                 st.ticks, st.evaluations, loop_seconds);
    for (std::size_t p = 1; p < engine::kPhases; ++p) {
        const char* phase = engine::to_string(static_cast<engine::Phase>(p));
        m.engine->phase_seconds.emplace_back(phase, st.phase_seconds[p]);
        spdlog::debug("engine phase {}: {:.6f} s", phase, st.phase_seconds[p]);
    }
    m.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    io::write_text_file(dir.path() / "manifest.json", io::manifest_json(m));
    if (const int sig = pending_signal(); sig != 0) {  // a signal during the last writes
        Interrupted e(sig);
        e.set_detail(interrupted_detail(s.time.ticks));
        throw e;
    }
    dir.commit();

    if (!quiet) {
        fmt::print("{}: {} ticks from {}, outputs in {} ({:.2f} s)\n", s.name, s.time.ticks,
                   format_date(s.time.start), out.string(), m.wall_seconds);
        print_headlines(s, summary.rows());
    }
    return 0;
}

}  // namespace ts::cli
