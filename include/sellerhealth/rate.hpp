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
  std::uint64_t low = 0, high = upper ? spare : r.numerator;
  while (low < high) {  // binary search on a monotone predicate; at most 64 steps
    const std::uint64_t mid = low + (high - low + 1) / 2;
    const rate moved = upper ? rate{r.numerator + mid, r.denominator} : rate{r.numerator - mid, r.denominator};
    if (meets(moved, t))
      low = mid;
    else
      high = mid - 1;
  }
  return low;
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
  constexpr std::uint64_t limit = std::uint64_t{1} << 62;  // keeps every sum below 2^64
  if (r.denominator > limit || r.numerator > limit) return std::nullopt;
  std::uint64_t high = 1;
  while (!meets(after(high), t)) {
    if (high >= limit) return std::nullopt;
    high *= 2;
  }
  std::uint64_t low = high / 2 + 1;  // after(high / 2) fails (or high == 1)
  if (high == 1) low = 1;
  while (low < high) {
    const std::uint64_t mid = low + (high - low) / 2;
    if (meets(after(mid), t))
      high = mid;
    else
      low = mid + 1;
  }
  return low;
}

}  // namespace sellerhealth
