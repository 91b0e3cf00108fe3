#pragma once
// An IPv4 or IPv6 address held in 16 bytes (IPv4 as ::ffff:a.b.c.d) so that keys compare
// and hash without branching on the family.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/cursor.h"

namespace rustnet::core {

class IpAddr {
public:
  constexpr IpAddr() = default;

  static constexpr IpAddr v4(std::uint32_t hostOrder) {
    IpAddr a;
    a.bytes_[10] = 0xff;
    a.bytes_[11] = 0xff;
    a.bytes_[12] = static_cast<std::uint8_t>(hostOrder >> 24);
    a.bytes_[13] = static_cast<std::uint8_t>(hostOrder >> 16);
    a.bytes_[14] = static_cast<std::uint8_t>(hostOrder >> 8);
    a.bytes_[15] = static_cast<std::uint8_t>(hostOrder);
    a.isV4_ = true;
    return a;
  }
  static IpAddr v4Bytes(Bytes four);     // precondition: four.size() == 4
  static IpAddr v6Bytes(Bytes sixteen);  // precondition: sixteen.size() == 16
  // Parses dotted quad or RFC 4291 text; v4-mapped IPv6 text becomes an IPv4 address.
  static std::optional<IpAddr> parse(std::string_view text);

  [[nodiscard]] constexpr bool isV4() const { return isV4_; }
  [[nodiscard]] constexpr const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
  [[nodiscard]] constexpr std::uint32_t v4HostOrder() const {
    return (std::uint32_t{bytes_[12]} << 24) | (std::uint32_t{bytes_[13]} << 16) |
           (std::uint32_t{bytes_[14]} << 8) | bytes_[15];
  }
  [[nodiscard]] bool isLoopback() const;
  [[nodiscard]] bool isUnspecified() const;
  [[nodiscard]] bool isMulticastOrBroadcast() const;
  [[nodiscard]] std::string toString() const;
  // The text inet_ntop gives (dotted quad; IPv6 with the first longest zero run as "::" and
  // ::a.b.c.d / ::ffff:a.b.c.d forms), written at `dst` without allocating: `dst` needs room
  // for kMaxText bytes. Returns the end of what was written. toString() uses it.
  static constexpr std::size_t kMaxText = 45;  // INET6_ADDRSTRLEN without the terminator
  char* writeText(char* dst) const;

  friend constexpr bool operator==(const IpAddr&, const IpAddr&) = default;
  friend constexpr auto operator<=>(const IpAddr& a, const IpAddr& b) {
    return a.bytes_ <=> b.bytes_;
  }

private:
  std::array<std::uint8_t, 16> bytes_{};
  bool isV4_ = false;
};

}  // namespace rustnet::core
