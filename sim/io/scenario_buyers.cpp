// Buyers: location, headquarters, groups and billing, demand, elasticities, taste weights over the
// offers (from preferences or calibrated from spending shares), behaviour and remote compute.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "io/scenario_build.hpp"
#include "io/scenario_schema.hpp"

namespace ts::io::detail {

using model::Index;
using model::kNone;

namespace {

const NumberRule kGrowth{-1.0, true, std::nullopt, false, false};
const NumberRule kUnitInterval{0.0, false, 1.0, false, false};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Buyers

void ScenarioBuilder::read_buyers(const MapReader& top) {
    const Doc* list = section(top, "buyers", true, "buyers");
    if (!list) return;
    s_.buyers.resize(list->items.size());
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Doc& item = list->items[i];
        const std::string path = path_item("buyers", item_label(item, "buyers", i));
        if (!f_.expect_map(item, path, "a buyer (a map with 'id')")) continue;
        const MapReader m(f_, item, path, schema::kBuyerKeys);
        model::Buyer& b = s_.buyers[i];
        b.loc = item.loc;
        if (std::optional<std::string> id = read_id(m, "id", buyers_, i)) b.id = *id;
        b.country = ref(m, "country", countries_, true);
        b.billing_country =
            m.get("billing_country") ? ref(m, "billing_country", countries_, false) : b.country;
        const auto buyer = static_cast<Index>(i);
        b.demand =
            scheduled(m, "demand", kNonNegative, {model::ScheduleField::buyer_demand, buyer}, true)
                .value_or(0.0);
        b.growth = m.number("growth", kGrowth).value_or(0.0);
        const std::optional<double> reference_cost =
            scheduled(m, "reference_cost", kPositive,
                      {model::ScheduleField::buyer_reference_cost, buyer}, true);
        b.reference_cost = reference_cost.value_or(1.0);
        b.price_elasticity = scheduled(m, "price_elasticity", kNonNegative,
                                       {model::ScheduleField::buyer_price_elasticity, buyer})
                                 .value_or(0.0);
        const std::optional<double> sigma = m.number("substitution", kPositive);
        const bool sigma_ok = sigma.has_value() || !m.get("substitution");
        b.substitution = sigma.value_or(1.5);
        read_weights(m, b, reference_cost.has_value() && sigma_ok);
        b.risk_tolerance = scheduled(m, "risk_tolerance", kNonNegative,
                                     {model::ScheduleField::buyer_risk_tolerance, buyer})
                               .value_or(0.0);
        b.anticipation = scheduled(m, "anticipation", kNonNegative,
                                   {model::ScheduleField::buyer_anticipation, buyer})
                             .value_or(1.0);
        b.backlog =
            scheduled(m, "backlog", kUnitInterval, {model::ScheduleField::buyer_backlog, buyer})
                .value_or(0.0);
        b.listed = m.boolean("listed").value_or(false);
        b.headquarters =
            m.get("headquarters") ? ref(m, "headquarters", countries_, false) : b.country;
        if (const Doc* groups = m.get("groups")) {
            b.groups = text_list(*groups, m.path("groups"), "group labels")
                           .value_or(std::vector<std::string>{});
            if (groups->is_sequence() && groups->items.empty())
                f_.error(groups->loc, m.path("groups"), "expected at least one group label");
        }
        read_remote(m, b);
    }
}

void ScenarioBuilder::read_remote(const MapReader& buyer_map, model::Buyer& buyer) {
    const Doc* node = buyer_map.get("remote");
    if (!node) return;
    const std::string path = buyer_map.path("remote");
    if (!f_.expect_map(*node, path, "a map {via, markup, capacity, markup_doubles_at}")) return;
    const MapReader m(f_, *node, path, schema::kRemoteKeys);
    model::Remote remote;
    if (const Doc* via = m.required("via")) {
        const std::string via_path = m.path("via");
        if (f_.expect_sequence(*via, via_path, "a list of country codes")) {
            if (via->items.empty())
                f_.error(via->loc, via_path,
                         "expected at least one country code (where the compute is rented)");
            std::map<Index, SourceLoc> seen;  // site -> where first listed
            for (std::size_t i = 0; i < via->items.size(); ++i) {
                const Doc& item = via->items[i];
                const std::string item_path = path_item(via_path, std::to_string(i));
                const Index c = ref(item, item_path, countries_);
                if (c == kNone) continue;
                if (c == buyer.country) {
                    f_.error(item.loc, item_path,
                             fmt::format("'{}' is the buyer's own country: remote compute is "
                                         "rented in another country",
                                         s_.countries[as_size(c)].code));
                } else if (const auto [it, fresh] = seen.emplace(c, item.loc); !fresh) {
                    f_.error(
                        item.loc, item_path,
                        fmt::format("duplicate remote site '{}' (first at {})",
                                    s_.countries[as_size(c)].code, where(it->second, item.loc)));
                } else {
                    remote.via.push_back(c);
                }
            }
        }
    }
    const auto owner = static_cast<Index>(&buyer - s_.buyers.data());
    remote.markup =
        scheduled(m, "markup", kNonNegative, {model::ScheduleField::remote_markup, owner})
            .value_or(0.0);
    remote.capacity =
        scheduled(m, "capacity", kNonNegative, {model::ScheduleField::remote_capacity, owner})
            .value_or(model::kUnlimited);
    remote.markup_doubles_at = read_doubles_at(m, "markup_doubles_at", remote.markup, "markup");
    buyer.remote = remote;
}

bool ScenarioBuilder::serves_compute(std::size_t offer) const {
    // Buyers demand compute: offers of products without compute (components, equipment) cannot
    // serve them.
    const Index p = s_.offers[offer].product;
    return p != kNone && s_.products[as_size(p)].compute > 0.0;
}

void ScenarioBuilder::read_weights(const MapReader& m, model::Buyer& buyer, bool costs_known) {
    const std::size_t n = s_.offers.size();
    buyer.weights.assign(n, 0.0);
    const std::size_t errors_before = f_.error_count();
    const Doc* preferences = m.get("preferences");
    const Doc* shares = m.get("shares");
    if (preferences && shares) {
        f_.error(m.node().find_entry("shares")->key_loc, m.path(),
                 "give either 'preferences' or 'shares', not both");
        return;
    }
    const bool read = shares ? weights_from_shares(m, *shares, buyer, costs_known)
                             : weights_from_preferences(m, preferences, buyer);
    if (!read) return;
    // Only when the offers themselves were read without errors: else the zeros are a consequence.
    if (offers_reliable_ && f_.error_count() == errors_before && n > 0 &&
        std::all_of(buyer.weights.begin(), buyer.weights.end(),
                    [](double w) { return w == 0.0; })) {
        f_.warning(m.node().loc, m.path(),
                   "every offer has weight 0 for this buyer: it will buy nothing");
    }
}

bool ScenarioBuilder::weights_from_preferences(const MapReader& m, const Doc* preferences,
                                               model::Buyer& buyer) {
    std::vector<double> product_weight(s_.products.size(), 1.0);
    std::vector<double> supplier_weight(s_.suppliers.size(), 1.0);
    if (preferences) {
        const std::string path = m.path("preferences");
        if (!f_.expect_map(*preferences, path, "a map from product or supplier id to weight"))
            return false;
        for (const DocEntry& e : preferences->entries) {
            const Index p = products_.find(e.key);
            const Index s = suppliers_.find(e.key);
            const std::optional<double> w =
                f_.number(e.value, path_join(path, e.key), kNonNegative);
            if (p != kNone && s != kNone) {
                f_.error(
                    e.key_loc, path,
                    fmt::format("'{}' is both a product id and a supplier id: ambiguous", e.key));
            } else if (p != kNone) {
                if (w) product_weight[as_size(p)] = *w;
                if (w && *w > 0.0 && s_.products[as_size(p)].compute == 0.0) {
                    f_.warning(e.key_loc, path,
                               fmt::format("product '{}' has compute 0 and cannot serve a "
                                           "buyer's demand for compute: its weight is ignored",
                                           e.key));
                }
            } else if (s != kNone) {
                if (w) supplier_weight[as_size(s)] = *w;
            } else if (products_.usable || suppliers_.usable) {
                std::vector<std::string> candidates = products_.ids;
                candidates.insert(candidates.end(), suppliers_.ids.begin(), suppliers_.ids.end());
                f_.error(e.key_loc, path,
                         fmt::format("unknown product or supplier '{}'{}", e.key,
                                     did_you_mean(e.key, candidates)));
            }
        }
    }
    for (std::size_t o = 0; o < s_.offers.size(); ++o) {
        const model::Offer& offer = s_.offers[o];
        if (!serves_compute(o) || offer.supplier == kNone) continue;
        buyer.weights[o] =
            product_weight[as_size(offer.product)] * supplier_weight[as_size(offer.supplier)];
    }
    // Preferences are relative: normalised to sum to one, so that with equal landed costs the
    // price index equals that cost and the compute bought adds up to the demand (no CES
    // love-of-variety bonus for buyers with many offers). See docs/model.md.
    double total = 0.0;
    for (double w : buyer.weights) total += w;
    if (total > 0.0)
        for (double& w : buyer.weights) w /= total;
    return true;
}

bool ScenarioBuilder::weights_from_shares(const MapReader& m, const Doc& shares,
                                          model::Buyer& buyer, bool costs_known) {
    // Calibrate from base-period spending shares: a_i = s_i·(c_i/reference_cost)^(σ−1) with
    // c_i = price/compute, so that at base costs the buyer spends exactly s_i on offer i and
    // its price index equals reference_cost.
    const std::string path = m.path("shares");
    if (!f_.expect_map(shares, path,
                       "a map from offer (product, supplier or 'supplier/product') to share"))
        return false;
    const std::size_t n = s_.offers.size();
    std::vector<double> share(n, 0.0);
    std::map<std::size_t, std::string> named;  // offer -> key that named it
    double sum = 0.0;
    bool all_ok = true;
    for (const DocEntry& e : shares.entries) {
        const std::optional<double> value =
            f_.number(e.value, path_join(path, e.key), kUnitInterval);
        all_ok = all_ok && value.has_value();
        std::string problem;
        const std::vector<std::size_t> matches = offers_named(e.key, problem);
        if (!problem.empty()) {
            f_.error(e.key_loc, path, problem);
            all_ok = false;
            continue;
        }
        // An unknown key when no product or supplier could be read: nothing to report.
        if (matches.empty()) continue;
        if (matches.size() != 1) {
            all_ok = false;
            continue;
        }
        const std::size_t o = matches.front();
        if (const auto [it, fresh] = named.emplace(o, e.key); !fresh) {
            f_.error(e.key_loc, path,
                     fmt::format("'{}' names the same offer as '{}'", e.key, it->second));
            all_ok = false;
            continue;
        }
        if (!serves_compute(o)) {
            // An offer without a valid product was reported where it is defined.
            if (s_.offers[o].product != kNone)
                f_.error(e.key_loc, path,
                         fmt::format("'{}' names an offer of product '{}', which has compute 0: "
                                     "a buyer's shares are spending on compute",
                                     e.key, s_.products[as_size(s_.offers[o].product)].id));
            all_ok = false;
            continue;
        }
        if (value) {
            share[o] = *value;
            sum += *value;
        }
    }
    if (!all_ok) return false;
    if (std::abs(sum - 1.0) > 1e-6) {
        f_.error(shares.loc, path,
                 fmt::format("the shares sum to {:.6g}; they must sum to 1", sum));
        return false;
    }
    if (!costs_known) return false;
    const double sigma = buyer.substitution;
    for (std::size_t o = 0; o < n; ++o) {
        if (share[o] == 0.0) continue;
        const model::Offer& offer = s_.offers[o];
        const double cost = offer.price / s_.products[as_size(offer.product)].compute;
        buyer.weights[o] = share[o] * std::pow(cost / buyer.reference_cost, sigma - 1.0);
    }
    return true;
}

std::vector<std::size_t> ScenarioBuilder::offers_named(const std::string& key,
                                                       std::string& problem) const {
    std::vector<std::size_t> matches;
    const Index p = products_.find(key);
    const Index s = suppliers_.find(key);
    if (p != kNone && s != kNone) {
        problem = fmt::format("'{}' is both a product id and a supplier id: ambiguous", key);
    } else if (p != kNone) {
        std::vector<std::string> by;
        for (std::size_t o = 0; o < s_.offers.size(); ++o) {
            if (s_.offers[o].product != p) continue;
            matches.push_back(o);
            if (s_.offers[o].supplier != kNone)
                by.push_back(s_.suppliers[as_size(s_.offers[o].supplier)].id);
        }
        if (matches.empty())
            problem = fmt::format("no supplier offers product '{}'", key);
        else if (matches.size() > 1)
            problem = fmt::format(
                "product '{}' is offered by several suppliers ({}): name one offer as "
                "'supplier/product'",
                key, join(by));
    } else if (s != kNone) {
        std::vector<std::string> what;
        for (Index o : s_.suppliers[as_size(s)].offers) {
            matches.push_back(as_size(o));
            if (s_.offers[as_size(o)].product != kNone)
                what.push_back(s_.products[as_size(s_.offers[as_size(o)].product)].id);
        }
        if (matches.size() > 1)
            problem = fmt::format(
                "supplier '{}' has several offers ({}): name one offer as 'supplier/product'", key,
                join(what));
        else if (matches.empty())
            problem = fmt::format("supplier '{}' has no offers", key);
    } else {
        // 'supplier/product'; ids may contain '/', so try every split.
        for (std::size_t cut = key.find('/'); cut != std::string::npos;
             cut = key.find('/', cut + 1)) {
            const Index sp = suppliers_.find(std::string_view(key).substr(0, cut));
            const Index pp = products_.find(std::string_view(key).substr(cut + 1));
            if (sp == kNone || pp == kNone) continue;
            for (Index o : s_.suppliers[as_size(sp)].offers)
                if (s_.offers[as_size(o)].product == pp) matches.push_back(as_size(o));
            if (matches.empty())
                problem = fmt::format("supplier '{}' does not offer product '{}'",
                                      key.substr(0, cut), key.substr(cut + 1));
            break;
        }
        if (matches.empty() && problem.empty() && (products_.usable || suppliers_.usable))
            problem = fmt::format("unknown product, supplier or offer '{}'{}", key,
                                  did_you_mean(key, offer_names()));
    }
    return matches;
}

std::vector<std::string> ScenarioBuilder::offer_names() const {
    // Built only for an unknown key: building them for every buyer took most of the loading time
    // of a large world (20,000 buyers x 1,000 offers).
    std::vector<std::string> names = products_.ids;
    names.insert(names.end(), suppliers_.ids.begin(), suppliers_.ids.end());
    for (const model::Offer& offer : s_.offers) {
        if (offer.supplier != kNone && offer.product != kNone)
            names.push_back(s_.suppliers[as_size(offer.supplier)].id + "/" +
                            s_.products[as_size(offer.product)].id);
    }
    return names;
}

}  // namespace ts::io::detail
