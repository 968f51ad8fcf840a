// Decision support, part 3: projections are real replays.
//
// For random event streams (seeded; one to three sellers; every event kind, out-of-window and
// still-open orders, Qoo10 quick cancels, dates that cross month and quarter ends) the real ledger
// takes the events in time order. Then, per stream:
//
//   1. slice: `book.slice(seller, {orders})` gets hypothetical events (for the named orders and for
//      new orders) and assumed daily orders, and its clock advances day by day for 40 days. A second
//      ledger replays the real events and then the same hypothetical events in the same sequence;
//      on every projected day every metric of that seller (counts, status, headroom, recovery, low
//      volume, period), and for Qoo10 the penalty history and the next-penalty projection, must be
//      equal in the two.
//   2. clears_on_all: equal to the first day, in a replay advanced day by day with the assumed
//      orders and the platform's automatic cancellations (every open merchant order of the seller
//      with no shipment, cancelled by the platform at PFCR's `auto_cancel::cancels_at` when that
//      is after today), on which each metric BAD today is no longer BAD.
//   3. advise: each option's per-day chance of BAD and expected rate, and its worst penalty tiers,
//      equal a replay of the events that advice.hpp documents for that option (branch by branch,
//      weighted by the buyer's chance of agreeing), and the recommendation follows the documented
//      order (fewest worst tier, then fewest expected days in BAD, then the preference order).
//   4. the real ledger is unchanged by all of this: every metric of every seller on several days,
//      every order's lifecycle, the penalty histories and projections, `memory_bytes()`,
//      `order_count()` and `today()` are compared before and after each call.
//
// Run for the all-marketplace ledger and the Amazon-only one, 130 streams each.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <optional>
#include <random>
#include <sellerhealth/sellerhealth.hpp>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "support/scenario.hpp"

