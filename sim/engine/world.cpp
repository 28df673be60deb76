#include "engine/world.hpp"

#include <utility>

#include "engine/engine_state.hpp"
#include "market/taste_weights.hpp"
#include "policy/coverage.hpp"
#include "policy/design_around.hpp"
#include "policy/policy_book.hpp"

namespace ts::engine {

namespace {

/// Reaction rules add a dormant policy each; triggering sets its dates.
void add_reaction_policies(const model::Scenario& input, World& world) {
    auto& w = world.scenario;
    for (const auto& r : input.reactions) {
        model::Policy p = r.then;
        p.id = r.id;
        p.by = r.by;
        p.announced_date.reset();
        p.from_date.reset();
        p.until_date.reset();
        p.announced_tick = p.from_tick = kNever;
        p.until_tick = kNever;
        w.policies.push_back(p);
        world.reactions.push_back({static_cast<Index>(w.policies.size() - 1)});
    }
}

/// A variant is made on its original's line: it follows the original's scheduled capacity,
/// inputs and supply elasticity, and its unit cost schedule scaled as its unit cost is.
void follow_schedules(model::Scenario& w, Index original, Index variant, double ratio) {
    const std::size_t n = w.schedules.size();
    for (std::size_t i = 0; i < n; ++i) {
        const model::Schedule& sch = w.schedules[i];
        if (sch.object != original || !model::drives_offer(sch.field)) continue;
        model::Schedule copy = sch;
        copy.object = variant;
        if (copy.field == model::ScheduleField::offer_unit_cost)
            for (auto& point : copy.points) point.value *= ratio;
        w.schedules.push_back(std::move(copy));
    }
}

/// Design-around variants: for every export control selecting an offer of a supplier with
/// design_around, the variant escaping that control and the static controls in force with it.
void add_variants(const model::Scenario& input, World& world) {
    auto& w = world.scenario;
    const std::size_t n_original_offers = w.offers.size();
    for (std::size_t o = 0; o < n_original_offers; ++o) {
        const Index sup_i = w.offers[o].supplier;
        if (!w.suppliers[ix(sup_i)].design_around) continue;
        const double margin = w.suppliers[ix(sup_i)].design_around->margin;
        const Index prod_i = w.offers[o].product;
        for (std::size_t p = 0; p < w.policies.size(); ++p) {
            const auto& pol = w.policies[p];
            if (pol.type != model::PolicyType::export_control) continue;
            const model::Product original = w.products[ix(prod_i)];
            // Per offer: a control selecting other suppliers' or origins' goods is not escaped.
            if (!model::matches_offer(pol.products, w, static_cast<Index>(o), pol.by)) continue;
            std::vector<const model::ProductSelector*> escape{&pol.products};
            for (std::size_t q = 0; q < input.policies.size(); ++q) {
                const auto& other = w.policies[q];
                if (q == p || other.type != model::PolicyType::export_control) continue;
                const bool together =
                    pol.from_tick == kNever ||
                    (other.from_tick <= pol.from_tick && other.until_tick > pol.from_tick);
                if (together) escape.push_back(&other.products);
            }
            auto variant = policy::design_variant(original, prod_i, escape, margin,
                                                  original.id + "-under-" + pol.id);
            if (!variant || w.find_product(variant->id) != model::kNone) continue;
            const double ratio = original.compute > 0.0 ? variant->compute / original.compute : 1.0;
            w.products.push_back(*variant);
            model::Offer off = w.offers[o];
            off.product = static_cast<Index>(w.products.size() - 1);
            off.price *= ratio;
            off.unit_cost *= ratio;
            off.available.reset();
            w.offers.push_back(off);
            const Index off_i = static_cast<Index>(w.offers.size() - 1);
            w.suppliers[ix(sup_i)].offers.push_back(off_i);
            world.variants.push_back({off_i, static_cast<Index>(o), static_cast<Index>(p), false});
            follow_schedules(w, static_cast<Index>(o), off_i, ratio);
        }
    }
    for (auto& b : w.buyers) b.weights.resize(w.offers.size(), 0.0);
}

/// Suppliers buy their inputs and equipment as buyers do: one synthetic buyer per purchase,
/// named after the supplier (flows.csv shows the purchasing supplier as the buyer).
void add_purchasers(World& world) {
    auto& w = world.scenario;
    std::vector<double> base_price(w.offers.size());
    for (std::size_t o = 0; o < w.offers.size(); ++o) base_price[o] = w.offers[o].price;
    for (std::size_t si = 0; si < w.suppliers.size(); ++si) {
        const auto& sup = w.suppliers[si];
        for (std::size_t pi = 0; pi < sup.purchases.size(); ++pi) {
            const auto& pu = sup.purchases[pi];
            model::Buyer b;
            b.id = sup.id;
            b.country = b.billing_country = sup.made_in;
            b.substitution = pu.substitution;
            b.price_elasticity = pu.price_elasticity;
            b.risk_tolerance = pu.risk_tolerance;
            b.anticipation = pu.anticipation;
            b.weights = pu.weights;
            b.weights.resize(w.offers.size(), 0.0);
            // Reference cost: the mean base price of the input, so demand is what is planned.
            b.reference_cost = market::purchase_reference_cost(b.weights, base_price);
            b.loc = pu.loc;
            w.buyers.push_back(std::move(b));
            PurchaserSpec p;
            p.buyer = static_cast<Index>(w.buyers.size() - 1);
            p.supplier = static_cast<Index>(si);
            p.product = pu.product;
            p.equipment = sup.equipment && sup.equipment->product == pu.product;
            p.purchase = pi;
            world.purchasers.push_back(p);
        }
    }
}

/// A variant serves the buyers its control restricts, with the original's taste weight; it
/// binds statically when the control's territory covers the supplier for such a buyer.
void weigh_variants(World& world) {
    auto& s = world.scenario;
    const policy::PolicyBook book(s);  // selectors only: no tick is advanced
    for (auto& v : world.variants) {
        const auto& pol = s.policies[ix(v.control)];
        const auto& sup = s.suppliers[ix(s.offers[ix(v.original)].supplier)];
        for (std::size_t b = 0; b < s.buyers.size(); ++b) {
            auto& buyer = s.buyers[b];
            const bool targeted = policy::targets(
                book, PolicyId{v.control}, CountryId{buyer.country},
                book.selects_buyer(PolicyId{v.control}, BuyerId{static_cast<Index>(b)}));
            const double w = market::variant_weight(buyer.weights[ix(v.original)], targeted);
            if (w > 0.0) {
                buyer.weights[ix(v.offer)] = w;
                if (policy::covers_shipment(pol, sup)) v.binds_statically = true;
            }
        }
    }
}

}  // namespace

std::size_t input_buyers(const model::Scenario& world) {
    std::size_t purchasers = 0;
    for (const auto& sup : world.suppliers) purchasers += sup.purchases.size();
    return world.buyers.size() - purchasers;
}

World build_world(const model::Scenario& input) {
    World world;
    world.scenario = input;
    add_reaction_policies(input, world);
    add_variants(input, world);
    add_purchasers(world);
    weigh_variants(world);
    return world;
}

}  // namespace ts::engine
