// Reports: every seller's metrics, penalty history and next penalties as plain values, and the
// writers of the `sellerhealth` command's documents (events-csv.md): the report as JSON and as a
// table, the daily series as CSV and JSON lines, and advice as JSON and as a table.
//
//   sellerhealth::sharded<my_ledger> book(4);   // or one plain ledger; fed, e.g., by io::replay_file
//   book.advance_to(day);                       // a report is of the book's today
//   const auto report = sellerhealth::make_report(book, "amazon-jp");
//   sellerhealth::write_json(std::cout, report);
//
// Everything here is generic over the book's rules: one metric per rate policy of the ledger, in
// `rate_policies` order, and the history and next evaluation of each of its `penalty_rules`. The
// values own their strings: a report outlives the book it came from.
#pragma once

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "advice.hpp"
#include "calendar.hpp"
#include "detail/book_access.hpp"
#include "detail/ledger_projection.hpp"
#include "detail/schedule_by_seller.hpp"
#include "detail/string_table.hpp"
#include "detail/text_output.hpp"
#include "detail/type_list.hpp"
#include "ledger.hpp"
#include "policy.hpp"
#include "rate.hpp"
#include "sharded.hpp"

namespace sellerhealth {

// ---- the report as values --------------------------------------------------------------------

/// One metric of one seller at the end of the report's day.
///
///   for (const auto& m : seller.metrics) if (m.status == sellerhealth::status::bad) warn(m.metric, m.clears_on);
struct metric_report {
  std::string metric;  ///< the policy's id, e.g. "amazon.pre_fulfillment_cancel_rate"
  day_range period;    ///< the days the window covered
  rate counts;         ///< bad orders / orders, exact
  target goal;
  sellerhealth::status status = status::none;
  bool low_volume = false;                    ///< one more bad order would decide the status on its own
  std::uint64_t headroom = 0;                 ///< bad orders the counts can still take
  std::optional<std::uint64_t> recovery = 0;  ///< BAD: more good orders that would make it GOOD
  std::optional<local_day> clears_on;         ///< BAD: the first day it is no longer BAD if nothing happens
};

/// One evaluation of a penalty rule (Qoo10's monthly warning, say) for one seller.
///
///   if (p.tier != "none") std::cout << p.rule << " on " << sellerhealth::format_day(p.evaluated_on);
struct penalty_report {
  std::string rule;  ///< the rule's id
  local_day evaluated_on;
  day_range period;  ///< the days judged
  rate counts;
  std::string tier;  ///< the tier's name; "none" is no penalty
};

/// Cancellations a seller can still take before a worse tier of a rule's next evaluation.
struct tier_distance {
  std::string tier;
  std::uint64_t cancellations = 0;  ///< more cancellations that still stay below `tier`
};

/// A rule's next evaluation if nothing else happens.
///
///   for (const auto& step : next.before_each_tier) std::cout << step.cancellations << " before " << step.tier;
struct next_penalty_report {
  std::string rule;
  local_day evaluated_on;
  day_range period;                             ///< the whole period it will judge
  rate counts_so_far;                           ///< orders paid from `period.from` to the report's day
  std::string tier;                             ///< the tier those counts would earn
  std::vector<tier_distance> before_each_tier;  ///< each worse tier more cancellations reach, in order
};

/// One seller: its metrics (rate policies in the ledger's order), its penalty evaluations oldest
/// first (rules in the ledger's order on a day both judge), and each rule's next evaluation.
struct seller_report {
  std::string seller;
  std::vector<metric_report> metrics;
  std::vector<penalty_report> penalties;
  std::vector<next_penalty_report> next_penalties;
};

/// Every seller with an order, sorted by id, at the end of `as_of` (empty: the book has no day).
///
///   const auto r = sellerhealth::make_report(book, "qoo10-jp");
///   std::cout << r.sellers.size() << " sellers as of " << sellerhealth::format_day(*r.as_of) << '\n';
struct marketplace_report {
  std::optional<local_day> as_of;
  std::string marketplace;
  std::vector<seller_report> sellers;
};

namespace detail {

template <class Book>
[[nodiscard]] std::vector<std::string_view> sellers_of(const Book& book) {
  if constexpr (is_sharded_v<Book>) {
    return book.sellers();
  } else {
    std::vector<std::string_view> all;
    for (seller_index s = 0; s < book.seller_count(); ++s) all.push_back(book.seller_id(s));
    std::sort(all.begin(), all.end());
    return all;
  }
}

template <class R, class Book>
void add_penalties(const Book& book, std::string_view seller, seller_index index, local_day as_of, seller_report& out) {
  for (const auto& e : book.template penalty_history<R>(seller, as_of))
    out.penalties.push_back(
        {std::string(e.rule), e.evaluated_on, e.period, e.counts, std::string(R::tier_name(e.tier))});
  const auto next = [&] {
    if constexpr (is_sharded_v<Book>)
      return book.template next_penalty<R>(seller);
    else
      return book.template next_penalty<R>(index);
  }();
  next_penalty_report row{
      std::string(next.rule), next.evaluated_on, next.period, next.counts, std::string(R::tier_name(next.tier)), {}};
  for (const auto& step : next.before_each_tier)
    if (step.absorbable) row.before_each_tier.push_back({std::string(R::tier_name(step.tier)), *step.absorbable});
  out.next_penalties.push_back(std::move(row));
}

template <class Book, class... Rs>
void add_all_penalties(const Book& book, std::string_view seller, seller_index index, local_day as_of,
                       seller_report& out, type_list<Rs...>) {
  (add_penalties<Rs>(book, seller, index, as_of, out), ...);
  // Two rules may judge on the same day (a quarter's first day): keep the ledger's rule order.
  std::stable_sort(out.penalties.begin(), out.penalties.end(),
                   [](const penalty_report& a, const penalty_report& b) { return a.evaluated_on < b.evaluated_on; });
}

/// What the reports of every seller of one unchanged book share: each shard's re-judgement
/// schedule grouped by seller (schedule_by_seller.hpp), so that the projection of a BAD metric's
/// `clears_on` reads its own seller's scheduled orders instead of every seller's.
template <class Book>
struct report_context {
  std::vector<schedule_by_seller> grouped;  // per shard
  explicit report_context(const Book& book) {
    for (std::size_t j = 0; j < shard_count(book); ++j)
      grouped.push_back(ledger_projection<ledger_of_t<Book>>::group_schedule(shard(book, j)));
  }
};

template <class Book>
[[nodiscard]] seller_report seller_summary(const Book& book, std::string_view seller, local_day as_of,
                                           const report_context<Book>& context) {
  using ledger_type = ledger_of_t<Book>;
  seller_report out{std::string(seller), {}, {}, {}};
  seller_index index = 0;
  // What `evaluate_all(seller, as_of, with_clears_on{})` gives, with the shared grouping: `as_of`
  // is the book's today (make_report), the day `clears_on` is projected from.
  const with_clears_on how{};
  const auto results = [&] {
    if constexpr (is_sharded_v<Book>) {
      auto all = book.evaluate_all(seller, as_of);
      const auto cleared = book.clears_on_all(seller, how.daily_good_orders, how.within_days, &context.grouped);
      for (std::size_t i = 0; i < all.size(); ++i) all[i].clears_on = cleared[i];
      return all;
    } else {
      index = *book.find_seller(seller);
      auto all = book.evaluate_all(index, as_of);
      const auto cleared = ledger_projection<ledger_type>::clears_on_all(book, index, how.daily_good_orders,
                                                                         how.within_days, &context.grouped[0]);
      for (std::size_t i = 0; i < all.size(); ++i) all[i].clears_on = cleared[i];
      return all;
    }
  }();
  out.metrics.reserve(results.size());
  for (const metric_result& r : results)
    out.metrics.push_back({std::string(r.metric), r.period, r.counts, r.goal, r.status, r.low_volume, r.headroom,
                           r.recovery, r.clears_on});
  if constexpr (ledger_type::penalty_rule_count > 0)
    add_all_penalties(book, seller, index, as_of, out, typename ledger_type::penalty_rules{});
  return out;
}

}  // namespace detail

/// Calls `visit(const seller_report&)` for every seller in `book` (a `ledger` or a `sharded`
/// one) with an order, sorted by id, at the end of the book's today: advance the book to the day
/// to report first. Reports are built a batch of 256 sellers per shard at a time (on one thread
/// per shard), so a writer that streams (the JSON one) holds no more than a batch. A book that
/// was never started has no day and visits no one.
///
///   sellerhealth::for_each_seller_report(book, [](const sellerhealth::seller_report& s) { show(s); });
template <class Book, class Visit>
void for_each_seller_report(const Book& book, Visit&& visit) {
  const std::optional<local_day> as_of = detail::shard(book, 0).today();
  if (!as_of) return;
  const detail::report_context<Book> context(book);
  const auto sellers = detail::sellers_of(book);
  // A sharded book's reports are built on as many threads as it has shards, a batch of sellers
  // at a time (the projections of BAD metrics make some sellers' reports far dearer than others':
  // each thread takes every `threads`th seller of the batch), and visited in order.
  const std::size_t threads = detail::shard_count(book), batch = 256 * threads;
  std::vector<seller_report> built(std::min(batch, sellers.size()));
  detail::fork_join_pool pool(threads);
  for (std::size_t from = 0; from < sellers.size(); from += batch) {
    const std::size_t n = std::min(batch, sellers.size() - from);
    pool.run(threads, [&](std::size_t t) {
      for (std::size_t k = t; k < n; k += threads)
        built[k] = detail::seller_summary(book, sellers[from + k], *as_of, context);
    });
    for (std::size_t k = 0; k < n; ++k) visit(std::move(built[k]));
  }
}

/// The report of every seller in `book` (a `ledger` or a `sharded` one) at the end of its today:
/// advance the book to the day to report first. A book that was never started has no day and no
/// sellers. `marketplace` is the name the documents print (a preset's `name`).
///
///   book.advance_to(sellerhealth::local_day{std::chrono::year{2026} / 9 / 30});
///   auto r = sellerhealth::make_report(book, "amazon-jp");   // r.sellers[0].metrics[0].headroom ...
template <class Book>
[[nodiscard]] marketplace_report make_report(const Book& book, std::string_view marketplace) {
  marketplace_report out{detail::shard(book, 0).today(), std::string(marketplace), {}};
  if (!out.as_of) return out;
  for_each_seller_report(book, [&](seller_report&& s) { out.sellers.push_back(std::move(s)); });
  return out;
}

// ---- the report's writers --------------------------------------------------------------------------

namespace detail {

/// Writes the JSON document a seller at a time: `begin`, `seller` for each, `end`.
class json_report_writer {
 public:
  explicit json_report_writer(std::ostream& out) : out_(out) {}

