#include "io/compare_report.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "io/csv.hpp"
#include "io/manifest.hpp"
#include "io/run_writer.hpp"

namespace ts::io {

namespace {

using analysis::CompareCell;
using analysis::CompareResult;
using analysis::CompareRow;
using analysis::Interval;

/// Characters on screen: UTF-8 continuation bytes do not count (Δ is one column).
std::size_t display_width(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

std::string pad_left(const std::string& s, std::size_t width) {
    const std::size_t w = display_width(s);
    return w >= width ? s : std::string(width - w, ' ') + s;
}
std::string pad_right(const std::string& s, std::size_t width) {
    const std::size_t w = display_width(s);
    return w >= width ? s : s + std::string(width - w, ' ');
}

bool is_share(const CompareRow& row) {
    return row.unit == "share";
}

std::string value_text(const CompareRow& row, double v, int decimals = 2) {
    if (is_share(row)) return std::isnan(v) ? "-" : fmt::format("{:.{}f}%", v * 100.0, decimals);
    return human_number(v, false, decimals);
}

std::string diff_text(const CompareRow& row, double d, int decimals = 2) {
    if (is_share(row)) {
        if (std::isnan(d)) return "-";
        if (d == 0.0) return "0";
        return fmt::format("{:+.{}f} pp", d * 100.0, decimals);
    }
    return human_number(d, true, decimals);
}

/// A standard error: unsigned, shares in percentage points.
std::string se_text(const CompareRow& row, double se, int decimals) {
    if (is_share(row) && !std::isnan(se)) return fmt::format("{:.{}f} pp", se * 100.0, decimals);
    return human_number(se, false, decimals);
}

/// "mean ±se [p05, p95]" with the fewest decimals (2 to 8) at which numbers that differ read
/// differently, so that a band reads "x [x, x]" only when it is zero (200 runs of 2.031M to
/// 2.034M are not "2.03M [2.03M, 2.03M]"), and a standard error above 0 does not read as 0.
/// Numbers within 1e-9 of each other (relative) are the same: the mean of identical runs may
/// differ from them in the last bit.
template <class Text>
std::string band_text(const CompareRow& row, const Interval& v, Text text) {
    const double scale = std::max({std::abs(v.mean), std::abs(v.p05), std::abs(v.p95)});
    const auto differ = [&](double a, double b) { return std::abs(a - b) > 1e-9 * scale; };
    const auto reads_zero = [](const std::string& t) {
        return t.find_first_of("123456789") == std::string::npos;
    };
    std::string mean, lo, hi, se;
    for (int d = 2; d <= 8; ++d) {
        mean = text(v.mean, d), lo = text(v.p05, d), hi = text(v.p95, d);
        se = se_text(row, v.se, d);
        if ((!differ(v.p05, v.p95) || lo != hi) && (!differ(v.mean, v.p05) || mean != lo) &&
            (!differ(v.mean, v.p95) || mean != hi) && (!differ(v.se, 0.0) || !reads_zero(se)))
            break;
    }
    return fmt::format("{} ±{} [{}, {}]", mean, se, lo, hi);
}

std::string pct_text(const CompareCell& c) {
    if (!c.diff_pct) return "-";
    const double p = *c.diff_pct;
    if (p == 0.0) return "0";
    if (std::abs(p) >= 1e4) return fmt::format("{:+.0f}%", p);
    return fmt::format("{:+.2f}%", p);
}

std::string value_cell(const CompareResult& res, const CompareRow& row, const CompareCell& c) {
    if (!c.present) return "-";
    if (!res.ensemble) return value_text(row, c.value.mean);
    return band_text(row, c.value, [&](double v, int d) { return value_text(row, v, d); });
}

std::string diff_cell(const CompareResult& res, const CompareRow& row, const CompareCell& c) {
    if (!c.present || c.diff.n == 0) return "-";
    if (!res.ensemble) return diff_text(row, c.diff.mean);
    return band_text(row, c.diff, [&](double v, int d) { return diff_text(row, v, d); });
}

/// The heading lines shared by the text and Markdown forms.
std::string period_text(const CompareResult& res) {
    std::string s = fmt::format("{}", res.span.describe());
    if (res.period_ticks != res.span.ticks) {
        if (res.period_ticks == 0)
            s += "; period: no ticks";
        else
            s += fmt::format("; period {} .. {} ({} of {} ticks)", res.period_first,
                             res.period_last, res.period_ticks, res.span.ticks);
    }
    return s;
}

// Columns of scenarios whose period is wholly or partly projection carry "(p)" after the
// scenario name, and a note says where their record ends. "(p)" rather than "*": a star reads as
// statistical significance next to differences, and "p" is the letter statistical offices use to
// flag projected or provisional figures; it survives plain text, Markdown and terminals alike.
constexpr std::string_view kProjectedMark = " (p)";

/// The terminal width the table keeps to (wider tables continue below).
constexpr std::size_t kTableWidth = 100;

bool projected(const CompareResult& res, std::size_t i) {
    return i < res.projection.size() && res.projection[i] && res.projection[i]->projected_ticks > 0;
}

std::string column_label(const CompareResult& res, std::size_t i) {
    return projected(res, i) ? res.labels[i] + std::string(kProjectedMark) : res.labels[i];
}

/// One note per scenario that records observed_until.
void projection_notes(const CompareResult& res, std::vector<std::string>& out) {
    for (std::size_t i = 0; i < res.projection.size(); ++i) {
        if (!res.projection[i]) continue;
        const analysis::Projection& p = *res.projection[i];
        if (p.projected_ticks == 0) {
            out.push_back(
                fmt::format("{}: observed throughout the period (its record ends with "
                            "{}, time.observed_until)",
                            res.labels[i], p.observed_until));
        } else if (p.projected_ticks == res.period_ticks) {
            out.push_back(
                fmt::format("(p) {}: projection: its observed record ends with {} "
                            "(time.observed_until), before the period",
                            res.labels[i], p.observed_until));
        } else {
            out.push_back(fmt::format(
                "(p) {}: partly projection: its observed record ends with {} "
                "(time.observed_until); {} of the period's {} ticks, {} .. {}, are projection",
                res.labels[i], p.observed_until, p.projected_ticks, res.period_ticks,
                p.first_projected, res.period_last));
        }
    }
}

/// One note per scenario of an ensemble comparison: what its band includes.
void random_part_notes(const CompareResult& res, std::vector<std::string>& out) {
    for (std::size_t i = 0; i < res.labels.size(); ++i) {
        const auto& parts = res.random_parts[i];
        const std::string& label = res.labels[i];
        const int runs = res.runs[i];
        if (parts && parts->empty())
            out.push_back(
                fmt::format("{}: no random parts: all {} runs are identical", label, runs));
        else if (res.identical_runs[i])
            out.push_back(fmt::format("{}: all {} runs are identical in these rows ({})", label,
                                      runs,
                                      parts ? "its random parts, " + *parts + ", took no effect"
                                            : "sources of uncertainty not recorded"));
        else if (!parts)
            out.push_back(
                fmt::format("{}: sources of uncertainty not recorded (its manifest.json "
                            "predates random_parts)",
                            label));
        else
            out.push_back(
                fmt::format("{}: the {} runs include {}; nothing else (no demand "
                            "shocks, no structural uncertainty)",
                            label, runs, *parts));
    }
}

std::vector<std::string> notes(const CompareResult& res) {
    using analysis::CompareBy;
    std::vector<std::string> out;
    std::string units =
        "values are totals over the period: compute in compute units (units x the product's "
        "compute, "
        "H100-equivalents), units in chips, USD";
    if (res.by == CompareBy::country)
        units += "; price_index_mean is the mean over the ticks (USD per compute unit)";
    out.push_back(units);
    if (res.by == CompareBy::country)
        out.push_back(
            "imports_compute: chips arriving (countries.csv imports_compute); compute_used: "
            "compute in use, "
            "including compute rented abroad (remote); share_via_third_countries: of the compute "
            "shipped to the "
            "country, the part through a hub (transshipped, diverted or remote); share_diverted: "
            "the part on "
            "diverted routes");
    if (res.by == CompareBy::supplier || res.by == CompareBy::product)
        out.push_back(
            fmt::format("share_via_third_countries, share_diverted: of the {}'s compute shipped, "
                        "the part through a hub and "
                        "the part on diverted routes",
                        analysis::to_string(res.by)));
    if (res.by == CompareBy::country || res.by == CompareBy::supplier)
        out.push_back(
            "revenue_usd billed to C: the supplier's revenue (net of export fees) invoiced to "
            "country C "
            "(key SUPPLIER/C in CSV)");
    if (res.by == CompareBy::headquarters)
        out.push_back(
            "by headquarters: the compute shipped to the buyers headquartered in the country "
            "(their `headquarters`, by default their own country), wherever deployed; "
            "compute_abroad: the part used in another country (deployed there, or rented there "
            "as remote compute); compute_remote: the part rented abroad");
    if (res.by == CompareBy::route)
        out.push_back(
            "routes are ORIGIN > HUB > DESTINATION (ORIGIN > DESTINATION when direct); units "
            "include seized units; compute is shipped in the period, of which seized_compute was "
            "seized and in_transit_compute arrives after its last tick: the rest arrived in it");
    if (res.labels.size() > 1)
        out.push_back(fmt::format(
            "Δ: scenario − baseline ({}); Δ%: relative to the baseline; shares differ in "
            "percentage points (pp)",
            res.labels.front()));
    if (res.ensemble) {
        out.push_back(
            "ensembles: mean ±se [p05, p95] over the runs: se is the standard error of the mean "
            "(sd/√runs), p05-p95 the spread of the runs; Δ is the paired difference (same run "
            "index in both scenarios), mean ±se of the mean difference [p05, p95]");
        random_part_notes(res, out);
    }
    for (const auto& p : res.periods)
        if (p.partial)
            out.push_back(
                fmt::format("{} (partial): only the ticks {} .. {} ({} ticks) of it are compared; "
                            "its totals are "
                            "not those of the whole period",
                            p.label, p.first_tick, p.last_tick, p.ticks));
    if (res.zero_rows_left_out > 0)
        out.push_back(
            fmt::format("{} row(s) zero in every scenario left out", res.zero_rows_left_out));
    projection_notes(res, out);
    return out;
}

}  // namespace

/// A readable number: k, M, B, T above a thousand, `decimals` decimals (two by default); `sign`
/// adds "+" to positives.
std::string human_number(double v, bool sign, int decimals) {
    if (std::isnan(v)) return "-";
    if (std::isinf(v)) return v > 0 ? (sign ? "+inf" : "inf") : "-inf";
    if (sign && v == 0.0) return "0";
    const double a = std::abs(v);
    const char* suffix = "";
    double x = v;
    if (a >= 1e12)
        x = v / 1e12, suffix = "T";
    else if (a >= 1e9)
        x = v / 1e9, suffix = "B";
    else if (a >= 1e6)
        x = v / 1e6, suffix = "M";
    else if (a >= 1e3)
        x = v / 1e3, suffix = "k";
    std::string s = sign ? fmt::format("{:+.{}f}{}", x, decimals, suffix)
                         : fmt::format("{:.{}f}{}", x, decimals, suffix);
    if (s.rfind("-0.00", 0) == 0 && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
    return s;
}

/// `text` broken at spaces into lines of at most `width` columns (longer words stay whole),
/// continuation lines indented by `indent`; each line ends in "\n".
std::string wrap(const std::string& text, std::size_t width, const std::string& indent) {
    std::string out, line;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find(' ', pos);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(pos, end - pos);
        if (!line.empty() && display_width(line) + 1 + display_width(word) > width) {
            out += line + "\n";
            line = indent + word;
        } else {
            line += (line.empty() ? "" : " ") + word;
        }
        pos = end + 1;
    }
    if (!line.empty()) out += line + "\n";
    return out;
}

std::optional<CompareFormat> parse_compare_format(std::string_view text) {
    if (text == "table") return CompareFormat::table;
    if (text == "markdown") return CompareFormat::markdown;
    if (text == "csv") return CompareFormat::csv;
    return std::nullopt;
}

namespace {

struct Column {
    std::string header;
    std::vector<std::string> cells;
    bool left = false;
    std::size_t width = 0;
};

const std::string kGap = "  ";

/// The table's columns: (period,) key, metric, unit, then per scenario value (the baseline) or
/// value, Δ, Δ%; widths fitted to the cells and to the scenario names over their groups.
struct TableLayout {
    std::vector<Column> cols;
    std::vector<std::size_t> group_start;  // first column of each scenario's group
    std::vector<bool> block_start;         // per row: first of its block (period and key)
    std::size_t group_end(std::size_t i) const {
        return i + 1 < group_start.size() ? group_start[i + 1] : cols.size();
    }
    std::size_t span(std::size_t i) const {
        std::size_t w = 0;
        for (std::size_t k = group_start[i]; k < group_end(i); ++k)
            w += cols[k].width + (k > group_start[i] ? kGap.size() : 0);
        return w;
    }
};

TableLayout table_layout(const CompareResult& res) {
    TableLayout t;
    auto& cols = t.cols;
    const std::size_t n = res.labels.size();
    const bool periods = !res.periods.empty();
    cols.resize(periods ? 4 : 3);
    if (periods) cols[0].header = "period";
    cols[cols.size() - 3].header = "key";
    cols[cols.size() - 2].header = "metric";
    cols[cols.size() - 1].header = "unit";
    for (auto& c : cols) c.left = true;
    for (std::size_t i = 0; i < n; ++i) {
        t.group_start.push_back(cols.size());
        cols.push_back({res.ensemble ? "mean ±se [p05, p95]" : "value", {}, false, 0});
        if (i > 0) {
            cols.push_back({res.ensemble ? "Δ ±se [p05, p95]" : "Δ", {}, false, 0});
            cols.push_back({"Δ%", {}, false, 0});
        }
    }
    std::string last_key, last_period;
    for (const auto& row : res.rows) {
        // Blocks of rows by key; revenue by billing country joins its supplier's block.
        std::string key = row.scope == "world" ? "world" : row.key;
        std::string metric = row.metric;
        if (row.scope == "revenue") {
            const auto slash = key.rfind('/');
            metric = fmt::format("{} billed to {}", row.metric, key.substr(slash + 1));
            key = key.substr(0, slash);
        }
        const bool new_period = periods && (t.block_start.empty() || row.period != last_period);
        const bool first = key != last_key || t.block_start.empty() || new_period;
        t.block_start.push_back(first);
        std::size_t col = 0;
        if (periods)
            cols[col++].cells.push_back(
                new_period ? row.period + (row.period_partial ? " (partial)" : "") : "");
        cols[col++].cells.push_back(first ? key : "");
        last_key = key;
        last_period = row.period;
        cols[col++].cells.push_back(metric);
        cols[col].cells.push_back(row.unit == "share" ? "%" : row.unit);
        for (std::size_t i = 0; i < n; ++i) {
            const auto& c = row.cells[i];
            cols[t.group_start[i]].cells.push_back(value_cell(res, row, c));
            if (i > 0) {
                cols[t.group_start[i] + 1].cells.push_back(diff_cell(res, row, c));
                cols[t.group_start[i] + 2].cells.push_back(c.present ? pct_text(c) : "-");
            }
        }
    }
    for (auto& c : cols) {
        c.width = display_width(c.header);
        for (const auto& s : c.cells) c.width = std::max(c.width, display_width(s));
    }
    // Scenario names over their groups: widen the group's first column if a name is longer.
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t w = display_width(column_label(res, i)), span = t.span(i);
        if (w > span) cols[t.group_start[i]].width += w - span;
    }
    return t;
}

/// Scenario groups side by side while they fit kTableWidth; the rest continue in further
/// tables, each repeating the baseline when it fits beside the next scenario.
std::vector<std::vector<std::size_t>> table_chunks(const TableLayout& t) {
    std::size_t lead = 0;
    for (std::size_t k = 0; k < t.group_start.front(); ++k) lead += t.cols[k].width + kGap.size();
    std::vector<std::vector<std::size_t>> chunks;
    std::size_t used = 0;
    for (std::size_t i = 0; i < t.group_start.size(); ++i) {
        const std::size_t beside = 2 * kGap.size() + t.span(i);
        if (!chunks.empty() && used + beside <= kTableWidth) {
            chunks.back().push_back(i);
            used += beside;
            continue;
        }
        chunks.emplace_back();
        used = lead + t.span(i);
        if (i > 0 && lead + t.span(0) + beside <= kTableWidth) {
            chunks.back().push_back(0);
            used = lead + t.span(0) + beside;
        }
        chunks.back().push_back(i);
    }
    return chunks;
}

/// One table: the key columns and the groups of `groups`, every row.
void emit_table(const CompareResult& res, const TableLayout& t,
                const std::vector<std::size_t>& groups, std::string& out) {
    const auto& cols = t.cols;
    std::vector<std::size_t> shown;  // column indices of this table
    std::vector<bool> group_first;   // the column starts a scenario's group
    for (std::size_t k = 0; k < t.group_start.front(); ++k) {
        shown.push_back(k);
        group_first.push_back(false);
    }
    for (const std::size_t i : groups)
        for (std::size_t k = t.group_start[i]; k < t.group_end(i); ++k) {
            shown.push_back(k);
            group_first.push_back(k == t.group_start[i] && i != groups.front());
        }
    std::string line;
    for (std::size_t k = 0; k < t.group_start.front(); ++k)
        line += pad_right("", cols[k].width) + kGap;
    for (std::size_t g = 0; g < groups.size(); ++g)
        line += pad_left(column_label(res, groups[g]), t.span(groups[g])) +
                (g + 1 < groups.size() ? kGap + kGap : "");
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
    auto emit = [&](auto cell_of) {
        std::string l;
        for (std::size_t j = 0; j < shown.size(); ++j) {
            const std::size_t k = shown[j];
            const std::string s = cell_of(k);
            l += cols[k].left ? pad_right(s, cols[k].width) : pad_left(s, cols[k].width);
            if (j + 1 < shown.size()) l += group_first[j + 1] ? kGap + kGap : kGap;
        }
        while (!l.empty() && l.back() == ' ') l.pop_back();
        out += l + "\n";
    };
    emit([&](std::size_t k) { return cols[k].header; });
    for (std::size_t r = 0; r < res.rows.size(); ++r) {
        if (r > 0 && t.block_start[r]) out += "\n";
        emit([&](std::size_t k) { return cols[k].cells[r]; });
    }
}

}  // namespace

std::string render_compare_table(const CompareResult& res) {
    std::string out;
    const std::size_t n = res.labels.size();
    out += fmt::format("compare by {}: {} scenario{}, {}\n", analysis::to_string(res.by), n,
                       n == 1 ? "" : "s", period_text(res));
    std::size_t lw = 0;
    for (const auto& l : res.labels) lw = std::max(lw, display_width(l));
    for (std::size_t i = 0; i < n; ++i)
        out += fmt::format("  {:<9} {}  {}{}\n", i == 0 ? "baseline" : "",
                           pad_right(res.labels[i], lw), res.folders[i],
                           res.runs[i] > 1 ? fmt::format(" ({} runs)", res.runs[i]) : "");
    out += "\n";
    const TableLayout layout = table_layout(res);
    const auto chunks = table_chunks(layout);
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        if (c > 0) {
            std::string names;
            for (const std::size_t g : chunks[c])
                if (g > 0) names += (names.empty() ? "" : ", ") + res.labels[g];
            out += fmt::format("\n(continued, against the baseline {}: {})\n", res.labels.front(),
                               names);
        }
        emit_table(res, layout, chunks[c], out);
    }
    if (res.rows.empty()) out += "(no rows)\n";
    out += "\n";
    for (const auto& note : notes(res)) out += wrap("- " + note, kTableWidth, "  ");
    return out;
}

