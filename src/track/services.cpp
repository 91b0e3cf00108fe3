#include "track/services.h"

#include <algorithm>
#include <array>
#include <iterator>

#include "track/connection.h"

namespace rustnet::track {

namespace {

struct ServiceEntry {
  std::uint8_t proto;
  std::uint16_t port;
  std::string_view name;
};

constexpr ServiceEntry kServices[] = {
#include "track/services_table.inc"
};

constexpr bool entryLess(const ServiceEntry& x, const ServiceEntry& y) {
  return x.proto != y.proto ? x.proto < y.proto : x.port < y.port;
}
static_assert(std::is_sorted(std::begin(kServices), std::end(kServices), entryLess),
              "services_table.inc must be sorted by protocol then port");

}  // namespace

std::string_view serviceName(std::uint8_t proto, std::uint16_t port) {
  if (proto != core::proto::kTcp && proto != core::proto::kUdp) return {};
  const ServiceEntry probe{proto, port, {}};
  const auto* it = std::lower_bound(std::begin(kServices), std::end(kServices), probe, entryLess);
  if (it == std::end(kServices) || it->proto != proto || it->port != port) return {};
  return it->name;
}

std::string_view connectionService(const Connection& c) {
  if (auto name = serviceName(c.proto(), c.remote().port); !name.empty()) return name;
  return serviceName(c.proto(), c.local().port);
}

}  // namespace rustnet::track
