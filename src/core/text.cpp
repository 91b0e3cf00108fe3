#include "core/text.h"

#include <array>
#include <cstdint>
#include <cstring>

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

constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kHighs = 0x8080808080808080ull;
constexpr std::uint64_t hasZeroByte(std::uint64_t w) { return (w - kOnes) & ~w & kHighs; }

// True when all eight bytes of `w` are plain (kPlain): none below 0x20, none from 0x7f up,
// no backslash and, for JSON, no quote. Only the yes/no answer is exact, which is all the
// caller uses.
template <bool Json>
constexpr bool allPlain(std::uint64_t w) {
  const std::uint64_t low = (w - kOnes * 0x20) & ~w & kHighs;  // a byte below 0x20
  const std::uint64_t high = ((w + kOnes) | w) & kHighs;         // a byte from 0x7f up
  std::uint64_t special = hasZeroByte(w ^ (kOnes * '\\'));
  if constexpr (Json) special |= hasZeroByte(w ^ (kOnes * '"'));
  return (low | high | special) == 0;
}

// Copies plain text eight bytes at a time and valid, safe UTF-8 as it is; only the bytes
// that need an escape take the slow path. Same output as the historical byte-at-a-time
// loop (tests compare the two on random input).
template <bool Json>
char* writeEscapedImpl(char* dst, std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char* const data = raw.data();
  const std::size_t n = raw.size();
  std::size_t i = 0;
  // The output written since input byte `copiedFrom` is a byte-for-byte copy of the input,
  // so a short tail can be finished with one overlapping 8-byte copy of the last 8 bytes.
  std::size_t copiedFrom = 0;
  for (;;) {
    for (std::uint64_t w; n - i >= 8; i += 8, dst += 8) {
      std::memcpy(&w, data + i, 8);
      if (!allPlain<Json>(w)) break;
      std::memcpy(dst, &w, 8);
    }
    if (n - i < 8 && n >= 8 && n - 8 >= copiedFrom) {
      std::uint64_t w;
      std::memcpy(&w, data + n - 8, 8);
      if (allPlain<Json>(w)) {
        std::memcpy(dst - (i - (n - 8)), &w, 8);
        return dst + (n - i);
      }
    }
    while (i < n && kPlain<Json>[static_cast<std::uint8_t>(data[i])]) *dst++ = data[i++];
    if (i == n) return dst;
    const auto c = static_cast<std::uint8_t>(data[i]);
    if (c >= 0x80) {
      // A valid sequence is at least two bytes; an invalid one advances by one.
      std::size_t next = i;
      if (const char32_t cp = decodeUtf8(raw, next); next - i >= 2 && !unsafeCodePoint(cp)) {
        for (; i < next; ++i) *dst++ = data[i];
        continue;
      }
    }
    if (c == '\\') {
      *dst++ = '\\';
      *dst++ = '\\';
      if constexpr (Json) {
        *dst++ = '\\';
        *dst++ = '\\';
      }
    } else if (Json && c == '"') {
      *dst++ = '\\';
      *dst++ = '"';
    } else {
      if constexpr (Json) *dst++ = '\\';
      *dst++ = '\\';
      *dst++ = 'x';
      *dst++ = kHex[c >> 4];
      *dst++ = kHex[c & 0xf];
    }
    ++i;
    copiedFrom = i;
  }
}

template <bool Json>
void appendEscapedImpl(std::string& out, std::string_view raw) {
  const std::size_t old = out.size();
  out.resize(old + raw.size() * (Json ? kMaxEscapedJsonPerByte : kMaxEscapedPerByte));
  char* const end = writeEscapedImpl<Json>(out.data() + old, raw);
  out.resize(static_cast<std::size_t>(end - out.data()));
}
}  // namespace

char* writeEscapedJson(char* dst, std::string_view raw) { return writeEscapedImpl<true>(dst, raw); }

void appendEscaped(std::string& out, std::string_view raw) { appendEscapedImpl<false>(out, raw); }

void appendEscapedJson(std::string& out, std::string_view raw) { appendEscapedImpl<true>(out, raw); }

std::string escapeControl(std::string_view raw) {
  std::string out;
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
