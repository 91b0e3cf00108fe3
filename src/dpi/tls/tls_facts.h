#pragma once
// What a TLS handshake tells about a connection (TLS over TCP; QUIC keeps its own).
#include <cstdint>
#include <string>
#include <vector>

#include "dpi/fields.h"
#include "dpi/protocol.h"

namespace rustnet::dpi::tls {

// Shown as "HTTPS": what users mean by TLS on the web; the filter takes "tls" too.
inline constexpr AppProtocol kTls{"HTTPS", "tls", IdleClass::Web};

struct TlsFacts : FactsOf<TlsFacts> {
  static constexpr FactsKind kKind{"TLS", "tls", "TLS server name, ALPN or version contains text (tls:1.3)"};

  std::string sni;
  std::vector<std::string> alpn;           // as offered by the client (capped count)
  std::uint16_t maxOfferedVersion = 0;     // highest of legacy_version / supported_versions
  std::uint16_t negotiatedVersion = 0;     // from the ServerHello (supported_versions wins)
  std::uint16_t cipher = 0;                // ServerHello cipher suite
  bool ech = false;                        // encrypted_client_hello offered (sni is outer)
  bool clientHelloSeen = false;
  bool serverHelloSeen = false;

  void describe(FieldSink& out) const override;
  [[nodiscard]] std::optional<std::string_view> domain() const override { return sni; }
};

// TLS version for display: "TLS1.3", "TLS1.2", "SSL3.0", ... or 0xHHHH.
std::string tlsVersionName(std::uint16_t v);

}  // namespace rustnet::dpi::tls

namespace rustnet::dpi {
using tls::TlsFacts;
using tls::tlsVersionName;
}  // namespace rustnet::dpi
