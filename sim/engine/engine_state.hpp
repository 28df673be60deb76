#pragma once
// The engine's run state: plain structs of flat arrays indexed by dense ids, one per kind of
// thing the tick works on. Each phase (one file per mechanism in sim/engine/) takes what it
// reads as const& and what it writes as &, so its signature is the list of its effects.
// The frozen world (world.hpp) and the policy tables are read through a TickContext.
#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "model/scenario.hpp"
#include "policy/conditional_approval.hpp"
#include "policy/legality.hpp"
#include "policy/policy_book.hpp"
#include "policy/stream_ids.hpp"

namespace ts::engine {

using model::Index;

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr double kTiny = 1e-12;  // quantities below this are zero (rounding residue)
inline constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
inline constexpr std::int64_t kAlways = std::numeric_limits<std::int64_t>::min();

inline std::size_t ix(Index i) {
    return static_cast<std::size_t>(i);
}

/// Run settings: a plain struct, never global options.
struct RunConfig {
    int run = 0;  // ensemble member; part of every random stream key
#ifdef NDEBUG
    bool check_invariants = false;
#else
    bool check_invariants = true;  // accounting identities after every tick (debug builds)
#endif
    int rechoice_rounds = 3;  // rounds in which rationed buyers re-choose among what is left
    /// Threads for the per-buyer phases of one run (routes, choice; buyer_split.hpp); the
    /// results are the same for any count.
    int threads = 1;
};

/// The phases of a tick, in order (Simulation::step).
enum class Phase {
    idle,
    schedules,   // scheduled parameters take the tick's values (schedules.cpp)
    policy,      // policies take force, lapse, are announced (policies.cpp)
    production,  // capacity this tick: installations, plant, inputs (production.cpp)
    demand,      // composite demand before the price response, input plans (demand.cpp)
    routes,      // each buyer's cheapest usable route to each offer (routes.cpp)
    choice,      // CES choice and anticipation (choice.cpp)
    licensing,   // licence requests filed and decided (licensing.cpp)
    clearing,    // rationing over shared constraints, re-choice (clearing.cpp)
    settlement,  // quotas used, production, stock, backlog, inputs used (production.cpp)
    shipping,    // flows, tariffs and fees, seizures, transit, deliveries (shipping.cpp)
    prices,      // price adjustment (prices.cpp)
    records,     // markets, countries, revenue, suppliers (records_phase.cpp)
    behaviour,   // reactions and design-around launches (behaviour.cpp)
    invariants,  // accounting identities, when checked (invariants.cpp)
    output,      // the tick's records handed to the recorder
};
inline constexpr std::size_t kPhases = static_cast<std::size_t>(Phase::output) + 1;
const char* to_string(Phase p);

/// Work counters of a run, for the benchmark harness (scripts/bench) and manifest.json. The
/// counters count what the engine did, not time: the same for any machine, thread or rank
/// count. `phase_seconds` is the exception: wall time per phase (steady clock), summed over
/// ticks, for profiling.
struct EngineStats {
    std::uint64_t ticks = 0;
    /// Buyer-offer evaluations: one buyer pricing one candidate offer over its usable routes
    /// (route phase, and again for rationed buyers in each re-choice round).
    std::uint64_t evaluations = 0;
    std::uint64_t route_checks = 0;  // (buyer, offer, route) cells looked at by those evaluations
    std::uint64_t requests = 0;      // requests and fills booked in clearing, all rounds
    /// A model of the bytes of engine state the ticks read and write, by the phase that moved
    /// them (index: Phase): every pass over a per-candidate, per-buyer or per-offer array counts
    /// the array's bytes (the candidate passes in routes, choice and clearing, the per-buyer
    /// arrays in demand, the per-offer arrays in prices), every route check a legality cell and
    /// every request its record where they happened, shipping its passes over the fills and its
    /// flow records. Divided by run time this is the engine's effective bandwidth
    /// (docs/performance.md).
    std::array<std::uint64_t, kPhases> phase_bytes{};
    std::uint64_t bytes() const {  // all phases
        std::uint64_t sum = 0;
        for (const std::uint64_t b : phase_bytes) sum += b;
        return sum;
    }
    /// Seconds spent in each phase (index: Phase; idle stays 0).
    std::array<double, kPhases> phase_seconds{};
};

/// Soft capacity of routes and remote channels (docs/model.md, "Soft capacity"): their markup
/// and detection rise with the volume through them, priced at a smoothed volume of past ticks
/// so that buyers know the terms when they choose. Channels: [hub routes | buyers' remote use].
/// Empty when the world has no soft route or remote channel: its ticks do no work for it.
struct SoftRoutes {
    std::size_t remote_base = 0;  // first buyer channel (= number of hub routes)
    /// This tick's volume: units through a hub route, compute a buyer used remotely (all sites).
    std::vector<double> volume;
    std::vector<double> priced;  // the smoothed volume this tick's terms are priced at
    std::vector<double> markup;  // this tick's markup at `priced`
    /// Adaptive smoothing of `priced` (soft_routes.cpp): its step, and the last gap between
    /// volume and priced volume (the step halves when the gap changes sign).
    std::vector<double> step, last_gap;
    bool empty() const { return markup.empty(); }

