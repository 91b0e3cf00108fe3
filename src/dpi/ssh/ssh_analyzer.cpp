#include "dpi/ssh/ssh_analyzer.h"

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "dpi/counters.h"
#include "dpi/facts.h"
#include "dpi/ssh/ssh_facts.h"
#include "dpi/ssh/ssh_kexinit.h"
#include "dpi/stream.h"

namespace rustnet::dpi::ssh {
namespace {

constexpr std::string_view kBannerPrefix = "SSH-";
// OpenSSH refuses packets above 256 KiB; a larger length means we are not looking at a
// plaintext binary packet (RFC 4253 §6).
constexpr std::uint32_t kMaxSshPacketLength = 256 * 1024;
constexpr std::size_t kPacketHeadBytes = 6;  // packet_length, padding_length, msg type

// The encrypted phase is inferred from traffic volume, because message types are no longer
// visible: authentication (service request/accept, one or more userauth request/reply
// pairs) takes about three packets each way, so a fourth payload segment in each direction
// after the keys changed marks the session as established. A capture holding one direction
// only needs twice as many segments from that side.
constexpr std::uint32_t kEstablishedSegmentsEachWay = 4;
constexpr std::uint32_t kEstablishedSegmentsOneWay = 8;

std::string_view asText(core::Bytes b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// "SSH-protoversion-softwareversion SP comments" (RFC 4253 §4.2), CR LF already removed.
bool parseBanner(std::string_view line, SshBanner& out) {
  if (!line.starts_with(kBannerPrefix)) return false;
  line.remove_prefix(kBannerPrefix.size());
  const auto dash = line.find('-');
  if (dash == std::string_view::npos || dash == 0) return false;
  const auto rest = line.substr(dash + 1);
  const auto sp = rest.find(' ');
  out.protoVersion = core::capWireString(line.substr(0, dash));
  out.software = core::capWireString(rest.substr(0, sp));
  out.comment = sp == std::string_view::npos ? std::string() : core::capWireString(rest.substr(sp + 1));
  out.seen = true;
  return true;
}

bool plaintextMessageType(std::uint8_t t) {
  // Transport-layer generic messages and key-exchange messages: all a peer may send before
  // its NEWKEYS.
  return (t >= 1 && t <= 4) || (t >= 20 && t <= 49);
}

class SshAnalyzer final : public Analyzer {
public:
  explicit SshAnalyzer(const FlowInfo& flow) : clientDir_(flow.clientToServer()) {}
  Verdict feed(const Segment& seg, Context& ctx) override;

private:
  enum class Phase : std::uint8_t { Banner, Packets, Encrypted, Lost };
  struct Side {
    StreamOrder order;
    Phase phase = Phase::Banner;
    std::string line;  // banner line being collected
    std::size_t bannerBytes = 0;
    std::array<std::uint8_t, kPacketHeadBytes> head{};
    std::uint8_t headHave = 0;
    std::size_t skip = 0;             // bytes of the current packet still to pass over
    std::size_t kexWant = 0;          // KEXINIT body bytes being collected into kexBuf
    std::vector<std::uint8_t> kexBuf;
    bool newkeysPending = false;      // NEWKEYS read; keys change after its padding
    bool newkeys = false;
    bool kexinit = false;
    std::uint32_t encrypted = 0;      // payload segments after the keys changed
  };

  bool isClient(const Side& s) const { return &s == &sides_[static_cast<std::size_t>(clientDir_)]; }
  // Each returns the bytes it did not consume; `ok` false on input that is not SSH.
  std::string_view banner(Side& side, std::string_view data, Context& ctx, bool& ok);
  std::string_view packets(Side& side, std::string_view data, Context& ctx, bool& ok);
  void kexinitBody(Side& side, core::Bytes body, Context& ctx, bool& ok);
  Verdict progress(Context& ctx);

  Direction clientDir_;
  Side sides_[2];
  // Both sides' name-lists (indexed by Direction), allocated at the first KEXINIT and
  // freed once the algorithms are negotiated: ~0.5 KiB plus the lists, needed only then.
  std::unique_ptr<std::array<KexInit, 2>> kex_;
  bool negotiated_ = false;
};

std::string_view SshAnalyzer::banner(Side& side, std::string_view data, Context& ctx, bool& ok) {
  while (!data.empty()) {
    const auto nl = data.find('\n');
    const std::size_t take = nl == std::string_view::npos ? data.size() : nl + 1;
    if (side.bannerBytes + take > kMaxSshBannerBytes) {
      ctx.counters.capHit(Cap::SshBannerBytes);
      side.phase = Phase::Lost;
      ok = ctx.facts.proto() == &kSsh;
      return {};
    }
    side.bannerBytes += take;
    if (nl == std::string_view::npos) {
      side.line.append(data);
      return {};
    }
    side.line.append(data.substr(0, nl));
    data.remove_prefix(nl + 1);
    std::string_view line = side.line;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.starts_with(kBannerPrefix)) {
      SshBanner b;
      if (!parseBanner(line, b)) {
        ok = false;
        return {};
      }
      if (!ctx.facts.setProto(&kSsh)) {
        ok = false;
        return {};
      }
      auto& ssh = ctx.facts.get<SshFacts>();
      SshBanner& slot = isClient(side) ? ssh.client : ssh.server;
      if (!slot.seen) slot = std::move(b);
      ctx.facts.advanceState(&kBanner);
      if (ssh.client.seen && ssh.server.seen) ctx.facts.advanceState(&kKeyExchange);
      side.phase = Phase::Packets;
      side.line.clear();
      side.line.shrink_to_fit();
      return data;
    }
    // A server may send other lines before its identification (RFC 4253 §4.2).
    side.line.clear();
  }
  return data;
}

void SshAnalyzer::kexinitBody(Side& side, core::Bytes body, Context& ctx, bool& ok) {
  if (!kex_) kex_ = std::make_unique<std::array<KexInit, 2>>();
  KexInit& k = (*kex_)[&side == &sides_[0] ? 0 : 1];
  if (!parseKexinit(body, k, ctx.counters)) {
    ok = false;
    return;
  }
  auto& ssh = ctx.facts.get<SshFacts>();
  (isClient(side) ? ssh.clientKexinitSeen : ssh.serverKexinitSeen) = true;
  if (ssh.clientKexinitSeen && ssh.serverKexinitSeen && !negotiated_) {
    const auto c = static_cast<std::size_t>(clientDir_);
    ssh.negotiated = negotiateAll((*kex_)[c], (*kex_)[1 - c]);
    negotiated_ = true;
    kex_.reset();
  }
}

std::string_view SshAnalyzer::packets(Side& side, std::string_view data, Context& ctx, bool& ok) {
  while (!data.empty() && side.phase == Phase::Packets) {
    if (side.kexWant > 0) {
      const std::size_t n = std::min(side.kexWant - side.kexBuf.size(), data.size());
      side.kexBuf.insert(side.kexBuf.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
      data.remove_prefix(n);
      if (side.kexBuf.size() < side.kexWant) break;
      kexinitBody(side, side.kexBuf, ctx, ok);
      side.kexWant = 0;
      side.kexBuf.clear();
      side.kexBuf.shrink_to_fit();
      if (!ok) return {};
      continue;
    }
    if (side.skip > 0) {
      const std::size_t n = std::min(side.skip, data.size());
      side.skip -= n;
      data.remove_prefix(n);
      if (side.skip == 0 && side.newkeysPending) {
        side.newkeys = true;
        side.phase = Phase::Encrypted;
      }
      continue;
    }
    while (side.headHave < kPacketHeadBytes && !data.empty()) {
      side.head[side.headHave++] = static_cast<std::uint8_t>(data.front());
      data.remove_prefix(1);
    }
    if (side.headHave < kPacketHeadBytes) break;
    side.headHave = 0;
    core::Cursor c(side.head);
    const std::uint32_t len = *c.be32();
    const std::uint8_t pad = *c.u8();
    const std::uint8_t type = *c.u8();
    if (len > kMaxSshPacketLength || len < std::size_t{pad} + 2 || !plaintextMessageType(type)) {
      // Not a plaintext packet. After our KEXINIT this is most likely encrypted traffic
      // whose NEWKEYS we missed; before it, the stream is not one we understand.
      side.phase = side.kexinit ? Phase::Encrypted : Phase::Lost;
      if (side.kexinit) ++side.encrypted;
      return {};  // the segment is opaque from here
    }
    const std::size_t bodyLen = len - pad - 2;  // payload after the type byte
    side.skip = len - 2;
    if (type == kMsgNewkeys) {
      side.newkeysPending = true;
      if (side.skip == 0) {
        side.newkeys = true;
        side.phase = Phase::Encrypted;
      }
    } else if (type == kMsgKexinit && !side.kexinit) {
      side.kexinit = true;
      ctx.facts.advanceState(&kKeyExchange);
      if (bodyLen > kMaxSshKexinitBytes) {
        ctx.counters.capHit(Cap::SshKexinitBytes);
      } else if (data.size() >= bodyLen) {
        kexinitBody(side, core::Bytes(reinterpret_cast<const std::uint8_t*>(data.data()), bodyLen), ctx, ok);
        if (!ok) return {};
        data.remove_prefix(bodyLen);
        side.skip = pad;
      } else {
        side.kexWant = bodyLen;
        side.kexBuf.reserve(bodyLen);
        side.skip = pad;
      }
    }
  }
  return data;
}

Verdict SshAnalyzer::progress(Context& ctx) {
  const Side& a = sides_[0];
  const Side& b = sides_[1];
  if ((a.newkeys && b.newkeys) || (a.newkeys && a.encrypted > 0) || (b.newkeys && b.encrypted > 0)) {
    ctx.facts.advanceState(&kAuthentication);
  }
  const bool bothWays = a.encrypted >= kEstablishedSegmentsEachWay &&
                        b.encrypted >= kEstablishedSegmentsEachWay;
  const bool oneWay = (a.encrypted >= kEstablishedSegmentsOneWay && b.phase == Phase::Banner &&
                       b.bannerBytes == 0) ||
                      (b.encrypted >= kEstablishedSegmentsOneWay && a.phase == Phase::Banner &&
                       a.bannerBytes == 0);
  if (ctx.facts.state() != nullptr && ctx.facts.state()->family == kAuthentication.family &&
      ctx.facts.state()->rank >= kAuthentication.rank && (bothWays || oneWay)) {
    ctx.facts.advanceState(&kEstablished);
    return Verdict::Done;
  }
  const bool aStuck = a.phase == Phase::Lost;
  const bool bStuck = b.phase == Phase::Lost;
  if (aStuck && bStuck) return Verdict::Done;
  return Verdict::NeedMore;
}

Verdict SshAnalyzer::feed(const Segment& seg, Context& ctx) {
  Side& side = sides_[static_cast<std::size_t>(seg.dir)];
  const auto acc = side.order.accept(seg.tcpSeq, seg.data);
  if (acc.gap && side.phase != Phase::Encrypted) {
    // Framing is lost; past our KEXINIT the keys have probably changed meanwhile.
    side.phase = side.kexinit ? Phase::Encrypted : Phase::Lost;
    side.kexWant = 0;
    side.kexBuf.clear();
  }
  if (acc.data.empty()) return progress(ctx);
  std::string_view data = asText(acc.data);
  bool ok = true;
  if (side.phase == Phase::Banner) data = banner(side, data, ctx, ok);
  if (ok && side.phase == Phase::Packets) {
    data = packets(side, data, ctx, ok);
    // Bytes after the NEWKEYS in the same segment are the first encrypted ones.
    if (ok && side.phase == Phase::Encrypted && !data.empty()) ++side.encrypted;
  } else if (ok && side.phase == Phase::Encrypted) {
    ++side.encrypted;
  }
  if (!ok) {
    return ctx.facts.proto() == &kSsh ? Verdict::Malformed : Verdict::NotMine;
  }
  return progress(ctx);
}

Confidence probe(const FlowInfo& /*flow*/, const Segment& seg) {
  return asText(seg.data).starts_with(kBannerPrefix) ? Confidence::Content : Confidence::None;
}

std::unique_ptr<Analyzer> create(const FlowInfo& flow) { return std::make_unique<SshAnalyzer>(flow); }

constexpr std::array<AppProto, 1> kProtocols{&kSsh};
constexpr std::array<const FactsKind*, 1> kKinds{&SshFacts::kKind};

}  // namespace

const AnalyzerEntry kEntry{"ssh", transports::kTcp, kProtocols, kKinds, &probe, &create};

}  // namespace rustnet::dpi::ssh
