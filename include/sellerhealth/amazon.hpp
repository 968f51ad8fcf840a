// Amazon Seller Central account-health metrics for seller-fulfilled orders (rules.md, Amazon).
//
// Available policies, when to use each:
//   pre_fulfillment_cancel_rate  PFCR: seller cancels before shipment, 7 days, must stay < 2.5 %
//   late_shipment_rate_10d       LSR over 10 days, must stay < 4 %
//   late_shipment_rate_30d       LSR over 30 days, must stay < 4 % (a late order haunts it a month)
// Platform-fulfilled (FBA) orders count in none of them.
//
// Amazon does not publish which day a defect is filed under. The defaults are guesses, and each is
// a template parameter:
//   PFCR: the order's local placement day (the cancellation report lists defects by order date);
//         `cancel_attribution::cancellation_day` files the numerator under the day of the cancel.
//   LSR:  the local day of the ship-by deadline; `late_attribution::placement_day` is the other way.
//   Automatic cancellation (`auto_cancellation<>`): a platform cancellation after the ship-by
//         deadline of an order never confirmed counts in PFCR, filed (numerator and denominator)
//         under the local day of the cancellation; the platform cancels 7 business days (Monday to
//         Friday, no holidays) after the deadline's day. Each of those is a parameter.
//
//   using my_pfcr = sellerhealth::amazon::basic_pre_fulfillment_cancel_rate<
//       sellerhealth::amazon::cancel_attribution::cancellation_day>;
#pragma once

#include <optional>
#include <string_view>

#include "calendar.hpp"
#include "policy.hpp"

namespace sellerhealth::amazon {

enum class cancel_attribution { placement_day, cancellation_day };
enum class late_attribution { ship_by_day, placement_day };

/// Where an automatic cancellation is filed in PFCR, numerator and denominator.
enum class auto_cancel_filing { cancellation_day, placement_day };

/// Amazon's automatic cancellation of an unconfirmed order (rules.md, PFCR): since 2020-09-30 the
/// platform cancels a merchant order not shipped and confirmed within `BusinessDays` business days
/// after its ship-by date, and that cancellation counts in PFCR. Every detail is a parameter:
///   BusinessDays                 7 (the announcement); weekdays in the marketplace's zone
///   Holidays                     none (Amazon publishes no list); see `business_calendar`
///   Filing                       the local day of the cancellation (placement-day filing can never
///                                count it: the placement day has left every 7-day window by then)
///   EarlyPlatformCancelsCount    false: a platform cancellation at or before the ship-by deadline
///                                (payment not verified, suspected fraud) is not the automatic one
/// A platform cancellation counts as the automatic one when it comes after the ship-by deadline
/// and the order has no confirmed shipment. `cancels_at` predicts when the platform will cancel
/// an order still unconfirmed: the same local time of day as the deadline, `BusinessDays`
/// business days after the deadline's local day (ship-by Wed 09-02 23:59:59 -> Fri 09-11 23:59:59).
template <int BusinessDays = 7, class Holidays = no_holidays,
          auto_cancel_filing Filing = auto_cancel_filing::cancellation_day, bool EarlyPlatformCancelsCount = false>
struct auto_cancellation {
  static_assert(BusinessDays >= 0, "auto_cancellation: BusinessDays must not be negative");
  static constexpr int business_days = BusinessDays;
  static constexpr auto_cancel_filing filing = Filing;
  static constexpr bool early_platform_cancels_count = EarlyPlatformCancelsCount;
  using calendar = business_calendar<Holidays>;

