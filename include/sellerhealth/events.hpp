// The order events of the event CSV (events-csv.md) as plain structs.
//
// Ids are `std::string_view`s: the ledger copies what it keeps, so an event may point into a
// parse buffer that is reused right after `record` returns. `seller` may be left empty on every
// event but `placed`; when given it must match the order's seller.
//
//   book.record(sellerhealth::placed{.order = "A-1", .seller = "S1", .at = t0, .ship_by = t0 + 48h});
//   book.record(sellerhealth::cancelled{.order = "A-1", .at = t1, .by = sellerhealth::actor::seller});
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

#include "calendar.hpp"

namespace sellerhealth {

/// Who made a cancellation (or asked for one).
enum class actor : std::uint8_t {
  seller,    ///< the seller cancelled (out of stock, ...), possibly after a buyer's request
  buyer,     ///< the buyer's own self-cancel, or the buyer's cancel request
  platform,  ///< the platform's automatic cancellation (e.g. Amazon: ship-by + 7 days unconfirmed)
};

/// Who fulfils the order. Amazon's PFCR and LSR judge merchant-fulfilled orders only.
enum class fulfilment : std::uint8_t { merchant, platform };

/// Which metric an exemption removes an order from.
enum class exempt_from : std::uint8_t { cancel, late, all };

/// A paid order. `at` is payment completion; `ship_by` is the expected ship date as a deadline.
struct placed {
  std::string_view order;
  std::string_view seller;
  sys_seconds at{};
  sys_seconds ship_by{};
  std::uint32_t quantity = 1;
  fulfilment channel = fulfilment::merchant;
};

/// Shipment confirmation entered at `at` (the confirmation time counts, not a typed ship date).
struct shipped {
  std::string_view order;
  sys_seconds at{};
  std::string_view seller = {};
};

/// The buyer asked to cancel through the platform's cancel request (not by message).
struct cancel_requested {
  std::string_view order;
  sys_seconds at{};
  std::string_view seller = {};
};

/// Some or all units cancelled. `units` empty means every unit still open.
struct cancelled {
  std::string_view order;
  sys_seconds at{};
  actor by = actor::seller;
  std::optional<std::uint32_t> units = std::nullopt;
  std::string_view seller = {};
};

/// The ship-by deadline moved to `ship_by` at `at`.
struct ship_by_changed {
  std::string_view order;
  sys_seconds at{};
  sys_seconds ship_by{};
  std::string_view seller = {};
};

/// The platform agreed not to count the order against `metric`.
struct exempted {
  std::string_view order;
  sys_seconds at{};
  exempt_from metric = exempt_from::all;
  std::string_view seller = {};
};

/// Money returned for shipped units (a decision not to ship made after confirmation). Not a
/// cancellation. `units` empty means every shipped unit not yet refunded.
struct refunded {
  std::string_view order;
  sys_seconds at{};
  std::optional<std::uint32_t> units = std::nullopt;
  std::string_view seller = {};
};

using event = std::variant<placed, shipped, cancel_requested, cancelled, ship_by_changed, exempted, refunded>;

/// The event's name as the CSV spells it.
[[nodiscard]] constexpr std::string_view event_name(const event& e) noexcept {
  constexpr std::string_view names[] = {"placed",          "shipped",  "cancel_requested", "cancelled",
                                        "ship_by_changed", "exempted", "refunded"};
  return names[e.index()];
}

[[nodiscard]] inline std::string_view order_of(const event& e) noexcept {
  return std::visit([](const auto& x) { return x.order; }, e);
}
[[nodiscard]] inline sys_seconds time_of(const event& e) noexcept {
  return std::visit([](const auto& x) { return x.at; }, e);
}

}  // namespace sellerhealth
