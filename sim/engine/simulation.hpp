#pragma once
// The tick loop. A Simulation runs one copy of a frozen scenario; its step() is the list of
// phases of PRODUCT.md ("The model, one tick"), in order, and nothing else. Phases before
// clearing read the state and compute decisions; clearing settles production and shipments
// together; later phases book what happened. State lives in flat arrays indexed by dense ids.
//
// The simulation works on its own copy of the scenario, the *world*: the input scenario plus
// the policies that reaction rules may add (dormant until triggered) and the design-around
// variants suppliers may launch (unavailable until launched). Recorders receive the world.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "engine/records.hpp"
#include "model/scenario.hpp"
#include "policy/legality.hpp"
#include "policy/policy_book.hpp"

namespace ts::engine {

/// Run settings: a plain struct, never global options.
struct RunConfig {
    int run = 0;  // ensemble member; part of every random stream key
#ifdef NDEBUG
    bool check_invariants = false;
#else
    bool check_invariants = true;  // accounting identities after every tick (debug builds)
#endif
    int rechoice_rounds = 3;  // rounds in which rationed buyers re-choose among what is left
};

/// Work counters of a run, for the benchmark harness (scripts/bench) and manifest.json. They
/// count what the engine did, not time: the same for any machine, thread or rank count.
struct EngineStats {
    std::uint64_t ticks = 0;
    /// Buyer-offer evaluations: one buyer pricing one candidate offer over its usable routes
    /// (legality phase, and again for rationed buyers in each re-choice round).
    std::uint64_t evaluations = 0;
    std::uint64_t route_checks = 0;  // (buyer, offer, route) cells looked at by those evaluations
    std::uint64_t requests = 0;      // requests and fills booked in clearing, all rounds
    /// A model of the bytes of engine state the ticks read and write: every pass over a
    /// per-candidate, per-buyer or per-offer array counts the array's bytes, every route check
    /// a legality cell, every request and flow its record. Divided by run time this is the
    /// engine's effective bandwidth (docs/performance.md).
    std::uint64_t bytes = 0;
};

enum class Phase {
    idle,
    policy,
    production,
    demand,
    legality,
    choice,
    clearing,
    shipping,
    prices,
    records
};
const char* to_string(Phase p);

class Simulation {
  public:
    Simulation(const model::Scenario& scenario, RunConfig config);
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    /// The scenario the simulation runs: the input plus reaction policies and variants.
    const model::Scenario& world() const { return world_; }
    int tick() const { return tick_; }
    int ticks() const { return world_.time.ticks; }
    bool done() const { return tick_ >= ticks(); }

    /// Advances one tick and hands its records to the recorder.
    void step(Recorder& recorder);
    /// Runs all remaining ticks; `progress(done, total)` is called after each tick.
    void run(Recorder& recorder, const std::function<void(int, int)>& progress = {});

    // Read-only state, for tests and diagnostics.
    double price(Index offer) const { return price_[static_cast<std::size_t>(offer)]; }
    double stock(Index offer) const { return stock_[static_cast<std::size_t>(offer)]; }
    double buyer_price_index(Index buyer) const {
        return buyer_p_[static_cast<std::size_t>(buyer)];
    }
    double backlog(Index buyer) const { return backlog_[static_cast<std::size_t>(buyer)]; }
    const policy::Legality& legality() const { return legality_; }
    const EngineStats& stats() const { return stats_; }

    /// Features the scenario uses that this engine reads but does not simulate yet.
    static std::vector<std::string> unsimulated_features(const model::Scenario& scenario);

