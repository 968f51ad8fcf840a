// `sellerhealth`: read a marketplace's order events (CSV) and report, per seller, where each metric
// stands, whether it meets the platform's target, and how much room is left. Built on the public
// headers only; see events-csv.md in the README for the input format and the contract.
//
//   sellerhealth report [--marketplace amazon-jp|qoo10-jp|all] [--as-of YYYY-MM-DD]
//                       [--format table|json] [--skip-invalid] EVENTS.csv
//
// Exit status: 0 success, 1 bad lines found (without --skip-invalid), 2 usage error or unreadable file.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sellerhealth/io/events_csv.hpp>
#include <sellerhealth/sellerhealth.hpp>
#include <sellerhealth/sharded.hpp>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "replay.hpp"

namespace {

namespace sh = sellerhealth;

constexpr std::string_view usage_text =
    "usage: sellerhealth report [--marketplace amazon-jp|qoo10-jp|all] [--as-of YYYY-MM-DD]\n"
    "                           [--format table|json] [--threads N] [--skip-invalid]\n"
    "                           [--state FILE] EVENTS.csv\n"
    "       sellerhealth series --from YYYY-MM-DD --to YYYY-MM-DD [--marketplace ...]\n"
    "                           [--format csv|jsonl] [--threads N] [--skip-invalid] EVENTS.csv\n"
    "       sellerhealth advise --order ID [--in-stock N] [--stock-arrives YYYY-MM-DD]\n"
    "                           [--buyer-accepts P] [--daily-orders N] [--marketplace ...]\n"
    "                           [--as-of YYYY-MM-DD] [--format table|json] [--skip-invalid] EVENTS.csv\n"
    "\n"
    "report: each seller's metrics at the end of the --as-of day (default: the JST day of the\n"
    "latest event), with how many more bad orders it can afford and when a BAD one clears.\n"
    "With --state FILE it starts from the ledger saved in FILE (if it exists), adds the events,\n"
    "and saves the ledger back to FILE (a new file renamed over the old) when it exits with 0.\n"
    "series: one row per day, seller and metric (numerator, denominator, status), each day's rows\n"
    "equal to report --as-of that day, from one pass over the events.\n"
    "advise: what to do with one order that cannot ship as promised: cancel now, ask the buyer to\n"
    "cancel first, wait for the automatic cancellation, ship what is in stock and refund the rest,\n"
    "or ship when stock arrives; each projected over the next 30 days and Qoo10's next evaluations.\n"
    "Exit status: 0 success, 1 bad lines found (without --skip-invalid), 2 usage error, unreadable\n"
    "file, or a --state file that cannot be read, restored or written.\n";

enum class marketplace { amazon_jp, qoo10_jp, all };
enum class command { report, advise, series };
enum class output_format { table, json, csv, jsonl };

struct options {
  command what = command::report;
  std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
  sh::local_day from{}, to{};  // series
  marketplace market = marketplace::all;
  std::string order;  // advise
  std::optional<std::uint32_t> in_stock;
  std::optional<sh::local_day> stock_arrives;
  double buyer_accepts = 0.5;
  std::uint32_t daily_orders = 0;
  std::optional<sh::local_day> as_of;
  output_format format = output_format::table;
  bool skip_invalid = false;
  std::optional<std::string> state;  // report: the ledger to continue from and save to
  std::string file;
};

struct usage_error {
  std::string message;
};

options parse_arguments(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) throw usage_error{"missing command"};
  options o;
  if (args[0] == "report")
    o.what = command::report;
  else if (args[0] == "advise")
    o.what = command::advise;
  else if (args[0] == "series")
    o.what = command::series;
  else
    throw usage_error{"unknown command '" + std::string(args[0]) + "'"};
  bool have_file = false, have_order = false, have_from = false, have_to = false;
  if (o.what == command::series) o.format = output_format::csv;
  const auto day_value = [](std::string_view option, std::string_view v) {
    const auto d = sh::io::parse_day(v);
    if (!d) throw usage_error{std::string(option) + ": expected a date YYYY-MM-DD, got '" + std::string(v) + "'"};
    return *d;
  };
  const auto count = [](std::string_view option, std::string_view v) {
    std::uint32_t n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc{} || end != v.data() + v.size() || v.empty())
      throw usage_error{std::string(option) + ": expected a whole number, got '" + std::string(v) + "'"};
    return n;
  };
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string_view a = args[i];
    const auto value = [&]() -> std::string_view {
      if (i + 1 >= args.size()) throw usage_error{std::string(a) + " needs a value"};
      return args[++i];
    };
    if (a == "--marketplace") {
      const auto v = value();
      if (v == "amazon-jp")
        o.market = marketplace::amazon_jp;
      else if (v == "qoo10-jp")
        o.market = marketplace::qoo10_jp;
      else if (v == "all")
        o.market = marketplace::all;
      else
        throw usage_error{"--marketplace: expected amazon-jp, qoo10-jp or all, got '" + std::string(v) + "'"};
    } else if (a == "--as-of") {
      const auto v = value();
      o.as_of = sh::io::parse_day(v);
      if (!o.as_of) throw usage_error{"--as-of: expected a date YYYY-MM-DD, got '" + std::string(v) + "'"};
    } else if (a == "--format") {
      const auto v = value();
      if (o.what == command::series) {
        if (v == "csv")
          o.format = output_format::csv;
        else if (v == "jsonl")
          o.format = output_format::jsonl;
        else
          throw usage_error{"--format: expected csv or jsonl, got '" + std::string(v) + "'"};
      } else if (v == "table")
        o.format = output_format::table;
      else if (v == "json")
        o.format = output_format::json;
      else
        throw usage_error{"--format: expected table or json, got '" + std::string(v) + "'"};
    } else if (a == "--from" && o.what == command::series) {
      o.from = day_value(a, value());
      have_from = true;
    } else if (a == "--to" && o.what == command::series) {
      o.to = day_value(a, value());
      have_to = true;
    } else if (a == "--as-of" && o.what == command::series) {
      throw usage_error{"series takes --from and --to, not --as-of"};
    } else if (a == "--threads" && o.what != command::advise) {
      o.threads = count(a, value());
      if (o.threads == 0 || o.threads > 64) throw usage_error{"--threads: expected 1 to 64"};
    } else if (a == "--order" && o.what == command::advise) {
      o.order = std::string(value());
      have_order = true;
    } else if (a == "--in-stock" && o.what == command::advise) {
      o.in_stock = count(a, value());
    } else if (a == "--daily-orders" && o.what == command::advise) {
      o.daily_orders = count(a, value());
    } else if (a == "--stock-arrives" && o.what == command::advise) {
      const auto v = value();
      o.stock_arrives = sh::io::parse_day(v);
      if (!o.stock_arrives)
        throw usage_error{"--stock-arrives: expected a date YYYY-MM-DD, got '" + std::string(v) + "'"};
    } else if (a == "--buyer-accepts" && o.what == command::advise) {
      const std::string v(value());
      char* end = nullptr;
      o.buyer_accepts = std::strtod(v.c_str(), &end);
      if (v.empty() || end != v.c_str() + v.size() || !(o.buyer_accepts >= 0 && o.buyer_accepts <= 1))
        throw usage_error{"--buyer-accepts: expected a probability from 0 to 1, got '" + v + "'"};
    } else if (a == "--state") {
      if (o.what != command::report) throw usage_error{"--state is for report only"};
      o.state = std::string(value());
      if (o.state->empty()) throw usage_error{"--state needs a file name"};
    } else if (a == "--skip-invalid") {
      o.skip_invalid = true;
    } else if (a.size() > 1 && a[0] == '-') {
      throw usage_error{"unknown option '" + std::string(a) + "'"};
    } else if (have_file) {
      throw usage_error{"more than one events file given"};
    } else {
      o.file = std::string(a);
      have_file = true;
    }
  }
  if (!have_file) throw usage_error{"missing EVENTS.csv"};
  if (o.what == command::advise && !have_order) throw usage_error{"advise needs --order ID"};
  if (o.what == command::series && !(have_from && have_to)) throw usage_error{"series needs --from and --to"};
  if (o.what == command::series && o.to < o.from) throw usage_error{"series: --to is before --from"};
  if (o.what == command::series && (o.to - o.from).count() > 3660)
    throw usage_error{"series: at most 3660 days at once"};
  return o;
}

