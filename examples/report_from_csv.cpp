// The main job as a library call: replay an event CSV into a book split over every core, stop at
// the end of a day, and write every seller's report as the `sellerhealth report --format json`
// document. An order manager's dashboard or a nightly job uses these calls instead of the command.
//
//   report_from_csv EVENTS.csv YYYY-MM-DD
//
// CTest runs it on the sample data and checks that it prints exactly what the command prints for
// `report --format json --as-of` the same day (examples/CMakeLists.txt).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sellerhealth/io/replay.hpp>
#include <sellerhealth/marketplaces.hpp>
#include <sellerhealth/report.hpp>
#include <thread>

int main(int argc, char** argv) {
  namespace sh = sellerhealth;
  using preset = sh::marketplaces::all;  // Amazon's and Qoo10's rules in one ledger type
  const auto day = argc == 3 ? sh::io::parse_day(argv[2]) : std::nullopt;
  if (!day) {
    std::fprintf(stderr, "usage: report_from_csv EVENTS.csv YYYY-MM-DD\n");
    return 2;
  }

  // One shard per core; each holds the orders whose ids hash to it, fed by its own thread.
  sh::sharded<preset::ledger> book(std::max(1u, std::thread::hardware_concurrency()));
  const auto result =
      sh::io::replay_file(book, argv[1],
                          {// Stop before the first event after the day, as the command's --as-of does, and write
                           // the report as the book stands then (the clock moved to the end of that day).
                           .stops = {sh::jst::start_of(*day + std::chrono::days{1})},
                           .at_stop =
                               [&](std::size_t, const sh::io::replay_result&) {
                                 book.advance_to(*day);
                                 sh::write_json(std::cout, book, preset::name);
                               },
                           // It writes as it goes: decide first whether the file is in time order, so a restart
                           // in whole-file mode can never come after the report was written.
                           .check_order_first = true});
  if (result.status == sh::io::replay_status::unreadable) {
    std::fprintf(stderr, "%s\n", result.error.c_str());
    return 2;
  }
  for (const auto& bad : result.bad_lines) std::fprintf(stderr, "%s:%zu: %s\n", argv[1], bad.line, bad.message.c_str());
  return result.ok() ? 0 : 1;
}
