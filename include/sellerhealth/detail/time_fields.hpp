// The fixed-width fields of the order-event CSV's dates and times (io/events_csv.hpp, which keeps
// the messages and the general `parse_time`): digits read one at a time for the general parser,
// and the fast path for the two shapes every export writes, checked and converted a word at a
// time. Why a header of its own: the fast path is bit arithmetic that only has to agree with the
// general parser (the tests compare the two on every byte of both shapes), and events_csv.hpp
// stays about the format and under the length limit.
#pragma once

#include <array>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "../calendar.hpp"
#include "csv_scan.hpp"

namespace sellerhealth::io::detail {

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

}  // namespace sellerhealth::io::detail
