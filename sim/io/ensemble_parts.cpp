#include "io/ensemble_parts.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "core/error.hpp"
#include "io/csv.hpp"
#include "io/csv_reader.hpp"
#include "io/output_schema.hpp"

namespace ts::io {

namespace fs = std::filesystem;

namespace {

std::atomic<std::uint64_t> g_part_sequence{0};

std::string hostname() {
    char buf[HOST_NAME_MAX + 1] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == 0) return "host";
    std::string h(buf);
    for (char& c : h)
        if (c == '/' || c == ' ') c = '_';
    return h;
}

/// The rest of a summary.csv row of an ensemble or sweep: scope, key, metric, the statistics.
void stats_row(CsvWriter& w, const analysis::EnsembleRow& r) {
    w.text(r.metric.scope).text(r.metric.key).text(r.metric.metric);
    w.number(r.stats.mean, kSummaryDecimals)
        .number(r.stats.sd, kSummaryDecimals)
        .number(r.stats.p05, kSummaryDecimals)
        .number(r.stats.p50, kSummaryDecimals)
        .number(r.stats.p95, kSummaryDecimals)
        .integer(r.stats.runs)
        .number(r.stats.se, kSummaryDecimals)
        .end_row();
}

[[noreturn]] void io_failure(std::string_view what, const fs::path& path,
                             const std::error_code& ec) {
    throw RunError(fmt::format("cannot {} '{}': {}", what, path.string(), ec.message()));
}

}  // namespace

const std::vector<std::string_view>& per_tick_files() {
    static const std::vector<std::string_view> files{kFlowsCsv,      kCountriesCsv, kMarketsCsv,
                                                     kRevenueCsv,    kEventsCsv,    kSuppliersCsv,
                                                     kSoftRoutesCsv, kPoolsCsv};
    return files;
}

void write_part_summary(const std::vector<analysis::SummaryRow>& rows, const fs::path& path) {
    CsvWriter w(path, {"scope", "key", "metric", "value"});
    for (const auto& r : rows)
        w.text(r.scope).text(r.key).text(r.metric).preformatted(exact_number(r.value)).end_row();
    w.commit();
}

std::vector<analysis::SummaryRow> read_part_summary(const fs::path& path) {
    // Keys are ids, which may hold quoted commas and line breaks: a real CSV parse.
    std::vector<analysis::SummaryRow> rows;
    try {
        CsvReader in(path);
        if (in.header() != std::vector<std::string>{"scope", "key", "metric", "value"})
            throw RunError(fmt::format("'{}': not a part summary", path.string()));
        std::vector<std::string> f;
        while (in.next(f)) {
            try {
                rows.push_back(
                    {std::move(f[0]), std::move(f[1]), std::move(f[2]), parse_exact_number(f[3])});
            } catch (const RunError& e) {
                throw RunError(fmt::format("'{}':{}: {}", path.string(), in.line(), e.what()));
            }
        }
    } catch (const InputError& e) {
        throw RunError(fmt::format(
            "part summary '{}' is malformed: {}", path.string(),
            e.diagnostics().empty() ? std::string(e.what()) : e.diagnostics().front().format()));
    }
    return rows;
}

std::string process_tag() {
    static const std::string tag = fmt::format("{}-{}", hostname(), static_cast<long>(::getpid()));
    return tag;
}

PartWriter::PartWriter(const fs::path& root, const std::string& name) : final_(root / name) {
    temp_ = root / fmt::format(".{}.tmp-{}-{}", name, process_tag(), g_part_sequence.fetch_add(1));
    std::error_code ec;
    fs::remove_all(temp_, ec);
    fs::create_directories(temp_, ec);
    if (ec) io_failure("create folder", temp_, ec);
}

PartWriter::~PartWriter() {
    if (committed_) return;
    std::error_code ec;
    fs::remove_all(temp_, ec);
}

bool PartWriter::commit() {
    std::error_code ec;
    fs::rename(temp_, final_, ec);
    if (!ec) {
        committed_ = true;
        return true;
    }
    // rename(2) onto a non-empty folder fails: someone else finished this part first.
    if (fs::is_directory(final_)) return false;
    io_failure("move part into place", final_, ec);
}

