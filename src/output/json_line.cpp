#include "output/json_line.h"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstring>

#include "core/text.h"

namespace rustnet::output {

namespace {
constexpr char kHex[] = "0123456789abcdef";
// Scratch room made when a line opens; a line that needs more grows its buffer.
constexpr std::size_t kLineRoom = 512;
// Longest texts of the fixed-size values: "-9223372036854775808", fmt's shortest double
// ("-2.2250738585072014e-308"), an IPv6 address with an embedded IPv4 one.
constexpr std::size_t kMaxNumber = 32;
constexpr std::size_t kMaxIp = core::IpAddr::kMaxText;

// Bytes appendQuoted copies unchanged: everything but controls, DEL, '"' and '\'.
constexpr std::array<bool, 256> makeQuotePlain() {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x100; ++c) t[static_cast<std::size_t>(c)] = c != '"' && c != '\\' && c != 0x7f;
  return t;
}
constexpr std::array<bool, 256> kQuotePlain = makeQuotePlain();

// appendQuoted's escaping (without the quotes) at `p`, which has room for 6 bytes per byte.
char* writeQuotedBody(char* p, std::string_view s) {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (kQuotePlain[c]) {
      *p++ = ch;
      continue;
    }
    *p++ = '\\';
    switch (c) {
      case '"': *p++ = '"'; break;
      case '\\': *p++ = '\\'; break;
      case '\n': *p++ = 'n'; break;
      case '\r': *p++ = 'r'; break;
      case '\t': *p++ = 't'; break;
      default:
        *p++ = 'u';
        *p++ = '0';
        *p++ = '0';
        *p++ = kHex[c >> 4];
        *p++ = kHex[c & 0xf];
    }
  }
  return p;
}

// Keys are 3 to 30 bytes: two overlapping fixed-size copies beat a call to memcpy.
void copyKey(char* dst, const char* src, std::size_t n) {
  if (n >= 8 && n <= 16) {
    std::uint64_t a;
    std::uint64_t b;
    std::memcpy(&a, src, 8);
    std::memcpy(&b, src + n - 8, 8);
    std::memcpy(dst, &a, 8);
    std::memcpy(dst + n - 8, &b, 8);
  } else if (n >= 4 && n < 8) {
    std::uint32_t a;
    std::uint32_t b;
    std::memcpy(&a, src, 4);
    std::memcpy(&b, src + n - 4, 4);
    std::memcpy(dst, &a, 4);
    std::memcpy(dst + n - 4, &b, 4);
  } else if (n > 16 && n <= 32) {
    char a[16];
    char b[16];
    std::memcpy(a, src, 16);
    std::memcpy(b, src + n - 16, 16);
    std::memcpy(dst, a, 16);
    std::memcpy(dst + n - 16, b, 16);
  } else {
    std::memcpy(dst, src, n);
  }
}

constexpr std::array<char, 200> makeDigitPairs() {
  std::array<char, 200> t{};
  for (std::size_t v = 0; v < 100; ++v) {
    t[2 * v] = static_cast<char>('0' + v / 10);
    t[2 * v + 1] = static_cast<char>('0' + v % 10);
  }
  return t;
}
constexpr std::array<char, 200> kDigitPairs = makeDigitPairs();

char* writeU64(char* p, std::uint64_t v) {
  std::size_t n = 1;
  for (std::uint64_t bound = 10; n < 20 && v >= bound; bound *= 10) ++n;
  char* const end = p + n;
  char* q = end;
  while (v >= 100) {
    q -= 2;
    std::memcpy(q, &kDigitPairs[2 * (v % 100)], 2);
    v /= 100;
  }
  if (v >= 10) {
    std::memcpy(q - 2, &kDigitPairs[2 * v], 2);
  } else {
    q[-1] = static_cast<char>('0' + v);
  }
  return end;
}

char* writeI64(char* p, std::int64_t v) {
  if (v >= 0) return writeU64(p, static_cast<std::uint64_t>(v));
  *p++ = '-';
  return writeU64(p, ~static_cast<std::uint64_t>(v) + 1);  // also right for INT64_MIN
}

}  // namespace

void JsonLine::appendQuoted(std::string& out, std::string_view s) {
  const std::size_t old = out.size();
  out.resize(old + 6 * s.size() + 2);
  char* p = out.data() + old;
  *p++ = '"';
  p = writeQuotedBody(p, s);
  *p++ = '"';
  out.resize(static_cast<std::size_t>(p - out.data()));
}

void JsonLine::open() {
  const std::size_t used = out_->size();
  out_->resize(used + kLineRoom);
  p_ = out_->data() + used;
  end_ = out_->data() + out_->size();
  open_ = true;
  first_ = true;
  *p_++ = '{';
}

void JsonLine::trim() {
  if (!open_) return;
  out_->resize(static_cast<std::size_t>(p_ - out_->data()));
  open_ = false;
}

