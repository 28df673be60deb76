#include "policy/coverage.hpp"

namespace ts::policy {

static_assert(CountryId::kNoneValue == model::kNone, "ids share model::Index's invalid value");

bool covers_leg(const model::Policy& pol, const model::Supplier& sup, CountryId from) {
    const CountryId government{pol.by};
    const bool leaves_territory = from == government;
    const bool of_jurisdiction = CountryId{sup.jurisdiction} == government && !leaves_territory;
    switch (pol.type) {
        case model::PolicyType::quota:
            return leaves_territory || of_jurisdiction;
        case model::PolicyType::export_control:
            return (pol.covers_exports && leaves_territory) ||
                   (pol.covers_reexports && of_jurisdiction);
        default:
            return false;
    }
}

bool covers_shipment(const model::Policy& pol, const model::Supplier& sup) {
    return covers_leg(pol, sup, CountryId{sup.ships_from});
}

bool targets(const PolicyBook& book, PolicyId policy, CountryId to, bool buyer_named) {
    return buyer_named ||
           (!book.buyers_only(policy.value()) &&
            book.selects_destination(PolicyId{policy.value()}, CountryId{to.value()}));
}

bool remote_access_covers(const model::Policy& pol, const model::Supplier& sup) {
    return pol.type == model::PolicyType::remote_access && pol.by == sup.jurisdiction;
}

bool enforcement_covers(const model::Policy& pol, const model::Supplier& sup, CountryId hub,
                        CountryId destination) {
    if (pol.type != model::PolicyType::enforcement) return false;
    const CountryId government{pol.by};
    if (pol.inspection == model::Inspection::border) return government == destination;
    return government == hub || pol.by == sup.jurisdiction;
}

}  // namespace ts::policy
