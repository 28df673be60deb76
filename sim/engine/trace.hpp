#pragma once
// Decision traces (tradesim explain): what one buyer, or one offer, saw and did in one tick.
// A TraceProbe watches a Simulation between its phases (PhaseProbe) and copies, at the traced
// tick only, the state each phase left: the candidates and every route to them priced by the
// engine's own rule (route_cost_input, market::route_cost) with the policies behind each
// route's status (Legality::route_causes), the CES choice, licences, rationing and re-choice,
// arrivals and departures. The run is not changed by being watched.
#include <optional>
#include <string>
#include <vector>

#include "engine/engine_state.hpp"
#include "engine/records.hpp"
#include "engine/simulation.hpp"
#include "market/route_cost.hpp"
#include "policy/legality.hpp"

namespace ts::engine {

/// One route from an offer to the buyer, as the route search saw it this tick.
struct RouteTrace {
    int route = 0;  // 0 direct, then hubs, then remote sites (Legality numbering)
    policy::RouteClass cls = policy::RouteClass::open;
    /// Why the search did not price it (empty when it did): blocked, unavailable, dominated by
    /// the open direct route, or a remote site the buyer does not rent at.
    const char* skipped = "";
    market::RouteCostInput terms;  // the cost rule's inputs (priced routes)
    // Cost per compute unit, built up term by term: the price per compute unit, then what the
    // tariff, the hub or remote markup, the seizure risk and the wait for a licence add; their
    // sum is `total` (the engine's cost; +inf when unusable).
    double base = 0.0, tariff = 0.0, markup = 0.0, seizure = 0.0, licence = 0.0;
    double total = kInf;
    double fee_rate = 0.0;  // export fees the supplier pays on it (not in the buyer's cost)
    std::vector<policy::Legality::RouteCause> causes;
};

/// One candidate offer of the buyer.
struct CandidateTrace {
    Index offer = model::kNone;
    double weight = 0.0;              // static taste weight
    double import_factor = 1.0;       // import restrictions in force (Legality::import_factor)
    double approval_factor = 1.0;     // conditional import approvals
    double weight_now = 0.0;          // the weight the choice used (0: unavailable or removed)
    std::vector<Index> restrictions;  // import restrictions in force applying to it
    double price = 0.0;               // the offer's price this tick
    int route = -1;                   // chosen route, -1: none usable
    double cost = kInf;               // its cost per compute unit
    double share = 0.0;               // CES share of spending, c·q / (P·Q)
    double stockpile = 1.0;           // anticipation factor on the order
    double request = 0.0;             // compute ordered (share × Q × stockpile)
    double licence_filed = 0.0;       // of which waits for a licence decision
    std::vector<RouteTrace> routes;
};

/// What clearing booked for the buyer (or the offer): one fill.
struct FillTrace {
    Index buyer = model::kNone;
    Index offer = model::kNone;
    int route = 0;
    double compute = 0.0;
    bool licensed = false;  // a licence granted this tick
};

struct BuyerTrace {
    int tick = 0;
    Index buyer = model::kNone;
    double base_demand = 0.0, backlog = 0.0;  // this tick's reference demand; backlog carried in
    double price_index = kInf;                // P
    double quantity = 0.0;                    // Q at P, with backlog
    double unmet = 0.0, backlog_after = 0.0;
    std::uint64_t rounds = 0;  // clearing rounds this tick (1 + re-choice rounds run)
    std::vector<CandidateTrace> candidates;
    std::vector<FillTrace> fills;
    std::vector<LicenceRequest> licences_pending;  // filed and not yet decided, after this tick
    std::vector<Arrival> arrivals;                 // goods that arrived this tick
    std::vector<FlowRecord> departures;            // shipments that left this tick
    std::vector<std::string> route_names;          // "direct", "via SGP", "remote at MYS"
};

/// One buyer's demand for the offer this tick.
struct OfferDemand {
    Index buyer = model::kNone;
    int route = -1;
    double request = 0.0;  // compute ordered
    double licence_filed = 0.0;
    double filled = 0.0;
    /// What stopped the rest (empty when filled): "capacity", "pool", "quota POLICY",
    /// "route capacity", "remote capacity", "licence", or "" (filled on another route).
    std::vector<std::string> bound;
};

struct OfferTrace {
    int tick = 0;
    Index offer = model::kNone;
    double price = 0.0, capacity = 0.0, opening_stock = 0.0, produced = 0.0, shipped = 0.0;
    bool exhausted = false;     // sold out in clearing
    bool pool_binding = false;  // one of its pools rationed its output
    std::vector<OfferDemand> demand;
    std::vector<FillTrace> fills;
    std::vector<std::string> route_names;
};

/// Watches one tick for a buyer or an offer; pass to Simulation::set_probe and run to the end
/// (or past `tick`). `buyer()` / `offer()` hold the trace afterwards.
class TraceProbe : public PhaseProbe {
  public:
    static TraceProbe for_buyer(int tick, Index buyer);
    static TraceProbe for_offer(int tick, Index offer);
    void after(Phase phase, const Simulation& sim) override;
    bool done() const { return done_; }
    const BuyerTrace& buyer() const { return buyer_; }
    const OfferTrace& offer() const { return offer_; }

  private:
    void buyer_after(Phase phase, const Simulation& sim);
    void offer_after(Phase phase, const Simulation& sim);
    int tick_ = 0;
    bool by_offer_ = false;
    bool done_ = false;
    BuyerTrace buyer_;
    OfferTrace offer_;
};

/// "direct", "via SGP", "remote at MYS" for every route of the run (Legality numbering).
std::vector<std::string> route_names(const TickContext& t);

/// The priced terms of one route, split into the cost terms of RouteTrace (tested to sum to
/// market::route_cost).
void split_cost(const market::RouteCostInput& in, RouteTrace& out);

}  // namespace ts::engine
