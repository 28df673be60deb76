#include "analysis/calibration.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <numeric>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <nlopt.hpp>

#include "analysis/sweep_design.hpp"
#include "core/error.hpp"

namespace ts::analysis {

FreeParameter parse_free_parameter(std::string_view spec) {
    constexpr std::string_view kExample = "--free routes.SGP.detection=0:0.3";
    const auto fail = [&](const std::string& why) -> FreeParameter {
        throw InputError(fmt::format("--free '{}': {}", spec, why));
    };
    SweepParameter p;
    try {
        p = parse_sweep_parameter(spec);
    } catch (const InputError&) {
        // The sweep's messages name --param and its list forms; a free parameter is only ever
        // a range, so say that instead.
        return fail("expected PATH=LOW:HIGH, the bounds of the search (e.g. " +
                    std::string(kExample) + ")");
    }
    if (!p.is_range || p.step)
        return fail("expected PATH=LOW:HIGH, two numbers and no step (e.g. " +
                    std::string(kExample) + ")");
    if (!(p.lo < p.hi))
        return fail(fmt::format("LOW must be < HIGH, got {} and {}", format_parameter_value(p.lo),
                                format_parameter_value(p.hi)));
    return {p.path, p.lo, p.hi, std::string(spec)};
}

namespace {

struct MethodName {
    CalibrationMethod method;
    const char* name;
    nlopt::algorithm algorithm;
};

constexpr MethodName kMethods[] = {
    {CalibrationMethod::bobyqa, "bobyqa", nlopt::LN_BOBYQA},
    {CalibrationMethod::neldermead, "neldermead", nlopt::LN_NELDERMEAD},
    {CalibrationMethod::sbplx, "sbplx", nlopt::LN_SBPLX},
    {CalibrationMethod::cobyla, "cobyla", nlopt::LN_COBYLA},
    {CalibrationMethod::direct, "direct", nlopt::GN_DIRECT_L},
};

const MethodName& method_name(CalibrationMethod m) {
    for (const auto& n : kMethods)
        if (n.method == m) return n;
    return kMethods[0];
}

}  // namespace

CalibrationMethod parse_calibration_method(std::string_view text) {
    for (const auto& n : kMethods)
        if (text == n.name) return n.method;
    throw InputError(fmt::format(
        "--method '{}': expected bobyqa, neldermead, sbplx, cobyla (local) or direct (global)",
        text));
}

const char* to_string(CalibrationMethod method) {
    return method_name(method).name;
}

bool is_global(CalibrationMethod method) {
    return method == CalibrationMethod::direct;
}

const char* to_string(Phase phase) {
    switch (phase) {
        case Phase::initial:
            return "initial";
        case Phase::lhs:
            return "lhs";
        case Phase::search:
            return "search";
    }
    return "?";
}

TaskMap thread_map(int threads) {
    return [threads](std::size_t count, const std::function<TaskResult(std::size_t)>& task) {
        std::vector<TaskResult> results(count);
        std::vector<std::exception_ptr> errors(count);
        std::atomic<std::size_t> next{0};
        std::atomic<bool> failed{false};
        const auto work = [&] {
            // After a failure no new task starts: the map rethrows as soon as the running ones end.
            for (std::size_t t; !failed && (t = next++) < count;) {
                try {
                    results[t] = task(t);
                } catch (...) {
                    errors[t] = std::current_exception();
                    failed = true;
                }
            }
        };
        const auto n = static_cast<std::size_t>(std::max(1, threads));
        std::vector<std::thread> pool;
        for (std::size_t i = 1; i < std::min(n, count); ++i) pool.emplace_back(work);
        work();
        for (auto& t : pool) t.join();
        for (const auto& e : errors)
            if (e) std::rethrow_exception(e);
        return results;
    };
}

namespace {

/// The progress shared by the tasks of one calibration.
class Tally {
  public:
    Tally(int budget, const CalibrationProgress& progress) : budget_(budget), progress_(progress) {}
    void add(double objective) {
        const std::lock_guard lock(mutex_);
        ++done_;
        best_ = std::min(best_, objective);
        if (progress_) progress_(done_, budget_, best_);
    }

