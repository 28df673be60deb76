#pragma once
// Design-around variants: the product a supplier launches when an export control binds on one
// of its chips, placed just under the thresholds of every control it must escape.
#include <optional>
#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace ts::policy {

/// The variant of `product` that no selector in `controls` matches, obtained by lowering
/// attributes (TPP, performance density, interconnect) to `1 − margin` of the bounds they must
/// fall under, keeping as much compute as possible. Lowering TPP lowers density in proportion
/// (same die); compute scales with TPP. Returns nothing when no lowering escapes (a selector by
/// `all` or by product kind). Selectors by product id never match the variant (a new id).
std::optional<model::Product> design_variant(
    const model::Product& product, model::Index product_index,
    const std::vector<const model::ProductSelector*>& controls, double margin,
    const std::string& variant_id);

}  // namespace ts::policy