std::string render_compare_markdown(const CompareResult& res) {
    auto esc = [](const std::string& s) {
        std::string o;
        for (const char c : s) {
            if (c == '|')
                o += "\\|";
            else if (c == '\n' || c == '\r')
                o += ' ';
            else
                o.push_back(c);
        }
        return o;
    };
    std::string out;
    const std::size_t n = res.labels.size();
    out += fmt::format("Comparison by {}, {}; baseline `{}`.\n\n", analysis::to_string(res.by),
                       period_text(res), esc(res.labels.front()));
    const bool periods = !res.periods.empty();
    out += periods ? "| period | scope | key | metric | unit |" : "| scope | key | metric | unit |";
    std::string rule = periods ? "| --- | --- | --- | --- | --- |" : "| --- | --- | --- | --- |";
    for (std::size_t i = 0; i < n; ++i) {
        out += fmt::format(" {} |", esc(column_label(res, i)));
        rule += " ---: |";
        if (i > 0) {
            const std::string name = esc(res.labels[i]);
            out += res.ensemble ? fmt::format(" Δ {} ±se [p05, p95] | Δ% {} |", name, name)
                                : fmt::format(" Δ {} | Δ% {} |", name, name);
            rule += " ---: | ---: |";
        }
    }
    out += "\n" + rule + "\n";
    for (const auto& row : res.rows) {
        if (periods)
            out += fmt::format("| {}{} ", row.period, row.period_partial ? " (partial)" : "");
        out += fmt::format("| {} | {} | {} | {} |", row.scope,
                           esc(row.scope == "world" ? "all" : row.key), row.metric,
                           row.unit == "share" ? "%" : row.unit);
        for (std::size_t i = 0; i < n; ++i) {
            const auto& c = row.cells[i];
            out += fmt::format(" {} |", value_cell(res, row, c));
            if (i > 0)
                out += fmt::format(" {} | {} |", diff_cell(res, row, c),
                                   c.present ? pct_text(c) : "-");
        }
        out += "\n";
    }
    out += "\n";
    for (const auto& note : notes(res)) out += "- " + note + "\n";
    return out;
}

