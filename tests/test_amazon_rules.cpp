// One test per rule of rules.md's Amazon section, named after the rule.
//
// Dates are in November 2020, after the 2020-09-30 change that moved automatic cancellations from
// LSR to PFCR. Times are JST wall-clock times; expected counts are worked out by hand from the rule
// each test is named after (PFCR: 7 days, placement day, < 1/40; LSR: 10 and 30 days, ship-by day,
// < 1/25).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <sellerhealth/sellerhealth.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "support/scenario.hpp"

namespace {

using namespace scenario;

struct AmazonRule : ::testing::Test {
  amazon_book book;
  sh::metric_result pfcr_at(local_day d, std::string_view seller = "S1") const {
    return book.evaluate<pfcr>(seller, d);
  }
  sh::metric_result lsr10_at(local_day d, std::string_view seller = "S1") const {
    return book.evaluate<lsr10>(seller, d);
  }
  sh::metric_result lsr30_at(local_day d, std::string_view seller = "S1") const {
    return book.evaluate<lsr30>(seller, d);
  }
};

// ---- PFCR: what counts -------------------------------------------------------------------------------------

TEST_F(AmazonRule, CancelAfterBuyersCancelRequestIsNotCounted) {
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(request("A", nov(2, 12)));
  book.record(cancel("A", nov(2, 12, 30)));  // the seller cancels with reason "buyer cancelled"
  EXPECT_EQ(counts(pfcr_at(nov_day(2))), (frac{0, 1}));
  EXPECT_EQ(status(pfcr_at(nov_day(2))), "GOOD");
  book.advance_to(nov_day(4));
  EXPECT_EQ(counts(lsr10_at(nov_day(4))), (frac{0, 0}));  // wholly cancelled: not in LSR either
}

TEST_F(AmazonRule, SellerCancelBeforeTheRequestIsCounted) {
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(cancel("A", nov(2, 12)));
  book.record(request("A", nov(2, 12, 30)));  // too late to excuse it
  EXPECT_EQ(counts(pfcr_at(nov_day(2))), (frac{1, 1}));
  EXPECT_EQ(status(pfcr_at(nov_day(2))), "BAD");
}

TEST_F(AmazonRule, SellerCancelOnARequestSentOnlyByMessageIsCounted) {
  // The buyer agreed by message but never used the platform's cancel request: no cancel_requested.
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(cancel("A", nov(2, 15)));
  EXPECT_EQ(counts(pfcr_at(nov_day(2))), (frac{1, 1}));
}

TEST_F(AmazonRule, RequestAndCancelInTheSameSecondFollowArrivalOrder) {
  // Equal times keep arrival order: request first -> the cancel followed it -> not counted.
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59), "S1"));
  book.record(request("A", nov(2, 12)));
  book.record(cancel("A", nov(2, 12)));
  EXPECT_EQ(counts(pfcr_at(nov_day(2), "S1")), (frac{0, 1}));
  // Cancel first -> the cancel preceded the request -> counted.
  book.record(place("B", nov(2, 10), nov(4, 23, 59, 59), "S2"));
  book.record(cancel("B", nov(2, 12)));
  book.record(request("B", nov(2, 12)));
  EXPECT_EQ(counts(pfcr_at(nov_day(2), "S2")), (frac{1, 1}));
}

TEST_F(AmazonRule, RequestAndCancelAreOrderedByTheirTimesNotTheirArrival) {
  // The request (12:00) arrives after the cancel (12:30) it excuses.
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(cancel("A", nov(2, 12, 30)));
  EXPECT_EQ(counts(pfcr_at(nov_day(2))), (frac{1, 1}));
  book.record(request("A", nov(2, 12)));
  EXPECT_EQ(counts(pfcr_at(nov_day(2))), (frac{0, 1}));
}

TEST_F(AmazonRule, BuyerSelfCancelIsNotCounted) {
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(place("B", nov(2, 11), nov(4, 23, 59, 59)));
  book.record(cancel("A", nov(2, 13), sh::actor::buyer));
  book.record(ship("B", nov(3, 10)));
  book.advance_to(nov_day(4));
  EXPECT_EQ(counts(pfcr_at(nov_day(4))), (frac{0, 2}));
  EXPECT_EQ(counts(lsr10_at(nov_day(4))), (frac{0, 1}));  // A left LSR
}

// ---- PFCR: the automatic cancellation ------------------------------------------------------------------