namespace {

using namespace scenario;

constexpr int streams_per_ledger = 130;
constexpr int projected_days = 40;

template <template <class...> class List, class... Ts, class F>
void for_each_type(List<Ts...>, F&& f) {
  (f(std::type_identity<Ts>{}), ...);
}

sys_seconds end_of(local_day d) { return sh::jst::start_of(d + days{1}); }

/// When the platform cancels an order due at `ship_by` that is never confirmed (rules.md, PFCR;
/// both ledgers here use the default PFCR policy).
sys_seconds platform_cancels(sys_seconds ship_by) { return pfcr::auto_cancel::cancels_at<sh::jst>(ship_by); }

/// What the random streams exercised, so a generator change cannot make the checks vacuous.
struct coverage {
  int projections = 0;
  int projections_with_bad = 0;  // some metric BAD on some projected day
  int hypothetical_events = 0;
  int penalty_evaluations_projected = 0;  // evaluations the slice ran itself
  int penalty_tiers_projected = 0;        // ... that gave a tier above none
  int cleared_days = 0;                   // clears_on answers with a day
  int automatic_cancels_predicted = 0;    // platform cancellations the clears_on replay recorded
  int advised = 0;
  int two_branch_options = 0;
  int options_with_tier = 0;
  std::array<int, 5> recommended{};
};

// ---- descriptions, compared as strings so a mismatch prints both sides ----------------------------------

std::string describe(const sh::metric_result& r) {
  return std::string(r.metric) + " " + sh::format_day(r.period.from) + ".." + sh::format_day(r.period.to) + " " +
         std::to_string(r.counts.numerator) + "/" + std::to_string(r.counts.denominator) + " " +
         std::string(sh::to_string(r.status)) + (r.low_volume ? " low" : "") + " headroom " +
         std::to_string(r.headroom) + " recovery " + (r.recovery ? std::to_string(*r.recovery) : "none");
}

template <class Evaluation>
std::string describe_history(const std::vector<Evaluation>& h) {
  std::string out;
  for (const auto& e : h)
    out += std::string(e.rule) + "@" + sh::format_day(e.evaluated_on) + "[" + sh::format_day(e.period.from) + ".." +
           sh::format_day(e.period.to) + "]" + std::to_string(e.counts.numerator) + "/" +
           std::to_string(e.counts.denominator) + ":" + std::to_string(static_cast<int>(e.tier)) + " ";
  return out;
}

template <class Projection>
std::string describe_projection(const Projection& p) {
  std::string out = std::string(p.rule) + "@" + sh::format_day(p.evaluated_on) + " " +
                    std::to_string(p.counts.numerator) + "/" + std::to_string(p.counts.denominator) + ":" +
                    std::to_string(static_cast<int>(p.tier));
  // Appended piece by piece: `" " + std::to_string(...)` trips GCC 12's -Wrestrict at -O3 (a false
  // positive, GCC bugs 105329 and 105651).
  for (const auto& s : p.before_each_tier) {
    out += ' ';
    out += std::to_string(static_cast<int>(s.tier));
    out += '<';
    out += s.absorbable ? std::to_string(*s.absorbable) : std::string("-");
  }
  return out;
}

/// One seller's view at the end of `day`: every rate policy at `day` and, when still evaluable,
/// three days earlier; every penalty rule's history up to `day` and its next projection.
template <class Book>
std::string seller_view(const Book& book, sh::seller_index s, local_day day) {
  std::string out;
  for_each_type(typename Book::rate_policies{}, [&]<class P>(std::type_identity<P>) {
    out += describe(book.template evaluate<P>(s, day)) + "\n";
    const local_day earlier = day - days{3};
    if (earlier >= book.template earliest_evaluable_day<P>())
      out += describe(book.template evaluate<P>(s, earlier)) + "\n";
  });
  for_each_type(typename Book::penalty_rules{}, [&]<class R>(std::type_identity<R>) {
    out += describe_history(book.template penalty_history<R>(s, day)) + "\n";
    out += describe_projection(book.template next_penalty<R>(s)) + "\n";
  });
  return out;
}

std::string describe_order(const sh::order_view& o) {
  const auto at = [](std::optional<sys_seconds> t) { return t ? sh::format_instant(*t) : std::string("-"); };
  return sh::format_instant(o.placed_at()) + " " + sh::format_instant(o.ship_by()) + " q" +
         std::to_string(o.quantity()) + " c" + std::to_string(o.cancelled_units()) + " r" +
         std::to_string(o.refunded_units()) + " s" + at(o.shipped_at()) + " rq" + at(o.first_cancel_request_at()) +
         " sc" + at(o.first_cancel_at(sh::actor::seller)) + " pc" + at(o.first_cancel_at(sh::actor::platform)) + " fc" +
         at(o.fully_cancelled_at()) + (o.seller_cancel_after_request() ? " after-request" : "") +
         (o.exempted(sh::exempt_from::cancel) ? " x-cancel" : "") +
         (o.exempted(sh::exempt_from::late) ? " x-late" : "");
}

/// Everything observable about a ledger (for the "unchanged" checks).
template <class Book>
std::string snapshot(const Book& book, const std::vector<std::string_view>& order_ids) {
  std::string out = "orders " + std::to_string(book.order_count()) + " sellers " + std::to_string(book.seller_count()) +
                    " bytes " + std::to_string(book.memory_bytes()) + " today " +
                    (book.today() ? sh::format_day(*book.today()) : "-") + "\n";
  if (!book.today()) return out;
  const local_day today = *book.today();
  for (sh::seller_index s = 0; s < book.seller_count(); ++s) {
    out += std::string(book.seller_id(s)) + "\n";
    for (const int back : {0, 5, 20}) out += seller_view(book, s, today - days{back});
  }
  for (const auto id : order_ids) {
    const auto o = book.order(id);
    out += std::string(id) + " " + (o ? describe_order(*o) : "-") + "\n";
  }
  return out;
}

// ---- random streams --------------------------------------------------------------------------------------

class random_source {
 public:
  explicit random_source(std::uint64_t seed) : engine_(seed) {}
  std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(engine_() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(int percent) { return between(1, 100) <= percent; }
  seconds span(seconds lo, seconds hi) { return seconds{between(lo.count(), hi.count())}; }

 private:
  std::mt19937_64 engine_;
};

struct world {
  std::deque<std::string> names;  // owns every id an event points to
  std::vector<sh::event> events;  // sorted by time, equal times in generation order
  std::vector<std::string_view> sellers;
  std::vector<std::string_view> orders;
  std::vector<std::string_view> seller_of;  // per order
  sys_seconds now{};                        // no real event is later
  int extra_days = 0;                       // the real ledger's clock goes this far past `now`'s day
  std::string_view keep(std::string s) { return names.emplace_back(std::move(s)); }
};

/// The events of one order's life, in order; the caller drops those after `now`.
std::vector<sh::event> order_life(random_source& r, std::string_view id, std::string_view seller, sys_seconds t0) {
  std::vector<sh::event> out;
  sys_seconds sb = r.chance(50) ? t0 + r.span(hours{1}, days{4})
                                : sh::jst::start_of(sh::jst::day_of(t0) + days{r.between(0, 3)} + days{1}) - seconds{1};
  if (sb <= t0) sb = t0 + hours{1};
  const auto quantity = static_cast<std::uint32_t>(r.between(1, 3));
  const auto channel = r.chance(10) ? sh::fulfilment::platform : sh::fulfilment::merchant;
  out.push_back(
      sh::placed{.order = id, .seller = seller, .at = t0, .ship_by = sb, .quantity = quantity, .channel = channel});
  const auto on_time = [&] { return t0 + seconds{r.between(60, std::max<std::int64_t>(60, (sb - t0).count()))}; };
  const auto late = [&] { return sb + r.span(seconds{1}, days{5}); };
  const auto whenever = [&](seconds hi) { return t0 + r.span(minutes{1}, hi); };
  switch (r.between(0, 12)) {
    case 0: out.push_back(sh::shipped{.order = id, .at = on_time()}); break;
    case 1: out.push_back(sh::shipped{.order = id, .at = late()}); break;
    case 2: out.push_back(sh::cancelled{.order = id, .at = whenever(days{3}), .by = sh::actor::seller}); break;
    case 3: out.push_back(sh::cancelled{.order = id, .at = whenever(days{2}), .by = sh::actor::buyer}); break;
    case 4: {
      const sys_seconds asked = whenever(days{2});
      out.push_back(sh::cancel_requested{.order = id, .at = asked});
      out.push_back(sh::cancelled{.order = id, .at = asked + r.span(minutes{1}, days{1}), .by = sh::actor::seller});
      break;
    }
    case 5: {  // the seller cancels first, the request comes after: still counted
      const sys_seconds cancelled_at = whenever(days{2});
      out.push_back(sh::cancelled{.order = id, .at = cancelled_at, .by = sh::actor::seller});
      out.push_back(sh::cancel_requested{.order = id, .at = cancelled_at + r.span(minutes{1}, hours{1})});
      break;
    }
    case 6: out.push_back(sh::cancelled{.order = id, .at = sb + days{7}, .by = sh::actor::platform}); break;
    case 7: {
      if (quantity < 2) {
        out.push_back(sh::shipped{.order = id, .at = on_time()});
        break;
      }
      const sys_seconds part = whenever(days{1});
      out.push_back(sh::cancelled{.order = id, .at = part, .by = sh::actor::seller, .units = 1});
      out.push_back(sh::shipped{.order = id, .at = part + r.span(minutes{1}, days{3})});
      break;
    }
    case 8: {
      const sys_seconds sent = r.chance(70) ? on_time() : late();
      out.push_back(sh::shipped{.order = id, .at = sent});
      out.push_back(sh::refunded{.order = id,
                                 .at = sent + r.span(minutes{1}, days{3}),
                                 .units = static_cast<std::uint32_t>(r.between(1, quantity))});
      break;
    }
    case 9: {
      const sys_seconds moved = whenever(std::chrono::duration_cast<seconds>(sb - t0) + days{1});
      const sys_seconds new_sb = std::max(t0 + hours{1}, sb + r.span(-days{1}, days{3}));
      out.push_back(sh::ship_by_changed{.order = id, .at = moved, .ship_by = new_sb});
      if (r.chance(70)) out.push_back(sh::shipped{.order = id, .at = moved + r.span(minutes{1}, days{3})});
      break;
    }
    case 10: {
      const auto metric = static_cast<sh::exempt_from>(r.between(0, 2));
      const sys_seconds granted = whenever(days{5});
      const sys_seconds sent = late();
      if (sent < granted) {
        out.push_back(sh::shipped{.order = id, .at = sent});
        out.push_back(sh::exempted{.order = id, .at = granted, .metric = metric});
      } else {
        out.push_back(sh::exempted{.order = id, .at = granted, .metric = metric});
        out.push_back(sh::shipped{.order = id, .at = sent});
      }
      break;
    }
    case 11: break;  // open
    default:
      out.push_back(sh::cancelled{.order = id, .at = whenever(hours{6}), .by = sh::actor::seller});
      break;  // quick
  }
  return out;
}

world make_world(std::uint64_t seed) {
  random_source r(seed);
  world w;
  // The last day with events: anywhere in 2025-2026, or (a third of the time) within 10 days
  // before a quarter's end, so projections cross a quarterly evaluation.
  local_day last = local_day{std::chrono::year{2025} / 1 / 1} + days{r.between(0, 700)};
  if (r.chance(33)) last = sh::quarter_of(last).to - days{r.between(0, 10)};
  const local_day first = last - days{r.between(6, 40)};
  w.now = sh::jst::start_of(last) + seconds{r.between(0, 86399)};
  w.extra_days = static_cast<int>(r.between(0, 2));
  const auto seller_count = r.between(1, 3);
  for (int s = 1; s <= seller_count; ++s) w.sellers.push_back(w.keep("S" + std::to_string(s)));
  std::vector<std::pair<sh::event, std::size_t>> all;  // (event, generation index) for a stable sort
  int n = 0;
  for (local_day d = first; d <= last; d += days{1})
    for (const auto seller : w.sellers)
      for (auto k = r.between(0, 3); k > 0; --k) {
        const sys_seconds t0 = sh::jst::start_of(d) + seconds{r.between(0, 86399)};
        if (t0 > w.now) continue;
        const auto id = w.keep("O-" + std::string(seller) + "-" + std::to_string(n++));
        w.orders.push_back(id);
        w.seller_of.push_back(seller);
        for (auto& e : order_life(r, id, seller, t0))
          if (sh::time_of(e) <= w.now) all.emplace_back(e, all.size());
      }
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& a, const auto& b) { return sh::time_of(a.first) < sh::time_of(b.first); });
  for (auto& [e, i] : all) w.events.push_back(e);
  return w;
}

