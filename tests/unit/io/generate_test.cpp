// tradesim generate: the synthetic scenario is deterministic, loads through the real scenario
// reader without warnings at the requested size, bounds every buyer's offers, and carries
// policies that announce, take force, lapse and close some destination during the run.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/generate.hpp"
#include "io/scenario_reader.hpp"
#include "policy/legality.hpp"
#include "policy/policy_book.hpp"

using namespace ts;

namespace {

io::GenerateSpec spec_of(std::int64_t countries, std::int64_t suppliers, std::int64_t buyers,
                         std::int64_t products, std::int64_t hubs, std::int64_t ticks,
                         std::uint64_t seed) {
    io::GenerateSpec s;
    s.countries = countries;
    s.suppliers = suppliers;
    s.buyers = buyers;
    s.products = products;
    s.hubs = hubs;
    s.ticks = ticks;
    s.seed = seed;
    return s;
}

io::LoadedScenario load(const io::GenerateSpec& spec) {
    return io::load_scenario_text(io::generate_scenario(spec), "generated.yaml");
}

std::size_t weighted_offers(const model::Buyer& b) {
    return static_cast<std::size_t>(
        std::count_if(b.weights.begin(), b.weights.end(), [](double w) { return w > 0.0; }));
}

}  // namespace

TEST_CASE("generate: same spec gives the same text, another seed other text", "[generate]") {
    const auto a = spec_of(20, 10, 200, 4, 3, 120, 7);
    auto b = a;
    REQUIRE(io::generate_scenario(a) == io::generate_scenario(b));
    b.seed = 8;
    CHECK(io::generate_scenario(a) != io::generate_scenario(b));
    // The command goes into the comment header only.
    auto c = a;
    c.command = "tradesim generate --countries 20";
    const std::string text = io::generate_scenario(c);
    CHECK(text.find("# Command: tradesim generate --countries 20\n") != std::string::npos);
    CHECK(text.rfind("# Synthetic scenario", 0) == 0);
}

TEST_CASE("generate: the scenario loads without warnings at the requested size", "[generate]") {
    struct Case {
        std::int64_t countries, suppliers, buyers, products, hubs, ticks;
    };
    const auto cases =
        GENERATE(Case{20, 10, 200, 4, 3, 120}, Case{60, 50, 300, 5, 8, 260}, Case{2, 1, 1, 1, 0, 1},
                 Case{3, 1, 5, 2, 2, 12}, Case{676, 3, 700, 2, 5, 30});
    CAPTURE(cases.countries, cases.suppliers, cases.buyers, cases.products, cases.hubs,
            cases.ticks);
    const auto spec = spec_of(cases.countries, cases.suppliers, cases.buyers, cases.products,
                              cases.hubs, cases.ticks, 11);
    const auto loaded = load(spec);
    for (const auto& w : loaded.warnings) UNSCOPED_INFO(w.format());
    CHECK(loaded.warnings.empty());
    const model::Scenario& s = loaded.scenario;
    CHECK(static_cast<std::int64_t>(s.countries.size()) == cases.countries);
    CHECK(static_cast<std::int64_t>(s.suppliers.size()) == cases.suppliers);
    CHECK(static_cast<std::int64_t>(s.products.size()) == cases.products);
    CHECK(static_cast<std::int64_t>(s.buyers.size()) == cases.buyers);
    CHECK(static_cast<std::int64_t>(s.routes.size()) == cases.hubs);
    CHECK(s.time.ticks == cases.ticks);
    CHECK(s.time.step == (cases.ticks > 240 ? TimeStep::week : TimeStep::month));
    // Every supplier offers every product.
    CHECK(static_cast<std::int64_t>(s.offers.size()) == cases.suppliers * cases.products);
    // Each buyer weighs a bounded number of offers: 8..12, or all when fewer exist.
    const std::size_t fewest = std::min<std::size_t>(8, s.offers.size());
    for (const auto& b : s.buyers) {
        CAPTURE(b.id);
        CHECK(weighted_offers(b) <= static_cast<std::size_t>(io::kMaxOffersPerBuyer));
        CHECK(weighted_offers(b) >= fewest);
    }
    // Every policy type but remote_access is present.
    std::set<model::PolicyType> types;
    for (const auto& p : s.policies) types.insert(p.type);
    CHECK(types.count(model::PolicyType::export_control) == 1);
    CHECK(types.count(model::PolicyType::tariff) == 1);
    CHECK(types.count(model::PolicyType::export_fee) == 1);
    CHECK(types.count(model::PolicyType::import_restriction) == 1);
    // The quota targets group tier2, which small worlds may not have.
    const bool has_tier2 = std::any_of(s.countries.begin(), s.countries.end(), [](const auto& c) {
        return std::find(c.groups.begin(), c.groups.end(), "tier2") != c.groups.end();
    });
    CHECK(has_tier2 == (cases.countries >= 5 || cases.hubs > 0));
    CHECK(types.count(model::PolicyType::quota) == (has_tier2 ? 1 : 0));
    CHECK(types.count(model::PolicyType::enforcement) == (cases.hubs > 0 ? 1 : 0));
}

