// The sliding-window rate calculator: per key (a seller, a shop, any dense index), a ring of day
// buckets holding a numerator and a denominator counter for each of M measures, summed exactly
// over any run of days the ring still holds.
//
// Why a ring of days. Every windowed metric the platforms define (7-, 10-, 30-day rolling windows,
// the calendar month or quarter to date) is a sum of per-day counts, and a count can change after
// the fact: an order placed on Monday and cancelled on Thursday moves a count on Monday. So the
// window keeps one bucket per day rather than a running total, and `move_count` moves one count
// between two days (or into or out of the window) in constant time, with no rescan. All windows of
// one key share its buckets: a 7-day and a 30-day window are two sums over one ring.
//
// The clock. `today()` is the newest day kept; the ring holds the `ring_days()` days ending there
// (`oldest_day()..today()`). A count may be added on any of those days. A count on a day older than
// the ring is in no sum the window can give, so it is dropped (`add` returns false): a late change
// to an order whose day has left every window changes nothing, as it should. A count on a day after
// today throws, since its slot still holds a day of the past. `advance_to` moves the clock forward
// in constant time: a key's slots are cleared lazily, the next time that key is counted, so a
// clock that moves every day costs nothing per key, and a key idle for longer than the ring is
// cleared in one pass over its ring.
//
// Memory, per key: `ring_days() x measures x 2 counters x 4 bytes`, plus 8 bytes for the last day
// its slots were cleared (`bytes_per_key()`). Amazon's three metrics (two measures, a 30-day
// window plus a 30-day horizon, rounded up to 64 days): 64 x 2 x 2 x 4 + 8 = 1,032 bytes. Counters
// are 32 bits: a key counts up to 2^32 - 1 per measure, counter and day; sums are 64-bit. The
// rings are kept in blocks of `keys_per_block` keys: adding keys fills the last block (which
// grows by doubling up to its full size) and then starts a new one, so the rings already counted
// are never copied, however many keys come (one array doubling would copy every ring each time).
// 4,096 keys a block: an Amazon block is 4 MiB, large enough for huge pages (huge_pages.hpp),
// which spare the feed a TLB miss on most counts.
//
// Measures at compile time or at run time. `basic_rate_window<M>` fixes the measure count in the
// type, as the ledger does (it knows the distinct measures of its policies): a day's counters then
// sit at a constant stride and the index arithmetic of the hot path folds into constants.
// `rate_window` (`M = std::dynamic_extent`, as for `std::span`) takes the count at run time, for a
// program that learns its measures from configuration, at the price of one multiplication by a
// loaded value per count. The number of days is always a run-time value: a ledger's horizon is an
// option.
//
// Errors. Misuse that is cheap to detect throws `sellerhealth::error` naming what was asked: a sum
// over days outside the ring, a key or measure out of range in a sum, a count after today, a clock
// moved back. On the hot path (`add`, `move_count`) keys and measures are preconditions, checked
// by `assert` only, so counting costs what it did inside the ledger.
//
//   using namespace std::chrono;
//   sellerhealth::rate_window returns(/*measures*/ 1, /*days*/ 60, local_days{2026y / 9 / 1});
//   const auto shop = returns.add_key();
//   returns.add(shop, 0, sellerhealth::rate_part::denominator, returns.today(), 1);  // a sale
//   returns.advance_to(local_days{2026y / 9 / 4});
//   returns.add(shop, 0, sellerhealth::rate_part::numerator, local_days{2026y / 9 / 1}, 1);  // returned
//   sellerhealth::rate r = returns.sum(shop, 0, sellerhealth::rolling_days(7), returns.today());  // 1/1
#pragma once

#include <algorithm>
#include <bit>
#include <cassert>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "calendar.hpp"
#include "detail/huge_pages.hpp"
#include "error.hpp"
#include "rate.hpp"

namespace sellerhealth {

/// Which of a measure's two counters a count goes to.
enum class rate_part : std::uint8_t { numerator = 0, denominator = 1 };

namespace detail {
struct no_measure_count {};  // the measure count of a `basic_rate_window<M>` with a fixed `M`
}  // namespace detail

/// Per key, day buckets of numerator/denominator counts for `Measures` measures (or a count given
/// at run time when `Measures` is `std::dynamic_extent`), with exact sums over any days the ring
/// holds. See the top of this header for the clock, the memory and the errors.
template <std::size_t Measures = std::dynamic_extent>
class basic_rate_window {
  static constexpr bool runtime_measures = Measures == std::dynamic_extent;
  static_assert(Measures > 0, "a rate window needs at least one measure");

