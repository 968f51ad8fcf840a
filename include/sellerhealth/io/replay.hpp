// Replaying an event CSV (events-csv.md) into a book, fast and in little memory: the `sellerhealth`
// command's hot path, as one call.
//
//   sellerhealth::sharded<my_ledger> book(4);               // or one plain ledger
//   const auto result = sellerhealth::io::replay_file(book, "events.csv", {
//       .stops = {sellerhealth::jst::start_of(day + std::chrono::days{1})},
//       .at_stop = [&](std::size_t, const auto&) { book.advance_to(day); print(book); }});
//   for (const auto& bad : result.bad_lines) std::cerr << "events.csv:" << bad.line << ": " << bad.message << '\n';
//   if (!result.ok()) return 1;
//
// How. The file is read in 1 MiB segments (larger ones were no faster and held ~8 MiB more of text
// and parsed events for the 1M-order benchmark); each segment is cut into one piece per thread at
// record boundaries, the pieces are parsed in parallel and their events routed to the shard of
// their order, then every shard is fed its events in parallel. The book is stopped at the instants
// the caller asks for (the end of an as-of day, each day of a series): events before a stop are
// fed, the caller reads the book, and feeding goes on. This needs the file in time order, which
// exports usually are; the first event found out of order sends the replay back to the start in
// whole-file mode: every line is read, then each shard's events are stably sorted by time (equal
// times keep file order) and fed the same way. Only that mode holds the whole file in memory.
//
// Bad lines. Every line the reader, the parser or the ledger refuses is collected with its line
// number (and a message saying what is wrong), and reading goes on, so one run lists them all. An
// event dated before its order's placement is found out of order as "unknown order"; once every
// line is in, its message says what is really wrong. Whether bad lines fail the replay is the
// caller's choice (`skip_invalid`, the command's `--skip-invalid`); they are left out either way.
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <vector>

#include "../detail/book_access.hpp"
#include "../ledger.hpp"
#include "../sharded.hpp"
#include "events_csv.hpp"

namespace sellerhealth::io {

/// A line the replay left out, with what is wrong with it.
///
///   std::fprintf(stderr, "%s:%zu: %s\n", path, bad.line, bad.message.c_str());
struct bad_line {
  std::size_t line = 0;  ///< 1-based, counting every line end of the file (quoted ones too)
  std::string message;
  std::optional<rejection_code> code = std::nullopt;  ///< set when the ledger refused the event
  std::string order;                                  ///< the refused event's order id
  sys_seconds at{};                                   ///< the refused event's time
};

enum class replay_status : std::uint8_t {
  ok,          ///< every line read; bad lines, if any, were skipped as asked
  bad_lines,   ///< bad lines were found and `skip_invalid` was not set (the rest was still fed)
  bad_header,  ///< the header row is missing or wrong: nothing was read (`bad_lines` says why)
  unreadable,  ///< the file could not be opened or read (`error` says why)
};

/// What a replay did.
///
///   if (result.status == sellerhealth::io::replay_status::unreadable) std::cerr << result.error << '\n';
struct replay_result {
  replay_status status = replay_status::ok;
  std::vector<bad_line> bad_lines;          ///< in line order
  std::string error;                        ///< `unreadable`: e.g. "cannot read 'x.csv': Permission denied"
  std::optional<sys_seconds> latest_event;  ///< the latest time on any event line parsed, accepted or not
  std::optional<sys_seconds> latest_fed;    ///< the latest time of an event the book accepted
  [[nodiscard]] bool ok() const noexcept { return status == replay_status::ok; }
};

/// How to replay.
///
///   sellerhealth::io::replay_options<decltype(book)> options{.stops = {end_of_day}, .skip_invalid = true};
template <class Book>
struct replay_options {
  /// Instants to stop before, ascending: `at_stop(i, so_far)` runs with every event before
  /// `stops[i]` fed and none at or after it. Stops before the first event see an unstarted book.
  /// `so_far` is the result as it stands; it is updated a segment at a time, so its `latest_fed`
  /// covers the segments fed before the one that holds the stop.
  std::vector<sys_seconds> stops{};
  std::function<void(std::size_t, const replay_result& so_far)> at_stop{};
  /// Bad lines are left out either way; without this flag they fail the replay (`bad_lines`).
  bool skip_invalid = false;
  /// If the file turns out not to be in time order, the replay starts over in whole-file mode,
  /// resets the book and calls `at_stop` again from the first stop. A caller that writes as it
  /// goes sets this: a first pass that only parses then decides the mode before any stop.
  bool check_order_first = false;
  /// The book a restart starts from. By default: an empty book like the one given when that was
  /// never started, else the given book as it was (kept as a snapshot for the whole replay; pass
  /// your own, e.g. restoring bytes you already hold, to spare that copy).
  std::function<Book()> fresh_book{};
  /// Bytes read at a time in streaming mode (grown for a record longer than that).
  std::size_t segment_bytes = std::size_t{1} << 20;
};

namespace detail {

using sellerhealth::detail::fork_join_pool;
using sellerhealth::detail::ledger_of_t;
using sellerhealth::detail::shard;
using sellerhealth::detail::shard_count;
using sellerhealth::detail::shard_of;

struct file_closer {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

/// Where the bytes come from: a file, or text in memory read as if it were one.
class byte_source {
 public:
  explicit byte_source(std::FILE* f) noexcept : file_(f) {}
  explicit byte_source(std::string_view text) noexcept : text_(text) {}

