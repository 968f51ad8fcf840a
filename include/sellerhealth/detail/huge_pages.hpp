// Large arrays on transparent huge pages (Linux): the ledger's order records, id index and day
// buckets.
//
// Why. Feeding a ledger reads those tables at random (an event's order record, its seller's day
// bucket), and with 4 KiB pages almost every such read also misses the TLB; each first touch of a
// page is a page fault as well, about 5 us on the virtual machines bench/README.md measures on.
// With every allocation of the process on 2 MiB pages (glibc's `GLIBC_TUNABLES=
// glibc.malloc.hugetlb=1`), the 1M-order report on one thread went from 1.43 s to 1.15 s there.
// This header gets that for the big tables alone, whatever the program's environment: an
// allocation of at least `huge_page_threshold` bytes is aligned to 2 MiB and the kernel is asked
// (`madvise(MADV_HUGEPAGE)`) to back it with huge pages; smaller ones are plain `new`. A kernel
// with transparent huge pages off ignores the advice; other systems get plain aligned memory.
// The cost: a huge page is backed whole on its first touch, so a table's untouched tail may hold
// up to 2 MiB more than 4 KiB pages would.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace sellerhealth::detail {

inline constexpr std::size_t huge_page_bytes = std::size_t{2} << 20;
/// Allocations this large go on huge pages: two pages, so that the last page's slack stays small
/// beside what is used.
inline constexpr std::size_t huge_page_threshold = 2 * huge_page_bytes;

/// `bytes` of storage, aligned to 2 MiB and advised onto huge pages when that large.
[[nodiscard]] inline void* allocate_large(std::size_t bytes) {
  if (bytes < huge_page_threshold) return ::operator new(bytes);
  void* p = ::operator new (bytes, std::align_val_t{huge_page_bytes});
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  (void)::madvise(p, bytes & ~(huge_page_bytes - 1), MADV_HUGEPAGE);  // advice only: failure is harmless
#endif
  return p;
}
/// Releases what `allocate_large(bytes)` returned, with the same `bytes`.
inline void deallocate_large(void* p, std::size_t bytes) noexcept {
  if (bytes < huge_page_threshold)
    ::operator delete(p);
  else
    ::operator delete (p, std::align_val_t{huge_page_bytes});
}

/// A standard allocator over `allocate_large`, for the `std::vector`s of big tables.
template <class T>
struct large_allocator {
  using value_type = T;
  large_allocator() noexcept = default;
  template <class U>
  large_allocator(const large_allocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor): rebinding
  [[nodiscard]] T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(allocate_large(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { deallocate_large(p, n * sizeof(T)); }
  template <class U>
  friend bool operator==(const large_allocator&, const large_allocator<U>&) noexcept {
    return true;
  }
};

/// A `std::vector` whose storage goes on huge pages once it is large.
template <class T>
using large_vector = std::vector<T, large_allocator<T>>;

}  // namespace sellerhealth::detail