/// The real ledger (or a reference replay): every event in order, then the clock moved on.
template <class Book>
Book replay(const world& w) {
  Book book;
  for (const auto& e : w.events) {
    const auto rejected = book.try_record(e);
    EXPECT_FALSE(rejected) << (rejected ? rejected->message : "");
  }
  book.advance_to(sh::jst::day_of(w.now) + days{w.extra_days});
  return book;
}

// ---- hypothetical events -----------------------------------------------------------------------------------

/// Hypothetical events for the named orders (per their state now) and for a few new orders of
/// `seller`; all at or after `w.now` except exemptions, which may be dated back to the horizon.
template <class Book>
std::vector<sh::event> hypothetical(random_source& r, world& w, const Book& book, std::string_view seller,
                                    std::span<const std::string_view> named, std::uint64_t seed) {
  std::vector<sh::event> out;
  const local_day today = *book.today();
  const auto later = [&] { return w.now + r.span(seconds{0}, days{20}); };
  for (const auto id : named) {
    const auto o = book.order(id);
    if (!o || book.seller_id(*book.seller_of(id)) != seller) continue;
    const std::uint32_t unrefunded = o->quantity() - o->cancelled_units() - o->refunded_units();
    const bool open = !o->shipped_at() && !o->fully_cancelled_at();
    if (r.chance(25)) {  // an exemption, possibly dated in the past (within the horizon)
      const sys_seconds lo = std::max(o->placed_at(), sh::jst::start_of(today - days{book.horizon_days()}));
      const sys_seconds at = r.chance(50) && lo <= w.now ? lo + seconds{r.between(0, (w.now - lo).count())} : later();
      out.push_back(sh::exempted{.order = id, .at = at, .metric = static_cast<sh::exempt_from>(r.between(0, 2))});
    }
    if (open) {
      const sys_seconds t = later();
      switch (r.between(0, 8)) {
        case 0: out.push_back(sh::shipped{.order = id, .at = t}); break;
        case 1: out.push_back(sh::cancelled{.order = id, .at = t, .by = sh::actor::seller}); break;
        case 2:
          out.push_back(sh::cancel_requested{.order = id, .at = t});
          out.push_back(sh::cancelled{.order = id, .at = t + hours{1}, .by = sh::actor::seller});
          break;
        case 3: out.push_back(sh::cancelled{.order = id, .at = t, .by = sh::actor::buyer}); break;
        case 4:
          out.push_back(sh::cancelled{
              .order = id, .at = std::max(w.now + minutes{1}, o->ship_by() + days{7}), .by = sh::actor::platform});
          break;
        case 5:
          if (unrefunded >= 2) out.push_back(sh::cancelled{.order = id, .at = t, .by = sh::actor::seller, .units = 1});
          out.push_back(sh::shipped{.order = id, .at = t + r.span(hours{1}, days{3})});
          break;
        case 6:
          out.push_back(sh::shipped{.order = id, .at = t});
          out.push_back(sh::refunded{.order = id, .at = t + hours{1}, .units = 1});
          break;
        case 7:
          out.push_back(sh::ship_by_changed{.order = id, .at = t, .ship_by = t + r.span(-days{1}, days{3})});
          if (r.chance(60)) out.push_back(sh::shipped{.order = id, .at = t + r.span(hours{1}, days{5})});
          break;
        default: break;
      }
    } else if (o->shipped_at() && unrefunded > 0 && r.chance(60)) {
      out.push_back(sh::refunded{.order = id, .at = later(), .units = 1});
    } else if (o->fully_cancelled_at() && r.chance(40)) {
      out.push_back(sh::cancel_requested{.order = id, .at = later()});
    }
  }
  for (auto k = r.between(0, 3); k > 0; --k) {
    const auto id = w.keep("H-" + std::to_string(seed) + "-" + std::to_string(k));
    const sys_seconds t0 = w.now + r.span(seconds{0}, days{25});
    const sys_seconds sb = t0 + r.span(hours{1}, days{3});
    out.push_back(sh::placed{.order = id,
                             .seller = seller,
                             .at = t0,
                             .ship_by = sb,
                             .quantity = static_cast<std::uint32_t>(r.between(1, 2))});
    switch (r.between(0, 4)) {
      case 0:
        out.push_back(
            sh::shipped{.order = id, .at = t0 + r.span(minutes{1}, std::chrono::duration_cast<seconds>(sb - t0))});
        break;
      case 1: out.push_back(sh::shipped{.order = id, .at = sb + r.span(seconds{1}, days{4})}); break;
      case 2: out.push_back(sh::cancelled{.order = id, .at = t0 + r.span(hours{7}, days{2})}); break;
      case 3: out.push_back(sh::cancelled{.order = id, .at = t0 + r.span(minutes{1}, hours{6})}); break;  // quick
      default: break;
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const sh::event& a, const sh::event& b) { return sh::time_of(a) < sh::time_of(b); });
  return out;
}

