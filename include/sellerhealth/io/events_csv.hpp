// Reading the order-event CSV (events-csv.md) into `sellerhealth::event`s.
//
// Why a reader of our own: the library is header-only and dependency-free, the format is small,
// and what a user needs from it is precise, line-numbered errors rather than a best-effort guess.
// Bad input is never dropped silently: every problem is returned as a value (`csv_error`), never
// thrown, and reading continues with the next record so one run reports every bad line. Fields are
// `std::string_view`s into the caller's buffer; only a quoted field containing `""` is copied
// (into one scratch string the reader reuses), so the common case allocates nothing per field.
//
// Format (RFC 4180, UTF-8):
//  - The first line is the header. Column names come from `event,order_id,seller_id,time,ship_by,
//    quantity,actor,reason,metric,channel`, in any order, case-sensitive, optionally quoted;
//    `event`, `order_id` and `time` are required, an absent column reads as empty. A UTF-8 BOM
//    before the header is skipped. An empty first line is a missing header, not skipped.
//  - A record ends at LF or CRLF; the last one may lack a final newline. A CR that is not followed
//    by LF outside quotes is an error (no old-Mac line ends: accepting them would make a stray CR
//    silently split a record). Completely empty lines (LF or CRLF alone) after the header are
//    ignored; a line holding anything else, even spaces or a lone comma, is a record.
//  - A quoted field is `"..."` with `""` for a quote; it may hold commas, CR and LF, and line
//    numbers of later records still count every LF. Text after a closing quote, or a quote inside
//    an unquoted field, is an error (strict RFC 4180: an export that does this is ambiguous).
//  - Every record has exactly as many fields as the header, and at most `max_record_bytes` (64 KiB)
//    bytes, line end included.
//  - Values are taken verbatim: no trimming, enums are case-sensitive. The per-column rules (which
//    events a column applies to, what values it takes) live in `to_event`.
//  - Times are `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`, see `parse_time`.
// Cross-record rules (an order placed twice, an event before its placement, quantities beyond what
// remains, ship_by before the placement time) belong to the ledger, not to this reader.
//
//   std::string text = read_whole_file(path);                      // must outlive the reader
//   sellerhealth::io::event_reader reader{text};
//   if (auto bad = reader.read_header()) return report(path, *bad);  // nothing else to read
//   sellerhealth::io::record rec;
//   std::optional<sellerhealth::io::csv_error> bad;
//   while (reader.next(rec, bad)) {
//     if (bad) { report(path, *bad); continue; }                  // FILE:LINE: message
//     auto [ev, why] = sellerhealth::io::to_event(rec);
//     if (why) { report(path, *why); continue; }
//     book.record(*ev);                                            // copies what it keeps
//   }
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "../calendar.hpp"
#include "../detail/csv_scan.hpp"
#include "../events.hpp"

