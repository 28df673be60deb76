// The scenario reader: a full valid scenario into exact Scenario values, tick mapping, CES
// weights from preferences and shares, the resolved YAML round trip, errors reported together.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "io/scenario_reader.hpp"

using ts::Date;
using ts::InputError;
using ts::model::Index;
using ts::model::kNone;
using ts::model::PolicyType;
using ts::model::ProductKind;
using ts::model::Scenario;

namespace {

const std::string kData = std::string(TRADESIM_SOURCE_DIR) + "/tests/unit/io/data";
constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

/// The formatted diagnostics of the InputError thrown by loading `yaml`.
std::vector<std::string> errors_of(const std::string& yaml,
                                   const ts::io::LoadOptions& options = {}) {
    try {
        ts::io::load_scenario_text(yaml, "t.yaml", options);
    } catch (const InputError& e) {
        std::vector<std::string> out;
        for (const auto& d : e.diagnostics()) out.push_back(d.format());
        return out;
    }
    FAIL("expected an InputError");
    return {};
}

// A small valid world; tests append policies or patch it with --set.
const std::string kSmall = R"(name: small
time: {start: 2023-01-01, step: quarter, ticks: 8}
countries: [{code: USA}, {code: CHN}]
products: [{id: H100}]
suppliers: [{id: s, jurisdiction: USA, made_in: USA, offers: [{product: H100, price: 10}]}]
buyers: [{id: b, country: CHN, demand: 1, reference_cost: 10}]
)";

/// Compares two scenarios value by value (locations and source_file excepted).
void check_same(const Scenario& a, const Scenario& b) {
    CHECK(a.name == b.name);
    CHECK(a.description == b.description);
    CHECK(a.time.start == b.time.start);
    CHECK(a.time.step == b.time.step);
    CHECK(a.time.ticks == b.time.ticks);
    CHECK(a.seed == b.seed);
    REQUIRE(a.countries.size() == b.countries.size());
    for (std::size_t i = 0; i < a.countries.size(); ++i) {
        CHECK(a.countries[i].code == b.countries[i].code);
        CHECK(a.countries[i].name == b.countries[i].name);
        CHECK(a.countries[i].groups == b.countries[i].groups);
    }
    REQUIRE(a.products.size() == b.products.size());
    for (std::size_t i = 0; i < a.products.size(); ++i) {
        CHECK(a.products[i].id == b.products[i].id);
        CHECK(a.products[i].kind == b.products[i].kind);
        CHECK(a.products[i].tpp == b.products[i].tpp);
        CHECK(a.products[i].density == b.products[i].density);
        CHECK(a.products[i].interconnect == b.products[i].interconnect);
        CHECK(a.products[i].compute == b.products[i].compute);
    }
    REQUIRE(a.suppliers.size() == b.suppliers.size());
    for (std::size_t i = 0; i < a.suppliers.size(); ++i) {
        const auto &x = a.suppliers[i], &y = b.suppliers[i];
        CHECK(x.id == y.id);
        CHECK(x.jurisdiction == y.jurisdiction);
        CHECK(x.made_in == y.made_in);
        CHECK(x.ships_from == y.ships_from);
        CHECK(x.offers == y.offers);
        CHECK(x.price_adjustment == y.price_adjustment);
        CHECK(x.clearing_price == y.clearing_price);
        REQUIRE(x.design_around.has_value() == y.design_around.has_value());
        if (x.design_around) {
            CHECK(x.design_around->lag_ticks == y.design_around->lag_ticks);
            CHECK(x.design_around->margin == y.design_around->margin);
        }
        REQUIRE(x.equipment.has_value() == y.equipment.has_value());
        if (x.equipment) {
            CHECK(x.equipment->product == y.equipment->product);
            CHECK(x.equipment->capacity_per_unit == y.equipment->capacity_per_unit);
            CHECK(x.equipment->installed == y.equipment->installed);
            CHECK(x.equipment->depreciation == y.equipment->depreciation);
            CHECK(x.equipment->lag_ticks == y.equipment->lag_ticks);
        }
        REQUIRE(x.purchases.size() == y.purchases.size());
        for (std::size_t k = 0; k < x.purchases.size(); ++k) {
            const auto &p = x.purchases[k], &q = y.purchases[k];
            CHECK(p.product == q.product);
            CHECK(p.demand == q.demand);
            CHECK(p.substitution == q.substitution);
            CHECK(p.price_elasticity == q.price_elasticity);
            CHECK(p.stock_target == q.stock_target);
            CHECK(p.risk_tolerance == q.risk_tolerance);
            CHECK(p.anticipation == q.anticipation);
            CHECK(p.weights == q.weights);
        }
    }
    REQUIRE(a.offers.size() == b.offers.size());
    for (std::size_t i = 0; i < a.offers.size(); ++i) {
        const auto &x = a.offers[i], &y = b.offers[i];
        CHECK(x.supplier == y.supplier);
        CHECK(x.product == y.product);
        CHECK(x.capacity == y.capacity);
        CHECK(x.unit_cost == y.unit_cost);
        CHECK(x.price == y.price);
        CHECK(x.supply_elasticity == y.supply_elasticity);
        REQUIRE(x.available.has_value() == y.available.has_value());
        if (x.available) {
            CHECK(x.available->after_policy == y.available->after_policy);
            CHECK(x.available->lag_ticks == y.available->lag_ticks);
        }
        REQUIRE(x.inputs.size() == y.inputs.size());
        for (std::size_t k = 0; k < x.inputs.size(); ++k) {
            CHECK(x.inputs[k].product == y.inputs[k].product);
            CHECK(x.inputs[k].per_unit == y.inputs[k].per_unit);
        }
        CHECK(x.capacity_from_equipment == y.capacity_from_equipment);
    }
    REQUIRE(a.buyers.size() == b.buyers.size());
    for (std::size_t i = 0; i < a.buyers.size(); ++i) {
        const auto &x = a.buyers[i], &y = b.buyers[i];
        CHECK(x.id == y.id);
        CHECK(x.country == y.country);
        CHECK(x.billing_country == y.billing_country);
        CHECK(x.demand == y.demand);
        CHECK(x.growth == y.growth);
        CHECK(x.reference_cost == y.reference_cost);
        CHECK(x.price_elasticity == y.price_elasticity);
        CHECK(x.substitution == y.substitution);
        CHECK(x.weights == y.weights);
        CHECK(x.risk_tolerance == y.risk_tolerance);
        CHECK(x.anticipation == y.anticipation);
        CHECK(x.backlog == y.backlog);
        CHECK(x.listed == y.listed);
        CHECK(x.headquarters == y.headquarters);
        CHECK(x.groups == y.groups);
        REQUIRE(x.remote.has_value() == y.remote.has_value());
        if (x.remote) {
            CHECK(x.remote->via == y.remote->via);
            CHECK(x.remote->markup == y.remote->markup);
            CHECK(x.remote->capacity == y.remote->capacity);
        }
    }
    REQUIRE(a.routes.size() == b.routes.size());
    for (std::size_t i = 0; i < a.routes.size(); ++i) {
        CHECK(a.routes[i].via == b.routes[i].via);
        CHECK(a.routes[i].markup == b.routes[i].markup);
        CHECK(a.routes[i].delay_ticks == b.routes[i].delay_ticks);
        CHECK(a.routes[i].capacity == b.routes[i].capacity);
        CHECK(a.routes[i].detection == b.routes[i].detection);
    }
    CHECK(a.transport_delay_ticks == b.transport_delay_ticks);
    const auto same_countries = [](const ts::model::CountrySelector& x,
                                   const ts::model::CountrySelector& y) {
        CHECK(x.all == y.all);
        CHECK(x.countries == y.countries);
        CHECK(x.groups == y.groups);
        CHECK(x.except == y.except);
    };
    const auto same_optional_countries = [&](const std::optional<ts::model::CountrySelector>& x,
                                             const std::optional<ts::model::CountrySelector>& y) {
        REQUIRE(x.has_value() == y.has_value());
        if (x) same_countries(*x, *y);
    };
    const auto same_products = [&](const auto& self, const ts::model::ProductSelector& x,
                                   const ts::model::ProductSelector& y) -> void {
        CHECK(x.all == y.all);
        CHECK(x.ids == y.ids);
        CHECK(x.kinds == y.kinds);
        CHECK(x.tpp_min == y.tpp_min);
        CHECK(x.tpp_max == y.tpp_max);
        CHECK(x.density_min == y.density_min);
        CHECK(x.density_max == y.density_max);
        CHECK(x.interconnect_min == y.interconnect_min);
        CHECK(x.interconnect_max == y.interconnect_max);
        CHECK(x.compute_min == y.compute_min);
        CHECK(x.compute_max == y.compute_max);
        CHECK(x.suppliers == y.suppliers);
        same_optional_countries(x.jurisdictions, y.jurisdictions);
        same_optional_countries(x.made_in, y.made_in);
        CHECK(x.domestic == y.domestic);
        REQUIRE(x.any.size() == y.any.size());
        for (std::size_t i = 0; i < x.any.size(); ++i) self(self, x.any[i], y.any[i]);
    };
    const auto same_policy = [&](const ts::model::Policy& x, const ts::model::Policy& y) {
        CHECK(x.id == y.id);
        CHECK(x.by == y.by);
        CHECK(x.type == y.type);
        CHECK(x.announced_date == y.announced_date);
        CHECK(x.from_date == y.from_date);
        CHECK(x.until_date == y.until_date);
        CHECK(x.announced_tick == y.announced_tick);
        CHECK(x.from_tick == y.from_tick);
        CHECK(x.until_tick == y.until_tick);
        same_products(same_products, x.products, y.products);
        same_countries(x.destinations, y.destinations);
        same_countries(x.origins, y.origins);
        REQUIRE(x.buyers.has_value() == y.buyers.has_value());
        if (x.buyers) {
            CHECK(x.buyers->listed == y.buyers->listed);
            CHECK(x.buyers->ids == y.buyers->ids);
            same_optional_countries(x.buyers->headquarters, y.buyers->headquarters);
            CHECK(x.buyers->groups == y.buyers->groups);
        }
        REQUIRE(x.licence.has_value() == y.licence.has_value());
        if (x.licence) {
            CHECK(x.licence->approval == y.licence->approval);
            CHECK(x.licence->delay_ticks == y.licence->delay_ticks);
        }
        CHECK(x.covers_exports == y.covers_exports);
        CHECK(x.covers_reexports == y.covers_reexports);
        CHECK(x.cap == y.cap);
        CHECK(x.period == y.period);
        CHECK(x.rate == y.rate);
        CHECK(x.compliance == y.compliance);
        CHECK(x.detection == y.detection);
        CHECK(x.inspection == y.inspection);
        CHECK(x.domestic_share == y.domestic_share);
    };
    REQUIRE(a.policies.size() == b.policies.size());
    for (std::size_t i = 0; i < a.policies.size(); ++i) same_policy(a.policies[i], b.policies[i]);
    REQUIRE(a.reactions.size() == b.reactions.size());
    for (std::size_t i = 0; i < a.reactions.size(); ++i) {
        const auto &x = a.reactions[i], &y = b.reactions[i];
        CHECK(x.id == y.id);
        CHECK(x.by == y.by);
        CHECK(x.metric == y.metric);
        CHECK(x.via == y.via);
        CHECK(x.country == y.country);
        CHECK(x.above == y.above);
        CHECK(x.below == y.below);
        CHECK(x.for_ticks == y.for_ticks);
        CHECK(x.lag_ticks == y.lag_ticks);
        same_policy(x.then, y.then);
    }
}

}  // namespace

