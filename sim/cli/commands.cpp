// tradesim run and tradesim validate.
#include "cli/commands.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include <fmt/format.h>

#include "cli/headlines.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "core/date.hpp"
#include "engine/simulation.hpp"
#include "io/compare_report.hpp"
#include "io/observed.hpp"
#include "io/scenario_reader.hpp"
#include "io/variant_changes.hpp"
#include "run/explain_job.hpp"
#include "run/run_job.hpp"

namespace ts::cli {

namespace {

/// The policy timeline of `validate`: one line per policy, in order of taking force.
void print_policies(const model::Scenario& s) {
    if (s.policies.empty()) return;
    fmt::print("\n{:<12} {:<12} {:>6} {:>6}  {:<5} {:<19} {}\n", "from", "until", "tick", "until",
               "by", "type", "id");
    std::vector<const model::Policy*> order;
    for (const auto& p : s.policies) order.push_back(&p);
    std::stable_sort(
        order.begin(), order.end(),
        [](const model::Policy* a, const model::Policy* b) { return a->from_tick < b->from_tick; });
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

/// The reaction rules of `validate`.
void print_reactions(const model::Scenario& s) {
    if (s.reactions.empty()) return;
    fmt::print("\nreactions\n");
    for (const auto& r : s.reactions) {
        std::string where;
        if (r.via != model::kNone)
            where = " via " + s.countries[static_cast<std::size_t>(r.via)].code;
        if (r.country != model::kNone)
            where += " in " + s.countries[static_cast<std::size_t>(r.country)].code;
        fmt::print("  {:<24} {} adds a {} when {}{} is {} {} for {} tick(s), {} tick(s) later\n",
                   r.id, s.countries[static_cast<std::size_t>(r.by)].code,
                   model::to_string(r.then.type), r.metric, where, r.above ? "above" : "below",
                   r.above ? *r.above : r.below.value_or(0.0), r.for_ticks, r.lag_ticks);
    }
}

/// The dated schedules of `validate`: each parameter and its rule, then its points
/// (date (tick) = value), wrapped to stay within 100 columns.
void print_schedules(const model::Scenario& s) {
    if (s.schedules.empty()) return;
    fmt::print("\nschedules\n");
    constexpr std::size_t kWidth = 100, kIndent = 6;
    for (const auto& sch : s.schedules) {
        fmt::print("  {} [{}]\n", sch.path, model::to_string(sch.interpolate));
        std::string line(kIndent, ' ');
        for (std::size_t i = 0; i < sch.points.size(); ++i) {
            const auto& p = sch.points[i];
            std::string point = fmt::format("{} (tick {}) = {}{}", format_date(p.date), p.tick,
                                            p.value, i + 1 < sch.points.size() ? "," : "");
            if (line.size() > kIndent && line.size() + 1 + point.size() > kWidth) {
                fmt::print("{}\n", line);
                line.assign(kIndent, ' ');
            }
            if (line.size() > kIndent) line += ' ';
            line += point;
        }
        fmt::print("{}\n", line);
    }
}

/// The capacity pools of `validate`: each pool, its capacity (the first value of a schedule,
/// which `schedules` lists) and the offers that draw on it with their coefficients.
void print_pools(const model::Scenario& s) {
    bool any = false;
    for (const auto& sup : s.suppliers) {
        for (std::size_t p = 0; p < sup.pools.size(); ++p) {
            if (!any) fmt::print("\npools\n");
            any = true;
            std::string users;
            for (model::Index o : sup.offers)
                for (const auto& use : s.offers[static_cast<std::size_t>(o)].uses)
                    if (static_cast<std::size_t>(use.pool) == p)
                        users += fmt::format(
                            "{}{} ({}/unit)", users.empty() ? "" : ", ",
                            s.products[static_cast<std::size_t>(
                                           s.offers[static_cast<std::size_t>(o)].product)]
                                .id,
                            use.per_unit);
            fmt::print("  {}.{}: {} per tick, drawn by {}\n", sup.id, sup.pools[p].id,
                       sup.pools[p].capacity, users.empty() ? "no offer" : users);
        }
    }
}

/// The world of a valid scenario, as `validate` shows it.
void print_world(const model::Scenario& s) {
    const auto cal = s.time.calendar();
    fmt::print("scenario   {}\n", s.name);
    if (!s.description.empty()) fmt::print("           {}\n", s.description);
    fmt::print("time       {} .. {}: {} ticks of one {}\n", format_date(cal.date_of(0)),
               format_date(cal.date_of(s.time.ticks - 1)), s.time.ticks, to_string(s.time.step));
    if (const auto observed = io::observed_span(s.time))
        fmt::print("observed   until {}\n", io::describe(*observed));
    fmt::print(
        "world      {} countries, {} products, {} suppliers with {} offers, {} buyers, {} routes "
        "(hubs)\n",
        s.countries.size(), s.products.size(), s.suppliers.size(), s.offers.size(), s.buyers.size(),
        s.routes.size());
    fmt::print("policies   {} (+ {} reaction rules)\n", s.policies.size(), s.reactions.size());
    print_policies(s);
    print_reactions(s);
    print_pools(s);
    print_schedules(s);
    for (const auto& sup : s.suppliers)
        if (sup.design_around)
            fmt::print(
                "design-around: {} launches a variant {} tick(s) after a control binds (margin "
                "{})\n",
                sup.id, sup.design_around->lag_ticks, sup.design_around->margin);
}

/// What `run` shows when it is done (nothing with --quiet, or on MPI ranks other than 0).
void print_run_outcome(const run::RunOutcome& o) {
    const model::Scenario& s = o.scenario;
    switch (o.kind) {
        case run::RunOutcome::Kind::single:
            fmt::print("{}: {} ticks from {}, outputs in {} ({:.2f} s)\n", s.name, s.time.ticks,
                       format_date(s.time.start), o.output.string(), o.wall_seconds);
            break;
        case run::RunOutcome::Kind::ensemble:
            fmt::print("{}: {} run(s) of {} ticks from {}, outputs in {} ({:.2f} s)\n", s.name,
                       o.runs, s.time.ticks, format_date(s.time.start), o.output.string(),
                       o.wall_seconds);
            if (o.runs > 1) {
                fmt::print("(means over {} runs; distributions in summary.csv)\n", o.runs);
                // Say what the spread of the runs includes, so a band is never read as more.
                if (o.random_parts && o.random_parts->empty())
                    fmt::print("(no random parts: all {} runs are identical)\n", o.runs);
                else if (o.random_parts)
                    fmt::print("{}", io::wrap(fmt::format("(the runs include {}; nothing else)",
                                                          *o.random_parts),
                                              100, " "));
            }
            break;
        case run::RunOutcome::Kind::shard:
            print_shard_outcome("run", *o.shard, o.output, o.wall_seconds);
            return;
        case run::RunOutcome::Kind::none:
            return;
    }
    print_headlines(s, o.headlines);
}

}  // namespace

int validate_command(const Invocation& inv) {
    CommandOptions options(
        "Usage: tradesim validate SCENARIO.yaml [--set PATH=VALUE]...\n\n"
        "Load and check a scenario; print the world and the policy timeline.\nOptions");
    options.visible.add(terminal_options())
        .add(scenario_options("override a value by dotted path (repeatable)"));
    options.hidden.add_options()("scenario", po::value<std::string>(), "scenario file");
    options.pos.add("scenario", 1);
    const auto vm = parse("validate", inv, options);
    if (print_help(vm, options)) return 0;
    const auto scenario = scenario_settings("validate", vm);

    const auto loaded = io::load_scenario(scenario.file, scenario.load);
    print_warnings(loaded.warnings);
    const auto& s = loaded.scenario;
    print_warnings(
        run::audit_policies(s, loaded.warnings));  // one silent run: policies that never matter
    print_world(s);
    for (const auto& note : engine::Simulation::unsimulated_features(s))
        fmt::print(stderr, "note: {}\n", note);
    if (const auto changes = io::variant_changes(scenario.file))
        fmt::print("{}", io::render_variant_changes(*changes));
    fmt::print("\nok: {} is valid\n", s.source_file);
    return 0;
}

int run_command(const Invocation& inv) {
    CommandOptions options(
        "Usage: tradesim run SCENARIO.yaml [-o DIR] [--seed N] [--set PATH=VALUE]... [--runs N] "
        "[--threads T]\n"
        "                    [--shard I/N] [--detail buyer|country|none] [--max-output SIZE] "
        "[--force]\n"
        "                    [--quiet]\n\n"
        "Simulate a scenario and write its outputs into DIR (default out/<scenario name>).\n"
        "With --runs N > 1: N Monte Carlo runs (run r seeded from the scenario seed and r), "
        "per-tick files\n"
        "with a `run` column and summary.csv with mean, sd, p05, p50, p95 per metric. Under "
        "mpirun the runs\n"
        "are spread over the ranks; with --shard I/N this process writes only its share into "
        "DIR/parts\n"
        "(completed runs are skipped) and 'tradesim reduce DIR' merges the shards.\nOptions");
    options.visible.add(terminal_options(kQuietHelp))
        .add(scenario_options("override a value by dotted path (repeatable)",
                              "random seed (overrides the scenario's)", true))
        .add(output_options(true))
        .add(ensemble_options("Monte Carlo runs"));
    options.hidden.add_options()("scenario", po::value<std::string>(), "scenario file");
    options.pos.add("scenario", 1);
    const auto vm = parse("run", inv, options);
    if (print_help(vm, options)) return 0;
    const bool quiet = vm.count("quiet") > 0;
    run::RunJob job;
    job.scenario = scenario_settings("run", vm);
    job.output = output_settings("run", vm);
    job.ensemble = ensemble_settings("run", vm);
    job.command_line = inv.command_line;

    ProgressBar bar("ticks", !quiet);
    const auto outcome = run::run_scenario(job, terminal_feedback(bar));
    bar.finish();
    if (outcome.exit_code != 0) return outcome.exit_code;
    if (!quiet) print_run_outcome(outcome);
    return 0;
}

}  // namespace ts::cli
