// `sellerhealth`: read a marketplace's order events (CSV) and report, per seller, where each metric
// stands, whether it meets the platform's target, and how much room is left. A thin shell over the
// library: arguments, dispatch, exit codes and `--state`; the replay is io/replay.hpp, the
// documents report.hpp, the marketplaces marketplaces.hpp. events-csv.md is the contract.
//
// Exit status: 0 success, 1 bad lines found (without --skip-invalid), 2 usage error, unreadable
// file, or a --state file that cannot be read, restored or written.
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
#include <sellerhealth/io/replay.hpp>
#include <sellerhealth/sellerhealth.hpp>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

namespace sh = sellerhealth;

constexpr std::string_view overview =
    "usage: sellerhealth report [--marketplace amazon-jp|qoo10-jp|all] [--as-of YYYY-MM-DD]\n"
    "                           [--format table|json] [--threads N] [--skip-invalid]\n"
    "                           [--all-errors] [--state FILE] EVENTS.csv\n"
    "       sellerhealth series --from YYYY-MM-DD --to YYYY-MM-DD [--marketplace ...]\n"
    "                           [--format csv|jsonl] [--threads N] [--skip-invalid] [--all-errors] EVENTS.csv\n"
    "       sellerhealth advise --order ID [--in-stock N] [--stock-arrives YYYY-MM-DD]\n"
    "                           [--buyer-accepts P] [--daily-orders N] [--consider-waiting]\n"
    "                           [--marketplace ...] [--as-of YYYY-MM-DD] [--format table|json]\n"
    "                           [--skip-invalid] [--all-errors] EVENTS.csv\n"
    "       sellerhealth --version\n"
    "\n"
    "report: each seller's metrics at the end of a day, with how many more bad orders it can afford.\n"
    "series: one row per day, seller and metric, each day's rows equal to report --as-of that day.\n"
    "advise: what to do with one order that cannot ship as promised, each option projected.\n"
    "'sellerhealth COMMAND --help' describes a command and its options.\n"
    "Exit status: 0 success, 1 bad lines found (without --skip-invalid), 2 usage error, unreadable\n"
    "file, or a --state file that cannot be read, restored or written.\n";

constexpr std::string_view common_options =
    "  --marketplace M   amazon-jp, qoo10-jp or all (default all)\n"
    "  --skip-invalid    leave bad lines out and go on (they are still listed and counted)\n"
    "  --all-errors      list every bad line (default: the first 20 and how many more)\n";

constexpr std::string_view report_manual =
    "usage: sellerhealth report [--marketplace amazon-jp|qoo10-jp|all] [--as-of YYYY-MM-DD]\n"
    "                           [--format table|json] [--threads N] [--skip-invalid]\n"
    "                           [--all-errors] [--state FILE] EVENTS.csv\n"
    "\n"
    "Each seller's metrics at the end of the --as-of day, with how many more bad orders it can\n"
    "afford, how many good ones would recover a BAD metric, and when a BAD one clears; then the\n"
    "penalty evaluations so far and the next ones.\n"
    "  --as-of DAY       the day to report (default: the JST day of the latest event)\n"
    "  --format F        table (default) or json\n"
    "  --threads N       split the orders over N threads, 1 to 64 (default: all cores)\n"
    "  --state FILE      start from the ledger saved in FILE (if it exists), add the events, and\n"
    "                    save it back (a new file renamed over the old) when exiting with 0\n";

constexpr std::string_view series_manual =
    "usage: sellerhealth series --from YYYY-MM-DD --to YYYY-MM-DD [--marketplace ...]\n"
    "                           [--format csv|jsonl] [--threads N] [--skip-invalid] [--all-errors] EVENTS.csv\n"
    "\n"
    "One row per day, seller and metric (numerator, denominator, status), each day's rows equal\n"
    "to report --as-of that day, from one pass over the events.\n"
    "  --from DAY, --to DAY  the first and last day, at most 3660 days apart\n"
    "  --format F        csv (default) or jsonl\n"
    "  --threads N       split the orders over N threads, 1 to 64 (default: all cores)\n";

