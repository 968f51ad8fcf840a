// Benchmarks of the sliding-window rate calculator on its own (window.hpp; method and results:
// bench/README.md), against the plain way to keep the same counts: one std::map<day, count> per
// key, measure and counter, summed by walking the map over the window's days.
//
//   BM_WindowAdd/K        `add` of one count on a random recent day of one of K keys
//   BM_NaiveMapAdd/K      `++map[day]` for the same operations
//   BM_WindowMove/K       `move_count` of one count between two random recent days
//   BM_NaiveMapMove/K     `--map[from]; ++map[to]`
//   BM_WindowSum/N        the N-day rolling sum of one measure of one key, keys in turn (1,000 keys)
//   BM_NaiveMapSum/N      the same sum from the maps
//   BM_WindowAdvance      moving the clock one day and counting one key (its lazy clearing)
//
// The window is the ledger's shape for Amazon: two measures, 60 days kept (a 64-day ring). The
// operations are drawn before timing (splitmix64, fixed seed): a uniform key, measure and counter,
// and a day among the 60 ending at today, as a ledger's moves of recent orders are.
#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <sellerhealth/calendar.hpp>
#include <sellerhealth/rate.hpp>
#include <sellerhealth/window.hpp>
#include <vector>

namespace {

namespace sh = sellerhealth;
using window = sh::basic_rate_window<2>;
constexpr int days_kept = 60;
constexpr std::size_t measures = 2;
const sh::local_day today{std::chrono::year{2026} / 9 / 30};

std::uint64_t splitmix(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

struct operation {
  std::uint32_t key;
  std::uint8_t measure;
  sh::rate_part part;
  std::uint8_t back;        // the day counted: today - back
  std::uint8_t back_other;  // for a move, the day the count moves to: today - back_other
};

constexpr std::size_t operation_count = std::size_t{1} << 16;

std::vector<operation> operations(std::uint32_t keys) {
  std::uint64_t state = 42;
  std::vector<operation> out(operation_count);
  for (operation& o : out) {
    o.key = static_cast<std::uint32_t>(splitmix(state) % keys);
    o.measure = static_cast<std::uint8_t>(splitmix(state) % measures);
    o.part = splitmix(state) % 2 == 0 ? sh::rate_part::numerator : sh::rate_part::denominator;
    o.back = static_cast<std::uint8_t>(splitmix(state) % days_kept);
    o.back_other = static_cast<std::uint8_t>(splitmix(state) % days_kept);
  }
  return out;
}

sh::local_day day_of(std::uint8_t back) { return today - std::chrono::days{back}; }

/// The naive store: per key, measure and counter, a map from day to count.
struct naive_maps {
  std::vector<std::map<sh::local_day, std::uint32_t>> maps;
  explicit naive_maps(std::uint32_t keys) : maps(keys * measures * 2) {}
  std::map<sh::local_day, std::uint32_t>& of(std::uint32_t key, std::size_t measure, sh::rate_part part) {
    return maps[(key * measures + measure) * 2 + static_cast<std::size_t>(part)];
  }
  [[nodiscard]] sh::rate sum(std::uint32_t key, std::size_t measure, const sh::day_range& days) const {
    sh::rate out{};
    for (const sh::rate_part part : {sh::rate_part::numerator, sh::rate_part::denominator}) {
      const auto& m = maps[(key * measures + measure) * 2 + static_cast<std::size_t>(part)];
      std::uint64_t total = 0;
      for (auto it = m.lower_bound(days.from); it != m.end() && it->first <= days.to; ++it) total += it->second;
      (part == sh::rate_part::numerator ? out.numerator : out.denominator) = total;
    }
    return out;
  }
};

/// Both stores with every counter of every key at `start` on every day kept, so that removals in
/// the move benchmarks never take a counter below zero.
constexpr std::uint32_t start = 1u << 24;

window filled_window(std::uint32_t keys) {
  window w(days_kept, today - std::chrono::days{days_kept - 1});
  for (std::uint32_t k = 0; k < keys; ++k) (void)w.add_key();
  for (int back = days_kept - 1; back >= 0; --back) {
    w.advance_to(today - std::chrono::days{back});
    for (std::uint32_t k = 0; k < keys; ++k)
      for (std::size_t m = 0; m < measures; ++m)
        for (const sh::rate_part p : {sh::rate_part::numerator, sh::rate_part::denominator})
          w.add(k, m, p, w.today(), static_cast<int>(start));
  }
  return w;
}

naive_maps filled_maps(std::uint32_t keys) {
  naive_maps n(keys);
  for (auto& m : n.maps)
    for (int back = 0; back < days_kept; ++back) m[today - std::chrono::days{back}] = start;
  return n;
}

void BM_WindowAdd(benchmark::State& state) {
  const auto keys = static_cast<std::uint32_t>(state.range(0));
  const auto ops = operations(keys);
  window w = filled_window(keys);
  std::size_t i = 0;
  for (auto _ : state) {
    const operation& o = ops[i++ & (operation_count - 1)];
    w.add(o.key, o.measure, o.part, day_of(o.back), 1);
  }
  benchmark::DoNotOptimize(w.sum(0, 0, {today, today}));
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes_per_key"] = static_cast<double>(w.bytes_per_key());
}

void BM_NaiveMapAdd(benchmark::State& state) {
  const auto keys = static_cast<std::uint32_t>(state.range(0));
  const auto ops = operations(keys);
  naive_maps n = filled_maps(keys);
  std::size_t i = 0;
  for (auto _ : state) {
    const operation& o = ops[i++ & (operation_count - 1)];
    ++n.of(o.key, o.measure, o.part)[day_of(o.back)];
  }
  benchmark::DoNotOptimize(n.sum(0, 0, {today, today}));
  state.SetItemsProcessed(state.iterations());
}

void BM_WindowMove(benchmark::State& state) {
  const auto keys = static_cast<std::uint32_t>(state.range(0));
  const auto ops = operations(keys);
  window w = filled_window(keys);
  std::size_t i = 0;
  for (auto _ : state) {
    const operation& o = ops[i++ & (operation_count - 1)];
    w.move_count(o.key, o.measure, o.part, day_of(o.back), day_of(o.back_other));
  }
  benchmark::DoNotOptimize(w.sum(0, 0, {today, today}));
  state.SetItemsProcessed(state.iterations());
}

void BM_NaiveMapMove(benchmark::State& state) {
  const auto keys = static_cast<std::uint32_t>(state.range(0));
  const auto ops = operations(keys);
  naive_maps n = filled_maps(keys);
  std::size_t i = 0;
  for (auto _ : state) {
    const operation& o = ops[i++ & (operation_count - 1)];
    auto& m = n.of(o.key, o.measure, o.part);
    if (o.back == o.back_other) continue;  // as `move_count`: equal days change nothing
    --m[day_of(o.back)];
    ++m[day_of(o.back_other)];
  }
  benchmark::DoNotOptimize(n.sum(0, 0, {today, today}));
  state.SetItemsProcessed(state.iterations());
}

constexpr std::uint32_t sum_keys = 1000;

/// A window and the maps holding the same counts: the fill, then 2^16 random adds to both.
struct sum_fixture {
  window w = filled_window(sum_keys);
  naive_maps n = filled_maps(sum_keys);
  sum_fixture() {
    for (const operation& o : operations(sum_keys)) {
      w.add(o.key, o.measure, o.part, day_of(o.back), 1);
      ++n.of(o.key, o.measure, o.part)[day_of(o.back)];
    }
  }
  /// Every key's every N-day sum agrees between the two stores.
  [[nodiscard]] bool agree(int days) const {
    const sh::day_range range = sh::rolling_days(days).period(today);
    for (std::uint32_t k = 0; k < sum_keys; ++k)
      for (std::size_t m = 0; m < measures; ++m)
        if (w.sum(k, m, range) != n.sum(k, m, range)) return false;
    return true;
  }
};

const sum_fixture& sums() {
  static const sum_fixture f;
  return f;
}

void BM_WindowSum(benchmark::State& state) {
  const sum_fixture& f = sums();
  const auto days = static_cast<int>(state.range(0));
  if (!f.agree(days)) state.SkipWithError("the window and the naive maps disagree");
  const sh::window_spec spec = sh::rolling_days(days);
  std::uint32_t k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.w.sum(k, 0, spec, today));
    if (++k == sum_keys) k = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_NaiveMapSum(benchmark::State& state) {
  const sum_fixture& f = sums();
  const auto days = static_cast<int>(state.range(0));
  if (!f.agree(days)) state.SkipWithError("the window and the naive maps disagree");
  const sh::day_range range = sh::rolling_days(days).period(today);
  std::uint32_t k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.n.sum(k, 0, range));
    if (++k == sum_keys) k = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_WindowAdvance(benchmark::State& state) {
  // One key, the clock moving a day per iteration: each count then clears one day's slot first.
  window w(days_kept, today);
  const auto k = w.add_key();
  for (auto _ : state) {
    w.advance_to(w.today() + std::chrono::days{1});
    w.add(k, 0, sh::rate_part::denominator, w.today(), 1);
  }
  benchmark::DoNotOptimize(w.sum(k, 0, {w.today(), w.today()}));
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_WindowAdd)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_NaiveMapAdd)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_WindowMove)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_NaiveMapMove)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_WindowSum)->Arg(7)->Arg(30)->Arg(60)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_NaiveMapSum)->Arg(7)->Arg(30)->Arg(60)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_WindowAdvance)->Unit(benchmark::kNanosecond);