TEST_F(AmazonRule, AutoCancelCountsInPfcrUnderItsOwnDayAndLeavesLsr) {
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));  // never confirmed
  book.record(place("B", nov(2, 11), nov(4, 23, 59, 59)));
  book.record(ship("B", nov(3, 10)));
  book.advance_to(nov_day(5));
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{1, 2}));  // A is late
  EXPECT_EQ(counts(pfcr_at(nov_day(5))), (frac{0, 2}));
  // Nov 4 is a Wednesday: the 7th business day after it is Friday Nov 13 (Thu 5, Fri 6, Mon 9 .. Fri 13).
  book.record(cancel("A", nov(13, 23, 59, 59), sh::actor::platform));
  ASSERT_EQ(book.today(), nov_day(13));
  EXPECT_EQ(counts(lsr10_at(nov_day(13))), (frac{0, 1}));  // Nov 4..13: only B
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{0, 1}));   // restated: A left LSR
  // PFCR files A, numerator and denominator, under Nov 13: the windows holding Nov 2 lose it.
  EXPECT_EQ(counts(pfcr_at(nov_day(8))), (frac{0, 1}));   // Nov 2..8: B only
  EXPECT_EQ(counts(pfcr_at(nov_day(12))), (frac{0, 0}));  // Nov 6..12
  EXPECT_EQ(counts(pfcr_at(nov_day(13))), (frac{1, 1}));  // Nov 7..13: A
  EXPECT_EQ(status(pfcr_at(nov_day(13))), "BAD");
  book.advance_to(nov_day(19));
  EXPECT_EQ(counts(pfcr_at(nov_day(19))), (frac{1, 1}));  // Nov 13..19, its last window
  book.advance_to(nov_day(20));
  EXPECT_EQ(counts(pfcr_at(nov_day(20))), (frac{0, 0}));
}

TEST(AmazonAutoCancel, TheWorkedExampleOfTheRules) {
  // rules.md, PFCR: placed 09-01, ship-by 09-02, never confirmed, cancelled by the platform on
  // 09-11 (2026: Wednesday 09-02, and 09-11 is the 7th business day after it): PFCR on 09-11
  // counts it 1/1, with the orders placed 09-05..09-11; LSR no longer counts it from 09-11 on.
  using scenario::jst;
  scenario::amazon_book book;
  book.record(place("A", jst(2026, 9, 1, 10), jst(2026, 9, 2, 23, 59, 59)));
  book.advance_to(lday(2026, 9, 10));
  EXPECT_EQ(counts(book.evaluate<lsr10>("S1", lday(2026, 9, 10))), (frac{1, 1}));
  EXPECT_EQ(counts(book.evaluate<pfcr>("S1", lday(2026, 9, 7))), (frac{0, 1}));  // Sep 1..7
  const sys_seconds due = am::auto_cancellation<>::cancels_at<sh::jst>(jst(2026, 9, 2, 23, 59, 59));
  EXPECT_EQ(due, jst(2026, 9, 11, 23, 59, 59));
  book.record(cancel("A", jst(2026, 9, 11, 9), sh::actor::platform));
  EXPECT_EQ(counts(book.evaluate<pfcr>("S1", lday(2026, 9, 11))), (frac{1, 1}));  // Sep 5..11
  EXPECT_EQ(status(book.evaluate<pfcr>("S1", lday(2026, 9, 11))), "BAD");
  EXPECT_EQ(counts(book.evaluate<pfcr>("S1", lday(2026, 9, 7))), (frac{0, 0}));  // it left its placement day
  EXPECT_EQ(counts(book.evaluate<lsr10>("S1", lday(2026, 9, 11))), (frac{0, 0}));
  EXPECT_EQ(counts(book.evaluate<lsr30>("S1", lday(2026, 9, 11))), (frac{0, 0}));
}

TEST_F(AmazonRule, APlatformCancelOneSecondBeforeTheDeadlineDoesNotCount) {
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(cancel("A", nov(4, 23, 59, 58), sh::actor::platform));  // payment or fraud
  EXPECT_EQ(counts(pfcr_at(nov_day(4))), (frac{0, 1}));
  EXPECT_EQ(counts(lsr10_at(nov_day(4))), (frac{0, 0}));  // wholly cancelled: out of LSR
}

TEST_F(AmazonRule, APlatformCancelAtTheDeadlineSecondDoesNotCount) {
  // A shipment confirmed at the deadline second is on time, so the order is not overdue yet.
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(cancel("A", nov(4, 23, 59, 59), sh::actor::platform));
  EXPECT_EQ(counts(pfcr_at(nov_day(4))), (frac{0, 1}));
}

