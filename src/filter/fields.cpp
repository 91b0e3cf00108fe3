#include "filter/fields.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "track/services.h"

namespace rustnet::filter {

namespace {
constexpr char foldAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

bool hasPorts(std::uint8_t proto) { return proto == core::proto::kTcp || proto == core::proto::kUdp; }

std::string endpointText(const core::Endpoint& e, std::uint8_t proto) {
  EndpointBuffer buf;
  return std::string(endpointText(e, proto, buf));
}

std::string_view endpointText(const core::Endpoint& e, std::uint8_t proto, EndpointBuffer& buf) {
  const bool ports = hasPorts(proto);
  const bool bracket = ports && !e.addr.isV4();
  char* p = buf.data;
  if (bracket) *p++ = '[';
  const auto& b = e.addr.bytes();
  if (e.addr.isV4()) {
    // By hand: glibc formats IPv4 through sprintf, the slowest part of matching a row.
    for (int i = 12; i < 16; ++i) {
      if (i != 12) *p++ = '.';
      p = std::to_chars(p, buf.data + sizeof buf.data, b[static_cast<std::size_t>(i)]).ptr;
    }
  } else {
    // Room for the address: INET6_ADDRSTRLEN (46) within the 64 bytes, after the bracket.
    if (inet_ntop(AF_INET6, b.data(), p, INET6_ADDRSTRLEN) == nullptr) *p = '\0';
    p += std::strlen(p);
  }
  if (bracket) *p++ = ']';
  if (ports) {
    *p++ = ':';
    p = std::to_chars(p, buf.data + sizeof buf.data, e.port).ptr;
  }
  return {buf.data, static_cast<std::size_t>(p - buf.data)};
}

std::uint16_t servicePort(const engine::ConnectionRecord& r) {
  if (!hasPorts(r.proto)) return 0;
  if (!track::serviceName(r.proto, r.remote.port).empty()) return r.remote.port;
  if (!track::serviceName(r.proto, r.local.port).empty()) return r.local.port;
  // No name either side: a privileged port, else the one outside the ephemeral range,
  // else the remote one (local is this host, or the side that opened the connection).
  constexpr std::uint16_t kEphemeral = 32768;
  const std::uint16_t l = r.local.port;
  const std::uint16_t m = r.remote.port;
  if ((l < 1024) != (m < 1024)) return l < 1024 ? l : m;
  if ((l >= kEphemeral) != (m >= kEphemeral)) return l < kEphemeral ? l : m;
  return m;
}

bool equalsFolded(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (foldAscii(text[i]) != lower[i]) return false;
  }
  return true;
}

bool containsFolded(std::string_view haystack, std::string_view needleLower) {
  if (needleLower.empty()) return true;
  if (needleLower.size() > haystack.size()) return false;
  const std::size_t last = haystack.size() - needleLower.size();
  const char first = needleLower.front();
  for (std::size_t i = 0; i <= last; ++i) {
    if (foldAscii(haystack[i]) != first) continue;
    std::size_t k = 1;
    while (k < needleLower.size() && foldAscii(haystack[i + k]) == needleLower[k]) ++k;
    if (k == needleLower.size()) return true;
  }
  return false;
}

std::string lowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = foldAscii(c);
  return out;
}

}  // namespace rustnet::filter