TEST_CASE("a scenario using every key loads into the expected values", "[reader]") {
    const auto loaded = ts::io::load_scenario(kData + "/full.yaml");
    const Scenario& s = loaded.scenario;
    CHECK(loaded.warnings.empty());
    CHECK(s.source_file == kData + "/full.yaml");
    CHECK(s.name == "full-test");
    CHECK(s.description == "Every key: the expected values are in scenario_reader_test.cpp");
    CHECK(s.seed == 20250131u);
    CHECK(s.time.start == Date{2023, 1, 1});
    CHECK(s.time.step == ts::TimeStep::month);
    CHECK(s.time.ticks == 24);

    SECTION("countries and products, with defaults") {
        REQUIRE(s.countries.size() == 4);
        CHECK(s.countries[0].name == "United States");
        CHECK(s.countries[2].groups ==
              std::vector<std::string>{"tier2", "NO"});  // NO stays a string
        CHECK(s.countries[3].code == "TWN");
        CHECK(s.countries[3].name == "TWN");  // default: the code
        CHECK(s.countries[3].groups.empty());

        REQUIRE(s.products.size() == 5);
        const auto& h100 = s.products[0];
        CHECK(h100.kind == ProductKind::chip);
        CHECK(h100.tpp == 15832.0);
        CHECK(h100.density == 19.4);
        CHECK(h100.interconnect == 900.0);
        CHECK(h100.compute == 1.0);
        CHECK(h100.loc.line == 14);
        CHECK(s.products[1].compute == 0.3);
        CHECK(s.products[2].kind == ProductKind::component);
        CHECK(s.products[2].compute == 0.0);  // default for components
        CHECK_FALSE(s.products[2].tpp.has_value());
        CHECK(s.products[3].kind == ProductKind::chip);
        CHECK(s.products[3].compute == 0.8);
        CHECK(s.products[4].kind == ProductKind::equipment);
        CHECK(s.products[4].compute == 0.0);
        CHECK(s.find_product("Ascend") == 3);
    }

    SECTION("suppliers and flattened offers") {
        REQUIRE(s.suppliers.size() == 2);
        const auto& nvidia = s.suppliers[0];
        CHECK(nvidia.jurisdiction == 0);
        CHECK(nvidia.made_in == 3);
        CHECK(nvidia.ships_from == 2);
        CHECK(nvidia.offers == std::vector<Index>{0, 1});
        CHECK(nvidia.price_adjustment == 0.05);
        REQUIRE(nvidia.design_around.has_value());
        CHECK(nvidia.design_around->lag_ticks == 6);
        CHECK(nvidia.design_around->margin == 0.1);
        const auto& huawei = s.suppliers[1];
        CHECK(huawei.ships_from == 1);  // default: made_in
        CHECK(huawei.offers == std::vector<Index>{2, 3});
        CHECK(huawei.price_adjustment == 0.0);
        REQUIRE(huawei.design_around.has_value());
        CHECK(huawei.design_around->lag_ticks == 0);
        CHECK(huawei.design_around->margin == 0.05);

        REQUIRE(s.offers.size() == 4);
        CHECK(s.offers[0].supplier == 0);
        CHECK(s.offers[0].product == 0);
        CHECK(s.offers[0].capacity == 120000.0);
        CHECK(s.offers[0].unit_cost == 3300.0);
        CHECK(s.offers[0].price == 25000.0);
        CHECK(s.offers[0].supply_elasticity == 0.5);
        CHECK_FALSE(s.offers[0].available.has_value());
        REQUIRE(s.offers[1].available.has_value());
        CHECK(s.offers[1].available->after_policy == 0);
        CHECK(s.offers[1].available->lag_ticks == 4);
        CHECK(s.offers[2].supplier == 1);
        CHECK(s.offers[2].product == 3);
        CHECK(s.offers[2].capacity == ts::model::kUnlimited);
        CHECK(s.offers[2].unit_cost == 0.0);
        CHECK(s.offers[2].supply_elasticity == 0.0);
        CHECK(s.offers[3].product == 2);
    }

    SECTION("buyers, with weights from preferences and from shares") {
        REQUIRE(s.buyers.size() == 3);
        const auto& cn = s.buyers[0];
        CHECK(cn.country == 1);
        CHECK(cn.billing_country == 2);
        CHECK(cn.demand == 30000.0);
        CHECK(cn.growth == 0.02);
        CHECK(cn.reference_cost == 25000.0);
        CHECK(cn.price_elasticity == 0.5);
        CHECK(cn.substitution == 3.0);
        CHECK(cn.risk_tolerance == 0.5);
        CHECK(cn.anticipation == 1.5);
        CHECK(cn.backlog == 0.25);
        CHECK(cn.listed);
        CHECK(cn.headquarters == 2);
        CHECK(cn.groups == std::vector<std::string>{"hyperscaler", "state-funded"});
        // preferences {H100: 2, huawei: 0.5}: product × supplier weight, default 1, normalised
        // to sum to one; the HBM offer has no compute, so no buyer can use it.
        REQUIRE(cn.weights.size() == 4);
        CHECK(cn.weights[0] == Approx(2.0 / 3.5));
        CHECK(cn.weights[1] == Approx(1.0 / 3.5));
        CHECK(cn.weights[2] == Approx(0.5 / 3.5));
        CHECK(cn.weights[3] == 0.0);

        const auto& us = s.buyers[1];
        CHECK(us.billing_country == 0);
        CHECK(us.growth == 0.0);
        CHECK(us.price_elasticity == 0.0);
        CHECK(us.risk_tolerance == 0.0);
        CHECK(us.anticipation == 1.0);
        CHECK(us.backlog == 0.0);
        CHECK_FALSE(us.listed);
        // shares {H100: 0.7, nvidia/H20: 0.3}, σ = 2, reference cost 20000:
        // a = s·(c/ref)^(σ−1) with c = price/compute: 0.7·(25000/20000) and 0.3·(40000/20000).
        REQUIRE(us.weights.size() == 4);
        CHECK(us.weights[0] == Approx(0.875).epsilon(1e-15));
        CHECK(us.weights[1] == Approx(0.6).epsilon(1e-15));
        CHECK(us.weights[2] == 0.0);
        CHECK(us.weights[3] == 0.0);
        // At base costs the buyer spends exactly the shares and its price index is the
        // reference cost: P = (Σ a_i c_i^(1−σ))^(1/(1−σ)).
        const double c0 = 25000.0, c1 = 12000.0 / 0.3, sigma = 2.0;
        const double sum =
            us.weights[0] * std::pow(c0, 1 - sigma) + us.weights[1] * std::pow(c1, 1 - sigma);
        CHECK(std::pow(sum, 1 / (1 - sigma)) == Approx(20000.0));
        CHECK(us.weights[0] * std::pow(c0, 1 - sigma) / sum == Approx(0.7));

        // σ = 1 exactly is allowed: the weights are the shares.
        const auto& tw = s.buyers[2];
        CHECK(tw.substitution == 1.0);
        CHECK(tw.weights == std::vector<double>{0.25, 0.0, 0.75, 0.0});
    }

    SECTION("routes and transport") {
        REQUIRE(s.routes.size() == 2);
        CHECK(s.routes[0].via == 2);
        CHECK(s.routes[0].markup == 0.06);
        CHECK(s.routes[0].delay_ticks == 2);
        CHECK(s.routes[0].capacity == 8000.0);
        CHECK(s.routes[0].detection == 0.05);
        CHECK(s.routes[1].via == 3);
        CHECK(s.routes[1].markup == 0.0);
        CHECK(s.routes[1].delay_ticks == 1);
        CHECK(s.routes[1].capacity == ts::model::kUnlimited);
        CHECK(s.routes[1].detection == 0.0);
        CHECK(s.transport_delay_ticks == 1);
    }

    SECTION("policies, with monthly tick mapping") {
        REQUIRE(s.policies.size() == 7);
        const auto& ctl = s.policies[0];
        CHECK(ctl.id == "us-oct-2023");
        CHECK(ctl.by == 0);
        CHECK(ctl.type == PolicyType::export_control);
        CHECK(ctl.announced_date == Date{2023, 10, 17});
        CHECK(ctl.from_date == Date{2023, 11, 17});
        CHECK(ctl.until_date == Date{2024, 5, 13});
        CHECK(ctl.announced_tick == 9);  // October 2023 contains the announcement
        CHECK(ctl.from_tick == 11);      // 17 November is past mid-month: in force from December
        CHECK(ctl.until_tick == 16);     // 13 May is before mid-month: lapsed from May 2024
        CHECK_FALSE(ctl.products.all);
        REQUIRE(ctl.products.any.size() == 2);
        CHECK(ctl.products.any[0].tpp_min == 4800.0);
        CHECK(ctl.products.any[1].tpp_min == 1600.0);
        CHECK(ctl.products.any[1].density_min == 5.92);
        CHECK(ctl.destinations.groups == std::vector<std::string>{"D5"});
        CHECK(ctl.destinations.countries == std::vector<Index>{2});
        CHECK_FALSE(ctl.destinations.all);
        CHECK(ctl.origins.all);
        REQUIRE(ctl.buyers.has_value());
        CHECK(ctl.buyers->listed);
        CHECK(ctl.buyers->ids == std::vector<Index>{0});
        REQUIRE(ctl.licence.has_value());
        CHECK(ctl.licence->approval == 0.25);
        CHECK(ctl.licence->delay_ticks == 2);
        CHECK(ctl.covers_exports);
        CHECK(ctl.covers_reexports);
        CHECK(ts::model::matches(ctl.products, s.products[0], 0));  // H100: TPP 15832
        CHECK_FALSE(
            ts::model::matches(ctl.products, s.products[1], 1));  // H20: under both thresholds

        const auto& quota = s.policies[1];
        CHECK(quota.type == PolicyType::quota);
        CHECK(quota.cap == 50000.0);
        CHECK(quota.period == ts::model::QuotaPeriod::quarter);
        CHECK(quota.products.tpp_min == 4800.0);
        CHECK(quota.products.tpp_max == 20000.0);
        CHECK_FALSE(quota.from_date.has_value());
        CHECK(quota.from_tick == 0);  // default: the start of the run
        CHECK(quota.announced_tick == 0);
        CHECK(quota.until_tick == kNever);
        CHECK_FALSE(quota.licence.has_value());
        CHECK_FALSE(quota.buyers.has_value());

        const auto& fee = s.policies[2];
        CHECK(fee.type == PolicyType::export_fee);
        CHECK(fee.rate == 0.15);
        CHECK(fee.products.ids == std::vector<Index>{1});
        CHECK(fee.from_tick == 7);
        CHECK(fee.announced_tick == 7);

        const auto& tariff = s.policies[3];
        CHECK(tariff.type == PolicyType::tariff);
        CHECK(tariff.rate == 0.34);
        CHECK(tariff.origins.all);
        CHECK(tariff.origins.except == std::vector<Index>{1});
        CHECK(tariff.products.all);
        CHECK(tariff.from_tick == 3);  // 10 April: before mid-month

        const auto& restriction = s.policies[4];
        CHECK(restriction.type == PolicyType::import_restriction);
        CHECK(restriction.compliance == 0.7);
        CHECK(restriction.products.kinds == std::vector<ProductKind>{ProductKind::chip});
        CHECK(restriction.products.suppliers == std::vector<Index>{0});
        REQUIRE(restriction.products.jurisdictions);
        CHECK(restriction.products.jurisdictions->countries == std::vector<Index>{0});
        REQUIRE(restriction.products.made_in);
        CHECK(restriction.products.made_in->all);
        CHECK(restriction.products.made_in->except == std::vector<Index>{1});
        CHECK(restriction.products.domestic == false);
        REQUIRE(restriction.buyers);
        REQUIRE(restriction.buyers->headquarters);
        CHECK(restriction.buyers->headquarters->groups == std::vector<std::string>{"tier2"});
        CHECK(restriction.buyers->groups == std::vector<std::string>{"state-funded"});
        CHECK(restriction.domestic_share == 0.25);
        CHECK(restriction.from_tick == 7);  // 12 August: 11 of 31 days

        const auto& enforcement = s.policies[5];
        CHECK(enforcement.type == PolicyType::enforcement);
        CHECK(enforcement.detection == 0.25);
        CHECK(enforcement.inspection == ts::model::Inspection::border);
        CHECK(enforcement.from_tick == 2);
        CHECK(enforcement.compliance == 1.0);

        const auto& remote = s.policies[6];
        CHECK(remote.type == PolicyType::remote_access);
        CHECK_FALSE(remote.covers_exports);
        CHECK(remote.covers_reexports);
        CHECK(remote.products.compute_min == 0.5);
        CHECK(remote.products.compute_max == 2.0);
        CHECK(remote.products.interconnect_min == 1.0);
        CHECK(remote.products.interconnect_max == 1000.0);
        CHECK(remote.products.density_max == 100.0);
        CHECK(remote.products.tpp_max == 20000.0);
        CHECK(remote.destinations.all);
        CHECK(remote.destinations.except == std::vector<Index>{0});
        CHECK(ts::model::matches(remote.products, s.products[0], 0));
        CHECK_FALSE(
            ts::model::matches(remote.products, s.products[3], 3));  // no interconnect given
    }

    SECTION("reactions") {
        REQUIRE(s.reactions.size() == 2);
        const auto& r = s.reactions[0];
        CHECK(r.id == "us-closes-sgp");
        CHECK(r.by == 0);
        CHECK(r.metric == "diverted_units");
        CHECK(r.via == 2);
        CHECK(r.country == kNone);
        CHECK(r.above == 5000.0);
        CHECK_FALSE(r.below.has_value());
        CHECK(r.for_ticks == 3);
        CHECK(r.lag_ticks == 2);
        CHECK(r.then.id == "us-closes-sgp");
        CHECK(r.then.by == 0);
        CHECK(r.then.type == PolicyType::export_control);
        CHECK(r.then.products.tpp_min == 4800.0);
        CHECK(r.then.destinations.countries == std::vector<Index>{2});
        REQUIRE(r.then.licence.has_value());
        CHECK(r.then.licence->approval == 0.5);
        CHECK(r.then.licence->delay_ticks == 0);

        const auto& p = s.reactions[1];
        CHECK(p.metric == "price_index");
        CHECK(p.country == 1);
        CHECK(p.via == kNone);
        CHECK(p.below == 20000.0);
        CHECK(p.for_ticks == 1);
        CHECK(p.lag_ticks == 0);
        CHECK(p.then.type == PolicyType::tariff);
        CHECK(p.then.rate == 0.1);
        CHECK(p.then.by == 1);
    }
}