// ---- the checks --------------------------------------------------------------------------------------------

template <class Book>
void check_slice_projection(random_source& r, world& w, const Book& book, const Book& reference0, std::uint64_t seed,
                            const std::string& before, coverage& seen) {
  const std::string_view seller =
      w.sellers[static_cast<std::size_t>(r.between(0, static_cast<std::int64_t>(w.sellers.size()) - 1))];
  const auto found = book.find_seller(seller);
  if (!found) return;  // no order of that seller reached the ledger
  std::vector<std::string_view> named;
  for (std::size_t i = 0; i < w.orders.size(); ++i)
    if (r.chance(w.seller_of[i] == seller ? 15 : 3)) named.push_back(w.orders[i]);
  const Book projected = book.slice(*found, named);
  EXPECT_EQ(snapshot(book, w.orders), before) << "slice() changed the ledger";

  ASSERT_EQ(projected.today(), book.today());
  EXPECT_EQ(projected.seller_count(), 1u);
  EXPECT_EQ(projected.seller_id(0), seller);
  for (std::size_t i = 0; i < w.orders.size(); ++i) {
    const bool is_named = std::find(named.begin(), named.end(), w.orders[i]) != named.end();
    if (is_named) {
      EXPECT_EQ(projected.contains(w.orders[i]), w.seller_of[i] == seller) << w.orders[i];
    }
    if (w.seller_of[i] != seller) {
      EXPECT_FALSE(projected.contains(w.orders[i])) << w.orders[i];
    }
  }

  const auto events = hypothetical(r, w, book, seller, named, seed);
  const std::uint32_t per_day = std::array<std::uint32_t, 4>{0, 0, 1, 3}[static_cast<std::size_t>(r.between(0, 3))];
  Book slice_book = projected;
  Book full = reference0;
  const sh::seller_index in_full = *full.find_seller(seller);
  const local_day today = *book.today();
  std::size_t next = 0;
  bool any_bad = false;
  ++seen.projections;
  for (local_day day = today; day <= today + days{projected_days}; day += days{1}) {
    if (day > today)
      for (std::uint32_t k = 0; k < per_day; ++k) {
        slice_book.record_assumed_order(0, day, k);
        full.record_assumed_order(in_full, day, k);
      }
    for (; next < events.size() && sh::time_of(events[next]) < end_of(day); ++next) {
      const auto a = slice_book.try_record(events[next]);
      const auto b = full.try_record(events[next]);
      ++seen.hypothetical_events;
      EXPECT_FALSE(b) << "hypothetical " << sh::event_name(events[next]) << " rejected: " << b->message;
      ASSERT_EQ(a.has_value(), b.has_value()) << sh::event_name(events[next]) << " " << sh::order_of(events[next]);
      if (a) {
        EXPECT_EQ(a->code, b->code);
      }
    }
    slice_book.advance_to(day);
    full.advance_to(day);
    ASSERT_EQ(slice_book.today(), full.today());
    ASSERT_EQ(seller_view(slice_book, 0, day), seller_view(full, in_full, day))
        << "seller " << seller << " on " << sh::format_day(day) << " (today " << sh::format_day(today) << ", "
        << per_day << " assumed orders a day, " << events.size() << " hypothetical events)";
    for (const auto& m : slice_book.evaluate_all(0, day)) any_bad |= m.status == sh::status::bad;
  }
  seen.projections_with_bad += any_bad;
  for_each_type(typename Book::penalty_rules{}, [&]<class R>(std::type_identity<R>) {
    for (const auto& e : slice_book.template penalty_history<R>(0, *slice_book.today()))
      if (e.evaluated_on > today) {
        ++seen.penalty_evaluations_projected;
        seen.penalty_tiers_projected += e.tier != typename R::tier{};
      }
  });
  EXPECT_EQ(snapshot(book, w.orders), before) << "projecting on a slice changed the ledger";
}

