// Snapshots in files: `ledger::save_to_file` / `ledger::restore_from_file` (and `sharded`'s).
//
// Saving never leaves a half-written target. The bytes go to a new file in the target's directory
// (so the rename below stays within one file system), every write is checked, the data is flushed
// to the disk (fsync on POSIX), and only then is the new file renamed over the target, which is
// atomic: a crash or an error at any point leaves either the old file, untouched, or the new one.
// On an error the temporary file is removed and the exception names the target, the step that
// failed and the system's reason (errno).
//
// Restoring reads the whole file and hands it to `restore`; a missing, unreadable or invalid file
// is a `snapshot_error` naming the path.
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "../error.hpp"

// fsync is POSIX: where it exists the data and the rename are pushed to the disk; elsewhere the
// checked flush and close are what there is.
#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <unistd.h>
#define SELLERHEALTH_DETAIL_HAVE_FSYNC 1
#else
#define SELLERHEALTH_DETAIL_HAVE_FSYNC 0
#endif

namespace sellerhealth::detail {

/// The system's words for an errno value ("No such file or directory"), thread-safe unlike strerror.
[[nodiscard]] inline std::string errno_text(int code) { return std::generic_category().message(code); }

[[nodiscard]] inline std::string quoted_path(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

/// Writes `bytes` to `target` as the header says: a checked temporary file renamed over it.
/// Throws `sellerhealth::error` naming `target`, the failing step and errno's text; then `target`
/// is as it was and no temporary file is left.
inline void replace_file_atomically(const std::filesystem::path& target, std::span<const std::byte> bytes) {
  const auto failed = [&](const std::string& step, int code) {
    throw error("sellerhealth: cannot save snapshot to " + quoted_path(target) + ": " + step + ": " + errno_text(code));
  };
  if (target.empty()) throw error("sellerhealth: cannot save snapshot: empty file name");
  if (!target.has_filename()) failed("not a file name", EISDIR);
  std::error_code ec;
  if (std::filesystem::is_directory(target, ec)) failed("the target is a directory", EISDIR);

  // A name no other writer uses: "x" (C11 exclusive create) refuses an existing file, and a random
  // suffix makes a collision with a concurrent save unlikely; a few tries cover the rest.
  std::random_device entropy;
  std::filesystem::path temporary;
  std::FILE* f = nullptr;
  int open_error = 0;
  for (int attempt = 0; attempt < 8 && !f; ++attempt) {
    const std::uint64_t suffix = (std::uint64_t{entropy()} << 32) ^ entropy();
    temporary = target;
    temporary += ".tmp-" + std::to_string(suffix);
    errno = 0;
    f = std::fopen(temporary.string().c_str(), "wbx");
    open_error = errno;
    if (!f && open_error != EEXIST) break;
  }
  if (!f) failed("cannot create " + quoted_path(temporary), open_error);

  const auto discard = [&](const std::string& step, int code) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    failed(step, code);
  };
  errno = 0;
  bool written = bytes.empty() || std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  written = written && std::fflush(f) == 0;
#if SELLERHEALTH_DETAIL_HAVE_FSYNC
  written = written && ::fsync(::fileno(f)) == 0;
#endif
  const int write_error = errno;
  errno = 0;
  const bool closed = std::fclose(f) == 0;
  const int close_error = errno;
  if (!written) discard("cannot write " + quoted_path(temporary), write_error);
  if (!closed) discard("cannot close " + quoted_path(temporary), close_error);
  errno = 0;
  if (std::rename(temporary.string().c_str(), target.string().c_str()) != 0)
    discard("cannot rename " + quoted_path(temporary) + " over it", errno);
#if SELLERHEALTH_DETAIL_HAVE_FSYNC
  // The rename reaches the disk with its directory. Best effort: the new file is in place already,
  // and a directory that cannot be opened for syncing is no reason to report a failed save.
  const std::filesystem::path directory = target.has_parent_path() ? target.parent_path() : ".";
  if (const int d = ::open(directory.string().c_str(), O_RDONLY); d >= 0) {
    (void)::fsync(d);
    ::close(d);
  }
#endif
}

/// The whole contents of `file`; throws `snapshot_error` naming it and errno's text.
[[nodiscard]] inline std::vector<std::byte> read_snapshot_file(const std::filesystem::path& file) {
  const auto failed = [&](int code) {
    throw snapshot_error("sellerhealth: cannot read snapshot " + quoted_path(file) + ": " + errno_text(code));
  };
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) failed(EISDIR);
  errno = 0;
  std::FILE* f = std::fopen(file.string().c_str(), "rb");
  if (!f) failed(errno);
  std::vector<std::byte> bytes;
  std::byte chunk[1 << 16];
  for (std::size_t got; (got = std::fread(chunk, 1, sizeof chunk, f)) > 0;)
    bytes.insert(bytes.end(), chunk, chunk + got);
  const int read_error = std::ferror(f) ? (errno != 0 ? errno : EIO) : 0;
  std::fclose(f);
  if (read_error != 0) failed(read_error);
  return bytes;
}

/// `restore(bytes)` of `file`'s contents; a `snapshot_error` it throws is thrown again naming the
/// file: "sellerhealth: restoring 'state.bin': snapshot invalid: checksum mismatch ...".
template <class Restore>
[[nodiscard]] auto restore_snapshot_file(const std::filesystem::path& file, Restore restore) {
  const std::vector<std::byte> bytes = read_snapshot_file(file);
  try {
    return restore(std::span<const std::byte>(bytes));
  } catch (const snapshot_error& e) {
    std::string_view why = e.what();
    if (constexpr std::string_view prefix = "sellerhealth: "; why.substr(0, prefix.size()) == prefix)
      why.remove_prefix(prefix.size());
    throw snapshot_error("sellerhealth: restoring " + quoted_path(file) + ": " + std::string(why));
  }
}

}  // namespace sellerhealth::detail

#undef SELLERHEALTH_DETAIL_HAVE_FSYNC
