// Benchmarks of the order ledger (method and results: bench/README.md).
//
// Workload: deterministic synthetic orders shaped like shared/tools/peers/gen_events.py: sellers
// drawn from a power law over 1,000 sellers (weight 1 / rank^0.8), placement times in JST, ship-by
// at the end of the second local day after placement, 85 % single-unit orders, and per order:
// 94 % shipped on time, 3 % shipped late (up to 72 h after ship-by), 1.5 % cancelled by the seller,
// 1 % buyer cancel request then seller cancel, 0.5 % left open. Every id and event is generated
// before timing; events hold string_views into id arenas that live as long as the fixture, with
// each event's order id copied in event order (as a parser hands them over).
//
//   BM_RecordWithOpenOrders/N  record one event into a ledger holding about N open orders
//   BM_EvaluateWithHistory/N   the three Amazon metrics of one seller at today, N orders replayed
//   BM_NaiveRecount/N          the same question answered by tests/support/naive_recount.hpp
//   BM_ReplayAll<false>/N      a fresh ledger fed N orders' time-sorted events; memory counters
//   BM_ReplayAll<true>/N       the same through one `record_all` call (look-ahead loads)
//
// Memory counters come from ledger::memory_bytes() (container capacities): bytes_per_order is
// memory / orders; bytes_per_order_wo_sellers and bytes_per_open_order are the marginal bytes per
// order over a ledger with the same sellers and one order each; bytes_per_seller is the marginal
// bytes per seller (4,096 orders of one seller against the same orders over 4,096 sellers).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <sellerhealth/amazon.hpp>
#include <sellerhealth/events.hpp>
#include <sellerhealth/ledger.hpp>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "../tests/support/naive_recount.hpp"

namespace {

namespace sh = sellerhealth;
namespace amazon = sellerhealth::amazon;
using book = sh::ledger<sh::jst, amazon::pre_fulfillment_cancel_rate, amazon::late_shipment_rate_10d,
                        amazon::late_shipment_rate_30d>;

constexpr std::int64_t day_seconds = 86400;
constexpr std::uint32_t seller_universe = 1000;
constexpr std::size_t order_id_width = 10;  // "O000000042"
constexpr std::size_t seller_id_width = 7;  // "S000042"

// 2026-01-01T00:00:00+09:00 as unix seconds.
constexpr std::int64_t year_start =
    std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}.time_since_epoch().count() * day_seconds - 9 * 3600;

// ---- deterministic randomness (splitmix64: the same stream with every compiler and library) ---

class random_source {
 public:
  explicit random_source(std::uint64_t seed) noexcept : state_(seed) {}
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::int64_t below(std::int64_t n) noexcept {                                     // [0, n)
    return std::min(n - 1, static_cast<std::int64_t>(unit() * static_cast<double>(n)));
  }

 private:
  std::uint64_t state_;
};

/// Power-law seller sizes: seller k is drawn with weight 1 / (k + 1)^0.8, as gen_events.py.
class seller_picker {
 public:
  seller_picker() {
    double sum = 0;
    for (std::uint32_t k = 0; k < seller_universe; ++k) {
      sum += 1.0 / std::pow(static_cast<double>(k) + 1.0, 0.8);
      cumulative_.push_back(sum);
    }
  }
  std::uint32_t pick(random_source& r) const noexcept {
    const double x = r.unit() * cumulative_.back();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
    return static_cast<std::uint32_t>(std::min<std::ptrdiff_t>(it - cumulative_.begin(), seller_universe - 1));
  }

 private:
  std::vector<double> cumulative_;
};

// ---- synthetic orders -------------------------------------------------------------------------

enum class kind : std::uint8_t { placed, shipped, requested, cancelled };

struct raw_event {
  std::int64_t at;
  std::uint32_t order;
  std::uint8_t seq;  // placed 0, first outcome 1, second 2: the tie-break of gen_events.py
  kind what;
};

