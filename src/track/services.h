#pragma once
// Port → service name ("https", "domain", ...) from an embedded table generated from the
// IANA-derived /etc/services of Debian's netbase (scripts/gen-services.py).
#include <cstdint>
#include <string_view>

namespace rustnet::track {

struct Connection;

// The name registered for `port` over `proto` (TCP or UDP); empty when unknown or for any
// other protocol.
std::string_view serviceName(std::uint8_t proto, std::uint16_t port);
// A connection's service: the remote port's name, else the local port's; empty when
// neither is known (and always for rows without ports: ICMP, ARP, ...).
std::string_view connectionService(const Connection& c);

}  // namespace rustnet::track