namespace sellerhealth::io {

/// A problem with the input. `line` is the 1-based physical line where the record starts (the
/// header is line 1); `message` names the column and quotes the offending value.
struct csv_error {
  std::size_t line = 0;
  std::string message;
};

/// `parse_time`'s answer: a value, or the reason it is not one (a static string).
struct time_parse {
  std::optional<sellerhealth::sys_seconds> value;
  std::string_view error;
};

/// One data record as fields, by column. Views are valid until the reader's next `next()` or
/// `read_header()` call, and only while the input buffer lives. Absent columns are empty.
struct record {
  std::size_t line = 0;
  std::string_view event{}, order_id{}, seller_id{}, time{}, ship_by{}, quantity{}, actor{}, reason{}, metric{},
      channel{};
};

/// `to_event`'s answer: exactly one of the two is set.
struct parsed {
  std::optional<sellerhealth::event> value;
  std::optional<csv_error> error;
};

namespace detail {

inline constexpr std::size_t column_count = 10;

// Header order of events-csv.md; indexes double as column ids and as the order `to_event` checks
// columns in, so the first error reported is the leftmost one in the documented layout.
inline constexpr std::array<std::string_view, column_count> column_names = {
    "event", "order_id", "seller_id", "time", "ship_by", "quantity", "actor", "reason", "metric", "channel"};

enum column : std::uint8_t {
  c_event,
  c_order_id,
  c_seller_id,
  c_time,
  c_ship_by,
  c_quantity,
  c_actor,
  c_reason,
  c_metric,
  c_channel
};

// The field of column `c` (a `column`); `Record` is `record` or `const record`.
template <class Record>
[[nodiscard]] constexpr auto& field_of(Record& r, std::size_t c) noexcept {
  switch (c) {
    case c_event: return r.event;
    case c_order_id: return r.order_id;
    case c_seller_id: return r.seller_id;
    case c_time: return r.time;
    case c_ship_by: return r.ship_by;
    case c_quantity: return r.quantity;
    case c_actor: return r.actor;
    case c_reason: return r.reason;
    case c_metric: return r.metric;
    default: return r.channel;
  }
}

[[nodiscard]] constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// The value of `n` (<= 4) decimal digits at `s[at]`, or -1 when any is missing or not a digit.
[[nodiscard]] constexpr int read_digits(std::string_view s, std::size_t at, std::size_t n) noexcept {
  if (at > s.size() || s.size() - at < n) return -1;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[at + i];
    if (!is_digit(c)) return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

struct date_parse {
  std::optional<std::chrono::year_month_day> value;
  std::string_view error;
};

// The `YYYY-MM-DD` at the start of `s` (what follows is the caller's business).
[[nodiscard]] constexpr date_parse parse_date_prefix(std::string_view s) noexcept {
  const int y = read_digits(s, 0, 4), m = read_digits(s, 5, 2), d = read_digits(s, 8, 2);
  if (y < 0 || m < 0 || d < 0 || s[4] != '-' || s[7] != '-') return {std::nullopt, "expected YYYY-MM-DD"};
  if (m < 1 || m > 12) return {std::nullopt, "month out of range"};
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return {std::nullopt, "day out of range"};
  return {ymd, {}};
}

// Appends `'value'` for a message: at most 64 bytes (cut back to a UTF-8 boundary, then "..."),
// control bytes escaped so one error always prints as one line.
inline void append_quoted(std::string& out, std::string_view v) {
  constexpr std::size_t limit = 64;
  bool cut = false;
  if (v.size() > limit) {
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(v[end]) & 0xC0) == 0x80) --end;
    v = v.substr(0, end);
    cut = true;
  }
  constexpr std::string_view hex = "0123456789abcdef";
  out += '\'';
  for (const char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7F) {
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 0x0F];
    } else {
      out += c;
    }
  }
  if (cut) out += "...";
  out += '\'';
}

[[nodiscard]] inline std::string quoted(std::string_view v) {
  std::string out;
  append_quoted(out, v);
  return out;
}

enum class rule : std::uint8_t { no, optional, required };

// Event kinds in `sellerhealth::event`'s alternative order, so a kind is also the variant index.
enum kind : std::uint8_t {
  k_placed,
  k_shipped,
  k_cancel_requested,
  k_cancelled,
  k_ship_by_changed,
  k_exempted,
  k_refunded
};
inline constexpr std::size_t event_count = 7;
inline constexpr std::array<std::string_view, event_count> event_names = {
    "placed", "shipped", "cancel_requested", "cancelled", "ship_by_changed", "exempted", "refunded"};
static_assert(std::variant_size_v<sellerhealth::event> == event_count);
static_assert(
    []<std::size_t... I>(std::index_sequence<I...>) {
      return ((sellerhealth::event_name(sellerhealth::event{std::in_place_index<I>}) == event_names[I]) && ...);
    }(std::make_index_sequence<event_count>{}),
    "event_names must follow sellerhealth::event's alternatives");

// Which columns each event takes, indexed [kind][column].
[[nodiscard]] consteval std::array<std::array<rule, column_count>, event_count> make_column_rules() {
  constexpr rule N = rule::no, O = rule::optional, R = rule::required;
  return {{
      //  event order seller time ship_by qty actor reason metric channel
      {R, R, R, R, R, O, N, O, N, O},  // placed
      {R, R, O, R, N, N, N, O, N, N},  // shipped
      {R, R, O, R, N, N, O, O, N, N},  // cancel_requested (actor: buyer only)
      {R, R, O, R, N, O, R, O, N, N},  // cancelled
      {R, R, O, R, R, N, N, O, N, N},  // ship_by_changed
      {R, R, O, R, N, N, N, O, R, N},  // exempted
      {R, R, O, R, N, O, N, O, N, N},  // refunded
  }};
}
inline constexpr auto column_rules = make_column_rules();

