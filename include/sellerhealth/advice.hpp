// What to do with an order that cannot ship as promised: each option turned into the events it
// stands for, projected on a copy of the seller's state, and compared.
//
// The options (seed articles 000-004):
//   cancel_now                 cancel as the seller now
//   ask_buyer_first            ask the buyer to cancel through the platform (seed 000: about half
//                              do, and then the cancel does not count); with no request by the
//                              ship-by deadline, cancel as the seller then (seed 001)
//   wait_for_auto_cancel       do nothing until the platform cancels: when the ledger's PFCR policy
//                              says (`auto_cancel::cancels_at`, by default 7 business days after
//                              the ship-by day), counted in PFCR under the cancellation's local day.
//                              Shown, but recommended only with `allow_waiting`: the platform asks
//                              sellers to ship or cancel (seed 004), and no seller article waits.
//                              A ledger whose policies do not predict the platform's cancellation
//                              (`predicts_auto_cancel`) has it "not modelled".
//   ship_in_stock_refund_rest  ship the units on hand now and refund the rest (seed 002); just
//                              "ship now" when every unit is on hand
//   ship_when_stock_arrives    ship late, on the day stock arrives
// Each is projected over the next `amazon_days` days for the ledger's rate policies and through
// the next evaluation of each penalty rule (Qoo10). The result per option: the expected rate of
// each metric per day, the chance it is BAD that day, the expected days in BAD, the worst penalty
// tier; and a recommendation with its reason in one sentence. An option that does not apply has
// no figures (empty `expected_days_bad`, no projections). Every instant in plans, reasons and
// errors is the marketplace's local time with its offset (`2026-09-12T23:59:59+09:00`). The
// advice owns its strings: it outlives the request and the ledger.
//
//   auto a = sellerhealth::advise(book, {.order = "A-1", .now = t, .in_stock = 1});
//   std::cout << to_string(a.recommended) << ": " << a.reason << '\n';
//
// Modelled, not published: a buyer who agrees asks within an hour of the seller's message and the
// seller cancels an hour after that; with no answer and the deadline already past, the seller
// waits a day; "ship when stock arrives" ships at 12:00 local time that day; assumed further
// orders (`daily_orders`) are placed and shipped on time every projected day after today.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "calendar.hpp"
#include "events.hpp"
#include "ledger.hpp"
#include "policy.hpp"

