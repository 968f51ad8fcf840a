// Differential tests: the ledger against a naive recount (tests/support/naive_recount.hpp).
//
// Random event streams are replayed through `sellerhealth::ledger` and through the naive model,
// which keeps a log of accepted events and rescans it for every answer. Every accept/reject
// decision and every metric (numerator, denominator, status) for every seller is compared, at
// today() and at past days within the horizon, also after `advance_to` lets deadlines pass with
// no event. The naive model itself is checked against hand-computed mini cases first (the
// `NaiveRecount` suite), each replayed through the ledger as well.
//
// A failure prints the stream's seed (SCOPED_TRACE); `replay_shuffled(seed, ...)` or
// `replay_sorted(seed, ...)` reproduces it with the same binary or another compiler.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <random>
#include <sellerhealth/amazon.hpp>
#include <sellerhealth/calendar.hpp>
#include <sellerhealth/events.hpp>
#include <sellerhealth/ledger.hpp>
#include <sellerhealth/rate.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/event_view.hpp"
#include "support/naive_recount.hpp"
#include "support/scenario.hpp"

namespace {

using namespace std::chrono_literals;
namespace sh = sellerhealth;
namespace amazon = sellerhealth::amazon;
using naive::describe;
using naive::event_kind;
using naive::owned_event;
using sh::local_day;
using sh::sys_seconds;

using book_type = scenario::amazon_book;
using scenario::jst;
using scenario::view;

// ---- helpers --------------------------------------------------------------------------------

local_day day(std::chrono::year_month_day d) { return local_day{d}; }

std::string describe_log(const std::vector<owned_event>& log) {
  std::string out;
  for (const owned_event& e : log) out += "  " + describe(e) + "\n";
  return out;
}

/// Compares one policy for one seller at the end of `window_end` (ledger today = naive today).
template <class P>
::testing::AssertionResult same_metric(const book_type& book, const std::vector<owned_event>& log,
                                       const std::string& seller, naive::metric m, local_day window_end,
                                       std::size_t& nonzero) {
  const local_day today = *book.today();
  sh::metric_result got;
  try {
    got = book.evaluate<P>(seller, window_end);
  } catch (const std::exception& ex) {
    return ::testing::AssertionFailure() << P::id << " seller " << seller << " at " << sh::format_day(window_end)
                                         << " (today " << sh::format_day(today) << "): evaluate threw: " << ex.what();
  }
  const naive::counts want = naive::recount(log, seller, m, window_end, today);
  const sh::status want_status = sh::judge(sh::rate{want.numerator, want.denominator}, P::goal);
  const sh::day_range want_period = sh::window_spec{P::window}.period(window_end);
  if (want.numerator > 0) ++nonzero;
  if (got.counts.numerator == want.numerator && got.counts.denominator == want.denominator &&
      got.status == want_status && got.period == want_period)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << P::id << " seller " << seller << " window ending "
                                       << sh::format_day(window_end) << " (today " << sh::format_day(today)
                                       << "): ledger " << got.counts.numerator << "/" << got.counts.denominator << " "
                                       << sh::to_string(got.status) << ", naive " << want.numerator << "/"
                                       << want.denominator << " " << sh::to_string(want_status);
}

/// Every metric of every seller; `nonzero` counts the non-zero numerators seen (coverage).
::testing::AssertionResult same_metrics(const book_type& book, const std::vector<owned_event>& log,
                                        const std::vector<std::string>& sellers, local_day window_end,
                                        std::size_t& nonzero) {
  for (const std::string& s : sellers) {
    using naive::metric;
    if (auto r = same_metric<amazon::pre_fulfillment_cancel_rate>(book, log, s, metric::pfcr, window_end, nonzero); !r)
      return r;
    if (auto r = same_metric<amazon::late_shipment_rate_10d>(book, log, s, metric::lsr10, window_end, nonzero); !r)
      return r;
    if (auto r = same_metric<amazon::late_shipment_rate_30d>(book, log, s, metric::lsr30, window_end, nonzero); !r)
      return r;
  }
  return ::testing::AssertionSuccess();
}

// ---- the naive model against hand-computed values --------------------------------------------

owned_event placed(std::string order, std::string seller, sys_seconds at, sys_seconds ship_by,
                   std::uint32_t quantity = 1, sh::fulfilment channel = sh::fulfilment::merchant) {
  owned_event e;
  e.kind = event_kind::placed;
  e.order = std::move(order);
  e.seller = std::move(seller);
  e.at = at;
  e.ship_by = ship_by;
  e.quantity = quantity;
  e.channel = channel;
  return e;
}
owned_event simple(event_kind kind, std::string order, sys_seconds at) {
  owned_event e;
  e.kind = kind;
  e.order = std::move(order);
  e.at = at;
  return e;
}
owned_event shipped(std::string order, sys_seconds at) { return simple(event_kind::shipped, std::move(order), at); }
owned_event requested(std::string order, sys_seconds at) {
  return simple(event_kind::cancel_requested, std::move(order), at);
}
owned_event cancelled(std::string order, sys_seconds at, sh::actor by = sh::actor::seller,
                      std::optional<std::uint32_t> units = std::nullopt) {
  owned_event e = simple(event_kind::cancelled, std::move(order), at);
  e.actor = by;
  e.units = units;
  return e;
}
owned_event ship_by_changed(std::string order, sys_seconds at, sys_seconds ship_by) {
  owned_event e = simple(event_kind::ship_by_changed, std::move(order), at);
  e.ship_by = ship_by;
  return e;
}
owned_event exempted(std::string order, sys_seconds at, sh::exempt_from metric) {
  owned_event e = simple(event_kind::exempted, std::move(order), at);
  e.exempt = metric;
  return e;
}
owned_event refunded(std::string order, sys_seconds at, std::optional<std::uint32_t> units = std::nullopt) {
  owned_event e = simple(event_kind::refunded, std::move(order), at);
  e.units = units;
  return e;
}

/// Checks the naive recount against a hand-computed value, and replays the (valid) log through
/// the ledger (clock advanced to `today`) to check it against the same value.
void expect_counts(const std::vector<owned_event>& log, const std::string& seller, naive::metric m,
                   local_day window_end, local_day today, naive::counts want) {
  SCOPED_TRACE("log:\n" + describe_log(log) + "seller " + seller + ", window ending " + sh::format_day(window_end) +
               ", today " + sh::format_day(today));
  EXPECT_EQ(naive::recount(log, seller, m, window_end, today), want) << "naive recount";
  book_type book;
  for (const owned_event& e : log) {
    const auto r = book.try_record(view(e));
    ASSERT_FALSE(r.has_value()) << describe(e) << ": " << r->message;
  }
  book.advance_to(today);
  sh::metric_result got;
  switch (m) {
    case naive::metric::pfcr: got = book.evaluate<amazon::pre_fulfillment_cancel_rate>(seller, window_end); break;
    case naive::metric::lsr10: got = book.evaluate<amazon::late_shipment_rate_10d>(seller, window_end); break;
    case naive::metric::lsr30: got = book.evaluate<amazon::late_shipment_rate_30d>(seller, window_end); break;
  }
  EXPECT_EQ(got.counts.numerator, want.numerator) << "ledger numerator";
  EXPECT_EQ(got.counts.denominator, want.denominator) << "ledger denominator";
}

constexpr auto mar = std::chrono::March;
constexpr auto y26 = std::chrono::year{2026};

TEST(NaiveRecount, SellerCancelWithoutRequestCountsInPfcrAndLeavesLsr) {
  const std::vector<owned_event> log = {placed("A", "S1", jst(y26 / mar / 10, 10h), jst(y26 / mar / 11, 18h)),
                                        cancelled("A", jst(y26 / mar / 10, 12h))};
  expect_counts(log, "S1", naive::metric::pfcr, day(y26 / mar / 10), day(y26 / mar / 10), {1, 1});
  expect_counts(log, "S1", naive::metric::lsr10, day(y26 / mar / 12), day(y26 / mar / 12), {0, 0});
  expect_counts(log, "S2", naive::metric::pfcr, day(y26 / mar / 10), day(y26 / mar / 10), {0, 0});
}

TEST(NaiveRecount, SellerCancelAfterBuyerRequestDoesNotCountButBeforeItDoes) {
  const std::vector<owned_event> log = {
      placed("A", "S1", jst(y26 / mar / 10, 10h), jst(y26 / mar / 11, 18h)),
      requested("A", jst(y26 / mar / 10, 11h)),
      cancelled("A", jst(y26 / mar / 10, 12h)),  // after the request: not counted
      placed("B", "S1", jst(y26 / mar / 10, 10h), jst(y26 / mar / 11, 18h)),
      requested("B", jst(y26 / mar / 10, 12h)),
      cancelled("B", jst(y26 / mar / 10, 11h), sh::actor::seller, 1u),  // before the request: counted
  };
  expect_counts(log, "S1", naive::metric::pfcr, day(y26 / mar / 10), day(y26 / mar / 10), {1, 2});
}

TEST(NaiveRecount, EqualTimeRequestAndCancelFollowArrivalOrder) {
  const auto t = jst(y26 / mar / 10, 12h);
  const std::vector<owned_event> log = {
      placed("A", "S1", jst(y26 / mar / 10, 10h), jst(y26 / mar / 11, 18h)),
      requested("A", t),
      cancelled("A", t),  // request first in the log: preceded, not counted
      placed("B", "S1", jst(y26 / mar / 10, 10h), jst(y26 / mar / 11, 18h)),
      cancelled("B", t),
      requested("B", t),  // cancel first: not preceded, counted
      requested("B", t),  // a second equal-time request changes nothing
      placed("C", "S1", jst(y26 / mar / 10, 10h), jst(y26 / mar / 11, 18h), 2),
      requested("C", t + 1s),
      cancelled("C", t + 1s, sh::actor::seller, 1u),
      cancelled("C", t, sh::actor::buyer),  // buyer's cancel earlier: the seller's is still after the request
  };
  expect_counts(log, "S1", naive::metric::pfcr, day(y26 / mar / 12), day(y26 / mar / 12), {1, 3});
}

TEST(NaiveRecount, BuyerSelfCancelNeverCountsTheAutoCancelCountsUnderItsDay) {
  const std::vector<owned_event> log = {
      placed("A", "S1", jst(y26 / mar / 10, 10h), jst(y26 / mar / 11, 18h)),
      cancelled("A", jst(y26 / mar / 10, 12h), sh::actor::buyer),
      placed("B", "S1", jst(y26 / mar / 10, 10h), jst(y26 / mar / 11, 18h)),
      requested("B", jst(y26 / mar / 10, 11h)),
      cancelled("B", jst(y26 / mar / 18, 18h), sh::actor::platform),  // automatic, after the request: counts
  };
  // B is filed under Mar 18, the day of its automatic cancellation; A under Mar 10, uncounted.
  expect_counts(log, "S1", naive::metric::pfcr, day(y26 / mar / 15), day(y26 / mar / 18), {0, 1});
  expect_counts(log, "S1", naive::metric::pfcr, day(y26 / mar / 18), day(y26 / mar / 18), {1, 1});
  expect_counts(log, "S1", naive::metric::lsr10, day(y26 / mar / 18), day(y26 / mar / 18), {0, 0});
}

TEST(NaiveRecount, APlatformCancelBeforeTheDeadlineNeverCounts) {
  const std::vector<owned_event> log = {
      placed("A", "S1", jst(y26 / mar / 10, 10h), jst(y26 / mar / 11, 18h)),
      cancelled("A", jst(y26 / mar / 11, 18h), sh::actor::platform),  // at the deadline second: not overdue
      placed("B", "S1", jst(y26 / mar / 10, 10h), jst(y26 / mar / 11, 18h)),
      cancelled("B", jst(y26 / mar / 11, 18h) + 1s, sh::actor::platform),  // one second after: automatic
  };
  expect_counts(log, "S1", naive::metric::pfcr, day(y26 / mar / 11), day(y26 / mar / 11), {1, 2});
  expect_counts(log, "S1", naive::metric::pfcr, day(y26 / mar / 10), day(y26 / mar / 11), {0, 1});
}

TEST(NaiveRecount, ExemptionsLeaveTheNumeratorOnlyForTheirMetric) {
  const auto p = jst(y26 / mar / 10, 10h), sb = jst(y26 / mar / 11, 18h);
  const std::vector<owned_event> log = {
      placed("A", "S1", p, sb),
      cancelled("A", p + 1h, sh::actor::seller, 1u),
      exempted("A", p + 2h, sh::exempt_from::cancel),
      placed("B", "S1", p, sb),
      cancelled("B", p + 1h, sh::actor::seller, 1u),
      exempted("B", p + 2h, sh::exempt_from::late),
      placed("C", "S1", p, sb),
      cancelled("C", p + 1h, sh::actor::seller, 1u),
      exempted("C", p + 2h, sh::exempt_from::all),
      placed("D", "S1", p, sb),
      exempted("D", p + 2h, sh::exempt_from::cancel),  // unshipped, late
      placed("E", "S1", p, sb),
      exempted("E", p + 2h, sh::exempt_from::all),  // unshipped, late
      placed("F", "S1", p, sb, 2),                  // unshipped, late
  };
  expect_counts(log, "S1", naive::metric::pfcr, day(y26 / mar / 12), day(y26 / mar / 12), {1, 6});
  expect_counts(log, "S1", naive::metric::lsr10, day(y26 / mar / 12), day(y26 / mar / 12), {2, 3});
}

TEST(NaiveRecount, PlatformFulfilledOrdersAndOtherSellersAreIgnored) {
  const auto p = jst(y26 / mar / 10, 10h), sb = jst(y26 / mar / 11, 18h);
  const std::vector<owned_event> log = {
      placed("A", "S1", p, sb, 1, sh::fulfilment::platform),
      cancelled("A", p + 1h),
      placed("B", "S1", p, sb, 2),
      placed("C", "S2", p, sb),
      cancelled("C", p + 1h),
  };
  expect_counts(log, "S1", naive::metric::pfcr, day(y26 / mar / 12), day(y26 / mar / 12), {0, 1});
  expect_counts(log, "S2", naive::metric::pfcr, day(y26 / mar / 12), day(y26 / mar / 12), {1, 1});
  expect_counts(log, "S1", naive::metric::lsr30, day(y26 / mar / 12), day(y26 / mar / 12), {1, 1});
}

TEST(NaiveRecount, PfcrWindowIsSevenLocalPlacementDays) {
  // The window ending 3/10 is 3/4..3/10 in JST; JST midnight is 15:00 UTC the day before.
  const auto sb = jst(y26 / mar / 20, 18h);
  const std::vector<owned_event> log = {
      placed("A", "S1", jst(y26 / mar / 3, 23h + 59min + 59s), sb),
      cancelled("A", jst(y26 / mar / 11, 1h)),
      placed("B", "S1", jst(y26 / mar / 4), sb),
      cancelled("B", jst(y26 / mar / 11, 1h)),
      placed("C", "S1", jst(y26 / mar / 10, 23h + 59min + 59s), sb),
      cancelled("C", jst(y26 / mar / 11, 1h)),
      placed("D", "S1", jst(y26 / mar / 11), sb),
      cancelled("D", jst(y26 / mar / 11, 1h)),
      placed("E", "S1", jst(y26 / mar / 7), sb),
  };
  expect_counts(log, "S1", naive::metric::pfcr, day(y26 / mar / 10), day(y26 / mar / 11), {2, 3});
  expect_counts(log, "S1", naive::metric::pfcr, day(y26 / mar / 11), day(y26 / mar / 11), {2, 3});  // 3/5..3/11
}

TEST(NaiveRecount, LateMeansConfirmedAfterTheDeadlineSecondOrStillUnconfirmed) {
  const auto p = jst(y26 / mar / 9, 10h), sb = jst(y26 / mar / 10, 18h);
  const std::vector<owned_event> log = {
      placed("A", "S1", p, sb),
      shipped("A", sb),  // exactly at the deadline: on time
      placed("B", "S1", p, sb),
      shipped("B", sb + 1s),                           // one second after: late
      placed("C", "S1", p, sb),                        // unconfirmed past the deadline: late
      placed("D", "S1", p, jst(y26 / mar / 11, 10h)),  // ship-by day 3/11
  };
  expect_counts(log, "S1", naive::metric::lsr10, day(y26 / mar / 10), day(y26 / mar / 10), {2, 3});
  expect_counts(log, "S1", naive::metric::lsr10, day(y26 / mar / 10), day(y26 / mar / 11), {2, 3});
  expect_counts(log, "S1", naive::metric::lsr10, day(y26 / mar / 11), day(y26 / mar / 11), {3, 4});
}

TEST(NaiveRecount, OnlyWhollyCancelledOrdersLeaveLsr) {
  const auto p = jst(y26 / mar / 9, 10h), sb = jst(y26 / mar / 10, 18h);
  const std::vector<owned_event> log = {
      // A: 1 unit, then "every open unit" (2): wholly cancelled, out of LSR; a seller cancel in PFCR
      placed("A", "S1", p, sb, 3),
      cancelled("A", p + 1h, sh::actor::seller, 1u),
      cancelled("A", p + 2h, sh::actor::buyer),
      // B: item-level cancel, rest shipped late: stays, late
      placed("B", "S1", p, sb, 3),
      cancelled("B", p + 1h, sh::actor::buyer, 2u),
      shipped("B", sb + 1h),
      // C: item-level cancel, never shipped: stays, late
      placed("C", "S1", p, sb, 2),
      cancelled("C", p + 1h, sh::actor::buyer, 1u),
      // D: two item-level cancels adding up to the quantity: out
      placed("D", "S1", p, sb, 2),
      cancelled("D", p + 1h, sh::actor::buyer, 1u),
      cancelled("D", p + 3h, sh::actor::buyer, 1u),
  };
  expect_counts(log, "S1", naive::metric::lsr10, day(y26 / mar / 12), day(y26 / mar / 12), {2, 2});
  expect_counts(log, "S1", naive::metric::pfcr, day(y26 / mar / 12), day(y26 / mar / 12), {1, 4});
}

TEST(NaiveRecount, ShipByChangeWithTheLatestTimeWins) {
  const auto p = jst(y26 / mar / 5, 10h);
  const std::vector<owned_event> log = {
      placed("A", "S1", p, jst(y26 / mar / 10, 18h)),
      ship_by_changed("A", jst(y26 / mar / 6, 12h), jst(y26 / mar / 20, 18h)),
      ship_by_changed("A", jst(y26 / mar / 6, 10h),
                      jst(y26 / mar / 7, 18h)),  // older change, arrives later: superseded
      placed("B", "S1", p, jst(y26 / mar / 10, 18h)),
      ship_by_changed("B", jst(y26 / mar / 6, 12h), jst(y26 / mar / 20, 18h)),
      ship_by_changed("B", jst(y26 / mar / 6, 12h), jst(y26 / mar / 8, 18h)),  // equal time, later in the log: wins
      shipped("B", jst(y26 / mar / 9, 9h)),                                    // so B is late (3/8 deadline)
  };
  expect_counts(log, "S1", naive::metric::lsr10, day(y26 / mar / 12), day(y26 / mar / 21),
                {1, 1});  // B only (3/3..3/12)
  expect_counts(log, "S1", naive::metric::lsr10, day(y26 / mar / 20), day(y26 / mar / 21),
                {1, 1});  // A only (3/11..3/20)
  expect_counts(log, "S1", naive::metric::lsr30, day(y26 / mar / 21), day(y26 / mar / 21), {2, 2});
}

TEST(NaiveRecount, LsrWindowsAreTenAndThirtyShipByDays) {
  const std::vector<owned_event> log = {
      placed("A", "S1", jst(y26 / std::chrono::February / 27, 10h), jst(y26 / mar / 1, 18h)),
      shipped("A", jst(y26 / mar / 2, 9h)),  // late
      placed("B", "S1", jst(y26 / mar / 9, 10h), jst(y26 / mar / 11, 18h)),
      shipped("B", jst(y26 / mar / 10, 9h)),  // on time
  };
  expect_counts(log, "S1", naive::metric::lsr10, day(y26 / mar / 20), day(y26 / mar / 20), {0, 1});
  expect_counts(log, "S1", naive::metric::lsr10, day(y26 / mar / 21), day(y26 / mar / 21), {0, 0});
  expect_counts(log, "S1", naive::metric::lsr30, day(y26 / mar / 20), day(y26 / mar / 20), {1, 2});
  expect_counts(log, "S1", naive::metric::lsr30, day(y26 / mar / 30), day(y26 / mar / 30), {1, 2});
  expect_counts(log, "S1", naive::metric::lsr30, day(y26 / mar / 31), day(y26 / mar / 31), {0, 1});
}

TEST(NaiveRecount, RefundKeepsALateOrderLateAndPastDaysAreRestated) {
  const auto p = jst(y26 / mar / 5, 10h), sb = jst(y26 / mar / 6, 18h);
  const std::vector<owned_event> log = {
      placed("A", "S1", p, sb, 2), shipped("A", sb + 2h),
      refunded("A", sb + 5h, 1u),  refunded("A", sb + 6h),
      placed("B", "S1", p, sb),    cancelled("B", jst(y26 / mar / 12, 9h)),  // cancelled after the window's end
  };
  expect_counts(log, "S1", naive::metric::lsr10, day(y26 / mar / 8), day(y26 / mar / 12), {1, 1});
  // As of 3/12, the window ending 3/8 holds B's later cancellation.
  expect_counts(log, "S1", naive::metric::pfcr, day(y26 / mar / 8), day(y26 / mar / 12), {1, 2});
}

TEST(NaiveRecount, ExpectedRejectionFollowsTheRulesInOrder) {
  using code = sh::rejection_code;
  const auto p = jst(y26 / mar / 10, 10h), sb = jst(y26 / mar / 11, 18h);
  const std::vector<owned_event> log = {
      placed("A", "S1", p, sb, 3), cancelled("A", p + 1h, sh::actor::seller, 1u),
      shipped("A", p + 5h),        refunded("A", p + 6h, 1u),
      placed("B", "S1", p, sb, 2), cancelled("B", p + 1h),
  };
  const std::optional<local_day> today = day(y26 / mar / 31);
  const auto expect = [&](const owned_event& e, std::optional<code> want) {
    EXPECT_EQ(naive::expected_rejection(log, view(e), today, 30), want) << describe(e);
  };
  const auto old = jst(y26 / std::chrono::February / 28, 23h + 59min + 59s);  // just before 3/1, the horizon
  expect(placed("", "S1", p, sb), code::invalid_event);
  expect(placed("C", "", p, sb), code::invalid_event);
  expect(placed("C", "S1", p, sb, 0), code::invalid_event);
  expect(placed("A", "S1", old, sb), code::duplicate_order);
  expect(placed("C", "S1", old, sb), code::beyond_horizon);
  expect(placed("C", "S1", old + 1s, sb), std::nullopt);
  EXPECT_EQ(naive::expected_rejection(log, view(placed("C", "S1", old, sb)), std::nullopt, 30), std::nullopt);
  expect(shipped("", p), code::invalid_event);
  expect(shipped("Z", p), code::unknown_order);
  owned_event wrong = requested("A", old);
  wrong.seller = "S2";
  expect(wrong, code::seller_mismatch);
  wrong.seller = "S1";
  expect(wrong, code::beyond_horizon);
  expect(requested("A", p - 1s), code::before_placement);
  expect(requested("A", p), std::nullopt);
  expect(shipped("A", p + 9h), code::already_shipped);
  expect(shipped("B", p + 9h), code::fully_cancelled);
  expect(cancelled("A", p + 5h), code::shipped_order);                          // at the shipment second
  expect(cancelled("A", p + 4h, sh::actor::seller, 2u), code::too_many_units);  // 3 - 1 cancelled - 1 refunded = 1
  expect(cancelled("A", p + 4h, sh::actor::seller, 0u), code::invalid_event);
  expect(cancelled("A", p + 4h), std::nullopt);
  expect(cancelled("B", p + 2h), code::fully_cancelled);
  expect(refunded("B", p + 2h), code::not_shipped);
  expect(refunded("A", p + 4h), code::not_shipped);  // before the shipment
  expect(refunded("A", p + 5h, 2u), code::too_many_units);
  expect(refunded("A", p + 5h, 0u), code::invalid_event);
  expect(refunded("A", p + 5h), std::nullopt);
  expect(ship_by_changed("A", p + 20h, sb + 24h), std::nullopt);
  expect(exempted("B", p + 20h, sh::exempt_from::all), std::nullopt);

  // A shipment earlier than a recorded cancellation is a cancel "after" it.
  std::vector<owned_event> log2 = {placed("C", "S1", p, sb, 2), cancelled("C", p + 3h, sh::actor::seller, 1u)};
  EXPECT_EQ(naive::expected_rejection(log2, view(shipped("C", p + 2h)), today, 30), code::shipped_order);
  EXPECT_EQ(naive::expected_rejection(log2, view(shipped("C", p + 3h)), today, 30), std::nullopt);
  log2.push_back(refunded("C", p + 4h));  // not shipped yet in this log
  EXPECT_EQ(naive::expected_rejection({log2.begin(), log2.end() - 1}, view(log2.back()), today, 30), code::not_shipped);
}

// ---- random streams -------------------------------------------------------------------------

// Generator note: every random draw is its own statement (or sequenced by ?: / &&), never two in
// one argument list, so a seed gives the same stream whichever compiler built the test.

/// One event of a stream as it will arrive.
struct planned {
  owned_event e;
  std::int64_t key = 0;        // arrival order: sorted by key, ties keep generation order
  bool intended_valid = true;  // generated as a valid lifecycle step (it may still be rejected)
  int retries = 0;
};

class random_source {
 public:
  explicit random_source(std::uint64_t seed) : rng_(seed) {}
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
  }
  int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::uint32_t between(std::uint32_t lo, std::uint32_t hi) {
    return std::uniform_int_distribution<std::uint32_t>(lo, hi)(rng_);
  }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  std::chrono::seconds seconds(std::int64_t lo, std::int64_t hi) { return std::chrono::seconds{between(lo, hi)}; }

