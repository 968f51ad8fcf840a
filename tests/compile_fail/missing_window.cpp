// Must not compile: the policy has no window.
#include <sellerhealth/sellerhealth.hpp>
#include <string_view>

struct counts_nothing {
  static sellerhealth::classification classify(const sellerhealth::order_view&, const sellerhealth::as_of&) noexcept {
    return {};
  }
};
struct policy_without_window {
  using measure = counts_nothing;
  static constexpr std::string_view id = "mine.no_window";
  static constexpr sellerhealth::target goal{sellerhealth::condition::less_than, {1, 40}};
};

static_assert(!sellerhealth::rate_policy<policy_without_window>);
int main() { sellerhealth::ledger<sellerhealth::jst, policy_without_window> book; }
