// A marketplace book split into independent ledgers, one per thread, with merged answers.
//
// Every check the ledger makes on an event concerns one order (was it placed, shipped, by whom),
// so splitting orders by a hash of their id gives shards that can be fed on different threads with
// no locking, each exact on its own. A seller's orders are spread over the shards; its metrics are
// sums of the shards' counts (every count is additive), judged once merged. Penalty tiers are
// re-derived from the merged counts, oldest first, because a tier can depend on the one before.
//
//   sellerhealth::sharded<my_ledger> book(2);
//   book.advance_to(first_day);                        // start every shard on the same day
//   // thread i: for each event e with book.shard_of(order_of(e)) == i: book[i].record(e);
//   book.advance_to(as_of);
//   auto pfcr = book.evaluate<sellerhealth::amazon::pre_fulfillment_cancel_rate>("S1", as_of);
//
// Start every shard with `advance_to` on the first event's day before feeding them: a shard
// records penalty evaluations from its own first day, and merged histories line up only when
// all shards share it.
//
// Sellers are named by id in every query: each shard numbers the sellers it has seen in its own
// order, so a `seller_index` of one shard means nothing to the book. An id no shard has seen
// answers as it does in a ledger: a seller with no orders.
//
// `save()` writes the book as one ledger's snapshot and `restore(bytes, n)` spreads it over `n`
// shards (any `n`, whatever the saved book had), so a program can change its thread count between
// runs; `save_to_file(path)` and `restore_from_file(path, n)` do the same with a file.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "detail/ledger_projection.hpp"
#include "detail/ledger_snapshot.hpp"
#include "detail/schedule_by_seller.hpp"
#include "detail/snapshot_file.hpp"
#include "detail/string_table.hpp"
#include "detail/type_list.hpp"
#include "ledger.hpp"
#include "policy.hpp"

namespace sellerhealth {

template <class Ledger>
class sharded {
 public:
  static constexpr std::size_t policy_count = Ledger::policy_count;

  explicit sharded(std::size_t shards = 1, ledger_options options = {}) {
    if (shards == 0) throw std::invalid_argument("sellerhealth::sharded: at least one shard");
    shards_.reserve(shards);
    for (std::size_t i = 0; i < shards; ++i) shards_.emplace_back(options);
  }

  [[nodiscard]] std::size_t size() const noexcept { return shards_.size(); }
  [[nodiscard]] Ledger& operator[](std::size_t i) noexcept { return shards_[i]; }
  [[nodiscard]] const Ledger& operator[](std::size_t i) const noexcept { return shards_[i]; }

  /// The shard that holds an order: the same for every event of that order.
  [[nodiscard]] std::size_t shard_of(std::string_view order) const noexcept {
    return static_cast<std::size_t>((detail::hash_bytes(order) >> 32) % shards_.size());
  }

  /// Records an event in its order's shard (one thread; feed shards directly to use several).
  [[nodiscard]] std::optional<rejection> try_record(const event& e) {
    return shards_[shard_of(order_of(e))].try_record(e);
  }
  void record(const event& e) { shards_[shard_of(order_of(e))].record(e); }

  /// Moves every shard's clock to `day`.
  void advance_to(local_day day) {
    for (auto& s : shards_) s.advance_to(day);
  }

  /// The book as one ledger snapshot (`ledger::save`'s format): restorable into any number of
  /// shards, or into one plain ledger. The shards must have passed the same penalty evaluation
  /// days (advance them to one day first); their clocks may differ, and the snapshot takes the
  /// latest.
  [[nodiscard]] std::vector<std::byte> save() const {
    std::vector<const Ledger*> parts;
    for (const auto& s : shards_) parts.push_back(&s);
    return detail::ledger_snapshot<Ledger>::save(parts);
  }

  /// A book of `shards` shards from a snapshot (`ledger::restore`'s checks and errors). Orders go
  /// to the shard of their id; answers are the saved book's, whatever its shard count was.
  [[nodiscard]] static sharded restore(std::span<const std::byte> bytes, std::size_t shards) {
    const Ledger whole = Ledger::restore(bytes);
    sharded out(shards, ledger_options{whole.horizon_days()});
    out.shards_ = split(whole, shards, [&](std::string_view id) { return out.shard_of(id); });
    return out;
  }

  /// `save()` written to `file` as `ledger::save_to_file` writes it (a new file renamed over it).
  void save_to_file(const std::filesystem::path& file) const { detail::replace_file_atomically(file, save()); }

