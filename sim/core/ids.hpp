#pragma once
// Distinct index types for the dense indices of the scenario (buyers, offers, countries, routes,
// policies). Each is a 32-bit index with its own type, so that passing an offer where a buyer is
// expected, or swapping two arguments of different kinds, does not compile. Construction from an
// integer is explicit, there is no conversion back other than value()/index(), and ids of
// different kinds cannot be compared. The representation is the same as model::Index (int32,
// invalid = -1, i.e. model::kNone), so converting costs nothing.
#include <compare>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <ranges>
#include <type_traits>
#include <utility>

namespace ts {

template <class Tag>
class StrongIndex {
  public:
    using value_type = std::int32_t;
    /// The invalid index; equals model::kNone.
    static constexpr value_type kNoneValue = -1;

    /// The invalid index (so that a forgotten initialisation is caught by valid()).
    constexpr StrongIndex() = default;
    template <std::integral I>
    constexpr explicit StrongIndex(I value) : value_(static_cast<value_type>(value)) {}

    static constexpr StrongIndex none() { return StrongIndex(); }

    constexpr value_type value() const { return value_; }
    /// The index as a container position (only meaningful when valid()).
    constexpr std::size_t index() const { return static_cast<std::size_t>(value_); }
    constexpr bool valid() const { return value_ != kNoneValue; }

    friend constexpr bool operator==(StrongIndex, StrongIndex) = default;
    friend constexpr auto operator<=>(StrongIndex, StrongIndex) = default;

  private:
    value_type value_ = kNoneValue;
};

using BuyerId = StrongIndex<struct BuyerTag>;
using OfferId = StrongIndex<struct OfferTag>;
using CountryId = StrongIndex<struct CountryTag>;
/// A route as Legality numbers them: 0 direct, then hubs, then remote sites.
using RouteId = StrongIndex<struct RouteTag>;
using PolicyId = StrongIndex<struct PolicyTag>;

/// The element of a vector, span or array at an id: `at(prices, offer)` instead of
/// `prices[static_cast<std::size_t>(offer)]`. Unchecked, like operator[].
template <std::ranges::random_access_range C, class Tag>
constexpr decltype(auto) at(C&& container, StrongIndex<Tag> id) {
    return std::forward<C>(container)[id.index()];
}

// Zero overhead: the same size as the integer and copied as one.
static_assert(sizeof(BuyerId) == sizeof(std::int32_t));
static_assert(std::is_trivially_copyable_v<BuyerId>);
static_assert(std::is_trivially_copyable_v<RouteId>);

}  // namespace ts
