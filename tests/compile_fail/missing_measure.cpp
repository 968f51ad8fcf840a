// Must not compile: the policy names no measure.
#include <sellerhealth/sellerhealth.hpp>
#include <string_view>

struct policy_without_measure {
  static constexpr std::string_view id = "mine.no_measure";
  static constexpr sellerhealth::target goal{sellerhealth::condition::less_than, {1, 40}};
  static constexpr sellerhealth::window_spec window = sellerhealth::rolling_days(7);
};

static_assert(!sellerhealth::rate_policy<policy_without_measure>);
int main() { sellerhealth::ledger<sellerhealth::jst, policy_without_measure> book; }
