#include "dpi/dns/dns_analyzer.h"

#include <algorithm>
#include <array>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "core/text.h"
#include "dpi/dns/dns_message.h"
#include "dpi/facts.h"
#include "dpi/dns/dns_facts.h"
#include "dpi/stream.h"

namespace rustnet::dpi::dns {
namespace {

constexpr std::uint16_t kDnsPort = 53;
constexpr std::uint16_t kMdnsPort = 5353;
constexpr std::uint16_t kLlmnrPort = 5355;

AppProto protoFor(const FlowInfo& flow) {
  if (flow.eitherPort(kDnsPort)) return &kDns;
  if (flow.eitherPort(kMdnsPort)) return &kMdns;
  if (flow.eitherPort(kLlmnrPort)) return &kLlmnr;
  return &kDns;  // a standard query on another port (looksLikeStandardQuery)
}

// The message's size to hold its header's record counts against: a cut message is longer
// on the wire than the bytes we have, by an unknown amount.
std::size_t sizeForPlausibility(core::Bytes msg, bool cut) {
  return cut ? std::numeric_limits<std::size_t>::max() : msg.size();
}

class DnsAnalyzer final : public Analyzer {
public:
  explicit DnsAnalyzer(const FlowInfo& flow)
      : proto_(protoFor(flow)) {
    if (flow.transport == Transport::Tcp) sides_ = std::make_unique<std::array<TcpSide, 2>>();
  }

  Verdict feed(const Segment& seg, Context& ctx) override;

private:
  // DNS over TCP (RFC 1035 §4.2.2): each message behind a 2-byte length.
  struct TcpSide : FramedSide {
    std::array<std::uint8_t, 2> prefix{};
    std::uint8_t prefixHave = 0;
    std::size_t want = 0;  // bytes of the current message kept (≤ kMaxDnsTcpMessageBytes)
    std::size_t skip = 0;  // bytes of the current message (or lost stream) passed over
  };

  // `cut`: only the first kMaxDnsTcpMessageBytes of a longer message; running off its end
  // is then expected, not malformed.
  Verdict message(core::Bytes msg, Context& ctx, bool cut = false);
  Verdict feedTcp(TcpSide& side, core::Bytes data, Context& ctx);
  void noteName(DnsFacts& d, std::string_view name, Context& ctx);

