// `sellerhealth`: read a marketplace's order events (CSV) and report, per seller, where each metric
// stands, whether it meets the platform's target, and how much room is left. Built on the public
// headers only; see events-csv.md in the README for the input format and the contract.
//
//   sellerhealth report [--marketplace amazon-jp|qoo10-jp|all] [--as-of YYYY-MM-DD]
//                       [--format table|json] [--skip-invalid] EVENTS.csv
//
// Exit status: 0 success, 1 bad lines found (without --skip-invalid), 2 usage error or unreadable file.
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <sellerhealth/io/events_csv.hpp>
#include <sellerhealth/sellerhealth.hpp>

namespace {

namespace sh = sellerhealth;

constexpr std::string_view usage_text =
    "usage: sellerhealth report [--marketplace amazon-jp|qoo10-jp|all] [--as-of YYYY-MM-DD]\n"
    "                           [--format table|json] [--skip-invalid] EVENTS.csv\n"
    "       sellerhealth advise --order ID [--in-stock N] [--stock-arrives YYYY-MM-DD]\n"
    "                           [--buyer-accepts P] [--daily-orders N] [--marketplace ...]\n"
    "                           [--as-of YYYY-MM-DD] [--format table|json] [--skip-invalid] EVENTS.csv\n"
    "\n"
    "report: each seller's metrics at the end of the --as-of day (default: the JST day of the\n"
    "latest event), with how many more bad orders it can afford and when a BAD one clears.\n"
    "advise: what to do with one order that cannot ship as promised: cancel now, ask the buyer to\n"
    "cancel first, wait for the automatic cancellation, ship what is in stock and refund the rest,\n"
    "or ship when stock arrives; each projected over the next 30 days and Qoo10's next evaluations.\n"
    "Exit status: 0 success, 1 bad lines found (without --skip-invalid), 2 usage error or unreadable file.\n";

enum class marketplace { amazon_jp, qoo10_jp, all };
enum class command { report, advise };
enum class output_format { table, json };

struct options {
  command what = command::report;
  marketplace market = marketplace::all;
  std::string order;  // advise
  std::optional<std::uint32_t> in_stock;
  std::optional<sh::local_day> stock_arrives;
  double buyer_accepts = 0.5;
  std::uint32_t daily_orders = 0;
  std::optional<sh::local_day> as_of;
  output_format format = output_format::table;
  bool skip_invalid = false;
  std::string file;
};

struct usage_error {
  std::string message;
};

options parse_arguments(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) throw usage_error{"missing command"};
  options o;
  if (args[0] == "report") o.what = command::report;
  else if (args[0] == "advise") o.what = command::advise;
  else throw usage_error{"unknown command '" + std::string(args[0]) + "'"};
  bool have_file = false, have_order = false;
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
      if (v == "amazon-jp") o.market = marketplace::amazon_jp;
      else if (v == "qoo10-jp") o.market = marketplace::qoo10_jp;
      else if (v == "all") o.market = marketplace::all;
      else throw usage_error{"--marketplace: expected amazon-jp, qoo10-jp or all, got '" + std::string(v) + "'"};
    } else if (a == "--as-of") {
      const auto v = value();
      o.as_of = sh::io::parse_day(v);
      if (!o.as_of) throw usage_error{"--as-of: expected a date YYYY-MM-DD, got '" + std::string(v) + "'"};
    } else if (a == "--format") {
      const auto v = value();
      if (v == "table") o.format = output_format::table;
      else if (v == "json") o.format = output_format::json;
      else throw usage_error{"--format: expected table or json, got '" + std::string(v) + "'"};
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
      if (!o.stock_arrives) throw usage_error{"--stock-arrives: expected a date YYYY-MM-DD, got '" + std::string(v) + "'"};
    } else if (a == "--buyer-accepts" && o.what == command::advise) {
      const std::string v(value());
      char* end = nullptr;
      o.buyer_accepts = std::strtod(v.c_str(), &end);
      if (v.empty() || end != v.c_str() + v.size() || !(o.buyer_accepts >= 0 && o.buyer_accepts <= 1))
        throw usage_error{"--buyer-accepts: expected a probability from 0 to 1, got '" + v + "'"};
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
  return o;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return data;
}

