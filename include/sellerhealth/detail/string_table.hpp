// Interns strings to dense 32-bit indices: order ids and seller ids are copied once into one
// character arena and found again through an open-addressing index of 4-byte slots, each with a
// one-byte tag from the hash so that a probe compares strings only when the tags agree (without
// tags, a miss at load 3/4 touches about eight ids, each a cache miss). Compared with
// `std::unordered_map<std::string, T>` this spends no node, no per-string allocation and no
// 32-byte `std::string` per id, which is most of a marketplace ledger's memory.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "huge_pages.hpp"

namespace sellerhealth::detail {

/// A fast 64-bit hash for short ids (8 bytes a step, multiply-xorshift mixing).
[[nodiscard]] inline std::uint64_t hash_bytes(std::string_view s) noexcept {
  constexpr std::uint64_t k = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = 0x6A09E667F3BCC909ull ^ (s.size() * k);
  const char* p = s.data();
  std::size_t n = s.size();
  const auto mix = [](std::uint64_t x) noexcept {
    x ^= x >> 32;
    x *= 0xD6E8FEB86659FD93ull;
    x ^= x >> 32;
    return x;
  };
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = mix(h ^ (w * k));
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = mix(h ^ (w * k) ^ n);
  }
  return mix(h);
}

class string_table {
 public:
  static constexpr std::uint32_t max_size = std::numeric_limits<std::uint32_t>::max() - 1;

  [[nodiscard]] std::size_t size() const noexcept { return starts_.size() - 1; }

  [[nodiscard]] std::string_view at(std::uint32_t index) const noexcept {
    return {chars_.data() + starts_[index], static_cast<std::size_t>(starts_[index + 1] - starts_[index])};
  }

  [[nodiscard]] std::optional<std::uint32_t> find(std::string_view key) const noexcept {
    return find(key, hash_bytes(key));
  }

  /// `find` with the key's `hash_bytes` already computed (a miss followed by `insert` hashes once).
  [[nodiscard]] std::optional<std::uint32_t> find(std::string_view key, std::uint64_t h) const noexcept {
    if (slots_.empty()) return std::nullopt;
    const std::uint8_t tag = tag_of(h);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const std::uint32_t slot = slots_[i];
      if (slot == 0) return std::nullopt;
      if (tags_[i] == tag && at(slot - 1) == key) return slot - 1;
    }
  }

  // ---- prefetch hints (no effect on results): a batch loader calls them a few keys ahead ----

  /// Starts loading the index slot where a find of a key with hash `h` begins.
  void prefetch_slot(std::uint64_t h) const noexcept {
    if (slots_.empty()) return;
    const std::size_t i = h & mask_;
    __builtin_prefetch(slots_.data() + i);
    __builtin_prefetch(tags_.data() + i);
  }
  /// The index of the first id in the probe sequence of `h` whose tag matches: the likely answer
  /// of `find`, unchecked. For prefetching only.
  [[nodiscard]] std::optional<std::uint32_t> likely_index(std::uint64_t h) const noexcept {
    if (slots_.empty()) return std::nullopt;
    const std::uint8_t tag = tag_of(h);
    for (std::size_t i = h & mask_, probes = 0; probes < 4; i = (i + 1) & mask_, ++probes) {
      const std::uint32_t slot = slots_[i];
      if (slot == 0) return std::nullopt;
      if (tags_[i] == tag) return slot - 1;
    }
    return std::nullopt;
  }
  /// Starts loading where id `index`'s characters are recorded.
  void prefetch_start(std::uint32_t index) const noexcept { __builtin_prefetch(starts_.data() + index); }
  /// Starts loading id `index`'s characters (its start offset should be in cache by now).
  void prefetch_chars(std::uint32_t index) const noexcept { __builtin_prefetch(chars_.data() + starts_[index]); }

  /// Adds a key that `find` did not find. Strong guarantee: on `std::bad_alloc` or
  /// `std::length_error` the table is unchanged.
  std::uint32_t insert(std::string_view key) { return insert(key, hash_bytes(key)); }

  /// `insert` with the key's `hash_bytes` already computed.
  std::uint32_t insert(std::string_view key, std::uint64_t h) {
    if (size() >= max_size) throw std::length_error("sellerhealth: more than 2^32 - 2 distinct ids");
    if (key.size() > std::numeric_limits<std::uint32_t>::max() - chars_.size())
      throw std::length_error("sellerhealth: more than 4 GiB of id characters");
    if ((size() + 1) * 4 > slots_.size() * 3) grow();  // load factor at most 3/4
    if (starts_.size() == starts_.capacity())
      starts_.reserve(starts_.capacity() * 2);  // geometric, and before any change
    chars_.insert(chars_.end(), key.begin(), key.end());
    starts_.push_back(static_cast<std::uint32_t>(chars_.size()));
    const auto index = static_cast<std::uint32_t>(size() - 1);
    place(h, index);
    return index;
  }

  void reserve(std::size_t ids, std::size_t characters) {
    chars_.reserve(characters);
    starts_.reserve(ids + 1);
    std::size_t want = 16;
    while (want * 3 < ids * 4) want *= 2;
    if (want > slots_.size()) rehash(want);
  }

  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    return chars_.capacity() + starts_.capacity() * sizeof(std::uint32_t) + slots_.capacity() * sizeof(std::uint32_t) +
           tags_.capacity();
  }

 private:
  [[nodiscard]] static std::uint8_t tag_of(std::uint64_t hash) noexcept {
    return static_cast<std::uint8_t>(hash >> 56);
  }
  void place(std::uint64_t h, std::uint32_t index) noexcept {
    std::size_t i = h & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = index + 1;
    tags_[i] = tag_of(h);
  }
  void grow() { rehash(slots_.empty() ? 16 : slots_.size() * 2); }
  void rehash(std::size_t capacity) {
    large_vector<std::uint32_t> fresh(capacity, 0);
    large_vector<std::uint8_t> fresh_tags(capacity, 0);
    slots_.swap(fresh);
    tags_.swap(fresh_tags);
    mask_ = capacity - 1;
    for (std::uint32_t i = 0; i < size(); ++i) place(hash_bytes(at(i)), i);
  }

  // On huge pages once large (huge_pages.hpp): a million orders' ids are read at random.
  large_vector<char> chars_;
  large_vector<std::uint32_t> starts_{0};
  large_vector<std::uint32_t> slots_;  // index + 1, 0 when empty
  large_vector<std::uint8_t> tags_;    // the top byte of the hash of the id in the same slot
  std::size_t mask_ = 0;
};

}  // namespace sellerhealth::detail