TEST_F(AmazonRule, APlatformCancelOneSecondAfterTheDeadlineCounts) {
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(cancel("A", nov(5, 0, 0, 0), sh::actor::platform));
  EXPECT_EQ(counts(pfcr_at(nov_day(5))), (frac{1, 1}));  // filed under Nov 5, the day of the cancel
  EXPECT_EQ(counts(pfcr_at(nov_day(4))), (frac{0, 0}));  // no longer under its placement day
}

TEST_F(AmazonRule, AnAutoCancelAfterABuyersRequestStillCounts) {
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(request("A", nov(3, 10)));
  book.record(cancel("A", nov(13, 12), sh::actor::platform));
  EXPECT_EQ(counts(pfcr_at(nov_day(13))), (frac{1, 1}));
}

TEST_F(AmazonRule, APlatformCancelOfSomeUnitsIsNotAutomaticOnceTheRestShips) {
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59), "S1", 2));
  book.record(cancel("A", nov(5, 10), sh::actor::platform, 1u));  // after the deadline, one unit
  EXPECT_EQ(counts(pfcr_at(nov_day(5))), (frac{1, 1}));           // unconfirmed so far: automatic
  book.record(ship("A", nov(5, 12)));                             // the other unit ships, late
  EXPECT_EQ(counts(pfcr_at(nov_day(5))), (frac{0, 1}));           // back under its placement day, Nov 2, uncounted
  EXPECT_EQ(counts(pfcr_at(nov_day(4))), (frac{0, 1}));           // Oct 29..Nov 4 holds Nov 2 again
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{1, 1}));          // still in LSR, and late
}

TEST_F(AmazonRule, ASellerCancelBeforeTheAutoCancelKeepsThePlacementDay) {
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59), "S1", 2));
  book.record(cancel("A", nov(3, 10), sh::actor::seller, 1u));  // counted, under Nov 2
  book.record(cancel("A", nov(13, 12), sh::actor::platform));   // the rest, automatically
  EXPECT_EQ(counts(pfcr_at(nov_day(8))), (frac{1, 1}));         // Nov 2..8
  EXPECT_EQ(counts(pfcr_at(nov_day(13))), (frac{0, 0}));        // Nov 7..13
}

TEST_F(AmazonRule, AnExemptedAutoCancelDoesNotCount) {
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(exempt("A", nov(10, 10), sh::exempt_from::cancel));
  book.record(cancel("A", nov(13, 12), sh::actor::platform));
  EXPECT_EQ(counts(pfcr_at(nov_day(13))), (frac{0, 0}));
  EXPECT_EQ(counts(pfcr_at(nov_day(8))), (frac{0, 1}));  // stays under its placement day, uncounted
}

TEST(AmazonAutoCancel, SevenBusinessDaysSkipTheWeekend) {
  using ac = am::auto_cancellation<>;
  using scenario::jst;
  // Friday 2026-09-04: Mon 7 .. Fri 11 are five, Mon 14 and Tue 15 the sixth and seventh.
  EXPECT_EQ(ac::cancels_at<sh::jst>(jst(2026, 9, 4, 23, 59, 59)), jst(2026, 9, 15, 23, 59, 59));
  // A deadline on Saturday counts from the Monday after, like Friday's.
  EXPECT_EQ(ac::cancels_at<sh::jst>(jst(2026, 9, 5, 18)), jst(2026, 9, 15, 18));
  // Monday 2026-09-07: Tue 8 .. Fri 11 are four, Mon 14 .. Wed 16 the rest.
  EXPECT_EQ(ac::cancels_at<sh::jst>(jst(2026, 9, 7, 12)), jst(2026, 9, 16, 12));
  // The day is the marketplace's: 2026-09-04 20:00 UTC is already Saturday 05:00 in Tokyo.
  EXPECT_EQ(ac::cancels_at<sh::jst>(scenario::utc(2026, 9, 4, 20)), scenario::utc(2026, 9, 14, 20));
}

struct silver_week_2026 {  // Japan's holidays of 2026-09-21..23 (Respect for the Aged Day, a bridge holiday, the
                           // equinox)
  static constexpr bool contains(sh::local_day d) noexcept {
    return d == lday(2026, 9, 21) || d == lday(2026, 9, 22) || d == lday(2026, 9, 23);
  }
};

