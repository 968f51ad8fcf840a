// Replaying an event CSV into a sharded book, fast and in little memory, for the `sellerhealth`
// command. Public headers only.
//
// The fast path streams: the file is read in 1 MiB segments (larger ones were no faster and held
// ~8 MiB more of text and parsed events for the 1M-order benchmark); each segment is cut into one
// piece per thread at record boundaries, the pieces are parsed in parallel and their events routed
// to the shard of their order, then every shard is fed its events in parallel. The state is
// stopped at the points the caller asks for (the end of --as-of, each day of a series): events
// before a stop are fed, the caller reads the book, and feeding goes on. This needs the file in
// time order, which exports usually are; the first event found out of order sends the replay back
// to the start in whole-file mode: every line is read, then each shard's events are stably sorted
// by time (equal times keep file order) and fed the same way. Only that mode holds the file.
#pragma once

#include <algorithm>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <functional>
#include <optional>
#include <sellerhealth/io/events_csv.hpp>
#include <sellerhealth/sharded.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace cli {

namespace sh = sellerhealth;

/// A bad line: from the reader, the parser or the ledger.
struct problem {
  std::size_t line = 0;
  std::string message;
  std::optional<sh::rejection_code> code = std::nullopt;
  std::string order;  // for ledger rejections
  sh::sys_seconds at{};
};

struct parsed_event {
  sh::event value;
  std::size_t line;
};

/// Runs `work(0..n-1)`, on this thread and `n - 1` others.
inline void in_parallel(std::size_t n, const std::function<void(std::size_t)>& work) {
  std::vector<std::thread> others;
  others.reserve(n > 0 ? n - 1 : 0);
  for (std::size_t i = 1; i < n; ++i) others.emplace_back(work, i);
  if (n > 0) work(0);
  for (auto& t : others) t.join();
}

/// The events of one piece of the file, routed by shard, and its bad lines.
struct piece {
  std::vector<std::vector<parsed_event>> by_shard;
  std::vector<problem> problems;
  std::deque<std::string> kept;  // ids the reader had to unescape; the rest point into the buffer
  std::optional<sh::sys_seconds> first, last;
  bool in_order = true;
};

template <class Book>
void parse_piece(sh::io::event_reader reader, std::string_view text, std::size_t first_line, const Book& book,
                 piece& out) {
  out = piece{};
  out.by_shard.resize(book.size());
  reader.continue_with(text, first_line);
  const auto keep = [&](std::string_view s) -> std::string_view {
    if (s.empty() || (s.data() >= text.data() && s.data() + s.size() <= text.data() + text.size())) return s;
    return out.kept.emplace_back(s);
  };
  sh::io::record rec;
  std::optional<sh::io::csv_error> error;
  while (reader.next(rec, error)) {
    if (error) {
      out.problems.push_back({.line = error->line, .message = error->message});
      error.reset();
      continue;
    }
    auto parsed = sh::io::to_event(rec);
    if (parsed.error) {
      out.problems.push_back({.line = parsed.error->line, .message = parsed.error->message});
      continue;
    }
    sh::event e = *parsed.value;
    std::visit(
        [&](auto& x) {
          x.order = keep(x.order);
          x.seller = keep(x.seller);
        },
        e);
    const sh::sys_seconds t = sh::time_of(e);
    if (out.last && t < *out.last) out.in_order = false;
    if (!out.first) out.first = t;
    out.last = out.last ? std::max(*out.last, t) : t;
    out.by_shard[book.shard_of(sh::order_of(e))].push_back({e, rec.line});
  }
}

/// Replays a file into `book`, stopping before each of `stops` (instants, ascending) to call
/// `at_stop(i)` with every event before `stops[i]` fed and none after. Returns 0, or 1 for a bad
/// header, 2 for an unreadable file (after printing why). If it has to start again in whole-file
/// mode it resets the book and calls `at_stop` again from the first stop: a caller that writes as
/// it goes sets `check_order_first`, and a first pass that only parses decides the mode before any
/// stop is reached.
template <class Ledger>
class replayer {
 public:
  replayer(sh::sharded<Ledger>& book, std::string file) : book_(book), file_(std::move(file)) {}

