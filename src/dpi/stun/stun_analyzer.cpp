#include "dpi/stun/stun_analyzer.h"

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

#include "core/text.h"
#include "dpi/facts.h"
#include "dpi/stream.h"
#include "dpi/stun/stun_facts.h"
#include "dpi/stun/stun_message.h"

namespace rustnet::dpi::stun {
namespace {

// TURN ChannelData (RFC 8656 §12.4): a channel number 0x4000-0x4fff and a length; over TCP
// its data is padded to 4 bytes. It shares the stream with STUN messages.
constexpr std::size_t kChannelHeaderBytes = 4;

std::size_t padded4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

void setOnce(std::string& field, std::string_view value) {
  if (field.empty() && !value.empty()) field = core::capWireString(value);
}

void setOnce(StunAddress& field, const MappedAddress& value) {
  if (field.seen || !value.seen) return;
  field.seen = true;
  field.addr = value.addr;
  field.port = value.port;
}

class StunAnalyzer final : public Analyzer {
public:
  explicit StunAnalyzer(const FlowInfo& flow) : classicAllowed_(flow.eitherPort(kStunPort)) {
    if (flow.transport == Transport::Tcp) sides_ = std::make_unique<std::array<TcpSide, 2>>();
  }

  Verdict feed(const Segment& seg, Context& ctx) override;

private:
  // STUN over TCP (RFC 8489 §6.2.2): messages back to back, framed by their own length.
  struct TcpSide : FramedSide {
    std::size_t want = 0;  // bytes of the current message to read; 0: header first
    std::size_t skip = 0;  // bytes of ChannelData passed over
    bool cut = false;      // the current message is longer than kept
  };

  Verdict udp(core::Bytes data, Context& ctx);
  Verdict tcp(TcpSide& side, core::Bytes data, Context& ctx);
  Verdict message(core::Bytes bytes, Context& ctx, bool cut);
  [[nodiscard]] Verdict progress() const {
    return successSeen_ || messages_ >= kMaxStunMessages ? Verdict::Done : Verdict::NeedMore;
  }
  [[nodiscard]] Verdict notStun(const Context& ctx) const {
    return ctx.facts.proto() == &kStun ? Verdict::Malformed : Verdict::NotMine;
  }