  void begin(const std::optional<local_day>& as_of, std::string_view marketplace) {
    out_ << "{\"as_of\":" << quoted_day(as_of) << ",\"marketplace\":" << json_string(marketplace) << ",\"sellers\":[";
  }

  void seller(const seller_report& s) {
    out_ << (first_ ? "\n" : ",\n") << "{\"seller_id\":" << json_string(s.seller) << ",\"metrics\":[";
    first_ = false;
    for (std::size_t j = 0; j < s.metrics.size(); ++j) {
      const auto& m = s.metrics[j];
      out_ << (j ? "," : "") << "\n  {\"metric\":" << json_string(m.metric) << ",\"from\":\""
           << format_day(m.period.from) << "\",\"to\":\"" << format_day(m.period.to)
           << "\",\"numerator\":" << m.counts.numerator << ",\"denominator\":" << m.counts.denominator
           << ",\"rate\":" << (m.counts.empty() ? "null" : json_number(m.counts.value()))
           << ",\"target\":" << json_number(m.goal.value.value()) << ",\"condition\":\"" << to_string(m.goal.when)
           << "\",\"status\":\"" << to_string(m.status) << "\",\"low_volume\":" << (m.low_volume ? "true" : "false")
           << ",\"headroom\":" << m.headroom << ",\"recovery\":" << (m.recovery ? std::to_string(*m.recovery) : "null")
           << ",\"clears_on\":" << quoted_day(m.clears_on) << "}";
    }
    out_ << "],\"penalties\":[";
    for (std::size_t j = 0; j < s.penalties.size(); ++j) {
      const auto& p = s.penalties[j];
      out_ << (j ? "," : "") << "\n  {\"rule\":" << json_string(p.rule) << ",\"evaluated_on\":\""
           << format_day(p.evaluated_on) << "\",\"from\":\"" << format_day(p.period.from) << "\",\"to\":\""
           << format_day(p.period.to) << "\",\"numerator\":" << p.counts.numerator
           << ",\"denominator\":" << p.counts.denominator << ",\"tier\":" << json_string(p.tier) << "}";
    }
    out_ << "]";
    if (!s.next_penalties.empty()) {
      out_ << ",\"next_penalties\":[";
      for (std::size_t j = 0; j < s.next_penalties.size(); ++j) {
        const auto& n = s.next_penalties[j];
        out_ << (j ? "," : "") << "\n  {\"rule\":" << json_string(n.rule) << ",\"evaluated_on\":\""
             << format_day(n.evaluated_on) << "\",\"from\":\"" << format_day(n.period.from) << "\",\"to\":\""
             << format_day(n.period.to) << "\",\"numerator_so_far\":" << n.counts_so_far.numerator
             << ",\"denominator_so_far\":" << n.counts_so_far.denominator
             << ",\"projected_tier\":" << json_string(n.tier) << ",\"cancellations_before_tier\":{";
        for (std::size_t k = 0; k < n.before_each_tier.size(); ++k)
          out_ << (k ? "," : "") << json_string(n.before_each_tier[k].tier) << ":"
               << n.before_each_tier[k].cancellations;
        out_ << "}}";
      }
      out_ << "]";
    }
    out_ << "}";
  }