bool part_complete(const fs::path& root, const std::string& name) {
    std::error_code ec;
    return fs::is_directory(root / name, ec);
}

void remove_stale_temporaries(const fs::path& root) {
    const std::string marker = fmt::format(".tmp-{}-", hostname());
    std::error_code ec;
    std::vector<fs::path> stale;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.empty() || name[0] != '.') continue;
        const auto at = name.find(marker);
        if (at == std::string::npos) continue;
        const std::string rest = name.substr(at + marker.size());
        char* end_ptr = nullptr;
        const long pid = std::strtol(rest.c_str(), &end_ptr, 10);
        if (end_ptr == rest.c_str() || pid <= 0) continue;
        if (pid == static_cast<long>(::getpid())) continue;
        if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // still running
        stale.push_back(it->path());
    }
    for (const auto& p : stale) fs::remove_all(p, ec);
}

void write_file_shared(const fs::path& path, std::string_view text) {
    const fs::path temp =
        path.parent_path() / fmt::format(".{}.tmp-{}-{}", path.filename().string(), process_tag(),
                                         g_part_sequence.fetch_add(1));
    {
        AtomicFile f(temp);
        f.write(text);
        f.commit();
    }
    std::error_code ec;
    fs::rename(temp, path, ec);
    if (ec) {
        fs::remove(temp, ec);
        io_failure("write", path, ec);
    }
}

void write_ensemble_summary_csv(const std::vector<analysis::EnsembleRow>& rows,
                                const fs::path& path) {
    CsvWriter w(path, output_header(ensemble_summary_file(), false));
    for (const auto& r : rows) stats_row(w, r);
    w.commit();
}

std::vector<OutputColumn> sweep_leading_columns(const EnsemblePlan& plan) {
    std::vector<OutputColumn> c{
        {"variant", "integer", "", "variant number of the design (0 first)"}};
    if (plan.design.kind == analysis::DesignKind::morris) {
        c.push_back({"trajectory", "integer", "", "Morris trajectory of the variant"});
        c.push_back({"point", "integer", "", "point 0 .. k within its trajectory"});
    }
    if (plan.design.kind == analysis::DesignKind::sobol) {
        c.push_back({"block", "string", "", "Saltelli block: A, B or AB_i (parameter i from B)"});
        c.push_back({"row", "integer", "", "row of the Saltelli matrices"});
    }
    for (std::size_t i = 0; i < plan.parameters.size(); ++i) {
        // A column is a number when every variant's value reads as one (most sweeps).
        const bool numeric =
            std::all_of(plan.variants.begin(), plan.variants.end(), [&](const auto& v) {
                const std::string& x = v.values[i];
                char* end = nullptr;
                std::strtod(x.c_str(), &end);
                return !x.empty() && end == x.c_str() + x.size();
            });
        c.push_back({plan.parameters[i], numeric ? "number" : "string", "",
                     "value of the swept parameter (--param), as given in the scenario"});
    }
    return c;
}

// ---------------------------------------------------------------------------------------------
// EnsembleAssembler

EnsembleAssembler::EnsembleAssembler(const EnsemblePlan& plan, fs::path out_dir)
    : plan_(plan), out_(std::move(out_dir)) {
    if (plan_.kind == EnsemblePlan::Kind::run) return;
    leading_ = sweep_leading_columns(plan_);
    files_ = sweep_files(leading_);
    runs_csv_ = std::make_unique<CsvWriter>(out_ / kRunsCsv, header(kRunsCsv));
    summary_csv_ = std::make_unique<CsvWriter>(out_ / kSummaryCsv, header(kSummaryCsv));
    current_.assign(plan_.metrics.size(), {});
    variant_means_.reserve(plan_.variants.size());
}

EnsembleAssembler::~EnsembleAssembler() = default;

std::vector<std::string_view> EnsembleAssembler::header(std::string_view file) const {
    const auto it = std::find_if(files_.begin(), files_.end(),
                                 [&](const OutputFile& f) { return f.name == file; });
    if (it == files_.end()) throw RunError(fmt::format("sweep: no columns for '{}'", file));
    return output_header(*it, false);
}