 public:
  /// Dense index of a key, in the order keys were added.
  using key = std::uint32_t;
  /// The most days a window can be asked to keep (about 2,870 years).
  static constexpr int max_days = 1 << 20;
  /// Keys per block of rings (see the top of this header).
  static constexpr std::size_t keys_per_block = 4096;

  /// A window keeping at least `days` days (`1..max_days`; rounded up to a power of two, which
  /// `ring_days()` reports) with its clock at `today`. Throws `std::invalid_argument` otherwise.
  explicit basic_rate_window(int days, local_day today = {}) requires(!runtime_measures)
      : ring_days_(checked_ring_days(days)), today_(today) {}
  /// The same with the measure count at run time (`measures >= 1`).
  basic_rate_window(std::size_t measures, int days, local_day today = {}) requires(runtime_measures)
      : ring_days_(checked_ring_days(days)), today_(today), measures_(checked_measures(measures)) {}

  [[nodiscard]] std::size_t measure_count() const noexcept {
    if constexpr (runtime_measures)
      return measures_;
    else
      return Measures;
  }
  /// The days the ring holds: a power of two, at least the `days` asked for.
  [[nodiscard]] std::size_t ring_days() const noexcept { return ring_days_; }
  /// The newest day kept.
  [[nodiscard]] local_day today() const noexcept { return today_; }
  /// The oldest day kept: `today() - (ring_days() - 1)`.
  [[nodiscard]] local_day oldest_day() const noexcept {
    return today_ - std::chrono::days{static_cast<int>(ring_days_) - 1};
  }
  [[nodiscard]] std::size_t key_count() const noexcept { return cleared_.size(); }
  /// Bytes each key holds: its ring of counters and the day it was last cleared.
  [[nodiscard]] std::size_t bytes_per_key() const noexcept {
    return cells_per_key() * sizeof(std::uint32_t) + sizeof(local_day);
  }
  /// Bytes held (capacity, not size), for memory budgets.
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    std::size_t cells = 0;
    for (const auto& block : blocks_) cells += block.capacity();
    return cells * sizeof(std::uint32_t) + cleared_.capacity() * sizeof(local_day);
  }

  /// Room for at least `keys` keys. When it grows it at least doubles the room, so calling it
  /// before each `add_key` costs amortised constant time; after it, `add_key` up to `keys` keys
  /// neither allocates nor throws. Strong guarantee.
  void reserve(std::size_t keys) {
    const auto grow = [](auto& v, std::size_t want, std::size_t most) {
      if (want > v.capacity()) v.reserve(std::min(std::max(want, v.capacity() * 2), most));
    };
    const std::size_t blocks = (keys + keys_per_block - 1) / keys_per_block;
    const std::size_t full_block = keys_per_block * cells_per_key();
    grow(cleared_, keys, std::max(keys, cleared_.capacity() * 2));
    blocks_.reserve(blocks);
    for (std::size_t b = 0; b < blocks; ++b) {
      if (b == blocks_.size()) blocks_.emplace_back();  // cannot throw: reserved above
      grow(blocks_[b], std::min(keys - b * keys_per_block, keys_per_block) * cells_per_key(), full_block);
    }
  }

  /// A new key with no counts. Strong guarantee.
  key add_key() {
    reserve(key_count() + 1);
    auto& block = blocks_[key_count() / keys_per_block];
    block.resize(block.size() + cells_per_key(), 0u);
    cleared_.push_back(today_);
    return static_cast<key>(cleared_.size() - 1);
  }

  /// A new key holding the counts `source` holds for its key `k` (what a ledger copies to make a
  /// slice of one seller). Both windows must keep the same days, and this one's clock must not be
  /// behind the day `source` last cleared `k`; throws `sellerhealth::error` otherwise.
  key add_key_copied_from(const basic_rate_window& source, key k) {
    if (k >= source.key_count()) throw_key_out_of_range(k, source.key_count());
    if (source.ring_days_ != ring_days_ || source.measure_count() != measure_count())
      throw error("sellerhealth::rate_window: copying a key from a window of another shape");
    if (source.cleared_[k] > today_)
      throw error("sellerhealth::rate_window: copying a key counted through " + format_day(source.cleared_[k]) +
                  " into a window whose today is " + format_day(today_));
    reserve(key_count() + 1);
    const std::uint32_t* row = source.ring_of(k);
    auto& block = blocks_[key_count() / keys_per_block];
    block.insert(block.end(), row, row + cells_per_key());
    cleared_.push_back(source.cleared_[k]);
    return static_cast<key>(cleared_.size() - 1);
  }

