// A deterministic order-event stream in the event CSV, for benchmarks that need nothing outside
// the repository. The workload matches the peer generator the DuckDB comparison uses:
//   gen_events --orders N --sellers K --days D [--seed S] [--start YYYY-MM-DD] > events.csv
// Seller sizes follow a power law (weight 1 / (i + 1)^0.8); per order: 94 % shipped on time, 3 %
// late (up to 72 h after ship-by), 1.5 % cancelled by the seller before ship-by, 1 % cancelled
// after the buyer's request, 0.5 % left open. Times are JST; ship-by is the end of the second local
// day after placement. Lines are sorted by time. The same arguments give the same bytes on every
// platform: draws come straight from std::mt19937_64 (whose sequence the standard fixes), never
// from std::*_distribution (whose algorithms it does not).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <sellerhealth/calendar.hpp>
#include <sellerhealth/io/events_csv.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace sh = sellerhealth;

struct settings {
  std::uint64_t orders = 100000, sellers = 1000, days = 365, seed = 1;
  sh::local_day start = sh::local_day{std::chrono::year{2026} / 1 / 1};
};

class draws {
 public:
  explicit draws(std::uint64_t seed) : engine_(seed) {}
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::uint64_t below(std::uint64_t n) { return static_cast<std::uint64_t>(unit() * static_cast<double>(n)); }

 private:
  std::mt19937_64 engine_;
};

std::string iso(sh::sys_seconds t) {
  // JST with its offset, as the peer generator writes it.
  const auto local = t + std::chrono::hours{9};
  std::string s = sh::format_instant(local);
  s.pop_back();  // the 'Z'
  return s + "+09:00";
}

struct line {
  sh::sys_seconds at;
  int rank;  // placed before what follows it at the same second
  std::string text;
};

bool parse(int argc, char** argv, settings& out) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view key = argv[i], value = argv[i + 1];
    std::uint64_t n = 0;
    if (key == "--start") {
      const auto d = sh::io::parse_day(value);
      if (!d) return false;
      out.start = *d;
      continue;
    }
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc{} || end != value.data() + value.size()) return false;
    if (key == "--orders")
      out.orders = n;
    else if (key == "--sellers")
      out.sellers = std::max<std::uint64_t>(n, 1);
    else if (key == "--days")
      out.days = std::max<std::uint64_t>(n, 1);
    else if (key == "--seed")
      out.seed = n;
    else
      return false;
  }
  return argc % 2 == 1;
}

}  // namespace

int main(int argc, char** argv) {
  settings s;
  if (!parse(argc, argv, s)) {
    std::fputs("usage: gen_events --orders N --sellers K --days D [--seed S] [--start YYYY-MM-DD]\n", stderr);
    return 2;
  }
  draws rnd(s.seed);
  std::vector<double> cumulative(s.sellers);
  double total = 0;
  for (std::uint64_t i = 0; i < s.sellers; ++i)
    cumulative[i] = total += 1.0 / std::pow(static_cast<double>(i + 1), 0.8);
  const sh::sys_seconds start = sh::jst::start_of(s.start);
  const std::uint64_t span = s.days * 86400;
  std::vector<line> lines;
  lines.reserve(s.orders * 2);
  char id[32], seller[32];
  for (std::uint64_t i = 0; i < s.orders; ++i) {
    std::snprintf(id, sizeof id, "O%09llu", static_cast<unsigned long long>(i));
    const auto k = static_cast<std::uint64_t>(
        std::upper_bound(cumulative.begin(), cumulative.end(), rnd.unit() * total) - cumulative.begin());
    std::snprintf(seller, sizeof seller, "S%06llu", static_cast<unsigned long long>(std::min(k, s.sellers - 1)));
    const sh::sys_seconds placed = start + std::chrono::seconds{rnd.below(span)};
    const sh::local_day placed_day = sh::jst::day_of(placed);
    const sh::sys_seconds ship_by = sh::jst::start_of(placed_day + std::chrono::days{3}) - std::chrono::seconds{1};
    const std::uint32_t quantity = rnd.unit() < 0.85 ? 1 : 2 + static_cast<std::uint32_t>(rnd.below(3));
    lines.push_back({placed, 0,
                     "placed," + std::string(id) + "," + seller + "," + iso(placed) + "," + iso(ship_by) + "," +
                         std::to_string(quantity) + ",,,,merchant"});
    const auto before_deadline = [&](double share) {
      return placed +
             std::chrono::seconds{static_cast<std::int64_t>(static_cast<double>((ship_by - placed).count()) * share)};
    };
    const double u = rnd.unit();
    if (u < 0.94) {
      const auto t = before_deadline(rnd.unit());
      lines.push_back({t, 1, "shipped," + std::string(id) + ",," + iso(t) + ",,,,,,"});
    } else if (u < 0.97) {
      const auto t = ship_by + std::chrono::seconds{1 + rnd.below(72 * 3600 - 1)};
      lines.push_back({t, 1, "shipped," + std::string(id) + ",," + iso(t) + ",,,,,,"});
    } else if (u < 0.985) {
      const auto t = before_deadline(rnd.unit());
      lines.push_back({t, 1, "cancelled," + std::string(id) + ",," + iso(t) + ",,,seller,out_of_stock,,"});
    } else if (u < 0.995) {
      const auto t = before_deadline(rnd.unit() * 0.5);
      const auto t2 = t + std::chrono::seconds{60 + rnd.below(6 * 3600 - 60)};
      lines.push_back({t, 1, "cancel_requested," + std::string(id) + ",," + iso(t) + ",,,buyer,changed_mind,,"});
      lines.push_back({t2, 2, "cancelled," + std::string(id) + ",," + iso(t2) + ",,,seller,buyer_request,,"});
    }  // else: left open
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const line& a, const line& b) { return a.at != b.at ? a.at < b.at : a.rank < b.rank; });
  std::string out = "event,order_id,seller_id,time,ship_by,quantity,actor,reason,metric,channel\n";
  for (const auto& l : lines) {
    out += l.text;
    out += '\n';
    if (out.size() > (1u << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
