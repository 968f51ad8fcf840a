// The ledger's penalty history: every evaluation of its penalty rules (policy.hpp, `penalty_rule`)
// that the clock has passed, per seller, with the counts the judged period held and the tier
// they earned.
//
// Why it is kept, not recomputed. A penalty rule judges a calendar period on a fixed day, and a
// tier may depend on the previous evaluation's tier (Qoo10: two bad quarters in a row), so the
// history is a chain that a later question cannot rebuild from the day buckets alone: a month
// judged last quarter has left the buckets' ring. The ledger records each evaluation as its clock
// passes the day (`record`), from the counts of the period as it stood at the end of its last day.
//
// Late events. An event that happened before an evaluation day but arrived after it changes what
// that evaluation should have seen: `amend` moves the order's counts in every evaluation from
// there on and re-derives their tiers, oldest first. A seller first seen after some evaluations
// gets 0/0 and no penalty for them (`add_seller`).
//
// With no penalty rules every member does nothing and holds nothing per seller. Memory: per
// seller and evaluation one 48-byte entry.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "../calendar.hpp"
#include "../policy.hpp"
#include "../rate.hpp"
#include "order_record.hpp"
#include "type_list.hpp"

namespace sellerhealth::detail {

/// The evaluations of the rules `PenaltyRules` (a `type_list`) whose measures are indices into
/// `Measures` (a `type_list`), on days of zone `Zone`, per seller index.
template <zone Zone, class Measures, class PenaltyRules>
class penalty_evaluations {
 public:
  static constexpr std::size_t rule_count = PenaltyRules::size;

  /// One evaluation of one rule for one seller.
  struct stored {
    local_day evaluated_on;
    day_range period;
    rate counts;
    std::uint8_t rule;  // index into PenaltyRules
    std::uint8_t tier;
  };

 private:
  // Per penalty rule, by index: what it measures, what it judges on a day, how it tiers.
  template <class... Rs>
  static constexpr auto rule_table(type_list<Rs...>) noexcept {
    struct entry {
      std::size_t measure;
      std::optional<day_range> (*judged_period)(local_day) noexcept;
      local_day (*next_evaluation_after)(local_day) noexcept;
      std::uint8_t (*tier_of)(const rate&, std::uint8_t) noexcept;
    };
    return std::array<entry, sizeof...(Rs)>{
        entry{index_of_v<typename Rs::measure, Measures>,
              [](local_day d) noexcept -> std::optional<day_range> { return Rs::judged_period(d); },
              [](local_day d) noexcept -> local_day { return Rs::next_evaluation_after(d); },
              [](const rate& r, std::uint8_t previous) noexcept -> std::uint8_t {
                return static_cast<std::uint8_t>(Rs::tier_of(r, static_cast<typename Rs::tier>(previous)));
              }}...};
  }

 public:
  static constexpr auto rules = rule_table(PenaltyRules{});

  // ---- the evaluation clock -------------------------------------------------------------------

  /// The last evaluation day recorded, or the ledger's first day (evaluations come after it).
  [[nodiscard]] local_day evaluated_through() const noexcept { return evaluated_through_; }
  void set_evaluated_through(local_day day) noexcept { evaluated_through_ = day; }
  /// Every evaluation so far as (rule, day), in day order: the same for every seller.
  [[nodiscard]] const std::vector<std::pair<std::uint8_t, local_day>>& evaluation_days() const noexcept {
    return evaluation_days_;
  }
  /// The clock and the evaluation days of `other` (for a slice or a shard of its ledger).
  void copy_clock_from(const penalty_evaluations& other) {
    evaluated_through_ = other.evaluated_through_;
    evaluation_days_ = other.evaluation_days_;
  }

  /// The first evaluation day after the last one recorded, if it is on or before `day`.
  [[nodiscard]] std::optional<local_day> next_evaluation_through(local_day day) const noexcept {
    if constexpr (rule_count == 0) {
      return std::nullopt;
    } else {
      local_day next = rules[0].next_evaluation_after(evaluated_through_);
      for (const auto& r : rules) next = std::min(next, r.next_evaluation_after(evaluated_through_));
      return next <= day ? std::optional{next} : std::nullopt;
    }
  }