 private:
  std::mt19937_64 rng_;
};

constexpr std::int64_t hour = 3600;
constexpr std::int64_t one_day = 86400;

struct order_plan {
  std::string id;
  std::string seller;
  sys_seconds at;
  sys_seconds ship_by;
  std::uint32_t quantity;
  std::optional<sys_seconds> shipped_at;
};

struct stream {
  std::vector<std::string> sellers;  // every generated seller, plus one never seen
  std::vector<planned> events;       // in arrival order
};

/// A random stream: 2-6 sellers, 5-60 orders each over ~40 days in 2026, every event kind, ~5 %
/// invalid events. `shuffled`: arrival order is locally shuffled; otherwise events are sorted by
/// time and nothing is sent beyond the horizon.
stream make_stream(random_source& rnd, bool shuffled) {
  stream out;
  // One stream in five has a quiet gap of 50-120 days (longer than the ledger's 64-day ring)
  // before some of its orders: sellers untouched that long, then active again.
  const int gap_days = rnd.chance(0.2) ? rnd.between(50, 120) : 0;
  const local_day first_day = day(y26 / std::chrono::January / 1) + std::chrono::days{rnd.between(0, 320 - gap_days)};
  const sys_seconds start = jst(std::chrono::year_month_day{first_day});
  const std::int64_t span = 40 * one_day;
  std::vector<order_plan> orders;

  std::int64_t group_jitter = 0;
  const auto new_jitter = [&] {
    group_jitter = shuffled && rnd.chance(0.3) ? rnd.between(-2 * one_day, 2 * one_day) : 0;
  };
  const auto emit = [&](owned_event e, bool valid = true) {
    planned p;
    p.key = e.at.time_since_epoch().count() + group_jitter;
    p.e = std::move(e);
    p.intended_valid = valid;
    out.events.push_back(std::move(p));
  };
  const auto maybe_seller = [&](owned_event& e, const std::string& seller) {
    if (rnd.chance(0.2)) e.seller = seller;  // a matching seller on a non-placed event is fine
  };
  const auto random_actor = [&] {
    const int r = rnd.between(0, 3);
    return r <= 1 ? sh::actor::seller : r == 2 ? sh::actor::buyer : sh::actor::platform;
  };

  const int seller_count = rnd.between(2, 6);
  int order_number = 0;
  for (int s = 1; s <= seller_count; ++s) {
    const std::string seller = "S" + std::to_string(s);
    out.sellers.push_back(seller);
    const int order_count = rnd.between(5, 60);
    for (int k = 0; k < order_count; ++k) {
      order_plan o;
      o.id = "A-" + std::to_string(++order_number);
      o.seller = seller;
      o.at = start + rnd.seconds(0, span - 1);
      if (gap_days > 0 && rnd.chance(0.3)) o.at += std::chrono::days{gap_days};
      o.quantity = rnd.between(1u, 3u);
      if (rnd.chance(0.5)) {  // end of a JST day, as marketplaces set it
        o.ship_by = naive::jst_end(naive::jst_day(o.at) + std::chrono::days{rnd.between(0, 3)}) - 1s;
      } else if (rnd.chance(0.05)) {  // a far deadline: its day enters the windows long after
        o.ship_by = o.at + rnd.seconds(10 * one_day, 25 * one_day);
      } else {
        o.ship_by = o.at + rnd.seconds(2 * hour, 4 * one_day);
      }
      new_jitter();
      emit(placed(o.id, seller, o.at, o.ship_by, o.quantity,
                  rnd.chance(0.15) ? sh::fulfilment::platform : sh::fulfilment::merchant));

      sys_seconds deadline = o.ship_by;
      if (rnd.chance(0.15)) {  // ship-by changes, earlier or later
        new_jitter();
        const sys_seconds at = o.at + rnd.seconds(0, 2 * one_day);
        if (rnd.chance(0.1)) {  // a big move, far ahead or back past the windows
          deadline = deadline + (rnd.chance(0.5) ? rnd.seconds(10 * one_day, 25 * one_day)
                                                 : -rnd.seconds(10 * one_day, 45 * one_day));
        } else {
          deadline = deadline + (rnd.chance(0.5) ? rnd.seconds(hour, 3 * one_day) : -rnd.seconds(hour, 2 * one_day));
        }
        owned_event e = ship_by_changed(o.id, at, deadline);
        maybe_seller(e, seller);
        emit(e);
        if (rnd.chance(0.3)) {  // a second change, sometimes at the same second
          const sys_seconds at2 = rnd.chance(0.5) ? at : o.at + rnd.seconds(0, 2 * one_day);
          const sys_seconds other = o.ship_by + rnd.seconds(-one_day, 3 * one_day);
          if (at2 >= at) deadline = other;
          emit(ship_by_changed(o.id, at2, other));
        }
      }

      bool ship = true;
      sys_seconds last_cancel = o.at;
      if (rnd.chance(0.35)) {  // cancellations, with or without a buyer's request
        const bool request = rnd.chance(0.5);
        const sys_seconds request_at = o.at + rnd.seconds(0, 2 * one_day);
        const bool tie = request && rnd.chance(0.35);
        const sys_seconds cancel_at = tie ? request_at : o.at + rnd.seconds(0, 3 * one_day);
        const bool partial = o.quantity > 1 && rnd.chance(0.5);
        std::optional<std::uint32_t> units;
        if (partial)
          units = rnd.between(1u, o.quantity - 1);
        else if (rnd.chance(0.5))
          units = o.quantity;
        owned_event c = cancelled(o.id, cancel_at, tie ? sh::actor::seller : random_actor(), units);
        maybe_seller(c, seller);
        owned_event r = requested(o.id, request_at);
        new_jitter();
        if (request && tie && rnd.chance(0.5)) {  // equal-time pair, cancel first
          emit(c);
          emit(r);
        } else {
          if (request) emit(r);
          if (!tie) new_jitter();
          emit(c);
        }
        last_cancel = cancel_at;
        ship = partial;
        if (partial && rnd.chance(0.4)) {  // the rest, later
          new_jitter();
          const sys_seconds at = cancel_at + rnd.seconds(0, one_day);
          const sh::actor by = random_actor();
          emit(cancelled(o.id, at, by, rnd.chance(0.5) ? std::nullopt : std::optional{o.quantity - *units}));
          last_cancel = at;
          ship = false;
        }
      }
      if (ship && rnd.chance(0.8)) {
        sys_seconds at;
        switch (rnd.between(0, 2)) {
          case 0: at = deadline > o.at ? o.at + rnd.seconds(0, (deadline - o.at).count()) : o.at; break;  // on time
          case 1: at = deadline; break;                                 // at the second
          default: at = deadline + rnd.seconds(1, 3 * one_day); break;  // late
        }
        if (at < last_cancel) at = last_cancel + rnd.seconds(0, hour);
        if (last_cancel > o.at && rnd.chance(0.2)) at = last_cancel;  // shipped at an item-level cancel's second
        o.shipped_at = at;
        new_jitter();
        owned_event e = shipped(o.id, at);
        maybe_seller(e, seller);
        emit(e);
        if (rnd.chance(0.2)) {  // refunds after shipment (sometimes at the shipment second)
          new_jitter();
          const sys_seconds refund_at = rnd.chance(0.2) ? at : at + rnd.seconds(0, 5 * one_day);
          emit(refunded(o.id, refund_at, rnd.chance(0.5) ? std::nullopt : std::optional{1u}));
          if (rnd.chance(0.3)) emit(refunded(o.id, at + rnd.seconds(0, 6 * one_day)));
          if (at > o.at && rnd.chance(0.3)) {
            // A cancellation from before the shipment, arriving after the refund: "every open
            // unit" then means the units neither cancelled nor refunded.
            planned late;
            const sys_seconds cancel_at = o.at + rnd.seconds(0, (at - o.at).count() - 1);
            const sh::actor by = random_actor();
            late.e = cancelled(o.id, cancel_at, by, rnd.chance(0.7) ? std::nullopt : std::optional{1u});
            late.key = (refund_at + rnd.seconds(1, one_day)).time_since_epoch().count();
            out.events.push_back(std::move(late));
          }
        }
      } else if (ship && rnd.chance(0.5)) {
        // Never confirmed: the platform cancels, around the deadline (one second before, at it,
        // one second after: only after counts) or days later, as the automatic cancellation does.
        sys_seconds at;
        switch (rnd.between(0, 3)) {
          case 0: at = deadline - 1s; break;
          case 1: at = deadline; break;
          case 2: at = deadline + 1s; break;
          default: at = deadline + rnd.seconds(one_day, 12 * one_day); break;
        }
        if (at < last_cancel) at = last_cancel;
        new_jitter();
        owned_event e = cancelled(o.id, at, sh::actor::platform);
        maybe_seller(e, seller);
        emit(e);
      }
      if (rnd.chance(0.08)) {
        new_jitter();
        const int m = rnd.between(0, 2);
        emit(exempted(o.id, o.at + rnd.seconds(0, 10 * one_day),
                      m == 0   ? sh::exempt_from::cancel
                      : m == 1 ? sh::exempt_from::late
                               : sh::exempt_from::all));
      }
      orders.push_back(o);
    }
  }

  // ~5 % invalid events.
  const std::size_t invalid = out.events.size() / 20 + 1;
  for (std::size_t i = 0; i < invalid; ++i) {
    const order_plan& o = orders[static_cast<std::size_t>(rnd.between(0, static_cast<int>(orders.size()) - 1))];
    const sys_seconds soon = o.at + rnd.seconds(0, one_day);
    group_jitter = 0;
    switch (rnd.between(0, 10)) {
      case 0: emit(shipped("X-" + std::to_string(i), soon), false); break;                            // unknown order
      case 1: emit(placed(o.id, rnd.chance(0.5) ? o.seller : "S9", soon, soon + 24h), false); break;  // duplicate
      case 2:  // cancel at or after the shipment
        if (o.shipped_at) {
          const sys_seconds at = *o.shipped_at + (rnd.chance(0.3) ? 0s : rnd.seconds(1, hour));
          emit(cancelled(o.id, at, random_actor()), false);
        }
        break;
      case 3:  // too many units
        if (rnd.chance(0.5) || !o.shipped_at) {
          emit(cancelled(o.id, soon, sh::actor::seller, o.quantity + 1), false);
        } else {
          emit(refunded(o.id, *o.shipped_at + 1h, o.quantity + rnd.between(0u, 1u)), false);
        }
        break;
      case 4: emit(requested(o.id, o.at - rnd.seconds(1, one_day)), false); break;  // before placement
      case 5: emit(shipped(o.id, o.at - rnd.seconds(1, hour)), false); break;       // before placement
      case 6: {                                                                     // another seller
        owned_event e = requested(o.id, soon);
        e.seller = o.seller == "S1" ? "S2" : "S1";
        emit(e, false);
        break;
      }
      case 7: {  // beyond the horizon: an old time that arrives late
        if (!shuffled) break;
        owned_event e = rnd.chance(0.5) ? exempted(o.id, o.at - 45 * 24h, sh::exempt_from::all)
                                        : placed("H-" + std::to_string(i), o.seller, o.at - 40 * 24h, o.at);
        planned p;
        p.key = (o.at + rnd.seconds(0, 3 * one_day)).time_since_epoch().count();
        p.e = std::move(e);
        p.intended_valid = false;
        out.events.push_back(std::move(p));
        break;
      }
      case 8: {  // zero units, empty ids
        const int r = rnd.between(0, 3);
        if (r == 0) emit(cancelled(o.id, soon, sh::actor::seller, 0u), false);
        if (r == 1) emit(shipped("", soon), false);
        if (r == 2) emit(placed("E-" + std::to_string(i), "", soon, soon + 24h), false);
        if (r == 3) emit(placed("E-" + std::to_string(i), o.seller, soon, soon + 24h, 0), false);
        break;
      }
      case 9:  // a second shipment, or a refund before any shipment
        if (o.shipped_at) {
          emit(shipped(o.id, *o.shipped_at + rnd.seconds(0, hour)), false);
        } else {
          emit(refunded(o.id, soon), false);
        }
        break;
      default:  // shipping a possibly fully cancelled order
        emit(shipped(o.id, o.at + rnd.seconds(3 * one_day, 4 * one_day)), false);
        break;
    }
  }

  if (shuffled) {
    std::stable_sort(out.events.begin(), out.events.end(),
                     [](const planned& a, const planned& b) { return a.key < b.key; });
    // A few more local swaps of events within three days of each other.
    const std::size_t n = out.events.size();
    for (std::size_t i = 0; i < n / 10; ++i) {
      const auto a = static_cast<std::size_t>(rnd.between(0, static_cast<int>(n) - 1));
      const std::size_t b = std::min(n - 1, a + static_cast<std::size_t>(rnd.between(1, 6)));
      if (std::llabs(out.events[a].key - out.events[b].key) <= 3 * one_day) std::swap(out.events[a], out.events[b]);
    }
  } else {
    std::stable_sort(out.events.begin(), out.events.end(),
                     [](const planned& a, const planned& b) { return a.e.at < b.e.at; });
  }
  // Redeliveries: about one event in thirty arrives again, a few to a few hundred events later
  // (an at-least-once queue), sometimes after the horizon has passed it by.
  std::vector<planned> with_redeliveries;
  std::vector<std::pair<std::size_t, planned>> due;  // (position to insert before, the copy)
  for (std::size_t i = 0; i < out.events.size(); ++i) {
    for (std::size_t k = 0; k < due.size();)
      if (due[k].first == i) {
        with_redeliveries.push_back(due[k].second);
        due.erase(due.begin() + static_cast<std::ptrdiff_t>(k));
      } else {
        ++k;
      }
    with_redeliveries.push_back(out.events[i]);
    if (rnd.chance(1.0 / 30))
      due.emplace_back(i + 1 + static_cast<std::size_t>(rnd.chance(0.2) ? rnd.between(100, 400) : rnd.between(0, 8)),
                       out.events[i]);
  }
  for (auto& d : due) with_redeliveries.push_back(d.second);
  out.events = std::move(with_redeliveries);
  out.sellers.push_back("never-seen");
  return out;
}