TEST(AmazonAutoCancel, HolidaysAreNotBusinessDays) {
  using scenario::jst;
  using plain = am::auto_cancellation<>;
  using with_holidays = am::auto_cancellation<7, silver_week_2026>;
  // Friday 2026-09-18: without holidays Mon 21 .. Fri 25 and Mon 28, Tue 29; with them Thu 24,
  // Fri 25, Mon 28 .. Fri 10-02 are the seven.
  EXPECT_EQ(plain::cancels_at<sh::jst>(jst(2026, 9, 18, 23, 59, 59)), jst(2026, 9, 29, 23, 59, 59));
  EXPECT_EQ(with_holidays::cancels_at<sh::jst>(jst(2026, 9, 18, 23, 59, 59)), jst(2026, 10, 2, 23, 59, 59));
  EXPECT_FALSE(sh::business_calendar<silver_week_2026>::is_business_day(lday(2026, 9, 22)));
  EXPECT_TRUE(sh::business_calendar<silver_week_2026>::is_business_day(lday(2026, 9, 24)));
  EXPECT_FALSE(sh::business_calendar<>::is_business_day(lday(2026, 9, 26)));  // a Saturday
}

TEST(AmazonAutoCancel, ParametersRestoreTheOtherReadings) {
  using early_counts = am::basic_pre_fulfillment_cancel_rate<
      am::cancel_attribution::placement_day,
      am::auto_cancellation<7, sh::no_holidays, am::auto_cancel_filing::cancellation_day, true>>;
  using by_placement = am::basic_pre_fulfillment_cancel_rate<
      am::cancel_attribution::placement_day,
      am::auto_cancellation<7, sh::no_holidays, am::auto_cancel_filing::placement_day>>;
  sh::ledger<sh::jst, pfcr, early_counts, by_placement> book;
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(place("B", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(cancel("A", nov(3, 10), sh::actor::platform));                       // before the deadline: fraud check
  book.record(cancel("B", nov(13, 10), sh::actor::platform));                      // automatic
  EXPECT_EQ(counts(book.evaluate<pfcr>("S1", nov_day(8))), (frac{0, 1}));          // A only, uncounted
  EXPECT_EQ(counts(book.evaluate<early_counts>("S1", nov_day(8))), (frac{1, 1}));  // A counted
  EXPECT_EQ(counts(book.evaluate<by_placement>("S1", nov_day(8))), (frac{1, 2}));  // B under Nov 2
  EXPECT_EQ(counts(book.evaluate<by_placement>("S1", nov_day(13))), (frac{0, 0}));
  EXPECT_EQ(counts(book.evaluate<pfcr>("S1", nov_day(13))), (frac{1, 1}));  // B under Nov 13
}

TEST_F(AmazonRule, ItemLevelSellerCancelCountsInPfcrAndTheOrderStaysInLsr) {
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59), "S1", 2));
  book.record(place("B", nov(2, 11), nov(4, 23, 59, 59), "S1", 3));
  book.record(place("C", nov(2, 12), nov(4, 23, 59, 59), "S1", 2));
  book.record(cancel("A", nov(2, 13), sh::actor::seller, 1u));  // one unit out of stock
  book.record(cancel("B", nov(2, 14), sh::actor::seller, 2u));
  book.record(cancel("C", nov(2, 15), sh::actor::buyer, 1u));  // the buyer's own: not counted
  book.record(ship("A", nov(3, 10)));                          // on time
  book.record(ship("C", nov(3, 11)));                          // on time
  book.record(ship("B", nov(5, 10)));                          // late
  EXPECT_EQ(counts(pfcr_at(nov_day(5))), (frac{2, 3}));
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{1, 3}));
}

TEST_F(AmazonRule, RefundAfterShipmentIsNotACancelAndALateOrderStaysLate) {
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(place("B", nov(2, 11), nov(4, 23, 59, 59)));
  book.record(ship("A", nov(3, 10)));
  book.record(refund("A", nov(3, 12)));  // a decision not to ship made after confirmation
  const auto as_cancel = book.try_record(cancel("A", nov(3, 12)));
  ASSERT_TRUE(as_cancel);
  EXPECT_EQ(as_cancel->code, sh::rejection_code::shipped_order);
  book.record(ship("B", nov(5, 10)));  // late
  book.record(refund("B", nov(6, 10)));
  EXPECT_EQ(counts(pfcr_at(nov_day(6))), (frac{0, 2}));
  EXPECT_EQ(counts(lsr10_at(nov_day(6))), (frac{1, 2}));  // B stays late after its refund
  EXPECT_EQ(counts(lsr30_at(nov_day(6))), (frac{1, 2}));
}

// ---- LSR: lifecycle -----------------------------------------------------------------------------------------

