// Tests for sellerhealth/io/events_csv.hpp: splitting, header checks, per-column rules, times.
//
// Expected instants are built from std::chrono calendar types here, never taken from the parser.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <random>
#include <sellerhealth/io/events_csv.hpp>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "support/scenario.hpp"

namespace {

using namespace std::chrono_literals;
using sellerhealth::sys_seconds;
using sellerhealth::io::csv_error;
using sellerhealth::io::event_reader;
using sellerhealth::io::parse_day;
using sellerhealth::io::parse_time;
using sellerhealth::io::record;
using sellerhealth::io::to_event;
using std::chrono::sys_days;
// Instants from the calendar, independent of parse_time.
using scenario::jst;
using scenario::utc;

constexpr std::string_view full_header = "event,order_id,seller_id,time,ship_by,quantity,actor,reason,metric,channel\n";

::testing::AssertionResult contains(const std::string& text, std::string_view part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << part << "'";
}

// A record read by the reader, with its fields copied out (the reader reuses its scratch space).
struct owned {
  std::size_t line = 0;
  std::optional<csv_error> error;
  std::array<std::string, 10> fields;  // header order of events-csv.md
  [[nodiscard]] const std::string& event() const { return fields[0]; }
  [[nodiscard]] const std::string& order_id() const { return fields[1]; }
  [[nodiscard]] const std::string& seller_id() const { return fields[2]; }
  [[nodiscard]] const std::string& time() const { return fields[3]; }
  [[nodiscard]] const std::string& reason() const { return fields[7]; }
};

struct read_result {
  std::optional<csv_error> header_error;
  std::vector<owned> records;
};

read_result read_all(std::string_view text) {
  read_result out;
  event_reader reader{text};
  out.header_error = reader.read_header();
  record rec;
  std::optional<csv_error> error;
  std::size_t guard = 0;
  while (reader.next(rec, error)) {
    owned o;
    o.line = rec.line;
    o.error = error;
    o.fields = {std::string{rec.event},  std::string{rec.order_id}, std::string{rec.seller_id},
                std::string{rec.time},   std::string{rec.ship_by},  std::string{rec.quantity},
                std::string{rec.actor},  std::string{rec.reason},   std::string{rec.metric},
                std::string{rec.channel}};
    out.records.push_back(std::move(o));
    if (++guard > text.size() + 1) {
      ADD_FAILURE() << "reader made no progress";
      break;
    }
  }
  return out;
}

// Valid records of each event; tests change one field to make them bad.
record placed_row() {
  return {.line = 2,
          .event = "placed",
          .order_id = "A-1001",
          .seller_id = "S1",
          .time = "2026-09-01T10:00:00+09:00",
          .ship_by = "2026-09-03T23:59:59+09:00",
          .quantity = "2",
          .actor = "",
          .reason = "",
          .metric = "",
          .channel = "merchant"};
}
record row(std::string_view event) {
  return {.line = 7, .event = event, .order_id = "A-1001", .time = "2026-09-01T12:00:00+09:00"};
}

csv_error error_of(const record& r) {
  auto p = to_event(r);
  EXPECT_FALSE(p.value.has_value());
  EXPECT_TRUE(p.error.has_value());
  return p.error.value_or(csv_error{});
}

template <class E>
E event_of(const record& r) {
  auto p = to_event(r);
  EXPECT_FALSE(p.error.has_value()) << (p.error ? p.error->message : "");
  EXPECT_TRUE(p.value.has_value());
  EXPECT_TRUE(p.value && std::holds_alternative<E>(*p.value));
  return p.value && std::holds_alternative<E>(*p.value) ? std::get<E>(*p.value) : E{};
}

// --- parse_time ------------------------------------------------------------------------------------

TEST(ParseTime, JstOffset) {
  const auto t = parse_time("2026-09-01T10:00:00+09:00");
  ASSERT_TRUE(t.value);
  EXPECT_EQ(*t.value, jst(2026y / 9 / 1, 10h));
  EXPECT_EQ(*t.value, utc(2026y / 9 / 1, 1h));
}

TEST(ParseTime, ZuluAndNegativeOffsetEqualJst) {
  const auto expected = utc(2026y / 9 / 1, 1h);  // 2026-09-01T10:00:00+09:00
  const auto z = parse_time("2026-09-01T01:00:00Z");
  const auto minus3 = parse_time("2026-08-31T22:00:00-03:00");
  const auto plus9 = parse_time("2026-09-01T10:00:00+09:00");
  ASSERT_TRUE(z.value && minus3.value && plus9.value);
  EXPECT_EQ(*z.value, expected);
  EXPECT_EQ(*minus3.value, expected);
  EXPECT_EQ(*plus9.value, expected);
}

TEST(ParseTime, OffsetWithMinutes) {
  const auto t = parse_time("2026-09-01T06:30:00+05:30");  // India
  ASSERT_TRUE(t.value);
  EXPECT_EQ(*t.value, utc(2026y / 9 / 1, 1h));
  const auto m = parse_time("2026-09-01T00:00:00-00:00");
  ASSERT_TRUE(m.value);
  EXPECT_EQ(*m.value, utc(2026y / 9 / 1));
}

TEST(ParseTime, FractionalSecondsFloored) {
  const auto expected = jst(2026y / 9 / 1, 10h + 5s);
  for (const std::string_view text : {"2026-09-01T10:00:05.0+09:00", "2026-09-01T10:00:05.5+09:00",
                                      "2026-09-01T10:00:05.999999999+09:00", "2026-09-01T01:00:05.9Z"}) {
    const auto t = parse_time(text);
    ASSERT_TRUE(t.value) << text << ": " << t.error;
    EXPECT_EQ(*t.value, expected) << text;
  }
}

TEST(ParseTime, FractionBeforeEpochStillFloorsToTheSecondWritten) {
  const auto t = parse_time("1969-12-31T23:59:59.9Z");
  ASSERT_TRUE(t.value);
  EXPECT_EQ(*t.value, utc(1969y / 12 / 31, 23h + 59min + 59s));
}

TEST(ParseTime, FractionWithTooManyOrNoDigits) {
  EXPECT_FALSE(parse_time("2026-09-01T10:00:05.1234567890+09:00").value);
  EXPECT_FALSE(parse_time("2026-09-01T10:00:05.+09:00").value);
  EXPECT_EQ(parse_time("2026-09-01T10:00:05.+09:00").error, "fraction must have 1 to 9 digits");
}

TEST(ParseTime, LeapDay2028Valid) {
  const auto t = parse_time("2028-02-29T12:00:00+09:00");
  ASSERT_TRUE(t.value);
  EXPECT_EQ(*t.value, jst(2028y / 2 / 29, 12h));
  EXPECT_TRUE(parse_time("2000-02-29T00:00:00Z").value);  // divisible by 400
}

TEST(ParseTime, LeapDay2026Invalid) {
  const auto t = parse_time("2026-02-29T12:00:00+09:00");
  EXPECT_FALSE(t.value);
  EXPECT_EQ(t.error, "day out of range");
  EXPECT_FALSE(parse_time("2100-02-29T00:00:00Z").value);  // divisible by 100, not 400
}

TEST(ParseTime, YearBoundary) {
  const auto a = parse_time("2027-01-01T08:59:59+09:00");
  const auto b = parse_time("2026-12-31T23:30:00-01:00");
  ASSERT_TRUE(a.value && b.value);
  EXPECT_EQ(*a.value, utc(2026y / 12 / 31, 23h + 59min + 59s));
  EXPECT_EQ(*b.value, utc(2027y / 1 / 1, 30min));
  EXPECT_EQ(sellerhealth::jst::day_of(*a.value), std::chrono::local_days{2027y / 1 / 1});
}

TEST(ParseTime, YearRangeEnds) {
  const auto lo = parse_time("0000-01-01T00:00:00Z");
  const auto hi = parse_time("9999-12-31T23:59:59Z");
  ASSERT_TRUE(lo.value && hi.value);
  EXPECT_EQ(*lo.value, utc(std::chrono::year{0} / 1 / 1));
  EXPECT_EQ(*hi.value, utc(std::chrono::year{9999} / 12 / 31, 23h + 59min + 59s));
}

TEST(ParseTime, RangeErrors) {
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {"2026-13-01T00:00:00+09:00", "month out of range"},
      {"2026-00-01T00:00:00+09:00", "month out of range"},
      {"2026-04-31T00:00:00+09:00", "day out of range"},
      {"2026-01-32T00:00:00+09:00", "day out of range"},
      {"2026-01-00T00:00:00+09:00", "day out of range"},
      {"2026-01-01T24:00:00+09:00", "hour out of range"},
      {"2026-01-01T00:60:00+09:00", "minute out of range"},
      {"2026-01-01T00:00:60+09:00", "second out of range"},
      {"2026-01-01T00:00:00+24:00", "offset hour out of range"},
      {"2026-01-01T00:00:00+09:60", "offset minute out of range"},
  };
  for (const auto& [text, reason] : cases) {
    const auto t = parse_time(text);
    EXPECT_FALSE(t.value) << text;
    EXPECT_EQ(t.error, reason) << text;
  }
}

