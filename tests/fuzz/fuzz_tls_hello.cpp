// libFuzzer target: the TLS building blocks on raw bytes. Byte 0 picks the parser:
//   0 ClientHello body, 1 ServerHello body, 2/3 record-layer scan (3: at the cap),
//   4 the reassembler driven by (offset, length) pairs taken from the input.
#include <cstdint>
#include <vector>

#include "dpi/tls/byte_reassembler.h"
#include "dpi/tls/hello.h"
#include "dpi/tls/record_layer.h"
#include "fuzz_checks.h"

namespace {

using namespace rustnet;

void reassemble(core::Bytes in) {
  dpi::tls::ByteReassembler r(4096);
  core::Cursor c{in};
  while (auto off = c.be16()) {
    auto len = c.u8();
    if (!len) break;
    const auto data = c.take(*len < c.remaining() ? *len : c.remaining());
    (void)r.insert(*off, *data);
    fuzz::require(r.contiguousLength() <= r.highWater() && r.highWater() <= r.capacity());
    fuzz::require(r.rangeCount() <= dpi::tls::kMaxReassemblyRanges);
    if ((*off & 0x8000) != 0) (void)r.shiftForward(*off & 0xff);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const core::Bytes in(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0: {
      dpi::tls::ClientHello ch;
      (void)dpi::tls::parseClientHello(in, ch);
      fuzz::require(ch.sni.size() <= core::kMaxWireString);
      fuzz::require(ch.alpn.size() <= dpi::tls::kMaxAlpnProtocols);
      for (const auto& a : ch.alpn) fuzz::require(a.size() <= dpi::tls::kMaxAlpnNameLength);
      fuzz::require(ch.quicTransportParameters.empty() ||
                    (ch.quicTransportParameters.data() >= in.data() &&
                     ch.quicTransportParameters.data() + ch.quicTransportParameters.size() <= in.data() + in.size()));
      break;
    }
    case 1: {
      dpi::tls::ServerHello sh;
      (void)dpi::tls::parseServerHello(in, sh);
      fuzz::require(sh.alpn.size() <= dpi::tls::kMaxAlpnNameLength);
      break;
    }
    case 2:
    case 3: {
      std::vector<std::uint8_t> scratch;
      const auto scan = dpi::tls::scanFirstHandshake(in, data[0] % 5 == 3, scratch);
      fuzz::require(scan.body.size() <= in.size());
      break;
    }
    default: reassemble(in); break;
  }
  return 0;
}
