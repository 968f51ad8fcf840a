// Qoo10 Japan's cancellation penalty, one scenario per rule of seed 003 (rules.md, Qoo10 section),
// each at its exact boundary. Every expected value is worked out by hand from the rules; the
// arithmetic is in the comments.
//
// Dates are JST wall-clock times. Unless a test says otherwise, an order is paid at 10:00 and a
// counted cancellation comes 7 hours later (past the 6-hour grace), on the same local day.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <sellerhealth/calendar.hpp>
#include <sellerhealth/events.hpp>
#include <sellerhealth/ledger.hpp>
#include <sellerhealth/policy.hpp>
#include <sellerhealth/qoo10.hpp>
#include <sellerhealth/rate.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/scenario.hpp"

// Readable gtest output for the library's value types (found by argument-dependent lookup).
namespace sellerhealth {
inline void PrintTo(const rate& r, std::ostream* out) { *out << r.numerator << "/" << r.denominator; }
inline void PrintTo(const day_range& d, std::ostream* out) { *out << format_day(d.from) << ".." << format_day(d.to); }
inline void PrintTo(status s, std::ostream* out) { *out << to_string(s); }
namespace qoo10 {
inline void PrintTo(tier t, std::ostream* out) { *out << to_string(t); }
}  // namespace qoo10
}  // namespace sellerhealth

namespace {

using namespace std::chrono_literals;
namespace sh = sellerhealth;
namespace qoo10 = sellerhealth::qoo10;
using qoo10::tier;
using sh::actor;
using sh::day_range;
using sh::local_day;
using sh::rate;
using sh::sys_seconds;

using book_type = scenario::qoo10_book;
using evaluation = sh::penalty_evaluation<tier>;
using projection = sh::penalty_projection<tier>;

// ---- time -----------------------------------------------------------------------------------

using scenario::qoo10_clock::day;
using scenario::qoo10_clock::jst;
constexpr day_range days(local_day from, local_day to) { return {from, to}; }

// ---- a book with order helpers --------------------------------------------------------------

template <class Book = book_type>
struct basic_shop {
  Book book;
  int next_id = 0;

  explicit basic_shop(sh::ledger_options options = {}) : book(options) {}

  std::string place(std::string_view seller, sys_seconds at, std::uint32_t quantity = 1,
                    sh::fulfilment channel = sh::fulfilment::merchant) {
    std::string id = std::string(seller) + "-" + std::to_string(++next_id);
    book.record(sh::placed{
        .order = id, .seller = seller, .at = at, .ship_by = at + 72h, .quantity = quantity, .channel = channel});
    return id;
  }
  void cancel(const std::string& id, sys_seconds at, actor by = actor::seller,
              std::optional<std::uint32_t> units = std::nullopt) {
    book.record(sh::cancelled{.order = id, .at = at, .by = by, .units = units});
  }
  /// `n` orders paid at `at`; the first `cancels` of them cancelled wholly by the seller 7 hours
  /// later. Returns the ids, cancelled ones first.
  std::vector<std::string> batch(std::string_view seller, sys_seconds at, int n, int cancels) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) ids.push_back(place(seller, at));
    for (int i = 0; i < cancels; ++i) cancel(ids[static_cast<std::size_t>(i)], at + 7h);
    return ids;
  }

  template <class R>
  std::vector<evaluation> history(std::string_view seller) const {
    return book.template penalty_history<R>(seller, *book.today());
  }
  std::vector<evaluation> monthly(std::string_view seller) const { return history<qoo10::monthly_warning>(seller); }
  std::vector<evaluation> quarterly(std::string_view seller) const {
    return history<qoo10::quarterly_restriction>(seller);
  }
  template <class R>
  projection next(std::string_view seller) const {
    return book.template next_penalty<R>(*book.find_seller(seller));
  }
};
using shop = basic_shop<>;

// ---- assertions -----------------------------------------------------------------------------

struct expected_evaluation {
  local_day on;
  day_range period;
  rate counts;
  tier level;
};

std::string describe(const evaluation& e) {
  return std::string(e.rule) + " on " + sh::format_day(e.evaluated_on) + " judging " + sh::format_day(e.period.from) +
         ".." + sh::format_day(e.period.to) + ": " + std::to_string(e.counts.numerator) + "/" +
         std::to_string(e.counts.denominator) + " " + std::string(qoo10::to_string(e.tier));
}
std::string describe(std::string_view rule, const expected_evaluation& e) {
  return describe(evaluation{rule, e.on, e.period, e.counts, e.level});
}

/// The whole history equals `want`, entry by entry.
::testing::AssertionResult history_is(const std::vector<evaluation>& got, std::string_view rule,
                                      const std::vector<expected_evaluation>& want) {
  std::string got_text, want_text;
  for (const evaluation& e : got) got_text += "\n    " + describe(e);
  for (const expected_evaluation& e : want) want_text += "\n    " + describe(rule, e);
  bool same = got.size() == want.size();
  for (std::size_t i = 0; same && i < got.size(); ++i)
    same = got[i] == evaluation{rule, want[i].on, want[i].period, want[i].counts, want[i].level};
  if (same) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "history differs\n  got:" << (got_text.empty() ? " (none)" : got_text)
                                       << "\n  want:" << (want_text.empty() ? " (none)" : want_text);
}
::testing::AssertionResult monthly_is(const std::vector<evaluation>& got,
                                      const std::vector<expected_evaluation>& want) {
  return history_is(got, qoo10::monthly_warning::id, want);
}
::testing::AssertionResult quarterly_is(const std::vector<evaluation>& got,
                                        const std::vector<expected_evaluation>& want) {
  return history_is(got, qoo10::quarterly_restriction::id, want);
}

/// The steps of a projection: each worse tier cancellations can reach, in order, with how many
/// more cancellations stay below it. Steps for tiers marked unreachable (an empty count) are
/// skipped, so both "reachable tiers only" and "every worse tier" listings compare alike.
::testing::AssertionResult steps_are(const projection& p, const std::vector<std::pair<tier, std::uint64_t>>& want) {
  std::vector<std::pair<tier, std::uint64_t>> got;
  for (const auto& s : p.before_each_tier)
    if (s.absorbable) got.emplace_back(s.tier, *s.absorbable);
  if (got == want) return ::testing::AssertionSuccess();
  auto text = [](const std::vector<std::pair<tier, std::uint64_t>>& v) {
    std::string out;
    for (const auto& [t, n] : v) out += " {" + std::string(qoo10::to_string(t)) + ", " + std::to_string(n) + "}";
    return out.empty() ? std::string(" (none)") : out;
  };
  return ::testing::AssertionFailure() << "steps differ: got" << text(got) << ", want" << text(want);
}

