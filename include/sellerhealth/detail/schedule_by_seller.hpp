// The re-judgement schedule grouped by seller: what projections for many sellers on one day
// share (the report's `clears_on` of every BAD metric).
//
// Why. A slice of one seller copies the seller's scheduled orders (ledger_projection.hpp); found
// by walking the whole schedule, that costs a pass over every scheduled order of every seller,
// once per seller projected: on the 1M-order benchmark's report, with about 2,400 BAD metrics,
// those passes were most of the report's serial time. Grouped once (a counting sort by seller,
// which keeps each seller's entries in schedule order), each slice reads only its own entries.
//
// The grouping is a copy, valid until the ledger changes (any event or clock move).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "../calendar.hpp"
#include "rejudge_schedule.hpp"

namespace sellerhealth::detail {

class schedule_by_seller {
 public:
  struct scheduled {
    local_day day;
    std::uint32_t index;
  };

  schedule_by_seller() = default;
  /// Groups `schedule` (whose ledger stands on `today` and has `sellers` sellers) by seller.
  schedule_by_seller(const rejudge_schedule& schedule, local_day today, std::size_t sellers) : starts_(sellers + 1, 0) {
    schedule.for_each(today, [&](local_day, const rejudge_schedule::entry& e) { ++starts_[e.seller + 1]; });
    for (std::size_t s = 1; s < starts_.size(); ++s) starts_[s] += starts_[s - 1];
    entries_.resize(starts_.back());
    std::vector<std::size_t> next(starts_.begin(), starts_.end() - 1);
    schedule.for_each(today, [&](local_day day, const rejudge_schedule::entry& e) {
      entries_[next[e.seller]++] = {day, e.index};
    });
  }

  /// Seller `seller`'s scheduled orders, in the order `rejudge_schedule::for_each` visits them.
  [[nodiscard]] std::span<const scheduled> of(std::uint32_t seller) const noexcept {
    if (seller + std::size_t{1} >= starts_.size()) return {};
    return std::span<const scheduled>(entries_).subspan(starts_[seller], starts_[seller + 1] - starts_[seller]);
  }

 private:
  std::vector<std::size_t> starts_;  // per seller, where its entries begin; one more at the end
  std::vector<scheduled> entries_;
};

}  // namespace sellerhealth::detail