  bool check_order_first = false;
  /// The book a restart starts from (default: an empty one of the same shard count).
  std::function<sh::sharded<Ledger>()> fresh_book;

  std::vector<problem> problems;
  std::optional<sh::sys_seconds> latest_event;  // the latest time on any parsed line
  std::optional<sh::sys_seconds> latest_fed;    // the latest time of an event the book accepted
  std::size_t segment_bytes = 1u << 20;

  /// `next_stop()` gives the next instant to stop before (empty: none left); `at_stop()` is called
  /// when every event before it has been fed.
  int run(std::vector<sh::sys_seconds> stops, const std::function<void(std::size_t)>& at_stop) {
    stops_ = std::move(stops);
    at_stop_ = at_stop;
    std::error_code kind_error;
    std::FILE* f = std::filesystem::is_directory(file_, kind_error) ? nullptr : std::fopen(file_.c_str(), "rb");
    if (!f) {
      std::fprintf(stderr, "sellerhealth: cannot read '%s'\n", file_.c_str());
      return 2;
    }
    std::error_code size_error;
    file_bytes_ = static_cast<std::size_t>(std::filesystem::file_size(file_, size_error));
    if (size_error) file_bytes_ = 0;
    reserve();
    int result = unsorted;
    if (check_order_first) {
      feeding_ = false;
      result = stream(f);
      feeding_ = true;
      std::rewind(f);
      if (result == 0) result = restart_and(f, &replayer::stream);
    } else {
      result = stream(f);
    }
    if (result == unsorted) {  // out of order: start again holding the whole file
      std::rewind(f);
      result = restart_and(f, &replayer::whole_file);
    }
    const bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) {
      std::fprintf(stderr, "sellerhealth: error while reading '%s'\n", file_.c_str());
      return 2;
    }
    return result;
  }

 private:
  static constexpr int unsorted = -1;

  /// An order takes two to three lines of about 70 bytes in a typical export: sizing the shards
  /// for that up front saves every rehash and copy as they fill (a guess too low only grows).
  void reserve() {
    const std::size_t orders = file_bytes_ / 150 / book_.size();
    for (std::size_t j = 0; j < book_.size(); ++j) book_[j].reserve(orders);
  }

  int restart_and(std::FILE* f, int (replayer::*how)(std::FILE*)) {
    book_ = fresh_book ? fresh_book() : sh::sharded<Ledger>(book_.size());
    reserve();
    problems.clear();
    latest_event.reset();
    latest_fed.reset();
    next_stop_ = 0;
    started_ = false;
    return (this->*how)(f);
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

  void feed_shard(std::size_t shard, cursor& c, std::optional<sh::sys_seconds> before, std::vector<problem>& rejected,
                  std::optional<sh::sys_seconds>& fed) {
    Ledger& ledger = book_[shard];
    std::vector<std::size_t> rejected_at;
    while (c.peek()) {
      // The run of this list's events before the stop, recorded in one batch.
      const std::vector<parsed_event>& list = *c.lists[c.list];
      std::size_t end = c.at;
      while (end < list.size() && (!before || sh::time_of(list[end].value) < *before)) ++end;
      if (end == c.at) break;
      rejected_at.clear();
      ledger.record_all(
          list.begin() + static_cast<std::ptrdiff_t>(c.at), list.begin() + static_cast<std::ptrdiff_t>(end),
          [](const parsed_event& p) -> const sh::event& { return p.value; },
          [&](std::size_t i, sh::rejection r) {
            const parsed_event& p = list[c.at + i];
            rejected.push_back(
                {p.line, std::move(r.message), r.code, std::string(sh::order_of(p.value)), sh::time_of(p.value)});
            rejected_at.push_back(c.at + i);
          });
      // A list is in time order: the run's latest accepted event is its last one not rejected.
      std::size_t last = end;
      while (last > c.at && !rejected_at.empty() && rejected_at.back() == last - 1) {
        rejected_at.pop_back();
        --last;
      }
      if (last > c.at)
        fed = fed ? std::max(*fed, sh::time_of(list[last - 1].value)) : sh::time_of(list[last - 1].value);
      c.at = end;
    }
  }

  /// Feeds every shard up to each stop that `segment_last` shows is complete, then the rest.
  void feed_segment(std::vector<cursor>& cursors, sh::sys_seconds segment_last, bool final_segment) {
    if (!started_) {
      // Every shard starts on the first event's day, so their penalty evaluations line up.
      std::optional<sh::sys_seconds> first;
      for (auto& c : cursors)
        if (const auto* e = c.peek()) first = first ? std::min(*first, sh::time_of(e->value)) : sh::time_of(e->value);
      if (first) {
        // Stops before the first event see an empty book, at their own day.
        while (pending_stop() && *pending_stop() <= *first) at_stop_(next_stop_++);
        book_.advance_to(Ledger::zone_type::day_of(*first));
        started_ = true;
      }
    }
    std::vector<std::vector<problem>> rejected(cursors.size());
    std::vector<std::optional<sh::sys_seconds>> fed(cursors.size());
    for (;;) {
      const auto stop = pending_stop();
      const bool reached = stop && (final_segment || segment_last >= *stop);
      in_parallel(cursors.size(), [&](std::size_t j) {
        feed_shard(j, cursors[j], reached ? stop : std::nullopt, rejected[j], fed[j]);
      });
      if (!reached) break;
      at_stop_(next_stop_++);
    }
    for (std::size_t j = 0; j < cursors.size(); ++j) {
      for (auto& p : rejected[j]) problems.push_back(std::move(p));
      if (fed[j]) latest_fed = latest_fed ? std::max(*latest_fed, *fed[j]) : fed[j];
    }
  }

  std::optional<sh::sys_seconds> pending_stop() const {
    return next_stop_ < stops_.size() ? std::optional{stops_[next_stop_]} : std::nullopt;
  }

  void note_times(const piece& p) {
    if (p.last) latest_event = latest_event ? std::max(*latest_event, *p.last) : p.last;
  }

  int read_header(std::string& data, std::FILE* f, sh::io::event_reader& reader, std::size_t& consumed) {
    // Enough bytes for the header line (grown until it holds a line end or the file ends).
    for (std::size_t want = 64 << 10;; want *= 2) {
      const std::size_t old = data.size();
      data.resize(want);
      data.resize(old + std::fread(data.data() + old, 1, want - old, f));
      if (data.find('\n') != std::string::npos || data.size() < want) break;
    }
    reader = sh::io::event_reader(data);
    if (const auto bad = reader.read_header()) {
      std::fprintf(stderr, "%s:%zu: %s\n", file_.c_str(), bad->line, bad->message.c_str());
      return 1;
    }
    consumed = reader.consumed();
    return 0;
  }

  /// Cuts `[0, size)` of `text` into `n` pieces at record boundaries: (offset, length, first line).
  static std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> cut(std::string_view text, std::size_t n,
                                                                            std::size_t first_line) {
    std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> pieces;
    std::size_t from = 0, line = first_line;
    for (std::size_t i = 1; i <= n; ++i) {
      std::size_t to =
          i == n ? text.size() : std::max(from, sh::io::whole_records(text.substr(0, text.size() * i / n)));
      pieces.emplace_back(from, to - from, line);
      line += static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(from),
                                                  text.begin() + static_cast<std::ptrdiff_t>(to), '\n'));
      from = to;
    }
    return pieces;
  }

  int stream(std::FILE* f) {
    std::string data;
    sh::io::event_reader reader{std::string_view{}};
    std::size_t consumed = 0;
    if (const int bad = read_header(data, f, reader, consumed)) return bad;
    std::size_t line = reader.line();
    data.erase(0, consumed);
    const std::size_t threads = book_.size();
    std::vector<piece> pieces(threads);
    std::optional<sh::sys_seconds> last_so_far;
    bool at_end = false;
    std::size_t capacity = segment_bytes;
    while (!at_end) {
      const std::size_t old = data.size();
      if (old < capacity) {
        data.resize(capacity);
        data.resize(old + std::fread(data.data() + old, 1, capacity - old, f));
      }
      at_end = data.size() < capacity || std::feof(f);
      std::size_t usable = at_end ? data.size() : sh::io::whole_records(data);
      if (usable == 0 && !at_end) {  // one record longer than the segment: read a bigger one
        capacity *= 2;
        continue;
      }
      const std::string_view text(data.data(), usable);
      const auto cuts = cut(text, threads, line);
      in_parallel(threads, [&](std::size_t t) {
        const auto [offset, length, first] = cuts[t];
        parse_piece(reader, text.substr(offset, length), first, book_, pieces[t]);
      });
      for (const auto& p : pieces) {
        if (!p.in_order || (p.first && last_so_far && *p.first < *last_so_far)) return unsorted;
        if (p.last) last_so_far = p.last;
        note_times(p);
        for (const auto& bad : p.problems) problems.push_back(bad);
      }
      if (feeding_) {
        std::vector<cursor> cursors(threads);
        for (std::size_t j = 0; j < threads; ++j)
          for (const auto& p : pieces) cursors[j].lists.push_back(&p.by_shard[j]);
        feed_segment(cursors, last_so_far.value_or(sh::sys_seconds::min()), at_end);
      }
      line += static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
      data.erase(0, usable);
    }
    return 0;
  }

  int whole_file(std::FILE* f) {
    std::string data;
    sh::io::event_reader reader{std::string_view{}};
    std::size_t consumed = 0;
    if (const int bad = read_header(data, f, reader, consumed)) return bad;
    std::size_t line = reader.line();
    for (std::size_t got = 1; got > 0;) {  // the rest of the file
      const std::size_t old = data.size();
      data.resize(old + (16u << 20));
      got = std::fread(data.data() + old, 1, 16u << 20, f);
      data.resize(old + got);
    }
    const std::string_view text = std::string_view(data).substr(consumed);
    const std::size_t threads = book_.size();
    std::vector<piece> pieces(threads);
    const auto cuts = cut(text, threads, line);
    in_parallel(threads, [&](std::size_t t) {
      const auto [offset, length, first] = cuts[t];
      parse_piece(reader, text.substr(offset, length), first, book_, pieces[t]);
    });
    std::vector<std::vector<parsed_event>> sorted(threads);
    in_parallel(threads, [&](std::size_t j) {
      for (auto& p : pieces) sorted[j].insert(sorted[j].end(), p.by_shard[j].begin(), p.by_shard[j].end());
      std::stable_sort(sorted[j].begin(), sorted[j].end(), [](const parsed_event& a, const parsed_event& b) {
        return sh::time_of(a.value) < sh::time_of(b.value);
      });
    });
    for (const auto& p : pieces) {
      note_times(p);
      for (const auto& bad : p.problems) problems.push_back(bad);
    }
    std::vector<cursor> cursors(threads);
    for (std::size_t j = 0; j < threads; ++j) cursors[j].lists.push_back(&sorted[j]);
    feed_segment(cursors, latest_event.value_or(sh::sys_seconds::min()), true);
    return 0;
  }

  sh::sharded<Ledger>& book_;
  std::string file_;
  std::size_t file_bytes_ = 0;
  std::vector<sh::sys_seconds> stops_;
  std::size_t next_stop_ = 0;
  std::function<void(std::size_t)> at_stop_;
  bool feeding_ = true;
  bool started_ = false;
};

}  // namespace cli