  void end() { out_ << "]}\n"; }

 private:
  std::ostream& out_;
  bool first_ = true;
};

/// Collects the table's rows a seller at a time (`seller`), then prints them in aligned columns
/// (`print`): the widths depend on every row, so the rows (not the sellers' reports) are kept.
class table_report_writer {
 public:
  void seller(const seller_report& s) {
    ++sellers_;
    for (const auto& m : s.metrics) {
      std::string afford;
      if (m.status == status::good) {
        if (m.headroom == 0) {
          afford = "none: the next bad order misses the target";
        } else {
          afford = std::to_string(m.headroom);
          afford += m.headroom == 1 ? " more bad order" : " more bad orders";
        }
      } else if (m.status == status::bad) {
        afford = "none: target missed";
        if (m.recovery) afford += "; " + std::to_string(*m.recovery) + " more good orders recover it";
        if (m.clears_on)
          afford += "; clears on " + format_day(*m.clears_on) + " if nothing else happens";
        else
          afford += "; does not clear by itself within a year";
      }
      if (m.low_volume)
        afford += " (low volume: " + std::to_string(m.counts.denominator) +
                  (m.counts.denominator == 1 ? " order)" : " orders)");
      rows_.push_back({s.seller, m.metric, day_span(m.period), counts_text(m.counts), percent(m.counts),
                       target_text(m.goal), std::string(to_string(m.status)), std::move(afford)});
    }
    for (const auto& p : s.penalties) {
      penalties_.push_back({s.seller, p.rule, format_day(p.evaluated_on), day_span(p.period), counts_text(p.counts),
                            percent(p.counts), p.tier});
      note_rule(p.rule);
    }
    for (const auto& n : s.next_penalties) {
      std::string tier = n.tier + " if nothing changes";
      for (const auto& [worse, more] : n.before_each_tier)
        tier += "; " + std::to_string(more) + " more cancellation" + (more == 1 ? "" : "s") + " before " + worse;
      penalties_.push_back({s.seller, n.rule, format_day(n.evaluated_on) + " (next)", day_span(n.period),
                            counts_text(n.counts_so_far) + " so far", percent(n.counts_so_far), std::move(tier)});
      note_rule(n.rule);
    }
  }

