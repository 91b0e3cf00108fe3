#pragma once
// The DPI part of the NDJSON schema: `dpi_protocol`, `dpi_domain` and the per-protocol
// fields (tls_*, http_*, dns_*, ssh_*, quic_*).
// `dns_query` is the connection's first question; `dns_queries` lists every distinct one
// when there were several (mDNS, LLMNR, reused resolver sockets).
// Everything that came from a packet is written through JsonLine::wire (escaped).
#include "dpi/facts.h"
#include "output/json_line.h"

namespace rustnet::output {

void appendDpiFields(JsonLine& j, const dpi::Facts& f);

}  // namespace rustnet::output