/// A parsed event and the line it came from. Ids point into the file buffer, or into `arena`
/// for the rare quoted field the reader had to unescape.
struct input_event {
  sh::event value;
  std::size_t line;
};

struct problem {
  std::size_t line;
  std::string message;
  std::optional<sh::rejection_code> code = std::nullopt;
  const sh::event* event = nullptr;  // the rejected event, when the ledger rejected it
};

class string_arena {
 public:
  /// Keeps `s` alive for the arena's lifetime unless it already points into `stable`.
  std::string_view keep(std::string_view s, std::string_view stable) {
    if (s.empty() || (s.data() >= stable.data() && s.data() + s.size() <= stable.data() + stable.size())) return s;
    return kept_.emplace_back(s);
  }

 private:
  std::deque<std::string> kept_;
};

void keep_ids(sh::event& e, string_arena& arena, std::string_view buffer) {
  std::visit(
      [&](auto& x) {
        x.order = arena.keep(x.order, buffer);
        x.seller = arena.keep(x.seller, buffer);
      },
      e);
}

using amazon_ledger = sh::ledger<sh::jst, sh::amazon::pre_fulfillment_cancel_rate, sh::amazon::late_shipment_rate_10d,
                                 sh::amazon::late_shipment_rate_30d>;
using qoo10_ledger = sh::ledger<sh::jst, sh::qoo10::cancel_rate_month, sh::qoo10::cancel_rate_quarter,
                                sh::qoo10::monthly_warning, sh::qoo10::quarterly_restriction>;
using all_ledger = sh::ledger<sh::jst, sh::amazon::pre_fulfillment_cancel_rate, sh::amazon::late_shipment_rate_10d,
                              sh::amazon::late_shipment_rate_30d, sh::qoo10::cancel_rate_month,
                              sh::qoo10::cancel_rate_quarter, sh::qoo10::monthly_warning, sh::qoo10::quarterly_restriction>;

// ---- output --------------------------------------------------------------------------------

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else out += ch;
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

template <class Rule, class Ledger>
void add_penalties(const Ledger& book, sh::seller_index s, sh::local_day as_of, seller_report& out) {
  for (const auto& e : book.template penalty_history<Rule>(s, as_of))
    out.penalties.push_back({e.rule, e.evaluated_on, e.period, e.counts, Rule::tier_name(e.tier)});
  const auto next = book.template next_penalty<Rule>(s);
  projection_row row{{next.rule, next.evaluated_on, next.period, next.counts, Rule::tier_name(next.tier)}, {}};
  for (const auto& step : next.before_each_tier)
    if (step.absorbable) row.absorbable.emplace_back(Rule::tier_name(step.tier), *step.absorbable);
  out.next_penalties.push_back(std::move(row));
}

template <class Ledger>
seller_report seller_summary(const Ledger& book, sh::seller_index s, sh::local_day as_of) {
  const auto results = book.evaluate_all(s, as_of);
  const auto clears = book.clears_on_all(s);
  seller_report out{book.seller_id(s), std::vector<sh::metric_result>(results.begin(), results.end()),
                    std::vector<std::optional<sh::local_day>>(clears.begin(), clears.end()), {}, {}};
  if constexpr (Ledger::penalty_rule_count > 0) {
    add_penalties<sh::qoo10::monthly_warning>(book, s, as_of, out);
    add_penalties<sh::qoo10::quarterly_restriction>(book, s, as_of, out);
    // Both rules may judge on the same day (a quarter's first day): the monthly one first.
    std::stable_sort(out.penalties.begin(), out.penalties.end(),
                     [](const penalty_row& a, const penalty_row& b) { return a.evaluated_on < b.evaluated_on; });
  }
  return out;
}

