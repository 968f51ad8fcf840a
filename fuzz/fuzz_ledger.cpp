// libFuzzer target: the Amazon ledger against the naive recount (tests/support/naive_recount.hpp).
//
// The input bytes are a compact program of at most `max_ops` operations on 3 sellers, 8 order ids
// and times within about 60 days, applied to a `ledger<jst, PFCR, LSR10, LSR30>` with `try_record`
// (or `advance_to`). After every step it checks, and traps (__builtin_trap) on any difference:
//  - the ledger accepts exactly the events `naive::expected_rejection` accepts, with the same
//    rejection code (a rejection also carries a message);
//  - for every seller (and one never seen) and every metric, `evaluate` at today() and at one past
//    day within the horizon has the numerator and denominator of `naive::recount`, and never throws;
//  - order_count() and seller_count() match the accepted `placed` events.
//
// Encoding (a missing byte reads as 0; the program ends when the bytes do):
//   op      byte: op % 8 = 0 placed, 1 shipped, 2 cancel_requested, 3 cancelled, 4 ship_by_changed,
//                 5 exempted, 6 refunded, 7 advance_to
//   order   byte % 9: 0..7 "O0".."O7", 8 "" (invalid)
//   seller  byte % 4: 0 "" (placed: invalid; others: not given), 1..3 "S0".."S2"
//   time    byte m, mode m >> 6 over a pool of the 8 latest times read (pool[0] the latest):
//             0: base + (next 3 bytes, big-endian) % 60 days   (base = 2026-03-01 00:00 JST)
//             1: pool[m & 7] + (int8) next byte seconds
//             2: pool[m & 7] + (int8) next byte hours
//             3: pool[m & 7]
//           then clamped to [base - 5 days, base + 65 days]
//   placed            order seller time(at) time(ship_by) quantity channel
//                       quantity byte: b % 8 == 0 -> 0 (invalid), else 1 + b % 4
//                       channel  byte: b % 4 == 3 -> platform, else merchant
//   shipped, cancel_requested      order seller time
//   cancelled         order seller time actor(byte % 3: seller, buyer, platform) units
//   ship_by_changed   order seller time time(ship_by)
//   exempted          order seller time metric(byte % 3: cancel, late, all)
//   refunded          order seller time units
//                       units byte: b % 6 == 0 -> every open unit, else b % 6 - 1 (0 is invalid)
//   advance_to        byte b: b & 0x80 ? today + (b & 7) days : base day + b % 64;
//                       b & 0x40: then replace the ledger by `restore(save())` of itself
//
// Build: cmake -DSELLERHEALTH_BUILD_FUZZERS=ON with clang; run: scripts/fuzz.sh.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <optional>
#include <sellerhealth/amazon.hpp>
#include <sellerhealth/calendar.hpp>
#include <sellerhealth/events.hpp>
#include <sellerhealth/ledger.hpp>
#include <sellerhealth/rate.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "../tests/support/naive_recount.hpp"

namespace {

namespace sh = sellerhealth;
namespace amazon = sellerhealth::amazon;
using namespace std::chrono_literals;
using book_type = sh::ledger<sh::jst, amazon::pre_fulfillment_cancel_rate, amazon::late_shipment_rate_10d,
                             amazon::late_shipment_rate_30d>;

constexpr std::size_t max_ops = 256;
constexpr std::array<std::string_view, 9> order_ids = {"O0", "O1", "O2", "O3", "O4", "O5", "O6", "O7", ""};
constexpr std::array<std::string_view, 4> seller_ids = {"", "S0", "S1", "S2"};
// Every seller that can be placed, plus one that never is.
constexpr std::array<std::string_view, 4> evaluated_sellers = {"S0", "S1", "S2", "never-seen"};

const sh::local_day base_day{
    std::chrono::sys_days{std::chrono::year{2026} / std::chrono::March / 1}.time_since_epoch()};
const sh::sys_seconds base_time = sh::jst::start_of(base_day);

/// Reads the program's bytes; past the end every byte is 0.
struct byte_reader {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t pos = 0;
  [[nodiscard]] bool done() const { return pos >= size; }
  std::uint8_t next() { return pos < size ? data[pos++] : std::uint8_t{0}; }
};

struct program {
  byte_reader in;
  std::array<sh::sys_seconds, 8> pool{};

