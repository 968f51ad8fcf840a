// One scenario per seed story (../shared/seeds), replayed through the ledger with the three Amazon
// policies. Each test says what the blogger lived through and what the metrics must show; the
// counts are worked out by hand from rules.md. Times are JST wall-clock times.
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

/// A week of ordinary business: `n` orders placed Mar 6..12 2017, each shipped the next morning.
void ordinary_week_2017_03(amazon_book& book, int n) {
  for (int i = 0; i < n; ++i) {
    const std::string id = "114-" + std::to_string(1000 + i);
    const sys_seconds at = jst(2017, 3, 6 + i % 7, 9) + minutes{i};
    book.record(place(id, at, at + days{2}, "shop"));
    book.record(ship(id, at + hours{20}));
  }
}

// ---- seed 000: out of stock, apologise, ask the buyer to cancel ------------------------------------------

TEST(SeedStories, Seed000_ApologiseAndAskBuyerToCancel) {
  // 29 ordinary orders that week, and one the seller cannot source (Mar 8, 2017). The seller
  // apologises and asks the buyer to send "Order cancellation request from Amazon customer"; the
  // request arrives that evening and the seller cancels it.
  amazon_book book;
  ordinary_week_2017_03(book, 29);
  book.record(place("114-OUT", jst(2017, 3, 8, 11), jst(2017, 3, 10, 23, 59, 59), "shop"));
  book.record(request("114-OUT", jst(2017, 3, 8, 21, 0)));
  book.record(cancel("114-OUT", jst(2017, 3, 8, 21, 10)));
  book.advance_to(lday(2017, 3, 12));
  const auto r = book.evaluate<pfcr>("shop", lday(2017, 3, 12));
  EXPECT_EQ(counts(r), (frac{0, 30}));
  EXPECT_EQ(status(r), "GOOD");
  EXPECT_EQ(counts(book.evaluate<lsr10>("shop", lday(2017, 3, 12))).first, 0u);

  // About one time in two the buyer does not answer and the seller has to cancel alone: 1/30 is
  // 3.3 %, over the 2.5 % line.
  amazon_book unanswered;
  ordinary_week_2017_03(unanswered, 29);
  unanswered.record(place("114-OUT", jst(2017, 3, 8, 11), jst(2017, 3, 10, 23, 59, 59), "shop"));
  unanswered.record(cancel("114-OUT", jst(2017, 3, 10, 21, 0)));
  unanswered.advance_to(lday(2017, 3, 12));
  EXPECT_EQ(counts(unanswered.evaluate<pfcr>("shop", lday(2017, 3, 12))), (frac{1, 30}));
  EXPECT_EQ(status(unanswered.evaluate<pfcr>("shop", lday(2017, 3, 12))), "BAD");
}

// ---- seed 001: the order of the steps matters; a cancel clears in 7 days, a late shipment in 30 ----------

