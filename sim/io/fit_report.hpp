#pragma once
// The output of `tradesim fit` (docs/calibration.md, "Fit report"): for every run folder, the
// targets with the model value, observed value, ratio, standardised error z and whether the
// model lies inside the target's band; holdouts in their own section; the objective
// Σ weight·z² over the non-holdout targets. The CSV is the long form, one row per folder and
// target, at full precision (shortest round-trip decimals):
//   folder,scenario,runs,holdout,id,metric,scope,period,first,last,model,model_sd,model_p05,
//   model_p95,observed,sd,band_lo,band_hi,ratio,z,inside,projected,weight,weighted_z2,source
// band_lo/band_hi: the band, or observed ∓ 1.645·sd; model_sd/p05/p95 empty for a single run;
// ratio empty when observed is 0; weighted_z2 = weight·z², empty for holdouts (its sum over a
// folder is the objective).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/compare.hpp"
#include "analysis/targets.hpp"

namespace ts::io {

/// One run folder's fit.
struct FolderFit {
    std::string folder, label;  // label: the scenario name
    int runs = 0;
    std::string first, last;                    // the days the run covers
    std::optional<std::string> observed_until;  // manifest.json (YYYY-MM)
    analysis::FitReport report;
};

enum class FitFormat { table, csv };
std::optional<FitFormat> parse_fit_format(std::string_view text);

/// Aligned text: one block per folder, then (several folders) their objectives side by side.
std::string render_fit_table(const analysis::TargetSet& targets,
                             const std::vector<FolderFit>& fits);
std::string render_fit_csv(const std::vector<FolderFit>& fits);
/// Writes render_fit_csv() to `path` through an AtomicFile. Throws RunError.
void write_fit_csv(const std::vector<FolderFit>& fits, const std::filesystem::path& path);

/// The non-holdout targets outside their band, by id.
std::vector<std::string> outside_band(const FolderFit& fit);

}  // namespace ts::io
