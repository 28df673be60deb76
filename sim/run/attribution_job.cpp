// tradesim explain A B --metric M: the change of a metric between two run folders, attributed
// to the differences of their scenarios (Shapley values) and broken down by channel, route,
// supplier and product.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>

#include <fmt/format.h>

#include "analysis/attribution.hpp"
#include "analysis/summary.hpp"
#include "engine/simulation.hpp"
#include "io/compare_report.hpp"
#include "io/csv.hpp"
#include "io/doc_diff.hpp"
#include "io/manifest.hpp"
#include "io/output_dir.hpp"
#include "io/scenario_reader.hpp"
#include "run/explain_job.hpp"
#include "run/interrupt.hpp"

namespace ts::run {

namespace fs = std::filesystem;

namespace {

io::Doc load_tree(const fs::path& dir) {
    const fs::path file = dir / io::kResolvedScenarioYaml;
    if (!fs::is_regular_file(file))
        throw InputError(
            fmt::format("explain: {} has no {}: expected a folder written by 'tradesim run'",
                        dir.string(), io::kResolvedScenarioYaml));
    Diagnostics diags;
    auto doc = io::load_doc(file.string(), diags);
    diags.throw_if_errors();
    return std::move(*doc);
}

/// Forwards the ticks in [from, until) only.
class Window final : public engine::Recorder {
  public:
    Window(engine::Recorder& inner, std::int64_t from, std::int64_t until)
        : inner_(inner), from_(from), until_(until) {}
    void begin(const model::Scenario& s, int run) override { inner_.begin(s, run); }
    void record(const engine::TickRecord& t) override {
        if (t.tick >= from_ && t.tick < until_) inner_.record(t);
    }
    void end() override { inner_.end(); }

  private:
    engine::Recorder& inner_;
    std::int64_t from_, until_;
};

/// Flows summed by (channel, origin, via, destination, supplier, product).
using FlowKey =
    std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>;
using Breakdown = std::map<FlowKey, double>;

class FlowCollector final : public engine::Recorder {
  public:
    FlowCollector(std::string scope, std::string key, std::string metric)
        : scope_(std::move(scope)), key_(std::move(key)), metric_(std::move(metric)) {}
    void begin(const model::Scenario& s, int) override { s_ = &s; }
    void record(const engine::TickRecord& t) override {
        for (const auto& f : t.flows) {
            const auto& c = s_->countries;
            if (scope_ == "country" && c[ix(f.destination)].code != key_) continue;
            if (scope_ == "supplier" && s_->suppliers[ix(f.supplier)].id != key_) continue;
            if (metric_ == "diverted_compute" && f.channel != engine::Channel::diverted) continue;
            const double v = metric_.find("compute") != std::string::npos ? f.compute
                             : metric_.find("usd") != std::string::npos   ? f.value_usd
                                                                          : f.units;
            // The seized part of a shipment is its own channel: what was lost, not delivered.
            const double seized = f.units > 0.0 ? v * f.seized_units / f.units : 0.0;
            FlowKey key{engine::to_string(f.channel),
                        c[ix(f.origin)].code,
                        f.via == model::kNone ? "direct" : c[ix(f.via)].code,
                        c[ix(f.destination)].code,
                        s_->suppliers[ix(f.supplier)].id,
                        s_->products[ix(f.product)].id};
            if (metric_ != "seized_units") sums[key] += v - seized;
            std::get<0>(key) = "seized";
            if (seized > 0.0) sums[key] += seized;
        }
    }
    Breakdown sums;

