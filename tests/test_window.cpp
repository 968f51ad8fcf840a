// Unit tests for window.hpp, the sliding-window rate calculator on its own (no ledger).
//
// Expected values come from hand reasoning, written next to each case, or from the naive model at
// the bottom: per key, measure and counter, a plain std::map from day to count that keeps every
// count forever and answers a sum by adding up the map's entries in the range. Its only knowledge
// of the window is the documented contract: the ring keeps the 2^k days ending at today (the
// power of two is written out by hand, not asked from the window), a count on an older day is
// dropped, a count after today or a sum outside the ring throws.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <sellerhealth/calendar.hpp>
#include <sellerhealth/error.hpp>
#include <sellerhealth/rate.hpp>
#include <sellerhealth/window.hpp>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "support/scenario.hpp"

namespace {

using namespace scenario;
using sh::rate_part;
constexpr rate_part num = rate_part::numerator;
constexpr rate_part den = rate_part::denominator;

/// Sep 2026 day `d` (Sep 1 .. Oct 31 as d = 1 .. 61).
constexpr local_day sep(int d) { return lday(2026, 9, 1) + days{d - 1}; }

std::pair<std::uint64_t, std::uint64_t> pair_of(const sh::rate& r) { return {r.numerator, r.denominator}; }

// ---- shape ------------------------------------------------------------------------------------

TEST(Window, TheRingRoundsTheDaysUpToAPowerOfTwo) {
  EXPECT_EQ(sh::basic_rate_window<1>(1).ring_days(), 1u);
  EXPECT_EQ(sh::basic_rate_window<1>(2).ring_days(), 2u);
  EXPECT_EQ(sh::basic_rate_window<1>(30).ring_days(), 32u);
  EXPECT_EQ(sh::basic_rate_window<1>(60).ring_days(), 64u);
  EXPECT_EQ(sh::basic_rate_window<1>(64).ring_days(), 64u);
  EXPECT_EQ(sh::basic_rate_window<1>(65).ring_days(), 128u);
  EXPECT_EQ(sh::rate_window(3, 10).ring_days(), 16u);
  EXPECT_THROW(sh::basic_rate_window<1>(0), std::invalid_argument);
  EXPECT_THROW(sh::basic_rate_window<1>(-1), std::invalid_argument);
  EXPECT_THROW(sh::basic_rate_window<1>(sh::basic_rate_window<1>::max_days + 1), std::invalid_argument);
  EXPECT_THROW(sh::rate_window(0, 10), std::invalid_argument);
}

TEST(Window, MemoryPerKeyIsTheRingOfCountersAndOneDay) {
  // 64 days x 2 measures x 2 counters x 4 bytes + 8 bytes of last-cleared day.
  const sh::basic_rate_window<2> amazon(60);
  EXPECT_EQ(amazon.bytes_per_key(), 64u * 2 * 2 * 4 + 8);
  EXPECT_EQ(amazon.bytes_per_key(), 1032u);
  // 16 days x 3 measures x 2 x 4 + 8.
  const sh::rate_window runtime(3, 10);
  EXPECT_EQ(runtime.bytes_per_key(), 392u);
  EXPECT_EQ(runtime.measure_count(), 3u);

  sh::basic_rate_window<2> w(60);
  EXPECT_EQ(w.memory_bytes(), 0u);
  (void)w.add_key();
  EXPECT_EQ(w.memory_bytes(), 1032u);
  w.reserve(4);
  EXPECT_EQ(w.memory_bytes(), 4 * 1032u);
  EXPECT_EQ(w.key_count(), 1u);
}

TEST(Window, KeysBeyondOneBlockOfRingsKeepTheirOwnCounts) {
  // Rings are kept in blocks of `keys_per_block` keys: keys on both sides of each block boundary,
  // counted, cleared by the clock and copied, stay apart.
  using window = sh::basic_rate_window<2>;
  window w(8, sep(10));
  const std::size_t keys = 3 * window::keys_per_block + 5;
  for (std::size_t k = 0; k < keys; ++k) EXPECT_EQ(w.add_key(), k);
  for (window::key k = 0; k < keys; ++k) {
    w.add(k, 1, num, sep(10), static_cast<int>(k) + 1);
    w.add(k, 1, den, sep(8), static_cast<int>(k) + 2);
  }
  EXPECT_GE(w.memory_bytes(), keys * w.bytes_per_key());
  w.advance_to(sep(12));
  for (window::key k = 0; k < keys; ++k) {
    EXPECT_EQ(pair_of(w.sum(k, 1, {w.oldest_day(), w.today()})), (frac{k + 1, k + 2})) << "key " << k;
    EXPECT_EQ(pair_of(w.sum(k, 0, {w.oldest_day(), w.today()})), (frac{0, 0})) << "key " << k;
  }
  window copy(8, sep(12));
  for (const window::key k : {window::key{63}, window::key{64}, static_cast<window::key>(keys - 1)}) {
    const auto there = copy.add_key_copied_from(w, k);
    EXPECT_EQ(pair_of(copy.sum(there, 1, {sep(8), sep(12)})), (frac{k + 1, k + 2})) << "key " << k;
  }
  // A key idle for longer than the ring is cleared whole, and its neighbours are not touched.
  w.advance_to(sep(30));
  w.add(64, 0, den, sep(30), 1);
  EXPECT_EQ(pair_of(w.sum(64, 1, {w.oldest_day(), w.today()})), (frac{0, 0}));
  EXPECT_EQ(pair_of(w.sum(64, 0, {w.oldest_day(), w.today()})), (frac{0, 1}));
  w.prefetch(static_cast<window::key>(keys), sep(30));  // a hint: a key out of range is ignored
  EXPECT_EQ(w.key_count(), keys);
}

TEST(Window, KeysAreDenseAndStartEmpty) {
  sh::rate_window w(2, 8, sep(10));
  EXPECT_EQ(w.add_key(), 0u);
  EXPECT_EQ(w.add_key(), 1u);
  EXPECT_EQ(w.add_key(), 2u);
  EXPECT_EQ(w.key_count(), 3u);
  for (sh::rate_window::key k = 0; k < 3; ++k)
    for (std::size_t m = 0; m < 2; ++m) EXPECT_EQ(pair_of(w.sum(k, m, {w.oldest_day(), w.today()})), (frac{0, 0}));
}

TEST(Window, TheExampleAtTheTopOfTheHeader) {
  // window.hpp's usage example, as written there: one sale on Sep 1, returned on Sep 4, is 1/1.
  using namespace std::chrono;
  sellerhealth::rate_window returns(/*measures*/ 1, /*days*/ 60, local_days{2026y / 9 / 1});
  const auto shop = returns.add_key();
  returns.add(shop, 0, sellerhealth::rate_part::denominator, returns.today(), 1);  // a sale
  returns.advance_to(local_days{2026y / 9 / 4});
  returns.add(shop, 0, sellerhealth::rate_part::numerator, local_days{2026y / 9 / 1}, 1);       // returned
  sellerhealth::rate r = returns.sum(shop, 0, sellerhealth::rolling_days(7), returns.today());  // 1/1
  EXPECT_EQ(pair_of(r), (frac{1, 1}));
}

// ---- window edges -----------------------------------------------------------------------------

TEST(Window, EdgesOfTheRingAndOfARollingWindow) {
  // 8 days kept, today Sep 10: the ring is Sep 3..Sep 10.
  sh::basic_rate_window<1> w(8, sep(10));
  const auto k = w.add_key();
  EXPECT_EQ(w.oldest_day(), sep(3));
  EXPECT_TRUE(w.add(k, 0, den, sep(3), 1));   // the oldest day kept
  EXPECT_TRUE(w.add(k, 0, den, sep(10), 1));  // today
  EXPECT_TRUE(w.add(k, 0, num, sep(10), 1));
  EXPECT_FALSE(w.add(k, 0, den, sep(2), 1));  // one day older than the ring: dropped

  // rolling 7 at Sep 10 is Sep 4..10: only Sep 10's order.
  EXPECT_EQ(pair_of(w.sum(k, 0, sh::rolling_days(7), sep(10))), (frac{1, 1}));
  // rolling 8 is Sep 3..10: both.
  EXPECT_EQ(pair_of(w.sum(k, 0, sh::rolling_days(8), sep(10))), (frac{1, 2}));
  EXPECT_EQ(pair_of(w.sum(k, 0, {sep(3), sep(3)})), (frac{0, 1}));
  // rolling 7 ending Sep 9 is Sep 3..9: the Sep 3 order, not Sep 10's.
  EXPECT_EQ(pair_of(w.sum(k, 0, sh::rolling_days(7), sep(9))), (frac{0, 1}));
  // An empty range (from after to) sums to zero, wherever it is.
  EXPECT_EQ(pair_of(w.sum(k, 0, {sep(10), sep(9)})), (frac{0, 0}));

  // rolling 9 reaches Sep 2, outside the ring; a range past today too.
  const std::string before_ring = error_of([&] { (void)w.sum(k, 0, sh::rolling_days(9), sep(10)); });
  EXPECT_NE(before_ring.find("2026-09-02..2026-09-10"), std::string::npos) << before_ring;
  EXPECT_NE(before_ring.find("2026-09-03..2026-09-10"), std::string::npos) << before_ring;  // the days kept
  const std::string after_today = error_of([&] { (void)w.sum(k, 0, {sep(10), sep(11)}); });
  EXPECT_NE(after_today.find("2026-09-10..2026-09-11"), std::string::npos) << after_today;
}

TEST(Window, ACountAfterTodayThrowsAndChangesNothing) {
  sh::basic_rate_window<1> w(8, sep(10));
  const auto k = w.add_key();
  w.add(k, 0, den, sep(9), 1);
  const std::string message = error_of([&] { w.add(k, 0, den, sep(11), 1); });
  EXPECT_NE(message.find("2026-09-11"), std::string::npos) << message;
  EXPECT_NE(message.find("2026-09-10"), std::string::npos) << message;
  // A move to a day after today throws before removing the count it would move.
  EXPECT_THROW(w.move_count(k, 0, den, sep(9), sep(11)), sh::error);
  EXPECT_EQ(pair_of(w.sum(k, 0, {sep(3), sep(10)})), (frac{0, 1}));
}

TEST(Window, TheClockNeverMovesBack) {
  sh::basic_rate_window<1> w(8, sep(10));
  w.advance_to(sep(10));  // standing still is allowed
  const std::string message = error_of([&] { w.advance_to(sep(9)); });
  EXPECT_NE(message.find("2026-09-09"), std::string::npos) << message;
  EXPECT_NE(message.find("2026-09-10"), std::string::npos) << message;
  EXPECT_EQ(w.today(), sep(10));
}

TEST(Window, SumsCheckTheirKeyAndMeasure) {
  sh::rate_window w(2, 8, sep(10));
  (void)w.add_key();
  EXPECT_NE(error_of([&] { (void)w.sum(1, 0, {sep(10), sep(10)}); }).find("key 1"), std::string::npos);
  EXPECT_NE(error_of([&] { (void)w.sum(0, 2, {sep(10), sep(10)}); }).find("measure 2"), std::string::npos);
}

// ---- the ring wrapping and lazy clearing ---------------------------------------------------------

TEST(Window, TheDayTheRingWrapsReusesTheOldestSlotClean) {
  // 8 days, Sep 1..8 each get `day` orders in the denominator; Sep 9 shares Sep 1's slot.
  sh::basic_rate_window<1> w(8, sep(1));
  const auto k = w.add_key();
  for (int d = 1; d <= 8; ++d) {
    w.advance_to(sep(d));
    w.add(k, 0, den, sep(d), d);
  }
  EXPECT_EQ(pair_of(w.sum(k, 0, {sep(1), sep(8)})), (frac{0, 36}));  // 1 + ... + 8
  w.advance_to(sep(9));
  // Sep 2..9 = 2 + ... + 8 = 35; Sep 1's 1 must not show up as Sep 9.
  EXPECT_EQ(pair_of(w.sum(k, 0, {sep(2), sep(9)})), (frac{0, 35}));
  EXPECT_EQ(pair_of(w.sum(k, 0, {sep(9), sep(9)})), (frac{0, 0}));
  w.add(k, 0, den, sep(9), 100);
  EXPECT_EQ(pair_of(w.sum(k, 0, {sep(9), sep(9)})), (frac{0, 100}));
  EXPECT_EQ(pair_of(w.sum(k, 0, {sep(2), sep(9)})), (frac{0, 135}));
  EXPECT_THROW((void)w.sum(k, 0, {sep(1), sep(9)}), sh::error);
  EXPECT_FALSE(w.add(k, 0, den, sep(1), 1));  // Sep 1 has left
}

/// A window of 8 days, today Sep 8, with one denominator count on each of Sep 1..8 for `keys` keys.
sh::basic_rate_window<1> one_a_day(int keys) {
  sh::basic_rate_window<1> w(8, sep(1));
  for (int k = 0; k < keys; ++k) (void)w.add_key();
  for (int d = 1; d <= 8; ++d) {
    w.advance_to(sep(d));
    for (int k = 0; k < keys; ++k) w.add(static_cast<sh::rate_window::key>(k), 0, den, sep(d), 1);
  }
  return w;
}

TEST(Window, AGapShorterThanTheRingClearsOnlyTheDaysPassed) {
  auto w = one_a_day(2);
  w.advance_to(sep(12));  // 4 days on: Sep 9..12 reuse Sep 1..4's slots
  // Key 1 is never counted again: its slots past Sep 8 still hold Sep 1..4, and must read as zero.
  EXPECT_EQ(pair_of(w.sum(1, 0, {sep(5), sep(12)})), (frac{0, 4}));  // Sep 5, 6, 7, 8
  EXPECT_EQ(pair_of(w.sum(1, 0, {sep(9), sep(12)})), (frac{0, 0}));
  // Key 0 is counted on Sep 12: Sep 9..12 are cleared, Sep 5..8 kept.
  w.add(0, 0, den, sep(12), 1);
  EXPECT_EQ(pair_of(w.sum(0, 0, {sep(5), sep(12)})), (frac{0, 5}));
  EXPECT_EQ(pair_of(w.sum(0, 0, {sep(9), sep(11)})), (frac{0, 0}));
  // A count on a past day of the gap lands on its own day.
  w.add(0, 0, den, sep(10), 1);
  EXPECT_EQ(pair_of(w.sum(0, 0, {sep(10), sep(10)})), (frac{0, 1}));
  EXPECT_EQ(pair_of(w.sum(0, 0, {sep(5), sep(12)})), (frac{0, 6}));
  EXPECT_EQ(pair_of(w.sum(1, 0, {sep(5), sep(12)})), (frac{0, 4}));  // key 1 untouched
}

TEST(Window, AGapOfExactlyTheRingOrLongerClearsTheWholeRing) {
  auto w = one_a_day(2);
  w.advance_to(sep(16));  // 8 days on: every slot holds a day that left
  EXPECT_EQ(pair_of(w.sum(0, 0, {sep(9), sep(16)})), (frac{0, 0}));
  w.add(0, 0, den, sep(16), 1);
  EXPECT_EQ(pair_of(w.sum(0, 0, {sep(9), sep(16)})), (frac{0, 1}));

  w.advance_to(sep(45));  // 29 more days, far longer than the ring
  EXPECT_EQ(pair_of(w.sum(0, 0, {sep(38), sep(45)})), (frac{0, 0}));
  EXPECT_EQ(pair_of(w.sum(1, 0, {sep(38), sep(45)})), (frac{0, 0}));
  w.add(1, 0, num, sep(40), 1);
  EXPECT_EQ(pair_of(w.sum(1, 0, {sep(38), sep(45)})), (frac{1, 0}));
  EXPECT_EQ(pair_of(w.sum(0, 0, {sep(38), sep(45)})), (frac{0, 0}));
}

TEST(Window, ALateUpdateMovesACountBetweenPastDays) {
  sh::basic_rate_window<2> w(8, sep(1));
  const auto k = w.add_key();
  w.add(k, 1, den, sep(1), 1);  // an order of Sep 1 counted in measure 1
  w.advance_to(sep(6));
  // Sep 6: its count moves from Sep 1 to Sep 5 (its attribution day changed) and it turns bad.
  w.move_count(k, 1, den, sep(1), sep(5));
  w.move_count(k, 1, num, std::nullopt, sep(5));
  EXPECT_EQ(pair_of(w.sum(k, 1, {sep(1), sep(4)})), (frac{0, 0}));
  EXPECT_EQ(pair_of(w.sum(k, 1, {sep(5), sep(5)})), (frac{1, 1}));
  EXPECT_EQ(pair_of(w.sum(k, 0, {sep(1), sep(6)})), (frac{0, 0}));  // measure 0 untouched
  w.move_count(k, 1, num, sep(5), sep(5));                          // equal days: nothing
  EXPECT_EQ(pair_of(w.sum(k, 1, sh::rolling_days(6), sep(6))), (frac{1, 1}));

  w.advance_to(sep(14));  // the ring is Sep 7..14: Sep 5 has left
  // Moving out of a day that left removes nothing; into the ring adds one.
  w.move_count(k, 1, den, sep(5), sep(14));
  EXPECT_EQ(pair_of(w.sum(k, 1, sh::rolling_days(8), sep(14))), (frac{0, 1}));
  // Moving into a day that left adds nothing; out of the ring's day removes it.
  w.move_count(k, 1, den, sep(14), sep(6));
  EXPECT_EQ(pair_of(w.sum(k, 1, sh::rolling_days(8), sep(14))), (frac{0, 0}));
  w.move_count(k, 1, num, std::nullopt, sep(13));
  w.move_count(k, 1, num, sep(13), std::nullopt);
  EXPECT_EQ(pair_of(w.sum(k, 1, sh::rolling_days(8), sep(14))), (frac{0, 0}));
}

// ---- calendar periods -----------------------------------------------------------------------------

TEST(Window, MonthAndQuarterSums) {
  // 92 days kept (ring 128). From Jan 1 to Apr 1 2026 one order a day in the denominator, and one
  // bad order on the 10th, 20th and 30th of each month.
  sh::basic_rate_window<1> w(92, lday(2026, 1, 1));
  const auto k = w.add_key();
  for (local_day d = lday(2026, 1, 1); d <= lday(2026, 4, 1); d += days{1}) {
    w.advance_to(d);
    w.add(k, 0, den, d, 1);
    const unsigned dom = static_cast<unsigned>(std::chrono::year_month_day{d}.day());
    if (dom % 10 == 0) w.add(k, 0, num, d, 1);
  }
  // Jan has 10, 20, 30; Feb (28 days in 2026) 10, 20; Mar 10, 20, 30.
  EXPECT_EQ(pair_of(w.sum(k, 0, sh::month_of(lday(2026, 2, 10)))), (frac{2, 28}));
  EXPECT_EQ(pair_of(w.sum(k, 0, sh::month_of(lday(2026, 3, 31)))), (frac{3, 31}));
  EXPECT_EQ(pair_of(w.sum(k, 0, sh::month_to_date(), lday(2026, 2, 15))), (frac{1, 15}));
  EXPECT_EQ(pair_of(w.sum(k, 0, sh::month_to_date(), lday(2026, 4, 1))), (frac{0, 1}));
  // Q1: 31 + 28 + 31 = 90 days, 3 + 2 + 3 = 8 bad.
  EXPECT_EQ(pair_of(w.sum(k, 0, sh::quarter_of(lday(2026, 2, 1)))), (frac{8, 90}));
  EXPECT_EQ(pair_of(w.sum(k, 0, sh::quarter_to_date(), lday(2026, 3, 31))), (frac{8, 90}));
  EXPECT_EQ(pair_of(w.sum(k, 0, sh::quarter_to_date(), lday(2026, 2, 15))), (frac{4, 46}));  // 31 + 15
  EXPECT_EQ(pair_of(w.sum(k, 0, sh::quarter_to_date(), lday(2026, 4, 1))), (frac{0, 1}));
  // April's quarter is not over: its whole quarter reaches past today.
  EXPECT_THROW((void)w.sum(k, 0, sh::quarter_of(lday(2026, 4, 1))), sh::error);
}

// ---- copying a key ------------------------------------------------------------------------------

TEST(Window, AKeyCopiedToAnotherWindowKeepsItsCounts) {
  auto w = one_a_day(2);
  w.advance_to(sep(10));
  w.add(1, 0, num, sep(10), 1);
  sh::basic_rate_window<1> copy(8, sep(10));
  EXPECT_EQ(copy.add_key_copied_from(w, 1), 0u);
  // Sep 3..10: the counts of Sep 3..8, then Sep 10's bad order (Sep 9 nothing).
  EXPECT_EQ(pair_of(copy.sum(0, 0, {sep(3), sep(10)})), (frac{1, 6}));
  copy.advance_to(sep(12));
  EXPECT_EQ(pair_of(copy.sum(0, 0, {sep(5), sep(12)})), (frac{1, 4}));

  sh::basic_rate_window<1> other_shape(16, sep(10));
  EXPECT_THROW((void)other_shape.add_key_copied_from(w, 0), sh::error);
  sh::basic_rate_window<1> behind(8, sep(9));
  EXPECT_THROW((void)behind.add_key_copied_from(w, 1), sh::error);  // key 1 was counted on Sep 10
  EXPECT_THROW((void)copy.add_key_copied_from(w, 2), sh::error);
}

// ---- the naive cross-check ------------------------------------------------------------------------

/// The window's contract written out with maps: every count kept per (key, measure, counter) by
/// day, forever; the ring bounds computed from the documented power of two.
struct naive_window {
  static constexpr int ring = 32;  // the window is built with 20 days: rounded up to 32 by hand
  local_day today;
  std::map<std::tuple<std::uint32_t, std::size_t, rate_part>, std::map<local_day, std::int64_t>> counts;

