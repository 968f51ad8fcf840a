// One way to reach the shards of a book, whether it is a plain `ledger` (one shard: itself) or a
// `sharded` one, so the report and the replay are written once for both; and the fork-join pool
// they share.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#include "../sharded.hpp"

namespace sellerhealth::detail {

template <class Book>
struct is_sharded : std::false_type {};
template <class Ledger>
struct is_sharded<sharded<Ledger>> : std::true_type {};
template <class Book>
inline constexpr bool is_sharded_v = is_sharded<Book>::value;

/// The ledger type of a book's shards.
template <class Book>
struct ledger_of {
  using type = Book;
};
template <class Ledger>
struct ledger_of<sharded<Ledger>> {
  using type = Ledger;
};
template <class Book>
using ledger_of_t = typename ledger_of<Book>::type;

template <class Book>
[[nodiscard]] std::size_t shard_count(const Book& book) noexcept {
  if constexpr (is_sharded_v<Book>)
    return book.size();
  else
    return 1;
}

template <class Book>
[[nodiscard]] auto& shard(Book& book, [[maybe_unused]] std::size_t i) noexcept {
  if constexpr (is_sharded_v<std::remove_const_t<Book>>)
    return book[i];
  else
    return book;
}

template <class Book>
[[nodiscard]] std::size_t shard_of(const Book& book, [[maybe_unused]] std::string_view order) noexcept {
  if constexpr (is_sharded_v<Book>)
    return book.shard_of(order);
  else
    return 0;
}

/// Fork-join on threads that stay: `run(n, work)` calls `work(0..n-1)`, 0 on the calling thread
/// and each other on a worker of its own, and returns when all have. The replay forks twice per
/// 1 MiB segment (parse, then feed) and a series twice per day; starting a thread for each fork
/// cost about as much as 5-10 % of the work it carried, a wake-up here a fraction of that.
/// Exceptions: the first one thrown (this thread's first) is rethrown by `run` once every job of
/// the fork has finished, so none still reads what the caller's unwinding destroys.
class fork_join_pool {
 public:
  /// A pool that runs up to `threads` jobs at once (`threads - 1` workers).
  explicit fork_join_pool(std::size_t threads) {
    workers_.reserve(threads > 1 ? threads - 1 : 0);
    for (std::size_t i = 1; i < threads; ++i) workers_.emplace_back([this, i] { serve(i); });
  }
  fork_join_pool(const fork_join_pool&) = delete;
  fork_join_pool& operator=(const fork_join_pool&) = delete;
  ~fork_join_pool() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
  }

  [[nodiscard]] std::size_t size() const noexcept { return workers_.size() + 1; }

  /// Runs `work(0..n-1)`, at most `size()` at once (jobs beyond that run on this thread after its own).
  void run(std::size_t n, const std::function<void(std::size_t)>& work) {
    const std::size_t forked = std::min(n, size());
    if (forked <= 1) {
      for (std::size_t i = 0; i < n; ++i) work(i);
      return;
    }
    {
      const std::lock_guard lock(mutex_);
      work_ = &work;
      jobs_ = forked;
      pending_ = forked - 1;
      error_ = nullptr;
      ++generation_;
    }
    wake_.notify_all();
    std::exception_ptr mine;
    try {
      work(0);
      for (std::size_t i = forked; i < n; ++i) work(i);
    } catch (...) {
      mine = std::current_exception();
    }
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
    work_ = nullptr;
    if (mine) std::rethrow_exception(mine);
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void serve(std::size_t i) {
    std::uint64_t seen = 0;
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      if (i >= jobs_) continue;  // not needed in this fork
      const auto* work = work_;
      lock.unlock();
      std::exception_ptr failed;
      try {
        (*work)(i);
      } catch (...) {
        failed = std::current_exception();
      }
      lock.lock();
      if (failed && !error_) error_ = failed;
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(std::size_t)>* work_ = nullptr;
  std::size_t jobs_ = 0, pending_ = 0;
  std::uint64_t generation_ = 0;
  std::exception_ptr error_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;  // last: they start serving once everything above exists
};

}  // namespace sellerhealth::detail
