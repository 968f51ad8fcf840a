// Decision support, part 1: how much room a seller has left and how a BAD metric comes back.
//
//   - headroom: how many more of the orders already counted may turn bad (cancelled, late) before
//     the metric is BAD; checked at the exact boundaries, straight from rate.hpp / policy.hpp and
//     through a ledger (then proved by adding that many bad orders, and one more);
//   - recovery: how many more good orders bring a BAD metric back;
//   - Qoo10's small-sample rule (fewer than 10 orders: only > 50 % is a breach) in both;
//   - `next_penalty`: cancellations still absorbable before each worse Qoo10 tier;
//   - `clears_on`: the first future day a BAD metric stops being BAD, with no new events and with an
//     assumed daily volume.
//
// Every expected value is worked out by hand in the comment next to it. Times are JST wall-clock.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <sellerhealth/sellerhealth.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/scenario.hpp"

namespace {

using namespace scenario;

using qoo10_rates_book = sh::ledger<sh::jst, q10::cancel_rate_month, q10::cancel_rate_quarter>;
std::string id(std::string_view prefix, int i) { return std::string(prefix) + std::to_string(i); }

// ---- headroom straight from the rate maths ---------------------------------------------------------

TEST(Headroom, AmazonTargetsAtExactBoundaries) {
  const sh::target pfcr_goal = pfcr::goal;  // < 1/40
  const sh::target lsr_goal = lsr10::goal;  // < 1/25
  // PFCR 0/80: k/80 < 1/40 <=> k < 2, so k = 1 (1/80 = 1.25 %); 2/80 = 1/40 = 2.5 % exactly fails.
  EXPECT_EQ(sh::headroom({0, 80}, pfcr_goal), 1u);
  EXPECT_EQ(sh::judge({1, 80}, pfcr_goal), sh::status::good);
  EXPECT_EQ(sh::judge({2, 80}, pfcr_goal), sh::status::bad);
  // 1/80 is GOOD but (1 + k)/80 < 1/40 <=> k < 1: no room left.
  EXPECT_EQ(sh::headroom({1, 80}, pfcr_goal), 0u);
  // 0/40: k/40 < 1/40 <=> k < 1: a GOOD metric with no room (one cancel is exactly 2.5 %).
  EXPECT_EQ(sh::headroom({0, 40}, pfcr_goal), 0u);
  EXPECT_EQ(sh::judge({0, 40}, pfcr_goal), sh::status::good);
  // 0/41: k < 41/40 = 1.025, so 1 (1/41 = 2.44 %).
  EXPECT_EQ(sh::headroom({0, 41}, pfcr_goal), 1u);
  // 0/120: k < 3, so 2; 0/121: k < 3.025, so 3.
  EXPECT_EQ(sh::headroom({0, 120}, pfcr_goal), 2u);
  EXPECT_EQ(sh::headroom({0, 121}, pfcr_goal), 3u);
  // A BAD rate has none.
  EXPECT_EQ(sh::headroom({1, 40}, pfcr_goal), 0u);
  // An empty rate has none (no orders: status NONE).
  EXPECT_EQ(sh::headroom({0, 0}, pfcr_goal), 0u);

  // LSR 0/25: k/25 < 1/25 <=> k < 1: none. 0/26: k < 1.04: 1. 0/50: k < 2: 1 (2/50 = 4 % fails).
  // 0/51: k < 2.04: 2 (2/51 = 3.92 %). 1/51: (1 + k) < 2.04: 1.
  EXPECT_EQ(sh::headroom({0, 25}, lsr_goal), 0u);
  EXPECT_EQ(sh::headroom({0, 26}, lsr_goal), 1u);
  EXPECT_EQ(sh::headroom({0, 50}, lsr_goal), 1u);
  EXPECT_EQ(sh::headroom({0, 51}, lsr_goal), 2u);
  EXPECT_EQ(sh::headroom({1, 51}, lsr_goal), 1u);
  // Headroom never exceeds the orders not yet bad: 0/1 against "at most 100 %" can take 1, not 2.
  EXPECT_EQ(sh::headroom({0, 1}, sh::target{sh::condition::at_most, {1, 1}}), 1u);
}

TEST(Recovery, AmazonTargetsAtExactBoundaries) {
  const sh::target pfcr_goal = pfcr::goal;
  const sh::target lsr_goal = lsr10::goal;
  // PFCR 1/20: 1/(20 + k) < 1/40 <=> 20 + k > 40 <=> k >= 21 (1/40 at k = 20 still fails).
  EXPECT_EQ(sh::recovery({1, 20}, pfcr_goal), std::optional<std::uint64_t>{21});
  // PFCR 1/40 (exactly 2.5 %): 40 + k > 40: one more order.
  EXPECT_EQ(sh::recovery({1, 40}, pfcr_goal), std::optional<std::uint64_t>{1});
  // PFCR 2/79: 2/(79 + k) < 1/40 <=> 79 + k > 80 <=> k >= 2.
  EXPECT_EQ(sh::recovery({2, 79}, pfcr_goal), std::optional<std::uint64_t>{2});
  // PFCR 1/1 (seed 002): 1 + k > 40 <=> k >= 40.
  EXPECT_EQ(sh::recovery({1, 1}, pfcr_goal), std::optional<std::uint64_t>{40});
  // LSR 1/19: 1/(19 + k) < 1/25 <=> 19 + k > 25 <=> k >= 7.
  EXPECT_EQ(sh::recovery({1, 19}, lsr_goal), std::optional<std::uint64_t>{7});
  // LSR 3/3: 3/(3 + k) < 1/25 <=> 3 + k > 75 <=> k >= 73.
  EXPECT_EQ(sh::recovery({3, 3}, lsr_goal), std::optional<std::uint64_t>{73});
  // Meeting the target, or empty: 0.
  EXPECT_EQ(sh::recovery({1, 41}, pfcr_goal), std::optional<std::uint64_t>{0});
  EXPECT_EQ(sh::recovery({0, 0}, pfcr_goal), std::optional<std::uint64_t>{0});
  // "Less than 0 %" can never be met by adding good orders.
  EXPECT_EQ(sh::recovery({1, 1}, sh::target{sh::condition::less_than, {0, 1}}), std::nullopt);
}

// ---- Qoo10: the small-sample rule through a custom judge ----------------------------------------------

TEST(Headroom, Qoo10MonthSmallSampleRule) {
  using month = q10::cancel_rate_month;  // BAD iff a warning would follow: > 7 %, or > 50 % under 10 orders
  // 0/4: under 10 orders only > 50 % breaches: k/4 <= 1/2 <=> k <= 2 (2/4 = 50 % exactly is no breach).
  EXPECT_EQ(sh::headroom_with<month>({0, 4}), 2u);
  EXPECT_EQ(sh::judge_with<month>({2, 4}), sh::status::good);
  EXPECT_EQ(sh::judge_with<month>({3, 4}), sh::status::bad);
  // 0/5: k <= 2.5: 2.  0/9: k <= 4.5: 4.
  EXPECT_EQ(sh::headroom_with<month>({0, 5}), 2u);
  EXPECT_EQ(sh::headroom_with<month>({0, 9}), 4u);
  // 0/10: no longer small, k/10 <= 7 % <=> k <= 0.7: 0, and 1/10 = 10 % is BAD.
  EXPECT_EQ(sh::headroom_with<month>({0, 10}), 0u);
  EXPECT_EQ(sh::judge_with<month>({1, 10}), sh::status::bad);
  // 0/15: k <= 1.05: 1.  0/100: k <= 7: 7 (7/100 = 7 % exactly is no breach).
  EXPECT_EQ(sh::headroom_with<month>({0, 15}), 1u);
  EXPECT_EQ(sh::headroom_with<month>({0, 100}), 7u);
  EXPECT_EQ(sh::judge_with<month>({7, 100}), sh::status::good);
  EXPECT_EQ(sh::judge_with<month>({8, 100}), sh::status::bad);

  using quarter = q10::cancel_rate_quarter;  // BAD iff a restriction would follow: > 10 % (> 50 % under 10)
  // 0/9: k <= 4.5: 4.  0/10: k <= 1: 1.  0/20: k <= 2: 2.
  EXPECT_EQ(sh::headroom_with<quarter>({0, 9}), 4u);
  EXPECT_EQ(sh::headroom_with<quarter>({0, 10}), 1u);
  EXPECT_EQ(sh::headroom_with<quarter>({0, 20}), 2u);
}

TEST(Recovery, Qoo10MonthSmallSampleRule) {
  using month = q10::cancel_rate_month;
  using quarter = q10::cancel_rate_quarter;
  // 3/5 = 60 %, under 10 orders: one more order gives 3/6 = 50 %, still small and not above half.
  EXPECT_EQ(sh::recovery_with<month>({3, 5}), std::optional<std::uint64_t>{1});
  // 4/7 = 57 %: 4/8 = 50 %: 1.
  EXPECT_EQ(sh::recovery_with<month>({4, 7}), std::optional<std::uint64_t>{1});
  // 5/9 = 55.6 %: 5/10 is 50 % but no longer a small sample, so 7 % applies:
  // 5/(9 + k) <= 7/100 <=> 9 + k >= 71.43 <=> k >= 63.
  EXPECT_EQ(sh::recovery_with<month>({5, 9}), std::optional<std::uint64_t>{63});
  // 6/8 = 75 %: 6/9 = 67 % still above half; from 10 orders on 7 % applies:
  // 6/(8 + k) <= 7/100 <=> 8 + k >= 85.7 <=> k >= 78.
  EXPECT_EQ(sh::recovery_with<month>({6, 8}), std::optional<std::uint64_t>{78});
  // 1/10 = 10 %: 1/(10 + k) <= 7/100 <=> 10 + k >= 14.29 <=> k >= 5 (1/14 = 7.14 % still BAD).
  EXPECT_EQ(sh::recovery_with<month>({1, 10}), std::optional<std::uint64_t>{5});
  // 2/10: 10 + k >= 28.57: k >= 19.
  EXPECT_EQ(sh::recovery_with<month>({2, 10}), std::optional<std::uint64_t>{19});
  // Quarter 2/10 = 20 %: 2/(10 + k) <= 10 % <=> k >= 10.
  EXPECT_EQ(sh::recovery_with<quarter>({2, 10}), std::optional<std::uint64_t>{10});
  // GOOD: 0.
  EXPECT_EQ(sh::recovery_with<month>({2, 4}), std::optional<std::uint64_t>{0});
}

// ---- the same numbers through a ledger -------------------------------------------------------------------

/// `n` merchant orders placed 2026-03-10 from 09:00, ship-by 2026-03-12 23:59:59, left open; the
/// first `cancels` cancelled by the seller at 15:00 that day.
amazon_book pfcr_book(int n, int cancels) {
  amazon_book book;
  for (int i = 0; i < n; ++i)
    book.record(sh::placed{.order = id("P-", i),
                           .seller = "shop",
                           .at = jst(2026, 3, 10, 9) + minutes{i},
                           .ship_by = jst(2026, 3, 12, 23, 59, 59)});
  for (int i = 0; i < cancels; ++i) book.record(sh::cancelled{.order = id("P-", i), .at = jst(2026, 3, 10, 15)});
  return book;
}

/// `n` merchant orders placed 2026-03-10 08:00, ship-by 12:00 that day; the first `late` shipped
/// at 13:00 (late), the rest at 10:00.
amazon_book lsr_book(int n, int late) {
  amazon_book book;
  for (int i = 0; i < n; ++i) {
    book.record(
        sh::placed{.order = id("L-", i), .seller = "shop", .at = jst(2026, 3, 10, 8), .ship_by = jst(2026, 3, 10, 12)});
    book.record(sh::shipped{.order = id("L-", i), .at = jst(2026, 3, 10, i < late ? 13 : 10)});
  }
  return book;
}

TEST(Headroom, ThroughTheLedgerPfcr) {
  const local_day d = lday(2026, 3, 10);
  // 0/80 has room for exactly 1 cancel: 1/80 stays GOOD with none left, 2/80 = 2.5 % is BAD.
  auto r = pfcr_book(80, 0).evaluate<pfcr>("shop", d);
  EXPECT_EQ(counts(r), (frac{0, 80}));
  EXPECT_EQ(r.status, sh::status::good);
  EXPECT_EQ(r.headroom, 1u);
  EXPECT_EQ(r.recovery, std::optional<std::uint64_t>{0});
  r = pfcr_book(80, 1).evaluate<pfcr>("shop", d);
  EXPECT_EQ(r.status, sh::status::good);
  EXPECT_EQ(r.headroom, 0u);
  r = pfcr_book(80, 2).evaluate<pfcr>("shop", d);
  EXPECT_EQ(counts(r), (frac{2, 80}));
  EXPECT_EQ(r.status, sh::status::bad);
  EXPECT_EQ(r.headroom, 0u);
  // 2/(80 + k) < 1/40 <=> k >= 1.
  EXPECT_EQ(r.recovery, std::optional<std::uint64_t>{1});
  // 0/40: GOOD, no room: one cancel is exactly 2.5 %.
  r = pfcr_book(40, 0).evaluate<pfcr>("shop", d);
  EXPECT_EQ(r.status, sh::status::good);
  EXPECT_EQ(r.headroom, 0u);
  EXPECT_TRUE(r.low_volume);  // 1/40 already fails
  EXPECT_EQ(pfcr_book(40, 1).evaluate<pfcr>("shop", d).status, sh::status::bad);
  // 0/41: room for 1 and no longer low volume (1/41 meets the target).
  r = pfcr_book(41, 0).evaluate<pfcr>("shop", d);
  EXPECT_EQ(r.headroom, 1u);
  EXPECT_FALSE(r.low_volume);
  EXPECT_EQ(pfcr_book(41, 1).evaluate<pfcr>("shop", d).status, sh::status::good);
  // Open orders with a future ship-by are not in LSR yet: NONE, no room to speak of.
  r = pfcr_book(80, 0).evaluate<lsr10>("shop", d);
  EXPECT_EQ(counts(r), (frac{0, 0}));
  EXPECT_EQ(r.status, sh::status::none);
  EXPECT_EQ(r.headroom, 0u);
}

TEST(Recovery, ThroughTheLedgerPfcrNeeds21MoreOrders) {
  // 1 cancel of 20 orders: 1/20 = 5 %; recovery 21 (see AmazonTargetsAtExactBoundaries).
  amazon_book book = pfcr_book(20, 1);
  const local_day d = lday(2026, 3, 10);
  auto r = book.evaluate<pfcr>("shop", d);
  EXPECT_EQ(counts(r), (frac{1, 20}));
  EXPECT_EQ(r.status, sh::status::bad);
  EXPECT_EQ(r.recovery, std::optional<std::uint64_t>{21});
  // 20 more orders: 1/40 is still BAD, and needs exactly 1 more.
  for (int i = 0; i < 20; ++i)
    book.record(sh::placed{.order = id("more-", i),
                           .seller = "shop",
                           .at = jst(2026, 3, 10, 16) + minutes{i},
                           .ship_by = jst(2026, 3, 12, 23, 59, 59)});
  r = book.evaluate<pfcr>("shop", d);
  EXPECT_EQ(counts(r), (frac{1, 40}));
  EXPECT_EQ(r.status, sh::status::bad);
  EXPECT_EQ(r.recovery, std::optional<std::uint64_t>{1});
  // The 21st: 1/41 = 2.44 % GOOD, and it can take no other cancel ((1 + k)/41 < 1/40 <=> k < 0.025).
  book.record(sh::placed{
      .order = "more-20", .seller = "shop", .at = jst(2026, 3, 10, 17), .ship_by = jst(2026, 3, 12, 23, 59, 59)});
  r = book.evaluate<pfcr>("shop", d);
  EXPECT_EQ(counts(r), (frac{1, 41}));
  EXPECT_EQ(r.status, sh::status::good);
  EXPECT_EQ(r.recovery, std::optional<std::uint64_t>{0});
  EXPECT_EQ(r.headroom, 0u);
}

TEST(Headroom, ThroughTheLedgerLsr) {
  const local_day d = lday(2026, 3, 10);
  // 0/51: 2 more late orders fit (2/51 = 3.92 %), the third does not (3/51 = 5.88 %).
  for (const auto& r : {lsr_book(51, 0).evaluate<lsr10>("shop", d), lsr_book(51, 0).evaluate<lsr30>("shop", d)}) {
    EXPECT_EQ(counts(r), (frac{0, 51}));
    EXPECT_EQ(r.headroom, 2u);
  }
  auto r = lsr_book(51, 2).evaluate<lsr10>("shop", d);
  EXPECT_EQ(r.status, sh::status::good);
  EXPECT_EQ(r.headroom, 0u);
  EXPECT_EQ(lsr_book(51, 3).evaluate<lsr10>("shop", d).status, sh::status::bad);
  // 0/50: only 1 (2/50 = 4 % exactly fails).
  EXPECT_EQ(lsr_book(50, 0).evaluate<lsr30>("shop", d).headroom, 1u);
  EXPECT_EQ(lsr_book(50, 1).evaluate<lsr30>("shop", d).status, sh::status::good);
  EXPECT_EQ(lsr_book(50, 2).evaluate<lsr30>("shop", d).status, sh::status::bad);
  // 0/25: none (1/25 = 4 % fails).
  EXPECT_EQ(lsr_book(25, 0).evaluate<lsr10>("shop", d).headroom, 0u);
  EXPECT_EQ(lsr_book(25, 1).evaluate<lsr10>("shop", d).status, sh::status::bad);
  // Shipped orders are never cancelled: PFCR 0/51 can take 51 * 1/40 -> k < 1.275: 1.
  EXPECT_EQ(lsr_book(51, 0).evaluate<pfcr>("shop", d).headroom, 1u);
}

TEST(Recovery, ThroughTheLedgerLsrNeeds7MoreOrders) {
  // 1 late of 19: 1/19 = 5.3 %; 1/(19 + k) < 1/25 <=> k >= 7.
  amazon_book book = lsr_book(19, 1);
  const local_day d = lday(2026, 3, 10);
  auto r = book.evaluate<lsr10>("shop", d);
  EXPECT_EQ(counts(r), (frac{1, 19}));
  EXPECT_EQ(r.status, sh::status::bad);
  EXPECT_EQ(r.recovery, std::optional<std::uint64_t>{7});
  EXPECT_EQ(book.evaluate<lsr30>("shop", d).recovery, std::optional<std::uint64_t>{7});
  // Six more on-time orders due that day: 1/25 = 4 % exactly, still BAD, one more needed.
  const auto add = [&](int i) {
    book.record(sh::placed{
        .order = id("ok-", i), .seller = "shop", .at = jst(2026, 3, 10, 14), .ship_by = jst(2026, 3, 10, 23)});
    book.record(sh::shipped{.order = id("ok-", i), .at = jst(2026, 3, 10, 15)});
  };
  for (int i = 0; i < 6; ++i) add(i);
  r = book.evaluate<lsr10>("shop", d);
  EXPECT_EQ(counts(r), (frac{1, 25}));
  EXPECT_EQ(r.status, sh::status::bad);
  EXPECT_EQ(r.recovery, std::optional<std::uint64_t>{1});
  add(6);
  r = book.evaluate<lsr10>("shop", d);
  EXPECT_EQ(counts(r), (frac{1, 26}));
  EXPECT_EQ(r.status, sh::status::good);
}

/// `n` orders paid 2026-05-12 09:00; the first `cancels` cancelled `after` the payment.
qoo10_rates_book qoo10_rates(int n, int cancels, seconds after = hours{9}) {
  qoo10_rates_book book;
  for (int i = 0; i < n; ++i)
    book.record(sh::placed{
        .order = id("Q-", i), .seller = "shop", .at = jst(2026, 5, 12, 9), .ship_by = jst(2026, 5, 14, 23, 59, 59)});
  for (int i = 0; i < cancels; ++i) book.record(sh::cancelled{.order = id("Q-", i), .at = jst(2026, 5, 12, 9) + after});
  return book;
}

TEST(Headroom, ThroughTheLedgerQoo10) {
  const local_day d = lday(2026, 5, 12);
  using month = q10::cancel_rate_month;
  using quarter = q10::cancel_rate_quarter;
  // 0/5: month 2 (3/5 = 60 % > 50 %), quarter 2 as well.
  auto m = qoo10_rates(5, 0).evaluate<month>("shop", d);
  EXPECT_EQ(counts(m), (frac{0, 5}));
  EXPECT_EQ(m.status, sh::status::good);
  EXPECT_TRUE(m.low_volume);  // under 10 orders
  EXPECT_EQ(m.headroom, 2u);
  EXPECT_EQ(qoo10_rates(5, 0).evaluate<quarter>("shop", d).headroom, 2u);
  EXPECT_EQ(qoo10_rates(5, 2).evaluate<month>("shop", d).status, sh::status::good);
  m = qoo10_rates(5, 3).evaluate<month>("shop", d);
  EXPECT_EQ(m.status, sh::status::bad);
  EXPECT_EQ(m.recovery, std::optional<std::uint64_t>{1});  // 3/6 = 50 %
  // 0/20: month 1 (1/20 = 5 %, 2/20 = 10 % > 7 %), quarter 2 (2/20 = 10 % is no breach, 3/20 is).
  EXPECT_EQ(qoo10_rates(20, 0).evaluate<month>("shop", d).headroom, 1u);
  EXPECT_EQ(qoo10_rates(20, 0).evaluate<quarter>("shop", d).headroom, 2u);
  EXPECT_EQ(qoo10_rates(20, 2).evaluate<quarter>("shop", d).status, sh::status::good);
  EXPECT_EQ(qoo10_rates(20, 3).evaluate<quarter>("shop", d).status, sh::status::bad);
  // 1/10 cancelled 9 h after payment: BAD, recovery 5 (see Qoo10MonthSmallSampleRule).
  m = qoo10_rates(10, 1).evaluate<month>("shop", d);
  EXPECT_EQ(counts(m), (frac{1, 10}));
  EXPECT_EQ(m.status, sh::status::bad);
  EXPECT_EQ(m.recovery, std::optional<std::uint64_t>{5});
  // The same cancel exactly 6 h after payment is a quick cancel, in neither count: 0/9, a small
  // sample again, so room for 4 (5/9 = 55.6 % > 50 %).
  m = qoo10_rates(10, 1, hours{6}).evaluate<month>("shop", d);
  EXPECT_EQ(counts(m), (frac{0, 9}));
  EXPECT_EQ(m.status, sh::status::good);
  EXPECT_EQ(m.headroom, 4u);
  // One second later it counts.
  EXPECT_EQ(counts(qoo10_rates(10, 1, hours{6} + seconds{1}).evaluate<month>("shop", d)), (frac{1, 10}));
}

// ---- next_penalty: cancellations absorbable before each Qoo10 tier --------------------------------------

template <class Projection, class Tier>
std::optional<std::optional<std::uint64_t>> step_for(const Projection& p, Tier t) {
  for (const auto& s : p.before_each_tier)
    if (s.tier == t) return s.absorbable;
  return std::nullopt;
}

/// True iff tier `t` is reported as out of reach: no entry, or an entry with no count.
/// (ledger.hpp says only reachable tiers are listed; policy.hpp says one entry per worse tier,
/// empty when it cannot be reached. Either reading is accepted here.)
template <class Projection, class Tier>
bool unreachable(const Projection& p, Tier t) {
  const auto s = step_for(p, t);
  return !s || !*s;
}

qoo10_book qoo10_orders(int n, int cancels, int y = 2026, int mo = 5, int d = 12) {
  qoo10_book book;
  for (int i = 0; i < n; ++i)
    book.record(sh::placed{.order = id("N-" + std::to_string(mo) + "-", i),
                           .seller = "shop",
                           .at = jst(y, mo, d, 9),
                           .ship_by = jst(y, mo, d + 2, 23, 59, 59)});
  for (int i = 0; i < cancels; ++i)
    book.record(sh::cancelled{.order = id("N-" + std::to_string(mo) + "-", i), .at = jst(y, mo, d, 18)});
  return book;
}

TEST(NextPenalty, TwentyOrdersNoCancels) {
  const qoo10_book book = qoo10_orders(20, 0);
  const auto monthly = book.next_penalty<q10::monthly_warning>(0);
  EXPECT_EQ(monthly.rule, "qoo10.monthly_warning");
  EXPECT_EQ(monthly.evaluated_on, lday(2026, 6, 1));
  EXPECT_EQ(monthly.period, (sh::day_range{lday(2026, 5, 1), lday(2026, 5, 31)}));
  EXPECT_EQ(monthly.counts, (sh::rate{0, 20}));
  EXPECT_EQ(monthly.tier, q10::tier::none);
  // Warning when k/20 > 7 % <=> k > 1.4 <=> k >= 2: 1 cancellation can still be absorbed.
  ASSERT_EQ(monthly.before_each_tier.size(), 1u);
  EXPECT_EQ(monthly.before_each_tier[0].tier, q10::tier::warning);
  EXPECT_EQ(monthly.before_each_tier[0].absorbable, std::optional<std::uint64_t>{1});

  const auto quarterly = book.next_penalty<q10::quarterly_restriction>(0);
  EXPECT_EQ(quarterly.evaluated_on, lday(2026, 7, 1));
  EXPECT_EQ(quarterly.period, (sh::day_range{lday(2026, 4, 1), lday(2026, 6, 30)}));
  EXPECT_EQ(quarterly.tier, q10::tier::none);
  // Mega-wari when k/20 > 10 % <=> k >= 3: 2 absorbable; listing cap when > 15 % <=> k >= 4: 3.
  // The account restriction needs a previous listing cap: out of reach.
  EXPECT_EQ(step_for(quarterly, q10::tier::mega_wari_restricted), std::optional<std::optional<std::uint64_t>>{2});
  EXPECT_EQ(step_for(quarterly, q10::tier::listing_capped), std::optional<std::optional<std::uint64_t>>{3});
  EXPECT_TRUE(unreachable(quarterly, q10::tier::account_restricted));
  ASSERT_GE(quarterly.before_each_tier.size(), 2u);
  EXPECT_EQ(quarterly.before_each_tier[0].tier, q10::tier::mega_wari_restricted);  // worse tiers in order
}

TEST(NextPenalty, OneCancelAlreadyCounted) {
  // 1/20 = 5 %: monthly warning at (1 + k)/20 > 7 % <=> k >= 1: nothing absorbable.
  // Quarterly: (1 + k)/20 > 10 % <=> k >= 2: 1; > 15 % <=> k >= 3: 2.
  const qoo10_book book = qoo10_orders(20, 1);
  const auto monthly = book.next_penalty<q10::monthly_warning>(0);
  EXPECT_EQ(monthly.counts, (sh::rate{1, 20}));
  EXPECT_EQ(step_for(monthly, q10::tier::warning), std::optional<std::optional<std::uint64_t>>{0});
  const auto quarterly = book.next_penalty<q10::quarterly_restriction>(0);
  EXPECT_EQ(step_for(quarterly, q10::tier::mega_wari_restricted), std::optional<std::optional<std::uint64_t>>{1});
  EXPECT_EQ(step_for(quarterly, q10::tier::listing_capped), std::optional<std::optional<std::uint64_t>>{2});
  // 2/20 = 10 %: the warning is already earned (nothing worse on that rule); the quarter is still
  // clear (10 % exactly), mega-wari at 3/20 (0 absorbable), listing cap at 4/20 (1 absorbable).
  const qoo10_book two = qoo10_orders(20, 2);
  const auto m2 = two.next_penalty<q10::monthly_warning>(0);
  EXPECT_EQ(m2.tier, q10::tier::warning);
  EXPECT_TRUE(unreachable(m2, q10::tier::warning));
  const auto q2 = two.next_penalty<q10::quarterly_restriction>(0);
  EXPECT_EQ(q2.tier, q10::tier::none);
  EXPECT_EQ(step_for(q2, q10::tier::mega_wari_restricted), std::optional<std::optional<std::uint64_t>>{0});
  EXPECT_EQ(step_for(q2, q10::tier::listing_capped), std::optional<std::optional<std::uint64_t>>{1});
}

TEST(NextPenalty, SmallSampleSkipsStraightToTheListingCap) {
  // 5 orders: nothing breaches until k/5 > 50 % <=> k >= 3, and 3/5 = 60 % is above 15 %: the
  // quarter goes from no penalty straight to the listing cap; Mega-wari is never the outcome.
  const qoo10_book book = qoo10_orders(5, 0);
  const auto monthly = book.next_penalty<q10::monthly_warning>(0);
  EXPECT_EQ(step_for(monthly, q10::tier::warning), std::optional<std::optional<std::uint64_t>>{2});
  const auto quarterly = book.next_penalty<q10::quarterly_restriction>(0);
  EXPECT_EQ(step_for(quarterly, q10::tier::listing_capped), std::optional<std::optional<std::uint64_t>>{2});
  EXPECT_TRUE(unreachable(quarterly, q10::tier::mega_wari_restricted));
  // 9 orders: k/9 > 50 % <=> k >= 5: 4 absorbable on both rules.
  const qoo10_book nine = qoo10_orders(9, 0);
  EXPECT_EQ(step_for(nine.next_penalty<q10::monthly_warning>(0), q10::tier::warning),
            std::optional<std::optional<std::uint64_t>>{4});
  EXPECT_EQ(step_for(nine.next_penalty<q10::quarterly_restriction>(0), q10::tier::listing_capped),
            std::optional<std::optional<std::uint64_t>>{4});
  // 10 orders: no longer small. Warning at 1/10 (0 absorbable); the quarter: 1/10 = 10 % is no
  // breach, 2/10 = 20 % is above 15 %, so again straight to the listing cap with 1 absorbable.
  const qoo10_book ten = qoo10_orders(10, 0);
  EXPECT_EQ(step_for(ten.next_penalty<q10::monthly_warning>(0), q10::tier::warning),
            std::optional<std::optional<std::uint64_t>>{0});
  const auto q10q = ten.next_penalty<q10::quarterly_restriction>(0);
  EXPECT_EQ(step_for(q10q, q10::tier::listing_capped), std::optional<std::optional<std::uint64_t>>{1});
  EXPECT_TRUE(unreachable(q10q, q10::tier::mega_wari_restricted));
  // 100 orders: warning at 8 (7 absorbable), Mega-wari at 11 (10), listing cap at 16 (15).
  const qoo10_book hundred = qoo10_orders(100, 0);
  EXPECT_EQ(step_for(hundred.next_penalty<q10::monthly_warning>(0), q10::tier::warning),
            std::optional<std::optional<std::uint64_t>>{7});
  const auto q100 = hundred.next_penalty<q10::quarterly_restriction>(0);
  EXPECT_EQ(step_for(q100, q10::tier::mega_wari_restricted), std::optional<std::optional<std::uint64_t>>{10});
  EXPECT_EQ(step_for(q100, q10::tier::listing_capped), std::optional<std::optional<std::uint64_t>>{15});
}

TEST(NextPenalty, AfterAListingCapTheAccountRestrictionIsReachable) {
  // Q1 2026: 10 orders on Mar 20, 2 cancelled 9 h later: 2/10 = 20 % > 15 %: listing cap on Apr 1.
  qoo10_book book = qoo10_orders(10, 2, 2026, 3, 20);
  // Q2: 20 orders on Apr 15, none cancelled.
  for (int i = 0; i < 20; ++i)
    book.record(sh::placed{
        .order = id("A-", i), .seller = "shop", .at = jst(2026, 4, 15, 9), .ship_by = jst(2026, 4, 17, 23, 59, 59)});
  const auto history = book.penalty_history<q10::quarterly_restriction>(0, lday(2026, 4, 15));
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].evaluated_on, lday(2026, 4, 1));
  EXPECT_EQ(history[0].counts, (sh::rate{2, 10}));
  EXPECT_EQ(history[0].tier, q10::tier::listing_capped);
  // Next quarter: Mega-wari at k >= 3 (2 absorbable); above 15 % again (k >= 4) is now the
  // account restriction (3 absorbable), not a second listing cap.
  const auto quarterly = book.next_penalty<q10::quarterly_restriction>(0);
  EXPECT_EQ(quarterly.evaluated_on, lday(2026, 7, 1));
  EXPECT_EQ(quarterly.counts, (sh::rate{0, 20}));
  EXPECT_EQ(step_for(quarterly, q10::tier::mega_wari_restricted), std::optional<std::optional<std::uint64_t>>{2});
  EXPECT_EQ(step_for(quarterly, q10::tier::account_restricted), std::optional<std::optional<std::uint64_t>>{3});
  EXPECT_TRUE(unreachable(quarterly, q10::tier::listing_capped));
  // The April month: warning at 2/20 (1 absorbable).
  EXPECT_EQ(step_for(book.next_penalty<q10::monthly_warning>(0), q10::tier::warning),
            std::optional<std::optional<std::uint64_t>>{1});
}

