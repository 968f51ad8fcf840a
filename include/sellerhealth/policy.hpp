// Policies: what a metric counts (its measure), over which days (its window), against what target.
//
// Available policies, when to use each:
//   amazon::pre_fulfillment_cancel_rate   Amazon PFCR, 7 days, < 2.5 %          (amazon.hpp)
//   amazon::late_shipment_rate_10d / _30d Amazon LSR, 10 and 30 days, < 4 %     (amazon.hpp)
// A platform rule the library does not ship is a small struct of your own (see "write your own").
//
// ## Requirements
//
// A *measure* `M` decides, for one order as of the end of one local day, whether and where the
// order counts. A *rate policy* `P` pairs a measure with a window and a target.
//
// | expression                  | type                    | requirement                                         |
// |-----------------------------|-------------------------|-----------------------------------------------------|
// | `M::classify(o, when)`      | `classification`        | pure function of the order `o` (an `order_view`) and |
// |                             |                         | `when` (an `as_of`); must not throw                 |
// | `.denominator`, `.numerator`| `std::optional<local_day>` | the local day the order counts on, if it counts; |
// |                             |                         | never later than `when.day`                          |
// | `.recheck`                  | `std::optional<local_day>` | the first day after `when.day` on which the answer |
// |                             |                         | may change with no new event (a deadline passing);  |
// |                             |                         | the answer must stay the same on every day before it |
// | `P::measure`                | a type                  | satisfies `measure`                                 |
// | `P::id`                     | convertible to `std::string_view` | the metric id printed in reports          |
// | `P::goal`                   | convertible to `target` | e.g. `{condition::less_than, {1, 40}}`              |
// | `P::window`                 | convertible to `window_spec` | `rolling_days(7)`, `month_to_date()`, ...      |
// | `P::judge(r)` (optional)    | `status`                | for a non-empty rate `r`: GOOD or BAD, when the      |
// |                             |                         | status is not a plain target (Qoo10: fewer than 10  |
// |                             |                         | orders are judged against 50 %); must be monotone:  |
// |                             |                         | more bad orders never turn BAD into GOOD            |
// | `P::is_low_volume(r)` (opt.)| `bool`                  | replaces the default low-volume rule (rate.hpp)     |
//
// A *penalty rule* `R` (see `penalty_rule` below) judges fixed calendar periods on fixed days and
// keeps a history: Qoo10's monthly warning and quarterly restriction (qoo10.hpp).
//
// Policies that share a measure type share its day buckets: the 10- and 30-day LSR cost one set.
//
// ## Write your own
//
//   struct walmart_cancels {                       // seller and automatic cancels count, buyers' not
//     static sellerhealth::classification classify(const sellerhealth::order_view& o,
//                                                   const sellerhealth::as_of& when) noexcept {
//       if (!when.happened(o.placed_at())) return {};  // an order from after the day judged
//       const auto placed = when.day_of(o.placed_at());
//       const bool counted = when.happened(o.first_cancel_at(sellerhealth::actor::seller)) ||
//                            when.happened(o.first_cancel_at(sellerhealth::actor::platform));
//       return {.denominator = placed, .numerator = counted ? std::optional{placed} : std::nullopt};
//     }
//   };
//   struct walmart_cancel_rate {
//     using measure = walmart_cancels;
//     static constexpr std::string_view id = "walmart.cancellation_rate";
//     static constexpr sellerhealth::target goal{sellerhealth::condition::at_most, {2, 100}};
//     static constexpr sellerhealth::window_spec window = sellerhealth::rolling_days(30);
//   };
//   sellerhealth::ledger<sellerhealth::jst, walmart_cancel_rate> book;
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

#include "calendar.hpp"
#include "detail/order_record.hpp"
#include "detail/type_list.hpp"
#include "events.hpp"
#include "rate.hpp"

namespace sellerhealth {

/// The evaluation moment a measure judges an order at: the end of local day `day`. Events at or
/// after `end` have not happened yet.
struct as_of {
  local_day day;
  sys_seconds end;  // the first instant of the next local day
  std::chrono::seconds utc_offset;

