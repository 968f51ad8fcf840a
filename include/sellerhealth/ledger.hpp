// The order ledger: a marketplace-wide book of sellers' orders and the day buckets their metrics
// are summed from.
//
// Every event re-judges its order: the ledger asks each measure where the order counted before
// and where it counts after, and moves one count between day buckets for each difference, so no
// history is ever rescanned. A deadline passing needs no event: a measure names the day its
// answer may change (`classification::recheck`) and the ledger re-judges the order when its clock
// reaches that day, in time proportional to the orders due, not to all orders.
//
// The clock. `today()` is the local day of the latest event recorded or the day passed to
// `advance_to`, whichever is later; it never moves back. Metrics are judged at the end of a day.
//
// Out of order. Events may arrive in any order within the horizon: an event earlier than the start
// of `today() - horizon_days` is rejected (`rejection_code::beyond_horizon`). Equal times keep
// arrival order. An event that depends on another (a shipment on its placement, a refund on its
// shipment) must arrive after it; otherwise it is rejected and can be sent again.
//
// Evaluation. `evaluate<P>(seller, day)` sums the window of `P` ending at `day`, for `today()` or
// any day back to `today() - horizon_days`. For a past day the counts are the ones the ledger
// holds now for that window's days, i.e. history restated with everything known since (an order
// placed in the window and cancelled later counts as cancelled). To see a day exactly as it stood
// then, evaluate it before recording later events; the `sellerhealth` command does so for --as-of.
//
// Errors. `record` throws `rejected_event` and `try_record` returns the `rejection`; either way a
// rejected event changes nothing. Every check happens before the first change.
//
// Redelivery. An event the ledger already holds is accepted and changes nothing, however old it
// is (queues deliver at least once; exports overlap); how each kind is recognised by its contents
// is in detail/event_checks.hpp and the README ("How a redelivered event is recognised").
//
// Snapshots. `save()` writes the whole ledger as bytes and `restore(bytes)` makes a ledger that
// answers and continues exactly as the saved one (versioned, checksummed, checked field by field;
// README, "Reliability"); `save_to_file(path)` and `restore_from_file(path)` do the same with a
// file, replaced atomically. A snapshot that cannot be restored is a `snapshot_error` (error.hpp).
//
// Parts. This file is the lifecycle and the questions asked of the book; what it keeps has
// headers of its own: the day buckets are a `basic_rate_window` (window.hpp), the orders with
// their notes, the re-judgement schedule, the penalty history and the snapshot format live in
// detail/ (order_table.hpp, rejudge_schedule.hpp, penalty_evaluations.hpp, ledger_snapshot.hpp),
// the projections behind slice and clears_on are in detail/ledger_projection.hpp, and what is
// loaded ahead of the events into the cache in detail/ledger_look_ahead.hpp.
//
// Memory. Per order a 64-byte record, its id's characters and 11 to 16 bytes of index; per
// seller one ring of day buckets (window.hpp; Amazon's three metrics share two measures: 64 days
// x 2 x 2 counters x 4 bytes = 1 KiB, plus 8). Each cancellation and refund adds a 20-byte note,
// and orders awaiting a re-judgement 8 bytes each in the schedule.
//
//   sellerhealth::ledger<sellerhealth::jst, sellerhealth::amazon::pre_fulfillment_cancel_rate> book;
//   book.record(sellerhealth::placed{.order = "A-1", .seller = "S1", .at = t0, .ship_by = t0 + 48h});
//   auto r = book.evaluate<sellerhealth::amazon::pre_fulfillment_cancel_rate>("S1", *book.today());
#pragma once

#include <algorithm>
#include <array>
#include <cassert>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "calendar.hpp"
#include "detail/event_checks.hpp"
#include "detail/ledger_look_ahead.hpp"
#include "detail/ledger_projection.hpp"
#include "detail/ledger_snapshot.hpp"
#include "detail/order_notes.hpp"
#include "detail/order_record.hpp"
#include "detail/order_table.hpp"
#include "detail/penalty_evaluations.hpp"
#include "detail/rejudge_schedule.hpp"
#include "detail/snapshot_bytes.hpp"
#include "detail/snapshot_file.hpp"
#include "detail/string_table.hpp"
#include "detail/type_list.hpp"
#include "error.hpp"
#include "events.hpp"
#include "policy.hpp"
#include "rate.hpp"
#include "rejection.hpp"
#include "window.hpp"

namespace sellerhealth {

struct ledger_options {
  /// Days before today that an event may still fall on (and that `evaluate` can look back).
  int horizon_days = 30;
};

/// Dense index of a seller in a ledger, in the order sellers were first seen.
using seller_index = std::uint32_t;

/// The book. `Rules...` are rate policies (evaluated on demand) and penalty rules (evaluated on
/// their fixed days as the clock passes them, and kept as a history).
template <zone Zone, class... Rules>
class ledger {
  // Checked here rather than in a requires-clause, so that a rule missing a member is named with
  // what it misses (detail::check_rule) instead of "constraints not satisfied".
  static_assert(sizeof...(Rules) > 0, "a ledger needs at least one policy");
  static_assert((detail::check_rule<Rules>() && ...),
                "sellerhealth::ledger: every rule must be a rate policy or a penalty rule");
  using measures = detail::unique_types<typename Rules::measure...>;
  static constexpr std::size_t measure_count = measures::size;
  static constexpr int longest_window = std::max({detail::span_of<Rules>()...});

