// A policy written by a user, outside include/: what policy.hpp's "write your own" promises.
//
// 1. Walmart Marketplace's cancellation rate (rules.md, "Other marketplaces"): seller-fulfilled
//    orders, at most 2 % over 30 days; the automatic cancellation at ESD + 4 days counts, a
//    customer's "changed mind" (the buyer's own cancel) does not.
// 2. A measure with a `recheck`: an order is "stale" when it is still unshipped 3 days (72 hours)
//    after placement. Nothing happens at that moment, so only the ledger's clock can notice it.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <sellerhealth/sellerhealth.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "support/scenario.hpp"

// ---- the user's code --------------------------------------------------------------------------------------

namespace user {

namespace sh = sellerhealth;

/// Walmart: seller and automatic cancellations count; the customer's own does not. Filed under the
/// local placement day; seller-fulfilled orders only.
struct walmart_cancels {
  static sh::classification classify(const sh::order_view& o, const sh::as_of& when) noexcept {
    if (o.channel() != sh::fulfilment::merchant || !when.happened(o.placed_at())) return {};
    const sh::local_day placed = when.day_of(o.placed_at());
    const bool counted =
        when.happened(o.first_cancel_at(sh::actor::seller)) || when.happened(o.first_cancel_at(sh::actor::platform));
    return {.denominator = placed, .numerator = counted ? std::optional{placed} : std::nullopt};
  }
};

struct walmart_cancel_rate {
  using measure = walmart_cancels;
  static constexpr std::string_view id = "walmart.cancellation_rate";
  static constexpr sh::target goal{sh::condition::at_most, {2, 100}};
  static constexpr sh::window_spec window = sh::rolling_days(30);
};

/// Stale: no shipment confirmed before placement + 72 h, judged once that moment has passed.
/// Filed under the placement day; wholly cancelled orders leave the metric.
struct stale_orders {
  static constexpr std::chrono::hours limit{72};
  static sh::classification classify(const sh::order_view& o, const sh::as_of& when) noexcept {
    if (!when.happened(o.placed_at()) || when.happened(o.fully_cancelled_at())) return {};
    const sh::local_day placed = when.day_of(o.placed_at());
    const sh::sys_seconds stale_at = o.placed_at() + limit;
    const auto shipped = o.shipped_at();
    if (when.happened(shipped) && *shipped < stale_at) return {.denominator = placed};  // settled: fresh
    if (when.happened(stale_at)) return {.denominator = placed, .numerator = placed};   // settled: stale
    // Not stale yet, and nothing will change that before stale_at's day unless an event arrives.
    return {.denominator = placed, .recheck = when.day_of(stale_at)};
  }
};

struct stale_order_rate {
  using measure = stale_orders;
  static constexpr std::string_view id = "example.stale_order_rate";
  static constexpr sh::target goal{sh::condition::less_than, {1, 10}};
  static constexpr sh::window_spec window = sh::rolling_days(7);
};

}  // namespace user

static_assert(sellerhealth::measure<user::walmart_cancels>);
static_assert(sellerhealth::rate_policy<user::walmart_cancel_rate>);
static_assert(sellerhealth::measure<user::stale_orders>);
static_assert(sellerhealth::rate_policy<user::stale_order_rate>);

// ---- tests ------------------------------------------------------------------------------------------------