void EnsembleAssembler::add(std::size_t task, const fs::path& part_dir) {
    if (task != next_)
        throw RunError(
            fmt::format("ensemble: part {} merged out of order (expected {})", task, next_));
    if (task >= plan_.tasks())
        throw RunError(
            fmt::format("ensemble: part {} beyond the plan's {} tasks", task, plan_.tasks()));
    if (plan_.kind == EnsemblePlan::Kind::run)
        add_run_part(part_dir);
    else
        add_sweep_part(task, part_dir);
    ++next_;
}

void EnsembleAssembler::add_run_part(const fs::path& part_dir) {
    const bool first = next_ == 0;
    if (first) {
        for (const auto name : per_tick_files()) {
            if (!fs::exists(part_dir / name)) continue;
            merged_.push_back({std::string(name), {}, std::make_unique<AtomicFile>(out_ / name)});
        }
    }
    std::string buffer(std::size_t{1} << 20, '\0');
    for (auto& m : merged_) {
        const fs::path src = part_dir / m.name;
        std::ifstream in(src, std::ios::binary);
        if (!in)
            throw RunError(fmt::format("ensemble: part '{}' lacks {}", part_dir.string(), m.name));
        std::string header;
        if (!std::getline(in, header))
            throw RunError(fmt::format("ensemble: '{}' is empty", src.string()));
        if (first) {
            m.header = header;
            m.file->write(header);
            m.file->write(kCsvLineEnd);
        } else if (header != m.header) {
            throw RunError(
                fmt::format("ensemble: '{}' has another header than run 0's", src.string()));
        }
        while (in) {
            in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            const auto got = static_cast<std::size_t>(in.gcount());
            if (got > 0) m.file->write(std::string_view(buffer.data(), got));
        }
        if (in.bad()) throw RunError(fmt::format("ensemble: cannot read '{}'", src.string()));
    }
    for (const auto name : per_tick_files()) {
        const bool here = fs::exists(part_dir / name);
        const bool expected = std::any_of(merged_.begin(), merged_.end(),
                                          [&](const Merged& m) { return m.name == name; });
        if (here != expected)
            throw RunError(fmt::format("ensemble: part '{}' {} {}, unlike run 0's",
                                       part_dir.string(), here ? "has" : "lacks", name));
    }
    auto rows = read_part_summary(part_dir / kSummaryCsv);
    if (plan_.runs == 1)
        single_rows_ = std::move(rows);
    else
        summary_.add_run(rows);
}

void EnsembleAssembler::design_fields(CsvWriter& w, std::size_t variant) const {
    const auto& v = plan_.variants[variant];
    w.integer(static_cast<std::int64_t>(variant));
    if (plan_.design.kind == analysis::DesignKind::morris) w.integer(v.trajectory).integer(v.point);
    if (plan_.design.kind == analysis::DesignKind::sobol)
        w.text(analysis::sobol_block_name(v.block)).integer(v.row);
    for (const auto& value : v.values) w.text(value);
}

void EnsembleAssembler::add_sweep_part(std::size_t task, const fs::path& part_dir) {
    const std::size_t variant = plan_.variant_of(task);
    const int run = plan_.run_of(task);
    const auto rows = read_part_summary(part_dir / kSummaryCsv);
    for (const auto& r : rows) {
        design_fields(*runs_csv_, variant);
        runs_csv_->integer(run).text(r.scope).text(r.key).text(r.metric);
        runs_csv_->number(r.value, kSummaryDecimals).end_row();
    }
    for (std::size_t m = 0; m < plan_.metrics.size(); ++m)
        current_[m].push_back(analysis::find_metric(rows, plan_.metrics[m]));
    variant_summary_.add_run(rows);
    if (run + 1 == plan_.runs) write_sweep_summary_rows(variant);
}

void EnsembleAssembler::write_sweep_summary_rows(std::size_t variant) {
    for (const auto& r : variant_summary_.rows()) {
        design_fields(*summary_csv_, variant);
        stats_row(*summary_csv_, r);
    }
    variant_summary_ = {};
    std::vector<double> means;
    for (auto& values : current_) {
        means.push_back(analysis::ensemble_stats(values).mean);
        values.clear();
    }
    variant_means_.push_back(std::move(means));
}

