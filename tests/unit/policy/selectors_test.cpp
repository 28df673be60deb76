// Selectors by origin (supplier, jurisdiction, customs origin, domestic) and by firm
// (headquarters, buyer groups), and the rules they feed: controls on firms anywhere, remote
// compute of firms, import gates for a buyer class, border enforcement (docs/policies.md).
#include <catch2/catch.hpp>

#include <vector>

#include "policy/conditional_approval.hpp"
#include "policy/legality.hpp"
#include "policy_rules.hpp"
#include "scenario_builder.hpp"

using namespace ts;
using policy::RouteClass;
using test::Rules;

namespace {

RouteClass route_class(const policy::Legality& leg, model::Index b, model::Index o, int r) {
    return leg.status(BuyerId{b}, OfferId{o}, RouteId{r}).cls;
}
double import_factor(const policy::Legality& leg, model::Index b, model::Index o) {
    return leg.import_factor(BuyerId{b}, OfferId{o});
}
double detection(const policy::Legality& leg, model::Index b, model::Index o, int r) {
    return leg.detection(BuyerId{b}, OfferId{o}, RouteId{r});
}

model::CountrySelector countries(std::vector<model::Index> list) {
    model::CountrySelector c;
    c.countries = std::move(list);
    return c;
}

/// A US designer making in Taiwan, a Chinese supplier, one GPU each; a Malaysian hub.
struct World {
    test::ScenarioBuilder b{1};
    model::Index usa = b.country("USA"), twn = b.country("TWN"), chn = b.country("CHN", {"D5"}),
                 mys = b.country("MYS"), sgp = b.country("SGP");
    model::Index gpu = b.product("GPU");
    model::Index us_sup = b.supplier("us-designer", twn), cn_sup = b.supplier("cn-fab", chn);
    model::Index us_offer = b.offer(us_sup, gpu, 1.0), cn_offer = b.offer(cn_sup, gpu, 1.0);
    World() { b.scenario().suppliers[static_cast<std::size_t>(us_sup)].jurisdiction = usa; }
};

}  // namespace

TEST_CASE("origin fields select offers by supplier, jurisdiction, customs origin, domestic",
          "[selectors]") {
    World w;
    const auto& s = w.b.scenario();
    model::ProductSelector by_supplier;
    by_supplier.suppliers = {w.cn_sup};
    CHECK_FALSE(model::matches_offer(by_supplier, s, w.us_offer, w.chn));
    CHECK(model::matches_offer(by_supplier, s, w.cn_offer, w.chn));

    model::ProductSelector us_goods;
    us_goods.jurisdictions = countries({w.usa});
    CHECK(model::matches_offer(us_goods, s, w.us_offer, w.chn));
    CHECK_FALSE(model::matches_offer(us_goods, s, w.cn_offer, w.chn));

    model::ProductSelector not_chinese_made;
    not_chinese_made.made_in = model::CountrySelector{true, {}, {}, {w.chn}};
    CHECK(model::matches_offer(not_chinese_made, s, w.us_offer, w.chn));
    CHECK_FALSE(model::matches_offer(not_chinese_made, s, w.cn_offer, w.chn));

    // `domestic` is relative to the policy's government, by customs origin: the US designer's
    // chips are made in Taiwan, so they are foreign to the United States too.
    model::ProductSelector foreign;
    foreign.domestic = false;
    CHECK(model::matches_offer(foreign, s, w.us_offer, w.chn));
    CHECK_FALSE(model::matches_offer(foreign, s, w.cn_offer, w.chn));
    CHECK(model::matches_offer(foreign, s, w.us_offer, w.usa));
    CHECK(model::matches_offer(foreign, s, w.cn_offer, w.usa));
    model::ProductSelector domestic;
    domestic.domestic = true;
    CHECK(model::matches_offer(domestic, s, w.cn_offer, w.chn));

    // Origin fields AND the attributes, and sit in `any` alternatives like them.
    model::ProductSelector other_product = by_supplier;
    other_product.ids = {w.gpu + 1};
    CHECK_FALSE(model::matches_offer(other_product, s, w.cn_offer, w.chn));
    model::ProductSelector either;
    either.any = {by_supplier, us_goods};
    CHECK(model::matches_offer(either, s, w.us_offer, w.chn));
    CHECK(model::matches_offer(either, s, w.cn_offer, w.chn));
    // The product-only match ignores them (design-around places variants by attributes).
    CHECK(model::matches(by_supplier, s.products[0], w.gpu));
}