  template <zone Z>
  [[nodiscard]] static constexpr as_of end_of(local_day d) noexcept {
    return {d, Z::start_of(d + std::chrono::days{1}), std::chrono::seconds{Z::utc_offset}};
  }
  [[nodiscard]] constexpr local_day day_of(sys_seconds t) const noexcept {
    return std::chrono::floor<std::chrono::days>(std::chrono::local_seconds{t.time_since_epoch() + utc_offset});
  }
  [[nodiscard]] constexpr bool happened(sys_seconds t) const noexcept { return t < end; }
  [[nodiscard]] constexpr bool happened(std::optional<sys_seconds> t) const noexcept { return t && *t < end; }
};

/// A measure's answer for one order (see the requirements table above).
struct classification {
  std::optional<local_day> denominator = std::nullopt;
  std::optional<local_day> numerator = std::nullopt;
  std::optional<local_day> recheck = std::nullopt;
  friend constexpr bool operator==(const classification&, const classification&) = default;
};

/// Read-only view of one order's lifecycle as the ledger knows it: every event recorded so far.
/// Times of events are kept, so a measure can judge "as of" a day by comparing them with
/// `as_of::end`; counts of units are as of the latest event.
class order_view {
 public:
  explicit constexpr order_view(const detail::order_record& r) noexcept : r_(&r) {}

  [[nodiscard]] constexpr sys_seconds placed_at() const noexcept {
    return sys_seconds{std::chrono::seconds{r_->placed_at}};
  }
  /// The current ship-by deadline (after any `ship_by_changed`).
  [[nodiscard]] constexpr sys_seconds ship_by() const noexcept {
    return placed_at() + std::chrono::seconds{r_->ship_by_offset};
  }
  [[nodiscard]] constexpr fulfilment channel() const noexcept {
    return r_->has(detail::platform_fulfilled) ? fulfilment::platform : fulfilment::merchant;
  }
  [[nodiscard]] constexpr std::uint32_t quantity() const noexcept { return r_->quantity; }
  [[nodiscard]] constexpr std::uint32_t cancelled_units() const noexcept { return r_->cancelled_units; }
  [[nodiscard]] constexpr std::uint32_t refunded_units() const noexcept { return r_->refunded_units; }

  /// When shipment was confirmed, if it was.
  [[nodiscard]] constexpr std::optional<sys_seconds> shipped_at() const noexcept { return at(r_->shipped_after); }
  /// The buyer's first cancel request through the platform, if any.
  [[nodiscard]] constexpr std::optional<sys_seconds> first_cancel_request_at() const noexcept {
    return at(r_->first_request_after);
  }
  /// The first cancellation (whole or item-level) made by `who`; buyers' self-cancels are not
  /// timed individually, so `actor::buyer` answers `std::nullopt` (see `fully_cancelled_at`).
  [[nodiscard]] constexpr std::optional<sys_seconds> first_cancel_at(actor who) const noexcept {
    switch (who) {
      case actor::seller: return at(r_->first_seller_cancel_after);
      case actor::platform: return at(r_->first_platform_cancel_after);
      case actor::buyer: return std::nullopt;
    }
    return std::nullopt;
  }
  /// When the last open unit was cancelled, if every unit is.
  [[nodiscard]] constexpr std::optional<sys_seconds> fully_cancelled_at() const noexcept {
    return r_->cancelled_units == r_->quantity ? at(r_->last_cancel_after) : std::nullopt;
  }
  /// True iff the seller's first cancellation came after the buyer's first cancel request (so
  /// Amazon does not count it). False when either is missing.
  [[nodiscard]] constexpr bool seller_cancel_after_request() const noexcept {
    if (r_->first_request_after == detail::no_time || r_->first_seller_cancel_after == detail::no_time) return false;
    return r_->first_request_after < r_->first_seller_cancel_after ||
           (r_->first_request_after == r_->first_seller_cancel_after && r_->has(detail::request_first_at_tie));
  }
  /// When the platform agreed not to count the order against `metric` (`cancel` or `late`; an
  /// `all` exemption sets both), if it did.
  [[nodiscard]] constexpr std::optional<sys_seconds> exempted_at(exempt_from metric) const noexcept {
    switch (metric) {
      case exempt_from::cancel: return at(r_->exempt_cancel_after);
      case exempt_from::late: return at(r_->exempt_late_after);
      case exempt_from::all: {
        const auto c = at(r_->exempt_cancel_after), l = at(r_->exempt_late_after);
        return c && l ? std::optional{std::max(*c, *l)} : std::nullopt;
      }
    }
    return std::nullopt;
  }
  /// The time of the latest event recorded for the order (its placement, a request, a
  /// cancellation, a shipment, a ship-by change or an exemption; refunds are not timed).
  [[nodiscard]] constexpr sys_seconds last_event_at() const noexcept {
    std::uint32_t latest = 0;
    for (const std::uint32_t t :
         {r_->shipped_after, r_->first_request_after, r_->first_seller_cancel_after, r_->first_platform_cancel_after,
          r_->last_cancel_after, r_->ship_by_changed_after, r_->exempt_cancel_after, r_->exempt_late_after})
      if (t != detail::no_time) latest = std::max(latest, t);
    return placed_at() + std::chrono::seconds{latest};
  }
  /// True iff the order is exempted from `metric` by any event recorded so far.
  [[nodiscard]] constexpr bool exempted(exempt_from metric) const noexcept { return exempted_at(metric).has_value(); }

