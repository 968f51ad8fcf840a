// Why the ledger refuses an event: the code a program can branch on, the message a person reads,
// and the exception `ledger::record` throws with both.
//
// A rejected event changes nothing, so a program may fix and send it again: `try_record` returns
// a `rejection` (no exception on the accepting or the rejecting path), `record` throws
// `rejected_event`. Messages name the order and what is wrong in one short line, e.g.
// "order 'A-1' was already shipped at 2026-09-10T10:00:00+09:00, not at 2026-09-11T10:00:00+09:00":
// instants in the ledger's zone, with its offset (`format_local`), as the seller reads them.
//
//   if (auto why = book.try_record(e)) log(why->code, why->message);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "error.hpp"

namespace sellerhealth {

/// Why an event was rejected.
enum class rejection_code : std::uint8_t {
  invalid_event,     ///< empty id or seller, zero units
  duplicate_order,   ///< a second `placed` for one id, with other data than the first
  unknown_order,     ///< an event for an order never placed
  seller_mismatch,   ///< the event names another seller than the order's
  before_placement,  ///< an event earlier than its order's placement
  beyond_horizon,    ///< older than the out-of-order horizon
  already_shipped,   ///< a second shipment, at another time than the first
  fully_cancelled,   ///< shipping or cancelling an order whose every unit is cancelled
  shipped_order,     ///< a cancellation at or after the shipment
  not_shipped,       ///< a refund before any shipment
  too_many_units,    ///< more units than remain
  out_of_range,      ///< a time outside the supported range, or the ledger is full
};

/// The code's name as written in this header (`"unknown_order"`), for logs and metrics labels.
[[nodiscard]] constexpr std::string_view to_string(rejection_code c) noexcept {
  switch (c) {
    case rejection_code::invalid_event: return "invalid_event";
    case rejection_code::duplicate_order: return "duplicate_order";
    case rejection_code::unknown_order: return "unknown_order";
    case rejection_code::seller_mismatch: return "seller_mismatch";
    case rejection_code::before_placement: return "before_placement";
    case rejection_code::beyond_horizon: return "beyond_horizon";
    case rejection_code::already_shipped: return "already_shipped";
    case rejection_code::fully_cancelled: return "fully_cancelled";
    case rejection_code::shipped_order: return "shipped_order";
    case rejection_code::not_shipped: return "not_shipped";
    case rejection_code::too_many_units: return "too_many_units";
    case rejection_code::out_of_range: return "out_of_range";
  }
  return "?";
}

struct rejection {
  rejection_code code;
  std::string message;  // names the order and what is wrong, e.g. "order 'A-1' was already shipped at ..."
};

/// Thrown by `ledger::record` for an event it rejects; the ledger is unchanged.
class rejected_event : public error {
 public:
  explicit rejected_event(rejection r) : error(r.message), code_(r.code) {}
  [[nodiscard]] rejection_code code() const noexcept { return code_; }

 private:
  rejection_code code_;
};

namespace detail {
/// An order id that becomes a `std::string` only when concatenated into a rejection message, so
/// the accepting path allocates nothing for long ids.
struct quoted_id {
  std::string_view id;
  friend std::string operator+(const char* left, const quoted_id& q) { return std::string(left).append(q.id); }
  friend std::string operator+(std::string left, const quoted_id& q) { return left.append(q.id); }
};
}  // namespace detail

}  // namespace sellerhealth
