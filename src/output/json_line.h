#pragma once
// Builds one JSON object on one line, fast and without a DOM. Keys are ours (plain ASCII);
// values from the wire go through wire(), which first escapes control characters and
// invalid UTF-8 (core::escapeControl) so that nothing from a packet reaches a consumer raw.
//
// A JsonLine either owns its text (finish() returns it) or appends to a caller's buffer
// (end() closes the object there): the event writer reuses one buffer for a whole batch, so
// a line costs no allocation once that buffer has grown. While a line is open the buffer
// holds some scratch room past the text; end() or the destructor trims it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ip_addr.h"
#include "core/time.h"

namespace rustnet::output {

// A key. A string literal is checked when compiling (no character JSON would escape) and
// then copied as it is; a key made at run time is quoted like any other string.
class JsonKey {
public:
  template <std::size_t N>
  consteval JsonKey(const char (&literal)[N]) : text_(literal, N - 1), plain_(true) {
    for (const char c : text_) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        throw "a JSON key literal must not need escaping";
      }
    }
  }
  JsonKey(std::string_view runtime) : text_(runtime), plain_(false) {}
  // A key made elsewhere from constants that need no escaping (the DPI fields' keys, which
  // tests/dpi/facts_test.cpp holds to [a-z0-9_]): copied as it is, like a literal.
  static constexpr JsonKey plain(std::string_view trusted) { return JsonKey(trusted, true); }

  [[nodiscard]] constexpr std::string_view text() const { return text_; }
  [[nodiscard]] constexpr bool plain() const { return plain_; }

private:
  constexpr JsonKey(std::string_view text, bool plain) : text_(text), plain_(plain) {}
  std::string_view text_;
  bool plain_;
};

class JsonLine {
public:
  JsonLine() : out_(&own_) {
    own_.reserve(512);
    open();
  }
  // Appends the object to `out`, after what is already there.
  explicit JsonLine(std::string& out) : out_(&out) { open(); }
  JsonLine(const JsonLine&) = delete;
  JsonLine& operator=(const JsonLine&) = delete;
  ~JsonLine() { trim(); }

  JsonLine& str(JsonKey key, std::string_view value);    // our own text
  JsonLine& wire(JsonKey key, std::string_view value);   // text from a packet
  JsonLine& num(JsonKey key, std::uint64_t value);
  JsonLine& num(JsonKey key, std::int64_t value);
  JsonLine& num(JsonKey key, double value);
  JsonLine& boolean(JsonKey key, bool value);
  JsonLine& null(JsonKey key);
  // An already-encoded JSON value (array or object) built by another JsonLine or helper.
  JsonLine& raw(JsonKey key, std::string_view json);
  // The same text str() would write for toRfc3339(t) / addr.toString(), without temporaries.
  JsonLine& time(JsonKey key, core::Timestamp t);
  JsonLine& ip(JsonKey key, const core::IpAddr& addr);
  // "0x" and at least `digits` lower-case hex digits of `value`, as fmt's "0x{:0Nx}".
  JsonLine& hex(JsonKey key, std::uint64_t value, int digits);

  // An array of strings: beginArray, then elements (escaped like wire()), then endArray.
  JsonLine& beginArray(JsonKey key);
  JsonLine& element(std::string_view wireValue);
  JsonLine& element(const core::IpAddr& addr);
  JsonLine& endArray();

  // Closes the object and ends the line in the buffer given to the constructor.
  void end();
  // Finishes an owned object (default constructor) and returns it with a trailing newline.
  std::string finish();

  // JSON string literal (with quotes) of `s`; `s` must already be valid UTF-8.
  static void appendQuoted(std::string& out, std::string_view s);

private:
  void open();
  void trim();
  // Makes room for `n` more bytes at p_.
  char* room(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) grow(n);
    return p_;
  }
  void grow(std::size_t n);
  void key(const JsonKey& k);
  void comma(bool& first) {
    if (!first) *p_++ = ',';
    first = false;
  }
  void quotedWire(std::string_view value);

  std::string own_;
  std::string* out_;
  char* p_ = nullptr;    // write position inside *out_
  char* end_ = nullptr;  // end of the room in *out_
  bool open_ = false;
  bool first_ = true;
  bool firstElement_ = true;
};

}  // namespace rustnet::output
