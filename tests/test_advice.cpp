// Decision support, part 2: `sellerhealth::advise`, scenario by scenario (seed stories 000, 001,
// 002 and 004, the volume that flips the advice, unavailable options, errors, and Qoo10's 6-hour
// rule with the all-marketplace ledger).
//
// How the numbers are counted. `advise` projects the days today .. today + amazon_days (31 days by
// default, index 0 = the ledger's today) and, per option, sums over those days and over the
// metrics the chance that the metric is BAD that day. With the default attributions a seller
// cancel is filed under the order's placement day (in the 7-day PFCR windows ending on that day
// and the 6 days after) and a late order under its ship-by day (in the LSR windows ending on that
// day and the next 9 or 29 days); an order still unconfirmed at the end of its ship-by day is late
// from that day on. A wholly cancelled order leaves LSR. The modelled details (advice.hpp): a
// buyer who agrees asks 1 h after `now` and the seller cancels 1 h after that; with no request
// the seller cancels at the ship-by deadline (or a day after `now` when it has passed); late stock
// ships at 12:00 on its day; assumed orders are placed and shipped on time every day after today.
// Times are JST wall-clock.
//
// The platform's automatic cancellation (rules.md, PFCR; amazon.hpp): an order never confirmed
// is cancelled by the platform 7 business days (Monday to Friday, no holidays) after its ship-by
// day, at the deadline's time of day; that cancellation counts in PFCR, numerator and
// denominator filed under the cancellation's local day, and a wholly cancelled order leaves LSR
// from that day's evaluation on. Calendar used below: 2026-03-10 is a Tuesday, 2016-09-08 a
// Thursday, 2026-10-01 a Thursday, 2026-09-11 a Friday.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <sellerhealth/sellerhealth.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "support/scenario.hpp"

namespace {

using namespace scenario;
using sh::option_kind;

const sh::option_outcome& option(const sh::advice& a, option_kind k) {
  for (const auto& o : a.options)
    if (o.kind == k) return o;
  throw std::logic_error("option missing");
}
const sh::metric_projection& metric(const sh::option_outcome& o, std::string_view id) {
  for (const auto& m : o.metrics)
    if (m.metric == id) return m;
  throw std::logic_error("metric missing");
}
double days_bad(const sh::advice& a, option_kind k, std::string_view id) {
  return metric(option(a, k), id).expected_days_bad;
}
double days_bad(const sh::advice& a, option_kind k) { return option(a, k).expected_days_bad.value(); }
const sh::tier_projection& tier(const sh::option_outcome& o, std::string_view rule) {
  for (const auto& t : o.worst_tiers)
    if (t.rule == rule) return t;
  throw std::logic_error("rule missing");
}

/// A chance_bad vector: `ones` days of 1 starting at index `from`, out of `size`.
std::vector<double> run(std::size_t size, std::size_t from, std::size_t ones, double value = 1.0) {
  std::vector<double> v(size, 0.0);
  for (std::size_t i = from; i < from + ones && i < size; ++i) v[i] = value;
  return v;
}

constexpr std::string_view pfcr_id = "amazon.pre_fulfillment_cancel_rate";
constexpr std::string_view lsr10_id = "amazon.late_shipment_rate_10d";
constexpr std::string_view lsr30_id = "amazon.late_shipment_rate_30d";
constexpr std::string_view month_id = "qoo10.cancel_rate_month";
constexpr std::string_view quarter_id = "qoo10.cancel_rate_quarter";

/// Everything observable about one seller, to prove `advise` leaves the ledger alone.
template <class Book>
std::string fingerprint(const Book& book) {
  std::string out = std::to_string(book.order_count()) + "/" + std::to_string(book.memory_bytes()) + "/" +
                    sh::format_day(*book.today());
  // Appended piece by piece: `"|" + std::string(...)` trips GCC 12's -Wrestrict at -O3 (a false
  // positive, GCC bugs 105329 and 105651).
  for (sh::seller_index s = 0; s < book.seller_count(); ++s)
    for (const auto& r : book.evaluate_all(s, *book.today())) {
      out += '|';
      out += r.metric;
      out += ':';
      out += std::to_string(r.counts.numerator);
      out += '/';
      out += std::to_string(r.counts.denominator);
      out += sh::to_string(r.status);
    }
  return out;
}

// ---- seed 001: nobody answered by the deadline; cancel rather than let it go late -------------------

amazon_book lone_order(sys_seconds placed, sys_seconds ship_by, std::uint32_t quantity = 1) {
  amazon_book book;
  book.record(sh::placed{.order = "A-1", .seller = "shop", .at = placed, .ship_by = ship_by, .quantity = quantity});
  return book;
}

TEST(Advice, Seed001_NoAnswerByDeadline_CancelBeatsGoingLate) {
  // One order, placed Mar 10 10:00, ship-by Mar 12 23:59:59; the seller acts Mar 10 15:00; stock
  // arrives Mar 16 (ships Mar 16 12:00, late). Projection Mar 10 .. Apr 9.
  const amazon_book book = lone_order(jst(2026, 3, 10, 10), jst(2026, 3, 12, 23, 59, 59));
  const std::string before = fingerprint(book);
  const auto a = sh::advise(book, {.order = "A-1", .now = jst(2026, 3, 10, 15), .stock_arrives = lday(2026, 3, 16)});
  EXPECT_EQ(fingerprint(book), before);
  EXPECT_EQ(a.order, "A-1");
  EXPECT_EQ(a.seller, "shop");
  EXPECT_EQ(a.projected, (sh::day_range{lday(2026, 3, 10), lday(2026, 4, 9)}));
  ASSERT_EQ(a.options.size(), 5u);

  // cancel_now: PFCR 1/1 in the windows ending Mar 10..16: 7 days; out of LSR.
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::cancel_now, pfcr_id), 7);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::cancel_now, lsr10_id), 0);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::cancel_now, lsr30_id), 0);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::cancel_now), 7);
  EXPECT_EQ(metric(option(a, option_kind::cancel_now), pfcr_id).chance_bad, run(31, 0, 7));
  EXPECT_EQ(metric(option(a, option_kind::cancel_now), pfcr_id).expected_rate, run(31, 0, 7));  // 1/1 = 1.0

  // ship_when_stock_arrives: late from the end of Mar 12 (index 2), filed Mar 12: LSR-10 Mar 12..21
  // (10 days), LSR-30 Mar 12..Apr 9 (29 days inside the projection; the 30th, Apr 10, is beyond it).
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::ship_when_stock_arrives, pfcr_id), 0);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::ship_when_stock_arrives, lsr10_id), 10);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::ship_when_stock_arrives, lsr30_id), 29);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::ship_when_stock_arrives), 39);
  EXPECT_EQ(metric(option(a, option_kind::ship_when_stock_arrives), lsr10_id).chance_bad, run(31, 2, 10));
  EXPECT_EQ(metric(option(a, option_kind::ship_when_stock_arrives), lsr30_id).chance_bad, run(31, 2, 29));
  EXPECT_NE(option(a, option_kind::ship_when_stock_arrives).plan.find("(late)"), std::string::npos);

  // ask_buyer_first (half agree): agreeing costs nothing; otherwise the cancel at Mar 12 23:59:59
  // counts from Mar 12 to Mar 16 (5 days): 0.5 * 5 = 2.5.
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::ask_buyer_first), 2.5);
  EXPECT_EQ(metric(option(a, option_kind::ask_buyer_first), pfcr_id).chance_bad, run(31, 2, 5, 0.5));
  EXPECT_EQ(metric(option(a, option_kind::ask_buyer_first), pfcr_id).expected_rate, run(31, 2, 5, 0.5));

  // wait_for_auto_cancel: the platform cancels 7 business days after Thu Mar 12 (Fri 13, Mon 16,
  // Tue 17, Wed 18, Thu 19, Fri 20, Mon 23): Mar 23 23:59:59. Late (filed Mar 12) until then:
  // LSR-10 Mar 12..21 (its window lets Mar 12 go first: 10 days), LSR-30 Mar 12..22 (11; out of
  // LSR from Mar 23, the cancellation's day). PFCR files the cancellation under Mar 23: 1/1 in
  // the windows ending Mar 23..29 (7). 10 + 11 + 7 = 28. (Before the rule: ship-by + 7 calendar
  // days, Mar 19, filed under the placement day: 7 + 7 + 0 = 14.)
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::wait_for_auto_cancel, lsr10_id), 10);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::wait_for_auto_cancel, lsr30_id), 11);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::wait_for_auto_cancel, pfcr_id), 7);
  EXPECT_EQ(metric(option(a, option_kind::wait_for_auto_cancel), pfcr_id).chance_bad, run(31, 13, 7));
  EXPECT_EQ(option(a, option_kind::wait_for_auto_cancel).plan,
            "do nothing; the platform cancels it at 2026-03-23T23:59:59+09:00");

  EXPECT_LT(days_bad(a, option_kind::cancel_now), days_bad(a, option_kind::ship_when_stock_arrives));
  EXPECT_NE(a.recommended, option_kind::ship_when_stock_arrives);
  EXPECT_EQ(a.recommended, option_kind::ask_buyer_first);  // 2.5 < 7 < 28 < 39
  EXPECT_FALSE(a.reason.empty());
  EXPECT_EQ(a.reason.back(), '.');
  EXPECT_EQ(a.reason.find("ask_buyer_first"), 0u);

  // No answer at all (seed 001: the buyer never sent the request): asking is cancelling at the
  // deadline, 5 days, still fewer than cancelling now (placement-day attribution: the later cancel
  // starts counting later) and far fewer than going late.
  const auto silent = sh::advise(
      book, {.order = "A-1", .now = jst(2026, 3, 10, 15), .stock_arrives = lday(2026, 3, 16), .buyer_accepts = 0});
  EXPECT_DOUBLE_EQ(days_bad(silent, option_kind::ask_buyer_first), 5);
  EXPECT_NE(silent.recommended, option_kind::ship_when_stock_arrives);

  // Looking 40 days ahead the late order's whole month in LSR-30 shows: 10 + 30 = 40.
  const auto longer = sh::advise(
      book, {.order = "A-1", .now = jst(2026, 3, 10, 15), .stock_arrives = lday(2026, 3, 16), .amazon_days = 40});
  EXPECT_DOUBLE_EQ(days_bad(longer, option_kind::ship_when_stock_arrives, lsr30_id), 30);
  EXPECT_DOUBLE_EQ(days_bad(longer, option_kind::ship_when_stock_arrives), 40);
  EXPECT_DOUBLE_EQ(days_bad(longer, option_kind::cancel_now), 7);
}

