// A vector in fixed blocks: growing never copies or doubles. For a million orders a doubling
// `std::vector` holds up to twice the records it needs and, while it grows, both the old and the
// new array; here the overhead is one partly filled block and a small table of block pointers.
//
// Blocks are raw storage: an element is constructed when it is pushed, not when its block is
// allocated. So `reserve` costs one allocation per block and touches no memory: the replay
// reserves room for every order it expects up front, and constructing there (what
// `make_unique_for_overwrite` does for a type with default member initialisers) wrote tens of MB
// on one thread before any event was read. The pages are now first written where the records
// are pushed, by each shard's own thread.
#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>
#include <vector>

namespace sellerhealth::detail {

template <class T, std::size_t BlockBits = 10>
class block_vector {
  // Elements are never destroyed one by one, and a block is released as plain storage.
  static_assert(std::is_trivially_destructible_v<T> && std::is_trivially_copyable_v<T>,
                "block_vector holds plain records");
  static constexpr std::size_t block = std::size_t{1} << BlockBits;
  static constexpr std::size_t mask = block - 1;

  struct release_block {
    void operator()(T* p) const noexcept { std::allocator<T>{}.deallocate(p, block); }
  };
  using block_ptr = std::unique_ptr<T, release_block>;

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

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return blocks_.size() * block; }
  [[nodiscard]] T& operator[](std::size_t i) noexcept { return blocks_[i >> BlockBits].get()[i & mask]; }
  [[nodiscard]] const T& operator[](std::size_t i) const noexcept { return blocks_[i >> BlockBits].get()[i & mask]; }

  /// Makes room for `n` elements; afterwards `push_back` up to that size does not allocate.
  void reserve(std::size_t n) {
    blocks_.reserve((n + mask) >> BlockBits);
    while (capacity() < n) blocks_.push_back(new_block());
  }
  /// Strong guarantee: on `std::bad_alloc` nothing changed.
  void push_back(const T& value) {
    if (size_ == capacity()) {
      if (blocks_.size() == blocks_.capacity()) blocks_.reserve(blocks_.size() * 2 + 1);
      blocks_.push_back(new_block());
    }
    std::construct_at(blocks_[size_ >> BlockBits].get() + (size_ & mask), value);
    ++size_;
  }

 private:
  static block_ptr new_block() { return block_ptr(std::allocator<T>{}.allocate(block)); }

  std::vector<block_ptr> blocks_;
  std::size_t size_ = 0;
};

}  // namespace sellerhealth::detail