// Q3 2026 and its evaluation on Oct 1; September and its evaluation on Oct 1.
constexpr day_range q3_2026 = days(day(2026, 7, 1), day(2026, 9, 30));
constexpr day_range sep_2026 = days(day(2026, 9, 1), day(2026, 9, 30));
constexpr local_day oct1 = day(2026, 10, 1);

// ---- stage 1: the monthly warning -----------------------------------------------------------

TEST(Qoo10MonthlyWarning, ExactlySevenPercentIsNoWarning) {
  shop s;
  s.batch("S1", jst(2026, 9, 10), 100, 7);  // 7/100 = 7 %: not above 7 %
  s.book.advance_to(oct1);
  EXPECT_TRUE(monthly_is(s.monthly("S1"), {{oct1, sep_2026, {7, 100}, tier::none}}));
}

TEST(Qoo10MonthlyWarning, EightOfHundredWarns) {
  shop s;
  s.batch("S1", jst(2026, 9, 10), 100, 8);  // 8/100 = 8 % > 7 %
  s.book.advance_to(oct1);
  EXPECT_TRUE(monthly_is(s.monthly("S1"), {{oct1, sep_2026, {8, 100}, tier::warning}}));
}

TEST(Qoo10MonthlyWarning, SevenOfNinetyNineWarns) {
  shop s;
  s.batch("S1", jst(2026, 9, 10), 99, 7);  // 7/99 = 7.07 % > 7 % (700 > 693)
  s.book.advance_to(oct1);
  EXPECT_TRUE(monthly_is(s.monthly("S1"), {{oct1, sep_2026, {7, 99}, tier::warning}}));
}

TEST(Qoo10MonthlyWarning, IsEvaluatedOnTheFirstForThePreviousMonthOnly) {
  shop s;
  s.batch("S1", jst(2026, 8, 20), 20, 10);  // August: 10/20 = 50 %, judged on Sep 1
  s.book.advance_to(day(2026, 8, 31));
  EXPECT_TRUE(s.monthly("S1").empty()) << "nothing is judged before the 1st";
  s.book.advance_to(day(2026, 9, 1));
  EXPECT_TRUE(monthly_is(s.monthly("S1"),
                         {{day(2026, 9, 1), days(day(2026, 8, 1), day(2026, 8, 31)), {10, 20}, tier::warning}}));
  s.batch("S1", jst(2026, 9, 10), 100, 8);  // September: 8/100 = 8 %, judged on Oct 1
  s.book.advance_to(day(2026, 9, 30));      // the last day of September: still one evaluation
  EXPECT_EQ(s.monthly("S1").size(), 1u);
  s.book.advance_to(oct1);
  const std::vector<expected_evaluation> both = {
      {day(2026, 9, 1), days(day(2026, 8, 1), day(2026, 8, 31)), {10, 20}, tier::warning},
      {oct1, sep_2026, {8, 100}, tier::warning}};  // August's orders are not in September's count
  EXPECT_TRUE(monthly_is(s.monthly("S1"), both));
  s.book.advance_to(day(2026, 10, 2));
  EXPECT_TRUE(monthly_is(s.monthly("S1"), both));
  // `up_to` cuts the history at a day.
  EXPECT_EQ(s.book.penalty_history<qoo10::monthly_warning>("S1", day(2026, 9, 30)).size(), 1u);
  EXPECT_EQ(s.book.penalty_history<qoo10::monthly_warning>("S1", day(2026, 8, 31)).size(), 0u);
}

// ---- stage 2: the quarterly restriction -----------------------------------------------------

/// 100 orders over Q3 2026 (30 in July, 30 in August, 40 in September), `cancels` of them
/// cancelled (spread over the three months).
void q3_orders(shop& s, std::string_view seller, int cancels) {
  const int july = cancels / 3, august = cancels / 3;
  s.batch(seller, jst(2026, 7, 10), 30, july);
  s.batch(seller, jst(2026, 8, 10), 30, august);
  s.batch(seller, jst(2026, 9, 10), 40, cancels - july - august);
}

TEST(Qoo10Quarterly, ExactlyTenPercentIsNoRestriction) {
  shop s;
  q3_orders(s, "S1", 10);  // 10/100 = 10 %: not above 10 %
  s.book.advance_to(day(2026, 9, 30));
  EXPECT_TRUE(s.quarterly("S1").empty());
  s.book.advance_to(oct1);
  EXPECT_TRUE(quarterly_is(s.quarterly("S1"), {{oct1, q3_2026, {10, 100}, tier::none}}));
}

TEST(Qoo10Quarterly, JustAboveTenPercentRestrictsMegaWari) {
  shop s;
  s.batch("S2", jst(2026, 7, 5), 99, 10);  // 10/99 = 10.1 % > 10 % (1000 > 990)
  q3_orders(s, "S1", 11);                  // 11/100 = 11 % > 10 %
  s.book.advance_to(oct1);
  EXPECT_TRUE(quarterly_is(s.quarterly("S1"), {{oct1, q3_2026, {11, 100}, tier::mega_wari_restricted}}));
  EXPECT_TRUE(quarterly_is(s.quarterly("S2"), {{oct1, q3_2026, {10, 99}, tier::mega_wari_restricted}}));
}

TEST(Qoo10Quarterly, ExactlyFifteenPercentRestrictsMegaWariButDoesNotCapListings) {
  shop s;
  q3_orders(s, "S1", 15);  // 15/100 = 15 %: above 10 %, not above 15 %
  s.book.advance_to(oct1);
  EXPECT_TRUE(quarterly_is(s.quarterly("S1"), {{oct1, q3_2026, {15, 100}, tier::mega_wari_restricted}}));
}

TEST(Qoo10Quarterly, JustAboveFifteenPercentCapsListings) {
  shop s;
  s.batch("S2", jst(2026, 7, 5), 99, 15);  // 15/99 = 15.15 % > 15 % (1500 > 1485)
  q3_orders(s, "S1", 16);                  // 16/100 = 16 % > 15 %
  s.book.advance_to(oct1);
  EXPECT_TRUE(quarterly_is(s.quarterly("S1"), {{oct1, q3_2026, {16, 100}, tier::listing_capped}}));
  EXPECT_TRUE(quarterly_is(s.quarterly("S2"), {{oct1, q3_2026, {15, 99}, tier::listing_capped}}));
}

