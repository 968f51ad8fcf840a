// A deliberately naive recount of the Amazon metrics, the oracle of the differential tests and
// the baseline of the benchmark.
//
// It keeps nothing but a log of every event the ledger accepted (owning copies, in arrival order)
// and recomputes each answer from scratch by scanning that whole log: no buckets, no schedule, no
// incremental state. It is written from the rules (rules.md, Amazon; the differential-test brief),
// not from the library's measures, so the two can disagree and the tests can notice.
//
// Time: JST = UTC+9. The local day of an instant t is floor((t + 9h) / 1 day); E(day), the end of
// a day, is the first instant of day + 1 in JST. Metrics are judged at the end of local day
// `today`: a deadline before E(today) has passed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sellerhealth/calendar.hpp>
#include <sellerhealth/events.hpp>
#include <sellerhealth/ledger.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace naive {

using sellerhealth::local_day;
using sellerhealth::sys_seconds;

enum class metric { pfcr, lsr10, lsr30 };

/// Which event an `owned_event` is (same order as `sellerhealth::event`'s alternatives).
enum class event_kind { placed, shipped, cancel_requested, cancelled, ship_by_changed, exempted, refunded };

/// An owning copy of any `sellerhealth::event`. Fields an event kind does not have keep their
/// defaults.
struct owned_event {
  event_kind kind = event_kind::placed;
  std::string order;
  std::string seller;  // placed: the seller; others: empty or the order's seller
  sys_seconds at{};
  sys_seconds ship_by{};                                    // placed, ship_by_changed
  std::optional<std::uint32_t> units;                       // cancelled, refunded (empty: every unit still open)
  sellerhealth::actor actor = sellerhealth::actor::seller;  // cancelled
  sellerhealth::exempt_from exempt = sellerhealth::exempt_from::all;      // exempted
  sellerhealth::fulfilment channel = sellerhealth::fulfilment::merchant;  // placed
  std::uint32_t quantity = 1;                                             // placed
};

inline owned_event own(const sellerhealth::event& e) {
  owned_event o;
  if (const auto* p = std::get_if<sellerhealth::placed>(&e)) {
    o.kind = event_kind::placed;
    o.order = p->order;
    o.seller = p->seller;
    o.at = p->at;
    o.ship_by = p->ship_by;
    o.quantity = p->quantity;
    o.channel = p->channel;
  } else if (const auto* s = std::get_if<sellerhealth::shipped>(&e)) {
    o.kind = event_kind::shipped;
    o.order = s->order;
    o.seller = s->seller;
    o.at = s->at;
  } else if (const auto* r = std::get_if<sellerhealth::cancel_requested>(&e)) {
    o.kind = event_kind::cancel_requested;
    o.order = r->order;
    o.seller = r->seller;
    o.at = r->at;
  } else if (const auto* c = std::get_if<sellerhealth::cancelled>(&e)) {
    o.kind = event_kind::cancelled;
    o.order = c->order;
    o.seller = c->seller;
    o.at = c->at;
    o.actor = c->by;
    o.units = c->units;
  } else if (const auto* b = std::get_if<sellerhealth::ship_by_changed>(&e)) {
    o.kind = event_kind::ship_by_changed;
    o.order = b->order;
    o.seller = b->seller;
    o.at = b->at;
    o.ship_by = b->ship_by;
  } else if (const auto* x = std::get_if<sellerhealth::exempted>(&e)) {
    o.kind = event_kind::exempted;
    o.order = x->order;
    o.seller = x->seller;
    o.at = x->at;
    o.exempt = x->metric;
  } else if (const auto* f = std::get_if<sellerhealth::refunded>(&e)) {
    o.kind = event_kind::refunded;
    o.order = f->order;
    o.seller = f->seller;
    o.at = f->at;
    o.units = f->units;
  }
  return o;
}