  void print(std::ostream& out, const std::optional<local_day>& as_of, std::string_view marketplace) const {
    if (!as_of) {
      out << "no day to report, marketplace " << marketplace << '\n';
      return;
    }
    out << "as of the end of " << format_day(*as_of) << " (JST), marketplace " << marketplace << ", " << sellers_
        << (sellers_ == 1 ? " seller\n" : " sellers\n");
    print_columns(out, rows_);
    if (penalties_.size() > 1) {
      out << '\n' << platforms_of(rules_) << " penalty evaluations\n";
      print_columns(out, penalties_);
    }
  }

 private:
  // The rule ids seen, each once: platforms_of names each platform once whatever the count.
  void note_rule(std::string_view rule) {
    if (std::find(rules_.begin(), rules_.end(), rule) == rules_.end()) rules_.emplace_back(rule);
  }

  std::size_t sellers_ = 0;
  std::vector<std::vector<std::string>> rows_{
      {"seller", "metric", "window", "bad/orders", "rate", "target", "status", "can still afford"}};
  std::vector<std::vector<std::string>> penalties_{
      {"seller", "rule", "evaluated on", "period", "cancelled/orders", "rate", "tier"}};
  std::vector<std::string> rules_;
};

template <class Book>
concept report_book = requires(const Book& book) {
  shard(book, 0).today();
};

}  // namespace detail

/// The report as the JSON document of events-csv.md, one seller a line, then a line end:
/// `{"as_of":"2026-09-30","marketplace":"amazon-jp","sellers":[{"seller_id":"S1","metrics":[...],
/// "penalties":[...],"next_penalties":[...]}]}` (`next_penalties` only for rules that have them;
/// `as_of` is null for a book with no day).
///
///   sellerhealth::write_json(std::cout, sellerhealth::make_report(book, "all"));
inline void write_json(std::ostream& out, const marketplace_report& report) {
  detail::json_report_writer writer(out);
  writer.begin(report.as_of, report.marketplace);
  for (const auto& s : report.sellers) writer.seller(s);
  writer.end();
}

/// As `write_json(out, make_report(book, marketplace))`, building one seller's report at a time
/// instead of the whole report first: the same bytes, a fraction of the memory for a large book.
///
///   book.advance_to(day);
///   sellerhealth::write_json(std::cout, book, "amazon-jp");
template <detail::report_book Book>
void write_json(std::ostream& out, const Book& book, std::string_view marketplace) {
  detail::json_report_writer writer(out);
  writer.begin(detail::shard(book, 0).today(), marketplace);
  for_each_seller_report(book, [&](const seller_report& s) { writer.seller(s); });
  writer.end();
}

/// The report as a table: a title line, one row per seller and metric with what the seller can
/// still afford, then (when there are penalty rules) one row per penalty evaluation and one per
/// next evaluation. A report with no day prints the title "no day to report".
///
///   sellerhealth::write_table(std::cout, sellerhealth::make_report(book, "qoo10-jp"));
inline void write_table(std::ostream& out, const marketplace_report& report) {
  detail::table_report_writer writer;
  for (const auto& s : report.sellers) writer.seller(s);
  writer.print(out, report.as_of, report.marketplace);
}

/// As `write_table(out, make_report(book, marketplace))`, building one seller's report at a time
/// (the table's rows are still all kept, to align their columns).
template <detail::report_book Book>
void write_table(std::ostream& out, const Book& book, std::string_view marketplace) {
  detail::table_report_writer writer;
  for_each_seller_report(book, [&](const seller_report& s) { writer.seller(s); });
  writer.print(out, detail::shard(book, 0).today(), marketplace);
}

// ---- the daily series ------------------------------------------------------------------------------

enum class series_format : std::uint8_t { csv, jsonl };

/// One row of a daily series: one seller's counts of one metric at the end of one day, judged.
///
///   for (const auto& row : sellerhealth::series_rows(book, day)) plot(row.seller, row.metric, row.counts);
struct series_row {
  local_day date;
  std::string seller;
  std::string metric;
  rate counts;
  sellerhealth::status status = status::none;
};

/// The CSV header line of a series ("date,seller_id,metric,numerator,denominator,status"); JSON
/// lines have none.
[[nodiscard]] constexpr std::string_view series_header(series_format format) noexcept {
  return format == series_format::csv ? "date,seller_id,metric,numerator,denominator,status\n" : "";
}

namespace detail {

/// Appends one series row; `seller` and `metric` come escaped for the format (see `series_field`).
inline void append_series_row(std::string& out, series_format format, std::string_view date, std::string_view seller,
                              std::string_view metric, const rate& c, status s) {
  // to_chars, not snprintf: this runs for every row of a year-long series.
  char numerator[24], denominator[24];
  const auto n =
      static_cast<std::size_t>(std::to_chars(numerator, numerator + sizeof numerator, c.numerator).ptr - numerator);
  const auto d = static_cast<std::size_t>(
      std::to_chars(denominator, denominator + sizeof denominator, c.denominator).ptr - denominator);
  if (format == series_format::csv) {
    out += date;
    out += ',';
    out += seller;
    out += ',';
    out += metric;
    out += ',';
    out.append(numerator, n);
    out += ',';
    out.append(denominator, d);
    out += ',';
    out += to_string(s);
    out += '\n';
  } else {
    out += "{\"date\":\"";
    out += date;
    out += "\",\"seller_id\":";
    out += seller;
    out += ",\"metric\":";
    out += metric;
    out += ",\"numerator\":";
    out.append(numerator, n);
    out += ",\"denominator\":";
    out.append(denominator, d);
    out += ",\"status\":\"";
    out += to_string(s);
    out += "\"}\n";
  }
}

/// A text field as a series row holds it: a CSV field, or a JSON string with its quotes.
[[nodiscard]] inline std::string series_field(series_format format, std::string_view s) {
  std::string out;
  if (format == series_format::csv)
    append_csv_field(out, s);
  else
    append_json_string(out, s);
  return out;
}

template <class... Ps>
[[nodiscard]] std::array<status, sizeof...(Ps)> judge_all(const std::array<rate, sizeof...(Ps)>& c, type_list<Ps...>) {
  std::size_t i = 0;
  return {judge_with<Ps>(c[i++])...};
}

template <class... Ps>
[[nodiscard]] std::vector<std::string_view> policy_ids(type_list<Ps...>) {
  return {std::string_view{Ps::id}...};
}

/// Every seller's counts of every rate policy on one day, summed over the book's shards, with the
/// sellers numbered across shards and kept sorted by id as new ones appear (a series' book grows).
template <class Book>
class series_counts {
 public:
  using ledger_type = ledger_of_t<Book>;
  static constexpr std::size_t policies = ledger_type::policy_count;

