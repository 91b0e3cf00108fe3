#include "core/text.h"

#include <array>
#include <cstdint>

namespace rustnet::core {

namespace {
// Decoded code points that must still be escaped: C1 controls (U+0080..U+009F) and the
// bidirectional overrides and isolates, which can disguise text on a terminal.
bool unsafeCodePoint(char32_t cp) {
  return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}
}  // namespace

char32_t decodeUtf8(std::string_view s, std::size_t& i) {
  const auto c = static_cast<std::uint8_t>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  std::size_t len = 0;
  char32_t cp = 0;
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
    ++i;
    return 0xfffd;
  }
  if (i + len > s.size()) {
    ++i;
    return 0xfffd;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<std::uint8_t>(s[i + k]);
    if ((cc & 0xc0) != 0x80) {
      ++i;
      return 0xfffd;
    }
    cp = (cp << 6) | (cc & 0x3f);
  }
  const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  if (overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    ++i;
    return 0xfffd;
  }
  i += len;
  return cp;
}

namespace {
// Bytes copied as they are: printable ASCII except the backslash (and, inside JSON, the
// quote). Everything else takes the slow path below.
template <bool Json>
constexpr std::array<bool, 256> makePlainTable() {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x7f; ++c) t[static_cast<std::size_t>(c)] = c != '\\' && !(Json && c == '"');
  return t;
}
template <bool Json>
constexpr std::array<bool, 256> kPlain = makePlainTable<Json>();

// One scan: runs of plain bytes and valid, safe UTF-8 are appended in one piece; only the
// bytes that need an escape are handled one at a time. Same output as the historical
// byte-at-a-time loop (tests compare the two on random input).
template <bool Json>
void appendEscapedImpl(std::string& out, std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto* const data = raw.data();
  const std::size_t n = raw.size();
  std::size_t runStart = 0;
  std::size_t i = 0;
  while (i < n) {
    const auto c = static_cast<std::uint8_t>(data[i]);
    if (kPlain<Json>[c]) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      // A valid sequence is at least two bytes; an invalid one advances by one.
      std::size_t next = i;
      if (const char32_t cp = decodeUtf8(raw, next); next - i >= 2 && !unsafeCodePoint(cp)) {
        i = next;
        continue;
      }
    }
    if (i > runStart) out.append(data + runStart, i - runStart);
    if (c == '\\') {
      out.append(Json ? "\\\\\\\\" : "\\\\", Json ? 4 : 2);
    } else if (Json && c == '"') {
      out.append("\\\"", 2);
    } else {
      const char esc[5] = {'\\', '\\', 'x', kHex[c >> 4], kHex[c & 0xf]};
      out.append(Json ? esc : esc + 1, Json ? 5 : 4);
    }
    ++i;
    runStart = i;
  }
  if (n > runStart) out.append(data + runStart, n - runStart);
}
}  // namespace

void appendEscaped(std::string& out, std::string_view raw) { appendEscapedImpl<false>(out, raw); }

void appendEscapedJson(std::string& out, std::string_view raw) { appendEscapedImpl<true>(out, raw); }

std::string escapeControl(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  appendEscaped(out, raw);
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
