#include "run/calibrate_objective.hpp"

#include <charconv>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "analysis/sweep_design.hpp"
#include "analysis/target_recorder.hpp"
#include "engine/simulation.hpp"
#include "io/manifest.hpp"
#include "io/scenario_reader.hpp"
#include "run/interrupt.hpp"

namespace ts::run {

CalibrationObjective::CalibrationObjective(io::Doc doc, std::string file,
                                           std::vector<std::string> overrides,
                                           std::vector<analysis::FreeParameter> free,
                                           analysis::TargetSet targets, int runs)
    : doc_(std::move(doc)),
      file_(std::move(file)),
      overrides_(std::move(overrides)),
      free_(std::move(free)),
      targets_(std::move(targets)),
      runs_(runs) {}

std::vector<double> CalibrationObjective::values_at(const std::vector<double>& unit) const {
    // Rounded through the text of an override (12 significant digits): the value reported is
    // the value simulated, and the one calibrated.yaml gives.
    std::vector<double> out;
    for (std::size_t i = 0; i < free_.size(); ++i) {
        const std::string text =
            analysis::format_parameter_value(free_[i].lo + unit[i] * (free_[i].hi - free_[i].lo));
        double v = 0.0;
        std::from_chars(text.data(), text.data() + text.size(), v);  // locale-independent
        out.push_back(v);
    }
    return out;
}

std::vector<std::string> CalibrationObjective::overrides_at(
    const std::vector<double>& values) const {
    std::vector<std::string> out = overrides_;
    for (std::size_t i = 0; i < free_.size(); ++i)
        out.push_back(free_[i].path + "=" + analysis::format_parameter_value(values[i]));
    return out;
}

model::Scenario CalibrationObjective::scenario_at(const std::vector<double>& values) const {
    io::LoadOptions options;
    options.overrides = overrides_at(values);
    return io::load_scenario_doc(doc_, file_, options).scenario;
}

analysis::FitReport CalibrationObjective::fit_at(const std::vector<double>& values,
                                                 bool check) const {
    return folder_fit_at(values, "", check).report;
}

io::FolderFit CalibrationObjective::folder_fit_at(const std::vector<double>& values,
                                                  const std::string& label, bool check) const {
    // The parameters go through the same text as calibrated.yaml (12 significant digits), so
    // the scenario evaluated here is exactly the one that file gives.
    io::LoadOptions options;
    options.overrides = overrides_at(values);
    const auto loaded = io::load_scenario_doc(doc_, file_, options);
    const model::Scenario& s = loaded.scenario;
    analysis::TargetAccumulator acc(targets_);
    for (int r = 0; r < runs_; ++r) {
        engine::RunConfig config;
        config.run = r;
        // With an `uncertainty` section run r draws its parameters, the same draws at every
        // point (they are keyed by the seed, the run and the path): still common random numbers.
        std::optional<model::Scenario> drawn;
        if (loaded.uncertainty) drawn = loaded.uncertainty->scenario(r);
        engine::Simulation sim(drawn ? *drawn : s, config);
        analysis::TargetRecorder recorder(acc);
        sim.run(recorder, [](int, int) { throw_if_interrupted(); });
        if (check && r == 0) acc.check("of the scenario").throw_if_errors();
    }
    io::FolderFit out;
    out.folder = label;
    out.label = s.name;
    out.runs = runs_;
    out.first = acc.span().first;
    out.last = acc.span_end();
    if (const auto o = io::observed_record(s.time)) out.observed_until = o->until;
    out.report = analysis::fit(targets_, acc.all_model_values(), out.observed_until);
    return out;
}

std::vector<double> CalibrationObjective::residuals(const analysis::FitReport& report) const {
    std::vector<double> z;
    for (const auto& row : report.rows)
        if (!row.target->holdout) z.push_back(row.z);
    return z;
}

std::vector<double> CalibrationObjective::weights() const {
    std::vector<double> w;
    for (const auto& t : targets_.targets)
        if (!t.holdout) w.push_back(t.weight);
    return w;
}

}  // namespace ts::run