  /// Moves the clock forward to `day`, in constant time (keys are cleared lazily). Throws
  /// `sellerhealth::error` for a day before `today()`: the clock never moves back.
  void advance_to(local_day day) {
    if (day < today_)
      throw error("sellerhealth::rate_window: advance_to " + format_day(day) + " is before today " +
                  format_day(today_) + "; the clock never moves back");
    today_ = day;
  }

  /// Adds `delta` (negative to remove counts) to one counter of key `k`'s measure on `day`.
  /// Returns false, changing nothing, for a day older than the ring (in no window the ring can
  /// sum); throws `sellerhealth::error` for a day after today. A counter must never go below zero
  /// (checked by `assert`).
  bool add(key k, std::size_t measure, rate_part part, local_day day, int delta) {
    assert(k < key_count() && measure < measure_count());
    if (day > today_) [[unlikely]]
      throw_after_today(day);
    if (day < oldest_day()) return false;
    bring_current(k);
    std::uint32_t& cell = day_cells(k, day)[measure * 2 + static_cast<std::size_t>(part)];
    assert((delta >= 0 || cell >= static_cast<std::uint32_t>(-static_cast<std::int64_t>(delta))) &&
           "a count was removed that was never added");
    cell = static_cast<std::uint32_t>(static_cast<std::int64_t>(cell) + delta);
    return true;
  }

  /// Starts loading key `k`'s counters of `day` into the cache, for a caller that knows what it
  /// counts next: a hint that changes nothing (a key out of range is ignored, any day is fine).
  void prefetch(key k, local_day day) const noexcept {
    if (k >= key_count()) return;
    __builtin_prefetch(&cleared_[k]);
    __builtin_prefetch(day_cells(k, day));
  }

  /// Moves one count of a counter from day `from` to day `to`, where an empty day means "not
  /// counted" (so `{}` to a day adds one, a day to `{}` removes one). Nothing happens when the two
  /// are equal. Either day may be older than the ring (that side is dropped, as in `add`); a day
  /// after today throws `sellerhealth::error` before anything changes.
  void move_count(key k, std::size_t measure, rate_part part, std::optional<local_day> from,
                  std::optional<local_day> to) {
    if (from == to) return;
    if (to && *to > today_) [[unlikely]]
      throw_after_today(*to);
    if (from) add(k, measure, part, *from, -1);
    if (to) add(k, measure, part, *to, +1);
  }

  /// The exact counts of key `k`'s measure over `days` (both ends included); zero for an empty
  /// range (`from` after `to`). Throws `sellerhealth::error` naming the days when they reach
  /// outside `oldest_day()..today()`, or for a key or measure out of range.
  [[nodiscard]] rate sum(key k, std::size_t measure, const day_range& days) const {
    if (k >= key_count()) throw_key_out_of_range(k, key_count());
    if (measure >= measure_count())
      throw error("sellerhealth::rate_window: measure " + std::to_string(measure) + " out of range (" +
                  std::to_string(measure_count()) + " measures)");
    if (days.from > days.to) return {};
    if (days.from < oldest_day() || days.to > today_)
      throw error("sellerhealth::rate_window: sum over " + format_day(days.from) + ".." + format_day(days.to) +
                  " reaches outside the days kept (" + format_day(oldest_day()) + ".." + format_day(today_) + ")");
    rate counts{};
    const local_day last = std::min(days.to, cleared_[k]);  // later slots still hold days a ring older
    if (days.from > last) return counts;
    // The days are at most a ring: one run of consecutive slots, or two where the ring wraps. Read
    // as runs at a fixed stride, without working out each day's slot (a daily series sums every
    // seller's windows every day: this loop is most of what it computes).
    const auto n = static_cast<std::size_t>((last - days.from).count()) + 1;
    const std::size_t first = slot(days.from), run = std::min(n, ring_days_ - first);
    const std::uint32_t* row = ring_of(k) + measure * 2;
    add_run(counts, row + first * counters_per_day(), run);
    add_run(counts, row, n - run);
    return counts;
  }
  /// The sum over the window `w` evaluated at `day`: `rolling_days(n)`, `month_to_date()`,
  /// `quarter_to_date()` (calendar.hpp).
  [[nodiscard]] rate sum(key k, std::size_t measure, window_spec w, local_day day) const {
    return sum(k, measure, w.period(day));
  }

