// Limits and faults: counts near their type's maximum, times at the ends of the supported range
// (0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z), the horizon's bounds, a deadline beyond the
// re-judgement ring, and the CSV reader's record-length limit. Each behaves as the README's
// "Reliability" section says; expected values are worked out from the limits themselves.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <sellerhealth/io/events_csv.hpp>
#include <stdexcept>
#include <string>

#include "support/scenario.hpp"

namespace {
using namespace scenario;

constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint32_t u32_max = std::numeric_limits<std::uint32_t>::max();

// ---- counts near their type's maximum -------------------------------------------------------------

TEST(Limits, RatesAtTheLargestCountsCompareExactly) {
  const sh::target pfcr_target{sh::condition::less_than, {1, 40}};
  // (2^64 - 1) / (2^64 - 1) is 100 %: BAD; one bad order in 2^64 - 1 is far below 2.5 %: GOOD.
  EXPECT_EQ(sh::judge({u64_max, u64_max}, pfcr_target), sh::status::bad);
  EXPECT_EQ(sh::judge({1, u64_max}, pfcr_target), sh::status::good);
  // k / (2^64 - 1) < 1/40 exactly when 40 k < 2^64 - 1, i.e. k <= (2^64 - 2) / 40.
  const std::uint64_t largest_good = (u64_max - 1) / 40;
  EXPECT_EQ(sh::judge({largest_good, u64_max}, pfcr_target), sh::status::good);
  EXPECT_EQ(sh::judge({largest_good + 1, u64_max}, pfcr_target), sh::status::bad);
  EXPECT_EQ(sh::headroom({0, u64_max}, pfcr_target), largest_good);
  // A rate at the top of the range cannot be recovered by counting on: no answer, no overflow.
  EXPECT_EQ(sh::recovery({u64_max, u64_max}, pfcr_target), std::nullopt);
}

TEST(Limits, AnOrderOfTheLargestQuantity) {
  amazon_book book;
  book.record(place("Q-1", jst(2026, 9, 1, 10), jst(2026, 9, 3, 18), "S1", u32_max));
  book.record(cancel("Q-1", jst(2026, 9, 1, 11), sh::actor::seller, u32_max - 1));  // one unit left
  EXPECT_EQ(book.order("Q-1")->cancelled_units(), u32_max - 1);
  const auto too_many = book.try_record(cancel("Q-1", jst(2026, 9, 1, 12), sh::actor::seller, 2u));
  ASSERT_TRUE(too_many);
  EXPECT_EQ(too_many->code, sh::rejection_code::too_many_units);
  EXPECT_NE(too_many->message.find("only 1 remain"), std::string::npos) << too_many->message;
  book.record(ship("Q-1", jst(2026, 9, 2, 10)));
  book.record(refund("Q-1", jst(2026, 9, 3, 10)));  // the last unit
  const auto more = book.try_record(refund("Q-1", jst(2026, 9, 3, 11), 1u));
  ASSERT_TRUE(more);
  EXPECT_EQ(more->code, sh::rejection_code::too_many_units);
  // A partial cancel by the seller with no request counts in PFCR; the order shipped on time.
  EXPECT_EQ(counts(book.evaluate<pfcr>("S1", *book.today())), frac(1, 1));
  EXPECT_EQ(counts(book.evaluate<lsr30>("S1", *book.today())), frac(0, 1));
}

TEST(Limits, QuantityInTheCsvUpToTheLargestUnsigned32BitValue) {
  const auto parse = [](const std::string& quantity) {
    const std::string text =
        "event,order_id,seller_id,time,ship_by,quantity\nplaced,A-1,S1,2026-09-01T10:00:00Z,"
        "2026-09-02T10:00:00Z," +
        quantity + "\n";
    sh::io::event_reader reader(text);
    EXPECT_FALSE(reader.read_header());
    sh::io::record rec;
    std::optional<sh::io::csv_error> bad;
    EXPECT_TRUE(reader.next(rec, bad));
    EXPECT_FALSE(bad);
    auto [event, why] = sh::io::to_event(rec);
    return std::make_pair(event ? std::get<sh::placed>(*event).quantity : 0u, why ? why->message : std::string());
  };
  EXPECT_EQ(parse("4294967295").first, u32_max);
  EXPECT_EQ(parse("0004294967295").first, u32_max);  // leading zeros are fine
  EXPECT_NE(parse("4294967296").second.find("too large (at most 4294967295)"), std::string::npos);
  EXPECT_NE(parse("99999999999999999999999999").second.find("too large"), std::string::npos);
}

// ---- times at the ends of the supported range ---------------------------------------------------

TEST(Limits, TheFirstSupportedSecondIsAcceptedAndTheOneBeforeIsNot) {
  all_book book;
  const sys_seconds first = utc(1, 1, 1);
  ASSERT_EQ(first, sh::earliest_instant);
  const auto before = book.try_record(place("E-0", first - seconds{1}, first));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->code, sh::rejection_code::out_of_range);
  EXPECT_FALSE(book.today());  // the rejected event did not start the clock
  book.record(place("E-1", first, first + hours{1}));
  book.record(cancel("E-1", first + minutes{30}));
  // 0001-01-01T00:00Z is 09:00 JST on 0001-01-01: that day's PFCR counts the cancelled order.
  EXPECT_EQ(*book.today(), local_day{std::chrono::year{1} / 1 / 1});
  EXPECT_EQ(counts(book.evaluate<pfcr>("S1", *book.today())), frac(1, 1));
  book.advance_to(*book.today() + days{100});  // passes Qoo10 evaluations in year 1
  EXPECT_FALSE(book.penalty_history<q10::monthly_warning>("S1", *book.today()).empty());
  const auto back = all_book::restore(book.save());
  EXPECT_EQ(back.today(), book.today());
}