TEST(ParseTime, FormatErrors) {
  for (const std::string_view text :
       {"", "2026-09-01", "2026-09-01T10:00:00", "2026-09-01 10:00:00+09:00", "2026-09-01t10:00:00+09:00",
        "2026-09-01T10:00:00z", "2026-9-01T10:00:00+09:00", "26-09-01T10:00:00+09:00", "2026-09-01T10:00+09:00",
        "2026-09-01T10:00:00+0900", "2026-09-01T10:00:00+09", "2026-09-01T10:00:00+09:00 ", " 2026-09-01T10:00:00Z",
        "2026-09-01T10:00:00ZZ", "2026/09/01T10:00:00Z", "2026-09-01T1a:00:00Z", "+2026-09-01T10:00:00Z",
        "2026-09-01T10:00:00+-9:00"}) {
    const auto t = parse_time(text);
    EXPECT_FALSE(t.value) << "'" << text << "'";
    EXPECT_FALSE(t.error.empty()) << "'" << text << "'";
  }
}

TEST(ParseTime, UsableAtCompileTime) {
  static_assert(parse_time("1970-01-01T00:00:01Z").value == sys_seconds{1s});
  static_assert(!parse_time("1970-02-30T00:00:00Z").value);
}

// The fixed-shape fast path (`parse_time_fixed`) must agree with the general parser on every input
// of its two shapes: the same instant when both accept, and no instant when the general parser
// rejects (which then reports its own error). Valid inputs of those shapes must take the fast path.
::testing::AssertionResult paths_agree(std::string_view text) {
  const auto general = sellerhealth::io::detail::parse_time_general(text);
  const auto fixed = sellerhealth::io::detail::parse_time_fixed(text);
  const auto both = parse_time(text);
  const bool fixed_shape = text.size() == 20 || text.size() == 25;
  if (fixed.has_value() != (fixed_shape && general.value.has_value()))
    return ::testing::AssertionFailure() << "'" << text << "': fast path " << (fixed ? "accepts" : "declines")
                                         << ", general parser " << (general.value ? "accepts" : "rejects");
  if (fixed && *fixed != *general.value)
    return ::testing::AssertionFailure() << "'" << text << "': fast path gives " << fixed->time_since_epoch().count()
                                         << ", general parser " << general.value->time_since_epoch().count();
  if (both.value != general.value || both.error != general.error)
    return ::testing::AssertionFailure() << "'" << text << "': parse_time differs from the general parser";
  return ::testing::AssertionSuccess();
}

TEST(ParseTime, FastPathAgreesOnBoundaries) {
  for (const std::string_view text :
       {"2028-02-29T12:00:00+09:00", "2026-02-29T12:00:00+09:00",   "2000-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z",      "2026-02-28T23:59:59Z",        "2024-02-30T00:00:00Z",
        "2026-01-31T00:00:00Z",      "2026-04-30T00:00:00Z",        "2026-04-31T00:00:00Z",
        "2026-12-31T00:00:00Z",      "2026-12-32T00:00:00Z",        "2026-01-00T00:00:00Z",
        "2026-00-01T00:00:00Z",      "2026-13-01T00:00:00Z",        "2026-09-01T00:00:00+09:00",
        "2026-09-01T23:59:59+09:00", "2026-09-01T24:00:00+09:00",   "2026-09-01T24:00:00Z",
        "2026-09-01T10:60:00Z",      "2026-09-01T10:59:60Z",        "2026-09-01T10:00:60+09:00",
        "2026-09-01T10:00:59+14:00", "2026-09-01T10:00:00-12:00",   "2026-09-01T10:00:00+23:59",
        "2026-09-01T10:00:00-23:59", "2026-09-01T10:00:00+24:00",   "2026-09-01T10:00:00-24:00",
        "2026-09-01T10:00:00+09:60", "2026-09-01T10:00:00+99:99",   "2026-09-01T10:00:00-00:00",
        "2026-09-01T10:00:00+00:00", "0001-01-01T00:00:00Z",        "0001-01-01T00:00:00+14:00",
        "0000-01-01T00:00:00Z",      "0000-02-29T00:00:00Z",        "0000-03-01T00:00:00-12:00",
        "9999-12-31T23:59:59Z",      "9999-12-31T23:59:59-12:00",   "1969-12-31T23:59:59Z",
        "1970-01-01T00:00:00Z",      "1600-02-29T00:00:00Z",        "1700-02-29T00:00:00Z",
        "2026-09-01T10:00:00.5Z",    "2026-09-01T10:00:00.5+09:00", "2026-09-01T10:00:00z",
        "2026-09-01T10:00:00+0900",  "2026-09-01T10:00:00 09:00",   "2026-09-01T10:00:00*09:00",
        "2026-09-01T10:00:00+09;00", "2026-09-01 10:00:00+09:00",   "2026-09-01t10:00:00Z",
        "2026/09/01T10:00:00Z",      "2026-09-01T10.00.00Z",        "2026-09-01T10:00:00ZZZZZZ",
        "2026-09-01T10:00:0Z",       "+2026-09-01T10:00:00Z",       "2026-09-01T10:00:00+09:00 "}) {
    EXPECT_TRUE(paths_agree(text));
  }
}

// Every byte value in every position of both shapes: digits where separators belong and the
// reverse, bytes just outside '0'-'9' (including '/' and ':'), and bytes from 0xFA up, whose
// word arithmetic carries into the next byte.
TEST(ParseTime, FastPathAgreesWithEveryByteInEveryPosition) {
  for (const std::string_view valid :
       {"2028-02-29T23:59:59+14:00", "2026-09-01T10:00:00-12:00", "2028-02-29T23:59:59Z", "0000-01-01T00:00:00Z"}) {
    std::string text{valid};
    for (std::size_t at = 0; at < text.size(); ++at) {
      for (int b = 0; b < 256; ++b) {
        text[at] = static_cast<char>(b);
        EXPECT_TRUE(paths_agree(text)) << "byte " << b << " at " << at;
      }
      text[at] = valid[at];
    }
  }
}

// Random instants over the whole range of years and offsets, both shapes, against the general
// parser and against the calendar.
TEST(ParseTime, FastPathAgreesOnRandomInstants) {
  std::mt19937_64 rng{20260901};
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>{lo, hi}(rng); };
  for (int i = 0; i < 20000; ++i) {
    const int y = pick(0, 9999), mo = pick(1, 12), d = pick(1, 31), h = pick(0, 23), mi = pick(0, 59), s = pick(0, 59),
              oh = pick(0, 23), om = pick(0, 59);
    char text[32];
    if (i % 3 == 0) {
      std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
    } else {
      std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, mo, d, h, mi, s,
                    i % 2 ? '+' : '-', oh, om);
    }
    ASSERT_TRUE(paths_agree(text));
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    const auto fixed = sellerhealth::io::detail::parse_time_fixed(text);
    ASSERT_EQ(fixed.has_value(), ymd.ok()) << text;
    if (!fixed) continue;
    const int offset = i % 3 == 0 ? 0 : (i % 2 ? 1 : -1) * (oh * 3600 + om * 60);
    EXPECT_EQ(*fixed, sys_seconds{sys_days{ymd}} + std::chrono::seconds{h * 3600 + mi * 60 + s - offset}) << text;
  }
}

// --- parse_day -------------------------------------------------------------------------------------

TEST(ParseDay, Valid) {
  EXPECT_EQ(parse_day("2026-09-30"), std::chrono::local_days{2026y / 9 / 30});
  EXPECT_EQ(parse_day("2028-02-29"), std::chrono::local_days{2028y / 2 / 29});
}

