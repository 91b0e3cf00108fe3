// libFuzzer target: what the QUIC analyzer does after opening an Initial, on raw bytes.
// Byte 0 picks: 0/1 frames (1: Google's crypto frame type) reassembled into a CRYPTO
// stream and parsed as a ClientHello with its transport parameters; 2 a CHLO; 3 a gQUIC
// legacy packet; 4 a long header and its Version Negotiation list; 5 transport parameters
// in both encodings.
#include <cstdint>

#include "dpi/quic/frames.h"
#include "dpi/quic/gquic.h"
#include "dpi/quic/packet.h"
#include "dpi/tls/byte_reassembler.h"
#include "dpi/tls/hello.h"
#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rustnet;
  namespace quic = dpi::quic;
  if (size == 0) return 0;
  const core::Bytes in(data + 1, size - 1);
  switch (data[0] % 6) {
    case 0:
    case 1: {
      dpi::tls::ByteReassembler stream(8192);
      const auto w = quic::walkFrames(in, data[0] % 6 == 1, [&](const quic::CryptoFragment& f) {
        fuzz::require(f.data.data() >= in.data() && f.data.data() + f.data.size() <= in.data() + in.size());
        (void)stream.insert(f.offset, f.data);
      });
      fuzz::require(w.frames <= quic::kMaxFramesPerPacket);
      const auto s = stream.contiguous();
      if (s.size() > 4) {
        dpi::tls::ClientHello ch;
        (void)dpi::tls::parseClientHello(s.subspan(4), ch);
        fuzz::require(ch.sni.size() <= core::kMaxWireString);
        (void)quic::maxIdleTimeoutMs(ch.quicTransportParameters, true);
      }
      break;
    }
    case 2: {
      quic::Chlo chlo;
      (void)quic::parseChlo(in, chlo);
      (void)quic::chloLength(in);
      fuzz::require(chlo.sni.size() <= core::kMaxWireString && chlo.userAgent.size() <= core::kMaxWireString);
      break;
    }
    case 3: {
      const auto p = quic::parseLegacyClientPacket(in);
      if (p) fuzz::require(p->streamData.size() <= in.size());
      break;
    }
    case 4: {
      quic::LongHeader h;
      if (quic::parseLongHeader(in, (data[0] & 0x80) != 0, h) == quic::HeaderStatus::Ok) {
        fuzz::require(h.length <= in.size() && h.pnOffset <= in.size());
        if (h.type == quic::PacketType::VersionNegotiation) {
          fuzz::require(quic::supportedVersions(in, h).size() % 4 == 0);
        }
      }
      break;
    }
    default:
      (void)quic::maxIdleTimeoutMs(in, true);
      (void)quic::maxIdleTimeoutMs(in, false);
      break;
  }
  return 0;
}
