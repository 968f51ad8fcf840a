// What the ledger starts loading ahead of the events and re-judgements it is about to process,
// so that their cache misses overlap instead of following each other: feeding a large book is
// bound by memory stalls (the orders' records, the sellers' ids and day buckets are spread over
// tens of megabytes), not by instructions.
//
// `ledger::record_all` walks the events with `order_table::for_each_loading_ahead`, which loads
// the order id's index slot, the id and the order's record a few events ahead and lets the
// ledger add its own loads: for an event on a recorded order, the seller's day buckets of the
// order's placement and ship-by days (the days its measures file counts under); for a new order,
// its seller's id slot first, then the seller's id and its buckets of the event's day. The
// re-judgements of a day (`ledger::run_schedule_through`) load the records and buckets a few
// orders ahead likewise. None of this changes a result: a load of the wrong line only costs it.
#pragma once

#include <chrono>
#include <cstdint>
#include <variant>

#include "../calendar.hpp"
#include "../events.hpp"
#include "order_record.hpp"
#include "string_table.hpp"

namespace sellerhealth::detail {

/// A friend of the ledger: reads its sellers, orders and day buckets, changes nothing.
template <class Ledger>
struct ledger_look_ahead {
  using zone = typename Ledger::zone_type;

  /// Far ahead: for a `placed` event, the hash of its seller's id, whose index slot starts
  /// loading; 0 for other events.
  [[nodiscard]] static std::uint64_t far(const Ledger& book, const event& e) noexcept {
    const auto* p = std::get_if<placed>(&e);
    if (!p) return 0;
    const std::uint64_t seller_hash = hash_bytes(p->seller);
    book.seller_ids_.prefetch_slot(seller_hash);
    return seller_hash;
  }

  /// Near: the buckets the event likely moves, from the order's `likely` record, or for a new
  /// order from the seller the index likely holds for `seller_hash` (`far`'s value).
  static void near(const Ledger& book, const event& e, std::uint64_t seller_hash, const order_record* likely) noexcept {
    if (likely) return day_cells_of(book, *likely);
    if (const auto* p = std::get_if<placed>(&e); p && in_supported_range(p->at))
      if (const auto s = book.seller_ids_.likely_index(seller_hash)) {
        book.seller_ids_.prefetch_chars(*s);
        book.day_counts_.prefetch(*s, zone::day_of(p->at));
      }
  }

  /// The buckets an event on (or a re-judgement of) order `r` likely moves: its seller's buckets
  /// of the order's placement and ship-by days.
  static void day_cells_of(const Ledger& book, const order_record& r) noexcept {
    const sys_seconds placed_at{std::chrono::seconds{r.placed_at}};
    book.day_counts_.prefetch(r.seller, zone::day_of(placed_at));
    book.day_counts_.prefetch(r.seller, zone::day_of(placed_at + std::chrono::seconds{r.ship_by_offset}));
  }
};

}  // namespace sellerhealth::detail
