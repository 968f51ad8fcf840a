// Differential tests of the Qoo10 rules: the ledger against a naive recount
// (tests/support/naive_qoo10.hpp).
//
// Random event streams (several sellers, 8-15 months, so several quarters and a year boundary;
// every event kind, quick and partial cancels, exemptions) are replayed through
// `sellerhealth::ledger` and logged for the naive model, which rescans the log for every answer.
// At checkpoints along each stream (sometimes after `advance_to`), for every seller and one the
// ledger never saw, the full `penalty_history` of both rules, the month- and quarter-to-date
// metrics at random days (counts, status, headroom, low volume) and `next_penalty` of both rules
// are compared. Half of the streams arrive in time order; the other half with local shuffles (most
// events late by up to four days, a few by up to 25), so that events of a closed period arrive after
// its evaluation day (amendments).
// The naive model itself is checked against hand-computed cases first (`NaiveQoo10`).
//
// A failure names the stream's seed and variant; `replay(seed, shuffled, ...)` reproduces it.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <sellerhealth/calendar.hpp>
#include <sellerhealth/events.hpp>
#include <sellerhealth/ledger.hpp>
#include <sellerhealth/qoo10.hpp>
#include <sellerhealth/rate.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/event_view.hpp"
#include "support/naive_qoo10.hpp"
#include "support/naive_recount.hpp"
#include "support/scenario.hpp"