enum class quantity_fault : std::uint8_t { none, not_positive, too_large };

struct quantity_parse {
  std::uint32_t value = 0;
  quantity_fault fault = quantity_fault::none;
};

// Digits only (leading zeros fine), 1..UINT32_MAX. Saturates instead of overflowing so any length
// of input is safe.
[[nodiscard]] constexpr quantity_parse parse_quantity(std::string_view s) noexcept {
  if (s.empty()) return {0, quantity_fault::not_positive};
  constexpr std::uint64_t max = 0xFFFF'FFFFU;
  std::uint64_t v = 0;
  for (const char c : s) {
    if (!is_digit(c)) return {0, quantity_fault::not_positive};
    if (v <= max) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v == 0) return {0, quantity_fault::not_positive};
  if (v > max) return {0, quantity_fault::too_large};
  return {static_cast<std::uint32_t>(v), quantity_fault::none};
}

}  // namespace detail

namespace detail {

// `parse_time` without its fast path: every format it accepts, and every error message.
[[nodiscard]] constexpr time_parse parse_time_general(std::string_view text) noexcept {
  if (text.empty()) return {std::nullopt, "empty"};
  const auto date = detail::parse_date_prefix(text);
  if (!date.value) return {std::nullopt, date.error};
  if (text.size() == 10) return {std::nullopt, "missing time of day (expected YYYY-MM-DDTHH:MM:SS)"};
  if (text[10] != 'T') return {std::nullopt, "expected 'T' between date and time"};
  const int h = detail::read_digits(text, 11, 2), mi = detail::read_digits(text, 14, 2),
            s = detail::read_digits(text, 17, 2);
  if (h < 0 || mi < 0 || s < 0 || text[13] != ':' || text[16] != ':') return {std::nullopt, "expected HH:MM:SS"};
  if (h > 23) return {std::nullopt, "hour out of range"};
  if (mi > 59) return {std::nullopt, "minute out of range"};
  if (s > 59) return {std::nullopt, "second out of range"};
  std::size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    const std::size_t first = ++at;
    while (at < text.size() && detail::is_digit(text[at])) ++at;
    if (at == first || at - first > 9) return {std::nullopt, "fraction must have 1 to 9 digits"};
  }
  if (at == text.size()) return {std::nullopt, "missing UTC offset (Z, +HH:MM or -HH:MM)"};
  int offset = 0;
  if (text[at] == 'Z') {
    ++at;
  } else if (text[at] == '+' || text[at] == '-') {
    const int sign = text[at] == '-' ? -1 : 1;
    const int oh = detail::read_digits(text, at + 1, 2), om = detail::read_digits(text, at + 4, 2);
    if (oh < 0 || om < 0 || text[at + 3] != ':') return {std::nullopt, "expected offset +HH:MM or -HH:MM"};
    if (oh > 23) return {std::nullopt, "offset hour out of range"};
    if (om > 59) return {std::nullopt, "offset minute out of range"};
    offset = sign * (oh * 3600 + om * 60);
    at += 6;
  } else {
    return {std::nullopt, "expected UTC offset (Z, +HH:MM or -HH:MM)"};
  }
  if (at != text.size()) return {std::nullopt, "unexpected text after UTC offset"};
  const sellerhealth::sys_seconds local{std::chrono::sys_days{*date.value}};
  return {local + std::chrono::seconds{h * 3600 + mi * 60 + s - offset}, {}};
}

// Eight bytes of `p` as a little-endian word, whatever the machine's byte order.
[[nodiscard]] inline std::uint64_t load_le64(const char* p) noexcept {
  std::uint64_t word;
  std::memcpy(&word, p, 8);
  if constexpr (std::endian::native == std::endian::big) word = byte_swapped(word);
  return word;
}