// ---- seed 002: two units ordered, one in stock ---------------------------------------------------------

TEST(Advice, Seed002_OneOrder_PartialShipAndRefundBeatsCancel) {
  // The seller's only order that month: 2 units, express (ship-by Mar 11 23:59:59), placed Mar 10
  // 10:00; 1 unit on hand at 12:00.
  const amazon_book book = lone_order(jst(2026, 3, 10, 10), jst(2026, 3, 11, 23, 59, 59), 2);
  const std::string before = fingerprint(book);
  const auto a = sh::advise(book, {.order = "A-1", .now = jst(2026, 3, 10, 12), .in_stock = 1});
  EXPECT_EQ(fingerprint(book), before);
  ASSERT_TRUE(book.order("A-1"));
  EXPECT_FALSE(book.order("A-1")->shipped_at());

  // Ship 1 now (on time) and refund the other: not a cancel, not late: 0/1 everywhere.
  const auto& ship = option(a, option_kind::ship_in_stock_refund_rest);
  EXPECT_TRUE(ship.available);
  EXPECT_DOUBLE_EQ(ship.expected_days_bad.value(), 0);
  EXPECT_NE(ship.plan.find("ship the 1 in stock now and refund the other 1"), std::string::npos);
  // PFCR is 0/1 (rate 0) Mar 10..16 and NONE after; LSR 0/1 from the ship-by day.
  EXPECT_EQ(metric(ship, pfcr_id).chance_bad, run(31, 0, 0));
  // cancel_now: 1 cancel of 1 order = 100 % for the 7 days Mar 10 is in the window.
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::cancel_now), 7);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::cancel_now, pfcr_id), 7);
  // ask_buyer_first: the fallback cancel at Mar 11 23:59:59 counts Mar 11..16 (6 days): 0.5 * 6.
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::ask_buyer_first), 3);
  // wait_for_auto_cancel: the platform cancels 7 business days after Wed Mar 11 (Thu 12, Fri 13,
  // Mon 16 .. Fri 20): Mar 20 23:59:59. Late Mar 11..19 in both LSR windows (9 + 9), then PFCR 1/1
  // filed under Mar 20, Mar 20..26 (7): 25. (Before the rule: cancelled Mar 18, filed under the
  // placement day: 7 + 7 = 14.)
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::wait_for_auto_cancel, lsr10_id), 9);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::wait_for_auto_cancel, lsr30_id), 9);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::wait_for_auto_cancel, pfcr_id), 7);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::wait_for_auto_cancel), 25);
  EXPECT_FALSE(option(a, option_kind::ship_when_stock_arrives).available);
  EXPECT_EQ(a.recommended, option_kind::ship_in_stock_refund_rest);
  EXPECT_EQ(a.reason.find("ship_in_stock_refund_rest"), 0u);

  // Every unit on hand: just "ship now".
  const auto all_in = sh::advise(book, {.order = "A-1", .now = jst(2026, 3, 10, 12), .in_stock = 2});
  EXPECT_NE(option(all_in, option_kind::ship_in_stock_refund_rest).plan.find("ship now"), std::string::npos);
  EXPECT_EQ(all_in.recommended, option_kind::ship_in_stock_refund_rest);
}

// ---- seed 000: apologise and ask the buyer to cancel -----------------------------------------------------