template <class Book>
void check_clears_on(random_source& r, const world& w, const Book& book, const Book& reference0,
                     const std::string& before, coverage& seen) {
  const local_day today = *book.today();
  constexpr int within = 45;
  for (sh::seller_index s = 0; s < book.seller_count(); ++s) {
    const std::uint32_t per_day = r.chance(50) ? 0u : static_cast<std::uint32_t>(r.between(1, 4));
    const auto cleared = book.clears_on_all(s, per_day, within);
    EXPECT_EQ(cleared.size(), Book::policy_count);
    Book full = reference0;
    const sh::seller_index in_full = *full.find_seller(book.seller_id(s));
    const auto now = full.evaluate_all(in_full, today);
    std::vector<std::pair<sys_seconds, std::string_view>> automatic;  // the platform's, earliest first
    for (const auto id : w.orders)
      if (const auto o = full.order(id);
          o && full.seller_of(id) == in_full && o->channel() == sh::fulfilment::merchant && !o->shipped_at() &&
          o->cancelled_units() < o->quantity() && platform_cancels(o->ship_by()) >= end_of(today))
        automatic.emplace_back(platform_cancels(o->ship_by()), id);
    std::sort(automatic.begin(), automatic.end());
    seen.automatic_cancels_predicted += static_cast<int>(automatic.size());
    std::size_t next_automatic = 0;
    std::array<std::optional<local_day>, Book::policy_count> expected{};
    std::array<bool, Book::policy_count> pending{};
    for (std::size_t i = 0; i < now.size(); ++i) pending[i] = now[i].status == sh::status::bad;
    for (int ahead = 1; ahead <= within; ++ahead) {
      const local_day day = today + days{ahead};
      for (; next_automatic < automatic.size() && automatic[next_automatic].first < end_of(day); ++next_automatic)
        full.record(sh::cancelled{.order = automatic[next_automatic].second,
                                  .at = automatic[next_automatic].first,
                                  .by = sh::actor::platform});
      full.advance_to(day);
      for (std::uint32_t k = 0; k < per_day; ++k) full.record_assumed_order(in_full, day, k);
      const auto then = full.evaluate_all(in_full, day);
      for (std::size_t i = 0; i < then.size(); ++i)
        if (pending[i] && then[i].status != sh::status::bad) {
          expected[i] = day;
          pending[i] = false;
        }
    }
    for (std::size_t i = 0; i < expected.size(); ++i) seen.cleared_days += cleared[i].has_value();
    for (std::size_t i = 0; i < expected.size(); ++i)
      EXPECT_EQ(cleared[i], expected[i]) << "seller " << book.seller_id(s) << " metric " << now[i].metric << " with "
                                         << per_day << " a day";
  }
  EXPECT_EQ(snapshot(book, w.orders), before) << "clears_on_all changed the ledger";
}

struct branch {
  std::vector<sh::event> events;
  double weight;
};

/// The events advice.hpp documents for each option.
std::vector<branch> documented_branches(sh::option_kind kind, const sh::order_view& o, std::string_view id,
                                        const sh::advice_request& q) {
  const sys_seconds now = *q.now, ship_by = o.ship_by(), platform = platform_cancels(ship_by);
  const auto seller_cancel = [&](sys_seconds at) {
    return sh::event{sh::cancelled{.order = id, .at = at, .by = sh::actor::seller}};
  };
  std::vector<branch> out;
  switch (kind) {
    case sh::option_kind::cancel_now: out.push_back({{seller_cancel(now)}, 1.0}); break;
    case sh::option_kind::ask_buyer_first:
      if (q.buyer_accepts > 0)
        out.push_back({{sh::cancel_requested{.order = id, .at = now + hours{1}}, seller_cancel(now + hours{2})},
                       q.buyer_accepts});
      if (q.buyer_accepts < 1)
        out.push_back({{seller_cancel(ship_by > now ? ship_by : now + hours{24})}, 1 - q.buyer_accepts});
      break;
    case sh::option_kind::wait_for_auto_cancel:
      if (platform > now) out.push_back({{sh::cancelled{.order = id, .at = platform, .by = sh::actor::platform}}, 1.0});
      break;
    case sh::option_kind::ship_in_stock_refund_rest:
      if (q.in_stock && *q.in_stock > 0) {
        branch b{{sh::shipped{.order = id, .at = now}}, 1.0};
        const std::uint32_t open = o.quantity() - o.cancelled_units();
        if (*q.in_stock < open)
          b.events.push_back(sh::refunded{.order = id, .at = now + minutes{1}, .units = open - *q.in_stock});
        out.push_back(std::move(b));
      }
      break;
    case sh::option_kind::ship_when_stock_arrives:
      if (q.stock_arrives) {
        // Not once the platform has cancelled the order.
        const sys_seconds at = std::max(now, sh::jst::start_of(*q.stock_arrives) + hours{12});
        if (at < platform) out.push_back({{sh::shipped{.order = id, .at = at}}, 1.0});
      }
      break;
  }
  return out;
}