/// What a stream covered, summed over all streams (to show the generator reaches every case).
struct coverage {
  std::size_t accepted = 0;
  std::size_t rejected = 0;
  std::size_t comparisons = 0;
  std::size_t advances = 0;
  std::size_t nonzero_numerators = 0;
  std::size_t duplicates = 0;
  std::array<std::size_t, 12> codes{};
  std::array<std::size_t, 7> kinds{};
};

/// Feeds one event to both sides; false (with a failure recorded) on a disagreement.
bool feed(book_type& book, std::vector<owned_event>& log, const planned& p, std::size_t position, coverage& cov,
          std::optional<sh::rejection_code>& code) {
  const sh::event e = view(p.e);
  const bool duplicate = naive::is_duplicate(log, p.e);
  const auto want = naive::expected_rejection(log, e, book.today(), book.horizon_days());
  const auto got = book.try_record(e);
  code = got ? std::optional{got->code} : std::nullopt;
  if (code != want) {
    ADD_FAILURE() << "event #" << position << " " << describe(p.e) << " (today "
                  << (book.today() ? sh::format_day(*book.today()) : std::string("unset")) << "): ledger "
                  << describe(code) << (got ? " '" + got->message + "'" : std::string()) << ", naive " << describe(want)
                  << "\nlog of this order:\n"
                  << [&] {
                       std::vector<owned_event> mine;
                       for (const owned_event& x : log)
                         if (x.order == p.e.order) mine.push_back(x);
                       return describe_log(mine);
                     }();
    return false;
  }
  if (got) {
    ++cov.rejected;
    ++cov.codes[static_cast<std::size_t>(got->code)];
  } else if (duplicate) {
    ++cov.duplicates;  // accepted, and the log already holds it
  } else {
    ++cov.accepted;
    ++cov.kinds[static_cast<std::size_t>(p.e.kind)];
    log.push_back(p.e);
  }
  return true;
}

