#include "output/dpi_json.h"

#include <string>
#include <string_view>
#include <vector>

namespace rustnet::output {

namespace {

void wireIf(JsonLine& j, JsonKey key, std::string_view value) {
  if (!value.empty()) j.wire(key, value);
}

void wireArray(JsonLine& j, JsonKey key, const std::vector<std::string>& items) {
  j.beginArray(key);
  for (const auto& item : items) j.element(item);
  j.endArray();
}

void http(JsonLine& j, const dpi::HttpFacts& h) {
  wireIf(j, "http_method", h.method);
  wireIf(j, "http_host", h.host);
  wireIf(j, "http_path", h.path);
  wireIf(j, "http_user_agent", h.userAgent);
  if (h.status != 0) j.num("http_status", std::uint64_t{h.status});
}

void tls(JsonLine& j, const dpi::TlsFacts& t) {
  wireIf(j, "tls_sni", t.sni);
  if (!t.alpn.empty()) wireArray(j, "tls_alpn", t.alpn);
  // The version in use when the server answered, else the best the client offered.
  const std::uint16_t v = t.negotiatedVersion != 0 ? t.negotiatedVersion : t.maxOfferedVersion;
  if (v != 0) j.str("tls_version", dpi::tlsVersionName(v));
  if (t.maxOfferedVersion != 0) j.str("tls_max_offered_version", dpi::tlsVersionName(t.maxOfferedVersion));
  if (t.serverHelloSeen) j.hex("tls_cipher", t.cipher, 4);
  if (t.ech) j.boolean("tls_ech", true);
}

void dns(JsonLine& j, const dpi::DnsFacts& d) {
  j.num("dns_id", std::uint64_t{d.id});
  wireIf(j, "dns_query", d.qname);
  if (d.names.size() > 1) wireArray(j, "dns_queries", d.names);
  if (d.querySeen || !d.qname.empty()) j.str("dns_qtype", dpi::dnsTypeName(d.qtype));
  if (!d.responseSeen) return;
  j.str("dns_rcode", dpi::dnsRcodeName(d.rcode));
  j.beginArray("dns_answers");
  for (const auto& a : d.answers) {
    if (a.name.empty()) {
      j.element(a.addr);
    } else {
      j.element(a.name);
    }
  }
  j.endArray();
}

struct SshBannerKeys {
  JsonKey version, software, comment;
};
constexpr SshBannerKeys kSshClient{"ssh_client_version", "ssh_client_software", "ssh_client_comment"};
constexpr SshBannerKeys kSshServer{"ssh_server_version", "ssh_server_software", "ssh_server_comment"};

void sshBanner(JsonLine& j, const SshBannerKeys& keys, const dpi::SshBanner& b) {
  if (!b.seen) return;
  j.wire(keys.version, b.protoVersion);
  j.wire(keys.software, b.software);
  wireIf(j, keys.comment, b.comment);
}

void ssh(JsonLine& j, const dpi::SshFacts& s) {
  sshBanner(j, kSshClient, s.client);
  sshBanner(j, kSshServer, s.server);
  const auto& a = s.negotiated;
  wireIf(j, "ssh_kex", a.kex);
  wireIf(j, "ssh_host_key", a.hostKey);
  wireIf(j, "ssh_cipher_c2s", a.cipherC2s);
  wireIf(j, "ssh_cipher_s2c", a.cipherS2c);
  wireIf(j, "ssh_mac_c2s", a.macC2s);
  wireIf(j, "ssh_mac_s2c", a.macS2c);
  wireIf(j, "ssh_compression_c2s", a.compressionC2s);
  wireIf(j, "ssh_compression_s2c", a.compressionS2c);
}

void cidHex(JsonLine& j, JsonKey key, const dpi::QuicCid& cid) {
  static constexpr char kHex[] = "0123456789abcdef";
  char buf[2 * sizeof cid.bytes];
  std::size_t n = 0;
  for (std::size_t i = 0; i < cid.len && i < cid.bytes.size(); ++i) {
    buf[n++] = kHex[cid.bytes[i] >> 4];
    buf[n++] = kHex[cid.bytes[i] & 0xf];
  }
  j.str(key, std::string_view(buf, n));
}

void quic(JsonLine& j, const dpi::QuicFacts& q) {
  if (q.version != 0) j.hex("quic_version", q.version, 8);
  wireIf(j, "quic_sni", q.sni);
  if (!q.alpn.empty()) wireArray(j, "quic_alpn", q.alpn);
  if (q.dcid.len > 0) cidHex(j, "quic_dcid", q.dcid);
  if (q.scid.len > 0) cidHex(j, "quic_scid", q.scid);
  if (q.maxIdleTimeoutMs != 0) j.num("quic_max_idle_timeout_ms", q.maxIdleTimeoutMs);
  if (q.closed) j.boolean("quic_closed", true);
  if (q.versionNegotiation) j.boolean("quic_version_negotiation", true);
  if (q.retry) j.boolean("quic_retry", true);
}

}  // namespace

void appendDpiFields(JsonLine& j, const dpi::Facts& f) {
  if (f.proto() == dpi::AppProto::Unknown) return;
  j.str("dpi_protocol", dpi::appProtoName(f.proto()));
  wireIf(j, "dpi_domain", f.domain());
  if (const auto* h = f.http()) http(j, *h);
  if (const auto* t = f.tls()) tls(j, *t);
  if (const auto* d = f.dns()) dns(j, *d);
  if (const auto* s = f.ssh()) ssh(j, *s);
  if (const auto* q = f.quic()) quic(j, *q);
}

}  // namespace rustnet::output