TEST(ParseDay, Invalid) {
  for (const std::string_view text : {"", "2026-02-29", "2026-13-01", "2026-09-31", "2026-9-30", "2026/09/30",
                                      "2026-09-30T00:00:00Z", "2026-09-30 "}) {
    EXPECT_FALSE(parse_day(text)) << "'" << text << "'";
  }
}

// --- header ------------------------------------------------------------------------------------------

TEST(Header, FullHeaderAccepted) {
  event_reader reader{full_header};
  EXPECT_FALSE(reader.read_header());
  record r;
  std::optional<csv_error> e;
  EXPECT_FALSE(reader.next(r, e));
  EXPECT_FALSE(e);
}

TEST(Header, UnknownColumn) {
  const auto res = read_all("event,order_id,time,colour\n");
  ASSERT_TRUE(res.header_error);
  EXPECT_EQ(res.header_error->line, 1U);
  EXPECT_EQ(res.header_error->message, "header: unknown column 'colour'");
}

TEST(Header, ColumnNamesAreCaseSensitive) {
  const auto res = read_all("Event,order_id,time\n");
  ASSERT_TRUE(res.header_error);
  EXPECT_TRUE(contains(res.header_error->message, "unknown column 'Event'"));
}

TEST(Header, ColumnNamesAreNotTrimmed) {
  const auto res = read_all("event, order_id,time\n");
  ASSERT_TRUE(res.header_error);
  EXPECT_TRUE(contains(res.header_error->message, "unknown column ' order_id'"));
}

TEST(Header, TrailingCommaIsAnEmptyColumnName) {
  const auto res = read_all("event,order_id,time,\n");
  ASSERT_TRUE(res.header_error);
  EXPECT_TRUE(contains(res.header_error->message, "unknown column ''"));
}

TEST(Header, DuplicateColumn) {
  const auto res = read_all("event,order_id,time,reason,reason\n");
  ASSERT_TRUE(res.header_error);
  EXPECT_EQ(res.header_error->line, 1U);
  EXPECT_EQ(res.header_error->message, "header: duplicate column 'reason'");
}

TEST(Header, MissingEventColumn) {
  const auto res = read_all("order_id,time\nA-1,2026-09-01T10:00:00+09:00\n");
  ASSERT_TRUE(res.header_error);
  EXPECT_EQ(res.header_error->line, 1U);
  EXPECT_EQ(res.header_error->message, "header: missing required column 'event'");
  EXPECT_TRUE(res.records.empty());  // no records without a good header
}

TEST(Header, MissingOrderIdColumn) {
  const auto res = read_all("event,time\n");
  ASSERT_TRUE(res.header_error);
  EXPECT_EQ(res.header_error->message, "header: missing required column 'order_id'");
}

TEST(Header, MissingTimeColumn) {
  const auto res = read_all("event,order_id,seller_id\n");
  ASSERT_TRUE(res.header_error);
  EXPECT_EQ(res.header_error->message, "header: missing required column 'time'");
}

TEST(Header, EmptyInput) {
  const auto res = read_all("");
  ASSERT_TRUE(res.header_error);
  EXPECT_EQ(res.header_error->line, 1U);
  EXPECT_TRUE(contains(res.header_error->message, "missing header"));
}

TEST(Header, BomOnly) {
  const auto res = read_all("\xEF\xBB\xBF");
  ASSERT_TRUE(res.header_error);
  EXPECT_TRUE(contains(res.header_error->message, "missing header"));
}

TEST(Header, EmptyFirstLineIsNotSkipped) {
  const auto res = read_all("\nevent,order_id,time\n");
  ASSERT_TRUE(res.header_error);
  EXPECT_EQ(res.header_error->line, 1U);
  EXPECT_TRUE(contains(res.header_error->message, "missing header"));
}

TEST(Header, UnterminatedQuote) {
  const auto res = read_all("event,\"order_id,time\n");
  ASSERT_TRUE(res.header_error);
  EXPECT_EQ(res.header_error->line, 1U);
  EXPECT_TRUE(contains(res.header_error->message, "unterminated"));
}

TEST(Header, TextAfterClosingQuote) {
  const auto res = read_all("event,\"order_id\"x,time\n");
  ASSERT_TRUE(res.header_error);
  EXPECT_TRUE(contains(res.header_error->message, "after the closing quote of field 2"));
}

TEST(Header, QuotedNamesAccepted) {
  const auto res = read_all("\"event\",\"order_id\",\"time\"\nshipped,A-1,2026-09-01T10:00:00+09:00\n");
  ASSERT_FALSE(res.header_error) << res.header_error->message;
  ASSERT_EQ(res.records.size(), 1U);
  EXPECT_EQ(res.records[0].order_id(), "A-1");
}

TEST(Header, BomSkipped) {
  const auto res = read_all(
      "\xEF\xBB\xBF"
      "event,order_id,time\nshipped,A-1,2026-09-01T10:00:00+09:00\n");
  ASSERT_FALSE(res.header_error) << res.header_error->message;
  ASSERT_EQ(res.records.size(), 1U);
  EXPECT_EQ(res.records[0].line, 2U);
  EXPECT_EQ(res.records[0].event(), "shipped");
}

TEST(Header, ReadHeaderAgainStartsOver) {
  const std::string text = "event,order_id,time\nshipped,A-1,2026-09-01T10:00:00+09:00\n";
  event_reader reader{text};
  ASSERT_FALSE(reader.read_header());
  record r;
  std::optional<csv_error> e;
  ASSERT_TRUE(reader.next(r, e));
  ASSERT_FALSE(reader.read_header());
  ASSERT_TRUE(reader.next(r, e));
  EXPECT_EQ(r.line, 2U);
  EXPECT_FALSE(reader.next(r, e));
}

TEST(Header, NextBeforeHeaderReturnsFalse) {
  event_reader reader{"event,order_id,time\nshipped,A-1,2026-09-01T10:00:00+09:00\n"};
  record r;
  std::optional<csv_error> e;
  EXPECT_FALSE(reader.next(r, e));
}

// --- splitting records ---------------------------------------------------------------------------------

TEST(Records, SpecExample) {
  const std::string text = std::string{full_header} +
                           "placed,A-1001,S1,2026-09-01T10:00:00+09:00,2026-09-03T23:59:59+09:00,2,,,,merchant\n"
                           "cancel_requested,A-1001,,2026-09-01T12:00:00+09:00,,,buyer,changed_mind,,\n"
                           "cancelled,A-1001,,2026-09-01T13:00:00+09:00,,,seller,buyer_request,,\n";
  event_reader reader{text};
  ASSERT_FALSE(reader.read_header());
  std::vector<sellerhealth::event> events;
  std::vector<std::size_t> lines;
  record rec;
  std::optional<csv_error> error;
  while (reader.next(rec, error)) {
    ASSERT_FALSE(error) << error->message;
    auto p = to_event(rec);
    ASSERT_TRUE(p.value) << p.error->message;
    events.push_back(*p.value);
    lines.push_back(rec.line);
  }
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(lines, (std::vector<std::size_t>{2, 3, 4}));

  const auto& p = std::get<sellerhealth::placed>(events[0]);
  EXPECT_EQ(p.order, "A-1001");
  EXPECT_EQ(p.seller, "S1");
  EXPECT_EQ(p.at, jst(2026y / 9 / 1, 10h));
  EXPECT_EQ(p.ship_by, jst(2026y / 9 / 3, 23h + 59min + 59s));
  EXPECT_EQ(p.quantity, 2U);
  EXPECT_EQ(p.channel, sellerhealth::fulfilment::merchant);

  const auto& r = std::get<sellerhealth::cancel_requested>(events[1]);
  EXPECT_EQ(r.at, jst(2026y / 9 / 1, 12h));
  EXPECT_TRUE(r.seller.empty());

  const auto& c = std::get<sellerhealth::cancelled>(events[2]);
  EXPECT_EQ(c.at, jst(2026y / 9 / 1, 13h));
  EXPECT_EQ(c.by, sellerhealth::actor::seller);
  EXPECT_FALSE(c.units);
}