constexpr std::string_view advise_manual =
    "usage: sellerhealth advise --order ID [--in-stock N] [--stock-arrives YYYY-MM-DD]\n"
    "                           [--buyer-accepts P] [--daily-orders N] [--consider-waiting]\n"
    "                           [--marketplace ...] [--as-of YYYY-MM-DD] [--format table|json]\n"
    "                           [--skip-invalid] [--all-errors] EVENTS.csv\n"
    "\n"
    "What to do with one order that cannot ship as promised: cancel now, ask the buyer to cancel\n"
    "first, wait for the automatic cancellation, ship what is in stock and refund the rest, or ship\n"
    "when stock arrives; each projected over the next 30 days and the next penalty evaluations.\n"
    "Waiting is shown but not recommended (the platform asks sellers to ship or cancel) unless\n"
    "--consider-waiting is given. Times are JST.\n"
    "  --order ID        the order (required)\n"
    "  --in-stock N      units on hand now\n"
    "  --stock-arrives DAY  when the rest can ship\n"
    "  --buyer-accepts P the chance a buyer asked to cancel does so (default 0.5)\n"
    "  --daily-orders N  more orders a day to assume, each shipped on time\n"
    "  --consider-waiting  let wait_for_auto_cancel be recommended when it scores best\n"
    "  --as-of DAY       act at the start of that day at the earliest (default: the latest event)\n"
    "  --format F        table (default) or json\n";

enum class command { report, advise, series };

struct options {
  command what = command::report;
  std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
  sh::local_day from{}, to{};  // series
  std::string market = "all";
  std::string order;  // advise
  std::optional<std::uint32_t> in_stock;
  std::optional<sh::local_day> stock_arrives;
  double buyer_accepts = 0.5;
  std::uint32_t daily_orders = 0;
  bool consider_waiting = false;
  std::optional<sh::local_day> as_of;
  std::string_view format = "table";  // table or json; csv or jsonl for series
  bool skip_invalid = false;
  bool all_errors = false;
  std::optional<std::string> state;  // report: the ledger to continue from and save to
  std::string file;
};

struct usage_error {
  std::string message;
};

std::optional<command> command_named(std::string_view name) {
  if (name == "report") return command::report;
  if (name == "series") return command::series;
  if (name == "advise") return command::advise;
  return std::nullopt;
}

