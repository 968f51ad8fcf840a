// A deliberately naive recount of Qoo10's cancellation metrics and penalty history, the oracle of
// tests/test_differential_qoo10.cpp.
//
// It keeps nothing between questions: every answer is recomputed from the log of the events the
// ledger accepted (owning copies, in arrival order; `naive::owned_event` from naive_recount.hpp).
// It is written from the rules (rules.md, Qoo10 section; seed 003), not from the library's
// measures or rules, and uses only std::chrono's calendar for dates:
//
//  - an order is attributed to its JST payment day;
//  - judged at a cutoff instant, it counts as cancelled iff the units of its cancellations that
//    happened before the cutoff add up to its quantity (so the last of them came before it);
//  - wholly cancelled within 6 hours of payment (<= 6:00:00): in neither count;
//  - exempted from `cancel` or `all` before the cutoff: in the denominator only;
//  - every fulfilment channel and every actor counts;
//  - monthly warning: rate > 7 %, or with fewer than 10 orders > 50 %;
//  - quarterly: > 10 % Mega-wari restricted, > 15 % listings capped, > 15 % when the previous
//    quarter's evaluation was listing_capped or account_restricted: account restricted; fewer than
//    10 orders: no penalty unless > 50 %;
//  - evaluations on every evaluation day after the local day of the first event in the log up to
//    today, each judged with the events that happened before that day's midnight JST.
//
// A cancellation's unit count is fixed when it is recorded ("every unit still open" means open at
// that point of the arrival order), as the event format defines it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "naive_recount.hpp"