TEST(Records, QuotedFieldWithCommas) {
  const auto res = read_all("event,order_id,time,reason\nshipped,\"A,1\",2026-09-01T10:00:00+09:00,\"a, b, c\"\n");
  ASSERT_EQ(res.records.size(), 1U);
  ASSERT_FALSE(res.records[0].error);
  EXPECT_EQ(res.records[0].order_id(), "A,1");
  EXPECT_EQ(res.records[0].reason(), "a, b, c");
}

TEST(Records, EscapedQuotes) {
  const auto res = read_all(
      "event,order_id,time,reason\n"
      "shipped,\"A\"\"1\",2026-09-01T10:00:00+09:00,\"she said \"\"no\"\", twice \"\"\"\"\"\n");
  ASSERT_EQ(res.records.size(), 1U);
  ASSERT_FALSE(res.records[0].error) << res.records[0].error->message;
  // Two unescaped fields in one record: the first must survive the second's scratch growth.
  EXPECT_EQ(res.records[0].order_id(), "A\"1");
  EXPECT_EQ(res.records[0].reason(), "she said \"no\", twice \"\"");
}

TEST(Records, LongEscapedFieldsInOneRecord) {
  const std::string a(300, 'a'), b(5000, 'b');
  const std::string text =
      "event,order_id,time,reason\nshipped,\"" + a + "\"\"x\",2026-09-01T10:00:00+09:00,\"" + b + "\"\"y\"\"\"\n";
  const auto res = read_all(text);
  ASSERT_EQ(res.records.size(), 1U);
  EXPECT_EQ(res.records[0].order_id(), a + "\"x");
  EXPECT_EQ(res.records[0].reason(), b + "\"y\"");
}

TEST(Records, EmptyQuotedFieldIsEmpty) {
  const auto res = read_all("event,order_id,time,reason\nshipped,A-1,2026-09-01T10:00:00+09:00,\"\"\n");
  ASSERT_EQ(res.records.size(), 1U);
  ASSERT_FALSE(res.records[0].error);
  EXPECT_EQ(res.records[0].reason(), "");
}

TEST(Records, EmbeddedNewlinesKeepLineNumbers) {
  const auto res = read_all(
      "event,order_id,time,reason\n"
      "shipped,A-1,2026-09-01T10:00:00+09:00,\"first\nsecond\nthird\"\n"
      "shipped,A-2,2026-09-01T11:00:00+09:00,plain\n");
  ASSERT_EQ(res.records.size(), 2U);
  EXPECT_EQ(res.records[0].line, 2U);
  EXPECT_EQ(res.records[0].reason(), "first\nsecond\nthird");
  EXPECT_EQ(res.records[1].line, 5U);
  EXPECT_EQ(res.records[1].order_id(), "A-2");
}

TEST(Records, CrlfLineEnds) {
  const auto res = read_all(
      "event,order_id,time,reason\r\n"
      "shipped,A-1,2026-09-01T10:00:00+09:00,\"two\r\nlines\"\r\n"
      "shipped,A-2,2026-09-01T11:00:00+09:00,last\r\n");
  ASSERT_FALSE(res.header_error);
  ASSERT_EQ(res.records.size(), 2U);
  ASSERT_FALSE(res.records[0].error);
  EXPECT_EQ(res.records[0].time(), "2026-09-01T10:00:00+09:00");
  EXPECT_EQ(res.records[0].reason(), "two\r\nlines");  // inside quotes the bytes are kept
  EXPECT_EQ(res.records[1].line, 4U);
  EXPECT_EQ(res.records[1].reason(), "last");
}

TEST(Records, MissingFinalNewline) {
  const auto res = read_all("event,order_id,time\nshipped,A-1,2026-09-01T10:00:00+09:00");
  ASSERT_EQ(res.records.size(), 1U);
  ASSERT_FALSE(res.records[0].error);
  EXPECT_EQ(res.records[0].time(), "2026-09-01T10:00:00+09:00");
}

TEST(Records, MissingFinalNewlineAfterQuotedField) {
  const auto res = read_all("event,order_id,time\nshipped,A-1,\"2026-09-01T10:00:00+09:00\"");
  ASSERT_EQ(res.records.size(), 1U);
  ASSERT_FALSE(res.records[0].error);
  EXPECT_EQ(res.records[0].time(), "2026-09-01T10:00:00+09:00");
}

TEST(Records, TrailingEmptyFieldCounts) {
  const auto res = read_all("event,order_id,time,reason\nshipped,A-1,2026-09-01T10:00:00+09:00,\n");
  ASSERT_EQ(res.records.size(), 1U);
  EXPECT_FALSE(res.records[0].error);
}

TEST(Records, BlankLinesIgnored) {
  const auto res = read_all(
      "event,order_id,time\n"
      "\n"
      "shipped,A-1,2026-09-01T10:00:00+09:00\n"
      "\r\n"
      "\n"
      "shipped,A-2,2026-09-01T11:00:00+09:00\n"
      "\n");
  ASSERT_EQ(res.records.size(), 2U);
  EXPECT_EQ(res.records[0].line, 3U);
  EXPECT_EQ(res.records[1].line, 6U);
  EXPECT_FALSE(res.records[0].error);
  EXPECT_FALSE(res.records[1].error);
}

TEST(Records, WhitespaceLineIsARecord) {
  const auto res = read_all("event,order_id,time\n  \n");
  ASSERT_EQ(res.records.size(), 1U);
  ASSERT_TRUE(res.records[0].error);
  EXPECT_EQ(res.records[0].error->message, "expected 3 fields, found 1");
}

TEST(Records, ColumnsInAnotherOrder) {
  const auto res = read_all(
      "channel,time,quantity,event,ship_by,seller_id,order_id\n"
      "platform,2026-09-01T10:00:00+09:00,3,placed,2026-09-02T10:00:00+09:00,S9,B-7\n");
  ASSERT_EQ(res.records.size(), 1U);
  ASSERT_FALSE(res.records[0].error);
  EXPECT_EQ(res.records[0].event(), "placed");
  EXPECT_EQ(res.records[0].order_id(), "B-7");
  EXPECT_EQ(res.records[0].seller_id(), "S9");

  event_reader reader{
      "channel,time,quantity,event,ship_by,seller_id,order_id\n"
      "platform,2026-09-01T10:00:00+09:00,3,placed,2026-09-02T10:00:00+09:00,S9,B-7\n"};
  ASSERT_FALSE(reader.read_header());
  record rec;
  std::optional<csv_error> error;
  ASSERT_TRUE(reader.next(rec, error));
  const auto p = event_of<sellerhealth::placed>(rec);
  EXPECT_EQ(p.order, "B-7");
  EXPECT_EQ(p.seller, "S9");
  EXPECT_EQ(p.quantity, 3U);
  EXPECT_EQ(p.channel, sellerhealth::fulfilment::platform);
  EXPECT_EQ(p.ship_by, jst(2026y / 9 / 2, 10h));
}

TEST(Records, AbsentOptionalColumnsAreEmpty) {
  const std::string text =
      "event,order_id,time\nshipped,A-1,2026-09-01T10:00:00+09:00\nplaced,A-2,2026-09-01T10:00:00+09:00\n";
  event_reader reader{text};
  ASSERT_FALSE(reader.read_header());
  record rec;
  std::optional<csv_error> error;
  ASSERT_TRUE(reader.next(rec, error));
  ASSERT_FALSE(error);
  EXPECT_TRUE(rec.seller_id.empty() && rec.ship_by.empty() && rec.quantity.empty() && rec.actor.empty() &&
              rec.reason.empty() && rec.metric.empty() && rec.channel.empty());
  const auto s = event_of<sellerhealth::shipped>(rec);
  EXPECT_EQ(s.at, jst(2026y / 9 / 1, 10h));

  ASSERT_TRUE(reader.next(rec, error));
  EXPECT_EQ(error_of(rec).message, "'placed' requires column 'seller_id'");
}

TEST(Records, FieldsPointIntoTheBuffer) {
  const std::string text = "event,order_id,time\nshipped,A-1,2026-09-01T10:00:00+09:00\n";
  event_reader reader{text};
  ASSERT_FALSE(reader.read_header());
  record rec;
  std::optional<csv_error> error;
  ASSERT_TRUE(reader.next(rec, error));
  EXPECT_EQ(rec.order_id.data(), text.data() + text.find("A-1"));
}

