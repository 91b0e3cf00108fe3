#pragma once
// QUIC over UDP on any port, recognised by content: a long header carrying a version we know
// (IETF v1, v2, drafts, mvfst, Google T05x/Q050), a Version Negotiation packet, or a Google
// QUIC (<= Q046) packet with its version.
//
// The client's Initial packets are opened with keys derived from their Destination
// Connection ID (initial_crypto.h); their CRYPTO frames are reassembled in offset order
// across packets and datagrams (bounded by kMaxQuicCryptoBytes) and the ClientHello read by
// the TLS parser: SNI, ALPN, max_idle_timeout (which becomes the connection's idle-timeout
// hint). Server Initial packets are opened with the server keys of the same secret, for
// their CONNECTION_CLOSE. Google's CHLO (Q043..Q050) gives the SNI too.
//
// States (forward only): QUIC_INITIAL on the first packet; QUIC_HANDSHAKE when the server
// sends a Handshake packet; QUIC_CONNECTED once short-header packets went both ways;
// QUIC_DRAINING when a CONNECTION_CLOSE is seen, QUIC_CLOSED when both sides sent one.
// A close found in 1-RTT packets cannot be seen (they are encrypted with keys we lack).
//
// Verdicts: NotMine until a packet looks like QUIC; then Monitor (header inspection only,
// Initial decryption capped by kMaxQuicDecryptions); Done once connected or closed.
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/time.h"
#include "dpi/analyzer.h"
#include "dpi/quic/initial_crypto.h"
#include "dpi/quic/packet.h"
#include "dpi/quic/versions.h"
#include "dpi/registry.h"
#include "dpi/tls/byte_reassembler.h"

namespace rustnet::dpi::quic {

// The client's CRYPTO stream kept until its ClientHello (or CHLO) is whole.
inline constexpr std::size_t kMaxQuicCryptoBytes = 32 * 1024;
// Initial packets opened (or keys derived) per connection, both directions together.
inline constexpr std::uint16_t kMaxQuicDecryptions = 32;

extern const AnalyzerEntry kEntry;

class QuicAnalyzer final : public Analyzer {
public:
  QuicAnalyzer() = default;
  Verdict feed(const Segment& seg, Context& ctx) override;

private:
  // Returns false when the packet shows the flow is not QUIC (before it was recognised).
  bool handleLong(core::Bytes rest, const VersionInfo& info, Direction dir, Context& ctx,
                  std::size_t& consumed);
  void handleInitial(const LongHeader& h, core::Bytes packet, Direction dir, Context& ctx);
  // Derives keys from the packet's own DCID and opens it as a client Initial; on success the
  // keys become the connection's.
  bool openWithFreshKeys(const LongHeader& h, core::Bytes packet, Direction dir, Context& ctx,
                         OpenedPacket& opened);
  // Counts one decryption (or key derivation) against kMaxQuicDecryptions.
  bool spendDecryption(Context& ctx);
  void handleLegacy(core::Bytes datagram, Direction dir, Context& ctx);
  void recognise(std::uint32_t version, Context& ctx);
  void closeSeen(Direction dir, Context& ctx);
  void tryClientHello(Context& ctx);
  void setDcid(core::Bytes dcid);
  [[nodiscard]] bool sameDcid(core::Bytes dcid) const;
  Verdict verdict(const Context& ctx) const;

  std::optional<VersionInfo> info_;
  std::optional<Direction> clientDir_;
  std::array<std::uint8_t, kMaxCidLength> dcid_{};
  std::uint8_t dcidLen_ = 0;
  InitialKeys keys_;
  tls::ByteReassembler clientCrypto_{kMaxQuicCryptoBytes};
  std::array<std::uint64_t, 2> largestPn_{};
  std::array<bool, 2> anyPn_{};
  std::array<bool, 2> shortSeen_{};
  std::array<bool, 2> closeSent_{};
  std::uint16_t decryptions_ = 0;
  core::Timestamp firstClientInitial_;
  core::Duration rtt_{};  // client Initial → first server packet, 0 = unknown
  bool recognised_ = false;
  bool clientHelloDone_ = false;
  bool decryptCapCounted_ = false;
  bool cryptoCapCounted_ = false;
};

}  // namespace rustnet::dpi::quic
