#pragma once
// What HTTP/1.x (and SSDP, which speaks it over UDP) tells about a connection.
#include <cstdint>
#include <string>

#include "dpi/fields.h"
#include "dpi/protocol.h"

namespace rustnet::dpi::http {

inline constexpr AppProtocol kHttp{"HTTP", "", IdleClass::Web};
// HTTP-formatted discovery over UDP (M-SEARCH, NOTIFY).
inline constexpr AppProtocol kSsdp{"SSDP", ""};

struct HttpFacts : FactsOf<HttpFacts> {
  static constexpr FactsKind kKind{"HTTP", "http", "HTTP method, Host, path or User-Agent contains text (http:curl)"};

  std::string method;     // "GET", "CONNECT"; empty when only the response was seen
  std::string host;       // Host header, or the authority of an absolute/CONNECT target
  std::string path;       // request target (capped)
  std::string userAgent;
  std::uint16_t status = 0;  // first response status code, 0 = none seen

  void describe(FieldSink& out) const override;
  [[nodiscard]] std::optional<std::string_view> domain() const override { return host; }
};

}  // namespace rustnet::dpi::http

namespace rustnet::dpi {
using http::HttpFacts;
}  // namespace rustnet::dpi
