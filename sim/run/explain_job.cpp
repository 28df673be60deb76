#include "run/explain_job.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "engine/policy_audit.hpp"
#include "engine/simulation.hpp"
#include "engine/trace.hpp"
#include "io/explain_report.hpp"
#include "io/manifest.hpp"
#include "io/output_dir.hpp"
#include "io/scenario_reader.hpp"
#include "run/interrupt.hpp"

namespace ts::run {

namespace fs = std::filesystem;
using model::Index;

namespace {

/// Does nothing with the records: the trace is all a traced run is for.
class NullRecorder final : public engine::Recorder {
  public:
    void record(const engine::TickRecord&) override {}
};

/// The nearest of `names` to `word`, as " (did you mean 'x'?)", or "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& names) {
    std::size_t best = std::string::npos;
    std::string pick;
    for (const auto& n : names) {
        const std::size_t d = edit_distance(word, n);
        if (d < best) best = d, pick = n;
    }
    return best <= std::max<std::size_t>(2, word.size() / 3) ? " (did you mean '" + pick + "'?)"
                                                             : "";
}

int tick_of(const model::Scenario& s, const std::string& text) {
    const auto d = parse_date(text);
    if (!d)
        throw InputError(fmt::format(
            "explain: --date '{}' is not a date: expected YYYY-MM or YYYY-MM-DD", text));
    const auto cal = s.time.calendar();
    const std::int64_t t = cal.tick_containing(*d);
    if (t < 0 || t >= s.time.ticks)
        throw InputError(fmt::format("explain: --date {} is outside the run ({} to {})", text,
                                     format_date(cal.date_of(0)),
                                     format_date(cal.date_of(s.time.ticks - 1))));
    return static_cast<int>(t);
}

Index find_buyer(const model::Scenario& s, const std::string& id) {
    std::vector<std::string> ids;
    for (std::size_t b = 0; b < s.buyers.size(); ++b) {
        if (s.buyers[b].id == id) return static_cast<Index>(b);
        ids.push_back(s.buyers[b].id);
    }
    throw InputError(fmt::format("explain: --buyer '{}' is not a buyer of the run{}", id,
                                 did_you_mean(id, ids)));
}

Index find_offer(const model::Scenario& s, const std::string& name) {
    std::vector<std::string> names;
    for (std::size_t o = 0; o < s.offers.size(); ++o) {
        names.push_back(io::offer_name(s, static_cast<Index>(o)));
        if (names.back() == name) return static_cast<Index>(o);
    }
    throw InputError(
        fmt::format("explain: --offer '{}' is not an offer of the run: expected SUPPLIER/PRODUCT{}",
                    name, did_you_mean(name, names)));
}

/// A file name part without path separators or spaces.
std::string safe(std::string text) {
    for (char& c : text)
        if (c == '/' || c == '\\' || c == ' ' || c == ':') c = '_';
    return text;
}

io::LoadedScenario load_run_folder(const fs::path& dir) {
    const fs::path file = dir / io::kResolvedScenarioYaml;
    if (!fs::is_regular_file(file))
        throw InputError(
            fmt::format("explain: {} has no {}: expected a folder written by 'tradesim run'",
                        dir.string(), io::kResolvedScenarioYaml));
    return io::load_scenario(file.string());
}

}  // namespace

TraceOutcome run_trace_job(const TraceJob& job) {
    if (job.buyer.empty() == job.offer.empty())
        throw InputError("explain: give one of --buyer ID or --offer SUPPLIER/PRODUCT");
    const auto loaded = load_run_folder(job.run_dir);
    engine::RunConfig config;
    config.run = job.run;
    std::optional<model::Scenario> drawn;
    if (loaded.uncertainty && job.run > 0) drawn = loaded.uncertainty->scenario(job.run);
    engine::Simulation sim(drawn ? *drawn : loaded.scenario, config);
    const model::Scenario& s = sim.world();  // with reactions and variants
    const int tick = tick_of(s, job.date);
    const bool by_buyer = !job.buyer.empty();
    engine::TraceProbe probe = by_buyer
                                   ? engine::TraceProbe::for_buyer(tick, find_buyer(s, job.buyer))
                                   : engine::TraceProbe::for_offer(tick, find_offer(s, job.offer));
    sim.set_probe(&probe);
    NullRecorder sink;
    while (!sim.done() && !probe.done()) {
        sim.step(sink);
        throw_if_interrupted();
    }
    TraceOutcome out;
    const std::string date = format_date(s.time.calendar().date_of(tick));
    out.csv = !job.output.empty()
                  ? job.output
                  : job.run_dir / "explain" /
                        fmt::format("{}-{}.csv", safe(by_buyer ? job.buyer : job.offer), date);
    io::create_parent_folders(out.csv);
    if (by_buyer) {
        out.text = io::format_buyer_trace(s, probe.buyer(), job.run);
        io::write_buyer_trace_csv(s, probe.buyer(), job.run, out.csv);
    } else {
        out.text = io::format_offer_trace(s, probe.offer(), job.run);
        io::write_offer_trace_csv(s, probe.offer(), job.run, out.csv);
    }
    return out;
}

std::vector<Diagnostic> audit_policies(const model::Scenario& scenario,
                                       const std::vector<Diagnostic>& warnings) {
    engine::Simulation sim(scenario, engine::RunConfig{});
    engine::PolicyAudit audit(sim.world(), scenario.policies.size());
    sim.set_probe(&audit);
    NullRecorder sink;
    sim.run(sink, [](int, int) { throw_if_interrupted(); });
    return audit.warnings(warnings);
}

}  // namespace ts::run