 private:
  [[nodiscard]] constexpr std::optional<sys_seconds> at(std::uint32_t offset) const noexcept {
    if (offset == detail::no_time) return std::nullopt;
    return placed_at() + std::chrono::seconds{offset};
  }
  const detail::order_record* r_;
};

/// A measure: see the requirements table at the top of this header.
template <class M>
concept measure = requires(const order_view& o, const as_of& when) {
  { M::classify(o, when) } -> std::same_as<classification>;
};

namespace detail {
/// `P::id` is a constant expression (`static constexpr`): results and reports keep a view of it,
/// which must outlive every ledger, and snapshots compare ids at compile time.
template <class P>
concept has_constant_id = requires {
  typename std::integral_constant<std::size_t, std::string_view{P::id}.size()>;
};
/// `P::window` is a constant expression: the ledger sizes its day ring from it at compile time.
template <class P>
concept has_constant_window = requires {
  typename std::integral_constant<int, window_spec{P::window}.max_span()>;
};
}  // namespace detail

/// A rate policy: a measure, a window and a target (requirements table at the top), with `id` and
/// `window` `static constexpr`.
template <class P>
concept rate_policy = requires {
  typename P::measure;
  { P::id } -> std::convertible_to<std::string_view>;
  { P::goal } -> std::convertible_to<target>;
  { P::window } -> std::convertible_to<window_spec>;
}
&&measure<typename P::measure>&& detail::has_constant_id<P>&& detail::has_constant_window<P>;

/// One metric for one seller at the end of one day.
struct metric_result {
  std::string_view metric;  // the policy's id
  day_range period;         // the days the window covered
  rate counts;              // numerator / denominator, exact
  target goal;
  sellerhealth::status status = status::none;
  bool low_volume = false;     // one more bad order would decide the status on its own
  std::uint64_t headroom = 0;  // bad orders the current counts can still take (see rate.hpp)
  /// When BAD: how many more good orders in the window would make it GOOD (empty if none would).
  std::optional<std::uint64_t> recovery = 0;
  /// When BAD today: the first day after today on which it is no longer BAD if nothing else
  /// happens (`ledger::clears_on`). Filled only when asked, by `evaluate_all(seller, day,
  /// with_clears_on{})`: finding it runs a projection, which a plain evaluation does not pay for.
  /// Empty otherwise, when not BAD, when still BAD after `within_days`, and for a past day.
  std::optional<local_day> clears_on{};
};

/// Asks `evaluate_all` to fill each result's `clears_on` as well, with `clears_on_all`'s
/// assumptions: `daily_good_orders` more on-time orders a day, looking `within_days` ahead.
///
///   for (const auto& m : book.evaluate_all("S1", *book.today(), sellerhealth::with_clears_on{}))
///     if (m.clears_on) std::cout << m.metric << " clears on " << sellerhealth::format_day(*m.clears_on);
struct with_clears_on {
  std::uint32_t daily_good_orders = 0;
  int within_days = 366;
};

namespace detail {
template <class P>
concept has_custom_judge = requires(rate r) {
  { P::judge(r) } -> std::same_as<status>;
};
template <class P>
concept has_custom_low_volume = requires(rate r) {
  { P::is_low_volume(r) } -> std::convertible_to<bool>;
};
}  // namespace detail

/// Status of `counts` under policy `P`: its `judge` if it has one, else its target.
template <rate_policy P>
[[nodiscard]] constexpr status judge_with(const rate& counts) noexcept {
  if (counts.empty()) return status::none;
  if constexpr (detail::has_custom_judge<P>)
    return P::judge(counts);
  else
    return judge(counts, target{P::goal});
}

/// How many of the orders counted but not yet bad may turn bad (denominator unchanged) before
/// `P` judges the seller BAD; 0 when it already is.
template <rate_policy P>
[[nodiscard]] constexpr std::uint64_t headroom_with(const rate& counts) noexcept {
  if constexpr (detail::has_custom_judge<P>) {
    if (judge_with<P>(counts) != status::good) return 0;
    // The judge is monotone in the numerator.
    return detail::last_true(0, counts.denominator - counts.numerator, [&](std::uint64_t k) {
      return P::judge(rate{counts.numerator + k, counts.denominator}) == status::good;
    });
  } else {
    return headroom(counts, target{P::goal});
  }
}

/// How many more good orders would turn a BAD judgement by `P` GOOD (see `recovery` in rate.hpp;
/// a policy with its own `judge` counts bad orders in its numerator).
template <rate_policy P>
[[nodiscard]] constexpr std::optional<std::uint64_t> recovery_with(const rate& counts) noexcept {
  if constexpr (detail::has_custom_judge<P>) {
    if (judge_with<P>(counts) != status::bad) return 0;
    if (counts.denominator > detail::count_limit) return std::nullopt;
    return detail::first_true_from_one([&](std::uint64_t k) {
      return P::judge(rate{counts.numerator, counts.denominator + k}) == status::good;
    });
  } else {
    return recovery(counts, target{P::goal});
  }
}

template <rate_policy P>
[[nodiscard]] constexpr metric_result make_result(day_range period, rate counts) noexcept {
  const target goal = P::goal;
  bool small = false;
  if constexpr (detail::has_custom_low_volume<P>)
    small = !counts.empty() && P::is_low_volume(counts);
  else
    small = low_volume(counts, goal);
  return {P::id,
          period,
          counts,
          goal,
          judge_with<P>(counts),
          small,
          headroom_with<P>(counts),
          recovery_with<P>(counts),
          std::nullopt};
}

/// A penalty rule: on fixed evaluation days it judges a fixed calendar period and assigns a tier,
/// which may depend on the tier of its previous evaluation (Qoo10: two bad quarters in a row).
///
/// | expression                     | type                       | requirement                                  |
/// |--------------------------------|----------------------------|----------------------------------------------|
/// | `R::measure`                   | a type satisfying `measure`| what is counted                              |
/// | `R::tier`                      | an enumeration             | `R::tier{}` is "no penalty"; larger is worse |
/// | `R::id`                        | convertible to `string_view` | e.g. "qoo10.quarterly"                     |
/// | `R::judged_period(d)`          | `std::optional<day_range>` | the period judged on day `d`, empty when `d` |
/// |                                |                            | is not an evaluation day; ends before `d`    |
/// | `R::next_evaluation_after(d)`  | `local_day`                | the first evaluation day after `d`           |
/// | `R::tier_of(r, previous)`      | `R::tier`                  | the tier for counts `r` (may be empty) given |
/// |                                |                            | the previous evaluation's tier; monotone in  |
/// |                                |                            | the numerator                                |
/// | `R::tier_name(t)`              | convertible to `string_view` | e.g. "listing_capped"                      |
/// | `R::longest_period`            | convertible to `int`       | the most days `judged_period` can span       |
template <class R>
concept penalty_rule = requires(local_day d, rate r, typename R::tier previous) {
  typename R::measure;
  requires std::is_enum_v<typename R::tier>;
  { R::id } -> std::convertible_to<std::string_view>;
  { R::judged_period(d) } -> std::same_as<std::optional<day_range>>;
  { R::next_evaluation_after(d) } -> std::same_as<local_day>;
  { R::tier_of(r, previous) } -> std::same_as<typename R::tier>;
  { R::tier_name(previous) } -> std::convertible_to<std::string_view>;
  { R::longest_period } -> std::convertible_to<int>;
}
&&measure<typename R::measure>&& detail::has_constant_id<R>;

/// A rate policy that knows when the platform cancels an order never confirmed (Amazon's PFCR:
/// `P::auto_cancel`, an `amazon::auto_cancellation<...>`): `P::auto_cancel::cancels_at<Z>(ship_by)`
/// is that instant in zone `Z`. Projections (`advise`, `ledger::clears_on`) use it to predict the
/// platform's cancellation; a ledger none of whose policies has one gets no such prediction.
template <class P, class Z>
concept predicts_auto_cancel = rate_policy<P> && requires(sys_seconds ship_by) {
  typename P::auto_cancel;
  { P::auto_cancel::template cancels_at<Z>(ship_by) } -> std::same_as<sys_seconds>;
};

namespace detail {
/// The first policy of a `type_list` that `predicts_auto_cancel` in zone `Z`, or `void`.
template <class Z, class List>
struct auto_cancel_policy {
  using type = void;
};
template <class Z, class P, class... Ps>
struct auto_cancel_policy<Z, type_list<P, Ps...>> {
  using type =
      std::conditional_t<predicts_auto_cancel<P, Z>, P, typename auto_cancel_policy<Z, type_list<Ps...>>::type>;
};
template <class Z, class List>
using auto_cancel_policy_t = typename auto_cancel_policy<Z, List>::type;
}  // namespace detail

namespace detail {
/// True for a rate policy or a penalty rule; for anything else, a compile error that names the
/// first requirement it misses, in words (the concept alone would only say "not satisfied").
/// The ledger checks each of its rules with it.
template <class P>
consteval bool check_rule() {
  if constexpr (rate_policy<P> || penalty_rule<P>) {
    return true;
  } else {
    static_assert(std::is_class_v<P>, "sellerhealth: a ledger rule must be a struct (a rate policy or a penalty rule)");
    static_assert(
        requires { typename P::measure; },
        "sellerhealth: a rule needs `using measure = ...;` naming its measure (policy.hpp, requirements)");
    if constexpr (requires { typename P::measure; })
      static_assert(measure<typename P::measure>,
                    "sellerhealth: a rule's measure needs `static classification classify(const order_view&, const "
                    "as_of&) noexcept`");
    static_assert(
        requires { P::id; }, "sellerhealth: a rule needs `static constexpr std::string_view id = \"...\";`");
    if constexpr (requires { P::id; }) {
      static_assert(std::is_convertible_v<decltype(P::id), std::string_view>,
                    "sellerhealth: a rule's `id` must convert to std::string_view");
      static_assert(has_constant_id<P>,
                    "sellerhealth: a rule's `id` must be `static constexpr` (results keep a view of it)");
    }
    if constexpr (requires { typename P::tier; }) {  // meant as a penalty rule
      static_assert(std::is_enum_v<typename P::tier>, "sellerhealth: a penalty rule's `tier` must be an enumeration");
      static_assert(false && sizeof(P),
                    "sellerhealth: a penalty rule needs judged_period, next_evaluation_after, tier_of, tier_name and "
                    "longest_period as the table in policy.hpp says");
    } else {
      static_assert(
          requires { P::goal; }, "sellerhealth: a rate policy needs `static constexpr target goal{...};`");
      static_assert(
          requires { P::window; },
          "sellerhealth: a rate policy needs `static constexpr window_spec window = rolling_days(n);`");
      if constexpr (requires { P::goal; })
        static_assert(std::is_convertible_v<decltype(P::goal), target>,
                      "sellerhealth: a rate policy's `goal` must convert to sellerhealth::target");
      if constexpr (requires { P::window; })
        static_assert(has_constant_window<P>,
                      "sellerhealth: a rate policy's `window` must be a `static constexpr window_spec`");
    }
    return false;
  }
}
}  // namespace detail

/// One evaluation of a penalty rule for one seller.
template <class Tier>
struct penalty_evaluation {
  std::string_view rule;  // the rule's id
  local_day evaluated_on;
  day_range period;
  rate counts;
  Tier tier{};
  friend constexpr bool operator==(const penalty_evaluation&, const penalty_evaluation&) = default;
};

/// What the next evaluation of a penalty rule will say if nothing else happens, and how many of
/// the orders already counted may still be cancelled before each worse tier they can reach.
template <class Tier>
struct penalty_projection {
  std::string_view rule;
  local_day evaluated_on;
  day_range period;  // the whole period judged
  rate counts;       // so far: orders paid from period.from to today
  Tier tier{};       // the tier those counts earn
  struct step {
    Tier tier;
    std::optional<std::uint64_t> absorbable;  // more cancellations that still stay below `tier` (always set)
  };
  std::vector<step> before_each_tier;  // one entry per worse tier that more cancellations reach, in order
};

/// The projection of rule `R`'s evaluation on `evaluated_on` of `period`, from the counts so far
/// and the tier of the evaluation before it: the tier those counts earn, and how many more of the
/// orders counted could be cancelled before each worse tier that cancellations can reach.
template <penalty_rule R>
[[nodiscard]] penalty_projection<typename R::tier> project_penalty(local_day evaluated_on, day_range period,
                                                                   rate counts, typename R::tier previous) {
  using tier = typename R::tier;
  penalty_projection<tier> p{R::id, evaluated_on, period, counts, R::tier_of(counts, previous), {}};
  const std::uint64_t spare = counts.denominator - counts.numerator;
  const auto tier_after = [&](std::uint64_t more) {
    return R::tier_of(rate{counts.numerator + more, counts.denominator}, previous);
  };
  std::uint64_t reached = 0;  // cancellations taken so far along the tiers
  for (tier current = p.tier; spare > reached && tier_after(spare) > current;) {
    // The smallest count that reaches a worse tier.
    const std::uint64_t low =
        detail::first_true(reached + 1, spare, [&](std::uint64_t k) { return tier_after(k) > current; });
    current = tier_after(low);
    p.before_each_tier.push_back({current, low - 1});
    reached = low;
  }
  return p;
}

// ---- helpers of the ledger and of `sharded` ---------------------------------------------------

namespace detail {
/// Whether `T` is a rate policy, or a penalty rule, as type traits (for `filter_t`).
template <class T>
struct is_rate_policy : std::bool_constant<rate_policy<T>> {};
template <class T>
struct is_penalty_rule : std::bool_constant<penalty_rule<T>> {};
/// For each metric BAD in `now`, the first day after `today`, at most `within_days` ahead, on
/// which `project(day)` (move a projection to `day`, return every metric there) no longer says
/// BAD. `project` is called only when something is BAD, day after day.
template <std::size_t N, class Project>
[[nodiscard]] std::array<std::optional<local_day>, N> clearing_days(const std::array<metric_result, N>& now,
                                                                    local_day today, int within_days, Project project) {
  std::array<std::optional<local_day>, N> cleared{};
  std::array<bool, N> pending{};
  std::size_t left = 0;
  for (std::size_t i = 0; i < N; ++i) left += (pending[i] = now[i].status == status::bad);
  for (int ahead = 1; ahead <= within_days && left > 0; ++ahead) {
    const local_day day = today + std::chrono::days{ahead};
    const auto then = project(day);
    for (std::size_t i = 0; i < N; ++i)
      if (pending[i] && then[i].status != status::bad) {
        cleared[i] = day;
        pending[i] = false;
        --left;
      }
  }
  return cleared;
}

/// The most days rule `T` looks at: a rate policy's window, a penalty rule's longest period.
template <class T>
constexpr int span_of() noexcept {
  if constexpr (rate_policy<T>)
    return window_spec{T::window}.max_span();
  else
    return static_cast<int>(T::longest_period);
}
}  // namespace detail

}  // namespace sellerhealth