TEST(NextPenalty, QuickCancelsAreInNeitherCount) {
  // 20 orders, 3 cancelled 2 h after payment: quick cancels, so the quarter so far is 0/17.
  // Mega-wari at k/17 > 10 % <=> k >= 2 (1 absorbable); listing cap k/17 > 15 % <=> k >= 3 (2).
  qoo10_book book;
  for (int i = 0; i < 20; ++i)
    book.record(sh::placed{
        .order = id("Z-", i), .seller = "shop", .at = jst(2026, 5, 12, 9), .ship_by = jst(2026, 5, 14, 23, 59, 59)});
  for (int i = 0; i < 3; ++i) book.record(sh::cancelled{.order = id("Z-", i), .at = jst(2026, 5, 12, 11)});
  const auto quarterly = book.next_penalty<q10::quarterly_restriction>(0);
  EXPECT_EQ(quarterly.counts, (sh::rate{0, 17}));
  EXPECT_EQ(step_for(quarterly, q10::tier::mega_wari_restricted), std::optional<std::optional<std::uint64_t>>{1});
  EXPECT_EQ(step_for(quarterly, q10::tier::listing_capped), std::optional<std::optional<std::uint64_t>>{2});
}

// ---- clears_on ----------------------------------------------------------------------------------------

TEST(ClearsOn, PfcrCancelClearsSevenDaysAfterItsPlacementDay) {
  // Placed and cancelled on Mar 10: attributed to Mar 10, in the 7-day windows ending Mar 10..16.
  amazon_book book;
  book.record(sh::placed{
      .order = "C-1", .seller = "shop", .at = jst(2026, 3, 10, 10), .ship_by = jst(2026, 3, 12, 23, 59, 59)});
  book.record(sh::cancelled{.order = "C-1", .at = jst(2026, 3, 10, 15)});
  const sh::seller_index s = *book.find_seller("shop");
  EXPECT_EQ(book.evaluate<pfcr>(s, lday(2026, 3, 10)).status, sh::status::bad);
  EXPECT_EQ(book.clears_on<pfcr>(s), lday(2026, 3, 17));
  // LSR is not BAD (the order left it): nothing to clear.
  EXPECT_EQ(book.clears_on<lsr10>(s), std::nullopt);
  EXPECT_EQ(book.clears_on<lsr30>(s), std::nullopt);
  const auto all = book.clears_on_all(s);
  EXPECT_EQ(all[0], lday(2026, 3, 17));
  EXPECT_EQ(all[1], std::nullopt);
  EXPECT_EQ(all[2], std::nullopt);
  // Looking only 6 days ahead it is still BAD on Mar 16: no answer; 7 days reach Mar 17.
  EXPECT_EQ(book.clears_on<pfcr>(s, 0, 6), std::nullopt);
  EXPECT_EQ(book.clears_on<pfcr>(s, 0, 7), lday(2026, 3, 17));
  // clears_on is a projection: the ledger still stands on Mar 10.
  EXPECT_EQ(book.today(), lday(2026, 3, 10));
}