  program(const std::uint8_t* data, std::size_t size) : in{data, size} {
    for (std::size_t i = 0; i < pool.size(); ++i)
      pool[i] = base_time + std::chrono::days{7 * static_cast<int>(i)} + 10h;
  }

  std::string_view order() { return order_ids[in.next() % order_ids.size()]; }
  std::string_view seller() { return seller_ids[in.next() % seller_ids.size()]; }

  sh::sys_seconds time() {
    const std::uint8_t m = in.next();
    const sh::sys_seconds from = pool[m & 7U];
    sh::sys_seconds t;
    switch (m >> 6) {
      case 0: {
        std::uint32_t v = in.next();
        v = (v << 8) | in.next();
        v = (v << 8) | in.next();
        t = base_time + std::chrono::seconds{v % (60U * 86400U)};
        break;
      }
      case 1: t = from + std::chrono::seconds{static_cast<std::int8_t>(in.next())}; break;
      case 2: t = from + std::chrono::hours{static_cast<std::int8_t>(in.next())}; break;
      default: t = from; break;
    }
    t = std::clamp(t, base_time - std::chrono::days{5}, base_time + std::chrono::days{65});
    for (std::size_t i = pool.size() - 1; i > 0; --i) pool[i] = pool[i - 1];
    pool[0] = t;
    return t;
  }

  std::uint32_t quantity() {
    const std::uint8_t b = in.next();
    return b % 8 == 0 ? 0U : 1U + b % 4U;
  }
  std::optional<std::uint32_t> units() {
    const std::uint8_t b = in.next();
    if (b % 6 == 0) return std::nullopt;
    return static_cast<std::uint32_t>(b % 6 - 1);
  }
  sh::actor actor() {
    static constexpr sh::actor actors[] = {sh::actor::seller, sh::actor::buyer, sh::actor::platform};
    return actors[in.next() % 3];
  }
  sh::exempt_from metric() {
    static constexpr sh::exempt_from metrics[] = {sh::exempt_from::cancel, sh::exempt_from::late, sh::exempt_from::all};
    return metrics[in.next() % 3];
  }
  sh::fulfilment channel() { return in.next() % 4 == 3 ? sh::fulfilment::platform : sh::fulfilment::merchant; }