TEST_CASE("generate: large producers dominate capacity", "[generate]") {
    const auto loaded = load(spec_of(20, 50, 100, 3, 2, 24, 5));
    const model::Scenario& s = loaded.scenario;
    std::vector<double> per_supplier(s.suppliers.size(), 0.0);
    double total = 0.0;
    for (const auto& o : s.offers) {
        const double c = o.capacity * s.products[static_cast<std::size_t>(o.product)].compute;
        per_supplier[static_cast<std::size_t>(o.supplier)] += c;
        total += c;
    }
    std::sort(per_supplier.begin(), per_supplier.end(), std::greater<>());
    // Heavy tail: the top 10 % of 50 suppliers hold far more than 10 % of the capacity.
    const double top5 =
        per_supplier[0] + per_supplier[1] + per_supplier[2] + per_supplier[3] + per_supplier[4];
    CHECK(top5 / total > 0.25);
}

TEST_CASE("generate: policies change during the run and close some destination", "[generate]") {
    const auto loaded = load(spec_of(20, 10, 200, 4, 3, 120, 3));
    const model::Scenario& s = loaded.scenario;
    policy::PolicyBook book(s);
    policy::Legality legality(book);
    std::set<policy::Transition::Kind> kinds_after_start;
    bool blocked_later = false, licensed_later = false, open_at_start = false;
    std::vector<policy::Transition> tr;
    for (std::int64_t t = 0; t < s.time.ticks; ++t) {
        tr.clear();
        if (book.advance(t, tr) || t == 0) legality.rebuild();
        if (t == 0) {
            // Nothing is in force at the start: every direct route is open.
            CHECK(tr.empty());
            open_at_start = true;
            for (std::size_t b = 0; b < s.buyers.size(); ++b)
                for (std::size_t o = 0; o < s.offers.size(); ++o)
                    open_at_start =
                        open_at_start &&
                        legality.status(BuyerId{static_cast<model::Index>(b)},
                                        OfferId{static_cast<model::Index>(o)}, RouteId{0})
                                .cls == policy::RouteClass::open;
            continue;
        }
        for (const auto& x : tr) kinds_after_start.insert(x.kind);
        for (std::size_t b = 0; b < s.buyers.size(); ++b) {
            for (std::size_t o = 0; o < s.offers.size(); ++o) {
                if (s.buyers[b].weights[o] == 0.0) continue;  // not one of its offers
                const auto cls = legality
                                     .status(BuyerId{static_cast<model::Index>(b)},
                                             OfferId{static_cast<model::Index>(o)}, RouteId{0})
                                     .cls;
                blocked_later = blocked_later || cls == policy::RouteClass::blocked;
                licensed_later = licensed_later || cls == policy::RouteClass::licensed;
            }
        }
    }
    CHECK(open_at_start);
    CHECK(kinds_after_start.count(policy::Transition::Kind::announced) == 1);
    CHECK(kinds_after_start.count(policy::Transition::Kind::in_force) == 1);
    CHECK(kinds_after_start.count(policy::Transition::Kind::lapsed) == 1);
    CHECK(blocked_later);
    CHECK(licensed_later);
}

TEST_CASE("generate: sizes that cannot be represented are refused", "[generate]") {
    const auto ok = spec_of(20, 10, 200, 4, 3, 120, 1);
    REQUIRE_NOTHROW(io::check_generate_spec(ok));
    auto bad = ok;
    SECTION("too many countries") {
        bad.countries = 677;
    }
    SECTION("one country") {
        bad.countries = 1;
    }
    SECTION("no suppliers") {
        bad.suppliers = 0;
    }
    SECTION("no products") {
        bad.products = 0;
    }
    SECTION("negative buyers") {
        bad.buyers = -3;
    }
    SECTION("no ticks") {
        bad.ticks = 0;
    }
    SECTION("too many ticks") {
        bad.ticks = io::kMaxGeneratedTicks + 1;
    }
    SECTION("as many hubs as countries") {
        bad.hubs = 20;
    }
    SECTION("negative hubs") {
        bad.hubs = -1;
    }
    CHECK_THROWS_AS(io::generate_scenario(bad), InputError);
    try {
        io::check_generate_spec(bad);
    } catch (const InputError& e) {
        REQUIRE(e.diagnostics().size() == 1);
        CHECK(e.diagnostics()[0].format().find("tradesim generate: --") != std::string::npos);
    }
}