  private:
    static std::size_t ix(model::Index i) { return static_cast<std::size_t>(i); }
    const model::Scenario* s_ = nullptr;
    std::string scope_, key_, metric_;
};

/// Whether the metric is a sum over flows that the breakdown can split.
bool flow_metric(const std::string& scope, const std::string& metric) {
    static const std::vector<std::string> country{"imports_compute", "imports_units",
                                                  "diverted_compute", "seized_units"};
    static const std::vector<std::string> supplier{"units_shipped", "value_usd"};
    const auto in = [&](const auto& v) { return std::find(v.begin(), v.end(), metric) != v.end(); };
    return (scope == "country" && in(country)) || (scope == "supplier" && in(supplier)) ||
           (scope == "world" && (in(country) || in(supplier) || metric == "imports_compute"));
}

struct Evaluation {
    double value = 0.0;
    Breakdown flows;
    std::string scope, key;  // of the summary row the metric is
};

/// The metric of the scenario `doc` (its runs averaged) at the summary row of `scope` and `key`
/// (empty: any, if only one matches) and, with `flows`, its breakdown (give the row's scope and
/// key then: flows are filtered by them).
Evaluation evaluate(const io::Doc& doc, const std::string& source, const AttributionJob& job,
                    const std::string& scope, const std::string& key, bool flows) {
    const auto loaded = io::load_scenario_doc(doc, source);
    const auto& s = loaded.scenario;
    const auto cal = s.time.calendar();
    const std::int64_t from = job.from ? cal.nearest_boundary(*job.from) : 0;
    const std::int64_t until = job.until ? cal.nearest_boundary(*job.until) : s.time.ticks;
    Evaluation out;
    for (int r = 0; r < job.runs; ++r) {
        engine::RunConfig config;
        config.run = r;
        std::optional<model::Scenario> drawn;
        if (loaded.uncertainty && job.runs > 1) drawn = loaded.uncertainty->scenario(r);
        engine::Simulation sim(drawn ? *drawn : s, config);
        analysis::SummaryCollector summary;
        std::vector<const analysis::SummaryRow*> match;
        FlowCollector collector(scope, key, job.metric);
        {
            engine::TeeRecorder tee({&summary, &collector});
            Window window(tee, from, until);
            sim.run(window, [](int, int) { throw_if_interrupted(); });
        }
        const auto rows = summary.rows();
        std::vector<std::string> seen;
        for (const auto& row : rows) {
            if (row.metric != job.metric) continue;
            seen.push_back(row.scope + " " + row.key);
            if ((key.empty() || row.key == key) && (scope.empty() || row.scope == scope))
                match.push_back(&row);
        }
        if (match.size() != 1)
            throw InputError(fmt::format(
                "explain: --metric {}{}{} {}: {}", job.metric,
                job.key.empty() ? "" : " --key " + job.key,
                job.scope.empty() ? "" : " --scope " + job.scope,
                match.empty() ? "matches no row of the run summary" : "matches several rows",
                seen.empty() ? "no such metric (see summary.csv for the names)"
                             : "it exists for " + io::join(seen, ", ") +
                                   " (choose with --key and --scope)"));
        out.scope = match[0]->scope;
        out.key = match[0]->key;
        out.value += match[0]->value / job.runs;
        if (flows)
            for (const auto& [k, v] : collector.sums) out.flows[k] += v / job.runs;
    }
    return out;
}

/// `name` cut to `width` columns at a " + " between items, with " + …" for the rest.
std::string shorten(const std::string& name, std::size_t width) {
    if (name.size() <= width) return name;
    const std::size_t cut = name.rfind(" + ", width - 4);
    if (cut == std::string::npos || cut == 0) return name.substr(0, width - 1) + "…";
    return name.substr(0, cut) + " + …";
}

std::string format_attribution(const AttributionJob& job, std::size_t differences,
                               const std::string& scope, const std::string& key,
                               const std::vector<std::string>& names,
                               const std::vector<std::string>& what,
                               const analysis::Attribution& at) {
    const double delta = at.full - at.base;
    std::string out =
        fmt::format("{} {} ({}), mean of {} run(s)\n", job.metric, key, scope, job.runs);
    out += fmt::format("  A  {:<40} {:>12}\n", job.a.string(), io::human_number(at.base));
    out += fmt::format("  B  {:<40} {:>12}   Δ {}\n", job.b.string(), io::human_number(at.full),
                       io::human_number(delta, true));
    const std::string players = differences == names.size()
                                    ? fmt::format("{} difference(s)", differences)
                                    : fmt::format("{} differences in {} group(s) switched together",
                                                  differences, names.size());
    out += io::wrap(at.exact ? fmt::format("Attributed to {}: exact Shapley values, {} "
                                           "evaluations.",
                                           players, at.evaluations)
                             : fmt::format("Attributed to {}: Shapley values estimated from {} "
                                           "random orders ({} evaluations), ± one standard "
                                           "error.",
                                           players, job.permutations, at.evaluations),
                    96, "");
    out += fmt::format("  {:<66} {:>18} {:>8}\n", "difference (A → B)", "value", "share");
    std::vector<std::size_t> order(names.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return std::abs(at.value[x]) > std::abs(at.value[y]);
    });
    for (const std::size_t i : order) {
        std::string v = io::human_number(at.value[i], true);
        if (!at.exact) v += " ±" + io::human_number(at.se[i]);
        out += fmt::format("  {:<66} {:>18} {:>7.1f}%\n", shorten(names[i], 66), v,
                           delta != 0.0 ? 100.0 * at.value[i] / delta : 0.0);
        out += "      " + io::wrap(what[i], 92, "      ");
    }
    return out;
}

std::string format_breakdown(const Breakdown& a, const Breakdown& b, const std::string& what) {
    // Aggregate the flow cells by channel, by route and by supplier/product.
    std::map<std::string, std::pair<double, double>> by_channel, by_route, by_offer;
    const auto add = [&](const Breakdown& m, bool second) {
        for (const auto& [k, v] : m) {
            const auto& [ch, origin, via, dest, sup, prod] = k;
            for (auto* agg : {&by_channel, &by_route, &by_offer}) {
                const std::string label = agg == &by_channel ? ch
                                          : agg == &by_route ? origin + "/" + via + "/" + dest
                                                             : sup + "/" + prod;
                (second ? (*agg)[label].second : (*agg)[label].first) += v;
            }
        }
    };
    add(a, false);
    add(b, true);
    std::string out = "\n" + io::wrap("Where the change went, by " + what + ":", 96, "");
    for (const auto& [title, agg] :
         {std::pair{"channel", &by_channel}, std::pair{"route origin/via/destination", &by_route},
          std::pair{"supplier/product", &by_offer}}) {
        std::vector<std::pair<std::string, std::pair<double, double>>> rows(agg->begin(),
                                                                            agg->end());
        std::stable_sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
            return std::abs(x.second.second - x.second.first) >
                   std::abs(y.second.second - y.second.first);
        });
        out += fmt::format("  {:<40} {:>12} {:>12} {:>12}\n", title, "A", "B", "Δ");
        const std::size_t shown = std::min<std::size_t>(rows.size(), 8);
        for (std::size_t i = 0; i < shown; ++i) {
            const auto& [label, v] = rows[i];
            out += fmt::format("  {:<40} {:>12} {:>12} {:>12}\n", label.substr(0, 40),
                               io::human_number(v.first), io::human_number(v.second),
                               io::human_number(v.second - v.first, true));
        }
        if (rows.size() > shown)
            out += fmt::format("  … {} more (see breakdown.csv)\n", rows.size() - shown);
    }
    return out;
}