TEST(SeedStories, Seed001_CancelBeforeRequestCounts) {
  // The seller messages the buyer asking them to cancel, but cancels before the buyer's
  // "注文のキャンセル依頼" arrives: the cancellation counts (the request came too late to excuse it).
  amazon_book book;
  for (int i = 0; i < 19; ++i) {
    const std::string id = "503-" + std::to_string(i);
    book.record(place(id, jst(2019, 6, 3 + i % 5, 10) + minutes{i}, jst(2019, 6, 10, 18), "shop"));
    book.record(ship(id, jst(2019, 6, 8, 10)));
  }
  book.record(place("503-X", jst(2019, 6, 4, 10), jst(2019, 6, 6, 18), "shop"));
  book.record(cancel("503-X", jst(2019, 6, 4, 15)));   // the seller's cancel, reason "out of stock"
  book.record(request("503-X", jst(2019, 6, 4, 20)));  // the buyer's request, hours later
  book.advance_to(lday(2019, 6, 9));
  const auto r = book.evaluate<pfcr>("shop", lday(2019, 6, 9));  // Jun 3..9
  EXPECT_EQ(counts(r), (frac{1, 20}));                           // 5 %
  EXPECT_EQ(status(r), "BAD");

  // Done in the right order (request first, then cancel "buyer cancelled"), the same week is clean.
  amazon_book right;
  for (int i = 0; i < 19; ++i) {
    const std::string id = "503-" + std::to_string(i);
    right.record(place(id, jst(2019, 6, 3 + i % 5, 10) + minutes{i}, jst(2019, 6, 10, 18), "shop"));
    right.record(ship(id, jst(2019, 6, 8, 10)));
  }
  right.record(place("503-X", jst(2019, 6, 4, 10), jst(2019, 6, 6, 18), "shop"));
  right.record(request("503-X", jst(2019, 6, 4, 20)));
  right.record(cancel("503-X", jst(2019, 6, 4, 20, 5)));
  right.advance_to(lday(2019, 6, 9));
  EXPECT_EQ(counts(right.evaluate<pfcr>("shop", lday(2019, 6, 9))), (frac{0, 20}));
  EXPECT_EQ(status(right.evaluate<pfcr>("shop", lday(2019, 6, 9))), "GOOD");
}

TEST(SeedStories, Seed001_CancelIsSevenDaysLateIsThirty) {
  // Two stock-outs on Jun 3, 2019. One the seller cancels (a PFCR defect filed under Jun 3); the
  // other is sourced late and confirmed a day after its Jun 3 deadline (an LSR defect filed under
  // Jun 3). The cancel is gone from PFCR after 7 days; the late shipment haunts LSR-30 for 30.
  amazon_book book;
  book.record(place("cancelled", jst(2019, 6, 3, 9), jst(2019, 6, 5, 18), "shop"));
  book.record(cancel("cancelled", jst(2019, 6, 3, 20)));
  book.record(place("late", jst(2019, 6, 1, 9), jst(2019, 6, 3, 18), "shop"));
  book.record(ship("late", jst(2019, 6, 4, 11)));
  book.advance_to(lday(2019, 7, 3));

  EXPECT_EQ(counts(book.evaluate<pfcr>("shop", lday(2019, 6, 9))), (frac{1, 1}));    // Jun 3 + 6
  EXPECT_EQ(counts(book.evaluate<pfcr>("shop", lday(2019, 6, 10))), (frac{0, 0}));   // Jun 3 + 7
  EXPECT_EQ(counts(book.evaluate<lsr10>("shop", lday(2019, 6, 12))), (frac{1, 1}));  // Jun 3 + 9
  EXPECT_EQ(counts(book.evaluate<lsr10>("shop", lday(2019, 6, 13))), (frac{0, 0}));
  EXPECT_EQ(counts(book.evaluate<lsr30>("shop", lday(2019, 7, 2))), (frac{1, 1}));  // Jun 3 + 29
  EXPECT_EQ(status(book.evaluate<lsr30>("shop", lday(2019, 7, 2))), "BAD");
  EXPECT_EQ(counts(book.evaluate<lsr30>("shop", lday(2019, 7, 3))), (frac{0, 0}));  // Jun 3 + 30
  // The cancelled order never entered LSR.
  EXPECT_EQ(counts(book.evaluate<lsr30>("shop", lday(2019, 6, 30))), (frac{1, 1}));
}

// ---- seed 002: one self-fulfilled order, cancelled by the seller: 100 % ------------------------------------

