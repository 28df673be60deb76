#pragma once
// Which policies are in force at a tick, and what they mean for each (destination country,
// offer) pair. Everything that depends only on the scenario (which offers and countries a
// policy selects) is resolved once at construction; the per-pair tables are rebuilt only on
// ticks where the set of policies in force changes.
#include <cstdint>
#include <vector>

#include "core/ids.hpp"
#include "model/scenario.hpp"

namespace ts::policy {

using model::Index;

struct Transition {
    enum class Kind { announced, in_force, lapsed };
    Index policy = model::kNone;
    Kind kind = Kind::in_force;
};

class PolicyBook {
  public:
    explicit PolicyBook(const model::Scenario& scenario);

    /// Moves to `tick` (ticks must increase by one from 0). Appends the announcements,
    /// entries into force and lapses that happen at this tick (at tick 0 also those that
    /// happened before the run: a policy already in force is reported in_force at tick 0).
    /// Returns true when the set of policies in force (or announced and pending) changed.
    bool advance(std::int64_t tick, std::vector<Transition>& transitions);

    /// Dates a dormant policy (one a reaction rule adds, with no dates of its own) when the
    /// reaction triggers: announced at `announced_tick`, in force from `from_tick`, never
    /// lapsing. The dates are run state of the book; the scenario is never written.
    void schedule(Index policy, std::int64_t announced_tick, std::int64_t from_tick);
    /// The tick from which the policy is in force in this run (its scenario dates, or those
    /// `schedule` gave it).
    std::int64_t from_tick(Index policy) const {
        return timing_[static_cast<std::size_t>(policy)].from;
    }

    bool in_force(Index policy) const { return in_force_[static_cast<std::size_t>(policy)] != 0; }
    /// Announced but not yet in force at the current tick.
    bool announced(Index policy) const { return announced_[static_cast<std::size_t>(policy)] != 0; }

    /// Sum of the in-force tariff rates the destination levies on the offer's customs origin
    /// (tariffs stack additively).
    double tariff(CountryId destination, OfferId offer) const {
        return tariff_[cell(destination, offer)];
    }
    /// Sum of in-force export-fee rates on shipments of the offer to the destination.
    double fee_rate(CountryId destination, OfferId offer) const {
        return fee_[cell(destination, offer)];
    }
    /// The in-force export-fee policies that apply to (destination, offer), for booking each
    /// fee to its government.
    template <class F>
    void for_each_fee(CountryId destination, OfferId offer, F&& f) const {
        if (fee_[cell(destination, offer)] == 0.0) return;
        for (const PolicyId p : active_fees_)
            if (applies(p, destination, offer)) f(at(scenario_->policies, p));
    }

    /// Rebuilds the tariff and fee tables from the scenario's current rates (a scheduled rate
    /// changed; the set of policies in force did not).
    void refresh_rates() { rebuild_tables(); }

    /// Whether the offer exists at this tick (`available: {after, lag}`).
    bool offer_available(Index offer, std::int64_t tick) const;

    /// Policy types this engine does not simulate yet (reported to the user once).
    static bool simulated(model::PolicyType type);

    /// True when the policy's destination selector is only its `buyers` selector (a control
    /// on listed buyers anywhere, with no destination countries of its own).
    bool buyers_only(Index policy) const {
        return buyers_only_[static_cast<std::size_t>(policy)] != 0;
    }
    bool selects_offer(PolicyId policy, OfferId offer) const {
        return at(at(offer_mask_, policy), offer) != 0;
    }
    bool selects_destination(PolicyId policy, CountryId country) const {
        return at(at(dest_mask_, policy), country) != 0;
    }
    bool selects_origin(PolicyId policy, CountryId country) const {
        return at(at(origin_mask_, policy), country) != 0;
    }
    /// Whether a policy's `buyers` selector selects the buyer (by any of its fields).
    bool selects_buyer(PolicyId policy, BuyerId buyer) const;
    /// Whether it selects the buyer by what the firm is (`headquarters`, `groups`): such a rule
    /// reaches the firm's compute everywhere, remote compute it rents included.
    bool selects_firm(PolicyId policy, BuyerId buyer) const;
    const model::Scenario& scenario() const { return *scenario_; }

  private:
    // Offer-major: shipping reads one offer's flows to many countries together.
    std::size_t cell(CountryId c, OfferId o) const {
        return o.index() * scenario_->countries.size() + c.index();
    }
    bool applies(PolicyId policy, CountryId destination, OfferId offer) const;
    void rebuild_tables();

    /// A policy's ticks in this run: the scenario's, until `schedule` dates a dormant one.
    struct Timing {
        std::int64_t announced, from, until;
        bool in_force(std::int64_t t) const { return t >= from && t < until; }
        bool announced_only(std::int64_t t) const { return t >= announced && t < from; }
    };

    const model::Scenario* scenario_;
    std::size_t n_offers_ = 0;
    std::vector<Timing> timing_;                  // per policy
    std::vector<char> in_force_;                  // per policy
    std::vector<char> announced_;                 // per policy: announced, not yet in force
    std::vector<char> buyers_only_;               // per policy
    std::vector<std::vector<char>> offer_mask_;   // per policy × offer
    std::vector<std::vector<char>> dest_mask_;    // per policy × country
    std::vector<std::vector<char>> origin_mask_;  // per policy × country
    std::vector<PolicyId> active_fees_;
    std::vector<double> tariff_;                // offer × country
    std::vector<double> fee_;                   // offer × country
    std::vector<std::int64_t> available_from_;  // per offer
};

}  // namespace ts::policy
