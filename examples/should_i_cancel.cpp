// "Should I cancel this order?": a seller who ships 10 orders a day on time, and cancelled one two
// days ago, gets an order it cannot ship (no stock, no date for more). `sellerhealth::advise`
// projects every option over the next 30 days and recommends one.
//
// Waiting for the platform to cancel the order is projected as Amazon counts it: 7 business days
// after the ship-by day the platform cancels, and that cancellation counts in PFCR under its own
// day. Here the seller's volume dilutes it below 2.5 %, so waiting scores best, yet it is shown and
// not recommended: Amazon asks sellers to ship or cancel, and the reason says so. A program that
// wants waiting considered sets `allow_waiting`.
//
// Build and run: cmake --build build/release --target example_should_i_cancel
//                build/release/examples/example_should_i_cancel
#include <chrono>
#include <cstdio>
#include <sellerhealth/sellerhealth.hpp>
#include <string>
#include <vector>

namespace {

namespace sh = sellerhealth;
using namespace std::chrono;
using book_type = sh::ledger<sh::jst, sh::amazon::pre_fulfillment_cancel_rate, sh::amazon::late_shipment_rate_10d,
                             sh::amazon::late_shipment_rate_30d>;

constexpr sh::local_day today{2026y / 9 / 10};

sh::sys_seconds at(sh::local_day day, hours hour, minutes minute = minutes{0}) {
  return sh::jst::start_of(day) + hour + minute;
}

/// Thirty days of 10 orders a day up to today: paid from 09:00, shipped at 16:00 the same day,
/// due at 18:00 the next. One order of Sep 8 was out of stock and cancelled by the seller.
void record_history(book_type& book) {
  for (sh::local_day day = today - days{29}; day <= today; day += days{1})
    for (int n = 0; n < 10; ++n) {
      std::string id = sh::format_day(day);  // e.g. 2026-09-08-0
      id += '-';
      id += std::to_string(n);
      book.record(sh::placed{
          .order = id, .seller = "shop", .at = at(day, hours{9}, minutes{n}), .ship_by = at(day + days{1}, hours{18})});
      if (day == today - days{2} && n == 0)
        book.record(sh::cancelled{.order = id, .at = at(day, hours{12}), .by = sh::actor::seller});
      else
        book.record(sh::shipped{.order = id, .at = at(day, hours{16})});
    }
}

void print_metrics(const book_type& book) {
  for (const sh::metric_result& r : book.evaluate_all(*book.find_seller("shop"), *book.today()))
    std::printf("  %-36s %llu/%llu (%.2f %%) %s\n", std::string(r.metric).c_str(),
                static_cast<unsigned long long>(r.counts.numerator),
                static_cast<unsigned long long>(r.counts.denominator), 100 * r.counts.value(),
                std::string(sh::to_string(r.status)).c_str());
}

}  // namespace

int main() {
  book_type book;
  record_history(book);
  std::printf("seller shop on %s, before the new order:\n", sh::format_day(today).c_str());
  print_metrics(book);

  // 16:30: an order comes in that cannot ship, and the seller asks what to do at 17:00.
  book.record(sh::placed{.order = "N-1",
                         .seller = "shop",
                         .at = at(today, hours{16}, minutes{30}),
                         .ship_by = at(today + days{1}, hours{18})});
  const sh::advice a = sh::advise(book, {.order = "N-1",
                                         .now = at(today, hours{17}),
                                         .in_stock = 0,       // nothing on hand
                                         .daily_orders = 10,  // the seller's usual volume goes on
                                         .amazon_days = 30});
  std::printf("order N-1 cannot ship; options projected over %s..%s (day 0 is today):\n",
              sh::format_day(a.projected.from).c_str(), sh::format_day(a.projected.to).c_str());
  for (const sh::option_outcome& o : a.options) {
    std::printf("%s: %s\n", std::string(sh::to_string(o.kind)).c_str(), o.plan.c_str());
    if (!o.expected_days_bad) continue;  // the option does not apply: no figures
    for (const sh::metric_projection& m : o.metrics)
      std::printf("  %-36s day 0 %.2f %% (BAD with chance %.0f %%), expected days in BAD %.1f\n", m.metric.c_str(),
                  100 * m.expected_rate[0], 100 * m.chance_bad[0], m.expected_days_bad);
    std::printf("  expected metric-days in BAD: %.1f\n", *o.expected_days_bad);
  }

  // Where waiting's cancellation lands: the PFCR policy says when the platform cancels.
  const sh::sys_seconds cancels =
      sh::amazon::pre_fulfillment_cancel_rate::auto_cancel::cancels_at<sh::jst>(book.order("N-1")->ship_by());
  const auto cancel_day = static_cast<std::size_t>((sh::jst::day_of(cancels) - a.projected.from).count());
  for (const sh::option_outcome& o : a.options)
    if (o.kind == sh::option_kind::wait_for_auto_cancel)
      std::printf("waiting: the platform cancels at %s (day %zu); PFCR that day %.2f %%\n",
                  sh::format_local<sh::jst>(cancels).c_str(), cancel_day, 100 * o.metrics[0].expected_rate[cancel_day]);
  std::printf("recommended: %s\n  because %s\n", std::string(sh::to_string(a.recommended)).c_str(), a.reason.c_str());

  // The same question, letting waiting be recommended.
  const sh::advice allowed = sh::advise(
      book, {.order = "N-1", .now = at(today, hours{17}), .in_stock = 0, .daily_orders = 10, .allow_waiting = true});
  std::printf("with waiting allowed, recommended: %s\n", std::string(sh::to_string(allowed.recommended)).c_str());
}