TEST_CASE("a multi-tier scenario loads into the expected values", "[reader][multi-tier]") {
    const std::string file = kData + "/multi_tier.yaml";
    const auto loaded = ts::io::load_scenario(file);
    const Scenario& s = loaded.scenario;
    // huawei lists a purchase of H100 that none of its offers needs.
    REQUIRE(loaded.warnings.size() == 1);
    CHECK(loaded.warnings[0].format() ==
          file +
              ":41:7: warning: suppliers[huawei].purchases: 'huawei' buys 'H100' but uses it "
              "nowhere: none of its offers needs it as an input and it is not its equipment");
    // Indices: countries USA CHN NLD JPN KOR TWN MYS SGP; products H100 Ascend910B Ascend310
    // DUV HBM2E wafer-7nm wafer-28nm; suppliers asml tel huawei smic huahong skhynix samsung
    // nvidia; offers below.
    REQUIRE(s.products.size() == 7);
    CHECK(s.products[3].kind == ProductKind::equipment);
    CHECK(s.products[4].kind == ProductKind::component);
    CHECK(s.products[6].compute == 0.0);
    REQUIRE(s.suppliers.size() == 8);
    REQUIRE(s.offers.size() == 10);
    const double third = 1.0 / 3.0;

    SECTION("offers: inputs in file order, capacity from equipment") {
        const auto& ascend = s.offers[2];
        CHECK(ascend.product == 1);
        REQUIRE(ascend.inputs.size() == 2);
        CHECK(ascend.inputs[0].product == 5);  // wafer-7nm
        CHECK(ascend.inputs[0].per_unit == 0.05);
        CHECK(ascend.inputs[1].product == 4);  // HBM2E
        CHECK(ascend.inputs[1].per_unit == 1.0);
        CHECK(ascend.capacity == 40000.0);
        CHECK_FALSE(ascend.capacity_from_equipment);
        REQUIRE(s.offers[3].inputs.size() == 2);
        CHECK(s.offers[3].inputs[0].product == 6);
        CHECK(s.offers[3].inputs[0].per_unit == 0.02);
        CHECK(s.offers[3].inputs[1].product == 4);
        CHECK(s.offers[3].inputs[1].per_unit == 0.5);
        // smic's wafer-7nm has no capacity: it comes from the installed DUVs.
        CHECK(s.offers[4].product == 5);
        CHECK(s.offers[4].capacity_from_equipment);
        CHECK(s.offers[4].capacity == ts::model::kUnlimited);
        CHECK(s.offers[4].inputs.empty());
        // smic's wafer-28nm gives its own capacity and keeps it.
        CHECK(s.offers[5].product == 6);
        CHECK_FALSE(s.offers[5].capacity_from_equipment);
        CHECK(s.offers[5].capacity == 5000.0);
        CHECK(s.offers[6].supplier == 4);
        CHECK(s.offers[6].capacity_from_equipment);
        // Suppliers without equipment: offers without capacity are unlimited, as before.
        for (std::size_t o : {0, 1, 7, 8, 9}) CHECK_FALSE(s.offers[o].capacity_from_equipment);
        CHECK(s.offers[1].inputs.empty());
    }

    SECTION("equipment, with defaults") {
        const auto& smic = s.suppliers[3];
        REQUIRE(smic.equipment.has_value());
        CHECK(smic.equipment->product == 3);
        CHECK(smic.equipment->capacity_per_unit == 60.0);
        CHECK(smic.equipment->installed == 30.0);
        CHECK(smic.equipment->depreciation == 0.01);
        CHECK(smic.equipment->lag_ticks == 6);
        const auto& huahong = s.suppliers[4];
        REQUIRE(huahong.equipment.has_value());
        CHECK(huahong.equipment->product == 3);
        CHECK(huahong.equipment->capacity_per_unit == 40.0);
        CHECK(huahong.equipment->installed == 0.0);
        CHECK(huahong.equipment->depreciation == 0.0);
        CHECK(huahong.equipment->lag_ticks == 0);
        for (std::size_t i : {0, 1, 2, 5, 6, 7}) CHECK_FALSE(s.suppliers[i].equipment.has_value());
    }

    SECTION("purchases: listed and defaults, in order, with weights over the offers") {
        for (std::size_t i : {0, 1, 5, 6, 7}) CHECK(s.suppliers[i].purchases.empty());

        // huawei: inputs in order of first use (wafer-7nm, HBM2E, wafer-28nm), then the rest of
        // its map (H100); wafer-28nm is not listed and gets the defaults.
        const auto& huawei = s.suppliers[2].purchases;
        REQUIRE(huawei.size() == 4);
        const auto& w7 = huawei[0];
        CHECK(w7.product == 5);
        CHECK_FALSE(w7.demand.has_value());
        CHECK(w7.substitution == 1.5);
        CHECK(w7.price_elasticity == 0.0);
        CHECK(w7.stock_target == 1.0);
        CHECK(w7.risk_tolerance == 0.0);
        CHECK(w7.anticipation == 1.0);
        CHECK(w7.weights == std::vector<double>{0, 0, 0, 0, 1, 0, 0, 0, 0, 0});
        CHECK(w7.loc.line == 43);

        const auto& hbm = huawei[1];
        CHECK(hbm.product == 4);
        CHECK_FALSE(hbm.demand.has_value());
        CHECK(hbm.substitution == 4.0);
        CHECK(hbm.stock_target == 2.0);
        // preferences {samsung: 0.5}: skhynix 1 (default), samsung 0.5, normalised.
        REQUIRE(hbm.weights.size() == 10);
        CHECK(hbm.weights[7] == Approx(2.0 / 3.0).epsilon(1e-15));
        CHECK(hbm.weights[8] == Approx(1.0 / 3.0).epsilon(1e-15));
        for (std::size_t o = 0; o < 7; ++o) CHECK(hbm.weights[o] == 0.0);
        CHECK(hbm.weights[9] == 0.0);

        const auto& w28 = huawei[2];
        CHECK(w28.product == 6);
        CHECK_FALSE(w28.demand.has_value());
        CHECK(w28.substitution == 1.5);
        CHECK(w28.price_elasticity == 0.0);
        CHECK(w28.stock_target == 1.0);
        CHECK(w28.risk_tolerance == 0.0);
        CHECK(w28.anticipation == 1.0);
        CHECK(w28.weights == std::vector<double>{0, 0, 0, 0, 0, 0.5, 0.5, 0, 0, 0});
        // Where the need is written: the input key of the Ascend310 offer.
        CHECK(w28.loc.file == file);
        CHECK(w28.loc.line == 39);
        CHECK(w28.loc.column == 69);

        const auto& h100 = huawei[3];
        CHECK(h100.product == 0);
        CHECK(h100.demand == 10.0);
        CHECK(h100.price_elasticity == 0.3);
        CHECK(h100.risk_tolerance == 0.2);
        CHECK(h100.anticipation == 1.5);
        CHECK(h100.substitution == 1.5);
        CHECK(h100.weights == std::vector<double>{0, 0, 0, 0, 0, 0, 0, 0, 0, 1});

        // smic: its equipment product, listed with a fixed demand and supplier preferences.
        const auto& smic = s.suppliers[3].purchases;
        REQUIRE(smic.size() == 1);
        CHECK(smic[0].product == 3);
        CHECK(smic[0].demand == 2.0);
        CHECK(smic[0].substitution == 2.0);
        CHECK(smic[0].stock_target == 1.0);
        CHECK(smic[0].weights == std::vector<double>{0.75, 0.25, 0, 0, 0, 0, 0, 0, 0, 0});

        // huahong: equipment without purchases: a default purchase, no fixed demand.
        const auto& huahong = s.suppliers[4].purchases;
        REQUIRE(huahong.size() == 1);
        CHECK(huahong[0].product == 3);
        CHECK_FALSE(huahong[0].demand.has_value());
        CHECK(huahong[0].substitution == 1.5);
        CHECK(huahong[0].weights == std::vector<double>{0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0});
        CHECK(huahong[0].loc.line == 56);
    }

    SECTION("buyers: remote channels; components and equipment never serve them") {
        REQUIRE(s.buyers.size() == 2);
        const auto& cn = s.buyers[0];
        REQUIRE(cn.remote.has_value());
        CHECK(cn.remote->via == std::vector<Index>{6, 7});
        CHECK(cn.remote->markup == 0.35);
        CHECK(cn.remote->capacity == 5000.0);
        REQUIRE(cn.weights.size() == 10);
        for (std::size_t o = 0; o < 10; ++o) {
            const bool chip = o == 2 || o == 3 || o == 9;
            CHECK(cn.weights[o] == (chip ? Approx(third) : Approx(0.0)));
        }
        const auto& my = s.buyers[1];
        REQUIRE(my.remote.has_value());
        CHECK(my.remote->via == std::vector<Index>{7});
        CHECK(my.remote->markup == 0.0);
        CHECK(my.remote->capacity == ts::model::kUnlimited);
    }

    SECTION("the resolved YAML loads back into the same scenario") {
        const auto second = ts::io::load_scenario_text(s.resolved_yaml, "resolved.yaml");
        check_same(s, second.scenario);
        CHECK(second.scenario.resolved_yaml == s.resolved_yaml);
        CHECK(second.scenario.suppliers[2].purchases[2].loc.line > 0);
    }
}