TEST(Advice, Seed000_AskingTheBuyerIsBest) {
  // Same-day handling: placed Mar 8 2017 11:00, ship-by Mar 8 23:59:59; the seller writes at 12:00.
  const amazon_book book = lone_order(jst(2017, 3, 8, 11), jst(2017, 3, 8, 23, 59, 59));
  const auto a = sh::advise(book, {.order = "A-1", .now = jst(2017, 3, 8, 12)});
  // cancel_now: PFCR Mar 8..14: 7. Asking: half agree (0 days); the other half is cancelled at the
  // deadline, the same day, so also 7: 0.5 * 7 = 3.5, exactly half.
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::cancel_now, pfcr_id), 7);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::ask_buyer_first, pfcr_id), 3.5);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::ask_buyer_first, pfcr_id),
                   days_bad(a, option_kind::cancel_now, pfcr_id) / 2);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::ask_buyer_first, lsr10_id), 0);  // cancelled at the deadline: never late
  EXPECT_EQ(metric(option(a, option_kind::ask_buyer_first), pfcr_id).chance_bad, run(31, 0, 7, 0.5));
  EXPECT_EQ(a.recommended, option_kind::ask_buyer_first);

  // Nobody agrees: asking is cancelling at the deadline, which here is cancelling the same day: 7,
  // a tie with cancel_now that goes to asking (it spares the metric when it works).
  const auto none = sh::advise(book, {.order = "A-1", .now = jst(2017, 3, 8, 12), .buyer_accepts = 0});
  EXPECT_DOUBLE_EQ(days_bad(none, option_kind::ask_buyer_first), 7);
  EXPECT_EQ(metric(option(none, option_kind::ask_buyer_first), pfcr_id).chance_bad,
            metric(option(none, option_kind::cancel_now), pfcr_id).chance_bad);
  EXPECT_EQ(none.recommended, option_kind::ask_buyer_first);
  // Everybody agrees: nothing counts.
  const auto all = sh::advise(book, {.order = "A-1", .now = jst(2017, 3, 8, 12), .buyer_accepts = 1});
  EXPECT_DOUBLE_EQ(days_bad(all, option_kind::ask_buyer_first), 0);
  EXPECT_EQ(all.recommended, option_kind::ask_buyer_first);
}

TEST(Advice, Seed000_AskingWithALaterDeadline) {
  // Placed Mar 8 2017 11:00, ship-by Mar 10 23:59:59 (the seed-story timing), seller writes 12:00.
  const amazon_book book = lone_order(jst(2017, 3, 8, 11), jst(2017, 3, 10, 23, 59, 59));
  const auto a = sh::advise(book, {.order = "A-1", .now = jst(2017, 3, 8, 12)});
  // cancel_now 7 (Mar 8..14). Asking: the unanswered half is cancelled Mar 10 23:59:59 and counts
  // Mar 10..14 (5 days): 0.5 * 5 = 2.5, half of cancelling at the deadline.
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::cancel_now, pfcr_id), 7);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::ask_buyer_first, pfcr_id), 2.5);
  EXPECT_EQ(a.recommended, option_kind::ask_buyer_first);

  // buyer_accepts 0 equals a seller cancel at the deadline: replay that on a copy and count.
  const auto none = sh::advise(book, {.order = "A-1", .now = jst(2017, 3, 8, 12), .buyer_accepts = 0});
  // Day by day, the cancel entering on its own day (recording it first and evaluating Mar 8
  // afterwards would show Mar 8 restated with the later cancel).
  amazon_book replay = book;
  std::vector<double> bad;
  for (local_day d = lday(2017, 3, 8); d <= lday(2017, 4, 7); d += days{1}) {
    if (d == lday(2017, 3, 10)) replay.record(sh::cancelled{.order = "A-1", .at = jst(2017, 3, 10, 23, 59, 59)});
    replay.advance_to(d);
    bad.push_back(replay.evaluate<pfcr>(0, d).status == sh::status::bad ? 1.0 : 0.0);
  }
  EXPECT_EQ(metric(option(none, option_kind::ask_buyer_first), pfcr_id).chance_bad, bad);
  EXPECT_EQ(bad, run(31, 2, 5));  // Mar 10..14
  EXPECT_DOUBLE_EQ(days_bad(none, option_kind::ask_buyer_first), 5);
  EXPECT_NE(option(none, option_kind::ask_buyer_first).plan.find("2017-03-10T23:59:59+09:00"), std::string::npos);
}

// ---- volume: a cancellation is diluted in PFCR, a late order in LSR -------------------------------------

TEST(Advice, AdviceFlipsAsVolumeGrows) {
  // Placed Mar 10 10:00, ship-by Mar 12 23:59:59, seller acts Mar 10 12:00, stock arrives Mar 14.
  // With n assumed on-time orders a day from Mar 11:
  //   cancel_now, PFCR on Mar 10 + k (k = 0..6): 1/(1 + n k), BAD iff n k <= 39;
  //   ship late, LSR on Mar 12 + j: the late order plus n orders for each of the 2 + j days
  //     Mar 11..Mar 12 + j in the window: 1/(1 + n (2 + j)), BAD iff n (2 + j) <= 24;
  //     LSR-10 for j = 0..9, LSR-30 for j = 0..28 (the projection ends Apr 9).
  //   n = 0:  cancel 7;                      ship 10 + 29 = 39
  //   n = 4:  cancel 7 (4 * 6 = 24 <= 39);   ship: 2 + j <= 6, j <= 4: 5 + 5 = 10
  //   n = 5:  cancel 7 (30 <= 39);           ship: 2 + j <= 4.8, j <= 2: 3 + 3 = 6
  //   n = 10: cancel 4 (k <= 3.9);           ship: j = 0 only (1/21; j = 1 is 1/31): 1 + 1 = 2
  //   n = 13: cancel 4 (k = 3 is 1/40, exactly 2.5 %); ship: 13 * 2 = 26 > 24: 0
  const amazon_book book = lone_order(jst(2026, 3, 10, 10), jst(2026, 3, 12, 23, 59, 59));
  struct row {
    std::uint32_t n;
    double cancel, ship;
  };
  for (const row r : {row{0, 7, 39}, row{4, 7, 10}, row{5, 7, 6}, row{10, 4, 2}, row{13, 4, 0}}) {
    SCOPED_TRACE("daily_orders " + std::to_string(r.n));
    const auto a = sh::advise(
        book, {.order = "A-1", .now = jst(2026, 3, 10, 12), .stock_arrives = lday(2026, 3, 14), .daily_orders = r.n});
    EXPECT_DOUBLE_EQ(days_bad(a, option_kind::cancel_now), r.cancel);
    EXPECT_DOUBLE_EQ(days_bad(a, option_kind::cancel_now, pfcr_id), r.cancel);
    EXPECT_DOUBLE_EQ(days_bad(a, option_kind::ship_when_stock_arrives), r.ship);
    EXPECT_DOUBLE_EQ(days_bad(a, option_kind::ship_when_stock_arrives, pfcr_id), 0);
  }
  // The crossing: at 4 a day cancelling is better, at 5 going late is.
  // Expected PFCR rate under cancel_now with n = 10: 1/1, 1/11, 1/21, 1/31, 1/41, 1/51, 1/61, then 0.
  const auto ten = sh::advise(
      book, {.order = "A-1", .now = jst(2026, 3, 10, 12), .stock_arrives = lday(2026, 3, 14), .daily_orders = 10});
  const auto& rates = metric(option(ten, option_kind::cancel_now), pfcr_id).expected_rate;
  for (int k = 0; k <= 6; ++k) EXPECT_DOUBLE_EQ(rates[static_cast<std::size_t>(k)], 1.0 / (1 + 10 * k)) << k;
  EXPECT_DOUBLE_EQ(rates[7], 0.0);  // Mar 17: 0/70
  EXPECT_EQ(metric(option(ten, option_kind::cancel_now), pfcr_id).chance_bad, run(31, 0, 4));

  // Recommendations. n = 0: asking (0.5 * 5 days = 2.5, the fallback cancel counting Mar 12..16)
  // beats cancel_now (7), waiting (14) and going late (39): a cancellation either way.
  const auto quiet =
      sh::advise(book, {.order = "A-1", .now = jst(2026, 3, 10, 12), .stock_arrives = lday(2026, 3, 14)});
  EXPECT_DOUBLE_EQ(days_bad(quiet, option_kind::ask_buyer_first), 2.5);
  EXPECT_EQ(quiet.recommended, option_kind::ask_buyer_first);
  // n = 13: going late is diluted before it counts (0 days); asking still risks the fallback
  // cancel (PFCR on Mar 12 and 13: 1/27, 1/40: 0.5 * 2 = 1); waiting for the automatic cancel is
  // also 0 (its LSR is the late shipment's until Mar 19, and the cancel lands after Mar 10 left
  // PFCR), and at a tie shipping is preferred: the order is delivered.
  const auto busy = sh::advise(
      book, {.order = "A-1", .now = jst(2026, 3, 10, 12), .stock_arrives = lday(2026, 3, 14), .daily_orders = 13});
  EXPECT_DOUBLE_EQ(days_bad(busy, option_kind::ask_buyer_first), 1);
  EXPECT_DOUBLE_EQ(days_bad(busy, option_kind::wait_for_auto_cancel), 0);
  EXPECT_EQ(busy.recommended, option_kind::ship_when_stock_arrives);
  EXPECT_NE(quiet.recommended, busy.recommended);
  EXPECT_EQ(book.order_count(), 1u);  // no assumed order reached the real ledger
}

