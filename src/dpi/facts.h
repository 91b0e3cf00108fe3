#pragma once
// What DPI learned about one connection. Merging rules: the application protocol, once
// known, is kept; identity facts (names, banners, versions) are written once and kept;
// the application state only moves forward within its protocol's sequence.
// Strings are kept raw (capped with core::capWireString) and escaped where shown:
// summary() escapes, domain() and the per-protocol structs do not.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip_addr.h"
#include "core/time.h"

namespace rustnet::dpi {

enum class AppProto : std::uint8_t {
  Unknown,
  Http,
  Tls,  // shown as "HTTPS"
  Quic,
  Dns,
  Mdns,
  Llmnr,
  Ssh,
  Ssdp,  // HTTP-formatted discovery over UDP (M-SEARCH, NOTIFY); HttpFacts
  Count,  // keep last
};
inline constexpr std::size_t kAppProtoCount = static_cast<std::size_t>(AppProto::Count);
// Name as shown to users and in JSON `dpi_protocol`: "HTTP", "HTTPS", "QUIC", "DNS", "mDNS",
// "LLMNR", "SSH", "SSDP"; empty for Unknown.
std::string_view appProtoName(AppProto p);

// Application-level state (SPEC §2); None until an analyzer sets one.
enum class AppState : std::uint8_t {
  None,
  QuicInitial,
  QuicHandshake,
  QuicConnected,
  QuicDraining,
  QuicClosed,
  DnsQuery,
  DnsResponse,
  SshBanner,
  SshKeyExchange,
  SshAuthentication,
  SshEstablished,
};
// "QUIC_INITIAL", "DNS_QUERY", "BANNER", "KEYEXCHANGE", ...; empty for None.
std::string_view appStateName(AppState s);

// ---- per-protocol facts ------------------------------------------------------------------

struct HttpFacts {
  std::string method;     // "GET", "CONNECT"; empty when only the response was seen
  std::string host;       // Host header, or the authority of an absolute/CONNECT target
  std::string path;       // request target (capped)
  std::string userAgent;
  std::uint16_t status = 0;  // first response status code, 0 = none seen
};

struct TlsFacts {
  std::string sni;
  std::vector<std::string> alpn;           // as offered by the client (capped count)
  std::uint16_t maxOfferedVersion = 0;     // highest of legacy_version / supported_versions
  std::uint16_t negotiatedVersion = 0;     // from the ServerHello (supported_versions wins)
  std::uint16_t cipher = 0;                // ServerHello cipher suite
  bool ech = false;                        // encrypted_client_hello offered (sni is outer)
  bool clientHelloSeen = false;
  bool serverHelloSeen = false;
};

struct DnsAnswer {
  std::uint16_t type = 0;  // 1 A, 28 AAAA, 5 CNAME
  core::IpAddr addr;       // A / AAAA
  std::string name;        // CNAME target (raw, capped)
};

// Cap on the answers kept per connection (more are counted in answerCount only).
inline constexpr std::size_t kMaxDnsAnswers = 8;
// Cap on the distinct question names kept per connection (mDNS and LLMNR flows, and
// resolver sockets reused for several queries, carry many).
inline constexpr std::size_t kMaxDnsNames = 16;

struct DnsFacts {
  std::uint16_t id = 0;
  std::string qname;        // first question name, dotted, raw bytes (escaped when shown)
  std::uint16_t qtype = 0;
  bool querySeen = false;
  bool responseSeen = false;
  std::uint8_t rcode = 0;   // valid when responseSeen
  std::uint16_t answerCount = 0;  // answer records in the response (ANCOUNT)
  std::vector<DnsAnswer> answers;  // A, AAAA and CNAME answers, at most kMaxDnsAnswers
  // Every distinct question name seen, in queries and responses, in order of appearance,
  // at most kMaxDnsNames (qname is normally the first).
  std::vector<std::string> names;
};
// "A", "AAAA", "CNAME", ... or the number as text.
std::string dnsTypeName(std::uint16_t qtype);
// "NOERROR", "NXDOMAIN", ... or the number as text.
std::string dnsRcodeName(std::uint8_t rcode);

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

struct SshFacts {
  SshBanner client;  // the side that connected (local when Outbound started it)
  SshBanner server;
  bool clientKexinitSeen = false;
  bool serverKexinitSeen = false;
  SshAlgorithms negotiated;
};

// Longest QUIC connection ID (RFC 9000 §17.2: 20 bytes in v1).
inline constexpr std::size_t kMaxQuicCidLen = 20;
struct QuicCid {
  std::array<std::uint8_t, kMaxQuicCidLen> bytes{};
  std::uint8_t len = 0;
};

struct QuicFacts {
  std::uint32_t version = 0;
  QuicCid dcid;  // from the client's first Initial
  QuicCid scid;
  std::string sni;
  std::vector<std::string> alpn;
  std::uint64_t maxIdleTimeoutMs = 0;  // client's transport parameter, 0 = absent
  bool closed = false;                 // CONNECTION_CLOSE seen
  bool versionNegotiation = false;
  bool retry = false;
};

// TLS version for display: "TLS1.3", "TLS1.2", "SSL3.0", ... or 0xHHHH.
std::string tlsVersionName(std::uint16_t v);

// ---- the per-connection record -----------------------------------------------------------

class Facts {
public:
  Facts();
  Facts(const Facts& other);
  Facts& operator=(const Facts& other);
  Facts(Facts&&) noexcept;
  Facts& operator=(Facts&&) noexcept;
  ~Facts();