  explicit series_counts(const Book& book) : book_(book), pool_(shard_count(book)) {}

  /// Counts every shard on its own thread, then sums them per seller.
  void count(local_day day) {
    sync_sellers();
    const std::size_t shards = shard_count(book_);
    std::vector<std::vector<std::array<rate, policies>>> counts(shards);
    pool_.run(shards, [&](std::size_t j) {
      const ledger_type& part = shard(book_, j);
      counts[j].resize(part.seller_count());
      for (seller_index s = 0; s < part.seller_count(); ++s) counts[j][s] = part.counts_all(s, day);
    });
    merged_.assign(index_.size(), {});
    for (std::size_t j = 0; j < shards; ++j)
      for (std::size_t s = 0; s < counts[j].size(); ++s)
        for (std::size_t m = 0; m < policies; ++m) {
          merged_[global_[j][s]][m].numerator += counts[j][s][m].numerator;
          merged_[global_[j][s]][m].denominator += counts[j][s][m].denominator;
        }
  }

  [[nodiscard]] std::size_t seller_count() const noexcept { return order_.size(); }
  /// The `k`th seller by id: its global number.
  [[nodiscard]] std::uint32_t sorted(std::size_t k) const noexcept { return order_[k]; }
  [[nodiscard]] std::string_view id(std::uint32_t global) const noexcept { return index_.at(global); }
  [[nodiscard]] const std::array<rate, policies>& counts(std::uint32_t global) const noexcept {
    return merged_[global];
  }
  [[nodiscard]] std::array<status, policies> statuses(std::uint32_t global) const noexcept {
    return judge_all(merged_[global], typename ledger_type::rate_policies{});
  }
  /// How many sellers have a global number (they are numbered 0.., in the order first seen).
  [[nodiscard]] std::uint32_t known() const noexcept { return static_cast<std::uint32_t>(index_.size()); }
  /// The pool `count` runs on, for the writer's formatting as well.
  [[nodiscard]] fork_join_pool& pool() noexcept { return pool_; }

