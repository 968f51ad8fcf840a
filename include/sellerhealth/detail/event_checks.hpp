// The checks every kind of event shares before the ledger changes anything: its time (in range,
// within the out-of-order horizon) and, for every kind but `placed`, the order it is about (placed,
// of the seller the event names, not before its placement) and whether the order already holds
// it (a redelivery, which changes nothing). Each failed check is a `rejection` naming the order.
// The ledger's handlers (ledger.hpp) call these first, then check what is particular to their
// kind, then commit.
//
// Redelivery. An event the ledger already holds is accepted and changes nothing, however old it
// is (queues deliver at least once; exports overlap). An event is recognised by its contents:
// `placed` by every field; `shipped` by its time; `cancelled` by time, units as delivered and
// actor; `refunded` by time and units as delivered; `cancel_requested` when it is the order's
// earliest request; `ship_by_changed` when it is the change in force (same time and deadline);
// `exempted` when it is the earliest exemption of each metric it names. Other events of those
// last three kinds are accepted as usual, and change nothing either when an earlier one already
// decides. A `placed` with the id of a recorded order but other data is rejected
// (`duplicate_order`), and a `shipped` at another time too (`already_shipped`); both messages
// name what is recorded and what arrived. So two cancellations of one order with the same time,
// units and actor are one cancellation: the CSV has no event id to tell them apart.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "../calendar.hpp"
#include "../events.hpp"
#include "../policy.hpp"
#include "../rejection.hpp"
#include "order_record.hpp"

namespace sellerhealth::detail {

/// A friend of the ledger: reads its orders, sellers, clock and horizon.
template <class Ledger>
struct event_checks {
  using zone = typename Ledger::zone_type;

  [[nodiscard]] static std::optional<rejection> check_time(const Ledger& book, std::string_view order, sys_seconds at) {
    if (!in_supported_range(at))
      return rejection{rejection_code::out_of_range, "order '" + std::string(order) + "': time outside 0001-9999"};
    if (book.started_ && at < zone::start_of(book.current_day() - std::chrono::days{book.horizon_days_}))
      return rejection{rejection_code::beyond_horizon,
                       "order '" + std::string(order) + "': event at " + format_local<zone>(at) +
                           " is older than the out-of-order horizon (" + std::to_string(book.horizon_days_) +
                           " days before " + format_day(book.current_day()) + ")"};
    return std::nullopt;
  }

  /// Finds the order an event is about and checks what every non-`placed` event must satisfy.
  /// `same_as_recorded(record, offset)` says whether the event is one the order already holds;
  /// then `duplicate` is set and the event must change nothing. That is asked before the horizon
  /// and the other checks, so a redelivery of any age is recognised. On success `index` is the
  /// order's and `offset` the event's seconds after its placement.
  template <class SameAsRecorded>
  [[nodiscard]] static std::optional<rejection> locate(const Ledger& book, std::string_view order,
                                                       std::uint64_t id_hash, std::string_view seller, sys_seconds at,
                                                       std::uint32_t& index, std::uint32_t& offset, bool& duplicate,
                                                       SameAsRecorded same_as_recorded) {
    if (order.empty()) return rejection{rejection_code::invalid_event, "event without an order id"};
    const auto found = book.orders_.find(order, id_hash);
    if (!found) return rejection{rejection_code::unknown_order, "order '" + std::string(order) + "' was never placed"};
    index = *found;
    const order_record& r = book.orders_[index];
    if (!seller.empty() && seller != book.seller_ids_.at(r.seller))
      return rejection{rejection_code::seller_mismatch, "order '" + std::string(order) + "' belongs to seller '" +
                                                            std::string(book.seller_ids_.at(r.seller)) + "', not '" +
                                                            std::string(seller) + "'"};
    if (in_supported_range(at)) {
      const std::int64_t since_placement = (at - order_view{r}.placed_at()).count();
      if (since_placement >= 0 && since_placement <= max_offset &&
          same_as_recorded(r, static_cast<std::uint32_t>(since_placement))) {
        duplicate = true;
        return std::nullopt;
      }
    }
    if (auto bad = check_time(book, order, at)) return bad;
    const std::int64_t after = (at - order_view{r}.placed_at()).count();
    if (after < 0)
      return rejection{rejection_code::before_placement,
                       "order '" + std::string(order) + "': event at " + format_local<zone>(at) +
                           " is earlier than its placement at " + format_local<zone>(order_view{r}.placed_at())};
    if (after > max_offset)
      return rejection{rejection_code::out_of_range,
                       "order '" + std::string(order) + "': event more than 136 years after its placement"};
    offset = static_cast<std::uint32_t>(after);
    return std::nullopt;
  }

  /// A `placed` event for order `index`, already recorded: nothing when it is the same placement
  /// delivered again (nothing changes), else `duplicate_order` naming both placements.
  [[nodiscard]] static std::optional<rejection> placed_again(const Ledger& book, const placed& e, std::uint32_t index) {
    const order_record& r = book.orders_[index];
    const sys_seconds placed_ship_by =
        order_view{r}.placed_at() + std::chrono::seconds{book.orders_.placed_ship_by_offset(index)};
    const fulfilment channel = r.has(platform_fulfilled) ? fulfilment::platform : fulfilment::merchant;
    if (e.seller == book.seller_ids_.at(r.seller) && e.at == order_view{r}.placed_at() && e.ship_by == placed_ship_by &&
        e.quantity == r.quantity && e.channel == channel)
      return std::nullopt;
    const auto describe = [](std::string_view seller, sys_seconds at, sys_seconds ship_by, std::uint32_t units,
                             fulfilment by) {
      return "at " + format_local<zone>(at) + ", seller '" + std::string(seller) + "', ship-by " +
             format_local<zone>(ship_by) + ", " + std::to_string(units) + (units == 1 ? " unit, " : " units, ") +
             (by == fulfilment::platform ? "platform" : "merchant");
    };
    return rejection{
        rejection_code::duplicate_order,
        "order '" + quoted_id{e.order} + "' was already placed with other data (" +
            describe(book.seller_ids_.at(r.seller), order_view{r}.placed_at(), placed_ship_by, r.quantity, channel) +
            "); this placement says " + describe(e.seller, e.at, e.ship_by, e.quantity, e.channel)};
  }
};

}  // namespace sellerhealth::detail
