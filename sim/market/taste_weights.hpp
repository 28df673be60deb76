#pragma once
// Where the taste weights a_i of the CES choice come from in a run. The scenario gives each
// buyer a static weight per offer (read, or calibrated from shares by the reader); a run then
//  - weighs each candidate by the import restrictions in force in the buyer's country
//    (compliance-weighted removal, Legality::import_factor), and zero while the offer does not
//    exist (not yet available, or a variant not yet launched);
//  - gives a design-around variant the original's weight for the buyers its control targets;
//  - prices a supplier's purchase of inputs at the mean base price of what it may buy, so that
//    its demand at those prices is what production planned.
#include <span>

namespace ts::market {

/// a_i while the policies in force stay the same: the static weight times the
/// import-restriction factor (the engine zeroes it on ticks where the offer is unavailable).
inline double candidate_weight(double weight, double import_factor) {
    return weight * import_factor;
}

/// The weight a buyer gives a design-around variant: the original's, if the control the variant
/// escapes targets the buyer, else none.
inline double variant_weight(double original_weight, bool targeted) {
    return original_weight > 0.0 && targeted ? original_weight : 0.0;
}

/// Reference cost of a purchase: the mean price of the offers with weight > 0 (1 if none).
double purchase_reference_cost(std::span<const double> weights, std::span<const double> prices);

}  // namespace ts::market
