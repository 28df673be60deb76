// Distinct index types: what compiles and what must not (checked at compile time), and the
// run-time behaviour of construction, comparison and indexing.
#include <catch2/catch.hpp>

#include <array>
#include <span>
#include <type_traits>
#include <vector>

#include "core/ids.hpp"
#include "model/scenario.hpp"

using namespace ts;

namespace {

// A function with two id parameters of different kinds, as the policy layer has many.
int route_of(BuyerId buyer, OfferId offer) {
    return buyer.value() * 10 + offer.value();
}

template <class A, class B>
concept equality_comparable_with = requires(A a, B b) {
    a == b;
};
template <class A, class B>
concept ordered_with = requires(A a, B b) {
    a < b;
};

// Swapped arguments, ids of another kind and bare integers do not compile.
static_assert(std::is_invocable_v<decltype(&route_of), BuyerId, OfferId>);
static_assert(!std::is_invocable_v<decltype(&route_of), OfferId, BuyerId>);
static_assert(!std::is_invocable_v<decltype(&route_of), BuyerId, BuyerId>);
static_assert(!std::is_invocable_v<decltype(&route_of), int, int>);
static_assert(!std::is_convertible_v<BuyerId, OfferId>);
static_assert(!std::is_convertible_v<CountryId, RouteId>);
static_assert(!std::is_constructible_v<PolicyId, CountryId>);
static_assert(!std::is_convertible_v<int, BuyerId>);  // only explicit construction
static_assert(!std::is_convertible_v<BuyerId, int>);  // only through value()
static_assert(std::is_constructible_v<BuyerId, int>);
static_assert(std::is_constructible_v<BuyerId, std::size_t>);
static_assert(!equality_comparable_with<BuyerId, OfferId>);
static_assert(!ordered_with<CountryId, PolicyId>);
static_assert(!equality_comparable_with<BuyerId, int>);
static_assert(equality_comparable_with<BuyerId, BuyerId>);
static_assert(ordered_with<RouteId, RouteId>);

// Zero overhead, and the invalid value is model::kNone.
static_assert(sizeof(OfferId) == sizeof(model::Index));
static_assert(sizeof(CountryId) == sizeof(model::Index) &&
              sizeof(PolicyId) == sizeof(model::Index));
static_assert(std::is_trivially_copyable_v<OfferId> && std::is_trivially_copyable_v<CountryId> &&
              std::is_trivially_copyable_v<PolicyId>);
static_assert(BuyerId::none().value() == model::kNone);
static_assert(BuyerId{}.value() == model::kNone);
static_assert(CountryId{3}.value() == 3 && CountryId{3}.index() == 3);
static_assert(!RouteId::none().valid() && RouteId{0}.valid());

}  // namespace

TEST_CASE("ids compare within their kind and order like their values", "[ids]") {
    CHECK(OfferId{2} == OfferId{2});
    CHECK(OfferId{2} != OfferId{3});
    CHECK(OfferId{2} < OfferId{3});
    CHECK(OfferId::none() < OfferId{0});
    CHECK(route_of(BuyerId{4}, OfferId{7}) == 47);
}

TEST_CASE("ids index vectors, spans and arrays", "[ids]") {
    std::vector<double> price{1.0, 2.0, 3.0};
    CHECK(at(price, OfferId{1}) == 2.0);
    at(price, OfferId{2}) = 5.0;  // a reference into the vector
    CHECK(price[2] == 5.0);
    const std::vector<int> counts{7, 8};
    CHECK(at(counts, BuyerId{1}) == 8);
    const std::span<const double> view(price);
    CHECK(at(view, OfferId{2}) == 5.0);
    std::array<char, 2> flags{0, 1};
    CHECK(at(flags, CountryId{1}) == 1);
}