  /// Records every rule judging on `day` for sellers `0 .. sellers - 1`, with the counts
  /// `sum(seller, measure, period)` gives (the clock stands at the end of `day - 1`: the period is
  /// judged as it stood when it closed); `day` becomes `evaluated_through()`.
  template <class Sum>
  void record(local_day day, std::size_t sellers, Sum sum) {
    for (std::size_t r = 0; r < rules.size(); ++r) {
      const auto period = rules[r].judged_period(day);
      if (!period) continue;
      const auto rule = static_cast<std::uint8_t>(r);
      evaluation_days_.push_back({rule, day});
      for (std::uint32_t s = 0; s < sellers; ++s) {
        const rate counts = sum(s, rules[r].measure, *period);
        history_[s].push_back({day, *period, counts, rule, rules[r].tier_of(counts, last_tier(s, rule))});
      }
    }
    evaluated_through_ = day;
  }

  // ---- sellers ----------------------------------------------------------------------------------

  /// Room for `sellers` sellers, growing geometrically; before the ledger changes anything.
  void reserve_sellers(std::size_t sellers) {
    if constexpr (rule_count > 0)
      if (sellers > history_.capacity()) history_.reserve(std::max(sellers, history_.capacity() * 2));
  }
  /// The next seller index: no orders at the evaluations before it appeared, so 0/0, no penalty.
  void add_seller() {
    if constexpr (rule_count > 0) {
      const auto s = static_cast<std::uint32_t>(history_.size());
      auto& h = history_.emplace_back();
      for (const auto& [rule, day] : evaluation_days_)
        h.push_back({day, *rules[rule].judged_period(day), {}, rule, rules[rule].tier_of({}, last_tier(s, rule))});
    }
  }
  /// The next seller index, with seller `s` of `other`'s evaluations (a slice of one seller).
  void add_seller_copied_from(const penalty_evaluations& other, std::uint32_t s) {
    if constexpr (rule_count > 0) history_.push_back(other.history_[s]);
  }
  /// Seller `to`'s evaluations replaced by seller `s`'s of `other` (a shard holding the counts).
  void copy_seller(std::uint32_t to, const penalty_evaluations& other, std::uint32_t s) {
    if constexpr (rule_count > 0) history_[to] = other.history_[s];
  }

  /// Seller `s`'s evaluations, oldest first (empty with no rules).
  [[nodiscard]] std::span<const stored> of(std::uint32_t s) const noexcept {
    if constexpr (rule_count > 0)
      return history_[s];
    else
      return {};
  }

  // ---- a snapshot's evaluations ----------------------------------------------------------------

  /// Appends an evaluation day read from a snapshot (checked by the reader), before any seller.
  void restore_evaluation_day(std::uint8_t rule, local_day day) { evaluation_days_.push_back({rule, day}); }
  /// Sets seller `s`'s `e`th evaluation's counts, read from a snapshot, and derives its tier from
  /// them and the tier before (evaluations are restored oldest first).
  void restore_counts(std::uint32_t s, std::size_t e, const rate& counts) noexcept {
    if constexpr (rule_count > 0) {
      stored& h = history_[s][e];
      h.counts = counts;
      h.tier = rules[h.rule].tier_of(counts, last_tier(s, h.rule, e));
    }
  }

  // ---- queries and amendments -----------------------------------------------------------------

  /// The tier of rule `rule`'s latest evaluation for seller `s` before its `before_index`th
  /// evaluation (before all of them by default); 0 ("no penalty") when there is none.
  [[nodiscard]] std::uint8_t last_tier(std::uint32_t s, std::uint8_t rule,
                                       std::size_t before_index = static_cast<std::size_t>(-1)) const noexcept {
    const auto& h = history_[s];
    for (std::size_t i = std::min(before_index, h.size()); i-- > 0;)
      if (h[i].rule == rule) return h[i].tier;
    return 0;
  }

