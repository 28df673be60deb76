#pragma once
// The keys of the scenario file, in one place: for every map the reader reads, the keys it
// accepts there (in the order "expected one of: ..." lists them), and the words each choice
// accepts. The reader checks every map against these lists, and accepted_keys() enumerates the
// same lists, so the reference docs/scenario-format.md is tested against exactly what the reader
// accepts (tests/unit/io/scenario_format_test.cpp). A key added here is accepted by the reader
// and, until it is documented, fails that test.
#include <string>
#include <vector>

namespace ts::io::schema {

using Words = std::vector<std::string>;

// Keys of each map.
extern const Words kTopKeys;
extern const Words kTimeKeys;
extern const Words kCountryKeys;
extern const Words kProductKeys;
extern const Words kSupplierKeys;
extern const Words kOfferKeys;
extern const Words kAvailableKeys;
extern const Words kDesignAroundKeys;
extern const Words kEquipmentKeys;
extern const Words kPurchaseKeys;
/// Buyer keys that have no meaning for a supplier's purchases (reported as misplaced there).
extern const Words kBuyerOnlyKeys;
extern const Words kBuyerKeys;
extern const Words kRemoteKeys;
extern const Words kRouteKeys;
extern const Words kTransportKeys;
/// A policy's keys are kIdentityKeys, kCommonKeys, kDateKeys and the keys of its type; a
/// reaction's `then` takes only kCommonKeys and the keys of its type.
extern const Words kIdentityKeys;
extern const Words kCommonKeys;
extern const Words kDateKeys;
extern const Words kPolicyTypes;
extern const std::vector<Words> kTypeKeys;  // parallel to kPolicyTypes
extern const Words kLicenseKeys;
extern const Words kConditionKeys;  // import restriction `condition`
extern const Words kProductSelectorKeys;
extern const Words kCountrySelectorKeys;
extern const Words kBuyerSelectorKeys;
extern const Words kReactionKeys;
extern const Words kWhenKeys;
/// `uncertainty` (io/uncertainty.hpp): a top-level key read apart from the scenario, and so not
/// in kTopKeys (whose list the messages about an unknown top-level key show).
extern const Words kUncertaintyKeys;
extern const Words kUncertainParameterKeys;  // uncertainty.parameters.<path>

// Words a choice accepts.
extern const Words kSteps;          // time.step
extern const Words kProductKinds;   // products[].kind, product selector `kinds`
extern const Words kCovers;         // policy `covers`
extern const Words kPeriods;        // quota `period`
extern const Words kInspections;    // enforcement `at` (parallel to model::Inspection)
extern const Words kMetrics;        // reaction `when.metric`
extern const Words kPricings;       // suppliers[].pricing (model::Supplier::clearing_price)
extern const Words kRouteMetrics;   // the metrics `when.via` applies to
extern const Words kDistributions;  // uncertainty.parameters.<path>.distribution

/// Every key some policy type accepts, without duplicates, in type order.
Words all_type_keys();

/// One key the reader accepts, named by its path in the notation of docs/scenario-format.md:
/// `[]` stands for any item of a list ("suppliers[].offers[].capacity"), and a map whose keys
/// are ids has one placeholder key in angle brackets ("buyers[].shares.<offer>").
struct AcceptedKey {
    std::string path;
    Words values;  // the words it accepts, for a choice (or a list of choices)
    Words types;   // for a key only some policy types accept: those types
};

/// Every key the reader accepts, from the lists above (and the lists `remove` accepts).
std::vector<AcceptedKey> accepted_keys();

}  // namespace ts::io::schema