 public:
  using zone_type = Zone;
  /// The rate policies and the penalty rules among `Rules...`, each in template order.
  using rate_policies = detail::filter_t<detail::is_rate_policy, Rules...>;
  using penalty_rules = detail::filter_t<detail::is_penalty_rule, Rules...>;
  static constexpr std::size_t policy_count = rate_policies::size;
  static constexpr std::size_t penalty_rule_count = penalty_rules::size;

  explicit ledger(ledger_options options = {})
      : horizon_days_(checked_horizon(options.horizon_days)),
        day_counts_(std::max(1, longest_window + horizon_days_)),
        schedule_(day_counts_.ring_days()) {}

  // ---- events -------------------------------------------------------------------------------

  /// Records one event; throws `rejected_event` (and changes nothing) when it is invalid.
  void record(const event& e) {
    if (auto rejected = try_record(e)) throw rejected_event(std::move(*rejected));
  }

  /// Records one event, or returns why not (and changes nothing).
  [[nodiscard]] std::optional<rejection> try_record(const event& e) {
    return record_hashed(e, detail::hash_bytes(order_of(e)));
  }

  /// The days the clock can stand on: the local days of supported instants, and the year after
  /// them, for the deadlines of the last orders to pass.
  static constexpr local_day first_clock_day{std::chrono::year{1} / 1 / 1};
  static constexpr local_day last_clock_day{std::chrono::year{10000} / 12 / 31};

  /// Records `events[0..n)` in order, exactly as `try_record` on each would, calling
  /// `on_rejected(i, rejection)` for each one rejected. `event_of(x)` gives the `event` of an
  /// element (the identity for a range of events). Faster than a loop of `try_record` over long
  /// runs: while it records one event it starts loading the id index, the order record and the
  /// day buckets of the events a few places ahead, so their cache misses overlap instead of
  /// following each other (detail/ledger_look_ahead.hpp).
  template <std::random_access_iterator It, class EventOf, class OnRejected>
  void record_all(It first, It last, EventOf event_of, OnRejected on_rejected) {
    orders_.for_each_loading_ahead(
        last - first, [&](std::ptrdiff_t i) { return detail::hash_bytes(order_of(event_of(first[i]))); },
        [&](std::ptrdiff_t i, std::uint64_t id_hash) {
          if (auto rejected = record_hashed(event_of(first[i]), id_hash))
            on_rejected(static_cast<std::size_t>(i), std::move(*rejected));
        },
        [&](std::ptrdiff_t i) { return look_ahead::far(*this, event_of(first[i])); },
        [&](std::ptrdiff_t i, std::uint64_t seller_hash, const detail::order_record* likely) {
          look_ahead::near(*this, event_of(first[i]), seller_hash, likely);
        });
  }

  /// Moves the clock to the end of `day` (never backwards): deadlines that pass by then are judged.
  /// Throws `sellerhealth::error` for a day outside `first_clock_day..last_clock_day`.
  void advance_to(local_day day) {
    if (day < first_clock_day || day > last_clock_day)
      throw error("sellerhealth: advance_to " + format_day(day) + ": outside the days the clock can stand on (" +
                  format_day(first_clock_day) + ".." + format_day(last_clock_day) + ")");
    advance_clock(day);
  }

  // ---- queries ------------------------------------------------------------------------------

  /// The local day the ledger judges at; empty until the first event or `advance_to`.
  [[nodiscard]] std::optional<local_day> today() const noexcept {
    return started_ ? std::optional{current_day()} : std::nullopt;
  }
  [[nodiscard]] int horizon_days() const noexcept { return horizon_days_; }
  [[nodiscard]] std::size_t order_count() const noexcept { return orders_.size(); }
  [[nodiscard]] std::size_t seller_count() const noexcept { return seller_ids_.size(); }
  [[nodiscard]] std::string_view seller_id(seller_index s) const noexcept { return seller_ids_.at(s); }
  [[nodiscard]] std::optional<seller_index> find_seller(std::string_view id) const noexcept {
    return seller_ids_.find(id);
  }
  [[nodiscard]] bool contains(std::string_view order) const noexcept { return orders_.find(order).has_value(); }
  /// The order's lifecycle as recorded so far, if it was placed. The view is valid until the next
  /// event is recorded.
  [[nodiscard]] std::optional<order_view> order(std::string_view id) const noexcept {
    const auto found = orders_.find(id);
    return found ? std::optional{order_view{orders_[*found]}} : std::nullopt;
  }
  /// The seller an order belongs to.
  [[nodiscard]] std::optional<seller_index> seller_of(std::string_view order) const noexcept {
    const auto found = orders_.find(order);
    return found ? std::optional{orders_[*found].seller} : std::nullopt;
  }

  /// The earliest day `evaluate<P>` accepts (the horizon); `today()` is the latest.
  template <rate_policy P>
  [[nodiscard]] local_day earliest_evaluable_day() const noexcept {
    return current_day() -
           std::chrono::days{static_cast<int>(day_counts_.ring_days()) - window_spec{P::window}.max_span()};
  }

