#pragma once
// DNS over UDP and TCP (2-byte length prefix), mDNS (5353) and LLMNR (5355), recognised by
// port plus a sane header.
#include <cstddef>

#include "dpi/registry.h"

namespace rustnet::dpi::dns {

// TCP: largest message reassembled across segments (DNS over TCP allows 65535; the
// question and first answers are all we read).
inline constexpr std::size_t kMaxDnsTcpMessageBytes = 4096;

extern const AnalyzerEntry kEntry;

}  // namespace rustnet::dpi::dns
