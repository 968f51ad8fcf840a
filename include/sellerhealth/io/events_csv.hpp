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
#include "../detail/time_fields.hpp"
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

// Each column's field, indexed by column: one indexed load where a switch would branch.
inline constexpr std::array<std::string_view record::*, column_count> field_members = {
    &record::event,    &record::order_id, &record::seller_id, &record::time,   &record::ship_by,
    &record::quantity, &record::actor,    &record::reason,    &record::metric, &record::channel};

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

// `v == literal` as a length check and a fixed-size memcmp, which compilers turn into a load or
// two; std::string_view's == goes through an ordering compare that stays a library call.
template <std::size_t N>
[[nodiscard]] constexpr bool is(std::string_view v, const char (&literal)[N]) noexcept {
  if (std::is_constant_evaluated()) return v == std::string_view{literal, N - 1};
  return v.size() == N - 1 && std::memcmp(v.data(), literal, N - 1) == 0;
}

// The values of the columns with a fixed vocabulary, in one place for both of `to_event`'s paths
// (the fast one for valid records and the checked one that words the error).
[[nodiscard]] constexpr std::optional<actor> actor_named(std::string_view v) noexcept {
  if (is(v, "seller")) return actor::seller;
  if (is(v, "buyer")) return actor::buyer;
  if (is(v, "platform")) return actor::platform;
  return std::nullopt;
}
[[nodiscard]] constexpr std::optional<exempt_from> metric_named(std::string_view v) noexcept {
  if (is(v, "cancel")) return exempt_from::cancel;
  if (is(v, "late")) return exempt_from::late;
  if (is(v, "all")) return exempt_from::all;
  return std::nullopt;
}
[[nodiscard]] constexpr std::optional<fulfilment> channel_named(std::string_view v) noexcept {
  if (is(v, "merchant")) return fulfilment::merchant;
  if (is(v, "platform")) return fulfilment::platform;
  return std::nullopt;
}

// The kind named `name`, found by its length first (at most two names share a length): one or two
// comparisons instead of a search of all seven.
[[nodiscard]] constexpr std::optional<kind> kind_of(std::string_view name) noexcept {
  switch (name.size()) {
    case 6: return is(name, "placed") ? std::optional{k_placed} : std::nullopt;
    case 7: return is(name, "shipped") ? std::optional{k_shipped} : std::nullopt;
    case 8:
      if (is(name, "exempted")) return k_exempted;
      return is(name, "refunded") ? std::optional{k_refunded} : std::nullopt;
    case 9: return is(name, "cancelled") ? std::optional{k_cancelled} : std::nullopt;
    case 15: return is(name, "ship_by_changed") ? std::optional{k_ship_by_changed} : std::nullopt;
    case 16: return is(name, "cancel_requested") ? std::optional{k_cancel_requested} : std::nullopt;
    default: return std::nullopt;
  }
}
static_assert(
    [] {
      for (std::size_t i = 0; i < event_count; ++i) {
        if (kind_of(event_names[i]) != static_cast<kind>(i)) return false;
      }
      return true;
    }(),
    "kind_of must know every name of event_names");

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
  std::array<span, detail::column_count + 1> found;
  const std::size_t fields =
      detail::scan_plain_record<found.size()>(buf_, pos_, [&](std::size_t i, std::size_t begin, std::size_t end) {
        found[i] = span{begin, end - begin, false};
      });
  if (fields == 0) return false;
  fields_.assign(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(fields));
  pos_ = found[fields - 1].offset + found[fields - 1].size + 1;
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
  // A plain record (no quote, no CR) with the header's field count goes straight into `out`, each
  // field as the scanner finds it; any other record, a bad one included, is read again by the
  // general scanner below (which starts `out` afresh).
  if (columns_ != detail::column_count) out = record{};  // the absent columns read as empty
  const char* const data = buf_.data();
  std::size_t end_of_last = 0;
  const std::size_t plain = detail::scan_plain_record<detail::column_count + 1>(
      buf_, pos_, [&](std::size_t i, std::size_t begin, std::size_t end) {
        if (i < columns_) out.*detail::field_members[column_of_field_[i]] = std::string_view{data + begin, end - begin};
        end_of_last = end;
      });
  if (plain == columns_ && end_of_last - start_byte < max_record_bytes) {
    out.line = start;
    pos_ = end_of_last + 1;
    ++line_;
    return true;
  }
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
  for (std::size_t i = 0; i < columns_; ++i) out.*detail::field_members[column_of_field_[i]] = view(fields_[i]);
  return true;
}