/// Union-find over difference indices.
struct Groups {
    std::vector<std::size_t> parent;
    explicit Groups(std::size_t n) : parent(n) {
        for (std::size_t i = 0; i < n; ++i) parent[i] = i;
    }
    std::size_t find(std::size_t i) { return parent[i] == i ? i : parent[i] = find(parent[i]); }
    void join(std::size_t i, std::size_t j) { parent[find(i)] = find(j); }
    std::vector<std::vector<std::size_t>> sets() {
        std::map<std::size_t, std::size_t> at;
        std::vector<std::vector<std::size_t>> out;
        for (std::size_t i = 0; i < parent.size(); ++i) {
            const auto [it, fresh] = at.emplace(find(i), out.size());
            if (fresh) out.emplace_back();
            out[it->second].push_back(i);
        }
        return out;
    }
};

/// f(0), ..., f(n − 1) on `threads` threads (0: one per core); the first exception thrown is
/// rethrown after the others stop.
std::vector<double> in_parallel(std::size_t n, int threads,
                                const std::function<double(std::size_t)>& f) {
    std::vector<double> y(n);
    std::atomic<std::size_t> next{0};
    std::exception_ptr error;
    std::mutex mutex;
    const auto work = [&] {
        for (std::size_t i = next++; i < n; i = next++) {
            try {
                y[i] = f(i);
            } catch (...) {
                const std::lock_guard lock(mutex);
                if (!error) error = std::current_exception();
                next = n;
            }
        }
    };
    const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    const std::size_t count =
        std::min<std::size_t>(n, threads > 0 ? static_cast<unsigned>(threads) : cores);
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < count; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
    return y;
}

