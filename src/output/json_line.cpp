#include "output/json_line.h"

#include <fmt/format.h>

#include <cmath>

#include "core/text.h"

namespace rustnet::output {

void JsonLine::appendQuoted(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void JsonLine::key(std::string_view k) {
  if (!first_) buf_ += ',';
  first_ = false;
  appendQuoted(buf_, k);
  buf_ += ':';
}

JsonLine& JsonLine::str(std::string_view k, std::string_view value) {
  key(k);
  // Our own strings are ASCII; escape anyway so a mistake cannot produce invalid JSON.
  appendQuoted(buf_, core::escapeControl(value));
  return *this;
}

JsonLine& JsonLine::wire(std::string_view k, std::string_view value) {
  key(k);
  appendQuoted(buf_, core::escapeControl(value));
  return *this;
}

JsonLine& JsonLine::num(std::string_view k, std::uint64_t value) {
  key(k);
  fmt::format_to(std::back_inserter(buf_), "{}", value);
  return *this;
}

JsonLine& JsonLine::num(std::string_view k, std::int64_t value) {
  key(k);
  fmt::format_to(std::back_inserter(buf_), "{}", value);
  return *this;
}

JsonLine& JsonLine::num(std::string_view k, double value) {
  key(k);
  if (!std::isfinite(value)) {
    buf_ += "null";
  } else {
    fmt::format_to(std::back_inserter(buf_), "{}", value);
  }
  return *this;
}

JsonLine& JsonLine::boolean(std::string_view k, bool value) {
  key(k);
  buf_ += value ? "true" : "false";
  return *this;
}

JsonLine& JsonLine::null(std::string_view k) {
  key(k);
  buf_ += "null";
  return *this;
}

JsonLine& JsonLine::raw(std::string_view k, std::string_view json) {
  key(k);
  buf_ += json;
  return *this;
}

std::string JsonLine::finish() {
  buf_ += "}\n";
  return std::move(buf_);
}

}  // namespace rustnet::output
