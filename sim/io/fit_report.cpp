#include "io/fit_report.hpp"

#include <cmath>

#include <fmt/format.h>

#include "io/compare_report.hpp"
#include "io/csv.hpp"
#include "io/manifest.hpp"

namespace ts::io {

namespace {

using analysis::FitRow;
using analysis::Target;

/// A readable number as compare prints it; shares with four decimals.
std::string human(double v, bool share) {
    return share ? fmt::format("{:.4f}", v) : human_number(v);
}

bool is_share(const Target& t) {
    return t.metric.rfind("share_", 0) == 0;
}

/// The band as [lo, hi]: given, or observed ∓ 1.645·sd.
std::pair<double, double> band_of(const Target& t) {
    if (t.band) return *t.band;
    return {t.observed - analysis::kBandZ * *t.sd, t.observed + analysis::kBandZ * *t.sd};
}

constexpr std::string_view kProjected = " (p)";

/// Every line of `text` (each ending in "\n") indented by two spaces, as the report's notes.
std::string indent(const std::string& text) {
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = text.find('\n', pos);
        out += "  " + text.substr(pos, end - pos + 1);
        pos = end == std::string::npos ? text.size() : end + 1;
    }
    return out;
}

/// What a target measures, short: "imports_compute CHN", "revenue_usd us-designer bill CHN",
/// "compute TWN>SGP>CHN diverted", "seized_units world" (the CSV has the long form).
std::string what(const Target& t) {
    const analysis::TargetKeys& k = t.keys;
    std::string s = t.metric;
    const auto add = [&](const std::string& prefix, const std::string& v) {
        if (!v.empty()) s += " " + prefix + v;
    };
    add("", k.country);
    add("", k.supplier);
    add("", k.product);
    add("bill ", k.billing);
    add("hq ", k.headquarters);
    if (k.has_route)
        s += k.via.empty() ? fmt::format(" {}>{}", k.origin, k.destination)
                           : fmt::format(" {}>{}>{}", k.origin, k.via, k.destination);
    add("", k.channel);
    return s == t.metric ? s + " world" : s;
}

/// Cells as aligned text: the first `text_columns` columns left-aligned, numbers right.
void align(std::string& out, const std::vector<std::vector<std::string>>& cells,
           std::size_t text_columns) {
    std::vector<std::size_t> width(cells.front().size(), 0);
    for (const auto& row : cells)
        for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
    for (const auto& row : cells) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += i < text_columns ? fmt::format("{:<{}}", row[i], width[i])
                                     : fmt::format("{:>{}}", row[i], width[i]);
            if (i + 1 < row.size()) line += "  ";
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += "  " + line + "\n";
    }
}

/// The rows of one section as aligned text (an ensemble's spread is a table of its own, so
/// that the fit stays within 100 columns).
void section(std::string& out, const std::vector<const FitRow*>& rows) {
    std::vector<std::vector<std::string>> cells = {
        {"target", "what", "period", "model", "observed", "ratio", "z", "band"}};
    for (const FitRow* r : rows) {
        const Target& t = *r->target;
        const bool share = is_share(t);
        cells.push_back({t.id, what(t),
                         r->projected ? t.period + std::string(kProjected) : t.period,
                         human(r->model, share), human(t.observed, share),
                         r->ratio ? fmt::format("{:.3f}", *r->ratio) : "-",
                         fmt::format("{:+.2f}", r->z), r->inside ? "in" : "OUT"});
    }
    align(out, cells, 3);
}

/// An ensemble's spread over its runs, target by target (fitted targets, then holdouts).
void spread(std::string& out, const std::vector<const FitRow*>& rows) {
    std::vector<std::vector<std::string>> cells = {
        {"target", "model (mean)", "sd", "p05", "p95", "observed"}};
    for (const FitRow* r : rows) {
        const bool share = is_share(*r->target);
        cells.push_back({r->target->id, human(r->model, share), human(r->sd, share),
                         human(r->p05, share), human(r->p95, share),
                         human(r->target->observed, share)});
    }
    align(out, cells, 1);
}