namespace {

using namespace std::chrono_literals;
namespace sh = sellerhealth;
namespace qoo10 = sellerhealth::qoo10;
namespace nq = naive_qoo10;
using naive::describe;
using naive::event_kind;
using naive::owned_event;
using sh::local_day;
using sh::sys_seconds;

using book_type = scenario::qoo10_book;
using scenario::view;
using scenario::qoo10_clock::day;
using scenario::qoo10_clock::jst;

// ---- events -----------------------------------------------------------------------------------

owned_event make(event_kind kind, std::string order, sys_seconds at) {
  owned_event e;
  e.kind = kind;
  e.order = std::move(order);
  e.at = at;
  return e;
}
owned_event placed(std::string order, std::string seller, sys_seconds at, std::uint32_t quantity = 1) {
  owned_event e = make(event_kind::placed, std::move(order), at);
  e.seller = std::move(seller);
  e.ship_by = at + 72h;
  e.quantity = quantity;
  return e;
}
owned_event cancelled(std::string order, sys_seconds at, std::optional<std::uint32_t> units = std::nullopt,
                      sh::actor by = sh::actor::seller) {
  owned_event e = make(event_kind::cancelled, std::move(order), at);
  e.units = units;
  e.actor = by;
  return e;
}
owned_event exempted(std::string order, sys_seconds at, sh::exempt_from metric) {
  owned_event e = make(event_kind::exempted, std::move(order), at);
  e.exempt = metric;
  return e;
}

// ---- the naive model against hand-computed values ----------------------------------------------

TEST(NaiveQoo10, CountsCancelsAsOfACutoff) {
  const std::vector<owned_event> log = {
      placed("A", "S", jst(2026, 9, 10)),
      cancelled("A", jst(2026, 9, 10, 16h)),  // exactly 6 h: neither
      placed("B", "S", jst(2026, 9, 10)),
      cancelled("B", jst(2026, 9, 10, 16h + 1s)),  // 6 h 1 s: cancelled
      placed("C", "S", jst(2026, 9, 10), 2),
      cancelled("C", jst(2026, 9, 10, 11h), 1),  // partial: paid
      placed("D", "S", jst(2026, 9, 10)),
      cancelled("D", jst(2026, 9, 30, 23h)),
      exempted("D", jst(2026, 10, 2), sh::exempt_from::cancel),  // exempted later
      placed("E", "S", jst(2026, 9, 30, 23h)),
      cancelled("E", jst(2026, 10, 1, 3h)),  // quick, after the period
      placed("F", "S", jst(2026, 9, 10)),
      exempted("F", jst(2026, 9, 11), sh::exempt_from::late),
      cancelled("F", jst(2026, 9, 12)),  // a late exemption: counts
  };
  const auto index = nq::index_log(log);
  // At Oct 1 00:00: B, D, F cancelled; C and E paid; A in neither: 3/5.
  EXPECT_EQ(nq::count(index, "S", day(2026, 9, 1), day(2026, 9, 30), naive::jst_start(day(2026, 10, 1))),
            (nq::counts{3, 5}));
  // With everything: D exempted (paid), E a quick cancel (neither): 2/4.
  EXPECT_EQ(nq::count(index, "S", day(2026, 9, 1), day(2026, 9, 30), sys_seconds::max()), (nq::counts{2, 4}));
  // At Sep 10 12:00: A, B, C, D, F are paid and none wholly cancelled (C partly); E is not paid
  // yet: 0/5.
  EXPECT_EQ(nq::count(index, "S", day(2026, 9, 1), day(2026, 9, 30), jst(2026, 9, 10, 12h)), (nq::counts{0, 5}));
}

TEST(NaiveQoo10, TiersFollowTheRules) {
  using nq::counts;
  EXPECT_EQ(nq::monthly_tier(counts{7, 100}), nq::tier_none);
  EXPECT_EQ(nq::monthly_tier(counts{7, 99}), nq::tier_warning);
  EXPECT_EQ(nq::monthly_tier(counts{4, 8}), nq::tier_none);
  EXPECT_EQ(nq::monthly_tier(counts{5, 9}), nq::tier_warning);
  EXPECT_EQ(nq::quarterly_tier(counts{10, 100}, nq::tier_none), nq::tier_none);
  EXPECT_EQ(nq::quarterly_tier(counts{15, 100}, nq::tier_capped), nq::tier_mega);
  EXPECT_EQ(nq::quarterly_tier(counts{16, 100}, nq::tier_mega), nq::tier_capped);
  EXPECT_EQ(nq::quarterly_tier(counts{16, 100}, nq::tier_capped), nq::tier_restricted);
  EXPECT_EQ(nq::quarterly_tier(counts{16, 100}, nq::tier_restricted), nq::tier_restricted);
  EXPECT_EQ(nq::quarterly_tier(counts{4, 9}, nq::tier_none), nq::tier_none);
  EXPECT_EQ(nq::quarterly_tier(counts{2, 10}, nq::tier_none), nq::tier_capped);
}

TEST(NaiveQoo10, HistoryJudgesEachPeriodAtItsEnd) {
  std::vector<owned_event> log;
  // Q3: 10 orders, 2 cancelled (20 %); Q4: 10 orders, 2 cancelled (20 %), one more cancelled on
  // Jan 1 (after Q4 closed).
  for (int i = 0; i < 10; ++i) log.push_back(placed("P" + std::to_string(i), "S", jst(2026, 9, 10)));
  log.push_back(cancelled("P0", jst(2026, 9, 11)));
  log.push_back(cancelled("P1", jst(2026, 9, 11)));
  for (int i = 0; i < 10; ++i) log.push_back(placed("Q" + std::to_string(i), "S", jst(2026, 12, 10)));
  log.push_back(cancelled("Q0", jst(2026, 12, 11)));
  log.push_back(cancelled("Q1", jst(2026, 12, 11)));
  log.push_back(cancelled("Q2", jst(2027, 1, 1)));
  const auto index = nq::index_log(log);
  const auto h = nq::history(index, "S", nq::rule::quarterly, day(2026, 9, 10), day(2027, 1, 1));
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].on, day(2026, 10, 1));
  EXPECT_EQ(h[0].from, day(2026, 7, 1));
  EXPECT_EQ(h[0].c, (nq::counts{2, 10}));
  EXPECT_EQ(h[0].tier, nq::tier_capped);
  EXPECT_EQ(h[1].on, day(2027, 1, 1));
  EXPECT_EQ(h[1].from, day(2026, 10, 1));
  EXPECT_EQ(h[1].to, day(2026, 12, 31));
  EXPECT_EQ(h[1].c, (nq::counts{2, 10}));
  EXPECT_EQ(h[1].tier, nq::tier_restricted);
  const auto m = nq::history(index, "S", nq::rule::monthly, day(2026, 9, 10), day(2027, 1, 1));
  ASSERT_EQ(m.size(), 4u);  // Oct 1, Nov 1, Dec 1, Jan 1
  EXPECT_EQ(m[1].c, (nq::counts{0, 0}));
  EXPECT_EQ(m[3].c, (nq::counts{2, 10}));
  EXPECT_EQ(m[3].tier, nq::tier_warning);
  // The projection on Jan 1: Q1 2027 has no orders yet.
  const auto p = nq::project(index, "S", nq::rule::quarterly, day(2027, 1, 1), h.back().tier);
  EXPECT_EQ(p.on, day(2027, 4, 1));
  EXPECT_EQ(p.c, (nq::counts{0, 0}));
  EXPECT_EQ(p.tier, nq::tier_none);
  EXPECT_TRUE(p.steps.empty());
  // On Dec 20 (the Jan 1 cancel not logged yet), Q4 so far is 2/10 = 20 % after a capped Q3:
  // account_restricted already, nothing worse to reach.
  log.pop_back();
  const auto before = nq::index_log(log);
  const auto q = nq::project(before, "S", nq::rule::quarterly, day(2026, 12, 20), h.front().tier);
  EXPECT_EQ(q.on, day(2027, 1, 1));
  EXPECT_EQ(q.c, (nq::counts{2, 10}));
  EXPECT_EQ(q.tier, nq::tier_restricted);
  EXPECT_TRUE(q.steps.empty());
  // The month so far: 2/10 = 20 % warns already; the warning is the only tier.
  const auto m2 = nq::project(before, "S", nq::rule::monthly, day(2026, 12, 20), nq::tier_none);
  EXPECT_EQ(m2.c, (nq::counts{2, 10}));
  EXPECT_EQ(m2.tier, nq::tier_warning);
  EXPECT_TRUE(m2.steps.empty());
  // 10 orders, none cancelled: 1 more cancel is 10 % (no restriction), the 2nd is 20 %, above
  // 15 % at once: listing_capped, with Mega-wari restriction never the tier on its own.
  std::vector<owned_event> fresh;
  for (int i = 0; i < 10; ++i) fresh.push_back(placed("R" + std::to_string(i), "S", jst(2026, 9, 10)));
  const auto r = nq::project(nq::index_log(fresh), "S", nq::rule::quarterly, day(2026, 9, 20), nq::tier_none);
  EXPECT_EQ(r.c, (nq::counts{0, 10}));
  const std::vector<std::pair<std::string_view, std::uint64_t>> steps = {{nq::tier_capped, 1}};
  EXPECT_EQ(r.steps, steps);
}