TEST(Qoo10Quarterly, AboveFifteenPercentInTwoConsecutiveQuartersRestrictsTheAccount) {
  shop s;
  s.batch("S1", jst(2026, 8, 10), 100, 16);   // Q3 2026: 16 % -> listing_capped on Oct 1
  s.batch("S1", jst(2026, 11, 10), 100, 16);  // Q4 2026: 16 % again -> account_restricted on Jan 1
  s.batch("S1", jst(2027, 2, 10), 100, 16);   // Q1 2027: 16 % a third time -> stays account_restricted
  s.batch("S1", jst(2027, 5, 10), 100, 15);   // Q2 2027: exactly 15 % -> mega_wari_restricted only
  s.book.advance_to(day(2027, 7, 1));
  EXPECT_TRUE(quarterly_is(
      s.quarterly("S1"),
      {{oct1, q3_2026, {16, 100}, tier::listing_capped},
       {day(2027, 1, 1), days(day(2026, 10, 1), day(2026, 12, 31)), {16, 100}, tier::account_restricted},
       {day(2027, 4, 1), days(day(2027, 1, 1), day(2027, 3, 31)), {16, 100}, tier::account_restricted},
       {day(2027, 7, 1), days(day(2027, 4, 1), day(2027, 6, 30)), {15, 100}, tier::mega_wari_restricted}}));
}

TEST(Qoo10Quarterly, AQuarterNotAboveFifteenPercentBetweenBreaksTheRun) {
  shop s;
  // S1: 16 %, then a good quarter (5 %), then 16 %: listing_capped both times.
  // S2: 16 %, then 12 % (mega_wari_restricted, not above 15 %), then 16 %: listing_capped both times.
  s.batch("S1", jst(2026, 2, 10), 100, 16);
  s.batch("S2", jst(2026, 2, 10), 100, 16);
  s.batch("S1", jst(2026, 5, 10), 100, 5);
  s.batch("S2", jst(2026, 5, 10), 100, 12);
  s.batch("S1", jst(2026, 8, 10), 100, 16);
  s.batch("S2", jst(2026, 8, 10), 100, 16);
  s.book.advance_to(oct1);
  const day_range q1 = days(day(2026, 1, 1), day(2026, 3, 31)), q2 = days(day(2026, 4, 1), day(2026, 6, 30));
  EXPECT_TRUE(quarterly_is(s.quarterly("S1"), {{day(2026, 4, 1), q1, {16, 100}, tier::listing_capped},
                                               {day(2026, 7, 1), q2, {5, 100}, tier::none},
                                               {oct1, q3_2026, {16, 100}, tier::listing_capped}}));
  EXPECT_TRUE(quarterly_is(s.quarterly("S2"), {{day(2026, 4, 1), q1, {16, 100}, tier::listing_capped},
                                               {day(2026, 7, 1), q2, {12, 100}, tier::mega_wari_restricted},
                                               {oct1, q3_2026, {16, 100}, tier::listing_capped}}));
}

// ---- small samples --------------------------------------------------------------------------

TEST(Qoo10SmallSample, WithNineOrdersOnlyMoreThanHalfCancelledIsAPenalty) {
  shop s;
  s.batch("A", jst(2026, 9, 10), 9, 4);  // 4/9 = 44.4 %: fewer than 10 orders and not above 50 %
  s.batch("B", jst(2026, 9, 10), 9, 5);  // 5/9 = 55.6 % > 50 %: and > 15 %, so listings are capped
  s.book.advance_to(oct1);
  EXPECT_TRUE(monthly_is(s.monthly("A"), {{oct1, sep_2026, {4, 9}, tier::none}}));
  EXPECT_TRUE(quarterly_is(s.quarterly("A"), {{oct1, q3_2026, {4, 9}, tier::none}}));
  EXPECT_TRUE(monthly_is(s.monthly("B"), {{oct1, sep_2026, {5, 9}, tier::warning}}));
  EXPECT_TRUE(quarterly_is(s.quarterly("B"), {{oct1, q3_2026, {5, 9}, tier::listing_capped}}));
}

TEST(Qoo10SmallSample, WithTenOrdersTheUsualThresholdsApply) {
  shop s;
  s.batch("C", jst(2026, 9, 10), 10, 2);  // 2/10 = 20 %: > 7 % and > 15 %
  s.batch("D", jst(2026, 9, 10), 10, 1);  // 1/10 = 10 %: > 7 %, exactly 10 % (no restriction)
  s.book.advance_to(oct1);
  EXPECT_TRUE(monthly_is(s.monthly("C"), {{oct1, sep_2026, {2, 10}, tier::warning}}));
  EXPECT_TRUE(quarterly_is(s.quarterly("C"), {{oct1, q3_2026, {2, 10}, tier::listing_capped}}));
  EXPECT_TRUE(monthly_is(s.monthly("D"), {{oct1, sep_2026, {1, 10}, tier::warning}}));
  EXPECT_TRUE(quarterly_is(s.quarterly("D"), {{oct1, q3_2026, {1, 10}, tier::none}}));
}

TEST(Qoo10SmallSample, ExactlyHalfWithFewerThanTenOrdersIsNoBreach) {
  shop s;
  s.batch("A", jst(2026, 9, 10), 8, 4);  // 4/8 = 50 %: not above 50 %
  s.batch("B", jst(2026, 9, 10), 2, 1);  // 1/2 = 50 %
  s.batch("C", jst(2026, 9, 10), 8, 5);  // 5/8 = 62.5 % > 50 %
  s.book.advance_to(oct1);
  EXPECT_TRUE(monthly_is(s.monthly("A"), {{oct1, sep_2026, {4, 8}, tier::none}}));
  EXPECT_TRUE(quarterly_is(s.quarterly("A"), {{oct1, q3_2026, {4, 8}, tier::none}}));
  EXPECT_TRUE(monthly_is(s.monthly("B"), {{oct1, sep_2026, {1, 2}, tier::none}}));
  EXPECT_TRUE(quarterly_is(s.quarterly("B"), {{oct1, q3_2026, {1, 2}, tier::none}}));
  EXPECT_TRUE(monthly_is(s.monthly("C"), {{oct1, sep_2026, {5, 8}, tier::warning}}));
  EXPECT_TRUE(quarterly_is(s.quarterly("C"), {{oct1, q3_2026, {5, 8}, tier::listing_capped}}));
}