struct order_plan {
  std::int64_t placed = 0;
  std::int64_t ship_by = 0;
  std::int64_t last = 0;  // time of the order's last event; max() when it is left open
  std::uint32_t seller = 0;
  std::uint32_t quantity = 1;
};

/// Draws one order's outcome (gen_events.py's mix) and appends its events.
void plan_order(random_source& r, std::uint32_t order, std::int64_t placed, std::uint32_t seller, order_plan& plan,
                std::vector<raw_event>* out) {
  const sh::local_day day = sh::jst::day_of(sh::sys_seconds{std::chrono::seconds{placed}});
  const std::int64_t ship_by = sh::jst::start_of(day + std::chrono::days{3}).time_since_epoch().count() - 1;
  plan.placed = placed;
  plan.ship_by = ship_by;
  plan.seller = seller;
  plan.quantity = r.unit() < 0.85 ? 1u : static_cast<std::uint32_t>(2 + r.below(3));
  const auto emit = [&](std::int64_t at, std::uint8_t seq, kind what) {
    if (out) out->push_back({at, order, seq, what});
    plan.last = at;
  };
  emit(placed, 0, kind::placed);
  const auto within = [&](double scale) {
    return placed + static_cast<std::int64_t>(static_cast<double>(ship_by - placed) * r.unit() * scale);
  };
  const double u = r.unit();
  if (u < 0.94) {
    emit(within(1.0), 1, kind::shipped);
  } else if (u < 0.97) {
    emit(ship_by + 1 + r.below(72 * 3600 - 1), 1, kind::shipped);
  } else if (u < 0.985) {
    emit(within(1.0), 1, kind::cancelled);
  } else if (u < 0.995) {
    const std::int64_t t = within(0.5);
    emit(t, 1, kind::requested);
    emit(t + 60 + r.below(6 * 3600 - 60), 2, kind::cancelled);
  } else {
    plan.last = std::numeric_limits<std::int64_t>::max();  // left open
  }
}

/// Orders, their id arenas and their time-sorted events. Not copyable or movable: events point
/// into the arenas.
struct workload {
  std::string order_ids;
  std::string seller_ids;
  std::vector<order_plan> orders;
  std::vector<raw_event> events;

  workload() {
    seller_ids.assign(seller_universe * seller_id_width, '0');
    for (std::uint32_t s = 0; s < seller_universe; ++s)
      write_id(seller_ids.data() + s * seller_id_width, 'S', seller_id_width, s);
  }
  workload(const workload&) = delete;
  workload& operator=(const workload&) = delete;

  static void write_id(char* out, char prefix, std::size_t width, std::uint32_t value) noexcept {
    out[0] = prefix;
    for (std::size_t i = width - 1; i > 0; --i, value /= 10) out[i] = static_cast<char>('0' + value % 10);
  }
  [[nodiscard]] std::string_view order_id(std::uint32_t i) const noexcept {
    return {order_ids.data() + std::size_t{i} * order_id_width, order_id_width};
  }
  [[nodiscard]] std::string_view seller_id(std::uint32_t s) const noexcept {
    return {seller_ids.data() + std::size_t{s} * seller_id_width, seller_id_width};
  }

  /// Draws `count` orders with placement times uniform in [from, from + span).
  void generate(std::uint64_t seed, std::size_t count, std::int64_t from, std::int64_t span) {
    random_source r{seed};
    const seller_picker sellers;
    order_ids.assign(count * order_id_width, '0');
    orders.resize(count);
    events.reserve(count * 2 + count / 50);
    for (std::size_t i = 0; i < count; ++i) {
      const auto index = static_cast<std::uint32_t>(i);
      write_id(order_ids.data() + i * order_id_width, 'O', order_id_width, index);
      const std::uint32_t seller = sellers.pick(r);
      plan_order(r, index, from + r.below(span), seller, orders[i], &events);
    }
    std::sort(events.begin(), events.end(), [](const raw_event& a, const raw_event& b) {
      return std::tie(a.at, a.seq, a.order) < std::tie(b.at, b.seq, b.order);
    });
  }