bool compare_at(const book_type& book, const std::vector<owned_event>& log, const std::vector<std::string>& sellers,
                local_day window_end, coverage& cov) {
  const auto r = same_metrics(book, log, sellers, window_end, cov.nonzero_numerators);
  ++cov.comparisons;
  if (!r) {
    ADD_FAILURE() << r.message();
    return false;
  }
  return true;
}

/// Compares every metric of every seller at today() and at a random day within the horizon.
bool compare_now(const book_type& book, const std::vector<owned_event>& log, const std::vector<std::string>& sellers,
                 random_source& rnd, coverage& cov) {
  const local_day today = *book.today();
  if (!compare_at(book, log, sellers, today, cov)) return false;
  const local_day past =
      today - std::chrono::days{rnd.chance(0.1) ? book.horizon_days() : rnd.between(1, book.horizon_days())};
  return compare_at(book, log, sellers, past, cov);
}

/// Sends events at the horizon's first second, or the second before it: a new order, and an event
/// for an order already recorded.
bool probe_horizon(book_type& book, std::vector<owned_event>& log, const stream& s, random_source& rnd,
                   std::size_t position, coverage& cov, int& probes) {
  const local_day oldest = *book.today() - std::chrono::days{book.horizon_days()};
  const sys_seconds edge = jst(std::chrono::year_month_day{oldest});
  std::optional<sh::rejection_code> code;
  planned p;
  const std::string& seller =
      s.sellers[static_cast<std::size_t>(rnd.between(0, static_cast<int>(s.sellers.size()) - 2))];
  sys_seconds at = edge - (rnd.chance(0.5) ? 1s : 0s);
  const sys_seconds ship_by = at + rnd.seconds(hour, 3 * one_day);
  p.e = placed("HZ-" + std::to_string(++probes), seller, at, ship_by, rnd.between(1u, 2u));
  if (!feed(book, log, p, position, cov, code)) return false;
  if (log.empty()) return true;
  const owned_event& target = log[static_cast<std::size_t>(rnd.between(0, static_cast<int>(log.size()) - 1))];
  at = edge - (rnd.chance(0.5) ? 1s : 0s);
  p.e = rnd.chance(0.5) ? requested(target.order, at) : exempted(target.order, at, sh::exempt_from::late);
  return feed(book, log, p, position, cov, code);
}