TEST(Qoo10SmallSample, AppliesToTheMonthlyWarningUnlessTurnedOff) {
  using strict_warning = qoo10::basic_monthly_warning<false>;
  using strict_month = qoo10::basic_cancel_rate_month<strict_warning>;
  shop usual;
  basic_shop<sh::ledger<sh::jst, strict_month, strict_warning>> strict;
  // 1/5 = 20 %: above 7 %, but fewer than 10 orders and not above 50 %.
  usual.batch("S1", jst(2026, 9, 10), 5, 1);
  strict.batch("S1", jst(2026, 9, 10), 5, 1);
  usual.book.advance_to(day(2026, 9, 30));
  strict.book.advance_to(day(2026, 9, 30));
  EXPECT_EQ(usual.book.evaluate<qoo10::cancel_rate_month>("S1", day(2026, 9, 30)).status, sh::status::good);
  EXPECT_EQ(strict.book.evaluate<strict_month>("S1", day(2026, 9, 30)).status, sh::status::bad);
  usual.book.advance_to(oct1);
  strict.book.advance_to(oct1);
  EXPECT_TRUE(monthly_is(usual.monthly("S1"), {{oct1, sep_2026, {1, 5}, tier::none}}));
  EXPECT_TRUE(monthly_is(strict.history<strict_warning>("S1"), {{oct1, sep_2026, {1, 5}, tier::warning}}));
  // Without the rule, 1 cancel of 5 warns, and so does a single order cancelled (1/1).
  static_assert(strict_warning::tier_of(rate{1, 1}, tier::none) == tier::warning);
  static_assert(qoo10::monthly_warning::tier_of(rate{1, 1}, tier::none) == tier::warning);  // 100 % > 50 %
  static_assert(strict_warning::tier_of(rate{0, 5}, tier::none) == tier::none);
}

// ---- the 6-hour grace -----------------------------------------------------------------------

TEST(Qoo10SixHours, WholeCancelAtExactlySixHoursLeavesBothCountsAndOneSecondLaterCounts) {
  shop s;
  s.batch("S1", jst(2026, 9, 10), 10, 0);
  s.cancel(s.place("S1", jst(2026, 9, 12, 10h)), jst(2026, 9, 12, 16h));  // exactly 6:00:00 after payment
  s.batch("S2", jst(2026, 9, 10), 10, 0);
  s.cancel(s.place("S2", jst(2026, 9, 12, 10h)), jst(2026, 9, 12, 16h + 1s));  // 6:00:01
  // S1: the quick cancel is in neither count: 0/10. S2: 1/11 = 9.1 % > 7 %, <= 10 %.
  s.book.advance_to(day(2026, 9, 30));
  const auto s1 = s.book.evaluate<qoo10::cancel_rate_month>("S1", day(2026, 9, 30));
  const auto s2 = s.book.evaluate<qoo10::cancel_rate_month>("S2", day(2026, 9, 30));
  EXPECT_EQ(s1.counts, (rate{0, 10}));
  EXPECT_EQ(s2.counts, (rate{1, 11}));
  s.book.advance_to(oct1);
  EXPECT_TRUE(monthly_is(s.monthly("S1"), {{oct1, sep_2026, {0, 10}, tier::none}}));
  EXPECT_TRUE(monthly_is(s.monthly("S2"), {{oct1, sep_2026, {1, 11}, tier::warning}}));
  EXPECT_TRUE(quarterly_is(s.quarterly("S2"), {{oct1, q3_2026, {1, 11}, tier::none}}));
}

TEST(Qoo10SixHours, APartialCancelIsNoCancelAtAll) {
  shop s;
  // S1: 3 units, 1 cancelled after an hour, the rest never: a paid order, not a cancel: 0/10.
  s.batch("S1", jst(2026, 9, 10), 9, 0);
  s.cancel(s.place("S1", jst(2026, 9, 12), 3), jst(2026, 9, 12, 11h), actor::buyer, 1);
  // S2: 2 units, one at +1 h and one at +5 h: wholly cancelled within 6 hours: in neither, 0/9.
  s.batch("S2", jst(2026, 9, 10), 9, 0);
  const std::string quick = s.place("S2", jst(2026, 9, 12), 2);
  s.cancel(quick, jst(2026, 9, 12, 11h), actor::seller, 1);
  s.cancel(quick, jst(2026, 9, 12, 15h), actor::seller, 1);
  // S3: 2 units, one at +1 h and the other two days later: wholly cancelled after 6 hours, 1/10.
  s.batch("S3", jst(2026, 9, 10), 9, 0);
  const std::string slow = s.place("S3", jst(2026, 9, 12), 2);
  s.cancel(slow, jst(2026, 9, 12, 11h), actor::seller, 1);
  s.cancel(slow, jst(2026, 9, 14));
  s.book.advance_to(oct1);
  EXPECT_TRUE(monthly_is(s.monthly("S1"), {{oct1, sep_2026, {0, 10}, tier::none}}));
  EXPECT_TRUE(monthly_is(s.monthly("S2"), {{oct1, sep_2026, {0, 9}, tier::none}}));
  EXPECT_TRUE(monthly_is(s.monthly("S3"), {{oct1, sep_2026, {1, 10}, tier::warning}}));  // 10 % > 7 %
}

// ---- who cancelled, exemptions, fulfilment --------------------------------------------------

TEST(Qoo10Counting, AnyActorsCancellationCounts) {
  shop s;
  const auto ids = s.batch("S1", jst(2026, 9, 10), 10, 0);
  s.cancel(ids[0], jst(2026, 9, 11), actor::buyer);  // the buyer's self-cancel (e.g. after a late shipment)
  s.book.record(sh::cancel_requested{.order = ids[1], .at = jst(2026, 9, 11)});
  s.cancel(ids[1], jst(2026, 9, 11, 12h), actor::seller);  // the seller, at the buyer's request
  s.cancel(ids[2], jst(2026, 9, 11), actor::platform);     // automatic
  s.book.advance_to(oct1);
  // 3/10 = 30 %: > 7 %, > 15 %.
  EXPECT_TRUE(monthly_is(s.monthly("S1"), {{oct1, sep_2026, {3, 10}, tier::warning}}));
  EXPECT_TRUE(quarterly_is(s.quarterly("S1"), {{oct1, q3_2026, {3, 10}, tier::listing_capped}}));
}

TEST(Qoo10Counting, ExemptedOrdersStayInTheDenominatorOnly) {
  shop s;
  const auto ids = s.batch("S1", jst(2026, 9, 10), 10, 3);
  s.book.record(sh::exempted{.order = ids[0], .at = jst(2026, 9, 15), .metric = sh::exempt_from::cancel});
  s.book.record(sh::exempted{.order = ids[1], .at = jst(2026, 9, 15), .metric = sh::exempt_from::all});
  s.book.record(sh::exempted{.order = ids[2], .at = jst(2026, 9, 15), .metric = sh::exempt_from::late});
  s.book.record(
      sh::exempted{.order = ids[9], .at = jst(2026, 9, 15), .metric = sh::exempt_from::all});  // not cancelled
  s.book.advance_to(day(2026, 9, 30));
  // Only ids[2] still counts (a `late` exemption is not about cancels): 1/10 = 10 %: a warning
  // (> 7 %), but exactly 10 % is no restriction.
  EXPECT_EQ(s.book.evaluate<qoo10::cancel_rate_month>("S1", day(2026, 9, 30)).counts, (rate{1, 10}));
  s.book.advance_to(oct1);
  EXPECT_TRUE(monthly_is(s.monthly("S1"), {{oct1, sep_2026, {1, 10}, tier::warning}}));
  EXPECT_TRUE(quarterly_is(s.quarterly("S1"), {{oct1, q3_2026, {1, 10}, tier::none}}));
}

