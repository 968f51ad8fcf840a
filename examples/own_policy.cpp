// A rate policy of one's own next to Amazon's in one ledger, and the ledger saved to a file and
// restored from it.
//
// The policy: a 30-day store-caused cancellation rate, the kind Yahoo! Shopping shows buyers (the
// line is not published, so the seller sets one: under 2 %). A policy is a measure (which orders
// count, and on which day) plus an id, a target and a window: policy.hpp's requirement tables.
//
// Build and run: cmake --build build/release --target example_own_policy
//                build/release/examples/example_own_policy [SNAPSHOT_FILE]
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <sellerhealth/sellerhealth.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sh = sellerhealth;
using namespace std::chrono;

/// The seller's own cancellations, unless the buyer asked first through the platform, and the
/// platform's automatic ones once the order was past its ship-by deadline; not the buyer's own.
/// Every order counts whoever fulfils it, filed under its local placement day.
struct store_caused_cancels {
  static sh::classification classify(const sh::order_view& o, const sh::as_of& when) noexcept {
    if (!when.happened(o.placed_at())) return {};  // not placed yet as of `when`: in no window
    const sh::local_day placed = when.day_of(o.placed_at());
    const bool by_store = when.happened(o.first_cancel_at(sh::actor::seller)) && !o.seller_cancel_after_request();
    const auto by_platform = o.first_cancel_at(sh::actor::platform);
    const bool never_shipped = when.happened(by_platform) && *by_platform > o.ship_by();
    return {.denominator = placed, .numerator = by_store || never_shipped ? std::optional{placed} : std::nullopt};
  }
};

struct store_cancel_rate_30d {
  using measure = store_caused_cancels;
  static constexpr std::string_view id = "store.cancel_rate_30d";
  static constexpr sh::target goal{sh::condition::less_than, {1, 50}};  // the seller's own line: under 2 %
  static constexpr sh::window_spec window = sh::rolling_days(30);
};
static_assert(sh::rate_policy<store_cancel_rate_30d>);

using book_type = sh::ledger<sh::jst, store_cancel_rate_30d, sh::amazon::pre_fulfillment_cancel_rate,
                             sh::amazon::late_shipment_rate_10d, sh::amazon::late_shipment_rate_30d>;

namespace {

sh::sys_seconds at(int day, int hour, int minute = 0) {
  return sh::jst::start_of(sh::local_day{2026y / 9 / day}) + hours{hour} + minutes{minute};
}

std::string id_of(int day, int n) {
  char id[16];
  std::snprintf(id, sizeof id, "S1-%02d-%d", day, n);
  return id;
}

/// Sep 1..20: 5 orders a day, shipped the next morning, due at 18:00 the next day. Three are
/// cancelled by the seller instead: Sep 2 and Sep 18 for lack of stock, Sep 15 after the buyer
/// asked through the platform.
void record_september(book_type& book) {
  for (int day = 1; day <= 20; ++day)
    for (int n = 0; n < 5; ++n) {
      const std::string id = id_of(day, n);
      book.record(sh::placed{.order = id, .seller = "S1", .at = at(day, 10, n), .ship_by = at(day + 1, 18)});
      if (n == 0 && day == 15) book.record(sh::cancel_requested{.order = id, .at = at(day, 11)});
      if (n == 0 && (day == 2 || day == 15 || day == 18))
        book.record(sh::cancelled{.order = id, .at = at(day, 12), .by = sh::actor::seller});
      else if (day < 20)
        book.record(sh::shipped{.order = id, .at = at(day + 1, 9, n)});
    }
}

bool same(const sh::metric_result& a, const sh::metric_result& b) {
  return a.metric == b.metric && a.period == b.period && a.counts == b.counts && a.status == b.status &&
         a.low_volume == b.low_volume && a.headroom == b.headroom && a.recovery == b.recovery;
}

/// Prints every metric of seller S1 today in both ledgers' eyes; true when they agree on all.
bool print_and_compare(const book_type& saved, const book_type& restored) {
  const auto day = *saved.today();
  const auto want = saved.evaluate_all(*saved.find_seller("S1"), day);
  const auto got = restored.evaluate_all(*restored.find_seller("S1"), *restored.today());
  bool all_same = true;
  for (std::size_t i = 0; i < want.size(); ++i) {
    std::printf("  %-36s %llu/%llu %s\n", std::string(got[i].metric).c_str(),
                static_cast<unsigned long long>(got[i].counts.numerator),
                static_cast<unsigned long long>(got[i].counts.denominator),
                std::string(sh::to_string(got[i].status)).c_str());
    all_same = all_same && same(want[i], got[i]);
  }
  std::printf("  same answers as the original: %s\n", all_same ? "yes" : "NO");
  return all_same;
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path file = argc > 1 ? argv[1] : "own_policy.snapshot";
  book_type book;
  record_september(book);
  book.advance_to(sh::local_day{2026y / 9 / 20});

  // Written to a new file, flushed to the disk and renamed over `file`: a reader (or a crash) sees
  // the old file or the new one, never half of one. Restoring throws sh::snapshot_error, naming
  // the file, for one that is missing or is not a whole snapshot of this ledger type.
  book.save_to_file(file);
  book_type restored = book_type::restore_from_file(file);
  std::printf("seller S1 on %s, restored from %s:\n", sh::format_day(*restored.today()).c_str(), file.string().c_str());
  bool ok = print_and_compare(book, restored);

  // A restored ledger goes on as the original would: the same event in both.
  const std::string order = id_of(20, 1);  // events view their ids: the string must outlive them
  const sh::cancelled late_cancel{.order = order, .at = at(20, 21), .by = sh::actor::seller};
  book.record(late_cancel);
  restored.record(late_cancel);
  std::printf("after one more cancellation by the seller:\n");
  ok = print_and_compare(book, restored) && ok;
  return ok ? 0 : 1;
}
