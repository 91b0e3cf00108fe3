#include "core/ip_addr.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace rustnet::core {

IpAddr IpAddr::v4Bytes(Bytes four) {
  return v4((std::uint32_t{four[0]} << 24) | (std::uint32_t{four[1]} << 16) |
            (std::uint32_t{four[2]} << 8) | four[3]);
}

IpAddr IpAddr::v6Bytes(Bytes sixteen) {
  IpAddr a;
  std::copy_n(sixteen.begin(), 16, a.bytes_.begin());
  return a;
}

std::optional<IpAddr> IpAddr::parse(std::string_view text) {
  if (text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN + 1] = {};
  std::memcpy(buf, text.data(), text.size());
  std::uint8_t raw[16];
  if (inet_pton(AF_INET, buf, raw) == 1) return v4Bytes(Bytes(raw, 4));
  if (inet_pton(AF_INET6, buf, raw) == 1) {
    static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(raw, kMapped, 12) == 0) return v4Bytes(Bytes(raw + 12, 4));
    return v6Bytes(Bytes(raw, 16));
  }
  return std::nullopt;
}

bool IpAddr::isLoopback() const {
  if (isV4_) return bytes_[12] == 127;
  static constexpr std::array<std::uint8_t, 16> kLoop = {0, 0, 0, 0, 0, 0, 0, 0,
                                                         0, 0, 0, 0, 0, 0, 0, 1};
  return bytes_ == kLoop;
}

bool IpAddr::isUnspecified() const {
  if (isV4_) return v4HostOrder() == 0;
  return std::all_of(bytes_.begin(), bytes_.end(), [](std::uint8_t b) { return b == 0; });
}

bool IpAddr::isMulticastOrBroadcast() const {
  if (isV4_) return (bytes_[12] & 0xf0) == 0xe0 || v4HostOrder() == 0xffffffffu;
  return bytes_[0] == 0xff;
}

std::string IpAddr::toString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (isV4_) {
    inet_ntop(AF_INET, bytes_.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, bytes_.data(), buf, sizeof buf);
  }
  return buf;
}

}  // namespace rustnet::core
