// The ledger's per-order state, packed so a marketplace's open orders stay in cache.
//
// Times after placement are stored as unsigned second offsets from `placed_at` (events before
// their order's placement are rejected, so offsets are never negative); that keeps the record at
// 64 bytes, one cache line, instead of 112. The ledger rejects an event more than `max_offset` seconds (about 136
// years) after its order's placement, and a ship-by deadline more than 68 years from it.
#pragma once

#include <cstdint>
#include <limits>

namespace sellerhealth::detail {

inline constexpr std::uint32_t no_time = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::uint32_t max_offset = no_time - 1;

enum order_flag : std::uint16_t {
  platform_fulfilled = 1u << 0,
  // When the first buyer request and the first seller cancellation carry the same second, the
  // one recorded first happened first (events with equal times keep arrival order).
  request_first_at_tie = 1u << 1,
  // The order has notes (order_notes.hpp): a cancellation, a refund, or a changed deadline.
  has_notes = 1u << 2,
};

struct order_record {
  std::int64_t placed_at;       // unix seconds
  std::int32_t ship_by_offset;  // current deadline - placed_at, seconds (may be negative)
  std::uint32_t seller;         // index into the ledger's seller table
  std::uint32_t quantity;
  std::uint32_t cancelled_units;
  std::uint32_t refunded_units;
  std::uint32_t shipped_after = no_time;
  std::uint32_t first_request_after = no_time;
  std::uint32_t first_seller_cancel_after = no_time;
  std::uint32_t first_platform_cancel_after = no_time;
  std::uint32_t last_cancel_after = no_time;
  std::uint32_t ship_by_changed_after = no_time;
  // When the platform agreed not to count the order (the earliest such event per metric): a
  // penalty evaluation judged before that moment must not see it.
  std::uint32_t exempt_cancel_after = no_time;
  std::uint32_t exempt_late_after = no_time;
  std::uint16_t flags = 0;

  [[nodiscard]] constexpr bool has(order_flag f) const noexcept { return (flags & f) != 0; }
  constexpr void set(order_flag f, bool on = true) noexcept {
    flags = static_cast<std::uint16_t>(on ? (flags | f) : (flags & ~static_cast<unsigned>(f)));
  }
};

static_assert(sizeof(order_record) <= 64, "the per-order footprint is a design target (bench/README.md)");

}  // namespace sellerhealth::detail