  std::size_t read(char* into, std::size_t n) {
    if (file_) return std::fread(into, 1, n, file_);
    const std::size_t got = std::min(n, text_.size() - at_);
    std::copy_n(text_.data() + at_, got, into);
    at_ += got;
    return got;
  }
  [[nodiscard]] bool at_end() const { return file_ ? std::feof(file_) != 0 : at_ == text_.size(); }
  void rewind() {
    if (file_)
      std::rewind(file_);
    else
      at_ = 0;
  }
  [[nodiscard]] std::size_t size_hint(const std::string& path) const {
    if (!file_) return text_.size();
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(path, ec);
    return ec ? 0 : static_cast<std::size_t>(bytes);
  }

 private:
  std::FILE* file_ = nullptr;
  std::string_view text_;
  std::size_t at_ = 0;
};

/// The bytes read so far and not yet parsed. A plain buffer rather than a `std::string`: growing
/// a string zeroes every byte before `fread` overwrites it, a second pass over the whole file.
class read_buffer {
 public:
  [[nodiscard]] char* data() noexcept { return bytes_.get(); }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::string_view view() const noexcept { return {bytes_.get(), size_}; }
  /// Appends up to `n` bytes from `source` (fewer at its end); returns how many came.
  std::size_t fill_from(byte_source& source, std::size_t n) {
    if (size_ + n > capacity_) {
      const std::size_t capacity = std::max(size_ + n, capacity_ * 2);
      auto grown = std::make_unique_for_overwrite<char[]>(capacity);
      std::copy_n(bytes_.get(), size_, grown.get());
      bytes_ = std::move(grown);
      capacity_ = capacity;
    }
    const std::size_t got = source.read(bytes_.get() + size_, n);
    size_ += got;
    return got;
  }
  /// Drops the first `n` bytes (the records parsed), keeping the rest at the front.
  void erase_front(std::size_t n) noexcept {
    std::copy(bytes_.get() + n, bytes_.get() + size_, bytes_.get());
    size_ -= n;
  }