  sh::event event(std::uint8_t kind) {
    switch (kind) {
      case 0: {
        const std::string_view o = order(), s = seller();
        const sh::sys_seconds at = time(), ship_by = time();
        const std::uint32_t q = quantity();
        return sh::placed{.order = o, .seller = s, .at = at, .ship_by = ship_by, .quantity = q, .channel = channel()};
      }
      case 1: {
        const std::string_view o = order(), s = seller();
        return sh::shipped{.order = o, .at = time(), .seller = s};
      }
      case 2: {
        const std::string_view o = order(), s = seller();
        return sh::cancel_requested{.order = o, .at = time(), .seller = s};
      }
      case 3: {
        const std::string_view o = order(), s = seller();
        const sh::sys_seconds at = time();
        const sh::actor by = actor();
        return sh::cancelled{.order = o, .at = at, .by = by, .units = units(), .seller = s};
      }
      case 4: {
        const std::string_view o = order(), s = seller();
        const sh::sys_seconds at = time();
        return sh::ship_by_changed{.order = o, .at = at, .ship_by = time(), .seller = s};
      }
      case 5: {
        const std::string_view o = order(), s = seller();
        const sh::sys_seconds at = time();
        return sh::exempted{.order = o, .at = at, .metric = metric(), .seller = s};
      }
      default: {
        const std::string_view o = order(), s = seller();
        const sh::sys_seconds at = time();
        return sh::refunded{.order = o, .at = at, .units = units(), .seller = s};
      }
    }
  }
};

// ---- reporting a mismatch -------------------------------------------------------------------

using naive::describe;

[[noreturn]] void mismatch(const std::vector<naive::owned_event>& log, const book_type& book, const std::string& what) {
  std::fprintf(stderr, "fuzz_ledger: MISMATCH after %zu accepted events (today %s): %s\naccepted log:\n", log.size(),
               book.today() ? sh::format_day(*book.today()).c_str() : "unset", what.c_str());
  for (const naive::owned_event& e : log) std::fprintf(stderr, "  %s\n", describe(e).c_str());
  std::fflush(stderr);
  __builtin_trap();
}

// ---- the checks -----------------------------------------------------------------------------

template <class P>
void check_metric(const book_type& book, const std::vector<naive::owned_event>& log, std::string_view seller,
                  naive::metric m, sh::local_day window_end) {
  const sh::local_day today = *book.today();
  sh::metric_result got;
  try {
    got = book.evaluate<P>(seller, window_end);
  } catch (const std::exception& ex) {
    mismatch(log, book,
             std::string(P::id) + " " + std::string(seller) + " at " + sh::format_day(window_end) +
                 ": evaluate threw: " + ex.what());
  }
  const naive::counts want = naive::recount(log, seller, m, window_end, today);
  if (got.counts.numerator != want.numerator || got.counts.denominator != want.denominator) {
    mismatch(log, book,
             std::string(P::id) + " seller " + std::string(seller) + " window ending " + sh::format_day(window_end) +
                 ": ledger " + std::to_string(got.counts.numerator) + "/" + std::to_string(got.counts.denominator) +
                 ", naive " + std::to_string(want.numerator) + "/" + std::to_string(want.denominator));
  }
}

void check_metrics(const book_type& book, const std::vector<naive::owned_event>& log, sh::local_day window_end) {
  for (const std::string_view s : evaluated_sellers) {
    check_metric<amazon::pre_fulfillment_cancel_rate>(book, log, s, naive::metric::pfcr, window_end);
    check_metric<amazon::late_shipment_rate_10d>(book, log, s, naive::metric::lsr10, window_end);
    check_metric<amazon::late_shipment_rate_30d>(book, log, s, naive::metric::lsr30, window_end);
  }
}

void check_counts(const book_type& book, const std::vector<naive::owned_event>& log) {
  std::size_t orders = 0;
  std::array<bool, seller_ids.size()> seen{};
  for (const naive::owned_event& e : log) {
    if (e.kind != naive::event_kind::placed) continue;
    ++orders;
    for (std::size_t i = 0; i < seller_ids.size(); ++i) seen[i] |= e.seller == seller_ids[i];
  }
  std::size_t sellers = 0;
  for (const bool b : seen) sellers += b;
  if (book.order_count() != orders || book.seller_count() != sellers)
    mismatch(log, book,
             "order_count " + std::to_string(book.order_count()) + " (naive " + std::to_string(orders) +
                 "), seller_count " + std::to_string(book.seller_count()) + " (naive " + std::to_string(sellers) + ")");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  book_type book;
  std::vector<naive::owned_event> log;
  program p{data, size};
  for (std::size_t step = 0; step < max_ops && !p.in.done(); ++step) {
    const auto kind = static_cast<std::uint8_t>(p.in.next() % 8);
    if (kind == 7) {
      const std::uint8_t b = p.in.next();
      const sh::local_day day =
          (b & 0x80U) && book.today() ? *book.today() + std::chrono::days{b & 7} : base_day + std::chrono::days{b % 64};
      book.advance_to(day);
      // Bit 6 also swaps the ledger for one restored from its snapshot: the checks after this
      // step, and every later step, then run on the restored ledger.
      if (b & 0x40U) book = book_type::restore(book.save());
    } else {
      const sh::event e = p.event(kind);
      const bool duplicate = naive::is_duplicate(log, e);
      const std::optional<sh::rejection_code> want =
          naive::expected_rejection(log, e, book.today(), book.horizon_days());
      const std::optional<sh::rejection> got = book.try_record(e);
      const std::optional<sh::rejection_code> got_code = got ? std::optional{got->code} : std::nullopt;
      if (got_code != want) {
        mismatch(log, book,
                 "event " + describe(naive::own(e)) + ": ledger " + describe(got_code) +
                     (got ? " '" + got->message + "'" : std::string()) + ", naive " + describe(want));
      }
      if (got && got->message.empty()) mismatch(log, book, "rejection without a message: " + describe(naive::own(e)));
      if (!got && !duplicate) log.push_back(naive::own(e));
    }
    check_counts(book, log);
    if (!book.today()) continue;
    const sh::local_day today = *book.today();
    check_metrics(book, log, today);
    // One past day within the horizon too (history restated with everything known since).
    const auto back = static_cast<int>(step % static_cast<std::size_t>(book.horizon_days() + 1));
    if (back > 0) check_metrics(book, log, today - std::chrono::days{back});
  }
  return 0;
}