TEST_CASE("overrides (--set) reach the multi-tier keys and the resolved YAML keeps them",
          "[reader][multi-tier][roundtrip]") {
    ts::io::LoadOptions options;
    options.overrides = {"suppliers.smic.equipment.installed=10",
                         "suppliers.huawei.purchases.HBM2E.stock_target=3",
                         "suppliers.huahong.purchases.DUV.demand=1",
                         "suppliers.huawei.offers.Ascend310.inputs.HBM2E=0.75",
                         "suppliers.smic.offers.wafer-28nm.inputs={wafer-7nm: 0.5}",
                         "buyers.cn-labs.remote.capacity=100",
                         "buyers.my-cloud.remote.via=[SGP, CHN]"};
    const auto first = ts::io::load_scenario(kData + "/multi_tier.yaml", options);
    const Scenario& s = first.scenario;
    CHECK(s.suppliers[3].equipment->installed == 10.0);
    CHECK(s.suppliers[2].purchases[1].stock_target == 3.0);
    CHECK(s.suppliers[2].purchases[1].substitution == 4.0);  // the rest of the entry stays
    REQUIRE(s.suppliers[4].purchases.size() == 1);
    CHECK(s.suppliers[4].purchases[0].demand == 1.0);
    CHECK(s.offers[3].inputs[1].per_unit == 0.75);
    // smic now needs its own wafer-7nm for wafer-28nm: a default purchase after the equipment.
    REQUIRE(s.offers[5].inputs.size() == 1);
    CHECK(s.offers[5].inputs[0].product == 5);
    REQUIRE(s.suppliers[3].purchases.size() == 2);
    CHECK(s.suppliers[3].purchases[0].product == 3);
    CHECK(s.suppliers[3].purchases[1].product == 5);
    CHECK(s.suppliers[3].purchases[1].weights[4] == 1.0);
    CHECK(s.buyers[0].remote->capacity == 100.0);
    CHECK(s.buyers[1].remote->via == std::vector<Index>{7, 1});
    const std::string& yaml = s.resolved_yaml;
    const auto second = ts::io::load_scenario_text(yaml, "resolved.yaml");
    check_same(s, second.scenario);
    CHECK(second.scenario.resolved_yaml == yaml);
}

