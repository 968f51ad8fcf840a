// Scaffolding shared by the GoogleTest files: JST instants and days written out from the calendar
// (independent of the library's own calendar maths), the ledgers the tests build, shorthands for
// events, and a metric result's counts and status as plain values.
//
// Use it with `using namespace scenario;` inside the test file's anonymous namespace. The Qoo10
// tests use `scenario::qoo10_clock` instead, whose `jst` defaults to 10:00 (an order paid at 10:00):
// never bring both `jst`s into one scope, or `jst(y, m, d)` would quietly mean midnight.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <sellerhealth/sellerhealth.hpp>
#include <string>
#include <string_view>
#include <utility>

namespace scenario {

namespace sh = sellerhealth;
namespace am = sellerhealth::amazon;
namespace q10 = sellerhealth::qoo10;
using sh::local_day;
using sh::sys_seconds;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// ---- ledgers -------------------------------------------------------------------------------------

using pfcr = am::pre_fulfillment_cancel_rate;
using lsr10 = am::late_shipment_rate_10d;
using lsr30 = am::late_shipment_rate_30d;
/// The three Amazon policies.
using amazon_book = sh::ledger<sh::jst, pfcr, lsr10, lsr30>;
/// Qoo10's two rates and its two penalty rules.
using qoo10_book = sh::ledger<sh::jst, q10::cancel_rate_month, q10::cancel_rate_quarter, q10::monthly_warning,
                              q10::quarterly_restriction>;
/// Every marketplace: the Amazon policies, then Qoo10's.
using all_book = sh::ledger<sh::jst, pfcr, lsr10, lsr30, q10::cancel_rate_month, q10::cancel_rate_quarter,
                            q10::monthly_warning, q10::quarterly_restriction>;

// ---- time ----------------------------------------------------------------------------------------

/// The instant y-m-d hh:mm:ss UTC.
constexpr sys_seconds utc(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) {
  return sys_seconds{std::chrono::sys_days{std::chrono::year{y} / m / d}} + hours{hh} + minutes{mm} + seconds{ss};
}
/// The instant `since_midnight` after the start of UTC day `d`.
constexpr sys_seconds utc(std::chrono::year_month_day d, seconds since_midnight = seconds{0}) {
  return sys_seconds{std::chrono::sys_days{d}} + since_midnight;
}
/// An instant given as JST wall-clock time (`jst(2016, 10, 3, 10)` is 10:00 on Oct 3 in Tokyo).
constexpr sys_seconds jst(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) {
  return utc(y, m, d, hh, mm, ss) - hours{9};
}
/// The instant `since_midnight` after the start of JST day `d`.
constexpr sys_seconds jst(std::chrono::year_month_day d, seconds since_midnight = seconds{0}) {
  return utc(d, since_midnight) - hours{9};
}
/// The local (JST) day y-m-d.
constexpr local_day lday(int y, int m, int d) { return local_day{std::chrono::year{y} / m / d}; }

/// November 2020, JST (after the 2020-09-30 change that moved automatic cancellations to PFCR).
constexpr sys_seconds nov(int d, int hh = 0, int mm = 0, int ss = 0) { return jst(2020, 11, d, hh, mm, ss); }
constexpr local_day nov_day(int d) { return lday(2020, 11, d); }

/// Qoo10 time: days and instants from unsigned month and day, an instant defaulting to 10:00.
namespace qoo10_clock {
constexpr std::chrono::year_month_day ymd(int y, unsigned m, unsigned d) {
  return std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}
/// The local (JST) day y-m-d.
constexpr local_day day(int y, unsigned m, unsigned d) { return local_day{ymd(y, m, d)}; }
/// The instant y-m-d at `since_midnight` JST (UTC+9), written out from the calendar.
constexpr sys_seconds jst(int y, unsigned m, unsigned d, seconds since_midnight = hours{10}) {
  return sys_seconds{std::chrono::sys_days{ymd(y, m, d)}} + since_midnight - hours{9};
}
}  // namespace qoo10_clock

// ---- results -------------------------------------------------------------------------------------

using frac = std::pair<std::uint64_t, std::uint64_t>;

inline frac counts(const sh::metric_result& r) { return {r.counts.numerator, r.counts.denominator}; }
inline std::string status(const sh::metric_result& r) { return std::string(sh::to_string(r.status)); }

// ---- events --------------------------------------------------------------------------------------

/// The message of the `sellerhealth::error` that `f` throws, or "" when it throws none.
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const sh::error& e) {
    return e.what();
  }
  return "";
}

/// An order id: `prefix` followed by `n` ("P", 7: "P7"). Appends rather than writing
/// `"P" + std::to_string(n)`, which prepends into the temporary and which GCC 12 at -O3 reports as
/// an overlapping memcpy (-Wrestrict, a false positive: GCC bugs 105329 and 105651).
inline std::string numbered(std::string_view prefix, long long n) {
  std::string id(prefix);
  id += std::to_string(n);
  return id;
}

inline sh::placed place(std::string_view id, sys_seconds at, sys_seconds ship_by, std::string_view seller = "S1",
                        std::uint32_t quantity = 1, sh::fulfilment channel = sh::fulfilment::merchant) {
  return sh::placed{
      .order = id, .seller = seller, .at = at, .ship_by = ship_by, .quantity = quantity, .channel = channel};
}
inline sh::shipped ship(std::string_view id, sys_seconds at) { return sh::shipped{.order = id, .at = at}; }
inline sh::cancelled cancel(std::string_view id, sys_seconds at, sh::actor by = sh::actor::seller,
                            std::optional<std::uint32_t> units = std::nullopt) {
  return sh::cancelled{.order = id, .at = at, .by = by, .units = units};
}
inline sh::cancel_requested request(std::string_view id, sys_seconds at) {
  return sh::cancel_requested{.order = id, .at = at};
}
inline sh::refunded refund(std::string_view id, sys_seconds at, std::optional<std::uint32_t> units = std::nullopt) {
  return sh::refunded{.order = id, .at = at, .units = units};
}
inline sh::ship_by_changed move_ship_by(std::string_view id, sys_seconds at, sys_seconds ship_by) {
  return sh::ship_by_changed{.order = id, .at = at, .ship_by = ship_by};
}
inline sh::exempted exempt(std::string_view id, sys_seconds at, sh::exempt_from metric) {
  return sh::exempted{.order = id, .at = at, .metric = metric};
}

}  // namespace scenario
