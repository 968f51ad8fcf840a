// Qoo10 Japan's cancellation penalty (seed 003; rules.md, Qoo10 section).
//
// Available rules, when to use each:
//   monthly_warning       on the 1st of each month, the previous month: rate > 7 % sends a warning
//   quarterly_restriction on Jan 1, Apr 1, Jul 1, Oct 1, the previous quarter: > 10 % bars the
//                         Mega-wari sale, > 15 % caps listings at 500, > 15 % twice in a row
//                         restricts the account (sales stopped, payouts suspended)
//   cancel_rate_month     the running month's rate, for a report (GOOD while no warning would follow)
//   cancel_rate_quarter   the running quarter's rate (GOOD while no restriction would follow)
// Every comparison is strict: exactly 7 %, 10 %, 15 % or 50 % is not a breach. With fewer than 10
// orders in the period a penalty applies only above 50 %.
//
// Modelled, not published (each a template parameter):
//   - an order cancelled within 6 hours of payment leaves numerator and denominator
//     (`basic_cancel_rate<QuickCancelSeconds>`; "within" includes exactly 6:00:00);
//   - the small-sample rule (fewer than 10 orders: only > 50 % counts) applies to the monthly
//     warning too (`basic_monthly_warning<false>` turns that off).
// Every order counts (Qoo10 has no platform fulfilment split). Orders are filed under their local
// payment day; a cancellation counts when every unit is cancelled, by anyone, by the end of the
// period judged, unless the order is exempted (manufacturer delay proven to Qoo10).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "calendar.hpp"
#include "policy.hpp"
#include "rate.hpp"

namespace sellerhealth::qoo10 {

/// The measure: paid orders (denominator) and wholly cancelled ones (numerator) by payment day.
template <std::int64_t QuickCancelSeconds = 6 * 3600>
struct basic_cancel_rate {
  [[nodiscard]] static constexpr classification classify(const order_view& o, const as_of& when) noexcept {
    if (!when.happened(o.placed_at())) return {};
    const local_day paid = when.day_of(o.placed_at());
    const auto cancelled = o.fully_cancelled_at();
    if (!when.happened(cancelled)) return {.denominator = paid};
    if (*cancelled - o.placed_at() <= std::chrono::seconds{QuickCancelSeconds})
      return {};  // a quick cancel: in neither
    if (when.happened(o.exempted_at(exempt_from::cancel))) return {.denominator = paid};
    return {.denominator = paid, .numerator = paid};
  }
};
using cancel_rate = basic_cancel_rate<>;

/// Penalty tiers, from none to the worst.
enum class tier : std::uint8_t { none, warning, mega_wari_restricted, listing_capped, account_restricted };

[[nodiscard]] constexpr std::string_view to_string(tier t) noexcept {
  switch (t) {
    case tier::none: return "none";
    case tier::warning: return "warning";
    case tier::mega_wari_restricted: return "mega_wari_restricted";
    case tier::listing_capped: return "listing_capped";
    case tier::account_restricted: return "account_restricted";
  }
  return "?";
}

namespace detail {
[[nodiscard]] constexpr bool exceeds(const rate& r, std::uint64_t percent) noexcept {
  return !r.empty() && compare(r, rate{percent, 100}) > 0;
}
/// Fewer than `SmallBelow` orders: only a rate above 50 % is a breach at all.
template <std::uint64_t SmallBelow>
[[nodiscard]] constexpr bool small_sample_spared(const rate& r) noexcept {
  return r.denominator < SmallBelow && !exceeds(r, 50);
}
[[nodiscard]] constexpr local_day first_of_next_month(local_day d) noexcept {
  return month_of(d).to + std::chrono::days{1};
}
[[nodiscard]] constexpr bool is_first_of_month(local_day d) noexcept { return month_of(d).from == d; }
[[nodiscard]] constexpr bool is_first_of_quarter(local_day d) noexcept { return quarter_of(d).from == d; }
}  // namespace detail

/// Stage 1: on the 1st of every month, the previous calendar month's rate > 7 % sends a warning.
template <bool SmallSampleRuleApplies = true, std::uint64_t SmallSampleBelow = 10>
struct basic_monthly_warning {
  using measure = cancel_rate;
  using tier = qoo10::tier;
  static constexpr std::string_view id = "qoo10.monthly_warning";
  static constexpr int longest_period = 31;