TEST_CASE("buyer selectors by headquarters and group; only they select the firm", "[selectors]") {
    World w;
    const auto cn_my = w.b.buyer("cn-dc-my", w.mys, 1.0, 1.0, 0.0, 2.0);
    w.b.buyer_ref(cn_my).headquarters = w.chn;
    const auto my_dc = w.b.buyer("my-dc", w.mys, 1.0, 1.0, 0.0, 2.0);
    const auto lab = w.b.buyer("cn-lab", w.chn, 1.0, 1.0, 0.0, 2.0);
    w.b.buyer_ref(lab).groups = {"state-funded"};
    w.b.buyer_ref(lab).listed = true;
    const auto& s = w.b.scenario();

    model::BuyerSelector hq;
    hq.headquarters = model::CountrySelector{false, {}, {"D5"}, {}};  // by group of countries
    CHECK(model::matches(hq, s, cn_my));
    CHECK_FALSE(model::matches(hq, s, my_dc));
    CHECK(model::matches(hq, s, lab));  // headquarters defaults to the buyer's country
    CHECK(model::matches_firm(hq, s, cn_my));

    model::BuyerSelector cls;
    cls.groups = {"state-funded"};
    CHECK(model::matches(cls, s, lab));
    CHECK_FALSE(model::matches(cls, s, cn_my));

    model::BuyerSelector listed;
    listed.listed = true;
    listed.ids = {my_dc};
    CHECK(model::matches(listed, s, lab));
    CHECK(model::matches(listed, s, my_dc));
    CHECK_FALSE(model::matches_firm(listed, s, lab));  // a consignee rule, not a firm rule
}

TEST_CASE("a control on China-headquartered firms reaches them abroad and their remote compute",
          "[selectors][legality]") {
    World w;
    w.b.route(w.sgp, 0.05);
    const auto cn_my = w.b.buyer("cn-dc-my", w.mys, 1.0, 1.0, 0.0, 2.0);
    w.b.buyer_ref(cn_my).headquarters = w.chn;
    const auto my_dc = w.b.buyer("my-dc", w.mys, 1.0, 1.0, 0.0, 2.0);
    const auto lab = w.b.buyer("cn-lab", w.chn, 1.0, 1.0, 0.0, 2.0);
    w.b.buyer_ref(lab).remote = model::Remote{{w.sgp}, 0.3, model::kUnlimited};
    const auto named = w.b.buyer("cn-named", w.chn, 1.0, 1.0, 0.0, 2.0);
    w.b.buyer_ref(named).headquarters = w.usa;  // so that only `ids` selects it
    w.b.buyer_ref(named).remote = model::Remote{{w.sgp}, 0.3, model::kUnlimited};

    const auto by_hq = w.b.control("cn-hq", w.usa, {}, -1.0, 0, true, true);
    model::BuyerSelector hq;
    hq.headquarters = countries({w.chn});
    w.b.policy_ref(by_hq).buyers = hq;
    const auto by_id = w.b.control("named", w.usa, {}, -1.0, 0, true, true);
    model::BuyerSelector ids;
    ids.ids = {named};
    w.b.policy_ref(by_id).buyers = ids;
    for (const auto p : {by_hq, by_id})
        w.b.policy_ref(p).destinations = model::CountrySelector{true, {}, {}, {}};
    const Rules rules(w.b.scenario());
    const auto& leg = rules.legality;
    const int remote = leg.remote_route(w.sgp);
    REQUIRE(remote > 0);

    CHECK(route_class(leg, cn_my, w.us_offer, 0) == RouteClass::blocked);  // abroad
    CHECK(route_class(leg, my_dc, w.us_offer, 0) == RouteClass::open);     // same country
    CHECK(route_class(leg, cn_my, w.cn_offer, 0) == RouteClass::open);     // other goods
    CHECK(route_class(leg, lab, w.us_offer, 0) == RouteClass::blocked);
    // The firm's rented compute: covered for a firm rule, not for a consignee rule.
    CHECK(route_class(leg, lab, w.us_offer, remote) == RouteClass::blocked);
    CHECK(route_class(leg, named, w.us_offer, 0) == RouteClass::blocked);
    CHECK(route_class(leg, named, w.us_offer, remote) == RouteClass::open);
}

