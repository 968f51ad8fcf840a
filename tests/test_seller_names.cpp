// Naming a seller, and `clears_on` in the per-metric result.
//
//  - Every query of a ledger that takes a seller takes its `seller_index` or its id, with the same
//    answer; an id never seen answers as an index never given out (a seller with no orders).
//    `sharded` names sellers by id only (each shard numbers its own), and has the same queries.
//  - `evaluate_all(seller, day, with_clears_on{})` fills each `metric_result::clears_on` with the
//    day `clears_on` gives; the plain `evaluate_all` leaves it empty.
//
// The book: shop S1 places one order on 2026-03-10 (JST) and cancels it the same day, so PFCR is
// 1/1 (BAD) in every 7-day window holding Mar 10, the windows ending Mar 10..16: it clears on
// Mar 17. Shop S2 places one order that ships on time: GOOD, nothing to clear.
#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <sellerhealth/sharded.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "support/scenario.hpp"

namespace {
using namespace scenario;

amazon_book two_shops() {
  amazon_book book;
  book.record(place("C-1", jst(2026, 3, 10, 10), jst(2026, 3, 12, 23, 59, 59), "S1"));
  book.record(cancel("C-1", jst(2026, 3, 10, 15)));
  book.record(place("G-1", jst(2026, 3, 10, 11), jst(2026, 3, 12, 23, 59, 59), "S2"));
  book.record(ship("G-1", jst(2026, 3, 10, 12)));
  return book;
}

constexpr local_day today = lday(2026, 3, 10);

/// The parts of a result two ways of asking must agree on.
std::string summary(const sh::metric_result& r) {
  std::string out(r.metric);
  out += " " + sh::format_day(r.period.from) + ".." + sh::format_day(r.period.to);
  out += " " + std::to_string(r.counts.numerator) + "/" + std::to_string(r.counts.denominator);
  out += " " + std::string(sh::to_string(r.status));
  out += " clears " + (r.clears_on ? sh::format_day(*r.clears_on) : std::string("-"));
  return out;
}
template <std::size_t N>
std::vector<std::string> summaries(const std::array<sh::metric_result, N>& all) {
  std::vector<std::string> out;
  for (const auto& r : all) out.push_back(summary(r));
  return out;
}

// ---- the ledger: one overload by id per query ----------------------------------------------------

TEST(SellerNames, CountsAllById) {
  const amazon_book book = two_shops();
  const auto by_id = book.counts_all("S1", today);
  EXPECT_EQ(by_id[0], (sh::rate{1, 1}));  // PFCR: the cancelled order of one
  EXPECT_EQ(by_id, book.counts_all(*book.find_seller("S1"), today));
  EXPECT_EQ(book.counts_all("nobody", today), book.counts_all(sh::seller_index{99}, today));
  EXPECT_EQ(book.counts_all("nobody", today)[0], (sh::rate{0, 0}));
}

TEST(SellerNames, EvaluateAllById) {
  const amazon_book book = two_shops();
  const auto by_id = book.evaluate_all("S1", today);
  EXPECT_EQ(by_id[0].status, sh::status::bad);
  EXPECT_EQ(summaries(by_id), summaries(book.evaluate_all(*book.find_seller("S1"), today)));
  const auto unknown = book.evaluate_all("nobody", today);
  EXPECT_EQ(summaries(unknown), summaries(book.evaluate_all(sh::seller_index{99}, today)));
  EXPECT_EQ(unknown[0].status, sh::status::none);
}

TEST(SellerNames, SliceById) {
  const amazon_book book = two_shops();
  const amazon_book slice = book.slice("S1");
  EXPECT_EQ(slice.seller_count(), 1u);
  EXPECT_EQ(slice.seller_id(0), "S1");
  EXPECT_EQ(slice.save(), book.slice(*book.find_seller("S1")).save());
  const amazon_book none = book.slice("nobody");
  EXPECT_EQ(none.seller_count(), 0u);
  EXPECT_EQ(none.save(), book.slice(sh::seller_index{99}).save());
}

TEST(SellerNames, ClearsOnById) {
  const amazon_book book = two_shops();
  EXPECT_EQ(book.clears_on<pfcr>("S1"), lday(2026, 3, 17));
  EXPECT_EQ(book.clears_on<pfcr>("S2"), std::nullopt);  // GOOD: nothing to clear
  // With 40 on-time orders a day from Mar 11, PFCR on Mar 11 is 1/41 < 2.5 %: GOOD.
  EXPECT_EQ(book.clears_on<pfcr>("S1", 40), lday(2026, 3, 11));
  EXPECT_EQ(book.clears_on<pfcr>("nobody"), std::nullopt);
}

TEST(SellerNames, ClearsOnAllById) {
  const amazon_book book = two_shops();
  const auto by_id = book.clears_on_all("S1");
  EXPECT_EQ(by_id[0], lday(2026, 3, 17));
  EXPECT_EQ(by_id[1], std::nullopt);  // the cancelled order never counts for LSR
  EXPECT_EQ(by_id, book.clears_on_all(*book.find_seller("S1")));
  EXPECT_EQ(book.clears_on_all("S1", 0, 6)[0], std::nullopt);  // still BAD on Mar 16
  EXPECT_EQ(book.clears_on_all("nobody"), book.clears_on_all(sh::seller_index{99}));
}

TEST(SellerNames, NextPenaltyById) {
  // Qoo10: two orders paid 2 September; one cancelled 10 hours later (after the 6-hour quick
  // cancel), so September so far is 1/2. The monthly warning judges September on 1 October; fewer
  // than 10 orders and not above 50 %: no warning.
  qoo10_book book;
  book.record(place("Q-1", jst(2026, 9, 2, 10), jst(2026, 9, 4, 18), "shop"));
  book.record(place("Q-2", jst(2026, 9, 2, 10), jst(2026, 9, 4, 18), "shop"));
  book.record(cancel("Q-2", jst(2026, 9, 2, 20)));
  const auto by_id = book.next_penalty<q10::monthly_warning>("shop");
  EXPECT_EQ(by_id.evaluated_on, lday(2026, 10, 1));
  EXPECT_EQ(by_id.counts, (sh::rate{1, 2}));
  EXPECT_EQ(by_id.tier, q10::tier::none);
  const auto by_index = book.next_penalty<q10::monthly_warning>(*book.find_seller("shop"));
  EXPECT_EQ(by_index.counts, by_id.counts);
  EXPECT_EQ(by_index.evaluated_on, by_id.evaluated_on);
  const auto unknown = book.next_penalty<q10::monthly_warning>("nobody");
  EXPECT_EQ(unknown.counts, (sh::rate{0, 0}));
  EXPECT_EQ(unknown.counts, book.next_penalty<q10::monthly_warning>(sh::seller_index{99}).counts);
}

// ---- clears_on in the per-metric result ----------------------------------------------------------

TEST(ClearsOnInResult, FilledOnlyWhenAsked) {
  const amazon_book book = two_shops();
  const sh::seller_index s1 = *book.find_seller("S1");
  for (const auto& r : book.evaluate_all(s1, today)) EXPECT_EQ(r.clears_on, std::nullopt) << r.metric;
  const auto asked = book.evaluate_all(s1, today, sh::with_clears_on{});
  EXPECT_EQ(asked[0].clears_on, lday(2026, 3, 17));
  EXPECT_EQ(asked[1].clears_on, std::nullopt);
  EXPECT_EQ(asked[2].clears_on, std::nullopt);
  // Everything else is the plain evaluation's.
  auto plain = book.evaluate_all(s1, today);
  plain[0].clears_on = lday(2026, 3, 17);
  EXPECT_EQ(summaries(asked), summaries(plain));
  // The projection is asked for with clears_on_all's assumptions: 10 orders a day make Mar 14
  // GOOD (1/41 in the window Mar 8..14), Mar 13 is 1/31.
  EXPECT_EQ(book.evaluate_all(s1, today, {.daily_good_orders = 10})[0].clears_on, lday(2026, 3, 14));
  EXPECT_EQ(book.evaluate_all(s1, today, {.within_days = 6})[0].clears_on, std::nullopt);
}

TEST(ClearsOnInResult, ById) {
  const amazon_book book = two_shops();
  EXPECT_EQ(summaries(book.evaluate_all("S1", today, sh::with_clears_on{})),
            summaries(book.evaluate_all(*book.find_seller("S1"), today, sh::with_clears_on{})));
  EXPECT_EQ(book.evaluate_all("S2", today, sh::with_clears_on{})[0].clears_on, std::nullopt);
  EXPECT_EQ(summaries(book.evaluate_all("nobody", today, sh::with_clears_on{})),
            summaries(book.evaluate_all("nobody", today)));
}

TEST(ClearsOnInResult, APastDayHasNone) {
  // clears_on projects from today: a day before it is history, with nothing to project.
  amazon_book book = two_shops();
  book.advance_to(lday(2026, 3, 12));
  EXPECT_EQ(book.evaluate_all("S1", lday(2026, 3, 12), sh::with_clears_on{})[0].clears_on, lday(2026, 3, 17));
  const auto past = book.evaluate_all("S1", today, sh::with_clears_on{});
  EXPECT_EQ(past[0].status, sh::status::bad);
  EXPECT_EQ(past[0].clears_on, std::nullopt);
}

// ---- sharded: the same queries by id ------------------------------------------------------------

sh::sharded<amazon_book> sharded_shops(std::size_t shards) {
  sh::sharded<amazon_book> book(shards);
  book.advance_to(today);
  // Two cancelled orders and one shipped for S1, spread over the shards by id: PFCR 2/3.
  for (const sh::event& e :
       {sh::event{place("C-1", jst(2026, 3, 10, 10), jst(2026, 3, 12, 23, 59, 59), "S1")},
        sh::event{place("C-2", jst(2026, 3, 10, 10), jst(2026, 3, 12, 23, 59, 59), "S1")},
        sh::event{place("G-1", jst(2026, 3, 10, 11), jst(2026, 3, 12, 23, 59, 59), "S1")},
        sh::event{cancel("C-1", jst(2026, 3, 10, 15))}, sh::event{cancel("C-2", jst(2026, 3, 10, 15))},
        sh::event{ship("G-1", jst(2026, 3, 10, 12))}})
    book.record(e);
  return book;
}

TEST(SellerNames, ShardedCountsAllSumsTheShards) {
  for (const std::size_t shards : {1u, 3u}) {
    const auto book = sharded_shops(shards);
    EXPECT_EQ(book.counts_all("S1", today)[0], (sh::rate{2, 3})) << shards << " shards";
    EXPECT_EQ(book.counts_all("nobody", today)[0], (sh::rate{0, 0}));
  }
}

TEST(SellerNames, ShardedClearsOnAndTheResultsClearsOn) {
  for (const std::size_t shards : {1u, 3u}) {
    const auto book = sharded_shops(shards);
    EXPECT_EQ(book.clears_on<pfcr>("S1"), lday(2026, 3, 17)) << shards << " shards";
    EXPECT_EQ(book.clears_on<lsr10>("S1"), std::nullopt);
    const auto results = book.evaluate_all("S1", today, sh::with_clears_on{});
    EXPECT_EQ(results[0].counts, (sh::rate{2, 3}));
    EXPECT_EQ(results[0].clears_on, lday(2026, 3, 17));
    EXPECT_EQ(book.evaluate_all("S1", today)[0].clears_on, std::nullopt);
    EXPECT_EQ(book.clears_on<pfcr>("nobody"), std::nullopt);
  }
}

}  // namespace