TEST(Qoo10Counting, PlatformFulfilledOrdersCount) {
  shop s;
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i)
    ids.push_back(s.place("S1", jst(2026, 9, 10), 1, i < 5 ? sh::fulfilment::merchant : sh::fulfilment::platform));
  s.cancel(ids[0], jst(2026, 9, 11));
  s.cancel(ids[5], jst(2026, 9, 11));
  s.cancel(ids[6], jst(2026, 9, 11), actor::platform);
  // Every order counts whoever fulfils it: 3/10.
  s.book.advance_to(day(2026, 9, 30));
  EXPECT_EQ(s.book.evaluate<qoo10::cancel_rate_quarter>("S1", day(2026, 9, 30)).counts, (rate{3, 10}));
  s.book.advance_to(oct1);
  EXPECT_TRUE(quarterly_is(s.quarterly("S1"), {{oct1, q3_2026, {3, 10}, tier::listing_capped}}));
}

// ---- the end of the judged period -----------------------------------------------------------

TEST(Qoo10PeriodEnd, ACancelAfterThePeriodEndedIsNotACancelOfThatPeriod) {
  shop s;
  // S1: 97 orders paid Sep 10, 9 of them cancelled the same day, and three more:
  //   late1: paid Sep 30 23:00, cancelled Oct 1 10:00 (after the quarter ended);
  //   last:  paid Sep 30 10:00, cancelled Sep 30 23:59:59 (the period's last second);
  //   first: paid Sep 30 10:00, cancelled Oct 1 00:00:00 (the first second after it).
  // On Oct 1: 100 paid orders, 9 + last = 10 cancelled: exactly 10 %, no restriction. Counting
  // late1 or first as well would make 11 % (mega_wari_restricted).
  s.batch("S1", jst(2026, 9, 10), 97, 9);
  const std::string late1 = s.place("S1", jst(2026, 9, 30, 23h));
  const std::string last = s.place("S1", jst(2026, 9, 30, 10h));
  const std::string first = s.place("S1", jst(2026, 9, 30, 10h));
  // S2: 10 orders paid Sep 10, 1 cancelled; one more paid Sep 30 23:00 and cancelled Oct 1 04:00
  // (5 hours later, a quick cancel, but after the period): when September closed it was a paid,
  // uncancelled order, so it is in the denominator: 1/11 on Oct 1.
  s.batch("S2", jst(2026, 9, 10), 10, 1);
  const std::string quick = s.place("S2", jst(2026, 9, 30, 23h));
  // S3: 2 units paid Sep 20, one unit cancelled Sep 25, the other Oct 1 09:00: not wholly
  // cancelled by the end of September: 0/11.
  s.batch("S3", jst(2026, 9, 10), 10, 0);
  const std::string split = s.place("S3", jst(2026, 9, 20), 2);
  s.cancel(split, jst(2026, 9, 25), actor::seller, 1);
  // The cancellations, in time order.
  s.cancel(last, jst(2026, 9, 30, 23h + 59min + 59s));
  s.cancel(first, jst(2026, 10, 1, 0s));
  s.cancel(quick, jst(2026, 10, 1, 4h));
  s.cancel(split, jst(2026, 10, 1, 9h), actor::seller, 1);
  s.cancel(late1, jst(2026, 10, 1, 10h));

  s.book.advance_to(day(2026, 10, 2));
  EXPECT_TRUE(quarterly_is(s.quarterly("S1"), {{oct1, q3_2026, {10, 100}, tier::none}}));
  EXPECT_TRUE(monthly_is(s.monthly("S1"), {{oct1, sep_2026, {10, 100}, tier::warning}}));  // 10 % > 7 %
  EXPECT_TRUE(monthly_is(s.monthly("S2"), {{oct1, sep_2026, {1, 11}, tier::warning}}));
  EXPECT_TRUE(monthly_is(s.monthly("S3"), {{oct1, sep_2026, {0, 11}, tier::none}}));
  // The running metric for September, restated with everything known now, counts the later
  // cancels (12/100); S2's quick cancel now leaves both counts (1/10); S3's order is now wholly
  // cancelled (1/11). The evaluations keep what they judged.
  EXPECT_EQ(s.book.evaluate<qoo10::cancel_rate_month>("S1", day(2026, 9, 30)).counts, (rate{12, 100}));
  EXPECT_EQ(s.book.evaluate<qoo10::cancel_rate_month>("S2", day(2026, 9, 30)).counts, (rate{1, 10}));
  EXPECT_EQ(s.book.evaluate<qoo10::cancel_rate_month>("S3", day(2026, 9, 30)).counts, (rate{1, 11}));
  // Paid on Sep 30, the orders never belong to Q4: on Jan 1 S1 has no Q4 orders at all.
  s.book.advance_to(day(2027, 1, 1));
  const auto q = s.quarterly("S1");
  ASSERT_EQ(q.size(), 2u);
  EXPECT_TRUE(quarterly_is({q[1]}, {{day(2027, 1, 1), days(day(2026, 10, 1), day(2026, 12, 31)), {0, 0}, tier::none}}));
}

TEST(Qoo10PeriodEnd, JanuaryFirstJudgesOctoberToDecemberOfThePreviousYear) {
  shop s;
  // Sep 30 23:59:59 JST and Oct 1 00:00:00 JST are one second apart (both Sep 30 UTC).
  s.place("S1", jst(2026, 9, 30, 23h + 59min + 59s));   // Q3, not cancelled
  s.batch("S1", jst(2026, 10, 1, 0s), 1, 1);            // Q4, cancelled at 07:00
  s.batch("S1", jst(2026, 11, 10), 10, 1);              // Q4
  s.batch("S1", jst(2026, 12, 10), 10, 1);              // Q4
  s.place("S1", jst(2026, 12, 31, 23h + 59min + 59s));  // Q4, not cancelled
  s.batch("S1", jst(2027, 1, 1, 0s), 1, 1);             // Q1 2027, cancelled at 07:00
  s.book.advance_to(day(2027, 1, 1));
  // Q3: 0/1. Q4: 1 + 10 + 10 + 1 = 22 orders, 1 + 1 + 1 = 3 cancelled: 13.6 %, > 10 %, <= 15 %.
  EXPECT_TRUE(quarterly_is(
      s.quarterly("S1"),
      {{oct1, q3_2026, {0, 1}, tier::none},
       {day(2027, 1, 1), days(day(2026, 10, 1), day(2026, 12, 31)), {3, 22}, tier::mega_wari_restricted}}));
  // Months: Sep 0/1; Oct 1/1 (100 % > 50 %); Nov 1/10 (10 % > 7 %); Dec 1/11 (9.1 % > 7 %).
  EXPECT_TRUE(monthly_is(s.monthly("S1"),
                         {{oct1, sep_2026, {0, 1}, tier::none},
                          {day(2026, 11, 1), days(day(2026, 10, 1), day(2026, 10, 31)), {1, 1}, tier::warning},
                          {day(2026, 12, 1), days(day(2026, 11, 1), day(2026, 11, 30)), {1, 10}, tier::warning},
                          {day(2027, 1, 1), days(day(2026, 12, 1), day(2026, 12, 31)), {1, 11}, tier::warning}}));
  // The new year's month and quarter so far hold only the Jan 1 order.
  EXPECT_EQ(s.book.evaluate<qoo10::cancel_rate_month>("S1", day(2027, 1, 1)).counts, (rate{1, 1}));
  EXPECT_EQ(s.book.evaluate<qoo10::cancel_rate_quarter>("S1", day(2027, 1, 1)).counts, (rate{1, 1}));
}