TEST_CASE("remote_access with buyers closes the remote routes of those buyers only",
          "[selectors][legality]") {
    World w;
    const auto lab = w.b.buyer("cn-lab", w.chn, 1.0, 1.0, 0.0, 2.0);
    w.b.buyer_ref(lab).remote = model::Remote{{w.sgp}, 0.3, model::kUnlimited};
    w.b.buyer_ref(lab).groups = {"frontier"};
    const auto other = w.b.buyer("cn-cloud", w.chn, 1.0, 1.0, 0.0, 2.0);
    w.b.buyer_ref(other).remote = model::Remote{{w.sgp}, 0.3, model::kUnlimited};
    const auto p = w.b.policy("no-remote", model::PolicyType::remote_access, w.usa);
    model::BuyerSelector cls;
    cls.groups = {"frontier"};
    w.b.policy_ref(p).buyers = cls;
    w.b.policy_ref(p).destinations = model::CountrySelector{true, {}, {}, {}};
    const Rules rules(w.b.scenario());
    const int remote = rules.legality.remote_route(w.sgp);
    CHECK(route_class(rules.legality, lab, w.us_offer, remote) == RouteClass::blocked);
    CHECK(route_class(rules.legality, other, w.us_offer, remote) == RouteClass::open);
}

TEST_CASE("an import restriction for a buyer class on foreign goods: a procurement mandate",
          "[selectors][legality]") {
    World w;
    const auto lab = w.b.buyer("cn-lab", w.chn, 1.0, 1.0, 0.0, 2.0);
    w.b.buyer_ref(lab).groups = {"state-funded"};
    const auto cloud = w.b.buyer("cn-cloud", w.chn, 1.0, 1.0, 0.0, 2.0);
    const auto abroad = w.b.buyer("my-dc", w.mys, 1.0, 1.0, 0.0, 2.0);
    w.b.buyer_ref(abroad).groups = {"state-funded"};
    const auto p = w.b.policy("buy-domestic", model::PolicyType::import_restriction, w.chn);
    auto& pol = w.b.policy_ref(p);
    pol.compliance = 0.9;
    pol.products = model::ProductSelector{};
    pol.products.domestic = false;
    pol.buyers = model::BuyerSelector{};
    pol.buyers->groups = {"state-funded"};
    const Rules rules(w.b.scenario());
    const auto& leg = rules.legality;
    CHECK(import_factor(leg, lab, w.us_offer) == Approx(0.1));
    CHECK(import_factor(leg, lab, w.cn_offer) == Approx(1.0));     // domestic
    CHECK(import_factor(leg, cloud, w.us_offer) == Approx(1.0));   // not of the class
    CHECK(import_factor(leg, abroad, w.us_offer) == Approx(1.0));  // not at China's border
}

