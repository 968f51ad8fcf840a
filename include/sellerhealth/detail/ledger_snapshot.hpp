// The ledger's snapshot format: `ledger::save` writes the whole ledger as bytes and
// `ledger::restore` reads them back; `sharded` saves its shards as one ledger (`save` of several
// parts) and spreads a restored one over its shards.
//
//   "SHLEDGER" | u32 version | body | u64 FNV-1a of everything before it      (little-endian)
//   body: i64 zone probe | u32 rule count | str rule id... | i32 horizon_days | u8 started
//         | i64 today | i64 evaluated_through
//         | u32 n | n x (u8 rule, i64 day)                               penalty evaluation days
//         | u32 n | n x (str id | per evaluation day: u64 num, u64 den)  sellers
//         | u64 n | n x (str id | record)                                orders
//         | u64 n | n x (u32 order, u32 offset, u32 units, u8 kind, u8 actor)  notes
//   str: u32 length, bytes. Days are days since 1970-01-01; record: see write_record.
//
// What is saved is what the ledger was told (options, clock, sellers, every order with its notes,
// every penalty evaluation), never what it derives: the day buckets and the re-judgement schedule
// are rebuilt by judging every order again at the saved today, so they cannot disagree with the
// orders. Reading checks every field before it is used (snapshot_bytes.hpp): a snapshot is
// trusted input once its checksum holds, but even then a count, index or day out of range is a
// `snapshot_error` naming the byte, never a crash or a quietly wrong ledger.
//
// Why a class of its own, befriended by the ledger. The format is the one part that reads and
// writes every piece of the ledger's state, and it changes for reasons of its own (a new version,
// a new field). Kept apart, ledger.hpp reads as the lifecycle and the queries, and this file as
// the format. It names the ledger only through its parameter `Ledger`, so ledger.hpp includes it
// before defining the ledger.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../calendar.hpp"
#include "../error.hpp"
#include "../events.hpp"
#include "../rate.hpp"
#include "order_notes.hpp"
#include "order_record.hpp"
#include "snapshot_bytes.hpp"
#include "string_table.hpp"
#include "type_list.hpp"

namespace sellerhealth::detail {

/// Saving and restoring a `Ledger` (a `sellerhealth::ledger<Zone, Rules...>`, whose friend it is).
template <class Ledger>
class ledger_snapshot {
  using zone = typename Ledger::zone_type;
  using penalties = typename Ledger::penalty_book;

 public:
  static constexpr std::string_view magic = "SHLEDGER";

  /// A ledger from the bytes of `save`; throws `snapshot_error` as `ledger::restore` says.
  static Ledger restore(std::span<const std::byte> bytes) {
    byte_reader in(check_envelope(bytes), magic.size() + 4);
    return read_body(in);
  }

