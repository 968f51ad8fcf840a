// Snapshots as a user meets them: `snapshot_error` from a public header, saving to and restoring
// from a file path safely (`save_to_file`, `restore_from_file`), and a snapshot of another
// marketplace's ledger named in words on both sides.
//
// The first include is error.hpp alone, and the function below it catches `snapshot_error` with
// nothing else seen yet: a caller needs no detail header to name it.
#include <sellerhealth/error.hpp>

namespace public_header_check {
template <class Restore>
bool refused(Restore restore) {
  try {
    restore();
  } catch (const sellerhealth::snapshot_error&) {
    return true;
  }
  return false;
}
}  // namespace public_header_check

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sellerhealth/ledger.hpp>
#include <sellerhealth/sharded.hpp>
#include <span>
#include <string>
#include <vector>

#include "support/scenario.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <sys/resource.h>
#endif

namespace {
using namespace scenario;
namespace fs = std::filesystem;

/// A fresh directory per test, removed afterwards.
class SnapshotFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sellerhealth-snapshot-files-" +
                                        std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  static void spit(const fs::path& p, std::string_view text) {
    std::ofstream(p, std::ios::binary).write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  /// The names in the directory: a failed save must leave no temporary file behind.
  [[nodiscard]] std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

  fs::path dir_;
};

/// Two sellers, a cancellation and a late shipment: every section of a snapshot filled.
amazon_book sample_book() {
  amazon_book book;
  book.record(place("A-1", jst(2026, 9, 1, 10), jst(2026, 9, 2, 18), "S1"));
  book.record(place("A-2", jst(2026, 9, 1, 11), jst(2026, 9, 2, 18), "S1"));
  book.record(place("B-1", jst(2026, 9, 1, 12), jst(2026, 9, 2, 18), "S2"));
  book.record(cancel("A-2", jst(2026, 9, 1, 13)));
  book.record(ship("A-1", jst(2026, 9, 3, 9)));  // after its ship-by: late
  return book;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TEST(SnapshotErrorPublic, IsCaughtByItsPublicName) {
  const std::vector<std::byte> garbage(40, std::byte{0x5A});
  EXPECT_TRUE(public_header_check::refused([&] { (void)amazon_book::restore(garbage); }));
  // And it is a sellerhealth::error, so one catch of the base takes every library error.
  EXPECT_TRUE(contains(error_of([&] { (void)amazon_book::restore(garbage); }), "not a sellerhealth ledger snapshot"));
}

TEST_F(SnapshotFiles, ALedgerRoundTripsThroughAFile) {
  const amazon_book book = sample_book();
  const fs::path file = dir_ / "ledger.snapshot";
  book.save_to_file(file);
  EXPECT_EQ(entries(), std::vector<std::string>{"ledger.snapshot"});  // no temporary file left
  const amazon_book back = amazon_book::restore_from_file(file);
  EXPECT_EQ(back.save(), book.save());
  // S1: one of two orders cancelled by the seller before shipping; one of one shipment late.
  const auto r = back.evaluate<pfcr>("S1", lday(2026, 9, 3));
  EXPECT_EQ(counts(r), (frac{1, 2}));
  EXPECT_EQ(counts(back.evaluate<lsr10>("S1", lday(2026, 9, 3))), (frac{1, 1}));
  // Saving again replaces the file with the new state.
  amazon_book more = back;
  more.record(place("A-3", jst(2026, 9, 3, 10), jst(2026, 9, 4, 18), "S1"));
  more.save_to_file(file);
  EXPECT_EQ(amazon_book::restore_from_file(file).order_count(), 4u);
}

TEST_F(SnapshotFiles, AShardedBookRoundTripsThroughAFile) {
  sh::sharded<amazon_book> book(3);
  book.advance_to(lday(2026, 9, 1));
  for (const auto& e : {sh::event{place("A-1", jst(2026, 9, 1, 10), jst(2026, 9, 2, 18), "S1")},
                        sh::event{place("A-2", jst(2026, 9, 1, 11), jst(2026, 9, 2, 18), "S1")},
                        sh::event{cancel("A-2", jst(2026, 9, 1, 13))}})
    book.record(e);
  const fs::path file = dir_ / "book.snapshot";
  book.save_to_file(file);
  const auto back = sh::sharded<amazon_book>::restore_from_file(file, 2);
  EXPECT_EQ(back.size(), 2u);
  EXPECT_EQ(counts(back.evaluate<pfcr>("S1", lday(2026, 9, 1))), (frac{1, 2}));
  EXPECT_EQ(back.save(), book.save());
}

TEST_F(SnapshotFiles, ASaveIntoAMissingDirectoryNamesThePathAndWhy) {
  const fs::path file = dir_ / "no-such-directory" / "ledger.snapshot";
  const std::string why = error_of([&] { sample_book().save_to_file(file); });
  EXPECT_TRUE(contains(why, "cannot save snapshot to '" + file.string() + "'")) << why;
  EXPECT_TRUE(contains(why, "No such file or directory")) << why;
  EXPECT_TRUE(entries().empty());
}

TEST_F(SnapshotFiles, ASaveOverADirectoryLeavesItAlone) {
  const fs::path target = dir_ / "state";
  fs::create_directory(target);
  spit(target / "inside.txt", "kept");
  const std::string why = error_of([&] { sample_book().save_to_file(target); });
  EXPECT_TRUE(contains(why, "'" + target.string() + "'")) << why;
  EXPECT_TRUE(contains(why, "Is a directory")) << why;
  EXPECT_EQ(entries(), std::vector<std::string>{"state"});
  EXPECT_EQ(slurp(target / "inside.txt"), "kept");
}

#if defined(__unix__) || defined(__APPLE__)
TEST_F(SnapshotFiles, AWriteThatFailsLeavesTheOldFileByteIdentical) {
  // The tests run as root, so a file cannot be made unwritable; a file-size limit makes the write
  // itself fail (EFBIG) after the temporary file is created, which is the path that must clean up.
  const fs::path file = dir_ / "ledger.snapshot";
  amazon_book{}.save_to_file(file);  // the old state: an empty ledger
  const std::string before = slurp(file);
  const amazon_book bigger = sample_book();
  ASSERT_GT(bigger.save().size(), before.size() + 64);

  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);  // a failed write, not a killed process
  rlimit small = saved;
  small.rlim_cur = static_cast<rlim_t>(before.size() + 16);
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::string why = error_of([&] { bigger.save_to_file(file); });
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, old_handler);