  /// Policy `P` for one seller at the end of `day`. A seller the ledger has never seen has no
  /// orders (status NONE). Throws `sellerhealth::error` for a day after `today()` or one whose
  /// window reaches past the horizon.
  template <rate_policy P>
  [[nodiscard]] metric_result evaluate(std::string_view seller, local_day day) const {
    const auto s = seller_ids_.find(seller);
    return s ? evaluate<P>(*s, day) : evaluate_unknown<P>(day);
  }

  template <rate_policy P>
  [[nodiscard]] metric_result evaluate(seller_index seller, local_day day) const {
    static_assert(detail::is_one_of_v<P, Rules...>, "evaluate<P>: P is not one of this ledger's policies");
    const day_range period = window_spec{P::window}.period(day);
    if (!started_ || seller >= seller_count()) return evaluate_unknown<P>(day);
    check_evaluable(period, day);
    return make_result<P>(period, day_counts_.sum(seller, detail::index_of_v<typename P::measure, measures>, period));
  }

  /// Just the counts of every rate policy's window ending at `day` (no judgement): what a daily
  /// series or a merge of shards needs.
  [[nodiscard]] std::array<rate, policy_count> counts_all(seller_index seller, local_day day) const {
    return counts_list(rate_policies{}, seller, day);
  }

  /// Every rate policy of the ledger, in template order.
  [[nodiscard]] std::array<metric_result, policy_count> evaluate_all(seller_index seller, local_day day) const {
    return evaluate_list(rate_policies{}, seller, day);
  }

  /// `evaluate_all` with each result's `clears_on` filled, as `clears_on_all(seller,
  /// how.daily_good_orders, how.within_days)` gives it: one projection for every metric, run only
  /// when one is BAD. The projection starts from today, so for an earlier `day` every `clears_on`
  /// stays empty.
  [[nodiscard]] std::array<metric_result, policy_count> evaluate_all(seller_index seller, local_day day,
                                                                     with_clears_on how) const {
    auto out = evaluate_all(seller, day);
    if (!started_ || day != current_day()) return out;
    const auto cleared = clears_on_all(seller, how.daily_good_orders, how.within_days);
    for (std::size_t i = 0; i < policy_count; ++i) out[i].clears_on = cleared[i];
    return out;
  }

  // ---- what if -------------------------------------------------------------------------------

  /// A ledger of the same type holding one seller as it stands: its day buckets, its penalty
  /// history, and its orders whose answer can still change with no new event (open orders whose
  /// deadline is ahead), plus the orders named in `also`. Record hypothetical events on the slice
  /// and advance its clock to see the future; this ledger is not touched (the function is
  /// `const`). Events for the seller's other orders are unknown to the slice, and it cannot tell
  /// a hypothetical new order id from a real one it did not copy. Cost: proportional to the
  /// orders awaiting a re-judgement across the ledger, not to its history.
  [[nodiscard]] ledger slice(seller_index seller, std::span<const std::string_view> also = {}) const {
    return detail::ledger_projection<ledger>::slice(*this, seller, also);
  }

  /// The first day after today on which policy `P`, BAD today, is no longer BAD if nothing else
  /// happens (bad orders age out of the window; open orders keep going late, and the platform
  /// cancels those never confirmed when the ledger's PFCR policy says, `predicts_auto_cancel`),
  /// or with `daily_good_orders` more orders a day, each placed and shipped on time. Empty when
  /// `P` is not BAD today, or when it is still BAD after `within_days` days.
  template <rate_policy P>
  [[nodiscard]] std::optional<local_day> clears_on(seller_index seller, std::uint32_t daily_good_orders = 0,
                                                   int within_days = 366) const {
    return clears_on_all(seller, daily_good_orders, within_days)[detail::index_of_v<P, rate_policies>];
  }

  /// `clears_on` for every rate policy at once (one projection), in `rate_policies` order.
  [[nodiscard]] std::array<std::optional<local_day>, policy_count> clears_on_all(seller_index seller,
                                                                                 std::uint32_t daily_good_orders = 0,
                                                                                 int within_days = 366) const {
    return detail::ledger_projection<ledger>::clears_on_all(*this, seller, daily_good_orders, within_days);
  }

  /// Records the `n`th hypothetical order of `day` for a seller, one that ships on time (placed
  /// 09:00, shipped 10:00, due by the end of the day), for projections that assume a steady order
  /// volume. Its id starts with a control character, so it never collides with an id read from
  /// the CSV, which rejects control characters in ids.
  void record_assumed_order(seller_index seller, local_day day, std::uint32_t n) {
    const std::string id =
        "\x01assumed-" + std::string(seller_ids_.at(seller)) + "-" + format_day(day) + "-" + std::to_string(n);
    const sys_seconds at = Zone::start_of(day) + std::chrono::hours{9};
    const sys_seconds due = Zone::start_of(day + std::chrono::days{1}) - std::chrono::seconds{1};
    record(placed{.order = id, .seller = seller_ids_.at(seller), .at = at, .ship_by = due});
    record(shipped{.order = id, .at = at + std::chrono::hours{1}});
  }

  // ---- penalty rules ------------------------------------------------------------------------

