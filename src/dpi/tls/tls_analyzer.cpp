#include "dpi/tls/tls_analyzer.h"

#include <algorithm>
#include <array>
#include <utility>

#include "dpi/counters.h"
#include "dpi/facts.h"
#include "dpi/tls/tls_facts.h"
#include "dpi/inspector.h"
#include "dpi/tls/hello.h"

namespace rustnet::dpi::tls {

namespace {

// Ports where TLS is the norm: HTTPS, SMTPS, NNTPS, LDAPS, DoT, FTPS, telnets, IMAPS, IRCS,
// POP3S, SIPS, XMPP (Apple push), alternative HTTPS.
constexpr std::array<std::uint16_t, 14> kTlsPorts{443, 465, 563, 636, 853, 989, 990,
                                                  992, 993, 994, 995, 5061, 5223, 8443};

bool onTlsPort(const FlowInfo& flow) {
  return std::any_of(kTlsPorts.begin(), kTlsPorts.end(),
                     [&](std::uint16_t p) { return flow.eitherPort(p); });
}

// Starting from this many packets in one direction, an unfinished first message is also
// parsed as far as it has arrived, so that the facts survive the Inspector giving up at
// kMaxInspectedPackets (a ClientHello of tens of segments).
constexpr std::uint16_t kPartialParseFrom =
    static_cast<std::uint16_t>(kMaxInspectedPackets > kMaxProbePackets
                                   ? kMaxInspectedPackets - kMaxProbePackets
                                   : kMaxInspectedPackets);

Confidence probe(const FlowInfo& flow, const Segment& seg) {
  core::Bytes data = seg.data;
  const auto proxy = detectProxyHeader(data);
  if (proxy.status == ProxyHeader::Status::Found) {
    if (proxy.length >= data.size()) return Confidence::Content;
    data = data.subspan(proxy.length);
  }
  if (!data.empty() && looksLikeTlsHandshake(data)) return Confidence::Content;
  if (flow.transport == Transport::Tcp && onTlsPort(flow)) return Confidence::Port;
  return Confidence::None;
}

std::unique_ptr<Analyzer> create(const FlowInfo&) { return std::make_unique<TlsAnalyzer>(); }

// Joins a message spread over several records; its body is parsed at once and never kept,
// so one buffer per thread serves every connection.
std::vector<std::uint8_t>& scratch() {
  thread_local std::vector<std::uint8_t> buf;
  return buf;
}

constexpr std::array<AppProto, 1> kProtocols{&kTls};
constexpr std::array<const FactsKind*, 1> kKinds{&TlsFacts::kKind};

}  // namespace

const AnalyzerEntry kEntry{"tls", transports::kTcp, kProtocols, kKinds, &probe, &create};

bool TlsAnalyzer::place(Side& side, const Segment& seg, Context& ctx) {
  if (!side.started) {
    side.started = true;
    side.base = seg.tcpSeq;
  }
  // Serial-number arithmetic: a segment from before the assumed start shifts the buffer.
  auto rel = static_cast<std::int32_t>(seg.tcpSeq - side.base);
  if (rel < 0) {
    const auto by = static_cast<std::size_t>(-static_cast<std::int64_t>(rel));
    if (!side.stream.shiftForward(by)) {
      if (!side.capCounted) ctx.counters.capHit(Cap::TlsHandshakeBytes);
      side.capCounted = true;
      return false;
    }
    side.base = seg.tcpSeq;
    rel = 0;
  }
  switch (side.stream.insert(static_cast<std::uint64_t>(rel), seg.data)) {
    case ByteReassembler::Insert::Ok: break;
    case ByteReassembler::Insert::Clipped:
    case ByteReassembler::Insert::BeyondCap:
      if (!side.capCounted) ctx.counters.capHit(Cap::TlsHandshakeBytes);
      side.capCounted = true;
      break;
    case ByteReassembler::Insert::TooManyGaps: ctx.counters.capHit(Cap::TlsReassemblyGaps); break;
  }
  return true;
}

void TlsAnalyzer::parse(const HandshakeScan& scan, Context& ctx) {
  if (scan.type == handshake::kClientHello) {
    ClientHello ch;
    parseClientHello(scan.body, ch);
    ctx.facts.setProto(&kTls);
    auto& t = ctx.facts.get<TlsFacts>();
    if (t.sni.empty()) t.sni = std::move(ch.sni);
    if (t.alpn.empty()) t.alpn = std::move(ch.alpn);
    t.maxOfferedVersion = std::max(t.maxOfferedVersion, ch.maxVersion);
    // The withdrawn ESNI drafts hid the name too: flagged the same way (no outer name).
    t.ech = t.ech || ch.ech || ch.esni;
    t.clientHelloSeen = true;
  } else if (scan.type == handshake::kServerHello) {
    ServerHello sh;
    parseServerHello(scan.body, sh);
    ctx.facts.setProto(&kTls);
    auto& t = ctx.facts.get<TlsFacts>();
    if (t.negotiatedVersion == 0) t.negotiatedVersion = sh.version;
    if (t.cipher == 0) t.cipher = sh.cipherSuite;
    t.serverHelloSeen = true;
  }
}

Verdict TlsAnalyzer::feed(const Segment& seg, Context& ctx) {
  Side& side = sides_[static_cast<std::size_t>(seg.dir)];
  if (!side.finished && !side.started && seg.data.size() < kMaxClientHelloBytes) {
    // The usual case: the direction's first segment holds its whole first message. It is
    // parsed where it lies, and the reassembly buffer is never allocated.
    const HandshakeScan scan = scanFirstHandshake(seg.data, false, scratch());
    if (scan.status == HandshakeScan::Status::Complete) {
      if (side.packets < UINT16_MAX) ++side.packets;
      side.started = true;
      side.base = seg.tcpSeq;
      side.finished = true;
      parse(scan, ctx);
      if (scan.type == handshake::kClientHello) clientHello_ = true;
      if (scan.type == handshake::kServerHello) serverHello_ = true;
    }
  }
  if (!side.finished) {
    if (side.packets < UINT16_MAX) ++side.packets;
    bool notTls = !place(side, seg, ctx);
    if (!notTls) {
      const bool lastChance = side.packets >= kPartialParseFrom;
      const bool atCap = side.stream.contiguousToCapacity();
      const HandshakeScan scan = scanFirstHandshake(side.stream.contiguous(), atCap || lastChance, scratch());
      switch (scan.status) {
        case HandshakeScan::Status::NeedMore: break;
        case HandshakeScan::Status::NotTls:
          // What sits at offset 0 may be a later segment whose predecessor is still on its
          // way (out of order): give it a few packets.
          notTls = side.packets >= kMaxTlsStartWaitPackets || atCap;
          break;
        case HandshakeScan::Status::Complete:
        case HandshakeScan::Status::Truncated: {
          const bool incomplete = scan.status == HandshakeScan::Status::Truncated && !atCap;
          if (scan.status == HandshakeScan::Status::Truncated && atCap && !side.capCounted) {
            ctx.counters.capHit(Cap::TlsHandshakeBytes);
            side.capCounted = true;
          }
          parse(scan, ctx);
          if (scan.type == handshake::kClientHello) clientHello_ = true;
          if (scan.type == handshake::kServerHello) serverHello_ = true;
          // A message cut only by our patience keeps the side open: later segments may
          // complete it before the Inspector stops.
          if (!incomplete) {
            side.finished = true;
            side.stream.release();
          }
          break;
        }
      }
    }
    if (notTls) {
      side.finished = true;
      side.stream.release();
      if (!clientHello_ && !serverHello_) return Verdict::NotMine;
    }
  }
  if (clientHello_ && serverHello_) return Verdict::Done;
  if (sides_[0].finished && sides_[1].finished) {
    return (clientHello_ || serverHello_) ? Verdict::Done : Verdict::NotMine;
  }
  return Verdict::NeedMore;
}

}  // namespace rustnet::dpi::tls