  /// The event `e`, naming its order by `id` (the order's id, wherever it is kept).
  [[nodiscard]] sh::event make(const raw_event& e, std::string_view id) const {
    const sh::sys_seconds at{std::chrono::seconds{e.at}};
    switch (e.what) {
      case kind::placed: {
        const order_plan& o = orders[e.order];
        return sh::placed{.order = id,
                          .seller = seller_id(o.seller),
                          .at = at,
                          .ship_by = sh::sys_seconds{std::chrono::seconds{o.ship_by}},
                          .quantity = o.quantity,
                          .channel = sh::fulfilment::merchant};
      }
      case kind::shipped: return sh::shipped{.order = id, .at = at};
      case kind::requested: return sh::cancel_requested{.order = id, .at = at};
      case kind::cancelled: return sh::cancelled{.order = id, .at = at, .by = sh::actor::seller};
    }
    return sh::shipped{.order = id, .at = at};
  }
};

/// Events ready to record. Each event's order id is copied into `ids` in event order, as a parser
/// hands ids over: reading it from the order's place in the workload's arena instead would add a
/// cache miss per event (the arena is tens of MB, the events are time-sorted, the ids are not)
/// that belongs to the benchmark, not to the ledger. Not copyable or movable: events point into `ids`.
struct event_stream {
  std::string ids;
  std::vector<sh::event> events;

  event_stream() = default;
  event_stream(const event_stream&) = delete;
  event_stream& operator=(const event_stream&) = delete;

  void build(const workload& w, const std::vector<raw_event>& raw) {
    ids.assign(raw.size() * order_id_width, '0');
    events.clear();
    events.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
      char* slot = ids.data() + i * order_id_width;
      const std::string_view id = w.order_id(raw[i].order);
      std::copy(id.begin(), id.end(), slot);
      events.push_back(w.make(raw[i], std::string_view{slot, order_id_width}));
    }
  }
};

/// Marginal bytes of one more seller, from memory_bytes() differences: K orders of one seller
/// against the same K orders spread over K sellers (same ids, same times).
double bytes_per_seller() {
  static const double value = [] {
    constexpr std::uint32_t k = 4096;
    workload w;  // only for its id arenas
    w.order_ids.assign(std::size_t{k} * order_id_width, '0');
    std::string sellers(std::size_t{k} * seller_id_width, '0');
    for (std::uint32_t i = 0; i < k; ++i) {
      workload::write_id(w.order_ids.data() + std::size_t{i} * order_id_width, 'O', order_id_width, i);
      workload::write_id(sellers.data() + std::size_t{i} * seller_id_width, 'S', seller_id_width, i);
    }
    const sh::sys_seconds t0{std::chrono::seconds{year_start}};
    book one, many;
    for (std::uint32_t i = 0; i < k; ++i) {
      const std::string_view id = w.order_id(i);
      one.record(sh::placed{.order = id,
                            .seller = std::string_view{sellers}.substr(0, seller_id_width),
                            .at = t0,
                            .ship_by = t0 + std::chrono::hours{48}});
      many.record(
          sh::placed{.order = id,
                     .seller = std::string_view{sellers}.substr(std::size_t{i} * seller_id_width, seller_id_width),
                     .at = t0,
                     .ship_by = t0 + std::chrono::hours{48}});
    }
    return (static_cast<double>(many.memory_bytes()) - static_cast<double>(one.memory_bytes())) / (k - 1);
  }();
  return value;
}

/// Marginal bytes per order of `b`: its memory minus that of a baseline ledger holding the same
/// sellers, first seen in the same order, with one order each (so the per-seller part, with the
/// same capacity slack, cancels out), over the orders beyond one per seller.
double bytes_per_order_without_sellers(const book& b) {
  std::string ids(b.seller_count() * order_id_width, '0');
  book baseline;
  const sh::sys_seconds t0 = sh::jst::start_of(*b.today());
  for (sh::seller_index s = 0; s < b.seller_count(); ++s) {
    char* id = ids.data() + std::size_t{s} * order_id_width;
    workload::write_id(id, 'B', order_id_width, s);
    baseline.record(sh::placed{.order = std::string_view{id, order_id_width},
                               .seller = b.seller_id(s),
                               .at = t0,
                               .ship_by = t0 + std::chrono::hours{48}});
  }
  return (static_cast<double>(b.memory_bytes()) - static_cast<double>(baseline.memory_bytes())) /
         static_cast<double>(b.order_count() - b.seller_count());
}