/// Replays one shuffled stream with random comparison batches and clock advances.
void replay_shuffled(std::uint64_t seed, coverage& cov) {
  SCOPED_TRACE("seed " + std::to_string(seed) + " (shuffled stream)");
  random_source rnd(seed);
  stream s = make_stream(rnd, true);
  book_type book;
  std::vector<owned_event> log;
  int until_check = rnd.between(60, 320);
  int probes = 0;
  for (std::size_t i = 0; i < s.events.size(); ++i) {
    const planned p = s.events[i];
    std::optional<sh::rejection_code> code;
    if (!feed(book, log, p, i, cov, code)) return;
    // A valid step that arrived before what it depends on is sent again a little later.
    if (code && p.intended_valid && p.retries < 3 &&
        (*code == sh::rejection_code::unknown_order || *code == sh::rejection_code::not_shipped)) {
      planned again = p;
      ++again.retries;
      const std::size_t at = std::min(s.events.size(), i + 1 + static_cast<std::size_t>(rnd.between(1, 30)));
      s.events.insert(s.events.begin() + static_cast<std::ptrdiff_t>(at), again);
    }
    if (--until_check == 0 && book.today()) {
      until_check = rnd.between(60, 320);
      if (!compare_now(book, log, s.sellers, rnd, cov)) return;
      if (rnd.chance(0.25)) {  // deadlines pass with no event
        book.advance_to(*book.today() + std::chrono::days{rnd.between(0, 3)});
        ++cov.advances;
        if (!compare_now(book, log, s.sellers, rnd, cov)) return;
      }
      if (rnd.chance(0.5) && !probe_horizon(book, log, s, rnd, i, cov, probes)) return;
    }
  }
  if (!book.today()) return;
  book.advance_to(*book.today() + std::chrono::days{rnd.between(0, 12)});
  ++cov.advances;
  if (!compare_now(book, log, s.sellers, rnd, cov)) return;
  // The horizon's edges: today - horizon_days is accepted, tomorrow is not.
  const local_day today = *book.today();
  if (!compare_at(book, log, s.sellers, today - std::chrono::days{book.horizon_days()}, cov)) return;
  EXPECT_THROW((void)book.evaluate<amazon::late_shipment_rate_30d>(s.sellers.front(), today + std::chrono::days{1}),
               sh::error);
}

