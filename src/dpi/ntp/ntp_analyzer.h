#pragma once
// NTP over UDP, recognised by port 123 on either side plus a plausible header: versions
// 1-4, the 48-byte header of modes 1-5 (version 1: mode 0), or the shorter control (6) and
// private (7) messages of ntpq and ntpdc.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/cursor.h"
#include "dpi/ntp/ntp_facts.h"
#include "dpi/registry.h"

namespace rustnet::dpi::ntp {

inline constexpr std::uint16_t kNtpPort = 123;
// Header of modes 0-5 (RFC 5905 §7.3); what follows is extension fields and a MAC, in
// 4-byte words.
inline constexpr std::size_t kNtpHeaderBytes = 48;
// Longest datagram taken for NTP: the header, NTS extension fields (RFC 8915: a response
// with eight cookies is about 1 KiB) and a MAC. Longer ones are not NTP.
inline constexpr std::size_t kMaxNtpMessageBytes = 2048;
// Mode 6 (RFC 1305 appendix B): 12-byte header, at most 468 data bytes.
inline constexpr std::size_t kControlHeaderBytes = 12;
inline constexpr std::size_t kMaxControlDataBytes = 468;
// Mode 7 (ntpdc's private requests): 8-byte header.
inline constexpr std::size_t kPrivateHeaderBytes = 8;

struct NtpHeader {
  std::uint8_t version = 0;
  std::uint8_t mode = 0;
  bool reply = false;  // modes 6 and 7: the R bit (a response to ntpq or ntpdc)
  NtpClock clock;      // modes 0-5
};

// The header when `msg` is a plausible NTP message (nothing is kept from it).
std::optional<NtpHeader> parseNtpHeader(core::Bytes msg);

extern const AnalyzerEntry kEntry;

}  // namespace rustnet::dpi::ntp
