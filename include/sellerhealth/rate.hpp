// Exact rates, targets and statuses.
//
// Every threshold in this library is decided on integers: a rate is a pair of 64-bit counts and a
// target is a fraction with a condition. `meets(rate, target)` compares by cross-multiplication in
// 128-bit arithmetic, so 1/40 against "less than 2.5 %" fails exactly as the platform says it does.
// A `double` is produced only for display (`rate::value()`); nothing decides a status from it.
//
//   constexpr sellerhealth::target pfcr{sellerhealth::condition::less_than, {1, 40}};
//   static_assert(!sellerhealth::meets({1, 40}, pfcr));   // exactly 2.5 % fails
//   static_assert(sellerhealth::meets({1, 41}, pfcr));
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace sellerhealth {

/// A non-negative fraction of two counts. `denominator == 0` means "no orders": such a rate has
/// no value and its status is `status::none`.
struct rate {
  std::uint64_t numerator = 0;
  std::uint64_t denominator = 0;

  [[nodiscard]] constexpr bool empty() const noexcept { return denominator == 0; }
  /// For display only. Undefined meaning when `empty()`; callers print null then.
  [[nodiscard]] constexpr double value() const noexcept {
    return denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
  }
  friend constexpr bool operator==(const rate&, const rate&) = default;
};

/// How a rate is compared with its target value. Names follow the SP-API account health report
/// (`targetCondition`): `LESS_THAN`, `LESS_THAN_OR_EQUAL`... spelled here as C++ enumerators.
enum class condition : std::uint8_t { less_than, at_most, greater_than, at_least };

[[nodiscard]] constexpr std::string_view to_string(condition c) noexcept {
  switch (c) {
    case condition::less_than: return "LESS_THAN";
    case condition::at_most: return "LESS_THAN_OR_EQUAL_TO";
    case condition::greater_than: return "GREATER_THAN";
    case condition::at_least: return "GREATER_THAN_OR_EQUAL_TO";
  }
  return "?";
}

/// A target: the rate meets it iff `rate <condition> value`.
struct target {
  condition when = condition::less_than;
  rate value{};  // numerator / denominator of the threshold, denominator > 0
};

namespace detail {
/// 64 x 64 -> 128-bit product as (high, low), portable and constexpr (no __int128 under -Wpedantic).
struct u128 {
  std::uint64_t high;
  std::uint64_t low;
  friend constexpr std::strong_ordering operator<=>(const u128&, const u128&) = default;
};
[[nodiscard]] constexpr u128 multiply(std::uint64_t a, std::uint64_t b) noexcept {
  const std::uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32;
  const std::uint64_t b_lo = b & 0xffffffffu, b_hi = b >> 32;
  const std::uint64_t lo_lo = a_lo * b_lo;
  const std::uint64_t hi_lo = a_hi * b_lo;
  const std::uint64_t lo_hi = a_lo * b_hi;
  const std::uint64_t hi_hi = a_hi * b_hi;
  const std::uint64_t middle = (lo_lo >> 32) + (hi_lo & 0xffffffffu) + lo_hi;
  return {hi_hi + (hi_lo >> 32) + (middle >> 32), (middle << 32) | (lo_lo & 0xffffffffu)};
}
}  // namespace detail

/// Exact three-way comparison of two fractions with non-zero denominators.
[[nodiscard]] constexpr std::strong_ordering compare(const rate& a, const rate& b) noexcept {
  return detail::multiply(a.numerator, b.denominator) <=> detail::multiply(b.numerator, a.denominator);
}

/// True iff `r` satisfies `t`. An empty rate meets no target (its status is `none`, not GOOD).
[[nodiscard]] constexpr bool meets(const rate& r, const target& t) noexcept {
  if (r.empty()) return false;
  const auto order = compare(r, t.value);
  switch (t.when) {
    case condition::less_than: return order < 0;
    case condition::at_most: return order <= 0;
    case condition::greater_than: return order > 0;
    case condition::at_least: return order >= 0;
  }
  return false;
}

/// GOOD / BAD as the platforms report them; NONE when there were no orders to judge.
enum class status : std::uint8_t { none, good, bad };

[[nodiscard]] constexpr std::string_view to_string(status s) noexcept {
  switch (s) {
    case status::none: return "NONE";
    case status::good: return "GOOD";
    case status::bad: return "BAD";
  }
  return "?";
}

namespace detail {
/// The smallest k in [low, high] for which `holds(k)`, given that `holds` is false and then true
/// over the range and true at `high`: every "how many before" in the library is one of these.
template <class Predicate>
[[nodiscard]] constexpr std::uint64_t first_true(std::uint64_t low, std::uint64_t high, Predicate holds) noexcept {
  while (low < high) {  // at most 64 steps
    const std::uint64_t mid = low + (high - low) / 2;
    if (holds(mid))
      high = mid;
    else
      low = mid + 1;
  }
  return low;
}
/// The largest k in [low, high] for which `holds(k)`, given that `holds` is true and then false
/// and true at `low`.
template <class Predicate>
[[nodiscard]] constexpr std::uint64_t last_true(std::uint64_t low, std::uint64_t high, Predicate holds) noexcept {
  return first_true(low, high, [&](std::uint64_t k) { return k == high || !holds(k + 1); });
}
/// The smallest k >= 1 for which `holds(k)` (false then true), doubling up to 2^62 (so that adding
/// k to a count of at most 2^62 cannot overflow); empty when even 2^62 does not hold.
template <class Predicate>
[[nodiscard]] constexpr std::optional<std::uint64_t> first_true_from_one(Predicate holds) noexcept {
  constexpr std::uint64_t limit = std::uint64_t{1} << 62;
  std::uint64_t high = 1;
  while (!holds(high)) {
    if (high >= limit) return std::nullopt;
    high *= 2;
  }
  return first_true(high / 2 + 1 > 1 ? high / 2 + 1 : 1, high, holds);
}
inline constexpr std::uint64_t count_limit = std::uint64_t{1} << 62;
}  // namespace detail

[[nodiscard]] constexpr status judge(const rate& r, const target& t) noexcept {
  if (r.empty()) return status::none;
  return meets(r, t) ? status::good : status::bad;
}

/// Low volume: the sample is so small that one more bad order on its own would decide the status,
/// i.e. 1/(denominator) already fails the target. For PFCR (< 1/40) that is 40 orders or fewer; for
/// LSR (< 1/25), 25 or fewer. Platforms publish no such line (seed 002: one order, one cancel,
/// 100 %); the library reports it so a tool can say "this rate rests on N orders".
[[nodiscard]] constexpr bool low_volume(const rate& r, const target& t) noexcept {
  if (r.empty()) return false;
  if (t.when == condition::less_than || t.when == condition::at_most) return !meets(rate{1, r.denominator}, t);
  // For "at least" targets one bad order is a miss: (den-1)/den must still meet the target.
  return !meets(rate{r.denominator - 1, r.denominator}, t);
}

/// How many more bad orders among the ones already counted (denominator unchanged) the rate can
/// take and still meet an upper-bound target; 0 when it already fails, and never more than the
/// orders not yet bad. For lower-bound targets (at least / greater than), how many good orders
/// may turn bad. Exact: found by the closed form and checked with `meets`.
[[nodiscard]] constexpr std::uint64_t headroom(const rate& r, const target& t) noexcept {
  if (r.empty() || !meets(r, t)) return 0;
  const std::uint64_t spare = r.denominator - r.numerator;
  // Upper-bound targets: the largest k <= spare with (num + k) / den still meeting the target.
  // Lower-bound targets: the largest k <= num with (num - k) / den still meeting it.
  const bool upper = t.when == condition::less_than || t.when == condition::at_most;
  return detail::last_true(0, upper ? spare : r.numerator, [&](std::uint64_t k) {
    return meets(upper ? rate{r.numerator + k, r.denominator} : rate{r.numerator - k, r.denominator}, t);
  });
}

/// How many more good orders would bring a rate that fails `t` back to meeting it: orders that
/// add to the denominator only for an upper-bound target (the numerator counts bad orders), to
/// both for a lower-bound one (it counts good orders). 0 when `r` already meets `t` or is empty;
/// empty when no number of good orders would do (a target of "less than 0").
[[nodiscard]] constexpr std::optional<std::uint64_t> recovery(const rate& r, const target& t) noexcept {
  if (r.empty() || meets(r, t)) return 0;
  const bool upper = t.when == condition::less_than || t.when == condition::at_most;
  const auto after = [&](std::uint64_t k) {
    return upper ? rate{r.numerator, r.denominator + k} : rate{r.numerator + k, r.denominator + k};
  };
  if (r.denominator > detail::count_limit || r.numerator > detail::count_limit) return std::nullopt;
  return detail::first_true_from_one([&](std::uint64_t k) { return meets(after(k), t); });
}

}  // namespace sellerhealth