// ---- seed 004: already late; the buyer's cancellation removes the late mark -------------------------------

TEST(Advice, Seed004_LateOrderAskBuyerRemovesLateMark) {
  // Pre-order placed Sep 7 2016 09:00 with a wrong ship-by of Sep 8 23:59:59; the warning mail came
  // Sep 13 and the seller acts at 02:23. The order is already late (filed Sep 8).
  amazon_book book = lone_order(jst(2016, 9, 7, 9), jst(2016, 9, 8, 23, 59, 59));
  book.advance_to(lday(2016, 9, 13));
  EXPECT_EQ(book.evaluate<lsr10>(0, lday(2016, 9, 13)).status, sh::status::bad);
  EXPECT_EQ(book.evaluate<lsr30>(0, lday(2016, 9, 13)).status, sh::status::bad);
  const sys_seconds now = jst(2016, 9, 13, 2, 23);

  // The buyer agrees: request 03:23, cancel 04:23, after the request: in no metric at all.
  const auto yes =
      sh::advise(book, {.order = "A-1", .now = now, .stock_arrives = lday(2016, 9, 14), .buyer_accepts = 1});
  const auto& asked = option(yes, option_kind::ask_buyer_first);
  EXPECT_DOUBLE_EQ(asked.expected_days_bad.value(), 0);
  for (const auto id : {lsr10_id, lsr30_id}) {
    EXPECT_EQ(metric(asked, id).chance_bad, run(31, 0, 0)) << id;
    EXPECT_EQ(metric(asked, id).expected_rate, run(31, 0, 0)) << id;  // 0/0: no late order left at all
  }
  // The same on a replay: LSR 0/0 on Sep 13 once the buyer-requested cancel is in.
  amazon_book replay = book;
  replay.record(sh::cancel_requested{.order = "A-1", .at = now + hours{1}});
  replay.record(sh::cancelled{.order = "A-1", .at = now + hours{2}});
  EXPECT_EQ(replay.evaluate<lsr10>(0, lday(2016, 9, 13)).counts, (sh::rate{0, 0}));
  EXPECT_EQ(replay.evaluate<pfcr>(0, lday(2016, 9, 13)).counts, (sh::rate{0, 1}));

  // cancel_now also leaves LSR, but counts in PFCR while Sep 7 is in the window (Sep 13 only): 1.
  EXPECT_DOUBLE_EQ(days_bad(yes, option_kind::cancel_now), 1);
  EXPECT_DOUBLE_EQ(days_bad(yes, option_kind::cancel_now, pfcr_id), 1);
  // Shipping on release (Sep 14 12:00) keeps it late: LSR-10 Sep 13..17 (5), LSR-30 Sep 13..Oct 7 (25).
  EXPECT_DOUBLE_EQ(days_bad(yes, option_kind::ship_when_stock_arrives, lsr10_id), 5);
  EXPECT_DOUBLE_EQ(days_bad(yes, option_kind::ship_when_stock_arrives, lsr30_id), 25);
  // Waiting: the platform cancels 7 business days after Thu Sep 8 (Fri 9, Mon 12 .. Fri 16, Mon
  // 19): Sep 19 23:59:59. Late until then: LSR-10 Sep 13..17 (Sep 8 leaves its window after
  // Sep 17: 5), LSR-30 Sep 13..18 (6); PFCR 1/1 filed under Sep 19, Sep 19..25 (7): 18. (Before
  // the rule: cancelled Sep 15, filed under the placement day: 2 + 2 = 4.)
  EXPECT_DOUBLE_EQ(days_bad(yes, option_kind::wait_for_auto_cancel, lsr10_id), 5);
  EXPECT_DOUBLE_EQ(days_bad(yes, option_kind::wait_for_auto_cancel, lsr30_id), 6);
  EXPECT_DOUBLE_EQ(days_bad(yes, option_kind::wait_for_auto_cancel, pfcr_id), 7);
  EXPECT_DOUBLE_EQ(days_bad(yes, option_kind::wait_for_auto_cancel), 18);
  EXPECT_EQ(yes.recommended, option_kind::ask_buyer_first);

  // Half agree: the fallback cancel is a day later (the deadline is past): Sep 14 02:23. Until then
  // (Sep 13) the order is late in both LSR windows; on Sep 14 it is cancelled and Sep 7 has left
  // PFCR: 0.5 * 2 = 1.
  const auto half = sh::advise(book, {.order = "A-1", .now = now});
  EXPECT_DOUBLE_EQ(days_bad(half, option_kind::ask_buyer_first), 1);
  EXPECT_EQ(metric(option(half, option_kind::ask_buyer_first), lsr10_id).chance_bad, run(31, 0, 1, 0.5));
  EXPECT_NE(option(half, option_kind::ask_buyer_first).plan.find("2016-09-14T02:23:00+09:00"), std::string::npos);
}

// ---- unavailable options and errors ------------------------------------------------------------------------

TEST(Advice, UnavailableOptionsAreNeverRecommended) {
  // No --in-stock and no --stock-arrives: both ship options are unavailable. Had they been
  // considered, their empty projections (0 days) and their first place among ties would win.
  const amazon_book book = lone_order(jst(2026, 3, 10, 10), jst(2026, 3, 12, 23, 59, 59));
  for (const std::optional<std::uint32_t> stock : {std::optional<std::uint32_t>{}, std::optional<std::uint32_t>{0}}) {
    const auto a = sh::advise(book, {.order = "A-1", .now = jst(2026, 3, 10, 15), .in_stock = stock});
    for (const auto k : {option_kind::ship_in_stock_refund_rest, option_kind::ship_when_stock_arrives}) {
      const auto& o = option(a, k);
      EXPECT_FALSE(o.available) << sh::to_string(k);
      EXPECT_EQ(o.plan.rfind("not available", 0), 0u) << o.plan;
      // No figures for an option that does not apply (0.0 would read as "best").
      EXPECT_FALSE(o.expected_days_bad.has_value()) << sh::to_string(k);
      EXPECT_TRUE(o.metrics.empty()) << sh::to_string(k);
      EXPECT_TRUE(o.worst_tiers.empty()) << sh::to_string(k);
      EXPECT_NE(a.recommended, k);
    }
    EXPECT_TRUE(option(a, option_kind::cancel_now).available);
    EXPECT_TRUE(option(a, option_kind::ask_buyer_first).available);
    EXPECT_TRUE(option(a, option_kind::wait_for_auto_cancel).available);
    EXPECT_EQ(a.recommended, option_kind::ask_buyer_first);  // 2.5, against 7 and 28 (waiting)
    EXPECT_EQ(a.reason.find("ship_"), std::string::npos);
  }
}