namespace sellerhealth {

enum class option_kind : std::uint8_t {
  cancel_now,
  ask_buyer_first,
  wait_for_auto_cancel,
  ship_in_stock_refund_rest,
  ship_when_stock_arrives,
};

[[nodiscard]] constexpr std::string_view to_string(option_kind k) noexcept {
  switch (k) {
    case option_kind::cancel_now: return "cancel_now";
    case option_kind::ask_buyer_first: return "ask_buyer_first";
    case option_kind::wait_for_auto_cancel: return "wait_for_auto_cancel";
    case option_kind::ship_in_stock_refund_rest: return "ship_in_stock_refund_rest";
    case option_kind::ship_when_stock_arrives: return "ship_when_stock_arrives";
  }
  return "?";
}

struct advice_request {
  std::string_view order;
  /// When the seller acts (required: there is no sensible default); at or after every event
  /// recorded for the order, and on or after the ledger's today.
  std::optional<sys_seconds> now{};
  std::optional<std::uint32_t> in_stock{};   ///< units on hand now (enables ship_in_stock_refund_rest)
  std::optional<local_day> stock_arrives{};  ///< when the rest can ship (enables ship_when_stock_arrives)
  double buyer_accepts = 0.5;                ///< chance a buyer asked to cancel does so (seed 000: about half)
  std::uint32_t daily_orders = 0;            ///< assumed further orders a day, each shipped on time
  int amazon_days = 30;                      ///< days after today that rolling metrics are projected over
  /// Whether `wait_for_auto_cancel` may be recommended. It is projected either way; without this,
  /// when it would have scored best, the reason says so and the best other option is recommended.
  bool allow_waiting = false;
};

/// One metric under one option, per projected day (`advice::from` onwards).
struct metric_projection {
  std::string metric;
  std::vector<double> expected_rate;  ///< the rate's expected value (0 on a day without orders)
  std::vector<double> chance_bad;     ///< the probability the metric is BAD that day
  double expected_days_bad = 0;
};

/// The worst tier one penalty rule reaches at its evaluations in the projection.
struct tier_projection {
  std::string rule;
  std::string worst_tier;
  std::uint8_t level = 0;                   ///< 0 = no penalty; larger is worse
  std::optional<local_day> evaluated_on{};  ///< the first evaluation that reaches it
  double chance = 0;                        ///< the probability of reaching it
};

struct option_outcome {
  option_kind kind{};
  bool available = false;
  std::string plan;                          ///< what the seller would do, or why the option does not apply
  std::vector<metric_projection> metrics;    ///< empty when not available
  std::vector<tier_projection> worst_tiers;  ///< empty when not available
  std::optional<double> expected_days_bad;   ///< summed over the metrics; empty when not available
  [[nodiscard]] std::uint8_t worst_level() const noexcept {
    std::uint8_t worst = 0;
    for (const auto& t : worst_tiers) worst = std::max(worst, t.level);
    return worst;
  }
};

struct advice {
  std::string order;
  std::string seller;
  sys_seconds now{};                  ///< when the seller acts (the request's `now`)
  std::chrono::seconds utc_offset{};  ///< the marketplace's zone, for `local_time`
  day_range projected;                ///< the days the metrics were projected over
  std::vector<option_outcome> options;
  option_kind recommended{};
  std::string reason;  ///< one sentence
  /// An instant as the seller reads it, in the ledger's zone (as `format_local` prints it).
  [[nodiscard]] std::string local_time(sys_seconds t) const {
    if (!in_supported_range(t + utc_offset)) return format_instant(t);
    return detail::format_with_offset(t, utc_offset);
  }
};

namespace detail {

/// One possible future: the events it adds and its probability.
struct branch {
  std::vector<event> events;
  double weight = 1;
};

template <class Ledger, class... Ps>
void read_metrics(const Ledger& future, local_day day, type_list<Ps...>, std::vector<status>& statuses,
                  std::vector<double>& rates) {
  (..., [&] {
    const metric_result r = future.template evaluate<Ps>(seller_index{0}, day);
    statuses.push_back(r.status);
    rates.push_back(r.counts.empty() ? 0.0 : r.counts.value());
  }());
}

template <class... Ps>
std::vector<std::string> metric_ids(type_list<Ps...>) {
  return {std::string{Ps::id}...};
}

/// Per penalty rule: the highest tier level among evaluations after `after`, and its first day.
template <class Ledger, class... Rs>
void read_tiers([[maybe_unused]] const Ledger& future, [[maybe_unused]] local_day after,
                [[maybe_unused]] local_day through, type_list<Rs...>,
                std::vector<std::pair<std::uint8_t, std::optional<local_day>>>& out) {
  (..., [&] {
    std::pair<std::uint8_t, std::optional<local_day>> worst{0, std::nullopt};
    for (const auto& e : future.template penalty_history<Rs>(seller_index{0}, through)) {
      if (e.evaluated_on <= after) continue;
      const auto level = static_cast<std::uint8_t>(e.tier);
      if (level > worst.first || !worst.second) worst = {level, e.evaluated_on};
    }
    out.push_back(worst);
  }());
}

template <class... Rs>
std::vector<std::string> rule_ids(type_list<Rs...>) {
  return {std::string{Rs::id}...};
}
template <class... Rs>
std::string_view tier_name_of([[maybe_unused]] std::size_t rule, [[maybe_unused]] std::uint8_t level,
                              type_list<Rs...>) {
  std::string_view name;
  std::size_t i = 0;
  (..., (i++ == rule ? (name = Rs::tier_name(static_cast<typename Rs::tier>(level)), 0) : 0));
  return name;
}
template <class... Rs>
local_day last_next_evaluation(local_day today, type_list<Rs...>) {
  local_day last = today;
  (..., (last = std::max(last, Rs::next_evaluation_after(today))));
  return last;
}

inline std::string fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

/// When the platform will cancel the order if nothing happens, as the ledger's PFCR policy
/// predicts it; empty for a ledger none of whose policies predicts it.
template <class Ledger>
[[nodiscard]] std::optional<sys_seconds> predicted_auto_cancel(sys_seconds ship_by) {
  using zone = typename Ledger::zone_type;
  using policy = auto_cancel_policy_t<zone, typename Ledger::rate_policies>;
  if constexpr (std::is_void_v<policy>) {
    return std::nullopt;
  } else {
    return policy::auto_cancel::template cancels_at<zone>(ship_by);
  }
}

}  // namespace detail

/// Projects every option for one order and recommends one. Throws `sellerhealth::error` when the
/// request has no `now`, when the order is unknown, already shipped or wholly cancelled, or when
/// `now` is before today or before an event already recorded for it. The ledger is not changed.
template <class Ledger>
[[nodiscard]] advice advise(const Ledger& book, const advice_request& request) {
  using zone = typename Ledger::zone_type;
  const auto local = [](sys_seconds t) { return format_local<zone>(t); };
  const std::string id(request.order);
  if (!request.now) throw error("sellerhealth::advise: the request has no 'now' (the instant the seller acts)");
  const auto order = book.order(request.order);
  if (!order) throw error("sellerhealth::advise: order '" + id + "' is not in the ledger");
  if (order->shipped_at()) throw error("sellerhealth::advise: order '" + id + "' has already shipped");
  if (order->fully_cancelled_at()) throw error("sellerhealth::advise: order '" + id + "' is already cancelled");
  if (!(request.buyer_accepts >= 0 && request.buyer_accepts <= 1))
    throw error("sellerhealth::advise: buyer_accepts must be a probability (0 to 1)");
  if (request.amazon_days < 0 || request.amazon_days > 366)
    throw error("sellerhealth::advise: amazon_days must be within 0..366");
  const sys_seconds now = *request.now;
  const local_day today = *book.today();
  if (zone::day_of(now) < today)
    throw error("sellerhealth::advise: 'now' (" + local(now) + ") is before the ledger's today " + format_day(today));
  if (now < order->last_event_at())
    throw error("sellerhealth::advise: 'now' (" + local(now) + ") is before the latest event recorded for order '" +
                id + "' (" + local(order->last_event_at()) + ")");
  const seller_index seller = *book.seller_of(request.order);
  const std::uint32_t open_units = order->quantity() - order->cancelled_units();
  const sys_seconds ship_by = order->ship_by();
  const auto order_id = request.order;
  const std::optional<sys_seconds> platform_cancels = detail::predicted_auto_cancel<Ledger>(ship_by);

  advice out;
  out.order = id;
  out.seller = std::string(book.seller_id(seller));
  out.now = now;
  out.utc_offset = std::chrono::seconds{zone::utc_offset};
  out.projected = {today, today + std::chrono::days{request.amazon_days}};
  const local_day through =
      std::max(out.projected.to, detail::last_next_evaluation(today, typename Ledger::penalty_rules{}));

  struct candidate {
    option_kind kind;
    std::string plan;                      // or why not
    std::vector<detail::branch> branches;  // empty: not available
  };
  std::vector<candidate> candidates;
  const auto seller_cancel = [&](sys_seconds at) {
    return event{cancelled{.order = order_id, .at = at, .by = actor::seller}};
  };

  candidates.push_back({option_kind::cancel_now, "cancel now as the seller", {{{seller_cancel(now)}, 1.0}}});
  {
    const sys_seconds give_up = ship_by > now ? ship_by : now + std::chrono::hours{24};
    char chance[16];
    std::snprintf(chance, sizeof chance, "%.0f %%", 100 * request.buyer_accepts);
    candidate c{option_kind::ask_buyer_first,
                std::string("ask the buyer to cancel through the platform (they do with a chance of ") + chance +
                    "); with no request by " + local(give_up) + ", cancel as the seller then",
                {}};
    if (request.buyer_accepts > 0)
      c.branches.push_back({{cancel_requested{.order = order_id, .at = now + std::chrono::hours{1}},
                             seller_cancel(now + std::chrono::hours{2})},
                            request.buyer_accepts});
    if (request.buyer_accepts < 1) c.branches.push_back({{seller_cancel(give_up)}, 1 - request.buyer_accepts});
    candidates.push_back(std::move(c));
  }
  {
    candidate c{option_kind::wait_for_auto_cancel,
                "not available: not modelled (no policy of the ledger predicts the platform's cancellation)",
                {}};
    if (platform_cancels && *platform_cancels > now) {
      c.plan = "do nothing; the platform cancels it at " + local(*platform_cancels);
      c.branches.push_back({{cancelled{.order = order_id, .at = *platform_cancels, .by = actor::platform}}, 1.0});
    } else if (platform_cancels) {
      c.plan = "not available: the platform's automatic cancellation was due at " + local(*platform_cancels);
    }
    candidates.push_back(std::move(c));
  }
  {
    candidate c{option_kind::ship_in_stock_refund_rest, "not available: the request gives no units in stock", {}};
    if (request.in_stock && *request.in_stock > 0) {
      std::vector<event> events{shipped{.order = order_id, .at = now}};
      if (*request.in_stock < open_units) {
        const std::uint32_t rest = open_units - *request.in_stock;
        events.push_back(refunded{.order = order_id, .at = now + std::chrono::minutes{1}, .units = rest});
        c.plan = "ship the " + std::to_string(*request.in_stock) + " in stock now and refund the other " +
                 std::to_string(rest);
      } else {
        c.plan = "ship now: every unit is in stock";
      }
      c.branches.push_back({std::move(events), 1.0});
    } else if (request.in_stock) {
      c.plan = "not available: no units in stock";
    }
    candidates.push_back(std::move(c));
  }
  {
    candidate c{option_kind::ship_when_stock_arrives, "not available: the request gives no day the stock arrives", {}};
    if (request.stock_arrives) {
      const sys_seconds at = std::max(now, zone::start_of(*request.stock_arrives) + std::chrono::hours{12});
      if (platform_cancels && at >= *platform_cancels) {
        // An order never confirmed is gone by then: the platform cancelled it.
        c.plan = "not available: the platform cancels the order at " + local(*platform_cancels) +
                 ", before the stock ships at " + local(at);
      } else {
        c.plan = "ship when stock arrives, at " + local(at) + (at > ship_by ? " (late)" : " (on time)");
        c.branches.push_back({{shipped{.order = order_id, .at = at}}, 1.0});
      }
    }
    candidates.push_back(std::move(c));
  }

  const auto metric_names = detail::metric_ids(typename Ledger::rate_policies{});
  const auto rule_names = detail::rule_ids(typename Ledger::penalty_rules{});
  const std::size_t days = static_cast<std::size_t>(request.amazon_days) + 1;
  for (candidate& c : candidates) {
    option_outcome o;
    o.kind = c.kind;
    o.plan = c.plan;
    o.available = !c.branches.empty();
    if (!o.available) {  // no figures: nothing was projected
      out.options.push_back(std::move(o));
      continue;
    }
    for (const auto& name : metric_names)
      o.metrics.push_back({name, std::vector<double>(days, 0.0), std::vector<double>(days, 0.0), 0});
    for (const auto& name : rule_names) o.worst_tiers.push_back({name, {}, 0, std::nullopt, 0});
    for (detail::branch& b : c.branches) {
      std::sort(b.events.begin(), b.events.end(),
                [](const event& x, const event& y) { return time_of(x) < time_of(y); });
      const std::array<std::string_view, 1> keep{order_id};
      Ledger future = book.slice(seller, keep);
      std::size_t next_event = 0;
      std::vector<std::pair<std::uint8_t, std::optional<local_day>>> tiers;
      for (local_day day = today; day <= through; day += std::chrono::days{1}) {
        const sys_seconds day_end = zone::start_of(day + std::chrono::days{1});
        if (day > today)
          for (std::uint32_t k = 0; k < request.daily_orders; ++k) future.record_assumed_order(0, day, k);
        for (; next_event < b.events.size() && time_of(b.events[next_event]) < day_end; ++next_event)
          if (auto rejected = future.try_record(b.events[next_event]))
            throw error("sellerhealth::advise: option " + std::string(to_string(c.kind)) + ": " + rejected->message);
        future.advance_to(day);
        if (day > out.projected.to) continue;
        std::vector<status> statuses;
        std::vector<double> rates;
        detail::read_metrics(future, day, typename Ledger::rate_policies{}, statuses, rates);
        const auto i = static_cast<std::size_t>((day - today).count());
        for (std::size_t m = 0; m < statuses.size(); ++m) {
          o.metrics[m].expected_rate[i] += b.weight * rates[m];
          if (statuses[m] == status::bad) o.metrics[m].chance_bad[i] += b.weight;
        }
      }
      detail::read_tiers(future, today, through, typename Ledger::penalty_rules{}, tiers);
      for (std::size_t r = 0; r < tiers.size(); ++r) {
        tier_projection& t = o.worst_tiers[r];
        if (&b == &c.branches.front() || tiers[r].first > t.level) {
          t.level = tiers[r].first;
          t.evaluated_on = tiers[r].second;
          t.chance = 0;
        }
        if (tiers[r].first == t.level) t.chance += b.weight;
      }
    }
    for (std::size_t r = 0; r < o.worst_tiers.size(); ++r)
      o.worst_tiers[r].worst_tier =
          std::string(detail::tier_name_of(r, o.worst_tiers[r].level, typename Ledger::penalty_rules{}));
    double total = 0;
    for (auto& m : o.metrics) {
      for (const double p : m.chance_bad) m.expected_days_bad += p;
      total += m.expected_days_bad;
    }
    o.expected_days_bad = total;
    out.options.push_back(std::move(o));
  }

  // Fewest worst penalty first, then fewest expected days in BAD; at a tie, keep the order alive
  // (ship), then spare the metric (ask the buyer), then the rest.
  constexpr std::array<option_kind, 5> preference{option_kind::ship_in_stock_refund_rest,
                                                  option_kind::ship_when_stock_arrives, option_kind::ask_buyer_first,
                                                  option_kind::cancel_now, option_kind::wait_for_auto_cancel};
  const auto rank = [&](const option_outcome& o) {
    return static_cast<std::size_t>(std::find(preference.begin(), preference.end(), o.kind) - preference.begin());
  };
  const auto better = [&](const option_outcome* a, const option_outcome* b) {
    if (a->worst_level() != b->worst_level()) return a->worst_level() < b->worst_level();
    const double da = std::round(*a->expected_days_bad * 1000), db = std::round(*b->expected_days_bad * 1000);
    if (da != db) return da < db;
    return rank(*a) < rank(*b);
  };
  // Waiting is weighed with the rest but recommended only when the request allows it: the
  // platform asks sellers to ship or cancel (seed 004), and no seller article recommends waiting.
  std::vector<const option_outcome*> ranked;
  const option_outcome* waiting = nullptr;
  for (const auto& o : out.options) {
    if (!o.available) continue;
    if (o.kind == option_kind::wait_for_auto_cancel && !request.allow_waiting)
      waiting = &o;
    else
      ranked.push_back(&o);
  }
  std::stable_sort(ranked.begin(), ranked.end(), better);
  const option_outcome& best = *ranked.front();  // cancel_now is always available
  out.recommended = best.kind;
  std::string reason = std::string(to_string(best.kind)) + " (" + best.plan + ") leaves " +
                       detail::fixed1(*best.expected_days_bad) + " expected metric-days in BAD over " +
                       format_day(out.projected.from) + ".." + format_day(out.projected.to);
  if (!rule_names.empty()) {
    std::string worst = "no penalty";
    for (const auto& t : best.worst_tiers)
      if (t.level > 0) worst = t.rule + " " + t.worst_tier;
    reason += " and " + worst + " at the next evaluations";
  }
  if (ranked.size() > 1) {
    const option_outcome& next = *ranked[1];
    reason += ", against " + detail::fixed1(*next.expected_days_bad) + " for " + std::string(to_string(next.kind));
    if (next.worst_level() > best.worst_level()) reason += " (which risks a worse penalty tier)";
  }
  if (waiting && better(waiting, &best))
    reason += "; waiting for the platform's cancellation would score better (" +
              detail::fixed1(*waiting->expected_days_bad) +
              " expected metric-days in BAD) but the platform asks sellers to ship or cancel";
  out.reason = reason + ".";
  return out;
}

}  // namespace sellerhealth