  [[nodiscard]] local_day oldest() const { return today - days{ring - 1}; }
  bool add(std::uint32_t k, std::size_t m, rate_part p, local_day d, int delta) {
    if (d < oldest()) return false;
    counts[{k, m, p}][d] += delta;
    return true;
  }
  [[nodiscard]] std::uint64_t sum(std::uint32_t k, std::size_t m, rate_part p, local_day from, local_day to) const {
    const auto found = counts.find({k, m, p});
    std::int64_t total = 0;
    if (found != counts.end())
      for (auto it = found->second.lower_bound(from); it != found->second.end() && it->first <= to; ++it)
        total += it->second;
    return static_cast<std::uint64_t>(total);
  }
  /// A day in the ring with a positive count, if any (for removals that the contract allows).
  [[nodiscard]] std::optional<local_day> counted_day(std::uint32_t k, std::size_t m, rate_part p,
                                                     std::uint64_t pick) const {
    const auto found = counts.find({k, m, p});
    if (found == counts.end()) return std::nullopt;
    std::vector<local_day> candidates;
    for (const auto& [d, n] : found->second)
      if (n > 0 && d >= oldest()) candidates.push_back(d);
    if (candidates.empty()) return std::nullopt;
    return candidates[pick % candidates.size()];
  }
};

template <class Window>
void cross_check(std::uint64_t seed, Window w) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  constexpr std::uint32_t keys = 3;
  constexpr std::size_t measures = 2;
  std::mt19937_64 random(seed);  // the engine's output is fixed by the standard; distributions are not
  const auto below = [&](std::uint64_t n) { return random() % n; };
  naive_window model{w.today(), {}};
  for (std::uint32_t k = 0; k < keys; ++k) ASSERT_EQ(w.add_key(), k);
  ASSERT_EQ(w.ring_days(), static_cast<std::size_t>(naive_window::ring));

