// Snapshots (ledger::save / ledger::restore, sharded::save / sharded::restore).
//
// The property: a ledger restored from a snapshot taken at any point answers every question as
// the original does, and after both take the same further events (valid, invalid, redelivered,
// out of order, days advanced) they still do, down to their next snapshots' bytes. Then the
// envelope: every truncation, every flipped byte, another version, other rules, and hostile
// contents with a valid checksum are rejected with a `snapshot_error`, never read out of bounds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <sellerhealth/sharded.hpp>
#include <span>
#include <string>
#include <vector>

#include "support/scenario.hpp"

namespace {
using namespace scenario;

// ---- random streams of every kind of event ---------------------------------------------------

struct owned {
  int kind = 0;  // index of the sh::event alternative
  std::string order, seller;
  sys_seconds at{}, ship_by{};
  std::optional<std::uint32_t> units;
  std::uint32_t quantity = 1;
  sh::actor by = sh::actor::seller;
  sh::exempt_from metric = sh::exempt_from::all;
  sh::fulfilment channel = sh::fulfilment::merchant;

  [[nodiscard]] sh::event view() const {
    switch (kind) {
      case 0:
        return sh::placed{
            .order = order, .seller = seller, .at = at, .ship_by = ship_by, .quantity = quantity, .channel = channel};
      case 1: return sh::shipped{.order = order, .at = at};
      case 2: return sh::cancel_requested{.order = order, .at = at};
      case 3: return sh::cancelled{.order = order, .at = at, .by = by, .units = units};
      case 4: return sh::ship_by_changed{.order = order, .at = at, .ship_by = ship_by};
      case 5: return sh::exempted{.order = order, .at = at, .metric = metric};
      default: return sh::refunded{.order = order, .at = at, .units = units};
    }
  }
};

/// About `orders` orders of four sellers over five months (crossing a quarter), each with a few
/// random follow-up events (some invalid), delivered roughly in time order with local shuffles
/// and redeliveries.
std::vector<owned> random_stream(std::mt19937_64& rng, int orders) {
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const sys_seconds start = jst(2026, 8, 1);
  std::vector<owned> out;
  for (int i = 0; i < orders; ++i) {
    owned p;
    p.order = "O-" + std::to_string(i);
    p.seller = "S" + std::to_string(pick(0, 3));
    p.at = start + seconds{pick(0, 150 * 86400)};
    p.ship_by = p.at + hours{pick(-2, 72)};
    p.quantity = static_cast<std::uint32_t>(pick(1, 3));
    p.channel = pick(0, 9) == 0 ? sh::fulfilment::platform : sh::fulfilment::merchant;
    out.push_back(p);
    for (int k = pick(0, 3); k > 0; --k) {
      owned e;
      e.order = p.order;
      e.kind = pick(1, 6);
      e.at = p.at + seconds{pick(-3600, 6 * 86400)};
      e.ship_by = p.at + hours{pick(0, 120)};
      if (pick(0, 1) == 0) e.units = static_cast<std::uint32_t>(pick(0, 2));
      e.by = static_cast<sh::actor>(pick(0, 2));
      e.metric = static_cast<sh::exempt_from>(pick(0, 2));
      out.push_back(e);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const owned& a, const owned& b) { return a.at < b.at; });
  for (std::size_t i = 0; i + 1 < out.size(); ++i)  // local shuffles: arrivals up to a day apart swap
    if (pick(0, 4) == 0 && out[i + 1].at - out[i].at < hours{24}) std::swap(out[i], out[i + 1]);
  std::vector<owned> with_redeliveries;
  for (std::size_t i = 0; i < out.size(); ++i) {
    with_redeliveries.push_back(out[i]);
    if (pick(0, 19) == 0) with_redeliveries.push_back(out[static_cast<std::size_t>(pick(0, static_cast<int>(i)))]);
  }
  return with_redeliveries;
}

// ---- comparing two books ---------------------------------------------------------------------

const std::vector<std::string> sellers = {"S0", "S1", "S2", "S3", "nobody"};

template <class Rule, class Book>
std::string evaluations_text(const Book& book, std::string_view seller, local_day day) {
  std::string out;
  for (const auto& e : book.template penalty_history<Rule>(seller, day))
    out += sh::format_day(e.evaluated_on) + " " + std::to_string(e.counts.numerator) + "/" +
           std::to_string(e.counts.denominator) + " " + std::to_string(static_cast<int>(e.tier)) + "; ";
  return out;
}

template <class Book>
std::string penalty_text(const Book& book, std::string_view seller, local_day day) {
  return evaluations_text<q10::monthly_warning>(book, seller, day) +
         evaluations_text<q10::quarterly_restriction>(book, seller, day);
}

/// `evaluate_all` of a seller named by id (sharded) or by index (plain ledger).
template <class Book, class Seller>
std::string metric_text(const Book& book, Seller seller, local_day day) {
  std::string out;
  for (const auto& r : book.evaluate_all(seller, day))
    out += std::string(r.metric) + " " + std::to_string(r.counts.numerator) + "/" +
           std::to_string(r.counts.denominator) + " " + std::string(sh::to_string(r.status)) + " " +
           std::to_string(r.headroom) + "; ";
  return out;
}

/// Every answer of a plain ledger: metrics on every day of the horizon, penalties, projections.
std::vector<std::string> answers(const all_book& book) {
  std::vector<std::string> out;
  out.push_back("orders " + std::to_string(book.order_count()) + ", sellers " + std::to_string(book.seller_count()));
  if (!book.today()) return out;
  const local_day today = *book.today();
  out.push_back("today " + sh::format_day(today));
  for (const auto& seller : sellers) {
    const auto s = book.find_seller(seller);
    for (int back = 0; back <= 20; ++back) {
      const local_day day = today - days{back};
      if (day < book.earliest_evaluable_day<q10::cancel_rate_quarter>()) break;
      out.push_back(seller + " " + sh::format_day(day) + ": " +
                    (s ? metric_text(book, *s, day) : std::string("unknown")));
    }
    out.push_back(seller + " penalties: " + penalty_text(book, seller, today));
    if (s) {
      const auto p = book.next_penalty<q10::quarterly_restriction>(*s);
      out.push_back(seller + " next: " + std::to_string(p.counts.numerator) + "/" +
                    std::to_string(p.counts.denominator) + " " + std::to_string(static_cast<int>(p.tier)));
      for (const auto& c : book.clears_on_all(*s))
        out.push_back(seller + " clears " + (c ? sh::format_day(*c) : std::string("-")));
    }
  }
  return out;
}

std::vector<std::string> answers(const sh::sharded<all_book>& book) {
  std::vector<std::string> out;
  const auto today = book[0].today();
  if (!today) return out;
  for (const auto& seller : sellers) {
    out.push_back(seller + ": " + metric_text(book, std::string_view(seller), *today));
    out.push_back(seller + " penalties: " + penalty_text(book, seller, *today));
    const auto p = book.next_penalty<q10::quarterly_restriction>(seller);
    out.push_back(seller + " next: " + std::to_string(p.counts.numerator) + "/" + std::to_string(p.counts.denominator) +
                  " " + std::to_string(static_cast<int>(p.tier)));
  }
  return out;
}

std::string outcome(const std::optional<sh::rejection>& r) { return r ? r->message : std::string("accepted"); }

// ---- the property ----------------------------------------------------------------------------

TEST(Snapshot, RestoredLedgersAnswerAndContinueLikeTheOriginal) {
  std::size_t streams = 0, snapshots = 0, events_after = 0;
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    std::mt19937_64 rng(seed);
    const auto stream = random_stream(rng, 60 + static_cast<int>(seed % 5) * 30);
    ++streams;
    all_book original;
    std::vector<std::size_t> cuts;  // snapshot points, ascending
    for (int k = 0; k < 3; ++k) cuts.push_back(std::uniform_int_distribution<std::size_t>(0, stream.size())(rng));
    std::sort(cuts.begin(), cuts.end());
    std::vector<all_book> restored;  // one per snapshot taken so far, fed everything since
    std::size_t next_cut = 0;
    for (std::size_t i = 0; i <= stream.size(); ++i) {
      while (next_cut < cuts.size() && cuts[next_cut] == i) {
        ++next_cut;
        if (std::uniform_int_distribution<int>(0, 2)(rng) == 0 && original.today())
          original.advance_to(*original.today() + days{std::uniform_int_distribution<int>(0, 40)(rng)});
        if (original.today())
          for (auto& r : restored) r.advance_to(*original.today());
        const auto bytes = original.save();
        restored.push_back(all_book::restore(bytes));
        ++snapshots;
        ASSERT_EQ(answers(restored.back()), answers(original)) << "seed " << seed << ", snapshot at event " << i;
        ASSERT_EQ(restored.back().save(), bytes) << "seed " << seed << ": a restored ledger saves other bytes";
        // Restored into shards too: the merged answers are the whole's.
        const std::size_t n = 1 + seed % 3;
        const auto book = sh::sharded<all_book>::restore(bytes, n);
        sh::sharded<all_book> one(1);
        one[0] = all_book::restore(bytes);
        ASSERT_EQ(answers(book), answers(one)) << "seed " << seed << ", " << n << " shards";
        // Saved again from the shards (orders regrouped by shard), it is still the same book.
        ASSERT_EQ(answers(all_book::restore(book.save())), answers(original)) << "seed " << seed << ", from shards";
      }
      if (i == stream.size()) break;
      const sh::event e = stream[i].view();
      const auto want = original.try_record(e);
      for (auto& r : restored) {
        ASSERT_EQ(outcome(r.try_record(e)), outcome(want)) << "seed " << seed << ", event " << i;
        ++events_after;
      }
    }
    for (const auto& r : restored) {
      ASSERT_EQ(answers(r), answers(original)) << "seed " << seed << " at the end";
      ASSERT_EQ(r.save(), original.save()) << "seed " << seed << " at the end";
    }
  }
  std::cout << "[ snapshots ] " << streams << " streams, " << snapshots << " snapshots, " << events_after
            << " events fed after a restore\n";
  EXPECT_GT(events_after, 10'000u);
}

TEST(Snapshot, AnEmptyLedgerRoundTrips) {
  const all_book empty;
  const auto bytes = empty.save();
  const auto back = all_book::restore(bytes);
  EXPECT_FALSE(back.today());
  EXPECT_EQ(back.order_count(), 0u);
  EXPECT_EQ(back.save(), bytes);
}

TEST(Snapshot, TheHorizonAndRedeliveryNotesSurvive) {
  amazon_book book(sh::ledger_options{.horizon_days = 5});
  book.record(place("A-1", jst(2026, 9, 1, 10), jst(2026, 9, 3, 18), "S1", 2));
  book.record(cancel("A-1", jst(2026, 9, 1, 11), sh::actor::seller, 1u));
  book.record(move_ship_by("A-1", jst(2026, 9, 1, 12), jst(2026, 9, 4, 18)));
  auto back = amazon_book::restore(book.save());
  EXPECT_EQ(back.horizon_days(), 5);
  // The redelivered cancellation and placement are still recognised after the restore ...
  EXPECT_EQ(back.try_record(cancel("A-1", jst(2026, 9, 1, 11), sh::actor::seller, 1u)), std::nullopt);
  EXPECT_EQ(back.try_record(place("A-1", jst(2026, 9, 1, 10), jst(2026, 9, 3, 18), "S1", 2)), std::nullopt);
  EXPECT_EQ(back.order("A-1")->cancelled_units(), 1u);
  // ... and a second, different cancellation is not.
  EXPECT_EQ(back.try_record(cancel("A-1", jst(2026, 9, 1, 13), sh::actor::seller, 1u)), std::nullopt);
  EXPECT_EQ(back.order("A-1")->cancelled_units(), 2u);
}

// ---- the envelope and hostile input -----------------------------------------------------------

/// A small snapshot with every section filled.
std::vector<std::byte> sample_snapshot() {
  all_book book;
  book.record(place("A-1", jst(2026, 9, 1, 10), jst(2026, 9, 3, 18), "S1", 2));
  book.record(place("A-2", jst(2026, 9, 2, 10), jst(2026, 9, 3, 18), "S2"));
  book.record(cancel("A-1", jst(2026, 9, 1, 11), sh::actor::seller, 1u));
  book.record(ship("A-2", jst(2026, 9, 2, 12)));
  book.advance_to(lday(2026, 10, 2));  // passes the monthly evaluation of 1 October
  return book.save();
}

void expect_error(std::span<const std::byte> bytes, const std::string& fragment, const std::string& context) {
  try {
    (void)all_book::restore(bytes);
    ADD_FAILURE() << context << ": restored";
  } catch (const sh::snapshot_error& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << context << ": " << e.what();
  }
}

/// Rewrites the checksum after a deliberate change, so the change itself is what is checked.
void reseal(std::vector<std::byte>& bytes) {
  const std::uint64_t h = sh::detail::fnv1a64(std::span<const std::byte>(bytes).first(bytes.size() - 8));
  for (int i = 0; i < 8; ++i)
    bytes[bytes.size() - 8 + static_cast<std::size_t>(i)] = static_cast<std::byte>(h >> (8 * i));
}

TEST(SnapshotErrors, EveryTruncationIsRejected) {
  const auto bytes = sample_snapshot();
  for (std::size_t n = 0; n < bytes.size(); ++n)
    expect_error(std::span<const std::byte>(bytes).first(n), "snapshot invalid",
                 "first " + std::to_string(n) + " bytes");
}

TEST(SnapshotErrors, EveryFlippedByteIsRejected) {
  const auto bytes = sample_snapshot();
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto copy = bytes;
    copy[i] ^= std::byte{0x20};
    expect_error(copy, "snapshot invalid", "byte " + std::to_string(i) + " flipped");
  }
}

