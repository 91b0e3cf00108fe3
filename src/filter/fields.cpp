#include "filter/fields.h"

#include <fmt/format.h>

#include <algorithm>

#include "track/services.h"

namespace rustnet::filter {

namespace {
constexpr char foldAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

bool hasPorts(std::uint8_t proto) { return proto == core::proto::kTcp || proto == core::proto::kUdp; }

std::string endpointText(const core::Endpoint& e, std::uint8_t proto) {
  if (!hasPorts(proto)) return e.addr.toString();
  if (e.addr.isV4()) return fmt::format("{}:{}", e.addr.toString(), e.port);
  return fmt::format("[{}]:{}", e.addr.toString(), e.port);
}

std::uint16_t servicePort(const engine::ConnectionRecord& r) {
  if (!hasPorts(r.proto)) return 0;
  if (!track::serviceName(r.proto, r.remote.port).empty()) return r.remote.port;
  if (!track::serviceName(r.proto, r.local.port).empty()) return r.local.port;
  return std::min(r.local.port, r.remote.port);
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
