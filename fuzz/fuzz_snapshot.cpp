// libFuzzer target: restoring ledger snapshots from arbitrary bytes.
//
// Input: one mode byte, then the snapshot bytes. With mode bit 0 set, the harness first rewrites
// the snapshot's last 8 bytes with the correct checksum, so mutations reach the body's checks
// instead of all stopping at the checksum. Checks, trapping on a failure:
//  - `restore` returns a ledger or throws `snapshot_error`; nothing else, never a crash or UB
//    (ASan and UBSan are on);
//  - a restored ledger saves exactly the bytes it was restored from (the format is canonical), and
//    those restore again;
//  - a restored ledger answers `evaluate_all` for every seller at today, takes one event, and
//    advances a day without a crash.
// Both a penalty-rule ledger (Qoo10 and Amazon rules) and an Amazon-only one read each input.
//
// Seeds (fuzz/corpus/snapshot/) are written by running the target with the environment variable
// SELLERHEALTH_WRITE_SEEDS=<directory>: it saves a few scripted ledgers there and exits.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sellerhealth/sellerhealth.hpp>
#include <span>
#include <string>
#include <vector>

namespace {

namespace sh = sellerhealth;
namespace am = sellerhealth::amazon;
namespace q10 = sellerhealth::qoo10;
using all_book =
    sh::ledger<sh::jst, am::pre_fulfillment_cancel_rate, am::late_shipment_rate_10d, am::late_shipment_rate_30d,
               q10::cancel_rate_month, q10::cancel_rate_quarter, q10::monthly_warning, q10::quarterly_restriction>;
using amazon_book =
    sh::ledger<sh::jst, am::pre_fulfillment_cancel_rate, am::late_shipment_rate_10d, am::late_shipment_rate_30d>;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_snapshot: %s\n", what);
  std::fflush(stderr);
  __builtin_trap();
}

template <class Book>
void exercise(std::span<const std::byte> bytes) {
  std::optional<Book> book;
  try {
    book.emplace(Book::restore(bytes));
  } catch (const sh::snapshot_error&) {
    return;  // rejected: fine
  } catch (...) {
    fail("restore threw something other than snapshot_error");
  }
  const auto again = book->save();
  if (again.size() != bytes.size() || !std::equal(again.begin(), again.end(), bytes.begin()))
    fail("a restored ledger saves other bytes");
  try {
    (void)Book::restore(again);
  } catch (...) {
    fail("a ledger's own snapshot does not restore");
  }
  if (!book->today()) return;
  const sh::local_day today = *book->today();
  for (sh::seller_index s = 0; s < book->seller_count(); ++s) (void)book->evaluate_all(s, today);
  const sh::sys_seconds at = sh::jst::start_of(today) + std::chrono::hours{12};
  (void)book->try_record(sh::placed{.order = "fuzz-new", .seller = "fuzz-seller", .at = at, .ship_by = at});
  if (today < sh::local_day{std::chrono::year{9999} / 12 / 1}) book->advance_to(today + std::chrono::days{1});
}

void write_seed(const std::string& directory, const std::string& name, const std::vector<std::byte>& bytes) {
  std::ofstream out(directory + "/" + name, std::ios::binary);
  const char mode = 0;  // seeds are valid as they are: keep the checksum
  out.write(&mode, 1);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void write_seeds(const std::string& directory) {
  const auto t = [](int month, int day, int hour) {
    return sh::jst::start_of(sh::local_day{std::chrono::year{2026} / month / day}) + std::chrono::hours{hour};
  };
  write_seed(directory, "empty", all_book{}.save());
  all_book book;
  book.record(sh::placed{.order = "A-1", .seller = "S1", .at = t(9, 1, 10), .ship_by = t(9, 3, 18), .quantity = 2});
  book.record(sh::placed{.order = "A-2", .seller = "S2", .at = t(9, 2, 10), .ship_by = t(9, 3, 18)});
  book.record(sh::cancel_requested{.order = "A-1", .at = t(9, 1, 11)});
  book.record(sh::cancelled{.order = "A-1", .at = t(9, 1, 12), .by = sh::actor::seller, .units = 1});
  book.record(sh::ship_by_changed{.order = "A-2", .at = t(9, 2, 12), .ship_by = t(9, 5, 18)});
  book.record(sh::shipped{.order = "A-2", .at = t(9, 6, 9)});
  book.record(sh::refunded{.order = "A-2", .at = t(9, 7, 9)});
  book.record(sh::exempted{.order = "A-2", .at = t(9, 8, 9), .metric = sh::exempt_from::late});
  write_seed(directory, "every-event", book.save());
  book.advance_to(sh::local_day{std::chrono::year{2026} / 10 / 2});  // a monthly and a quarterly evaluation
  write_seed(directory, "evaluations", book.save());
  amazon_book amazon;
  amazon.record(sh::placed{.order = "B-1", .seller = "S1", .at = t(9, 1, 10), .ship_by = t(9, 1, 18)});
  write_seed(directory, "amazon", amazon.save());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* directory = std::getenv("SELLERHEALTH_WRITE_SEEDS")) {
    write_seeds(directory);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::vector<std::byte> bytes(reinterpret_cast<const std::byte*>(data + 1),
                               reinterpret_cast<const std::byte*>(data + size));
  if ((data[0] & 1U) && bytes.size() >= 8) {
    const std::uint64_t h = sh::detail::fnv1a64(std::span<const std::byte>(bytes).first(bytes.size() - 8));
    for (std::size_t i = 0; i < 8; ++i) bytes[bytes.size() - 8 + i] = static_cast<std::byte>(h >> (8 * i));
  }
  exercise<all_book>(bytes);
  exercise<amazon_book>(bytes);
  return 0;
}