 private:
  static std::size_t checked_ring_days(int days) {
    if (days < 1 || days > max_days)
      throw std::invalid_argument("sellerhealth::rate_window: days must be within 1.." + std::to_string(max_days));
    return std::bit_ceil(static_cast<std::size_t>(days));
  }
  static std::size_t checked_measures(std::size_t measures) {
    if (measures == 0) throw std::invalid_argument("sellerhealth::rate_window: at least one measure");
    return measures;
  }
  [[noreturn]] void throw_after_today(local_day day) const {
    throw error("sellerhealth::rate_window: a count on " + format_day(day) + ", after today " + format_day(today_) +
                "; advance_to that day first");
  }
  [[noreturn]] static void throw_key_out_of_range(key k, std::size_t keys) {
    throw error("sellerhealth::rate_window: key " + std::to_string(k) + " out of range (" + std::to_string(keys) +
                " keys)");
  }

  [[nodiscard]] std::size_t counters_per_day() const noexcept { return measure_count() * 2; }
  [[nodiscard]] std::size_t cells_per_key() const noexcept { return ring_days_ * counters_per_day(); }
  [[nodiscard]] std::size_t slot(local_day day) const noexcept {
    return static_cast<std::size_t>(day.time_since_epoch().count()) & (ring_days_ - 1);
  }
  [[nodiscard]] std::uint32_t* ring_of(key k) noexcept {
    return blocks_[k / keys_per_block].data() + (k % keys_per_block) * cells_per_key();
  }
  [[nodiscard]] const std::uint32_t* ring_of(key k) const noexcept {
    return blocks_[k / keys_per_block].data() + (k % keys_per_block) * cells_per_key();
  }
  [[nodiscard]] std::uint32_t* day_cells(key k, local_day day) noexcept {
    return ring_of(k) + slot(day) * counters_per_day();
  }
  [[nodiscard]] const std::uint32_t* day_cells(key k, local_day day) const noexcept {
    return ring_of(k) + slot(day) * counters_per_day();
  }

  /// Adds `days` consecutive slots' counters, starting at `c` (one measure's numerator).
  void add_run(rate& counts, const std::uint32_t* c, std::size_t days) const noexcept {
    const std::size_t stride = counters_per_day();
    std::uint64_t numerator = 0, denominator = 0;
    for (std::size_t d = 0; d < days; ++d, c += stride) {
      numerator += c[static_cast<std::size_t>(rate_part::numerator)];
      denominator += c[static_cast<std::size_t>(rate_part::denominator)];
    }
    counts.numerator += numerator;
    counts.denominator += denominator;
  }

  /// Zeroes the slots of the days key `k`'s ring has not reached yet (they hold a day
  /// `ring_days_` older). Done when the key is counted, so moving the clock costs nothing per key.
  void bring_current(key k) noexcept {
    local_day& cleared = cleared_[k];
    if (cleared >= today_) return;
    const auto gap = (today_ - cleared).count();
    if (gap >= static_cast<long long>(ring_days_)) {
      std::fill_n(ring_of(k), cells_per_key(), 0u);
    } else {
      for (local_day d = cleared + std::chrono::days{1}; d <= today_; d += std::chrono::days{1})
        std::fill_n(day_cells(k, d), counters_per_day(), 0u);
    }
    cleared = today_;
  }

  std::size_t ring_days_;
  local_day today_;
  [[no_unique_address]] std::conditional_t<runtime_measures, std::size_t, detail::no_measure_count> measures_{};
  // Per block of `keys_per_block` keys: [key][day slot][measure][numerator, denominator]. A full
  // block is at least 4 MiB, so it goes on huge pages (detail/huge_pages.hpp).
  std::vector<detail::large_vector<std::uint32_t>> blocks_;
  std::vector<local_day> cleared_;  // per key: the newest day its slots are valid for
};

/// A rate window whose measure count is given at run time.
using rate_window = basic_rate_window<>;

}  // namespace sellerhealth