  EXPECT_TRUE(contains(why, "cannot save snapshot to '" + file.string() + "': cannot write")) << why;
  EXPECT_TRUE(contains(why, "File too large")) << why;
  EXPECT_EQ(slurp(file), before);
  EXPECT_EQ(entries(), std::vector<std::string>{"ledger.snapshot"});
  EXPECT_EQ(amazon_book::restore_from_file(file).order_count(), 0u);
}
#endif

TEST_F(SnapshotFiles, RestoringAMissingFileOrADirectoryNamesThePathAndWhy) {
  const fs::path missing = dir_ / "never-saved.snapshot";
  std::string why = error_of([&] { (void)amazon_book::restore_from_file(missing); });
  EXPECT_EQ(why, "sellerhealth: cannot read snapshot '" + missing.string() + "': No such file or directory");
  EXPECT_TRUE(public_header_check::refused([&] { (void)amazon_book::restore_from_file(missing); }));
  why = error_of([&] { (void)sh::sharded<amazon_book>::restore_from_file(dir_, 2); });
  EXPECT_EQ(why, "sellerhealth: cannot read snapshot '" + dir_.string() + "': Is a directory");
}

TEST_F(SnapshotFiles, RestoringATruncatedFileNamesThePath) {
  const fs::path file = dir_ / "ledger.snapshot";
  sample_book().save_to_file(file);
  const std::string whole = slurp(file);
  spit(file, whole.substr(0, whole.size() / 2));
  std::string why = error_of([&] { (void)amazon_book::restore_from_file(file); });
  // Half a snapshot ends in bytes that are not its checksum.
  EXPECT_EQ(why, "sellerhealth: restoring '" + file.string() +
                     "': snapshot invalid: checksum mismatch (the bytes are corrupted or truncated)");
  EXPECT_TRUE(public_header_check::refused([&] { (void)amazon_book::restore_from_file(file); }));
  spit(file, "");
  why = error_of([&] { (void)amazon_book::restore_from_file(file); });
  EXPECT_TRUE(contains(why, "restoring '" + file.string() + "': snapshot invalid at byte 0: truncated")) << why;
}

// ---- a snapshot of another ledger: both sides in words -----------------------------------------

constexpr std::string_view amazon_rules =
    "rules [amazon.pre_fulfillment_cancel_rate, amazon.late_shipment_rate_10d, amazon.late_shipment_rate_30d]";

