#include "dpi/quic/quic_facts.h"

#include "dpi/quic/versions.h"

namespace rustnet::dpi::quic {

namespace {
constexpr std::uint8_t kSearch = field::kSearchable;
constexpr FieldInfo kVersion{"quic_version", "Version", 0};
constexpr FieldInfo kSni{"quic_sni", "SNI", kSearch | field::kServerName};
constexpr FieldInfo kAlpn{"quic_alpn", "ALPN", kSearch};
constexpr FieldInfo kDcid{"quic_dcid", "DCID", 0};
constexpr FieldInfo kScid{"quic_scid", "SCID", 0};
constexpr FieldInfo kMaxIdle{"quic_max_idle_timeout_ms", "Idle timeout ms", 0};
constexpr FieldInfo kCloseSeen{"quic_closed", "Close seen", 0};
constexpr FieldInfo kVersionNegotiation{"quic_version_negotiation", "Version neg.", 0};
constexpr FieldInfo kRetry{"quic_retry", "Retry", 0};

void cid(FieldSink& out, const FieldInfo& f, const QuicCid& c) {
  if (c.len == 0) return;
  static constexpr char kHex[] = "0123456789abcdef";
  char buf[2 * sizeof c.bytes];
  std::size_t n = 0;
  for (std::size_t i = 0; i < c.len && i < c.bytes.size(); ++i) {
    buf[n++] = kHex[c.bytes[i] >> 4];
    buf[n++] = kHex[c.bytes[i] & 0xf];
  }
  out.field(f, FieldValue::text(std::string_view(buf, n)));
}
}  // namespace

void QuicFacts::describe(FieldSink& out) const {
  if (version != 0) {
    const std::string name = versionName(version);
    // versionName falls back to the number itself, which the value already shows.
    out.field(kVersion, FieldValue::code(version, 8, name.rfind("0x", 0) == 0 ? std::string_view() : name));
  }
  describeWire(out, kSni, sni);
  if (!alpn.empty()) describeWireList(out, kAlpn, alpn);
  cid(out, kDcid, dcid);
  cid(out, kScid, scid);
  if (maxIdleTimeoutMs != 0) out.field(kMaxIdle, FieldValue::num(maxIdleTimeoutMs));
  if (closed) out.field(kCloseSeen, FieldValue::flag());
  if (versionNegotiation) out.field(kVersionNegotiation, FieldValue::flag());
  if (retry) out.field(kRetry, FieldValue::flag());
}

}  // namespace rustnet::dpi::quic