TEST(Advice, AutoCancelAlreadyDue) {
  // Ship-by Mon Mar 2 23:59:59: the platform cancels 7 business days later (Tue 3, Wed 4, Thu 5,
  // Fri 6, Mon 9, Tue 10, Wed 11) at Mar 11 23:59:59. (Before the rule: ship-by + 7 calendar days,
  // Mar 9; this test's days moved with it.)
  amazon_book book = lone_order(jst(2026, 3, 1, 10), jst(2026, 3, 2, 23, 59, 59));
  book.advance_to(lday(2026, 3, 11));
  const auto before = sh::advise(book, {.order = "A-1", .now = jst(2026, 3, 11, 23, 59, 58)});
  EXPECT_TRUE(option(before, option_kind::wait_for_auto_cancel).available);
  // At the very second it is due, and after, waiting is no option.
  for (const sys_seconds now : {jst(2026, 3, 11, 23, 59, 59), jst(2026, 3, 12, 9)}) {
    const auto a = sh::advise(book, {.order = "A-1", .now = now, .allow_waiting = true});
    const auto& w = option(a, option_kind::wait_for_auto_cancel);
    EXPECT_FALSE(w.available);
    EXPECT_EQ(w.plan, "not available: the platform's automatic cancellation was due at 2026-03-11T23:59:59+09:00");
    EXPECT_FALSE(w.expected_days_bad.has_value());
    EXPECT_NE(a.recommended, option_kind::wait_for_auto_cancel);
  }
  // On Mar 12 the order (late since Mar 2, placed Mar 1) is out of every PFCR window: cancelling
  // now costs nothing and ends the late mark. Asking keeps it late until the fallback a day
  // later, for half the buyers; on Mar 12 only LSR-30 still holds Mar 2 (LSR-10 looks at
  // Mar 3..12): 0.5 * 1.
  book.advance_to(lday(2026, 3, 12));
  const auto a = sh::advise(book, {.order = "A-1", .now = jst(2026, 3, 12, 9)});
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::cancel_now), 0);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::ask_buyer_first), 0.5);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::ask_buyer_first, lsr30_id), 0.5);
  EXPECT_EQ(a.recommended, option_kind::cancel_now);
}

TEST(Advice, Errors) {
  amazon_book book;
  book.record(sh::placed{
      .order = "open", .seller = "shop", .at = jst(2026, 3, 10, 10), .ship_by = jst(2026, 3, 12, 12), .quantity = 2});
  book.record(
      sh::placed{.order = "sent", .seller = "shop", .at = jst(2026, 3, 10, 10), .ship_by = jst(2026, 3, 12, 12)});
  book.record(sh::shipped{.order = "sent", .at = jst(2026, 3, 10, 11)});
  book.record(
      sh::placed{.order = "gone", .seller = "shop", .at = jst(2026, 3, 10, 10), .ship_by = jst(2026, 3, 12, 12)});
  book.record(sh::cancelled{.order = "gone", .at = jst(2026, 3, 10, 11), .by = sh::actor::buyer});
  book.record(sh::placed{
      .order = "half", .seller = "shop", .at = jst(2026, 3, 10, 10), .ship_by = jst(2026, 3, 12, 12), .quantity = 2});
  book.record(sh::cancelled{.order = "half", .at = jst(2026, 3, 10, 11), .units = 1});
  book.advance_to(lday(2026, 3, 11));
  const std::string before = fingerprint(book);
  const sys_seconds now = jst(2026, 3, 11, 9);

  EXPECT_THROW((void)sh::advise(book, {.order = "nope", .now = now}), sh::error);
  EXPECT_THROW((void)sh::advise(book, {.order = "sent", .now = now}), sh::error);
  EXPECT_THROW((void)sh::advise(book, {.order = "gone", .now = now}), sh::error);
  // Item-level cancel: the order is still open.
  EXPECT_NO_THROW((void)sh::advise(book, {.order = "half", .now = now}));
  // `now` before the ledger's today (Mar 11).
  EXPECT_THROW((void)sh::advise(book, {.order = "open", .now = jst(2026, 3, 10, 23)}), sh::error);
  EXPECT_NO_THROW((void)sh::advise(book, {.order = "open", .now = jst(2026, 3, 11, 0)}));
  // Bad parameters.
  EXPECT_THROW((void)sh::advise(book, {.order = "open", .now = now, .buyer_accepts = 1.5}), sh::error);
  EXPECT_THROW((void)sh::advise(book, {.order = "open", .now = now, .buyer_accepts = -0.1}), sh::error);
  EXPECT_THROW((void)sh::advise(book, {.order = "open", .now = now, .buyer_accepts = std::nan("")}), sh::error);
  EXPECT_THROW((void)sh::advise(book, {.order = "open", .now = now, .amazon_days = -1}), sh::error);
  EXPECT_THROW((void)sh::advise(book, {.order = "open", .now = now, .amazon_days = 367}), sh::error);
  // Every error leaves the ledger as it was.
  EXPECT_EQ(fingerprint(book), before);
  // An empty ledger has no orders.
  const amazon_book empty;
  EXPECT_THROW((void)sh::advise(empty, {.order = "open", .now = now}), sh::error);
}

TEST(Advice, NowBeforeAnEventRecordedForTheOrder) {
  // advise's contract: it throws when `now` is before an event already recorded for the order.
  // The buyer's cancel request is recorded at 11:00; acting at 10:30 would put the seller's cancel
  // before the request (counted), contradicting what already happened.
  amazon_book book = lone_order(jst(2026, 3, 10, 10), jst(2026, 3, 12, 23, 59, 59));
  book.record(sh::cancel_requested{.order = "A-1", .at = jst(2026, 3, 10, 11)});
  EXPECT_THROW((void)sh::advise(book, {.order = "A-1", .now = jst(2026, 3, 10, 10, 30)}), sh::error);
  // Before the placement itself.
  EXPECT_THROW((void)sh::advise(book, {.order = "A-1", .now = jst(2026, 3, 10, 9)}), sh::error);
  EXPECT_NO_THROW((void)sh::advise(book, {.order = "A-1", .now = jst(2026, 3, 10, 11)}));
}

// ---- all marketplaces: Qoo10's 6-hour rule ------------------------------------------------------------------