  private:
    /// A quantity of compute asked for or allocated on one (buyer, offer, route).
    struct Request {
        Index buyer;
        Index offer;
        int route;
        double compute;
        bool licensed;          // granted under a licence (channel `licensed`)
        std::uint32_t seq = 0;  // fills: booking order, the sort's last key (stable, no buffer)
        std::uint32_t quota_begin = 0, quota_end = 0;  // fills: the route's quota buckets
        bool diverted = false;                         // fills: the route is diverted
    };
    /// The parts of a route's status that clearing needs for a request.
    struct RouteRef {
        std::uint32_t quota_begin = 0, quota_end = 0;
        bool diverted = false;
    };
    struct LicenceRequest {
        Index buyer;
        Index offer;
        int route;
        double compute;
        std::int64_t requested_tick;
        std::int64_t decide_tick;
        bool diverted;  // asked for a diverted route (leg 1 licensed, leg 2 smuggled)
    };
    struct Arrival {
        Index buyer;
        Index offer;
        int route;
        double units;
        bool diverted;
    };
    /// A synthetic buyer through which a supplier buys one input or its equipment.
    struct Purchaser {
        Index buyer = model::kNone;     // its entry in world_.buyers
        Index supplier = model::kNone;  // who buys
        Index product = model::kNone;   // what
        bool equipment = false;         // the supplier's equipment product
        std::size_t purchase = 0;       // index into Supplier::purchases
        double stock = 0.0;             // input stock, or installed equipment
        double opening = 0.0, received = 0.0, used = 0.0, in_transit = 0.0, awaiting = 0.0;
    };
    struct Installation {
        std::int64_t tick;
        std::size_t purchaser;
        double units;
    };
    struct ReactionState {
        Index policy = model::kNone;  // the dormant policy it adds to the world
        int streak = 0;
        bool triggered = false;
    };
    struct VariantState {
        Index offer = model::kNone;     // the variant offer in the world
        Index original = model::kNone;  // the offer it designs around
        Index control = model::kNone;   // the control it escapes
        bool binds_statically = false;  // the control selects a buyer of the original
        std::int64_t launch_tick;
    };

    static model::Scenario build_world(const model::Scenario& input,
                                       std::vector<ReactionState>& reactions,
                                       std::vector<VariantState>& variants,
                                       std::vector<Purchaser>& purchasers);

    void enter(Phase p);
    void phase_policy();
    void phase_production();
    void phase_demand();
    void phase_legality();
    void phase_choice();
    void phase_clearing();
    void phase_shipping();
    void phase_prices();
    void phase_records(Recorder& recorder);
    void check_invariants() const;
    void count_tick_bytes();

    // Route choice: the cheapest usable route of candidate k; -1 if none. In re-choice rounds
    // routes through exhausted constraints and licensed routes are skipped.
    // `status` receives the chosen route's status (a copy in the legality's route list).
    int best_route(std::size_t buyer, std::size_t k, bool rechoice, double& cost,
                   const policy::RouteStatus*& status) const;
    /// `home_tariff`: the tariff of the buyer's country on the offer (cached per candidate).
    double route_cost(std::size_t buyer, Index offer, int route, const policy::RouteStatus& st,
                      double home_tariff) const;
    bool route_exhausted(std::size_t buyer, Index offer, int route,
                         const policy::RouteStatus& st) const;
    bool route_exhausted(std::size_t buyer, Index offer, int route,
                         std::span<const std::uint32_t> quotas) const;
    /// Records candidate k's chosen route (r < 0: none) and what clearing needs of its status.
    void set_candidate_route(std::size_t k, int r, double cost, const policy::RouteStatus* st);
    bool remote_usable(std::size_t buyer, int route) const;
    void decide_licences();
    void reset_quota_periods();
    void behaviour();  // reactions and design-around (phase 9)
    double reaction_metric(const model::Reaction& r) const;

    std::size_t n_offers() const { return world_.offers.size(); }
    std::size_t n_buyers() const { return world_.buyers.size(); }
    std::size_t n_routes() const { return static_cast<std::size_t>(legality_.routes()); }
    bool is_hub(int route) const { return route > 0 && route <= legality_.hub_routes(); }
    /// What a buyer's quantities are measured in for an offer: compute units for chip buyers,
    /// units for suppliers buying inputs.
    double measure(std::size_t buyer, Index offer) const {
        return purchaser_of_[buyer] >= 0 ? 1.0 : offer_compute_[static_cast<std::size_t>(offer)];
    }
    void plan_inputs();
    void settle_inputs();
    void supplier_records();

    // Declaration order matters: build_world fills reactions_ and variants_ while world_ is
    // initialised, and the policy book and legality refer to world_.
    std::vector<ReactionState> reactions_;
    std::vector<VariantState> variants_;
    std::vector<Purchaser> purchasers_;
    model::Scenario world_;
    RunConfig config_;
    policy::PolicyBook policies_;
    policy::Legality legality_;
    int tick_ = 0;
    Phase phase_ = Phase::idle;

