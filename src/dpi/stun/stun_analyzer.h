#pragma once
// STUN (RFC 8489/5389) over UDP and TCP, recognised by its header (magic cookie, type, a
// length that fits); classic RFC 3489 messages, which lack the cookie, only on port 3478.
#include <cstddef>
#include <cstdint>

#include "dpi/registry.h"

namespace rustnet::dpi::stun {

inline constexpr std::uint16_t kStunPort = 3478;
// TCP: bytes of one message reassembled across segments. A Binding or Allocate exchange
// is a few hundred bytes; a longer message is read this far and inspection stops.
inline constexpr std::size_t kMaxStunTcpMessageBytes = 2048;
// Messages read per connection while no success response has come (indications only, or
// requests that keep failing); inspection then stops.
inline constexpr std::size_t kMaxStunMessages = 8;

extern const AnalyzerEntry kEntry;

}  // namespace rustnet::dpi::stun