  [[nodiscard]] static constexpr std::optional<day_range> judged_period(local_day d) noexcept {
    if (!detail::is_first_of_month(d)) return std::nullopt;
    return month_of(d - std::chrono::days{1});
  }
  [[nodiscard]] static constexpr local_day next_evaluation_after(local_day d) noexcept {
    return detail::first_of_next_month(d);
  }
  [[nodiscard]] static constexpr tier tier_of(const rate& r, tier /*previous*/) noexcept {
    if (r.empty()) return tier::none;
    if (SmallSampleRuleApplies && detail::small_sample_spared<SmallSampleBelow>(r)) return tier::none;
    return detail::exceeds(r, 7) ? tier::warning : tier::none;
  }
  [[nodiscard]] static constexpr std::string_view tier_name(tier t) noexcept { return to_string(t); }
};

/// Stage 2: on Jan 1, Apr 1, Jul 1 and Oct 1, the previous three calendar months.
template <std::uint64_t SmallSampleBelow = 10>
struct basic_quarterly_restriction {
  using measure = cancel_rate;
  using tier = qoo10::tier;
  static constexpr std::string_view id = "qoo10.quarterly";
  static constexpr int longest_period = 92;

  [[nodiscard]] static constexpr std::optional<day_range> judged_period(local_day d) noexcept {
    if (!detail::is_first_of_quarter(d)) return std::nullopt;
    return quarter_of(d - std::chrono::days{1});
  }
  [[nodiscard]] static constexpr local_day next_evaluation_after(local_day d) noexcept {
    return quarter_of(d).to + std::chrono::days{1};
  }
  [[nodiscard]] static constexpr tier tier_of(const rate& r, tier previous) noexcept {
    if (r.empty() || detail::small_sample_spared<SmallSampleBelow>(r)) return tier::none;
    if (detail::exceeds(r, 15))
      return previous >= tier::listing_capped ? tier::account_restricted : tier::listing_capped;
    return detail::exceeds(r, 10) ? tier::mega_wari_restricted : tier::none;
  }
  [[nodiscard]] static constexpr std::string_view tier_name(tier t) noexcept { return to_string(t); }
};

using monthly_warning = basic_monthly_warning<>;
using quarterly_restriction = basic_quarterly_restriction<>;

/// The running calendar month's rate: GOOD while the monthly warning would not follow.
template <class Warning = monthly_warning>
struct basic_cancel_rate_month {
  using measure = typename Warning::measure;
  static constexpr std::string_view id = "qoo10.cancel_rate_month";
  static constexpr target goal{condition::at_most, {7, 100}};
  static constexpr window_spec window = month_to_date();
  [[nodiscard]] static constexpr status judge(const rate& r) noexcept {
    return Warning::tier_of(r, tier::none) == tier::none ? status::good : status::bad;
  }
  [[nodiscard]] static constexpr bool is_low_volume(const rate& r) noexcept { return r.denominator < 10; }
};

/// The running calendar quarter's rate: GOOD while no quarterly restriction would follow.
template <class Restriction = quarterly_restriction>
struct basic_cancel_rate_quarter {
  using measure = typename Restriction::measure;
  static constexpr std::string_view id = "qoo10.cancel_rate_quarter";
  static constexpr target goal{condition::at_most, {10, 100}};
  static constexpr window_spec window = quarter_to_date();
  [[nodiscard]] static constexpr status judge(const rate& r) noexcept {
    return Restriction::tier_of(r, tier::none) == tier::none ? status::good : status::bad;
  }
  [[nodiscard]] static constexpr bool is_low_volume(const rate& r) noexcept { return r.denominator < 10; }
};

using cancel_rate_month = basic_cancel_rate_month<>;
using cancel_rate_quarter = basic_cancel_rate_quarter<>;

}  // namespace sellerhealth::qoo10
