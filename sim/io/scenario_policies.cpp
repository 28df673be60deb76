// The policy part of the scenario schema: policies (with their dates, selectors and
// type-specific keys) and reactions.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "io/scenario_build.hpp"
#include "io/scenario_schema.hpp"

namespace ts::io::detail {

using model::Index;
using model::kNone;
using model::PolicyType;

namespace {

const NumberRule kShare{0.0, true, 1.0, false, false};  // (0, 1]

std::vector<std::string> concat(std::initializer_list<const std::vector<std::string>*> parts) {
    std::vector<std::string> out;
    for (const auto* part : parts) out.insert(out.end(), part->begin(), part->end());
    return out;
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string describe_date_default(const char* key, const std::optional<Date>& explicit_date,
                                  Date effective) {
    if (explicit_date) return fmt::format("{} {}", key, format_date(effective));
    return fmt::format("{} (by default the start of the run, {})", key, format_date(effective));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Policies

void ScenarioBuilder::read_policies(const MapReader& top) {
    const Doc* list = section(top, "policies", false, "policies");
    if (!list) return;
    s_.policies.resize(list->items.size());
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Doc& item = list->items[i];
        const std::string path = path_item("policies", item_label(item, "policies", i));
        if (!f_.expect_map(item, path, "a policy (a map with 'id', 'by' and 'type')")) continue;
        read_policy(item, path, s_.policies[i], i);
    }
}

void ScenarioBuilder::read_policy(const Doc& node, const std::string& path, model::Policy& p,
                                  std::optional<std::size_t> index) {
    const bool in_reaction = !index.has_value();
    p.loc = node.loc;
    // The type decides which keys are allowed, so it is read first.
    std::optional<std::size_t> type;
    if (const Doc* type_node = node.find("type"))
        type = f_.choice(*type_node, path_join(path, "type"), "policy type", schema::kPolicyTypes);
    const std::vector<std::string> type_keys =
        type ? schema::kTypeKeys[*type] : schema::all_type_keys();
    const std::vector<std::string> allowed =
        in_reaction ? concat({&schema::kCommonKeys, &type_keys})
                    : concat({&schema::kIdentityKeys, &schema::kCommonKeys, &schema::kDateKeys,
                              &type_keys});
    const KeyAdvice advice = [&](std::string_view key) -> std::optional<std::string> {
        if (in_reaction && contains(schema::kIdentityKeys, key))
            return fmt::format(
                "'{}' cannot be given in 'then': the policy takes the reaction's id and 'by'", key);
        if (in_reaction && contains(schema::kDateKeys, key))
            return fmt::format(
                "'{}' cannot be given in 'then': the policy takes force 'lag' ticks after the "
                "reaction triggers",
                key);
        if (type && contains(schema::all_type_keys(), key))
            return fmt::format("'{}' does not apply to a policy of type '{}'", key,
                               schema::kPolicyTypes[*type]);
        return std::nullopt;
    };
    const MapReader m(f_, node, path, allowed, advice);
    // Keys that do not apply to the type were reported by the MapReader; they are not read.
    const auto given = [&](const char* key) {
        return contains(allowed, key) ? m.get(key) : nullptr;
    };

    if (!in_reaction) {
        if (std::optional<std::string> id = read_id(m, "id", policies_, *index)) p.id = *id;
        p.by = ref(m, "by", countries_, true);
    }
    m.required("type");
    if (type) p.type = static_cast<PolicyType>(*type);

    if (!in_reaction) read_policy_dates(m, p);

    p.products.all = true;
    if (const Doc* products = m.get("products")) {
        if (auto selector = read_product_selector(*products, m.path("products")))
            p.products = std::move(*selector);
    }
    p.destinations.all = true;
    if (const Doc* destinations = m.get("destinations")) {
        if (auto selector = read_country_selector(*destinations, m.path("destinations")))
            p.destinations = std::move(*selector);
    }
    p.origins.all = true;
    if (const Doc* origins = given("origins")) {
        if (auto selector = read_country_selector(*origins, m.path("origins")))
            p.origins = std::move(*selector);
    }
    if (const Doc* buyers = m.get("buyers"))
        p.buyers = read_buyer_selector(*buyers, m.path("buyers"));

    // A reaction's policy has no index of its own: it takes no schedule (see `scheduled`).
    const Index self = index ? static_cast<Index>(*index) : kNone;
    if (const Doc* license = given("license")) read_licence(*license, m.path("license"), p, self);
    if (const Doc* covers = given("covers")) read_covers(*covers, m.path("covers"), p);
    const bool quota = type && p.type == PolicyType::quota;
    const bool rated = type && (p.type == PolicyType::tariff || p.type == PolicyType::export_fee);
    const bool enforcement = type && p.type == PolicyType::enforcement;
    if (given("cap") || quota)
        p.cap = scheduled(m, "cap", kNonNegative, {model::ScheduleField::policy_cap, self}, quota)
                    .value_or(model::kUnlimited);
    if (given("period")) {
        if (std::optional<std::size_t> period =
                m.choice("period", "quota period", schema::kPeriods))
            p.period = static_cast<model::QuotaPeriod>(*period);
    }
    if (given("rate") || rated)
        p.rate =
            scheduled(m, "rate", kNonNegative, {model::ScheduleField::policy_rate, self}, rated)
                .value_or(0.0);
    if (given("compliance")) p.compliance = m.number("compliance", kProbability).value_or(1.0);
    if (const Doc* condition = given("condition")) {
        const std::string cpath = m.path("condition");
        if (f_.expect_map(*condition, cpath, "a map {domestic_share}")) {
            const MapReader c(f_, *condition, cpath, schema::kConditionKeys);
            p.domestic_share = c.number("domestic_share", kShare, true);
        }
    }
    if (given("detection") || enforcement)
        p.detection = scheduled(m, "detection", kProbability,
                                {model::ScheduleField::policy_detection, self}, enforcement)
                          .value_or(0.0);
    if (given("at")) {
        if (std::optional<std::size_t> at =
                m.choice("at", "inspection place", schema::kInspections))
            p.inspection = static_cast<model::Inspection>(*at);
    }
}

void ScenarioBuilder::read_licence(const Doc& node, const std::string& path, model::Policy& p,
                                   Index self) {
    if (!f_.expect_map(node, path, "a map {approval, delay}")) return;
    const MapReader m(f_, node, path, schema::kLicenseKeys);
    model::Licence licence;
    licence.approval =
        scheduled(m, "approval", kProbability, {model::ScheduleField::policy_approval, self}, true)
            .value_or(0.0);
    licence.delay_ticks = static_cast<int>(m.integer("delay", 0).value_or(0));
    p.licence = licence;
}

void ScenarioBuilder::read_covers(const Doc& node, const std::string& path, model::Policy& p) {
    const auto words = text_list(node, path, "'exports' or 'reexports'");
    if (!words) return;
    p.covers_exports = false;
    p.covers_reexports = false;
    if (words->empty()) f_.error(node.loc, path, "expected at least one of: exports, reexports");
    for (std::size_t i = 0; i < node.items.size(); ++i) {
        const std::optional<std::size_t> c = f_.choice(
            node.items[i], path_item(path, std::to_string(i)), "coverage", schema::kCovers);
        if (c) (*c == 0 ? p.covers_exports : p.covers_reexports) = true;
    }
}

void ScenarioBuilder::read_policy_dates(const MapReader& m, model::Policy& p) {
    p.announced_date = m.date("announced");
    p.from_date = m.date("from");
    p.until_date = m.date("until");
    const bool dates_ok = (p.announced_date || !m.get("announced")) &&
                          (p.from_date || !m.get("from")) && (p.until_date || !m.get("until"));
    if (!calendar_ || !dates_ok) return;
    const Calendar& cal = *calendar_;
    const Date from = p.from_date.value_or(cal.start());
    const Date announced = p.announced_date.value_or(from);

    bool ordered = true;
    if (p.announced_date && announced > from) {
        f_.error(m.get("announced")->loc, m.path("announced"),
                 fmt::format("announced {} is after {}", format_date(announced),
                             describe_date_default("from", p.from_date, from)));
        ordered = false;
    }
    if (p.until_date && from > *p.until_date) {
        if (p.from_date)
            f_.error(m.get("from")->loc, m.path("from"),
                     fmt::format("from {} is after until {}", format_date(from),
                                 format_date(*p.until_date)));
        else
            f_.error(m.get("until")->loc, m.path("until"),
                     fmt::format("until {} is before {}", format_date(*p.until_date),
                                 describe_date_default("from", p.from_date, from)));
        ordered = false;
    }

    // Dates outside the run are allowed (a policy may predate the run) but usually a mistake.
    const Date end = cal.date_of(cal.ticks());
    for (const auto& [key, date] :
         {std::pair{"announced", p.announced_date}, std::pair{"from", p.from_date},
          std::pair{"until", p.until_date}}) {
        if (!date) continue;
        if (*date < cal.start())
            f_.warning(m.get(key)->loc, m.path(key),
                       fmt::format("{} is before the start of the run ({})", format_date(*date),
                                   format_date(cal.start())));
        else if (*date > end)
            f_.warning(m.get(key)->loc, m.path(key),
                       fmt::format("{} is after the end of the run ({})", format_date(*date),
                                   format_date(end)));
    }

    p.from_tick = cal.nearest_boundary(from);
    p.until_tick = p.until_date ? cal.nearest_boundary(*p.until_date)
                                : std::numeric_limits<std::int64_t>::max();
    // Without an explicit announcement the policy is news only when it takes force, so there is
    // no announced-but-not-in-force window (which would trigger anticipation).
    p.announced_tick = p.announced_date ? cal.tick_containing(announced) : p.from_tick;
    if (ordered && p.until_date && p.from_tick == p.until_tick) {
        f_.warning(m.node().loc, m.path(),
                   fmt::format("shorter than one tick: never in force (from {} and until {} round "
                               "to the same tick "
                               "boundary)",
                               format_date(from), format_date(*p.until_date)));
    }
}

// ---------------------------------------------------------------------------------------------
// Selectors

std::optional<model::ProductSelector> ScenarioBuilder::read_product_selector(
    const Doc& node, const std::string& path) {
    if (!f_.expect_map(node, path,
                       "a product selector (a map such as {ids: [...]} or {all: true})"))
        return std::nullopt;
    const std::size_t errors_before = f_.error_count();
    const MapReader m(f_, node, path, schema::kProductSelectorKeys);
    model::ProductSelector s;
    s.all = m.boolean("all").value_or(false);
    bool criteria = false;
    if (const Doc* ids = m.get("ids")) {
        s.ids = ref_list(*ids, m.path("ids"), products_);
        criteria = true;
    }
    if (const Doc* kinds = m.get("kinds")) {
        criteria = true;
        if (f_.expect_sequence(*kinds, m.path("kinds"), "a list of product kinds")) {
            if (kinds->items.empty())
                f_.error(kinds->loc, m.path("kinds"), "expected at least one product kind");
            for (std::size_t i = 0; i < kinds->items.size(); ++i) {
                if (auto k =
                        f_.choice(kinds->items[i], path_item(m.path("kinds"), std::to_string(i)),
                                  "product kind", schema::kProductKinds))
                    s.kinds.push_back(static_cast<model::ProductKind>(*k));
            }
        }
    }
    const auto bound = [&](const char* key, std::optional<double>& out) {
        if (!m.get(key)) return;
        criteria = true;
        out = m.number(key, kAnyNumber);
    };
    bound("tpp_min", s.tpp_min);
    bound("tpp_max", s.tpp_max);
    bound("density_min", s.density_min);
    bound("density_max", s.density_max);
    bound("interconnect_min", s.interconnect_min);
    bound("interconnect_max", s.interconnect_max);
    bound("compute_min", s.compute_min);
    bound("compute_max", s.compute_max);
    if (read_origin_criteria(m, s)) criteria = true;
    if (const Doc* any = m.get("any")) {
        criteria = true;
        const std::string any_path = m.path("any");
        if (f_.expect_sequence(*any, any_path, "a list of product selectors")) {
            if (any->items.empty())
                f_.error(any->loc, any_path, "expected at least one alternative");
            for (std::size_t i = 0; i < any->items.size(); ++i) {
                if (auto alt = read_product_selector(any->items[i],
                                                     path_item(any_path, std::to_string(i))))
                    s.any.push_back(std::move(*alt));
            }
        }
    }
    if (node.entries.empty()) {
        f_.error(
            node.loc, path,
            "empty product selector: give 'all: true', 'ids', 'kinds', attribute bounds or 'any'");
    } else if (s.all && criteria) {
        f_.error(node.loc, path,
                 "'all: true' cannot be combined with other fields (when narrowing an inherited "
                 "selector, set "
                 "'all: false')");
    } else if (!s.all && !criteria && f_.error_count() == errors_before) {
        f_.error(node.loc, path,
                 "selects no product: give 'all: true', 'ids', 'kinds', attribute bounds or 'any'");
    }
    if (f_.error_count() != errors_before) return std::nullopt;
    return s;
}

bool ScenarioBuilder::read_origin_criteria(const MapReader& m, model::ProductSelector& s) {
    // Who makes the goods and where: properties of an offer, matched per offer (matches_offer).
    bool given = false;
    if (const Doc* suppliers = m.get("suppliers")) {
        s.suppliers = ref_list(*suppliers, m.path("suppliers"), suppliers_);
        given = true;
    }
    for (const auto& [key, out] :
         {std::pair{"jurisdictions", &s.jurisdictions}, std::pair{"made_in", &s.made_in}}) {
        if (const Doc* node = m.get(key)) {
            *out = read_country_selector(*node, m.path(key));
            given = true;
        }
    }
    if (m.get("domestic")) {
        s.domestic = m.boolean("domestic");
        given = true;
    }
    return given;
}

std::optional<model::CountrySelector> ScenarioBuilder::read_country_selector(
    const Doc& node, const std::string& path) {
    if (!f_.expect_map(node, path,
                       "a country selector (a map such as {countries: [...]} or {all: true})"))
        return std::nullopt;
    const std::size_t errors_before = f_.error_count();
    const MapReader m(f_, node, path, schema::kCountrySelectorKeys);
    model::CountrySelector s;
    s.all = m.boolean("all").value_or(false);
    if (const Doc* countries = m.get("countries"))
        s.countries = ref_list(*countries, m.path("countries"), countries_);
    if (const Doc* groups = m.get("groups")) {
        std::vector<std::string> known;
        for (const model::Country& c : s_.countries)
            known.insert(known.end(), c.groups.begin(), c.groups.end());
        s.groups = read_group_labels(*groups, m.path("groups"), known, "country");
    }
    if (const Doc* except = m.get("except"))
        s.except = ref_list(*except, m.path("except"), countries_);
    const bool listed = m.get("countries") || m.get("groups");
    if (node.entries.empty()) {
        f_.error(node.loc, path,
                 "empty country selector: give 'all: true', 'countries' or 'groups'");
    } else if (s.all && listed) {
        f_.error(node.loc, path,
                 "'all: true' cannot be combined with 'countries' or 'groups' (when narrowing an "
                 "inherited selector, "
                 "set 'all: false')");
    } else if (!s.all && !listed) {
        f_.error(node.loc, path,
                 "selects no country: give 'all: true', 'countries' or 'groups' ('except' only "
                 "removes countries)");
    } else if (f_.error_count() == errors_before) {
        bool any = false;
        for (std::size_t c = 0; c < s_.countries.size() && !any; ++c)
            any = model::matches(s, s_.countries[c], static_cast<Index>(c));
        if (!any) f_.error(node.loc, path, "selects no country");
    }
    if (f_.error_count() != errors_before) return std::nullopt;
    return s;
}

std::vector<std::string> ScenarioBuilder::read_group_labels(const Doc& node,
                                                            const std::string& path,
                                                            const std::vector<std::string>& known,
                                                            std::string_view member) {
    auto labels = text_list(node, path, "group labels");
    if (!labels) return {};
    if (labels->empty()) f_.error(node.loc, path, "expected at least one group label");
    for (std::size_t i = 0; i < labels->size(); ++i) {
        const std::string& g = (*labels)[i];
        if (!contains(known, g))
            f_.warning(node.items[i].loc, path_item(path, std::to_string(i)),
                       fmt::format("no {} is in group '{}'{}", member, g, did_you_mean(g, known)));
    }
    return std::move(*labels);
}

std::optional<model::BuyerSelector> ScenarioBuilder::read_buyer_selector(const Doc& node,
                                                                         const std::string& path) {
    if (!f_.expect_map(node, path, "a buyer selector (a map {listed, ids, headquarters, groups})"))
        return std::nullopt;
    const std::size_t errors_before = f_.error_count();
    const MapReader m(f_, node, path, schema::kBuyerSelectorKeys);
    model::BuyerSelector s;
    s.listed = m.boolean("listed").value_or(false);
    if (const Doc* ids = m.get("ids")) s.ids = ref_list(*ids, m.path("ids"), buyers_);
    if (const Doc* hq = m.get("headquarters"))
        s.headquarters = read_country_selector(*hq, m.path("headquarters"));
    if (const Doc* groups = m.get("groups")) {
        std::vector<std::string> known;
        for (const model::Buyer& b : s_.buyers)
            known.insert(known.end(), b.groups.begin(), b.groups.end());
        s.groups = read_group_labels(*groups, m.path("groups"), known, "buyer");
    }
    if (f_.error_count() == errors_before && !s.listed && s.ids.empty() && !s.headquarters &&
        s.groups.empty())
        f_.error(node.loc, path,
                 "selects no buyer: give 'listed: true', 'ids', 'headquarters' or 'groups'");
    if (f_.error_count() != errors_before) return std::nullopt;
    return s;
}

// ---------------------------------------------------------------------------------------------
// Reactions

void ScenarioBuilder::read_reactions(const MapReader& top) {
    const Doc* list = section(top, "reactions", false, "reactions");
    if (!list) return;
    s_.reactions.resize(list->items.size());
    for (std::size_t i = 0; i < list->items.size(); ++i) {
        const Doc& item = list->items[i];
        const std::string path = path_item("reactions", item_label(item, "reactions", i));
        if (!f_.expect_map(item, path, "a reaction (a map with 'id', 'by', 'when' and 'then')"))
            continue;
        const MapReader m(f_, item, path, schema::kReactionKeys);
        model::Reaction& r = s_.reactions[i];
        r.loc = item.loc;
        if (std::optional<std::string> id = read_id(m, "id", reactions_, i)) {
            r.id = *id;
            // The policy a reaction adds carries the reaction's id.
            if (const Index p = policies_.find(*id); p != kNone) {
                const SourceLoc& id_loc = item.find("id")->loc;
                f_.error(id_loc, m.path("id"),
                         fmt::format("'{}' is already the id of a policy (defined at {}); the "
                                     "policy a reaction adds "
                                     "takes the reaction's id",
                                     *id, where(policies_.first_loc.find(*id)->second, id_loc)));
            }
        }
        r.by = ref(m, "by", countries_, true);

        if (const Doc* when = m.required("when")) {
            const std::string wpath = m.path("when");
            if (f_.expect_map(*when, wpath, "a map {metric, above or below, for}")) {
                const MapReader w(f_, *when, wpath, schema::kWhenKeys);
                const std::optional<std::size_t> metric =
                    w.required("metric") ? w.choice("metric", "metric", schema::kMetrics)
                                         : std::nullopt;
                if (metric) r.metric = schema::kMetrics[*metric];
                if (const Doc* via = w.get("via")) {
                    r.via = ref(*via, w.path("via"), countries_);
                    if (metric && !contains(schema::kRouteMetrics, r.metric))
                        f_.error(
                            w.node().find_entry("via")->key_loc, wpath,
                            fmt::format("'via' applies only to route metrics ({}), not to '{}'",
                                        join(schema::kRouteMetrics), r.metric));
                }
                if (w.get("country")) r.country = ref(w, "country", countries_, false);
                if (metric && r.metric == "price_index" && !w.get("country"))
                    f_.error(when->loc, wpath, "metric 'price_index' needs 'country'");
                r.above = w.number("above", kAnyNumber);
                r.below = w.number("below", kAnyNumber);
                if ((w.get("above") != nullptr) == (w.get("below") != nullptr))
                    f_.error(when->loc, wpath, "give exactly one of 'above' and 'below'");
                r.for_ticks = static_cast<int>(w.integer("for", 1).value_or(1));
            }
        }
        if (const Doc* then = m.required("then")) {
            const std::string tpath = m.path("then");
            if (f_.expect_map(*then, tpath, "a policy (a map with 'type')"))
                read_policy(*then, tpath, r.then, std::nullopt);
        }
        r.then.id = r.id;
        r.then.by = r.by;
        r.lag_ticks = static_cast<int>(m.integer("lag", 0).value_or(0));
    }
}

void ScenarioBuilder::warn_unreachable_policies() {
    for (const model::Policy& p : s_.policies) {
        if (p.by == kNone) continue;
        // One pass over the offers: how many the policy selects, and the first of them that
        // does not ship from the government's territory (when none does).
        std::size_t selected = 0;
        std::optional<std::size_t> elsewhere;
        bool ships_from_by = false;
        for (std::size_t o = 0; o < s_.offers.size(); ++o) {
            if (!model::matches_offer(p.products, s_, static_cast<Index>(o), p.by)) continue;
            ++selected;
            if (s_.suppliers[as_size(s_.offers[o].supplier)].ships_from == p.by)
                ships_from_by = true;
            else if (!elsewhere)
                elsewhere = o;
        }
        const auto loc = policies_.first_loc.find(p.id);
        const SourceLoc at = loc != policies_.first_loc.end() ? loc->second : SourceLoc{};
        if (selected == 0) {
            f_.warning(at, fmt::format("policies[{}].products", printable(p.id)),
                       "selects no offer of any supplier: the policy never applies (check the "
                       "ids, kinds, bounds and origin fields of its product selector)");
            continue;
        }
        // Goods also leave the government's territory through it when it is a hub.
        const bool hub = std::any_of(s_.routes.begin(), s_.routes.end(),
                                     [&](const model::Route& r) { return r.via == p.by; });
        if (p.type != model::PolicyType::export_control || !p.covers_exports ||
            p.covers_reexports || ships_from_by || hub)
            continue;
        const model::Offer& off = s_.offers[*elsewhere];
        const model::Supplier& sup = s_.suppliers[as_size(off.supplier)];
        const std::string& by = s_.countries[as_size(p.by)].code;
        f_.warning(at, fmt::format("policies[{}].covers", printable(p.id)),
                   fmt::format("covers only exports from {}, but none of the {} offer(s) it "
                               "selects ship from there ({}/{} ships from {}): it never applies; "
                               "write covers: [exports, reexports] to follow {}'s goods abroad",
                               by, selected, sup.id, s_.products[as_size(off.product)].id,
                               s_.countries[as_size(sup.ships_from)].code, by));
    }
}

}  // namespace ts::io::detail
