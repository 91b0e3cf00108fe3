#include "dpi/ssh/ssh_facts.h"

namespace rustnet::dpi::ssh {

namespace {
constexpr std::uint8_t kSearch = field::kSearchable;

struct BannerFields {
  FieldInfo version, software, comment;
};
constexpr BannerFields kClient{{"ssh_client_version", "Client version", kSearch},
                               {"ssh_client_software", "Client software", kSearch},
                               {"ssh_client_comment", "Client comment", kSearch}};
constexpr BannerFields kServer{{"ssh_server_version", "Server version", kSearch},
                               {"ssh_server_software", "Server software", kSearch},
                               {"ssh_server_comment", "Server comment", kSearch}};
constexpr FieldInfo kKex{"ssh_kex", "Key exchange", kSearch};
constexpr FieldInfo kHostKey{"ssh_host_key", "Host key", kSearch};
constexpr FieldInfo kCipherC2s{"ssh_cipher_c2s", "Cipher c2s", kSearch};
constexpr FieldInfo kCipherS2c{"ssh_cipher_s2c", "Cipher s2c", kSearch};
constexpr FieldInfo kMacC2s{"ssh_mac_c2s", "MAC c2s", kSearch};
constexpr FieldInfo kMacS2c{"ssh_mac_s2c", "MAC s2c", kSearch};
constexpr FieldInfo kCompressionC2s{"ssh_compression_c2s", "Compress c2s", kSearch};
constexpr FieldInfo kCompressionS2c{"ssh_compression_s2c", "Compress s2c", kSearch};

void banner(FieldSink& out, const BannerFields& f, const SshBanner& b) {
  if (!b.seen) return;
  out.field(f.version, FieldValue::wire(b.protoVersion));
  out.field(f.software, FieldValue::wire(b.software));
  describeWire(out, f.comment, b.comment);
}
}  // namespace

void SshFacts::describe(FieldSink& out) const {
  banner(out, kClient, client);
  banner(out, kServer, server);
  const SshAlgorithms& a = negotiated;
  describeWire(out, kKex, a.kex);
  describeWire(out, kHostKey, a.hostKey);
  describeWire(out, kCipherC2s, a.cipherC2s);
  describeWire(out, kCipherS2c, a.cipherS2c);
  describeWire(out, kMacC2s, a.macC2s);
  describeWire(out, kMacS2c, a.macS2c);
  describeWire(out, kCompressionC2s, a.compressionC2s);
  describeWire(out, kCompressionS2c, a.compressionS2c);
}

}  // namespace rustnet::dpi::ssh