  /// Every evaluation of rule `R` for a seller on days up to `up_to`, oldest first: one per
  /// evaluation day the ledger's clock has passed since its first event (a seller seen later
  /// gets 0/0 and no penalty for the days before). Each judges its period as it stood at the end
  /// of the period's last day; an out-of-order event that happened before an evaluation day
  /// amends that evaluation (and the tiers that depend on it).
  template <penalty_rule R>
  [[nodiscard]] std::vector<penalty_evaluation<typename R::tier>> penalty_history(seller_index seller,
                                                                                  local_day up_to) const {
    static_assert(detail::is_one_of_v<R, Rules...>, "penalty_history<R>: R is not one of this ledger's rules");
    return penalties_.template history_of<R>(seller < seller_count() ? std::optional{seller} : std::nullopt, up_to);
  }
  template <penalty_rule R>
  [[nodiscard]] std::vector<penalty_evaluation<typename R::tier>> penalty_history(std::string_view seller,
                                                                                  local_day up_to) const {
    return penalty_history<R>(index_or_unknown(seller), up_to);
  }

  /// The next evaluation of rule `R` after today if nothing else happens: the tier the period's
  /// counts so far would earn, and how many more of the orders already counted could be
  /// cancelled before each worse tier that cancellations can still reach.
  template <penalty_rule R>
  [[nodiscard]] penalty_projection<typename R::tier> next_penalty(seller_index seller) const {
    static_assert(detail::is_one_of_v<R, Rules...>, "next_penalty<R>: R is not one of this ledger's rules");
    const bool known = started_ && seller < seller_count();
    return penalties_.template next_of<R>(known ? std::optional{seller} : std::nullopt, current_day(), sum_of());
  }

  // ---- naming a seller by id --------------------------------------------------------------------
  //
  // Every query that takes a seller takes its `seller_index` (from `find_seller` or `seller_of`)
  // or its id. An id the ledger has never seen answers as an index it has never given out: no
  // orders (status NONE, zero counts), no `clears_on`, an empty slice, a history of 0/0
  // evaluations. `evaluate<P>` and `penalty_history<R>` take both above.

  [[nodiscard]] std::array<rate, policy_count> counts_all(std::string_view seller, local_day day) const {
    return counts_all(index_or_unknown(seller), day);
  }
  [[nodiscard]] std::array<metric_result, policy_count> evaluate_all(std::string_view seller, local_day day) const {
    return evaluate_all(index_or_unknown(seller), day);
  }
  [[nodiscard]] std::array<metric_result, policy_count> evaluate_all(std::string_view seller, local_day day,
                                                                     with_clears_on how) const {
    return evaluate_all(index_or_unknown(seller), day, how);
  }
  [[nodiscard]] ledger slice(std::string_view seller, std::span<const std::string_view> also = {}) const {
    return slice(index_or_unknown(seller), also);
  }
  template <rate_policy P>
  [[nodiscard]] std::optional<local_day> clears_on(std::string_view seller, std::uint32_t daily_good_orders = 0,
                                                   int within_days = 366) const {
    return clears_on<P>(index_or_unknown(seller), daily_good_orders, within_days);
  }
  [[nodiscard]] std::array<std::optional<local_day>, policy_count> clears_on_all(std::string_view seller,
                                                                                 std::uint32_t daily_good_orders = 0,
                                                                                 int within_days = 366) const {
    return clears_on_all(index_or_unknown(seller), daily_good_orders, within_days);
  }
  template <penalty_rule R>
  [[nodiscard]] penalty_projection<typename R::tier> next_penalty(std::string_view seller) const {
    return next_penalty<R>(index_or_unknown(seller));
  }

  /// Room for `orders` orders (and their ids, at `id_characters` each on average, and notes of
  /// cancellations and refunds for one order in eight) without growing: a replay that knows its
  /// size skips every rehash and copy on the way.
  void reserve(std::size_t orders, std::size_t id_characters = 12) { orders_.reserve(orders, orders * id_characters); }

  // ---- snapshots ----------------------------------------------------------------------------

  /// The snapshot format this library writes and reads (README, "Snapshots").
  static constexpr std::uint32_t snapshot_version = 1;

  /// The whole ledger as bytes: options, clock, sellers, every order with its notes, and every
  /// penalty evaluation. Day buckets and the re-judgement schedule are not saved: `restore`
  /// derives them again from the orders, so they cannot disagree with them.
  [[nodiscard]] std::vector<std::byte> save() const {
    const ledger* self = this;
    return detail::ledger_snapshot<ledger>::save(std::span<const ledger* const>(&self, 1));
  }

  /// A ledger from `save`'s bytes that answers every question as the saved one did and goes on
  /// identically. Throws `snapshot_error` (naming what is wrong and at which byte) for a
  /// truncated, corrupted or inconsistent snapshot, another format version, or one saved by a
  /// ledger with another zone or other rules; it never reads outside `bytes`.
  [[nodiscard]] static ledger restore(std::span<const std::byte> bytes) {
    return detail::ledger_snapshot<ledger>::restore(bytes);
  }

  /// `save()` written to `file` safely: to a new file in the same directory, flushed to the disk,
  /// then renamed over `file`. Throws `sellerhealth::error` naming `file`, the step and the
  /// system's reason ("No such file or directory"); then `file` is as it was and no temporary
  /// file is left (detail/snapshot_file.hpp).
  void save_to_file(const std::filesystem::path& file) const { detail::replace_file_atomically(file, save()); }

  /// `restore` of the bytes in `file`. Throws `snapshot_error` naming `file`: one that is missing
  /// or unreadable (with the system's reason), and every error `restore` names.
  [[nodiscard]] static ledger restore_from_file(const std::filesystem::path& file) {
    return detail::restore_snapshot_file(file, [](std::span<const std::byte> bytes) { return restore(bytes); });
  }