TEST(SeedStories, Seed002_OneOrderOneCancelIsHundredPercent) {
  // December 2016. A Prime (お急ぎ便) self-fulfilled order for 2 units; only 1 in stock. The seller
  // cancels the whole order (seller's reason) and asks the buyer to reorder one unit; the buyer
  // buys from another shop instead. It was the month's only self-fulfilled order; FBA orders do
  // not dilute it.
  amazon_book book;
  book.record(place("249-1", jst(2016, 12, 5, 10), jst(2016, 12, 6, 23, 59, 59), "shop", 2));
  for (int i = 0; i < 5; ++i)
    book.record(place("FBA-" + std::to_string(i), jst(2016, 12, 4 + i, 12), jst(2016, 12, 6 + i, 18), "shop", 1,
                      sh::fulfilment::platform));
  book.record(cancel("249-1", jst(2016, 12, 5, 11)));
  book.advance_to(lday(2016, 12, 9));
  const auto r = book.evaluate<pfcr>("shop", lday(2016, 12, 9));
  EXPECT_EQ(counts(r), (frac{1, 1}));
  EXPECT_EQ(r.counts.value(), 1.0);  // 100 %
  EXPECT_EQ(status(r), "BAD");
  EXPECT_TRUE(r.low_volume);  // one order decides it: the report says so
  EXPECT_EQ(r.headroom, 0u);
  EXPECT_EQ(counts(book.evaluate<lsr10>("shop", lday(2016, 12, 9))), (frac{0, 0}));
}

TEST(SeedStories, Seed002_PartialShipAndRefundKeepsOrderAlive) {
  // What the seller should have done: keep the 2-unit order, confirm shipment of the one unit in
  // stock on time, and refund the missing one. Neither a cancel nor late.
  amazon_book book;
  book.record(place("249-1", jst(2016, 12, 5, 10), jst(2016, 12, 6, 23, 59, 59), "shop", 2));
  book.record(ship("249-1", jst(2016, 12, 6, 15)));
  book.record(refund("249-1", jst(2016, 12, 6, 16), 1u));
  book.advance_to(lday(2016, 12, 9));
  const auto p = book.evaluate<pfcr>("shop", lday(2016, 12, 9));
  EXPECT_EQ(counts(p), (frac{0, 1}));
  EXPECT_EQ(status(p), "GOOD");
  EXPECT_TRUE(p.low_volume);
  const auto l = book.evaluate<lsr10>("shop", lday(2016, 12, 9));
  EXPECT_EQ(counts(l), (frac{0, 1}));  // still an order, on time
  EXPECT_EQ(status(l), "GOOD");
  // The missing unit cannot be "cancelled" after the shipment: that would be the wrong tool.
  const auto wrong = book.try_record(cancel("249-1", jst(2016, 12, 6, 17), sh::actor::seller, 1u));
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->code, sh::rejection_code::shipped_order);
}

// ---- seed 004: a pre-order's ship-by date reset by a platform fault --------------------------------------

// A CD released on Sep 14, 2016, pre-ordered on Aug 20 with ship-by Sep 14. The buyer changes the
// payment details on Sep 6 and the platform resets the ship-by date to Sep 8; the order goes late
// without the seller doing anything. Nine ordinary orders due Sep 4..12 ship on time, and three
// other pre-orders of the same CD keep their Sep 14 date.
struct Seed004 : ::testing::Test {
  amazon_book book;
  static constexpr std::string_view preorder = "250-CD";