TEST(ClearsOn, PfcrFollowsThePlacementDayNotTheCancelDay) {
  // Placed Mar 8, cancelled Mar 10 (placement-day attribution): in windows ending Mar 8..14.
  amazon_book book;
  book.record(
      sh::placed{.order = "C-1", .seller = "shop", .at = jst(2026, 3, 8, 10), .ship_by = jst(2026, 3, 12, 23, 59, 59)});
  book.record(sh::cancelled{.order = "C-1", .at = jst(2026, 3, 10, 15)});
  EXPECT_EQ(book.clears_on<pfcr>(0), lday(2026, 3, 15));
}

amazon_book one_late_order() {
  // Ship-by Mar 10 12:00, confirmed 18:00: late, attributed to Mar 10.
  amazon_book book;
  book.record(sh::placed{.order = "L-1", .seller = "shop", .at = jst(2026, 3, 9, 10), .ship_by = jst(2026, 3, 10, 12)});
  book.record(sh::shipped{.order = "L-1", .at = jst(2026, 3, 10, 18)});
  return book;
}

TEST(ClearsOn, LateShipmentClearsAfterTenAndThirtyDays) {
  const amazon_book book = one_late_order();
  // LSR-10 windows ending Mar 10..19 hold Mar 10: clears Mar 20. LSR-30: ending Mar 10..Apr 8,
  // clears Apr 9 (Mar 10 + 30). PFCR 0/1 is GOOD: nothing to clear.
  EXPECT_EQ(book.evaluate<lsr30>(0, lday(2026, 3, 10)).status, sh::status::bad);
  EXPECT_EQ(book.clears_on<lsr10>(0), lday(2026, 3, 20));
  EXPECT_EQ(book.clears_on<lsr30>(0), lday(2026, 4, 9));
  EXPECT_EQ(book.clears_on<pfcr>(0), std::nullopt);
}

