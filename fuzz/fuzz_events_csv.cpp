// libFuzzer target: the event CSV reader (include/sellerhealth/io/events_csv.hpp) on arbitrary bytes.
//
// The input is a whole file. It is read the documented way (read_header, then next() until false,
// to_event on every record), then cut in two with `whole_records` and read again as two pieces with
// `continue_with`. Besides "no crash, no UB, no leak" (ASan/UBSan), it checks what must hold for
// any input:
//  - a bad header is reported as line 1 and then next() returns false;
//  - record lines and `line()` never decrease, `consumed()` only grows and stays within the input,
//    and every next() that returns true consumes bytes (no endless loop);
//  - an error is reported at its record's line, with a message;
//  - to_event sets exactly one of value and error; an event carries the record's order id, name
//    and parsed time;
//  - whole_records(x) <= x.size(), ends right after a '\n' (or is 0), and leaves an even number of
//    quotes before it;
//  - after the last record every byte is consumed and `line()` is 1 + the number of LFs;
//  - when no record has a scan fault (whole_records counts quotes, so a stray quote can fool it),
//    reading it in two pieces yields exactly the records, errors and events of one read.
//
// Build: cmake -DSELLERHEALTH_BUILD_FUZZERS=ON with clang; run: scripts/fuzz.sh.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <sellerhealth/events.hpp>
#include <sellerhealth/io/events_csv.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace io = sellerhealth::io;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_events_csv: invariant violated: %s\n", what);
  __builtin_trap();
}

