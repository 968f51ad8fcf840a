// The ledger's orders under one dense index: each order's id (string_table.hpp), its fixed
// 64-byte record (order_record.hpp) and its notes (order_notes.hpp), kept in step so that order
// `i` is the `i`th id, the `i`th record and the notes filed under `i`.
//
// Why one type. The three stores are only meaningful together: an id without its record, or a
// note without the record's `has_notes` flag, is a corrupted ledger. Keeping them behind one
// interface makes the invariant local (`add`, `add_note`, `copy_to`), gives the redelivery tests
// that read notes (`delivered_before`, `placed_ship_by_offset`) one home, and leaves the ledger's
// event handlers with the lifecycle rules only.
//
// Memory: per order the 64-byte record, the id's characters and 11 to 16 bytes of index; 20 bytes
// per note (a cancellation, a refund, or the original deadline of an order whose deadline moved).
// The records grow by fixed blocks (block_vector.hpp), never copied or doubled.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "block_vector.hpp"
#include "order_notes.hpp"
#include "order_record.hpp"
#include "string_table.hpp"

namespace sellerhealth::detail {

class order_table {
 public:
  /// The most orders a table holds: its indices are 32-bit.
  static constexpr std::size_t max_size = string_table::max_size;

  [[nodiscard]] std::size_t size() const noexcept { return records_.size(); }
  [[nodiscard]] order_record& operator[](std::uint32_t index) noexcept { return records_[index]; }
  [[nodiscard]] const order_record& operator[](std::uint32_t index) const noexcept { return records_[index]; }
  [[nodiscard]] std::string_view id(std::uint32_t index) const noexcept { return ids_.at(index); }
  [[nodiscard]] std::optional<std::uint32_t> find(std::string_view id) const noexcept { return ids_.find(id); }
  /// `find` with the id's `hash_bytes` already computed.
  [[nodiscard]] std::optional<std::uint32_t> find(std::string_view id, std::uint64_t hash) const noexcept {
    return ids_.find(id, hash);
  }
  [[nodiscard]] const order_notes& notes() const noexcept { return notes_; }

  /// Appends an order that `find` did not find; returns its index.
  std::uint32_t add(std::string_view id, std::uint64_t hash, const order_record& record) {
    const std::uint32_t index = ids_.insert(id, hash);
    records_.push_back(record);
    return index;
  }

  /// Room for `orders` orders, `id_characters` characters of ids and notes for one order in
  /// eight, without growing.
  void reserve(std::size_t orders, std::size_t id_characters) {
    records_.reserve(orders);
    ids_.reserve(orders, id_characters);
    notes_.reserve(orders / 8);
  }
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    return records_.capacity() * sizeof(order_record) + ids_.memory_bytes() + notes_.memory_bytes();
  }

  // ---- loading ahead: `ledger::record_all` starts the cache misses of later events early ------

