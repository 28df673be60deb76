#pragma once
// Legality of every way a buyer can reach an offer (docs/model.md, step 4; docs/policies.md, "Route
// legality"). A route is the direct shipment (route 0) or a shipment through hub r (route r+1,
// Scenario::routes[r]). For each buyer profile (country, plus which buyer-specific controls name
// the buyer), offer and route, the status is open, licensed, capped, diverted or blocked:
//
// - A control of government G covers a leg X -> Y of goods of offer o when it selects o's
//   product and Y (or the buyer), and either the goods leave G's territory (X == G, `exports`)
//   or they are of G's jurisdiction and leave a third country (X != G, `reexports`).
// - Direct: the leg ships_from -> buyer's country.
// - Hub H: leg 1 ships_from -> H (H as destination; buyer selectors do not apply, the hub's
//   consignee is not the end user) and leg 2 H -> buyer's country. A restricted leg 1 makes the
//   route licensed/capped/blocked like a direct one; a prohibited leg 2 makes it diverted.
// - A control with no licence, or licence approval 0, prohibits; approval p in (0, 1] needs a
//   licence granted with probability p after its delay (several controls: approvals multiply,
//   the longest delay counts). Quotas (exports and re-exports of the government) cap the leg.
//
// - Remote compute at site X: chips go legally to a data centre in X (the leg ships_from -> X,
//   with X as destination), and a `remote_access` policy of the goods' jurisdiction selecting
//   the buyer's country (or, with `buyers`, the buyer) closes it (blocked). A control whose
//   `buyers` selects the renting firm by headquarters or buyer group covers that leg too.
//
// Tables are rebuilt only when the set of policies in force or announced changes.
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "core/ids.hpp"
#include "model/scenario.hpp"
#include "policy/policy_book.hpp"

namespace ts::policy {

/// Buyers of one country that the same buyer-specific policies select share a profile (and
/// every row of the legality tables).
using ProfileId = StrongIndex<struct ProfileTag>;

enum class RouteClass : std::uint8_t { open, licensed, capped, diverted, blocked, unavailable };
const char* to_string(RouteClass c);

struct RouteStatus {
    RouteClass cls = RouteClass::open;
    double approval = 1.0;  // product of licence approvals on the route's legs (1 = no licence)
    int licence_delay = 0;  // ticks to decide
    bool needs_licence = false;  // some leg needs a licence (also a diverted route's first leg)
    std::uint32_t quota_begin = 0, quota_end = 0;  // quota buckets, see Legality::quota_buckets
};

/// A quota bucket: one quota policy's cap for one destination country.
struct QuotaBucket {
    Index policy = model::kNone;
    Index country = model::kNone;
};

class Legality {
  public:
    explicit Legality(const PolicyBook& book);

    /// Recomputes every table for the policies now in force (call after PolicyBook::advance
    /// reported a change).
    void rebuild();

    /// Routes: 0 direct, 1..H through hub r-1, then one per remote-compute site (countries
    /// where some buyer rents compute, in code order).
    int routes() const { return n_routes_; }
    int hub_routes() const { return n_hubs_; }
    bool is_remote(int route) const { return route > n_hubs_; }
    Index remote_site(int route) const {
        return remote_sites_[static_cast<std::size_t>(route - n_hubs_ - 1)];
    }
    /// The route index of remote site `country`, or -1.
    int remote_route(Index country) const;
    Index profile(Index buyer) const { return buyer_profile_[static_cast<std::size_t>(buyer)]; }
    const RouteStatus& status(BuyerId buyer, OfferId offer, RouteId route) const {
        return table_[cell(ProfileId{profile(buyer.value())}, offer, route)];
    }
    /// The routes worth pricing for the buyer and offer, in route order: not blocked or
    /// unavailable, and not dominated by an open direct route. A hub route that is open, capped
    /// or licensed costs at least as much as the open direct route (same tariff, markup ≥ 0,
    /// approval ≤ 1) and is exhausted whenever the direct route is (the offer's goods), so the
    /// cheapest-route search never picks it; diverted and remote routes are always kept
    /// (remote ones still need Simulation's per-buyer check).
    /// A candidate route with a copy of its status, so that the route search reads one short
    /// contiguous list instead of scattered table cells.
    struct RouteChoice {
        std::int32_t route = 0;
        RouteStatus status;
    };
    /// candidate_routes as a range of positions, valid until the next rebuild.
    std::pair<std::uint32_t, std::uint32_t> candidate_route_range(BuyerId buyer,
                                                                  OfferId offer) const {
        const std::size_t c =
            static_cast<std::size_t>(profile(buyer.value())) * n_offers_ + offer.index();
        return {route_begin_[c], route_begin_[c + 1]};
    }
    /// The candidate routes of every buyer profile and offer in the tables (a diagnostic).
    std::size_t route_choice_count() const { return route_list_.size(); }
    std::span<const RouteChoice> route_choices(std::uint32_t begin, std::uint32_t end) const {
        return {route_list_.data() + begin, end - begin};
    }
    std::span<const RouteChoice> candidate_routes(BuyerId buyer, OfferId offer) const {
        const std::size_t c =
            static_cast<std::size_t>(profile(buyer.value())) * n_offers_ + offer.index();
        return {route_list_.data() + route_begin_[c], route_begin_[c + 1] - route_begin_[c]};
    }
    std::span<const std::uint32_t> quotas(std::uint32_t begin, std::uint32_t end) const {
        return {quota_pool_.data() + begin, end - begin};
    }
    std::span<const std::uint32_t> quotas(const RouteStatus& s) const {
        return {quota_pool_.data() + s.quota_begin, s.quota_end - s.quota_begin};
    }
    const std::vector<QuotaBucket>& quota_buckets() const { return buckets_; }