void EnsembleAssembler::finish() {
    if (next_ != plan_.tasks())
        throw RunError(fmt::format("ensemble: {} of {} parts merged", next_, plan_.tasks()));
    if (plan_.kind == EnsemblePlan::Kind::run) {
        for (auto& m : merged_) m.file->commit();
        if (plan_.runs == 1) {
            write_summary_csv(single_rows_, out_ / kSummaryCsv);
            for (const auto& r : single_rows_)
                ensemble_rows_.push_back(
                    {{r.scope, r.key, r.metric}, {r.value, 0.0, r.value, r.value, r.value, 1}});
        } else {
            ensemble_rows_ = summary_.rows();
            write_ensemble_summary_csv(ensemble_rows_, out_ / kSummaryCsv);
        }
        return;
    }
    runs_csv_->commit();
    summary_csv_->commit();
    if (plan_.design.kind == analysis::DesignKind::morris) write_morris();
    if (plan_.design.kind == analysis::DesignKind::sobol) write_sobol();
}

std::vector<double> EnsembleAssembler::metric_outputs(std::size_t metric) const {
    std::vector<double> y;
    y.reserve(variant_means_.size());
    for (const auto& means : variant_means_) y.push_back(means[metric]);
    return y;
}

void EnsembleAssembler::write_morris() {
    CsvWriter w(out_ / kMorrisCsv, header(kMorrisCsv));
    for (std::size_t m = 0; m < plan_.metrics.size(); ++m) {
        auto ranking = analysis::morris_ranking(
            analysis::morris_effects(plan_.variants, plan_.parameters.size(), metric_outputs(m)));
        for (std::size_t r = 0; r < ranking.size(); ++r) {
            const auto& e = ranking[r];
            w.text(plan_.metrics[m].column())
                .integer(static_cast<std::int64_t>(r + 1))
                .text(plan_.parameters[e.parameter])
                .number(e.mu_star, kSummaryDecimals)
                .number(e.mu, kSummaryDecimals)
                .number(e.sigma, kSummaryDecimals)
                .integer(e.effects)
                .end_row();
        }
        morris_.push_back(std::move(ranking));
    }
    w.commit();
}

void EnsembleAssembler::write_sobol() {
    // The chosen metrics in the order given; every headline metric when none was named.
    std::vector<std::size_t> chosen;
    for (std::size_t m = 0; m < plan_.metrics.size(); ++m)
        if (plan_.sobol_metrics.empty()) chosen.push_back(m);
    for (const auto& name : plan_.sobol_metrics) {
        const auto it = std::find_if(plan_.metrics.begin(), plan_.metrics.end(),
                                     [&](const auto& m) { return m.column() == name; });
        if (it == plan_.metrics.end())
            throw RunError(fmt::format("sobol: the plan names an unknown metric '{}'", name));
        chosen.push_back(static_cast<std::size_t>(it - plan_.metrics.begin()));
    }
    CsvWriter w(out_ / kSobolCsv, header(kSobolCsv));
    const std::size_t k = plan_.parameters.size();
    for (const std::size_t m : chosen) {
        auto result = analysis::sobol_indices(plan_.variants, k, metric_outputs(m), plan_.bootstrap,
                                              plan_.seed);
        result.metric = m;
        const auto ranking = analysis::sobol_ranking(result.indices);
        // A metric without indices still lists its parameters, with empty cells, not NaN.
        for (std::size_t r = 0; r < (result.varies ? ranking.size() : k); ++r) {
            w.text(plan_.metrics[m].column());
            if (result.varies) {
                const auto& x = ranking[r];
                w.integer(static_cast<std::int64_t>(r + 1)).text(plan_.parameters[x.parameter]);
                for (const double v : {x.s1, x.s1_low, x.s1_high, x.st, x.st_low, x.st_high}) {
                    if (std::isfinite(v))
                        w.number(v, kSummaryDecimals);
                    else
                        w.empty();  // no resample had V > 0: no interval
                }
            } else {
                w.empty().text(plan_.parameters[r]);
                for (int c = 0; c < 6; ++c) w.empty();
            }
            w.integer(result.rows).number(result.variance, kSummaryDecimals);
            w.integer(result.resamples).end_row();
        }
        sobol_.push_back(std::move(result));
    }
    w.commit();
}

}  // namespace ts::io