  /// Calls `visit(i, hash_of(i))` for each `i` in `0 .. n - 1`, in order, where `hash_of(i)` is
  /// the `hash_bytes` of the id the `i`th visit looks up (`visit` may add orders to this table).
  /// Meanwhile it starts loading what those look-ups of the ids a few places ahead will read, in
  /// stages: the index slot 12 places ahead, the id's offset and the order's record 6 ahead, the
  /// id's characters 2 ahead, so the cache misses overlap instead of following each other. The
  /// caller starts its own loads in two stages too: `load_far(i)` 12 places ahead returns a value
  /// handed back to `load_near(i, value, record)`: 2 places ahead with the likely record of the
  /// `i`th id (by then in cache), or 6 ahead with null when the index holds none for it (then
  /// there is nothing to wait for).
  template <class HashOf, class Visit, class LoadFar, class LoadNear>
  void for_each_loading_ahead(std::ptrdiff_t n, HashOf hash_of, Visit visit, LoadFar load_far,
                              LoadNear load_near) const {
    constexpr std::ptrdiff_t far = 12, mid = 6, near = 2;  // look-ahead of each loading stage
    // Per id ahead, by position mod 16: its hash, and the order the index likely holds for it
    // (found at the middle stage, used again at the near one).
    struct ahead {
      std::uint64_t hash = 0;
      std::uint64_t callers = 0;  // `load_far`'s value
      std::optional<std::uint32_t> likely;
    };
    std::array<ahead, 16> window{};
    const auto at = [&](std::ptrdiff_t i) -> ahead& { return window[static_cast<std::size_t>(i) & 15]; };
    for (std::ptrdiff_t i = 0; i < std::min(n, far); ++i) at(i) = {hash_of(i), load_far(i), std::nullopt};
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      if (i + far < n) {
        at(i + far) = {hash_of(i + far), load_far(i + far), std::nullopt};
        ids_.prefetch_slot(at(i + far).hash);
      }
      if (i + mid < n) {
        ahead& a = at(i + mid);
        a.likely = ids_.likely_index(a.hash);
        if (a.likely) {
          ids_.prefetch_start(*a.likely);
          __builtin_prefetch(&records_[*a.likely]);
        } else {
          load_near(i + mid, a.callers, nullptr);  // nothing to wait for
        }
      }
      if (i + near < n) {
        const ahead& a = at(i + near);
        if (a.likely) {
          ids_.prefetch_chars(*a.likely);
          load_near(i + near, a.callers, &records_[*a.likely]);
        }
      }
      visit(i, at(i).hash);
    }
  }

  // ---- notes: what the fixed record cannot hold, for recognising redelivered events ------------

  /// Whether order `index` (whose record is `r`) has a note for which `match(note)` holds.
  template <class Match>
  [[nodiscard]] bool has_note(const order_record& r, std::uint32_t index, Match match) const {
    return r.has(has_notes) && notes_.any_of(index, match);
  }
  /// Units as a note keeps them: 0 when the event named none (every unit still open); an explicit
  /// 0 is an invalid event and never gets a note.
  [[nodiscard]] static std::uint32_t units_in_note(std::optional<std::uint32_t> units) noexcept {
    return units.value_or(0);
  }
  /// Whether a cancellation or refund (`kind`) with this time, units as delivered and actor
  /// (0 for refunds) is already noted for the order: the redelivery test of those two kinds.
  [[nodiscard]] bool delivered_before(const order_record& r, std::uint32_t index, note_kind kind, std::uint32_t offset,
                                      std::optional<std::uint32_t> units, std::uint8_t by) const {
    if (units == 0u) return false;  // invalid, and must not pass for "no units given"
    return has_note(r, index, [&](const order_note& n) {
      return n.kind == kind && n.offset == offset && n.units == units_in_note(units) && n.actor == by;
    });
  }
  /// Adds a note for the order whose next record is `next` (flagged here; the caller stores it).
  /// The only step of an event handler that can throw, and it runs before any change to the
  /// ledger.
  void add_note(order_record& next, const order_note& note) {
    notes_.add(note);
    next.set(has_notes);
  }
  /// The deadline order `index` was placed with, as seconds after its placement.
  [[nodiscard]] std::int32_t placed_ship_by_offset(std::uint32_t index) const {
    const order_record& r = records_[index];
    std::int32_t offset = r.ship_by_offset;
    if (r.ship_by_changed_after != no_time)
      (void)has_note(r, index, [&](const order_note& n) {
        if (n.kind != note_kind::placed_ship_by) return false;
        offset = static_cast<std::int32_t>(n.offset);
        return true;
      });
    return offset;
  }

  /// Appends order `index` to `to` as seller `seller_there`, with its id and notes (for slices of
  /// one seller and for shards).
  void copy_to(order_table& to, std::uint32_t index, std::uint32_t seller_there) const {
    order_record r = records_[index];
    r.seller = seller_there;
    const auto there = static_cast<std::uint32_t>(to.size());
    to.ids_.insert(ids_.at(index));
    to.records_.push_back(r);
    if (r.has(has_notes))
      notes_.for_each(index, [&](order_note n) {
        n.order = there;
        to.notes_.add(n);
      });
  }

 private:
  block_vector<order_record> records_;  // grows by blocks: never copied, never doubled
  string_table ids_;
  order_notes notes_;  // cancellations and refunds as delivered, and changed deadlines' originals
};

}  // namespace sellerhealth::detail