// Whether `word` holds a decimal digit in each byte where `digits` is 0xFF and equals `literal`
// in each other byte where `literal_mask` is 0xFF. A byte is a digit when its high nibble is 3
// and adding 6 keeps it so (0x30-0x39). Adding 6 carries out of a byte only from 0xFA up, which
// fails its own byte's test, and a carry can only push the next byte out of 0x30-0x39 (a spurious
// "no", never a spurious "yes"), so the answer is exact whenever it is yes.
[[nodiscard]] constexpr bool digits_and_literals(std::uint64_t word, std::uint64_t digits, std::uint64_t literal,
                                                 std::uint64_t literal_mask) noexcept {
  constexpr std::uint64_t highs = 0xF0F0F0F0F0F0F0F0ull, sixes = 0x0606060606060606ull, threes = 0x3333333333333333ull;
  const std::uint64_t nibbles = (word & highs) | (((word + sixes) & highs) >> 4);
  return ((nibbles & digits) == (threes & digits)) & ((word & literal_mask) == literal);
}

// Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar (H. Hinnant's days_from_civil),
// for a valid date; what `std::chrono::sys_days{year_month_day}` gives, without its generality.
[[nodiscard]] constexpr std::int64_t days_from_civil(int y, int m, int d) noexcept {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int year_of_era = y - era * 400;
  const int day_of_year = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return std::int64_t{era} * 146097 + day_of_era - 719468;
}