  /// Bytes held by the ledger's containers (capacity, not size), for memory budgets.
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    return orders_.memory_bytes() + seller_ids_.memory_bytes() + day_counts_.memory_bytes() + schedule_.memory_bytes();
  }

 private:
  /// The seller's index, or one past the last for an id never seen: every query answers such an
  /// index as a seller with no orders.
  [[nodiscard]] seller_index index_or_unknown(std::string_view seller) const noexcept {
    const auto s = seller_ids_.find(seller);
    return s ? *s : static_cast<seller_index>(seller_count());
  }

  using classifications = std::array<classification, measure_count>;
  using all_rules = detail::type_list<Rules...>;  // in template order, as a snapshot names them

  using penalty_book = detail::penalty_evaluations<Zone, measures, penalty_rules>;

  /// The platform's automatic cancellations as projections predict them, from the rate policy
  /// that `predicts_auto_cancel` (none: nothing predicted).
  using auto_cancels = detail::auto_cancel_projection<Zone, detail::auto_cancel_policy_t<Zone, rate_policies>>;
  using predicted_cancellations = typename auto_cancels::predicted;
  [[nodiscard]] predicted_cancellations predicted_auto_cancellations() const {
    return auto_cancels::predict(orders_, current_day());
  }

  template <class... Ps>
  [[nodiscard]] std::array<metric_result, sizeof...(Ps)> evaluate_list(detail::type_list<Ps...>, seller_index seller,
                                                                       local_day day) const {
    return {evaluate<Ps>(seller, day)...};
  }
  template <class... Ps>
  [[nodiscard]] std::array<rate, sizeof...(Ps)> counts_list(detail::type_list<Ps...>, seller_index seller,
                                                            local_day day) const {
    if (!started_ || seller >= seller_count()) return {};
    const auto one = [&]<class P>() {
      const day_range period = window_spec{P::window}.period(day);
      check_evaluable(period, day);
      return day_counts_.sum(seller, detail::index_of_v<typename P::measure, measures>, period);
    };
    return {one.template operator()<Ps>()...};
  }

  template <rate_policy P>
  [[nodiscard]] metric_result evaluate_unknown(local_day day) const {
    const day_range period = window_spec{P::window}.period(day);
    if (started_) check_evaluable(period, day);
    return make_result<P>(period, {});
  }

  void check_evaluable(const day_range& period, local_day day) const {
    if (day > current_day())
      throw error("sellerhealth: cannot evaluate " + format_day(day) + ", after the ledger's today " +
                  format_day(current_day()) + "; advance_to it first");
    const local_day oldest = day_counts_.oldest_day();
    if (period.from < oldest)
      throw error("sellerhealth: the window " + format_day(period.from) + ".." + format_day(period.to) +
                  " reaches past the ledger's horizon (oldest day kept: " + format_day(oldest) + ")");
  }

  // ---- event handlers: validate everything, then commit -------------------------------------

  /// `try_record` with the order id's `hash_bytes` already computed.
  [[nodiscard]] std::optional<rejection> record_hashed(const event& e, std::uint64_t id_hash) {
    return std::visit([this, id_hash](const auto& x) { return this->on(x, id_hash); }, e);
  }

  using checks = detail::event_checks<ledger>;  // the checks every event kind shares
  using look_ahead = detail::ledger_look_ahead<ledger>;

  [[nodiscard]] std::optional<rejection> on(const placed& e, std::uint64_t id_hash) {
    const auto order = detail::quoted_id{e.order};  // spelled out only in a rejection message
    if (e.order.empty()) return rejection{rejection_code::invalid_event, "placed: empty order id"};
    if (e.seller.empty())
      return rejection{rejection_code::invalid_event, "order '" + order + "': placed without a seller"};
    if (e.quantity == 0) return rejection{rejection_code::invalid_event, "order '" + order + "': placed with 0 units"};
    if (const auto existing = orders_.find(e.order, id_hash)) return checks::placed_again(*this, e, *existing);
    if (auto bad = checks::check_time(*this, e.order, e.at)) return bad;
    if (!in_supported_range(e.ship_by))
      return rejection{rejection_code::out_of_range, "order '" + order + "': ship_by outside 0001-9999"};
    const std::int64_t ship_by_offset = (e.ship_by - e.at).count();
    if (ship_by_offset < INT32_MIN || ship_by_offset > INT32_MAX)
      return rejection{rejection_code::out_of_range,
                       "order '" + order + "': ship_by more than 68 years from placement"};
    if (orders_.size() >= detail::order_table::max_size)
      return rejection{rejection_code::out_of_range, "order '" + order + "': the ledger holds 2^32 - 2 orders already"};

    advance_clock(Zone::day_of(e.at));
    const seller_index seller = intern_seller(e.seller);
    detail::order_record r{};
    r.placed_at = e.at.time_since_epoch().count();
    r.ship_by_offset = static_cast<std::int32_t>(ship_by_offset);
    r.seller = seller;
    r.quantity = e.quantity;
    r.set(detail::platform_fulfilled, e.channel == fulfilment::platform);
    const std::uint32_t index = orders_.add(e.order, id_hash, r);
    penalties_.amend(seller, nullptr, r, e.at, classify_measures);
    rejudge(index, classifications{}, current_day());
    return std::nullopt;
  }

