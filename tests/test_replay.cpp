// io/replay.hpp: replaying event CSV into a book. Bad lines with their line numbers, and whether
// they fail the replay; the stops (each sees the events before it and none after); input out of
// time order (the whole-file fallback); the same answers with 1, 2 and 4 threads as a plain ledger
// fed one event at a time; unreadable files; the header.
//
// Tests that run several threads are named `Replay*` or `*Threads*` (a ThreadSanitizer tree runs
// them by that pattern).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <random>
#include <sellerhealth/io/replay.hpp>
#include <sellerhealth/report.hpp>
#include <sellerhealth/sellerhealth.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/scenario.hpp"

namespace {

using namespace scenario;
namespace io = sellerhealth::io;
namespace fs = std::filesystem;
using all_ledger = sh::marketplaces::all::ledger;

const std::string header = "event,order_id,seller_id,time,ship_by,quantity,actor,reason,metric,channel\n";

std::string report_json(const auto& book) {
  std::ostringstream out;
  sh::write_json(out, sh::make_report(book, "all"));
  return out.str();
}

sh::sys_seconds end_of(local_day d) { return sh::jst::start_of(d + days{1}); }

/// A temporary directory of this test's own, removed at the end.
class scratch_dir {
 public:
  scratch_dir() {
    std::string pattern = (fs::temp_directory_path() / "sellerhealth-replay-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~scratch_dir() {
    std::error_code ignored;
    fs::permissions(path_ / "locked.csv", fs::perms::owner_all, ignored);
    fs::remove_all(path_, ignored);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return (path_ / name).string();
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// ---- a random marketplace, as events and as CSV ------------------------------------------------------

struct timed_line {
  sys_seconds at;
  std::string text;
};

/// `orders` orders of 30 sellers over 60 days from Aug 1, 2026, in time order: most shipped (some
/// late), some cancelled by the seller, the buyer or the platform (some after a buyer's request),
/// some left open; one in ten platform-fulfilled.
std::vector<timed_line> random_marketplace(unsigned seed, int orders) {
  std::mt19937 rng(seed);
  const auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const sys_seconds start = jst(2026, 8, 1);
  std::vector<timed_line> lines;
  for (int i = 0; i < orders; ++i) {
    const std::string id = "O-" + std::to_string(i);
    const sys_seconds placed_at = start + seconds{pick(60 * 86400)};
    const sys_seconds ship_by = placed_at + hours{1 + pick(72)};
    const char* channel = pick(10) == 0 ? "platform" : "merchant";
    lines.push_back({placed_at, "placed," + id + ",S" + std::to_string(pick(30)) + "," + sh::format_instant(placed_at) +
                                    "," + sh::format_instant(ship_by) + "," + std::to_string(1 + pick(3)) + ",,,," +
                                    channel + "\n"});
    const int fate = pick(20);
    const sys_seconds later = placed_at + seconds{1 + pick(96 * 3600)};
    if (fate < 12) {
      lines.push_back({later, "shipped," + id + ",," + sh::format_instant(later) + ",,,,,,\n"});
    } else if (fate < 15) {
      const char* who[] = {"seller", "buyer", "platform"};
      lines.push_back({later, "cancelled," + id + ",," + sh::format_instant(later) + ",,," + who[pick(3)] + ",,,\n"});
    } else if (fate < 17) {
      lines.push_back({later, "cancel_requested," + id + ",," + sh::format_instant(later) + ",,,buyer,,,\n"});
      const sys_seconds then = later + hours{1};
      lines.push_back({then, "cancelled," + id + ",," + sh::format_instant(then) + ",,,seller,buyer_request,,\n"});
    }  // else: still open
  }
  std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
  return lines;
}

std::string csv_of(const std::vector<timed_line>& lines) {
  std::string text = header;
  for (const auto& l : lines) text += l.text;
  return text;
}

const std::vector<local_day> stop_days{lday(2026, 7, 31), lday(2026, 8, 10), lday(2026, 8, 31),
                                       lday(2026, 9, 15), lday(2026, 10, 1), lday(2026, 10, 10)};

/// The reports at every stop day from a plain ledger fed one event at a time (reading the CSV
/// with the library's reader, but no replay): what every replay must match.
std::vector<std::string> reports_one_event_at_a_time(const std::string& text) {
  std::vector<sh::event> events;
  sh::io::event_reader reader(text);
  EXPECT_FALSE(reader.read_header().has_value());
  sh::io::record rec;
  std::optional<sh::io::csv_error> error;
  std::deque<std::string> ids;  // the events point into these
  while (reader.next(rec, error)) {
    EXPECT_FALSE(error.has_value());
    auto parsed = sh::io::to_event(rec);
    EXPECT_FALSE(parsed.error.has_value());
    sh::event e = *parsed.value;
    std::visit(
        [&](auto& x) {
          x.order = ids.emplace_back(x.order);
          x.seller = ids.emplace_back(x.seller);
        },
        e);
    events.push_back(e);
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const sh::event& a, const sh::event& b) { return sh::time_of(a) < sh::time_of(b); });
  all_ledger book;
  std::vector<std::string> reports;
  std::size_t next = 0;
  for (const local_day day : stop_days) {
    while (next < events.size() && sh::time_of(events[next]) < end_of(day)) (void)book.try_record(events[next++]);
    book.advance_to(day);
    reports.push_back(report_json(book));
  }
  return reports;
}

/// The reports a replay of `text` gives at every stop day (the last call for each stop wins).
template <class Book>
std::vector<std::string> reports_by_replay(Book& book, const std::string& text, std::size_t segment_bytes,
                                           io::replay_result* result = nullptr) {
  std::vector<std::string> reports(stop_days.size());
  io::replay_options<Book> options;
  for (const local_day day : stop_days) options.stops.push_back(end_of(day));
  options.segment_bytes = segment_bytes;
  options.at_stop = [&](std::size_t i, const io::replay_result&) {
    book.advance_to(stop_days[i]);
    reports[i] = report_json(book);
  };
  auto r = io::replay_text(book, text, options);
  EXPECT_TRUE(r.ok());
  if (result) *result = std::move(r);
  return reports;
}

// ---- threads ---------------------------------------------------------------------------------------

TEST(ReplayThreads, SameAnswersWithOneTwoAndFourThreadsAsOneEventAtATime) {
  const std::string text = csv_of(random_marketplace(7, 3000));
  const auto expected = reports_one_event_at_a_time(text);
  ASSERT_NE(expected[3].find("\"numerator\":1"), std::string::npos);  // something happens
  for (const std::size_t segment : {std::size_t{1} << 20, std::size_t{4096}}) {
    SCOPED_TRACE(segment);
    all_ledger plain;
    EXPECT_EQ(reports_by_replay(plain, text, segment), expected);
    for (const std::size_t threads : {1u, 2u, 4u}) {
      sh::sharded<all_ledger> book(threads);
      EXPECT_EQ(reports_by_replay(book, text, segment), expected) << threads << " threads";
    }
  }
}

TEST(ReplayThreads, LinesOutOfOrderGiveTheSameAnswersWithAnyThreadCount) {
  auto lines = random_marketplace(11, 2000);
  const auto expected = reports_one_event_at_a_time(csv_of(lines));
  std::mt19937 rng(3);
  std::shuffle(lines.begin(), lines.end(), rng);  // an export in no order at all
  const std::string shuffled = csv_of(lines);
  for (const std::size_t threads : {1u, 2u, 4u}) {
    sh::sharded<all_ledger> book(threads);
    io::replay_result result;
    EXPECT_EQ(reports_by_replay(book, shuffled, 4096, &result), expected) << threads << " threads";
    EXPECT_TRUE(result.bad_lines.empty());
  }
}

// ---- bad lines ---------------------------------------------------------------------------------------

const std::string with_bad_lines = header +
                                   "placed,A-1,S1,2026-09-01T10:00:00+09:00,2026-09-03T23:59:59+09:00,,,,,\n"  // 2
                                   "shipped,A-1,,yesterday,,,,,,\n"                                            // 3
                                   "placed,A-2,S1,2026-09-01T11:00:00+09:00,2026-09-03T23:59:59+09:00,,,\"a\n"
                                   "reason on two lines\",,\n"                               // 4-5
                                   "cancelled,A-9,,2026-09-01T12:00:00+09:00,,,seller,,,\n"  // 6
                                   "cancelled,A-2,,2026-09-01T12:00:00+09:00,,,seller,,,\n"  // 7
                                   "bogus,A-2,,2026-09-01T13:00:00+09:00,,,,,,\n";           // 8

TEST(Replay, BadLinesAreCollectedWithTheirLineNumbers) {
  for (const std::size_t threads : {1u, 3u}) {
    sh::sharded<all_ledger> book(threads);
    const auto r = io::replay_text(book, with_bad_lines);
    EXPECT_EQ(r.status, io::replay_status::bad_lines);
    EXPECT_FALSE(r.ok());
    ASSERT_EQ(r.bad_lines.size(), 3u);
    EXPECT_EQ(r.bad_lines[0].line, 3u);
    EXPECT_NE(r.bad_lines[0].message.find("time"), std::string::npos) << r.bad_lines[0].message;
    EXPECT_FALSE(r.bad_lines[0].code.has_value());  // the reader's, not the ledger's
    EXPECT_EQ(r.bad_lines[1].line, 6u);
    EXPECT_EQ(r.bad_lines[1].code, sh::rejection_code::unknown_order);
    EXPECT_EQ(r.bad_lines[1].order, "A-9");
    EXPECT_EQ(r.bad_lines[1].at, jst(2026, 9, 1, 12));
    EXPECT_EQ(r.bad_lines[2].line, 8u);
    // The good lines were fed: A-2 cancelled by the seller, A-1 open.
    EXPECT_EQ(book.evaluate<pfcr>("S1", lday(2026, 9, 1)).counts, (sh::rate{1, 2}));
  }
}

TEST(Replay, SkipInvalidStillListsEveryBadLine) {
  all_ledger book;
  const auto r = io::replay_text(book, with_bad_lines, {.skip_invalid = true});
  EXPECT_EQ(r.status, io::replay_status::ok);
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.bad_lines.size(), 3u);
  EXPECT_EQ(r.bad_lines[2].line, 8u);
  EXPECT_EQ(book.order_count(), 2u);
}

TEST(Replay, AnEventBeforeItsPlacementSaysSo) {
  // Sorted by time, the shipment comes first and finds no order; the message says what is wrong.
  all_ledger book;
  const auto r = io::replay_text(book, header +
                                           "placed,A-1,S1,2026-09-01T10:00:00+09:00,2026-09-03T23:59:59+09:00,,,,,\n"
                                           "shipped,A-1,,2026-09-01T09:00:00+09:00,,,,,,\n");
  ASSERT_EQ(r.bad_lines.size(), 1u);
  EXPECT_EQ(r.bad_lines[0].line, 3u);
  EXPECT_EQ(
      r.bad_lines[0].message,
      "order 'A-1': event at 2026-09-01T09:00:00+09:00 is earlier than its placement at 2026-09-01T10:00:00+09:00");
}

TEST(Replay, LatestEventCountsEveryLineAndLatestFedOnlyAcceptedOnes) {
  all_ledger book;
  const auto r = io::replay_text(book, header +
                                           "placed,A-1,S1,2026-09-01T10:00:00+09:00,2026-09-03T23:59:59+09:00,,,,,\n"
                                           "shipped,NOPE,,2026-09-02T10:00:00+09:00,,,,,,\n");
  EXPECT_EQ(r.latest_event, jst(2026, 9, 2, 10));
  EXPECT_EQ(r.latest_fed, jst(2026, 9, 1, 10));
}

TEST(Replay, ABadHeaderReadsNothing) {
  all_ledger book;
  auto r = io::replay_text(book, "event,order_id,time,colour\nplaced,A-1,2026-09-01T10:00:00Z,red\n");
  EXPECT_EQ(r.status, io::replay_status::bad_header);
  ASSERT_EQ(r.bad_lines.size(), 1u);
  EXPECT_EQ(r.bad_lines[0].line, 1u);
  EXPECT_EQ(book.order_count(), 0u);
  r = io::replay_text(book, "");
  EXPECT_EQ(r.status, io::replay_status::bad_header);
  ASSERT_EQ(r.bad_lines.size(), 1u);
  EXPECT_EQ(r.bad_lines[0].message.rfind("missing header row", 0), 0u) << r.bad_lines[0].message;
}

/// `n` placements of seller PAD on Aug 20, about 70 bytes each: more than the 64 KiB the replay
/// reads with the header, so that what follows is read in segments.
std::string padding(int n) {
  std::string lines;
  for (int i = 0; i < n; ++i)
    lines += "placed,P-" + std::to_string(i) + ",PAD,2026-08-20T10:00:00+09:00,2026-08-25T23:59:59+09:00,,,,,\n";
  return lines;
}

TEST(Replay, ARecordLongerThanTheSegmentGrowsIt) {
  const std::string reason(300, 'x');
  all_ledger book;
  const auto r =
      io::replay_text(book,
                      header + padding(1000) + "placed,A-1,S1,2026-09-01T10:00:00+09:00,2026-09-03T23:59:59+09:00,,," +
                          reason + ",,\n" + "shipped,A-1,,2026-09-01T12:00:00+09:00,,,,,,\n",
                      {.segment_bytes = 64});
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.bad_lines.empty());
  ASSERT_TRUE(book.order("A-1").has_value());
  EXPECT_TRUE(book.order("A-1")->shipped_at().has_value());
  EXPECT_EQ(book.order_count(), 1001u);
}

// ---- stops -------------------------------------------------------------------------------------------

const std::string three_days = header +
                               "placed,A-1,S1,2026-09-01T10:00:00+09:00,2026-09-05T23:59:59+09:00,,,,,\n"
                               "placed,A-2,S1,2026-09-02T10:00:00+09:00,2026-09-05T23:59:59+09:00,,,,,\n"
                               "cancelled,A-2,,2026-09-02T23:59:59+09:00,,,seller,,,\n"
                               "placed,A-3,S1,2026-09-03T00:00:00+09:00,2026-09-05T23:59:59+09:00,,,,,\n";

TEST(Replay, EachStopSeesTheEventsBeforeItAndNoneAfter) {
  for (const bool check_order_first : {false, true}) {
    sh::sharded<all_ledger> book(2);
    std::vector<std::pair<std::size_t, sh::rate>> seen;
    std::vector<bool> started;
    const auto r =
        io::replay_text(book, three_days,
                        {.stops = {end_of(lday(2026, 8, 31)), end_of(lday(2026, 9, 1)), end_of(lday(2026, 9, 2)),
                                   end_of(lday(2026, 9, 3)), end_of(lday(2026, 9, 9))},
                         .at_stop =
                             [&](std::size_t i, const io::replay_result&) {
                               started.push_back(book[0].today().has_value());
                               const local_day day = lday(2026, 8, 31) + days{static_cast<int>(i == 4 ? 9 : i)};
                               book.advance_to(day);
                               seen.emplace_back(i, book.evaluate<pfcr>("S1", day).counts);
                             },
                         .check_order_first = check_order_first});
    EXPECT_TRUE(r.ok());
    // Before the first event the book has not started; the cancel at 23:59:59 on Sep 2 is before
    // the end of Sep 2; A-3 at midnight is after it. On Sep 9 the window (Sep 3..9) holds A-3 only.
    EXPECT_EQ(started, (std::vector<bool>{false, true, true, true, true}));
    EXPECT_EQ(seen, (std::vector<std::pair<std::size_t, sh::rate>>{
                        {0, {0, 0}}, {1, {0, 1}}, {2, {1, 2}}, {3, {1, 3}}, {4, {0, 1}}}));
  }
}

TEST(Replay, OutOfOrderInputStartsOverAndCallsTheStopsAgain) {
  // The last line is the earliest: found out of order only after the stop at the end of Sep 1 was
  // reached in streaming mode.
  const std::string text = header + padding(1000) + three_days.substr(header.size()) +
                           "placed,A-0,S1,2026-08-31T10:00:00+09:00,2026-09-05T23:59:59+09:00,,,,,\n";
  for (const bool check_order_first : {false, true}) {
    SCOPED_TRACE(check_order_first);
    all_ledger book;
    std::vector<std::size_t> calls;
    std::vector<sh::rate> at_sep2;
    const auto r = io::replay_text(book, text,
                                   {.stops = {end_of(lday(2026, 9, 1)), end_of(lday(2026, 9, 2))},
                                    .at_stop =
                                        [&](std::size_t i, const io::replay_result&) {
                                          calls.push_back(i);
                                          if (i == 1) {
                                            book.advance_to(lday(2026, 9, 2));
                                            at_sep2.push_back(book.evaluate<pfcr>("S1", lday(2026, 9, 2)).counts);
                                          }
                                        },
                                    .check_order_first = check_order_first,
                                    .segment_bytes = 64});
    EXPECT_TRUE(r.ok());
    ASSERT_FALSE(at_sep2.empty());
    EXPECT_EQ(at_sep2.back(), (sh::rate{1, 3}));  // A-2 (cancelled)
    if (check_order_first) {
      EXPECT_EQ(calls, (std::vector<std::size_t>{0, 1}));  // decided before any stop: once each
    } else {
      ASSERT_GT(calls.size(), 2u);  // the first stop was reached before the restart
      EXPECT_EQ(std::vector<std::size_t>(calls.end() - 2, calls.end()), (std::vector<std::size_t>{0, 1}));
    }
    EXPECT_EQ(book.order_count(), 1004u);
  }
}

TEST(Replay, AStartOverKeepsWhatTheBookHeldBefore) {
  // A book with an order of its own, then an export out of order: the restart begins from the
  // book as it was given, not from an empty one.
  for (const std::size_t threads : {1u, 2u}) {
    sh::sharded<all_ledger> book(threads);
    book.advance_to(lday(2026, 8, 30));
    book.record(place("OLD-1", jst(2026, 8, 30, 10), jst(2026, 9, 5, 10), "S9"));
    const std::string text = header +
                             "placed,A-1,S1,2026-09-01T10:00:00+09:00,2026-09-03T23:59:59+09:00,,,,,\n"
                             "cancelled,OLD-1,,2026-09-01T09:00:00+09:00,,,seller,,,\n"
                             "placed,A-0,S1,2026-08-31T10:00:00+09:00,2026-09-03T23:59:59+09:00,,,,,\n";
    const auto r = io::replay_text(book, text);
    EXPECT_TRUE(r.ok()) << (r.bad_lines.empty() ? "" : r.bad_lines[0].message);
    EXPECT_EQ(book.evaluate<pfcr>("S9", lday(2026, 9, 1)).counts, (sh::rate{1, 1}));
    EXPECT_EQ(book.evaluate<pfcr>("S1", lday(2026, 9, 1)).counts, (sh::rate{0, 2}));
  }
}

// ---- files ---------------------------------------------------------------------------------------------

TEST(Replay, AFileReplaysLikeItsText) {
  const scratch_dir dir;
  const std::string text = csv_of(random_marketplace(5, 500));
  const std::string path = dir.write("events.csv", text);
  sh::sharded<all_ledger> from_file(2), from_text(2);
  const auto a = io::replay_file(from_file, path);
  const auto b = io::replay_text(from_text, text);
  EXPECT_TRUE(a.ok());
  EXPECT_EQ(a.latest_event, b.latest_event);
  from_file.advance_to(lday(2026, 10, 1));
  from_text.advance_to(lday(2026, 10, 1));
  EXPECT_EQ(report_json(from_file), report_json(from_text));
}

TEST(Replay, AnUnreadableFileSaysWhy) {
  const scratch_dir dir;
  all_ledger book;
  const std::string missing = (dir.path() / "no-such.csv").string();
  auto r = io::replay_file(book, missing);
  EXPECT_EQ(r.status, io::replay_status::unreadable);
  EXPECT_EQ(r.error, "cannot read '" + missing + "': No such file or directory");
  r = io::replay_file(book, dir.path().string());
  EXPECT_EQ(r.status, io::replay_status::unreadable);
  EXPECT_EQ(r.error, "cannot read '" + dir.path().string() + "': Is a directory");
}

TEST(Replay, AFileWithoutReadPermissionSaysSo) {
  const scratch_dir dir;
  all_ledger book;
  const std::string locked = dir.write("locked.csv", header);
  fs::permissions(locked, fs::perms::none);
  if (std::FILE* f = std::fopen(locked.c_str(), "rb")) {  // root reads it anyway
    std::fclose(f);
    GTEST_SKIP() << "running with permission to read any file: no 'Permission denied' to see";
  }
  const auto r = io::replay_file(book, locked);
  EXPECT_EQ(r.status, io::replay_status::unreadable);
  EXPECT_EQ(r.error, "cannot read '" + locked + "': Permission denied");
}

}  // namespace