TEST(ClearsOn, AnOpenOrderThatWillGoLateKeepsItBad) {
  amazon_book book = one_late_order();
  // A second order, open, ship-by Sun Mar 15 12:00: with no new event it goes late after its
  // deadline and is filed under Mar 15, until the platform cancels it 7 business days after the
  // ship-by day (Mar 16-20, 23, 24: Tue Mar 24 12:00); wholly cancelled, it leaves LSR from Mar 24
  // on (rules.md, Amazon PFCR). LSR-10: Mar 20..23 still hold Mar 15 (1/1), clears Mar 24.
  // LSR-30: Mar 10 holds until Apr 8 and Mar 15 only until Mar 23: clears Apr 9.
  book.record(
      sh::placed{.order = "L-2", .seller = "shop", .at = jst(2026, 3, 10, 19), .ship_by = jst(2026, 3, 15, 12)});
  EXPECT_EQ(book.clears_on<lsr10>(0), lday(2026, 3, 24));
  EXPECT_EQ(book.clears_on<lsr30>(0), lday(2026, 4, 9));
  EXPECT_EQ(book.today(), lday(2026, 3, 10));
  EXPECT_EQ(book.evaluate<lsr10>(0, lday(2026, 3, 10)).counts, (sh::rate{1, 1}));  // unchanged
}

