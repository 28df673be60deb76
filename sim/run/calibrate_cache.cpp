#include "run/calibrate_cache.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "io/csv.hpp"
#include "io/csv_reader.hpp"

namespace fs = std::filesystem;

namespace ts::run {

namespace {

constexpr std::size_t kLeadingColumns = 3;  // index, phase, start

}  // namespace

EvaluationCache EvaluationCache::read(const fs::path& dir,
                                      const std::vector<analysis::FreeParameter>& free) {
    const fs::path file = dir / "evaluations.csv";
    if (!fs::is_regular_file(file))
        throw InputError(fmt::format(
            "--resume: '{}' has no evaluations.csv to resume from (give -o the folder of an "
            "earlier calibrate)",
            dir.string()));
    io::CsvReader csv(file);
    const auto& header = csv.header();
    bool same = header.size() == kLeadingColumns + free.size() + 2;
    for (std::size_t i = 0; same && i < free.size(); ++i)
        same = header[kLeadingColumns + i] == free[i].path;
    if (!same)
        throw InputError(fmt::format(
            "--resume: '{}' was calibrated with other free parameters than this job's (its "
            "columns: {})",
            file.string(), fmt::join(header, ",")));
    EvaluationCache cache;
    const std::size_t objective = kLeadingColumns + free.size();
    std::vector<std::string> fields;
    while (csv.next(fields)) {
        ValueText values(fields.begin() + kLeadingColumns,
                         fields.begin() + static_cast<std::ptrdiff_t>(objective));
        cache.objectives_.emplace(std::move(values), csv.number(fields, objective));
    }
    return cache;
}

std::optional<double> EvaluationCache::find(const ValueText& values) const {
    const auto it = objectives_.find(values);
    if (it == objectives_.end()) return std::nullopt;
    return it->second;
}

void EvaluationLog::add(ValueText values, double objective) {
    const std::lock_guard lock(mutex_);
    entries_.emplace_back(std::move(values), objective);
}

std::vector<std::pair<ValueText, double>> EvaluationLog::entries() const {
    const std::lock_guard lock(mutex_);
    return entries_;
}

std::size_t write_interrupted_evaluations(const fs::path& path,
                                          const std::vector<analysis::FreeParameter>& free,
                                          const EvaluationCache& cache, const EvaluationLog& log) {
    std::vector<std::string> header{"index", "phase", "start"};
    for (const auto& p : free) header.push_back(p.path);
    header.emplace_back("objective");
    header.emplace_back("best");
    io::CsvWriter csv(path, std::vector<std::string_view>(header.begin(), header.end()));
    std::int64_t index = 0;
    const auto row = [&](const ValueText& values, double objective) {
        csv.integer(index++).text("interrupted").empty();
        for (const auto& v : values) csv.text(v);
        csv.text(fmt::format("{}", objective)).integer(0);
        csv.end_row();
    };
    for (const auto& [values, objective] : cache.objectives()) row(values, objective);
    for (const auto& [values, objective] : log.entries())
        if (!cache.find(values)) row(values, objective);
    csv.commit();
    return static_cast<std::size_t>(index);
}

}  // namespace ts::run