TEST(SnapshotMismatch, OtherRulesNameWhatTheSnapshotHoldsAndWhatTheLedgerExpects) {
  const auto why = error_of([] { (void)qoo10_book::restore(sample_book().save()); });
  EXPECT_TRUE(contains(why, "saved by a ledger with other rules: the snapshot holds " + std::string(amazon_rules) +
                                " in zone UTC+09:00; this ledger has rules [qoo10.cancel_rate_month, "
                                "qoo10.cancel_rate_quarter, qoo10.monthly_warning, qoo10.quarterly] in zone "
                                "UTC+09:00"))
      << why;
  // The fingerprint follows the magic (8 bytes) and the version (4).
  EXPECT_TRUE(contains(why, "snapshot invalid at byte 12:")) << why;
}

TEST(SnapshotMismatch, AnotherZoneIsNamedWithItsOffset) {
  using utc_amazon = sh::ledger<sh::fixed_offset_zone<0>, pfcr, lsr10, lsr30>;
  auto why = error_of([] { (void)utc_amazon::restore(sample_book().save()); });
  EXPECT_TRUE(contains(why, "saved by a ledger with another zone: the snapshot holds " + std::string(amazon_rules) +
                                " in zone UTC+09:00; this ledger has " + std::string(amazon_rules) +
                                " in zone UTC+00:00"))
      << why;
  // West of UTC, with a half hour.
  using west = sh::ledger<sh::fixed_offset_zone<-(5 * 3600 + 30 * 60)>, pfcr>;
  why = error_of([] { (void)west::restore(sample_book().save()); });
  EXPECT_TRUE(contains(why, "saved by a ledger with other rules and another zone: the snapshot holds " +
                                std::string(amazon_rules) +
                                " in zone UTC+09:00; this ledger has rules [amazon.pre_fulfillment_cancel_rate] in "
                                "zone UTC-05:30"))
      << why;
}

// A corrupted zone field, with its checksum made to match so the fingerprint is what is read:
// any 64-bit number is named without undefined behaviour (the fuzzer found INT64_MIN negated).
TEST(SnapshotMismatch, AZoneFieldThatIsNoOffsetIsNamedAsANumber) {
  for (const std::int64_t zone_start : {std::numeric_limits<std::int64_t>::min(), std::int64_t{86401},
                                        std::int64_t{-86401}, std::numeric_limits<std::int64_t>::max()}) {
    std::vector<std::byte> bytes = sample_book().save();
    // The fingerprint's zone follows the magic (8 bytes) and the version (4), little-endian; the
    // checksum (FNV-1a, the last 8 bytes) covers everything before it.
    const auto put = [&](std::size_t at, std::uint64_t v) {
      for (int i = 0; i < 8; ++i)
        bytes[at + static_cast<std::size_t>(i)] = static_cast<std::byte>((v >> (8 * i)) & 0xFF);
    };
    put(12, static_cast<std::uint64_t>(zone_start));
    put(bytes.size() - 8, sh::detail::fnv1a64(std::span<const std::byte>(bytes).first(bytes.size() - 8)));
    const auto why = error_of([&] { (void)amazon_book::restore(bytes); });
    EXPECT_TRUE(contains(why, "saved by a ledger with another zone: the snapshot holds " + std::string(amazon_rules) +
                                  " in zone starting " + std::to_string(zone_start) +
                                  " s from UTC midnight (no UTC offset); this ledger has"))
        << why;
  }
  // A day exactly is still named as an offset (the edge of what zone_name shows as one).
  std::vector<std::byte> bytes = sample_book().save();
  for (int i = 0; i < 8; ++i)
    bytes[12 + static_cast<std::size_t>(i)] = static_cast<std::byte>((std::uint64_t{86400} >> (8 * i)) & 0xFF);
  const std::uint64_t sum = sh::detail::fnv1a64(std::span<const std::byte>(bytes).first(bytes.size() - 8));
  for (int i = 0; i < 8; ++i)
    bytes[bytes.size() - 8 + static_cast<std::size_t>(i)] = static_cast<std::byte>((sum >> (8 * i)) & 0xFF);
  const auto why = error_of([&] { (void)amazon_book::restore(bytes); });
  EXPECT_TRUE(contains(why, "in zone UTC-24:00; this ledger has")) << why;
}

TEST_F(SnapshotFiles, AMismatchInAFileNamesTheFileToo) {
  const fs::path file = dir_ / "amazon.snapshot";
  sample_book().save_to_file(file);
  const auto why = error_of([&] { (void)qoo10_book::restore_from_file(file); });
  EXPECT_TRUE(contains(why, "sellerhealth: restoring '" + file.string() +
                                "': snapshot invalid at byte 12: saved by "
                                "a ledger with other rules"))
      << why;
}

}  // namespace