  [[nodiscard]] std::optional<rejection> on(const shipped& e, std::uint64_t id_hash) {
    std::uint32_t index = 0, offset = 0;
    bool duplicate = false;
    if (auto bad = checks::locate(*this, e.order, id_hash, e.seller, e.at, index, offset, duplicate,
                                  [](const detail::order_record& r, std::uint32_t t) { return r.shipped_after == t; }))
      return bad;
    if (duplicate) return std::nullopt;
    const detail::order_record& r = orders_[index];
    if (r.shipped_after != detail::no_time)
      return rejection{rejection_code::already_shipped, "order '" + std::string(e.order) + "' was already shipped at " +
                                                            at_text(r, r.shipped_after) + ", not at " +
                                                            format_local<Zone>(e.at)};
    if (r.cancelled_units == r.quantity)
      return rejection{rejection_code::fully_cancelled, "order '" + std::string(e.order) + "' is fully cancelled (at " +
                                                            at_text(r, r.last_cancel_after) + "); it cannot ship"};
    if (r.last_cancel_after != detail::no_time && r.last_cancel_after > offset)
      return rejection{rejection_code::shipped_order, "order '" + std::string(e.order) + "' has a cancellation at " +
                                                          at_text(r, r.last_cancel_after) + ", after this shipment"};
    detail::order_record next = r;
    next.shipped_after = offset;
    commit(index, next, e.at);
    return std::nullopt;
  }

  [[nodiscard]] std::optional<rejection> on(const cancel_requested& e, std::uint64_t id_hash) {
    std::uint32_t index = 0, offset = 0;
    bool duplicate = false;
    if (auto bad =
            checks::locate(*this, e.order, id_hash, e.seller, e.at, index, offset, duplicate,
                           [](const detail::order_record& r, std::uint32_t t) { return r.first_request_after == t; }))
      return bad;
    if (duplicate) return std::nullopt;
    detail::order_record next = orders_[index];
    if (offset < next.first_request_after) {
      next.first_request_after = offset;
      // A seller cancel already recorded at this very second came first.
      if (offset == next.first_seller_cancel_after) next.set(detail::request_first_at_tie, false);
    }
    commit(index, next, e.at);
    return std::nullopt;
  }

  [[nodiscard]] std::optional<rejection> on(const cancelled& e, std::uint64_t id_hash) {
    std::uint32_t index = 0, offset = 0;
    bool duplicate = false;
    const auto by = static_cast<std::uint8_t>(e.by);
    if (auto bad = checks::locate(*this, e.order, id_hash, e.seller, e.at, index, offset, duplicate,
                                  [&](const detail::order_record& r, std::uint32_t t) {
                                    return orders_.delivered_before(r, index, detail::note_kind::cancel, t, e.units,
                                                                    by);
                                  }))
      return bad;
    if (duplicate) return std::nullopt;
    const detail::order_record& r = orders_[index];
    const auto order = detail::quoted_id{e.order};  // spelled out only in a rejection message
    if (r.shipped_after != detail::no_time && r.shipped_after <= offset)
      return rejection{rejection_code::shipped_order, "order '" + order + "' was shipped at " +
                                                          at_text(r, r.shipped_after) +
                                                          "; a decision not to ship after that is a refund"};
    const std::uint32_t open = r.quantity - r.cancelled_units - r.refunded_units;
    if (r.cancelled_units == r.quantity)
      return rejection{rejection_code::fully_cancelled, "order '" + order + "' is already fully cancelled"};
    const std::uint32_t units = e.units.value_or(open);
    if (units == 0) return rejection{rejection_code::invalid_event, "order '" + order + "': cancels 0 units"};
    if (units > open)
      return rejection{rejection_code::too_many_units, "order '" + order + "': cancels " + std::to_string(units) +
                                                           " units but only " + std::to_string(open) + " remain open"};
    // A shipment on record (later than this cancel, or it would have failed above) shipped at
    // least one unit: whatever arrival order, every unit cannot have been cancelled before it.
    if (r.shipped_after != detail::no_time && r.cancelled_units + units == r.quantity)
      return rejection{rejection_code::shipped_order, "order '" + order + "' was shipped at " +
                                                          at_text(r, r.shipped_after) +
                                                          "; a cancellation before it cannot cancel every unit"};
    detail::order_record next = r;
    next.cancelled_units += units;
    if (next.last_cancel_after == detail::no_time || offset > next.last_cancel_after) next.last_cancel_after = offset;
    if (e.by == actor::seller && offset < next.first_seller_cancel_after) {
      next.first_seller_cancel_after = offset;
      if (offset == next.first_request_after) next.set(detail::request_first_at_tie, true);
    }
    if (e.by == actor::platform && offset < next.first_platform_cancel_after) next.first_platform_cancel_after = offset;
    orders_.add_note(next,
                     {index, offset, detail::order_table::units_in_note(e.units), 0, detail::note_kind::cancel, by});
    commit(index, next, e.at);
    return std::nullopt;
  }