  void SetUp() override {
    book.record(place(preorder, jst(2016, 8, 20, 21), jst(2016, 9, 14, 23, 59, 59), "shop"));
    for (int i = 1; i <= 3; ++i)
      book.record(place("250-CD" + std::to_string(i), jst(2016, 8, 20 + i, 21), jst(2016, 9, 14, 23, 59, 59), "shop"));
    for (int i = 0; i < 9; ++i) {
      const std::string id = "250-" + std::to_string(i);
      book.record(place(id, jst(2016, 9, 2 + i, 10), jst(2016, 9, 4 + i, 23, 59, 59), "shop"));
      book.record(ship(id, jst(2016, 9, 3 + i, 10)));
      if (i == 2) {  // Sep 5 has gone by: the order is not due yet
        ASSERT_EQ(counts(book.evaluate<lsr10>("shop", lday(2016, 9, 5))), (frac{0, 2}));
        book.record(
            sh::ship_by_changed{.order = preorder, .at = jst(2016, 9, 6, 14), .ship_by = jst(2016, 9, 8, 23, 59, 59)});
      }
      if (i == 5) {  // the clock is at Sep 8, the pre-order's new ship-by day
        ASSERT_EQ(book.today(), lday(2016, 9, 8));
        // Due Sep 4..7: four ordinary orders, all on time.
        ASSERT_EQ(counts(book.evaluate<lsr10>("shop", lday(2016, 9, 7))), (frac{0, 4}));
        // As of the end of Sep 8 the pre-order is unconfirmed past its deadline: five ordinary
        // orders due Sep 4..8 and the pre-order, late.
        ASSERT_EQ(counts(book.evaluate<lsr10>("shop", lday(2016, 9, 8))), (frac{1, 6}));
      }
    }
    book.advance_to(lday(2016, 9, 13));
    // Sep 13: Amazon's warning ("not confirmed as of 2016-09-12"). Sep 4..13 holds the nine
    // ordinary orders and the pre-order, late: 1/10 = 10 %.
    ASSERT_EQ(counts(book.evaluate<lsr10>("shop", lday(2016, 9, 13))), (frac{1, 10}));
    ASSERT_EQ(status(book.evaluate<lsr10>("shop", lday(2016, 9, 13))), "BAD");
    ASSERT_EQ(counts(book.evaluate<lsr30>("shop", lday(2016, 9, 13))), (frac{1, 10}));
  }
};

TEST_F(Seed004, Seed004_PlatformFaultLateOrderExempted) {
  // Sep 13 08:39: Amazon replies that the reset was a system problem and the order will not count.
  book.record(sh::exempted{.order = preorder, .at = jst(2016, 9, 13, 8, 39), .metric = sh::exempt_from::late});
  const auto r = book.evaluate<lsr10>("shop", lday(2016, 9, 13));
  EXPECT_EQ(counts(r), (frac{0, 10}));  // still an order, no longer late
  EXPECT_EQ(status(r), "GOOD");
  EXPECT_EQ(counts(book.evaluate<lsr30>("shop", lday(2016, 9, 13))), (frac{0, 10}));
  // Sep 14: the CD ships with the other pre-orders, on the release day; nothing comes back.
  book.record(ship(preorder, jst(2016, 9, 14, 15)));
  for (int i = 1; i <= 3; ++i) book.record(ship("250-CD" + std::to_string(i), jst(2016, 9, 14, 15)));
  // Sep 5..14: eight ordinary orders due Sep 5..12, the exempted pre-order (Sep 8) and the three
  // other pre-orders due Sep 14.
  EXPECT_EQ(counts(book.evaluate<lsr10>("shop", lday(2016, 9, 14))), (frac{0, 12}));
}

TEST_F(Seed004, Seed004_LateThenBuyerCancelledLeavesLsr) {
  // Not trusting the promise, the seller phones the buyer, who sends a cancel request that night;
  // the seller approves it at once. "The ✖1 on late shipment disappeared."
  book.record(request(preorder, jst(2016, 9, 13, 20, 30)));
  book.record(cancel(preorder, jst(2016, 9, 13, 20, 32)));
  const auto r = book.evaluate<lsr10>("shop", lday(2016, 9, 13));
  EXPECT_EQ(counts(r), (frac{0, 9}));  // the order left LSR entirely
  EXPECT_EQ(status(r), "GOOD");
  EXPECT_EQ(counts(book.evaluate<lsr30>("shop", lday(2016, 9, 13))), (frac{0, 9}));
  // Cancelled at the buyer's request: no PFCR defect either (filed under its Aug 20 placement).
  EXPECT_EQ(counts(book.evaluate<pfcr>("shop", lday(2016, 8, 26))), (frac{0, 4}));  // the 4 pre-orders
}

}  // namespace