namespace naive_qoo10 {

using naive::event_kind;
using naive::owned_event;
using sellerhealth::local_day;
using sellerhealth::sys_seconds;

/// Penalty tiers by name, as the library prints them.
inline constexpr std::string_view tier_none = "none";
inline constexpr std::string_view tier_warning = "warning";
inline constexpr std::string_view tier_mega = "mega_wari_restricted";
inline constexpr std::string_view tier_capped = "listing_capped";
inline constexpr std::string_view tier_restricted = "account_restricted";

struct counts {
  std::uint64_t numerator = 0;
  std::uint64_t denominator = 0;
  friend bool operator==(const counts&, const counts&) = default;
};

/// One order and its events, with cancelled units resolved in arrival order.
struct order_events {
  std::string seller;
  sys_seconds paid_at{};
  std::uint32_t quantity = 1;
  std::vector<std::pair<sys_seconds, std::uint32_t>> cancels;  // (when, units)
  std::vector<sys_seconds> cancel_exemptions;                  // `exempted` for cancel or all
};

/// Every order of the log, grouped by seller. Rebuilt from scratch for every question asked.
struct orders_by_seller {
  std::unordered_map<std::string, std::vector<order_events>> sellers;
};

inline orders_by_seller index_log(const std::vector<owned_event>& log) {
  struct where {
    std::string seller;
    std::size_t at;
    std::uint32_t cancelled = 0, refunded = 0;
  };
  orders_by_seller out;
  std::unordered_map<std::string, where> orders;
  for (const owned_event& e : log) {
    if (e.kind == event_kind::placed) {
      auto& list = out.sellers[e.seller];
      orders[e.order] = where{e.seller, list.size(), 0, 0};
      list.push_back(order_events{e.seller, e.at, e.quantity, {}, {}});
      continue;
    }
    auto found = orders.find(e.order);
    if (found == orders.end()) continue;  // the ledger accepted it, so this does not happen
    where& w = found->second;
    order_events& o = out.sellers[w.seller][w.at];
    const std::uint32_t open = o.quantity - w.cancelled - w.refunded;
    if (e.kind == event_kind::cancelled) {
      const std::uint32_t units = e.units ? *e.units : open;
      w.cancelled += units;
      o.cancels.emplace_back(e.at, units);
    } else if (e.kind == event_kind::refunded) {
      w.refunded += e.units ? *e.units : open;
    } else if (e.kind == event_kind::exempted && e.exempt != sellerhealth::exempt_from::late) {
      o.cancel_exemptions.push_back(e.at);
    }
  }
  return out;
}

enum class verdict { uncounted, paid, cancelled };

/// Where one order counts, judged with the events that happened before `cutoff`.
inline verdict judge(const order_events& o, sys_seconds cutoff) {
  if (o.paid_at >= cutoff) return verdict::uncounted;
  std::uint32_t units = 0;
  sys_seconds last = o.paid_at;
  for (const auto& [when, n] : o.cancels) {
    if (when >= cutoff) continue;
    units += n;
    if (when > last) last = when;
  }
  if (units < o.quantity) return verdict::paid;
  if (last - o.paid_at <= std::chrono::hours{6}) return verdict::uncounted;
  for (const sys_seconds when : o.cancel_exemptions)
    if (when < cutoff) return verdict::paid;
  return verdict::cancelled;
}

/// The orders of `seller` paid on local days `from`..`to`, judged at `cutoff`.
inline counts count(const orders_by_seller& index, const std::string& seller, local_day from, local_day to,
                    sys_seconds cutoff) {
  counts c;
  const auto found = index.sellers.find(seller);
  if (found == index.sellers.end()) return c;
  for (const order_events& o : found->second) {
    const local_day paid = naive::jst_day(o.paid_at);
    if (paid < from || paid > to) continue;
    switch (judge(o, cutoff)) {
      case verdict::uncounted: break;
      case verdict::paid: c.denominator += 1; break;
      case verdict::cancelled:
        c.denominator += 1;
        c.numerator += 1;
        break;
    }
  }
  return c;
}

/// num/den > percent/100, exactly.
inline bool above(const counts& c, std::uint64_t percent) {
  return c.denominator > 0 && c.numerator * 100 > percent * c.denominator;
}

/// Fewer than 10 orders and not above 50 %: spared.
inline bool spared(const counts& c) { return c.denominator < 10 && !above(c, 50); }

inline std::string_view monthly_tier(const counts& c) {
  if (c.denominator == 0 || spared(c)) return tier_none;
  return above(c, 7) ? tier_warning : tier_none;
}

inline std::string_view quarterly_tier(const counts& c, std::string_view previous) {
  if (c.denominator == 0 || spared(c)) return tier_none;
  if (above(c, 15)) return previous == tier_capped || previous == tier_restricted ? tier_restricted : tier_capped;
  return above(c, 10) ? tier_mega : tier_none;
}

inline int tier_rank(std::string_view t) {
  if (t == tier_warning) return 1;
  if (t == tier_mega) return 2;
  if (t == tier_capped) return 3;
  if (t == tier_restricted) return 4;
  return 0;
}

enum class rule { monthly, quarterly };

// ---- the calendar, from std::chrono alone ----------------------------------------------------

inline std::chrono::year_month_day ymd_of(local_day d) { return std::chrono::year_month_day{d}; }
inline local_day first_of(std::chrono::year_month ym) { return local_day{ym / std::chrono::day{1}}; }
inline std::chrono::year_month ym_of(local_day d) {
  const auto x = ymd_of(d);
  return x.year() / x.month();
}

/// The period judged on `d`, if `d` is an evaluation day of `r`.
inline std::optional<std::pair<local_day, local_day>> judged_on(rule r, local_day d) {
  const auto x = ymd_of(d);
  if (x.day() != std::chrono::day{1}) return std::nullopt;
  const unsigned m = static_cast<unsigned>(x.month());
  if (r == rule::monthly) return std::pair{first_of(ym_of(d) - std::chrono::months{1}), d - std::chrono::days{1}};
  if (m != 1 && m != 4 && m != 7 && m != 10) return std::nullopt;
  return std::pair{first_of(ym_of(d) - std::chrono::months{3}), d - std::chrono::days{1}};
}

/// The first evaluation day of `r` after `d`.
inline local_day next_evaluation(rule r, local_day d) {
  for (local_day x = d + std::chrono::days{1};; x += std::chrono::days{1})
    if (judged_on(r, x)) return x;
}

// ---- penalty history ---------------------------------------------------------------------------

struct evaluation {
  local_day on;
  local_day from;
  local_day to;
  counts c;
  std::string_view tier;
};

/// Every evaluation of `r` for `seller` on days after `first_day` up to `today`.
inline std::vector<evaluation> history(const orders_by_seller& index, const std::string& seller, rule r,
                                       local_day first_day, local_day today) {
  std::vector<evaluation> out;
  std::string_view previous = tier_none;
  for (local_day d = first_day + std::chrono::days{1}; d <= today; d += std::chrono::days{1}) {
    const auto period = judged_on(r, d);
    if (!period) continue;
    const counts c = count(index, seller, period->first, period->second, naive::jst_start(d));
    const std::string_view t = r == rule::monthly ? monthly_tier(c) : quarterly_tier(c, previous);
    out.push_back({d, period->first, period->second, c, t});
    previous = t;
  }
  return out;
}

// ---- the running metrics -----------------------------------------------------------------------

struct metric {
  local_day from;
  counts c;
  std::string_view status;  // "NONE", "GOOD", "BAD"
  std::uint64_t headroom = 0;
  bool low_volume = false;
};

inline bool metric_bad(rule r, const counts& c) {
  if (spared(c)) return false;
  return above(c, r == rule::monthly ? 7 : 10);
}

/// The month- or quarter-to-date metric at the end of `day`, every logged event counted.
inline metric running(const orders_by_seller& index, const std::string& seller, rule r, local_day day) {
  metric m;
  const auto ym = ym_of(day);
  const unsigned month = static_cast<unsigned>(ym.month());
  m.from = r == rule::monthly ? first_of(ym) : first_of(ym - std::chrono::months{(month - 1) % 3});
  m.c = count(index, seller, m.from, day, sys_seconds::max());
  if (m.c.denominator == 0) {
    m.status = "NONE";
    return m;
  }
  m.low_volume = m.c.denominator < 10;
  if (metric_bad(r, m.c)) {
    m.status = "BAD";
    return m;
  }
  m.status = "GOOD";
  while (m.c.numerator + m.headroom < m.c.denominator &&
         !metric_bad(r, counts{m.c.numerator + m.headroom + 1, m.c.denominator}))
    ++m.headroom;
  return m;
}

// ---- the projection of the next evaluation -----------------------------------------------------

struct projection {
  local_day on;
  local_day from;
  local_day to;
  counts c;
  std::string_view tier;
  std::vector<std::pair<std::string_view, std::uint64_t>> steps;  // each tier reached, cancels absorbed before it
};

/// The next evaluation of `r` after `today` if nothing else happens; `previous` is the tier of the
/// last evaluation so far (see `history`).
inline projection project(const orders_by_seller& index, const std::string& seller, rule r, local_day today,
                          std::string_view previous) {
  projection p;
  p.on = next_evaluation(r, today);
  const auto period = *judged_on(r, p.on);
  p.from = period.first;
  p.to = period.second;
  if (today >= p.from) p.c = count(index, seller, p.from, today, sys_seconds::max());
  const auto tier_with = [&](std::uint64_t more) {
    const counts c{p.c.numerator + more, p.c.denominator};
    return r == rule::monthly ? monthly_tier(c) : quarterly_tier(c, previous);
  };
  p.tier = tier_with(0);
  std::string_view current = p.tier;
  for (std::uint64_t more = 1; more <= p.c.denominator - p.c.numerator; ++more) {
    const std::string_view t = tier_with(more);
    if (tier_rank(t) > tier_rank(current)) {
      p.steps.emplace_back(t, more - 1);
      current = t;
    }
  }
  return p;
}

}  // namespace naive_qoo10