TEST(SnapshotErrors, AnotherVersionIsNamed) {
  auto bytes = sample_snapshot();
  bytes[8] = std::byte{2};
  reseal(bytes);
  expect_error(bytes, "format version 2; this library reads version 1", "version 2");
}

TEST(SnapshotErrors, OtherRulesAreRejected) {
  amazon_book amazon;
  amazon.record(place("A-1", jst(2026, 9, 1, 10), jst(2026, 9, 3, 18)));
  expect_error(amazon.save(), "saved by a ledger with other rules",
               "an Amazon snapshot into the all-marketplaces ledger");
  try {
    (void)qoo10_book::restore(sample_snapshot());
    ADD_FAILURE() << "restored";
  } catch (const sh::snapshot_error& e) {
    EXPECT_NE(std::string(e.what()).find("amazon.pre_fulfillment_cancel_rate"), std::string::npos) << e.what();
  }
}

TEST(SnapshotErrors, NotASnapshotAtAll) {
  const std::string text = "kind,order_id,seller_id,at\nplaced,A-1,S1,2026-09-01T10:00:00+09:00\n";
  expect_error(std::as_bytes(std::span(text)), "not a sellerhealth ledger snapshot", "a CSV file");
}

/// Hostile contents behind a valid checksum: every 4-byte field overwritten with values that
/// break counts, indices and times, one at a time. Each is either rejected or, where the value
/// happens to be consistent, restored into a ledger that saves and restores again.
TEST(SnapshotErrors, HostileFieldsBehindAValidChecksum) {
  const auto bytes = sample_snapshot();
  std::size_t rejected = 0, restored = 0;
  for (std::size_t at = 12; at + 4 <= bytes.size() - 8; ++at)
    for (const std::uint32_t value : {0xFFFFFFFFu, 0x7FFFFFFFu, 0x80000000u, 0u, 1u, 1000000u}) {
      auto copy = bytes;
      for (int i = 0; i < 4; ++i) copy[at + static_cast<std::size_t>(i)] = static_cast<std::byte>(value >> (8 * i));
      reseal(copy);
      try {
        const auto back = all_book::restore(copy);
        const auto again = back.save();
        EXPECT_EQ(all_book::restore(again).save(), again);
        ++restored;
      } catch (const sh::snapshot_error&) {
        ++rejected;
      }
    }
  EXPECT_GT(rejected, 1000u);
  std::cout << "[ hostile ] " << rejected << " rejected, " << restored << " consistent and restored\n";
}

