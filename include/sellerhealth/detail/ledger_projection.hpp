// The ledger's "what if": a slice of one seller to record hypothetical events on, the days its BAD
// metrics clear if nothing else happens, and the platform's automatic cancellations such a
// projection predicts (`ledger::slice`, `clears_on_all`; the sharded book's and `advise` build on
// them). The ledger's public functions document the behaviour; this is how it is done.
//
// The automatic cancellation: which orders still await it, the day the ledger must look at such
// an order again, and the cancellations to record on a projected ledger as its clock moves.
// Why here. The ledger's own counts never invent an automatic cancellation (it is an event of the
// file); only projections do, from the PFCR policy's `auto_cancel` (amazon.hpp). A ledger whose
// rate policies have none (`predicts_auto_cancel`, policy.hpp) gets `Policy = void`: nothing is
// predicted and nothing stays scheduled for it.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "../calendar.hpp"
#include "../events.hpp"
#include "../policy.hpp"
#include "order_record.hpp"
#include "rejudge_schedule.hpp"
#include "schedule_by_seller.hpp"
#include "type_list.hpp"

namespace sellerhealth::detail {

template <zone Zone, class Policy>
struct auto_cancel_projection {
  static constexpr bool predicts = !std::is_void_v<Policy>;

  /// Whether the platform would still cancel the order automatically: a merchant order, not
  /// wholly cancelled, with no shipment confirmed.
  [[nodiscard]] static bool awaits(const order_record& r) noexcept {
    return !r.has(platform_fulfilled) && r.shipped_after == no_time && r.cancelled_units != r.quantity;
  }

  /// For an order that `awaits` the cancellation, the day to look at it again so that it stays
  /// scheduled until the cancellation's day (a slice copies the scheduled orders, so a projection
  /// from the slice can predict it): its ship-by day while that is ahead (the day late shipments
  /// look again anyway), then the cancellation's day; empty once that has come, or with no
  /// policy. The business days are counted only for an order open past its deadline.
  [[nodiscard]] static std::optional<local_day> recheck_day(const order_record& r, local_day day) noexcept {
    if constexpr (!predicts) {
      return std::nullopt;
    } else {
      if (!awaits(r)) return std::nullopt;
      const sys_seconds ship_by = order_view{r}.ship_by();
      if (const local_day due = Zone::day_of(ship_by); due > day) return due;
      const local_day cancels = Zone::day_of(Policy::auto_cancel::template cancels_at<Zone>(ship_by));
      return cancels > day ? std::optional{cancels} : std::nullopt;
    }
  }

  /// The automatic cancellations a projection expects, earliest first, and how many it has
  /// recorded so far.
  struct predicted {
    std::vector<std::pair<sys_seconds, std::string>> due;  // instant, order id
    std::size_t next = 0;
    /// Records, on `future`, every predicted cancellation before the end of `day`.
    template <class Ledger>
    void record_through(Ledger& future, local_day day) {
      const sys_seconds end = Zone::start_of(day + std::chrono::days{1});
      for (; next < due.size() && due[next].first < end; ++next)
        future.record(cancelled{.order = due[next].second, .at = due[next].first, .by = actor::platform});
    }
  };

  /// The cancellations of the orders in `orders` (an `order_table`) that await one, due after
  /// `today`: those due by the end of today and not recorded are not invented (the projection
  /// does not rewrite the past). For a slice, whose orders are the ones still awaiting one.
  template <class Orders>
  [[nodiscard]] static predicted predict(const Orders& orders, local_day today) {
    predicted out;
    if constexpr (predicts) {
      const sys_seconds after_today = Zone::start_of(today + std::chrono::days{1});
      for (std::uint32_t i = 0; i < orders.size(); ++i) {
        if (!awaits(orders[i])) continue;
        const sys_seconds at = Policy::auto_cancel::template cancels_at<Zone>(order_view{orders[i]}.ship_by());
        if (at >= after_today) out.due.emplace_back(at, std::string(orders.id(i)));
      }
      std::sort(out.due.begin(), out.due.end());
    }
    return out;
  }
};

/// The bodies of `ledger::slice` and `ledger::clears_on_all` (a friend of the ledger).
template <class Ledger>
struct ledger_projection {
  /// The schedule grouped by seller, for many slices of one unchanged ledger.
  [[nodiscard]] static schedule_by_seller group_schedule(const Ledger& book) {
    return schedule_by_seller(book.schedule_, book.current_day(), book.seller_count());
  }

  /// `grouped`, when given, is `group_schedule(book)` of the ledger as it stands: the seller's
  /// scheduled orders are read from it instead of from a pass over the whole schedule.
  [[nodiscard]] static Ledger slice(const Ledger& book, std::uint32_t seller, std::span<const std::string_view> also,
                                    const schedule_by_seller* grouped = nullptr) {
    Ledger out({.horizon_days = book.horizon_days_});
    out.started_ = book.started_;
    out.start_clock_at(book.current_day());
    out.penalties_.copy_clock_from(book.penalties_);
    if (seller >= book.seller_count()) return out;
    out.seller_ids_.insert(book.seller_ids_.at(seller));
    (void)out.day_counts_.add_key_copied_from(book.day_counts_, seller);
    out.penalties_.add_seller_copied_from(book.penalties_, seller);
    // The seller's scheduled orders (the ones whose answer can still change) and those in `also`,
    // in index order, renumbered from 0 in the slice.
    const auto for_each_scheduled = [&](auto f) {  // f(day, index) for the seller's scheduled orders
      if (grouped) {
        for (const auto& e : grouped->of(seller)) f(e.day, e.index);
      } else {
        book.schedule_.for_each(book.current_day(), [&](local_day day, const rejudge_schedule::entry& e) {
          if (e.seller == seller) f(day, e.index);
        });
      }
    };
    std::vector<std::uint32_t> picked;
    for_each_scheduled([&](local_day, std::uint32_t index) { picked.push_back(index); });
    for (const std::string_view id : also)
      if (const auto i = book.orders_.find(id); i && book.orders_[*i].seller == seller) picked.push_back(*i);
    std::sort(picked.begin(), picked.end());
    picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
    const auto renumbered = [&](std::uint32_t i) {
      return static_cast<std::uint32_t>(std::lower_bound(picked.begin(), picked.end(), i) - picked.begin());
    };
    for (const std::uint32_t i : picked) book.orders_.copy_to(out.orders_, i, 0);
    for_each_scheduled([&](local_day day, std::uint32_t index) {
      out.schedule_.add(out.current_day(), day, renumbered(index), 0);  // its only seller
    });
    return out;
  }

  [[nodiscard]] static auto clears_on_all(const Ledger& book, std::uint32_t seller, std::uint32_t daily_good_orders,
                                          int within_days, const schedule_by_seller* grouped = nullptr) {
    using result = std::array<std::optional<local_day>, Ledger::policy_count>;
    if (!book.started_ || seller >= book.seller_count()) return result{};
    std::optional<Ledger> future;  // copied only once something is BAD
    typename Ledger::predicted_cancellations platform_cancels;
    const local_day today = book.current_day();
    return clearing_days(book.evaluate_all(seller, today), today, within_days, [&](local_day day) {
      if (!future) {
        future.emplace(slice(book, seller, {}, grouped));
        platform_cancels = future->predicted_auto_cancellations();
      }
      platform_cancels.record_through(*future, day);
      future->advance_to(day);
      for (std::uint32_t k = 0; k < daily_good_orders; ++k) future->record_assumed_order(0, day, k);
      return future->evaluate_all(0, day);
    });
  }
};

}  // namespace sellerhealth::detail