 private:
  std::unique_ptr<char[]> bytes_;
  std::size_t size_ = 0, capacity_ = 0;
};

struct parsed_event {
  event value;
  std::size_t line;
};

/// The events of one piece of the input, routed by shard, and its bad lines. `parse_piece` empties
/// each member in place (keeping capacity): a new member must be reset there too.
struct piece {
  std::vector<std::vector<parsed_event>> by_shard;
  std::vector<bad_line> problems;
  std::deque<std::string> kept;  // ids the reader had to unescape; the rest point into the buffer
  std::optional<sys_seconds> first, last;
  bool in_order = true;
};

template <class Book>
void parse_piece(event_reader reader, std::string_view text, std::size_t first_line, const Book& book, piece& out) {
  // Emptied, not replaced: the event lists keep their capacity from the last segment, so a
  // streamed file grows them once instead of once per segment (each growth moves every event).
  out.by_shard.resize(shard_count(book));
  for (auto& events : out.by_shard) events.clear();
  out.problems.clear();
  out.kept.clear();
  out.first.reset();
  out.last.reset();
  out.in_order = true;
  reader.continue_with(text, first_line);
  const auto keep = [&](std::string_view s) -> std::string_view {
    if (s.empty() || (s.data() >= text.data() && s.data() + s.size() <= text.data() + text.size())) return s;
    return out.kept.emplace_back(s);
  };
  record rec;
  std::optional<csv_error> error;
  while (reader.next(rec, error)) {
    if (error) {
      out.problems.push_back({.line = error->line, .message = std::move(error->message)});
      error.reset();
      continue;
    }
    auto parsed = to_event(rec);
    if (parsed.error) {
      out.problems.push_back({.line = parsed.error->line, .message = std::move(parsed.error->message)});
      continue;
    }
    event e = *parsed.value;
    std::visit(
        [&](auto& x) {
          x.order = keep(x.order);
          x.seller = keep(x.seller);
        },
        e);
    const sys_seconds t = time_of(e);
    if (out.last && t < *out.last) out.in_order = false;
    if (!out.first) out.first = t;
    out.last = out.last ? std::max(*out.last, t) : t;
    out.by_shard[shard_of(book, order_of(e))].push_back({e, rec.line});
  }
}

/// One replay: the state that streaming, the whole-file fallback and the stops share.
template <class Book>
class replayer {
  using ledger_type = ledger_of_t<Book>;

 public:
  replayer(Book& book, std::string name, replay_options<Book> options)
      : book_(book), pool_(shard_count(book)), name_(std::move(name)), options_(std::move(options)) {}

  replay_result run(byte_source source) {
    bytes_ = source.size_hint(name_);
    if (!options_.fresh_book) options_.fresh_book = default_fresh_book();
    reserve();
    int outcome = unsorted;
    if (options_.check_order_first) {
      feeding_ = false;
      outcome = stream(source);
      feeding_ = true;
      source.rewind();
      if (outcome == fine) outcome = restart_and(source, &replayer::stream);
    } else {
      outcome = stream(source);
    }
    if (outcome == unsorted) {  // out of order: start again holding the whole input
      source.rewind();
      outcome = restart_and(source, &replayer::whole_file);
    }
    if (outcome == header_refused) {
      result_.status = replay_status::bad_header;
      return std::move(result_);
    }
    explain_early_events();
    std::stable_sort(result_.bad_lines.begin(), result_.bad_lines.end(),
                     [](const bad_line& a, const bad_line& b) { return a.line < b.line; });
    if (!result_.bad_lines.empty() && !options_.skip_invalid) result_.status = replay_status::bad_lines;
    return std::move(result_);
  }

 private:
  static constexpr int fine = 0, header_refused = 1, unsorted = -1;

  std::function<Book()> default_fresh_book() const {
    bool started = false;
    for (std::size_t j = 0; j < shard_count(book_); ++j) started = started || shard(book_, j).today().has_value();
    const ledger_options options{shard(book_, 0).horizon_days()};
    if constexpr (sellerhealth::detail::is_sharded_v<Book>) {
      const std::size_t shards = shard_count(book_);
      if (!started) return [shards, options] { return Book(shards, options); };
      return [saved = book_.save(), shards] { return Book::restore(saved, shards); };
    } else {
      if (!started) return [options] { return Book(options); };
      return [saved = book_.save()] { return Book::restore(saved); };
    }
  }

