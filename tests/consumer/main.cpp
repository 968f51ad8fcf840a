// Downstream smoke program: built against the umbrella header the way a user would, and exits
// non-zero if the library answers a threshold question wrongly.
#include <cstdio>
#include <sellerhealth/sellerhealth.hpp>

int main() {
  using namespace sellerhealth;
  constexpr target pfcr{condition::less_than, {1, 40}};  // "less than 2.5 %"
  static_assert(!meets(rate{1, 40}, pfcr));

  int failures = 0;
  const auto check = [&failures](bool ok, const char* what) {
    if (!ok) {
      std::fprintf(stderr, "consumer: wrong answer: %s\n", what);
      ++failures;
    }
  };
  check(meets(rate{1, 41}, pfcr), "1/41 meets < 1/40");
  check(!meets(rate{1, 40}, pfcr), "1/40 does not meet < 1/40");
  check(judge(rate{0, 0}, pfcr) == status::none, "no orders judges NONE");
  check(to_string(judge(rate{3, 40}, pfcr)) == "BAD", "3/40 judges BAD");
  if (failures == 0) std::puts("consumer: ok");
  return failures == 0 ? 0 : 1;
}