TEST(Limits, TheLastSupportedSecondIsAcceptedAndTheOneAfterIsNot) {
  all_book book;
  const sys_seconds last = utc(9999, 12, 31, 23, 59, 59);
  ASSERT_EQ(last, sh::latest_instant);
  book.record(place("L-0", last - hours{20}, last));
  book.record(place("L-1", last, last));
  const auto after = book.try_record(place("L-2", last + seconds{1}, last + seconds{1}));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->code, sh::rejection_code::out_of_range);
  const auto ship_after = book.try_record(ship("L-0", last + seconds{1}));
  ASSERT_TRUE(ship_after);
  EXPECT_EQ(ship_after->code, sh::rejection_code::out_of_range);
  // 23:59:59Z on 9999-12-31 is 08:59:59 JST on the local day 10000-01-01.
  EXPECT_EQ(*book.today(), local_day{std::chrono::year{10000} / 1 / 1});
  EXPECT_EQ(counts(book.evaluate<pfcr>("S1", *book.today())), frac(0, 2));
  book.advance_to(*book.today() + days{2});  // both deadlines have passed: late
  EXPECT_EQ(counts(book.evaluate<lsr30>("S1", *book.today())), frac(2, 2));
  const auto back = all_book::restore(book.save());
  EXPECT_EQ(counts(back.evaluate<lsr30>("S1", *back.today())), frac(2, 2));
}

TEST(Limits, TheClockRunsFromTheFirstSupportedDayToTheLastDeadlineYear) {
  amazon_book book;
  EXPECT_THROW(book.advance_to(local_day{std::chrono::year{0} / 12 / 31}), sh::error);
  EXPECT_THROW(book.advance_to(local_day{std::chrono::year{10001} / 1 / 1}), sh::error);
  EXPECT_FALSE(book.today());  // neither started the clock
  book.advance_to(local_day{std::chrono::year{10000} / 12 / 31});
  EXPECT_EQ(*book.today(), local_day{std::chrono::year{10000} / 12 / 31});
}

TEST(Limits, TimesOutsideTheRangeAreErrorsOfTheReaderOrTheLedger) {
  // The event's fields are views into the text: the caller keeps it.
  const auto csv = [](const std::string& time) {
    return "event,order_id,seller_id,time,ship_by\nplaced,A-1,S1," + time + "," + time + "\n";
  };
  const auto read = [](const std::string& text) {
    sh::io::event_reader reader(text);
    EXPECT_FALSE(reader.read_header());
    sh::io::record rec;
    std::optional<sh::io::csv_error> bad;
    EXPECT_TRUE(reader.next(rec, bad));
    return sh::io::to_event(rec);
  };
  // Five-digit years are not in the format: the reader names the column.
  const std::string far_text = csv("10000-01-01T00:00:00Z"), early_text = csv("0000-12-31T23:59:59Z");
  const auto far = read(far_text);
  EXPECT_FALSE(far.value);
  ASSERT_TRUE(far.error);
  EXPECT_NE(far.error->message.find("column 'time'"), std::string::npos) << far.error->message;
  // Year 0 is written like any year; the ledger refuses the instant as out of range.
  const auto early = read(early_text);
  ASSERT_TRUE(early.value);
  amazon_book book;
  const auto r = book.try_record(*early.value);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, sh::rejection_code::out_of_range);
  EXPECT_NE(r->message.find("0001-9999"), std::string::npos) << r->message;
}

// ---- the horizon ---------------------------------------------------------------------------------

