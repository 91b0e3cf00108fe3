#include "core/text.h"

#include <cstdint>

namespace rustnet::core {

namespace {
// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one.
std::size_t utf8SeqLen(std::string_view s, std::size_t i) {
  const auto c = static_cast<std::uint8_t>(s[i]);
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<std::uint8_t>(s[i + k]);
    if ((cc & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3f);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff))) return 0;
  if (cp >= 0xd800 && cp <= 0xdfff) return 0;
  // C1 controls (U+0080..U+009F) are encoded with two bytes and must be escaped too.
  if (cp >= 0x80 && cp <= 0x9f) return 0;
  // Bidirectional overrides can disguise text on a terminal.
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return 0;
  return len;
}
}  // namespace

std::string escapeControl(std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size();) {
    const auto c = static_cast<std::uint8_t>(raw[i]);
    if (c >= 0x20 && c < 0x7f) {
      if (c == '\\') out += '\\';
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (c >= 0x80) {
      if (std::size_t len = utf8SeqLen(raw, i); len > 0) {
        out.append(raw.substr(i, len));
        i += len;
        continue;
      }
    }
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
    ++i;
  }
  return out;
}

std::string capWireString(std::string_view raw, std::size_t cap) {
  if (raw.size() <= cap) return std::string(raw);
  std::size_t end = cap;
  // Step back over continuation bytes so a multi-byte character is not cut in half.
  while (end > 0 && (static_cast<std::uint8_t>(raw[end]) & 0xc0) == 0x80) --end;
  return std::string(raw.substr(0, end));
}

}  // namespace rustnet::core