  const auto some_day = [&] {  // mostly inside the ring, sometimes older, sometimes after today
    const auto r = below(20);
    if (r == 0) return w.today() + days{1 + static_cast<int>(below(3))};
    return w.today() - days{static_cast<int>(below(naive_window::ring + 6))};
  };
  const auto check_sums = [&] {
    for (std::uint32_t k = 0; k < keys; ++k)
      for (std::size_t m = 0; m < measures; ++m) {
        // Every rolling window from 1 day to the whole ring, at today and at a past day.
        const local_day at = w.today() - days{static_cast<int>(below(8))};
        for (int n = 1; n <= naive_window::ring; ++n) {
          const sh::day_range range = sh::rolling_days(n).period(w.today());
          const sh::rate got = w.sum(k, m, range);
          ASSERT_EQ(got.numerator, model.sum(k, m, num, range.from, range.to)) << "key " << k << " measure " << m;
          ASSERT_EQ(got.denominator, model.sum(k, m, den, range.from, range.to)) << "key " << k << " measure " << m;
          const sh::day_range past = sh::rolling_days(n).period(at);
          if (past.from < model.oldest()) {
            ASSERT_THROW((void)w.sum(k, m, past), sh::error);
          } else {
            const sh::rate then = w.sum(k, m, past);
            ASSERT_EQ(then.numerator, model.sum(k, m, num, past.from, past.to));
            ASSERT_EQ(then.denominator, model.sum(k, m, den, past.from, past.to));
          }
        }
        // Month and quarter to date, when they fit in the ring.
        for (const sh::window_spec spec : {sh::month_to_date(), sh::quarter_to_date()}) {
          const sh::day_range range = spec.period(w.today());
          if (range.from < model.oldest()) {
            ASSERT_THROW((void)w.sum(k, m, spec, w.today()), sh::error);
            continue;
          }
          const sh::rate got = w.sum(k, m, spec, w.today());
          ASSERT_EQ(got.numerator, model.sum(k, m, num, range.from, range.to));
          ASSERT_EQ(got.denominator, model.sum(k, m, den, range.from, range.to));
        }
      }
  };

