// The base of the library's exceptions, and the ones a caller catches by name that do not
// belong to one header (`rejected_event` is in rejection.hpp).
#pragma once

#include <stdexcept>

namespace sellerhealth {

/// Base of the library's exceptions.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Thrown when a snapshot cannot be restored (`ledger::restore`, `sharded::restore` and their
/// `_from_file` forms): truncated, corrupted, another format version, saved by a ledger with
/// other rules or another zone, or inconsistent; for a file, also one that cannot be read. The
/// message names what is wrong and where: the byte offset, and the file's path when there is one.
/// Public (ledger.hpp includes this header) so that a caller catches it without a detail header.
class snapshot_error : public error {
 public:
  using error::error;
};

}  // namespace sellerhealth
