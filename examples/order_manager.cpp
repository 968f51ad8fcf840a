// An order manager that feeds its marketplace's order events into a ledger as they arrive and,
// at the end of every day, prints where each seller stands on Amazon's pre-fulfillment cancel rate
// and late shipment rates. Twelve days of two sellers, September 2026:
//
//   books    10 orders a day, shipped the next morning; one cancelled for lack of stock (Sep 3),
//            one shipped a day late (placed Sep 5, due Sep 6, shipped Sep 7)
//   gadgets   3 orders a day; the first one shipped late (due Sep 2, shipped Sep 3), one cancelled
//            at the buyer's request (Sep 4), one cancelled by the seller (Sep 6)
//
// Build and run: cmake --build build/release --target example_order_manager
//                build/release/examples/example_order_manager
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <sellerhealth/sellerhealth.hpp>
#include <string>
#include <vector>

namespace {

namespace sh = sellerhealth;
using namespace std::chrono;
using book_type = sh::ledger<sh::jst, sh::amazon::pre_fulfillment_cancel_rate, sh::amazon::late_shipment_rate_10d,
                             sh::amazon::late_shipment_rate_30d>;

/// The order manager's own record of an event, as its feed delivers it. Events hold views of
/// their ids, so the strings live here; the ledger copies what it keeps.
struct feed_event {
  enum class what { placed, shipped, buyer_asked_to_cancel, seller_cancelled } kind;
  sh::sys_seconds at;
  std::string order, seller;
  sh::sys_seconds ship_by{};

  [[nodiscard]] sh::event to_event() const {
    switch (kind) {
      case what::placed: return sh::placed{.order = order, .seller = seller, .at = at, .ship_by = ship_by};
      case what::shipped: return sh::shipped{.order = order, .at = at};
      case what::buyer_asked_to_cancel: return sh::cancel_requested{.order = order, .at = at};
      case what::seller_cancelled: return sh::cancelled{.order = order, .at = at, .by = sh::actor::seller};
    }
    return sh::shipped{.order = order, .at = at};
  }
};

sh::sys_seconds at(int day, int hour, int minute = 0) {
  return sh::jst::start_of(sh::local_day{2026y / 9 / day}) + hours{hour} + minutes{minute};
}

/// `per_day` orders a day from Sep 1 to Sep 12 at `hour`, each due at 18:00 the next day and
/// shipped the next day at `hour - 1`, except the orders `special` handles (it returns true).
template <class Special>
void daily_orders(std::vector<feed_event>& feed, const std::string& seller, char prefix, int per_day, int hour,
                  Special special) {
  for (int day = 1; day <= 12; ++day)
    for (int n = 0; n < per_day; ++n) {
      char id[16];
      std::snprintf(id, sizeof id, "%c%02d-%d", prefix, day, n);  // B03-0: books' first order of Sep 3
      feed.push_back({feed_event::what::placed, at(day, hour, n), id, seller, at(day + 1, 18)});
      if (!special(feed, std::string(id)) && day < 12)
        feed.push_back({feed_event::what::shipped, at(day + 1, hour - 1, n), id, {}});
    }
}

std::vector<feed_event> september_feed() {
  using enum feed_event::what;
  std::vector<feed_event> feed;
  daily_orders(feed, "books", 'B', 10, 10, [](std::vector<feed_event>& f, const std::string& id) {
    if (id == "B03-0")
      f.push_back({seller_cancelled, at(3, 15), id, {}});  // out of stock
    else if (id == "B05-0")
      f.push_back({shipped, at(7, 9), id, {}});  // due Sep 6 18:00: late
    else
      return false;
    return true;
  });
  daily_orders(feed, "gadgets", 'G', 3, 11, [](std::vector<feed_event>& f, const std::string& id) {
    if (id == "G01-0") {
      f.push_back({shipped, at(3, 10), id, {}});  // due Sep 2 18:00: late
    } else if (id == "G04-1") {                   // the buyer asks through the platform first: not in PFCR
      f.push_back({buyer_asked_to_cancel, at(4, 12), id, {}});
      f.push_back({seller_cancelled, at(4, 13), id, {}});
    } else if (id == "G06-2") {
      f.push_back({seller_cancelled, at(6, 14), id, {}});  // without a request: counts in PFCR
    } else {
      return false;
    }
    return true;
  });
  // The feed delivers in time order.
  std::stable_sort(feed.begin(), feed.end(), [](const feed_event& a, const feed_event& b) { return a.at < b.at; });
  return feed;
}

/// "0/10*  GOOD +0": counts (* when low volume), status, and for GOOD how many more bad orders it
/// can take, for BAD how many more good orders would bring it back.
std::string cell(const sh::metric_result& r) {
  char counts[32], text[48];
  std::snprintf(counts, sizeof counts, "%llu/%llu%s", static_cast<unsigned long long>(r.counts.numerator),
                static_cast<unsigned long long>(r.counts.denominator), r.low_volume ? "*" : "");
  if (r.status == sh::status::none)
    std::snprintf(text, sizeof text, "%-7s NONE", counts);
  else if (r.status == sh::status::good)
    std::snprintf(text, sizeof text, "%-7s GOOD +%llu", counts, static_cast<unsigned long long>(r.headroom));
  else
    std::snprintf(text, sizeof text, "%-7s BAD  -%llu", counts,
                  static_cast<unsigned long long>(r.recovery.value_or(0)));
  return text;
}

void print_day(const book_type& book, sh::local_day day) {
  for (const char* seller : {"books", "gadgets"}) {
    std::string line = sh::format_day(day) + "  " + seller;
    line.resize(20, ' ');
    for (const sh::metric_result& r : book.evaluate_all(*book.find_seller(seller), day)) {
      std::string column = cell(r);
      column.resize(std::max<std::size_t>(column.size(), 16), ' ');
      line += "  ";
      line += column;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    std::printf("%s\n", line.c_str());
  }
}

}  // namespace

int main() {
  std::printf("day         seller    PFCR 7 days       LSR 10 days       LSR 30 days\n");
  book_type book;
  std::optional<sh::local_day> open_day;  // the day whose events are coming in
  for (const feed_event& e : september_feed()) {
    const sh::local_day day = sh::jst::day_of(e.at);
    // The first event of a new day closes the days before it: judge them and report.
    for (; open_day && *open_day < day; *open_day += days{1}) {
      book.advance_to(*open_day);
      print_day(book, *open_day);
    }
    open_day = day;
    if (const auto rejected = book.try_record(e.to_event())) std::printf("rejected: %s\n", rejected->message.c_str());
  }
  book.advance_to(*open_day);
  print_day(book, *open_day);
  std::printf(
      "* low volume: one more bad order alone would decide the status\n"
      "+N: N more bad orders keep it GOOD; -N: N more good orders make it GOOD\n");
}