  [[nodiscard]] AppProto proto() const { return proto_; }
  [[nodiscard]] AppState state() const { return state_; }
  // A protocol-derived idle timeout (QUIC max_idle_timeout, or 1-10 s after a close); the
  // latest one set wins. nullopt: use the tracker's table.
  [[nodiscard]] std::optional<core::Duration> idleTimeoutHint() const { return idleHint_; }

  // Sets the protocol when still Unknown (or once after openTunnel()); returns whether it
  // is now `p`.
  bool setProto(AppProto p);
  // An HTTP CONNECT (or similar) tunnel was established: the next protocol found inside
  // replaces this one as proto(); the outer protocol's details are kept.
  void openTunnel() { tunnelOpen_ = true; }
  // Moves the state forward: allowed from None, or to a later state of the same protocol.
  // Returns whether the state changed.
  bool advanceState(AppState s);
  void setIdleTimeoutHint(core::Duration d) { idleHint_ = d; }

  // Per-protocol details: the const accessors return nullptr when absent; the mutable ones
  // create the struct on first use. An analyzer writes only its own protocol's struct.
  // Readers go through a const Facts& (Inspector::facts() gives one), or they would create.
  [[nodiscard]] const HttpFacts* http() const;
  [[nodiscard]] const TlsFacts* tls() const;
  [[nodiscard]] const DnsFacts* dns() const;
  [[nodiscard]] const SshFacts* ssh() const;
  [[nodiscard]] const QuicFacts* quic() const;
  HttpFacts& http();
  TlsFacts& tls();
  DnsFacts& dns();
  SshFacts& ssh();
  QuicFacts& quic();

  // SNI (TLS, QUIC), Host (HTTP) or query name (DNS); empty when none. Raw: escape to show.
  [[nodiscard]] std::string_view domain() const;
  // For the table: "HTTPS (github.com)", "SSH (OpenSSH_9.2)", "DNS (example.com)", "HTTP";
  // empty when the protocol is unknown. Escaped: safe to print.
  [[nodiscard]] std::string summary() const;

  struct Details;  // defined in facts.cpp: one pointer per protocol struct above

private:
  AppProto proto_ = AppProto::Unknown;
  AppState state_ = AppState::None;
  std::optional<core::Duration> idleHint_;
  bool tunnelOpen_ = false;
  // Allocated when an analyzer first records details, so that connections DPI knows
  // nothing about cost one pointer.
  std::unique_ptr<Details> details_;
};

}  // namespace rustnet::dpi
