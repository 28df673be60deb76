#pragma once
// The output of `tradesim compare`: the comparison as an aligned text table, a Markdown table,
// or CSV. The CSV is the long ("tidy") form of the same table: one row per metric and scenario,
// so every cell of the printed table is a field of it, at full fixed precision:
//   scope,key,metric,unit,scenario,runs,value,p05,p95,diff,diff_p05,diff_p95,diff_pct
// value is the run's value (single runs) or the mean over the runs (ensembles); p05/p95 the 90 %
// interval over the runs (empty for a single run); diff the paired difference against the
// baseline (its mean, and p05/p95 over the runs, empty for single runs); diff_pct the relative
// difference in percent (empty when the baseline is 0). Quantities 4 decimals, USD 2, price index
// 4, shares 6 (as fractions), percentages 4. A metric a scenario lacks (e.g. no flows.csv) has
// empty fields.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/compare.hpp"

namespace ts::io {

enum class CompareFormat { table, markdown, csv };
std::optional<CompareFormat> parse_compare_format(std::string_view text);

/// Aligned text for the terminal: a heading naming the scenarios and their folders, the table
/// (baseline first; for every other scenario its value, Δ and Δ%), and notes on units.
std::string render_compare_table(const analysis::CompareResult& result);
/// The same as a Markdown table with the heading and notes as paragraphs.
std::string render_compare_markdown(const analysis::CompareResult& result);
/// The CSV text described above.
std::string render_compare_csv(const analysis::CompareResult& result);
/// A readable number: k, M, B, T above a thousand, `decimals` decimals; `sign` adds "+" to
/// positives; "-" for NaN. Also for the fit report's tables.
std::string human_number(double v, bool sign = false, int decimals = 2);
/// `text` broken at spaces into lines of at most `width` columns (longer words stay whole),
/// continuation lines indented by `indent`; each line ends in "\n". Also for other notes.
std::string wrap(const std::string& text, std::size_t width, const std::string& indent);
/// Writes render_compare_csv() to `path` through an AtomicFile. Throws RunError.
void write_compare_csv(const analysis::CompareResult& result, const std::filesystem::path& path);

}  // namespace ts::io