  /// `restore(bytes, shards)` of the bytes in `file`, with `ledger::restore_from_file`'s errors.
  [[nodiscard]] static sharded restore_from_file(const std::filesystem::path& file, std::size_t shards) {
    return detail::restore_snapshot_file(file,
                                         [&](std::span<const std::byte> bytes) { return restore(bytes, shards); });
  }

  /// Every seller any shard knows, sorted by id.
  [[nodiscard]] std::vector<std::string_view> sellers() const {
    std::vector<std::string_view> all;
    for (const auto& s : shards_)
      for (seller_index i = 0; i < s.seller_count(); ++i) all.push_back(s.seller_id(i));
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
  }

  template <rate_policy P>
  [[nodiscard]] metric_result evaluate(std::string_view seller, local_day day) const {
    rate sum{};
    day_range period = window_spec{P::window}.period(day);
    for (const auto& s : shards_) {
      const metric_result r = s.template evaluate<P>(seller, day);
      sum.numerator += r.counts.numerator;
      sum.denominator += r.counts.denominator;
      period = r.period;
    }
    return make_result<P>(period, sum);
  }

  [[nodiscard]] std::array<metric_result, policy_count> evaluate_all(std::string_view seller, local_day day) const {
    return evaluate_list(typename Ledger::rate_policies{}, seller, day);
  }

  /// `evaluate_all` with each result's `clears_on` filled from `clears_on_all` (as the ledger's
  /// overload: empty for a day before today).
  [[nodiscard]] std::array<metric_result, policy_count> evaluate_all(std::string_view seller, local_day day,
                                                                     with_clears_on how) const {
    auto out = evaluate_all(seller, day);
    if (shards_.front().today() != day) return out;
    const auto cleared = clears_on_all(seller, how.daily_good_orders, how.within_days);
    for (std::size_t i = 0; i < policy_count; ++i) out[i].clears_on = cleared[i];
    return out;
  }

  /// Every rate policy's counts of the window ending at `day`, summed over the shards.
  [[nodiscard]] std::array<rate, policy_count> counts_all(std::string_view seller, local_day day) const {
    std::array<rate, policy_count> sum{};
    for (const auto& s : shards_) {
      const auto part = s.counts_all(seller, day);
      for (std::size_t i = 0; i < policy_count; ++i) {
        sum[i].numerator += part[i].numerator;
        sum[i].denominator += part[i].denominator;
      }
    }
    return sum;
  }

  /// As `ledger::clears_on`: one policy of `clears_on_all`.
  template <rate_policy P>
  [[nodiscard]] std::optional<local_day> clears_on(std::string_view seller, std::uint32_t daily_good_orders = 0,
                                                   int within_days = 366) const {
    return clears_on_all(seller, daily_good_orders, within_days)[detail::index_of_v<P, typename Ledger::rate_policies>];
  }

  /// As `ledger::clears_on_all`, projected on every shard's slice of the seller together.
  /// `grouped` (internal: the report's, for many sellers of one unchanged book) holds each
  /// shard's `ledger_projection::group_schedule`.
  [[nodiscard]] std::array<std::optional<local_day>, policy_count> clears_on_all(
      std::string_view seller, std::uint32_t daily_good_orders = 0, int within_days = 366,
      const std::vector<detail::schedule_by_seller>* grouped = nullptr) const {
    const auto today = shards_.front().today();
    if (!today) return {};
    std::vector<Ledger> future;  // every shard's slice of the seller, made once something is BAD
    std::vector<typename Ledger::predicted_cancellations> platform_cancels;  // per slice
    return detail::clearing_days(evaluate_all(seller, *today), *today, within_days, [&](local_day day) {
      if (future.empty())
        for (std::size_t j = 0; j < shards_.size(); ++j)
          if (const auto i = shards_[j].find_seller(seller)) {
            future.push_back(
                detail::ledger_projection<Ledger>::slice(shards_[j], *i, {}, grouped ? &(*grouped)[j] : nullptr));
            platform_cancels.push_back(future.back().predicted_auto_cancellations());
          }
      for (std::size_t k = 0; k < future.size(); ++k) {
        platform_cancels[k].record_through(future[k], day);
        future[k].advance_to(day);
      }
      for (std::uint32_t k = 0; k < daily_good_orders; ++k) future.front().record_assumed_order(0, day, k);
      return merged_list(typename Ledger::rate_policies{}, future, day);
    });
  }

