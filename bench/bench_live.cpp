// The live benchmark: an order manager receives events all day and keeps every seller's status
// current (method and results: bench/README.md, "Live: events arriving during a day").
//
// A ledger of the Amazon preset is loaded once, outside any timing, with every event of the file
// up to the end of the cut day (SELLERHEALTH_LIVE_CUT, default 2026-09-30). The next day's events
// then arrive in file order, in batches of 1,000 (the last one shorter); each batch is recorded
// with `record_all`, and after each batch every seller is refreshed: `evaluate_all` at the book's
// today, stored in a dashboard array, as a dashboard would show it. bench/duckdb_live.mjs does the
// same with SQL (insert the batch, re-run the query); bench/live.sh runs both in one sitting.
//
// What a refresh holds. Per seller and metric (PFCR, LSR 10 and 30 days) everything `report`
// prints except clears_on: counts, status, the low-volume flag, headroom and recovery, all filled
// by the plain `evaluate_all`. clears_on is left out of the main figure because it dominates (the
// refresh takes 23-30x as long with it on the 1M-order workload): it copies a slice of the book
// for every seller with a BAD metric, and each slice walks the whole re-judgement schedule.
// BM_LiveDayWithClearsOn measures the refresh with it, for comparison.
//
//   BM_LiveDay              per iteration: record one batch, refresh every seller
//   BM_LiveDayWithClearsOn  the same, the refresh with `with_clears_on{}`
//
// Each run feeds the whole day `passes` times (the book is reset to the loaded copy between
// passes, with the timing paused), one iteration per batch. Counters: events_per_s (events
// recorded / time in `record_all`), refresh_ms (mean), refresh_median_ms and refresh_p95_ms (over
// every refresh of the run), sellers, bad_metrics (BAD results in the last refresh).
//
//   SELLERHEALTH_LIVE_EVENTS=/tmp/sellerhealth-bench/events-1m.csv build/release/bench/sellerhealth_bench_live
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iterator>
#include <optional>
#include <sellerhealth/io/events_csv.hpp>
#include <sellerhealth/marketplaces.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

namespace sh = sellerhealth;
using live_book = sh::marketplaces::amazon_jp::ledger;
using dashboard_row = std::array<sh::metric_result, live_book::policy_count>;
using clock_type = std::chrono::steady_clock;

constexpr std::size_t batch_size = 1000;
constexpr std::int64_t passes = 5;

/// The workload: the book loaded up to the cut, and the next day's events in file order.
struct live_workload {
  std::string text;                  // the whole file: the events' ids point into it
  std::deque<std::string> unquoted;  // ids the reader had to unescape
  live_book loaded;
  std::vector<sh::event> next_day;
  std::size_t loaded_events = 0;
  std::size_t rejected = 0;
};

std::optional<std::string> read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

/// Reads `path`: events before the end of `cut` into the book, those of the day after into
/// `next_day`, later ones not at all. Prints what is wrong and returns false on a bad file.
bool load(const char* path, sh::local_day cut, live_workload& w) {
  auto text = read_file(path);
  if (!text) {
    std::fprintf(stderr, "cannot read %s\n", path);
    return false;
  }
  w.text = std::move(*text);
  const sh::sys_seconds next_start = sh::jst::start_of(cut + std::chrono::days{1});
  const sh::sys_seconds next_end = sh::jst::start_of(cut + std::chrono::days{2});
  sh::io::event_reader reader{w.text};
  if (auto bad = reader.read_header()) {
    std::fprintf(stderr, "%s:%zu: %s\n", path, bad->line, bad->message.c_str());
    return false;
  }
  const auto keep = [&](std::string_view s) -> std::string_view {
    const bool in_text =
        s.empty() || (s.data() >= w.text.data() && s.data() + s.size() <= w.text.data() + w.text.size());
    return in_text ? s : std::string_view{w.unquoted.emplace_back(s)};
  };
  sh::io::record rec;
  std::optional<sh::io::csv_error> bad;
  while (reader.next(rec, bad)) {
    if (bad) {
      std::fprintf(stderr, "%s:%zu: %s\n", path, bad->line, bad->message.c_str());
      return false;
    }
    auto parsed = sh::io::to_event(rec);
    if (parsed.error) {
      std::fprintf(stderr, "%s:%zu: %s\n", path, parsed.error->line, parsed.error->message.c_str());
      return false;
    }
    sh::event e = *parsed.value;
    const sh::sys_seconds t = sh::time_of(e);
    if (t < next_start) {
      w.rejected += w.loaded.try_record(e).has_value();
      ++w.loaded_events;
    } else if (t < next_end) {
      std::visit(
          [&](auto& x) {
            x.order = keep(x.order);
            x.seller = keep(x.seller);
          },
          e);
      w.next_day.push_back(e);
    }
  }
  return true;
}

/// Records one batch; the count of events the book refused.
std::size_t record_batch(live_book& book, const std::vector<sh::event>& events, std::size_t first) {
  const auto begin = events.begin() + static_cast<std::ptrdiff_t>(first);
  const auto end = events.begin() + static_cast<std::ptrdiff_t>(std::min(events.size(), first + batch_size));
  std::size_t refused = 0;
  book.record_all(
      begin, end, [](const sh::event& e) -> const sh::event& { return e; },
      [&](std::size_t, const sh::rejection&) { ++refused; });
  return refused;
}