    // Per offer.
    std::vector<double> price_, charged_price_, capacity_, base_capacity_, stock_, opening_stock_,
        produced_, orders_, shipped_;
    std::vector<char> available_;
    std::vector<double> offer_compute_;
    std::vector<std::int64_t> launch_tick_;  // variants: when launched (never until scheduled)
    std::vector<double> planned_;            // planned output (last tick's orders, within capacity)
    std::vector<double> price_step_, last_excess_;  // adaptive price adjustment per offer

    // Multi-tier: synthetic purchasers and equipment.
    std::vector<int> purchaser_of_;  // per buyer: index into purchasers_, or -1
    std::vector<int> remote_slot_;   // per buyer: index of its remote capacity constraint, or -1
    std::size_t remote_count_ = 0;
    // Constraint index space: [offers | hub routes | remote capacities | quota buckets].
    std::size_t hub_base() const { return n_offers(); }
    std::size_t remote_base() const { return n_offers() + world_.routes.size(); }
    std::size_t quota_base() const { return remote_base() + remote_count_; }
    std::vector<double> installed_;  // per supplier: installed equipment
    std::vector<Installation> installations_;

    // Constraints shared by requests: offers (units), hub routes (units per tick) and quota
    // buckets (compute per period), in one index space: [offers | routes | buckets].
    std::vector<double> remaining_, requested_, filled_;
    std::vector<char> exhausted_;
    std::vector<double> quota_left_;
    std::vector<std::int64_t> quota_period_;

    // Buyer × candidate offer, compressed rows: candidates are the offers with weight > 0.
    std::vector<std::size_t> cand_begin_;  // size buyers + 1
    std::vector<Index> cand_offer_;
    std::vector<double> cand_weight_;  // static taste weight
    std::vector<double> cand_wnow_;    // this tick: weight × import-restriction factor
    std::vector<double> cand_cost_;    // cost per compute unit on the chosen route; inf = unusable
    std::vector<int> cand_route_;      // chosen route
    // Refreshed when the policies change: weight × import-restriction factor, and the range of
    // the candidate's route list in the legality tables (see Legality::candidate_routes).
    std::vector<double> cand_wbase_;
    std::vector<double> cand_tariff_;  // the buyer's country's tariff on the offer
    std::vector<std::uint32_t> cand_routes_begin_, cand_routes_end_;
    // The chosen route's quota buckets and licence flag, copied from its status so that
    // clearing's passes over requests never reach into the legality table.
    std::vector<std::uint32_t> cand_quota_begin_, cand_quota_end_;
    std::vector<char> cand_licence_, cand_diverted_;
    std::vector<double> cand_request_;  // compute requested in the current round

    // Per buyer (country and billing country copied from the scenario: shipping and records
    // read them in flow order, i.e. at random).
    std::vector<Index> buyer_country_, buyer_billing_;
    std::vector<double> base_demand_, buyer_p_, buyer_q_, residual_, unmet_, backlog_;

    std::vector<Request> firm_;                // licence grants to ship this tick
    std::vector<Request> fills_;               // allocations this tick
    std::vector<Index> active_, next_active_;  // clearing: buyers with requests this round
    std::vector<Request> sorted_fills_;        // scratch for sorting fills_ by offer
    std::vector<std::size_t> offer_fill_begin_, offer_fill_next_;
    std::vector<LicenceRequest> licences_;  // pending decisions

    // Transit: ring of arrival slots, indexed by tick modulo its size.
    std::vector<std::vector<Arrival>> transit_;
    std::vector<double> route_shipped_, route_delivered_, route_seized_, route_in_transit_;

    // Scratch for CES calls (no allocation in the tick loop after warm-up).
    std::vector<double> scratch_w_, scratch_c_, scratch_q_;
    std::vector<std::size_t> scratch_k_;
    std::vector<double> rev_units_, rev_usd_;  // supplier × billing country, this tick
    std::vector<double> country_q_;            // per country: its buyers' quantity, this tick

    mutable EngineStats stats_;  // best_route (const) counts its route checks
    std::uint64_t route_checks_counted_ = 0, requests_counted_ = 0, clearing_rounds_run_ = 0;
    TickRecord record_;
    std::vector<policy::Transition> transitions_;
};

}  // namespace ts::engine