  /// An order takes two to three lines of about 70 bytes in a typical export: sizing the shards
  /// for that up front saves every rehash and copy as they fill (a guess too low only grows).
  void reserve() {
    const std::size_t orders = bytes_ / 150 / shard_count(book_);
    for (std::size_t j = 0; j < shard_count(book_); ++j) shard(book_, j).reserve(orders);
  }

  int restart_and(byte_source& source, int (replayer::*how)(byte_source&)) {
    book_ = options_.fresh_book();
    reserve();
    result_ = replay_result{};
    next_stop_ = 0;
    started_ = false;
    return (this->*how)(source);
  }

  /// Sorted by time, an event dated before its order's placement comes before the `placed` line
  /// and finds no order; once every line is in, say what is really wrong with it.
  void explain_early_events() {
    for (auto& p : result_.bad_lines) {
      if (p.code != rejection_code::unknown_order) continue;
      if (const auto placed = shard(book_, shard_of(book_, p.order)).order(p.order)) {
        // In the marketplace's zone, as the ledger's own rejection of such an event says it.
        using zone = typename ledger_type::zone_type;
        p.message = "order '" + p.order + "': event at " + format_local<zone>(p.at);
        p.message += " is earlier than its placement at " + format_local<zone>(placed->placed_at());
      }
    }
  }

  // A cursor over one shard's events of the current segment, in time order.
  struct cursor {
    std::vector<const std::vector<parsed_event>*> lists;
    std::size_t list = 0, at = 0;
    [[nodiscard]] const parsed_event* peek() {
      while (list < lists.size() && at >= lists[list]->size()) {
        ++list;
        at = 0;
      }
      return list < lists.size() ? &(*lists[list])[at] : nullptr;
    }
  };

  void feed_shard(std::size_t j, cursor& c, std::optional<sys_seconds> before, std::vector<bad_line>& rejected,
                  std::optional<sys_seconds>& fed) {
    ledger_type& ledger = shard(book_, j);
    std::vector<std::size_t> rejected_at;
    while (c.peek()) {
      // The run of this list's events before the stop, recorded in one batch.
      const std::vector<parsed_event>& list = *c.lists[c.list];
      std::size_t end = c.at;
      while (end < list.size() && (!before || time_of(list[end].value) < *before)) ++end;
      if (end == c.at) break;
      rejected_at.clear();
      ledger.record_all(
          list.begin() + static_cast<std::ptrdiff_t>(c.at), list.begin() + static_cast<std::ptrdiff_t>(end),
          [](const parsed_event& p) -> const event& { return p.value; },
          [&](std::size_t i, rejection r) {
            const parsed_event& p = list[c.at + i];
            rejected.push_back(
                {p.line, std::move(r.message), r.code, std::string(order_of(p.value)), time_of(p.value)});
            rejected_at.push_back(c.at + i);
          });
      // A list is in time order: the run's latest accepted event is its last one not rejected.
      std::size_t last = end;
      while (last > c.at && !rejected_at.empty() && rejected_at.back() == last - 1) {
        rejected_at.pop_back();
        --last;
      }
      if (last > c.at) fed = fed ? std::max(*fed, time_of(list[last - 1].value)) : time_of(list[last - 1].value);
      c.at = end;
    }
  }