// ---- when evaluations start -----------------------------------------------------------------

TEST(Qoo10Evaluations, ASellerFirstSeenAfterAnEvaluationDayHasNoOrdersThen) {
  shop s;
  s.place("S1", jst(2026, 9, 5));
  s.book.advance_to(day(2026, 10, 5));
  s.batch("S2", jst(2026, 10, 10), 10, 1);  // S2's first order, after Oct 1
  s.book.advance_to(day(2026, 11, 1));
  EXPECT_TRUE(monthly_is(s.monthly("S2"),
                         {{oct1, sep_2026, {0, 0}, tier::none},
                          {day(2026, 11, 1), days(day(2026, 10, 1), day(2026, 10, 31)), {1, 10}, tier::warning}}));
  EXPECT_TRUE(quarterly_is(s.quarterly("S2"), {{oct1, q3_2026, {0, 0}, tier::none}}));
  // A seller the book has never seen: 0/0 and no penalty on every evaluation day.
  EXPECT_TRUE(
      monthly_is(s.monthly("S9"), {{oct1, sep_2026, {0, 0}, tier::none},
                                   {day(2026, 11, 1), days(day(2026, 10, 1), day(2026, 10, 31)), {0, 0}, tier::none}}));
  EXPECT_TRUE(quarterly_is(s.quarterly("S9"), {{oct1, q3_2026, {0, 0}, tier::none}}));
  EXPECT_EQ(s.book.evaluate<qoo10::cancel_rate_month>("S9", day(2026, 11, 1)).status, sh::status::none);
  EXPECT_TRUE(quarterly_is(s.quarterly("S1"), {{oct1, q3_2026, {0, 1}, tier::none}}));
}

TEST(Qoo10Evaluations, EvaluationsStartAfterTheFirstEventsDay) {
  // The first event on Oct 1, itself an evaluation day: the first evaluations come after it.
  shop a;
  a.batch("S1", jst(2026, 10, 1), 10, 5);  // 5/10 = 50 %: 10 orders, so not a small sample
  a.book.advance_to(day(2026, 10, 31));
  EXPECT_TRUE(a.monthly("S1").empty());
  EXPECT_TRUE(a.quarterly("S1").empty());
  a.book.advance_to(day(2026, 12, 31));
  EXPECT_TRUE(monthly_is(a.monthly("S1"),
                         {{day(2026, 11, 1), days(day(2026, 10, 1), day(2026, 10, 31)), {5, 10}, tier::warning},
                          {day(2026, 12, 1), days(day(2026, 11, 1), day(2026, 11, 30)), {0, 0}, tier::none}}));
  EXPECT_TRUE(a.quarterly("S1").empty());  // the first quarterly evaluation is Jan 1
  a.book.advance_to(day(2027, 1, 1));
  EXPECT_TRUE(
      quarterly_is(a.quarterly("S1"),
                   {{day(2027, 1, 1), days(day(2026, 10, 1), day(2026, 12, 31)), {5, 10}, tier::listing_capped}}));
  // The first event on Sep 30: Oct 1 is evaluated for both rules.
  shop b;
  b.batch("S1", jst(2026, 9, 30), 10, 6);  // 6/10 = 60 %
  b.book.advance_to(oct1);
  EXPECT_TRUE(monthly_is(b.monthly("S1"), {{oct1, sep_2026, {6, 10}, tier::warning}}));
  EXPECT_TRUE(quarterly_is(b.quarterly("S1"), {{oct1, q3_2026, {6, 10}, tier::listing_capped}}));
}

// ---- events that arrive late ----------------------------------------------------------------

TEST(Qoo10OutOfOrder, ALateEventBeforeTheEvaluationDayAmendsItAndTheTiersAfterIt) {
  // Two books, the same orders; in `amended` a cancellation dated Sep 30 arrives on Oct 3.
  shop amended, plain;
  std::string pending;  // an order of `amended` not cancelled yet
  for (shop* s : {&amended, &plain}) {
    const auto ids = s->batch("S1", jst(2026, 9, 10), 100, 15);  // 15/100: mega_wari_restricted
    if (s == &amended) pending = ids[50];
    s->place("S1", jst(2026, 10, 3));  // the clock passes Oct 1: Q3 is judged with 15/100
    EXPECT_TRUE(quarterly_is(s->quarterly("S1"), {{oct1, q3_2026, {15, 100}, tier::mega_wari_restricted}}));
    s->cancel(ids[60], jst(2026, 10, 2));  // dated after Oct 1: no amendment
  }
  amended.cancel(pending, jst(2026, 9, 30, 12h));  // dated before Oct 1: 16/100 = 16 %
  EXPECT_TRUE(quarterly_is(amended.quarterly("S1"), {{oct1, q3_2026, {16, 100}, tier::listing_capped}}));
  EXPECT_TRUE(monthly_is(amended.monthly("S1"), {{oct1, sep_2026, {16, 100}, tier::warning}}));
  EXPECT_TRUE(quarterly_is(plain.quarterly("S1"), {{oct1, q3_2026, {15, 100}, tier::mega_wari_restricted}}));
  // Q4: 16 % for both (the Oct 3 order and 100 more, 17 cancelled: 17/101 = 16.8 %). Only the
  // amended book's Q3 was above 15 %, so only it has two in a row.
  for (shop* s : {&amended, &plain}) {
    s->batch("S1", jst(2026, 11, 10), 100, 17);
    s->book.advance_to(day(2027, 1, 1));
  }
  const day_range q4 = days(day(2026, 10, 1), day(2026, 12, 31));
  EXPECT_TRUE(quarterly_is(amended.quarterly("S1"), {{oct1, q3_2026, {16, 100}, tier::listing_capped},
                                                     {day(2027, 1, 1), q4, {17, 101}, tier::account_restricted}}));
  EXPECT_TRUE(quarterly_is(plain.quarterly("S1"), {{oct1, q3_2026, {15, 100}, tier::mega_wari_restricted},
                                                   {day(2027, 1, 1), q4, {17, 101}, tier::listing_capped}}));
}

