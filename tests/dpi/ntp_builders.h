#pragma once
// Hand-built NTP messages (RFC 5905 §7.3; control messages RFC 1305 appendix B; ntpdc's
// mode 7) for the NTP analyzer's tests and the JSON/filter tests.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace rustnet::test {

inline std::array<std::uint8_t, 4> refidText(const std::string& s) {
  std::array<std::uint8_t, 4> r{};
  for (std::size_t i = 0; i < s.size() && i < r.size(); ++i) r[i] = static_cast<std::uint8_t>(s[i]);
  return r;
}
inline std::array<std::uint8_t, 4> refidAddress(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return {a, b, c, d};
}

// A 48-byte header: LI 0, `version`, `mode`, the sender's clock, and made-up timestamps.
inline std::vector<std::uint8_t> ntpPacket(std::uint8_t version, std::uint8_t mode, std::uint8_t stratum = 0,
                                           std::array<std::uint8_t, 4> refid = {}, std::int8_t poll = 6,
                                           std::int8_t precision = -20) {
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>((version << 3) | mode)).u8(stratum);
  w.u8(static_cast<std::uint8_t>(poll)).u8(static_cast<std::uint8_t>(precision));
  w.be32(0x00000a3c).be32(0x00001b2e);  // root delay, root dispersion
  w.bytes({refid[0], refid[1], refid[2], refid[3]});
  for (std::uint32_t i = 0; i < 8; ++i) w.be32(stratum == 0 && mode == 3 ? 0 : 0xe9a1c000u + i);  // 4 timestamps
  return w.data();
}

// `msg` followed by `n` bytes (extension fields, key id and digest).
inline std::vector<std::uint8_t> withTrailer(std::vector<std::uint8_t> msg, std::size_t n) {
  msg.insert(msg.end(), n, 0x5a);
  return msg;
}

// Mode 6, version 2 (ntpq): R bit, opcode, sequence 1, status, association 0, offset 0.
inline std::vector<std::uint8_t> controlMessage(bool reply, std::uint8_t opcode,
                                                const std::vector<std::uint8_t>& data) {
  ByteWriter w;
  w.u8((2u << 3) | 6u).u8(static_cast<std::uint8_t>((reply ? 0x80u : 0u) | opcode));
  w.be16(1).be16(reply ? 0x0615 : 0).be16(0).be16(0).be16(static_cast<std::uint16_t>(data.size()));
  w.bytes(data);
  while (w.size() % 4 != 0) w.u8(0);
  return w.data();
}

// Mode 7, version 2 (ntpdc), implementation 3 (xntpd), request 1, then `dataBytes` bytes.
inline std::vector<std::uint8_t> privateMessage(bool reply, std::uint16_t items, std::uint16_t itemSize,
                                                std::size_t dataBytes) {
  ByteWriter w;
  w.u8(static_cast<std::uint8_t>((reply ? 0x80u : 0u) | (2u << 3) | 7u)).u8(1).u8(3).u8(1);
  w.be16(items).be16(itemSize);
  for (std::size_t i = 0; i < dataBytes; ++i) w.u8(0);
  return w.data();
}

}  // namespace rustnet::test
