// report.hpp and marketplaces.hpp: every seller's report as values, from a plain ledger and from a
// sharded one; the JSON and table writers; the daily series rows and their writers; the advice
// writers; the presets.
//
// The scenario's expected values are worked out by hand from spec/rules.md below, never taken
// from a program's output. All times JST; the report is of the end of Sep 10, 2026.
//
//   S1  A1 placed Sep 5 10:00, due Sep 6 23:59:59, shipped Sep 6 12:00   on time
//       A2 placed Sep 5 11:00, due Sep 6 23:59:59, shipped Sep 7 09:00   late (filed Sep 6)
//       A3 placed Sep 6 10:00, due Sep 7 23:59:59, seller cancel Sep 6 17:00 (7 h after payment)
//       A4 placed Sep 9 10:00, due Sep 12 23:59:59, shipped Sep 10 09:00 on time, due after today
//       A5 placed Sep 9 11:00, due Sep 9 23:59:59, shipped Sep 10 08:00  late (filed Sep 9)
//   S2  P1 platform-fulfilled, placed Sep 10 12:00
//   S3  Q1 placed Sep 8 10:00, seller cancel Sep 8 13:00 (3 h after payment)
//   S4  B1, B2 placed Sep 7 10:00 and 11:00, both cancelled by the seller Sep 7 20:00
//
// Amazon (merchant orders only):
//   PFCR, 7 days Sep 4..10 by placement day, < 1/40.
//     S1: A1..A5, A3 counted: 1/5 BAD. Recovery: 1/(5+k) < 1/40 iff k >= 36. Clears when Sep 6
//         leaves the window: Sep 13 (Sep 7..13 holds A4, A5: 0/2). Low volume (<= 40 orders).
//     S3: 1/1 BAD, recovery 40, clears Sep 15 (Sep 8 leaves). S4: 2/2 BAD, 2/(2+k) < 1/40 iff
//         k >= 79, clears Sep 14. S2: no merchant order: 0/0 NONE, no rate.
//   LSR, by ship-by day, < 1/25; a wholly cancelled order leaves it; A4 is due Sep 12, in no window
//   yet. 10 days Sep 1..10 and 30 days Aug 12..Sep 10 both hold A1, A2, A5: 2/3 BAD, recovery
//   2/(3+k) < 1/25 iff k >= 48.
//     10 days clears Sep 19: up to Sep 18 the window holds A5 (Sep 9) late; Sep 10..19 holds A4
//       only, on time: 0/1.
//     30 days clears Oct 9: Sep 9 leaves the window on Oct 9 (Sep 10..Oct 9: A4, 0/1).
// Qoo10 (every order, by payment day; an order cancelled within 6 h counts nowhere; fewer than 10
// orders only > 50 % breaches; month warning > 7 %, quarter > 10 % / > 15 %):
//   S1: A1..A5, A3 cancelled after 7 h counts: month Sep 1..10 1/5, GOOD; 2/5 = 40 % is still
//       spared, 3/5 is not: headroom 1. Quarter Jul 1..Sep 10 the same.
//   S2: 0/1 GOOD, headroom 0 (1/1 > 50 %). S3: the quick cancel leaves both counts: 0/0 NONE.
//   S4: 2/2 BAD for both; recovery 2 (2/4 = 50 % is spared); clears Oct 1 (a new month and
//       quarter start empty).
//   Next evaluations as of Sep 10: Oct 1, monthly over Sep 1..30 and quarterly over Jul 1..Sep 30.
//     S1 1/5: none; 2 more cancellations (3/5) reach warning, resp. listing_capped (> 15 %, no
//     listing cap before): 1 more stays below. S4 2/2: warning and listing_capped, no room left.
//   As of Oct 1 both have judged once (monthly first): S1 1/5 none, S4 2/2 warning and
//   listing_capped, S2 0/1 none, S3 0/0 none; next Nov 1 (Oct 1..31) and Jan 1 (Oct 1..Dec 31),
//   0/0 so far, none.
#include <gtest/gtest.h>

#include <algorithm>
#include <sellerhealth/report.hpp>
#include <sellerhealth/sellerhealth.hpp>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "support/json_reader.hpp"
#include "support/scenario.hpp"