/// Replays one time-sorted stream, comparing at the end of every day with events.
void replay_sorted(std::uint64_t seed, coverage& cov) {
  SCOPED_TRACE("seed " + std::to_string(seed) + " (time-sorted stream)");
  random_source rnd(seed);
  const stream s = make_stream(rnd, false);
  book_type book;
  std::vector<owned_event> log;
  for (std::size_t i = 0; i < s.events.size(); ++i) {
    const planned& p = s.events[i];
    // The day is over when the next event falls on a later day: judge it now.
    if (book.today() && naive::jst_day(p.e.at) > *book.today() && !compare_now(book, log, s.sellers, rnd, cov)) return;
    std::optional<sh::rejection_code> code;
    if (!feed(book, log, p, i, cov, code)) return;
  }
  if (!book.today()) return;
  for (int k = 0; k < 3; ++k) {  // and the days after the last event
    book.advance_to(*book.today() + std::chrono::days{rnd.between(1, 4)});
    ++cov.advances;
    if (!compare_now(book, log, s.sellers, rnd, cov)) return;
  }
}

std::string summary(const coverage& cov) {
  std::ostringstream out;
  out << cov.accepted << " accepted, " << cov.rejected << " rejected, " << cov.comparisons << " comparisons, "
      << cov.advances << " advances, " << cov.nonzero_numerators << " non-zero numerators, " << cov.duplicates
      << " redeliveries recognised; accepted kinds:";
  for (const std::size_t k : cov.kinds) out << " " << k;
  out << "; rejection codes:";
  for (const std::size_t c : cov.codes) out << " " << c;
  return out.str();
}