TEST(Records, TooFewFields) {
  const auto res = read_all(std::string{full_header} + "shipped,A-1,,2026-09-01T10:00:00+09:00,,,,,\n");
  ASSERT_EQ(res.records.size(), 1U);
  ASSERT_TRUE(res.records[0].error);
  EXPECT_EQ(res.records[0].error->line, 2U);
  EXPECT_EQ(res.records[0].error->message, "expected 10 fields, found 9");
}

TEST(Records, TooManyFields) {
  const auto res = read_all("event,order_id,time\nshipped,A-1,2026-09-01T10:00:00+09:00,extra\n");
  ASSERT_EQ(res.records.size(), 1U);
  ASSERT_TRUE(res.records[0].error);
  EXPECT_EQ(res.records[0].error->message, "expected 3 fields, found 4");
}

TEST(Records, ReadingContinuesAfterABadRecord) {
  const auto res = read_all(
      "event,order_id,time\n"
      "shipped,A-1\n"
      "shipped,A-2,2026-09-01T10:00:00+09:00\n");
  ASSERT_EQ(res.records.size(), 2U);
  ASSERT_TRUE(res.records[0].error);
  EXPECT_EQ(res.records[0].error->line, 2U);
  EXPECT_FALSE(res.records[1].error);
  EXPECT_EQ(res.records[1].line, 3U);
  EXPECT_EQ(res.records[1].order_id(), "A-2");
}

TEST(Records, UnterminatedQuote) {
  const auto res = read_all(
      "event,order_id,time,reason\n"
      "shipped,A-1,2026-09-01T10:00:00+09:00,ok\n"
      "shipped,A-2,2026-09-01T10:00:00+09:00,\"never closed\n"
      "shipped,A-3,2026-09-01T10:00:00+09:00,swallowed\n");
  ASSERT_EQ(res.records.size(), 2U);
  EXPECT_FALSE(res.records[0].error);
  ASSERT_TRUE(res.records[1].error);
  EXPECT_EQ(res.records[1].error->line, 3U);  // where the record starts
  EXPECT_TRUE(contains(res.records[1].error->message, "unterminated quoted field 4 (reason)"));
}

TEST(Records, TextAfterClosingQuote) {
  const auto res = read_all(
      "event,order_id,time\n"
      "shipped,\"A-1\"x,2026-09-01T10:00:00+09:00\n"
      "shipped,A-2,2026-09-01T10:00:00+09:00\n");
  ASSERT_EQ(res.records.size(), 2U);
  ASSERT_TRUE(res.records[0].error);
  EXPECT_EQ(res.records[0].error->line, 2U);
  EXPECT_EQ(res.records[0].error->message, "text after the closing quote of field 2 (order_id)");
  EXPECT_FALSE(res.records[1].error);
  EXPECT_EQ(res.records[1].line, 3U);
}

TEST(Records, SpaceAfterClosingQuote) {
  const auto res = read_all("event,order_id,time\nshipped,\"A-1\" ,2026-09-01T10:00:00+09:00\n");
  ASSERT_EQ(res.records.size(), 1U);
  ASSERT_TRUE(res.records[0].error);
  EXPECT_TRUE(contains(res.records[0].error->message, "after the closing quote"));
}

TEST(Records, QuoteInsideUnquotedField) {
  const auto res = read_all(
      "event,order_id,time,reason\n"
      "shipped,A-1,2026-09-01T10:00:00+09:00,5\" screen\n"
      "shipped,A-2,2026-09-01T10:00:00+09:00,ok\n");
  ASSERT_EQ(res.records.size(), 2U);
  ASSERT_TRUE(res.records[0].error);
  EXPECT_TRUE(contains(res.records[0].error->message, "quote inside unquoted field 4 (reason)"));
  EXPECT_FALSE(res.records[1].error);
  EXPECT_EQ(res.records[1].line, 3U);
}

TEST(Records, LoneCarriageReturn) {
  const auto res = read_all(
      "event,order_id,time\n"
      "shipped,A-1,2026-09-01T10:00:00+09:00\rshipped,A-2,2026-09-01T10:00:00+09:00\n"
      "shipped,A-3,2026-09-01T10:00:00+09:00\n");
  ASSERT_EQ(res.records.size(), 2U);
  ASSERT_TRUE(res.records[0].error);
  EXPECT_TRUE(contains(res.records[0].error->message, "carriage return not followed by line feed in field 3 (time)"));
  EXPECT_FALSE(res.records[1].error);
  EXPECT_EQ(res.records[1].line, 3U);
}

TEST(Records, NoRecords) {
  const auto res = read_all("event,order_id,time\n\n\n");
  EXPECT_FALSE(res.header_error);
  EXPECT_TRUE(res.records.empty());
}

// Garbage in never crashes, never loops, and line numbers never go backwards (run under ASan/UBSan).
TEST(Records, RandomInputIsSafe) {
  std::mt19937 rng{12345};
  constexpr std::string_view alphabet = ",\"\n\r aZ0\xEF\xBB\xBF";
  std::uniform_int_distribution<std::size_t> pick{0, alphabet.size() - 1}, length{0, 200};
  for (int round = 0; round < 3000; ++round) {
    std::string text = round % 2 == 0 ? "event,order_id,time\n" : "";
    const std::size_t n = length(rng);
    for (std::size_t i = 0; i < n; ++i) text += alphabet[pick(rng)];
    event_reader reader{text};
    (void)reader.read_header();
    record rec;
    std::optional<csv_error> error;
    std::size_t last_line = 1, count = 0;
    while (reader.next(rec, error)) {
      ASSERT_LE(++count, text.size());
      ASSERT_GE(rec.line, last_line);
      last_line = rec.line;
      if (!error) (void)to_event(rec);
    }
  }
}

// Random fields written as a CSV writer writes them (quoted when they hold a comma, quote, CR or
// LF, and sometimes when they do not; quotes doubled; LF or CRLF line ends, sometimes none at the
// end of the file) read back exactly, with their line numbers. Records with and without quotes
// and CRs sit side by side, so the block scanner for plain records and the general scanner both
// meet every kind of neighbour, at every offset within a block.
TEST(Records, WrittenFieldsReadBackExactly) {
  std::mt19937 rng{2026};
  constexpr std::string_view plain = "abcXYZ019-:+T ";
  std::uniform_int_distribution<int> percent{0, 99};
  std::uniform_int_distribution<std::size_t> plain_char{0, plain.size() - 1}, length{0, 24};
  const auto random_field = [&] {
    std::string f;
    const std::size_t n = length(rng);
    const bool odd = percent(rng) < 8;  // a field that needs quoting now and then
    for (std::size_t i = 0; i < n; ++i) {
      if (odd && percent(rng) < 15) {
        constexpr std::string_view specials = ",\"\r\n";
        f += specials[static_cast<std::size_t>(percent(rng)) % specials.size()];
      } else {
        f += plain[plain_char(rng)];
      }
    }
    return f;
  };
  for (int round = 0; round < 300; ++round) {
    std::string text{full_header};
    std::vector<std::array<std::string, 10>> written;
    std::vector<std::size_t> lines;
    std::size_t line = 2;
    const int records = 1 + percent(rng) % 40;
    const bool crlf = percent(rng) < 20;
    for (int r = 0; r < records; ++r) {
      auto& fields = written.emplace_back();
      lines.push_back(line);
      for (std::size_t c = 0; c < fields.size(); ++c) {
        fields[c] = random_field();
        if (c == 0 && fields[c].empty()) fields[c].push_back('x');  // an empty record would be a blank line
        const bool needs = fields[c].find_first_of(",\"\r\n") != std::string::npos;
        if (c > 0) text += ',';
        if (needs || percent(rng) < 3) {
          text += '"';
          for (const char ch : fields[c]) {
            if (ch == '"') text += '"';
            if (ch == '\n') ++line;
            text += ch;
          }
          text += '"';
        } else {
          text += fields[c];
        }
      }
      if (r + 1 < records || percent(rng) < 70) text += crlf ? "\r\n" : "\n";
      ++line;
    }
    event_reader reader{text};
    ASSERT_FALSE(reader.read_header());
    record rec;
    std::optional<csv_error> error;
    for (std::size_t r = 0; r < written.size(); ++r) {
      ASSERT_TRUE(reader.next(rec, error)) << "round " << round << ", record " << r;
      ASSERT_FALSE(error) << "round " << round << ", record " << r << ": " << error->message;
      const auto& w = written[r];
      const std::array<std::string_view, 10> got = {rec.event,    rec.order_id, rec.seller_id, rec.time,   rec.ship_by,
                                                    rec.quantity, rec.actor,    rec.reason,    rec.metric, rec.channel};
      for (std::size_t c = 0; c < w.size(); ++c)
        ASSERT_EQ(got[c], w[c]) << "round " << round << ", record " << r << ", field " << c;
      ASSERT_EQ(rec.line, lines[r]) << "round " << round << ", record " << r;
    }
    EXPECT_FALSE(reader.next(rec, error)) << "round " << round;
  }
}

