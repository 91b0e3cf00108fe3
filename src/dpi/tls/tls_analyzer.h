#pragma once
// TLS over TCP on any port, recognised by content: a handshake record (type 22, version
// 3.x) carrying a ClientHello or ServerHello. Each direction's first handshake message is
// reassembled from TCP segments by sequence number — in order or not, over several records
// — within kMaxClientHelloBytes; a message larger than that is parsed as far as it goes.
//
// Facts: TlsFacts (SNI, ALPN, highest offered version, ECH flag from the ClientHello — also
// set for the older ESNI extension; negotiated version and cipher from the ServerHello). Verdict Done once both hellos were
// parsed (or a direction proved not to be TLS after the other gave its hello).
//
// Out of order: a ClientHello whose first segment arrives after a later one can only be
// put together if the analyzer already runs when that later segment comes. Since a later
// segment does not look like TLS, the probe also claims, with Port confidence, unknown
// payloads on the usual TLS ports; the analyzer withdraws (NotMine) if no TLS start shows
// up within kMaxTlsStartWaitPackets.
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "dpi/analyzer.h"
#include "dpi/registry.h"
#include "dpi/tls/byte_reassembler.h"
#include "dpi/tls/record_layer.h"

namespace rustnet::dpi::tls {

// Payload packets per direction we wait for a TLS record start (offset 0) before deciding a
// connection claimed on a TLS port is not TLS after all.
inline constexpr std::uint16_t kMaxTlsStartWaitPackets = 8;

extern const AnalyzerEntry kEntry;

class TlsAnalyzer final : public Analyzer {
public:
  TlsAnalyzer() = default;
  Verdict feed(const Segment& seg, Context& ctx) override;

private:
  struct Side {
    ByteReassembler stream{kMaxClientHelloBytes};
    std::uint32_t base = 0;  // sequence number taken as offset 0
    std::uint16_t packets = 0;
    bool started = false;
    bool finished = false;  // its first handshake message was parsed, or it is not TLS
    bool capCounted = false;
  };

  // Returns false when the direction proved not to be TLS.
  bool place(Side& side, const Segment& seg, Context& ctx);
  void parse(const HandshakeScan& scan, Context& ctx);

  std::array<Side, 2> sides_;
  bool clientHello_ = false;
  bool serverHello_ = false;
};

}  // namespace rustnet::dpi::tls