/// Whether an error of a partly switched scenario points to difference `d`: it is about a value
/// inside d's item or d's value ("buyers[x].preferences" and "buyers[x].preferences.p"), or it
/// names an unknown id that d's item defines ("unknown product 'p'" and products[p]).
bool points_to(const Diagnostic& e, const io::Difference& d) {
    const std::string name = d.name();
    if (e.path.rfind(name, 0) == 0 || name.rfind(e.path, 0) == 0) return true;
    const auto& top = d.path.front();
    if (!top.item()) return false;
    const std::size_t u = e.message.find("unknown ");
    if (u == std::string::npos || e.message.find("'" + top.label + "'", u) == std::string::npos)
        return false;
    const std::string noun = e.message.substr(u + 8, e.message.find(' ', u + 8) - (u + 8));
    const std::string plural =
        noun.ends_with("y") ? noun.substr(0, noun.size() - 1) + "ies" : noun + "s";
    return top.key == plural;
}

/// The players of the attribution: the differences, with those that cannot be switched alone
/// (A with one of them, or B without it, is not a valid scenario: a policy an offer's
/// `available.after` names, a product a new offer sells) joined to the differences their
/// errors point to; above `limit` players, the differences of one item (a policy, buyer, supplier
/// or top-level section) together.
std::vector<std::vector<std::size_t>> players_of(const io::Doc& a, const io::Doc& b,
                                                 const std::vector<io::Difference>& diffs,
                                                 const std::string& source, std::size_t limit) {
    const std::size_t n = diffs.size();
    // The errors of A with the differences `on` switched to B's values.
    const auto errors = [&](const std::vector<std::size_t>& on) -> std::vector<Diagnostic> {
        try {
            io::load_scenario_doc(io::with_differences(a, b, diffs, on), source);
            return {};
        } catch (const InputError& e) {
            return e.diagnostics();
        }
    };
    const auto all_but = [&](const std::vector<std::size_t>& out) {
        std::vector<std::size_t> on;
        for (std::size_t i = 0; i < n; ++i)
            if (std::find(out.begin(), out.end(), i) == out.end()) on.push_back(i);
        return on;
    };
    Groups g(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (g.find(i) != i) continue;  // already joined to another
        // Switched on alone, and left out of all the others, the set must give valid scenarios:
        // add the differences its errors point to until it does (or nothing more helps).
        std::vector<std::size_t> set{i};
        for (std::size_t round = 0; round < n; ++round) {
            auto found = errors(set);
            const auto other = errors(all_but(set));
            found.insert(found.end(), other.begin(), other.end());
            if (found.empty()) break;
            const std::size_t before = set.size();
            for (std::size_t k = 0; k < n; ++k)
                if (std::find(set.begin(), set.end(), k) == set.end() &&
                    std::any_of(found.begin(), found.end(),
                                [&](const Diagnostic& d) { return points_to(d, diffs[k]); }))
                    set.push_back(k);
            if (set.size() == before) break;  // left to the evaluation to report
        }
        for (const std::size_t j : set) g.join(j, i);
    }
    auto players = g.sets();
    if (players.size() <= limit) return players;
    std::map<std::string, std::size_t> item_of;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& s = diffs[i].path.front();
        const auto [it, fresh] = item_of.emplace(s.key + (s.item() ? "[" + s.label + "]" : ""), i);
        if (!fresh) g.join(i, it->second);
    }
    return g.sets();
}

}  // namespace