TEST(Qoo10OutOfOrder, AnAmendmentReTiersAnEvaluationAlreadyMade) {
  // With a 120-day horizon, an event dated in Q3 can still arrive after Jan 1.
  shop s(sh::ledger_options{.horizon_days = 120});
  const auto ids = s.batch("S1", jst(2026, 9, 10), 100, 15);  // Q3: 15 %
  s.batch("S1", jst(2026, 11, 10), 100, 16);                  // Q4: 16 %
  s.book.advance_to(day(2027, 1, 5));
  const day_range q4 = days(day(2026, 10, 1), day(2026, 12, 31));
  EXPECT_TRUE(quarterly_is(s.quarterly("S1"), {{oct1, q3_2026, {15, 100}, tier::mega_wari_restricted},
                                               {day(2027, 1, 1), q4, {16, 100}, tier::listing_capped}}));
  s.cancel(ids[50], jst(2026, 9, 30, 12h));  // Q3 becomes 16 %: two quarters above 15 % in a row
  EXPECT_TRUE(quarterly_is(s.quarterly("S1"), {{oct1, q3_2026, {16, 100}, tier::listing_capped},
                                               {day(2027, 1, 1), q4, {16, 100}, tier::account_restricted}}));
}

TEST(Qoo10OutOfOrder, ALateCancelIsJudgedWithoutAnExemptionGrantedAfterTheEvaluation) {
  // The same events in two arrival orders. Order X was cancelled on Sep 30 and exempted on Oct 5.
  // When Q3 closed X was cancelled and not exempted: Oct 1 judges 11/100 = 11 %
  // (mega_wari_restricted) whichever order the two events arrive in.
  shop in_order, late;
  for (shop* s : {&in_order, &late}) {
    const auto ids = s->batch("S1", jst(2026, 9, 10), 100, 10);
    if (s == &in_order) s->cancel(ids[50], jst(2026, 9, 30, 12h));
    s->book.advance_to(day(2026, 10, 5));
    s->book.record(sh::exempted{.order = ids[50], .at = jst(2026, 10, 5), .metric = sh::exempt_from::cancel});
    if (s == &late) s->cancel(ids[50], jst(2026, 9, 30, 12h));
  }
  EXPECT_TRUE(quarterly_is(in_order.quarterly("S1"), {{oct1, q3_2026, {11, 100}, tier::mega_wari_restricted}}));
  EXPECT_TRUE(quarterly_is(late.quarterly("S1"), {{oct1, q3_2026, {11, 100}, tier::mega_wari_restricted}}));
  // Restated now, the exemption holds: 10/100 in both books.
  EXPECT_EQ(in_order.book.evaluate<qoo10::cancel_rate_quarter>("S1", day(2026, 9, 30)).counts, (rate{10, 100}));
  EXPECT_EQ(late.book.evaluate<qoo10::cancel_rate_quarter>("S1", day(2026, 9, 30)).counts, (rate{10, 100}));
}

// ---- next_penalty ---------------------------------------------------------------------------

TEST(Qoo10NextPenalty, ProjectsTheRunningQuarterAndTheCancelsLeftBeforeEachTier) {
  shop s;
  s.batch("S1", jst(2026, 10, 10), 50, 2);
  s.batch("S1", jst(2026, 11, 10), 50, 3);
  s.book.advance_to(day(2026, 11, 15));
  const projection p = s.next<qoo10::quarterly_restriction>("S1");
  EXPECT_EQ(p.rule, qoo10::quarterly_restriction::id);
  EXPECT_EQ(p.evaluated_on, day(2027, 1, 1));
  EXPECT_EQ(p.period, days(day(2026, 10, 1), day(2026, 12, 31)));
  EXPECT_EQ(p.counts, (rate{5, 100}));
  EXPECT_EQ(p.tier, tier::none);
  // 5/100 now. More than 10 % needs 11 cancels: 5 more (10/100, exactly 10 %) keep it at none, the
  // 6th restricts Mega-wari. More than 15 % needs 16: 10 more (15/100) stay mega_wari_restricted,
  // the 11th caps listings. Q3 was not above 15 %, so the account cannot be restricted.
  EXPECT_TRUE(steps_are(p, {{tier::mega_wari_restricted, 5}, {tier::listing_capped, 10}}));
  for (const auto& step : p.before_each_tier) EXPECT_TRUE(step.tier != tier::account_restricted || !step.absorbable);
}

TEST(Qoo10NextPenalty, AfterACappedQuarterTheNextBreachRestrictsTheAccount) {
  shop s;
  s.batch("S1", jst(2026, 8, 10), 100, 16);  // Q3: 16 % -> listing_capped on Oct 1
  s.batch("S1", jst(2026, 10, 10), 100, 5);
  s.book.advance_to(day(2026, 10, 20));
  const projection p = s.next<qoo10::quarterly_restriction>("S1");
  EXPECT_EQ(p.evaluated_on, day(2027, 1, 1));
  EXPECT_EQ(p.counts, (rate{5, 100}));
  EXPECT_EQ(p.tier, tier::none);
  // 6 more -> 11/100 mega_wari_restricted; 11 more -> 16/100, above 15 % right after a capped
  // quarter: account_restricted (listing_capped is skipped).
  EXPECT_TRUE(steps_are(p, {{tier::mega_wari_restricted, 5}, {tier::account_restricted, 10}}));
}

TEST(Qoo10NextPenalty, ProjectsTheRunningMonth) {
  shop s;
  s.batch("S1", jst(2026, 10, 25), 10, 10);  // October, judged on Nov 1, not part of November
  s.batch("S1", jst(2026, 11, 10), 100, 5);
  s.book.advance_to(day(2026, 11, 20));
  const projection p = s.next<qoo10::monthly_warning>("S1");
  EXPECT_EQ(p.rule, qoo10::monthly_warning::id);
  EXPECT_EQ(p.evaluated_on, day(2026, 12, 1));
  EXPECT_EQ(p.period, days(day(2026, 11, 1), day(2026, 11, 30)));
  EXPECT_EQ(p.counts, (rate{5, 100}));
  EXPECT_EQ(p.tier, tier::none);
  // 7/100 is exactly 7 %: 2 more are absorbed, the 3rd (8/100) warns.
  EXPECT_TRUE(steps_are(p, {{tier::warning, 2}}));
}

