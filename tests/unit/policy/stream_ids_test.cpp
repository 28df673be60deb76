// Stream ids of a world: stable under variants that add a hub, a buyer or an offer (so the
// draws of everything untouched stay identical), distinct for distinct entities.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "core/stream_key.hpp"
#include "policy/stream_ids.hpp"
#include "scenario_builder.hpp"

using namespace ts;

namespace {

struct Variant {
    bool extra_hub = false, extra_buyer = false, extra_offer = false;
};

/// A small world; a variant inserts its extra entities *before* the common ones, so that every
/// position of the common ones moves.
model::Scenario world(const Variant& v) {
    test::ScenarioBuilder b(1);
    const auto usa = b.country("USA");
    const auto chn = b.country("CHN");
    const auto sgp = b.country("SGP");
    const auto mys = b.country("MYS");
    const auto are = b.country("ARE");
    const auto gpu = b.product("GPU");
    const auto npu = b.product("NPU");
    if (v.extra_offer) b.offer(b.supplier("new-fab", usa), npu, 1.0);
    const auto fab = b.supplier("us-fab", usa);
    b.offer(fab, gpu, 1.0);
    b.offer(fab, npu, 1.0);
    if (v.extra_hub) b.route(are);
    b.route(sgp);
    if (v.extra_buyer) b.buyer("new-lab", chn, 1.0, 1.0, 0.0, 2.0);
    const auto lab = b.buyer("cn-lab", chn, 1.0, 1.0, 0.0, 2.0);
    b.buyer_ref(lab).remote = model::Remote{{mys}, 0.1, model::kUnlimited};
    b.buyer("my-dc", mys, 1.0, 1.0, 0.0, 2.0);
    b.finish();
    return b.scenario();
}

struct Ids {
    model::Scenario s;
    policy::PolicyBook book;
    policy::Legality legality;
    policy::StreamIds ids;
    explicit Ids(const Variant& v)
        : s(world(v)), book(s), legality(book), ids(policy::StreamIds::of(s, legality)) {}
    OfferId offer(const std::string& sup, const std::string& prod) const {
        for (std::size_t o = 0; o < s.offers.size(); ++o)
            if (s.suppliers[static_cast<std::size_t>(s.offers[o].supplier)].id == sup &&
                s.products[static_cast<std::size_t>(s.offers[o].product)].id == prod)
                return OfferId{o};
        return OfferId::none();
    }
    BuyerId buyer(const std::string& id) const { return BuyerId{s.find_buyer(id)}; }
    RouteId hub(const std::string& code) const {
        for (std::size_t r = 0; r < s.routes.size(); ++r)
            if (s.countries[static_cast<std::size_t>(s.routes[r].via)].code == code)
                return RouteId{r + 1};
        return RouteId::none();
    }
    RouteId remote(const std::string& code) const {
        return RouteId{legality.remote_route(s.find_country(code))};
    }
};

}  // namespace

TEST_CASE("a variant adding a hub, a buyer or an offer keeps every other draw", "[stream_ids]") {
    const Ids base({});
    const Variant v = GENERATE(Variant{true, false, false}, Variant{false, true, false},
                               Variant{false, false, true}, Variant{true, true, true});
    CAPTURE(v.extra_hub, v.extra_buyer, v.extra_offer);
    const Ids other(v);
    for (const char* prod : {"GPU", "NPU"}) {
        const OfferId o0 = base.offer("us-fab", prod), o1 = other.offer("us-fab", prod);
        for (const char* buyer : {"cn-lab", "my-dc"}) {
            const BuyerId b0 = base.buyer(buyer), b1 = other.buyer(buyer);
            for (const auto& [r0, r1] :
                 {std::pair{RouteId{0}, RouteId{0}}, std::pair{base.hub("SGP"), other.hub("SGP")},
                  std::pair{base.remote("MYS"), other.remote("MYS")}}) {
                CHECK(policy::licence_stream(base.ids, 5, 2, b0, o0, r0, 3).next_u64() ==
                      policy::licence_stream(other.ids, 5, 2, b1, o1, r1, 3).next_u64());
                CHECK(policy::seizure_stream(base.ids, 5, 2, o0, r0, b0, 3).next_u64() ==
                      policy::seizure_stream(other.ids, 5, 2, o1, r1, b1, 3).next_u64());
            }
        }
    }
    // The positions did move, so positional keys would have broken.
    if (v.extra_offer) CHECK(other.offer("us-fab", "GPU") != base.offer("us-fab", "GPU"));
    if (v.extra_buyer) CHECK(other.buyer("cn-lab") != base.buyer("cn-lab"));
    if (v.extra_hub) CHECK(other.hub("SGP") != base.hub("SGP"));
}

TEST_CASE("distinct offers, buyers and routes have distinct stream ids", "[stream_ids]") {
    const Ids all({true, true, true});
    const std::set<std::uint64_t> offers(all.ids.offer.begin(), all.ids.offer.end());
    const std::set<std::uint64_t> buyers(all.ids.buyer.begin(), all.ids.buyer.end());
    const std::set<std::uint64_t> routes(all.ids.route.begin(), all.ids.route.end());
    CHECK(offers.size() == all.s.offers.size());
    CHECK(buyers.size() == all.s.buyers.size());
    REQUIRE(all.ids.route.size() == static_cast<std::size_t>(all.legality.routes()));
    CHECK(routes.size() == all.ids.route.size());
    // Draws differ between buyers of the same offer and route.
    CHECK(policy::licence_stream(all.ids, 1, 0, all.buyer("cn-lab"), OfferId{0}, RouteId{0}, 0)
              .next_u64() !=
          policy::licence_stream(all.ids, 1, 0, all.buyer("my-dc"), OfferId{0}, RouteId{0}, 0)
              .next_u64());
}

TEST_CASE("buyers sharing an id (purchasers named after their supplier) are told apart",
          "[stream_ids]") {
    test::ScenarioBuilder b(1);
    const auto usa = b.country("USA");
    const auto hbm = b.product("HBM");
    b.offer(b.supplier("us-fab", usa), hbm, 1.0);
    b.buyer("us-fab", usa, 1.0, 1.0, 0.0, 2.0);  // a file buyer, then two purchasers
    b.buyer("us-fab", usa, 1.0, 1.0, 0.0, 2.0);
    b.buyer("us-fab", usa, 1.0, 1.0, 0.0, 2.0);
    const model::Scenario s = b.scenario();
    const policy::PolicyBook book(s);
    const policy::Legality legality(book);
    const auto ids = policy::StreamIds::of(s, legality);
    REQUIRE(ids.buyer.size() == 3);
    CHECK(ids.buyer[0] == id_hash("us-fab"));  // the first keeps the plain id hash
    CHECK(ids.buyer[1] != ids.buyer[0]);
    CHECK(ids.buyer[2] != ids.buyer[0]);
    CHECK(ids.buyer[2] != ids.buyer[1]);
}