  [[nodiscard]] std::optional<rejection> on(const ship_by_changed& e, std::uint64_t id_hash) {
    std::uint32_t index = 0, offset = 0;
    bool duplicate = false;
    if (auto bad = checks::locate(*this, e.order, id_hash, e.seller, e.at, index, offset, duplicate,
                                  [&](const detail::order_record& r, std::uint32_t t) {
                                    return r.ship_by_changed_after == t && in_supported_range(e.ship_by) &&
                                           e.ship_by ==
                                               order_view{r}.placed_at() + std::chrono::seconds{r.ship_by_offset};
                                  }))
      return bad;
    if (duplicate) return std::nullopt;
    const detail::order_record& r = orders_[index];
    if (!in_supported_range(e.ship_by))
      return rejection{rejection_code::out_of_range, "order '" + std::string(e.order) + "': ship_by outside 0001-9999"};
    const std::int64_t ship_by_offset = (e.ship_by - order_view{r}.placed_at()).count();
    if (ship_by_offset < INT32_MIN || ship_by_offset > INT32_MAX)
      return rejection{rejection_code::out_of_range,
                       "order '" + std::string(e.order) + "': ship_by more than 68 years from placement"};
    detail::order_record next = r;
    // The deadline the order was placed with, kept so that a redelivered `placed` is recognised.
    if (next.ship_by_changed_after == detail::no_time)
      orders_.add_note(
          next, {index, static_cast<std::uint32_t>(next.ship_by_offset), 0, 0, detail::note_kind::placed_ship_by, 0});
    // The latest change wins; one that arrives after a later change is superseded by it.
    if (next.ship_by_changed_after == detail::no_time || offset >= next.ship_by_changed_after) {
      next.ship_by_offset = static_cast<std::int32_t>(ship_by_offset);
      next.ship_by_changed_after = offset;
    }
    commit(index, next, e.at);
    return std::nullopt;
  }

  [[nodiscard]] std::optional<rejection> on(const exempted& e, std::uint64_t id_hash) {
    std::uint32_t index = 0, offset = 0;
    bool duplicate = false;
    if (auto bad = checks::locate(*this, e.order, id_hash, e.seller, e.at, index, offset, duplicate,
                                  [&](const detail::order_record& r, std::uint32_t t) {
                                    return (e.metric == exempt_from::late || r.exempt_cancel_after == t) &&
                                           (e.metric == exempt_from::cancel || r.exempt_late_after == t);
                                  }))
      return bad;
    if (duplicate) return std::nullopt;
    detail::order_record next = orders_[index];
    if (e.metric != exempt_from::late) next.exempt_cancel_after = std::min(next.exempt_cancel_after, offset);
    if (e.metric != exempt_from::cancel) next.exempt_late_after = std::min(next.exempt_late_after, offset);
    commit(index, next, e.at);
    return std::nullopt;
  }

  [[nodiscard]] std::optional<rejection> on(const refunded& e, std::uint64_t id_hash) {
    std::uint32_t index = 0, offset = 0;
    bool duplicate = false;
    if (auto bad = checks::locate(*this, e.order, id_hash, e.seller, e.at, index, offset, duplicate,
                                  [&](const detail::order_record& r, std::uint32_t t) {
                                    return orders_.delivered_before(r, index, detail::note_kind::refund, t, e.units, 0);
                                  }))
      return bad;
    if (duplicate) return std::nullopt;
    const detail::order_record& r = orders_[index];
    const auto order = detail::quoted_id{e.order};  // spelled out only in a rejection message
    if (r.shipped_after == detail::no_time || r.shipped_after > offset)
      return rejection{rejection_code::not_shipped,
                       "order '" + order + "' has not shipped by " + format_local<Zone>(e.at) + "; cancel it instead"};
    const std::uint32_t open = r.quantity - r.cancelled_units - r.refunded_units;
    const std::uint32_t units = e.units.value_or(open);
    if (open == 0)
      return rejection{rejection_code::too_many_units, "order '" + order + "': every shipped unit is refunded already"};
    if (units == 0) return rejection{rejection_code::invalid_event, "order '" + order + "': refunds 0 units"};
    if (units > open)
      return rejection{rejection_code::too_many_units, "order '" + order + "': refunds " + std::to_string(units) +
                                                           " units but only " + std::to_string(open) +
                                                           " are unrefunded"};
    detail::order_record next = r;
    next.refunded_units += units;
    orders_.add_note(next,
                     {index, offset, detail::order_table::units_in_note(e.units), 0, detail::note_kind::refund, 0});
    commit(index, next, e.at);
    return std::nullopt;
  }

  /// Fills the day buckets and the schedule from the orders, judged at today, as a ledger that
  /// recorded them would hold them: what a restore or a split derives instead of storing.
  void judge_every_order() {
    for (std::uint32_t i = 0; i < orders_.size(); ++i) rejudge(i, {}, current_day());
  }

  template <class>
  friend class sharded;
  friend class detail::ledger_snapshot<ledger>;
  friend struct detail::ledger_projection<ledger>;
  friend struct detail::event_checks<ledger>;
  friend struct detail::ledger_look_ahead<ledger>;

  [[nodiscard]] static std::string at_text(const detail::order_record& r, std::uint32_t offset) {
    return format_local<Zone>(order_view{r}.placed_at() + std::chrono::seconds{offset});
  }

  // ---- state changes ------------------------------------------------------------------------

  void commit(std::uint32_t index, const detail::order_record& next, sys_seconds at) {
    advance_clock(Zone::day_of(at));
    const classifications before = classify_all(orders_[index], current_day());
    penalties_.amend(next.seller, &orders_[index], next, at, classify_measures);
    orders_[index] = next;
    rejudge(index, before, current_day());
  }