TEST(ClearsOn, FirstDayNotBadEvenIfItTurnsBadAgainLater) {
  amazon_book book = one_late_order();
  // The second order's deadline is Mar 22: on Mar 20 the LSR-10 window Mar 11..20 holds nothing
  // (0/0, NONE), so it has cleared on Mar 20, although the open order turns it BAD on Mar 22.
  book.record(
      sh::placed{.order = "L-2", .seller = "shop", .at = jst(2026, 3, 10, 19), .ship_by = jst(2026, 3, 22, 12)});
  EXPECT_EQ(book.clears_on<lsr10>(0), lday(2026, 3, 20));
  // LSR-30 holds Mar 10 until Apr 8 and Mar 22 from Mar 22 until the platform cancels the order 7
  // business days after its ship-by day (Sun Mar 22: Mar 23-27, 30, 31), when it leaves LSR:
  // BAD from Mar 10 through Apr 8, clears Apr 9.
  EXPECT_EQ(book.clears_on<lsr30>(0), lday(2026, 4, 9));
}

TEST(ClearsOn, PfcrWithAssumedDailyVolume) {
  // 1/1 cancelled on Mar 10 (today). With n on-time orders a day from Mar 11, on Mar 10 + k
  // (k <= 6) PFCR is 1/(1 + n k), GOOD iff 1 + n k > 40 <=> n k >= 40; on Mar 17 the cancel has
  // left the window anyway.
  amazon_book book;
  book.record(sh::placed{
      .order = "C-1", .seller = "shop", .at = jst(2026, 3, 10, 10), .ship_by = jst(2026, 3, 12, 23, 59, 59)});
  book.record(sh::cancelled{.order = "C-1", .at = jst(2026, 3, 10, 15)});
  // n = 10: k >= 4 (1/41 on Mar 14; Mar 13 is 1/31).
  EXPECT_EQ(book.clears_on<pfcr>(0, 10), lday(2026, 3, 14));
  // n = 39: k = 1 gives 1/40, exactly 2.5 %, BAD; k = 2 gives 1/79.
  EXPECT_EQ(book.clears_on<pfcr>(0, 39), lday(2026, 3, 12));
  // n = 40: k = 1 gives 1/41.
  EXPECT_EQ(book.clears_on<pfcr>(0, 40), lday(2026, 3, 11));
  // n = 7: k >= 5.71, so k = 6 (1/43 on Mar 16).
  EXPECT_EQ(book.clears_on<pfcr>(0, 7), lday(2026, 3, 16));
  // n = 5: k >= 8, past the window: Mar 17, the same day as with no volume.
  EXPECT_EQ(book.clears_on<pfcr>(0, 5), lday(2026, 3, 17));
  EXPECT_EQ(book.clears_on<pfcr>(0, 0), lday(2026, 3, 17));
}