    /// Probability that a diverted shipment of the offer to the buyer through hub route `route`
    /// (>= 1) is seized: the route's detection raised by enforcement policies in force of the
    /// hub and of the goods' jurisdiction, and by border enforcement of the buyer's country,
    /// combined as independent checks.
    double detection(BuyerId buyer, OfferId offer, RouteId route) const {
        const std::size_t at_route =
            offer.index() * static_cast<std::size_t>(n_routes_) + route.index();
        if (border_pass_.empty()) return detection_[at_route];
        const CountryId country =
            profile_country_[static_cast<std::size_t>(profile(buyer.value()))];
        return 1.0 - (1.0 - detection_[at_route]) *
                         border_pass_[country.index() * detection_.size() + at_route];
    }
    /// Taste-weight factor from import restrictions in force in the buyer's country (those with
    /// `buyers` only for the buyers they select): Π (1 − compliance) over restrictions selecting
    /// the offer (compliance-weighted removal).
    double import_factor(BuyerId buyer, OfferId offer) const {
        return import_factor_[static_cast<std::size_t>(profile(buyer.value())) * n_offers_ +
                              offer.index()];
    }
    const PolicyBook& book() const { return *book_; }
    /// Whether import restriction `policy` applies to the buyer (located in its country, and
    /// selected by its `buyers` if it has them).
    bool import_restriction_applies(PolicyId policy, BuyerId buyer) const {
        return import_restricted(policy, ProfileId{profile(buyer.value())});
    }
    /// Whether a restriction on the buyer's direct route to the offer (control, quota, import
    /// restriction or tariff) is announced and not yet in force: buyers then scale their
    /// orders by `anticipation`.
    bool restriction_pending(BuyerId buyer, OfferId offer) const {
        return pending_[static_cast<std::size_t>(profile(buyer.value())) * n_offers_ +
                        offer.index()] != 0;
    }
    /// Whether an export control in force restricts (prohibits or licenses) the direct route of
    /// the buyer to the offer; `control` receives the first such control.
    bool restricted_by_control(BuyerId buyer, OfferId offer, Index& control) const;

    /// Classifies one leg for tests and reports: the status a single leg from -> to would have.
    RouteStatus leg(CountryId from, CountryId to, OfferId offer, BuyerId buyer_or_none) const;

    /// Why a route has its status (tradesim explain): each policy in force that covers one of
    /// its legs for the buyer, in leg and policy order, with what it does there. The same rule
    /// as the tables (classify_leg), one policy at a time.
    struct RouteCause {
        enum class Effect : std::uint8_t { prohibits, licence, quota, closes_remote };
        int leg = 1;  // 1: the first (or only) leg, 2: leg 2 of a hub route
        CountryId from, to;
        PolicyId policy;
        Effect effect = Effect::prohibits;
        double approval = 1.0;  // licence: its approval
        int delay = 0;          // licence: ticks to decide
    };
    std::vector<RouteCause> route_causes(BuyerId buyer, OfferId offer, RouteId route) const;

