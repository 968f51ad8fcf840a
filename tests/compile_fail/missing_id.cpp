// Must not compile: the policy has no id.
#include <sellerhealth/sellerhealth.hpp>

struct counts_nothing {
  static sellerhealth::classification classify(const sellerhealth::order_view&, const sellerhealth::as_of&) noexcept {
    return {};
  }
};
struct policy_without_id {
  using measure = counts_nothing;
  static constexpr sellerhealth::target goal{sellerhealth::condition::less_than, {1, 40}};
  static constexpr sellerhealth::window_spec window = sellerhealth::rolling_days(7);
};

static_assert(!sellerhealth::rate_policy<policy_without_id>);
int main() { sellerhealth::ledger<sellerhealth::jst, policy_without_id> book; }