TEST_F(AmazonRule, UnconfirmedOrderIsLateOnceTheDeadlinePassesWithNoEvent) {
  book.record(place("A", nov(2, 10), nov(4, 18)));
  book.advance_to(nov_day(3));
  EXPECT_EQ(counts(lsr10_at(nov_day(3))), (frac{0, 0}));
  book.advance_to(nov_day(4));  // as of the end of Nov 4, 18:00 has passed unconfirmed
  EXPECT_EQ(counts(lsr10_at(nov_day(4))), (frac{1, 1}));
  EXPECT_EQ(counts(lsr30_at(nov_day(4))), (frac{1, 1}));
  book.advance_to(nov_day(9));
  EXPECT_EQ(counts(lsr10_at(nov_day(9))), (frac{1, 1}));
}

TEST_F(AmazonRule, LateThenCancelledAtTheBuyersRequestLeavesLsr) {
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(place("B", nov(2, 11), nov(4, 23, 59, 59)));
  book.record(ship("B", nov(3, 10)));
  book.advance_to(nov_day(5));
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{1, 2}));
  book.record(request("A", nov(5, 19)));
  book.record(cancel("A", nov(5, 19, 5)));
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{0, 1}));  // the late mark and the order are gone
  EXPECT_EQ(counts(lsr30_at(nov_day(5))), (frac{0, 1}));
  EXPECT_EQ(counts(pfcr_at(nov_day(5))), (frac{0, 2}));  // and it is no cancel defect either
}

TEST_F(AmazonRule, LateThenBuyerSelfCancelLeavesLsr) {
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.advance_to(nov_day(5));
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{1, 1}));
  book.record(cancel("A", nov(5, 19), sh::actor::buyer));
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{0, 0}));
  EXPECT_EQ(counts(pfcr_at(nov_day(5))), (frac{0, 1}));
}

TEST_F(AmazonRule, LateThenSellerCancelledMovesToPfcr) {
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(place("B", nov(2, 11), nov(4, 23, 59, 59)));
  book.record(ship("B", nov(3, 10)));
  book.advance_to(nov_day(5));
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{1, 2}));
  EXPECT_EQ(counts(pfcr_at(nov_day(5))), (frac{0, 2}));
  book.record(cancel("A", nov(5, 19)));
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{0, 1}));
  EXPECT_EQ(counts(pfcr_at(nov_day(5))), (frac{1, 2}));
}

TEST_F(AmazonRule, ExemptionFromCancelLeavesPfcrOnly) {
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(cancel("A", nov(2, 12)));
  EXPECT_EQ(counts(pfcr_at(nov_day(2))), (frac{1, 1}));
  book.record(exempt("A", nov(3, 9), sh::exempt_from::cancel));
  EXPECT_EQ(counts(pfcr_at(nov_day(3))), (frac{0, 1}));  // still an order, no longer a defect
  // A cancel exemption does not excuse lateness.
  book.record(place("B", nov(3, 10), nov(4, 18), "S2"));
  book.record(exempt("B", nov(3, 11), sh::exempt_from::cancel));
  book.advance_to(nov_day(4));
  EXPECT_EQ(counts(lsr10_at(nov_day(4), "S2")), (frac{1, 1}));
}

TEST_F(AmazonRule, ExemptionFromLateLeavesTheLsrNumeratorOnly) {
  book.record(place("A", nov(2, 10), nov(4, 18)));
  book.advance_to(nov_day(5));
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{1, 1}));
  book.record(exempt("A", nov(5, 9), sh::exempt_from::late));
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{0, 1}));
  EXPECT_EQ(counts(lsr30_at(nov_day(5))), (frac{0, 1}));
  book.record(ship("A", nov(5, 10)));  // shipped late afterwards: still exempt
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{0, 1}));
  // A late exemption does not excuse a seller cancel.
  book.record(place("B", nov(5, 10), nov(7, 18), "S2"));
  book.record(exempt("B", nov(5, 11), sh::exempt_from::late));
  book.record(cancel("B", nov(5, 12)));
  EXPECT_EQ(counts(pfcr_at(nov_day(5), "S2")), (frac{1, 1}));
}

TEST_F(AmazonRule, ExemptionFromAllLeavesBothNumerators) {
  // Two units: one cancelled by the seller, the other shipped late.
  book.record(place("A", nov(2, 10), nov(4, 18), "S1", 2));
  book.record(cancel("A", nov(2, 12), sh::actor::seller, 1u));
  book.record(ship("A", nov(5, 10)));
  EXPECT_EQ(counts(pfcr_at(nov_day(5))), (frac{1, 1}));
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{1, 1}));
  book.record(exempt("A", nov(5, 11), sh::exempt_from::all));
  EXPECT_EQ(counts(pfcr_at(nov_day(5))), (frac{0, 1}));
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{0, 1}));
  EXPECT_EQ(counts(lsr30_at(nov_day(5))), (frac{0, 1}));
}

