#pragma once
// World building: the world the engine runs, built once from the input scenario and frozen.
// It is the input plus
//  - one dormant policy per reaction rule (never in force until the rule triggers),
//  - the design-around variants suppliers may launch (offers unavailable until launched),
//    with the taste weights of the buyers their control targets,
//  - one synthetic buyer per supplier purchase (inputs and equipment bought as buyers buy).
// What changes during a run (a reaction's trigger, a launch, stocks) is run state
// (engine_state.hpp); a triggered reaction's dates are run state of the policy book
// (PolicyBook::schedule). The Simulation holds its World const: nothing writes it after
// build_world.
#include <cstddef>
#include <vector>

#include "model/scenario.hpp"

namespace ts::engine {

using model::Index;

/// A reaction rule's dormant policy in the world (World::reactions[i] is Scenario::reactions[i]).
struct ReactionSpec {
    Index policy = model::kNone;
};

/// A design-around variant: an offer of the world designed around one export control.
struct VariantSpec {
    Index offer = model::kNone;     // the variant offer in the world
    Index original = model::kNone;  // the offer it designs around
    Index control = model::kNone;   // the control it escapes
    bool binds_statically = false;  // the control selects a buyer of the original
};

/// A synthetic buyer through which a supplier buys one input or its equipment.
struct PurchaserSpec {
    Index buyer = model::kNone;     // its entry in scenario.buyers
    Index supplier = model::kNone;  // who buys
    Index product = model::kNone;   // what
    bool equipment = false;         // the supplier's equipment product
    std::size_t purchase = 0;       // index into Supplier::purchases
};

struct World {
    model::Scenario scenario;
    std::vector<ReactionSpec> reactions;
    std::vector<VariantSpec> variants;
    std::vector<PurchaserSpec> purchasers;
};

/// Builds the expanded world of a scenario.
World build_world(const model::Scenario& input);

/// The buyers of the input scenario among the world's (`world` as build_world made it, e.g.
/// what a Recorder receives): they come first, the synthetic purchasers after them.
std::size_t input_buyers(const model::Scenario& world);

}  // namespace ts::engine
