// Compile-time tier: everything here is decided by `static_assert`, so a wrong answer is a build
// failure, not a test failure. Expected values are worked out by hand from rules.md:
//   PFCR meets its target iff cancels/orders < 1/40 (exactly 2.5 % fails);
//   LSR meets its target iff late/orders < 1/25 (exactly 4 % fails);
//   a local day is the calendar day in JST (UTC+09:00), so 15:00:00Z is the next day's midnight.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <sellerhealth/sellerhealth.hpp>
#include <string_view>

#include "support/scenario.hpp"

// A named namespace, not an anonymous one: the malformed policies below have members nothing
// reads, which clang would flag as unused in an anonymous namespace.
namespace static_tier {

using namespace scenario;

constexpr sh::target pfcr_goal{sh::condition::less_than, {1, 40}};
constexpr sh::target lsr_goal{sh::condition::less_than, {1, 25}};
constexpr sh::target walmart_goal{sh::condition::at_most, {2, 100}};
constexpr sh::target at_least_90{sh::condition::at_least, {90, 100}};
constexpr sh::target above_90{sh::condition::greater_than, {9, 10}};

// ---- meets: the two Amazon thresholds at their exact boundaries -----------------------------------

// PFCR "< 2.5 %": 1/40 is exactly 2.5 % and fails; 1/41 (2.44 %) is the first passing count.
static_assert(!sh::meets({1, 40}, pfcr_goal));
static_assert(sh::meets({1, 41}, pfcr_goal));
static_assert(!sh::meets({2, 80}, pfcr_goal));  // same fraction, not reduced
static_assert(sh::meets({2, 81}, pfcr_goal));
static_assert(!sh::meets({3, 119}, pfcr_goal));  // 3/119 = 2.52 %
static_assert(sh::meets({3, 121}, pfcr_goal));   // 3/121 = 2.48 %
static_assert(!sh::meets({3, 120}, pfcr_goal));  // 3/120 = 2.5 % exactly
static_assert(sh::meets({0, 1}, pfcr_goal));
static_assert(!sh::meets({1, 1}, pfcr_goal));  // seed 002: one order, one cancel, 100 %

// LSR "< 4 %": 1/25 and 2/50 are exactly 4 % and fail; 1/26 passes.
static_assert(!sh::meets({1, 25}, lsr_goal));
static_assert(!sh::meets({2, 50}, lsr_goal));
static_assert(sh::meets({1, 26}, lsr_goal));
static_assert(sh::meets({2, 51}, lsr_goal));
static_assert(!sh::meets({4, 100}, lsr_goal));
static_assert(sh::meets({3, 76}, lsr_goal));  // 3/76 = 3.95 %

// An empty rate (no orders) meets no target, not even an easy one.
static_assert(!sh::meets({0, 0}, pfcr_goal));
static_assert(!sh::meets({0, 0}, walmart_goal));

// The other conditions, each at its boundary.
static_assert(sh::meets({2, 100}, walmart_goal));  // at most 2 %: exactly 2 % passes
static_assert(sh::meets({1, 50}, walmart_goal));
static_assert(!sh::meets({2, 99}, walmart_goal));  // 2.02 %
static_assert(!sh::meets({3, 100}, walmart_goal));
static_assert(sh::meets({90, 100}, at_least_90));  // at least 90 %: exactly 90 % passes
static_assert(sh::meets({9, 10}, at_least_90));
static_assert(!sh::meets({89, 100}, at_least_90));
static_assert(!sh::meets({9, 10}, above_90));  // greater than 90 %: exactly 90 % fails
static_assert(sh::meets({91, 100}, above_90));
static_assert(!sh::meets({0, 0}, at_least_90));

// ---- compare -------------------------------------------------------------------------------------

static_assert(sh::compare({1, 40}, {2, 80}) == std::strong_ordering::equal);
static_assert(sh::compare({1, 41}, {1, 40}) == std::strong_ordering::less);
static_assert(sh::compare({1, 25}, {1, 40}) == std::strong_ordering::greater);
static_assert(sh::compare({0, 7}, {0, 1}) == std::strong_ordering::equal);

// ---- huge counts near 2^64, compared exactly ---------------------------------------------------------
// Worked by hand: max = 2^64 - 1 = 18446744073709551615 = 40 * 461168601842738790 + 15,
// and max - 15 = 18446744073709551600 = 25 * 737869762948382064.
constexpr std::uint64_t max64 = std::numeric_limits<std::uint64_t>::max();
static_assert(max64 == 18446744073709551615ull);
constexpr std::uint64_t k40 = 461168601842738790ull;    // floor(max / 40)
constexpr std::uint64_t d40 = 18446744073709551600ull;  // 40 * k40
constexpr std::uint64_t k25 = 737869762948382064ull;    // (max - 15) / 25
static_assert(40 * k40 == d40 && d40 == 25 * k25);

static_assert(!sh::meets({k40, d40}, pfcr_goal));        // exactly 1/40
static_assert(sh::meets({k40 - 1, d40}, pfcr_goal));     // one fewer cancel
static_assert(sh::meets({k40, d40 + 1}, pfcr_goal));     // one more order
static_assert(sh::meets({k40, max64}, pfcr_goal));       // 40 * k40 = max - 15 < max
static_assert(!sh::meets({k40 + 1, max64}, pfcr_goal));  // 40 * (k40 + 1) = max + 25 > max
static_assert(!sh::meets({k25, d40}, lsr_goal));         // exactly 1/25
static_assert(sh::meets({k25 - 1, d40}, lsr_goal));
static_assert(sh::meets({k25, d40 + 1}, lsr_goal));

// (max-1)/max vs (max-2)/(max-1): (max-1)^2 = max^2 - 2 max + 1 > (max-2) max = max^2 - 2 max.
static_assert(sh::compare({max64 - 1, max64}, {max64 - 2, max64 - 1}) == std::strong_ordering::greater);
static_assert(sh::compare({max64, max64}, {max64 - 1, max64 - 1}) == std::strong_ordering::equal);
static_assert(sh::compare({1, max64}, {1, max64 - 1}) == std::strong_ordering::less);
static_assert(sh::compare({max64, 1}, {max64 - 1, 1}) == std::strong_ordering::greater);
static_assert(sh::compare({max64, max64}, {1, 1}) == std::strong_ordering::equal);
// A double cannot tell these two apart; the exact comparison can.
static_assert(static_cast<double>(k40) / static_cast<double>(d40) ==
              static_cast<double>(k40 - 1) / static_cast<double>(d40));
static_assert(sh::compare({k40, d40}, {k40 - 1, d40}) == std::strong_ordering::greater);

// ---- judge ----------------------------------------------------------------------------------------

static_assert(sh::judge({0, 0}, pfcr_goal) == sh::status::none);
static_assert(sh::judge({1, 40}, pfcr_goal) == sh::status::bad);
static_assert(sh::judge({1, 41}, pfcr_goal) == sh::status::good);
static_assert(sh::judge({0, 1}, pfcr_goal) == sh::status::good);
static_assert(sh::judge({1, 25}, lsr_goal) == sh::status::bad);
static_assert(sh::judge({1, 26}, lsr_goal) == sh::status::good);
static_assert(sh::judge({2, 100}, walmart_goal) == sh::status::good);
static_assert(sh::judge({2, 99}, walmart_goal) == sh::status::bad);
static_assert(sh::to_string(sh::status::good) == "GOOD");
static_assert(sh::to_string(sh::status::bad) == "BAD");
static_assert(sh::to_string(sh::status::none) == "NONE");
static_assert(sh::to_string(sh::condition::less_than) == "LESS_THAN");

// ---- headroom -------------------------------------------------------------------------------------
// PFCR, 41 orders, 0 cancels: 1/41 passes, 2/41 fails -> 1.
static_assert(sh::headroom({0, 41}, pfcr_goal) == 1);
static_assert(sh::headroom({1, 41}, pfcr_goal) == 0);
// PFCR, 40 orders: even 1/40 fails -> 0.
static_assert(sh::headroom({0, 40}, pfcr_goal) == 0);
// PFCR, 100 orders: k/100 < 1/40 <=> 40 k < 100 <=> k <= 2.
static_assert(sh::headroom({0, 100}, pfcr_goal) == 2);
static_assert(sh::headroom({1, 100}, pfcr_goal) == 1);
static_assert(sh::headroom({2, 100}, pfcr_goal) == 0);
static_assert(sh::headroom({3, 100}, pfcr_goal) == 0);  // already failing
// LSR, 100 orders: k/100 < 1/25 <=> k < 4 -> 3.
static_assert(sh::headroom({0, 100}, lsr_goal) == 3);
// At most 2 %, 100 orders: k <= 2.
static_assert(sh::headroom({0, 100}, walmart_goal) == 2);
static_assert(sh::headroom({2, 100}, walmart_goal) == 0);
// At least 90 %, 100 of 100 good: (100 - k)/100 >= 90/100 <=> k <= 10.
static_assert(sh::headroom({100, 100}, at_least_90) == 10);
static_assert(sh::headroom({95, 100}, at_least_90) == 5);
// Greater than 90 %: (100 - k)/100 > 9/10 <=> k < 10 -> 9.
static_assert(sh::headroom({100, 100}, above_90) == 9);
static_assert(sh::headroom({0, 0}, pfcr_goal) == 0);
// Huge: 40 * k40 orders and no cancels: k40 - 1 cancels still pass, k40 do not.
static_assert(sh::headroom({0, d40}, pfcr_goal) == k40 - 1);
// Never more than the orders not yet bad: 0/1 against "at most 100 %" -> 1.
static_assert(sh::headroom({0, 1}, sh::target{sh::condition::at_most, {1, 1}}) == 1);

// ---- low volume -------------------------------------------------------------------------------------
// PFCR: 1/n fails iff n <= 40, so 40 orders or fewer is low volume, 41 is not.
static_assert(sh::low_volume({0, 40}, pfcr_goal));
static_assert(!sh::low_volume({0, 41}, pfcr_goal));
static_assert(sh::low_volume({1, 1}, pfcr_goal));
// LSR: 25 or fewer.
static_assert(sh::low_volume({0, 25}, lsr_goal));
static_assert(!sh::low_volume({0, 26}, lsr_goal));
// At most 2 %: 1/n <= 1/50 iff n >= 50, so 49 or fewer.
static_assert(sh::low_volume({0, 49}, walmart_goal));
static_assert(!sh::low_volume({0, 50}, walmart_goal));
// At least 90 %: (n-1)/n >= 9/10 iff n >= 10, so 9 or fewer.
static_assert(sh::low_volume({9, 9}, at_least_90));
static_assert(!sh::low_volume({10, 10}, at_least_90));
static_assert(!sh::low_volume({0, 0}, pfcr_goal));  // no orders: NONE, not "low volume"

// ---- calendar ---------------------------------------------------------------------------------------

// JST midnight is 15:00:00Z the day before.
static_assert(sh::jst::day_of(utc(2016, 9, 12, 14, 59, 59)) == lday(2016, 9, 12));
static_assert(sh::jst::day_of(utc(2016, 9, 12, 15, 0, 0)) == lday(2016, 9, 13));
static_assert(sh::jst::day_of(utc(2016, 12, 31, 15, 0, 0)) == lday(2017, 1, 1));
static_assert(sh::jst::start_of(lday(2016, 9, 13)) == utc(2016, 9, 12, 15, 0, 0));
static_assert(sh::jst::utc_offset == hours{9});
static_assert(sh::zone<sh::jst>);
static_assert(!sh::zone<int>);

static_assert(sh::month_of(lday(2016, 9, 13)) == sh::day_range{lday(2016, 9, 1), lday(2016, 9, 30)});
static_assert(sh::month_of(lday(2016, 2, 10)) == sh::day_range{lday(2016, 2, 1), lday(2016, 2, 29)});  // leap
static_assert(sh::month_of(lday(2017, 2, 28)) == sh::day_range{lday(2017, 2, 1), lday(2017, 2, 28)});
static_assert(sh::month_of(lday(2016, 12, 31)).length() == 31);

static_assert(sh::quarter_of(lday(2016, 12, 31)) == sh::day_range{lday(2016, 10, 1), lday(2016, 12, 31)});
static_assert(sh::quarter_of(lday(2017, 1, 1)) == sh::day_range{lday(2017, 1, 1), lday(2017, 3, 31)});
static_assert(sh::quarter_of(lday(2016, 9, 30)) == sh::day_range{lday(2016, 7, 1), lday(2016, 9, 30)});
static_assert(sh::quarter_of(lday(2016, 4, 1)) == sh::day_range{lday(2016, 4, 1), lday(2016, 6, 30)});
static_assert(sh::quarter_of(lday(2016, 2, 29)).length() == 91);  // 31 + 29 + 31

static_assert(sh::rolling_days(7).period(lday(2016, 9, 13)) == sh::day_range{lday(2016, 9, 7), lday(2016, 9, 13)});
static_assert(sh::rolling_days(7).period(lday(2016, 9, 13)).length() == 7);
static_assert(sh::rolling_days(7).period(lday(2017, 1, 3)) == sh::day_range{lday(2016, 12, 28), lday(2017, 1, 3)});
static_assert(sh::rolling_days(30).period(lday(2016, 9, 30)) == sh::day_range{lday(2016, 9, 1), lday(2016, 9, 30)});
static_assert(sh::rolling_days(1).period(lday(2016, 9, 30)) == sh::day_range{lday(2016, 9, 30), lday(2016, 9, 30)});
static_assert(sh::month_to_date().period(lday(2016, 9, 13)) == sh::day_range{lday(2016, 9, 1), lday(2016, 9, 13)});
static_assert(sh::quarter_to_date().period(lday(2016, 9, 13)) == sh::day_range{lday(2016, 7, 1), lday(2016, 9, 13)});
static_assert(sh::rolling_days(7).period(lday(2016, 9, 13)).contains(lday(2016, 9, 7)));
static_assert(!sh::rolling_days(7).period(lday(2016, 9, 13)).contains(lday(2016, 9, 6)));

// ---- concepts: the shipped policies -------------------------------------------------------------------

static_assert(sh::rate_policy<am::pre_fulfillment_cancel_rate>);
static_assert(sh::rate_policy<am::late_shipment_rate_10d>);
static_assert(sh::rate_policy<am::late_shipment_rate_30d>);
static_assert(sh::rate_policy<am::basic_pre_fulfillment_cancel_rate<am::cancel_attribution::cancellation_day>>);
static_assert(sh::rate_policy<am::basic_late_shipment_rate<30, am::late_attribution::placement_day>>);
static_assert(sh::measure<am::seller_cancellations<>>);
static_assert(sh::measure<am::late_shipments<>>);
static_assert(am::pre_fulfillment_cancel_rate::id == "amazon.pre_fulfillment_cancel_rate");
static_assert(am::late_shipment_rate_10d::id == "amazon.late_shipment_rate_10d");
static_assert(am::late_shipment_rate_30d::id == "amazon.late_shipment_rate_30d");
static_assert(sh::window_spec{am::pre_fulfillment_cancel_rate::window}.days == 7);
static_assert(sh::window_spec{am::late_shipment_rate_10d::window}.days == 10);
static_assert(sh::window_spec{am::late_shipment_rate_30d::window}.days == 30);

// ---- concepts: malformed policies are rejected ----------------------------------------------------------
// Each `bad_*` differs from `good_policy` in exactly one respect, so the positive control proves the
// rejection is for that respect and nothing else.

struct good_measure {
  static sh::classification classify(const sh::order_view&, const sh::as_of&) noexcept { return {}; }
};
struct good_policy {
  using measure = good_measure;
  static constexpr std::string_view id = "test.good";
  static constexpr sh::target goal{sh::condition::less_than, {1, 10}};
  static constexpr sh::window_spec window = sh::rolling_days(7);
};
static_assert(sh::measure<good_measure>);
static_assert(sh::rate_policy<good_policy>);

struct bad_missing_measure {
  static constexpr std::string_view id = "test.bad";
  static constexpr sh::target goal{sh::condition::less_than, {1, 10}};
  static constexpr sh::window_spec window = sh::rolling_days(7);
};
static_assert(!sh::rate_policy<bad_missing_measure>);

struct measure_returning_bool {
  static bool classify(const sh::order_view&, const sh::as_of&) noexcept { return false; }
};
struct bad_classify_return {
  using measure = measure_returning_bool;
  static constexpr std::string_view id = "test.bad";
  static constexpr sh::target goal{sh::condition::less_than, {1, 10}};
  static constexpr sh::window_spec window = sh::rolling_days(7);
};
static_assert(!sh::measure<measure_returning_bool>);
static_assert(!sh::rate_policy<bad_classify_return>);

// Returning something merely convertible to `classification` is not enough: the table says
// the type is `classification`.
struct almost_classification {
  operator sh::classification() const noexcept { return {}; }
};
struct measure_returning_convertible {
  static almost_classification classify(const sh::order_view&, const sh::as_of&) noexcept { return {}; }
};
static_assert(!sh::measure<measure_returning_convertible>);

struct measure_non_static {
  sh::classification classify(const sh::order_view&, const sh::as_of&) const noexcept { return {}; }
};
static_assert(!sh::measure<measure_non_static>);

struct measure_without_classify {};
static_assert(!sh::measure<measure_without_classify>);

struct bad_missing_id {
  using measure = good_measure;
  static constexpr sh::target goal{sh::condition::less_than, {1, 10}};
  static constexpr sh::window_spec window = sh::rolling_days(7);
};
static_assert(!sh::rate_policy<bad_missing_id>);

struct bad_id_type {
  using measure = good_measure;
  static constexpr int id = 7;
  static constexpr sh::target goal{sh::condition::less_than, {1, 10}};
  static constexpr sh::window_spec window = sh::rolling_days(7);
};
static_assert(!sh::rate_policy<bad_id_type>);

struct bad_goal_type {
  using measure = good_measure;
  static constexpr std::string_view id = "test.bad";
  static constexpr double goal = 0.025;  // a double is exactly what the library refuses to decide on
  static constexpr sh::window_spec window = sh::rolling_days(7);
};
static_assert(!sh::rate_policy<bad_goal_type>);

struct bad_missing_goal {
  using measure = good_measure;
  static constexpr std::string_view id = "test.bad";
  static constexpr sh::window_spec window = sh::rolling_days(7);
};
static_assert(!sh::rate_policy<bad_missing_goal>);

struct bad_missing_window {
  using measure = good_measure;
  static constexpr std::string_view id = "test.bad";
  static constexpr sh::target goal{sh::condition::less_than, {1, 10}};
};
static_assert(!sh::rate_policy<bad_missing_window>);

struct bad_window_type {
  using measure = good_measure;
  static constexpr std::string_view id = "test.bad";
  static constexpr sh::target goal{sh::condition::less_than, {1, 10}};
  static constexpr int window = 7;  // a bare day count is not a window_spec
};
static_assert(!sh::rate_policy<bad_window_type>);

struct bad_measure_is_not_a_measure {
  using measure = measure_without_classify;
  static constexpr std::string_view id = "test.bad";
  static constexpr sh::target goal{sh::condition::less_than, {1, 10}};
  static constexpr sh::window_spec window = sh::rolling_days(7);
};
static_assert(!sh::rate_policy<bad_measure_is_not_a_measure>);

struct bad_id_not_constant {  // a static member the ledger cannot keep a view of at compile time
  using measure = good_measure;
  static const std::string_view id;
  static constexpr sh::target goal{sh::condition::less_than, {1, 40}};
  static constexpr sh::window_spec window = sh::rolling_days(7);
};
static_assert(!sh::rate_policy<bad_id_not_constant>);

struct bad_window_not_constant {
  using measure = good_measure;
  static constexpr std::string_view id = "x.window_not_constant";
  static constexpr sh::target goal{sh::condition::less_than, {1, 40}};
  static const sh::window_spec window;
};
static_assert(!sh::rate_policy<bad_window_not_constant>);

static_assert(!sh::rate_policy<int>);

}  // namespace static_tier

using namespace static_tier;

// Registers the file with the test runner; the real checks above already ran at compile time.
TEST(StaticTier, CompiledMeansPassed) {
  constexpr sh::rate r{1, 41};
  EXPECT_TRUE(sh::meets(r, pfcr_goal));
  EXPECT_FALSE(sh::meets(sh::rate{1, 40}, pfcr_goal));
}
