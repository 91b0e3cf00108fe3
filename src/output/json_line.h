#pragma once
// Builds one JSON object on one line, fast and without a DOM. Keys are ours (plain ASCII);
// values from the wire go through wire(), which first escapes control characters and
// invalid UTF-8 (core::escapeControl) so that nothing from a packet reaches a consumer raw.
#include <cstdint>
#include <string>
#include <string_view>

namespace rustnet::output {

class JsonLine {
public:
  JsonLine() { buf_.reserve(512); buf_ += '{'; }

  JsonLine& str(std::string_view key, std::string_view value);    // our own text
  JsonLine& wire(std::string_view key, std::string_view value);   // text from a packet
  JsonLine& num(std::string_view key, std::uint64_t value);
  JsonLine& num(std::string_view key, std::int64_t value);
  JsonLine& num(std::string_view key, double value);
  JsonLine& boolean(std::string_view key, bool value);
  JsonLine& null(std::string_view key);
  // An already-encoded JSON value (array or object) built by another JsonLine or helper.
  JsonLine& raw(std::string_view key, std::string_view json);

  // Finishes the object and returns it with a trailing newline.
  std::string finish();

  // JSON string literal (with quotes) of `s`; `s` must already be valid UTF-8.
  static void appendQuoted(std::string& out, std::string_view s);

private:
  void key(std::string_view k);
  std::string buf_;
  bool first_ = true;
};

}  // namespace rustnet::output