  /// When the platform cancels an order with deadline `ship_by` that is never confirmed.
  template <zone Z>
  [[nodiscard]] static constexpr sys_seconds cancels_at(sys_seconds ship_by) noexcept {
    const local_day due = Z::day_of(ship_by);
    return Z::start_of(calendar::after(due, BusinessDays)) + (ship_by - Z::start_of(due));
  }
  /// Whether a platform cancellation at `at` is the automatic one, for an order due at `ship_by`
  /// with no confirmed shipment.
  [[nodiscard]] static constexpr bool is_automatic(sys_seconds at, sys_seconds ship_by) noexcept {
    return at > ship_by;
  }
};

/// PFCR's measure. Denominator: every merchant-fulfilled order. Numerator: those cancelled by the
/// seller (whole or item-level) before any buyer cancel request, and those the platform cancelled
/// automatically (`AutoCancel`); not buyers' self-cancels, not seller cancels made after the
/// buyer's request through the platform, not platform cancellations before the deadline, not
/// exempted orders. An order whose first counted cancellation is the automatic one is filed, in
/// both counts, under `AutoCancel::filing` (by default the local day of that cancellation).
template <cancel_attribution Attribution = cancel_attribution::placement_day, class AutoCancel = auto_cancellation<>>
struct seller_cancellations {
  using auto_cancel = AutoCancel;
  [[nodiscard]] static constexpr classification classify(const order_view& o, const as_of& when) noexcept {
    if (o.channel() != fulfilment::merchant || !when.happened(o.placed_at())) return {};
    const local_day placed = when.day_of(o.placed_at());
    classification c{.denominator = placed};
    if (when.happened(o.exempted_at(exempt_from::cancel))) return c;
    std::optional<sys_seconds> counted;
    // A request precedes the cancel it excuses, so "the cancel happened" implies "so did the request".
    if (const auto by_seller = o.first_cancel_at(actor::seller);
        when.happened(by_seller) && !o.seller_cancel_after_request())
      counted = by_seller;
    bool automatic = false;
    if (const auto by_platform = o.first_cancel_at(actor::platform);
        when.happened(by_platform) && (!counted || *by_platform < *counted)) {
      // Cancellations precede shipment, so a shipment on record means some units went out: then
      // the platform's cancellation was not the automatic one of an unconfirmed order.
      automatic = !when.happened(o.shipped_at()) && AutoCancel::is_automatic(*by_platform, o.ship_by());
      if (automatic || AutoCancel::early_platform_cancels_count) counted = by_platform;
    }
    if (!counted) return c;
    if (automatic && AutoCancel::filing == auto_cancel_filing::cancellation_day) {
      const local_day cancelled_on = when.day_of(*counted);
      return {.denominator = cancelled_on, .numerator = cancelled_on};
    }
    c.numerator = Attribution == cancel_attribution::placement_day ? placed : when.day_of(*counted);
    return c;
  }
};

/// LSR's measure. Denominator: merchant-fulfilled orders not wholly cancelled (an item-level
/// cancel keeps the order in). Numerator: those confirmed after the ship-by deadline, or still
/// unconfirmed once it has passed; not exempted orders. A wholly cancelled order leaves both,
/// whoever cancelled it (seed 004: the buyer cancelled and the late mark disappeared).
template <late_attribution Attribution = late_attribution::ship_by_day>
struct late_shipments {
  [[nodiscard]] static constexpr classification classify(const order_view& o, const as_of& when) noexcept {
    if (o.channel() != fulfilment::merchant || !when.happened(o.placed_at())) return {};
    if (when.happened(o.fully_cancelled_at())) return {};
    const sys_seconds deadline = o.ship_by();
    const local_day filed =
        Attribution == late_attribution::ship_by_day ? when.day_of(deadline) : when.day_of(o.placed_at());
    if (filed > when.day) return {.recheck = filed};  // a future ship-by day is in no window yet
    classification c{.denominator = filed};
    const auto shipped = o.shipped_at();
    const bool confirmed = when.happened(shipped);
    const bool late = confirmed ? *shipped > deadline : deadline < when.end;
    if (!confirmed && !late) c.recheck = when.day_of(deadline);  // goes late at the end of that day
    if (late && !when.happened(o.exempted_at(exempt_from::late))) c.numerator = filed;
    return c;
  }
};

template <cancel_attribution Attribution = cancel_attribution::placement_day, class AutoCancel = auto_cancellation<>>
struct basic_pre_fulfillment_cancel_rate {
  using measure = seller_cancellations<Attribution, AutoCancel>;
  using auto_cancel = AutoCancel;
  static constexpr std::string_view id = "amazon.pre_fulfillment_cancel_rate";
  static constexpr target goal{condition::less_than, {1, 40}};  // "must be under 2.5 %"
  static constexpr window_spec window = rolling_days(7);
};

template <int Days, late_attribution Attribution = late_attribution::ship_by_day>
struct basic_late_shipment_rate {
  static_assert(Days > 0);
  using measure = late_shipments<Attribution>;
  static constexpr std::string_view id = Days == 10   ? "amazon.late_shipment_rate_10d"
                                         : Days == 30 ? "amazon.late_shipment_rate_30d"
                                                      : "amazon.late_shipment_rate";
  static constexpr target goal{condition::less_than, {1, 25}};  // JP help: "4 % or more" fails
  static constexpr window_spec window = rolling_days(Days);
};

using pre_fulfillment_cancel_rate = basic_pre_fulfillment_cancel_rate<>;
using late_shipment_rate_10d = basic_late_shipment_rate<10>;
using late_shipment_rate_30d = basic_late_shipment_rate<30>;

}  // namespace sellerhealth::amazon