TEST(Limits, HorizonBounds) {
  EXPECT_THROW(amazon_book(sh::ledger_options{.horizon_days = -1}), std::invalid_argument);
  EXPECT_THROW(amazon_book(sh::ledger_options{.horizon_days = 3661}), std::invalid_argument);
  // The longest horizon: an event ten years (3,660 days) late is still taken, one day more is not.
  amazon_book book(sh::ledger_options{.horizon_days = 3660});
  book.record(place("H-1", jst(2036, 1, 10, 12), jst(2036, 1, 11, 12)));
  const sys_seconds oldest = jst(2036, 1, 10) - days{3660};
  EXPECT_EQ(book.try_record(place("H-2", oldest, oldest + hours{1})), std::nullopt);
  const auto older = book.try_record(place("H-3", oldest - seconds{1}, oldest + hours{1}));
  ASSERT_TRUE(older);
  EXPECT_EQ(older->code, sh::rejection_code::beyond_horizon);
  // Its day's window can still be evaluated: H-2 was placed and is late (its deadline passed).
  const local_day h2_day = local_day{std::chrono::year{2026} / 1 / 2};  // 3,660 days before 2036-01-10
  ASSERT_EQ(sh::jst::day_of(oldest), h2_day);
  EXPECT_EQ(counts(book.evaluate<pfcr>("S1", h2_day)), frac(0, 1));
  EXPECT_EQ(counts(book.evaluate<lsr30>("S1", h2_day)), frac(1, 1));
  // A zero horizon takes only today's events.
  amazon_book strict(sh::ledger_options{.horizon_days = 0});
  strict.record(place("Z-1", jst(2026, 9, 2, 12), jst(2026, 9, 3, 12)));
  EXPECT_EQ(strict.try_record(place("Z-2", jst(2026, 9, 2, 0), jst(2026, 9, 3, 12))), std::nullopt);
  const auto yesterday = strict.try_record(place("Z-3", jst(2026, 9, 1, 23, 59, 59), jst(2026, 9, 3, 12)));
  ASSERT_TRUE(yesterday);
  EXPECT_EQ(yesterday->code, sh::rejection_code::beyond_horizon);
}

TEST(Limits, ADeadlineFarBeyondTheRejudgementRingStillComesDue) {
  // The ring holds the next 64 days; a deadline a year away waits elsewhere and is re-judged on
  // its day all the same, after the clock jumps there in one step or walks there day by day.
  for (const bool jump : {true, false}) {
    amazon_book book;
    book.record(place("F-1", jst(2026, 1, 5, 10), jst(2027, 1, 5, 18)));
    book.record(place("F-2", jst(2026, 1, 5, 11), jst(2026, 1, 6, 18)));
    const local_day due = lday(2027, 1, 5);
    if (jump) {
      book.advance_to(due - days{1});
    } else {
      for (local_day d = lday(2026, 1, 6); d < due; d += days{1}) book.advance_to(d);
    }
    // LSR files an order under its ship-by day: not in any window yet.
    EXPECT_EQ(counts(book.evaluate<lsr30>("S1", due - days{1})), frac(0, 0));
    book.advance_to(due);  // at the end of its day the 18:00 deadline has passed, unshipped: late
    EXPECT_EQ(counts(book.evaluate<lsr30>("S1", due)), frac(1, 1));
  }
}

// ---- the CSV reader's record length ------------------------------------------------------------------

TEST(Limits, RecordsUpToTheMaximumLengthAreReadAndLongerOnesAreErrors) {
  const std::string header = "event,order_id,seller_id,time,reason\n";
  const auto line_of = [](std::size_t bytes) {
    const std::string head = "placed,A-1,S1,2026-09-01T10:00:00Z,";
    return head + std::string(bytes - head.size() - 1, 'r') + "\n";
  };
  const std::string text = header + line_of(sh::io::event_reader::max_record_bytes) +
                           line_of(sh::io::event_reader::max_record_bytes + 1) + "shipped,A-1,,2026-09-01T11:00:00Z,\n";
  sh::io::event_reader reader(text);
  ASSERT_FALSE(reader.read_header());
  sh::io::record rec;
  std::optional<sh::io::csv_error> bad;
  ASSERT_TRUE(reader.next(rec, bad));
  EXPECT_FALSE(bad) << bad->message;
  EXPECT_EQ(rec.reason.size(), sh::io::event_reader::max_record_bytes - 36);  // 35 bytes before it, 1 after
  ASSERT_TRUE(reader.next(rec, bad));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->line, 3u);
  EXPECT_NE(bad->message.find("65537 bytes"), std::string::npos) << bad->message;
  ASSERT_TRUE(reader.next(rec, bad));  // reading goes on after it
  EXPECT_FALSE(bad);
  EXPECT_EQ(rec.event, "shipped");
  EXPECT_EQ(rec.line, 4u);
  EXPECT_FALSE(reader.next(rec, bad));
}

}  // namespace
