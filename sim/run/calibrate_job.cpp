#include "run/calibrate_job.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "analysis/sweep_design.hpp"
#include "core/error.hpp"
#include "io/calibration_doc.hpp"
#include "io/fit_report.hpp"
#include "io/output_dir.hpp"
#include "io/scenario_reader.hpp"
#include "io/targets_reader.hpp"
#include "run/calibrate_cache.hpp"
#include "run/calibrate_objective.hpp"
#include "run/calibrate_output.hpp"
#include "run/ensemble_runner.hpp"
#include "run/interrupt.hpp"
#include "run/job_support.hpp"
#include "run/mpi_session.hpp"

namespace fs = std::filesystem;

namespace ts::run {

namespace {

/// Everything checked before the search: the objective, where the search starts and where the
/// outputs go. Made on every rank.
struct Prepared {
    std::unique_ptr<CalibrationObjective> objective;
    std::vector<double> start;       // the scenario's values
    std::vector<double> start_unit;  // clamped into the bounds
    io::FolderFit before;            // the fit at `start`
    double before_objective = 0.0;
    bool initial_is_start = false;  // the search's initial point is the scenario's values
    model::Scenario base;
    std::vector<Diagnostic> warnings;
    std::vector<std::string> notes;
    fs::path out;
    EvaluationCache cache;  // --resume: the evaluations already in `out`
};

io::Doc load_tree(const std::string& file) {
    Diagnostics diags;
    auto doc = io::load_doc(file, diags);
    diags.throw_if_errors();
    if (!doc) throw InputError("cannot load scenario '" + file + "'");
    return std::move(*doc);
}

void check_distinct(const std::vector<analysis::FreeParameter>& free) {
    for (std::size_t i = 0; i < free.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (free[i].path == free[j].path)
                throw InputError(fmt::format("--free '{}': {} is already free (--free '{}')",
                                             free[i].spec, free[i].path, free[j].spec));
}

/// Where check_bounds tries each parameter inside its bounds: a fraction of the range that is
/// no simple ratio, so that a field that takes only whole numbers (a delay) is caught.
constexpr double kInteriorProbe = 0.381966;  // 2 − φ

/// Each parameter at its bounds and at one interior point (the others at their start) must give
/// a valid scenario, so that a bad bound, or a field that cannot take any number between them, is
/// an input error before anything runs, not a failure in the middle of the search.
void check_bounds(const CalibrationObjective& objective, const std::vector<double>& start) {
    const auto& free = objective.free();
    for (std::size_t j = 0; j < free.size(); ++j) {
        for (const double u : {0.0, 1.0, kInteriorProbe}) {
            std::vector<double> values = start;
            for (std::size_t i = 0; i < free.size(); ++i)
                values[i] = std::clamp(values[i], free[i].lo, free[i].hi);
            values[j] = objective.values_at(std::vector<double>(free.size(), u))[j];
            try {
                (void)objective.scenario_at(values);
            } catch (const InputError& e) {
                Diagnostic head;
                head.loc.file = "tradesim calibrate";
                head.message =
                    fmt::format("--free '{}': the scenario is not valid at {} ({}):", free[j].spec,
                                analysis::format_parameter_value(values[j]),
                                u == 0.0   ? "its lower bound"
                                : u == 1.0 ? "its upper bound"
                                           : "inside the bounds");
                std::vector<Diagnostic> diags{head};
                // The value came from --free j + 1 (after the job's --set), not from a --set.
                const auto own = static_cast<int>(objective.overrides().size() + j + 1);
                for (Diagnostic d : e.diagnostics()) {
                    if (d.loc.file == "--set" && d.loc.line == own) {
                        d.loc.file = "--free";
                        d.loc.line = static_cast<int>(j) + 1;
                    }
                    diags.push_back(std::move(d));
                }
                throw InputError(std::move(diags));
            }
        }
    }
}

void prepare(const CalibrateJob& job, const MpiSession& mpi, Prepared& p) {
    check_distinct(job.free);
    io::Doc tree = load_tree(job.scenario.file);
    auto loaded = io::load_scenario_doc(tree, job.scenario.file, job.scenario.load);
    if (loaded.uncertainty)
        for (const auto& f : job.free)
            for (const auto& path : loaded.uncertainty->uncertainty().paths())
                if (path == f.path)
                    throw InputError(fmt::format(
                        "--free '{}': {} is uncertain in the scenario (its `uncertainty` "
                        "section): each run draws it, so it cannot also be fitted",
                        f.spec, f.path));
    p.base = std::move(loaded.scenario);
    p.warnings = std::move(loaded.warnings);
    io::Doc resolved = tree;  // with the job's --set, where the free parameters are read
    Diagnostics ignored;      // the overrides applied when the scenario was loaded above
    for (std::size_t i = 0; i < job.scenario.load.overrides.size(); ++i)
        io::apply_override(resolved, job.scenario.load.overrides[i], static_cast<int>(i) + 1,
                           ignored);
    p.start = io::free_parameter_values(resolved, job.free);
    auto targets = io::load_targets(job.targets_file);
    p.objective = std::make_unique<CalibrationObjective>(std::move(tree), job.scenario.file,
                                                         job.scenario.load.overrides, job.free,
                                                         std::move(targets), job.runs);
    check_bounds(*p.objective, p.start);
    for (std::size_t i = 0; i < job.free.size(); ++i) {
        const auto& f = job.free[i];
        p.start_unit.push_back(std::clamp((p.start[i] - f.lo) / (f.hi - f.lo), 0.0, 1.0));
        if (p.start[i] < f.lo || p.start[i] > f.hi)
            p.notes.push_back(fmt::format(
                "{}: the scenario's value {} is outside [{}, {}]; the search starts at the "
                "nearest bound",
                f.path, analysis::format_parameter_value(p.start[i]),
                analysis::format_parameter_value(f.lo), analysis::format_parameter_value(f.hi)));
    }
    p.initial_is_start = p.objective->values_at(p.start_unit) == p.start;
    // The fit before: also checks the targets against the scenario (InputError, exit 2).
    p.before = p.objective->folder_fit_at(p.start, "before", true);
    p.before_objective = analysis::objective(p.before.report);
    p.out = job.output.folder ? *job.output.folder : fs::path("out") / (p.base.name + "-calibrate");
    if (job.resume) p.cache = EvaluationCache::read(p.out, job.free);
    if (mpi.rank() == 0) io::OutputDir::check_available(p.out, job.output.force || job.resume);
}

/// Tasks spread over the MPI ranks (task t on rank t mod K), on `threads` threads in each;
/// every rank gets every result.
analysis::TaskMap rank_map(MpiSession& mpi, int threads) {
    return [&mpi, threads](std::size_t count,
                           const std::function<analysis::TaskResult(std::size_t)>& task) {
        const auto ranks = static_cast<std::size_t>(mpi.size());
        const auto rank = static_cast<std::size_t>(mpi.rank());
        std::vector<std::size_t> mine;
        for (std::size_t t = rank; t < count; t += ranks) mine.push_back(t);
        auto local = analysis::thread_map(threads)(mine.size(),
                                                   [&](std::size_t i) { return task(mine[i]); });
        if (ranks == 1) return local;
        std::vector<double> lengths(count, 0.0);
        for (std::size_t i = 0; i < mine.size(); ++i)
            lengths[mine[i]] = static_cast<double>(local[i].size());
        mpi.sum(lengths);
        std::vector<std::size_t> offset(count + 1, 0);
        for (std::size_t t = 0; t < count; ++t)
            offset[t + 1] = offset[t] + static_cast<std::size_t>(lengths[t]);
        std::vector<double> flat(offset[count], 0.0);
        for (std::size_t i = 0; i < mine.size(); ++i)
            std::copy(local[i].begin(), local[i].end(),
                      flat.begin() + static_cast<std::ptrdiff_t>(offset[mine[i]]));
        mpi.sum(flat);
        std::vector<analysis::TaskResult> out(count);
        for (std::size_t t = 0; t < count; ++t)
            out[t].assign(flat.begin() + static_cast<std::ptrdiff_t>(offset[t]),
                          flat.begin() + static_cast<std::ptrdiff_t>(offset[t + 1]));
        return out;
    };
}

/// The search and the identifiability report, on every rank.
struct Searched {
    analysis::CalibrationResult result;
    analysis::Identifiability identifiability;
};

Searched search(const CalibrateJob& job, const Prepared& p, MpiSession& mpi,
                const CalibrateFeedback& feedback, std::atomic<int>& done, EvaluationLog& log) {
    const auto& objective = *p.objective;
    const auto map = rank_map(mpi, resolve_threads(job.threads));
    const analysis::UnitObjective f = [&](const std::vector<double>& unit) {
        const auto values = objective.values_at(unit);
        ValueText text;
        for (const double v : values) text.push_back(analysis::format_parameter_value(v));
        if (const auto known = p.cache.find(text)) return *known;
        // The initial point is the fit before, already known.
        const double value = p.initial_is_start && unit == p.start_unit
                                 ? p.before_objective
                                 : analysis::objective(objective.fit_at(values));
        log.add(std::move(text), value);
        return value;
    };
    analysis::CalibrationSettings settings;
    settings.method = job.method;
    settings.budget = job.budget;
    settings.starts = job.starts;
    settings.seed = p.base.seed;
    settings.initial = p.start_unit;
    const bool root = mpi.rank() == 0;
    Searched s;
    s.result =
        analysis::calibrate(f, job.free.size(), settings, map, [&](int n, int budget, double best) {
            done = n;
            if (root) feedback.progress(n, budget, best);
        });
    const auto& best = s.result.evaluations[s.result.best].unit;
    s.identifiability = analysis::identify(
        [&](const std::vector<double>& unit) {
            return objective.residuals(objective.fit_at(objective.values_at(unit)));
        },
        best, job.free, objective.weights(), map);
    return s;
}

/// After SIGINT/SIGTERM during the search: rank 0 leaves the evaluations made so far in the
/// folder (status "interrupted", for --resume) unless that would replace a folder it may not
/// replace; returns what happened, for the message.
std::string interrupted(const CalibrateJob& job, const Prepared& p, const MpiSession& mpi,
                        const EvaluationLog& log, const JobClock& clock, int done) {
    const std::string head = fmt::format("stopped after {} of {} evaluations", done, job.budget);
    const bool exists = fs::exists(p.out);
    if (mpi.rank() != 0) return head;
    if (exists && !job.output.force && !job.resume)
        return fmt::format("{}; '{}' left as it was", head, p.out.string());
    if (log.entries().empty())
        return fmt::format("{}; {}", head,
                           exists ? fmt::format("'{}' left as it was", p.out.string())
                                  : std::string("nothing written"));
    const std::size_t rows = write_interrupted(job, p.base, p.cache, log, p.out, clock, done);
    return fmt::format(
        "{}; the {} evaluation(s) made so far are in '{}' (status \"interrupted\"): the same "
        "command with --resume goes on from them",
        head, rows, p.out.string());
}

}  // namespace

CalibrateOutcome run_calibration(const CalibrateJob& job, const CalibrateFeedback& feedback) {
    MpiSession mpi(feedback.message);
    const JobClock clock;
    Prepared p;
    CalibrateOutcome outcome;
    outcome.exit_code = prepare_on_all_ranks(mpi, [&] { prepare(job, mpi, p); });
    if (outcome.exit_code != 0) return outcome;
    if (mpi.rank() == 0) report_warnings(p.warnings, Feedback{feedback.message});
    spdlog::info(
        "calibrating '{}': {} free parameter(s), {} with a budget of {}, {} run(s) per "
        "evaluation, {} thread(s) x {} process(es)",
        p.base.name, job.free.size(), analysis::to_string(job.method), job.budget, job.runs,
        resolve_threads(job.threads), mpi.size());

    std::atomic<int> done{0};
    EvaluationLog log;
    Searched s;
    try {
        s = guarded(mpi, [&] { return search(job, p, mpi, feedback, done, log); });
    } catch (Interrupted& e) {
        e.set_detail(interrupted(job, p, mpi, log, clock, done.load()));
        throw;
    }
    if (job.resume)
        spdlog::info("resumed: {} evaluation(s) simulated, the others of {} taken from '{}'",
                     log.entries().size(), s.result.evaluations.size(), p.out.string());
    const auto& objective = *p.objective;
    const auto& best = s.result.evaluations[s.result.best];
    const auto fitted = objective.values_at(best.unit);
    const auto after = objective.folder_fit_at(fitted, "after");

    outcome.output = p.out;
    outcome.scenario_name = p.base.name;
    outcome.method = analysis::to_string(job.method);
    outcome.objective_before = p.before_objective;
    outcome.objective_after = best.objective;
    outcome.evaluations = static_cast<int>(s.result.evaluations.size());
    outcome.identify_evaluations = s.identifiability.evaluations;
    outcome.warnings = p.notes;
    for (std::size_t i = 0; i < job.free.size(); ++i) {
        outcome.parameters.push_back(
            {job.free[i], p.start[i], fitted[i], s.identifiability.parameters[i]});
        if (!s.identifiability.parameters[i].warning.empty())
            outcome.warnings.push_back(s.identifiability.parameters[i].warning);
    }
    for (const auto& w : s.identifiability.correlated) outcome.warnings.push_back(w);
    outcome.correlation = s.identifiability.correlation;
    outcome.fit_table = io::render_fit_table(objective.targets(), {p.before, after});
    outcome.wall_seconds = clock.seconds();
    if (mpi.rank() != 0) return outcome;

    CalibrationFiles files{job,      objective,         p.base, p.before, after,
                           s.result, s.identifiability, outcome};
    const bool replacing = fs::exists(p.out);
    try {
        write_calibration(files, clock);
    } catch (Interrupted& e) {
        e.set_detail(fmt::format("stopped while writing; {}",
                                 replacing ? fmt::format("'{}' left as it was", p.out.string())
                                           : std::string("nothing written")));
        throw;
    }
    outcome.written = true;
    outcome.wall_seconds = clock.seconds();
    return outcome;
}

}  // namespace ts::run