options parse_arguments(const std::vector<std::string_view>& args) {
  options o;
  o.what = *command_named(args[0]);
  bool have_file = false, have_order = false, have_from = false, have_to = false;
  if (o.what == command::series) o.format = "csv";
  const auto quoted = [](std::string_view v) { return "'" + std::string(v) + "'"; };
  const auto day_value = [&](std::string_view option, std::string_view v) {
    const auto d = sh::io::parse_day(v);
    if (!d) throw usage_error{std::string(option) + ": expected a date YYYY-MM-DD, got " + quoted(v)};
    return *d;
  };
  const auto count = [&](std::string_view option, std::string_view v) {
    std::uint32_t n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc{} || end != v.data() + v.size() || v.empty())
      throw usage_error{std::string(option) + ": expected a whole number, got " + quoted(v)};
    return n;
  };
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string_view a = args[i];
    const auto value = [&]() -> std::string_view {
      if (i + 1 >= args.size()) throw usage_error{std::string(a) + " needs a value"};
      return args[++i];
    };
    const bool series = o.what == command::series, advise = o.what == command::advise;
    if (a == "--marketplace") {
      o.market = std::string(value());
      if (!sh::with_marketplace(o.market, []<class>() {}))
        throw usage_error{"--marketplace: expected " + sh::marketplace_names() + ", got " + quoted(o.market)};
    } else if (a == "--as-of") {
      o.as_of = day_value(a, value());
    } else if (a == "--format") {
      const auto v = value();
      const std::string_view first = series ? "csv" : "table", second = series ? "jsonl" : "json";
      if (v != first && v != second)
        throw usage_error{"--format: expected " + std::string(first) + " or " + std::string(second) + ", got " +
                          quoted(v)};
      o.format = v == first ? first : second;
    } else if (a == "--from" && series) {
      o.from = day_value(a, value());
      have_from = true;
    } else if (a == "--to" && series) {
      o.to = day_value(a, value());
      have_to = true;
    } else if (a == "--threads" && !advise) {
      o.threads = count(a, value());
      if (o.threads == 0 || o.threads > 64) throw usage_error{"--threads: expected 1 to 64"};
    } else if (a == "--order" && advise) {
      o.order = std::string(value());
      have_order = true;
    } else if (a == "--in-stock" && advise) {
      o.in_stock = count(a, value());
    } else if (a == "--daily-orders" && advise) {
      o.daily_orders = count(a, value());
    } else if (a == "--consider-waiting" && advise) {
      o.consider_waiting = true;
    } else if (a == "--stock-arrives" && advise) {
      o.stock_arrives = day_value(a, value());
    } else if (a == "--buyer-accepts" && advise) {
      const std::string v(value());
      char* end = nullptr;
      o.buyer_accepts = std::strtod(v.c_str(), &end);
      if (v.empty() || end != v.c_str() + v.size() || !(o.buyer_accepts >= 0 && o.buyer_accepts <= 1))
        throw usage_error{"--buyer-accepts: expected a probability from 0 to 1, got " + quoted(v)};
    } else if (a == "--state") {
      if (o.what != command::report) throw usage_error{"--state is for report only"};
      o.state = std::string(value());
      if (o.state->empty()) throw usage_error{"--state needs a file name"};
    } else if (a == "--skip-invalid") {
      o.skip_invalid = true;
    } else if (a == "--all-errors") {
      o.all_errors = true;
    } else if (a.size() > 1 && a[0] == '-') {
      throw usage_error{"unknown option " + quoted(a)};
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

// ---- bad lines ---------------------------------------------------------------------------------

constexpr std::size_t bad_lines_shown = 20;  // without --all-errors

/// Prints the bad lines (the first 20 without --all-errors) and says whether to go on: 0, or 1 to
/// exit with because they were not to be skipped.
int report_problems(const options& o, const sh::io::replay_result& result) {
  const auto& bad = result.bad_lines;
  const std::size_t shown = o.all_errors ? bad.size() : std::min(bad.size(), bad_lines_shown);
  for (std::size_t i = 0; i < shown; ++i)
    std::fprintf(stderr, "%s:%zu: %s\n", o.file.c_str(), bad[i].line, bad[i].message.c_str());
  if (shown < bad.size())
    std::fprintf(stderr, "... and %zu more bad line%s (--all-errors lists them all)\n", bad.size() - shown,
                 bad.size() - shown == 1 ? "" : "s");
  if (bad.empty()) return 0;
  const char* plural = bad.size() == 1 ? "" : "s";
  if (result.status == sh::io::replay_status::bad_lines) {
    std::fprintf(stderr, "sellerhealth: %zu bad line%s; no %s written (use --skip-invalid to go on without them)\n",
                 bad.size(), plural, o.what == command::series ? "complete series was" : "report");
    return 1;
  }
  std::fprintf(stderr, "sellerhealth: skipped %zu bad line%s\n", bad.size(), plural);
  return 0;
}

/// The exit status of a replay that could not read its input (0 if it could).
int unreadable_input(const options& o, const sh::io::replay_result& result) {
  if (result.status == sh::io::replay_status::unreadable) {
    std::fprintf(stderr, "sellerhealth: %s\n", result.error.c_str());
    return 2;
  }
  if (result.status == sh::io::replay_status::bad_header) {
    for (const auto& b : result.bad_lines)
      std::fprintf(stderr, "%s:%zu: %s\n", o.file.c_str(), b.line, b.message.c_str());
    return 1;
  }
  return 0;
}

// ---- the commands ------------------------------------------------------------------------------

template <class Preset>
int run(const options& o) {
  using book_type = sh::sharded<typename Preset::ledger>;
  // advise needs one seller's whole state in one ledger; report and series split orders.
  const std::size_t threads = o.what == command::advise ? 1 : o.threads;
  book_type book(threads);
  sh::io::replay_options<book_type> replay{.skip_invalid = o.skip_invalid};
  std::optional<sh::local_day> state_day;  // the restored ledger's today
  // A state file that does not exist yet is a first run; any other (a directory, unreadable,
  // not a snapshot of this marketplace's ledger) is an error naming the file.
  std::error_code no_state;
  if (o.state && (std::filesystem::exists(*o.state, no_state) || no_state)) {
    try {
      book = book_type::restore_from_file(*o.state, threads);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n", e.what());
      return 2;
    }
    state_day = book[0].today();
    // Should the replay start over (lines out of order), it starts over from the saved state,
    // which only the end of this run replaces.
    replay.fresh_book = [path = *o.state, threads] { return book_type::restore_from_file(path, threads); };
  }
  const auto end_of = [](sh::local_day d) { return sh::jst::start_of(d + std::chrono::days{1}); };

  if (o.what == command::series) {
    for (sh::local_day d = o.from; d <= o.to; d += std::chrono::days{1}) replay.stops.push_back(end_of(d));
    sh::series_writer writer(book, o.format == "csv" ? sh::series_format::csv : sh::series_format::jsonl);
    replay.check_order_first = true;  // rows are written as they come: no restart may follow one
    std::cout << writer.header();
    replay.at_stop = [&](std::size_t i, const sh::io::replay_result&) {
      const sh::local_day day = o.from + std::chrono::days{static_cast<int>(i)};
      book.advance_to(day);
      writer.write_day(day, std::cout);
    };
    const auto result = sh::io::replay_file(book, o.file, std::move(replay));
    std::cout.flush();
    if (const int status = unreadable_input(o, result)) return status;
    return report_problems(o, result);
  }

  // report and advise: the state at the end of --as-of (or, without it, after every event).
  std::string rendered;
  int outcome = 0;
  const auto render = [&](sh::local_day as_of, std::optional<sh::sys_seconds> latest_fed) {
    book.advance_to(as_of);
    std::ostringstream out;
    if (o.what == command::report) {
      if (o.format == "json")
        sh::write_json(out, book, Preset::name);
      else
        sh::write_table(out, book, Preset::name);
    } else {
      // The seller acts at the latest moment the file tells of, or at the start of --as-of if later.
      const sh::sys_seconds now = std::max(latest_fed.value_or(sh::sys_seconds{}), sh::jst::start_of(as_of));
      try {
        const auto advice = sh::advise(book[0], {.order = o.order,
                                                 .now = now,
                                                 .in_stock = o.in_stock,
                                                 .stock_arrives = o.stock_arrives,
                                                 .buyer_accepts = o.buyer_accepts,
                                                 .daily_orders = o.daily_orders,
                                                 .allow_waiting = o.consider_waiting});
        if (o.format == "json")
          sh::write_json(out, advice, now);
        else
          sh::write_table(out, advice, now);
      } catch (const sh::error& e) {
        std::fprintf(stderr, "sellerhealth: %s (as of %s)\n", e.what(), sh::format_day(as_of).c_str());
        outcome = 2;
      }
    }
    rendered = out.str();
  };
  if (o.as_of) {
    replay.stops.push_back(end_of(*o.as_of));
    replay.at_stop = [&](std::size_t, const sh::io::replay_result& so_far) { render(*o.as_of, so_far.latest_fed); };
  }
  const auto result = sh::io::replay_file(book, o.file, std::move(replay));
  if (const int status = unreadable_input(o, result)) return status;
  if (!o.as_of) {
    std::optional<sh::local_day> latest = state_day;
    if (result.latest_event)
      latest = std::max(latest.value_or(sh::local_day::min()), sh::jst::day_of(*result.latest_event));
    if (latest) {
      render(*latest, result.latest_fed);
    } else if (o.what == command::report) {  // no event, no saved state, no --as-of: no day to report
      std::ostringstream out;
      if (o.format == "json")
        sh::write_json(out, book, Preset::name);  // "as_of": null
      else
        out << "no events in " << o.file << ": nothing to report (give --as-of for a day)\n";
      rendered = out.str();
    } else {
      render(sh::local_day{}, result.latest_fed);  // advise: reports the order as unknown
    }
  }
  if (const int bad = report_problems(o, result); bad != 0) return bad;
  if (outcome != 0) return outcome;
  if (o.state) {
    try {
      // Shards fed different days after --as-of must pass the same evaluation days to be saved.
      std::optional<sh::local_day> latest;
      for (std::size_t j = 0; j < book.size(); ++j)
        if (const auto t = book[j].today()) latest = latest ? std::max(*latest, *t) : *t;
      if (latest) book.advance_to(*latest);
      book.save_to_file(*o.state);  // a new file renamed over the old: a crash leaves one or the other
    } catch (const std::exception& e) {
      std::fprintf(stderr, "sellerhealth: %s\n", e.what());
      return 2;
    }
  }
  std::fwrite(rendered.data(), 1, rendered.size(), stdout);
  return 0;
}

std::string_view manual_of(command c) {
  switch (c) {
    case command::report: return report_manual;
    case command::series: return series_manual;
    case command::advise: return advise_manual;
  }
  return overview;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  const std::optional<command> what = args.empty() ? std::nullopt : command_named(args[0]);
  const auto asked = [&](std::string_view a, std::string_view b = {}) {
    return std::find_if(args.begin(), args.end(), [&](std::string_view x) { return x == a || x == b; }) != args.end();
  };
  if (asked("--help", "-h")) {
    std::cout << (what ? manual_of(*what) : overview) << (what ? common_options : "");
    return 0;
  }
  if (!what && asked("--version")) {
    std::cout << "sellerhealth " << sh::version << '\n';
    return 0;
  }
  try {
    if (!what) throw usage_error{args.empty() ? "missing command" : "unknown command '" + std::string(args[0]) + "'"};
    const options o = parse_arguments(args);
    int status = 2;
    sh::with_marketplace(o.market, [&]<class Preset>() { status = run<Preset>(o); });
    return status;
  } catch (const usage_error& e) {
    const std::string command = what ? std::string(args[0]) + ": " : "";
    const std::string help = what ? std::string(args[0]) + " --help" : "--help";
    std::cerr << "sellerhealth: " << command << e.message << "\ntry 'sellerhealth " << help << "'\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "sellerhealth: " << e.what() << '\n';
    return 2;
  }
}
