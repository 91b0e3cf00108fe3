#include "dpi/tls/tls_facts.h"

#include <fmt/format.h>

#include "dpi/tls/hello.h"

namespace rustnet::dpi::tls {

namespace {
constexpr std::uint8_t kSearch = field::kSearchable;
constexpr FieldInfo kSni{"tls_sni", "SNI", kSearch | field::kServerName};
constexpr FieldInfo kAlpn{"tls_alpn", "ALPN", kSearch};
constexpr FieldInfo kVersion{"tls_version", "Version", kSearch};
constexpr FieldInfo kMaxOffered{"tls_max_offered_version", "Max offered", kSearch};
constexpr FieldInfo kCipher{"tls_cipher", "Cipher", kSearch};
constexpr FieldInfo kEch{"tls_ech", "ECH offered", 0};
}  // namespace

std::string tlsVersionName(std::uint16_t v) {
  switch (v) {
    case 0x0300: return "SSL3.0";
    case 0x0301: return "TLS1.0";
    case 0x0302: return "TLS1.1";
    case 0x0303: return "TLS1.2";
    case 0x0304: return "TLS1.3";
    default: return fmt::format("0x{:04x}", v);
  }
}

void TlsFacts::describe(FieldSink& out) const {
  describeWire(out, kSni, sni);
  if (!alpn.empty()) describeWireList(out, kAlpn, alpn);
  // The version in use when the server answered, else the best the client offered.
  const std::uint16_t v = negotiatedVersion != 0 ? negotiatedVersion : maxOfferedVersion;
  if (v != 0) out.field(kVersion, FieldValue::text(tlsVersionName(v)));
  if (maxOfferedVersion != 0) out.field(kMaxOffered, FieldValue::text(tlsVersionName(maxOfferedVersion)));
  if (serverHelloSeen) out.field(kCipher, FieldValue::code(cipher, 4, cipherSuiteName(cipher)));
  if (ech) out.field(kEch, FieldValue::flag());
}

}  // namespace rustnet::dpi::tls