/// One line naming an event and its fields, for failure messages.
inline std::string describe(const owned_event& e) {
  static constexpr const char* kinds[] = {"placed",          "shipped",  "cancel_requested", "cancelled",
                                          "ship_by_changed", "exempted", "refunded"};
  static constexpr const char* actors[] = {"seller", "buyer", "platform"};
  static constexpr const char* metrics[] = {"cancel", "late", "all"};
  std::string out = std::string(kinds[static_cast<int>(e.kind)]) + " '" + e.order + "'";
  if (!e.seller.empty()) out += " seller=" + e.seller;
  out += " at=" + sellerhealth::format_instant(e.at);
  switch (e.kind) {
    case event_kind::placed:
      out += " ship_by=" + sellerhealth::format_instant(e.ship_by) + " qty=" + std::to_string(e.quantity) +
             (e.channel == sellerhealth::fulfilment::platform ? " platform" : " merchant");
      break;
    case event_kind::ship_by_changed: out += " ship_by=" + sellerhealth::format_instant(e.ship_by); break;
    case event_kind::cancelled: out += std::string(" by=") + actors[static_cast<int>(e.actor)]; [[fallthrough]];
    case event_kind::refunded: out += " units=" + (e.units ? std::to_string(*e.units) : std::string("all")); break;
    case event_kind::exempted: out += std::string(" metric=") + metrics[static_cast<int>(e.exempt)]; break;
    default: break;
  }
  return out;
}

/// "accepted", or the rejection code, for failure messages.
inline std::string describe(std::optional<sellerhealth::rejection_code> c) {
  return c ? "rejected (code " + std::to_string(static_cast<int>(*c)) + ")" : std::string("accepted");
}

struct counts {
  std::uint64_t numerator = 0;
  std::uint64_t denominator = 0;
  friend bool operator==(const counts&, const counts&) = default;
};

// ---- time, written out by hand (no library helper) ------------------------------------------

/// Local (JST) day of an instant: floor((t + 9h) / 1 day).
inline local_day jst_day(sys_seconds t) {
  const std::int64_t shifted = t.time_since_epoch().count() + 9 * 3600;
  std::int64_t days = shifted / 86400;
  if (shifted % 86400 < 0) days -= 1;  // floor, not truncation, for instants before 1970
  return local_day{std::chrono::days{days}};
}

/// First instant of a local (JST) day.
inline sys_seconds jst_start(local_day d) {
  return sys_seconds{std::chrono::seconds{d.time_since_epoch().count() * 86400 - 9 * 3600}};
}

/// E(day): the first instant after local day `d`.
inline sys_seconds jst_end(local_day d) { return jst_start(d + std::chrono::days{1}); }