  [[nodiscard]] static classifications classify_all(const detail::order_record& r, local_day day) noexcept {
    const as_of when = as_of::end_of<Zone>(day);
    return classify_each(order_view{r}, when, measures{});
  }
  template <class... Ms>
  [[nodiscard]] static classifications classify_each(const order_view& o, const as_of& when,
                                                     detail::type_list<Ms...>) noexcept {
    return {Ms::classify(o, when)...};
  }
  /// `classify_all` as an argument: a lambda, so that the call is inlined.
  static constexpr auto classify_measures = [](const detail::order_record& r, local_day day) noexcept {
    return classify_all(r, day);
  };

  /// Moves order `index`'s counts from `before` to what its measures say now, at `day`, and
  /// schedules the next day its answer may change.
  void rejudge(std::uint32_t index, const classifications& before, local_day day) {
    const detail::order_record& r = orders_[index];
    const classifications after = classify_all(r, day);
    std::optional<local_day> next_check;
    for (std::size_t m = 0; m < measure_count; ++m) {
      day_counts_.move_count(r.seller, m, rate_part::numerator, before[m].numerator, after[m].numerator);
      day_counts_.move_count(r.seller, m, rate_part::denominator, before[m].denominator, after[m].denominator);
      if (after[m].recheck && (!next_check || *after[m].recheck < *next_check)) next_check = after[m].recheck;
    }
    if (const auto due = auto_cancels::recheck_day(r, day); due && (!next_check || *due < *next_check))
      next_check = due;
    if (next_check) {
      assert(*next_check > day && "classification::recheck must be after the day judged");
      schedule_.add(current_day(), *next_check, index, r.seller);
    }
  }

  seller_index intern_seller(std::string_view id) {
    if (const auto s = seller_ids_.find(id)) return *s;
    // Grow geometrically (reserving just one more seller would copy every bucket each time), and
    // before anything changes, so a failed allocation leaves the ledger as it was.
    day_counts_.reserve(seller_count() + 1);
    penalties_.reserve_sellers(seller_count() + 1);
    const seller_index s = seller_ids_.insert(id);
    (void)day_counts_.add_key();  // key `s`: the window's keys are the sellers, in order
    penalties_.add_seller();
    return s;
  }

  /// Moves the clock to `day`, re-judging every order whose answer may change on the way and
  /// recording every penalty evaluation it passes.
  void advance_clock(local_day day) {
    if (!started_) {
      started_ = true;
      start_clock_at(day);
      penalties_.set_evaluated_through(day);  // the first evaluations are the ones after this day
      return;
    }
    while (const auto next = penalties_.next_evaluation_through(day)) {
      run_schedule_through(*next - std::chrono::days{1});
      penalties_.record(*next, seller_count(), sum_of());
    }
    run_schedule_through(day);
  }

  void run_schedule_through(local_day day) {
    while (const auto next = schedule_.next_due_day(current_day(), day)) {
      const local_day d = *next;
      day_counts_.advance_to(d);
      // The day's orders are taken out first: re-judging them schedules again, possibly into the
      // same ring slot (a day a ring ahead). Each order's buckets hold its answer for the day
      // before: it was constant until this day.
      // Loading the records and their sellers' buckets a few orders ahead overlaps the misses.
      const auto& due = schedule_.take_due(d);
      for (std::size_t i = 0; i < due.size(); ++i) {
        if (i + 8 < due.size()) __builtin_prefetch(&orders_[due[i + 8].index]);
        if (i + 3 < due.size()) look_ahead::day_cells_of(*this, orders_[due[i + 3].index]);
        rejudge(due[i].index, classify_all(orders_[due[i].index], d - std::chrono::days{1}), d);
      }
    }
    if (day > current_day()) day_counts_.advance_to(day);
  }

  /// `sum(seller, measure, days)`: the day counts' sums, for the penalty evaluations.
  [[nodiscard]] auto sum_of() const noexcept {
    return [this](seller_index s, std::size_t m, const day_range& days) { return day_counts_.sum(s, m, days); };
  }

  /// The day the clock stands on: the day counts' today (day 0 until the ledger starts).
  [[nodiscard]] local_day current_day() const noexcept { return day_counts_.today(); }
  /// Sets the clock of a ledger that holds no seller yet: at its first event or `advance_to`, or a
  /// fresh ledger that a restore, a split or a slice fills. Allocates nothing.
  void start_clock_at(local_day day) {
    assert(seller_count() == 0 && "the clock of a ledger with sellers only moves forward");
    day_counts_ = basic_rate_window<measure_count>(static_cast<int>(day_counts_.ring_days()), day);
  }

  static int checked_horizon(int horizon_days) {
    if (horizon_days < 0 || horizon_days > 3660)
      throw std::invalid_argument("sellerhealth::ledger: horizon_days must be within 0..3660");
    return horizon_days;
  }

  penalty_book penalties_;  // every penalty evaluation the clock has passed, per seller
  int horizon_days_;
  basic_rate_window<measure_count> day_counts_;  // per seller, the day buckets every window is summed from
  bool started_ = false;
  detail::order_table orders_;  // ids, records and notes, by order index
  detail::string_table seller_ids_;
  detail::rejudge_schedule schedule_;  // orders to re-judge on a later day with no event
};

}  // namespace sellerhealth