template <class Book>
void check_advice(random_source& r, const world& w, const Book& book, const Book& reference0, const std::string& before,
                  coverage& seen) {
  std::vector<std::string_view> open;
  for (const auto id : w.orders)
    if (const auto o = book.order(id); o && !o->shipped_at() && !o->fully_cancelled_at()) open.push_back(id);
  if (open.empty()) return;
  const std::string_view id = open[static_cast<std::size_t>(r.between(0, static_cast<std::int64_t>(open.size()) - 1))];
  const local_day today = *book.today();
  const auto order = *book.order(id);
  sh::advice_request q{.order = id, .now = std::max(w.now, sh::jst::start_of(today)) + r.span(seconds{0}, hours{3})};
  switch (r.between(0, 3)) {
    case 0: break;
    case 1: q.in_stock = 0; break;
    case 2: q.in_stock = 1; break;
    default: q.in_stock = order.quantity(); break;
  }
  if (r.chance(60)) q.stock_arrives = today + days{r.between(0, 10)};
  q.buyer_accepts = std::array<double, 4>{0.0, 0.5, 0.25, 1.0}[static_cast<std::size_t>(r.between(0, 3))];
  q.daily_orders = r.chance(50) ? 0u : 2u;
  q.amazon_days = r.chance(50) ? 10 : 30;
  q.allow_waiting = r.chance(50);

  const sh::advice a = sh::advise(book, q);
  ++seen.advised;
  ++seen.recommended[static_cast<std::size_t>(a.recommended)];
  EXPECT_EQ(snapshot(book, w.orders), before) << "advise changed the ledger";
  EXPECT_EQ(a.order, id);
  EXPECT_EQ(a.projected, (sh::day_range{today, today + days{q.amazon_days}}));
  local_day through = a.projected.to;
  for_each_type(typename Book::penalty_rules{},
                [&]<class R>(std::type_identity<R>) { through = std::max(through, R::next_evaluation_after(today)); });
  const auto days_count = static_cast<std::size_t>(q.amazon_days) + 1;
  const sh::seller_index in_full = *reference0.find_seller(a.seller);
  ASSERT_EQ(a.options.size(), 5u);

  for (const auto& option : a.options) {
    SCOPED_TRACE(std::string(sh::to_string(option.kind)) + " for " + std::string(id));
    const auto branches = documented_branches(option.kind, order, id, q);
    ASSERT_EQ(option.available, !branches.empty());
    if (!option.available) {  // no figures at all
      EXPECT_FALSE(option.expected_days_bad.has_value());
      EXPECT_TRUE(option.metrics.empty());
      EXPECT_TRUE(option.worst_tiers.empty());
      continue;
    }
    seen.two_branch_options += branches.size() == 2;
    seen.options_with_tier += option.worst_level() > 0;
    // Expected per metric per day, and per rule (worst level, its chance, its first day if agreed).
    std::vector<std::vector<double>> chance(Book::policy_count, std::vector<double>(days_count, 0.0));
    std::vector<std::vector<double>> rate(Book::policy_count, std::vector<double>(days_count, 0.0));
    std::vector<std::uint8_t> worst(Book::penalty_rule_count, 0);
    std::vector<double> worst_chance(Book::penalty_rule_count, 0.0);
    std::vector<std::optional<local_day>> worst_day(Book::penalty_rule_count);
    bool first_branch = true;
    for (const branch& b : branches) {
      Book full = reference0;
      std::size_t next = 0;
      for (local_day day = today; day <= through; day += days{1}) {
        if (day > today)
          for (std::uint32_t k = 0; k < q.daily_orders; ++k) full.record_assumed_order(in_full, day, k);
        for (; next < b.events.size() && sh::time_of(b.events[next]) < end_of(day); ++next) {
          const auto rejected = full.try_record(b.events[next]);
          ASSERT_FALSE(rejected) << rejected->message;
        }
        full.advance_to(day);
        if (day > a.projected.to) continue;
        const auto i = static_cast<std::size_t>((day - today).count());
        const auto results = full.evaluate_all(in_full, day);
        for (std::size_t m = 0; m < results.size(); ++m) {
          if (results[m].status == sh::status::bad) chance[m][i] += b.weight;
          rate[m][i] += b.weight * (results[m].counts.empty() ? 0.0 : results[m].counts.value());
        }
      }
      std::size_t rule = 0;
      for_each_type(typename Book::penalty_rules{}, [&]<class R>(std::type_identity<R>) {
        std::uint8_t level = 0;
        std::optional<local_day> on;
        for (const auto& e : full.template penalty_history<R>(in_full, through)) {
          if (e.evaluated_on <= today) continue;
          const auto l = static_cast<std::uint8_t>(e.tier);
          if (l > level || !on) {  // the first evaluation, then each strictly worse one
            level = l;
            on = e.evaluated_on;
          }
        }
        if (first_branch || level > worst[rule]) {
          worst[rule] = level;
          worst_chance[rule] = 0;
          worst_day[rule] = on;
        } else if (level == worst[rule] && worst_day[rule] != on) {
          worst_day[rule] = std::nullopt;  // branches disagree on the day: not checked
        }
        if (level == worst[rule]) worst_chance[rule] += b.weight;
        ++rule;
      });
      first_branch = false;
    }
    ASSERT_EQ(option.metrics.size(), Book::policy_count);
    double total = 0;
    for (std::size_t m = 0; m < Book::policy_count; ++m) {
      const auto& got = option.metrics[m];
      ASSERT_EQ(got.chance_bad.size(), days_count);
      double sum = 0;
      for (std::size_t i = 0; i < days_count; ++i) {
        EXPECT_NEAR(got.chance_bad[i], chance[m][i], 1e-12) << got.metric << " day " << i;
        EXPECT_NEAR(got.expected_rate[i], rate[m][i], 1e-12) << got.metric << " day " << i;
        sum += chance[m][i];
      }
      EXPECT_NEAR(got.expected_days_bad, sum, 1e-9) << got.metric;
      total += sum;
    }
    EXPECT_NEAR(option.expected_days_bad.value(), total, 1e-9);
    ASSERT_EQ(option.worst_tiers.size(), Book::penalty_rule_count);
    for (std::size_t t = 0; t < Book::penalty_rule_count; ++t) {
      if (!option.available) continue;
      EXPECT_EQ(option.worst_tiers[t].level, worst[t]) << option.worst_tiers[t].rule;
      EXPECT_NEAR(option.worst_tiers[t].chance, worst_chance[t], 1e-12) << option.worst_tiers[t].rule;
      if (worst_day[t]) {
        EXPECT_EQ(option.worst_tiers[t].evaluated_on, worst_day[t]) << option.worst_tiers[t].rule;
      }
    }
  }

  // The recommendation: an available option that no other available one beats on (worst tier,
  // expected days in BAD to 1/1000, preference ship in stock > ship later > ask > cancel > wait);
  // waiting only when the request allows it.
  const auto preference = [](sh::option_kind k) {
    constexpr std::array ranking{sh::option_kind::ship_in_stock_refund_rest, sh::option_kind::ship_when_stock_arrives,
                                 sh::option_kind::ask_buyer_first, sh::option_kind::cancel_now,
                                 sh::option_kind::wait_for_auto_cancel};
    return std::find(ranking.begin(), ranking.end(), k) - ranking.begin();
  };
  const sh::option_outcome* best = nullptr;
  for (const auto& o : a.options) {
    if (!o.available || (o.kind == sh::option_kind::wait_for_auto_cancel && !q.allow_waiting)) continue;
    const auto key = [&](const sh::option_outcome& x) {
      return std::tuple{x.worst_level(), static_cast<long long>(std::llround(*x.expected_days_bad * 1000)),
                        preference(x.kind)};
    };
    if (!best || key(o) < key(*best)) best = &o;
  }
  ASSERT_NE(best, nullptr);  // cancel_now is always available for an open order
  EXPECT_EQ(a.recommended, best->kind);
}

