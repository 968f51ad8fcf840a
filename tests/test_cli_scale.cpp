// The command's scale paths, end to end: any number of threads gives the same bytes; every day
// of `series` equals `report --as-of` that day; a file whose lines are out of time order (the
// whole-file fallback) gives the same answers as the same lines sorted.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#ifndef SELLERHEALTH_CLI
#error "SELLERHEALTH_CLI must name the sellerhealth program"
#endif

namespace {

struct ran {
  int status;
  std::string out;
};

/// A temporary path of this process: ctest runs tests in parallel, each in its own process.
std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("sellerhealth_scale_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

ran run(const std::string& arguments) {
  const std::string out = temp_path("out.txt");
  const std::string command = std::string(SELLERHEALTH_CLI) + " " + arguments + " > " + out + " 2>/dev/null";
  const int raw = std::system(command.c_str());
  std::ifstream in(out, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, text.str()};
}

std::string two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

/// "2026-MM-DDTHH:MM:SS+09:00" for day `d` (0 = Aug 1, 2026) and second of the day `s`.
std::string jst(int d, int s) {
  static const int month_days[] = {31, 30, 31, 30, 31};  // Aug..Dec
  int month = 8;
  for (int i = 0; d >= month_days[i]; ++i) {
    d -= month_days[i];
    ++month;
  }
  return "2026-" + two(month) + "-" + two(d + 1) + "T" + two(s / 3600) + ":" + two(s / 60 % 60) + ":" + two(s % 60) +
         "+09:00";
}

/// A deterministic marketplace: 25 sellers, ~2,400 orders from Aug 1 over 100 days, every kind of
/// event, sorted by time (equal times keep generation order).
std::vector<std::string> make_lines() {
  std::mt19937_64 rnd(20261122);
  const auto below = [&](std::uint64_t n) { return static_cast<int>(rnd() % n); };
  std::vector<std::tuple<long, int, std::string>> lines;  // (seconds since Aug 1, order, text)
  int seq = 0;
  const auto add = [&](int day, int second, const std::string& text) {
    lines.emplace_back(static_cast<long>(day) * 86400 + second, seq++, text);
  };
  for (int i = 0; i < 2400; ++i) {
    const std::string id = "O" + std::to_string(i);
    const std::string seller = "S" + two(below(25));
    const int day = below(100), at = 3600 + below(70000);
    const int quantity = below(4) == 0 ? 2 : 1;
    const std::string channel = below(10) == 0 ? "platform" : "merchant";
    add(day, at,
        "placed," + id + "," + seller + "," + jst(day, at) + "," + jst(day + 2, 86399) + "," +
            std::to_string(quantity) + ",,,," + channel);
    switch (below(12)) {
      case 0: add(day, at + 600, "cancelled," + id + ",," + jst(day, at + 600) + ",,,seller,out_of_stock,,"); break;
      case 1:
        add(day, at + 60, "cancel_requested," + id + ",," + jst(day, at + 60) + ",,,buyer,,,");
        add(day, at + 120, "cancelled," + id + ",," + jst(day, at + 120) + ",,,seller,buyer_request,,");
        break;
      case 2: add(day + 1, 500, "cancelled," + id + ",," + jst(day + 1, 500) + ",,,buyer,,,"); break;
      case 3: add(day + 3, 7200, "shipped," + id + ",," + jst(day + 3, 7200) + ",,,,,,"); break;  // late
      case 4:
        add(day + 1, 100, "ship_by_changed," + id + ",," + jst(day + 1, 100) + "," + jst(day + 4, 86399) + ",,,,,");
        add(day + 4, 100, "shipped," + id + ",," + jst(day + 4, 100) + ",,,,,,");
        break;
      case 5:
        add(day + 3, 100, "exempted," + id + ",," + jst(day + 3, 100) + ",,,,platform_error,all,");
        break;  // left open, exempted
      case 6: add(day + 9, 100, "cancelled," + id + ",," + jst(day + 9, 100) + ",,,platform,auto,,"); break;
      case 7:
        add(day + 1, 100, "shipped," + id + ",," + jst(day + 1, 100) + ",,,,,,");
        if (quantity == 2) add(day + 1, 200, "refunded," + id + ",," + jst(day + 1, 200) + ",,1,,,,");
        break;
      default: add(day + 1, 300, "shipped," + id + ",," + jst(day + 1, 300) + ",,,,,,"); break;
    }
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(std::get<2>(l));
  return out;
}

std::string write(const std::string& name, const std::vector<std::string>& lines) {
  const auto path = temp_path(name);
  std::ofstream f(path, std::ios::binary);
  f << "event,order_id,seller_id,time,ship_by,quantity,actor,reason,metric,channel\n";
  for (const auto& l : lines) f << l << '\n';
  return path;
}

const std::vector<std::string>& sorted_lines() {
  static const std::vector<std::string> lines = make_lines();
  return lines;
}
std::string sorted_file() {
  static const std::string path = write("sorted.csv", sorted_lines());
  return path;
}
/// The same lines, shuffled: times no longer ascend, so the command must sort them itself.
std::string shuffled_file() {
  static const std::string path = [] {
    auto lines = sorted_lines();
    std::mt19937_64 rnd(7);
    std::shuffle(lines.begin(), lines.end(), rnd);
    return write("shuffled.csv", lines);
  }();
  return path;
}

/// (seller, metric) -> "numerator,denominator,status" from a report's JSON (one metric a line).
std::map<std::pair<std::string, std::string>, std::string> metrics_of_report(const std::string& json) {
  std::map<std::pair<std::string, std::string>, std::string> out;
  std::string seller;
  std::istringstream lines(json);
  const auto value = [](const std::string& line, const std::string& key) {
    const auto at = line.find("\"" + key + "\":");
    if (at == std::string::npos) return std::string();
    auto from = at + key.size() + 3;
    if (line[from] == '"') ++from;
    const auto to = line.find_first_of(",\"}", from);
    return line.substr(from, to - from);
  };
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"seller_id\":") != std::string::npos) seller = value(line, "seller_id");
    if (line.find("\"metric\":") != std::string::npos)
      out[{seller, value(line, "metric")}] =
          value(line, "numerator") + "," + value(line, "denominator") + "," + value(line, "status");
  }
  return out;
}