TEST(Advice, Qoo10QuickCancelEarnsNoTier) {
  // Placed Sep 10 2026 10:00, ship-by Sep 12 23:59:59, the seller's only order. The next Qoo10
  // evaluations are Oct 1 (September; Q3). A cancel more than 6 h after payment makes Q3 1/1 =
  // 100 % > 50 %: a warning and the listing cap; exactly 6 h is a quick cancel, in neither count.
  all_book book;
  book.record(sh::placed{
      .order = "A-1", .seller = "shop", .at = jst(2026, 9, 10, 10), .ship_by = jst(2026, 9, 12, 23, 59, 59)});
  const std::string before = fingerprint(book);

  const auto quick = sh::advise(book, {.order = "A-1", .now = jst(2026, 9, 10, 16)});
  const auto& q = option(quick, option_kind::cancel_now);
  EXPECT_EQ(q.worst_level(), 0);
  EXPECT_EQ(tier(q, "qoo10.monthly_warning").worst_tier, "none");
  EXPECT_EQ(tier(q, "qoo10.quarterly").worst_tier, "none");
  EXPECT_DOUBLE_EQ(days_bad(quick, option_kind::cancel_now, month_id), 0);  // 0/0 all along

  const auto slow = sh::advise(book, {.order = "A-1", .now = jst(2026, 9, 10, 16, 0, 1)});
  const auto& s = option(slow, option_kind::cancel_now);
  const auto& warning = tier(s, "qoo10.monthly_warning");
  EXPECT_EQ(warning.worst_tier, "warning");
  EXPECT_EQ(warning.level, 1);
  EXPECT_EQ(warning.evaluated_on, lday(2026, 10, 1));
  EXPECT_DOUBLE_EQ(warning.chance, 1);
  const auto& quarterly = tier(s, "qoo10.quarterly");
  EXPECT_EQ(quarterly.worst_tier, "listing_capped");
  EXPECT_EQ(quarterly.level, 3);
  EXPECT_EQ(quarterly.evaluated_on, lday(2026, 10, 1));
  EXPECT_EQ(s.worst_level(), 3);
  // The running month is BAD from Sep 10 to Sep 30 (21 days), then October starts empty; likewise
  // the quarter. PFCR Sep 10..16: 7.
  EXPECT_DOUBLE_EQ(days_bad(slow, option_kind::cancel_now, month_id), 21);
  EXPECT_DOUBLE_EQ(days_bad(slow, option_kind::cancel_now, quarter_id), 21);
  EXPECT_DOUBLE_EQ(days_bad(slow, option_kind::cancel_now, pfcr_id), 7);
  EXPECT_NE(slow.reason.find("qoo10"), std::string::npos);
  EXPECT_EQ(fingerprint(book), before);
}

TEST(Advice, Qoo10TierOutranksFewerDaysInBad) {
  // Placed Sep 29 2026 10:00 (ship-by Oct 1 23:59:59); the seller acts at 15:00, 5 h after payment.
  all_book book;
  book.record(sh::placed{
      .order = "A-1", .seller = "shop", .at = jst(2026, 9, 29, 10), .ship_by = jst(2026, 10, 1, 23, 59, 59)});
  const auto a = sh::advise(book, {.order = "A-1", .now = jst(2026, 9, 29, 15), .buyer_accepts = 1});
  // cancel_now at 5 h: a quick cancel for Qoo10 (no tier) but PFCR 1/1 Sep 29..Oct 5: 7 days.
  const auto& cancel = option(a, option_kind::cancel_now);
  EXPECT_EQ(cancel.worst_level(), 0);
  EXPECT_DOUBLE_EQ(cancel.expected_days_bad.value(), 7);
  // ask_buyer_first (the buyer agrees): request 16:00, cancel 17:00, 7 h after payment: not in
  // PFCR, but Qoo10 counts it: September and Q3 are 1/1, BAD on Sep 29 and 30 (2 + 2 days), and on
  // Oct 1 a warning and the listing cap, for certain.
  const auto& ask = option(a, option_kind::ask_buyer_first);
  EXPECT_DOUBLE_EQ(ask.expected_days_bad.value(), 4);
  EXPECT_DOUBLE_EQ(metric(ask, pfcr_id).expected_days_bad, 0);
  EXPECT_EQ(tier(ask, "qoo10.quarterly").worst_tier, "listing_capped");
  EXPECT_DOUBLE_EQ(tier(ask, "qoo10.quarterly").chance, 1);
  EXPECT_EQ(tier(ask, "qoo10.monthly_warning").worst_tier, "warning");
  EXPECT_EQ(ask.worst_level(), 3);
  // wait_for_auto_cancel: the platform cancels 7 business days after Thu Oct 1 (Fri 2, Mon 5 ..
  // Fri 9, Mon 12): Oct 12 23:59:59, after September was judged (0/1 then), and the order was paid
  // in September, so no later Qoo10 period holds it: no tier. LSR late (filed Oct 1): LSR-10
  // Oct 1..10 (10), LSR-30 Oct 1..11 (11); PFCR 1/1 filed under Oct 12, Oct 12..18 (7): 28.
  // (Before the rule: cancelled Oct 8, filed under the placement day: 7 + 7 = 14.)
  const auto& wait = option(a, option_kind::wait_for_auto_cancel);
  EXPECT_EQ(wait.worst_level(), 0);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::wait_for_auto_cancel, pfcr_id), 7);
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::wait_for_auto_cancel, month_id), 0);
  EXPECT_DOUBLE_EQ(wait.expected_days_bad.value(), 28);
  // Fewest worst penalty first: cancel_now (level 0, 7 days) over asking (level 3, 4 days).
  EXPECT_EQ(a.recommended, option_kind::cancel_now);

  // Half agree: the other half cancels at Oct 1 23:59:59, after the September period closed: no
  // tier there. The listing cap now comes with a chance of 0.5.
  const auto half = sh::advise(book, {.order = "A-1", .now = jst(2026, 9, 29, 15)});
  const auto& q = tier(option(half, option_kind::ask_buyer_first), "qoo10.quarterly");
  EXPECT_EQ(q.worst_tier, "listing_capped");
  EXPECT_DOUBLE_EQ(q.chance, 0.5);
  EXPECT_EQ(q.evaluated_on, lday(2026, 10, 1));
  EXPECT_EQ(half.recommended, option_kind::cancel_now);
}

TEST(Advice, AmazonOnlyLedgerHasNoTiers) {
  const amazon_book book = lone_order(jst(2026, 3, 10, 10), jst(2026, 3, 12, 23, 59, 59));
  const auto a = sh::advise(book, {.order = "A-1", .now = jst(2026, 3, 10, 15)});
  for (const auto& o : a.options) {
    EXPECT_TRUE(o.worst_tiers.empty());
    if (!o.available) {  // the two ship options here: nothing projected
      EXPECT_TRUE(o.metrics.empty());
      continue;
    }
    EXPECT_EQ(o.metrics.size(), 3u);
    for (const auto& m : o.metrics) {
      EXPECT_EQ(m.chance_bad.size(), 31u);
      EXPECT_EQ(m.expected_rate.size(), 31u);
    }
  }
  EXPECT_EQ(a.reason.find("penalty"), std::string::npos);
}

// ---- the platform's automatic cancellation, and waiting for it ----------------------------------------

/// The issue's seller: 10 merchant orders a day shipped on time, Sep 3..9 2026 (paid 09:00, due
/// two days later at 23:59:59, shipped at 10:00), one of Sep 7 cancelled by the seller at 12:00
/// (two days ago); the new order X, paid Wed Sep 9 09:30, due Fri Sep 11 23:59:59, cannot ship.
template <class Book>
Book issue_seller() {
  Book book;
  for (int d = 3; d <= 9; ++d)
    for (int n = 0; n < 10; ++n) {
      if (d == 9 && n == 9) break;  // the tenth order of Sep 9 is X
      const std::string id = "O-" + std::to_string(d) + "-" + std::to_string(n);
      book.record(sh::placed{
          .order = id, .seller = "shop", .at = jst(2026, 9, d, 9), .ship_by = jst(2026, 9, d + 2, 23, 59, 59)});
      if (d == 7 && n == 0)
        book.record(sh::cancelled{.order = id, .at = jst(2026, 9, d, 12), .by = sh::actor::seller});
      else
        book.record(sh::shipped{.order = id, .at = jst(2026, 9, d, 10)});
    }
  book.record(sh::placed{
      .order = "X", .seller = "shop", .at = jst(2026, 9, 9, 9, 30), .ship_by = jst(2026, 9, 11, 23, 59, 59)});
  return book;
}

