#pragma once
// What SSH tells about a connection: both banners and the negotiated algorithms.
#include <string>

#include "dpi/fields.h"
#include "dpi/protocol.h"

namespace rustnet::dpi::ssh {

inline constexpr AppProtocol kSsh{"SSH", "", IdleClass::Session};

// Forward only (SPEC §2); `state:` filters match them.
inline constexpr AppStateInfo kBanner{"BANNER", "ssh", 0};
inline constexpr AppStateInfo kKeyExchange{"KEYEXCHANGE", "ssh", 1};
inline constexpr AppStateInfo kAuthentication{"AUTHENTICATION", "ssh", 2};
inline constexpr AppStateInfo kEstablished{"ESTABLISHED", "ssh", 3};

struct SshBanner {
  bool seen = false;
  std::string protoVersion;  // "2.0"
  std::string software;      // "OpenSSH_9.2p1"
  std::string comment;       // "Debian-2+deb12u1", may be empty
};

// Algorithms negotiated by the RFC 4253 §7.1 rule; empty until both KEXINITs were seen.
struct SshAlgorithms {
  std::string kex;
  std::string hostKey;
  std::string cipherC2s;
  std::string cipherS2c;
  std::string macC2s;  // empty with AEAD ciphers whose MAC list does not matter
  std::string macS2c;
  std::string compressionC2s;
  std::string compressionS2c;
};

struct SshFacts : FactsOf<SshFacts> {
  static constexpr FactsKind kKind{"SSH", "ssh", "SSH banner, version or algorithm contains text (ssh:openssh)"};

  SshBanner client;  // the side that connected (local when Outbound started it)
  SshBanner server;
  bool clientKexinitSeen = false;
  bool serverKexinitSeen = false;
  SshAlgorithms negotiated;

  void describe(FieldSink& out) const override;
  // The server's software says more about what is being reached; else the client's.
  [[nodiscard]] std::optional<std::string_view> detail() const override {
    return server.seen && !server.software.empty() ? server.software : client.software;
  }
};

}  // namespace rustnet::dpi::ssh

namespace rustnet::dpi {
using ssh::SshAlgorithms;
using ssh::SshBanner;
using ssh::SshFacts;
}  // namespace rustnet::dpi