TEST_CASE("multi-tier rules", "[reader][multi-tier][errors]") {
    CHECK(errors_of(R"(name: rules
time: {start: 2023-01, ticks: 12}
countries: [{code: USA}, {code: CHN}, {code: SGP}]
products: [{id: H100}, {id: HBM, kind: component}, {id: DUV, kind: equipment}]
suppliers:
  - id: s
    jurisdiction: USA
    made_in: USA
    offers: [{product: H100, capacity: 5, price: 10, inputs: {H100: 1, DUV: 0.1, HBM: 1}}]
    equipment: {product: DUV, capacity_per_unit: 1, lag: -1, extra: 1}
    purchases: {HBM: {shares: {h: 1}, preferences: {s: 1, h: 0}}, DUV: [1]}
  - id: h
    jurisdiction: USA
    made_in: USA
    offers: [{product: HBM, price: 1}, {product: DUV, price: 1}]
    purchases: {HBM: {}}
  - id: z
    jurisdiction: USA
    made_in: USA
    offers: [{product: H100, price: 10, inputs: {HBM: 2}}]
    purchases: {HBM: {preferences: {h: 0}}}
buyers:
  - {id: b, country: CHN, demand: 1, reference_cost: 10, remote: {via: [SGP, CHN, SGP], markup: -1, capacity: x}}
  - {id: c, country: CHN, demand: 1, reference_cost: 10, remote: {via: []}}
  - {id: d, country: CHN, demand: 1, reference_cost: 10, remote: {markup: 0}}
)") == std::vector<std::string>{
           "t.yaml:9:63: error: suppliers[s].offers[H100].inputs: an offer cannot need its own "
           "product 'H100' as an input",
           "t.yaml:10:62: error: suppliers[s].equipment: unknown key 'extra'; expected one of: "
           "product, capacity_per_unit, installed, depreciation, lag",
           "t.yaml:9:72: error: suppliers[s].offers[H100].inputs: 'DUV' is the supplier's "
           "installed equipment: it cannot also be an input of its offers",
           "t.yaml:10:58: error: suppliers[s].equipment.lag: expected a whole number >= 0, got -1",
           "t.yaml:10:16: warning: suppliers[s].equipment: every offer gives its own 'capacity': "
           "no offer takes its capacity from the installed equipment",
           "t.yaml:11:23: error: suppliers[s].purchases.HBM: 'shares' applies to buyers, not to "
           "a supplier's purchases; expected one of: demand, substitution, price_elasticity, "
           "stock_target, risk_tolerance, anticipation, preferences",
           "t.yaml:11:72: error: suppliers[s].purchases.DUV: expected a map of purchase settings "
           "(demand, substitution, ...), found a list",
           "t.yaml:16:17: warning: suppliers[h].purchases: 'h' buys 'HBM' but uses it nowhere: "
           "none of its offers needs it as an input and it is not its equipment",
           // Checked once every offer is known:
           "t.yaml:11:53: error: suppliers[s].purchases.HBM.preferences: supplier 's' does not "
           "offer product 'HBM'",
           "t.yaml:21:17: warning: suppliers[z].purchases: every supplier of 'HBM' has "
           "preference 0: 'z' will buy none of it",
           "t.yaml:23:78: error: buyers[b].remote.via[1]: 'CHN' is the buyer's own country: "
           "remote compute is rented in another country",
           "t.yaml:23:83: error: buyers[b].remote.via[2]: duplicate remote site 'SGP' (first at "
           "line 23)",
           "t.yaml:23:97: error: buyers[b].remote.markup: expected a number >= 0, got -1",
           "t.yaml:23:111: error: buyers[b].remote.capacity: expected a number >= 0, got 'x'",
           "t.yaml:24:72: error: buyers[c].remote.via: expected at least one country code "
           "(where the compute is rented)",
           "t.yaml:25:66: error: buyers[d].remote: missing required key 'via'",
       });
}