// ---- the fork-join pool the replay and the report run on --------------------------------------------------

namespace {

TEST(ForkJoinThreads, EveryJobRunsOnceInEveryFork) {
  sh::detail::fork_join_pool pool(3);
  ASSERT_EQ(pool.size(), 3u);
  for (int fork = 0; fork < 300; ++fork) {
    const std::size_t n = static_cast<std::size_t>(fork % 6);  // 0..5: fewer jobs than threads, and more
    std::vector<std::atomic<int>> ran(n);
    pool.run(n, [&](std::size_t i) { ran[i].fetch_add(1); });
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(ran[i].load(), 1) << "fork " << fork << ", job " << i;
  }
}

TEST(ForkJoinThreads, AJobsExceptionIsRethrownAfterEveryOtherJobFinished) {
  sh::detail::fork_join_pool pool(4);
  for (std::size_t thrower = 0; thrower < 4; ++thrower) {
    std::atomic<int> finished{0};
    try {
      pool.run(4, [&](std::size_t i) {
        if (i == thrower) throw std::runtime_error("job " + std::to_string(i));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        finished.fetch_add(1);
      });
      ADD_FAILURE() << "no exception from job " << thrower;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), "job " + std::to_string(thrower));
      EXPECT_EQ(finished.load(), 3);  // the others were done before run returned
    }
  }
  std::atomic<int> after{0};  // and the pool still works
  pool.run(4, [&](std::size_t) { after.fetch_add(1); });
  EXPECT_EQ(after.load(), 4);
}

TEST(ForkJoinThreads, APoolOfOneRunsEverythingOnTheCaller) {
  sh::detail::fork_join_pool pool(1);
  const auto caller = std::this_thread::get_id();
  int ran = 0;
  pool.run(3, [&](std::size_t) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    ++ran;
  });
  EXPECT_EQ(ran, 3);
}

}  // namespace