// ---- fixture 1: a ledger holding about N open orders and a stream of further events -----------

struct open_orders_fixture {
  std::int64_t n = 0;
  workload w;
  event_stream warm;    // brings a fresh ledger to ~N open orders (placements, a few requests)
  event_stream stream;  // what the timed loop records: new placements, shipments, cancels
  std::unique_ptr<book> warm_book;
};

/// Seconds of placements whose orders are still open at `t0`, for placements uniform in
/// [t0 - lead, t0) (Monte Carlo, fixed seed): open orders at t0 = placement rate x this. Sampled at
/// t0's own time of day, since how long an order stays open depends on when in the day it came.
double open_seconds_at(std::int64_t t0, std::int64_t lead) {
  random_source r{7};
  order_plan p;
  constexpr int samples = 400000;
  int open = 0;
  for (int i = 0; i < samples; ++i) {
    plan_order(r, 0, t0 - lead + r.below(lead), 0, p, nullptr);
    if (p.last >= t0) ++open;
  }
  return static_cast<double>(lead) * static_cast<double>(open) / samples;
}

const open_orders_fixture& open_orders(std::int64_t n) {
  static std::unique_ptr<open_orders_fixture> f;
  if (f && f->n == n) return *f;
  f.reset();
  auto fresh = std::make_unique<open_orders_fixture>();
  fresh->n = n;
  // Orders placed at a steady rate from t0 - 6 days (longer than any order stays open, bar the
  // 0.5 % never resolved) to t0 + span; the rate makes about N orders open at t0. The warm-up is
  // the events before t0 of the orders still open at t0; the stream is everything in [t0, t0 + span).
  constexpr std::int64_t lead = 6 * day_seconds;
  const std::int64_t t0 = year_start + 30 * day_seconds;
  const double rate = static_cast<double>(n) / open_seconds_at(t0, lead);  // orders per second
  const auto stream_events = static_cast<double>(std::clamp<std::int64_t>(20 * n, 200'000, 2'000'000));
  const auto span = static_cast<std::int64_t>(stream_events / (2.005 * rate));  // ~2.005 events per order
  const auto count = static_cast<std::size_t>(rate * static_cast<double>(lead + span));
  fresh->w.generate(0x5E11E4 + static_cast<std::uint64_t>(n), count, t0 - lead, lead + span);
  std::vector<raw_event> warm, stream;
  for (const raw_event& e : fresh->w.events) {
    if (fresh->w.orders[e.order].last < t0) continue;  // resolved before t0: not in the ledger
    if (e.at < t0)
      warm.push_back(e);
    else if (e.at < t0 + span)
      stream.push_back(e);
  }
  fresh->warm.build(fresh->w, warm);
  fresh->stream.build(fresh->w, stream);
  fresh->warm_book = std::make_unique<book>();
  for (const sh::event& e : fresh->warm.events) fresh->warm_book->record(e);
  f = std::move(fresh);
  return *f;
}

// ---- fixture 2: N orders over a year, time-sorted; the replayed ledger and the naive log ------

struct history_fixture {
  std::int64_t n = 0;
  workload w;
  event_stream stream;
  std::unique_ptr<book> replayed;          // built on first use
  std::vector<naive::owned_event> log;     // built on first use
  std::vector<std::string> probe_sellers;  // built with `log`
};

history_fixture& history(std::int64_t n) {
  static std::map<std::int64_t, std::unique_ptr<history_fixture>> fixtures;
  auto& f = fixtures[n];
  if (!f) {
    f = std::make_unique<history_fixture>();
    f->n = n;
    f->w.generate(0xB00C + static_cast<std::uint64_t>(n), static_cast<std::size_t>(n), year_start, 365 * day_seconds);
    f->stream.build(f->w, f->w.events);
  }
  return *f;
}

const book& replayed(history_fixture& f) {
  if (!f.replayed) {
    f.replayed = std::make_unique<book>();
    for (const sh::event& e : f.stream.events) f.replayed->record(e);
  }
  return *f.replayed;
}

/// The naive log (every event, owned), and the probe sellers: the 8 sellers whose order counts
/// are nearest the median order count of the sellers present (the naive recount's cost grows
/// with the seller's orders, the ledger's does not).
const history_fixture& with_log(history_fixture& f) {
  if (f.log.empty()) {
    f.log.reserve(f.stream.events.size());
    for (const sh::event& e : f.stream.events) f.log.push_back(naive::own(e));
    std::vector<std::size_t> per_seller(seller_universe, 0);
    for (const order_plan& o : f.w.orders) ++per_seller[o.seller];
    std::vector<std::uint32_t> present;
    for (std::uint32_t s = 0; s < seller_universe; ++s)
      if (per_seller[s] > 0) present.push_back(s);
    std::sort(present.begin(), present.end(), [&](std::uint32_t a, std::uint32_t b) {
      return std::tie(per_seller[a], a) < std::tie(per_seller[b], b);
    });
    const std::size_t from = present.size() / 2 - std::min<std::size_t>(4, present.size() / 2);
    for (std::size_t i = from; i < present.size() && f.probe_sellers.size() < 8; ++i)
      f.probe_sellers.emplace_back(f.w.seller_id(present[i]));
  }
  return f;
}

// ---- benchmarks -------------------------------------------------------------------------------

void BM_RecordWithOpenOrders(benchmark::State& state) {
  const open_orders_fixture& f = open_orders(state.range(0));
  auto b = std::make_unique<book>(*f.warm_book);
  std::size_t next = 0, rejected = 0;
  for (auto _ : state) {
    if (next == f.stream.events.size()) {  // stream used up: start again from the warm ledger
      state.PauseTiming();
      b.reset();
      b = std::make_unique<book>(*f.warm_book);
      next = 0;
      state.ResumeTiming();
    }
    if (b->try_record(f.stream.events[next++])) ++rejected;
  }
  if (rejected > 0) state.SkipWithError("the ledger rejected events of the generated stream");
  state.SetItemsProcessed(state.iterations());
  state.counters["open_at_start"] = static_cast<double>(f.warm_book->order_count());
  state.counters["stream_events"] = static_cast<double>(f.stream.events.size());
  state.counters["bytes_per_open_order"] = bytes_per_order_without_sellers(*f.warm_book);
  state.counters["bytes_per_order"] =
      static_cast<double>(f.warm_book->memory_bytes()) / static_cast<double>(f.warm_book->order_count());
}

void BM_EvaluateWithHistory(benchmark::State& state) {
  history_fixture& f = history(state.range(0));
  const book& b = replayed(f);
  const sh::local_day today = *b.today();
  std::vector<std::string> sellers;  // every seller in the ledger, as a caller would name them
  for (sh::seller_index s = 0; s < b.seller_count(); ++s) sellers.emplace_back(b.seller_id(s));
  std::size_t next = 0;
  for (auto _ : state) {
    const auto s = b.find_seller(sellers[next]);
    auto results = b.evaluate_all(*s, today);
    benchmark::DoNotOptimize(results);
    if (++next == sellers.size()) next = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["orders"] = static_cast<double>(b.order_count());
  state.counters["sellers"] = static_cast<double>(b.seller_count());
}

void BM_NaiveRecount(benchmark::State& state) {
  history_fixture& fixture = history(state.range(0));
  const book& b = replayed(fixture);
  const history_fixture& f = with_log(fixture);
  const sh::local_day today = *b.today();
  // The ledger's answers for the probes, to check the naive answers against inside the loop.
  std::vector<std::array<sh::rate, 3>> expected;
  for (const std::string& s : f.probe_sellers) {
    const auto r = b.evaluate_all(*b.find_seller(s), today);
    expected.push_back({r[0].counts, r[1].counts, r[2].counts});
  }
  std::size_t next = 0, mismatches = 0;
  for (auto _ : state) {
    const std::string& seller = f.probe_sellers[next];
    const std::array<naive::counts, 3> c{naive::recount(f.log, seller, naive::metric::pfcr, today, today),
                                         naive::recount(f.log, seller, naive::metric::lsr10, today, today),
                                         naive::recount(f.log, seller, naive::metric::lsr30, today, today)};
    benchmark::DoNotOptimize(c);
    for (std::size_t m = 0; m < 3; ++m)
      if (c[m].numerator != expected[next][m].numerator || c[m].denominator != expected[next][m].denominator)
        ++mismatches;
    if (++next == f.probe_sellers.size()) next = 0;
  }
  if (mismatches > 0) state.SkipWithError("the naive recount and the ledger disagree");
  state.SetItemsProcessed(state.iterations());
  state.counters["log_events"] = static_cast<double>(f.log.size());
  double probe_orders = 0;
  for (const std::string& s : f.probe_sellers)
    for (const order_plan& o : f.w.orders) probe_orders += f.w.seller_id(o.seller) == s ? 1.0 : 0.0;
  state.counters["probe_seller_orders"] = probe_orders / static_cast<double>(f.probe_sellers.size());
}

/// `Batched`: one `record_all` call (loads of the events ahead overlap), else `record` per event.
template <bool Batched>
void BM_ReplayAll(benchmark::State& state) {
  const history_fixture& f = history(state.range(0));
  std::size_t memory = 0, orders = 0, sellers = 0, rejected = 0;
  double per_order_without_sellers = 0;
  for (auto _ : state) {
    auto b = std::make_unique<book>();
    if constexpr (Batched) {
      b->record_all(
          f.stream.events.begin(), f.stream.events.end(), [](const sh::event& e) -> const sh::event& { return e; },
          [&](std::size_t, const sh::rejection&) { ++rejected; });
    } else {
      for (const sh::event& e : f.stream.events) b->record(e);
    }
    state.PauseTiming();
    memory = b->memory_bytes();
    orders = b->order_count();
    sellers = b->seller_count();
    per_order_without_sellers = bytes_per_order_without_sellers(*b);
    b.reset();
    state.ResumeTiming();
  }
  if (rejected > 0) state.SkipWithError("the ledger rejected events of the generated stream");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(f.stream.events.size()));
  state.counters["orders"] = static_cast<double>(orders);
  state.counters["sellers"] = static_cast<double>(sellers);
  state.counters["bytes_per_order"] = static_cast<double>(memory) / static_cast<double>(orders);
  state.counters["bytes_per_order_wo_sellers"] = per_order_without_sellers;
  state.counters["bytes_per_seller"] = bytes_per_seller();
}

}  // namespace

BENCHMARK(BM_RecordWithOpenOrders)->Arg(1'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_EvaluateWithHistory)->Arg(1'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_NaiveRecount)->Arg(1'000)->Unit(benchmark::kMicrosecond);
// One naive question over 1M orders takes seconds (it rescans the 2M-event log once per order of
// the seller): a single iteration and a single repetition, whatever --benchmark_repetitions says.
BENCHMARK(BM_NaiveRecount)->Arg(1'000'000)->Iterations(1)->Repetitions(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReplayAll<false>)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReplayAll<false>)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReplayAll<true>)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReplayAll<true>)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);
// Ten million orders (20M events, about 2 GB of generated events held in memory): once each.
BENCHMARK(BM_ReplayAll<false>)->Arg(10'000'000)->Iterations(1)->Repetitions(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReplayAll<true>)->Arg(10'000'000)->Iterations(1)->Repetitions(1)->Unit(benchmark::kMillisecond);
