// Must not compile: the policy's id is a static member, not `static constexpr`.
#include <sellerhealth/sellerhealth.hpp>
#include <string_view>

struct counts_nothing {
  static sellerhealth::classification classify(const sellerhealth::order_view&, const sellerhealth::as_of&) noexcept {
    return {};
  }
};
struct policy_with_runtime_id {
  using measure = counts_nothing;
  static const std::string_view id;
  static constexpr sellerhealth::target goal{sellerhealth::condition::less_than, {1, 40}};
  static constexpr sellerhealth::window_spec window = sellerhealth::rolling_days(7);
};
const std::string_view policy_with_runtime_id::id = "mine.runtime_id";

static_assert(!sellerhealth::rate_policy<policy_with_runtime_id>);
int main() { sellerhealth::ledger<sellerhealth::jst, policy_with_runtime_id> book; }