  for (int step = 0; step < 1500; ++step) {
    const auto k = static_cast<std::uint32_t>(below(keys));
    const std::size_t m = below(measures);
    const rate_part p = below(2) == 0 ? num : den;
    switch (below(10)) {
      case 0: {  // the clock: mostly a day or two, sometimes a gap near or past the ring
        const auto r = below(10);
        const int ahead = r < 6 ? static_cast<int>(below(3)) : r < 9 ? static_cast<int>(below(40)) : 100;
        w.advance_to(w.today() + days{ahead});
        model.today += days{ahead};
        break;
      }
      case 1:
      case 2:
      case 3: {  // add some counts
        const local_day d = some_day();
        const int delta = 1 + static_cast<int>(below(3));
        if (d > model.today) {
          ASSERT_THROW(w.add(k, m, p, d, delta), sh::error);
        } else {
          ASSERT_EQ(w.add(k, m, p, d, delta), model.add(k, m, p, d, delta));
        }
        break;
      }
      case 4: {  // remove one count from a day that has one
        if (const auto d = model.counted_day(k, m, p, random())) {
          ASSERT_TRUE(w.add(k, m, p, *d, -1));
          model.add(k, m, p, *d, -1);
        }
        break;
      }
      default: {  // move one count: from a counted day, from "not counted" or from a day that left
        std::optional<local_day> from;
        const auto r = below(3);
        if (r == 0)
          from = model.counted_day(k, m, p, random());
        else if (r == 1)
          from = model.oldest() - days{1 + static_cast<int>(below(5))};
        std::optional<local_day> to;
        if (below(4) != 0) to = some_day();
        if (to && *to > model.today) {
          ASSERT_THROW(w.move_count(k, m, p, from, to), sh::error);
          break;
        }
        w.move_count(k, m, p, from, to);
        if (from != to) {
          if (from) model.add(k, m, p, *from, -1);
          if (to) model.add(k, m, p, *to, +1);
        }
        break;
      }
    }
    if (step % 25 == 0) check_sums();
    if (::testing::Test::HasFatalFailure()) return;
  }
  check_sums();
}

TEST(WindowCrossCheck, FixedMeasuresAgainstNaiveMaps) {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    cross_check(seed, sh::basic_rate_window<2>(20, lday(2026, 1, 28)));
    if (HasFatalFailure()) return;
  }
}

TEST(WindowCrossCheck, RuntimeMeasuresAgainstNaiveMaps) {
  for (std::uint64_t seed = 101; seed <= 112; ++seed) {
    cross_check(seed, sh::rate_window(2, 20, lday(2026, 1, 28)));
    if (HasFatalFailure()) return;
  }
}

}  // namespace