// The segment-wide line and quote counts: equal to std::count at every length and offset,
// including runs long enough (over 255 blocks of sixteen) to fill the per-lane counters.
TEST(Records, CountingBytesAgreesWithStdCount) {
  std::mt19937 rng{7};
  std::uniform_int_distribution<int> percent{0, 99};
  for (const std::size_t size : {0u, 1u, 15u, 16u, 17u, 4079u, 4080u, 4081u, 8200u, 70000u}) {
    for (const int density : {0, 3, 50, 100}) {
      std::string text(size, 'a');
      for (char& ch : text)
        if (percent(rng) < density) ch = '\n';
      for (const std::size_t offset : {0u, 1u, 7u}) {
        const std::string_view part = std::string_view(text).substr(std::min(offset, text.size()));
        EXPECT_EQ(sellerhealth::io::detail::count_byte(part, '\n'),
                  static_cast<std::size_t>(std::count(part.begin(), part.end(), '\n')))
            << "size " << size << ", density " << density << ", offset " << offset;
      }
    }
  }
}

TEST(Records, EveryPrefixOfAFileIsSafe) {
  const std::string text =
      std::string{"\xEF\xBB\xBF"} + std::string{full_header} +
      "placed,\"A,\"\"1\",S1,2026-09-01T10:00:00+09:00,2026-09-03T23:59:59+09:00,2,,\"x\r\ny\",,\r\n"
      "cancelled,A,,2026-09-01T13:00:00.5Z,,,seller,,,\n";
  for (std::size_t n = 0; n <= text.size(); ++n) {
    const std::string prefix = text.substr(0, n);  // its own allocation, so ASan sees reads past the end
    (void)read_all(prefix);
  }
}

// --- to_event: event and required columns -----------------------------------------------------------------

TEST(ToEvent, UnknownEvent) {
  const auto e = error_of(row("shiped"));
  EXPECT_EQ(e.line, 7U);
  EXPECT_EQ(e.message, "unknown event 'shiped'");
}

TEST(ToEvent, EventIsCaseSensitive) { EXPECT_EQ(error_of(row("Placed")).message, "unknown event 'Placed'"); }

TEST(ToEvent, EventIsNotTrimmed) { EXPECT_EQ(error_of(row(" shipped")).message, "unknown event ' shipped'"); }

TEST(ToEvent, EmptyEvent) { EXPECT_EQ(error_of(row("")).message, "column 'event' is empty"); }

TEST(ToEvent, MissingOrderIdOnPlaced) {
  auto r = placed_row();
  r.order_id = "";
  EXPECT_EQ(error_of(r).message, "'placed' requires column 'order_id'");
}

TEST(ToEvent, MissingOrderIdOnShipped) {
  auto r = row("shipped");
  r.order_id = "";
  EXPECT_EQ(error_of(r).message, "'shipped' requires column 'order_id'");
}

TEST(ToEvent, MissingTime) {
  auto r = row("shipped");
  r.time = "";
  EXPECT_EQ(error_of(r).message, "'shipped' requires column 'time'");
}

TEST(ToEvent, UnparsableTime) {
  auto r = row("shipped");
  r.time = "2026-13-01T00:00:00+09:00";
  EXPECT_EQ(error_of(r).message, "column 'time': unparsable time '2026-13-01T00:00:00+09:00' (month out of range)");
}

TEST(ToEvent, TimeWithoutOffset) {
  auto r = row("shipped");
  r.time = "2026-09-01T10:00:00";
  EXPECT_TRUE(
      contains(error_of(r).message, "column 'time': unparsable time '2026-09-01T10:00:00' (missing UTC offset"));
}

TEST(ToEvent, MissingSellerOnPlaced) {
  auto r = placed_row();
  r.seller_id = "";
  EXPECT_EQ(error_of(r).message, "'placed' requires column 'seller_id'");
}

TEST(ToEvent, MissingShipByOnPlaced) {
  auto r = placed_row();
  r.ship_by = "";
  EXPECT_EQ(error_of(r).message, "'placed' requires column 'ship_by'");
}

TEST(ToEvent, UnparsableShipBy) {
  auto r = placed_row();
  r.ship_by = "2026-02-29T23:59:59+09:00";
  EXPECT_EQ(error_of(r).message, "column 'ship_by': unparsable time '2026-02-29T23:59:59+09:00' (day out of range)");
}

TEST(ToEvent, MissingShipByOnShipByChanged) {
  EXPECT_EQ(error_of(row("ship_by_changed")).message, "'ship_by_changed' requires column 'ship_by'");
}

TEST(ToEvent, MissingActorOnCancelled) {
  EXPECT_EQ(error_of(row("cancelled")).message, "'cancelled' requires column 'actor'");
}

TEST(ToEvent, MissingMetricOnExempted) {
  EXPECT_EQ(error_of(row("exempted")).message, "'exempted' requires column 'metric'");
}

// --- to_event: columns that do not apply ------------------------------------------------------------------

TEST(ToEvent, ActorDoesNotApplyToShipped) {
  auto r = row("shipped");
  r.actor = "seller";
  EXPECT_EQ(error_of(r).message, "column 'actor' does not apply to 'shipped' (found 'seller')");
}

TEST(ToEvent, ActorDoesNotApplyToPlaced) {
  auto r = placed_row();
  r.actor = "buyer";
  EXPECT_TRUE(contains(error_of(r).message, "column 'actor' does not apply to 'placed'"));
}

TEST(ToEvent, ShipByDoesNotApplyToShipped) {
  auto r = row("shipped");
  r.ship_by = "2026-09-03T23:59:59+09:00";
  EXPECT_TRUE(contains(error_of(r).message, "column 'ship_by' does not apply to 'shipped'"));
}

TEST(ToEvent, ShipByDoesNotApplyToCancelled) {
  auto r = row("cancelled");
  r.actor = "seller";
  r.ship_by = "x";
  EXPECT_TRUE(contains(error_of(r).message, "column 'ship_by' does not apply to 'cancelled' (found 'x')"));
}

TEST(ToEvent, QuantityDoesNotApplyToShipped) {
  auto r = row("shipped");
  r.quantity = "1";
  EXPECT_TRUE(contains(error_of(r).message, "column 'quantity' does not apply to 'shipped'"));
}

TEST(ToEvent, QuantityDoesNotApplyToExempted) {
  auto r = row("exempted");
  r.metric = "all";
  r.quantity = "1";
  EXPECT_TRUE(contains(error_of(r).message, "column 'quantity' does not apply to 'exempted'"));
}

TEST(ToEvent, MetricDoesNotApplyToPlaced) {
  auto r = placed_row();
  r.metric = "late";
  EXPECT_TRUE(contains(error_of(r).message, "column 'metric' does not apply to 'placed'"));
}

TEST(ToEvent, ChannelDoesNotApplyToCancelled) {
  auto r = row("cancelled");
  r.actor = "seller";
  r.channel = "merchant";
  EXPECT_TRUE(contains(error_of(r).message, "column 'channel' does not apply to 'cancelled'"));
}

TEST(ToEvent, ActorDoesNotApplyToRefunded) {
  auto r = row("refunded");
  r.actor = "buyer";
  EXPECT_TRUE(contains(error_of(r).message, "column 'actor' does not apply to 'refunded'"));
}