using amazon_ledger = sh::ledger<sh::jst, sh::amazon::pre_fulfillment_cancel_rate, sh::amazon::late_shipment_rate_10d,
                                 sh::amazon::late_shipment_rate_30d>;
using qoo10_ledger = sh::ledger<sh::jst, sh::qoo10::cancel_rate_month, sh::qoo10::cancel_rate_quarter,
                                sh::qoo10::monthly_warning, sh::qoo10::quarterly_restriction>;
using all_ledger =
    sh::ledger<sh::jst, sh::amazon::pre_fulfillment_cancel_rate, sh::amazon::late_shipment_rate_10d,
               sh::amazon::late_shipment_rate_30d, sh::qoo10::cancel_rate_month, sh::qoo10::cancel_rate_quarter,
               sh::qoo10::monthly_warning, sh::qoo10::quarterly_restriction>;

// ---- output --------------------------------------------------------------------------------

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"')
      out += "\\\"";
    else if (c == '\\')
      out += "\\\\";
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else
      out += ch;
  }
  return out + "\"";
}

std::string json_number(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : "null";
}

std::string percent(const sh::rate& r) {
  if (r.empty()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f %%", 100.0 * r.value());
  return buf;
}

std::string target_text(const sh::target& t) {
  constexpr std::string_view symbols[] = {"< ", "<= ", "> ", ">= "};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g %%", 100.0 * t.value.value());
  return std::string(symbols[static_cast<int>(t.when)]) + buf;
}

/// A penalty evaluation with its tier spelled out (rules differ in tier types).
struct penalty_row {
  std::string_view rule;
  sh::local_day evaluated_on;
  sh::day_range period;
  sh::rate counts;
  std::string_view tier;
};

/// The next evaluation of a rule if nothing else happens.
struct projection_row {
  penalty_row outcome;  // period.to is the whole period; counts are so far
  std::vector<std::pair<std::string_view, std::uint64_t>> absorbable;  // (worse tier, cancellations still below it)
};

struct seller_report {
  std::string_view seller;
  std::vector<sh::metric_result> metrics;
  std::vector<std::optional<sh::local_day>> clears_on;  // per metric, when BAD
  std::vector<penalty_row> penalties;
  std::vector<projection_row> next_penalties;
};

template <class Rule, class Book>
void add_penalties(const Book& book, std::string_view seller, sh::local_day as_of, seller_report& out) {
  for (const auto& e : book.template penalty_history<Rule>(seller, as_of))
    out.penalties.push_back({e.rule, e.evaluated_on, e.period, e.counts, Rule::tier_name(e.tier)});
  const auto next = book.template next_penalty<Rule>(seller);
  projection_row row{{next.rule, next.evaluated_on, next.period, next.counts, Rule::tier_name(next.tier)}, {}};
  for (const auto& step : next.before_each_tier)
    if (step.absorbable) row.absorbable.emplace_back(Rule::tier_name(step.tier), *step.absorbable);
  out.next_penalties.push_back(std::move(row));
}

template <class Ledger>
seller_report seller_summary(const sh::sharded<Ledger>& book, std::string_view seller, sh::local_day as_of) {
  const auto results = book.evaluate_all(seller, as_of);
  const auto clears = book.clears_on_all(seller);
  seller_report out{seller,
                    std::vector<sh::metric_result>(results.begin(), results.end()),
                    std::vector<std::optional<sh::local_day>>(clears.begin(), clears.end()),
                    {},
                    {}};
  if constexpr (Ledger::penalty_rule_count > 0) {
    add_penalties<sh::qoo10::monthly_warning>(book, seller, as_of, out);
    add_penalties<sh::qoo10::quarterly_restriction>(book, seller, as_of, out);
    // Both rules may judge on the same day (a quarter's first day): the monthly one first.
    std::stable_sort(out.penalties.begin(), out.penalties.end(),
                     [](const penalty_row& a, const penalty_row& b) { return a.evaluated_on < b.evaluated_on; });
  }
  return out;
}

void write_json(std::ostream& out, sh::local_day as_of, std::string_view market,
                const std::vector<seller_report>& sellers) {
  out << "{\"as_of\":\"" << sh::format_day(as_of) << "\",\"marketplace\":\"" << market << "\",\"sellers\":[";
  for (std::size_t i = 0; i < sellers.size(); ++i) {
    const auto& s = sellers[i];
    out << (i ? ",\n" : "\n") << "{\"seller_id\":" << json_string(s.seller) << ",\"metrics\":[";
    for (std::size_t j = 0; j < s.metrics.size(); ++j) {
      const auto& m = s.metrics[j];
      out << (j ? "," : "") << "\n  {\"metric\":\"" << m.metric << "\",\"from\":\"" << sh::format_day(m.period.from)
          << "\",\"to\":\"" << sh::format_day(m.period.to) << "\",\"numerator\":" << m.counts.numerator
          << ",\"denominator\":" << m.counts.denominator
          << ",\"rate\":" << (m.counts.empty() ? "null" : json_number(m.counts.value()))
          << ",\"target\":" << json_number(m.goal.value.value()) << ",\"condition\":\"" << sh::to_string(m.goal.when)
          << "\",\"status\":\"" << sh::to_string(m.status) << "\",\"low_volume\":" << (m.low_volume ? "true" : "false")
          << ",\"headroom\":" << m.headroom << ",\"recovery\":" << (m.recovery ? std::to_string(*m.recovery) : "null")
          << ",\"clears_on\":" << (s.clears_on[j] ? "\"" + sh::format_day(*s.clears_on[j]) + "\"" : "null") << "}";
    }
    out << "],\"penalties\":[";
    for (std::size_t j = 0; j < s.penalties.size(); ++j) {
      const auto& p = s.penalties[j];
      out << (j ? "," : "") << "\n  {\"rule\":\"" << p.rule << "\",\"evaluated_on\":\""
          << sh::format_day(p.evaluated_on) << "\",\"from\":\"" << sh::format_day(p.period.from) << "\",\"to\":\""
          << sh::format_day(p.period.to) << "\",\"numerator\":" << p.counts.numerator
          << ",\"denominator\":" << p.counts.denominator << ",\"tier\":\"" << p.tier << "\"}";
    }
    out << "]";
    if (!s.next_penalties.empty()) {
      out << ",\"next_penalties\":[";
      for (std::size_t j = 0; j < s.next_penalties.size(); ++j) {
        const auto& n = s.next_penalties[j];
        out << (j ? "," : "") << "\n  {\"rule\":\"" << n.outcome.rule << "\",\"evaluated_on\":\""
            << sh::format_day(n.outcome.evaluated_on) << "\",\"from\":\"" << sh::format_day(n.outcome.period.from)
            << "\",\"to\":\"" << sh::format_day(n.outcome.period.to)
            << "\",\"numerator_so_far\":" << n.outcome.counts.numerator
            << ",\"denominator_so_far\":" << n.outcome.counts.denominator << ",\"projected_tier\":\"" << n.outcome.tier
            << "\",\"cancellations_before_tier\":{";
        for (std::size_t k = 0; k < n.absorbable.size(); ++k)
          out << (k ? "," : "") << "\"" << n.absorbable[k].first << "\":" << n.absorbable[k].second;
        out << "}}";
      }
      out << "]";
    }
    out << "}";
  }
  out << "]}\n";
}

void print_columns(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

void write_table(std::ostream& out, sh::local_day as_of, std::string_view market,
                 const std::vector<seller_report>& sellers) {
  out << "as of the end of " << sh::format_day(as_of) << " (JST), marketplace " << market << ", " << sellers.size()
      << (sellers.size() == 1 ? " seller\n" : " sellers\n");
  std::vector<std::vector<std::string>> rows{
      {"seller", "metric", "window", "bad/orders", "rate", "target", "status", "can still afford"}};
  for (const auto& s : sellers)
    for (std::size_t j = 0; j < s.metrics.size(); ++j) {
      const auto& m = s.metrics[j];
      std::string afford;
      if (m.status == sh::status::good)
        afford = m.headroom == 0
                     ? "none: the next bad order misses the target"
                     : std::to_string(m.headroom) + (m.headroom == 1 ? " more bad order" : " more bad orders");
      else if (m.status == sh::status::bad) {
        afford = "none: target missed";
        if (m.recovery) afford += "; " + std::to_string(*m.recovery) + " more good orders recover it";
        afford += s.clears_on[j] ? "; clears on " + sh::format_day(*s.clears_on[j]) + " if nothing else happens"
                                 : "; does not clear by itself within a year";
      }
      if (m.low_volume)
        afford += " (low volume: " + std::to_string(m.counts.denominator) +
                  (m.counts.denominator == 1 ? " order)" : " orders)");
      rows.push_back({std::string(s.seller), std::string(m.metric),
                      sh::format_day(m.period.from) + ".." + sh::format_day(m.period.to),
                      std::to_string(m.counts.numerator) + "/" + std::to_string(m.counts.denominator),
                      percent(m.counts), target_text(m.goal), std::string(sh::to_string(m.status)), afford});
    }
  print_columns(out, rows);
  std::vector<std::vector<std::string>> penalties{
      {"seller", "rule", "evaluated on", "period", "cancelled/orders", "rate", "tier"}};
  for (const auto& s : sellers) {
    for (const auto& p : s.penalties)
      penalties.push_back({std::string(s.seller), std::string(p.rule), sh::format_day(p.evaluated_on),
                           sh::format_day(p.period.from) + ".." + sh::format_day(p.period.to),
                           std::to_string(p.counts.numerator) + "/" + std::to_string(p.counts.denominator),
                           percent(p.counts), std::string(p.tier)});
    for (const auto& n : s.next_penalties) {
      std::string tier = std::string(n.outcome.tier) + " if nothing changes";
      for (const auto& [worse, more] : n.absorbable)
        tier += "; " + std::to_string(more) + " more cancellation" + (more == 1 ? "" : "s") + " before " +
                std::string(worse);
      penalties.push_back(
          {std::string(s.seller), std::string(n.outcome.rule), sh::format_day(n.outcome.evaluated_on) + " (next)",
           sh::format_day(n.outcome.period.from) + ".." + sh::format_day(n.outcome.period.to),
           std::to_string(n.outcome.counts.numerator) + "/" + std::to_string(n.outcome.counts.denominator) + " so far",
           percent(n.outcome.counts), tier});
    }
  }
  if (penalties.size() > 1) {
    out << "\nQoo10 penalty evaluations\n";
    print_columns(out, penalties);
  }
}

void print_columns(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < r.size(); ++c) {
      line += r[c];
      if (c + 1 < r.size()) line += std::string(width[c] - r[c].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  }
}

void write_advice(std::ostream& out, const sh::advice& a, sh::sys_seconds now, output_format format) {
  if (format == output_format::json) {
    out << "{\"order\":" << json_string(a.order) << ",\"seller_id\":" << json_string(a.seller) << ",\"now\":\""
        << sh::format_instant(now) << "\",\"from\":\"" << sh::format_day(a.projected.from) << "\",\"to\":\""
        << sh::format_day(a.projected.to) << "\",\"recommended\":\"" << sh::to_string(a.recommended)
        << "\",\"reason\":" << json_string(a.reason) << ",\"options\":[";
    for (std::size_t i = 0; i < a.options.size(); ++i) {
      const auto& o = a.options[i];
      out << (i ? "," : "") << "\n {\"option\":\"" << sh::to_string(o.kind)
          << "\",\"available\":" << (o.available ? "true" : "false") << ",\"plan\":" << json_string(o.plan)
          << ",\"expected_days_bad\":" << json_number(o.expected_days_bad) << ",\"metrics\":[";
      for (std::size_t j = 0; j < o.metrics.size(); ++j) {
        const auto& m = o.metrics[j];
        out << (j ? "," : "") << "\n  {\"metric\":\"" << m.metric
            << "\",\"expected_days_bad\":" << json_number(m.expected_days_bad) << ",\"expected_rate\":[";
        for (std::size_t d = 0; d < m.expected_rate.size(); ++d)
          out << (d ? "," : "") << json_number(m.expected_rate[d]);
        out << "],\"chance_bad\":[";
        for (std::size_t d = 0; d < m.chance_bad.size(); ++d) out << (d ? "," : "") << json_number(m.chance_bad[d]);
        out << "]}";
      }
      out << "],\"worst_tiers\":[";
      for (std::size_t j = 0; j < o.worst_tiers.size(); ++j) {
        const auto& t = o.worst_tiers[j];
        out << (j ? "," : "") << "{\"rule\":\"" << t.rule << "\",\"tier\":\"" << t.worst_tier
            << "\",\"evaluated_on\":" << (t.evaluated_on ? "\"" + sh::format_day(*t.evaluated_on) + "\"" : "null")
            << ",\"chance\":" << json_number(t.chance) << "}";
      }
      out << "]}";
    }
    out << "]}\n";
    return;
  }
  out << "order " << a.order << " of seller " << a.seller << ", acting at " << sh::format_instant(now)
      << "; metrics projected over " << sh::format_day(a.projected.from) << ".." << sh::format_day(a.projected.to)
      << "\n";
  std::vector<std::vector<std::string>> rows{{"option", "expected days in BAD", "worst penalty", "plan"}};
  for (const auto& o : a.options) {
    std::string days = "-", tiers = "-";
    if (o.available) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f", o.expected_days_bad);
      days = buf;
      std::string parts;
      for (const auto& m : o.metrics)
        if (m.expected_days_bad > 0) {
          std::snprintf(buf, sizeof buf, "%.1f", m.expected_days_bad);
          parts += (parts.empty() ? "" : ", ") + std::string(m.metric) + " " + buf;
        }
      if (!parts.empty()) days += " (" + parts + ")";
      tiers.clear();
      for (const auto& t : o.worst_tiers) {
        if (t.level == 0) continue;
        char chance[16];
        std::snprintf(chance, sizeof chance, "%.0f %%", 100 * t.chance);
        tiers +=
            (tiers.empty() ? "" : ", ") + std::string(t.rule) + " " + std::string(t.worst_tier) + " (" + chance + ")";
      }
      if (tiers.empty()) tiers = o.worst_tiers.empty() ? "-" : "none";
    }
    rows.push_back({std::string(sh::to_string(o.kind)) + (o.kind == a.recommended ? " *" : ""), days, tiers, o.plan});
  }
  print_columns(out, rows);
  out << "\nrecommended: " << a.reason << "\n";
}

// ---- the report ----------------------------------------------------------------------------

/// The series' rows for one day: every seller known by then, sorted, every rate policy.
template <class Ledger>
class series_writer {
 public:
  series_writer(const sh::sharded<Ledger>& book, output_format format) : book_(book), format_(format) {}

  void write_day(sh::local_day day) {
    sync_sellers();
    const std::size_t shards = book_.size();
    // Each shard's counts on its own thread, then the sums, then the text in two halves.
    std::vector<std::vector<std::array<sh::rate, Ledger::policy_count>>> counts(shards);
    cli::in_parallel(shards, [&](std::size_t j) {
      const Ledger& shard = book_[j];
      counts[j].resize(shard.seller_count());
      for (sh::seller_index s = 0; s < shard.seller_count(); ++s) counts[j][s] = shard.counts_all(s, day);
    });
    merged_.assign(index_.size(), {});
    for (std::size_t j = 0; j < shards; ++j)
      for (std::size_t s = 0; s < counts[j].size(); ++s)
        for (std::size_t m = 0; m < Ledger::policy_count; ++m) {
          merged_[global_[j][s]][m].numerator += counts[j][s][m].numerator;
          merged_[global_[j][s]][m].denominator += counts[j][s][m].denominator;
        }
    const std::string date = sh::format_day(day);
    std::vector<std::string> text(shards);
    cli::in_parallel(shards, [&](std::size_t part) {
      const std::size_t from = order_.size() * part / shards, to = order_.size() * (part + 1) / shards;
      std::string& out = text[part];
      out.reserve((to - from) * Ledger::policy_count * 64);
      for (std::size_t k = from; k < to; ++k) format_seller(out, date, order_[k]);
    });
    for (const auto& t : text) std::fwrite(t.data(), 1, t.size(), stdout);
  }

  void header() {
    if (format_ == output_format::csv) std::fputs("date,seller_id,metric,numerator,denominator,status\n", stdout);
  }

 private:
  void format_seller(std::string& out, const std::string& date, std::uint32_t global) const {
    const auto statuses = judge_all(merged_[global], typename Ledger::rate_policies{});
    for (std::size_t m = 0; m < Ledger::policy_count; ++m) {
      // to_chars, not snprintf: this runs for every row of a year-long series.
      char numbers[64];
      const auto& c = merged_[global][m];
      char* end = std::to_chars(numbers, numbers + 20, c.numerator).ptr;
      const std::string_view between = format_ == output_format::csv ? "," : ",\"denominator\":";
      end = std::copy(between.begin(), between.end(), end);
      end = std::to_chars(end, numbers + sizeof numbers, c.denominator).ptr;
      const auto n = end - numbers;
      if (format_ == output_format::csv) {
        out += date;
        out += ',';
        out += csv_field(index_.at(global));
        out += ',';
        out += metrics_[m];
        out += ',';
        out.append(numbers, static_cast<std::size_t>(n));
        out += ',';
        out += sh::to_string(statuses[m]);
        out += '\n';
      } else {
        out += "{\"date\":\"" + date + "\",\"seller_id\":" + json_string(index_.at(global)) + ",\"metric\":\"";
        out += metrics_[m];
        out += "\",\"numerator\":";
        out.append(numbers, static_cast<std::size_t>(n));
        out += ",\"status\":\"";
        out += sh::to_string(statuses[m]);
        out += "\"}\n";
      }
    }
  }

  template <class... Ps>
  static std::array<sh::status, sizeof...(Ps)> judge_all(const std::array<sh::rate, sizeof...(Ps)>& c,
                                                         sh::detail::type_list<Ps...>) {
    std::size_t i = 0;
    return {sh::judge_with<Ps>(c[i++])...};
  }
  template <class... Ps>
  static std::vector<std::string_view> metric_ids(sh::detail::type_list<Ps...>) {
    return {std::string_view{Ps::id}...};
  }

  static std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string q = "\"";
    for (const char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }

  /// Maps every shard's new sellers to global indices and keeps `order_` sorted by id.
  void sync_sellers() {
    bool grew = false;
    global_.resize(book_.size());
    for (std::size_t j = 0; j < book_.size(); ++j) {
      const Ledger& shard = book_[j];
      for (auto s = static_cast<sh::seller_index>(global_[j].size()); s < shard.seller_count(); ++s) {
        const std::string_view id = shard.seller_id(s);
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

  const sh::sharded<Ledger>& book_;
  output_format format_;
  std::vector<std::string_view> metrics_ = metric_ids(typename Ledger::rate_policies{});
  sh::detail::string_table index_;                  // seller ids by global index (read it there: it grows)
  std::vector<std::vector<std::uint32_t>> global_;  // shard, local seller -> global index
  std::vector<std::uint32_t> order_;                // global indices sorted by id
  std::vector<std::array<sh::rate, Ledger::policy_count>> merged_;
};

/// Prints the bad lines, sorted, and says whether to go on (exit status 1 if not).
int report_problems(const options& o, std::vector<cli::problem>& problems, const auto& book) {
  // Sorted by time, an event dated before its order's placement comes before the `placed` line
  // and finds no order; once every line is in, say what is really wrong with it.
  for (auto& p : problems) {
    if (p.code != sh::rejection_code::unknown_order) continue;
    if (const auto placed = book[book.shard_of(p.order)].order(p.order))
      p.message = "order '" + p.order + "': event at " + sh::format_instant(p.at) +
                  " is earlier than its placement at " + sh::format_instant(placed->placed_at());
  }
  std::stable_sort(problems.begin(), problems.end(), [](const auto& a, const auto& b) { return a.line < b.line; });
  for (const auto& p : problems) std::fprintf(stderr, "%s:%zu: %s\n", o.file.c_str(), p.line, p.message.c_str());
  if (problems.empty()) return 0;
  const char* plural = problems.size() == 1 ? "" : "s";
  if (!o.skip_invalid) {
    std::fprintf(stderr, "sellerhealth: %zu bad line%s; no %s written (use --skip-invalid to go on without them)\n",
                 problems.size(), plural, o.what == command::series ? "complete series was" : "report");
    return 1;
  }
  std::fprintf(stderr, "sellerhealth: skipped %zu bad line%s\n", problems.size(), plural);
  return 0;
}

// ---- --state: the saved ledger ----------------------------------------------------------------

/// The bytes of an existing state file (empty optional: there is none yet). Throws on a read error.
std::optional<std::vector<std::byte>> read_state(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f || std::filesystem::is_directory(path, ec)) {
    if (f) std::fclose(f);
    throw std::runtime_error("cannot read state '" + path + "'");
  }
  std::vector<std::byte> bytes;
  std::byte chunk[1 << 16];
  for (std::size_t got; (got = std::fread(chunk, 1, sizeof chunk, f)) > 0;)
    bytes.insert(bytes.end(), chunk, chunk + got);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) throw std::runtime_error("error while reading state '" + path + "'");
  return bytes;
}

/// Writes `bytes` to a new file next to `path`, flushes it to disk, and renames it over `path`:
/// a crash at any point leaves either the old state or the new one, never a mix.
void write_state_atomically(const std::string& path, std::span<const std::byte> bytes) {
  const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
  const auto fail = [&](const std::string& what) {
    std::remove(temporary.c_str());
    throw std::runtime_error("cannot save state '" + path + "': " + what + " (" + std::strerror(errno) + ")");
  };
  std::FILE* f = std::fopen(temporary.c_str(), "wb");
  if (!f) fail("cannot create " + temporary);
  const bool written =
      std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size() && std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  if (std::fclose(f) != 0 || !written) fail("cannot write " + temporary);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) fail("cannot rename " + temporary);
  // The rename itself reaches the disk with the directory.
  const std::string directory = std::filesystem::path(path).parent_path().empty()
                                    ? std::string(".")
                                    : std::filesystem::path(path).parent_path().string();
  if (const int d = ::open(directory.c_str(), O_RDONLY); d >= 0) {
    (void)::fsync(d);
    ::close(d);
  }
}

template <class Ledger>
int run(const options& o, std::string_view market) {
  // advise needs one seller's whole state in one ledger; report and series split orders.
  const std::size_t threads = o.what == command::advise ? 1 : o.threads;
  sh::sharded<Ledger> book(threads);
  cli::replayer<Ledger> replay(book, o.file);
  std::optional<sh::local_day> state_day;  // the restored ledger's today
  if (o.state) {
    std::optional<std::vector<std::byte>> saved;
    try {
      saved = read_state(*o.state);
      if (saved) book = sh::sharded<Ledger>::restore(*saved, threads);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "sellerhealth: state '%s': %s\n", o.state->c_str(), e.what());
      return 2;
    }
    if (saved) {
      state_day = book[0].today();
      // Should the replay start over (lines out of order), it starts over from the saved state.
      replay.fresh_book = [saved = std::move(*saved), threads] { return sh::sharded<Ledger>::restore(saved, threads); };
    }
  }
  std::vector<sh::sys_seconds> stops;
  const auto end_of = [](sh::local_day d) { return sh::jst::start_of(d + std::chrono::days{1}); };

  if (o.what == command::series) {
    for (sh::local_day d = o.from; d <= o.to; d += std::chrono::days{1}) stops.push_back(end_of(d));
    series_writer<Ledger> writer(book, o.format);
    replay.check_order_first = true;  // rows are written as they come: no restart may follow one
    writer.header();
    const int status = replay.run(stops, [&](std::size_t i) {
      const sh::local_day day = o.from + std::chrono::days{static_cast<int>(i)};
      book.advance_to(day);
      writer.write_day(day);
    });
    std::fflush(stdout);
    if (status != 0) return status;
    return report_problems(o, replay.problems, book);
  }

  // report and advise: the state at the end of --as-of (or, without it, after every event).
  std::string rendered;
  int outcome = 0;
  const auto render = [&](sh::local_day as_of) {
    book.advance_to(as_of);
    std::ostringstream out;
    if (o.what == command::report) {
      std::vector<seller_report> sellers;
      for (const auto seller : book.sellers()) sellers.push_back(seller_summary(book, seller, as_of));
      if (o.format == output_format::json)
        write_json(out, as_of, market, sellers);
      else
        write_table(out, as_of, market, sellers);
    } else {
      // The seller acts at the latest moment the file tells of, or at the start of --as-of if later.
      const sh::sys_seconds now = std::max(replay.latest_fed.value_or(sh::sys_seconds{}), sh::jst::start_of(as_of));
      try {
        const auto advice = sh::advise(book[0], {.order = o.order,
                                                 .now = now,
                                                 .in_stock = o.in_stock,
                                                 .stock_arrives = o.stock_arrives,
                                                 .buyer_accepts = o.buyer_accepts,
                                                 .daily_orders = o.daily_orders});
        write_advice(out, advice, now, o.format);
      } catch (const sh::error& e) {
        std::fprintf(stderr, "sellerhealth: %s (as of %s)\n", e.what(), sh::format_day(as_of).c_str());
        outcome = 2;
      }
    }
    rendered = out.str();
  };
  if (o.as_of) stops.push_back(end_of(*o.as_of));
  const int status = replay.run(stops, [&](std::size_t) { render(*o.as_of); });
  if (status != 0) return status;
  if (!o.as_of) {
    std::optional<sh::local_day> latest = state_day;
    if (replay.latest_event)
      latest = std::max(latest.value_or(sh::local_day::min()), sh::jst::day_of(*replay.latest_event));
    if (latest) {
      render(*latest);
    } else if (o.what == command::report) {  // no event, no saved state, no --as-of: no day to report
      rendered = o.format == output_format::json
                     ? "{\"as_of\":null,\"marketplace\":\"" + std::string(market) + "\",\"sellers\":[]}\n"
                     : "no events in " + o.file + ": nothing to report (give --as-of for a day)\n";
    } else {
      render(sh::local_day{});  // advise: reports the order as unknown
    }
  }
  if (const int bad = report_problems(o, replay.problems, book); bad != 0) return bad;
  if (outcome != 0) return outcome;
  if (o.state) {
    try {
      // Shards fed different days after --as-of must pass the same evaluation days to be saved.
      std::optional<sh::local_day> latest;
      for (std::size_t j = 0; j < book.size(); ++j)
        if (const auto t = book[j].today()) latest = latest ? std::max(*latest, *t) : *t;
      if (latest) book.advance_to(*latest);
      write_state_atomically(*o.state, book.save());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "sellerhealth: %s\n", e.what());
      return 2;
    }
  }
  std::fwrite(rendered.data(), 1, rendered.size(), stdout);
  return 0;
}

int dispatch(const options& o) {
  switch (o.market) {
    case marketplace::amazon_jp: return run<amazon_ledger>(o, "amazon-jp");
    case marketplace::qoo10_jp: return run<qoo10_ledger>(o, "qoo10-jp");
    case marketplace::all: break;
  }
  return run<all_ledger>(o, "all");
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    if (std::find(args.begin(), args.end(), "--help") != args.end() ||
        std::find(args.begin(), args.end(), "-h") != args.end()) {
      std::cout << usage_text;
      return 0;
    }
    return dispatch(parse_arguments(argc, argv));
  } catch (const usage_error& e) {
    std::cerr << "sellerhealth: " << e.message << "\n" << usage_text;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "sellerhealth: " << e.what() << '\n';
    return 2;
  }
}
