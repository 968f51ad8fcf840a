// The library's version. CMakeLists.txt checks at configure time that it is the project's.
//
//   std::cout << "sellerhealth " << sellerhealth::version << '\n';   // sellerhealth 0.1.0
#pragma once

#include <string_view>

#define SELLERHEALTH_VERSION_MAJOR 0
#define SELLERHEALTH_VERSION_MINOR 1
#define SELLERHEALTH_VERSION_PATCH 0

namespace sellerhealth {

/// "MAJOR.MINOR.PATCH", as in the CMake package version.
inline constexpr std::string_view version = "0.1.0";

}  // namespace sellerhealth