  /// Every evaluation of rule `R` on days up to `up_to`, oldest first, for `seller`, or for a
  /// seller the ledger has never seen (0/0 at every evaluation) when it is empty.
  template <class R>
  [[nodiscard]] std::vector<penalty_evaluation<typename R::tier>> history_of(std::optional<std::uint32_t> seller,
                                                                             local_day up_to) const {
    constexpr auto rule = static_cast<std::uint8_t>(index_of_v<R, PenaltyRules>);
    std::vector<penalty_evaluation<typename R::tier>> out;
    if (!seller) {
      for (const auto& [r, day] : evaluation_days_)
        if (r == rule && day <= up_to)
          out.push_back({R::id, day, *R::judged_period(day), {}, R::tier_of({}, typename R::tier{})});
      return out;
    }
    for (const stored& e : history_[*seller])
      if (e.rule == rule && e.evaluated_on <= up_to)
        out.push_back({R::id, e.evaluated_on, e.period, e.counts, static_cast<typename R::tier>(e.tier)});
    return out;
  }

  /// The next evaluation of rule `R` after `today` if nothing else happens, for `seller` (empty:
  /// one the ledger has never seen), from the counts `sum(seller, measure, days)` gives for the
  /// judged period so far (see `ledger::next_penalty`).
  template <class R, class Sum>
  [[nodiscard]] penalty_projection<typename R::tier> next_of(std::optional<std::uint32_t> seller, local_day today,
                                                             Sum sum) const {
    constexpr auto rule = static_cast<std::uint8_t>(index_of_v<R, PenaltyRules>);
    const local_day evaluated_on = R::next_evaluation_after(today);
    const day_range period = *R::judged_period(evaluated_on);
    rate counts{};
    if (seller && today >= period.from)
      counts = sum(*seller, index_of_v<typename R::measure, Measures>, day_range{period.from, today});
    const auto previous = seller ? static_cast<typename R::tier>(last_tier(*seller, rule)) : typename R::tier{};
    return project_penalty<R>(evaluated_on, period, counts, previous);
  }

  /// An order of seller `s` changed from `before` (null: it was not placed) to `after` by an
  /// event at `at`: every evaluation on a later day judged it before the change, so its counts
  /// move there too, and the tiers are derived again from the first one on. `classify(record,
  /// day)` gives the order's classification by every measure at the end of `day`.
  template <class Classify>
  void amend(std::uint32_t s, const order_record* before, const order_record& after, sys_seconds at,
             Classify classify) {
    if constexpr (rule_count > 0) {
      auto& h = history_[s];
      std::size_t first = h.size();
      while (first > 0 && at < Zone::start_of(h[first - 1].evaluated_on)) --first;
      if (first == h.size()) return;
      bool changed = false;
      for (std::size_t k = first; k < h.size(); ++k) {
        stored& e = h[k];
        const local_day judged = e.evaluated_on - std::chrono::days{1};
        const std::size_t m = rules[e.rule].measure;
        const classification was = before ? classify(*before, judged)[m] : classification{};
        const classification now = classify(after, judged)[m];
        changed |= shift(e.counts.numerator, e.period, was.numerator, now.numerator);
        changed |= shift(e.counts.denominator, e.period, was.denominator, now.denominator);
      }
      if (!changed) return;
      for (std::size_t k = first; k < h.size(); ++k)
        h[k].tier = rules[h[k].rule].tier_of(h[k].counts, last_tier(s, h[k].rule, k));
    }
  }

 private:
  /// Moves one count out of or into `period`; true if it did.
  static bool shift(std::uint64_t& count, const day_range& period, std::optional<local_day> from,
                    std::optional<local_day> to) noexcept {
    const bool out = from && period.contains(*from), in = to && period.contains(*to);
    if (out == in) return false;
    if (out)
      --count;
    else
      ++count;
    return true;
  }

  local_day evaluated_through_{};
  std::vector<std::vector<stored>> history_;                         // per seller, oldest first
  std::vector<std::pair<std::uint8_t, local_day>> evaluation_days_;  // (rule, day) of every evaluation so far
};

}  // namespace sellerhealth::detail