  /// Saves several ledgers of one book (shards, each holding some orders) as one ledger: sellers
  /// united, evaluation counts summed, orders concatenated.
  static std::vector<std::byte> save(std::span<const Ledger* const> parts) {
    const Ledger& first = *parts.front();
    bool started = false;
    local_day today{}, evaluated_through{};
    for (const Ledger* p : parts) {
      if (p->penalties_.evaluation_days() != first.penalties_.evaluation_days() ||
          p->horizon_days_ != first.horizon_days_)
        throw error("sellerhealth: the shards passed different penalty evaluation days; advance them to one day first");
      if (!p->started_) continue;
      today = started ? std::max(today, p->current_day()) : p->current_day();
      const local_day through = p->penalties_.evaluated_through();
      evaluated_through = started ? std::max(evaluated_through, through) : through;
      started = true;
    }
    string_table sellers;
    std::vector<std::vector<std::uint32_t>> seller_map(parts.size());
    std::vector<std::vector<rate>> history;
    for (std::size_t k = 0; k < parts.size(); ++k)
      for (std::uint32_t s = 0; s < parts[k]->seller_count(); ++s) {
        const std::string_view id = parts[k]->seller_ids_.at(s);
        auto u = sellers.find(id);
        if (!u) {
          u = sellers.insert(id);
          history.emplace_back(first.penalties_.evaluation_days().size());
        }
        seller_map[k].push_back(*u);
        const auto evaluations = parts[k]->penalties_.of(s);  // empty without penalty rules
        for (std::size_t e = 0; e < evaluations.size(); ++e) {
          history[*u][e].numerator += evaluations[e].counts.numerator;
          history[*u][e].denominator += evaluations[e].counts.denominator;
        }
      }

    byte_writer w;
    w.raw(magic);
    w.u32(Ledger::snapshot_version);
    for (const std::byte b : fingerprint()) w.u8(static_cast<std::uint8_t>(b));
    w.i32(first.horizon_days_);
    w.u8(started ? 1 : 0);
    w.i64(today.time_since_epoch().count());
    w.i64(evaluated_through.time_since_epoch().count());
    w.u32(static_cast<std::uint32_t>(first.penalties_.evaluation_days().size()));
    for (const auto& [rule, day] : first.penalties_.evaluation_days()) {
      w.u8(rule);
      w.i64(day.time_since_epoch().count());
    }
    w.u32(static_cast<std::uint32_t>(sellers.size()));
    for (std::uint32_t u = 0; u < sellers.size(); ++u) {
      w.str(sellers.at(u));
      for (const rate& c : history[u]) {
        w.u64(c.numerator);
        w.u64(c.denominator);
      }
    }
    std::uint64_t orders = 0, notes = 0;
    for (const Ledger* p : parts) {
      orders += p->orders_.size();
      notes += p->orders_.notes().size();
    }
    w.u64(orders);
    for (std::size_t k = 0; k < parts.size(); ++k)
      for (std::size_t i = 0; i < parts[k]->orders_.size(); ++i) {
        const order_record& r = parts[k]->orders_[static_cast<std::uint32_t>(i)];
        w.str(parts[k]->orders_.id(static_cast<std::uint32_t>(i)));
        write_record(w, r, seller_map[k][r.seller]);
      }
    w.u64(notes);
    std::uint64_t base = 0;
    for (const Ledger* p : parts) {
      for (const order_note& n : p->orders_.notes().all()) {
        w.u32(static_cast<std::uint32_t>(base + n.order));
        w.u32(n.offset);
        w.u32(n.units);
        w.u8(static_cast<std::uint8_t>(n.kind));
        w.u8(n.actor);
      }
      base += p->orders_.size();
    }
    w.u64(fnv1a64(w.bytes()));
    return std::move(w.bytes());
  }

 private:
  template <class... Rs>
  static void write_rule_ids(byte_writer& w, type_list<Rs...>) {
    w.u32(static_cast<std::uint32_t>(sizeof...(Rs)));
    (w.str(Rs::id), ...);
  }
  /// What the snapshot's ledger type must share with the restoring one: the zone (where it starts
  /// 1970-01-01) and the rules, by id, in template order.
  static std::vector<std::byte> fingerprint() {
    byte_writer w;
    w.i64(zone::start_of(local_day{}).time_since_epoch().count());
    write_rule_ids(w, typename Ledger::all_rules{});
    return std::move(w.bytes());
  }

  static void write_record(byte_writer& w, const order_record& r, std::uint32_t seller) {
    w.i64(r.placed_at);
    w.i32(r.ship_by_offset);
    w.u32(seller);
    w.u32(r.quantity);
    w.u32(r.cancelled_units);
    w.u32(r.refunded_units);
    for (const std::uint32_t t :
         {r.shipped_after, r.first_request_after, r.first_seller_cancel_after, r.first_platform_cancel_after,
          r.last_cancel_after, r.ship_by_changed_after, r.exempt_cancel_after, r.exempt_late_after})
      w.u32(t);
    w.u16(static_cast<std::uint16_t>(r.flags & ~static_cast<unsigned>(has_notes)));  // derived from notes
  }
  static constexpr std::size_t record_bytes = 8 + 4 * 5 + 4 * 8 + 2;