std::string render_compare_csv(const CompareResult& res) {
    std::string out;
    const bool routes = res.by == analysis::CompareBy::route;
    const bool periods = !res.periods.empty();
    std::vector<const char*> header = {"scope", "key"};
    if (periods) header.insert(header.begin(), {"period", "period_partial"});
    if (routes) header.insert(header.end(), {"origin", "via", "destination"});
    header.insert(header.end(), {"metric", "unit", "scenario", "runs", "value", "p05", "p95",
                                 "diff", "diff_p05", "diff_p95", "diff_pct"});
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (i > 0) out += ',';
        out += header[i];
    }
    // Ensembles only, so that comparisons of single runs keep their columns.
    if (res.ensemble) out += ",se,diff_se";
    out += kCsvLineEnd;
    for (const auto& row : res.rows) {
        const int d = row.unit == "USD" ? 2 : row.unit == "share" ? 6 : 4;
        for (std::size_t i = 0; i < res.labels.size(); ++i) {
            const auto& c = row.cells[i];
            if (periods) {
                append_csv_field(out, row.period);
                out += row.period_partial ? ",1," : ",0,";
            }
            append_csv_field(out, row.scope);
            out += ',';
            if (routes) {
                // The key as in summary.csv (ORIGIN/VIA/DESTINATION), then its parts.
                auto parts = analysis::split_route(row.key);
                if (parts[1].empty()) parts[1] = kDirectVia;
                append_csv_field(out, parts[0] + "/" + parts[1] + "/" + parts[2]);
                for (const auto& part : parts) {
                    out += ',';
                    append_csv_field(out, part);
                }
            } else {
                append_csv_field(out, row.key);
            }
            out += ',';
            append_csv_field(out, row.metric);
            out += ',';
            append_csv_field(out, row.unit);
            out += ',';
            append_csv_field(out, res.labels[i]);
            out += ',';
            if (!c.present) {
                out += res.ensemble ? ",,,,,,,,," : ",,,,,,,";
                out += kCsvLineEnd;
                continue;
            }
            out += fmt::format("{},", c.value.n);
            append_fixed(out, c.value.mean, d);
            out += ',';
            if (c.value.n > 1) {
                append_fixed(out, c.value.p05, d);
                out += ',';
                append_fixed(out, c.value.p95, d);
            } else {
                out += ',';
            }
            out += ',';
            if (c.diff.n > 0) append_fixed(out, c.diff.mean, d);
            out += ',';
            if (c.diff.n > 1) {
                append_fixed(out, c.diff.p05, d);
                out += ',';
                append_fixed(out, c.diff.p95, d);
            } else {
                out += ',';
            }
            out += ',';
            if (c.diff_pct) append_fixed(out, *c.diff_pct, 4);
            if (res.ensemble) {
                out += ',';
                if (c.value.n > 1) append_fixed(out, c.value.se, d);
                out += ',';
                if (c.diff.n > 1) append_fixed(out, c.diff.se, d);
            }
            out += kCsvLineEnd;
        }
    }
    return out;
}

void write_compare_csv(const CompareResult& res, const std::filesystem::path& path) {
    write_text_file(path, render_compare_csv(res));
}

}  // namespace ts::io