TEST_F(AmazonRule, ShipByChangeMovesTheDeadlineAndRejudges) {
  // Later: a late order is on time again, and files under the new ship-by day.
  book.record(place("A", nov(2, 10), nov(4, 18)));
  book.advance_to(nov_day(5));
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{1, 1}));
  book.record(move_ship_by("A", nov(5, 9), nov(5, 18)));
  book.record(ship("A", nov(5, 17)));
  EXPECT_EQ(counts(lsr10_at(nov_day(5))), (frac{0, 1}));
  EXPECT_EQ(counts(lsr10_at(nov_day(4))), (frac{0, 0}));
  // Earlier: an order shipped before its deadline becomes late when the deadline moves before it.
  book.record(place("B", nov(5, 10), nov(9, 18), "S2"));
  book.record(ship("B", nov(7, 12)));
  book.record(move_ship_by("B", nov(7, 13), nov(6, 18)));
  EXPECT_EQ(counts(lsr10_at(nov_day(7), "S2")), (frac{1, 1}));
}

TEST_F(AmazonRule, PlatformFulfilledOrdersAreOutsidePfcrAndLsr) {
  book.record(place("F", nov(2, 10), nov(4, 18), "S1", 1, sh::fulfilment::platform));
  book.record(place("G", nov(2, 11), nov(4, 18), "S1", 1, sh::fulfilment::platform));
  book.record(place("M", nov(2, 12), nov(4, 18)));
  book.record(cancel("F", nov(2, 13)));  // would be a PFCR defect if merchant-fulfilled
  book.record(ship("M", nov(3, 10)));
  book.advance_to(nov_day(6));  // G never confirmed: would be late
  EXPECT_EQ(counts(pfcr_at(nov_day(6))), (frac{0, 1}));
  EXPECT_EQ(counts(lsr10_at(nov_day(6))), (frac{0, 1}));
  EXPECT_EQ(counts(lsr30_at(nov_day(6))), (frac{0, 1}));
}

// ---- thresholds, at the exact boundary -------------------------------------------------------------------

TEST_F(AmazonRule, PfcrExactlyTwoPointFivePercentFailsAndOneIn41Passes) {
  // 40 orders over Nov 2..8, one cancelled by the seller: 1/40 = 2.5 %, which is not "under 2.5 %".
  for (int i = 0; i < 40; ++i) book.record(place(numbered("P", i), nov(2 + i % 7, 10) + minutes{i}, nov(10, 18)));
  book.record(cancel("P0", nov(8, 20)));
  auto r = pfcr_at(nov_day(8));
  EXPECT_EQ(counts(r), (frac{1, 40}));
  EXPECT_EQ(status(r), "BAD");
  EXPECT_TRUE(r.low_volume);
  EXPECT_EQ(r.headroom, 0u);
  EXPECT_EQ(r.period, (sh::day_range{nov_day(2), nov_day(8)}));
  // The 41st order makes it 1/41 = 2.44 %.
  book.record(place("P40", nov(8, 21), nov(10, 18)));
  r = pfcr_at(nov_day(8));
  EXPECT_EQ(counts(r), (frac{1, 41}));
  EXPECT_EQ(status(r), "GOOD");
  EXPECT_FALSE(r.low_volume);
  EXPECT_EQ(r.headroom, 0u);  // a second cancel would be 2/41 = 4.9 %
}

TEST_F(AmazonRule, LsrExactlyFourPercentFailsOnBothWindowsAndOneIn26Passes) {
  // 25 orders due Nov 10 18:00, one confirmed a second late.
  for (int i = 0; i < 25; ++i) book.record(place(numbered("L", i), nov(8, 10) + minutes{i}, nov(10, 18)));
  for (int i = 1; i < 25; ++i) book.record(ship(numbered("L", i), nov(10, 12)));
  book.record(ship("L0", nov(10, 18, 0, 1)));
  for (const auto& r : {lsr10_at(nov_day(10)), lsr30_at(nov_day(10))}) {
    EXPECT_EQ(counts(r), (frac{1, 25})) << r.metric;
    EXPECT_EQ(status(r), "BAD") << r.metric;
    EXPECT_TRUE(r.low_volume) << r.metric;
  }
  book.record(place("L25", nov(9, 10), nov(10, 18)));
  book.record(ship("L25", nov(10, 17)));
  for (const auto& r : {lsr10_at(nov_day(10)), lsr30_at(nov_day(10))}) {
    EXPECT_EQ(counts(r), (frac{1, 26})) << r.metric;
    EXPECT_EQ(status(r), "GOOD") << r.metric;
    EXPECT_FALSE(r.low_volume) << r.metric;
  }
}