  /// Checks magic, version and checksum; returns the bytes between the version and the checksum.
  static std::span<const std::byte> check_envelope(std::span<const std::byte> bytes) {
    byte_reader in(bytes);
    if (in.left() < magic.size() + 4 + 8)
      in.fail("truncated: " + std::to_string(bytes.size()) + " bytes is shorter than any snapshot");
    if (in.raw(magic.size(), "magic") != magic) in.fail("not a sellerhealth ledger snapshot");
    const std::uint32_t version = in.u32("format version");
    if (version != Ledger::snapshot_version)
      in.fail("format version " + std::to_string(version) + "; this library reads version " +
              std::to_string(Ledger::snapshot_version));
    const auto body = bytes.subspan(in.offset(), bytes.size() - in.offset() - 8);
    byte_reader tail(bytes.subspan(bytes.size() - 8));
    if (tail.u64("checksum") != fnv1a64(bytes.first(bytes.size() - 8)))
      throw snapshot_error("sellerhealth: snapshot invalid: checksum mismatch (the bytes are corrupted or truncated)");
    return body;
  }

  /// "UTC+09:00" for a zone whose local day 1970-01-01 starts at `zone_start` (seconds since the
  /// epoch, as the snapshot stores it), "UTC+00:00" for UTC; seconds shown only when there are some.
  /// A corrupted snapshot can hold any number there: one more than a day from UTC is no offset a
  /// zone has, and is named as the number it is (negating it could also overflow).
  static std::string zone_name(std::int64_t zone_start) {
    constexpr std::int64_t day = 24 * 3600;
    if (zone_start < -day || zone_start > day) {
      std::string out = "starting ";
      out += std::to_string(zone_start);
      out += " s from UTC midnight (no UTC offset)";
      return out;
    }
    const std::int64_t east = -zone_start;
    const std::int64_t size = east < 0 ? -east : east;
    // Appended piece by piece: GCC 12 misreports prepending into a temporary (tests/CMakeLists.txt).
    std::string out = east < 0 ? "UTC-" : "UTC+";  // as format_local writes offsets
    const auto two = [&](std::int64_t v) {
      out += static_cast<char>('0' + v / 10 % 10);
      out += static_cast<char>('0' + v % 10);
    };
    two(size / 3600);
    out += ':';
    two(size / 60 % 60);
    if (size % 60 != 0) {
      out += ':';
      two(size % 60);
    }
    return out;
  }
  /// "rules [a, b] in zone UTC+09:00": what a fingerprint holds, in words.
  static std::string described(const std::vector<std::string>& rules, std::int64_t zone_start) {
    std::string out = "rules [";
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (i > 0) out += ", ";
      out += rules[i];
    }
    out += "] in zone ";
    out += zone_name(zone_start);
    return out;
  }
  template <class... Rs>
  static std::vector<std::string> rule_ids(type_list<Rs...>) {
    return {std::string(Rs::id)...};
  }