// Every export writes times as `YYYY-MM-DDTHH:MM:SS+HH:MM` (or `-HH:MM`, 25 bytes) or
// `YYYY-MM-DDTHH:MM:SSZ` (20 bytes); the general parser spends some 200 instructions on each, a
// digit at a time. This checks those two shapes a word at a time and returns the instant of a
// valid one; anything else, including every invalid value of those shapes, gets nullopt and goes
// to `parse_time_general`, so what is accepted and every error message stay that parser's.
[[nodiscard]] inline std::optional<sellerhealth::sys_seconds> parse_time_fixed(std::string_view text) noexcept {
  const bool zulu = text.size() == 20;
  if (!zulu && text.size() != 25) return std::nullopt;
  const char* const p = text.data();
  // Bytes 0-7 "YYYY-MM-", 8-15 "DDTHH:MM"; then ":SSZ" at 12-19 (a word ending on the last byte)
  // or "SS?HH:MM" at 17-24 with ':' at 16 and the sign (? here) checked on its own.
  constexpr std::uint64_t date_digits = 0x00FFFF00FFFFFFFFull, date_literal = 0xFF0000FF00000000ull;
  constexpr std::uint64_t date_seps = 0x2D00002D00000000ull;  // '-' at bytes 4 and 7
  constexpr std::uint64_t time_digits = 0xFFFF00FFFF00FFFFull, time_literal = 0x0000FF0000FF0000ull;
  constexpr std::uint64_t time_seps = 0x00003A0000540000ull;  // 'T' at 10, ':' at 13
  if (!digits_and_literals(load_le64(p), date_digits, date_seps, date_literal)) return std::nullopt;
  if (!digits_and_literals(load_le64(p + 8), time_digits, time_seps, time_literal)) return std::nullopt;
  if (zulu) {
    // Bytes 12-19 "H:MM:SSZ": digits at 12, 14, 15, 17, 18; ':' at 13 and 16; 'Z' at 19.
    constexpr std::uint64_t digits = 0x00FFFF00FFFF00FFull, literal = 0xFF0000FF0000FF00ull;
    constexpr std::uint64_t seps = 0x5A00003A00003A00ull;
    if (!digits_and_literals(load_le64(p + 12), digits, seps, literal)) return std::nullopt;
  } else {
    // Bytes 17-24 "SS?HH:MM": digits at 17, 18, 20, 21, 23, 24; ':' at 22; the sign at 19.
    constexpr std::uint64_t digits = 0xFFFF00FFFF00FFFFull, literal = 0x0000FF0000000000ull;
    constexpr std::uint64_t seps = 0x00003A0000000000ull;
    if (p[16] != ':' || (p[19] != '+' && p[19] != '-')) return std::nullopt;
    if (!digits_and_literals(load_le64(p + 17), digits, seps, literal)) return std::nullopt;
  }
  const auto two = [p](std::size_t at) { return (p[at] - '0') * 10 + (p[at + 1] - '0'); };
  const int year = two(0) * 100 + two(2), month = two(5), day = two(8);
  const int hour = two(11), minute = two(14), second = two(17);
  const int offset_hour = zulu ? 0 : two(20), offset_minute = zulu ? 0 : two(23);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || offset_hour > 23 ||
      offset_minute > 59)
    return std::nullopt;
  const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  constexpr std::array<int, 12> month_days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day > month_days[static_cast<std::size_t>(month - 1)] + (month == 2 && leap)) return std::nullopt;
  const int offset = (offset_hour * 3600 + offset_minute * 60) * (!zulu && p[19] == '-' ? -1 : 1);
  return sellerhealth::sys_seconds{
      std::chrono::seconds{days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset}};
}

}  // namespace detail

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)` into UTC seconds. The fraction (1-9
/// digits) is floored to the second. Years 0000-9999; month, day of month (leap years), hour 0-23,
/// minute 0-59, second 0-59 (no leap second), offset hour 0-23 and minute 0-59 are checked. `T` and
/// `Z` are upper case only; `-00:00` is accepted as UTC.
[[nodiscard]] constexpr time_parse parse_time(std::string_view text) noexcept {
  if (!std::is_constant_evaluated()) {
    if (const auto fixed = detail::parse_time_fixed(text)) return {fixed, {}};
  }
  return detail::parse_time_general(text);
}

/// `YYYY-MM-DD` (exactly) as a local day, e.g. for `--as-of`.
[[nodiscard]] constexpr std::optional<sellerhealth::local_day> parse_day(std::string_view text) noexcept {
  if (text.size() != 10) return std::nullopt;
  const auto date = detail::parse_date_prefix(text);
  if (!date.value) return std::nullopt;
  return sellerhealth::local_day{std::chrono::local_days{*date.value}};
}

/// The length of the longest prefix of `text` made of whole records: up to and including the
/// last line end that is not inside a quoted field, given that `text` starts where a record
/// starts. 0 when `text` holds no complete record. Counting quotes is enough: an escaped quote
/// (`""`) flips the parity twice.
[[nodiscard]] inline std::size_t whole_records(std::string_view text) noexcept {
  // Most files quote nothing: then the last line end is the answer.
  if (text.find('"') == std::string_view::npos) return text.rfind('\n') + 1;  // npos + 1 == 0
  std::size_t quotes_before = detail::count_byte(text, '"');
  for (std::size_t end = text.size(); end > 0; --end) {
    const char c = text[end - 1];
    if (c == '"')
      --quotes_before;
    else if (c == '\n' && quotes_before % 2 == 0)
      return end;
  }
  return 0;
}

/// Splits a whole CSV file into records. Call `read_header()` first, then `next()` until it returns
/// false. The reader never throws for bad input and never reads outside the buffer.
class event_reader {
 public:
  /// The longest record accepted, in bytes, its line end included (a quoted field's line breaks
  /// too). A longer one is an error naming its line and length; reading resumes after it.
  static constexpr std::size_t max_record_bytes = 64 * 1024;

  /// `whole_file` must outlive the reader and every record it hands out.
  explicit event_reader(std::string_view whole_file) noexcept : buf_{whole_file} {}

  /// Reads and checks the header (from the start of the input, again if called again). On an
  /// error (reported as line 1) `next()` returns false: without columns there are no records.
  [[nodiscard]] std::optional<csv_error> read_header();

  /// The next data record. False at end of input (or when no good header was read). A malformed
  /// record (wrong field count, quoting errors, unterminated quote) returns true with `error` set and
  /// `out` holding only the line; reading resumes after that record (an unterminated quote runs to
  /// the end of input). Otherwise `error` is reset and `out` is filled.
  bool next(record& out, std::optional<csv_error>& error);

  /// Reading a large file in pieces (constant memory, or one piece per thread): after
  /// `read_header()` on the first piece, continue with the next one. `piece` must start where a
  /// record starts (see `whole_records`) and `first_line` is the line number of its first byte;
  /// the header's columns are kept. A copy of a reader that has read the header can read another
  /// piece on another thread.
  void continue_with(std::string_view piece, std::size_t first_line) noexcept {
    buf_ = piece;
    pos_ = 0;
    line_ = first_line;
  }
  /// Bytes of the current piece consumed so far.
  [[nodiscard]] std::size_t consumed() const noexcept { return pos_; }
  /// The line number the next record starts on.
  [[nodiscard]] std::size_t line() const noexcept { return line_; }

 private:
  // A field lives in the input buffer, or in `scratch_` when `""` had to be unescaped. Offsets, not
  // pointers: `scratch_` may reallocate while later fields of the same record are appended.
  struct span {
    std::size_t offset = 0;
    std::size_t size = 0;
    bool in_scratch = false;
  };
  enum class fault : std::uint8_t { none, unterminated_quote, text_after_quote, stray_quote, lone_cr };
  struct scan_result {
    fault what = fault::none;
    std::size_t field = 0;  // 0-based field where the first fault was seen
  };

  scan_result scan_record();
  [[nodiscard]] bool scan_plain_record();
  [[nodiscard]] bool at_empty_line() const noexcept;
  [[nodiscard]] std::string_view view(const span& s) const noexcept {
    return s.in_scratch ? std::string_view{scratch_}.substr(s.offset, s.size) : buf_.substr(s.offset, s.size);
  }
  [[nodiscard]] std::string describe(scan_result r) const;

  std::string_view buf_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  bool header_ok_ = false;
  std::size_t columns_ = 0;
  std::array<std::uint8_t, detail::column_count> column_of_field_{};
  std::vector<span> fields_;
  std::string scratch_;
};

inline bool event_reader::at_empty_line() const noexcept {
  if (pos_ >= buf_.size()) return false;
  if (buf_[pos_] == '\n') return true;
  return buf_[pos_] == '\r' && pos_ + 1 < buf_.size() && buf_[pos_ + 1] == '\n';
}

// Consumes one record from `pos_`, including its line end, counting every LF into `line_`. After a
// fault it keeps going with the same quoting rules so the record ends where a reader of the file
// would expect, and the next record starts on a clean line.
inline event_reader::scan_result event_reader::scan_record() {
  fields_.clear();
  scratch_.clear();
  if (scan_plain_record()) return {};
  scan_result result;
  const auto fail = [&](fault f) {
    if (result.what == fault::none) result = {f, fields_.size()};
  };
  const std::size_t n = buf_.size();
  const auto crlf_at = [&](std::size_t i) { return buf_[i] == '\r' && i + 1 < n && buf_[i + 1] == '\n'; };
  for (;;) {
    span field{pos_, 0, false};
    if (pos_ < n && buf_[pos_] == '"') {
      field.offset = ++pos_;
      bool escaped = false;
      for (;;) {
        const std::size_t quote = buf_.find('"', pos_);
        const std::size_t stop = quote == std::string_view::npos ? n : quote;
        line_ += detail::count_byte(buf_.substr(pos_, stop - pos_), '\n');
        if (quote == std::string_view::npos) {
          pos_ = n;
          fail(fault::unterminated_quote);
          return result;
        }
        if (quote + 1 < n && buf_[quote + 1] == '"') {  // "" : keep one quote
          if (!escaped) {
            escaped = true;
            const std::size_t begin = scratch_.size();
            scratch_.append(buf_.substr(field.offset, quote + 1 - field.offset));
            field = {begin, 0, true};
          } else {
            scratch_.append(buf_.substr(pos_, quote + 1 - pos_));
          }
          pos_ = quote + 2;
          continue;
        }
        if (escaped) {
          scratch_.append(buf_.substr(pos_, quote - pos_));
          field.size = scratch_.size() - field.offset;
        } else {
          field.size = quote - field.offset;
        }
        pos_ = quote + 1;
        break;
      }
      if (pos_ < n && buf_[pos_] != ',' && buf_[pos_] != '\n' && !crlf_at(pos_)) {
        fail(fault::text_after_quote);
        while (pos_ < n && buf_[pos_] != ',' && buf_[pos_] != '\n') ++pos_;
      }
    } else {
      // Most bytes are none of , \n \r " : skip them eight at a time, then one table look-up each.
      pos_ = detail::skip_plain_words(buf_, pos_);
      while (pos_ < n && !detail::csv_special[static_cast<unsigned char>(buf_[pos_])]) ++pos_;
      for (; pos_ < n; ++pos_) {
        const char c = buf_[pos_];
        if (c == ',' || c == '\n') break;
        if (c == '\r') {
          if (crlf_at(pos_)) break;
          fail(fault::lone_cr);
        } else if (c == '"') {
          fail(fault::stray_quote);
        }
      }
      field.size = pos_ - field.offset;
    }
    fields_.push_back(field);
    if (pos_ >= n) return result;
    if (buf_[pos_] == ',') {
      ++pos_;
      continue;
    }
    if (buf_[pos_] == '\r') ++pos_;  // the CR of a CRLF: anything else was handled above
    ++pos_;
    ++line_;
    return result;
  }
}

// Most records are plain (see `detail::scan_plain_record`); those skip the general scanner.
inline bool event_reader::scan_plain_record() {
  std::array<std::size_t, detail::column_count + 1> ends;
  const std::size_t fields = detail::scan_plain_record(buf_, pos_, ends);
  if (fields == 0) return false;
  fields_.resize(fields);
  std::size_t start = pos_;
  for (std::size_t i = 0; i < fields; ++i) {
    fields_[i] = span{start, ends[i] - start, false};
    start = ends[i] + 1;
  }
  pos_ = start;
  ++line_;
  return true;
}

inline std::string event_reader::describe(scan_result r) const {
  std::string where = "field " + std::to_string(r.field + 1);
  if (header_ok_ && r.field < columns_) {
    where += " (";
    where += detail::column_names[column_of_field_[r.field]];
    where += ')';
  }
  switch (r.what) {
    case fault::unterminated_quote: return "unterminated quoted " + where + " (no closing '\"' before end of input)";
    case fault::text_after_quote: return "text after the closing quote of " + where;
    case fault::stray_quote: return "quote inside unquoted " + where + " (quote the whole field and double the quote)";
    case fault::lone_cr: return "carriage return not followed by line feed in " + where;
    case fault::none: break;
  }
  return where;
}

inline std::optional<csv_error> event_reader::read_header() {
  pos_ = 0;
  line_ = 1;
  header_ok_ = false;
  columns_ = 0;
  fields_.reserve(detail::column_count + 1);
  if (buf_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
  if (pos_ >= buf_.size() || at_empty_line())
    return csv_error{1, "missing header row (the first line names the columns)"};
  const scan_result scan = scan_record();
  if (scan.what != fault::none) return csv_error{1, "header: " + describe(scan)};
  std::array<bool, detail::column_count> seen{};
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const std::string_view name = view(fields_[i]);
    const auto* it = std::find(detail::column_names.begin(), detail::column_names.end(), name);
    if (it == detail::column_names.end()) return csv_error{1, "header: unknown column " + detail::quoted(name)};
    const auto c = static_cast<std::size_t>(it - detail::column_names.begin());
    if (seen[c]) return csv_error{1, "header: duplicate column " + detail::quoted(name)};
    seen[c] = true;
    // Unknown and duplicate names are rejected above, so at most column_count fields get here.
    if (i < column_of_field_.size()) column_of_field_[i] = static_cast<std::uint8_t>(c);
  }
  for (const auto required : {detail::c_event, detail::c_order_id, detail::c_time}) {
    if (!seen[required]) {
      return csv_error{1, "header: missing required column " + detail::quoted(detail::column_names[required])};
    }
  }
  columns_ = fields_.size();
  header_ok_ = true;
  return std::nullopt;
}

inline bool event_reader::next(record& out, std::optional<csv_error>& error) {
  error.reset();
  if (!header_ok_) return false;
  while (at_empty_line()) {
    pos_ += buf_[pos_] == '\r' ? 2U : 1U;
    ++line_;
  }
  if (pos_ >= buf_.size()) return false;
  const std::size_t start = line_;
  const std::size_t start_byte = pos_;
  const scan_result scan = scan_record();
  out = record{};
  out.line = start;
  if (pos_ - start_byte > max_record_bytes) {
    error = csv_error{start, "record of " + std::to_string(pos_ - start_byte) + " bytes, longer than the " +
                                 std::to_string(max_record_bytes) + " a record may have"};
    return true;
  }
  if (scan.what != fault::none) {
    error = csv_error{start, describe(scan)};
    return true;
  }
  if (fields_.size() != columns_) {
    error =
        csv_error{start, "expected " + std::to_string(columns_) + " fields, found " + std::to_string(fields_.size())};
    return true;
  }
  for (std::size_t i = 0; i < columns_; ++i) detail::field_of(out, column_of_field_[i]) = view(fields_[i]);
  return true;
}

/// Checks one record against the per-event column rules and builds the event. Columns are checked
/// in the documented header order and the first problem is reported. The event's views point where
/// the record's do. Only single-record rules are checked here; see the header comment.
[[nodiscard]] inline parsed to_event(const record& r) {
  using detail::quoted;
  const auto fail = [&](std::string message) { return parsed{std::nullopt, csv_error{r.line, std::move(message)}}; };

  if (r.event.empty()) return fail("column 'event' is empty");
  const auto* found = std::find(detail::event_names.begin(), detail::event_names.end(), r.event);
  if (found == detail::event_names.end()) return fail("unknown event " + quoted(r.event));
  const auto kind = static_cast<detail::kind>(found - detail::event_names.begin());
  const auto& rules = detail::column_rules[kind];

  sellerhealth::sys_seconds at{}, ship_by{};
  std::optional<std::uint32_t> units;
  actor by = actor::seller;
  exempt_from metric = exempt_from::all;
  fulfilment channel = fulfilment::merchant;

  for (std::size_t c = 0; c < detail::column_count; ++c) {
    const std::string_view v = detail::field_of(r, c);
    const auto column = [c] { return quoted(detail::column_names[c]); };  // built on error paths only
    if (v.empty()) {
      if (rules[c] == detail::rule::required) return fail(quoted(r.event) + " requires column " + column());
      continue;
    }
    if (rules[c] == detail::rule::no) {
      return fail("column " + column() + " does not apply to " + quoted(r.event) + " (found " + quoted(v) + ")");
    }
    switch (c) {
      case detail::c_time:
      case detail::c_ship_by: {
        const time_parse t = parse_time(v);
        if (!t.value)
          return fail("column " + column() + ": unparsable time " + quoted(v) + " (" + std::string{t.error} + ")");
        (c == detail::c_time ? at : ship_by) = *t.value;
        break;
      }
      case detail::c_quantity: {
        const auto q = detail::parse_quantity(v);
        if (q.fault == detail::quantity_fault::not_positive) {
          return fail("column 'quantity': " + quoted(v) + " is not a positive integer");
        }
        if (q.fault == detail::quantity_fault::too_large) {
          return fail("column 'quantity': " + quoted(v) + " is too large (at most 4294967295)");
        }
        units = q.value;
        break;
      }
      case detail::c_actor:
        if (kind == detail::k_cancel_requested) {  // a cancel request is always the buyer's
          if (v != "buyer") {
            return fail("column 'actor': " + quoted(v) +
                        " is not valid for 'cancel_requested' (expected buyer or empty)");
          }
        } else if (v == "seller") {
          by = actor::seller;
        } else if (v == "buyer") {
          by = actor::buyer;
        } else if (v == "platform") {
          by = actor::platform;
        } else {
          return fail("column 'actor': unknown actor " + quoted(v) + " (expected seller, buyer or platform)");
        }
        break;
      case detail::c_metric:
        if (v == "cancel") {
          metric = exempt_from::cancel;
        } else if (v == "late") {
          metric = exempt_from::late;
        } else if (v == "all") {
          metric = exempt_from::all;
        } else {
          return fail("column 'metric': unknown metric " + quoted(v) + " (expected cancel, late or all)");
        }
        break;
      case detail::c_channel:
        if (v == "merchant") {
          channel = fulfilment::merchant;
        } else if (v == "platform") {
          channel = fulfilment::platform;
        } else {
          return fail("column 'channel': unknown channel " + quoted(v) + " (expected merchant or platform)");
        }
        break;
      default: break;  // event, order_id, seller_id: any non-empty text; reason: ignored
    }
  }

  const std::string_view order = r.order_id, seller = r.seller_id;
  switch (kind) {
    case detail::k_placed: return {placed{order, seller, at, ship_by, units.value_or(1U), channel}, std::nullopt};
    case detail::k_shipped: return {shipped{order, at, seller}, std::nullopt};
    case detail::k_cancel_requested: return {cancel_requested{order, at, seller}, std::nullopt};
    case detail::k_cancelled: return {cancelled{order, at, by, units, seller}, std::nullopt};
    case detail::k_ship_by_changed: return {ship_by_changed{order, at, ship_by, seller}, std::nullopt};
    case detail::k_exempted: return {exempted{order, at, metric, seller}, std::nullopt};
    case detail::k_refunded: break;
  }
  return {refunded{order, at, units, seller}, std::nullopt};
}

}  // namespace sellerhealth::io
