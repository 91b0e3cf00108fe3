#pragma once
// Builds one JSON object on one line, fast and without a DOM. Keys are ours (plain ASCII);
// values from the wire go through wire(), which first escapes control characters and
// invalid UTF-8 (core::escapeControl) so that nothing from a packet reaches a consumer raw.
//
// A JsonLine either owns its text (finish() returns it) or appends to a caller's buffer
// (end() closes the object there): the event writer reuses one buffer for a whole batch, so
// a line costs no allocation once that buffer has grown.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ip_addr.h"
#include "core/time.h"

namespace rustnet::output {

class JsonLine {
public:
  JsonLine() : out_(&own_) {
    own_.reserve(512);
    own_ += '{';
  }
  // Appends the object to `out`, after what is already there.
  explicit JsonLine(std::string& out) : out_(&out) { out += '{'; }
  JsonLine(const JsonLine&) = delete;
  JsonLine& operator=(const JsonLine&) = delete;

  JsonLine& str(std::string_view key, std::string_view value);    // our own text
  JsonLine& wire(std::string_view key, std::string_view value);   // text from a packet
  JsonLine& num(std::string_view key, std::uint64_t value);
  JsonLine& num(std::string_view key, std::int64_t value);
  JsonLine& num(std::string_view key, double value);
  JsonLine& boolean(std::string_view key, bool value);
  JsonLine& null(std::string_view key);
  // An already-encoded JSON value (array or object) built by another JsonLine or helper.
  JsonLine& raw(std::string_view key, std::string_view json);
  // The same text str() would write for toRfc3339(t) / addr.toString(), without temporaries.
  JsonLine& time(std::string_view key, core::Timestamp t);
  JsonLine& ip(std::string_view key, const core::IpAddr& addr);
  // "0x" and `digits` lower-case hex digits of `value`, as a string (e.g. tls_cipher).
  JsonLine& hex(std::string_view key, std::uint64_t value, int digits);

  // An array of strings: beginArray, then elements (escaped like wire()), then endArray.
  JsonLine& beginArray(std::string_view key);
  JsonLine& element(std::string_view wireValue);
  JsonLine& element(const core::IpAddr& addr);
  JsonLine& endArray();

  // Closes the object and ends the line in the buffer given to the constructor.
  void end() { *out_ += "}\n"; }
  // Finishes an owned object and returns it with a trailing newline.
  std::string finish();

  // JSON string literal (with quotes) of `s`; `s` must already be valid UTF-8.
  static void appendQuoted(std::string& out, std::string_view s);
  // Appends the address as IpAddr::toString() writes it.
  static void appendIp(std::string& out, const core::IpAddr& addr);

private:
  void key(std::string_view k);
  void comma(bool& first) {
    if (!first) *out_ += ',';
    first = false;
  }
  std::string own_;
  std::string* out_;
  bool first_ = true;
  bool firstElement_ = true;
};

}  // namespace rustnet::output
