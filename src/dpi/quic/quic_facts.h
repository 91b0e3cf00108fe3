#pragma once
// What QUIC tells about a connection: version, connection IDs, and the client's Initial.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "dpi/fields.h"
#include "dpi/protocol.h"

namespace rustnet::dpi::quic {

inline constexpr AppProtocol kQuic{"QUIC", ""};

// Forward only (SPEC §2).
inline constexpr AppStateInfo kInitial{"QUIC_INITIAL", "quic", 0, IdleClass::Handshake};
inline constexpr AppStateInfo kHandshake{"QUIC_HANDSHAKE", "quic", 1, IdleClass::Handshake};
inline constexpr AppStateInfo kConnected{"QUIC_CONNECTED", "quic", 2, IdleClass::Connected};
inline constexpr AppStateInfo kDraining{"QUIC_DRAINING", "quic", 3, IdleClass::Draining};
inline constexpr AppStateInfo kClosed{"QUIC_CLOSED", "quic", 4, IdleClass::Draining};

// Longest QUIC connection ID (RFC 9000 §17.2: 20 bytes in v1).
inline constexpr std::size_t kMaxQuicCidLen = 20;
struct QuicCid {
  std::array<std::uint8_t, kMaxQuicCidLen> bytes{};
  std::uint8_t len = 0;
};

struct QuicFacts : FactsOf<QuicFacts> {
  static constexpr FactsKind kKind{"QUIC", "quic", "QUIC server name or ALPN contains text (quic:h3)"};

  std::uint32_t version = 0;
  QuicCid dcid;  // from the client's first Initial
  QuicCid scid;
  std::string sni;
  std::vector<std::string> alpn;
  std::uint64_t maxIdleTimeoutMs = 0;  // client's transport parameter, 0 = absent
  bool closed = false;                 // CONNECTION_CLOSE seen
  bool versionNegotiation = false;
  bool retry = false;

  void describe(FieldSink& out) const override;
  [[nodiscard]] std::optional<std::string_view> domain() const override { return sni; }
};

}  // namespace rustnet::dpi::quic

namespace rustnet::dpi {
using quic::kMaxQuicCidLen;
using quic::QuicCid;
using quic::QuicFacts;
}  // namespace rustnet::dpi