namespace {

using namespace scenario;
using user::stale_order_rate;
using user::walmart_cancel_rate;

/// `n` orders placed over Nov 1..30, 2020, each shipped the next day; the first `cancelled` of
/// them cancelled by the seller instead.
template <class Book>
void month_of_orders(Book& book, int n, int cancelled) {
  for (int i = 0; i < n; ++i) {
    const std::string id = "W-" + std::to_string(i);
    const sys_seconds at = nov(1 + i % 30, 10) + minutes{i};
    book.record(place(id, at, at + days{2}, "W1"));
    if (i < cancelled)
      book.record(cancel(id, at + hours{3}));
    else
      book.record(ship(id, at + days{1}));
  }
  book.advance_to(nov_day(30));
}

// ---- Walmart cancellation rate ---------------------------------------------------------------------------

TEST(UserPolicy, WalmartExactlyTwoPercentPassesBecauseTheConditionIsAtMost) {
  sh::ledger<sh::jst, walmart_cancel_rate> book;
  month_of_orders(book, 50, 1);
  const auto r = book.evaluate<walmart_cancel_rate>("W1", nov_day(30));
  EXPECT_EQ(r.metric, "walmart.cancellation_rate");
  EXPECT_EQ(r.period, (sh::day_range{nov_day(1), nov_day(30)}));
  EXPECT_EQ(counts(r), (frac{1, 50}));  // exactly 2 %
  EXPECT_EQ(status(r), "GOOD");
  EXPECT_FALSE(r.low_volume);  // 1/50 alone does not fail "at most 2 %"
  EXPECT_EQ(r.headroom, 0u);   // 2/50 = 4 % would
}

TEST(UserPolicy, WalmartTwoIn99FailsTwoIn100Passes) {
  sh::ledger<sh::jst, walmart_cancel_rate> book;
  month_of_orders(book, 99, 2);
  auto r = book.evaluate<walmart_cancel_rate>("W1", nov_day(30));
  EXPECT_EQ(counts(r), (frac{2, 99}));  // 2.02 %
  EXPECT_EQ(status(r), "BAD");
  book.record(place("W-99", nov(30, 20), nov(30, 23), "W1"));
  r = book.evaluate<walmart_cancel_rate>("W1", nov_day(30));
  EXPECT_EQ(counts(r), (frac{2, 100}));
  EXPECT_EQ(status(r), "GOOD");
}

TEST(UserPolicy, WalmartLowVolumeBelowFiftyOrders) {
  sh::ledger<sh::jst, walmart_cancel_rate> book;
  month_of_orders(book, 49, 0);
  const auto r = book.evaluate<walmart_cancel_rate>("W1", nov_day(30));
  EXPECT_EQ(counts(r), (frac{0, 49}));
  EXPECT_TRUE(r.low_volume);  // 1/49 = 2.04 % would fail on its own
}

TEST(UserPolicy, WalmartCountsSellerAndAutomaticCancelsNotTheCustomersOwn) {
  sh::ledger<sh::jst, walmart_cancel_rate> book;
  book.record(place("seller", nov(2, 10), nov(4, 18), "W1"));
  book.record(place("auto", nov(2, 11), nov(4, 18), "W1"));
  book.record(place("changed-mind", nov(2, 12), nov(4, 18), "W1"));
  book.record(place("shipped", nov(2, 13), nov(4, 18), "W1"));
  book.record(place("wfs", nov(2, 14), nov(4, 18), "W1", 1, sh::fulfilment::platform));
  book.record(cancel("seller", nov(2, 15)));
  book.record(cancel("changed-mind", nov(2, 16), sh::actor::buyer));
  book.record(cancel("wfs", nov(2, 17)));  // platform-fulfilled: outside a seller-fulfilled metric
  book.record(ship("shipped", nov(3, 10)));
  book.advance_to(nov_day(8));
  EXPECT_EQ(counts(book.evaluate<walmart_cancel_rate>("W1", nov_day(8))), (frac{1, 4}));
  book.record(cancel("auto", nov(8, 18), sh::actor::platform));  // ESD + 4 days
  EXPECT_EQ(counts(book.evaluate<walmart_cancel_rate>("W1", nov_day(8))), (frac{2, 4}));
  // Thirty days: Nov 2 is still in the window ending Dec 1, gone from Dec 2's.
  book.advance_to(local_day{std::chrono::year{2020} / 12 / 2});
  EXPECT_EQ(counts(book.evaluate<walmart_cancel_rate>("W1", local_day{std::chrono::year{2020} / 12 / 1})),
            (frac{2, 4}));
  EXPECT_EQ(counts(book.evaluate<walmart_cancel_rate>("W1", local_day{std::chrono::year{2020} / 12 / 2})),
            (frac{0, 0}));
}

TEST(UserPolicy, WalmartMixedWithAmazonPoliciesInOneLedger) {
  using pfcr = am::pre_fulfillment_cancel_rate;
  using lsr30 = am::late_shipment_rate_30d;
  sh::ledger<sh::jst, pfcr, walmart_cancel_rate, lsr30> book;
  // Nov 2: two orders cancelled by the seller. Nov 10..16: twenty orders shipped on time, one late.
  book.record(place("A", nov(2, 10), nov(4, 18), "W1"));
  book.record(place("B", nov(2, 11), nov(4, 18), "W1"));
  book.record(cancel("A", nov(2, 12)));
  book.record(cancel("B", nov(2, 13)));
  for (int i = 0; i < 21; ++i) {
    const std::string id = "C-" + std::to_string(i);
    const sys_seconds at = nov(10 + i % 7, 10) + minutes{i};
    book.record(place(id, at, at + days{2}, "W1"));
    book.record(ship(id, i == 0 ? at + days{3} : at + days{1}));
  }
  book.advance_to(nov_day(20));
  // PFCR, Nov 14..20: the orders placed Nov 14..16 (9 of the 21), no cancels.
  EXPECT_EQ(counts(book.evaluate<pfcr>("W1", nov_day(20))), (frac{0, 9}));
  // Walmart, Oct 22..Nov 20: all 23 orders, both cancels: 2/23 = 8.7 %.
  EXPECT_EQ(counts(book.evaluate<walmart_cancel_rate>("W1", nov_day(20))), (frac{2, 23}));
  EXPECT_EQ(status(book.evaluate<walmart_cancel_rate>("W1", nov_day(20))), "BAD");
  // LSR-30: the 21 shipped orders (the cancelled ones left), C-0 late: 1/21.
  EXPECT_EQ(counts(book.evaluate<lsr30>("W1", nov_day(20))), (frac{1, 21}));
  const auto all = book.evaluate_all(*book.find_seller("W1"), nov_day(20));
  EXPECT_EQ(all[0].metric, "amazon.pre_fulfillment_cancel_rate");
  EXPECT_EQ(all[1].metric, "walmart.cancellation_rate");
  EXPECT_EQ(counts(all[1]), (frac{2, 23}));
  EXPECT_EQ(all[2].metric, "amazon.late_shipment_rate_30d");
}

// ---- a measure with a recheck ----------------------------------------------------------------------------

TEST(UserPolicy, StaleOrdersAreJudgedByTheClockAlone) {
  sh::ledger<sh::jst, stale_order_rate> book;
  book.record(place("A", nov(2, 10), nov(9, 18), "W1"));  // never shipped; stale from Nov 5 10:00
  book.advance_to(nov_day(3));
  EXPECT_EQ(counts(book.evaluate<stale_order_rate>("W1", nov_day(3))), (frac{0, 1}));
  book.advance_to(nov_day(4));
  EXPECT_EQ(counts(book.evaluate<stale_order_rate>("W1", nov_day(4))), (frac{0, 1}));
  book.advance_to(nov_day(5));
  EXPECT_EQ(counts(book.evaluate<stale_order_rate>("W1", nov_day(5))), (frac{1, 1}));
  EXPECT_EQ(status(book.evaluate<stale_order_rate>("W1", nov_day(5))), "BAD");
  // Shipping afterwards does not make it fresh again.
  book.record(ship("A", nov(6, 9)));
  EXPECT_EQ(counts(book.evaluate<stale_order_rate>("W1", nov_day(6))), (frac{1, 1}));
}

TEST(UserPolicy, StaleBoundaryIsTheSeventySecondHour) {
  sh::ledger<sh::jst, stale_order_rate> book;
  book.record(place("fresh", nov(2, 11), nov(9, 18), "W1"));
  book.record(place("stale", nov(2, 12), nov(9, 18), "W2"));
  book.record(ship("fresh", nov(5, 10, 59, 59)));  // 1 s before 72 h
  book.record(ship("stale", nov(5, 12, 0, 0)));    // at 72 h: not before it
  EXPECT_EQ(counts(book.evaluate<stale_order_rate>("W1", nov_day(5))), (frac{0, 1}));
  EXPECT_EQ(counts(book.evaluate<stale_order_rate>("W2", nov_day(5))), (frac{1, 1}));
}

TEST(UserPolicy, StaleOrdersAfterAJumpOfTheClock) {
  // The clock jumps from Nov 10 to Nov 20 in one step; the order went stale on Nov 13 and is filed
  // under its Nov 10 placement.
  sh::ledger<sh::jst, stale_order_rate> book;
  book.record(place("D", nov(10, 10), nov(17, 18), "W1"));
  book.advance_to(nov_day(20));
  EXPECT_EQ(counts(book.evaluate<stale_order_rate>("W1", nov_day(16))), (frac{1, 1}));  // Nov 10..16
  EXPECT_EQ(counts(book.evaluate<stale_order_rate>("W1", nov_day(20))), (frac{0, 0}));  // Nov 14..20

  // Moved by another seller's event instead of advance_to.
  sh::ledger<sh::jst, stale_order_rate> other;
  other.record(place("D", nov(10, 10), nov(17, 18), "W1"));
  other.record(place("E", nov(13, 23), nov(17, 18), "W2"));
  EXPECT_EQ(counts(other.evaluate<stale_order_rate>("W1", nov_day(13))), (frac{1, 1}));
  EXPECT_EQ(counts(other.evaluate<stale_order_rate>("W2", nov_day(13))), (frac{0, 1}));
}

TEST(UserPolicy, StaleRecheckFollowsLaterEvents) {
  sh::ledger<sh::jst, stale_order_rate, walmart_cancel_rate> book;
  // Shipped in time: the scheduled recheck finds nothing to change.
  book.record(place("A", nov(2, 10), nov(9, 18), "W1"));
  book.record(ship("A", nov(3, 10)));
  // Cancelled before going stale: it leaves the metric; the recheck must not bring it back.
  book.record(place("B", nov(2, 11), nov(9, 18), "W1"));
  book.record(cancel("B", nov(4, 10), sh::actor::buyer));
  // Still open: goes stale on Nov 5.
  book.record(place("C", nov(2, 12), nov(9, 18), "W1"));
  book.advance_to(nov_day(6));
  EXPECT_EQ(counts(book.evaluate<stale_order_rate>("W1", nov_day(6))), (frac{1, 2}));
  EXPECT_EQ(counts(book.evaluate<walmart_cancel_rate>("W1", nov_day(6))), (frac{0, 3}));
}

}  // namespace