AttributionOutcome run_attribution_job(const AttributionJob& job) {
    const io::Doc a = load_tree(job.a), b = load_tree(job.b);
    const std::string source = (job.a / io::kResolvedScenarioYaml).string();
    const auto diffs = io::differences(a, b);
    // Players: the differences, or the items they belong to when there are too many.
    const auto players = players_of(a, b, diffs, source, job.exact_limit);
    std::vector<std::string> names, what;
    for (const auto& p : players) {
        const auto& d = diffs[p.front()];
        if (p.size() == 1) {
            names.push_back(d.name());
            // Lines are those of each folder's scenario.resolved.yaml.
            what.push_back(d.kind == io::Difference::Kind::added
                               ? fmt::format("added in B (its line {})", d.line_b)
                           : d.kind == io::Difference::Kind::removed
                               ? fmt::format("removed in B (A's line {})", d.line_a)
                               : fmt::format("{} (lines {} → {})", d.change, d.line_a, d.line_b));
            continue;
        }
        std::vector<std::string> items, parts;
        for (const std::size_t i : p) {
            const auto& s = diffs[i].path.front();
            const std::string item = s.key + (s.item() ? "[" + s.label + "]" : "");
            if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
            parts.push_back(diffs[i].name());
        }
        names.push_back(io::join(items, " + "));
        what.push_back(
            fmt::format("{} changes switched together: {}", p.size(), io::join(parts, ", ")));
    }
    // The summary row the metric is (an error names the choices), then A's and B's flows.
    const auto row = evaluate(a, source, job, job.scope, job.key, false);
    const std::string &scope = row.scope, &key = row.key;
    const auto ea = evaluate(a, source, job, scope, key, true);
    const auto eb =
        evaluate(b, (job.b / io::kResolvedScenarioYaml).string(), job, scope, key, true);
    const auto value_of = [&](const analysis::Coalition& on) {
        std::vector<std::size_t> members;
        std::vector<std::string> switched;
        for (std::size_t p = 0; p < on.size(); ++p)
            if (on[p]) {
                members.insert(members.end(), players[p].begin(), players[p].end());
                switched.push_back(names[p]);
            }
        try {
            return evaluate(io::with_differences(a, b, diffs, members), source, job, scope, key,
                            false)
                .value;
        } catch (const InputError& e) {
            throw InputError(fmt::format(
                "explain: A with only [{}] of B's differences is not a valid scenario, so they "
                "cannot be switched separately: {}",
                io::join(switched, ", "), e.what()));
        }
    };
    const auto at = analysis::shapley(
        players.size(),
        [&](const std::vector<analysis::Coalition>& all) {
            return in_parallel(all.size(), job.threads,
                               [&](std::size_t i) { return value_of(all[i]); });
        },
        job.exact_limit, job.permutations, 1);
    AttributionOutcome out;
    out.text = format_attribution(job, diffs.size(), scope, key, names, what, at);
    if (flow_metric(scope, job.metric))
        out.text += format_breakdown(
            ea.flows, eb.flows,
            "shipments that left in the window, the seized part of each as channel 'seized' (the "
            "metric counts what arrived: the totals differ by goods still in transit)");
    const fs::path dir = job.output.empty() ? job.b / "explain" : job.output;
    const std::string stem = job.metric + (key == "all" || key.empty() ? "" : "-" + key);
    io::create_parent_folders(dir / "x");
    {
        io::CsvWriter w(dir / ("attribution-" + stem + ".csv"),
                        {"metric", "scope", "key", "difference", "change", "value", "se",
                         "share_of_change", "exact"});
        const double delta = at.full - at.base;
        for (std::size_t i = 0; i < names.size(); ++i) {
            w.text(job.metric).text(scope).text(key).text(names[i]).text(what[i]);
            w.number(at.value[i], 6).number(at.se[i], 6);
            w.number(delta != 0.0 ? at.value[i] / delta : 0.0, 6).integer(at.exact ? 1 : 0);
            w.end_row();
        }
        w.commit();
        out.files.push_back(w.path());
    }
    if (flow_metric(scope, job.metric)) {
        io::CsvWriter w(
            dir / ("breakdown-" + stem + ".csv"),
            {"channel", "origin", "via", "destination", "supplier", "product", "a", "b", "delta"});
        Breakdown all = ea.flows;
        for (const auto& [k, v] : eb.flows) all[k] += 0.0;
        for (const auto& [k, v] : all) {
            const auto& [ch, origin, via, dest, sup, prod] = k;
            const double va = ea.flows.count(k) ? ea.flows.at(k) : 0.0;
            const double vb = eb.flows.count(k) ? eb.flows.at(k) : 0.0;
            w.text(ch).text(origin).text(via).text(dest).text(sup).text(prod);
            w.number(va, 4).number(vb, 4).number(vb - va, 4);
            w.end_row();
        }
        w.commit();
        out.files.push_back(w.path());
    }
    return out;
}

}  // namespace ts::run