    /// Detection of a diverted shipment on hub route `hub` (0-based) at the priced volume:
    /// `d`, the route's detection with enforcement for the buyer, with its odds scaled.
    /// (soft_routes.cpp)
    double detection(const model::Scenario& s, std::size_t hub, double d) const;
};

/// What every phase may read: the frozen world, the policy tables of the tick, the tick.
struct TickContext {
    const model::Scenario& world;
    const policy::PolicyBook& policies;
    const policy::Legality& legality;
    const policy::StreamIds& streams;               // stable id hashes keying the random streams
    const policy::ConditionalApprovals& approvals;  // conditional import approvals
    int tick = 0;
    const SoftRoutes* soft = nullptr;  // soft routes and remote channels, or null (none)

    bool is_hub(int route) const { return route > 0 && route <= legality.hub_routes(); }
};

/// `pricing: clearing` (prices.hpp): the tick's CES requests and the within-tick solve for the
/// prices at which they meet capacity. Sized only when some supplier uses it.
struct ClearingPriceState {
    bool used = false;
    std::vector<std::size_t> unknowns;  // the offers of clearing suppliers
    std::vector<int> pos;               // per offer: index into `unknowns`, or -1
    // Per candidate (CandidateState order): request in units at this tick's prices, its share
    // of the buyer's spending, the buyer's backlog share of Q; and a trial request.
    std::vector<double> units, share, fixed, trial;
    // Per unknown: log(new price / price), lowest log ratio (unit cost), the CES requests at
    // this tick's prices and at the trial prices, log excess; held (at a bound, or no market).
    std::vector<double> log_r, floor, base, demand, excess;
    std::vector<char> held;
    std::vector<double> jac, step;  // Newton system (unknowns² row-major) and its solution
};

/// Per offer.
struct OfferState {
    std::vector<double> price, charged_price, capacity, base_capacity, stock, opening_stock,
        produced, orders, shipped;
    std::vector<char> available;
    std::vector<double> compute;                  // compute units per unit of the product
    std::vector<std::int64_t> launch_tick;        // variants: when launched (never until scheduled)
    std::vector<double> planned;                  // planned output (last tick's orders, within cap)
    std::vector<double> price_step, last_excess;  // adaptive price adjustment
    ClearingPriceState clearing;                  // pricing: clearing
    std::size_t size() const { return price.size(); }
};

/// Per buyer (country and billing country copied from the world: shipping and records read
/// them in flow order, i.e. at random).
struct BuyerState {
    std::vector<Index> country, billing;
    std::vector<double> base_demand;
    std::vector<double> price_index;  // P of the CES choice this tick (+inf: nothing usable)
    std::vector<double> quantity;     // composite demand Q at P, with backlog
    std::vector<double> residual, unmet, backlog;
    std::vector<int> purchaser_of;  // index into InputState::purchasers, or -1 (a chip buyer)
    std::vector<int> remote_slot;   // index of its remote capacity constraint, or -1
    std::size_t size() const { return country.size(); }
};

/// What a buyer's quantities are measured in for an offer: compute units for chip buyers,
/// units for suppliers buying inputs.
inline double measure(const BuyerState& buyers, const OfferState& offers, std::size_t buyer,
                      Index offer) {
    return buyers.purchaser_of[buyer] >= 0 ? 1.0 : offers.compute[ix(offer)];
}

/// Buyer × candidate offer, compressed rows: candidates are the offers with weight > 0.
struct CandidateState {
    std::vector<std::size_t> begin;  // per buyer + 1: the buyer's row
    std::vector<Index> offer;
    std::vector<double> weight;  // static taste weight
    std::vector<double> wnow;    // this tick: weight × import-restriction factor, 0 unavailable
    std::vector<double> cost;    // cost per compute unit on the chosen route; inf = unusable
    std::vector<int> route;      // chosen route
    // Refreshed when the policies change: weight × import-restriction factor, the buyer's
    // country's tariff on the offer, and the range of the candidate's route list in the
    // legality tables (see Legality::candidate_routes).
    std::vector<double> wbase, tariff;
    std::vector<std::uint32_t> routes_begin, routes_end;
    // The chosen route's quota buckets and licence flag, copied from its status so that
    // clearing's passes over requests never reach into the legality table.
    std::vector<std::uint32_t> quota_begin, quota_end;
    std::vector<char> licence, diverted;
    std::vector<double> request;  // compute requested in the current round
    std::size_t size() const { return offer.size(); }
};

/// Scratch for one buyer's CES call (no allocation in the tick loop after warm-up).
struct ChoiceScratch {
    std::vector<double> w, c, q;
    std::vector<std::size_t> k;
};

/// Constraints shared by requests, in one index space:
/// [offers (units) | hub routes (units per tick) | remote capacities | quota buckets (compute
/// per period)].
struct ConstraintState {
    std::size_t hub_base = 0, remote_base = 0, quota_base = 0;
    std::vector<double> remaining, requested, filled;
    std::vector<char> exhausted;
    std::vector<double> quota_left;  // per quota bucket, this period
    std::vector<std::int64_t> quota_period;
};

/// A quantity of compute asked for or allocated on one (buyer, offer, route). 32 bytes: the
/// fills of a dense tick number buyers × offers, and shipping sorts them.
struct Request {
    Index buyer;
    Index offer;
    int route;
    /// Shipped under a licence (channel `licensed`). A grant for a diverted route (its first leg
    /// licensed) is not: the goods are smuggled from the hub on (channel `diverted`).
    bool licensed = false;
    bool diverted = false;  // fills: the route is diverted
    double compute;
    std::uint32_t quota_begin = 0, quota_end = 0;  // fills: the route's quota buckets
};
static_assert(sizeof(Request) == 32);

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

/// Licence requests waiting for their decision, and the grants of this tick (they ship now).
struct LicenceQueue {
    std::vector<LicenceRequest> pending;
    std::vector<Request> granted;
};

/// Clearing's work lists: the fills booked this tick, and the buyers with requests in a round.
struct ClearingState {
    std::vector<Request> fills;
    std::vector<Index> active, next_active;
    std::uint64_t rounds_run = 0;  // this tick
};

struct Arrival {
    Index buyer;
    Index offer;
    int route;
    double units;
    bool diverted;
};

/// Goods on their way: a ring of arrival slots indexed by tick modulo its size, the per-route
/// totals of the transit identity, and shipping's scratch for sorting fills into flows.
struct TransitState {
    std::vector<std::vector<Arrival>> slots;
    std::vector<double> shipped, delivered, seized, in_transit;  // per route
    std::vector<Request> sorted_fills, merge_scratch;
    std::vector<std::size_t> key_fill_begin, key_fill_next;  // per (offer, route) + 1
    // Flows summed over buyers (shipping.cpp): the (offer, route) being shipped (a count, never
    // reset), its first flow, and per destination × channel (flows) or home × diverted
    // (arrivals) the row of the current (offer, route), valid where its stamp equals `bucket`.
    std::uint64_t bucket = 0;
    std::size_t bucket_first_flow = 0;
    std::vector<std::uint64_t> flow_stamp, arrival_stamp;
    std::vector<std::size_t> flow_at, arrival_at;
};

/// A synthetic buyer through which a supplier buys one input or its equipment: what it is
/// (copied from the world's PurchaserSpec) and its stock this run.
struct Purchaser {
    Index buyer = model::kNone;     // its entry in the world's buyers
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

/// Multi-tier: suppliers' input stocks and equipment.
struct InputState {
    std::vector<Purchaser> purchasers;
    std::vector<double> installed;  // per supplier: installed equipment
    std::vector<Installation> installations;
};

/// Suppliers' shared capacity pools, flattened in supplier order and then in the order of each
/// supplier's `pools`, with the offers drawing on each as compressed rows (variants included).
/// Empty in worlds without pools: the tick then skips pools entirely.
struct PoolState {
    std::vector<Index> supplier;
    std::vector<std::size_t> pool;   // index into the supplier's `pools`
    std::vector<std::size_t> begin;  // per pool + 1: its row of users
    std::vector<Index> user_offer;
    std::vector<double> user_per_unit;  // pool units per unit of the offer's output
    // This tick, in pool units: what the offers' demand signals would draw (within their own
    // capacity), what the allocation granted, what production drew; whether demand exceeded
    // the pool.
    std::vector<double> demand, granted, used;
    std::vector<char> binding;
    std::vector<char> reported;  // the current spell of binding is in events.csv
    /// Per offer: the output it can sell, from last tick's orders (the allocation's signal).
    std::vector<double> signal;
    std::vector<std::size_t> order;  // scratch: one pool's users by margin per unit of pool
    std::vector<double> grant;       // scratch, per user: its grant from the pool
    std::size_t size() const { return supplier.size(); }
    bool empty() const { return supplier.empty(); }
};

/// What reactions and design-around do during a run (the world holds what they are).
struct BehaviourState {
    struct Reaction {
        int streak = 0;
        bool triggered = false;
    };
    std::vector<Reaction> reactions;        // per World::reactions
    std::vector<std::int64_t> launch_tick;  // per World::variants: kNever until scheduled
};

}  // namespace ts::engine
