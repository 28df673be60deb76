// The scenario of each run of an uncertain ensemble, and what is random in an ensemble
// (io/uncertainty.hpp).
#include <fmt/format.h>

#include "io/scenario_build.hpp"
#include "io/uncertainty.hpp"

namespace ts::io {

namespace {

/// Shortest text that reads back as the same double: the override applies exactly the draw.
std::string number_text(double v) {
    return fmt::format("{}", v);
}

bool strictly_between_0_and_1(double v) {
    return v > 0.0 && v < 1.0;
}

}  // namespace

RandomParts random_parts(const model::Scenario& s, const Uncertainty* uncertainty) {
    RandomParts out;
    const auto policy = [&out](const model::Policy& p) {
        if (p.licence && strictly_between_0_and_1(p.licence->approval)) out.licence_draws = true;
        if (p.type == model::PolicyType::enforcement && p.detection > 0.0) out.seizure_draws = true;
    };
    for (const auto& p : s.policies) policy(p);
    for (const auto& r : s.reactions) policy(r.then);
    for (const auto& r : s.routes)
        if (r.detection > 0.0) out.seizure_draws = true;
    for (const auto& sched : s.schedules)
        for (const auto& point : sched.points) {
            if (sched.field == model::ScheduleField::policy_approval &&
                strictly_between_0_and_1(point.value))
                out.licence_draws = true;
            if ((sched.field == model::ScheduleField::route_detection ||
                 sched.field == model::ScheduleField::policy_detection) &&
                point.value > 0.0)
                out.seizure_draws = true;
        }
    if (uncertainty) out.parameters = uncertainty->paths();
    return out;
}

std::string describe(const RandomParts& parts) {
    std::vector<std::string> words;
    if (parts.licence_draws) words.emplace_back("licence draws");
    if (parts.seizure_draws) words.emplace_back("seizure draws");
    if (!parts.parameters.empty())
        words.push_back(fmt::format("parameters ({})", join(parts.parameters)));
    return join(words);
}

RunScenarios::RunScenarios(Doc doc, std::string source_file, Uncertainty uncertainty,
                           std::uint64_t seed)
    : doc_(std::move(doc)),
      source_file_(std::move(source_file)),
      uncertainty_(std::move(uncertainty)),
      seed_(seed) {}

model::Scenario RunScenarios::build(const std::vector<double>& values, const std::string& label,
                                    const std::vector<std::string>& origins,
                                    const std::vector<SourceLoc>& sources) const {
    const std::vector<std::string> paths = uncertainty_.paths();
    Doc doc = doc_;
    Diagnostics diags;
    for (std::size_t i = 0; i < paths.size(); ++i)
        apply_override(doc, paths[i] + "=" + number_text(values[i]), static_cast<int>(i) + 1,
                       diags);
    model::Scenario s;
    s.source_file = source_file_;
    detail::ScenarioBuilder(diags, s).build(doc);
    if (!diags.has_errors()) return s;
    // The values were applied as overrides "--set" line i + 1: such a message is about value
    // i, and is moved to where that value comes from. Warnings repeat the base scenario's.
    std::vector<Diagnostic> out;
    Diagnostic head;
    head.loc = uncertainty_.loc;
    head.path = "uncertainty";
    head.message = label;
    out.push_back(std::move(head));
    for (Diagnostic d : diags.items()) {
        if (d.severity != Severity::error) continue;
        const auto i = static_cast<std::size_t>(d.loc.line - 1);
        if (d.loc.file == "--set" && i < paths.size()) {
            d.loc = sources[i];
            d.message = fmt::format("{} = {} ({}): {}", paths[i], number_text(values[i]),
                                    origins[i], d.message);
        }
        out.push_back(std::move(d));
    }
    throw InputError(std::move(out));
}

model::Scenario RunScenarios::scenario(int run) const {
    const std::size_t n = uncertainty_.paths().size();
    std::vector<std::string> origins;
    std::vector<SourceLoc> sources;
    for (std::size_t i = 0; i < n; ++i) {
        origins.push_back(uncertainty_.origin(i, run));
        sources.push_back(uncertainty_.source(i, run));
    }
    return build(uncertainty_.values(seed_, run),
                 fmt::format("run {} draws values the scenario does not accept; truncate the "
                             "distribution (min, max) to the values the field accepts, or fix "
                             "the draws file:",
                             run),
                 origins, sources);
}

void RunScenarios::check_runs(int runs) const {
    if (const auto& t = uncertainty_.table; t && t->rows.size() < static_cast<std::size_t>(runs))
        throw InputError({Diagnostic{
            Severity::error, t->loc, "uncertainty.draws",
            fmt::format("'{}' has {} draw(s) but the ensemble has {} runs: run r takes row r "
                        "(the r-th after the header), so give at least {} rows or fewer --runs",
                        t->file, t->rows.size(), runs, runs)}});
    for (int r = 0; r < runs; ++r) scenario(r);
}

void RunScenarios::check_paths() const {
    std::vector<double> values;
    std::vector<std::string> origins;
    std::vector<SourceLoc> sources;
    for (const auto& p : uncertainty_.parameters) {
        values.push_back(p.centre());
        origins.push_back("the centre of " + p.describe());
        sources.push_back(p.loc);
    }
    if (const auto& t = uncertainty_.table) {
        for (std::size_t i = 0; i < t->paths.size(); ++i) {
            values.push_back(t->rows.front()[i]);
            origins.push_back(fmt::format("the first row of '{}'", t->file));
            sources.push_back(SourceLoc{t->file, t->lines.front(), 1});
        }
    }
    build(values,
          "every uncertain path must name a number the scenario accepts (checked with the "
          "centre of each distribution and the first row of a draws file):",
          origins, sources);
}

std::string RunScenarios::parameters_csv(int runs) const {
    std::string out = "run,path,value\n";
    const std::vector<std::string> paths = uncertainty_.paths();
    for (int r = 0; r < runs; ++r) {
        const std::vector<double> values = uncertainty_.values(seed_, r);
        for (std::size_t i = 0; i < paths.size(); ++i) {
            // Paths hold quotes (ids with '=') and could hold commas: quote them then.
            std::string path = paths[i];
            if (path.find_first_of(",\"\r\n") != std::string::npos) {
                std::string quoted = "\"";
                for (const char c : path)
                    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
                path = quoted + "\"";
            }
            out += fmt::format("{},{},{}\n", r, path, number_text(values[i]));
        }
    }
    return out;
}

}  // namespace ts::io
