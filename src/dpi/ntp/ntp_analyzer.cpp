#include "dpi/ntp/ntp_analyzer.h"

#include <array>
#include <memory>

#include "dpi/facts.h"

namespace rustnet::dpi::ntp {

namespace {

// ntpd's mode-7 implementation numbers: universal, old xntpd, xntpd.
bool knownImplementation(std::uint8_t impl) { return impl == 0 || impl == 2 || impl == 3; }

// Mode 6: R E M opcode(5), sequence, status, association, offset, count, data.
bool plausibleControl(core::Bytes msg, NtpHeader& h) {
  if (msg.size() < kControlHeaderBytes) return false;
  const std::uint8_t flags = msg[1];
  h.reply = (flags & 0x80u) != 0;
  const std::uint8_t opcode = flags & 0x1fu;
  // A request sets neither the error nor the more bit; opcode 0 is reserved.
  if (opcode == 0 || (!h.reply && (flags & 0x60u) != 0)) return false;
  const std::size_t count = (std::size_t{msg[10]} << 8) | msg[11];
  return count <= kMaxControlDataBytes && kControlHeaderBytes + count <= msg.size();
}

// Mode 7: R M VN mode, auth+sequence, implementation, request, err/nitems, mbz/itemsize.
bool plausiblePrivate(core::Bytes msg, NtpHeader& h) {
  if (msg.size() < kPrivateHeaderBytes) return false;
  h.reply = (msg[0] & 0x80u) != 0;
  // A request is never "more" of anything, nor carries an error.
  if (!h.reply && ((msg[0] & 0x40u) != 0 || (msg[4] & 0xf0u) != 0)) return false;
  if (!knownImplementation(msg[2]) || (msg[6] & 0xf0u) != 0) return false;
  const std::size_t items = ((std::size_t{msg[4]} & 0x0fu) << 8) | msg[5];
  const std::size_t itemSize = ((std::size_t{msg[6]} & 0x0fu) << 8) | msg[7];
  return items * itemSize <= msg.size() - kPrivateHeaderBytes;  // both < 4096: no overflow
}

// Modes 0-5: the 48-byte header, then whole 4-byte words.
bool plausibleHeader(core::Bytes msg, NtpHeader& h) {
  if (msg.size() < kNtpHeaderBytes || (msg.size() - kNtpHeaderBytes) % 4 != 0) return false;
  h.clock.stratum = msg[1];
  h.clock.poll = static_cast<std::int8_t>(msg[2]);
  h.clock.precision = static_cast<std::int8_t>(msg[3]);
  for (std::size_t i = 0; i < h.clock.refid.size(); ++i) h.clock.refid[i] = msg[12 + i];
  return h.clock.stratum <= kStratumUnsynchronised;
}

}  // namespace

std::optional<NtpHeader> parseNtpHeader(core::Bytes msg) {
  if (msg.empty() || msg.size() > kMaxNtpMessageBytes) return std::nullopt;
  NtpHeader h;
  h.version = (msg[0] >> 3) & 7u;
  h.mode = msg[0] & 7u;
  if (h.version < 1 || h.version > 4) return std::nullopt;
  // Version 1 had no mode field (RFC 1059: those bits are zero); later versions must set one.
  if (h.mode == mode::kUnspecified && h.version != 1) return std::nullopt;
  bool ok = false;
  switch (h.mode) {
    case mode::kControl: ok = plausibleControl(msg, h); break;
    case mode::kPrivate: ok = plausiblePrivate(msg, h); break;
    default: ok = plausibleHeader(msg, h); break;
  }
  if (!ok) return std::nullopt;
  return h;
}

namespace {

class NtpAnalyzer final : public Analyzer {
public:
  Verdict feed(const Segment& seg, Context& ctx) override;

private:
  enum class Role : std::uint8_t { Request, Response };
  [[nodiscard]] Role roleOf(const NtpHeader& h, Direction dir) const;

  std::optional<Direction> requestDir_;
};

NtpAnalyzer::Role NtpAnalyzer::roleOf(const NtpHeader& h, Direction dir) const {
  switch (h.mode) {
    case mode::kClient: return Role::Request;
    case mode::kServer:
    case mode::kSymmetricPassive:
    case mode::kBroadcast: return Role::Response;  // a broadcast answers nobody in particular
    case mode::kControl:
    case mode::kPrivate: return h.reply ? Role::Response : Role::Request;
    default:
      // Symmetric active (and version 1, which names no mode): both peers may send the
      // same mode; whoever spoke second answers.
      return requestDir_ && *requestDir_ != dir ? Role::Response : Role::Request;
  }
}

Verdict NtpAnalyzer::feed(const Segment& seg, Context& ctx) {
  const auto h = parseNtpHeader(seg.data);
  if (!h) return ctx.facts.proto() == &kNtp ? Verdict::Malformed : Verdict::NotMine;
  if (!ctx.facts.setProto(&kNtp)) return Verdict::NotMine;

  auto& f = ctx.facts.get<NtpFacts>();
  f.ipv6 = ctx.flow.ipv6;
  if (!f.requestSeen && !f.responseSeen) {
    f.version = h->version;
    f.mode = h->mode;
  }
  const bool hasClock = h->mode <= mode::kBroadcast;
  if (roleOf(*h, seg.dir) == Role::Request) {
    if (!requestDir_) requestDir_ = seg.dir;
    f.requestSeen = true;
    // A peer in symmetric mode describes a clock it offers; a client only its own state.
    if (h->mode == mode::kSymmetricActive && !f.clockKnown) {
      f.clock = h->clock;
      f.clockKnown = true;
    }
    ctx.facts.advanceState(&kRequest);
    return Verdict::NeedMore;
  }
  f.responseSeen = true;
  if (hasClock) {
    f.clock = h->clock;
    f.clockKnown = true;
  }
  ctx.facts.advanceState(&kResponse);
  return Verdict::Done;
}

Confidence probe(const FlowInfo& flow, const Segment& seg) {
  if (!flow.eitherPort(kNtpPort)) return Confidence::None;
  return parseNtpHeader(seg.data) ? Confidence::Port : Confidence::None;
}

std::unique_ptr<Analyzer> create(const FlowInfo& /*flow*/) { return std::make_unique<NtpAnalyzer>(); }

constexpr std::array<AppProto, 1> kProtocols{&kNtp};
constexpr std::array<const FactsKind*, 1> kKinds{&NtpFacts::kKind};

}  // namespace

const AnalyzerEntry kEntry{"ntp", transports::kUdp, kProtocols, kKinds, &probe, &create};

}  // namespace rustnet::dpi::ntp