// Every (event, column) pair: a column that does not apply is refused whatever its value, one that
// applies accepts a valid value. The matrix is events-csv.md's table, written out independently.
TEST(ToEvent, ColumnApplicabilityMatrix) {
  struct column_case {
    std::string_view name;
    std::string_view good;  // a value valid wherever the column applies
    std::string_view record::*field;
  };
  const std::vector<column_case> columns = {
      {"ship_by", "2026-09-05T00:00:00+09:00", &record::ship_by},
      {"quantity", "1", &record::quantity},
      {"actor", "buyer", &record::actor},
      {"metric", "late", &record::metric},
      {"channel", "platform", &record::channel},
  };
  // Which of ship_by, quantity, actor, metric, channel each event takes.
  const std::vector<std::pair<std::string_view, std::array<bool, 5>>> applies = {
      {"placed", {true, true, false, false, true}},
      {"shipped", {false, false, false, false, false}},
      {"cancel_requested", {false, false, true, false, false}},
      {"cancelled", {false, true, true, false, false}},
      {"ship_by_changed", {true, false, false, false, false}},
      {"exempted", {false, false, false, true, false}},
      {"refunded", {false, true, false, false, false}},
  };
  for (const auto& [event, allowed] : applies) {
    // A valid baseline for the event: every required column filled.
    record base = row(event);
    if (event == "placed") base = placed_row();
    if (event == "cancelled") base.actor = "seller";
    if (event == "ship_by_changed") base.ship_by = "2026-09-04T00:00:00+09:00";
    if (event == "exempted") base.metric = "all";
    ASSERT_TRUE(to_event(base).value) << event;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      record r = base;
      r.*columns[i].field = columns[i].good;
      const auto p = to_event(r);
      if (allowed[i]) {
        EXPECT_TRUE(p.value) << event << " with " << columns[i].name << ": " << (p.error ? p.error->message : "");
      } else {
        ASSERT_TRUE(p.error) << event << " accepted " << columns[i].name;
        EXPECT_EQ(p.error->message, "column '" + std::string{columns[i].name} + "' does not apply to '" +
                                        std::string{event} + "' (found '" + std::string{columns[i].good} + "')");
      }
    }
  }
}

// --- to_event: quantity ---------------------------------------------------------------------------------------

TEST(ToEvent, QuantityZero) {
  auto r = placed_row();
  r.quantity = "0";
  EXPECT_EQ(error_of(r).message, "column 'quantity': '0' is not a positive integer");
}

TEST(ToEvent, QuantityZeroWithLeadingZeros) {
  auto r = row("refunded");
  r.quantity = "000";
  EXPECT_EQ(error_of(r).message, "column 'quantity': '000' is not a positive integer");
}

TEST(ToEvent, QuantityNegative) {
  auto r = row("cancelled");
  r.actor = "seller";
  r.quantity = "-1";
  EXPECT_EQ(error_of(r).message, "column 'quantity': '-1' is not a positive integer");
}

TEST(ToEvent, QuantityPlusSign) {
  auto r = placed_row();
  r.quantity = "+1";
  EXPECT_EQ(error_of(r).message, "column 'quantity': '+1' is not a positive integer");
}

TEST(ToEvent, QuantityNonDigit) {
  auto r = placed_row();
  r.quantity = "two";
  EXPECT_EQ(error_of(r).message, "column 'quantity': 'two' is not a positive integer");
}

TEST(ToEvent, QuantityDecimal) {
  auto r = placed_row();
  r.quantity = "1.5";
  EXPECT_EQ(error_of(r).message, "column 'quantity': '1.5' is not a positive integer");
}

TEST(ToEvent, QuantityWithSpace) {
  auto r = placed_row();
  r.quantity = " 1";
  EXPECT_EQ(error_of(r).message, "column 'quantity': ' 1' is not a positive integer");
}

TEST(ToEvent, QuantityOverflow) {
  auto r = placed_row();
  r.quantity = "4294967296";
  EXPECT_EQ(error_of(r).message, "column 'quantity': '4294967296' is too large (at most 4294967295)");
}

TEST(ToEvent, QuantityHugeOverflow) {
  auto r = row("refunded");
  r.quantity = "99999999999999999999999999999999";
  EXPECT_TRUE(contains(error_of(r).message, "is too large"));
}

TEST(ToEvent, QuantityMaximum) {
  auto r = placed_row();
  r.quantity = "4294967295";
  EXPECT_EQ(event_of<sellerhealth::placed>(r).quantity, 4294967295U);
}

TEST(ToEvent, QuantityLeadingZeros) {
  auto r = placed_row();
  r.quantity = "00000000000000000007";
  EXPECT_EQ(event_of<sellerhealth::placed>(r).quantity, 7U);
}

// --- to_event: enum columns --------------------------------------------------------------------------------

TEST(ToEvent, UnknownActorOnCancelled) {
  auto r = row("cancelled");
  r.actor = "Seller";
  EXPECT_EQ(error_of(r).message, "column 'actor': unknown actor 'Seller' (expected seller, buyer or platform)");
}

TEST(ToEvent, SellerActorOnCancelRequested) {
  auto r = row("cancel_requested");
  r.actor = "seller";
  EXPECT_EQ(error_of(r).message,
            "column 'actor': 'seller' is not valid for 'cancel_requested' (expected buyer or empty)");
}

TEST(ToEvent, UnknownMetric) {
  auto r = row("exempted");
  r.metric = "lsr";
  EXPECT_EQ(error_of(r).message, "column 'metric': unknown metric 'lsr' (expected cancel, late or all)");
}

TEST(ToEvent, UnknownChannel) {
  auto r = placed_row();
  r.channel = "fba";
  EXPECT_EQ(error_of(r).message, "column 'channel': unknown channel 'fba' (expected merchant or platform)");
}

TEST(ToEvent, ChannelIsCaseSensitive) {
  auto r = placed_row();
  r.channel = "Merchant";
  EXPECT_TRUE(contains(error_of(r).message, "unknown channel 'Merchant'"));
}

TEST(ToEvent, FirstProblemInColumnOrderIsReported) {
  auto r = placed_row();
  r.seller_id = "";
  r.quantity = "0";
  EXPECT_EQ(error_of(r).message, "'placed' requires column 'seller_id'");
}

// --- to_event: messages -------------------------------------------------------------------------------------

TEST(ToEvent, LongValuesTruncatedInMessages) {
  const std::string value(100, 'x');
  const auto message = error_of(row(value)).message;
  EXPECT_EQ(message, "unknown event '" + std::string(64, 'x') + "...'");
}

TEST(ToEvent, SixtyFourByteValueNotTruncated) {
  const std::string value(64, 'x');
  EXPECT_EQ(error_of(row(value)).message, "unknown event '" + value + "'");
}

TEST(ToEvent, TruncationKeepsUtf8Whole) {
  const std::string value = std::string(63, 'x') + "\xC3\xA9" + std::string(10, 'y');  // é straddles byte 64
  EXPECT_EQ(error_of(row(value)).message, "unknown event '" + std::string(63, 'x') + "...'");
}

TEST(ToEvent, ControlCharactersEscapedInMessages) {
  EXPECT_EQ(error_of(row("ship\nped\t\x01")).message, "unknown event 'ship\\nped\\t\\x01'");
}

// --- to_event: good events -----------------------------------------------------------------------------------

TEST(ToEvent, Placed) {
  const auto p = event_of<sellerhealth::placed>(placed_row());
  EXPECT_EQ(p.order, "A-1001");
  EXPECT_EQ(p.seller, "S1");
  EXPECT_EQ(p.at, jst(2026y / 9 / 1, 10h));
  EXPECT_EQ(p.ship_by, jst(2026y / 9 / 3, 23h + 59min + 59s));
  EXPECT_EQ(p.quantity, 2U);
  EXPECT_EQ(p.channel, sellerhealth::fulfilment::merchant);
}

TEST(ToEvent, PlacedDefaults) {
  auto r = placed_row();
  r.quantity = "";
  r.channel = "";
  const auto p = event_of<sellerhealth::placed>(r);
  EXPECT_EQ(p.quantity, 1U);
  EXPECT_EQ(p.channel, sellerhealth::fulfilment::merchant);
}

TEST(ToEvent, PlacedPlatformChannel) {
  auto r = placed_row();
  r.channel = "platform";
  EXPECT_EQ(event_of<sellerhealth::placed>(r).channel, sellerhealth::fulfilment::platform);
}

TEST(ToEvent, ShippedWithSellerAndReason) {
  auto r = row("shipped");
  r.seller_id = "S1";
  r.reason = "anything, really";
  const auto s = event_of<sellerhealth::shipped>(r);
  EXPECT_EQ(s.order, "A-1001");
  EXPECT_EQ(s.seller, "S1");
  EXPECT_EQ(s.at, jst(2026y / 9 / 1, 12h));
}