namespace detail {

// What `to_event` reads out of a record's columns, with the defaults of the absent ones.
struct event_values {
  sellerhealth::sys_seconds at{}, ship_by{};
  std::optional<std::uint32_t> units;
  actor by = actor::seller;
  exempt_from metric = exempt_from::all;
  fulfilment channel = fulfilment::merchant;
};

[[nodiscard]] inline sellerhealth::event make_event(kind k, const record& r, const event_values& f) noexcept {
  const std::string_view order = r.order_id, seller = r.seller_id;
  switch (k) {
    case k_placed: return placed{order, seller, f.at, f.ship_by, f.units.value_or(1U), f.channel};
    case k_shipped: return shipped{order, f.at, seller};
    case k_cancel_requested: return cancel_requested{order, f.at, seller};
    case k_cancelled: return cancelled{order, f.at, f.by, f.units, seller};
    case k_ship_by_changed: return ship_by_changed{order, f.at, f.ship_by, seller};
    case k_exempted: return exempted{order, f.at, f.metric, seller};
    case k_refunded: break;
  }
  return refunded{order, f.at, f.units, seller};
}

// `to_event` itself: checks the columns one by one in header order and says what the first
// problem is. Every valid record gets here only if `event_if_valid` missed it.
[[nodiscard]] inline parsed to_event_checked(const record& r) {
  using detail::quoted;
  const auto fail = [&](std::string message) { return parsed{std::nullopt, csv_error{r.line, std::move(message)}}; };

  if (r.event.empty()) return fail("column 'event' is empty");
  const std::optional<detail::kind> found = detail::kind_of(r.event);
  if (!found) return fail("unknown event " + quoted(r.event));
  const detail::kind kind = *found;
  const auto& rules = detail::column_rules[kind];

  event_values f;

  for (std::size_t c = 0; c < detail::column_count; ++c) {
    const std::string_view v = r.*detail::field_members[c];
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
        (c == detail::c_time ? f.at : f.ship_by) = *t.value;
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
        f.units = q.value;
        break;
      }
      case detail::c_actor:
        if (kind == detail::k_cancel_requested) {  // a cancel request is always the buyer's
          if (v != "buyer") {
            return fail("column 'actor': " + quoted(v) +
                        " is not valid for 'cancel_requested' (expected buyer or empty)");
          }
        } else if (const auto named_actor = detail::actor_named(v)) {
          f.by = *named_actor;
        } else {
          return fail("column 'actor': unknown actor " + quoted(v) + " (expected seller, buyer or platform)");
        }
        break;
      case detail::c_metric:
        if (const auto named_metric = detail::metric_named(v)) {
          f.metric = *named_metric;
        } else {
          return fail("column 'metric': unknown metric " + quoted(v) + " (expected cancel, late or all)");
        }
        break;
      case detail::c_channel:
        if (const auto named_channel = detail::channel_named(v)) {
          f.channel = *named_channel;
        } else {
          return fail("column 'channel': unknown channel " + quoted(v) + " (expected merchant or platform)");
        }
        break;
      default: break;  // event, order_id, seller_id: any non-empty text; reason: ignored
    }
  }

  return {make_event(kind, r, f), std::nullopt};
}

// Bit c set for each column c that kind k requires, or that it takes at all.
[[nodiscard]] consteval std::array<std::uint16_t, event_count> columns_with(rule least) {
  std::array<std::uint16_t, event_count> masks{};
  for (std::size_t k = 0; k < event_count; ++k) {
    for (std::size_t c = 0; c < column_count; ++c) {
      if (column_rules[k][c] >= least) masks[k] = static_cast<std::uint16_t>(masks[k] | (1U << c));
    }
  }
  return masks;
}
inline constexpr auto required_columns = columns_with(rule::required), taken_columns = columns_with(rule::optional);

// The event of a record that breaks no rule, or nullopt for any record that does (or might):
// `to_event_checked` then says which. The same rules as there, without a message to build and
// without a branch per column: which columns are present is one bit mask, checked against the
// kind's required and allowed columns at once.
[[nodiscard]] inline std::optional<sellerhealth::event> event_if_valid(const record& r) noexcept {
  const std::optional<kind> k = kind_of(r.event);
  if (!k) return std::nullopt;
  unsigned present = 0;
  for (std::size_t c = 0; c < column_count; ++c) present |= unsigned{!(r.*field_members[c]).empty()} << c;
  if ((present & required_columns[*k]) != required_columns[*k] || (present & ~unsigned{taken_columns[*k]}) != 0)
    return std::nullopt;
  event_values f;
  const auto time_of = [](std::string_view v, sellerhealth::sys_seconds& into) {
    const time_parse t = parse_time(v);
    if (t.value) into = *t.value;
    return t.value.has_value();
  };
  if (!time_of(r.time, f.at) || (!r.ship_by.empty() && !time_of(r.ship_by, f.ship_by))) return std::nullopt;
  if (!r.quantity.empty()) {
    const quantity_parse q = parse_quantity(r.quantity);
    if (q.fault != quantity_fault::none) return std::nullopt;
    f.units = q.value;
  }
  if (!r.actor.empty()) {
    if (*k == k_cancel_requested) {
      if (!is(r.actor, "buyer")) return std::nullopt;
    } else if (const auto named_actor = actor_named(r.actor)) {
      f.by = *named_actor;
    } else {
      return std::nullopt;
    }
  }
  if (!r.metric.empty()) {
    if (const auto named_metric = metric_named(r.metric)) {
      f.metric = *named_metric;
    } else {
      return std::nullopt;
    }
  }
  if (!r.channel.empty()) {
    if (const auto named_channel = channel_named(r.channel)) {
      f.channel = *named_channel;
    } else {
      return std::nullopt;
    }
  }
  return make_event(*k, r, f);
}

}  // namespace detail

/// Checks one record against the per-event column rules and builds the event. Columns are checked
/// in the documented header order and the first problem is reported. The event's views point where
/// the record's do. Only single-record rules are checked here; see the header comment.
[[nodiscard]] inline parsed to_event(const record& r) {
  if (auto valid = detail::event_if_valid(r)) return {std::move(valid), std::nullopt};
  return detail::to_event_checked(r);
}

}  // namespace sellerhealth::io