  private:
    const model::Scenario& scenario() const { return book_->scenario(); }
    std::size_t cell(ProfileId profile, OfferId offer, RouteId route) const {
        return (profile.index() * n_offers_ + offer.index()) * static_cast<std::size_t>(n_routes_) +
               route.index();
    }
    struct LegResult {
        bool prohibited = false;
        bool licensed = false;
        double approval = 1.0;
        int delay = 0;
        bool capped = false;  // a quota in force covers the leg
        // Its quotas: leg_quotas_[quota_begin, quota_end) when classify_leg was given the
        // scratch (empty otherwise).
        std::uint32_t quota_begin = 0, quota_end = 0;
    };
    /// Classifies a leg under the policies listed (any subset that contains every export
    /// control and quota in force selecting the offer; others are skipped). `named` (sorted)
    /// are the policies whose `buyers` selector names the leg's consignee: the end buyer's on
    /// its own legs, none on leg 1 of a hub route, the firm-level ones on a remote leg (see
    /// targets in coverage.hpp). With `quotas` (leg_quotas_), the quotas covering the leg are
    /// appended to it and the result says where they are.
    /// Whether policy `p` covers the leg from -> to of the offer's goods (of supplier `sup`):
    /// in force, selecting the offer, covering the leg (coverage.hpp) and targeting its
    /// consignee (`named`: sorted, the policies whose `buyers` name the consignee).
    bool leg_covered(PolicyId p, const model::Supplier& sup, CountryId from, CountryId to,
                     OfferId offer, std::span<const PolicyId> named) const;
    LegResult classify_leg(CountryId from, CountryId to, OfferId offer,
                           std::span<const PolicyId> named, std::span<const PolicyId> policies,
                           std::vector<PolicyId>* quotas = nullptr) const;
    /// The policies naming the profile's buyers (empty for ProfileId::none()).
    std::span<const PolicyId> end_user_policies(ProfileId profile) const;
    std::span<const PolicyId> offer_controls(OfferId offer) const {
        const std::size_t o = offer.index();
        return {offer_controls_.data() + offer_controls_begin_[o],
                offer_controls_begin_[o + 1] - offer_controls_begin_[o]};
    }
    bool profile_selected(ProfileId profile, PolicyId policy) const;
    bool remote_closed(ProfileId profile, OfferId offer, CountryId buyer_country) const;
    /// Whether import restriction `policy` applies to the profile's buyers.
    bool import_restricted(PolicyId policy, ProfileId profile) const;
    std::uint32_t bucket(PolicyId policy, CountryId country);

    // The steps of rebuild(), in order.
    /// The policies in force that legality reads: controls and quotas (per offer they select),
    /// remote-access and enforcement policies.
    void collect_policies_in_force();
    /// The status of every (profile, offer, route) cell of table_, with its quota buckets.
    void classify_routes();
    RouteStatus direct_status(ProfileId profile, OfferId offer, CountryId origin, CountryId dest);
    RouteStatus hub_status(ProfileId profile, OfferId offer, RouteId route, CountryId origin,
                           CountryId dest);
    RouteStatus remote_status(ProfileId profile, OfferId offer, RouteId route, CountryId origin,
                              CountryId dest);
    /// A route's status from its legs: leg 1 into `to1`, leg 2 (empty for a one-leg route) into
    /// `to2`. A prohibited leg 2 makes the route diverted; it still needs leg 1's licence.
    /// Consumes the legs' quotas: leg_quotas_ is empty again afterwards.
    RouteStatus status_of_legs(const LegResult& l1, CountryId to1, const LegResult& l2,
                               CountryId to2);
    /// Appends the quota buckets of a leg into `to` to quota_pool_.
    void add_quotas(const LegResult& leg, CountryId to);
    /// route_begin_/route_list_ from table_ (see candidate_routes).
    void list_candidate_routes();
    /// detection_: the seizure probability of a diverted shipment on each hub route.
    void compute_detection();
    /// import_factor_: compliance-weighted removal by import restrictions in force.
    void compute_import_factors();
    /// pending_: restrictions announced, not yet in force, on each direct route.
    void mark_pending_restrictions();
    bool pending_restriction(PolicyId policy, ProfileId profile, OfferId offer) const;

    const PolicyBook* book_;
    std::size_t n_offers_ = 0;
    int n_routes_ = 1;
    int n_hubs_ = 0;
    std::vector<Index> remote_sites_;
    // Buyer profiles: buyers of one country that the same buyer-specific policies select.
    std::vector<Index> buyer_profile_;
    std::vector<CountryId> profile_country_;
    std::vector<std::vector<PolicyId>>
        profile_policies_;  // sorted policy indices selecting the profile
    std::vector<std::vector<PolicyId>> profile_firm_policies_;  // of those, selecting the firm

    std::vector<PolicyId> all_policies_;  // 0..P−1, for leg()
    // Scratch of classify_leg for a route's legs, reserved once so that a rebuild at a scheduled
    // parameter change does not allocate.
    std::vector<PolicyId> leg_quotas_;
    // Rebuilt with the tables: per offer, the export controls and quotas in force selecting it
    // (CSR), and the remote_access policies in force. Most policies are tariffs, fees or not
    // in force, so the per-cell classification looks at a handful of policies.
    std::vector<std::size_t> offer_controls_begin_;
    std::vector<PolicyId> offer_controls_;
    std::vector<PolicyId> remote_policies_;
    std::vector<PolicyId> enforcement_policies_;  // in force (hub detection)
    std::vector<PolicyId> control_policies_;      // export controls and quotas in force
    std::vector<RouteStatus> table_;              // profile × offer × route
    std::vector<std::uint32_t> route_begin_;      // profile × offer + 1: into route_list_
    std::vector<RouteChoice> route_list_;         // candidate routes (see candidate_routes)
    std::vector<std::uint32_t> quota_pool_;
    std::vector<QuotaBucket> buckets_;
    std::vector<double> detection_;    // offer × route: route and hub checks
    std::vector<double> border_pass_;  // country × offer × route: 1 − border detection (or empty)
    std::vector<double> import_factor_;  // profile × offer
    std::vector<char> pending_;          // profile × offer
};

}  // namespace ts::policy