void JsonLine::grow(std::size_t n) {
  const auto used = static_cast<std::size_t>(p_ - out_->data());
  // Only the new room is cleared; the string's own reallocation is geometric.
  out_->resize(used + n + kLineRoom);
  p_ = out_->data() + used;
  end_ = out_->data() + out_->size();
}

void JsonLine::key(const JsonKey& k) {
  const std::string_view t = k.text();
  char* p = room(t.size() * 6 + 4);  // ,"key":
  if (!first_) *p++ = ',';
  first_ = false;
  *p++ = '"';
  if (k.plain()) {
    copyKey(p, t.data(), t.size());
    p += t.size();
  } else {
    p = writeQuotedBody(p, t);
  }
  *p++ = '"';
  *p++ = ':';
  p_ = p;
}

void JsonLine::quotedWire(std::string_view value) {
  char* p = room(value.size() * core::kMaxEscapedJsonPerByte + 2);
  *p++ = '"';
  p = core::writeEscapedJson(p, value);
  *p++ = '"';
  p_ = p;
}

JsonLine& JsonLine::str(JsonKey k, std::string_view value) {
  // Our own strings are ASCII; escape anyway so a mistake cannot produce invalid JSON.
  return wire(k, value);
}

JsonLine& JsonLine::wire(JsonKey k, std::string_view value) {
  key(k);
  quotedWire(value);
  return *this;
}

JsonLine& JsonLine::num(JsonKey k, std::uint64_t value) {
  key(k);
  p_ = writeU64(room(kMaxNumber), value);
  return *this;
}

JsonLine& JsonLine::num(JsonKey k, std::int64_t value) {
  key(k);
  p_ = writeI64(room(kMaxNumber), value);
  return *this;
}

JsonLine& JsonLine::num(JsonKey k, double value) {
  key(k);
  char* p = room(kMaxNumber);
  if (!std::isfinite(value)) {
    std::memcpy(p, "null", 4);
    p_ = p + 4;
  } else {
    // The shortest text that reads back as `value`, as fmt's "{}" writes it.
    p_ = fmt::format_to(p, FMT_COMPILE("{}"), value);
  }
  return *this;
}

JsonLine& JsonLine::boolean(JsonKey k, bool value) {
  key(k);
  char* p = room(5);
  if (value) {
    std::memcpy(p, "true", 4);
    p_ = p + 4;
  } else {
    std::memcpy(p, "false", 5);
    p_ = p + 5;
  }
  return *this;
}

JsonLine& JsonLine::null(JsonKey k) {
  key(k);
  std::memcpy(room(4), "null", 4);
  p_ += 4;
  return *this;
}

JsonLine& JsonLine::raw(JsonKey k, std::string_view json) {
  key(k);
  std::memcpy(room(json.size()), json.data(), json.size());
  p_ += json.size();
  return *this;
}

JsonLine& JsonLine::time(JsonKey k, core::Timestamp t) {
  key(k);
  char* p = room(core::kRfc3339Size + 2);
  *p++ = '"';
  p = core::writeRfc3339(p, t);  // digits and separators only: nothing to escape
  *p++ = '"';
  p_ = p;
  return *this;
}

JsonLine& JsonLine::ip(JsonKey k, const core::IpAddr& addr) {
  key(k);
  char* p = room(kMaxIp + 2);
  *p++ = '"';
  p = addr.writeText(p);  // digits, hex, '.' and ':' only: nothing to escape
  *p++ = '"';
  p_ = p;
  return *this;
}

JsonLine& JsonLine::hex(JsonKey k, std::uint64_t value, int digits) {
  key(k);
  int width = 1;
  while (width < 16 && (value >> (4 * width)) != 0) ++width;
  if (digits > width) width = digits > 16 ? 16 : digits;
  char* p = room(20);
  *p++ = '"';
  *p++ = '0';
  *p++ = 'x';
  for (int d = width - 1; d >= 0; --d) *p++ = kHex[(value >> (4 * d)) & 0xf];
  *p++ = '"';
  p_ = p;
  return *this;
}

JsonLine& JsonLine::beginArray(JsonKey k) {
  key(k);
  *room(1) = '[';
  ++p_;
  firstElement_ = true;
  return *this;
}

JsonLine& JsonLine::element(std::string_view wireValue) {
  room(1);
  comma(firstElement_);
  quotedWire(wireValue);
  return *this;
}

JsonLine& JsonLine::element(const core::IpAddr& addr) {
  room(kMaxIp + 3);
  comma(firstElement_);
  char* p = p_;
  *p++ = '"';
  p = addr.writeText(p);
  *p++ = '"';
  p_ = p;
  return *this;
}

JsonLine& JsonLine::endArray() {
  *room(1) = ']';
  ++p_;
  return *this;
}

void JsonLine::end() {
  char* p = room(2);
  p[0] = '}';
  p[1] = '\n';
  p_ = p + 2;
  trim();
}

std::string JsonLine::finish() {
  end();
  return std::move(*out_);
}

}  // namespace rustnet::output
