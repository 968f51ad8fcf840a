// A vector in fixed blocks: growing never copies or doubles. For a million orders a doubling
// `std::vector` holds up to twice the records it needs and, while it grows, both the old and the
// new array; here the overhead is one partly filled block (or chunk, below) and a small table of
// block pointers.
//
// Blocks are raw storage: an element is constructed when it is pushed, not when its block is
// allocated. So `reserve` costs one allocation per block and touches no memory: the replay
// reserves room for every order it expects up front, and constructing there (what
// `make_unique_for_overwrite` does for a type with default member initialisers) wrote tens of MB
// on one thread before any event was read. The pages are now first written where the records
// are pushed, by each shard's own thread.
//
// A small vector (a slice of one seller holds a few orders) gets blocks one at a time. Once it
// holds `chunk_blocks` blocks, or is asked to reserve that many more, blocks come in chunks of
// `chunk_blocks`, one allocation large enough to go on huge pages (huge_pages.hpp).
#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "huge_pages.hpp"

namespace sellerhealth::detail {

template <class T, std::size_t BlockBits = 10>
class block_vector {
  // Elements are never destroyed one by one, and storage is released as plain bytes.
  static_assert(std::is_trivially_destructible_v<T> && std::is_trivially_copyable_v<T>,
                "block_vector holds plain records");
  static constexpr std::size_t block = std::size_t{1} << BlockBits;
  static constexpr std::size_t mask = block - 1;
  static constexpr std::size_t chunk_blocks = (huge_page_threshold + block * sizeof(T) - 1) / (block * sizeof(T));

  /// One allocation of `bytes`, released with it.
  struct storage {
    void* bytes_at = nullptr;
    std::size_t bytes = 0;
    storage(void* p, std::size_t n) noexcept : bytes_at(p), bytes(n) {}
    storage(storage&& other) noexcept : bytes_at(std::exchange(other.bytes_at, nullptr)), bytes(other.bytes) {}
    storage& operator=(storage&& other) noexcept {
      std::swap(bytes_at, other.bytes_at);
      std::swap(bytes, other.bytes);
      return *this;
    }
    ~storage() {
      if (bytes_at) deallocate_large(bytes_at, bytes);
    }
  };

 public:
  block_vector() = default;
  block_vector(const block_vector& other) { *this = other; }
  block_vector& operator=(const block_vector& other) {
    if (this == &other) return *this;
    block_vector copy;
    copy.reserve(other.size_);
    for (std::size_t i = 0; i < other.size_; ++i) copy.push_back(other[i]);
    *this = std::move(copy);
    return *this;
  }
  block_vector(block_vector&&) noexcept = default;
  block_vector& operator=(block_vector&&) noexcept = default;
  ~block_vector() = default;

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return blocks_.size() * block; }
  [[nodiscard]] T& operator[](std::size_t i) noexcept { return blocks_[i >> BlockBits][i & mask]; }
  [[nodiscard]] const T& operator[](std::size_t i) const noexcept { return blocks_[i >> BlockBits][i & mask]; }

  /// Makes room for `n` elements; afterwards `push_back` up to that size does not allocate.
  void reserve(std::size_t n) {
    while (capacity() < n) grow((n - capacity() + mask) >> BlockBits);
  }
  /// Strong guarantee: on `std::bad_alloc` nothing changed.
  void push_back(const T& value) {
    if (size_ == capacity()) grow(1);
    std::construct_at(blocks_[size_ >> BlockBits] + (size_ & mask), value);
    ++size_;
  }

 private:
  /// Adds at least one block, a chunk of them when the vector is or is about to be large
  /// (`wanted`: the blocks the caller still needs). Strong guarantee.
  void grow(std::size_t wanted) {
    const std::size_t n = (blocks_.size() >= chunk_blocks || wanted >= chunk_blocks) ? chunk_blocks : 1;
    if (blocks_.capacity() < blocks_.size() + n) blocks_.reserve(std::max(blocks_.size() * 2, blocks_.size() + n));
    if (storage_.size() == storage_.capacity()) storage_.reserve(storage_.size() * 2 + 1);
    const std::size_t bytes = n * block * sizeof(T);
    storage_.emplace_back(allocate_large(bytes), bytes);  // no throw after the allocation
    T* first = static_cast<T*>(storage_.back().bytes_at);
    for (std::size_t b = 0; b < n; ++b) blocks_.push_back(first + b * block);
  }

  std::vector<T*> blocks_;
  std::vector<storage> storage_;
  std::size_t size_ = 0;
};

}  // namespace sellerhealth::detail