// ---- random streams ------------------------------------------------------------------------------

struct random_source {
  std::mt19937_64 engine;
  /// Uniform in lo..hi (both included).
  std::int64_t uniform(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(engine() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return static_cast<double>(engine() >> 11) * 0x1.0p-53 < p; }
  std::chrono::seconds seconds(std::chrono::seconds lo, std::chrono::seconds hi) {
    return std::chrono::seconds{uniform(lo.count(), hi.count())};
  }
};

/// Tallies over all streams, to show what the streams exercised.
struct coverage {
  std::map<std::string, std::size_t> monthly_tiers, quarterly_tiers;
  std::size_t quick_cancels = 0, partial_cancels = 0, exemptions = 0, late_for_closed_period = 0;
  std::size_t history_entries = 0, metric_checks = 0, bad_metrics = 0, projections = 0, year_boundaries = 0;
};

struct stream {
  std::vector<owned_event> events;  // in arrival order
  std::vector<std::string> sellers;
};

struct stream_builder {
  random_source& rnd;
  coverage& cov;
  std::vector<owned_event> events;
  std::vector<std::size_t> order_of;  // per event: its order's number
  std::size_t orders = 0;

  void add(owned_event e) {
    events.push_back(std::move(e));
    order_of.push_back(orders);
  }