TEST_CASE("a customs block on one supplier's product leaves the same product of another",
          "[selectors][legality]") {
    World w;
    const auto cloud = w.b.buyer("cn-cloud", w.chn, 1.0, 1.0, 0.0, 2.0);
    const auto p = w.b.policy("block", model::PolicyType::import_restriction, w.chn);
    auto& pol = w.b.policy_ref(p);
    pol.products = model::ProductSelector{};
    pol.products.ids = {w.gpu};
    pol.products.suppliers = {w.us_sup};
    const Rules rules(w.b.scenario());
    CHECK(import_factor(rules.legality, cloud, w.us_offer) == Approx(0.0));
    CHECK(import_factor(rules.legality, cloud, w.cn_offer) == Approx(1.0));
}

TEST_CASE("border enforcement raises detection only for goods arriving in its country",
          "[selectors][legality]") {
    World w;
    w.b.route(w.mys, 0.0, 0, model::kUnlimited, 0.10);
    const auto cloud = w.b.buyer("cn-cloud", w.chn, 1.0, 1.0, 0.0, 2.0);
    const auto sg = w.b.buyer("sg-dc", w.sgp, 1.0, 1.0, 0.0, 2.0);
    const auto p = w.b.policy("cn-customs", model::PolicyType::enforcement, w.chn);
    w.b.policy_ref(p).detection = 0.3;
    w.b.policy_ref(p).inspection = model::Inspection::border;
    const auto hub = w.b.policy("cn-as-hub", model::PolicyType::enforcement, w.chn);
    w.b.policy_ref(hub).detection = 0.5;  // China is no hub here: it inspects nothing
    const Rules rules(w.b.scenario());
    const auto& leg = rules.legality;
    CHECK(detection(leg, cloud, w.us_offer, 1) == Approx(1.0 - 0.9 * 0.7));
    CHECK(detection(leg, sg, w.us_offer, 1) == Approx(0.10));
}

TEST_CASE("a conditional approval is lifted as far as last tick's domestic share met it",
          "[selectors][conditional]") {
    World w;
    const auto lab = w.b.buyer("cn-lab", w.chn, 1.0, 1.0, 0.0, 2.0);
    const auto abroad = w.b.buyer("my-dc", w.mys, 1.0, 1.0, 0.0, 2.0);
    const auto p = w.b.policy("tied", model::PolicyType::import_restriction, w.chn);
    auto& pol = w.b.policy_ref(p);
    pol.products = model::ProductSelector{};
    pol.products.suppliers = {w.us_sup};
    pol.compliance = 0.8;
    pol.domestic_share = 0.5;
    const Rules rules(w.b.scenario());
    // Not an unconditional restriction: Legality leaves it to ConditionalApprovals.
    CHECK(import_factor(rules.legality, lab, w.us_offer) == 1.0);
    policy::ConditionalApprovals approvals(rules.legality);
    REQUIRE_FALSE(approvals.empty());
    // Before any purchase the approval is not earned: 1 − compliance.
    CHECK(approvals.factor(lab, w.us_offer) == Approx(0.2));
    CHECK(approvals.factor(lab, w.cn_offer) == 1.0);     // not selected (domestic supplier)
    CHECK(approvals.factor(abroad, w.us_offer) == 1.0);  // not at China's border
    // A quarter domestic: half the condition, so half the restriction.
    approvals.add_shipment(lab, w.cn_offer, 1.0);
    approvals.add_shipment(lab, w.us_offer, 3.0);
    approvals.end_tick();
    CHECK(approvals.factor(lab, w.us_offer) == Approx(1.0 - 0.8 * 0.5));
    // A tick with no shipment is no new evidence.
    approvals.end_tick();
    CHECK(approvals.factor(lab, w.us_offer) == Approx(0.6));
    // Met (60 % domestic): fully approved.
    approvals.add_shipment(lab, w.cn_offer, 3.0);
    approvals.add_shipment(lab, w.us_offer, 2.0);
    approvals.end_tick();
    CHECK(approvals.factor(lab, w.us_offer) == 1.0);
}