TEST_CASE("policy dates map to ticks with a quarterly step; odd dates are warnings",
          "[reader][time]") {
    const auto loaded = ts::io::load_scenario_text(kSmall + R"(policies:
  - {id: late, by: USA, type: tariff, rate: 0.1, from: 2023-02-20}
  - {id: early, by: USA, type: tariff, rate: 0.1, from: 2023-02-10, until: 2023-11-15}
  - {id: pre, by: USA, type: tariff, rate: 0.1, announced: 2022-12-01, from: 2023-05-01}
  - {id: blip, by: USA, type: tariff, rate: 0.1, from: 2023-05-20, until: 2023-06-10}
)",
                                                   "q.yaml");
    const Scenario& s = loaded.scenario;
    REQUIRE(s.policies.size() == 4);
    // Q1 2023 has 90 days: 20 February is day 50 (past the middle), 10 February day 40.
    CHECK(s.policies[0].from_tick == 1);
    CHECK(s.policies[0].announced_tick == 1);  // no announcement: news when it takes force
    CHECK(s.policies[1].from_tick == 0);
    CHECK(s.policies[1].until_tick == 3);  // 15 November: day 45 of Q4's 92
    CHECK(s.policies[2].announced_tick == -1);
    CHECK(s.policies[2].from_tick == 1);
    CHECK(s.policies[3].from_tick == 2);
    CHECK(s.policies[3].until_tick == 2);
    std::vector<std::string> warnings;
    for (const auto& w : loaded.warnings) warnings.push_back(w.format());
    CHECK(warnings ==
          std::vector<std::string>{
              "q.yaml:10:60: warning: policies[pre].announced: 2022-12-01 is before the start of "
              "the run "
              "(2023-01-01)",
              "q.yaml:11:5: warning: policies[blip]: shorter than one tick: never in force (from "
              "2023-05-20 and until 2023-06-10 round to the same tick boundary)",
          });
}

TEST_CASE("policies that can never apply are warnings: exports only, or no offer selected",
          "[reader][policies]") {
    const std::string world = R"(name: w
time: {start: 2024-01, ticks: 4}
countries: [{code: USA}, {code: TWN}, {code: CHN}, {code: SGP}]
products: [{id: H100}]
suppliers: [{id: s, jurisdiction: USA, made_in: TWN, offers: [{product: H100, price: 10}]}]
buyers: [{id: b, country: CHN, demand: 1, reference_cost: 10}]
)";
    const auto warnings_of = [&](const std::string& tail) {
        std::vector<std::string> out;
        for (const auto& w : ts::io::load_scenario_text(world + tail, "w.yaml").warnings)
            out.push_back(w.format());
        return out;
    };
    // The chips ship from Taiwan: a US control on exports alone never applies.
    CHECK(
        warnings_of("policies: [{id: ban, by: USA, type: export_control, covers: [exports]}]\n") ==
        std::vector<std::string>{
            "w.yaml:7:17: warning: policies[ban].covers: covers only exports from USA, but none "
            "of the 1 offer(s) it selects ship from there (s/H100 ships from TWN): it never "
            "applies; write covers: [exports, reexports] to follow USA's goods abroad"});
    // With re-exports, from the country the goods leave, or by a hub: no warning.
    CHECK(warnings_of("policies: [{id: ban, by: USA, type: export_control, covers: [exports, "
                      "reexports]}]\n")
              .empty());
    CHECK(warnings_of("policies: [{id: ban, by: TWN, type: export_control}]\n").empty());
    CHECK(warnings_of("routes: [{via: SGP}]\npolicies: [{id: ban, by: SGP, type: "
                      "export_control}]\n")
              .empty());
    // A selector no offer meets (no product has that much TPP): the policy never applies.
    CHECK(warnings_of("policies: [{id: t, by: CHN, type: tariff, rate: 0.1, products: {tpp_min: "
                      "1}}]\n") ==
          std::vector<std::string>{
              "w.yaml:7:17: warning: policies[t].products: selects no offer of any supplier: the "
              "policy never applies (check the ids, kinds, bounds and origin fields of its "
              "product selector)"});
}

TEST_CASE("the resolved YAML loads back into the same scenario", "[reader][roundtrip]") {
    SECTION("full scenario") {
        const auto first = ts::io::load_scenario(kData + "/full.yaml");
        const auto second =
            ts::io::load_scenario_text(first.scenario.resolved_yaml, "resolved.yaml");
        check_same(first.scenario, second.scenario);
        CHECK(second.scenario.resolved_yaml == first.scenario.resolved_yaml);
    }
    SECTION("after extends, remove and --set") {
        ts::io::LoadOptions options;
        options.overrides = {"time.ticks=36", "policies.p3.rate=0.5", "buyers.b.shares={H100: 1}",
                             "description=NO"};
        const auto first = ts::io::load_scenario_text(R"(extends: doc/base.yaml
name: variant
remove: {policies: [p1]}
buyers: [{id: b, country: CHN, demand: 1, reference_cost: 20000}]
policies: [{id: p3, by: CHN, type: tariff, rate: 0.4, from: 2022-03}]
)",
                                                      kData + "/variant.yaml", options);
        const Scenario& s = first.scenario;
        CHECK(s.time.ticks == 36);
        CHECK(s.description == "NO");
        REQUIRE(s.policies.size() == 2);
        CHECK(s.policies[0].id == "p2");
        CHECK(s.policies[1].rate == 0.5);
        // shares {H100: 1} with the default σ = 1.5: a = 1·(25000/20000)^0.5.
        REQUIRE(s.buyers[0].weights.size() == 1);
        CHECK(s.buyers[0].weights[0] == Approx(std::sqrt(1.25)).epsilon(1e-15));
        const std::string& yaml = s.resolved_yaml;
        CHECK(yaml.find("extends") == std::string::npos);
        CHECK(yaml.find("remove") == std::string::npos);
        CHECK(yaml.find("p1") == std::string::npos);
        const auto second = ts::io::load_scenario_text(yaml, "resolved.yaml");
        check_same(s, second.scenario);
        CHECK(second.scenario.resolved_yaml == yaml);
    }
}