namespace {

using namespace scenario;
using json_support::json;
using json_support::parse_json;

const sh::local_day sep10 = lday(2026, 9, 10);
const sh::local_day oct1 = lday(2026, 10, 1);

std::vector<sh::event> scenario_events() {
  const auto t = [](int m, int d, int h, int min = 0, int s = 0) { return jst(2026, m, d, h, min, s); };
  return {
      place("A1", t(9, 5, 10), t(9, 6, 23, 59, 59), "S1"),
      place("A2", t(9, 5, 11), t(9, 6, 23, 59, 59), "S1"),
      place("A3", t(9, 6, 10), t(9, 7, 23, 59, 59), "S1"),
      ship("A1", t(9, 6, 12)),
      cancel("A3", t(9, 6, 17)),
      ship("A2", t(9, 7, 9)),
      place("B1", t(9, 7, 10), t(9, 8, 23, 59, 59), "S4"),
      place("B2", t(9, 7, 11), t(9, 8, 23, 59, 59), "S4"),
      cancel("B1", t(9, 7, 20)),
      cancel("B2", t(9, 7, 20)),
      place("Q1", t(9, 8, 10), t(9, 9, 23, 59, 59), "S3"),
      cancel("Q1", t(9, 8, 13)),
      place("A4", t(9, 9, 10), t(9, 12, 23, 59, 59), "S1"),
      place("A5", t(9, 9, 11), t(9, 9, 23, 59, 59), "S1"),
      ship("A5", t(9, 10, 8)),
      ship("A4", t(9, 10, 9)),
      place("P1", t(9, 10, 12), t(9, 11, 23, 59, 59), "S2", 1, sh::fulfilment::platform),
  };
}

template <class Book>
Book fed(Book book, sh::local_day until) {
  for (const auto& e : scenario_events()) book.record(e);
  book.advance_to(until);
  return book;
}

struct expected_metric {
  std::string metric;
  local_day from, to;
  std::uint64_t numerator, denominator;
  sh::status status;
  bool low_volume;
  std::uint64_t headroom;
  std::optional<std::uint64_t> recovery;
  std::optional<local_day> clears_on;
};

void expect_metric(const sh::metric_report& m, const expected_metric& e) {
  SCOPED_TRACE(e.metric);
  EXPECT_EQ(m.metric, e.metric);
  EXPECT_EQ(m.period.from, e.from);
  EXPECT_EQ(m.period.to, e.to);
  EXPECT_EQ(m.counts.numerator, e.numerator);
  EXPECT_EQ(m.counts.denominator, e.denominator);
  EXPECT_EQ(m.status, e.status);
  EXPECT_EQ(m.low_volume, e.low_volume);
  EXPECT_EQ(m.headroom, e.headroom);
  EXPECT_EQ(m.recovery, e.recovery);
  EXPECT_EQ(m.clears_on, e.clears_on);
}

std::string json_of(const sh::marketplace_report& r) {
  std::ostringstream out;
  sh::write_json(out, r);
  return out.str();
}

std::string table_of(const sh::marketplace_report& r) {
  std::ostringstream out;
  sh::write_table(out, r);
  return out.str();
}

// ---- the report as values ----------------------------------------------------------------------------

TEST(Report, AmazonMetricsOfEverySellerWorkedOutByHand) {
  const auto book = fed(sh::marketplaces::amazon_jp::ledger{}, sep10);
  const sh::marketplace_report r = sh::make_report(book, "amazon-jp");
  ASSERT_TRUE(r.as_of.has_value());
  EXPECT_EQ(*r.as_of, sep10);
  EXPECT_EQ(r.marketplace, "amazon-jp");
  ASSERT_EQ(r.sellers.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(r.sellers[i].seller, "S" + std::to_string(i + 1));

  const auto bad = sh::status::bad, none = sh::status::none;
  const local_day pfcr_from = lday(2026, 9, 4), lsr10_from = lday(2026, 9, 1), lsr30_from = lday(2026, 8, 12);
  const auto& s1 = r.sellers[0].metrics;
  ASSERT_EQ(s1.size(), 3u);
  expect_metric(s1[0],
                {"amazon.pre_fulfillment_cancel_rate", pfcr_from, sep10, 1, 5, bad, true, 0, 36, lday(2026, 9, 13)});
  expect_metric(s1[1], {"amazon.late_shipment_rate_10d", lsr10_from, sep10, 2, 3, bad, true, 0, 48, lday(2026, 9, 19)});
  expect_metric(s1[2], {"amazon.late_shipment_rate_30d", lsr30_from, sep10, 2, 3, bad, true, 0, 48, lday(2026, 10, 9)});

  const auto& s2 = r.sellers[1].metrics;  // platform-fulfilled only
  expect_metric(s2[0], {"amazon.pre_fulfillment_cancel_rate", pfcr_from, sep10, 0, 0, none, false, 0, 0, {}});
  expect_metric(s2[1], {"amazon.late_shipment_rate_10d", lsr10_from, sep10, 0, 0, none, false, 0, 0, {}});
  expect_metric(s2[2], {"amazon.late_shipment_rate_30d", lsr30_from, sep10, 0, 0, none, false, 0, 0, {}});

  const auto& s3 = r.sellers[2].metrics;
  expect_metric(s3[0],
                {"amazon.pre_fulfillment_cancel_rate", pfcr_from, sep10, 1, 1, bad, true, 0, 40, lday(2026, 9, 15)});
  expect_metric(s3[1], {"amazon.late_shipment_rate_10d", lsr10_from, sep10, 0, 0, none, false, 0, 0, {}});

  const auto& s4 = r.sellers[3].metrics;
  expect_metric(s4[0],
                {"amazon.pre_fulfillment_cancel_rate", pfcr_from, sep10, 2, 2, bad, true, 0, 79, lday(2026, 9, 14)});
  expect_metric(s4[2], {"amazon.late_shipment_rate_30d", lsr30_from, sep10, 0, 0, none, false, 0, 0, {}});

  // Amazon has no penalty rules: no history, no projections.
  for (const auto& s : r.sellers) {
    EXPECT_TRUE(s.penalties.empty());
    EXPECT_TRUE(s.next_penalties.empty());
  }
}

TEST(Report, Qoo10RatesAndNextPenaltiesWorkedOutByHand) {
  const auto book = fed(sh::marketplaces::qoo10_jp::ledger{}, sep10);
  const auto r = sh::make_report(book, "qoo10-jp");
  ASSERT_EQ(r.sellers.size(), 4u);
  const auto good = sh::status::good, bad = sh::status::bad, none = sh::status::none;
  const local_day month = lday(2026, 9, 1), quarter = lday(2026, 7, 1);

  const auto& s1 = r.sellers[0];
  expect_metric(s1.metrics[0], {"qoo10.cancel_rate_month", month, sep10, 1, 5, good, true, 1, 0, {}});
  expect_metric(s1.metrics[1], {"qoo10.cancel_rate_quarter", quarter, sep10, 1, 5, good, true, 1, 0, {}});
  expect_metric(r.sellers[1].metrics[0], {"qoo10.cancel_rate_month", month, sep10, 0, 1, good, true, 0, 0, {}});
  expect_metric(r.sellers[2].metrics[0], {"qoo10.cancel_rate_month", month, sep10, 0, 0, none, false, 0, 0, {}});
  const auto& s4 = r.sellers[3];
  expect_metric(s4.metrics[0], {"qoo10.cancel_rate_month", month, sep10, 2, 2, bad, true, 0, 2, oct1});
  expect_metric(s4.metrics[1], {"qoo10.cancel_rate_quarter", quarter, sep10, 2, 2, bad, true, 0, 2, oct1});

  // No evaluation day since the first event (Sep 5): no history yet.
  for (const auto& s : r.sellers) EXPECT_TRUE(s.penalties.empty()) << s.seller;

  ASSERT_EQ(s1.next_penalties.size(), 2u);
  const auto& monthly = s1.next_penalties[0];
  EXPECT_EQ(monthly.rule, "qoo10.monthly_warning");
  EXPECT_EQ(monthly.evaluated_on, oct1);
  EXPECT_EQ(monthly.period, (sh::day_range{month, lday(2026, 9, 30)}));
  EXPECT_EQ(monthly.counts_so_far, (sh::rate{1, 5}));
  EXPECT_EQ(monthly.tier, "none");
  ASSERT_EQ(monthly.before_each_tier.size(), 1u);
  EXPECT_EQ(monthly.before_each_tier[0].tier, "warning");
  EXPECT_EQ(monthly.before_each_tier[0].cancellations, 1u);
  const auto& quarterly = s1.next_penalties[1];
  EXPECT_EQ(quarterly.rule, "qoo10.quarterly");
  EXPECT_EQ(quarterly.period, (sh::day_range{quarter, lday(2026, 9, 30)}));
  EXPECT_EQ(quarterly.tier, "none");
  ASSERT_EQ(quarterly.before_each_tier.size(), 1u);
  EXPECT_EQ(quarterly.before_each_tier[0].tier, "listing_capped");
  EXPECT_EQ(quarterly.before_each_tier[0].cancellations, 1u);

  EXPECT_EQ(s4.next_penalties[0].tier, "warning");
  EXPECT_EQ(s4.next_penalties[1].tier, "listing_capped");
  EXPECT_TRUE(s4.next_penalties[0].before_each_tier.empty());  // every order counted is cancelled
}

TEST(Report, Qoo10PenaltyHistoryOnItsEvaluationDay) {
  const auto book = fed(sh::marketplaces::qoo10_jp::ledger{}, oct1);
  const auto r = sh::make_report(book, "qoo10-jp");
  ASSERT_EQ(r.sellers.size(), 4u);
  const std::string expected_tiers[4][2] = {
      {"none", "none"}, {"none", "none"}, {"none", "none"}, {"warning", "listing_capped"}};
  const sh::rate expected_counts[4] = {{1, 5}, {0, 1}, {0, 0}, {2, 2}};
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& s = r.sellers[i];
    SCOPED_TRACE(s.seller);
    ASSERT_EQ(s.penalties.size(), 2u);
    EXPECT_EQ(s.penalties[0].rule, "qoo10.monthly_warning");  // same day: the ledger's rule order
    EXPECT_EQ(s.penalties[0].period, (sh::day_range{lday(2026, 9, 1), lday(2026, 9, 30)}));
    EXPECT_EQ(s.penalties[1].rule, "qoo10.quarterly");
    EXPECT_EQ(s.penalties[1].period, (sh::day_range{lday(2026, 7, 1), lday(2026, 9, 30)}));
    for (std::size_t k = 0; k < 2; ++k) {
      EXPECT_EQ(s.penalties[k].evaluated_on, oct1);
      EXPECT_EQ(s.penalties[k].counts, expected_counts[i]);
      EXPECT_EQ(s.penalties[k].tier, expected_tiers[i][k]);
    }
    ASSERT_EQ(s.next_penalties.size(), 2u);
    EXPECT_EQ(s.next_penalties[0].evaluated_on, lday(2026, 11, 1));
    EXPECT_EQ(s.next_penalties[0].period, (sh::day_range{oct1, lday(2026, 10, 31)}));
    EXPECT_EQ(s.next_penalties[1].evaluated_on, lday(2027, 1, 1));
    EXPECT_EQ(s.next_penalties[1].period, (sh::day_range{oct1, lday(2026, 12, 31)}));
    for (const auto& n : s.next_penalties) {
      EXPECT_EQ(n.counts_so_far, (sh::rate{0, 0}));
      EXPECT_EQ(n.tier, "none");
    }
    // October has started empty.
    EXPECT_EQ(s.metrics[0].period, (sh::day_range{oct1, oct1}));
    EXPECT_EQ(s.metrics[0].status, sh::status::none);
  }
}

TEST(Report, ShardedBooksReportLikeOnePlainLedger) {
  using ledger = sh::marketplaces::all::ledger;
  for (const local_day day : {sep10, oct1}) {
    const auto plain = sh::make_report(fed(ledger{}, day), "all");
    for (const std::size_t shards : {1u, 2u, 3u}) {
      sh::sharded<ledger> book(shards);
      book.advance_to(lday(2026, 9, 5));  // every shard starts on the first event's day
      const auto report = sh::make_report(fed(std::move(book), day), "all");
      EXPECT_EQ(json_of(report), json_of(plain)) << shards << " shards";
      EXPECT_EQ(table_of(report), table_of(plain)) << shards << " shards";
    }
    // Amazon's metrics first, then Qoo10's.
    ASSERT_EQ(plain.sellers[0].metrics.size(), 5u);
    EXPECT_EQ(plain.sellers[0].metrics[2].metric, "amazon.late_shipment_rate_30d");
    EXPECT_EQ(plain.sellers[0].metrics[3].metric, "qoo10.cancel_rate_month");
  }
}

TEST(Report, TheValuesOutliveTheBook) {
  sh::marketplace_report r;
  {
    const auto book = fed(sh::marketplaces::qoo10_jp::ledger{}, oct1);
    r = sh::make_report(book, std::string("qoo10-") + "jp");
  }
  EXPECT_EQ(r.marketplace, "qoo10-jp");
  EXPECT_EQ(r.sellers[3].seller, "S4");
  EXPECT_EQ(r.sellers[3].penalties[1].tier, "listing_capped");
  EXPECT_EQ(r.sellers[3].metrics[1].metric, "qoo10.cancel_rate_quarter");
}

TEST(Report, ABookNeverStartedHasNoDay) {
  const sh::marketplaces::amazon_jp::ledger book;
  const auto r = sh::make_report(book, "amazon-jp");
  EXPECT_FALSE(r.as_of.has_value());
  EXPECT_TRUE(r.sellers.empty());
  EXPECT_EQ(json_of(r), "{\"as_of\":null,\"marketplace\":\"amazon-jp\",\"sellers\":[]}\n");
}

// ---- the writers ---------------------------------------------------------------------------------------

TEST(ReportJson, HasTheShapeOfTheCommandsDocument) {
  const auto r = sh::make_report(fed(sh::marketplaces::all::ledger{}, sep10), "all");
  const std::string text = json_of(r);
  EXPECT_EQ(text.back(), '\n');
  const json doc = parse_json(text);
  EXPECT_EQ(doc["as_of"].str(), "2026-09-10");
  EXPECT_EQ(doc["marketplace"].str(), "all");
  ASSERT_EQ(doc["sellers"].size(), 4u);
  const json& s1 = doc["sellers"][0];
  EXPECT_EQ(s1.keys, (std::vector<std::string>{"seller_id", "metrics", "penalties", "next_penalties"}));
  EXPECT_EQ(s1["seller_id"].str(), "S1");
  const json& pfcr = s1["metrics"][0];
  EXPECT_EQ(pfcr.keys,
            (std::vector<std::string>{"metric", "from", "to", "numerator", "denominator", "rate", "target", "condition",
                                      "status", "low_volume", "headroom", "recovery", "clears_on"}));
  EXPECT_EQ(pfcr["metric"].str(), "amazon.pre_fulfillment_cancel_rate");
  EXPECT_EQ(pfcr["from"].str(), "2026-09-04");
  EXPECT_EQ(pfcr["to"].str(), "2026-09-10");
  EXPECT_EQ(pfcr["numerator"].num(), 1);
  EXPECT_EQ(pfcr["denominator"].num(), 5);
  EXPECT_DOUBLE_EQ(pfcr["rate"].num(), 0.2);
  EXPECT_DOUBLE_EQ(pfcr["target"].num(), 0.025);
  EXPECT_EQ(pfcr["condition"].str(), "LESS_THAN");
  EXPECT_EQ(pfcr["status"].str(), "BAD");
  EXPECT_TRUE(pfcr["low_volume"].boolean);
  EXPECT_EQ(pfcr["headroom"].num(), 0);
  EXPECT_EQ(pfcr["recovery"].num(), 36);
  EXPECT_EQ(pfcr["clears_on"].str(), "2026-09-13");
  const json& month = s1["metrics"][3];
  EXPECT_EQ(month["condition"].str(), "LESS_THAN_OR_EQUAL_TO");
  EXPECT_DOUBLE_EQ(month["target"].num(), 0.07);
  EXPECT_TRUE(month["clears_on"].is_null());
  // S2 has no merchant order: rate null.
  EXPECT_TRUE(doc["sellers"][1]["metrics"][0]["rate"].is_null());
  EXPECT_EQ(doc["sellers"][1]["metrics"][0]["status"].str(), "NONE");

  EXPECT_EQ(s1["penalties"].size(), 0u);
  const json& next = s1["next_penalties"][1];
  EXPECT_EQ(next.keys, (std::vector<std::string>{"rule", "evaluated_on", "from", "to", "numerator_so_far",
                                                 "denominator_so_far", "projected_tier", "cancellations_before_tier"}));
  EXPECT_EQ(next["rule"].str(), "qoo10.quarterly");
  EXPECT_EQ(next["evaluated_on"].str(), "2026-10-01");
  EXPECT_EQ(next["from"].str(), "2026-07-01");
  EXPECT_EQ(next["to"].str(), "2026-09-30");
  EXPECT_EQ(next["numerator_so_far"].num(), 1);
  EXPECT_EQ(next["denominator_so_far"].num(), 5);
  EXPECT_EQ(next["projected_tier"].str(), "none");
  EXPECT_EQ(next["cancellations_before_tier"]["listing_capped"].num(), 1);

  // On Oct 1 the history has one entry per rule.
  const json later = parse_json(json_of(sh::make_report(fed(sh::marketplaces::qoo10_jp::ledger{}, oct1), "qoo10-jp")));
  const json& penalty = later["sellers"][3]["penalties"][0];
  EXPECT_EQ(penalty.keys,
            (std::vector<std::string>{"rule", "evaluated_on", "from", "to", "numerator", "denominator", "tier"}));
  EXPECT_EQ(penalty["tier"].str(), "warning");

  // Without penalty rules there is no next_penalties key.
  const json amazon = parse_json(json_of(sh::make_report(fed(sh::marketplaces::amazon_jp::ledger{}, sep10), "a")));
  EXPECT_FALSE(amazon["sellers"][0].has("next_penalties"));
  EXPECT_TRUE(amazon["sellers"][0].has("penalties"));
}

// The writers that take the book build one seller's report at a time (what the command uses):
// the bytes must be those of the report built whole, for a plain and a sharded book, with
// penalty rules and without, and for a book with no day.
TEST(ReportWriters, FromTheBookWriteTheBytesOfTheWholeReport) {
  const auto compare = [](const auto& book, std::string_view name) {
    const auto whole = sh::make_report(book, name);
    std::ostringstream json;
    std::ostringstream table;
    sh::write_json(json, book, name);
    sh::write_table(table, book, name);
    EXPECT_EQ(json.str(), json_of(whole)) << name;
    EXPECT_EQ(table.str(), table_of(whole)) << name;
  };
  compare(fed(sh::marketplaces::all::ledger{}, oct1), "all");
  compare(fed(sh::marketplaces::amazon_jp::ledger{}, sep10), "amazon-jp");
  sh::sharded<sh::marketplaces::qoo10_jp::ledger> book(3);
  book.advance_to(lday(2026, 9, 5));
  compare(fed(std::move(book), oct1), "qoo10-jp");
  compare(sh::marketplaces::amazon_jp::ledger{}, "amazon-jp");  // no day: "as_of": null
  // Sellers come one at a time, sorted by id, as make_report lists them.
  std::vector<std::string> seen;
  const auto fed_book = fed(sh::marketplaces::qoo10_jp::ledger{}, oct1);
  sh::for_each_seller_report(fed_book, [&](const sh::seller_report& s) { seen.push_back(s.seller); });
  std::vector<std::string> listed;
  for (const auto& s : sh::make_report(fed_book, "qoo10-jp").sellers) listed.push_back(s.seller);
  EXPECT_EQ(seen, listed);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_GE(seen.size(), 4u);
}

TEST(ReportJson, EscapesIds) {
  sh::marketplace_report r{sep10, "m\"x", {}};
  r.sellers.push_back({"a\"b\\c\n", {}, {}, {}});
  const json doc = parse_json(json_of(r));
  EXPECT_EQ(doc["marketplace"].str(), "m\"x");
  EXPECT_EQ(doc["sellers"][0]["seller_id"].str(), "a\"b\\c\n");
}

TEST(ReportTable, SaysWhatEachSellerCanAfford) {
  const auto r = sh::make_report(fed(sh::marketplaces::all::ledger{}, sep10), "all");
  const std::string t = table_of(r);
  EXPECT_EQ(t.substr(0, t.find('\n')), "as of the end of 2026-09-10 (JST), marketplace all, 4 sellers");
  EXPECT_NE(t.find("none: target missed; 36 more good orders recover it; clears on 2026-09-13 if nothing else "
                   "happens (low volume: 5 orders)"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("1 more bad order (low volume: 5 orders)"), std::string::npos) << t;  // S1's Qoo10 month
  EXPECT_NE(t.find("2026-09-04..2026-09-10"), std::string::npos);
  EXPECT_NE(t.find("20.00 %"), std::string::npos);
  EXPECT_NE(t.find("< 2.5 %"), std::string::npos);
  EXPECT_NE(t.find("<= 7 %"), std::string::npos);
  // The penalty table is titled by the rules' platform, and lists the next evaluations.
  EXPECT_NE(t.find("\nQoo10 penalty evaluations\n"), std::string::npos) << t;
  EXPECT_NE(t.find("2026-10-01 (next)"), std::string::npos);
  EXPECT_NE(t.find("none if nothing changes; 1 more cancellation before listing_capped"), std::string::npos) << t;
  // One line per metric and seller: title, header, 4 x 5 rows; then a blank line, the title, the
  // header and 4 x 2 next evaluations.
  EXPECT_EQ(std::count(t.begin(), t.end(), '\n'), 1 + 1 + 20 + 1 + 1 + 1 + 8);
  // No trailing blanks.
  EXPECT_EQ(t.find(" \n"), std::string::npos);

  const std::string amazon = table_of(sh::make_report(fed(sh::marketplaces::amazon_jp::ledger{}, sep10), "amazon-jp"));
  EXPECT_EQ(amazon.find("penalty"), std::string::npos);
}

// ---- the series --------------------------------------------------------------------------------------

TEST(Series, RowsOfOneDayAreTheReportsCounts) {
  const auto book = fed(sh::marketplaces::amazon_jp::ledger{}, sep10);
  const auto rows = sh::series_rows(book, sep10);
  ASSERT_EQ(rows.size(), 4u * 3u);
  EXPECT_EQ(rows[0].date, sep10);
  EXPECT_EQ(rows[0].seller, "S1");
  EXPECT_EQ(rows[0].metric, "amazon.pre_fulfillment_cancel_rate");
  EXPECT_EQ(rows[0].counts, (sh::rate{1, 5}));
  EXPECT_EQ(rows[0].status, sh::status::bad);
  EXPECT_EQ(rows[1].counts, (sh::rate{2, 3}));
  EXPECT_EQ(rows[3].seller, "S2");
  EXPECT_EQ(rows[3].status, sh::status::none);
  // A past day in the horizon: Sep 6, PFCR Aug 31..Sep 6 holds A1..A3 with A3 cancelled.
  const auto earlier = sh::series_rows(book, lday(2026, 9, 6));
  EXPECT_EQ(earlier[0].counts, (sh::rate{1, 3}));
}

TEST(Series, CsvAndJsonLines) {
  const std::vector<sh::series_row> rows{
      {sep10, "S1", "amazon.pre_fulfillment_cancel_rate", {1, 5}, sh::status::bad},
      {sep10, "tea, \"kyoto\"", "amazon.late_shipment_rate_10d", {0, 0}, sh::status::none},
  };
  std::ostringstream csv, jsonl;
  sh::write_series(csv, rows, sh::series_format::csv);
  sh::write_series(jsonl, rows, sh::series_format::jsonl);
  EXPECT_EQ(sh::series_header(sh::series_format::csv), "date,seller_id,metric,numerator,denominator,status\n");
  EXPECT_EQ(sh::series_header(sh::series_format::jsonl), "");
  EXPECT_EQ(csv.str(),
            "2026-09-10,S1,amazon.pre_fulfillment_cancel_rate,1,5,BAD\n"
            "2026-09-10,\"tea, \"\"kyoto\"\"\",amazon.late_shipment_rate_10d,0,0,NONE\n");
  EXPECT_EQ(
      jsonl.str(),
      "{\"date\":\"2026-09-10\",\"seller_id\":\"S1\",\"metric\":\"amazon.pre_fulfillment_cancel_rate\","
      "\"numerator\":1,\"denominator\":5,\"status\":\"BAD\"}\n"
      "{\"date\":\"2026-09-10\",\"seller_id\":\"tea, \\\"kyoto\\\"\",\"metric\":\"amazon.late_shipment_rate_10d\","
      "\"numerator\":0,\"denominator\":0,\"status\":\"NONE\"}\n");
  std::istringstream lines(jsonl.str());
  for (std::string line; std::getline(lines, line);) EXPECT_NO_THROW(parse_json(line)) << line;
}

TEST(SeriesThreads, TheWriterWritesTheRowsOfAnyShardCount) {
  using ledger = sh::marketplaces::all::ledger;
  for (const auto format : {sh::series_format::csv, sh::series_format::jsonl}) {
    std::ostringstream expected;
    const auto plain = fed(ledger{}, sep10);
    for (const auto day : {lday(2026, 9, 9), sep10}) sh::write_series(expected, sh::series_rows(plain, day), format);
    for (const std::size_t shards : {1u, 2u, 4u}) {
      sh::sharded<ledger> book(shards);
      book.advance_to(lday(2026, 9, 5));
      book = fed(std::move(book), sep10);
      sh::series_writer writer(book, format);
      std::ostringstream written;
      written << writer.header();
      for (const auto day : {lday(2026, 9, 9), sep10}) writer.write_day(day, written);
      EXPECT_EQ(written.str(), std::string(sh::series_header(format)) + expected.str()) << shards;
    }
  }
}

// ---- advice's writers --------------------------------------------------------------------------------

TEST(AdviceWriters, JsonAndTable) {
  // Seed 002: one order of 2 units, due the next day, 1 unit on hand.
  sh::marketplaces::amazon_jp::ledger book;
  book.record(place("A-1", jst(2026, 3, 10, 10), jst(2026, 3, 11, 23, 59, 59), "S1", 2));
  const sh::sys_seconds now = jst(2026, 3, 10, 10);
  const auto a = sh::advise(book, {.order = "A-1", .now = now, .in_stock = 1});
  std::ostringstream json_text, table;
  sh::write_json(json_text, a, now);
  sh::write_table(table, a, now);
  const json doc = parse_json(json_text.str());
  EXPECT_EQ(doc.keys,
            (std::vector<std::string>{"order", "seller_id", "now", "from", "to", "recommended", "reason", "options"}));
  EXPECT_EQ(doc["order"].str(), "A-1");
  EXPECT_EQ(doc["seller_id"].str(), "S1");
  EXPECT_EQ(doc["now"].str(), "2026-03-10T10:00:00+09:00");  // local time with its offset
  EXPECT_EQ(doc["from"].str(), "2026-03-10");
  EXPECT_EQ(doc["recommended"].str(), sh::to_string(a.recommended));
  ASSERT_EQ(doc["options"].size(), a.options.size());
  const json& first = doc["options"][0];
  EXPECT_EQ(first.keys,
            (std::vector<std::string>{"option", "available", "plan", "expected_days_bad", "metrics", "worst_tiers"}));
  EXPECT_EQ(first["option"].str(), "cancel_now");
  EXPECT_EQ(first["metrics"][0].keys,
            (std::vector<std::string>{"metric", "expected_days_bad", "expected_rate", "chance_bad"}));
  EXPECT_EQ(first["metrics"][0]["chance_bad"].size(), 31u);  // the projected days, today included
  // No arrival day for stock: that option does not apply and has no figures.
  const json& later = doc["options"][4];
  EXPECT_EQ(later["option"].str(), "ship_when_stock_arrives");
  EXPECT_FALSE(later["available"].boolean);
  EXPECT_TRUE(later["expected_days_bad"].is_null());
  EXPECT_EQ(later["metrics"].size(), 0u);
  EXPECT_EQ(later["worst_tiers"].size(), 0u);

  const std::string t = table.str();
  EXPECT_EQ(
      t.substr(0, t.find('\n')),
      "order A-1 of seller S1, acting at 2026-03-10T10:00:00+09:00; metrics projected over 2026-03-10..2026-04-09");
  // The row of the option that does not apply: '-' for its figures.
  const auto row = t.find("\nship_when_stock_arrives ");
  ASSERT_NE(row, std::string::npos) << t;
  const std::string line = t.substr(row + 1, t.find('\n', row + 1) - row - 1);
  EXPECT_EQ(line.find("0.0"), std::string::npos) << line;
  EXPECT_NE(line.find(" - "), std::string::npos) << line;
  EXPECT_NE(t.find(std::string(sh::to_string(a.recommended)) + " *"), std::string::npos) << t;
  EXPECT_NE(t.find("\nrecommended: " + a.reason + "\n"), std::string::npos) << t;
}

// ---- presets -----------------------------------------------------------------------------------------

static_assert(sh::marketplace_preset<sh::marketplaces::amazon_jp>);
static_assert(sh::marketplace_preset<sh::marketplaces::all>);
static_assert(!sh::marketplace_preset<int>);
static_assert(std::is_same_v<sh::marketplaces::all::ledger, all_book>);
static_assert(std::is_same_v<sh::marketplaces::qoo10_jp::ledger, qoo10_book>);

TEST(Marketplaces, ChosenByName) {
  std::string chosen;
  EXPECT_TRUE(sh::with_marketplace("qoo10-jp", [&]<class P>() { chosen = P::name; }));
  EXPECT_EQ(chosen, "qoo10-jp");
  EXPECT_FALSE(sh::with_marketplace("ebay", [&]<class P>() { chosen = P::name; }));
  EXPECT_EQ(chosen, "qoo10-jp");
  EXPECT_EQ(sh::marketplace_names(), "amazon-jp, qoo10-jp or all");
}

}  // namespace