  /// Every evaluation of rule `R` for a seller up to `up_to`: counts summed over the shards,
  /// tiers derived again from the sums, oldest first.
  template <penalty_rule R>
  [[nodiscard]] std::vector<penalty_evaluation<typename R::tier>> penalty_history(std::string_view seller,
                                                                                  local_day up_to) const {
    auto merged = shards_.front().template penalty_history<R>(seller, up_to);
    for (std::size_t k = 1; k < shards_.size(); ++k) {
      const auto more = shards_[k].template penalty_history<R>(seller, up_to);
      if (more.size() != merged.size())
        throw error("sellerhealth::sharded: shards passed different evaluation days; start them on the same day");
      for (std::size_t i = 0; i < merged.size(); ++i) {
        merged[i].counts.numerator += more[i].counts.numerator;
        merged[i].counts.denominator += more[i].counts.denominator;
      }
    }
    typename R::tier previous{};
    for (auto& e : merged) previous = e.tier = R::tier_of(e.counts, previous);
    return merged;
  }

  /// As `ledger::next_penalty`, from the merged counts so far and the merged previous tier.
  template <penalty_rule R>
  [[nodiscard]] penalty_projection<typename R::tier> next_penalty(std::string_view seller) const {
    const auto today = shards_.front().today();
    const local_day day = today ? *today : local_day{};
    const auto history = penalty_history<R>(seller, day);
    rate counts{};
    local_day evaluated_on{};
    day_range period{};
    for (const auto& s : shards_) {
      const auto i = s.find_seller(seller);
      const auto p = s.template next_penalty<R>(i ? *i : static_cast<seller_index>(s.seller_count()));
      counts.numerator += p.counts.numerator;
      counts.denominator += p.counts.denominator;
      evaluated_on = p.evaluated_on;
      period = p.period;
    }
    return project_penalty<R>(evaluated_on, period, counts, history.empty() ? typename R::tier{} : history.back().tier);
  }

 private:
  /// Spreads a whole ledger's orders over `n` ledgers by `shard_of(order id)`. The first holds
  /// every seller and the whole's evaluation counts, the others zeros; the shards' sums are the
  /// whole's, and stay exact as later amendments move counts in any shard (unsigned sums wrap
  /// back), which is all this class reads. (A friend of the ledger: it fills the shards' state.)
  template <class ShardOf>
  static std::vector<Ledger> split(const Ledger& whole, std::size_t n, ShardOf shard_of) {
    std::vector<Ledger> parts;
    parts.reserve(n);
    for (std::size_t k = 0; k < n; ++k) {
      Ledger& part = parts.emplace_back(ledger_options{whole.horizon_days_});
      part.started_ = whole.started_;
      part.start_clock_at(whole.current_day());
      part.penalties_.copy_clock_from(whole.penalties_);
    }
    for (seller_index s = 0; s < whole.seller_count(); ++s) {
      const seller_index t = parts[0].intern_seller(whole.seller_ids_.at(s));
      parts[0].penalties_.copy_seller(t, whole.penalties_, s);
    }
    for (std::uint32_t i = 0; i < whole.orders_.size(); ++i) {
      Ledger& part = parts[shard_of(whole.orders_.id(i))];
      whole.orders_.copy_to(part.orders_, i, part.intern_seller(whole.seller_ids_.at(whole.orders_[i].seller)));
    }
    for (Ledger& part : parts) part.judge_every_order();
    return parts;
  }

  template <class... Ps>
  [[nodiscard]] std::array<metric_result, sizeof...(Ps)> evaluate_list(detail::type_list<Ps...>,
                                                                       std::string_view seller, local_day day) const {
    return {evaluate<Ps>(seller, day)...};
  }

  /// Every rate policy summed over ledgers that each hold one seller at index 0 (slices).
  template <class... Ps>
  [[nodiscard]] static std::array<metric_result, sizeof...(Ps)> merged_list(detail::type_list<Ps...>,
                                                                            const std::vector<Ledger>& parts,
                                                                            local_day day) {
    const auto one = [&]<class P>() {
      rate sum{};
      for (const auto& part : parts) {
        const metric_result r = part.template evaluate<P>(seller_index{0}, day);
        sum.numerator += r.counts.numerator;
        sum.denominator += r.counts.denominator;
      }
      return make_result<P>(window_spec{P::window}.period(day), sum);
    };
    return {one.template operator()<Ps>()...};
  }

  std::vector<Ledger> shards_;
};

}  // namespace sellerhealth
