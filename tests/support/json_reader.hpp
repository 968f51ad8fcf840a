// A minimal JSON reader for the tests that check documents the library and the command write
// (test_cli, test_report): objects, arrays, strings with the escapes those documents use, numbers,
// true, false and null; it throws `std::runtime_error` on anything else.
//
//   const json_support::json doc = json_support::parse_json(text);
//   EXPECT_EQ(doc["sellers"][0]["seller_id"].str(), "S1");
#pragma once

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace json_support {

struct json {
  enum class kind { null, boolean, number, string, array, object };
  kind type = kind::null;
  bool boolean = false;
  double number = 0;
  std::string text;
  std::vector<json> items;        // an array's items, or an object's values
  std::vector<std::string> keys;  // an object's keys, parallel to `items`

  [[nodiscard]] bool has(std::string_view key) const { return std::find(keys.begin(), keys.end(), key) != keys.end(); }
  [[nodiscard]] const json& operator[](std::string_view key) const {
    if (type != kind::object) throw std::runtime_error("not an object (looking up '" + std::string(key) + "')");
    const auto at = std::find(keys.begin(), keys.end(), key);
    if (at == keys.end()) throw std::runtime_error("no key '" + std::string(key) + "'");
    return items[static_cast<std::size_t>(at - keys.begin())];
  }
  [[nodiscard]] const json& operator[](std::size_t i) const {
    if (type != kind::array) throw std::runtime_error("not an array");
    return items.at(i);
  }
  [[nodiscard]] std::size_t size() const { return items.size(); }
  [[nodiscard]] bool is_null() const { return type == kind::null; }
  [[nodiscard]] const std::string& str() const {
    if (type != kind::string) throw std::runtime_error("not a string");
    return text;
  }
  [[nodiscard]] double num() const {
    if (type != kind::number) throw std::runtime_error("not a number");
    return number;
  }
};

class json_reader {
 public:
  explicit json_reader(std::string_view s) : s_(s) {}
  json document() {
    json v = value();
    skip_space();
    if (pos_ != s_.size()) fail("text after the document");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("JSON: " + what + " at offset " + std::to_string(pos_));
  }
  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t')) ++pos_;
  }
  bool take(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  void expect(char c) {
    skip_space();
    if (pos_ >= s_.size() || s_[pos_] != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  json value() {
    skip_space();
    if (pos_ >= s_.size()) fail("unexpected end");
    json v;
    const char c = s_[pos_];
    if (take("null")) return v;
    if (take("true") || take("false")) {
      v.type = json::kind::boolean;
      v.boolean = s_[pos_ - 1] == 'e' && s_[pos_ - 2] == 'u';
      return v;
    }
    if (c == '"') {
      v.type = json::kind::string;
      v.text = string();
      return v;
    }
    if (c == '[') {
      ++pos_;
      v.type = json::kind::array;
      skip_space();
      if (pos_ < s_.size() && s_[pos_] == ']') {
        ++pos_;
        return v;
      }
      for (;;) {
        v.items.push_back(value());
        skip_space();
        if (pos_ < s_.size() && s_[pos_] == ',') {
          ++pos_;
          continue;
        }
        expect(']');
        return v;
      }
    }
    if (c == '{') {
      ++pos_;
      v.type = json::kind::object;
      skip_space();
      if (pos_ < s_.size() && s_[pos_] == '}') {
        ++pos_;
        return v;
      }
      for (;;) {
        skip_space();
        if (pos_ >= s_.size() || s_[pos_] != '"') fail("expected a key");
        v.keys.push_back(string());
        expect(':');
        v.items.push_back(value());
        skip_space();
        if (pos_ < s_.size() && s_[pos_] == ',') {
          ++pos_;
          continue;
        }
        expect('}');
        return v;
      }
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      const std::size_t start = pos_;
      while (pos_ < s_.size() && std::string_view("+-0123456789.eE").find(s_[pos_]) != std::string_view::npos) ++pos_;
      const std::string number(s_.substr(start, pos_ - start));
      char* end = nullptr;
      v.type = json::kind::number;
      v.number = std::strtod(number.c_str(), &end);
      if (end != number.c_str() + number.size()) fail("bad number '" + number + "'");
      return v;
    }
    fail(std::string("unexpected '") + c + "'");
  }
  std::string string() {
    ++pos_;  // the opening quote
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
      if (c == '\\') {
        if (pos_ >= s_.size()) fail("unterminated escape");
        c = s_[pos_++];
        switch (c) {
          case '"':
          case '\\':
          case '/': out += c; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            if (pos_ + 4 > s_.size()) fail("short \\u escape");
            const unsigned code = static_cast<unsigned>(std::stoul(std::string(s_.substr(pos_, 4)), nullptr, 16));
            pos_ += 4;
            if (code >= 0x80) fail("non-ASCII \\u escape (not needed by these tests)");
            out += static_cast<char>(code);
            break;
          }
          default: fail("bad escape");
        }
      } else {
        out += c;
      }
    }
    if (pos_ >= s_.size()) fail("unterminated string");
    ++pos_;
    return out;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

inline json parse_json(std::string_view text) { return json_reader(text).document(); }

}  // namespace json_support