/// Rows of one date from series CSV output, in the same shape.
std::map<std::pair<std::string, std::string>, std::string> metrics_of_series(const std::string& csv,
                                                                             const std::string& date) {
  std::map<std::pair<std::string, std::string>, std::string> out;
  std::istringstream lines(csv);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(date + ",", 0) != 0) continue;
    std::vector<std::string> f;
    std::stringstream fields(line);
    for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
    out[{f[1], f[2]}] = f[3] + "," + f[4] + "," + f[5];
  }
  return out;
}

}  // namespace

TEST(CommandScale, ReportIsTheSameWithAnyNumberOfThreads) {
  for (const char* market : {"amazon-jp", "qoo10-jp", "all"}) {
    const std::string args = std::string("report --format json --as-of 2026-10-20 --marketplace ") + market + " ";
    const ran one = run(args + "--threads 1 " + sorted_file());
    ASSERT_EQ(one.status, 0) << market;
    ASSERT_NE(one.out.find("\"seller_id\":\"S00\""), std::string::npos);
    for (const char* threads : {"2", "3", "7"}) {
      const ran many = run(args + "--threads " + threads + " " + sorted_file());
      EXPECT_EQ(many.status, 0);
      EXPECT_EQ(many.out, one.out) << market << " with " << threads << " threads";
    }
  }
}

TEST(CommandScale, SeriesIsTheSameWithAnyNumberOfThreads) {
  const std::string args = "series --from 2026-08-01 --to 2026-11-30 --marketplace all ";
  const ran one = run(args + "--threads 1 " + sorted_file());
  ASSERT_EQ(one.status, 0);
  // 122 days x 25 sellers (all placed by the first weeks) x 5 metrics: far more than a few rows.
  EXPECT_GT(std::count(one.out.begin(), one.out.end(), '\n'), 10000);
  const ran two_threads = run(args + "--threads 2 " + sorted_file());
  EXPECT_EQ(two_threads.out, one.out);
  const ran jsonl = run(args + "--threads 2 --format jsonl " + sorted_file());
  EXPECT_EQ(std::count(jsonl.out.begin(), jsonl.out.end(), '\n') + 1, std::count(one.out.begin(), one.out.end(), '\n'));
}

TEST(CommandScale, EverySeriesDayEqualsTheReportAsOfThatDay) {
  const ran series = run("series --from 2026-08-01 --to 2026-11-15 --marketplace all --threads 2 " + sorted_file());
  ASSERT_EQ(series.status, 0);
  int compared = 0;
  for (const char* day : {"2026-08-01", "2026-08-02", "2026-08-31", "2026-09-01", "2026-09-30", "2026-10-01",
                          "2026-10-17", "2026-11-08", "2026-11-15"}) {
    const ran report = run(std::string("report --format json --marketplace all --as-of ") + day + " " + sorted_file());
    ASSERT_EQ(report.status, 0) << day;
    const auto expected = metrics_of_report(report.out);
    const auto got = metrics_of_series(series.out, day);
    EXPECT_FALSE(expected.empty()) << day;
    EXPECT_EQ(got, expected) << day;
    compared += static_cast<int>(expected.size());
  }
  EXPECT_GT(compared, 500);
}

TEST(CommandScale, LinesOutOfTimeOrderGiveTheSameAnswers) {
  for (const char* args : {"report --format json --as-of 2026-10-20 --marketplace all --threads 2 ",
                           "report --format json --marketplace all --threads 1 ",
                           "series --from 2026-08-01 --to 2026-11-30 --marketplace all --threads 2 "}) {
    const ran sorted = run(std::string(args) + sorted_file());
    const ran shuffled = run(std::string(args) + shuffled_file());
    EXPECT_EQ(sorted.status, 0) << args;
    EXPECT_EQ(shuffled.status, 0) << args;
    EXPECT_EQ(shuffled.out, sorted.out) << args;
  }
}
