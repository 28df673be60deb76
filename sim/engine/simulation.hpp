#pragma once
// The tick loop. A Simulation runs one copy of a frozen scenario; its step() is the list of
// phases of PRODUCT.md ("The model, one tick"), in order, and nothing else. Phases before
// clearing read the state and compute decisions; clearing settles production and shipments
// together; later phases book what happened. State lives in flat arrays indexed by dense ids.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/records.hpp"
#include "model/scenario.hpp"
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

enum class Phase { idle, policy, production, demand, legality, choice, clearing, shipping, prices, records };
const char* to_string(Phase p);

class Simulation {
public:
    Simulation(const model::Scenario& scenario, RunConfig config);

    int tick() const { return tick_; }
    int ticks() const { return scenario_->time.ticks; }
    bool done() const { return tick_ >= ticks(); }

    /// Advances one tick and hands its records to the recorder.
    void step(Recorder& recorder);
    /// Runs all remaining ticks; `progress(done, total)` is called after each tick.
    void run(Recorder& recorder, const std::function<void(int, int)>& progress = {});

    // Read-only state, for tests and diagnostics.
    double price(Index offer) const { return price_[static_cast<std::size_t>(offer)]; }
    double stock(Index offer) const { return stock_[static_cast<std::size_t>(offer)]; }
    double buyer_price_index(Index buyer) const { return buyer_p_[static_cast<std::size_t>(buyer)]; }
    double backlog(Index buyer) const { return backlog_[static_cast<std::size_t>(buyer)]; }

    /// Features the scenario uses that this engine reads but does not simulate yet.
    static std::vector<std::string> unsimulated_features(const model::Scenario& scenario);

private:
    struct Arrival {
        Index buyer;
        Index offer;
        Index route;  // 0 = direct, r+1 = scenario route r
        double units;
    };

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

    std::size_t n_offers() const { return scenario_->offers.size(); }
    std::size_t n_buyers() const { return scenario_->buyers.size(); }

    const model::Scenario* scenario_;
    RunConfig config_;
    policy::PolicyBook policies_;
    int tick_ = 0;
    Phase phase_ = Phase::idle;

    // Per offer.
    std::vector<double> price_, charged_price_, capacity_, stock_, opening_stock_, produced_, orders_, shipped_, remaining_, requested_;
    std::vector<char> available_, exhausted_;
    std::vector<double> offer_compute_;

    // Buyer × candidate offer, compressed rows: candidates are the offers with weight > 0.
    std::vector<std::size_t> cand_begin_;  // size buyers + 1
    std::vector<Index> cand_offer_;
    std::vector<double> cand_weight_;
    std::vector<double> cand_cost_;     // landed cost per compute unit this tick; inf = unusable
    std::vector<double> cand_tariff_;   // tariff rate this tick
    std::vector<double> cand_request_;  // compute requested in the current clearing round
    std::vector<double> cand_filled_;   // compute allocated this tick

    // Per buyer.
    std::vector<double> base_demand_;  // demand·(1+g)^t this tick
    std::vector<double> buyer_p_, buyer_q_, residual_, unmet_, backlog_;

    // Transit: ring of arrival slots, indexed by tick modulo its size.
    std::vector<std::vector<Arrival>> transit_;
    std::vector<double> route_shipped_, route_delivered_, route_seized_, route_in_transit_;

    // Scratch for CES calls (no allocation in the tick loop after warm-up).
    std::vector<double> scratch_w_, scratch_c_, scratch_q_;
    std::vector<std::size_t> scratch_k_;

    std::vector<double> rev_units_, rev_usd_;  // supplier × billing country, this tick

    TickRecord record_;
    std::vector<policy::Transition> transitions_;
};

}  // namespace ts::engine
