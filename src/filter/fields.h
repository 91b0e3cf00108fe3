#pragma once
// The text forms of a connection's fields that the filter matches against. The UI shows
// the same forms, so that whatever a user reads on screen is what a bare word finds.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/flow_key.h"
#include "engine/record.h"

namespace rustnet::filter {

// True for protocols whose endpoints carry ports (TCP, UDP).
bool hasPorts(std::uint8_t proto);

// "192.0.2.1:443", "[2001:db8::1]:443"; just the address for ICMP, ARP and other rows.
std::string endpointText(const core::Endpoint& e, std::uint8_t proto);

// The same text in a caller's buffer, without allocating: for matching many rows.
struct EndpointBuffer {
  char data[64];  // "[" + 45 (INET6_ADDRSTRLEN - 1) + "]:" + 5 digits fits
};
std::string_view endpointText(const core::Endpoint& e, std::uint8_t proto, EndpointBuffer& buf);

// The port that names the service: the remote port when it has a registered name, else the
// local one when it has, else the one that looks like a server's (privileged, or outside
// the ephemeral range), else the remote one. 0 for rows without ports.
std::uint16_t servicePort(const engine::ConnectionRecord& r);

// ASCII case-insensitive search; `needleLower` must already be lower case. Bytes outside
// ASCII compare exactly. An empty needle is found everywhere.
bool containsFolded(std::string_view haystack, std::string_view needleLower);

// ASCII case-insensitive equality; `lower` must already be lower case.
bool equalsFolded(std::string_view text, std::string_view lower);

// Lower-cases ASCII letters.
std::string lowerAscii(std::string_view s);

}  // namespace rustnet::filter