TEST(Advice, IssueCase_WaitingIsShownButNotRecommended) {
  const auto book = issue_seller<amazon_book>();
  EXPECT_EQ(book.evaluate<pfcr>(0, lday(2026, 9, 9)).counts, (sh::rate{1, 70}));  // 1.4 %
  const sys_seconds now = jst(2026, 9, 9, 9, 30);
  const auto a = sh::advise(book, {.order = "X", .now = now, .daily_orders = 10});
  // PFCR by placement day; Sep 4..9 hold 60 orders (X among them), every later day 10 assumed
  // ones, so every window ending after today holds 70.
  //   cancel_now: numerators Sep 7 and Sep 9, 2/70 = 2.86 % (not under 2.5 %) in the windows
  //     ending Sep 9..13; Sep 14's window starts at Sep 8: 1/70. 5 days.
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::cancel_now), 5);
  EXPECT_EQ(metric(option(a, option_kind::cancel_now), pfcr_id).chance_bad, run(31, 0, 5));
  //   ask_buyer_first: half agree (uncounted); the other half cancel at the deadline, Fri Sep 11
  //     23:59:59, filed under Sep 9: 2/70 on Sep 11..13: 0.5 * 3 = 1.5.
  EXPECT_DOUBLE_EQ(days_bad(a, option_kind::ask_buyer_first), 1.5);
  EXPECT_EQ(metric(option(a, option_kind::ask_buyer_first), pfcr_id).chance_bad, run(31, 2, 3, 0.5));
  //   wait_for_auto_cancel: 7 business days after Fri Sep 11 are Mon 14 .. Fri 18, Mon 21,
  //     Tue 22: the platform cancels Sep 22 23:59:59, filed under Sep 22 (index 13): 1/71 in the
  //     windows ending Sep 22..28 (70 assumed orders and X), 1.41 %, under 2.5 %. Late from Sep 11
  //     among 80 or more orders in either LSR window: under 4 %. 0 days in BAD, but the
  //     cancellation now counts (before the rule it was filed under Sep 9 and never seen).
  const auto& wait = option(a, option_kind::wait_for_auto_cancel);
  EXPECT_EQ(wait.plan, "do nothing; the platform cancels it at 2026-09-22T23:59:59+09:00");
  EXPECT_DOUBLE_EQ(wait.expected_days_bad.value(), 0);
  EXPECT_DOUBLE_EQ(metric(wait, pfcr_id).expected_rate[13], 1.0 / 71);
  EXPECT_DOUBLE_EQ(metric(wait, pfcr_id).expected_rate[19], 1.0 / 71);
  EXPECT_DOUBLE_EQ(metric(wait, pfcr_id).expected_rate[20], 0.0);  // Sep 29: 0/70

  // Waiting scores best but is not recommended: asking is, and the reason says why not waiting.
  EXPECT_EQ(a.recommended, option_kind::ask_buyer_first);
  EXPECT_EQ(a.reason,
            "ask_buyer_first (" + option(a, option_kind::ask_buyer_first).plan +
                ") leaves 1.5 expected metric-days in BAD over 2026-09-09..2026-10-09, against 5.0 for cancel_now; "
                "waiting for the platform's cancellation would score better (0.0 expected metric-days in BAD) but "
                "the platform asks sellers to ship or cancel.");
  // Allowed, waiting is recommended, with the same figures.
  const auto allowed = sh::advise(book, {.order = "X", .now = now, .daily_orders = 10, .allow_waiting = true});
  EXPECT_EQ(allowed.recommended, option_kind::wait_for_auto_cancel);
  EXPECT_EQ(allowed.reason.find("platform asks"), std::string::npos) << allowed.reason;
  EXPECT_NE(allowed.reason.find(", against 1.5 for ask_buyer_first."), std::string::npos) << allowed.reason;
  EXPECT_DOUBLE_EQ(days_bad(allowed, option_kind::wait_for_auto_cancel), 0);
  // When waiting scores worse, nothing is said about it (Seed 001: 28 against 2.5).
  const auto lone = sh::advise(lone_order(jst(2026, 3, 10, 10), jst(2026, 3, 12, 23, 59, 59)),
                               {.order = "A-1", .now = jst(2026, 3, 10, 15)});
  EXPECT_EQ(lone.reason.find("waiting"), std::string::npos) << lone.reason;
}

/// Japanese public holidays of September 2026 (Respect for the Aged Day, the citizens' holiday,
/// the autumnal equinox), for a PFCR whose automatic cancellation skips them.
struct jp_holidays_sep_2026 {
  static constexpr bool contains(local_day d) noexcept {
    return d == lday(2026, 9, 21) || d == lday(2026, 9, 22) || d == lday(2026, 9, 23);
  }
};
using holiday_pfcr = am::basic_pre_fulfillment_cancel_rate<am::cancel_attribution::placement_day,
                                                           am::auto_cancellation<7, jp_holidays_sep_2026>>;
using holiday_book = sh::ledger<sh::jst, holiday_pfcr, lsr10, lsr30>;

TEST(Advice, PlatformCancelsAfterBusinessDaysAcrossWeekendsAndHolidays) {
  // Paid Thu Sep 10 2026 10:00, due Fri Sep 11 23:59:59, the seller's only order; acts at 12:00.
  const sys_seconds placed = jst(2026, 9, 10, 10), due = jst(2026, 9, 11, 23, 59, 59), now = jst(2026, 9, 10, 12);
  amazon_book plain;
  plain.record(sh::placed{.order = "A-1", .seller = "shop", .at = placed, .ship_by = due});
  holiday_book holidays;
  holidays.record(sh::placed{.order = "A-1", .seller = "shop", .at = placed, .ship_by = due});

  // Weekdays only: Mon 14 .. Fri 18 (5), the weekend skipped, Mon 21, Tue 22: Sep 22 23:59:59,
  // 11 calendar days after the deadline. Projection Sep 10 .. Oct 10, index 12 = Sep 22.
  // Late (filed Sep 11, index 1): LSR-10 Sep 11..20 (10), LSR-30 Sep 11..21 (11); PFCR 1/1 filed
  // under Sep 22: Sep 22..28 (7). 28.
  const auto a = sh::advise(plain, {.order = "A-1", .now = now});
  const auto& wait = option(a, option_kind::wait_for_auto_cancel);
  EXPECT_EQ(wait.plan, "do nothing; the platform cancels it at 2026-09-22T23:59:59+09:00");
  EXPECT_EQ(metric(wait, pfcr_id).chance_bad, run(31, 12, 7));
  EXPECT_EQ(metric(wait, lsr10_id).chance_bad, run(31, 1, 10));
  EXPECT_EQ(metric(wait, lsr30_id).chance_bad, run(31, 1, 11));
  EXPECT_DOUBLE_EQ(wait.expected_days_bad.value(), 28);

  // With Sep 21..23 as holidays: Mon 14 .. Fri 18 (5), Thu 24, Fri 25: Sep 25 23:59:59 (index
  // 15). LSR-10 unchanged (10), LSR-30 Sep 11..24 (14), PFCR Sep 25..Oct 1 (7): 31.
  const auto h = sh::advise(holidays, {.order = "A-1", .now = now});
  const auto& held = option(h, option_kind::wait_for_auto_cancel);
  EXPECT_EQ(held.plan, "do nothing; the platform cancels it at 2026-09-25T23:59:59+09:00");
  EXPECT_EQ(metric(held, pfcr_id).chance_bad, run(31, 15, 7));
  EXPECT_EQ(metric(held, lsr30_id).chance_bad, run(31, 1, 14));
  EXPECT_DOUBLE_EQ(held.expected_days_bad.value(), 31);

  // Stock arriving after the platform's cancellation cannot ship the order: not available.
  const auto late_stock = sh::advise(plain, {.order = "A-1", .now = now, .stock_arrives = lday(2026, 9, 23)});
  const auto& ship = option(late_stock, option_kind::ship_when_stock_arrives);
  EXPECT_FALSE(ship.available);
  EXPECT_EQ(ship.plan,
            "not available: the platform cancels the order at 2026-09-22T23:59:59+09:00, before the stock ships at "
            "2026-09-23T12:00:00+09:00");
  EXPECT_FALSE(ship.expected_days_bad.has_value());
  // The day before, it can (late).
  const auto in_time = sh::advise(plain, {.order = "A-1", .now = now, .stock_arrives = lday(2026, 9, 22)});
  EXPECT_TRUE(option(in_time, option_kind::ship_when_stock_arrives).available);
}