  /// Feeds every shard up to each stop that `segment_last` shows is complete, then the rest.
  void feed_segment(std::vector<cursor>& cursors, sys_seconds segment_last, bool final_segment) {
    if (!started_) {
      // Every shard starts on the first event's day, so their penalty evaluations line up.
      std::optional<sys_seconds> first;
      for (auto& c : cursors)
        if (const auto* e = c.peek()) first = first ? std::min(*first, time_of(e->value)) : time_of(e->value);
      if (first) {
        // Stops before the first event see an empty book, at their own day.
        while (pending_stop() && *pending_stop() <= *first) stop_here();
        book_.advance_to(ledger_type::zone_type::day_of(*first));
        started_ = true;
      }
    }
    std::vector<std::vector<bad_line>> rejected(cursors.size());
    std::vector<std::optional<sys_seconds>> fed(cursors.size());
    for (;;) {
      const auto stop = pending_stop();
      const bool reached = stop && (final_segment || segment_last >= *stop);
      pool_.run(cursors.size(),
                [&](std::size_t j) { feed_shard(j, cursors[j], reached ? stop : std::nullopt, rejected[j], fed[j]); });
      if (!reached) break;
      stop_here();
    }
    for (std::size_t j = 0; j < cursors.size(); ++j) {
      for (auto& p : rejected[j]) result_.bad_lines.push_back(std::move(p));
      if (fed[j]) result_.latest_fed = result_.latest_fed ? std::max(*result_.latest_fed, *fed[j]) : fed[j];
    }
  }

  void stop_here() {
    const std::size_t i = next_stop_++;
    if (options_.at_stop) options_.at_stop(i, result_);
  }

  [[nodiscard]] std::optional<sys_seconds> pending_stop() const {
    return next_stop_ < options_.stops.size() ? std::optional{options_.stops[next_stop_]} : std::nullopt;
  }

  void take_lines(piece& p) {
    if (p.last) result_.latest_event = result_.latest_event ? std::max(*result_.latest_event, *p.last) : p.last;
    for (auto& bad : p.problems) result_.bad_lines.push_back(std::move(bad));
  }

  int read_header(read_buffer& data, byte_source& source, event_reader& reader, std::size_t& consumed) {
    // Enough bytes for the header line (grown until it holds a line end or the input ends).
    for (std::size_t want = 64 << 10;; want *= 2) {
      data.fill_from(source, want - data.size());
      if (data.view().find('\n') != std::string_view::npos || data.size() < want) break;
    }
    reader = event_reader(data.view());
    if (auto bad = reader.read_header()) {
      result_.bad_lines.push_back({.line = bad->line, .message = std::move(bad->message)});
      return header_refused;
    }
    consumed = reader.consumed();
    return fine;
  }

  /// Cuts `[0, size)` of `text` into `n` pieces at record boundaries: (offset, length, first line).
  static std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> cut(std::string_view text, std::size_t n,
                                                                            std::size_t first_line) {
    std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> pieces;
    std::size_t from = 0, line = first_line;
    for (std::size_t i = 1; i <= n; ++i) {
      std::size_t to = i == n ? text.size() : std::max(from, whole_records(text.substr(0, text.size() * i / n)));
      pieces.emplace_back(from, to - from, line);
      line += count_byte(text.substr(from, to - from), '\n');
      from = to;
    }
    return pieces;
  }

  void parse_all(const event_reader& reader, std::string_view text, std::size_t line, std::vector<piece>& pieces) {
    const auto cuts = cut(text, pieces.size(), line);
    pool_.run(pieces.size(), [&](std::size_t t) {
      const auto [offset, length, first] = cuts[t];
      parse_piece(reader, text.substr(offset, length), first, book_, pieces[t]);
    });
  }

  int stream(byte_source& source) {
    read_buffer data;
    event_reader reader{std::string_view{}};
    std::size_t consumed = 0;
    if (const int bad = read_header(data, source, reader, consumed)) return bad;
    std::size_t line = reader.line();
    data.erase_front(consumed);
    const std::size_t shards = shard_count(book_);
    std::vector<piece> pieces(shards);
    std::optional<sys_seconds> last_so_far;
    bool at_end = false;
    std::size_t capacity = options_.segment_bytes;
    while (!at_end) {
      if (data.size() < capacity) data.fill_from(source, capacity - data.size());
      at_end = data.size() < capacity || source.at_end();
      const std::size_t usable = at_end ? data.size() : whole_records(data.view());
      if (usable == 0 && !at_end) {  // one record longer than the segment: read a bigger one
        capacity *= 2;
        continue;
      }
      const std::string_view text(data.data(), usable);
      parse_all(reader, text, line, pieces);
      for (auto& p : pieces) {
        if (!p.in_order || (p.first && last_so_far && *p.first < *last_so_far)) return unsorted;
        if (p.last) last_so_far = p.last;
        take_lines(p);
      }
      if (feeding_) {
        std::vector<cursor> cursors(shards);
        for (std::size_t j = 0; j < shards; ++j)
          for (const auto& p : pieces) cursors[j].lists.push_back(&p.by_shard[j]);
        feed_segment(cursors, last_so_far.value_or(sys_seconds::min()), at_end);
      }
      line += count_byte(text, '\n');
      data.erase_front(usable);
    }
    return fine;
  }