  /// One order of `seller` paid on local day `d`, cancelled with probability `p`.
  void order(const std::string& seller, local_day d, double p) {
    ++orders;
    const std::string id = "O" + std::to_string(orders);
    std::chrono::seconds time_of_day = rnd.seconds(0s, 86399s);
    if (rnd.chance(0.15)) time_of_day = rnd.seconds(23h, 86399s);  // late in the day: quick cancels straddle it
    const sys_seconds t0 = naive::jst_start(d) + time_of_day;
    const auto quantity = static_cast<std::uint32_t>(rnd.chance(0.7) ? 1 : rnd.uniform(2, 3));
    owned_event p0 = placed(id, seller, t0, quantity);
    p0.ship_by = t0 + rnd.seconds(24h, 96h);
    if (rnd.chance(0.2)) p0.channel = sh::fulfilment::platform;
    add(p0);
    if (rnd.chance(0.2)) {
      owned_event e = make(event_kind::ship_by_changed, id, t0 + rnd.seconds(0s, 72h));
      e.ship_by = t0 + rnd.seconds(24h, 144h);
      add(e);
    }
    const auto actor = [&] { return static_cast<sh::actor>(rnd.uniform(0, 2)); };
    const auto ship_and_maybe_refund = [&](sys_seconds after, std::uint32_t open) {
      const sys_seconds shipped_at = after + rnd.seconds(600s, 96h);
      add(make(event_kind::shipped, id, shipped_at));
      if (rnd.chance(0.1)) {
        owned_event r = make(event_kind::refunded, id, shipped_at + rnd.seconds(0s, 120h));
        if (open > 1 && rnd.chance(0.5)) r.units = 1;
        add(r);
      }
    };
    std::optional<sys_seconds> cancelled_at;  // the last cancellation's time, if any
    if (rnd.chance(p)) {
      const std::int64_t kind = rnd.uniform(0, 9);
      std::chrono::seconds delay = rnd.seconds(6h + 1s, 144h);
      if (kind <= 1) delay = rnd.seconds(60s, 6h - 1s);
      if (kind == 2) delay = rnd.chance(0.5) ? std::chrono::seconds{6h} : std::chrono::seconds{6h + 1s};
      if (delay <= 6h) ++cov.quick_cancels;
      const sys_seconds tc = t0 + delay;
      if (rnd.chance(0.3)) add(make(event_kind::cancel_requested, id, t0 + rnd.seconds(0s, delay)));
      if (quantity > 1 && rnd.chance(0.4)) {
        ++cov.partial_cancels;
        const sys_seconds tp = t0 + rnd.seconds(1s, delay - 1s);
        add(cancelled(id, tp, 1, actor()));
        cancelled_at = tp;
        if (rnd.chance(0.75)) {
          add(cancelled(id, tc, rnd.chance(0.5) ? std::nullopt : std::optional{quantity - 1}, actor()));
          cancelled_at = tc;
        } else if (rnd.chance(0.7)) {
          ship_and_maybe_refund(tp, quantity - 1);
        }
      } else {
        add(cancelled(id, tc, rnd.chance(0.5) ? std::nullopt : std::optional{quantity}, actor()));
        cancelled_at = tc;
      }
    } else if (rnd.chance(0.85)) {
      ship_and_maybe_refund(t0, quantity);
    }
    if (rnd.chance(0.12)) {
      ++cov.exemptions;
      // Often soon after the cancellation, so that a late cancellation and its exemption straddle
      // an evaluation day.
      const sys_seconds at =
          cancelled_at && rnd.chance(0.5) ? *cancelled_at + rnd.seconds(0s, 48h) : t0 + rnd.seconds(0s, 480h);
      add(exempted(id, at, static_cast<sh::exempt_from>(rnd.uniform(0, 2))));
    }
  }
};

/// A random stream: 3-5 sellers over 8-15 months starting between May and November (so at least
/// one Jan 1 is crossed). With `shuffled`, about 30 % of the events arrive late, most by up to four
/// days, a few by up to 25 (within the 30-day horizon), each order's `placed` still first and its
/// cancellations, shipment and refunds still in order; exemptions, cancel requests and ship-by
/// changes may overtake them.
stream make_stream(std::uint64_t seed, bool shuffled, coverage& cov) {
  random_source rnd{std::mt19937_64{seed}};
  stream out;
  const int year = 2025 + static_cast<int>(rnd.uniform(0, 1));
  const auto start_ymd = std::chrono::year_month_day{std::chrono::year{year},
                                                     std::chrono::month{static_cast<unsigned>(rnd.uniform(5, 11))},
                                                     std::chrono::day{static_cast<unsigned>(rnd.uniform(1, 28))}};
  const local_day start{start_ymd};
  const local_day end{start_ymd + std::chrono::months{static_cast<int>(rnd.uniform(8, 15))}};
  ++cov.year_boundaries;

  struct seller_plan {
    std::string id;
    local_day from;
    bool big;
    std::map<int, double> quarter_rate;  // by year * 4 + quarter
  };
  static constexpr std::array<double, 8> rates = {0.0, 0.03, 0.07, 0.1, 0.13, 0.17, 0.3, 0.6};
  std::vector<seller_plan> plans;
  const auto seller_count = rnd.uniform(3, 5);
  for (std::int64_t i = 0; i < seller_count; ++i) {
    seller_plan s{"S" + std::to_string(i + 1), start, i == 0 || rnd.chance(0.3), {}};
    if (i > 0) s.from = start + std::chrono::days{rnd.uniform(0, 150)};
    out.sellers.push_back(s.id);
    plans.push_back(std::move(s));
  }

  stream_builder b{rnd, cov, {}, {}, 0};
  for (local_day d = start; d <= end; d += std::chrono::days{1}) {
    const std::chrono::year_month_day ymd{d};
    const int quarter =
        static_cast<int>(ymd.year()) * 4 + static_cast<int>((static_cast<unsigned>(ymd.month()) - 1) / 3);
    const bool month_edge = std::chrono::year_month_day{d + std::chrono::days{1}}.day() == std::chrono::day{1} ||
                            ymd.day() == std::chrono::day{1};
    for (seller_plan& s : plans) {
      if (d < s.from) continue;
      auto found = s.quarter_rate.find(quarter);
      if (found == s.quarter_rate.end())
        found =
            s.quarter_rate
                .emplace(quarter,
                         rates[static_cast<std::size_t>(rnd.uniform(0, static_cast<std::int64_t>(rates.size()) - 1))])
                .first;
      const double p = std::min(1.0, std::max(0.0, found->second + static_cast<double>(rnd.uniform(-2, 2)) * 0.02));
      std::int64_t n = s.big ? rnd.uniform(0, 1) : (rnd.chance(0.12) ? 1 : 0);
      if (month_edge && rnd.chance(0.4)) n += 1;
      for (std::int64_t k = 0; k < n; ++k) b.order(s.id, d, p);
    }
  }

  // Time order (equal times keep creation order, which puts each order's `placed` first).
  std::vector<std::size_t> by_time(b.events.size());
  for (std::size_t i = 0; i < by_time.size(); ++i) by_time[i] = i;
  std::stable_sort(by_time.begin(), by_time.end(),
                   [&](std::size_t x, std::size_t y) { return b.events[x].at < b.events[y].at; });
  if (shuffled) {
    std::vector<sys_seconds> key(b.events.size());
    std::map<std::size_t, std::pair<sys_seconds, sys_seconds>> last;  // order -> (placed key, last dependent key)
    for (const std::size_t i : by_time) {
      const owned_event& e = b.events[i];
      sys_seconds k = e.at;
      if (rnd.chance(0.3)) k += rnd.chance(0.05) ? rnd.seconds(0s, 600h) : rnd.seconds(0s, 96h);
      if (e.kind == event_kind::placed) {
        last[b.order_of[i]] = {k, k};
      } else {
        auto& [placed_key, dependent_key] = last[b.order_of[i]];
        k = std::max(k, placed_key);
        if (e.kind == event_kind::cancelled || e.kind == event_kind::shipped || e.kind == event_kind::refunded) {
          k = std::max(k, dependent_key);
          dependent_key = k;
        }
      }
      key[i] = k;
    }
    std::vector<std::size_t> rank(b.events.size());
    for (std::size_t r = 0; r < by_time.size(); ++r) rank[by_time[r]] = r;
    std::sort(by_time.begin(), by_time.end(),
              [&](std::size_t x, std::size_t y) { return key[x] != key[y] ? key[x] < key[y] : rank[x] < rank[y]; });
  }
  for (const std::size_t i : by_time) out.events.push_back(std::move(b.events[i]));
  return out;
}

// ---- comparisons -------------------------------------------------------------------------------

std::string text(const nq::counts& c) { return std::to_string(c.numerator) + "/" + std::to_string(c.denominator); }
std::string text(const sh::rate& r) { return std::to_string(r.numerator) + "/" + std::to_string(r.denominator); }

/// Compares the ledger's history of rule `R` up to `up_to` with the naive one (`all`, up to today).
template <class R>
::testing::AssertionResult same_history(const book_type& book, const std::vector<nq::evaluation>& all,
                                        const std::string& seller, nq::rule rule, local_day up_to, coverage* cov) {
  const auto got = book.penalty_history<R>(seller, up_to);
  std::vector<nq::evaluation> want;
  for (const nq::evaluation& e : all)
    if (e.on <= up_to) want.push_back(e);
  const auto row_same = [&](std::size_t i) {
    return i < got.size() && i < want.size() && got[i].rule == R::id && got[i].evaluated_on == want[i].on &&
           got[i].period.from == want[i].from && got[i].period.to == want[i].to &&
           got[i].counts.numerator == want[i].c.numerator && got[i].counts.denominator == want[i].c.denominator &&
           qoo10::to_string(got[i].tier) == want[i].tier;
  };
  bool same = got.size() == want.size();
  for (std::size_t i = 0; same && i < got.size(); ++i) same = row_same(i);
  if (cov)
    for (const auto& e : want) {
      ++cov->history_entries;
      ++(rule == nq::rule::monthly ? cov->monthly_tiers : cov->quarterly_tiers)[std::string(e.tier)];
    }
  if (same) return ::testing::AssertionSuccess();
  std::ostringstream diff;
  for (std::size_t i = 0; i < std::max(got.size(), want.size()); ++i) {
    std::string g = "-", w = "-";
    if (i < got.size())
      g = sh::format_day(got[i].evaluated_on) + " " + sh::format_day(got[i].period.from) + ".." +
          sh::format_day(got[i].period.to) + " " + text(got[i].counts) + " " +
          std::string(qoo10::to_string(got[i].tier));
    if (i < want.size())
      w = sh::format_day(want[i].on) + " " + sh::format_day(want[i].from) + ".." + sh::format_day(want[i].to) + " " +
          text(want[i].c) + " " + std::string(want[i].tier);
    diff << "\n    " << (row_same(i) ? "  " : "! ") << "ledger " << g << " | naive " << w;
  }
  return ::testing::AssertionFailure() << R::id << " history of seller " << seller << " up to " << sh::format_day(up_to)
                                       << ":" << diff.str();
}

template <class P>
::testing::AssertionResult same_metric(const book_type& book, const nq::orders_by_seller& index,
                                       const std::string& seller, nq::rule rule, local_day at, coverage& cov) {
  const sh::metric_result got = book.evaluate<P>(seller, at);
  const nq::metric want = nq::running(index, seller, rule, at);
  ++cov.metric_checks;
  if (want.status == "BAD") ++cov.bad_metrics;
  if (got.period.from == want.from && got.period.to == at && got.counts.numerator == want.c.numerator &&
      got.counts.denominator == want.c.denominator && sh::to_string(got.status) == want.status &&
      got.headroom == want.headroom && got.low_volume == want.low_volume)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << P::id << " of seller " << seller << " at " << sh::format_day(at)
                                       << ": ledger " << sh::format_day(got.period.from) << ".." << text(got.counts)
                                       << " " << sh::to_string(got.status) << " headroom " << got.headroom
                                       << " low_volume " << got.low_volume << "; naive " << sh::format_day(want.from)
                                       << ".." << text(want.c) << " " << want.status << " headroom " << want.headroom
                                       << " low_volume " << want.low_volume;
}

template <class R>
::testing::AssertionResult same_projection(const book_type& book, const nq::orders_by_seller& index,
                                           const std::string& seller, nq::rule rule, local_day today,
                                           const std::vector<nq::evaluation>& past, coverage& cov) {
  const auto s = book.find_seller(seller);
  if (!s) return ::testing::AssertionFailure() << "seller " << seller << " unknown to the ledger";
  const auto got = book.next_penalty<R>(*s);
  const nq::projection want = nq::project(index, seller, rule, today, past.empty() ? nq::tier_none : past.back().tier);
  ++cov.projections;
  std::vector<std::pair<std::string_view, std::uint64_t>> got_steps;
  for (const auto& step : got.before_each_tier)  // a tier marked unreachable is not a step
    if (step.absorbable) got_steps.emplace_back(qoo10::to_string(step.tier), *step.absorbable);
  if (got.rule == R::id && got.evaluated_on == want.on && got.period.from == want.from && got.period.to == want.to &&
      got.counts.numerator == want.c.numerator && got.counts.denominator == want.c.denominator &&
      qoo10::to_string(got.tier) == want.tier && got_steps == want.steps)
    return ::testing::AssertionSuccess();
  const auto steps = [](const std::vector<std::pair<std::string_view, std::uint64_t>>& v) {
    std::string o;
    for (const auto& [t, n] : v) {  // appended: see scenario::numbered on GCC 12's -Wrestrict
      o += ' ';
      o += t;
      o += ':';
      o += std::to_string(n);
    }
    return o;
  };
  return ::testing::AssertionFailure() << R::id << " projection of seller " << seller << " on " << sh::format_day(today)
                                       << ": ledger " << sh::format_day(got.evaluated_on) << " " << text(got.counts)
                                       << " " << qoo10::to_string(got.tier) << " steps" << steps(got_steps)
                                       << "; naive " << sh::format_day(want.on) << " " << text(want.c) << " "
                                       << want.tier << " steps" << steps(want.steps);
}

/// Everything at one checkpoint. `final_check` tallies the tiers of the histories.
::testing::AssertionResult same_everything(const book_type& book, const std::vector<owned_event>& log,
                                           const std::vector<std::string>& sellers, local_day today, random_source& rnd,
                                           coverage& cov, bool final_check) {
  if (book.today() != today)
    return ::testing::AssertionFailure() << "today: ledger " << (book.today() ? sh::format_day(*book.today()) : "-")
                                         << ", naive " << sh::format_day(today);
  const nq::orders_by_seller index = nq::index_log(log);
  const local_day first_day = naive::jst_day(log.front().at);
  std::vector<std::string> everyone = sellers;
  everyone.push_back("S-never-seen");
  const local_day earliest = std::max(book.earliest_evaluable_day<qoo10::cancel_rate_month>(),
                                      book.earliest_evaluable_day<qoo10::cancel_rate_quarter>());
  std::array<local_day, 3> days_to_check = {today, today, today};
  for (std::size_t i = 1; i < days_to_check.size(); ++i)
    days_to_check[i] = earliest + std::chrono::days{rnd.uniform(0, (today - earliest).count())};
  const local_day cut =
      first_day + std::chrono::days{rnd.uniform(0, std::max<std::int64_t>(0, (today - first_day).count()))};
  for (const std::string& s : everyone) {
    coverage* tally = final_check && s != "S-never-seen" ? &cov : nullptr;
    const auto monthly = nq::history(index, s, nq::rule::monthly, first_day, today);
    const auto quarterly = nq::history(index, s, nq::rule::quarterly, first_day, today);
    if (auto r = same_history<qoo10::monthly_warning>(book, monthly, s, nq::rule::monthly, today, tally); !r) return r;
    if (auto r = same_history<qoo10::quarterly_restriction>(book, quarterly, s, nq::rule::quarterly, today, tally); !r)
      return r;
    if (auto r = same_history<qoo10::monthly_warning>(book, monthly, s, nq::rule::monthly, cut, nullptr); !r) return r;
    if (auto r = same_history<qoo10::quarterly_restriction>(book, quarterly, s, nq::rule::quarterly, cut, nullptr); !r)
      return r;
    for (const local_day d : days_to_check) {
      if (auto r = same_metric<qoo10::cancel_rate_month>(book, index, s, nq::rule::monthly, d, cov); !r) return r;
      if (auto r = same_metric<qoo10::cancel_rate_quarter>(book, index, s, nq::rule::quarterly, d, cov); !r) return r;
    }
    if (!book.find_seller(s)) continue;
    if (auto r = same_projection<qoo10::monthly_warning>(book, index, s, nq::rule::monthly, today, monthly, cov); !r)
      return r;
    if (auto r =
            same_projection<qoo10::quarterly_restriction>(book, index, s, nq::rule::quarterly, today, quarterly, cov);
        !r)
      return r;
  }
  return ::testing::AssertionSuccess();
}

/// The most recent evaluation day (a 1st of a month) on or before `today`.
local_day last_first_of_month(local_day today) {
  const std::chrono::year_month_day ymd{today};
  return local_day{ymd.year() / ymd.month() / std::chrono::day{1}};
}

/// Replays one stream through a ledger and the naive model, comparing at checkpoints.
::testing::AssertionResult replay(std::uint64_t seed, bool shuffled, coverage& cov) {
  const stream s = make_stream(seed, shuffled, cov);
  random_source rnd{std::mt19937_64{seed ^ 0x9e3779b97f4a7c15ull}};
  std::vector<std::size_t> checkpoints;
  for (int i = 0; i < 5; ++i)
    checkpoints.push_back(static_cast<std::size_t>(rnd.uniform(1, static_cast<std::int64_t>(s.events.size()))));
  std::sort(checkpoints.begin(), checkpoints.end());
  book_type book;
  std::vector<owned_event> log;
  local_day today{};
  std::size_t next_checkpoint = 0;
  const auto where = [&] {
    return std::string(shuffled ? "shuffled" : "in order") + " stream, seed " + std::to_string(seed) + ", after " +
           std::to_string(log.size()) + " events (today " + sh::format_day(today) + "): ";
  };
  for (const owned_event& e : s.events) {
    if (!log.empty() && naive::jst_day(log.front().at) < last_first_of_month(today) &&
        e.at < naive::jst_start(last_first_of_month(today)))
      ++cov.late_for_closed_period;
    if (auto rejected = book.try_record(view(e)))
      return ::testing::AssertionFailure()
             << where() << "the ledger rejected a valid event: " << describe(e) << ": " << rejected->message;
    log.push_back(e);
    today = log.size() == 1 ? naive::jst_day(e.at) : std::max(today, naive::jst_day(e.at));
    while (next_checkpoint < checkpoints.size() && checkpoints[next_checkpoint] == log.size()) {
      ++next_checkpoint;
      if (rnd.chance(0.4)) {
        today += std::chrono::days{rnd.uniform(0, 3)};
        book.advance_to(today);
      }
      if (auto r = same_everything(book, log, s.sellers, today, rnd, cov, false); !r)
        return ::testing::AssertionFailure() << where() << r.message();
    }
  }
  today += std::chrono::days{rnd.uniform(0, 45)};  // evaluations with no new event
  book.advance_to(today);
  if (auto r = same_everything(book, log, s.sellers, today, rnd, cov, true); !r)
    return ::testing::AssertionFailure() << where() << r.message();
  return ::testing::AssertionSuccess();
}

constexpr std::uint64_t streams_per_variant = 500;

void run_variant(bool shuffled, std::uint64_t first_seed) {
  coverage cov;
  std::size_t failures = 0;
  for (std::uint64_t seed = first_seed; seed < first_seed + streams_per_variant; ++seed) {
    const auto r = replay(seed, shuffled, cov);
    if (!r && ++failures <= 3) ADD_FAILURE() << r.message();
  }
  EXPECT_EQ(failures, 0u) << "streams that disagree with the naive recount";
  std::ostringstream tally;
  tally << "streams " << streams_per_variant << ", history entries " << cov.history_entries << ", metric checks "
        << cov.metric_checks << " (" << cov.bad_metrics << " BAD), projections " << cov.projections
        << ", quick cancels " << cov.quick_cancels << ", partial " << cov.partial_cancels << ", exemptions "
        << cov.exemptions << ", events for a closed period arriving late " << cov.late_for_closed_period
        << "\n  monthly:";
  for (const auto& [t, n] : cov.monthly_tiers) tally << " " << t << "=" << n;
  tally << "\n  quarterly:";
  for (const auto& [t, n] : cov.quarterly_tiers) tally << " " << t << "=" << n;
  std::cout << "[ coverage ] " << tally.str() << "\n";
  // The streams must reach every tier, or the comparison proves little.
  EXPECT_GT(cov.monthly_tiers["warning"], 100u) << tally.str();
  EXPECT_GT(cov.quarterly_tiers["mega_wari_restricted"], 50u) << tally.str();
  EXPECT_GT(cov.quarterly_tiers["listing_capped"], 50u) << tally.str();
  EXPECT_GT(cov.quarterly_tiers["account_restricted"], 10u) << tally.str();
  EXPECT_GT(cov.bad_metrics, 100u) << tally.str();
  if (shuffled) {
    EXPECT_GT(cov.late_for_closed_period, 200u) << tally.str();
  }
}

TEST(DifferentialQoo10, StreamsInTimeOrder) { run_variant(false, 1); }

TEST(DifferentialQoo10, StreamsWithEventsArrivingLate) { run_variant(true, 100001); }

}  // namespace
