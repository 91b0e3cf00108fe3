#pragma once
// HTTP/1.x over TCP on any port, recognised by a request method or a status line; and SSDP,
// the same messages over UDP port 1900.
#include <cstddef>

#include "dpi/registry.h"

namespace rustnet::dpi::http {

// Request or response head kept while waiting for its end (CRLF CRLF), per direction.
inline constexpr std::size_t kMaxHttpHeaderBytes = 8192;

extern const AnalyzerEntry kEntry;
extern const AnalyzerEntry kSsdpEntry;

}  // namespace rustnet::dpi::http
