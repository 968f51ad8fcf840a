// The byte scanning under the order-event CSV reader (io/events_csv.hpp): finding the commas and
// line ends of a record, and counting bytes, a 16-byte SSE2 block (or an 8-byte word) at a time.
// Why a header of its own: it is the only platform-dependent code of the reader (SSE2 intrinsics,
// a portable SWAR fallback, byte order), it is tested in both builds, and events_csv.hpp stays
// about the format instead of about bit tricks.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

// SELLERHEALTH_PORTABLE_SCAN selects the plain-C++ block scanner where SSE2 is available too (the
// tests build it that way as well, so both are checked).
#if defined(__SSE2__) && !defined(SELLERHEALTH_PORTABLE_SCAN)
#define SELLERHEALTH_SSE2_SCAN 1
#include <emmintrin.h>
#endif

namespace sellerhealth::io::detail {

/// The bytes that end or complicate an unquoted field.
inline constexpr auto csv_special = [] {
  std::array<bool, 256> special{};
  for (const char c : {',', '\n', '\r', '"'}) special[static_cast<unsigned char>(c)] = true;
  return special;
}();

/// From `at`, skips whole 8-byte words of `text` that hold none of , \n \r " and returns where
/// the first word that does (or the last full word) starts; the caller finishes byte by byte.
/// A byte equal to c is found as a zero byte of (word ^ c repeated): the usual has-zero-byte
/// test, whose answer is exact for "is there one" (only bytes above a zero can be misflagged).
[[nodiscard]] inline std::size_t skip_plain_words(std::string_view text, std::size_t at) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  const auto has_byte = [&](std::uint64_t word, char c) {
    const std::uint64_t x = word ^ (ones * static_cast<unsigned char>(c));
    return ((x - ones) & ~x & highs) != 0;
  };
  while (at + 8 <= text.size()) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + at, 8);
    if (has_byte(word, ',') || has_byte(word, '\n') || has_byte(word, '\r') || has_byte(word, '"')) break;
    at += 8;
  }
  return at;
}

/// `x` with its bytes in the opposite order (for word loads on big-endian machines).
[[nodiscard]] constexpr std::uint64_t byte_swapped(std::uint64_t x) noexcept {
  std::uint64_t out = 0;
  for (int i = 0; i < 8; ++i, x >>= 8) out = (out << 8) | (x & 0xFF);
  return out;
}

/// Where the commas, line feeds and the bytes that need the general scanner (quote, CR) are in
/// a block of input: bit i (SSE2: one bit per byte) or bit 8i + 7 (eight bytes in a word: one
/// high bit per byte) set for byte i, so that `countr_zero / bits_per_byte_of_mask` is the byte.
struct block_masks {
  std::uint64_t comma, line_end, odd;
};
#if defined(SELLERHEALTH_SSE2_SCAN)
inline constexpr std::size_t block_bytes = 16, bits_per_byte_of_mask = 1;
[[nodiscard]] inline block_masks masks_of(const char* p) noexcept {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const auto mask = [&](char c) {
    return static_cast<std::uint64_t>(
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(c)))));
  };
  return {mask(','), mask('\n'), mask('"') | mask('\r')};
}
#else
inline constexpr std::size_t block_bytes = 8, bits_per_byte_of_mask = 8;
/// Bytes of `word` equal to `c`, as the high bit of each such byte (exact: no byte is misflagged).
[[nodiscard]] constexpr std::uint64_t bytes_equal(std::uint64_t word, char c) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ull, lows = 0x7F7F7F7F7F7F7F7Full;
  const std::uint64_t x = word ^ (ones * static_cast<unsigned char>(c));
  return ~(((x & lows) + lows) | x | lows);
}
[[nodiscard]] inline block_masks masks_of(const char* p) noexcept {
  std::uint64_t word;
  std::memcpy(&word, p, 8);
  if constexpr (std::endian::native == std::endian::big) word = byte_swapped(word);
  return {bytes_equal(word, ','), bytes_equal(word, '\n'), bytes_equal(word, '"') | bytes_equal(word, '\r')};
}
#endif

/// How many bytes of `text` are `c`: the line and quote counts of whole segments, which are on
/// the replay's serial path, sixteen bytes a step where SSE2 is there.
[[nodiscard]] inline std::size_t count_byte(std::string_view text, char c) noexcept {
  std::size_t count = 0, at = 0;
#if defined(SELLERHEALTH_SSE2_SCAN)
  // Each byte lane counts its matches (a match compares as -1, subtracted); before a lane can
  // pass 255 the lanes are summed into `count` (SAD against zero adds eight lanes at a time).
  // No popcount: without -mpopcnt it is a library call per step.
  const __m128i wanted = _mm_set1_epi8(c), zero = _mm_setzero_si128();
  __m128i lanes = zero;
  int steps = 0;
  const auto flush = [&] {
    const __m128i sums = _mm_sad_epu8(lanes, zero);
    count += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) + static_cast<std::size_t>(_mm_extract_epi16(sums, 4));
    lanes = zero;
    steps = 0;
  };
  for (; at + 16 <= text.size(); at += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + at));
    lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(bytes, wanted));
    if (++steps == 255) flush();
  }
  flush();
#endif
  for (; at < text.size(); ++at) count += text[at] == c;
  return count;
}

// Nearly every record of a real export has no quote and no carriage return: its fields end at
// commas and it ends at a line feed. Such a record, starting at `text[at]`, is split here a block
// at a time, finding every comma and the line end from one pass of masks, instead of byte by byte.
// Each field is handed to `on_field(i, begin, end)` as it is found (field i is `text[begin, end)`),
// and the answer is how many fields the record has; the next record starts one byte after the
// last field's end. A record with a quote or a CR anywhere before its line end, with more than
// `MaxFields` fields, or that is not a whole block from the end of the buffer, returns 0 (some
// fields may have been handed out already): the general scanner then reads it (and finds any
// fault in it).
template <std::size_t MaxFields, class OnField>
[[nodiscard]] inline std::size_t scan_plain_record(std::string_view text, std::size_t at, OnField&& on_field) noexcept {
  const char* const data = text.data();
  const std::size_t n = text.size();
  std::size_t fields = 0, field_start = at;
  for (; at + block_bytes <= n; at += block_bytes) {
    const block_masks m = masks_of(data + at);
    // A quote or CR before this block's line end (if any) needs the general scanner; one after
    // it belongs to the next record.
    if (m.odd != 0 && (m.line_end == 0 || std::countr_zero(m.odd) < std::countr_zero(m.line_end))) return 0;
    for (std::uint64_t found = m.comma | m.line_end; found != 0; found &= found - 1) {
      const std::size_t end = at + static_cast<std::size_t>(std::countr_zero(found)) / bits_per_byte_of_mask;
      if (fields == MaxFields) return 0;  // more fields than any header has: let it say so
      on_field(fields++, field_start, end);
      field_start = end + 1;
      if (data[end] == '\n') return fields;
    }
  }
  return 0;  // the last bytes of the buffer: the general scanner handles the tail
}

}  // namespace sellerhealth::io::detail
