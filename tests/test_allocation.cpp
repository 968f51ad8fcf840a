// The hot path allocates nothing in steady state: once a ledger has reserved room for its orders
// and its re-judgement ring has warmed up, recording events and moving the clock day by day makes
// no heap allocation. Counted by replacing the global allocation functions in this executable.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "support/scenario.hpp"

namespace {
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// GCC cannot see that these pair with the `operator new` above, which takes memory from malloc.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {
using namespace scenario;

/// Ids made before counting starts, so building them is not counted.
std::vector<std::string> make_ids(int n) {
  std::vector<std::string> ids;
  ids.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) ids.push_back("order-" + std::to_string(i));
  return ids;
}

/// Day `d` of a 100-day run: orders 40·d .. 40·d + 39 are placed (five sellers), and the orders
/// placed two days earlier are shipped (most, one late), cancelled, or asked about.
void feed_day(amazon_book& book, const std::vector<std::string>& ids, const std::vector<std::string>& sellers, int d) {
  const sys_seconds morning = jst(2026, 1, 1, 9) + days{d};
  for (int k = 0; k < 40; ++k) {
    const int i = d * 40 + k;
    book.record(sh::placed{.order = ids[static_cast<std::size_t>(i)],
                           .seller = sellers[static_cast<std::size_t>(k % 5)],
                           .at = morning + minutes{k},
                           .ship_by = morning + days{1}});
  }
  if (d < 2) return;
  for (int k = 0; k < 40; ++k) {
    const std::string& id = ids[static_cast<std::size_t>((d - 2) * 40 + k)];
    const sys_seconds later = morning + hours{1} + minutes{k};
    if (k == 7) {
      book.record(sh::cancel_requested{.order = id, .at = later});
      book.record(sh::cancelled{.order = id, .at = later + minutes{1}, .by = sh::actor::seller});
    } else if (k == 9) {
      book.record(sh::cancelled{.order = id, .at = later, .by = sh::actor::seller});
    } else if (k != 11) {  // order 11 of each day never ships: it goes late as the days pass
      book.record(sh::shipped{.order = id, .at = later});
    }
  }
}

TEST(Allocation, RecordingAndAdvancingAllocateNothingOnceWarm) {
  // Warm for longer than the ring (64 days for this book) meets the week in every combination,
  // lcm(64, 7) = 448 days: an order that never ships stays scheduled until the platform's
  // automatic cancellation, a business day, so how many orders a slot holds depends on the
  // weekday the slot falls on, and a slot's vector grows the first time it falls on a busier
  // one. After that the slots keep their capacity and nothing allocates.
  constexpr int total_days = 600, warm_days = 500;
  const auto ids = make_ids(total_days * 40);
  const std::vector<std::string> sellers = {"s-0", "s-1", "s-2", "s-3", "s-4"};
  amazon_book book;
  book.reserve(ids.size(), 16);
  for (int d = 0; d < warm_days; ++d) feed_day(book, ids, sellers, d);

  const long before = allocations.load();
  for (int d = warm_days; d < total_days; ++d) {
    feed_day(book, ids, sellers, d);
    const auto pfcr_now = book.evaluate<pfcr>(sh::seller_index{0}, *book.today());
    ASSERT_GT(pfcr_now.counts.denominator, 0u);
  }
  const long during = allocations.load() - before;

  EXPECT_EQ(during, 0) << "allocations while recording " << (total_days - warm_days) * 40 * 2 << " events";
  // The run was real: the never-shipped orders went late and count in the late shipment rate.
  const auto lsr = book.evaluate<lsr30>(sh::seller_index{1}, *book.today());
  EXPECT_GT(lsr.counts.numerator, 0u);
}

TEST(Allocation, TheCounterSeesAnAllocation) {
  // Guards the test above against a counter that never counts.
  const long before = allocations.load();
  auto* p = new std::vector<int>(1000);
  const long after = allocations.load();
  delete p;
  EXPECT_GE(after - before, 2);
}

}  // namespace
