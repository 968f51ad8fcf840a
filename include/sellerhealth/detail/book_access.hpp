// One way to reach the shards of a book, whether it is a plain `ledger` (one shard: itself) or a
// `sharded` one, so the report and the replay are written once for both; and the fork-join helper
// they share.
#pragma once

#include <cstddef>
#include <functional>
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

/// Runs `work(0..n-1)`, on this thread and `n - 1` others.
inline void in_parallel(std::size_t n, const std::function<void(std::size_t)>& work) {
  std::vector<std::thread> others;
  others.reserve(n > 0 ? n - 1 : 0);
  for (std::size_t i = 1; i < n; ++i) others.emplace_back(work, i);
  if (n > 0) work(0);
  for (auto& t : others) t.join();
}

}  // namespace sellerhealth::detail
