// Facts about an order that its fixed-size record cannot hold, kept only for the few orders that
// have them: each cancellation and refund as delivered (so a second delivery of the same event is
// recognised) and the deadline an order was placed with once a later event changed it (so a second
// delivery of the `placed` event is recognised too).
//
// Notes live in one vector, chained per order, and an open-addressing index maps an order to its
// newest note. Both grow geometrically and keep their capacity, so adding a note allocates only
// when a table doubles. The order record's `has_notes` flag spares orders without notes the lookup.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace sellerhealth::detail {

enum class note_kind : std::uint8_t { cancel = 0, refund = 1, placed_ship_by = 2 };

struct order_note {
  std::uint32_t order;   // index of the order
  std::uint32_t offset;  // cancel, refund: seconds after placement; placed_ship_by: the deadline's offset bits
  std::uint32_t units;   // cancel, refund: units as delivered, 0 when the event named none (every open unit)
  std::uint32_t next;    // the order's previous note, or `none`
  note_kind kind;
  std::uint8_t actor;  // cancel: the `actor`
};

class order_notes {
 public:
  static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

  /// Room for `n` notes without growing.
  void reserve(std::size_t n) {
    notes_.reserve(n);
    std::size_t want = 16;
    while (want * 3 < n * 4) want *= 2;
    if (want > keys_.size()) rehash(want);
  }

  /// Strong guarantee: on `std::bad_alloc` nothing changed.
  void add(const order_note& note) {
    if (notes_.size() == notes_.capacity()) notes_.reserve(notes_.empty() ? 16 : notes_.size() * 2);
    if ((heads_used_ + 1) * 4 > keys_.size() * 3) rehash(keys_.empty() ? 16 : keys_.size() * 2);
    order_note n = note;
    std::size_t i = find_slot(note.order);
    n.next = keys_[i] == empty ? none : heads_[i];
    notes_.push_back(n);
    if (keys_[i] == empty) {
      keys_[i] = note.order;
      ++heads_used_;
    }
    heads_[i] = static_cast<std::uint32_t>(notes_.size() - 1);
  }

  /// Calls `f(note)` for each note of `order`, newest first, until it returns true; true if it did.
  template <class F>
  [[nodiscard]] bool any_of(std::uint32_t order, F f) const {
    if (keys_.empty()) return false;
    const std::size_t i = find_slot(order);
    if (keys_[i] == empty) return false;
    for (std::uint32_t k = heads_[i]; k != none; k = notes_[k].next)
      if (f(notes_[k])) return true;
    return false;
  }

  /// Calls `f(note)` for each note of `order`, newest first.
  template <class F>
  void for_each(std::uint32_t order, F f) const {
    (void)any_of(order, [&](const order_note& n) {
      f(n);
      return false;
    });
  }

  [[nodiscard]] const std::vector<order_note>& all() const noexcept { return notes_; }
  [[nodiscard]] std::size_t size() const noexcept { return notes_.size(); }
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    return notes_.capacity() * sizeof(order_note) + keys_.capacity() * 4 + heads_.capacity() * 4;
  }

 private:
  static constexpr std::uint32_t empty = none;

  [[nodiscard]] std::size_t find_slot(std::uint32_t order) const noexcept {
    std::size_t i = (order * 0x9E3779B1u) & mask_;
    while (keys_[i] != empty && keys_[i] != order) i = (i + 1) & mask_;
    return i;
  }
  void rehash(std::size_t capacity) {
    std::vector<std::uint32_t> keys(capacity, empty), heads(capacity, none);
    keys_.swap(keys);
    heads_.swap(heads);
    mask_ = capacity - 1;
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] != empty) {
        const std::size_t j = find_slot(keys[i]);
        keys_[j] = keys[i];
        heads_[j] = heads[i];
      }
  }

  std::vector<order_note> notes_;
  std::vector<std::uint32_t> keys_;   // order index, or `empty`
  std::vector<std::uint32_t> heads_;  // the order's newest note
  std::size_t heads_used_ = 0;
  std::size_t mask_ = 0;
};

}  // namespace sellerhealth::detail