  private:
    std::mutex mutex_;
    int budget_;
    int done_ = 0;
    double best_ = std::numeric_limits<double>::infinity();
    const CalibrationProgress& progress_;
};

std::string search_end(nlopt::result r) {
    switch (r) {
        case nlopt::MAXEVAL_REACHED:
            return "budget reached";
        case nlopt::XTOL_REACHED:
            return "step below tolerance";
        case nlopt::FTOL_REACHED:
            return "objective change below tolerance";
        case nlopt::STOPVAL_REACHED:
            return "objective reached 0";
        case nlopt::ROUNDOFF_LIMITED:
            return "limited by roundoff";
        default:
            return fmt::format("stopped (NLopt code {})", static_cast<int>(r));
    }
}

/// The data NLopt's callback needs: the objective, the trace and the first exception thrown.
struct SearchState {
    const UnitObjective* objective;
    Tally* tally;
    nlopt::opt* opt;
    std::size_t dimensions;
    std::vector<double> x0;  // the start, whose objective is known: NLopt asks for it first
    double f0;
    bool x0_pending = true;
    int budget;  // new evaluations allowed
    int evaluations = 0;
    TaskResult trace;  // (x..., f) per evaluation
    std::exception_ptr error;
};

double search_objective(unsigned n, const double* x, double* /*grad*/, void* data) {
    auto& s = *static_cast<SearchState*>(data);
    try {
        std::vector<double> unit(x, x + n);
        // NLopt may round onto a bound; + 0.0 makes −0 into 0, which prints the same.
        for (double& u : unit) u = std::clamp(u, 0.0, 1.0) + 0.0;
        if (s.x0_pending && unit == s.x0) {
            s.x0_pending = false;
            return s.f0;  // not evaluated again, not in the trace, not counted
        }
        s.x0_pending = false;
        if (s.evaluations == s.budget) {  // a search that moved its start (BOBYQA does near a
            s.opt->force_stop();          // bound) would otherwise take one evaluation more
            return std::numeric_limits<double>::infinity();
        }
        ++s.evaluations;
        const double f = (*s.objective)(unit);
        s.trace.insert(s.trace.end(), unit.begin(), unit.end());
        s.trace.push_back(f);
        s.tally->add(f);
        return f;
    } catch (...) {
        // NLopt's own wrapper would swallow the exception; keep it and stop the search.
        if (!s.error) s.error = std::current_exception();
        s.opt->force_stop();
        return std::numeric_limits<double>::infinity();
    }
}

/// One NLopt search from `x0` (objective `f0`) with `evaluations` new evaluations; the result
/// is the stop code followed by the trace.
TaskResult run_search(const UnitObjective& objective, CalibrationMethod method,
                      std::vector<double> x0, double f0, int evaluations, Tally& tally) {
    const std::size_t k = x0.size();
    nlopt::opt opt(method_name(method).algorithm, static_cast<unsigned>(k));
    opt.set_lower_bounds(std::vector<double>(k, 0.0));
    opt.set_upper_bounds(std::vector<double>(k, 1.0));
    // The start is given back, not evaluated, but NLopt counts it; search_objective stops the
    // search at `evaluations` new ones.
    opt.set_maxeval(evaluations + 1);
    opt.set_xtol_abs(kUnitTolerance);
    if (!is_global(method)) opt.set_initial_step(kUnitInitialStep);
    SearchState state{&objective, &tally, &opt, k, x0, f0, true, evaluations, 0, {}, nullptr};
    opt.set_min_objective(search_objective, &state);
    double f = 0.0;
    nlopt::result code = nlopt::FAILURE;
    try {
        code = opt.optimize(x0, f);
    } catch (const nlopt::roundoff_limited&) {
        code = nlopt::ROUNDOFF_LIMITED;
    } catch (const nlopt::forced_stop&) {
        code = nlopt::FORCED_STOP;
    }
    if (state.error) std::rethrow_exception(state.error);
    if (state.evaluations == evaluations) code = nlopt::MAXEVAL_REACHED;
    TaskResult out{static_cast<double>(code)};
    out.insert(out.end(), state.trace.begin(), state.trace.end());
    return out;
}

/// The points of the hypercube, L of them in k dimensions.
std::vector<std::vector<double>> hypercube(std::size_t k, int points, std::uint64_t seed) {
    if (points <= 0) return {};
    std::vector<SweepParameter> unit(k);
    for (std::size_t i = 0; i < k; ++i) {
        auto& p = unit[i];
        p.path = fmt::format("u{}", i);  // the design refuses repeated paths
        p.is_range = true;
        p.lo = 0.0;
        p.hi = 1.0;
    }
    const auto design = make_design(unit, {DesignKind::lhs, points}, seed);
    std::vector<std::vector<double>> out;
    for (const auto& v : design.variants) out.push_back(v.unit);
    return out;
}

}  // namespace

CalibrationResult calibrate(const UnitObjective& objective, std::size_t dimensions,
                            const CalibrationSettings& settings, const TaskMap& map,
                            const CalibrationProgress& progress) {
    if (settings.budget < 1 || settings.starts < 1 || settings.initial.size() != dimensions)
        throw InternalError("calibrate: budget and starts must be >= 1, one initial per dimension");
    Tally tally(settings.budget, progress);
    const bool global = is_global(settings.method);
    const int rest = settings.budget - 1;
    const int lhs = global ? 0 : std::min(rest, std::max(settings.starts, rest / 4));

    // Phases 1 and 2: the initial point and the hypercube, all in parallel.
    std::vector<std::vector<double>> points{settings.initial};
    for (auto& u : points.front()) u = std::clamp(u, 0.0, 1.0);
    for (auto& p : hypercube(dimensions, lhs, settings.seed)) points.push_back(std::move(p));
    const auto values = map(points.size(), [&](std::size_t i) {
        const double f = objective(points[i]);
        tally.add(f);
        return TaskResult{f};
    });
    CalibrationResult result;
    for (std::size_t i = 0; i < points.size(); ++i)
        result.evaluations.push_back(
            {i == 0 ? Phase::initial : Phase::lhs, -1, points[i], values[i].at(0)});

    // Phase 3: searches from the best points, each with its share of the evaluations left.
    std::vector<std::size_t> order(points.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return values[a][0] < values[b][0]; });
    const int left = rest - lhs;
    const int starts = global ? 1 : std::min<int>(settings.starts, static_cast<int>(points.size()));
    if (left > 0) {
        const auto traces = map(static_cast<std::size_t>(starts), [&](std::size_t s) {
            const int share = left / starts + (static_cast<int>(s) < left % starts ? 1 : 0);
            if (share == 0) return TaskResult{static_cast<double>(nlopt::MAXEVAL_REACHED)};
            return run_search(objective, settings.method, points[order[s]], values[order[s]][0],
                              share, tally);
        });
        for (std::size_t s = 0; s < traces.size(); ++s) {
            const auto& t = traces[s];
            result.search_ends.push_back(search_end(static_cast<nlopt::result>(t.at(0))));
            for (std::size_t at = 1; at + dimensions < t.size(); at += dimensions + 1) {
                const auto begin = t.begin() + static_cast<std::ptrdiff_t>(at);
                result.evaluations.push_back(
                    {Phase::search, static_cast<int>(s),
                     std::vector<double>(begin, begin + static_cast<std::ptrdiff_t>(dimensions)),
                     t[at + dimensions]});
            }
        }
    }
    for (std::size_t i = 1; i < result.evaluations.size(); ++i)
        if (result.evaluations[i].objective < result.evaluations[result.best].objective)
            result.best = i;
    return result;
}

}  // namespace ts::analysis
