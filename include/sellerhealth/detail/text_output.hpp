// The pieces of text the report's and the advice's writers are made of (report.hpp): JSON
// strings and numbers, CSV fields, percentages, targets, day ranges, counts, and aligned columns
// for the tables. Each writes exactly what events-csv.md specifies for its field.
#pragma once

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "../calendar.hpp"
#include "../rate.hpp"

namespace sellerhealth::detail {

/// Appends `s` as a JSON string: quotes, backslashes and control characters escaped.
inline void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += '"';
}

[[nodiscard]] inline std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

/// The shortest text that reads back as `v` ("null" if none: not finite).
[[nodiscard]] inline std::string json_number(double v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : "null";
}

/// Appends `s` as one CSV field: quoted (quotes doubled) only when it holds a comma, quote or line end.
inline void append_csv_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

[[nodiscard]] inline std::string quoted_day(const std::optional<local_day>& d) {
  if (!d) return "null";
  std::string out = "\"";
  out += format_day(*d);
  out += '"';
  return out;
}

[[nodiscard]] inline std::string percent(const rate& r) {
  if (r.empty()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f %%", 100.0 * r.value());
  return buf;
}

[[nodiscard]] inline std::string target_text(const target& t) {
  constexpr std::string_view symbols[] = {"< ", "<= ", "> ", ">= "};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g %%", 100.0 * t.value.value());
  std::string out(symbols[static_cast<int>(t.when)]);
  out += buf;
  return out;
}

[[nodiscard]] inline std::string day_span(const day_range& r) {
  std::string out = format_day(r.from);
  out += "..";
  out += format_day(r.to);
  return out;
}

[[nodiscard]] inline std::string counts_text(const rate& r) {
  std::string out = std::to_string(r.numerator);
  out += '/';
  out += std::to_string(r.denominator);
  return out;
}

/// Rows of cells as columns two spaces apart, each as wide as its widest cell; no trailing blanks.
inline void print_columns(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < r.size(); ++c) {
      line += r[c];
      if (c + 1 < r.size()) line.append(width[c] - r[c].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  }
}

/// "Qoo10" for the rules "qoo10.monthly_warning" and "qoo10.quarterly": the platforms named by the
/// rules' id prefixes, first letter in upper case, in order of appearance, joined by " and ".
[[nodiscard]] inline std::string platforms_of(const std::vector<std::string>& rules) {
  std::vector<std::string> names;
  for (const std::string_view rule : rules) {
    std::string name(rule.substr(0, rule.find('.')));
    if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
  }
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += " and ";
    out += n;
  }
  return out;
}

}  // namespace sellerhealth::detail