 private:
  /// Maps every shard's new sellers to global numbers and keeps `order_` sorted by id.
  void sync_sellers() {
    bool grew = false;
    global_.resize(shard_count(book_));
    for (std::size_t j = 0; j < shard_count(book_); ++j) {
      const ledger_type& part = shard(book_, j);
      for (auto s = static_cast<seller_index>(global_[j].size()); s < part.seller_count(); ++s) {
        const std::string_view id = part.seller_id(s);
        auto found = index_.find(id);
        if (!found) {
          found = index_.insert(id);
          grew = true;
        }
        global_[j].push_back(*found);
      }
    }
    if (grew) {
      order_.resize(index_.size());
      for (std::uint32_t i = 0; i < order_.size(); ++i) order_[i] = i;
      std::sort(order_.begin(), order_.end(),
                [&](std::uint32_t a, std::uint32_t b) { return index_.at(a) < index_.at(b); });
    }
  }

  const Book& book_;
  fork_join_pool pool_;                             // one thread per shard, for every day counted
  string_table index_;                              // seller ids by global number (read it there: it grows)
  std::vector<std::vector<std::uint32_t>> global_;  // shard, local seller -> global number
  std::vector<std::uint32_t> order_;                // global numbers sorted by id
  std::vector<std::array<rate, policies>> merged_;
};

}  // namespace detail

/// Every seller's rows of one day (the book's today or a day in its horizon), sellers sorted by id,
/// metrics in the ledger's order.
///
///   book.advance_to(day);
///   const auto rows = sellerhealth::series_rows(book, day);
template <class Book>
[[nodiscard]] std::vector<series_row> series_rows(const Book& book, local_day day) {
  using ledger_type = detail::ledger_of_t<Book>;
  detail::series_counts<Book> counts(book);
  counts.count(day);
  const auto metrics = detail::policy_ids(typename ledger_type::rate_policies{});
  std::vector<series_row> rows;
  rows.reserve(counts.seller_count() * metrics.size());
  for (std::size_t k = 0; k < counts.seller_count(); ++k) {
    const std::uint32_t g = counts.sorted(k);
    const auto statuses = counts.statuses(g);
    for (std::size_t m = 0; m < metrics.size(); ++m)
      rows.push_back({day, std::string(counts.id(g)), std::string(metrics[m]), counts.counts(g)[m], statuses[m]});
  }
  return rows;
}

/// Writes series rows as CSV (no header: see `series_header`) or as JSON lines.
///
///   std::cout << sellerhealth::series_header(sellerhealth::series_format::csv);
///   sellerhealth::write_series(std::cout, rows, sellerhealth::series_format::csv);
inline void write_series(std::ostream& out, const std::vector<series_row>& rows, series_format format) {
  std::string text;
  for (const auto& r : rows) {
    detail::append_series_row(text, format, format_day(r.date), detail::series_field(format, r.seller),
                              detail::series_field(format, r.metric), r.counts, r.status);
  }
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

/// A daily series written day by day as a book is fed, fast: each day's counts are taken on every
/// shard's thread and the text formatted in as many parts at once. The same text as
/// `write_series(out, series_rows(book, day), format)`.
///
///   sellerhealth::series_writer writer(book, sellerhealth::series_format::jsonl);
///   for (auto day = from; day <= to; day += std::chrono::days{1}) {
///     feed_until_end_of(day); book.advance_to(day); writer.write_day(day, std::cout);
///   }
template <class Book>
class series_writer {
 public:
  series_writer(const Book& book, series_format format)
      : counts_(book), shards_(detail::shard_count(book)), format_(format) {
    for (const auto id : detail::policy_ids(typename detail::ledger_of_t<Book>::rate_policies{}))
      metrics_.push_back(detail::series_field(format, id));
  }

  [[nodiscard]] std::string_view header() const noexcept { return series_header(format_); }

  /// Writes every seller's rows of `day` (the book's today, or a day in its horizon).
  void write_day(local_day day, std::ostream& out) {
    counts_.count(day);
    for (std::uint32_t g = static_cast<std::uint32_t>(sellers_.size()); g < counts_.known(); ++g)
      sellers_.push_back(detail::series_field(format_, counts_.id(g)));
    const std::string date = format_day(day);
    const std::size_t n = counts_.seller_count();
    std::vector<std::string> text(shards_);
    counts_.pool().run(shards_, [&](std::size_t part) {
      const std::size_t from = n * part / shards_, to = n * (part + 1) / shards_;
      std::string& t = text[part];
      t.reserve((to - from) * metrics_.size() * 64);
      for (std::size_t k = from; k < to; ++k) {
        const std::uint32_t g = counts_.sorted(k);
        const auto statuses = counts_.statuses(g);
        for (std::size_t m = 0; m < metrics_.size(); ++m)
          detail::append_series_row(t, format_, date, sellers_[g], metrics_[m], counts_.counts(g)[m], statuses[m]);
      }
    });
    for (const auto& t : text) out.write(t.data(), static_cast<std::streamsize>(t.size()));
  }

 private:
  detail::series_counts<Book> counts_;
  std::size_t shards_;
  series_format format_;
  std::vector<std::string> metrics_;  // each policy's id, escaped for the format
  std::vector<std::string> sellers_;  // each seller's id by global number, escaped for the format
};

// ---- advice's writers -----------------------------------------------------------------------------

/// Advice as one JSON document: the order, seller, `now` (local time with offset), the projected
/// days, the recommendation and its reason, and per option its plan, expected days in BAD,
/// per-metric daily projections and worst penalty tiers; an option that does not apply has
/// `"expected_days_bad":null` and empty projections.
///
///   sellerhealth::write_json(std::cout, sellerhealth::advise(ledger, request), request.now);
inline void write_json(std::ostream& out, const advice& a, sys_seconds now) {
  using detail::json_number;
  using detail::json_string;
  out << "{\"order\":" << json_string(a.order) << ",\"seller_id\":" << json_string(a.seller) << ",\"now\":\""
      << a.local_time(now) << "\",\"from\":\"" << format_day(a.projected.from) << "\",\"to\":\""
      << format_day(a.projected.to) << "\",\"recommended\":\"" << to_string(a.recommended)
      << "\",\"reason\":" << json_string(a.reason) << ",\"options\":[";
  for (std::size_t i = 0; i < a.options.size(); ++i) {
    const auto& o = a.options[i];
    out << (i ? "," : "") << "\n {\"option\":\"" << to_string(o.kind)
        << "\",\"available\":" << (o.available ? "true" : "false") << ",\"plan\":" << json_string(o.plan)
        << ",\"expected_days_bad\":" << (o.expected_days_bad ? json_number(*o.expected_days_bad) : "null")
        << ",\"metrics\":[";
    for (std::size_t j = 0; j < o.metrics.size(); ++j) {
      const auto& m = o.metrics[j];
      out << (j ? "," : "") << "\n  {\"metric\":" << json_string(m.metric)
          << ",\"expected_days_bad\":" << json_number(m.expected_days_bad) << ",\"expected_rate\":[";
      for (std::size_t d = 0; d < m.expected_rate.size(); ++d) out << (d ? "," : "") << json_number(m.expected_rate[d]);
      out << "],\"chance_bad\":[";
      for (std::size_t d = 0; d < m.chance_bad.size(); ++d) out << (d ? "," : "") << json_number(m.chance_bad[d]);
      out << "]}";
    }
    out << "],\"worst_tiers\":[";
    for (std::size_t j = 0; j < o.worst_tiers.size(); ++j) {
      const auto& t = o.worst_tiers[j];
      out << (j ? "," : "") << "{\"rule\":" << json_string(t.rule) << ",\"tier\":" << json_string(t.worst_tier)
          << ",\"evaluated_on\":" << detail::quoted_day(t.evaluated_on) << ",\"chance\":" << json_number(t.chance)
          << "}";
    }
    out << "]}";
  }
  out << "]}\n";
}

/// Advice as a table: one row per option (expected days in BAD, worst penalty, plan; the
/// recommended one starred; '-' for the figures of an option that does not apply), then the
/// recommendation and its reason. Instants are local time with offset.
///
///   sellerhealth::write_table(std::cout, sellerhealth::advise(ledger, request), request.now);
inline void write_table(std::ostream& out, const advice& a, sys_seconds now) {
  out << "order " << a.order << " of seller " << a.seller << ", acting at " << a.local_time(now)
      << "; metrics projected over " << format_day(a.projected.from) << ".." << format_day(a.projected.to) << "\n";
  std::vector<std::vector<std::string>> rows{{"option", "expected days in BAD", "worst penalty", "plan"}};
  for (const auto& o : a.options) {
    std::string days = "-", tiers = "-";
    if (o.expected_days_bad) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f", *o.expected_days_bad);
      days = buf;
      std::string parts;
      for (const auto& m : o.metrics)
        if (m.expected_days_bad > 0) {
          std::snprintf(buf, sizeof buf, "%.1f", m.expected_days_bad);
          if (!parts.empty()) parts += ", ";
          parts += m.metric;
          parts += ' ';
          parts += buf;
        }
      if (!parts.empty()) days += " (" + parts + ")";
      tiers.clear();
      for (const auto& t : o.worst_tiers) {
        if (t.level == 0) continue;
        char chance[16];
        std::snprintf(chance, sizeof chance, "%.0f %%", 100 * t.chance);
        if (!tiers.empty()) tiers += ", ";
        tiers += t.rule;
        tiers += ' ';
        tiers += t.worst_tier;
        tiers += " (";
        tiers += chance;
        tiers += ')';
      }
      if (tiers.empty()) tiers = o.worst_tiers.empty() ? "-" : "none";
    }
    std::string option(to_string(o.kind));
    if (o.kind == a.recommended) option += " *";
    rows.push_back({std::move(option), std::move(days), std::move(tiers), o.plan});
  }
  detail::print_columns(out, rows);
  out << "\nrecommended: " << a.reason << "\n";
}

}  // namespace sellerhealth