  int whole_file(byte_source& source) {
    read_buffer data;
    event_reader reader{std::string_view{}};
    std::size_t consumed = 0;
    if (const int bad = read_header(data, source, reader, consumed)) return bad;
    const std::size_t line = reader.line();
    while (data.fill_from(source, 16u << 20) > 0) {  // the rest of the input
    }
    const std::string_view text = data.view().substr(consumed);
    const std::size_t shards = shard_count(book_);
    std::vector<piece> pieces(shards);
    parse_all(reader, text, line, pieces);
    std::vector<std::vector<parsed_event>> sorted(shards);
    pool_.run(shards, [&](std::size_t j) {
      for (auto& p : pieces) sorted[j].insert(sorted[j].end(), p.by_shard[j].begin(), p.by_shard[j].end());
      std::stable_sort(sorted[j].begin(), sorted[j].end(), [](const parsed_event& a, const parsed_event& b) {
        return time_of(a.value) < time_of(b.value);
      });
    });
    for (auto& p : pieces) take_lines(p);
    std::vector<cursor> cursors(shards);
    for (std::size_t j = 0; j < shards; ++j) cursors[j].lists.push_back(&sorted[j]);
    feed_segment(cursors, result_.latest_event.value_or(sys_seconds::min()), true);
    return fine;
  }

  Book& book_;
  fork_join_pool pool_;  // one thread per shard: parsing a segment's pieces, feeding the shards
  std::string name_;
  replay_options<Book> options_;
  replay_result result_;
  std::size_t bytes_ = 0;
  std::size_t next_stop_ = 0;
  bool feeding_ = true;
  bool started_ = false;
};

}  // namespace detail

/// Replays the event CSV at `path` into `book` (a `ledger` or a `sharded` one; see the top of
/// this header). An unreadable file says why: "cannot read 'x.csv': No such file or directory".
///
///   auto result = sellerhealth::io::replay_file(book, "events.csv", {.skip_invalid = true});
template <class Book>
[[nodiscard]] replay_result replay_file(Book& book, const std::string& path, replay_options<Book> options = {}) {
  const auto unreadable = [&](std::string what, int why) {
    replay_result r;
    r.status = replay_status::unreadable;
    r.error = std::move(what);
    r.error += " '" + path + "': " + std::generic_category().message(why);
    return r;
  };
  std::error_code kind_error;
  if (std::filesystem::is_directory(path, kind_error)) return unreadable("cannot read", EISDIR);
  errno = 0;
  const std::unique_ptr<std::FILE, detail::file_closer> file(std::fopen(path.c_str(), "rb"));
  if (!file) return unreadable("cannot read", errno ? errno : EIO);
  auto result = detail::replayer<Book>(book, path, std::move(options)).run(detail::byte_source(file.get()));
  if (std::ferror(file.get())) return unreadable("error while reading", errno ? errno : EIO);
  return result;
}

/// Replays event CSV text (header row first) into `book`, as `replay_file` does a file.
///
///   auto result = sellerhealth::io::replay_text(book, "event,order_id,time\n...");
template <class Book>
[[nodiscard]] replay_result replay_text(Book& book, std::string_view text, replay_options<Book> options = {}) {
  return detail::replayer<Book>(book, "", std::move(options)).run(detail::byte_source(text));
}

}  // namespace sellerhealth::io
