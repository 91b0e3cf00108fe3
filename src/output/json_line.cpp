#include "output/json_line.h"

#include <arpa/inet.h>
#include <fmt/compile.h>
#include <fmt/format.h>

#include <array>
#include <cmath>

#include "core/text.h"

namespace rustnet::output {

namespace {
constexpr char kHex[] = "0123456789abcdef";

// Bytes appendQuoted copies unchanged: everything but controls, DEL, '"' and '\'.
constexpr std::array<bool, 256> makeQuotePlain() {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x100; ++c) t[static_cast<std::size_t>(c)] = c != '"' && c != '\\' && c != 0x7f;
  return t;
}
constexpr std::array<bool, 256> kQuotePlain = makeQuotePlain();

void appendOctet(std::string& out, unsigned v) {
  char b[3];
  std::size_t n = 0;
  if (v >= 100) b[n++] = static_cast<char>('0' + v / 100);
  if (v >= 10) b[n++] = static_cast<char>('0' + v / 10 % 10);
  b[n++] = static_cast<char>('0' + v % 10);
  out.append(b, n);
}
}  // namespace

void JsonLine::appendQuoted(std::string& out, std::string_view s) {
  out += '"';
  std::size_t runStart = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (kQuotePlain[c]) continue;
    out.append(s.data() + runStart, i - runStart);
    runStart = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
        out.append(esc, sizeof esc);
      }
    }
  }
  out.append(s.data() + runStart, s.size() - runStart);
  out += '"';
}

void JsonLine::appendIp(std::string& out, const core::IpAddr& addr) {
  if (addr.isV4()) {
    const auto& b = addr.bytes();
    for (int k = 12; k < 16; ++k) {
      if (k > 12) out += '.';
      appendOctet(out, b[static_cast<std::size_t>(k)]);
    }
    return;
  }
  // glibc's text for IPv6 (zero compression, embedded IPv4), so it matches toString().
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, addr.bytes().data(), buf, sizeof buf);
  out += buf;
}

void JsonLine::key(std::string_view k) {
  comma(first_);
  appendQuoted(*out_, k);
  *out_ += ':';
}

JsonLine& JsonLine::str(std::string_view k, std::string_view value) {
  // Our own strings are ASCII; escape anyway so a mistake cannot produce invalid JSON.
  return wire(k, value);
}

JsonLine& JsonLine::wire(std::string_view k, std::string_view value) {
  key(k);
  *out_ += '"';
  core::appendEscapedJson(*out_, value);
  *out_ += '"';
  return *this;
}

JsonLine& JsonLine::num(std::string_view k, std::uint64_t value) {
  key(k);
  const fmt::format_int f(value);
  out_->append(f.data(), f.size());
  return *this;
}

JsonLine& JsonLine::num(std::string_view k, std::int64_t value) {
  key(k);
  const fmt::format_int f(value);
  out_->append(f.data(), f.size());
  return *this;
}

JsonLine& JsonLine::num(std::string_view k, double value) {
  key(k);
  if (!std::isfinite(value)) {
    *out_ += "null";
  } else {
    // The shortest text that reads back as `value`, as fmt's "{}" writes it.
    char buf[64];
    const char* end = fmt::format_to(buf, FMT_COMPILE("{}"), value);
    out_->append(buf, static_cast<std::size_t>(end - buf));
  }
  return *this;
}

JsonLine& JsonLine::boolean(std::string_view k, bool value) {
  key(k);
  *out_ += value ? "true" : "false";
  return *this;
}

JsonLine& JsonLine::null(std::string_view k) {
  key(k);
  *out_ += "null";
  return *this;
}

JsonLine& JsonLine::raw(std::string_view k, std::string_view json) {
  key(k);
  *out_ += json;
  return *this;
}

JsonLine& JsonLine::time(std::string_view k, core::Timestamp t) {
  key(k);
  *out_ += '"';
  core::appendRfc3339(*out_, t);  // digits and separators only: nothing to escape
  *out_ += '"';
  return *this;
}

JsonLine& JsonLine::ip(std::string_view k, const core::IpAddr& addr) {
  key(k);
  *out_ += '"';
  appendIp(*out_, addr);  // digits, hex, '.' and ':' only: nothing to escape
  *out_ += '"';
  return *this;
}

JsonLine& JsonLine::hex(std::string_view k, std::uint64_t value, int digits) {
  key(k);
  // Like fmt's "0x{:0Nx}": at least `digits` digits, more when the value needs them.
  int width = 1;
  while (width < 16 && (value >> (4 * width)) != 0) ++width;
  if (digits > width) width = digits > 16 ? 16 : digits;
  char buf[20] = {'"', '0', 'x'};
  for (int d = 0; d < width; ++d) buf[3 + d] = kHex[(value >> (4 * (width - 1 - d))) & 0xf];
  buf[3 + width] = '"';
  out_->append(buf, static_cast<std::size_t>(4 + width));
  return *this;
}

JsonLine& JsonLine::beginArray(std::string_view k) {
  key(k);
  *out_ += '[';
  firstElement_ = true;
  return *this;
}

JsonLine& JsonLine::element(std::string_view wireValue) {
  comma(firstElement_);
  *out_ += '"';
  core::appendEscapedJson(*out_, wireValue);
  *out_ += '"';
  return *this;
}

JsonLine& JsonLine::element(const core::IpAddr& addr) {
  comma(firstElement_);
  *out_ += '"';
  appendIp(*out_, addr);
  *out_ += '"';
  return *this;
}

JsonLine& JsonLine::endArray() {
  *out_ += ']';
  return *this;
}

std::string JsonLine::finish() {
  end();
  return std::move(*out_);
}

}  // namespace rustnet::output
