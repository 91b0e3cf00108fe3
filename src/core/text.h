#pragma once
// Strings from the wire are hostile: before they reach a terminal, a log or JSON, control
// characters and invalid UTF-8 are replaced by visible escapes, and length is capped.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/cursor.h"

namespace rustnet::core {

// Decodes the UTF-8 sequence starting at s[i] and moves i past it. An invalid, overlong,
// surrogate or cut sequence yields U+FFFD and moves i by one byte only.
char32_t decodeUtf8(std::string_view s, std::size_t& i);

// Named cap on any single string kept from a packet (host names, banners, user agents).
inline constexpr std::size_t kMaxWireString = 256;

// Returns `raw` with C0/C1 controls, DEL and bytes that are not valid UTF-8 written as
// \xHH (and backslash as \\), so the result is printable UTF-8. Keeps valid multi-byte
// UTF-8 (names in other scripts stay readable).
std::string escapeControl(std::string_view raw);
inline std::string escapeControl(Bytes raw) {
  return escapeControl(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}
// Appends escapeControl(raw) to `out` without a temporary (hot output paths reuse `out`).
void appendEscaped(std::string& out, std::string_view raw);
// Appends escapeControl(raw) JSON-escaped, i.e. the inside of a JSON string literal whose
// value is escapeControl(raw): '"' becomes \" and every backslash is doubled (so a wire
// backslash is four characters and an escape \xHH reads \\xHH in the JSON text).
void appendEscapedJson(std::string& out, std::string_view raw);
// Most output bytes one input byte can become: \xHH, and \\xHH in the JSON form.
inline constexpr std::size_t kMaxEscapedPerByte = 4;
inline constexpr std::size_t kMaxEscapedJsonPerByte = 5;
// appendEscapedJson into raw memory: writes at `dst`, which must have room for
// kMaxEscapedJsonPerByte * raw.size() bytes, and returns the end of what it wrote.
char* writeEscapedJson(char* dst, std::string_view raw);

// Copies at most `cap` bytes of `raw` (never splitting a UTF-8 sequence), without escaping:
// for facts kept on a connection, which are escaped at the edge where they are shown.
std::string capWireString(std::string_view raw, std::size_t cap = kMaxWireString);

}  // namespace rustnet::core