TEST(ToEvent, CancelRequested) {
  (void)event_of<sellerhealth::cancel_requested>(row("cancel_requested"));
  auto r = row("cancel_requested");
  r.actor = "buyer";
  EXPECT_EQ(event_of<sellerhealth::cancel_requested>(r).at, jst(2026y / 9 / 1, 12h));
}

TEST(ToEvent, CancelledActors) {
  const std::vector<std::pair<std::string_view, sellerhealth::actor>> cases = {
      {"seller", sellerhealth::actor::seller},
      {"buyer", sellerhealth::actor::buyer},
      {"platform", sellerhealth::actor::platform}};
  for (const auto& [text, who] : cases) {
    auto r = row("cancelled");
    r.actor = text;
    const auto c = event_of<sellerhealth::cancelled>(r);
    EXPECT_EQ(c.by, who) << text;
    EXPECT_FALSE(c.units) << text;
  }
}

TEST(ToEvent, CancelledWithQuantity) {
  auto r = row("cancelled");
  r.actor = "seller";
  r.quantity = "2";
  EXPECT_EQ(event_of<sellerhealth::cancelled>(r).units, std::optional<std::uint32_t>{2U});
}

TEST(ToEvent, ShipByChanged) {
  auto r = row("ship_by_changed");
  r.ship_by = "2026-09-05T23:59:59+09:00";
  const auto c = event_of<sellerhealth::ship_by_changed>(r);
  EXPECT_EQ(c.ship_by, jst(2026y / 9 / 5, 23h + 59min + 59s));
  EXPECT_EQ(c.at, jst(2026y / 9 / 1, 12h));
}

TEST(ToEvent, ExemptedMetrics) {
  const std::vector<std::pair<std::string_view, sellerhealth::exempt_from>> cases = {
      {"cancel", sellerhealth::exempt_from::cancel},
      {"late", sellerhealth::exempt_from::late},
      {"all", sellerhealth::exempt_from::all}};
  for (const auto& [text, which] : cases) {
    auto r = row("exempted");
    r.metric = text;
    EXPECT_EQ(event_of<sellerhealth::exempted>(r).metric, which) << text;
  }
}

TEST(ToEvent, Refunded) {
  const auto all = event_of<sellerhealth::refunded>(row("refunded"));
  EXPECT_FALSE(all.units);
  auto r = row("refunded");
  r.quantity = "3";
  EXPECT_EQ(event_of<sellerhealth::refunded>(r).units, std::optional<std::uint32_t>{3U});
}

// Every field of an event, for comparing two (the event types have no operator==).
auto fields_of(const sellerhealth::event& e) {
  using sellerhealth::sys_seconds;
  return std::visit(
      [](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        sys_seconds ship_by{};
        std::uint32_t quantity = 0;
        std::optional<std::uint32_t> units;
        int how = -1;
        if constexpr (std::is_same_v<T, sellerhealth::placed>) {
          ship_by = x.ship_by;
          quantity = x.quantity;
          how = static_cast<int>(x.channel);
        } else if constexpr (std::is_same_v<T, sellerhealth::cancelled>) {
          units = x.units;
          how = static_cast<int>(x.by);
        } else if constexpr (std::is_same_v<T, sellerhealth::ship_by_changed>) {
          ship_by = x.ship_by;
        } else if constexpr (std::is_same_v<T, sellerhealth::exempted>) {
          how = static_cast<int>(x.metric);
        } else if constexpr (std::is_same_v<T, sellerhealth::refunded>) {
          units = x.units;
        }
        return std::tuple{x.order, x.seller, x.at, ship_by, quantity, units, how};
      },
      e);
}

// `to_event` first tries `event_if_valid`, which decides validity from a mask of the present
// columns, and only asks `to_event_checked` (column by column, with messages) when that declines.
// The two must agree on every record: the fast one accepts exactly what the checked one accepts,
// with the same event. Records are drawn from values that are valid, invalid or empty per column.
TEST(ToEvent, FastPathAgreesWithTheCheckedPath) {
  // Per column: values valid for it, and values that are not (empty is valid or not by the rules).
  const std::vector<std::vector<std::string_view>> valid = {
      {"placed", "shipped", "cancel_requested", "cancelled", "ship_by_changed", "exempted", "refunded"},
      {"A-1"},
      {"S1"},
      {"2026-09-01T10:00:00+09:00", "2026-09-01T01:00:00Z", "2026-09-01T10:00:00.5+09:00", "2028-02-29T00:00:00Z"},
      {"2026-09-03T23:59:59+09:00", "2026-09-03T14:59:59Z"},
      {"1", "3", "007", "4294967295"},
      {"seller", "buyer", "platform"},
      {"changed_mind"},
      {"cancel", "late", "all"},
      {"merchant", "platform"},
  };
  const std::vector<std::vector<std::string_view>> invalid = {
      {"Placed", "shiped", "refunde", "exempted ", "cancel_requeste", "ship_by_changed!"},
      {"A-1"},
      {"S1"},
      {"2026-02-29T00:00:00Z", "2026-09-01T24:00:00+09:00", "2026-09-01", "2026-09-01T10:00:00+09:60"},
      {"2026-13-01T00:00:00Z", "tomorrow"},
      {"0", "4294967296", "-1", "x", "1 "},
      {"Buyer", "nobody"},
      {"changed_mind"},
      {"none", "All"},
      {"fba", "Merchant"},
  };
  std::mt19937_64 rng{4180};
  const auto one_of = [&](const std::vector<std::string_view>& values) {
    return values[std::uniform_int_distribution<std::size_t>{0, values.size() - 1}(rng)];
  };
  const auto chance = [&](int percent) { return std::uniform_int_distribution<int>{0, 99}(rng) < percent; };
  std::size_t accepted = 0, rejected = 0;
  for (int i = 0; i < 100000; ++i) {
    std::array<std::string_view, 10> v;
    v[0] = chance(95) ? one_of(valid[0]) : chance(50) ? "" : one_of(invalid[0]);
    const auto known =
        std::find(sellerhealth::io::detail::event_names.begin(), sellerhealth::io::detail::event_names.end(), v[0]);
    for (std::size_t c = 1; c < v.size(); ++c) {
      using sellerhealth::io::detail::rule;
      const rule wanted = known == sellerhealth::io::detail::event_names.end()
                              ? rule::optional
                              : sellerhealth::io::detail::column_rules[static_cast<std::size_t>(
                                    known - sellerhealth::io::detail::event_names.begin())][c];
      if (chance(97)) {  // mostly what the rules ask for
        v[c] = wanted == rule::no || (wanted == rule::optional && chance(50)) ? "" : one_of(valid[c]);
      } else {
        v[c] = chance(30) ? "" : chance(50) ? one_of(valid[c]) : one_of(invalid[c]);
      }
    }
    const record r{.line = 9,
                   .event = v[0],
                   .order_id = v[1],
                   .seller_id = v[2],
                   .time = v[3],
                   .ship_by = v[4],
                   .quantity = v[5],
                   .actor = v[6],
                   .reason = v[7],
                   .metric = v[8],
                   .channel = v[9]};
    const auto checked = sellerhealth::io::detail::to_event_checked(r);
    const auto fast = sellerhealth::io::detail::event_if_valid(r);
    ASSERT_EQ(checked.value.has_value(), !checked.error.has_value());
    ASSERT_EQ(fast.has_value(), checked.value.has_value())
        << r.event << "," << r.time << "," << r.ship_by << "," << r.quantity << "," << r.actor << "," << r.metric << ","
        << r.channel << ": " << (checked.error ? checked.error->message : "");
    const auto both = to_event(r);
    if (fast) {
      ++accepted;
      ASSERT_EQ(fast->index(), checked.value->index());
      ASSERT_EQ(fields_of(*fast), fields_of(*checked.value));
      ASSERT_TRUE(both.value && !both.error);
      ASSERT_EQ(fields_of(*both.value), fields_of(*checked.value));
    } else {
      ++rejected;
      ASSERT_TRUE(!both.value && both.error);
      ASSERT_EQ(both.error->message, checked.error->message);
      ASSERT_EQ(both.error->line, 9U);
    }
  }
  // Both outcomes must be common, or the comparison says little.
  EXPECT_GT(accepted, 1000U);
  EXPECT_GT(rejected, 1000U);
}

}  // namespace
