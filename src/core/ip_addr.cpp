#include "core/ip_addr.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace rustnet::core {

namespace {
constexpr char kHex[] = "0123456789abcdef";

char* writeOctet(char* p, unsigned v) {
  if (v >= 100) *p++ = static_cast<char>('0' + v / 100);
  if (v >= 10) *p++ = static_cast<char>('0' + v / 10 % 10);
  *p++ = static_cast<char>('0' + v % 10);
  return p;
}

char* writeV4(char* p, const std::uint8_t* b) {
  p = writeOctet(p, b[0]);
  for (int k = 1; k < 4; ++k) {
    *p++ = '.';
    p = writeOctet(p, b[k]);
  }
  return p;
}

char* writeHex16(char* p, unsigned w) {
  bool started = false;
  for (int shift = 12; shift >= 0; shift -= 4) {
    const unsigned d = (w >> shift) & 0xf;
    if (d != 0 || started || shift == 0) {
      *p++ = kHex[d];
      started = true;
    }
  }
  return p;
}

// The text glibc's inet_ntop gives an IPv6 address: the
// first longest run of two or more zero groups as "::", groups in lower-case hex without
// leading zeros, and ::a.b.c.d / ::ffff:a.b.c.d for IPv4-compatible and -mapped addresses.
char* writeV6(char* p, const std::array<std::uint8_t, 16>& b) {
  unsigned words[8];
  for (std::size_t i = 0; i < 8; ++i) words[i] = (unsigned{b[2 * i]} << 8) | b[2 * i + 1];
  int bestBase = -1;
  int bestLen = 0;
  int curBase = -1;
  int curLen = 0;
  for (int i = 0; i < 8; ++i) {
    if (words[i] == 0) {
      if (curBase < 0) {
        curBase = i;
        curLen = 1;
      } else {
        ++curLen;
      }
    } else if (curBase >= 0) {
      if (bestBase < 0 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase >= 0 && (bestBase < 0 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase >= 0 && bestLen < 2) bestBase = -1;
  for (int i = 0; i < 8; ++i) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i == bestBase) *p++ = ':';
      continue;
    }
    if (i != 0) *p++ = ':';
    if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
      return writeV4(p, b.data() + 12);
    }
    p = writeHex16(p, words[i]);
  }
  if (bestBase >= 0 && bestBase + bestLen == 8) *p++ = ':';
  return p;
}
}  // namespace

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

char* IpAddr::writeText(char* dst) const {
  return isV4_ ? writeV4(dst, bytes_.data() + 12) : writeV6(dst, bytes_);
}

std::string IpAddr::toString() const {
  char buf[kMaxText];
  return std::string(buf, writeText(buf));
}

}  // namespace rustnet::core