std::string block(const FolderFit& f) {
    std::string out =
        fmt::format("{} ({}): {} run{}, {} .. {}{}\n", f.label, f.folder, f.runs,
                    f.runs == 1 ? "" : "s", f.first, f.last,
                    f.observed_until ? fmt::format(", observed until {}", *f.observed_until) : "");
    std::vector<const FitRow*> fitted, holdouts;
    bool projected = false;
    for (const FitRow& r : f.report.rows) {
        (r.target->holdout ? holdouts : fitted).push_back(&r);
        projected = projected || r.projected;
    }
    const bool ensemble = f.runs > 1;
    out += "\n";
    if (!fitted.empty()) section(out, fitted);
    if (!holdouts.empty()) {
        out += "\n  holdouts (left out of the objective)\n";
        section(out, holdouts);
    }
    if (ensemble) {
        out += fmt::format(
            "\n  spread over the {} runs (model: their mean; sd, p05, p95 of the runs)\n", f.runs);
        std::vector<const FitRow*> all = fitted;
        all.insert(all.end(), holdouts.begin(), holdouts.end());
        spread(out, all);
    }
    const auto outside = outside_band(f);
    out += fmt::format("\n  objective  Σ weight·z² over {} target{}: {:.4f}\n", fitted.size(),
                       fitted.size() == 1 ? "" : "s", analysis::objective(f.report));
    out += outside.empty()
               ? fmt::format("  every target is inside its band\n")
               : indent(wrap(fmt::format("outside their band: {}", fmt::join(outside, ", ")), 98,
                             "  "));
    if (projected)
        out += fmt::format(
            "  (p) the period ends after the observed record ({}): the model value "
            "is a projection\n",
            f.observed_until.value_or(""));
    return out;
}

}  // namespace

std::optional<FitFormat> parse_fit_format(std::string_view text) {
    if (text == "table") return FitFormat::table;
    if (text == "csv") return FitFormat::csv;
    return std::nullopt;
}

std::vector<std::string> outside_band(const FolderFit& fit) {
    std::vector<std::string> out;
    for (const FitRow& r : fit.report.rows)
        if (!r.target->holdout && !r.inside) out.push_back(r.target->id);
    return out;
}

std::string render_fit_table(const analysis::TargetSet& targets,
                             const std::vector<FolderFit>& fits) {
    std::string out = fmt::format("fit against {} ({} target{})\n\n", targets.file,
                                  targets.targets.size(), targets.targets.size() == 1 ? "" : "s");
    for (std::size_t i = 0; i < fits.size(); ++i) {
        if (i > 0) out += "\n";
        out += block(fits[i]);
    }
    if (fits.size() > 1) {
        out += "\nobjective by folder\n";
        for (const FolderFit& f : fits)
            out += fmt::format("  {:<30}  {:>12.4f}  ({} outside)\n", f.folder,
                               analysis::objective(f.report), outside_band(f).size());
    }
    return out;
}

std::string render_fit_csv(const std::vector<FolderFit>& fits) {
    std::string out =
        "folder,scenario,runs,holdout,id,metric,scope,period,first,last,model,model_sd,model_p05,"
        "model_p95,observed,sd,band_lo,band_hi,ratio,z,inside,projected,weight,weighted_z2,"
        "source\n";
    const auto num = [](double v) { return fmt::format("{}", v); };
    for (const FolderFit& f : fits) {
        for (const FitRow& r : f.report.rows) {
            const Target& t = *r.target;
            const auto [lo, hi] = band_of(t);
            const bool ens = f.runs > 1;
            const std::vector<std::string> fields = {f.folder,
                                                     f.label,
                                                     std::to_string(f.runs),
                                                     t.holdout ? "yes" : "no",
                                                     t.id,
                                                     t.metric,
                                                     t.scope_text(),
                                                     t.period,
                                                     t.first,
                                                     t.last,
                                                     num(r.model),
                                                     ens ? num(r.sd) : "",
                                                     ens ? num(r.p05) : "",
                                                     ens ? num(r.p95) : "",
                                                     num(t.observed),
                                                     t.sd ? num(*t.sd) : "",
                                                     num(lo),
                                                     num(hi),
                                                     r.ratio ? num(*r.ratio) : "",
                                                     num(r.z),
                                                     r.inside ? "yes" : "no",
                                                     r.projected ? "yes" : "no",
                                                     num(t.weight),
                                                     t.holdout ? "" : num(t.weight * r.z * r.z),
                                                     t.source_text};
            for (std::size_t i = 0; i < fields.size(); ++i) {
                if (i > 0) out += ',';
                out += csv_field(fields[i]);
            }
            out += '\n';
        }
    }
    return out;
}

void write_fit_csv(const std::vector<FolderFit>& fits, const std::filesystem::path& path) {
    write_text_file(path, render_fit_csv(fits));
}

}  // namespace ts::io