TEST(SnapshotErrors, EachLedgerHasOneSnapshot) {
  // Found by fuzz_snapshot: a never-started ledger with a clock day restored, and saved as day 0.
  // `save` writes one encoding of each ledger, and `restore` takes no other.
  auto bytes = all_book{}.save();
  // The empty ledger ends: started (1) | today (8) | evaluated_through (8) | 4 empty counts | checksum.
  const std::size_t today_at = bytes.size() - 8 - (8 + 8 + 4 + 4) - 8 - 8;
  ASSERT_EQ(bytes[today_at - 1], std::byte{0});  // not started
  bytes[today_at] = std::byte{0xD9};
  reseal(bytes);
  expect_error(bytes, "a clock in a ledger never started", "an empty ledger with a day");
  try {
    (void)all_book::restore(bytes);
  } catch (const sh::snapshot_error& e) {  // the offset is the field's place in the whole snapshot
    EXPECT_NE(std::string(e.what()).find("at byte " + std::to_string(today_at + 16)), std::string::npos) << e.what();
  }
}

TEST(SnapshotErrors, AHugeCountIsRejectedBeforeAnythingIsSized) {
  all_book book;
  auto bytes = book.save();
  // The empty ledger's order count is the u64 after the (empty) seller list: 8 + 4 + fingerprint + ...;
  // find it from the end: checksum (8), note count (8), order count (8).
  const std::size_t order_count_at = bytes.size() - 8 - 8 - 8;
  for (int i = 0; i < 8; ++i) bytes[order_count_at + static_cast<std::size_t>(i)] = std::byte{0xFF};
  reseal(bytes);
  expect_error(bytes, "orders: count 18446744073709551615 is more than", "2^64 - 1 orders");
}

}  // namespace