TEST(Differential, ShuffledStreamsMatchTheNaiveRecount) {
  coverage cov;
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    replay_shuffled(seed, cov);
    if (HasFailure()) break;
  }
  std::cout << "[ coverage ] " << summary(cov) << "\n";
  // The generator must reach every event kind and every rejection it aims for.
  for (const std::size_t k : cov.kinds) EXPECT_GT(k, 0u);
  EXPECT_GT(cov.duplicates, 1000u);
  for (const auto c :
       {sh::rejection_code::invalid_event, sh::rejection_code::duplicate_order, sh::rejection_code::unknown_order,
        sh::rejection_code::seller_mismatch, sh::rejection_code::before_placement, sh::rejection_code::beyond_horizon,
        sh::rejection_code::already_shipped, sh::rejection_code::fully_cancelled, sh::rejection_code::shipped_order,
        sh::rejection_code::not_shipped, sh::rejection_code::too_many_units})
    EXPECT_GT(cov.codes[static_cast<std::size_t>(c)], 0u) << "rejection code " << static_cast<int>(c) << " never hit";
}

TEST(Differential, RecordAllDecidesAndCountsLikeOneEventAtATime) {
  std::size_t rejections = 0;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    random_source rnd(seed);
    const stream s = make_stream(rnd, true);
    std::vector<sh::event> events;
    for (const planned& p : s.events) events.push_back(view(p.e));
    book_type one_by_one, batched;
    std::vector<std::string> expected, got;
    for (std::size_t i = 0; i < events.size(); ++i)
      if (auto r = one_by_one.try_record(events[i])) expected.push_back(std::to_string(i) + ": " + r->message);
    batched.record_all(
        events.begin(), events.end(), [](const sh::event& e) -> const sh::event& { return e; },
        [&](std::size_t i, const sh::rejection& r) { got.push_back(std::to_string(i) + ": " + r.message); });
    ASSERT_EQ(got, expected) << "seed " << seed;
    rejections += got.size();
    ASSERT_EQ(batched.today(), one_by_one.today());
    if (!batched.today()) continue;
    for (const std::string& seller : s.sellers)
      for (int back = 0; back <= batched.horizon_days(); back += 3) {
        const local_day day = *batched.today() - std::chrono::days{back};
        const auto a = batched.evaluate<scenario::lsr30>(seller, day),
                   b = one_by_one.evaluate<scenario::lsr30>(seller, day);
        const auto c = batched.evaluate<scenario::pfcr>(seller, day),
                   d = one_by_one.evaluate<scenario::pfcr>(seller, day);
        ASSERT_EQ(a.counts, b.counts) << "seed " << seed << " " << seller << " " << sh::format_day(day);
        ASSERT_EQ(c.counts, d.counts) << "seed " << seed << " " << seller << " " << sh::format_day(day);
      }
  }
  EXPECT_GT(rejections, 1000u);  // the streams hold invalid events too
}

TEST(Differential, TimeSortedStreamsMatchTheNaiveRecountEveryDay) {
  coverage cov;
  for (std::uint64_t seed = 100001; seed <= 100070; ++seed) {
    replay_sorted(seed, cov);
    if (HasFailure()) break;
  }
  std::cout << "[ coverage ] " << summary(cov) << "\n";
  for (const std::size_t k : cov.kinds) EXPECT_GT(k, 0u);
}

}  // namespace
