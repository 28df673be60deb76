#pragma once
// What `tradesim explain` prints and writes (docs/explaining-results.md): a buyer's or an
// offer's decision trace as text for a 100-column terminal and as CSV, one row per candidate
// route or per buyer; an attribution as a table and as CSV.
#include <filesystem>
#include <string>
#include <vector>

#include "engine/trace.hpp"
#include "model/scenario.hpp"

namespace ts::io {

using model::Index;

/// "us-designer/H100".
std::string offer_name(const model::Scenario& s, Index offer);

/// The buyer's trace as text.
std::string format_buyer_trace(const model::Scenario& s, const engine::BuyerTrace& t, int run);
/// One row per (candidate offer, route): terms, cost, choice, order, fill, policies.
void write_buyer_trace_csv(const model::Scenario& s, const engine::BuyerTrace& t, int run,
                           const std::filesystem::path& path);

std::string format_offer_trace(const model::Scenario& s, const engine::OfferTrace& t, int run);
/// One row per buyer that ordered the offer: route, order, licence, fill, what bound.
void write_offer_trace_csv(const model::Scenario& s, const engine::OfferTrace& t, int run,
                           const std::filesystem::path& path);

/// "us-oct-2022 prohibits USA→CHN (leg 2)".
std::string describe_cause(const model::Scenario& s, const policy::Legality::RouteCause& c);

}  // namespace ts::io