TEST(Qoo10NextPenalty, WithASmallSampleOnlyMoreThanHalfCounts) {
  shop s;
  s.batch("S1", jst(2026, 11, 10), 4, 0);
  s.book.advance_to(day(2026, 11, 20));
  // 0/4: 2 cancels make 2/4 = 50 % (no breach); the 3rd makes 75 %: a warning, and for the quarter
  // above 15 % at once: listing_capped (Mega-wari restriction is never the tier on its own).
  const projection m = s.next<qoo10::monthly_warning>("S1");
  EXPECT_EQ(m.counts, (rate{0, 4}));
  EXPECT_TRUE(steps_are(m, {{tier::warning, 2}}));
  const projection q = s.next<qoo10::quarterly_restriction>("S1");
  EXPECT_EQ(q.counts, (rate{0, 4}));
  EXPECT_EQ(q.tier, tier::none);
  ASSERT_FALSE(q.before_each_tier.empty());
  std::optional<std::uint64_t> capped;
  for (const auto& step : q.before_each_tier)
    if (step.tier == tier::listing_capped) capped = step.absorbable;
  EXPECT_EQ(capped, std::optional<std::uint64_t>{2});
}

TEST(Qoo10NextPenalty, AlreadyInATierListsOnlyWorseOnes) {
  shop s;
  s.batch("S1", jst(2026, 11, 10), 100, 12);  // 12 %: mega_wari_restricted so far
  s.book.advance_to(day(2026, 11, 20));
  const projection p = s.next<qoo10::quarterly_restriction>("S1");
  EXPECT_EQ(p.tier, tier::mega_wari_restricted);
  // 16 cancels are above 15 %: 3 more (15/100) are absorbed, the 4th caps listings.
  EXPECT_TRUE(steps_are(p, {{tier::listing_capped, 3}}));
}

// ---- the report metrics ---------------------------------------------------------------------

TEST(Qoo10Metrics, CancelRateMonthIsMonthToDateAndGoodAtExactlySevenPercent) {
  shop s;
  s.batch("S1", jst(2026, 8, 31), 5, 5);       // August: outside September's window
  s.batch("S1", jst(2026, 9, 1, 0s), 100, 7);  // from the first second of September
  s.batch("S1", jst(2026, 9, 21), 5, 5);       // after the day evaluated
  s.batch("S2", jst(2026, 9, 10), 100, 8);
  s.batch("S3", jst(2026, 9, 10), 100, 5);
  const auto r1 = s.book.evaluate<qoo10::cancel_rate_month>("S1", day(2026, 9, 20));
  EXPECT_EQ(r1.metric, "qoo10.cancel_rate_month");
  EXPECT_EQ(r1.period, days(day(2026, 9, 1), day(2026, 9, 20)));
  EXPECT_EQ(r1.counts, (rate{7, 100}));  // exactly 7 %: GOOD, and one more cancel is BAD
  EXPECT_EQ(r1.status, sh::status::good);
  EXPECT_EQ(r1.headroom, 0u);
  EXPECT_FALSE(r1.low_volume);
  EXPECT_EQ(r1.goal.when, sh::condition::at_most);
  EXPECT_EQ(r1.goal.value.numerator * 100, r1.goal.value.denominator * 7);
  const auto r2 = s.book.evaluate<qoo10::cancel_rate_month>("S2", day(2026, 9, 20));
  EXPECT_EQ(r2.counts, (rate{8, 100}));
  EXPECT_EQ(r2.status, sh::status::bad);
  EXPECT_EQ(r2.headroom, 0u);
  const auto r3 = s.book.evaluate<qoo10::cancel_rate_month>("S3", day(2026, 9, 20));
  EXPECT_EQ(r3.status, sh::status::good);
  EXPECT_EQ(r3.headroom, 2u);  // 5 -> 7 of 100
  // On Sep 1 the window is that day alone.
  const auto first = s.book.evaluate<qoo10::cancel_rate_month>("S1", day(2026, 9, 1));
  EXPECT_EQ(first.period, days(day(2026, 9, 1), day(2026, 9, 1)));
  EXPECT_EQ(first.counts, (rate{7, 100}));
}

TEST(Qoo10Metrics, CancelRateQuarterIsQuarterToDateAndGoodAtExactlyTenPercent) {
  shop s;
  s.batch("S1", jst(2026, 6, 30, 23h + 59min), 5, 0);  // Q2
  s.batch("S1", jst(2026, 7, 10), 50, 4);
  s.batch("S2", jst(2026, 7, 10), 50, 5);
  s.batch("S1", jst(2026, 8, 10), 50, 6);
  s.batch("S2", jst(2026, 8, 10), 50, 6);
  s.batch("S3", jst(2026, 8, 10), 8, 4);
  s.batch("S4", jst(2026, 8, 10), 8, 5);
  s.book.advance_to(day(2026, 8, 20));
  const auto r1 = s.book.evaluate<qoo10::cancel_rate_quarter>("S1", day(2026, 8, 20));
  EXPECT_EQ(r1.metric, "qoo10.cancel_rate_quarter");
  EXPECT_EQ(r1.period, days(day(2026, 7, 1), day(2026, 8, 20)));
  EXPECT_EQ(r1.counts, (rate{10, 100}));  // exactly 10 %: GOOD
  EXPECT_EQ(r1.status, sh::status::good);
  EXPECT_EQ(r1.headroom, 0u);
  const auto r2 = s.book.evaluate<qoo10::cancel_rate_quarter>("S2", day(2026, 8, 20));
  EXPECT_EQ(r2.counts, (rate{11, 100}));  // 11 %: BAD
  EXPECT_EQ(r2.status, sh::status::bad);
  // Fewer than 10 orders: judged against 50 %.
  const auto r3 = s.book.evaluate<qoo10::cancel_rate_quarter>("S3", day(2026, 8, 20));
  EXPECT_EQ(r3.counts, (rate{4, 8}));
  EXPECT_EQ(r3.status, sh::status::good);
  EXPECT_TRUE(r3.low_volume);
  EXPECT_EQ(r3.headroom, 0u);
  const auto r4 = s.book.evaluate<qoo10::cancel_rate_quarter>("S4", day(2026, 8, 20));
  EXPECT_EQ(r4.status, sh::status::bad);
  // The month metric for the same sellers covers August only.
  EXPECT_EQ(s.book.evaluate<qoo10::cancel_rate_month>("S1", day(2026, 8, 20)).counts, (rate{6, 50}));
  // No orders in the window: NONE.
  EXPECT_EQ(s.book.evaluate<qoo10::cancel_rate_quarter>("S1", day(2026, 7, 9)).counts, (rate{0, 0}));
  EXPECT_EQ(s.book.evaluate<qoo10::cancel_rate_quarter>("S1", day(2026, 7, 9)).status, sh::status::none);
}

}  // namespace