#define FUZZ_CHECK(cond)      \
  do {                        \
    if (!(cond)) fail(#cond); \
  } while (false)

/// One record as read, owned (the reader's views die at its next call).
struct seen_record {
  std::size_t line = 0;
  std::vector<std::string> fields;
  bool has_error = false;
  std::string error;
  bool has_event = false;
  std::string event_error;  // to_event's message, or the event's name when it succeeded
  bool operator==(const seen_record&) const = default;
};

std::vector<std::string> fields_of(const io::record& r) {
  return {std::string(r.event),   std::string(r.order_id), std::string(r.seller_id), std::string(r.time),
          std::string(r.ship_by), std::string(r.quantity), std::string(r.actor),     std::string(r.reason),
          std::string(r.metric),  std::string(r.channel)};
}

/// Whether a record error may hide a quoting fault. The reader reports a record's first fault
/// only, so a lone CR reported first can hide a stray quote after it: any scan fault counts, only
/// a field-count error ("expected N fields, found M") is known to be quote-clean.
bool may_hide_quoting_fault(const std::string& message) { return message.rfind("expected ", 0) != 0; }

/// Checks one to_event answer against its record and folds it into `out`.
void check_event(const io::record& rec, seen_record& out) {
  const io::parsed p = io::to_event(rec);
  FUZZ_CHECK(p.value.has_value() != p.error.has_value());
  if (p.error) {
    FUZZ_CHECK(p.error->line == rec.line);
    FUZZ_CHECK(!p.error->message.empty());
    out.event_error = p.error->message;
    return;
  }
  const sellerhealth::event& e = *p.value;
  FUZZ_CHECK(sellerhealth::event_name(e) == rec.event);
  FUZZ_CHECK(sellerhealth::order_of(e) == rec.order_id);
  FUZZ_CHECK(!rec.order_id.empty());
  const io::time_parse t = io::parse_time(rec.time);
  FUZZ_CHECK(t.value.has_value() && *t.value == sellerhealth::time_of(e));
  out.has_event = true;
  out.event_error = std::string(sellerhealth::event_name(e));
}

/// Reads every record the reader has left; checks the per-step invariants. `budget` bounds the
/// calls so a reader that stops making progress is caught instead of looping forever.
void read_all(io::event_reader& reader, std::size_t piece_size, std::vector<seen_record>& out) {
  io::record rec;
  std::optional<io::csv_error> error;
  std::size_t last_line = reader.line();
  std::size_t last_consumed = reader.consumed();
  std::size_t budget = piece_size + 2;
  while (reader.next(rec, error)) {
    FUZZ_CHECK(budget-- > 0);
    FUZZ_CHECK(reader.consumed() > last_consumed);
    FUZZ_CHECK(reader.consumed() <= piece_size);
    FUZZ_CHECK(rec.line >= last_line);
    FUZZ_CHECK(reader.line() >= rec.line);
    last_line = rec.line;
    last_consumed = reader.consumed();
    seen_record s;
    s.line = rec.line;
    if (error) {
      FUZZ_CHECK(error->line == rec.line);
      FUZZ_CHECK(!error->message.empty());
      s.has_error = true;
      s.error = error->message;
    } else {
      s.fields = fields_of(rec);
      check_event(rec, s);
    }
    out.push_back(std::move(s));
  }
  FUZZ_CHECK(!error.has_value());
  FUZZ_CHECK(reader.line() >= last_line);
  FUZZ_CHECK(reader.consumed() <= piece_size);
}

void check_whole_records(std::string_view x) {
  const std::size_t w = io::whole_records(x);
  FUZZ_CHECK(w <= x.size());
  if (w > 0) {
    FUZZ_CHECK(x[w - 1] == '\n');
    std::size_t quotes = 0;
    for (std::size_t i = 0; i < w; ++i) quotes += x[i] == '"';
    FUZZ_CHECK(quotes % 2 == 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A copy of exactly `size` bytes on the heap, so ASan sees any read past the end.
  const std::string owned(reinterpret_cast<const char*>(data), size);
  const std::string_view text = owned;

  check_whole_records(text);

  // ---- one read of the whole input ----
  io::event_reader whole{text};
  std::vector<seen_record> all;
  const std::optional<io::csv_error> header_error = whole.read_header();
  if (header_error) {
    FUZZ_CHECK(header_error->line == 1);
    FUZZ_CHECK(!header_error->message.empty());
    io::record rec;
    std::optional<io::csv_error> error;
    FUZZ_CHECK(!whole.next(rec, error));
    FUZZ_CHECK(!error.has_value());
  } else {
    FUZZ_CHECK(whole.consumed() <= text.size());
    FUZZ_CHECK(whole.line() >= 1);
    read_all(whole, text.size(), all);
    FUZZ_CHECK(whole.consumed() == text.size());
    std::size_t lines = 1;
    for (const char c : text) lines += c == '\n';
    FUZZ_CHECK(whole.line() == lines);
    // Reading the header again starts over and gives the same records.
    FUZZ_CHECK(!whole.read_header().has_value());
    std::vector<seen_record> again;
    read_all(whole, text.size(), again);
    FUZZ_CHECK(again == all);
  }

  // ---- the same input in two pieces cut by whole_records ----
  const std::size_t cut_at = size == 0 ? 0 : (static_cast<std::size_t>(data[0]) * 131U + size / 2) % (size + 1);
  const std::string_view head = text.substr(0, cut_at);
  check_whole_records(head);
  const std::size_t w = io::whole_records(head);
  if (w == 0 || header_error) return 0;

  bool quoting_fault = false;
  for (const seen_record& s : all) quoting_fault |= s.has_error && may_hide_quoting_fault(s.error);

  const std::string_view first = text.substr(0, w), rest = text.substr(w);
  io::event_reader pieces{first};
  const std::optional<io::csv_error> first_header = pieces.read_header();
  std::vector<seen_record> split;
  // The header was good and is fault-free, so quote counting is exact through it and the cut is
  // after its line end: the first piece holds the whole header.
  FUZZ_CHECK(!first_header.has_value());
  read_all(pieces, first.size(), split);
  FUZZ_CHECK(pieces.consumed() == first.size());
  std::size_t lines_in_first = 1;
  for (const char c : first) lines_in_first += c == '\n';
  FUZZ_CHECK(pieces.line() == lines_in_first);  // every LF is counted, whatever the faults

  // A copy of a reader that has read the header reads the next piece.
  io::event_reader second = pieces;
  second.continue_with(rest, pieces.line());
  FUZZ_CHECK(second.consumed() == 0);
  FUZZ_CHECK(second.line() == pieces.line());
  read_all(second, rest.size(), split);

  if (!quoting_fault) FUZZ_CHECK(split == all);
  return 0;
}