template <class Book>
coverage run_streams(std::uint64_t first_seed) {
  coverage seen;
  for (std::uint64_t seed = first_seed; seed < first_seed + streams_per_ledger; ++seed) {
    SCOPED_TRACE("stream seed " + std::to_string(seed));
    world w = make_world(seed);
    const Book book = replay<Book>(w);
    if (::testing::Test::HasFailure()) return seen;
    if (!book.today()) continue;
    const Book reference0 = replay<Book>(w);
    const std::string before = snapshot(book, w.orders);
    EXPECT_EQ(before, snapshot(reference0, w.orders));  // a replay is a replay
    if (::testing::Test::HasFailure()) return seen;
    random_source r(seed * 7919 + 17);
    check_slice_projection(r, w, book, reference0, seed, before, seen);
    if (::testing::Test::HasFailure()) return seen;
    check_clears_on(r, w, book, reference0, before, seen);
    if (::testing::Test::HasFailure()) return seen;
    check_advice(r, w, book, reference0, before, seen);
    if (::testing::Test::HasFailure()) return seen;
    EXPECT_EQ(snapshot(book, w.orders), before);
  }
  return seen;
}

void report(const coverage& c) {
  std::printf(
      "projections %d (with BAD %d), hypothetical events %d, cleared days %d (automatic cancels %d), advised %d "
      "(two-branch options %d, options with a tier %d), recommended [%d %d %d %d %d], "
      "projected evaluations %d (with a tier %d)\n",
      c.projections, c.projections_with_bad, c.hypothetical_events, c.cleared_days, c.automatic_cancels_predicted,
      c.advised, c.two_branch_options, c.options_with_tier, c.recommended[0], c.recommended[1], c.recommended[2],
      c.recommended[3], c.recommended[4], c.penalty_evaluations_projected, c.penalty_tiers_projected);
  // The streams must reach what the checks are about.
  EXPECT_GE(c.projections, streams_per_ledger * 8 / 10);
  EXPECT_GE(c.projections_with_bad, c.projections / 4);
  EXPECT_GE(c.hypothetical_events, c.projections);
  EXPECT_GE(c.cleared_days, 30);
  EXPECT_GE(c.automatic_cancels_predicted, 10);
  EXPECT_GE(c.advised, streams_per_ledger / 2);
  EXPECT_GE(c.two_branch_options, 10);
}

TEST(Projection, AllMarketplacesSliceEqualsReplay) {
  const coverage c = run_streams<all_book>(1000);
  report(c);
  EXPECT_GE(c.penalty_evaluations_projected, 50);
  EXPECT_GE(c.penalty_tiers_projected, 5);
  EXPECT_GE(c.options_with_tier, 20);
}

TEST(Projection, AmazonOnlySliceEqualsReplay) { report(run_streams<amazon_book>(5000)); }

TEST(Projection, SliceOfAnUnknownSellerIsEmpty) {
  all_book book;
  book.record(sh::placed{.order = "A",
                         .seller = "S1",
                         .at = sh::jst::start_of(local_day{std::chrono::year{2026} / 3 / 10}),
                         .ship_by = sh::jst::start_of(local_day{std::chrono::year{2026} / 3 / 12})});
  const all_book s = book.slice(5);
  EXPECT_EQ(s.seller_count(), 0u);
  EXPECT_EQ(s.order_count(), 0u);
  EXPECT_EQ(s.today(), book.today());
}