/// A PFCR of one's own with Amazon's measure but no `auto_cancel`: the ledger cannot say when the
/// platform would cancel.
struct own_pfcr {
  using measure = am::seller_cancellations<>;
  static constexpr std::string_view id = "own.pfcr";
  static constexpr sh::target goal{sh::condition::less_than, {1, 40}};
  static constexpr sh::window_spec window = sh::rolling_days(7);
};
static_assert(sh::predicts_auto_cancel<pfcr, sh::jst>);
static_assert(sh::predicts_auto_cancel<holiday_pfcr, sh::jst>);
static_assert(!sh::predicts_auto_cancel<own_pfcr, sh::jst>);
static_assert(!sh::predicts_auto_cancel<lsr10, sh::jst>);

TEST(Advice, WaitingIsNotModelledWithoutAnAutoCancelPolicy) {
  sh::ledger<sh::jst, own_pfcr, lsr10> book;
  book.record(sh::placed{
      .order = "A-1", .seller = "shop", .at = jst(2026, 3, 10, 10), .ship_by = jst(2026, 3, 12, 23, 59, 59)});
  const auto a = sh::advise(book, {.order = "A-1", .now = jst(2026, 3, 10, 15), .allow_waiting = true});
  const auto& wait = option(a, option_kind::wait_for_auto_cancel);
  EXPECT_FALSE(wait.available);
  EXPECT_EQ(wait.plan, "not available: not modelled (no policy of the ledger predicts the platform's cancellation)");
  EXPECT_FALSE(wait.expected_days_bad.has_value());
  EXPECT_TRUE(wait.metrics.empty());
  EXPECT_NE(a.recommended, option_kind::wait_for_auto_cancel);
  EXPECT_TRUE(option(a, option_kind::cancel_now).available);
}

TEST(Advice, NowIsRequired) {
  const amazon_book book = lone_order(jst(2026, 3, 10, 10), jst(2026, 3, 12, 23, 59, 59));
  try {
    (void)sh::advise(book, {.order = "A-1"});
    ADD_FAILURE() << "advise without 'now' did not throw";
  } catch (const sh::error& e) {
    EXPECT_STREQ(e.what(), "sellerhealth::advise: the request has no 'now' (the instant the seller acts)");
  }
  // Designated initialisers still read as before.
  EXPECT_NO_THROW((void)sh::advise(book, {.order = "A-1", .now = jst(2026, 3, 10, 15)}));
}

TEST(Advice, AdviceOwnsItsStrings) {
  // The request's id, the ledger and the seller's id all go away; the advice still reads well.
  std::optional<sh::advice> kept;
  {
    std::optional<all_book> book(std::in_place);
    book->record(sh::placed{.order = std::string(40, 'o'),
                            .seller = std::string(40, 's'),
                            .at = jst(2026, 9, 10, 10),
                            .ship_by = jst(2026, 9, 12, 23, 59, 59)});
    auto id = std::make_unique<std::string>(40, 'o');  // long enough to live on the heap
    kept = sh::advise(*book, {.order = *id, .now = jst(2026, 9, 10, 17)});
    id->assign(40, 'x');
    id.reset();
    book.reset();
  }
  EXPECT_EQ(kept->order, std::string(40, 'o'));
  EXPECT_EQ(kept->seller, std::string(40, 's'));
  const auto& cancel = option(*kept, option_kind::cancel_now);
  ASSERT_EQ(cancel.metrics.size(), 5u);
  EXPECT_EQ(cancel.metrics[0].metric, pfcr_id);
  EXPECT_EQ(cancel.metrics[4].metric, quarter_id);
  EXPECT_EQ(tier(cancel, "qoo10.quarterly").worst_tier, "listing_capped");
  EXPECT_EQ(kept->reason.back(), '.');
}

TEST(Advice, TextIsLocalTimeAndNamesNoCommandFlag) {
  // Every instant in plans, reasons and errors is JST with its offset, and no library text tells
  // the user about a command's flags.
  const amazon_book book = lone_order(jst(2026, 3, 10, 10), jst(2026, 3, 12, 23, 59, 59));
  std::vector<std::string> texts;
  for (const std::optional<std::uint32_t> stock : {std::optional<std::uint32_t>{}, std::optional<std::uint32_t>{0}}) {
    const auto a = sh::advise(book, {.order = "A-1", .now = jst(2026, 3, 10, 15), .in_stock = stock});
    EXPECT_EQ(a.local_time(a.now), "2026-03-10T15:00:00+09:00");
    texts.push_back(a.reason);
    for (const auto& o : a.options) texts.push_back(o.plan);
  }
  const auto with_stock =
      sh::advise(book, {.order = "A-1", .now = jst(2026, 3, 10, 15), .stock_arrives = lday(2026, 3, 16)});
  for (const auto& o : with_stock.options) texts.push_back(o.plan);
  EXPECT_EQ(option(with_stock, option_kind::ship_when_stock_arrives).plan,
            "ship when stock arrives, at 2026-03-16T12:00:00+09:00 (late)");
  EXPECT_NE(option(with_stock, option_kind::ask_buyer_first).plan.find("with no request by 2026-03-12T23:59:59+09:00"),
            std::string::npos);
  for (const auto& request :
       {sh::advice_request{.order = "A-1", .now = jst(2026, 3, 10, 9)}, sh::advice_request{.order = "A-1"}}) {
    try {
      (void)sh::advise(book, request);
      ADD_FAILURE() << "no error";
    } catch (const sh::error& e) {
      texts.emplace_back(e.what());
    }
  }
  EXPECT_NE(texts.back().find("no 'now'"), std::string::npos);
  EXPECT_NE(texts[texts.size() - 2].find("'now' (2026-03-10T09:00:00+09:00) is before the latest event recorded for "
                                         "order 'A-1' (2026-03-10T10:00:00+09:00)"),
            std::string::npos)
      << texts[texts.size() - 2];
  for (const auto& t : texts) {
    EXPECT_EQ(t.find("--"), std::string::npos) << t;
    EXPECT_EQ(t.find(":00Z"), std::string::npos) << t;  // no UTC instant
    EXPECT_EQ(t.find(":59Z"), std::string::npos) << t;
  }
  EXPECT_EQ(option(with_stock, option_kind::ship_in_stock_refund_rest).plan,
            "not available: the request gives no units in stock");
}

}  // namespace
