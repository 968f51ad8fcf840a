// The `sellerhealth::event` a naive model's owned event stands for, shared by the differential tests.
#pragma once

#include <sellerhealth/events.hpp>

#include "naive_recount.hpp"

namespace scenario {

/// The `sellerhealth::event` an owned event stands for (its strings point into `o`).
inline sellerhealth::event view(const naive::owned_event& o) {
  namespace sh = sellerhealth;
  using naive::event_kind;
  switch (o.kind) {
    case event_kind::placed:
      return sh::placed{.order = o.order,
                        .seller = o.seller,
                        .at = o.at,
                        .ship_by = o.ship_by,
                        .quantity = o.quantity,
                        .channel = o.channel};
    case event_kind::shipped: return sh::shipped{.order = o.order, .at = o.at, .seller = o.seller};
    case event_kind::cancel_requested: return sh::cancel_requested{.order = o.order, .at = o.at, .seller = o.seller};
    case event_kind::cancelled:
      return sh::cancelled{.order = o.order, .at = o.at, .by = o.actor, .units = o.units, .seller = o.seller};
    case event_kind::ship_by_changed:
      return sh::ship_by_changed{.order = o.order, .at = o.at, .ship_by = o.ship_by, .seller = o.seller};
    case event_kind::exempted:
      return sh::exempted{.order = o.order, .at = o.at, .metric = o.exempt, .seller = o.seller};
    case event_kind::refunded: return sh::refunded{.order = o.order, .at = o.at, .units = o.units, .seller = o.seller};
  }
  return sh::shipped{};
}

}  // namespace scenario
