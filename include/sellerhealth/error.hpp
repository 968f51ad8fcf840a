// The base of the library's exceptions.
#pragma once

#include <stdexcept>

namespace sellerhealth {

/// Base of the library's exceptions.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace sellerhealth
