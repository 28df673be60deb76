#pragma once
// Which goods and which shipments a policy reaches: the one statement of the coverage rule of
// export controls and quotas (by territory and by jurisdiction) and of their targeting (by
// destination and by listed buyer), plus the jurisdiction rules of remote-access and
// enforcement policies. Legality, the engine and the equilibrium solver all decide coverage
// through these functions; none of them writes the rule again.
//
// A shipment is decided leg by leg. A leg X -> Y carries goods of a supplier (its
// `jurisdiction`, whose controls follow the goods everywhere, and its `ships_from`, where the
// goods physically start). The direct route is one leg ships_from -> buyer's country; a hub
// route through H is leg 1 ships_from -> H and leg 2 H -> buyer's country; a remote-compute
// route is one leg ships_from -> the data-centre site.
#include "core/ids.hpp"
#include "model/scenario.hpp"
#include "policy/policy_book.hpp"

namespace ts::policy {

/// Whether export control or quota `pol` (of government G = pol.by) covers goods of `sup` on a
/// leg leaving country `from`, by territory and jurisdiction alone (selectors aside):
///
/// - goods leaving G's territory (from == G), whoever's jurisdiction they are of: an export
///   control covers them when it covers exports (`covers_exports`);
/// - goods of G's jurisdiction leaving any other country (from != G, sup.jurisdiction == G):
///   goods made elsewhere under G's jurisdiction, goods shipped from a third country, and leg 2
///   of a hub route, which leaves the hub: an export control covers them when it covers
///   re-exports (`covers_reexports`);
/// - goods of another jurisdiction leaving another country: never.
///
/// A quota covers both exports and re-exports of G (it has no covers_* switches). Any other
/// policy type covers no leg.
bool covers_leg(const model::Policy& pol, const model::Supplier& sup, CountryId from);

/// covers_leg for the first leg of every route, which leaves the supplier's `ships_from`: the
/// direct route, leg 1 of a hub route and the leg to a remote site.
bool covers_shipment(const model::Policy& pol, const model::Supplier& sup);

/// Whether policy `policy` targets the consignee of a leg into country `to`:
///
/// - by destination: it selects `to`, unless its destination selector is only its `buyers`
///   selector (PolicyBook::buyers_only: a control on listed buyers wherever they are);
/// - by buyer: `buyer_named` says whether its `buyers` selector names the end buyer. Pass false
///   on a leg whose consignee is not the end user (leg 1 of a hub route, the leg to a remote
///   site): only the destination counts there.
bool targets(const PolicyBook& book, PolicyId policy, CountryId to, bool buyer_named);

/// Whether `pol` is a remote-access policy that reaches compute on goods of `sup`: it is the
/// government of the goods' jurisdiction (the chips in a foreign data centre stay under it).
/// Its destination selector then names the buyers' countries it closes.
bool remote_access_covers(const model::Policy& pol, const model::Supplier& sup);

/// Whether enforcement policy `pol` inspects diverted goods of `sup` passing through `hub` to
/// buyers in `destination`: `at: hub` (default) when it is the hub's government or the
/// government of the goods' jurisdiction; `at: border` when it is the destination's government
/// (the importer's customs looking for smuggled goods).
bool enforcement_covers(const model::Policy& pol, const model::Supplier& sup, CountryId hub,
                        CountryId destination);

}  // namespace ts::policy
