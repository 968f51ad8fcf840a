// Marketplace time: instants, local days in the marketplace's zone, and the windows metrics use.
//
// Instants are `std::chrono::sys_seconds` (UTC). A *local day* is a `std::chrono::local_days`: the
// calendar day in the marketplace's zone. Zones here are fixed offsets (Amazon.co.jp, Qoo10 Japan
// and Yahoo! Shopping all use JST, UTC+09:00, with no daylight saving); a zone is a type with
// `utc_offset`, so a policy never pays for a zone database it does not need.
//
//   using sellerhealth::jst;
//   auto day = jst::day_of(sys_seconds{...});          // local day of an instant
//   auto from = jst::start_of(day);                     // first instant of that day
//   auto w = sellerhealth::rolling_days(7).period(day); // [day - 6, day]
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace sellerhealth {

using sys_seconds = std::chrono::sys_seconds;
using local_day = std::chrono::local_days;

/// A fixed-offset time zone. `OffsetSeconds` east of UTC.
template <int OffsetSeconds>
struct fixed_offset_zone {
  static constexpr std::chrono::seconds utc_offset{OffsetSeconds};
  /// The local day an instant falls on.
  [[nodiscard]] static constexpr local_day day_of(sys_seconds t) noexcept {
    return std::chrono::floor<std::chrono::days>(std::chrono::local_seconds{t.time_since_epoch() + utc_offset});
  }
  /// The first instant of a local day; the day ends just before `start_of(day + days{1})`.
  [[nodiscard]] static constexpr sys_seconds start_of(local_day day) noexcept {
    return sys_seconds{std::chrono::seconds{day.time_since_epoch()} - utc_offset};
  }
};

/// Japan Standard Time, UTC+09:00, no daylight saving.
using jst = fixed_offset_zone<9 * 3600>;

/// The requirement on a zone type (see `fixed_offset_zone`).
template <class Z>
concept zone = requires(sys_seconds t, local_day d) {
  { Z::utc_offset } -> std::convertible_to<std::chrono::seconds>;
  { Z::day_of(t) } -> std::same_as<local_day>;
  { Z::start_of(d) } -> std::same_as<sys_seconds>;
};

/// An inclusive range of local days.
struct day_range {
  local_day from;
  local_day to;
  [[nodiscard]] constexpr bool contains(local_day d) const noexcept { return from <= d && d <= to; }
  [[nodiscard]] constexpr int length() const noexcept { return static_cast<int>((to - from).count()) + 1; }
  friend constexpr bool operator==(const day_range&, const day_range&) = default;
};

/// The calendar month containing `d`.
[[nodiscard]] constexpr day_range month_of(local_day d) noexcept {
  const std::chrono::year_month_day ymd{d};
  const auto first = std::chrono::local_days{ymd.year() / ymd.month() / std::chrono::day{1}};
  const auto last = std::chrono::local_days{ymd.year() / ymd.month() / std::chrono::last};
  return {first, last};
}

/// The calendar quarter (Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec) containing `d`.
[[nodiscard]] constexpr day_range quarter_of(local_day d) noexcept {
  const std::chrono::year_month_day ymd{d};
  const unsigned first_month = (static_cast<unsigned>(ymd.month()) - 1) / 3 * 3 + 1;
  const std::chrono::year_month start{ymd.year(), std::chrono::month{first_month}};
  const auto end = start + std::chrono::months{2};
  return {std::chrono::local_days{start / std::chrono::day{1}}, std::chrono::local_days{end / std::chrono::last}};
}

/// Which days a metric evaluated at day `d` looks at.
///  - `rolling_days(n)`: the n days ending at d (Amazon: 7, 10, 30).
///  - `month_to_date()`: the calendar month containing d, up to d (Qoo10's running month).
///  - `quarter_to_date()`: likewise for the calendar quarter.
struct window_spec {
  enum class kind : std::uint8_t { rolling, month_to_date, quarter_to_date };
  kind shape = kind::rolling;
  int days = 1;  // rolling length; for calendar shapes the longest span they can reach

  [[nodiscard]] constexpr day_range period(local_day d) const noexcept {
    switch (shape) {
      case kind::rolling: return {d - std::chrono::days{days - 1}, d};
      case kind::month_to_date: return {month_of(d).from, d};
      case kind::quarter_to_date: return {quarter_of(d).from, d};
    }
    return {d, d};
  }
  /// The most days `period` can ever span: what the day-bucket ring must hold.
  [[nodiscard]] constexpr int max_span() const noexcept { return days; }
};

[[nodiscard]] constexpr window_spec rolling_days(int n) noexcept { return {window_spec::kind::rolling, n}; }
[[nodiscard]] constexpr window_spec month_to_date() noexcept { return {window_spec::kind::month_to_date, 31}; }
[[nodiscard]] constexpr window_spec quarter_to_date() noexcept { return {window_spec::kind::quarter_to_date, 92}; }

/// No holidays: the default of `business_calendar`.
struct no_holidays {
  [[nodiscard]] static constexpr bool contains(local_day) noexcept { return false; }
};

/// Business days: Monday to Friday in the marketplace's zone, except the days `Holidays` names
/// (a type with `static constexpr bool contains(local_day)`). Amazon counts its automatic
/// cancellation in business days and publishes no holiday list, so the default has none; a
/// marketplace's public holidays are a type of one's own:
///
///   struct jp_holidays_2026 {
///     static constexpr std::array days{sellerhealth::local_day{2026y / 9 / 21}, ...};
///     static constexpr bool contains(sellerhealth::local_day d) noexcept {
///       return std::find(days.begin(), days.end(), d) != days.end();
///     }
///   };
template <class Holidays = no_holidays>
struct business_calendar {
  [[nodiscard]] static constexpr bool is_business_day(local_day d) noexcept {
    const std::chrono::weekday w{d};
    return w != std::chrono::Saturday && w != std::chrono::Sunday && !Holidays::contains(d);
  }
  /// The `n`th business day after `d` (`d` itself never counts, whatever it is); `d` for n <= 0.
  /// A holiday list that leaves no business day for a year stops the count there, so a careless
  /// `Holidays` cannot hang the caller.
  [[nodiscard]] static constexpr local_day after(local_day d, int n) noexcept {
    for (int idle = 0; n > 0 && idle < 366;) {
      d += std::chrono::days{1};
      if (is_business_day(d)) {
        --n;
        idle = 0;
      } else {
        ++idle;
      }
    }
    return d;
  }
};

/// "YYYY-MM-DD" for a local day (years 0000-9999; the CSV reader accepts no others).
[[nodiscard]] inline std::string format_day(local_day d) {
  const std::chrono::year_month_day ymd{d};
  const int y = static_cast<int>(ymd.year());
  const unsigned m = static_cast<unsigned>(ymd.month()), dd = static_cast<unsigned>(ymd.day());
  std::string out(10, '0');
  const auto put = [&](std::size_t at, unsigned value, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i) {
      out[at + width - 1 - i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, static_cast<unsigned>(y < 0 ? 0 : y), 4);
  out[4] = '-';
  put(5, m, 2);
  out[7] = '-';
  put(8, dd, 2);
  return out;
}

}  // namespace sellerhealth

namespace sellerhealth {

/// The instants the library accepts: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z. Outside it the
/// ledger rejects an event rather than risk overflowing day arithmetic.
inline constexpr sys_seconds earliest_instant{std::chrono::sys_days{std::chrono::year{1} / 1 / 1}.time_since_epoch()};
inline constexpr sys_seconds latest_instant{
    std::chrono::sys_days{std::chrono::year{9999} / 12 / 31}.time_since_epoch() + std::chrono::seconds{86399}};

[[nodiscard]] constexpr bool in_supported_range(sys_seconds t) noexcept {
  return earliest_instant <= t && t <= latest_instant;
}

namespace detail {
/// "YYYY-MM-DDTHH:MM:SS" of `t` shifted by `offset`, then the offset as "Z" or "+HH:MM".
[[nodiscard]] inline std::string format_with_offset(sys_seconds t, std::chrono::seconds offset) {
  if (!in_supported_range(t)) return "(out of range)";
  const auto local = t + offset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const auto seconds = (local - day).count();
  std::string out = format_day(local_day{day.time_since_epoch()});
  const auto two = [&](long long v) {
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
  };
  out += 'T';
  two(seconds / 3600);
  out += ':';
  two(seconds / 60 % 60);
  out += ':';
  two(seconds % 60);
  if (offset.count() == 0) {
    out += 'Z';
  } else {
    const long long east = offset.count() < 0 ? -offset.count() : offset.count();
    out += offset.count() < 0 ? '-' : '+';
    two(east / 3600);
    out += ':';
    two(east / 60 % 60);
  }
  return out;
}
}  // namespace detail

/// "YYYY-MM-DDTHH:MM:SSZ" (UTC): for formats that demand UTC. Messages and reports for a
/// marketplace use `format_local<Zone>`.
[[nodiscard]] inline std::string format_instant(sys_seconds t) {
  return detail::format_with_offset(t, std::chrono::seconds{0});
}

/// "YYYY-MM-DDTHH:MM:SS+HH:MM" in the marketplace's zone (`2026-09-12T23:59:59+09:00` in JST):
/// how a seller reads a deadline. An instant whose local time falls outside years 1-9999 (the
/// last hours of 9999 in a zone east of UTC) prints in UTC instead.
template <zone Z>
[[nodiscard]] inline std::string format_local(sys_seconds t) {
  if (!in_supported_range(t + Z::utc_offset)) return format_instant(t);
  return detail::format_with_offset(t, std::chrono::seconds{Z::utc_offset});
}

}  // namespace sellerhealth