TEST_F(AmazonRule, LsrTwoInFiftyIsExactlyFourPercentAndFails) {
  for (int i = 0; i < 51; ++i) book.record(place(numbered("L", i), nov(8, 10) + minutes{i}, nov(10, 18)));
  for (int i = 0; i < 50; ++i) book.record(ship(numbered("L", i), i < 2 ? nov(11, 9) : nov(10, 9)));
  book.record(cancel("L50", nov(10, 10), sh::actor::buyer));  // leaves LSR: 2/50
  EXPECT_EQ(counts(lsr10_at(nov_day(11))), (frac{2, 50}));
  EXPECT_EQ(status(lsr10_at(nov_day(11))), "BAD");
  book.record(place("L51", nov(10, 11), nov(10, 18)));
  book.record(ship("L51", nov(10, 12)));
  EXPECT_EQ(counts(lsr10_at(nov_day(11))), (frac{2, 51}));  // 3.92 %
  EXPECT_EQ(status(lsr10_at(nov_day(11))), "GOOD");
}

TEST_F(AmazonRule, LsrIsJudgedOverTenAndThirtyDaysSeparately) {
  // One late order due Nov 2, then 24 on time due Nov 20: over 30 days 1/25 fails; the last 10 days
  // hold only the 24 on-time orders.
  book.record(place("late", nov(1, 10), nov(2, 18)));
  book.record(ship("late", nov(3, 10)));
  for (int i = 0; i < 24; ++i) {
    book.record(place(numbered("ok", i), nov(18, 10) + minutes{i}, nov(20, 18)));
    book.record(ship(numbered("ok", i), nov(19, 10)));
  }
  book.advance_to(nov_day(20));
  EXPECT_EQ(counts(lsr10_at(nov_day(20))), (frac{0, 24}));
  EXPECT_EQ(status(lsr10_at(nov_day(20))), "GOOD");
  EXPECT_EQ(counts(lsr30_at(nov_day(20))), (frac{1, 25}));
  EXPECT_EQ(status(lsr30_at(nov_day(20))), "BAD");
}

// ---- windows, at the exact edge --------------------------------------------------------------------------

TEST_F(AmazonRule, PfcrWindowIsSevenDays) {
  // Cancelled order placed on Nov 10 = Nov 16 - 6: in the window ending Nov 16, not in Nov 17's.
  book.record(place("A", nov(10, 0, 0, 0), nov(12, 18)));
  book.record(cancel("A", nov(10, 9)));
  book.record(place("B", nov(16, 23, 59, 59), nov(18, 18)));
  book.advance_to(nov_day(17));
  EXPECT_EQ(pfcr_at(nov_day(16)).period, (sh::day_range{nov_day(10), nov_day(16)}));
  EXPECT_EQ(counts(pfcr_at(nov_day(16))), (frac{1, 2}));
  EXPECT_EQ(counts(pfcr_at(nov_day(17))), (frac{0, 1}));
}

TEST_F(AmazonRule, Lsr10WindowIsTenDays) {
  // Late order due Nov 7 = Nov 16 - 9.
  book.record(place("A", nov(5, 10), nov(7, 23, 59, 59)));
  book.record(ship("A", nov(8, 9)));
  book.advance_to(nov_day(17));
  EXPECT_EQ(counts(lsr10_at(nov_day(16))), (frac{1, 1}));
  EXPECT_EQ(counts(lsr10_at(nov_day(17))), (frac{0, 0}));
  EXPECT_EQ(counts(lsr30_at(nov_day(17))), (frac{1, 1}));
}

TEST_F(AmazonRule, Lsr30WindowIsThirtyDays) {
  // Late order due Oct 18 = Nov 16 - 29.
  book.record(place("A", jst(2020, 10, 16, 10), jst(2020, 10, 18, 0, 0, 0)));
  book.record(ship("A", jst(2020, 10, 19, 9)));
  book.advance_to(nov_day(17));
  EXPECT_EQ(lsr30_at(nov_day(16)).period, (sh::day_range{lday(2020, 10, 18), nov_day(16)}));
  EXPECT_EQ(counts(lsr30_at(nov_day(16))), (frac{1, 1}));
  EXPECT_EQ(counts(lsr30_at(nov_day(17))), (frac{0, 0}));
}