TEST_CASE("every problem is reported together, warnings included, in order", "[reader][errors]") {
    const auto lines = errors_of(R"(name: bad name
time: {start: 2023-13, step: month, tiks: 12}
countries: [{code: USA}, {code: usa}, {code: USA}]
products: [{id: H100, compute: 0}]
suppliers:
  - {id: s, jurisdiction: USB, made_in: USA, offers: [{product: H200, price: -1, capacity: .nan}]}
buyers: [{id: b, country: USA, demand: 1, reference_cost: 10, substitution: 0, backlog: 1.5}]
policies:
  - {id: p, by: USA, type: quota, rate: 0.1, from: 2024-01, until: 2023-01}
)");
    CHECK(lines ==
          std::vector<std::string>{
              "t.yaml:1:7: error: name: the scenario name 'bad name' names the output folder: use "
              "only "
              "letters, digits, '-', '_' and '.'",
              "t.yaml:2:37: error: time: unknown key 'tiks' (did you mean 'ticks'?); expected one "
              "of: start, "
              "step, ticks, observed_until",
              "t.yaml:2:15: error: time.start: expected a date (YYYY-MM or YYYY-MM-DD), got "
              "'2023-13'",
              "t.yaml:2:7: error: time: missing required key 'ticks'",
              "t.yaml:3:33: error: countries[usa].code: a country code is 3 uppercase letters (ISO "
              "3166-1 "
              "alpha-3, or XAA to XZZ), got 'usa'",
              "t.yaml:3:46: error: countries[USA].code: duplicate country 'USA' (first defined at "
              "line 3)",
              "t.yaml:4:32: error: products[H100].compute: a chip must have compute > 0 (buyers' "
              "demand is in "
              "compute units)",
              "t.yaml:6:27: error: suppliers[s].jurisdiction: unknown country 'USB' (did you mean "
              "'USA'?)",
              "t.yaml:6:65: error: suppliers[s].offers[H200].product: unknown product 'H200' (did "
              "you mean "
              "'H100'?)",
              "t.yaml:6:92: error: suppliers[s].offers[H200].capacity: expected a finite number, "
              "got '.nan'",
              "t.yaml:6:78: error: suppliers[s].offers[H200].price: expected a number > 0, got -1",
              "t.yaml:7:77: error: buyers[b].substitution: expected a number > 0, got 0",
              "t.yaml:7:89: error: buyers[b].backlog: expected a number in [0, 1], got 1.5",
              "t.yaml:9:35: error: policies[p]: 'rate' does not apply to a policy of type 'quota'",
              "t.yaml:9:5: error: policies[p]: missing required key 'cap'",
          });
    CHECK(lines.size() == 15);
}

TEST_CASE("the InputError carries warnings before and after errors, in order", "[reader][errors]") {
    const auto lines = errors_of(kSmall + R"(policies:
  - {id: a, by: USA, type: tariff, rate: 0.1, from: 2030-01}
  - {id: b, by: USA, type: tariff, rate: -0.1}
  - {id: c, by: USA, type: export_control, destinations: {groups: [D6]}}
)");
    CHECK(lines == std::vector<std::string>{
                       "t.yaml:8:53: warning: policies[a].from: 2030-01-01 is after the end of the "
                       "run (2025-01-01)",
                       "t.yaml:9:42: error: policies[b].rate: expected a number >= 0, got -0.1",
                       "t.yaml:10:68: warning: policies[c].destinations.groups[0]: no country is "
                       "in group 'D6'",
                       "t.yaml:10:58: error: policies[c].destinations: selects no country",
                   });
}

TEST_CASE("warnings alone do not stop loading", "[reader]") {
    const auto loaded = ts::io::load_scenario_text(kSmall + R"(policies:
  - {id: a, by: USA, type: tariff, rate: 0.1, from: 2030-01}
)",
                                                   "t.yaml");
    REQUIRE(loaded.warnings.size() == 1);
    CHECK(loaded.warnings[0].severity == ts::Severity::warning);
    CHECK(loaded.scenario.policies.size() == 1);
}

TEST_CASE("shares name offers unambiguously and must sum to one", "[reader][weights]") {
    const std::string world = R"(name: w
time: {start: 2023-01, ticks: 2}
countries: [{code: USA}]
products: [{id: A}, {id: B}, {id: both}]
suppliers:
  - {id: s1, jurisdiction: USA, made_in: USA, offers: [{product: A, price: 1}, {product: B, price: 2}]}
  - {id: s2, jurisdiction: USA, made_in: USA, offers: [{product: A, price: 1}]}
  - {id: both, jurisdiction: USA, made_in: USA, offers: [{product: both, price: 1}]}
)";
    const auto buyer = [&](const std::string& fields) {
        return errors_of(world + "buyers: [{id: b, country: USA, demand: 1, reference_cost: 1, " +
                         fields + "}]\n");
    };
    CHECK(buyer("shares: {A: 1}") ==
          std::vector<std::string>{
              "t.yaml:9:71: error: buyers[b].shares: product 'A' is offered by several suppliers "
              "(s1, s2): name one offer as 'supplier/product'"});
    CHECK(buyer("shares: {s1: 1}") ==
          std::vector<std::string>{
              "t.yaml:9:71: error: buyers[b].shares: supplier 's1' has several offers (A, B): "
              "name one offer as 'supplier/product'"});
    CHECK(buyer("shares: {s2/B: 1}") ==
          std::vector<std::string>{
              "t.yaml:9:71: error: buyers[b].shares: supplier 's2' does not offer product 'B'"});
    CHECK(buyer("shares: {both: 1}") ==
          std::vector<std::string>{
              "t.yaml:9:71: error: buyers[b].shares: 'both' is both a product id and a "
              "supplier id: ambiguous"});
    CHECK(buyer("shares: {s1/A: 0.5, s2: 0.4}") ==
          std::vector<std::string>{
              "t.yaml:9:70: error: buyers[b].shares: the shares sum to 0.9; they must sum to 1"});
    CHECK(buyer("shares: {s2: 0.5, s2/A: 0.5}") ==
          std::vector<std::string>{
              "t.yaml:9:80: error: buyers[b].shares: 's2/A' names the same offer as 's2'"});
    CHECK(buyer("shares: {s3/A: 1}") ==
          std::vector<std::string>{
              "t.yaml:9:71: error: buyers[b].shares: unknown product, supplier or offer 's3/A' "
              "(did you mean 's1/A'?)"});
    CHECK(buyer("preferences: {both: 1}") ==
          std::vector<std::string>{
              "t.yaml:9:76: error: buyers[b].preferences: 'both' is both a product id and a "
              "supplier id: ambiguous"});
    CHECK(buyer("preferences: {s3: 1}") ==
          std::vector<std::string>{
              "t.yaml:9:76: error: buyers[b].preferences: unknown product or supplier 's3' (did "
              "you mean 's1'?)"});

    // A valid mix: supplier/product, a supplier with a single offer, weights 0 elsewhere.
    const auto loaded = ts::io::load_scenario_text(
        world +
            "buyers: [{id: b, country: USA, demand: 1, reference_cost: 2, substitution: 3, "
            "shares: {s1/B: 0.25, s2: 0.75}}]\n",
        "t.yaml");
    // a = s·(c/ref)^(σ−1): B costs 2 (= ref), s2's A costs 1.
    CHECK(loaded.scenario.buyers[0].weights == std::vector<double>{0.0, 0.25, 0.75 * 0.25, 0.0});

    // Preferences of 0 for everything: a warning, not an error.
    const auto idle =
        ts::io::load_scenario_text(kSmall + "policies: []\n", "t.yaml",
                                   ts::io::LoadOptions{{"buyers.b.preferences={H100: 0}"}});
    REQUIRE(idle.warnings.size() == 1);
    CHECK(idle.warnings[0].format() ==
          "t.yaml:6:10: warning: buyers[b]: every offer has weight 0 for this buyer: it "
          "will buy nothing");
    CHECK(idle.scenario.buyers[0].weights == std::vector<double>{0.0});
}