TEST(ClearsOn, LsrWithAssumedDailyVolume) {
  // One late order filed Mar 10 (today). With n on-time orders a day from Mar 11 (each due the day
  // it is placed), on Mar 10 + k the rate is 1/(1 + n k) while Mar 10 is in the window; GOOD iff
  // n k >= 25. LSR-10 holds Mar 10 for k <= 9, LSR-30 for k <= 29.
  const amazon_book book = one_late_order();
  // n = 1: LSR-10 never dilutes enough (k = 9 gives 1/10), leaves the window on Mar 20;
  //        LSR-30: k = 25 gives 1/26 on Apr 4.
  auto c = book.clears_on_all(0, 1);
  EXPECT_EQ(c[1], lday(2026, 3, 20));
  EXPECT_EQ(c[2], lday(2026, 4, 4));
  // n = 2: LSR-10 still Mar 20 (k = 9 gives 1/19); LSR-30 k >= 12.5: Mar 23.
  c = book.clears_on_all(0, 2);
  EXPECT_EQ(c[1], lday(2026, 3, 20));
  EXPECT_EQ(c[2], lday(2026, 3, 23));
  // n = 3: k >= 8.33, so k = 9 for both (1/28): Mar 19.
  c = book.clears_on_all(0, 3);
  EXPECT_EQ(c[1], lday(2026, 3, 19));
  EXPECT_EQ(c[2], lday(2026, 3, 19));
  // n = 10: k = 2 gives 1/21 (BAD), k = 3 gives 1/31: Mar 13.
  c = book.clears_on_all(0, 10);
  EXPECT_EQ(c[1], lday(2026, 3, 13));
  EXPECT_EQ(c[2], lday(2026, 3, 13));
  // n = 25: k = 1 gives 1/26: Mar 11. n = 24: 1/25 = 4 % exactly fails; k = 2: Mar 12.
  EXPECT_EQ(book.clears_on<lsr30>(0, 25), lday(2026, 3, 11));
  EXPECT_EQ(book.clears_on<lsr30>(0, 24), lday(2026, 3, 12));
  EXPECT_EQ(c[0], std::nullopt);  // PFCR was never BAD
}

TEST(ClearsOn, NotBadOrUnknownSellerHasNoDay) {
  amazon_book book;
  EXPECT_EQ(book.clears_on<pfcr>(0), std::nullopt);  // an empty ledger
  book.record(
      sh::placed{.order = "G-1", .seller = "shop", .at = jst(2026, 3, 10, 10), .ship_by = jst(2026, 3, 11, 12)});
  EXPECT_EQ(book.clears_on<pfcr>(0), std::nullopt);  // 0/1: GOOD
  EXPECT_EQ(book.clears_on<pfcr>(7), std::nullopt);  // no such seller
}

}  // namespace
