// Little-endian byte writing and bounds-checked reading for ledger snapshots (ledger.hpp,
// "Snapshots"). The reader never reads past its span: every read checks the bytes left first,
// and a count of elements is checked against the bytes left before anything is sized from it, so
// a hostile count cannot make a restore allocate more than the snapshot's own size allows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "../error.hpp"  // snapshot_error

namespace sellerhealth::detail {

/// FNV-1a, 64 bits: the snapshot's checksum (detects corruption, not tampering).
[[nodiscard]] inline std::uint64_t fnv1a64(std::span<const std::byte> bytes) noexcept {
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (const std::byte b : bytes) {
    h ^= static_cast<std::uint64_t>(b);
    h *= 0x100000001B3ull;
  }
  return h;
}

class byte_writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<std::byte>(v)); }
  void u16(std::uint16_t v) { put(v, 2); }
  void u32(std::uint32_t v) { put(v, 4); }
  void u64(std::uint64_t v) { put(v, 8); }
  void i32(std::int32_t v) { put(static_cast<std::uint32_t>(v), 4); }
  void i64(std::int64_t v) { put(static_cast<std::uint64_t>(v), 8); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    const auto* p = reinterpret_cast<const std::byte*>(s.data());
    out_.insert(out_.end(), p, p + s.size());
  }
  void raw(std::string_view s) {
    const auto* p = reinterpret_cast<const std::byte*>(s.data());
    out_.insert(out_.end(), p, p + s.size());
  }
  [[nodiscard]] std::vector<std::byte>& bytes() noexcept { return out_; }

 private:
  void put(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xFFu));
  }
  std::vector<std::byte> out_;
};

class byte_reader {
 public:
  /// `base`: where `bytes` starts in the whole snapshot, so messages name absolute offsets.
  explicit byte_reader(std::span<const std::byte> bytes, std::size_t base = 0) noexcept : bytes_(bytes), base_(base) {}

  /// Bytes read so far (relative to the span given).
  [[nodiscard]] std::size_t offset() const noexcept { return at_; }
  [[nodiscard]] std::size_t left() const noexcept { return bytes_.size() - at_; }
  /// The bytes from offset `at` (relative to the span given) to the end, to read them again.
  [[nodiscard]] std::span<const std::byte> rest_from(std::size_t at) const noexcept { return bytes_.subspan(at); }

  std::uint8_t u8(const char* what) { return static_cast<std::uint8_t>(get(1, what)); }
  std::uint16_t u16(const char* what) { return static_cast<std::uint16_t>(get(2, what)); }
  std::uint32_t u32(const char* what) { return static_cast<std::uint32_t>(get(4, what)); }
  std::uint64_t u64(const char* what) { return get(8, what); }
  std::int32_t i32(const char* what) { return static_cast<std::int32_t>(static_cast<std::uint32_t>(get(4, what))); }
  std::int64_t i64(const char* what) { return static_cast<std::int64_t>(get(8, what)); }
  std::string_view str(const char* what) {
    const std::uint32_t n = u32(what);
    need(n, what);
    const std::string_view s(reinterpret_cast<const char*>(bytes_.data() + at_), n);
    at_ += n;
    return s;
  }
  std::string_view raw(std::size_t n, const char* what) {
    need(n, what);
    const std::string_view s(reinterpret_cast<const char*>(bytes_.data() + at_), n);
    at_ += n;
    return s;
  }

  /// A count of elements of at least `min_bytes` each, checked against the bytes left.
  std::uint64_t count(std::uint64_t n, std::size_t min_bytes, const char* what) const {
    if (min_bytes > 0 && n > left() / min_bytes)
      fail(std::string(what) + ": count " + std::to_string(n) + " is more than the " + std::to_string(left()) +
           " bytes left hold");
    return n;
  }

  [[noreturn]] void fail(const std::string& message) const {
    throw snapshot_error("sellerhealth: snapshot invalid at byte " + std::to_string(base_ + at_) + ": " + message);
  }

 private:
  void need(std::size_t n, const char* what) const {
    if (n > left())
      fail(std::string("truncated: ") + what + " needs " + std::to_string(n) + " bytes, " + std::to_string(left()) +
           " left");
  }
  std::uint64_t get(int n, const char* what) {
    need(static_cast<std::size_t>(n), what);
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(bytes_[at_ + static_cast<std::size_t>(i)]) << (8 * i);
    at_ += static_cast<std::size_t>(n);
    return v;
  }

  std::span<const std::byte> bytes_;
  std::size_t base_ = 0;
  std::size_t at_ = 0;
};

}  // namespace sellerhealth::detail