// The report groups the schedule by seller once (schedule_by_seller.hpp) and slices from the
// grouping: every seller's slice must be the one `slice` makes by walking the whole schedule. Its
// orders and counts are in the snapshot; its schedule shows in how its metrics move as its clock
// advances (open orders turn late, the platform's cancellations are predicted).
TEST(Projection, ASliceFromTheGroupedScheduleIsTheSameSlice) {
  using projection = sh::detail::ledger_projection<all_book>;
  int sellers_sliced = 0, days_compared = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE("stream seed " + std::to_string(seed));
    const world w = make_world(seed);
    const all_book book = replay<all_book>(w);
    if (!book.today()) continue;
    const auto grouped = projection::group_schedule(book);
    for (sh::seller_index s = 0; s < book.seller_count(); ++s) {
      all_book walked = book.slice(s);
      all_book from_groups = projection::slice(book, s, {}, &grouped);
      ASSERT_EQ(from_groups.save(), walked.save());
      EXPECT_EQ(projection::clears_on_all(book, s, 1, 60, &grouped), book.clears_on_all(s, 1, 60));
      ++sellers_sliced;
      for (int d = 1; d <= projected_days; ++d) {
        const local_day day = *book.today() + days{d};
        walked.advance_to(day);
        from_groups.advance_to(day);
        const auto a = walked.evaluate_all(0, day), b = from_groups.evaluate_all(0, day);
        for (std::size_t m = 0; m < a.size(); ++m) {
          EXPECT_EQ(b[m].counts, a[m].counts) << a[m].metric << " on day +" << d;
          EXPECT_EQ(b[m].status, a[m].status) << a[m].metric << " on day +" << d;
        }
        ++days_compared;
      }
    }
  }
  EXPECT_GE(sellers_sliced, 40);
  EXPECT_GE(days_compared, 40 * projected_days);
}

/// Amazon's PFCR measure in a policy of one's own that does not say when the platform cancels.
struct own_pfcr {
  using measure = am::seller_cancellations<>;
  static constexpr std::string_view id = "own.pfcr";
  static constexpr sh::target goal{sh::condition::less_than, {1, 40}};
  static constexpr sh::window_spec window = sh::rolling_days(7);
};

template <class Book>
void record_open_past_deadline(Book& book) {
  // A: paid Mon Mar 2 2026, due Tue Mar 3 23:59:59, never shipped (late in LSR, filed Mar 3).
  // B: paid Tue Mar 10, cancelled by the seller an hour later (PFCR, filed Mar 10). Today Wed Mar 11.
  book.record(
      sh::placed{.order = "A", .seller = "S", .at = jst(2026, 3, 2, 10), .ship_by = jst(2026, 3, 3, 23, 59, 59)});
  book.record(
      sh::placed{.order = "B", .seller = "S", .at = jst(2026, 3, 10, 10), .ship_by = jst(2026, 3, 11, 23, 59, 59)});
  book.record(sh::cancelled{.order = "B", .at = jst(2026, 3, 10, 11), .by = sh::actor::seller});
  book.advance_to(lday(2026, 3, 11));
}

TEST(Projection, ClearsOnCountsThePlatformsAutomaticCancellation) {
  // The platform cancels A 7 business days after Tue Mar 3 (Wed 4, Thu 5, Fri 6, Mon 9, Tue 10,
  // Wed 11, Thu 12): Mar 12 23:59:59, filed in PFCR under Mar 12, and A leaves LSR that day.
  //   PFCR, BAD today with B (1/1 in Mar 5..11): B leaves the window after Mar 16, but A's
  //     cancellation is 1/1 in the windows ending Mar 12..18: clears Mar 19 (Mar 17 without it).
  //   LSR-10 and LSR-30, BAD with A late: clear Mar 12, when A is cancelled (without it, when Mar 3
  //     leaves the window: Mar 13 and Apr 2).
  amazon_book book;
  record_open_past_deadline(book);
  ASSERT_EQ(book.evaluate<pfcr>(0, lday(2026, 3, 11)).status, sh::status::bad);
  ASSERT_EQ(book.evaluate<lsr10>(0, lday(2026, 3, 11)).status, sh::status::bad);
  const auto cleared = book.clears_on_all(0);
  EXPECT_EQ(cleared[0], lday(2026, 3, 19));
  EXPECT_EQ(cleared[1], lday(2026, 3, 12));
  EXPECT_EQ(cleared[2], lday(2026, 3, 12));
  EXPECT_EQ(book.clears_on<pfcr>(0), lday(2026, 3, 19));
  EXPECT_FALSE(book.order("A")->fully_cancelled_at());  // only the projection cancelled it
  EXPECT_EQ(book.clears_on_all(0), cleared);

  // The same over shards (the report's book), wherever A and B land.
  sh::sharded<amazon_book> shards(3);
  record_open_past_deadline(shards);
  EXPECT_EQ(shards.clears_on_all("S"), cleared);

  // A ledger whose PFCR policy does not predict the cancellation projects without it.
  sh::ledger<sh::jst, own_pfcr, lsr10, lsr30> own;
  record_open_past_deadline(own);
  const auto unpredicted = own.clears_on_all(0);
  EXPECT_EQ(unpredicted[0], lday(2026, 3, 17));
  EXPECT_EQ(unpredicted[1], lday(2026, 3, 13));
  EXPECT_EQ(unpredicted[2], lday(2026, 4, 2));
}

}  // namespace
