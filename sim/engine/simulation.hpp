#pragma once
// The tick loop. A Simulation runs one copy of the expanded world (world.hpp); its step() is
// the list of phases of docs/model.md ("The model, one tick"), in order, and nothing else. Each
// phase is a function in the file named after its mechanism (docs/architecture.md has the
// table) that reads and writes the run state of engine_state.hpp; step() times each by name.
// Recorders receive the world.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/buyer_split.hpp"
#include "engine/engine_state.hpp"
#include "engine/policies.hpp"
#include "engine/records.hpp"
#include "engine/records_phase.hpp"
#include "engine/world.hpp"
#include "model/scenario.hpp"
#include "policy/legality.hpp"
#include "policy/policy_book.hpp"

namespace ts::engine {

class Simulation;

/// Looks at a simulation between its phases (tradesim explain, engine/trace.hpp): after() is
/// called after every phase of every tick, with the state the phase left.
class PhaseProbe {
  public:
    virtual ~PhaseProbe() = default;
    virtual void after(Phase phase, const Simulation& sim) = 0;
};

class Simulation {
  public:
    Simulation(const model::Scenario& scenario, RunConfig config);
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    /// The scenario the simulation runs: the input plus reaction policies and variants.
    const model::Scenario& world() const { return world_.scenario; }
    int tick() const { return tick_; }
    int ticks() const { return world_.scenario.time.ticks; }
    bool done() const { return tick_ >= ticks(); }

    /// Advances one tick and hands its records to the recorder.
    void step(Recorder& recorder);
    /// Runs all remaining ticks; `progress(done, total)` is called after each tick.
    void run(Recorder& recorder, const std::function<void(int, int)>& progress = {});

    // Read-only state, for tests and diagnostics.
    double price(Index offer) const { return offers_.price[ix(offer)]; }
    double stock(Index offer) const { return offers_.stock[ix(offer)]; }
    double buyer_price_index(Index buyer) const { return buyers_.price_index[ix(buyer)]; }
    double backlog(Index buyer) const { return buyers_.backlog[ix(buyer)]; }
    const policy::Legality& legality() const { return legality_; }
    /// Work counters and the seconds spent in each phase (EngineStats::phase_seconds).
    const EngineStats& stats() const { return stats_; }

    /// A probe called after every phase (null: none); the run's results do not depend on it.
    void set_probe(PhaseProbe* probe) { probe_ = probe; }
    // The run state as the phases leave it, for probes.
    TickContext tick_context() const { return context(); }
    const OfferState& offer_state() const { return offers_; }
    const BuyerState& buyer_state() const { return buyers_; }
    const CandidateState& candidates() const { return cands_; }
    const ConstraintState& constraints() const { return constraints_; }
    const ClearingState& clearing() const { return clearing_; }
    const LicenceQueue& licences() const { return licences_; }
    const TransitState& transit() const { return transit_; }
    const PoolState& pools() const { return pools_; }
    const TickRecord& tick_record() const { return record_; }
    /// The policies that were announced, took force or lapsed in the last tick's policy phase,
    /// and why that phase rebuilt the legality tables (Rebuild::none: it did not).
    const std::vector<policy::Transition>& transitions() const { return transitions_; }
    Rebuild rebuild() const { return rebuild_; }

    /// Features the scenario uses that this engine reads but does not simulate yet.
    static std::vector<std::string> unsimulated_features(const model::Scenario& scenario);

  private:
    void init_offers();
    void init_buyers();
    void init_candidates();
    void init_transit();
    void reserve_tick_lists();

    /// Runs one phase: asserts the order, times it into stats_.phase_seconds.
    template <class F>
    void timed(Phase p, F&& phase);
    TickContext context() const {
        return TickContext{now_.scenario,
                           policies_,
                           legality_,
                           streams_,
                           approvals_,
                           tick_,
                           soft_.empty() ? nullptr : &soft_};
    }
    void count_tick_bytes();

    // Declaration order matters: the policy book and legality refer to world_, the stream ids to
    // both.
    const World world_;  // built once, never written during the run
    /// A world with schedules runs on a copy of world_ whose scheduled fields are run state,
    /// set to each tick's values by the schedules phase (none for a world without schedules).
    std::optional<World> scheduled_;
    const World& now_;           // what the phases read: scheduled_ if there is one, else world_
    bool tables_moved_ = false;  // this tick's schedules changed a value the policy tables hold
    RunConfig config_;
    policy::PolicyBook policies_;
    policy::Legality legality_;
    policy::StreamIds streams_;  // after legality_: routes are numbered as it numbers them
    policy::ConditionalApprovals approvals_;  // after legality_, which it reads
    int tick_ = 0;
    Phase phase_ = Phase::idle;

    OfferState offers_;
    BuyerState buyers_;
    CandidateState cands_;
    BuyerSplit split_;                           // the per-buyer phases over config_.threads
    std::vector<ChoiceScratch> choice_scratch_;  // per part of split_
    std::vector<EngineStats> part_stats_;        // per part: work counted by the routes phase
    ConstraintState constraints_;
    LicenceQueue licences_;
    ClearingState clearing_;
    TransitState transit_;
    InputState inputs_;
    PoolState pools_;  // suppliers' capacity pools (empty in most worlds)
    BehaviourState behaviour_;
    SoftRoutes soft_;  // soft routes and remote channels (empty when the world has none)
    RecordScratch record_scratch_;

    EngineStats stats_;
    TickRecord record_;
    std::vector<policy::Transition> transitions_;
    Rebuild rebuild_ = Rebuild::none;
    PhaseProbe* probe_ = nullptr;
};

}  // namespace ts::engine