void write_json(std::ostream& out, sh::local_day as_of, std::string_view market, const std::vector<seller_report>& sellers) {
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
      out << (j ? "," : "") << "\n  {\"rule\":\"" << p.rule << "\",\"evaluated_on\":\"" << sh::format_day(p.evaluated_on)
          << "\",\"from\":\"" << sh::format_day(p.period.from) << "\",\"to\":\"" << sh::format_day(p.period.to)
          << "\",\"numerator\":" << p.counts.numerator << ",\"denominator\":" << p.counts.denominator
          << ",\"tier\":\"" << p.tier << "\"}";
    }
    out << "]";
    if (!s.next_penalties.empty()) {
      out << ",\"next_penalties\":[";
      for (std::size_t j = 0; j < s.next_penalties.size(); ++j) {
        const auto& n = s.next_penalties[j];
        out << (j ? "," : "") << "\n  {\"rule\":\"" << n.outcome.rule << "\",\"evaluated_on\":\""
            << sh::format_day(n.outcome.evaluated_on) << "\",\"from\":\"" << sh::format_day(n.outcome.period.from)
            << "\",\"to\":\"" << sh::format_day(n.outcome.period.to) << "\",\"numerator_so_far\":" << n.outcome.counts.numerator
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

void write_table(std::ostream& out, sh::local_day as_of, std::string_view market, const std::vector<seller_report>& sellers) {
  out << "as of the end of " << sh::format_day(as_of) << " (JST), marketplace " << market << ", " << sellers.size()
      << (sellers.size() == 1 ? " seller\n" : " sellers\n");
  std::vector<std::vector<std::string>> rows{
      {"seller", "metric", "window", "bad/orders", "rate", "target", "status", "can still afford"}};
  for (const auto& s : sellers)
    for (std::size_t j = 0; j < s.metrics.size(); ++j) {
      const auto& m = s.metrics[j];
      std::string afford;
      if (m.status == sh::status::good)
        afford = m.headroom == 0 ? "none: the next bad order misses the target"
                                 : std::to_string(m.headroom) + (m.headroom == 1 ? " more bad order" : " more bad orders");
      else if (m.status == sh::status::bad) {
        afford = "none: target missed";
        if (m.recovery) afford += "; " + std::to_string(*m.recovery) + " more good orders recover it";
        afford += s.clears_on[j] ? "; clears on " + sh::format_day(*s.clears_on[j]) + " if nothing else happens"
                                 : "; does not clear by itself within a year";
      }
      if (m.low_volume)
        afford += " (low volume: " + std::to_string(m.counts.denominator) + (m.counts.denominator == 1 ? " order)" : " orders)");
      rows.push_back({std::string(s.seller), std::string(m.metric),
                      sh::format_day(m.period.from) + ".." + sh::format_day(m.period.to),
                      std::to_string(m.counts.numerator) + "/" + std::to_string(m.counts.denominator), percent(m.counts),
                      target_text(m.goal), std::string(sh::to_string(m.status)), afford});
    }
  print_columns(out, rows);
  std::vector<std::vector<std::string>> penalties{{"seller", "rule", "evaluated on", "period", "cancelled/orders", "rate", "tier"}};
  for (const auto& s : sellers) {
    for (const auto& p : s.penalties)
      penalties.push_back({std::string(s.seller), std::string(p.rule), sh::format_day(p.evaluated_on),
                           sh::format_day(p.period.from) + ".." + sh::format_day(p.period.to),
                           std::to_string(p.counts.numerator) + "/" + std::to_string(p.counts.denominator),
                           percent(p.counts), std::string(p.tier)});
    for (const auto& n : s.next_penalties) {
      std::string tier = std::string(n.outcome.tier) + " if nothing changes";
      for (const auto& [worse, more] : n.absorbable)
        tier += "; " + std::to_string(more) + " more cancellation" + (more == 1 ? "" : "s") + " before " + std::string(worse);
      penalties.push_back({std::string(s.seller), std::string(n.outcome.rule), sh::format_day(n.outcome.evaluated_on) + " (next)",
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
      out << (i ? "," : "") << "\n {\"option\":\"" << sh::to_string(o.kind) << "\",\"available\":" << (o.available ? "true" : "false")
          << ",\"plan\":" << json_string(o.plan) << ",\"expected_days_bad\":" << json_number(o.expected_days_bad) << ",\"metrics\":[";
      for (std::size_t j = 0; j < o.metrics.size(); ++j) {
        const auto& m = o.metrics[j];
        out << (j ? "," : "") << "\n  {\"metric\":\"" << m.metric << "\",\"expected_days_bad\":" << json_number(m.expected_days_bad)
            << ",\"expected_rate\":[";
        for (std::size_t d = 0; d < m.expected_rate.size(); ++d) out << (d ? "," : "") << json_number(m.expected_rate[d]);
        out << "],\"chance_bad\":[";
        for (std::size_t d = 0; d < m.chance_bad.size(); ++d) out << (d ? "," : "") << json_number(m.chance_bad[d]);
        out << "]}";
      }
      out << "],\"worst_tiers\":[";
      for (std::size_t j = 0; j < o.worst_tiers.size(); ++j) {
        const auto& t = o.worst_tiers[j];
        out << (j ? "," : "") << "{\"rule\":\"" << t.rule << "\",\"tier\":\"" << t.worst_tier << "\",\"evaluated_on\":"
            << (t.evaluated_on ? "\"" + sh::format_day(*t.evaluated_on) + "\"" : "null") << ",\"chance\":" << json_number(t.chance)
            << "}";
      }
      out << "]}";
    }
    out << "]}\n";
    return;
  }
  out << "order " << a.order << " of seller " << a.seller << ", acting at " << sh::format_instant(now)
      << "; metrics projected over " << sh::format_day(a.projected.from) << ".." << sh::format_day(a.projected.to) << "\n";
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
        tiers += (tiers.empty() ? "" : ", ") + std::string(t.rule) + " " + std::string(t.worst_tier) + " (" + chance + ")";
      }
      if (tiers.empty()) tiers = o.worst_tiers.empty() ? "-" : "none";
    }
    rows.push_back({std::string(sh::to_string(o.kind)) + (o.kind == a.recommended ? " *" : ""), days, tiers, o.plan});
  }
  print_columns(out, rows);
  out << "\nrecommended: " << a.reason << "\n";
}

// ---- the report ----------------------------------------------------------------------------

template <class Ledger>
int replay_and_render(const options& o, const std::vector<input_event>& events, std::vector<problem>& problems,
                      std::string_view market);

int report(const options& o) {
  const auto data = read_file(o.file);
  if (!data) {
    std::cerr << "sellerhealth: cannot read '" << o.file << "'\n";
    return 2;
  }
  std::vector<problem> problems;
  std::vector<input_event> events;
  string_arena arena;
  sh::io::event_reader reader(*data);
  if (const auto header_error = reader.read_header()) {
    std::cerr << o.file << ':' << header_error->line << ": " << header_error->message << '\n';
    return 1;
  }
  sh::io::record rec;
  std::optional<sh::io::csv_error> record_error;
  while (reader.next(rec, record_error)) {
    if (record_error) {
      problems.push_back({record_error->line, record_error->message});
      record_error.reset();
      continue;
    }
    auto parsed = sh::io::to_event(rec);
    if (parsed.error) {
      problems.push_back({parsed.error->line, parsed.error->message});
      continue;
    }
    keep_ids(*parsed.value, arena, *data);
    events.push_back({*parsed.value, rec.line});
  }

  // Lines may come in any order; equal times keep file order.
  std::stable_sort(events.begin(), events.end(),
                   [](const input_event& a, const input_event& b) { return sh::time_of(a.value) < sh::time_of(b.value); });

  switch (o.market) {
    case marketplace::amazon_jp: return replay_and_render<amazon_ledger>(o, events, problems, "amazon-jp");
    case marketplace::qoo10_jp: return replay_and_render<qoo10_ledger>(o, events, problems, "qoo10-jp");
    case marketplace::all: break;
  }
  return replay_and_render<all_ledger>(o, events, problems, "all");
}

template <class Ledger>
int replay_and_render(const options& o, const std::vector<input_event>& events, std::vector<problem>& problems,
                      std::string_view market) {
  Ledger book;
  const sh::local_day as_of =
      o.as_of ? *o.as_of : (events.empty() ? sh::local_day{} : sh::jst::day_of(sh::time_of(events.back().value)));
  const sh::sys_seconds end_of_as_of = sh::jst::start_of(as_of + std::chrono::days{1});

  // Events up to the end of the as-of day build the state reported on; the rest are still
  // checked, so a bad line is reported wherever it is.
  std::size_t next = 0;
  sh::sys_seconds latest{};
  const auto feed_until = [&](std::optional<sh::sys_seconds> stop) {
    for (; next < events.size() && (!stop || sh::time_of(events[next].value) < *stop); ++next) {
      if (auto rejected = book.try_record(events[next].value))
        problems.push_back({events[next].line, rejected->message, rejected->code, &events[next].value});
      else
        latest = std::max(latest, sh::time_of(events[next].value));
    }
  };
  feed_until(end_of_as_of);
  book.advance_to(as_of);

  std::ostringstream rendered;
  if (o.what == command::report) {
    std::vector<seller_report> sellers;
    for (sh::seller_index s = 0; s < book.seller_count(); ++s) sellers.push_back(seller_summary(book, s, as_of));
    std::sort(sellers.begin(), sellers.end(), [](const auto& a, const auto& b) { return a.seller < b.seller; });
    if (o.format == output_format::json) write_json(rendered, as_of, market, sellers);
    else write_table(rendered, as_of, market, sellers);
  } else {
    // The seller acts at the latest moment the file tells of, or at the start of --as-of if later.
    const sh::sys_seconds now = std::max(latest, sh::jst::start_of(as_of));
    try {
      const auto advice = sh::advise(book, {.order = o.order, .now = now, .in_stock = o.in_stock, .stock_arrives = o.stock_arrives,
                                            .buyer_accepts = o.buyer_accepts, .daily_orders = o.daily_orders});
      write_advice(rendered, advice, now, o.format);
    } catch (const sh::error& e) {
      std::cerr << "sellerhealth: " << e.what() << " (as of " << sh::format_day(as_of) << ")\n";
      return 2;
    }
  }

  feed_until(std::nullopt);
  // Sorted by time, an event dated before its order's placement comes before the `placed` line
  // and finds no order; once every line is in, say what is really wrong with it.
  for (problem& p : problems) {
    if (p.code != sh::rejection_code::unknown_order) continue;
    const std::string_view id = sh::order_of(*p.event);
    if (const auto placed = book.order(id))
      p.message = "order '" + std::string(id) + "': event at " + sh::format_instant(sh::time_of(*p.event)) +
                  " is earlier than its placement at " + sh::format_instant(placed->placed_at());
  }
  std::stable_sort(problems.begin(), problems.end(), [](const problem& a, const problem& b) { return a.line < b.line; });
  for (const auto& p : problems) std::cerr << o.file << ':' << p.line << ": " << p.message << '\n';
  if (!problems.empty() && !o.skip_invalid) {
    std::cerr << "sellerhealth: " << problems.size() << " bad line" << (problems.size() == 1 ? "" : "s")
              << "; no report written (use --skip-invalid to report without them)\n";
    return 1;
  }
  if (!problems.empty())
    std::cerr << "sellerhealth: skipped " << problems.size() << " bad line" << (problems.size() == 1 ? "" : "s") << '\n';
  std::cout << rendered.str();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    if (std::find(args.begin(), args.end(), "--help") != args.end() || std::find(args.begin(), args.end(), "-h") != args.end()) {
      std::cout << usage_text;
      return 0;
    }
    return report(parse_arguments(argc, argv));
  } catch (const usage_error& e) {
    std::cerr << "sellerhealth: " << e.message << "\n" << usage_text;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "sellerhealth: " << e.what() << '\n';
    return 2;
  }
}