  AppProto proto_;
  Message msg_;
  // TCP framing state, per Direction; absent for UDP, where each datagram is a message
  // (most DNS flows: their analyzers then carry no framing state at all).
  std::unique_ptr<std::array<TcpSide, 2>> sides_;
  bool namesCapCounted_ = false;
};

void DnsAnalyzer::noteName(DnsFacts& d, std::string_view raw, Context& ctx) {
  if (namesCapCounted_) return;
  const std::string name = core::capWireString(raw);
  if (std::find(d.names.begin(), d.names.end(), name) != d.names.end()) return;
  d.names.push_back(name);
  if (d.names.size() == kMaxDnsNames) {
    // Full: later names are no longer looked for.
    ctx.counters.capHit(Cap::DnsNames);
    namesCapCounted_ = true;
  }
}

Verdict DnsAnalyzer::message(core::Bytes bytes, Context& ctx, bool cut) {
  const DnsFacts* seen = ctx.facts.find<DnsFacts>();
  // After the first exchange only question names are still collected.
  const bool monitoring = seen != nullptr && seen->responseSeen;
  ParseStatus st = parseMessage(bytes, msg_, ctx.counters, !monitoring);
  if (cut && st == ParseStatus::Malformed) st = ParseStatus::Ok;
  const bool mine = ctx.facts.proto() == proto_;
  if (st == ParseStatus::NotDns ||
      (!mine && !plausibleHeader(msg_.header, sizeForPlausibility(bytes, cut)))) {
    return mine ? Verdict::Malformed : Verdict::NotMine;
  }
  if (!ctx.facts.setProto(proto_)) return Verdict::NotMine;

  auto& d = ctx.facts.get<DnsFacts>();
  const Header& h = msg_.header;
  const auto takeQuestion = [&] {
    d.id = h.id;
    d.qname = core::capWireString(msg_.qname);
    d.qtype = msg_.qtype;
  };
  if (!h.isResponse()) {
    if (!d.querySeen && !d.responseSeen) {
      takeQuestion();
      d.querySeen = true;
    } else if (d.qname.empty() && msg_.hasQuestion) {
      // An mDNS flow may open with an announcement that asks nothing.
      d.qname = core::capWireString(msg_.qname);
      d.qtype = msg_.qtype;
    }
    ctx.facts.advanceState(&kQuery);
  } else if (!d.responseSeen && (!d.querySeen || d.id == h.id)) {
    // The response to the first query (or the first response when its query was missed).
    if (!d.querySeen && msg_.hasQuestion) takeQuestion();
    if (!d.querySeen) d.id = h.id;
    d.responseSeen = true;
    d.rcode = h.rcode();
    d.answerCount = h.anCount;
    // Moved, not copied: from here on only questions are parsed, so the parser's answer
    // buffer would sit unused for the rest of the flow.
    d.answers = std::move(msg_.answers);
    msg_.answers.clear();
    ctx.facts.advanceState(&kResponse);
  }
  if (msg_.hasQuestion) {
    noteName(d, msg_.qname, ctx);
    for (std::size_t i = 0; i < msg_.moreCount; ++i) noteName(d, msg_.moreQuestions[i], ctx);
  }
  if (st == ParseStatus::Malformed) {
    if (!monitoring) return Verdict::Malformed;
    ++ctx.counters.malformed;  // a later broken message: counted, and the flow still watched
  }
  if (!d.responseSeen) return Verdict::NeedMore;
  // Keep watching (cheaply: header and questions) for more names until the list is full.
  return namesCapCounted_ ? Verdict::Done : Verdict::Monitor;
}

Verdict DnsAnalyzer::feedTcp(TcpSide& side, core::Bytes data, Context& ctx) {
  // Every pass consumes at least one byte, so a segment is walked in bounded time however
  // many messages it holds.
  Verdict last = ctx.facts.proto() == proto_ && ctx.facts.find<DnsFacts>() != nullptr &&
                         ctx.facts.find<DnsFacts>()->responseSeen
                     ? Verdict::Monitor
                     : Verdict::NeedMore;
  while (!data.empty() && !side.lost) {
    if (side.skip > 0) {
      const std::size_t n = std::min(side.skip, data.size());
      side.skip -= n;
      data = data.subspan(n);
      continue;
    }
    if (side.prefixHave < 2) {
      side.prefix[side.prefixHave++] = data[0];
      data = data.subspan(1);
      if (side.prefixHave == 2) {
        const std::size_t len = (std::size_t{side.prefix[0]} << 8) | side.prefix[1];
        side.want = std::min(len, kMaxDnsTcpMessageBytes);
        side.skip = 0;
        if (len > side.want) ctx.counters.capHit(Cap::DnsTcpBytes);
        if (len < kDnsHeaderBytes) {
          if (ctx.facts.proto() != proto_) return Verdict::NotMine;
          return Verdict::Malformed;
        }
      }
      continue;
    }
    core::Bytes whole;
    if (side.buf.empty() && data.size() >= side.want) {
      whole = data.first(side.want);  // the common case: no copy
      data = data.subspan(side.want);
    } else {
      const std::size_t n = std::min(side.want - side.buf.size(), data.size());
      side.buf.insert(side.buf.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
      data = data.subspan(n);
      if (side.buf.size() < side.want) break;
      whole = side.buf;
    }
    const std::size_t len = (std::size_t{side.prefix[0]} << 8) | side.prefix[1];
    side.skip = len - side.want;
    side.prefixHave = 0;
    last = message(whole, ctx, side.skip > 0);
    side.buf.clear();
    if (last != Verdict::NeedMore && last != Verdict::Monitor) return last;
  }
  return last;
}

Verdict DnsAnalyzer::feed(const Segment& seg, Context& ctx) {
  if (!sides_) return message(seg.data, ctx, seg.cut);
  auto& sides = *sides_;
  TcpSide& side = sides[static_cast<std::size_t>(seg.dir)];
  const Verdict v = feedTcp(side, side.accept(seg.tcpSeq, seg.data), ctx);
  if ((v == Verdict::NeedMore || v == Verdict::Monitor) && sides[0].lost && sides[1].lost) {
    return ctx.facts.proto() == proto_ ? Verdict::Done : Verdict::NotMine;
  }
  return v;
}

Confidence probe(const FlowInfo& flow, const Segment& seg) {
  const bool known = flow.eitherPort(kDnsPort) || flow.eitherPort(kMdnsPort) ||
                     flow.eitherPort(kLlmnrPort);
  if (flow.transport == Transport::Udp) {
    if (!known) return looksLikeStandardQuery(seg.data) ? Confidence::Port : Confidence::None;
    const auto h = parseHeader(seg.data);
    return h && plausibleHeader(*h, sizeForPlausibility(seg.data, seg.cut)) ? Confidence::Port
                                                                            : Confidence::None;
  }
  if (!flow.eitherPort(kDnsPort) && !flow.eitherPort(kLlmnrPort)) return Confidence::None;
  // A first segment may carry only the length prefix; judge the header when it is there.
  core::Cursor c(seg.data);
  const auto len = c.be16();
  if (!len) return Confidence::Port;
  const auto h = parseHeader(c.rest());
  if (!h) return *len >= kDnsHeaderBytes ? Confidence::Port : Confidence::None;
  return plausibleHeader(*h, *len) ? Confidence::Port : Confidence::None;
}

std::unique_ptr<Analyzer> create(const FlowInfo& flow) {
  return std::make_unique<DnsAnalyzer>(flow);
}

constexpr std::array<AppProto, 3> kProtocols{&kDns, &kMdns, &kLlmnr};
constexpr std::array<const FactsKind*, 1> kKinds{&DnsFacts::kKind};

}  // namespace

const AnalyzerEntry kEntry{"dns", transports::kBoth, kProtocols, kKinds, &probe, &create};

}  // namespace rustnet::dpi::dns