/// Id equality, character by character (plain, and cheap under sanitizers' memcmp interceptors).
inline bool same_id(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// ---- one order, rebuilt from the log --------------------------------------------------------

/// Everything the rules need about one order, found by scanning the whole log.
struct order_facts {
  bool found = false;
  std::size_t placed_index = 0;
  std::string seller;
  sys_seconds placed_at{};
  std::uint32_t quantity = 0;
  sellerhealth::fulfilment channel = sellerhealth::fulfilment::merchant;

  sys_seconds ship_by{};              // current ship-by
  std::uint32_t cancelled_units = 0;  // sum over its `cancelled` events
  std::uint32_t refunded_units = 0;   // sum over its `refunded` events
  bool shipped = false;
  sys_seconds shipped_at{};

  bool exempt_cancel = false;  // exempted from `cancel` or `all`
  bool exempt_late = false;    // exempted from `late` or `all`

  bool platform_cancel = false;            // any `cancelled` with actor platform
  sys_seconds first_platform_cancel_at{};  // the earliest of them by time
  bool seller_cancel = false;              // any `cancelled` with actor seller
  sys_seconds first_seller_cancel_at{};
  std::size_t first_seller_cancel_index = 0;
  bool request = false;  // any `cancel_requested`
  sys_seconds first_request_at{};
  std::size_t first_request_index = 0;
};

/// Rebuilds the order placed by `log[placed_index]` from its events in `log` (arrival order).
/// Only events after its `placed` are scanned: an event for an order arriving before the order's
/// `placed` is rejected (unknown_order), so none of them is in the log.
inline order_facts facts_at(const std::vector<owned_event>& log, std::size_t placed_index) {
  order_facts f;
  const owned_event& p = log[placed_index];
  const std::string& id = p.order;
  f.found = true;
  f.placed_index = placed_index;
  f.seller = p.seller;
  f.placed_at = p.at;
  f.quantity = p.quantity;
  f.channel = p.channel;
  f.ship_by = p.ship_by;  // rule: no ship_by_changed -> the placed ship_by

  bool ship_by_changed_seen = false;
  sys_seconds ship_by_changed_at{};
  // Walk every later event of this order in arrival order.
  for (std::size_t i = placed_index + 1; i < log.size(); ++i) {
    const owned_event& e = log[i];
    if (!same_id(e.order, id) || e.kind == event_kind::placed) continue;
    switch (e.kind) {
      case event_kind::placed: break;
      case event_kind::shipped:
        f.shipped = true;
        f.shipped_at = e.at;
        break;
      case event_kind::cancel_requested:
        // rule: the earliest request by time; at equal times the one earlier in the log
        if (!f.request || e.at < f.first_request_at) {
          f.request = true;
          f.first_request_at = e.at;
          f.first_request_index = i;
        }
        break;
      case event_kind::cancelled: {
        // rule: without units, it cancels every unit still open at this point in arrival order
        const std::uint32_t open = f.quantity - f.cancelled_units - f.refunded_units;
        f.cancelled_units += e.units ? *e.units : open;
        if (e.actor == sellerhealth::actor::platform && (!f.platform_cancel || e.at < f.first_platform_cancel_at)) {
          f.platform_cancel = true;
          f.first_platform_cancel_at = e.at;
        }
        if (e.actor == sellerhealth::actor::seller && (!f.seller_cancel || e.at < f.first_seller_cancel_at)) {
          // rule: the earliest seller cancel by time; at equal times the one earlier in the log
          f.seller_cancel = true;
          f.first_seller_cancel_at = e.at;
          f.first_seller_cancel_index = i;
        }
        break;
      }
      case event_kind::ship_by_changed:
        // rule: the change with the latest time wins; at equal times the later one in the log
        if (!ship_by_changed_seen || e.at >= ship_by_changed_at) {
          ship_by_changed_seen = true;
          ship_by_changed_at = e.at;
          f.ship_by = e.ship_by;
        }
        break;
      case event_kind::exempted:
        if (e.exempt == sellerhealth::exempt_from::cancel || e.exempt == sellerhealth::exempt_from::all)
          f.exempt_cancel = true;
        if (e.exempt == sellerhealth::exempt_from::late || e.exempt == sellerhealth::exempt_from::all)
          f.exempt_late = true;
        break;
      case event_kind::refunded: {
        // without units: every shipped unit not yet refunded (quantity - cancelled - refunded)
        const std::uint32_t open = f.quantity - f.cancelled_units - f.refunded_units;
        f.refunded_units += e.units ? *e.units : open;
        break;
      }
    }
  }
  return f;
}

/// Rebuilds order `id` from the log; `found` is false when it was never placed.
inline order_facts facts_of(const std::vector<owned_event>& log, std::string_view id) {
  // Find its `placed` (the ledger accepts one per id).
  for (std::size_t i = 0; i < log.size(); ++i)
    if (log[i].kind == event_kind::placed && same_id(log[i].order, id)) return facts_at(log, i);
  return {};
}

/// The platform's automatic cancellation (rules.md, PFCR): the platform cancelled after the
/// (current) ship-by deadline and shipment was never confirmed. A platform cancellation at or
/// before the deadline (payment, fraud) is not it and never counts.
inline bool auto_cancelled(const order_facts& f) {
  return f.platform_cancel && !f.shipped && f.first_platform_cancel_at > f.ship_by;
}

/// PFCR numerator rule for one order's seller cancellations (the automatic one aside).
inline bool counts_as_seller_cancel(const order_facts& f) {
  if (f.exempt_cancel) return false;   // exempted from `cancel` or `all`
  if (!f.seller_cancel) return false;  // buyers' self-cancels never count
  if (!f.request) return true;         // seller cancel with no request at all counts
  // "preceded": earliest request time < earliest seller-cancel time, or equal times and the
  // request is earlier in the log.
  const bool preceded =
      f.first_request_at < f.first_seller_cancel_at ||
      (f.first_request_at == f.first_seller_cancel_at && f.first_request_index < f.first_seller_cancel_index);
  return !preceded;
}

/// LSR numerator rule for one order, judged at the end of `today`.
inline bool counts_as_late(const order_facts& f, local_day today) {
  if (f.exempt_late) return false;                 // exempted from `late` or `all`
  if (f.shipped) return f.shipped_at > f.ship_by;  // confirmed after the deadline
  return f.ship_by < jst_end(today);               // unconfirmed and the deadline has passed
}

/// Evaluates `m` for `seller` over the window ending at local day `window_end`, judging orders
/// with everything in the log at the end of local day `today` (window_end <= today). Every event
/// in a ledger's log happened by the end of the ledger's today, so the log is taken as a whole.
inline counts recount(const std::vector<owned_event>& log, std::string_view seller, metric m, local_day window_end,
                      local_day today) {
  const int window_days = m == metric::pfcr ? 7 : m == metric::lsr10 ? 10 : 30;
  const local_day first_day = window_end - std::chrono::days{window_days - 1};
  counts c;
  for (std::size_t i = 0; i < log.size(); ++i) {
    const owned_event& e = log[i];
    if (e.kind != event_kind::placed) continue;
    if (!same_id(e.seller, seller)) continue;
    if (e.channel != sellerhealth::fulfilment::merchant) continue;  // only merchant orders count
    if (m == metric::pfcr) {
      // attribution: the local placement day; an order whose first counted cancellation is the
      // automatic one goes, both counts, to the local day of that cancellation
      const order_facts f = facts_at(log, i);
      const bool by_seller = counts_as_seller_cancel(f);
      const bool automatic = !f.exempt_cancel && auto_cancelled(f) &&
                             (!by_seller || f.first_platform_cancel_at < f.first_seller_cancel_at);
      const local_day day = automatic ? jst_day(f.first_platform_cancel_at) : jst_day(e.at);
      if (day < first_day || day > window_end) continue;
      c.denominator += 1;
      if (automatic || by_seller) c.numerator += 1;
    } else {
      // attribution: the local day of the current ship-by
      const order_facts f = facts_at(log, i);
      const local_day day = jst_day(f.ship_by);
      if (day < first_day || day > window_end) continue;
      if (f.cancelled_units == f.quantity) continue;  // wholly cancelled: out of LSR
      c.denominator += 1;
      if (counts_as_late(f, today)) c.numerator += 1;
    }
  }
  return c;
}

/// Idempotent delivery: does the log already hold `event`, so that delivering it again changes
/// nothing? Written from the README's "Reliability" rules, per kind, for an event whose order was
/// placed and whose seller (when given) is the order's:
/// - placed: a placement of the id with the same seller, time, ship-by, units and channel;
/// - shipped: the order's shipment, at the same time;
/// - cancel_requested: the order's earliest request is at the same time;
/// - cancelled: a cancellation of the order with the same time, units as delivered, and actor;
/// - ship_by_changed: the change in force (latest time; at equal times the later in the log) has
///   the same time and the same deadline;
/// - exempted: for each metric it names, the earliest exemption naming that metric is at its time;
/// - refunded: a refund of the order with the same time and units as delivered.
inline bool is_duplicate(const std::vector<owned_event>& log, const owned_event& e) {
  using sellerhealth::exempt_from;
  bool found_placed = false;
  bool any = false;  // cancelled, refunded, shipped, placed: an identical one seen
  std::optional<sys_seconds> first_request, first_exempt_cancel, first_exempt_late, change_at;
  sys_seconds change_to{};
  for (const owned_event& x : log) {
    if (!same_id(x.order, e.order)) continue;
    switch (x.kind) {
      case event_kind::placed:
        found_placed = true;
        if (e.kind == event_kind::placed)
          any = any || (x.seller == e.seller && x.at == e.at && x.ship_by == e.ship_by && x.quantity == e.quantity &&
                        x.channel == e.channel);
        break;
      case event_kind::shipped: any = any || (e.kind == event_kind::shipped && x.at == e.at); break;
      case event_kind::cancel_requested:
        if (!first_request || x.at < *first_request) first_request = x.at;
        break;
      case event_kind::cancelled:
        any = any || (e.kind == event_kind::cancelled && x.at == e.at && x.units == e.units && x.actor == e.actor);
        break;
      case event_kind::ship_by_changed:
        if (!change_at || x.at >= *change_at) {
          change_at = x.at;
          change_to = x.ship_by;
        }
        break;
      case event_kind::exempted:
        if (x.exempt != exempt_from::late && (!first_exempt_cancel || x.at < *first_exempt_cancel))
          first_exempt_cancel = x.at;
        if (x.exempt != exempt_from::cancel && (!first_exempt_late || x.at < *first_exempt_late))
          first_exempt_late = x.at;
        break;
      case event_kind::refunded:
        any = any || (e.kind == event_kind::refunded && x.at == e.at && x.units == e.units);
        break;
    }
  }
  if (!found_placed) return false;
  if (e.kind != event_kind::placed) {
    const order_facts f = facts_of(log, e.order);
    if (!e.seller.empty() && e.seller != f.seller) return false;
  }
  switch (e.kind) {
    case event_kind::placed:
    case event_kind::shipped:
    case event_kind::cancelled:
    case event_kind::refunded: return any;
    case event_kind::cancel_requested: return first_request == e.at;
    case event_kind::ship_by_changed: return change_at == e.at && change_to == e.ship_by;
    case event_kind::exempted:
      return (e.exempt == exempt_from::late || first_exempt_cancel == e.at) &&
             (e.exempt == exempt_from::cancel || first_exempt_late == e.at);
  }
  return false;
}
inline bool is_duplicate(const std::vector<owned_event>& log, const sellerhealth::event& e) {
  return is_duplicate(log, own(e));
}

/// Independent validity check: would the ledger accept `e`, given the log so far and its current
/// today (std::nullopt before the first event)? The first failing rule wins.
inline std::optional<sellerhealth::rejection_code> expected_rejection(const std::vector<owned_event>& log,
                                                                      const sellerhealth::event& event,
                                                                      std::optional<local_day> today,
                                                                      int horizon_days) {
  using code = sellerhealth::rejection_code;
  const owned_event e = own(event);
  // "older than the horizon": today set and time < JST start of (today - horizon_days)
  const bool beyond_horizon = today && e.at < jst_start(*today - std::chrono::days{horizon_days});

  if (e.kind == event_kind::placed) {
    if (e.order.empty() || e.seller.empty() || e.quantity == 0) return code::invalid_event;
    if (is_duplicate(log, e)) return std::nullopt;  // accepted, and changes nothing
    if (facts_of(log, e.order).found) return code::duplicate_order;
    if (beyond_horizon) return code::beyond_horizon;
    return std::nullopt;
  }

  if (e.order.empty()) return code::invalid_event;
  const order_facts f = facts_of(log, e.order);
  if (!f.found) return code::unknown_order;
  if (!e.seller.empty() && e.seller != f.seller) return code::seller_mismatch;
  if (is_duplicate(log, e)) return std::nullopt;  // accepted whatever its age, and changes nothing
  if (beyond_horizon) return code::beyond_horizon;
  if (e.at < f.placed_at) return code::before_placement;

  const std::uint32_t unrefunded_open = f.quantity - f.cancelled_units - f.refunded_units;
  switch (e.kind) {
    case event_kind::shipped: {
      if (f.shipped) return code::already_shipped;
      if (f.cancelled_units == f.quantity) return code::fully_cancelled;
      // a cancellation later than this shipment exists
      for (const owned_event& other : log)
        if (other.kind == event_kind::cancelled && same_id(other.order, e.order) && other.at > e.at)
          return code::shipped_order;
      return std::nullopt;
    }
    case event_kind::cancelled: {
      if (f.shipped && f.shipped_at <= e.at) return code::shipped_order;
      if (f.cancelled_units == f.quantity) return code::fully_cancelled;
      const std::uint32_t units = e.units ? *e.units : unrefunded_open;
      if (units == 0) return code::invalid_event;
      if (units > unrefunded_open) return code::too_many_units;
      // a shipment on record shipped at least one unit, so no cancel before it took them all
      if (f.shipped && f.cancelled_units + units == f.quantity) return code::shipped_order;
      return std::nullopt;
    }
    case event_kind::refunded: {
      if (!f.shipped || f.shipped_at > e.at) return code::not_shipped;
      if (unrefunded_open == 0) return code::too_many_units;
      const std::uint32_t units = e.units ? *e.units : unrefunded_open;
      if (units == 0) return code::invalid_event;
      if (units > unrefunded_open) return code::too_many_units;
      return std::nullopt;
    }
    case event_kind::cancel_requested:
    case event_kind::ship_by_changed:
    case event_kind::exempted:
    case event_kind::placed: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace naive
