// The ledger's re-judgement schedule: which orders to judge again on which day, with no event.
//
// Why. A deadline passing changes an order's answer with no event (an unshipped order turns late
// at the end of its ship-by day), so a measure names the first day its answer may change
// (`classification::recheck`) and the ledger re-judges the order when its clock reaches that day.
// Moving the clock then costs time in proportion to the orders due, not to all orders.
//
// How. Days up to a ring (`ring_days`, the ledger's day-bucket ring) ahead of today each own one
// slot of `due_soon_`, the day modulo the ring size: a slot is emptied when its day is reached,
// before the day a ring later can use it. The slots' vectors keep their capacity, so in steady
// state scheduling allocates nothing. Days further ahead (a deadline months away) wait in the
// ordered map `due_later_`. An order may be scheduled on one day more than once (re-judged twice
// before the day comes); `take_due` hands each out once, in index order, with its seller (so the
// ledger can start loading the seller's day buckets before it re-judges the order).
//
// The schedule keeps no clock of its own: the ledger passes its today to every call, so the two
// can never disagree. Each entry keeps its order's seller beside the index, so that a slice of one
// seller (ledger_projection.hpp) picks its orders out of the schedule without reading every
// scheduled order's record, once per seller, from all over memory. Memory: 8 bytes per scheduled
// order, plus the ring's slot headers.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "../calendar.hpp"

namespace sellerhealth::detail {

class rejudge_schedule {
 public:
  /// A schedule whose ring covers `ring_days` days (a power of two) after today.
  explicit rejudge_schedule(std::size_t ring_days) noexcept : ring_days_(ring_days) {}

  /// An order due for a re-judgement, and its seller.
  struct entry {
    std::uint32_t index;
    std::uint32_t seller;
  };

  /// Schedules order `index` (of seller `seller`) for `day`, a day after `today`.
  void add(local_day today, local_day day, std::uint32_t index, std::uint32_t seller) {
    if (due_soon_.empty()) due_soon_.resize(ring_days_);
    if (day - today <= std::chrono::days{static_cast<int>(ring_days_)}) {
      auto& due = due_soon_[slot(day)];
      pending_soon_ += due.empty();
      due.push_back({index, seller});
    } else {
      due_later_[day.time_since_epoch().count()].push_back({index, seller});
    }
  }

  /// Calls `f(day, entry)` for every scheduled order, the ring's days first (in day order), then
  /// the later ones (in day order).
  template <class F>
  void for_each(local_day today, F f) const {
    if (!due_soon_.empty())
      for (int ahead = 1; ahead <= static_cast<int>(ring_days_); ++ahead) {
        const local_day day = today + std::chrono::days{ahead};
        for (const entry& e : due_soon_[slot(day)]) f(day, e);
      }
    for (const auto& [day, due] : due_later_)
      for (const entry& e : due) f(local_day{std::chrono::days{day}}, e);
  }

  /// The first day after `today` with orders due, if any is on or before `limit`.
  [[nodiscard]] std::optional<local_day> next_due_day(local_day today, local_day limit) const noexcept {
    std::optional<local_day> next;
    if (pending_soon_ > 0) {
      const local_day ring_end = today + std::chrono::days{static_cast<int>(ring_days_)};
      for (local_day d = today + std::chrono::days{1}; d <= std::min(limit, ring_end); d += std::chrono::days{1})
        if (!due_soon_[slot(d)].empty()) {
          next = d;
          break;
        }
    }
    if (!due_later_.empty()) {
      const local_day later{std::chrono::days{due_later_.begin()->first}};
      if (later <= limit && (!next || later < *next)) next = later;
    }
    return next;
  }

  /// Takes out every order due on `day`: their entries, sorted by index, each order once. The
  /// vector is valid until the next call; scheduling while going through it is fine (it is no
  /// slot's).
  [[nodiscard]] const std::vector<entry>& take_due(local_day day) {
    due_now_.clear();
    if (!due_soon_.empty()) {
      auto& soon = due_soon_[slot(day)];
      if (!soon.empty()) {
        --pending_soon_;
        due_now_.insert(due_now_.end(), soon.begin(), soon.end());
        soon.clear();  // the slot keeps its capacity
      }
    }
    if (const auto later = due_later_.find(day.time_since_epoch().count()); later != due_later_.end()) {
      due_now_.insert(due_now_.end(), later->second.begin(), later->second.end());
      due_later_.erase(later);
    }
    // An order's seller never changes, so entries with one index are equal.
    std::sort(due_now_.begin(), due_now_.end(), [](const entry& a, const entry& b) { return a.index < b.index; });
    due_now_.erase(std::unique(due_now_.begin(), due_now_.end(),
                               [](const entry& a, const entry& b) { return a.index == b.index; }),
                   due_now_.end());
    return due_now_;
  }

  /// Bytes held (capacities; 64 per day in the map for its node), for memory budgets.
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    std::size_t bytes = due_soon_.capacity() * sizeof(due_soon_[0]) + due_now_.capacity() * sizeof(entry);
    for (const auto& due : due_soon_) bytes += due.capacity() * sizeof(entry);
    for (const auto& [day, due] : due_later_) bytes += due.capacity() * sizeof(entry) + 64;
    return bytes;
  }

 private:
  [[nodiscard]] std::size_t slot(local_day day) const noexcept {
    return static_cast<std::size_t>(day.time_since_epoch().count()) & (ring_days_ - 1);
  }

  std::size_t ring_days_;
  std::vector<std::vector<entry>> due_soon_;              // ring: orders to re-judge on a day soon
  std::size_t pending_soon_ = 0;                          // non-empty slots of `due_soon_`
  std::map<std::int64_t, std::vector<entry>> due_later_;  // day -> orders, beyond the ring
  std::vector<entry> due_now_;                            // the day being re-judged
};

}  // namespace sellerhealth::detail
