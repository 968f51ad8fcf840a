// Unit tests for rate.hpp and calendar.hpp.
//
// Expected values come from the rules (rules.md) and from arithmetic done independently here:
// the brute-force and closed-form headroom below use only integer maths of this file, never the
// library's comparison, so they check `headroom` rather than restate it.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <sellerhealth/calendar.hpp>
#include <sellerhealth/rate.hpp>
#include <string>
#include <utility>
#include <vector>

#include "support/scenario.hpp"

namespace {

using namespace scenario;

constexpr sh::target pfcr_goal{sh::condition::less_than, {1, 40}};
constexpr sh::target lsr_goal{sh::condition::less_than, {1, 25}};

// ---- rate basics ------------------------------------------------------------------------------------

TEST(Rate, EmptyMeansNoOrders) {
  EXPECT_TRUE((sh::rate{0, 0}.empty()));
  EXPECT_FALSE((sh::rate{0, 1}.empty()));
  EXPECT_EQ((sh::rate{0, 0}.value()), 0.0);
}

TEST(Rate, ValueIsForDisplay) {
  EXPECT_DOUBLE_EQ((sh::rate{1, 40}.value()), 0.025);
  EXPECT_DOUBLE_EQ((sh::rate{1, 1}.value()), 1.0);
  EXPECT_DOUBLE_EQ((sh::rate{1, 25}.value()), 0.04);
}

TEST(Rate, EqualityIsMemberwiseNotByValue) {
  EXPECT_EQ((sh::rate{1, 40}), (sh::rate{1, 40}));
  EXPECT_NE((sh::rate{1, 40}), (sh::rate{2, 80}));  // same fraction, different counts reported
  EXPECT_EQ(sh::compare({1, 40}, {2, 80}), std::strong_ordering::equal);
}

TEST(Rate, ConditionNamesFollowSpApi) {
  EXPECT_EQ(sh::to_string(sh::condition::less_than), "LESS_THAN");
  EXPECT_EQ(sh::to_string(sh::condition::at_most), "LESS_THAN_OR_EQUAL_TO");
  EXPECT_EQ(sh::to_string(sh::condition::greater_than), "GREATER_THAN");
  EXPECT_EQ(sh::to_string(sh::condition::at_least), "GREATER_THAN_OR_EQUAL_TO");
}

TEST(Rate, StatusNames) {
  EXPECT_EQ(sh::to_string(sh::status::good), "GOOD");
  EXPECT_EQ(sh::to_string(sh::status::bad), "BAD");
  EXPECT_EQ(sh::to_string(sh::status::none), "NONE");
}

TEST(Rate, PfcrBoundaryIsExact) {
  EXPECT_FALSE(sh::meets({1, 40}, pfcr_goal));  // exactly 2.5 %
  EXPECT_TRUE(sh::meets({1, 41}, pfcr_goal));
  EXPECT_EQ(sh::judge({1, 40}, pfcr_goal), sh::status::bad);
  EXPECT_EQ(sh::judge({1, 41}, pfcr_goal), sh::status::good);
  EXPECT_EQ(sh::judge({0, 0}, pfcr_goal), sh::status::none);
}

TEST(Rate, LsrBoundaryIsExact) {
  EXPECT_FALSE(sh::meets({1, 25}, lsr_goal));
  EXPECT_FALSE(sh::meets({2, 50}, lsr_goal));
  EXPECT_TRUE(sh::meets({1, 26}, lsr_goal));
  EXPECT_TRUE(sh::meets({3, 76}, lsr_goal));
}

TEST(Rate, ExactWhereDoubleIsNot) {
  // 40 * 461168601842738790 = 18446744073709551600: k/d is exactly 1/40, (k-1)/d is below it; a
  // double rounds both to the same value.
  const std::uint64_t k = 461168601842738790ull, d = 18446744073709551600ull;
  EXPECT_EQ((sh::rate{k, d}.value()), (sh::rate{k - 1, d}.value()));
  EXPECT_FALSE(sh::meets({k, d}, pfcr_goal));
  EXPECT_TRUE(sh::meets({k - 1, d}, pfcr_goal));
}

// ---- low volume --------------------------------------------------------------------------------------

TEST(LowVolume, PfcrAtFortyOrdersOrFewer) {
  for (std::uint64_t n = 1; n <= 40; ++n) EXPECT_TRUE(sh::low_volume({0, n}, pfcr_goal)) << n << " orders";
  EXPECT_FALSE(sh::low_volume({0, 41}, pfcr_goal));
  EXPECT_FALSE(sh::low_volume({0, 1000}, pfcr_goal));
  // It depends on the order count only, not on how many are bad.
  EXPECT_TRUE(sh::low_volume({40, 40}, pfcr_goal));
  EXPECT_FALSE(sh::low_volume({41, 41}, pfcr_goal));
}

TEST(LowVolume, LsrAtTwentyFiveOrdersOrFewer) {
  EXPECT_TRUE(sh::low_volume({0, 1}, lsr_goal));
  EXPECT_TRUE(sh::low_volume({0, 25}, lsr_goal));
  EXPECT_FALSE(sh::low_volume({0, 26}, lsr_goal));
  EXPECT_TRUE(sh::low_volume({1, 25}, lsr_goal));
  EXPECT_FALSE(sh::low_volume({1, 26}, lsr_goal));
}

TEST(LowVolume, NoOrdersIsNotLowVolume) {
  EXPECT_FALSE(sh::low_volume({0, 0}, pfcr_goal));
  EXPECT_FALSE(sh::low_volume({0, 0}, lsr_goal));
}

TEST(LowVolume, OtherConditions) {
  // at most 2 %: one bad order in n decides alone iff 1/n > 2/100 iff n < 50.
  const sh::target at_most_2{sh::condition::at_most, {2, 100}};
  EXPECT_TRUE(sh::low_volume({0, 49}, at_most_2));
  EXPECT_FALSE(sh::low_volume({0, 50}, at_most_2));
  // at least 95 % good: (n-1)/n >= 19/20 iff n >= 20.
  const sh::target at_least_95{sh::condition::at_least, {95, 100}};
  EXPECT_TRUE(sh::low_volume({19, 19}, at_least_95));
  EXPECT_FALSE(sh::low_volume({20, 20}, at_least_95));
  // greater than 90 %: (n-1)/n > 9/10 iff n > 10.
  const sh::target above_90{sh::condition::greater_than, {9, 10}};
  EXPECT_TRUE(sh::low_volume({10, 10}, above_90));
  EXPECT_FALSE(sh::low_volume({11, 11}, above_90));
}

// ---- headroom: closed form vs brute force -------------------------------------------------------------

// Exact fraction test on small counts (all products below 2^32 here), independent of the library.
bool satisfies(std::uint64_t num, std::uint64_t den, sh::condition c, std::uint64_t p, std::uint64_t q) {
  const std::uint64_t lhs = num * q, rhs = p * den;
  switch (c) {
    case sh::condition::less_than: return lhs < rhs;
    case sh::condition::at_most: return lhs <= rhs;
    case sh::condition::greater_than: return lhs > rhs;
    case sh::condition::at_least: return lhs >= rhs;
  }
  return false;
}

bool upper_bound(sh::condition c) { return c == sh::condition::less_than || c == sh::condition::at_most; }

// Brute force: count how many steps (one more bad order each) keep the rate satisfying the target.
std::uint64_t brute_headroom(std::uint64_t num, std::uint64_t den, sh::condition c, std::uint64_t p, std::uint64_t q) {
  if (den == 0 || !satisfies(num, den, c, p, q)) return 0;
  std::uint64_t k = 0;
  if (upper_bound(c)) {
    while (num + k + 1 <= den && satisfies(num + k + 1, den, c, p, q)) ++k;
  } else {
    while (k + 1 <= num && satisfies(num - k - 1, den, c, p, q)) ++k;
  }
  return k;
}

// Closed form: the largest (upper bound) or smallest (lower bound) numerator that still satisfies
// the target, from integer division.
std::uint64_t closed_headroom(std::uint64_t num, std::uint64_t den, sh::condition c, std::uint64_t p, std::uint64_t q) {
  if (den == 0 || !satisfies(num, den, c, p, q)) return 0;
  const std::uint64_t pd = p * den;
  switch (c) {
    case sh::condition::less_than: {  // n q < p d  <=>  n <= (p d - 1) / q   (p d >= 1 since satisfied)
      const std::uint64_t most = (pd - 1) / q;
      return std::min(most, den) - num;
    }
    case sh::condition::at_most: {  // n <= p d / q
      const std::uint64_t most = pd / q;
      return std::min(most, den) - num;
    }
    case sh::condition::at_least: {  // n >= ceil(p d / q)
      const std::uint64_t least = (pd + q - 1) / q;
      return num - least;
    }
    case sh::condition::greater_than: {  // n >= floor(p d / q) + 1
      const std::uint64_t least = pd / q + 1;
      return num - least;
    }
  }
  return 0;
}

TEST(Headroom, ClosedFormAndBruteForceAgreeForEveryCondition) {
  const std::vector<std::pair<std::uint64_t, std::uint64_t>> thresholds = {
      {1, 40}, {1, 25}, {2, 100}, {1, 2}, {9, 10}, {95, 100}, {1, 1}, {0, 1}, {3, 7}};
  const sh::condition conditions[] = {sh::condition::less_than, sh::condition::at_most, sh::condition::greater_than,
                                      sh::condition::at_least};
  int checked = 0;
  for (const auto c : conditions) {
    for (const auto& [p, q] : thresholds) {
      const sh::target t{c, {p, q}};
      for (std::uint64_t den = 0; den <= 90; ++den) {
        for (std::uint64_t num = 0; num <= den; ++num) {
          const std::uint64_t brute = brute_headroom(num, den, c, p, q);
          ASSERT_EQ(closed_headroom(num, den, c, p, q), brute) << "my closed form, " << num << "/" << den;
          ASSERT_EQ(sh::headroom({num, den}, t), brute)
              << sh::to_string(c) << " " << p << "/" << q << " at " << num << "/" << den;
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 4 * 9 * 4000);
}

TEST(Headroom, WorkedExamples) {
  // PFCR with 100 orders: 2 more cancels are 2 %, 3 would be 3 %.
  EXPECT_EQ(sh::headroom({0, 100}, pfcr_goal), 2u);
  // 80 orders: 1/80 passes, 2/80 = 2.5 % fails.
  EXPECT_EQ(sh::headroom({0, 80}, pfcr_goal), 1u);
  EXPECT_EQ(sh::headroom({1, 80}, pfcr_goal), 0u);
  // 81 orders: 2/81 passes.
  EXPECT_EQ(sh::headroom({0, 81}, pfcr_goal), 2u);
  // LSR with 50 orders: 1/50 passes, 2/50 = 4 % fails.
  EXPECT_EQ(sh::headroom({0, 50}, lsr_goal), 1u);
  EXPECT_EQ(sh::headroom({0, 51}, lsr_goal), 2u);
  // Already failing or empty: 0.
  EXPECT_EQ(sh::headroom({1, 40}, pfcr_goal), 0u);
  EXPECT_EQ(sh::headroom({0, 0}, pfcr_goal), 0u);
}

// ---- calendar ----------------------------------------------------------------------------------------

TEST(Calendar, JstDayBoundary) {
  EXPECT_EQ(sh::jst::day_of(utc(2016, 9, 12, 14, 59, 59)), lday(2016, 9, 12));
  EXPECT_EQ(sh::jst::day_of(utc(2016, 9, 12, 15, 0, 0)), lday(2016, 9, 13));
  EXPECT_EQ(sh::jst::day_of(utc(2016, 9, 12, 0, 0, 0)), lday(2016, 9, 12));  // 09:00 JST
  EXPECT_EQ(sh::jst::start_of(lday(2016, 9, 8)), utc(2016, 9, 7, 15, 0, 0));
}

TEST(Calendar, DayOfAndStartOfRoundTripOverTwoYears) {
  for (sh::local_day d = lday(2015, 12, 1); d <= lday(2017, 3, 1); d += std::chrono::days{1}) {
    const auto start = sh::jst::start_of(d);
    ASSERT_EQ(sh::jst::day_of(start), d);
    ASSERT_EQ(sh::jst::day_of(start - seconds{1}), d - std::chrono::days{1});
    ASSERT_EQ(sh::jst::day_of(start + hours{24} - seconds{1}), d);
  }
}

TEST(Calendar, FixedOffsetZonesOtherThanJst) {
  using utc_zone = sh::fixed_offset_zone<0>;
  using pst = sh::fixed_offset_zone<-8 * 3600>;
  EXPECT_EQ(utc_zone::day_of(utc(2016, 9, 12, 23, 59, 59)), lday(2016, 9, 12));
  EXPECT_EQ(pst::day_of(utc(2016, 9, 12, 7, 59, 59)), lday(2016, 9, 11));
  EXPECT_EQ(pst::day_of(utc(2016, 9, 12, 8, 0, 0)), lday(2016, 9, 12));
  EXPECT_EQ(pst::start_of(lday(2016, 9, 12)), utc(2016, 9, 12, 8, 0, 0));
}

TEST(Calendar, FormatDay) {
  EXPECT_EQ(sh::format_day(lday(2016, 9, 8)), "2016-09-08");
  EXPECT_EQ(sh::format_day(lday(2016, 12, 31)), "2016-12-31");
  EXPECT_EQ(sh::format_day(lday(1, 1, 1)), "0001-01-01");
  EXPECT_EQ(sh::format_day(lday(9999, 12, 31)), "9999-12-31");
  EXPECT_EQ(sh::format_day(lday(2020, 2, 29)), "2020-02-29");
}

TEST(Calendar, FormatInstantIsUtc) {
  EXPECT_EQ(sh::format_instant(utc(2016, 9, 12, 15, 0, 0)), "2016-09-12T15:00:00Z");
  EXPECT_EQ(sh::format_instant(utc(2016, 9, 12, 14, 59, 59)), "2016-09-12T14:59:59Z");
  EXPECT_EQ(sh::format_instant(utc(2017, 1, 2, 3, 4, 5)), "2017-01-02T03:04:05Z");
  EXPECT_EQ(sh::format_instant(sh::earliest_instant), "0001-01-01T00:00:00Z");
  EXPECT_EQ(sh::format_instant(sh::latest_instant), "9999-12-31T23:59:59Z");
  EXPECT_EQ(sh::format_instant(sh::latest_instant + seconds{1}), "(out of range)");
  EXPECT_EQ(sh::format_instant(sh::earliest_instant - seconds{1}), "(out of range)");
}

TEST(Calendar, FormatLocalIsTheMarketplacesWallClockWithItsOffset) {
  // 15:00 UTC is midnight in Tokyo: the next local day.
  EXPECT_EQ(sh::format_local<sh::jst>(utc(2016, 9, 12, 15, 0, 0)), "2016-09-13T00:00:00+09:00");
  EXPECT_EQ(sh::format_local<sh::jst>(utc(2026, 9, 12, 14, 59, 59)), "2026-09-12T23:59:59+09:00");
  using minus_0330 = sh::fixed_offset_zone<-(3 * 3600 + 30 * 60)>;  // Newfoundland standard time
  EXPECT_EQ(sh::format_local<minus_0330>(utc(2017, 1, 2, 3, 4, 5)), "2017-01-01T23:34:05-03:30");
  EXPECT_EQ(sh::format_local<sh::fixed_offset_zone<0>>(utc(2017, 1, 2, 3, 4, 5)), "2017-01-02T03:04:05Z");
  // Local times beyond year 9999 fall back to UTC; instants outside the range stay unprintable.
  EXPECT_EQ(sh::format_local<sh::jst>(sh::latest_instant), "9999-12-31T23:59:59Z");
  EXPECT_EQ(sh::format_local<sh::jst>(sh::latest_instant + seconds{1}), "(out of range)");
}

TEST(Calendar, BusinessDaysAreWeekdaysMinusHolidays) {
  // 2026-09-04 is a Friday.
  EXPECT_EQ(sh::business_calendar<>::after(lday(2026, 9, 4), 1), lday(2026, 9, 7));
  EXPECT_EQ(sh::business_calendar<>::after(lday(2026, 9, 4), 5), lday(2026, 9, 11));
  EXPECT_EQ(sh::business_calendar<>::after(lday(2026, 9, 5), 1), lday(2026, 9, 7));  // from a Saturday
  EXPECT_EQ(sh::business_calendar<>::after(lday(2026, 9, 7), 0), lday(2026, 9, 7));
  struct every_day_off {
    static constexpr bool contains(sh::local_day) noexcept { return true; }
  };
  // No business day at all: the count gives up after a year instead of looping for ever.
  EXPECT_EQ(sh::business_calendar<every_day_off>::after(lday(2026, 9, 7), 7),
            lday(2026, 9, 7) + std::chrono::days{366});
}

TEST(Calendar, SupportedRange) {
  EXPECT_TRUE(sh::in_supported_range(sh::earliest_instant));
  EXPECT_TRUE(sh::in_supported_range(sh::latest_instant));
  EXPECT_FALSE(sh::in_supported_range(sh::latest_instant + seconds{1}));
  EXPECT_FALSE(sh::in_supported_range(sh::earliest_instant - seconds{1}));
  EXPECT_EQ(sh::latest_instant, utc(9999, 12, 31, 23, 59, 59));
}

TEST(Calendar, MonthOf) {
  EXPECT_EQ(sh::month_of(lday(2016, 9, 13)), (sh::day_range{lday(2016, 9, 1), lday(2016, 9, 30)}));
  EXPECT_EQ(sh::month_of(lday(2016, 2, 1)), (sh::day_range{lday(2016, 2, 1), lday(2016, 2, 29)}));
  EXPECT_EQ(sh::month_of(lday(2100, 2, 15)).length(), 28);  // 2100 is not a leap year
  EXPECT_EQ(sh::month_of(lday(2000, 2, 15)).length(), 29);  // 2000 is
}

TEST(Calendar, QuarterOf) {
  EXPECT_EQ(sh::quarter_of(lday(2016, 12, 31)), (sh::day_range{lday(2016, 10, 1), lday(2016, 12, 31)}));
  EXPECT_EQ(sh::quarter_of(lday(2017, 1, 1)), (sh::day_range{lday(2017, 1, 1), lday(2017, 3, 31)}));
  EXPECT_EQ(sh::quarter_of(lday(2016, 6, 30)), (sh::day_range{lday(2016, 4, 1), lday(2016, 6, 30)}));
  EXPECT_EQ(sh::quarter_of(lday(2016, 7, 1)), (sh::day_range{lday(2016, 7, 1), lday(2016, 9, 30)}));
  // Every day of a year lies in the quarter reported for it, and quarters tile the year.
  int total = 0;
  for (sh::local_day d = lday(2016, 1, 1); d <= lday(2016, 12, 31);) {
    const auto q = sh::quarter_of(d);
    ASSERT_EQ(q.from, d);
    total += q.length();
    d = q.to + std::chrono::days{1};
  }
  EXPECT_EQ(total, 366);
}

TEST(Calendar, WindowPeriods) {
  const auto d = lday(2016, 9, 13);
  EXPECT_EQ(sh::rolling_days(7).period(d), (sh::day_range{lday(2016, 9, 7), d}));
  EXPECT_EQ(sh::rolling_days(10).period(d), (sh::day_range{lday(2016, 9, 4), d}));
  EXPECT_EQ(sh::rolling_days(30).period(d), (sh::day_range{lday(2016, 8, 15), d}));
  EXPECT_EQ(sh::month_to_date().period(d), (sh::day_range{lday(2016, 9, 1), d}));
  EXPECT_EQ(sh::quarter_to_date().period(d), (sh::day_range{lday(2016, 7, 1), d}));
  EXPECT_EQ(sh::month_to_date().period(lday(2016, 9, 1)), (sh::day_range{lday(2016, 9, 1), lday(2016, 9, 1)}));
  EXPECT_EQ(sh::rolling_days(7).max_span(), 7);
  EXPECT_GE(sh::month_to_date().max_span(), 31);
  EXPECT_GE(sh::quarter_to_date().max_span(), 92);  // Jul-Sep and Oct-Dec have 92 days
}

TEST(Calendar, DayRangeContainsAndLength) {
  const sh::day_range r{lday(2016, 9, 7), lday(2016, 9, 13)};
  EXPECT_EQ(r.length(), 7);
  EXPECT_TRUE(r.contains(lday(2016, 9, 7)));
  EXPECT_TRUE(r.contains(lday(2016, 9, 13)));
  EXPECT_FALSE(r.contains(lday(2016, 9, 6)));
  EXPECT_FALSE(r.contains(lday(2016, 9, 14)));
}

}  // namespace