TEST_CASE("numbers, integers and booleans are parsed strictly", "[reader][values]") {
    const auto capacity = [](const std::string& text) {
        return errors_of(kSmall, ts::io::LoadOptions{{"suppliers.s.offers.H100.capacity=" + text}});
    };
    const auto accepted = [](const std::string& override_text) {
        return ts::io::load_scenario_text(kSmall, "t.yaml", ts::io::LoadOptions{{override_text}})
            .scenario;
    };
    CHECK(accepted("suppliers.s.offers.H100.capacity=12000").offers[0].capacity == 12000.0);
    CHECK(accepted("suppliers.s.offers.H100.capacity=1e5").offers[0].capacity == 100000.0);
    CHECK(accepted("suppliers.s.offers.H100.capacity=2.5E-1").offers[0].capacity == 0.25);
    CHECK(accepted("suppliers.s.offers.H100.capacity='7'").offers[0].capacity ==
          7.0);  // quoted text is text
    const std::string prefix = "--set:1:34: error: suppliers[s].offers[H100].capacity: ";
    CHECK(capacity("1,000") ==
          std::vector<std::string>{prefix + "expected a number >= 0, got '1,000'"});
    CHECK(capacity("+5") == std::vector<std::string>{prefix + "expected a number >= 0, got '+5'"});
    CHECK(capacity("0x10") ==
          std::vector<std::string>{prefix + "expected a number >= 0, got '0x10'"});
    CHECK(capacity("1_000") ==
          std::vector<std::string>{prefix + "expected a number >= 0, got '1_000'"});
    CHECK(capacity("nan") ==
          std::vector<std::string>{prefix + "expected a finite number, got 'nan'"});
    CHECK(capacity("-.inf") ==
          std::vector<std::string>{prefix + "expected a finite number, got '-.inf'"});
    CHECK(capacity(".NaN") ==
          std::vector<std::string>{prefix + "expected a finite number, got '.NaN'"});
    CHECK(capacity("Infinity") ==
          std::vector<std::string>{prefix + "expected a finite number, got 'Infinity'"});
    CHECK(capacity("[1]") ==
          std::vector<std::string>{prefix + "expected a number >= 0, found a list"});
    CHECK(capacity("") ==
          std::vector<std::string>{prefix + "expected a number >= 0, found an empty value"});

    const auto ticks = [](const std::string& text) {
        return errors_of(kSmall, ts::io::LoadOptions{{"time.ticks=" + text}});
    };
    CHECK(accepted("time.ticks=12").time.ticks == 12);
    CHECK(ticks("1e3") ==
          std::vector<std::string>{
              "--set:1:12: error: time.ticks: expected a whole number >= 1, got '1e3'"});
    CHECK(ticks("12.0") ==
          std::vector<std::string>{
              "--set:1:12: error: time.ticks: expected a whole number >= 1, got '12.0'"});
    CHECK(ticks("0") == std::vector<std::string>{
                            "--set:1:12: error: time.ticks: expected a whole number >= 1, got 0"});
    CHECK(ticks("99999999999") ==
          std::vector<std::string>{"--set:1:12: error: time.ticks: expected a whole number from 1 "
                                   "to 2147483647, got 99999999999"});
    CHECK(errors_of(kSmall, ts::io::LoadOptions{{"seed=-4"}}) ==
          std::vector<std::string>{"--set:1:6: error: seed: expected a whole number >= 0, got -4"});
    CHECK(accepted("seed=18446744073709551615").seed == 18446744073709551615u);

    CHECK(accepted("buyers.b.listed=true").buyers[0].listed);
    CHECK(errors_of(kSmall, ts::io::LoadOptions{{"buyers.b.listed=True"}}) ==
          std::vector<std::string>{
              "--set:1:17: error: buyers[b].listed: expected true or false, got 'True'"});
}

TEST_CASE("schema rules beyond the golden cases", "[reader][errors]") {
    CHECK(errors_of(R"(name: rules
time: {start: 2023-01, ticks: 12}
countries: [{code: USA, groups: [g]}, {code: CHN}]
products: [{id: H100}, {id: HBM, kind: component}, {id: gpu, kind: gpus}]
suppliers:
  - id: s
    jurisdiction: USA
    made_in: USA
    equipment: {product: HBM}
    offers: [{product: H100, price: 10}, {product: H100, price: 12}]
    design_around: {lag: 1, margin: 1}
buyers:
  - {id: b, country: CHN, demand: 1, reference_cost: 10, remote: {via: [CHN]}}
routes: [{via: USA}, {via: USA, detection: 2}]
policies:
  - {id: q, by: USA, type: quota}
  - {id: t, by: USA, type: tariff, origins: {except: [CHN]}}
  - {id: e, by: USA, type: enforcement, covers: [exports, imports]}
  - {id: x, by: USA, type: export_control, buyers: {listed: false}, products: {all: true, ids: [H100]}}
  - {id: n, by: USA}
reactions:
  - id: q
    by: USA
    when: {metric: imports_compute, via: USA, above: 1, for: 0}
    then: {id: r2, type: tariff, rate: 0.1}
  - id: r3
    by: CHN
    when: {metric: price_index, above: 1}
    then: {type: export_fee}
)") == std::vector<std::string>{
           "t.yaml:4:68: error: products[gpu].kind: unknown product kind 'gpus'; expected one of: "
           "chip, component, "
           "equipment",
           "t.yaml:10:52: error: suppliers[s].offers[H100].product: duplicate offer of product "
           "'H100' (first at "
           "line 10)",
           "t.yaml:11:37: error: suppliers[s].design_around.margin: expected a number in [0, 1), "
           "got 1",
           "t.yaml:9:26: error: suppliers[s].equipment.product: product 'HBM' is of kind "
           "'component'; installed equipment must be a product of kind 'equipment'",
           "t.yaml:9:16: error: suppliers[s].equipment: missing required key 'capacity_per_unit'",
           "t.yaml:13:73: error: buyers[b].remote.via[0]: 'CHN' is the buyer's own country: "
           "remote compute is rented in another country",
           "t.yaml:14:28: error: routes[USA].via: duplicate route via 'USA' (first defined at line "
           "14)",
           "t.yaml:14:44: error: routes[USA].detection: expected a probability in [0, 1], got 2",
           "t.yaml:16:5: error: policies[q]: missing required key 'cap'",
           "t.yaml:17:45: error: policies[t].origins: selects no country: give 'all: true', "
           "'countries' or "
           "'groups' ('except' only removes countries)",
           "t.yaml:17:5: error: policies[t]: missing required key 'rate'",
           "t.yaml:18:41: error: policies[e]: 'covers' does not apply to a policy of type "
           "'enforcement'",
           "t.yaml:18:5: error: policies[e]: missing required key 'detection'",
           "t.yaml:19:79: error: policies[x].products: 'all: true' cannot be combined with other "
           "fields (when "
           "narrowing an inherited selector, set 'all: false')",
           "t.yaml:19:52: error: policies[x].buyers: selects no buyer: give 'listed: true', "
           "'ids', 'headquarters' or 'groups'",
           "t.yaml:20:5: error: policies[n]: missing required key 'type'",
           "t.yaml:22:9: error: reactions[q].id: 'q' is already the id of a policy (defined at "
           "line 16); the "
           "policy a reaction adds takes the reaction's id",
           "t.yaml:24:37: error: reactions[q].when: 'via' applies only to route metrics "
           "(diverted_units, "
           "diverted_compute, seized_units), not to 'imports_compute'",
           "t.yaml:24:62: error: reactions[q].when.for: expected a whole number >= 1, got 0",
           "t.yaml:25:12: error: reactions[q].then: 'id' cannot be given in 'then': the policy "
           "takes the "
           "reaction's id and 'by'",
           "t.yaml:28:11: error: reactions[r3].when: metric 'price_index' needs 'country'",
           "t.yaml:29:11: error: reactions[r3].then: missing required key 'rate'",
       });
}

TEST_CASE("pricing: the price rule of a supplier, consistent with price_adjustment",
          "[reader][pricing]") {
    const auto with = [](const std::string& keys) {
        std::string yaml = kSmall;
        const std::string offer = "offers: [{product: H100, price: 10}]";
        yaml.replace(yaml.find(offer), offer.size(),
                     keys + "offers: [{product: H100, price: 10, capacity: 5}]");
        return yaml;
    };
    const auto supplier = [](const std::string& yaml) {
        return ts::io::load_scenario_text(yaml, "t.yaml").scenario.suppliers[0];
    };
    CHECK_FALSE(supplier(kSmall).clearing_price);
    CHECK(supplier(with("pricing: clearing, ")).clearing_price);
    CHECK(supplier(with("pricing: clearing, price_adjustment: 0, ")).clearing_price);
    CHECK_FALSE(supplier(with("pricing: fixed, ")).clearing_price);
    const auto adjust = supplier(with("pricing: adjust, price_adjustment: 0.05, "));
    CHECK_FALSE(adjust.clearing_price);
    CHECK(adjust.price_adjustment == 0.05);
    CHECK(adjust.price_responds());
    CHECK_FALSE(supplier(with("pricing: fixed, ")).price_responds());
    // --set reaches the key and the resolved YAML keeps it.
    ts::io::LoadOptions set;
    set.overrides = {"suppliers.s.pricing=clearing"};
    const auto loaded = ts::io::load_scenario_text(with(""), "t.yaml", set);
    CHECK(loaded.scenario.suppliers[0].clearing_price);
    CHECK(supplier(loaded.scenario.resolved_yaml).clearing_price);
    CHECK(errors_of(with("pricing: auction, ")).size() == 1);
}