TEST_F(AmazonRule, ShipmentAtTheDeadlineSecondIsOnTimeOneSecondLaterIsLate) {
  book.record(place("A", nov(2, 10), nov(4, 18), "S1"));
  book.record(place("B", nov(2, 10), nov(4, 18), "S2"));
  book.record(ship("A", nov(4, 18, 0, 0)));
  book.record(ship("B", nov(4, 18, 0, 1)));
  EXPECT_EQ(counts(lsr10_at(nov_day(4), "S1")), (frac{0, 1}));
  EXPECT_EQ(counts(lsr10_at(nov_day(4), "S2")), (frac{1, 1}));
}

TEST_F(AmazonRule, ADeadlineAtLocalMidnightFilesUnderThatDay) {
  // Ship-by 2020-11-04T00:00:00+09:00 = 2020-11-03T15:00:00Z: its local day is Nov 4.
  book.record(place("A", nov(2, 10), nov(4, 0, 0, 0)));
  book.record(ship("A", nov(4, 0, 0, 1)));
  EXPECT_EQ(counts(lsr10_at(nov_day(4))), (frac{1, 1}));
  EXPECT_EQ(counts(lsr10_at(nov_day(3))), (frac{0, 0}));
}

// ---- the alternative attributions -----------------------------------------------------------------------------

TEST(AmazonRuleAttribution, PfcrByCancellationDayMovesTheDefectToTheCancelDay) {
  using pfcr_by_cancel = am::basic_pre_fulfillment_cancel_rate<am::cancel_attribution::cancellation_day>;
  sh::ledger<sh::jst, pfcr, pfcr_by_cancel> book;
  book.record(place("A", nov(2, 10), nov(4, 23, 59, 59)));
  book.record(place("B", nov(10, 10), nov(12, 23, 59, 59)));
  book.record(cancel("A", nov(10, 12)));  // eight days after placement
  // Nov 2..8 holds A's placement; Nov 4..10 holds B's placement and A's cancellation.
  EXPECT_EQ(counts(book.evaluate<pfcr>("S1", nov_day(8))), (frac{1, 1}));
  EXPECT_EQ(counts(book.evaluate<pfcr_by_cancel>("S1", nov_day(8))), (frac{0, 1}));
  EXPECT_EQ(counts(book.evaluate<pfcr>("S1", nov_day(10))), (frac{0, 1}));
  EXPECT_EQ(counts(book.evaluate<pfcr_by_cancel>("S1", nov_day(10))), (frac{1, 1}));
  EXPECT_EQ(status(book.evaluate<pfcr_by_cancel>("S1", nov_day(10))), "BAD");
}

TEST(AmazonRuleAttribution, LsrByPlacementDayMovesTheOrderToItsPlacementDay) {
  using lsr30_by_placement = am::basic_late_shipment_rate<30, am::late_attribution::placement_day>;
  sh::ledger<sh::jst, lsr30, lsr30_by_placement> book;
  book.record(place("A", nov(2, 10), nov(12, 18)));  // a long handling time
  book.advance_to(nov_day(5));
  // By placement day the order counts from Nov 2, not late yet; by ship-by day it is in no window.
  EXPECT_EQ(counts(book.evaluate<lsr30_by_placement>("S1", nov_day(5))), (frac{0, 1}));
  EXPECT_EQ(counts(book.evaluate<lsr30>("S1", nov_day(5))), (frac{0, 0}));
  book.advance_to(nov_day(12));  // the deadline passes unconfirmed, with no event
  EXPECT_EQ(counts(book.evaluate<lsr30_by_placement>("S1", nov_day(12))), (frac{1, 1}));
  EXPECT_EQ(counts(book.evaluate<lsr30>("S1", nov_day(12))), (frac{1, 1}));
  book.record(ship("A", nov(13, 10)));  // confirmed late
  // The window ending Nov 11 holds the placement day but not the ship-by day.
  EXPECT_EQ(counts(book.evaluate<lsr30_by_placement>("S1", nov_day(11))), (frac{1, 1}));
  EXPECT_EQ(counts(book.evaluate<lsr30>("S1", nov_day(11))), (frac{0, 0}));
  EXPECT_EQ(counts(book.evaluate<lsr30>("S1", nov_day(13))), (frac{1, 1}));
  EXPECT_EQ(counts(book.evaluate<lsr30_by_placement>("S1", nov_day(13))), (frac{1, 1}));
}

}  // namespace