  static Ledger read_body(byte_reader& in) {
    const auto expected = fingerprint();
    const std::size_t at = in.offset();
    const std::string_view probe = in.raw(std::min(expected.size(), in.left()), "zone and rules");
    if (probe.size() != expected.size() || std::memcmp(probe.data(), expected.data(), expected.size()) != 0) {
      // Both sides in words, so that a user sees which marketplace's ledger wrote the snapshot.
      const std::int64_t own_zone = zone::start_of(local_day{}).time_since_epoch().count();
      const std::vector<std::string> own_rules = rule_ids(typename Ledger::all_rules{});
      const std::string own = described(own_rules, own_zone);
      // The probe holds only the expected fingerprint's length: read the saved one from the body.
      byte_reader again(in.rest_from(at));
      std::string differs = "other zone or rules", saved = "unreadable zone and rules";
      try {
        const std::int64_t saved_zone = again.i64("zone");
        const std::uint64_t n = again.count(again.u32("rule count"), 4, "rules");
        std::vector<std::string> saved_rules;
        for (std::uint64_t i = 0; i < n; ++i) saved_rules.emplace_back(again.str("rule id"));
        saved = described(saved_rules, saved_zone);
        const bool other_rules = saved_rules != own_rules, other_zone = saved_zone != own_zone;
        differs = other_rules && other_zone ? "other rules and another zone"
                  : other_zone              ? "another zone"
                                            : "other rules";
      } catch (const snapshot_error&) {
      }
      std::string message = "sellerhealth: snapshot invalid at byte ";
      message.append(std::to_string(magic.size() + 4 + at)).append(": saved by a ledger with ").append(differs);
      message.append(": the snapshot holds ").append(saved).append("; this ledger has ").append(own);
      throw snapshot_error(message);
    }
    const std::int32_t horizon = in.i32("horizon_days");
    if (horizon < 0 || horizon > 3660) in.fail("horizon_days " + std::to_string(horizon) + " outside 0..3660");
    Ledger out({.horizon_days = horizon});
    const std::uint8_t started = in.u8("started");
    if (started > 1) in.fail("started flag " + std::to_string(started));
    out.started_ = started == 1;
    const auto read_day = [&](const char* what) {
      const std::int64_t d = in.i64(what);
      if (d < Ledger::first_clock_day.time_since_epoch().count() ||
          d > Ledger::last_clock_day.time_since_epoch().count())
        in.fail(std::string(what) + " " + std::to_string(d) + " outside the days the clock can stand on");
      return local_day{std::chrono::days{d}};
    };
    if (out.started_) {
      out.start_clock_at(read_day("today"));
      out.penalties_.set_evaluated_through(read_day("evaluated_through"));
      if (out.penalties_.evaluated_through() > out.current_day()) in.fail("evaluated_through after today");
    } else {
      const std::int64_t today = in.i64("today"), evaluated_through = in.i64("evaluated_through");
      // `save` writes day 0 for both: one ledger, one encoding.
      if (today != 0 || evaluated_through != 0) in.fail("a clock in a ledger never started");
    }

    const auto evaluations = in.count(in.u32("evaluation count"), 9, "evaluations");
    for (std::uint64_t k = 0; k < evaluations; ++k) {
      const std::uint8_t rule = in.u8("evaluation rule");
      const local_day day = read_day("evaluation day");
      if (rule >= Ledger::penalty_rule_count) in.fail("evaluation rule " + std::to_string(rule) + " out of range");
      if (!penalties::rules[rule].judged_period(day)) in.fail("no evaluation of that rule on " + format_day(day));
      const auto& days = out.penalties_.evaluation_days();
      if (day > out.penalties_.evaluated_through() || (!days.empty() && day < days.back().second))
        in.fail("evaluation days out of order");
      out.penalties_.restore_evaluation_day(rule, day);
    }
    if (!out.started_ && !out.penalties_.evaluation_days().empty()) in.fail("evaluations in a ledger never started");

    const auto sellers = in.count(in.u32("seller count"), 4 + 16 * evaluations, "sellers");
    if (!out.started_ && sellers > 0) in.fail("sellers in a ledger never started");
    for (std::uint64_t k = 0; k < sellers; ++k) {
      const std::string_view id = in.str("seller id");
      if (id.empty()) in.fail("empty seller id");
      if (out.seller_ids_.find(id)) in.fail("seller '" + std::string(id) + "' twice");
      const std::uint32_t s = out.intern_seller(id);
      for (std::uint64_t e = 0; e < evaluations; ++e) {
        rate counts{};
        counts.numerator = in.u64("evaluation numerator");
        counts.denominator = in.u64("evaluation denominator");
        out.penalties_.restore_counts(s, static_cast<std::size_t>(e), counts);
      }
    }

    const auto orders = in.count(in.u64("order count"), 4 + record_bytes, "orders");
    if (orders > string_table::max_size) in.fail("more orders than a ledger holds");
    out.reserve(static_cast<std::size_t>(orders));
    const sys_seconds end_of_today = zone::start_of(out.current_day() + std::chrono::days{1});
    for (std::uint64_t k = 0; k < orders; ++k) {
      const std::string_view id = in.str("order id");
      if (id.empty()) in.fail("empty order id");
      const std::uint64_t h = hash_bytes(id);
      if (out.orders_.find(id, h)) in.fail("order '" + std::string(id) + "' twice");
      order_record r{};
      r.placed_at = in.i64("placed_at");
      r.ship_by_offset = in.i32("ship_by offset");
      r.seller = in.u32("seller index");
      r.quantity = in.u32("quantity");
      r.cancelled_units = in.u32("cancelled units");
      r.refunded_units = in.u32("refunded units");
      std::uint32_t* const times[] = {
          &r.shipped_after,     &r.first_request_after,   &r.first_seller_cancel_after, &r.first_platform_cancel_after,
          &r.last_cancel_after, &r.ship_by_changed_after, &r.exempt_cancel_after,       &r.exempt_late_after};
      for (std::uint32_t* t : times) *t = in.u32("event offset");
      r.flags = in.u16("flags");
      const auto bad = [&](const std::string& what) { in.fail("order '" + std::string(id) + "': " + what); };
      if (r.seller >= sellers) bad("seller index out of range");
      if (r.quantity == 0 || r.cancelled_units > r.quantity || r.refunded_units > r.quantity - r.cancelled_units)
        bad("inconsistent units");
      if (r.flags & ~static_cast<unsigned>(platform_fulfilled | request_first_at_tie)) bad("unknown flags");
      const sys_seconds placed{std::chrono::seconds{r.placed_at}};
      if (!in_supported_range(placed) || placed >= end_of_today) bad("placement time out of range");
      if (!in_supported_range(placed + std::chrono::seconds{r.ship_by_offset})) bad("ship-by out of range");
      for (const std::uint32_t* t : times)
        if (*t != no_time && (*t > max_offset || placed + std::chrono::seconds{*t} >= end_of_today))
          bad("event time after the ledger's today");
      (void)out.orders_.add(id, h, r);
    }

    const auto notes = in.count(in.u64("note count"), 14, "notes");
    for (std::uint64_t k = 0; k < notes; ++k) {
      order_note n{};
      n.order = in.u32("note order");
      n.offset = in.u32("note offset");
      n.units = in.u32("note units");
      const std::uint8_t kind = in.u8("note kind");
      n.actor = in.u8("note actor");
      n.next = order_notes::none;
      if (n.order >= orders) in.fail("note for order index " + std::to_string(n.order) + " out of range");
      order_record& r = out.orders_[n.order];
      if (kind > static_cast<std::uint8_t>(note_kind::placed_ship_by)) in.fail("unknown note kind");
      n.kind = static_cast<note_kind>(kind);
      if (n.kind == note_kind::placed_ship_by ? r.ship_by_changed_after == no_time
                                              : n.offset > max_offset || n.units > r.quantity)
        in.fail("note inconsistent with its order");
      if (n.actor > static_cast<std::uint8_t>(actor::platform)) in.fail("unknown actor in a note");
      out.orders_.add_note(r, n);
    }
    if (in.left() != 0) in.fail(std::to_string(in.left()) + " bytes after the last note");
    if (!out.started_ && orders > 0) in.fail("orders in a ledger never started");

    out.judge_every_order();  // the day buckets and the schedule, as the saved ledger had them
    return out;
  }
};

}  // namespace sellerhealth::detail