/// Every seller's metrics at the book's today, into `board`; the count of BAD results.
template <bool ClearsOn>
std::size_t refresh_all(const live_book& book, std::vector<dashboard_row>& board) {
  const sh::local_day today = *book.today();
  board.resize(book.seller_count());
  std::size_t bad = 0;
  for (sh::seller_index s = 0; s < book.seller_count(); ++s) {
    if constexpr (ClearsOn)
      board[s] = book.evaluate_all(s, today, sh::with_clears_on{});
    else
      board[s] = book.evaluate_all(s, today);
    for (const sh::metric_result& r : board[s]) bad += r.status == sh::status::bad;
  }
  benchmark::DoNotOptimize(board.data());
  benchmark::ClobberMemory();
  return bad;
}

double seconds(clock_type::duration d) { return std::chrono::duration<double>(d).count(); }

/// The value below which `share` of `samples` lie (nearest rank); sorts `samples`.
double quantile(std::vector<double>& samples, double share) {
  std::sort(samples.begin(), samples.end());
  const auto rank = static_cast<std::size_t>(share * static_cast<double>(samples.size() - 1) + 0.5);
  return samples[rank];
}

template <bool ClearsOn>
void live_day(benchmark::State& state, const live_workload& w) {
  live_book book = w.loaded;
  std::vector<dashboard_row> board;
  std::vector<double> refreshes;
  std::size_t next = 0, recorded = 0, refused = 0, bad = 0;
  clock_type::duration recording{};
  for (auto _ : state) {
    if (next >= w.next_day.size()) {  // the day is over: start it again from the loaded book
      state.PauseTiming();
      book = w.loaded;
      next = 0;
      state.ResumeTiming();
    }
    const auto t0 = clock_type::now();
    refused += record_batch(book, w.next_day, next);
    const auto t1 = clock_type::now();
    bad = refresh_all<ClearsOn>(book, board);
    const auto t2 = clock_type::now();
    const std::size_t fed = std::min(batch_size, w.next_day.size() - next);
    next += fed;
    recorded += fed;
    recording += t1 - t0;
    refreshes.push_back(seconds(t2 - t1));
  }
  if (refused > 0) state.SkipWithError("the book refused events of the next day");
  double total_refresh = 0;
  for (const double r : refreshes) total_refresh += r;
  state.counters["events_per_s"] = static_cast<double>(recorded) / seconds(recording);
  state.counters["refresh_ms"] = 1e3 * total_refresh / static_cast<double>(refreshes.size());
  state.counters["refresh_p95_ms"] = 1e3 * quantile(refreshes, 0.95);
  state.counters["refresh_median_ms"] = 1e3 * quantile(refreshes, 0.5);
  state.counters["sellers"] = static_cast<double>(book.seller_count());
  state.counters["bad_metrics"] = static_cast<double>(bad);
}

/// The day's totals over all sellers after its last event, printed so that the DuckDB side's
/// answer can be checked against the book's: sum of PFCR and of LSR 30 days numerators and
/// denominators.
void print_totals_after_the_day(const live_workload& w) {
  live_book book = w.loaded;
  for (std::size_t first = 0; first < w.next_day.size(); first += batch_size) record_batch(book, w.next_day, first);
  std::uint64_t pf_num = 0, pf_den = 0, l30_num = 0, l30_den = 0;
  for (sh::seller_index s = 0; s < book.seller_count(); ++s) {
    const auto pf = book.evaluate<sh::amazon::pre_fulfillment_cancel_rate>(s, *book.today()).counts;
    const auto l30 = book.evaluate<sh::amazon::late_shipment_rate_30d>(s, *book.today()).counts;
    pf_num += pf.numerator;
    pf_den += pf.denominator;
    l30_num += l30.numerator;
    l30_den += l30.denominator;
  }
  std::printf("totals after the day: pf_num=%llu pf_den=%llu l30_num=%llu l30_den=%llu\n",
              static_cast<unsigned long long>(pf_num), static_cast<unsigned long long>(pf_den),
              static_cast<unsigned long long>(l30_num), static_cast<unsigned long long>(l30_den));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const char* path = std::getenv("SELLERHEALTH_LIVE_EVENTS");
  if (path == nullptr || *path == '\0') {
    std::printf(
        "skipped: set SELLERHEALTH_LIVE_EVENTS to an event CSV (the 1M-order workload: bench/live.sh makes it)\n");
    return 0;
  }
  const char* cut_text = std::getenv("SELLERHEALTH_LIVE_CUT");
  const auto cut = sh::io::parse_day(cut_text != nullptr && *cut_text != '\0' ? cut_text : "2026-09-30");
  if (!cut) {
    std::fprintf(stderr, "SELLERHEALTH_LIVE_CUT: expected YYYY-MM-DD, got '%s'\n", cut_text);
    return 1;
  }
  live_workload w;
  if (!load(path, *cut, w)) return 1;
  if (w.next_day.empty()) {
    std::fprintf(stderr, "%s has no events on the day after %s\n", path, sh::format_day(*cut).c_str());
    return 1;
  }
  const std::size_t batches = (w.next_day.size() + batch_size - 1) / batch_size;
  std::printf(
      "loaded %zu events up to %s (%zu refused), %zu sellers; the next day: %zu events, %zu batch(es) of up to %zu\n",
      w.loaded_events, sh::format_day(*cut).c_str(), w.rejected, w.loaded.seller_count(), w.next_day.size(), batches,
      batch_size);
  print_totals_after_the_day(w);
  std::fflush(stdout);  // before the harness writes its context to stderr
  const auto iterations = static_cast<benchmark::IterationCount>(batches) * passes;
  benchmark::RegisterBenchmark("BM_LiveDay", [&w](benchmark::State& s) { live_day<false>(s, w); })
      ->Iterations(iterations)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_LiveDayWithClearsOn", [&w](benchmark::State& s) { live_day<true>(s, w); })
      ->Iterations(iterations)
      ->Unit(benchmark::kMillisecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