  bool classicAllowed_;
  std::size_t messages_ = 0;
  bool successSeen_ = false;
  Message msg_;
  // TCP framing state, per Direction; absent for UDP, where each datagram is a message.
  std::unique_ptr<std::array<TcpSide, 2>> sides_;
};

Verdict StunAnalyzer::message(core::Bytes bytes, Context& ctx, bool cut) {
  if (parseMessage(bytes, classicAllowed_, cut, msg_) != ParseStatus::Ok) return notStun(ctx);
  if (!ctx.facts.setProto(&kStun)) return Verdict::NotMine;
  auto& f = ctx.facts.get<StunFacts>();
  const Header& h = msg_.header;
  const auto id = core::Bytes(h.id).subspan(h.idOffset(), h.idLength());
  const std::uint8_t cls = h.msgClass();
  const bool response = cls == kClassSuccess || cls == kClassError;
  if (f.transactionIdLen == 0) {
    f.type = h.type;
    f.classic = h.classic;
    std::copy(id.begin(), id.end(), f.transactionId.begin());
    f.transactionIdLen = static_cast<std::uint8_t>(id.size());
  }
  const bool firstIsRequest = Header{f.type}.msgClass() == kClassRequest;
  const bool sameTransaction =
      id.size() == f.transactionIdLen && std::equal(id.begin(), id.end(), f.transactionId.begin());
  if (response && !f.responseSeen && (!firstIsRequest || sameTransaction)) {
    f.responseSeen = true;
    f.responseType = h.type;
    if (cls == kClassError) f.errorCode = msg_.errorCode;
  }
  setOnce(f.mapped, msg_.mapped);
  setOnce(f.xorMapped, msg_.xorMapped);
  setOnce(response ? f.serverSoftware : f.software, msg_.software);
  setOnce(f.username, msg_.username);
  setOnce(f.realm, msg_.realm);
  if (cls == kClassSuccess) successSeen_ = true;
  ++messages_;
  return progress();
}

Verdict StunAnalyzer::udp(core::Bytes data, Context& ctx) {
  const auto h = parseHeader(data, classicAllowed_);
  if (h && kHeaderBytes + h->length == data.size()) return message(data, ctx, false);
  // A header with the cookie whose length does not fit the datagram is a broken message.
  if (h && !h->classic) return notStun(ctx);
  // ICE multiplexes DTLS, RTP and TURN ChannelData on the same ports (RFC 7983): passed over.
  return ctx.facts.proto() == &kStun ? progress() : Verdict::NotMine;
}

Verdict StunAnalyzer::tcp(TcpSide& side, core::Bytes data, Context& ctx) {
  Verdict last = ctx.facts.proto() == &kStun ? progress() : Verdict::NeedMore;
  // Every pass consumes at least one byte or leaves the loop, so a segment is walked in
  // bounded time however many messages it holds.
  while (!data.empty() && !side.lost) {
    if (side.skip > 0) {
      const std::size_t n = std::min(side.skip, data.size());
      side.skip -= n;
      data = data.subspan(n);
      continue;
    }
    if (side.want == 0) {
      // The first 4 bytes tell ChannelData from STUN; a STUN header then needs 20.
      const std::size_t need = side.buf.size() < kChannelHeaderBytes ? kChannelHeaderBytes : kHeaderBytes;
      const std::size_t n = std::min(need - side.buf.size(), data.size());
      side.buf.insert(side.buf.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
      data = data.subspan(n);
      if (side.buf.size() < need) break;
      if (need == kChannelHeaderBytes && (side.buf[0] & 0xf0) == 0x40) {
        if (ctx.facts.proto() != &kStun) return Verdict::NotMine;
        side.skip = padded4((std::size_t{side.buf[2]} << 8) | side.buf[3]);
        side.buf.clear();
        continue;
      }
      if (need == kChannelHeaderBytes) continue;
      const auto h = parseHeader(side.buf, classicAllowed_);
      if (!h) {
        side.lost = true;  // not STUN: the framing is lost, and with it this side
        return notStun(ctx);
      }
      const std::size_t total = kHeaderBytes + h->length;
      side.want = std::min(total, kMaxStunTcpMessageBytes);
      side.cut = total > side.want;
      // Falls through: a header-only message is already complete.
    }
    // Always copied (at most kMaxStunTcpMessageBytes, the buffer's capacity is reused):
    // messages are small and few per connection.
    if (side.want > side.buf.size()) {
      const std::size_t n = std::min(side.want - side.buf.size(), data.size());
      side.buf.insert(side.buf.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
      data = data.subspan(n);
      if (side.buf.size() < side.want) break;
    }
    last = message(side.buf, ctx, side.cut);
    side.buf.clear();
    side.want = 0;
    if (side.cut && last == Verdict::NeedMore) return Verdict::Done;  // too long to follow
    if (last != Verdict::NeedMore) return last;
  }
  return last;
}

Verdict StunAnalyzer::feed(const Segment& seg, Context& ctx) {
  if (!sides_) return udp(seg.data, ctx);
  auto& sides = *sides_;
  TcpSide& side = sides[static_cast<std::size_t>(seg.dir)];
  const Verdict v = tcp(side, side.accept(seg.tcpSeq, seg.data), ctx);
  if (v == Verdict::NeedMore && sides[0].lost && sides[1].lost) {
    return ctx.facts.proto() == &kStun ? Verdict::Done : Verdict::NotMine;
  }
  return v;
}

Confidence probe(const FlowInfo& flow, const Segment& seg) {
  core::Cursor c(seg.data);
  (void)c.skip(2);
  const std::size_t length = c.be16().value_or(0);
  const bool udp = flow.transport == Transport::Udp;
  // Over UDP a datagram is one message; over TCP it may continue, or others follow.
  const bool fits = udp ? seg.data.size() == kHeaderBytes + length : true;
  if (startsModern(seg.data)) return fits ? Confidence::Content : Confidence::None;
  if (flow.eitherPort(kStunPort) && startsClassic(seg.data) && fits &&
      seg.data.size() >= (udp ? kHeaderBytes : kChannelHeaderBytes)) {
    return Confidence::Port;
  }
  return Confidence::None;
}

std::unique_ptr<Analyzer> create(const FlowInfo& flow) {
  return std::make_unique<StunAnalyzer>(flow);
}

constexpr std::array<AppProto, 1> kProtocols{&kStun};
constexpr std::array<const FactsKind*, 1> kKinds{&StunFacts::kKind};

}  // namespace

const AnalyzerEntry kEntry{"stun", transports::kBoth, kProtocols, kKinds, &probe, &create};

}  // namespace rustnet::dpi::stun
