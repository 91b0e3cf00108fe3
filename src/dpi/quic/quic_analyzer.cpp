#include "dpi/quic/quic_analyzer.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

#include "dpi/counters.h"
#include "dpi/facts.h"
#include "dpi/quic/quic_facts.h"
#include "dpi/quic/frames.h"
#include "dpi/quic/gquic.h"
#include "dpi/tls/hello.h"

namespace rustnet::dpi::quic {

namespace {

constexpr std::size_t kTlsHandshakeHeader = 4;
// Bounds on the idle-timeout hint taken from a peer's transport parameters.
constexpr core::Duration kMinIdleHint = core::Duration::seconds(1);
constexpr core::Duration kMaxIdleHint = core::Duration::seconds(3600);
// After a CONNECTION_CLOSE the endpoints linger about three PTOs (RFC 9000 §10.2); with
// PTO ≈ 3 × RTT that is ~9 RTT, kept within the 1-10 s of SPEC §2 (3 s when RTT is unknown).
constexpr core::Duration kMinCloseHint = core::Duration::seconds(1);
constexpr core::Duration kMaxCloseHint = core::Duration::seconds(10);
constexpr core::Duration kDefaultCloseHint = core::Duration::seconds(3);

std::size_t index(Direction d) { return static_cast<std::size_t>(d); }

QuicCid toCid(core::Bytes b) {
  QuicCid cid;
  cid.len = static_cast<std::uint8_t>(std::min(b.size(), cid.bytes.size()));
  std::copy_n(b.begin(), cid.len, cid.bytes.begin());
  return cid;
}

// RFC 9000 §7.2 / §14.1: a client's first Initial has a DCID of at least 8 bytes and fills
// a datagram of at least 1200 bytes. Either is enough (a capture's snaplen may cut the
// datagram); together with a known version they keep DNS-shaped payloads out.
constexpr std::size_t kMinClientDcid = 8;
constexpr std::size_t kMinInitialDatagram = 1200;

// Cheap content test for the probe: does this datagram open a QUIC flow? Only what a client
// sends first qualifies — an Initial (or 0-RTT) of a version we know, or a Google QUIC
// packet with its version; a Version Negotiation or a server's packet alone is too weak.
bool looksLikeQuic(core::Bytes d) {
  if (d.empty()) return false;
  if ((d[0] & 0x80) == 0) return parseLegacyClientPacket(d).has_value();
  core::Cursor c{d};
  c.skip(1);
  auto version = c.be32();
  if (!version || *version == 0) return false;
  const auto info = versionInfo(*version);
  if (!info) return false;
  if (info->family == Family::GoogleLegacy) return parseLegacyClientPacket(d).has_value();
  LongHeader h;
  if (parseLongHeader(d, info->v2, h) != HeaderStatus::Ok) return false;
  if (h.type != PacketType::Initial && h.type != PacketType::ZeroRtt) return false;
  return h.dcid.size() >= kMinClientDcid || d.size() >= kMinInitialDatagram;
}

Confidence probe(const FlowInfo&, const Segment& seg) {
  return looksLikeQuic(seg.data) ? Confidence::Content : Confidence::None;
}

std::unique_ptr<Analyzer> create(const FlowInfo&) { return std::make_unique<QuicAnalyzer>(); }

// Opened packets are walked at once and never kept, so one buffer per thread serves every
// connection (it grows to the largest datagram once) instead of ~1.5 KiB per QUIC flow.
std::vector<std::uint8_t>& scratch() {
  thread_local std::vector<std::uint8_t> buf;
  return buf;
}

constexpr std::array<AppProto, 1> kProtocols{&kQuic};
constexpr std::array<const FactsKind*, 1> kKinds{&QuicFacts::kKind};

}  // namespace

const AnalyzerEntry kEntry{"quic", transports::kUdp, kProtocols, kKinds, &probe, &create};

void QuicAnalyzer::recognise(std::uint32_t version, Context& ctx) {
  ctx.facts.setProto(&kQuic);
  ctx.facts.advanceState(&kInitial);
  auto& q = ctx.facts.get<QuicFacts>();
  if (q.version == 0 && version != 0) q.version = version;
  recognised_ = true;
}

void QuicAnalyzer::setDcid(core::Bytes dcid) {
  dcidLen_ = static_cast<std::uint8_t>(std::min(dcid.size(), dcid_.size()));
  std::copy_n(dcid.begin(), dcidLen_, dcid_.begin());
}

bool QuicAnalyzer::sameDcid(core::Bytes dcid) const {
  return dcid.size() == dcidLen_ && std::equal(dcid.begin(), dcid.end(), dcid_.begin());
}

void QuicAnalyzer::closeSeen(Direction dir, Context& ctx) {
  closeSent_[index(dir)] = true;
  ctx.facts.get<QuicFacts>().closed = true;
  ctx.facts.advanceState(closeSent_[0] && closeSent_[1] ? &kClosed : &kDraining);
  core::Duration hint = kDefaultCloseHint;
  if (rtt_.ns > 0) hint = std::clamp(rtt_ * 9, kMinCloseHint, kMaxCloseHint);
  ctx.facts.setIdleTimeoutHint(hint);
}

void QuicAnalyzer::tryClientHello(Context& ctx) {
  if (clientHelloDone_) return;
  const core::Bytes s = clientCrypto_.contiguous();
  const bool atCap = clientCrypto_.contiguousToCapacity();
  auto& q = ctx.facts.get<QuicFacts>();
  if (info_ && info_->family == Family::GoogleCrypto) {
    const auto len = chloLength(s);
    if (!len && !atCap) return;
    if (len && *len > s.size() && !atCap) return;
    Chlo chlo;
    parseChlo(s, chlo);
    if (q.sni.empty()) q.sni = std::move(chlo.sni);
  } else {
    if (s.size() < kTlsHandshakeHeader) return;
    if (s[0] != tls::handshake::kClientHello) {
      clientHelloDone_ = true;  // not a ClientHello: nothing to wait for
      clientCrypto_.release();
      return;
    }
    const std::size_t declared = (std::size_t{s[1]} << 16) | (std::size_t{s[2]} << 8) | s[3];
    if (kTlsHandshakeHeader + declared > s.size() && !atCap) return;
    const auto body = s.subspan(kTlsHandshakeHeader, std::min(declared, s.size() - kTlsHandshakeHeader));
    tls::ClientHello ch;
    tls::parseClientHello(body, ch);
    if (q.sni.empty()) q.sni = std::move(ch.sni);
    if (q.alpn.empty()) q.alpn = std::move(ch.alpn);
    const bool varintParams = !info_ || info_->varintTransportParameters;
    const std::uint64_t idle = maxIdleTimeoutMs(ch.quicTransportParameters, varintParams);
    if (idle > 0 && q.maxIdleTimeoutMs == 0) {
      q.maxIdleTimeoutMs = idle;
      const auto hint = core::Duration::millis(
          static_cast<std::int64_t>(std::min<std::uint64_t>(idle, static_cast<std::uint64_t>(kMaxIdleHint.millisI()))));
      // A close already seen decides the linger time; the idle hint no longer applies.
      if (!q.closed) ctx.facts.setIdleTimeoutHint(std::max(hint, kMinIdleHint));
    }
  }
  if (atCap && !cryptoCapCounted_) {
    ctx.counters.capHit(Cap::QuicCryptoBytes);
    cryptoCapCounted_ = true;
  }
  clientHelloDone_ = true;
  clientCrypto_.release();
}

bool QuicAnalyzer::spendDecryption(Context& ctx) {
  if (decryptions_ < kMaxQuicDecryptions) {
    ++decryptions_;
    return true;
  }
  if (!decryptCapCounted_) ctx.counters.capHit(Cap::QuicDecryptions);
  decryptCapCounted_ = true;
  return false;
}

bool QuicAnalyzer::openWithFreshKeys(const LongHeader& h, core::Bytes packet, Direction dir, Context& ctx,
                                     OpenedPacket& opened) {
  // The server's keys are derived only once the packet proved to be a client Initial.
  std::array<std::uint8_t, 32> secret{};
  PacketKeys client;
  if (!spendDecryption(ctx) || !deriveInitialSecret(*info_, h.dcid, secret) ||
      !deriveSideKeys(core::Bytes(secret), false, info_->v2, client)) {
    return false;
  }
  const std::size_t side = index(dir);
  if (openLongHeaderPacket(client, packet, h.pnOffset, largestPn_[side], anyPn_[side], scratch(), opened) !=
      OpenStatus::Ok) {
    return false;
  }
  PacketKeys server;
  if (!deriveSideKeys(core::Bytes(secret), true, info_->v2, server)) return false;
  keys_.client = client;
  keys_.server = server;
  setDcid(h.dcid);
  return true;
}

void QuicAnalyzer::handleInitial(const LongHeader& h, core::Bytes packet, Direction dir, Context& ctx) {
  if (!info_ || info_->salt.empty() || h.truncated) return;
  const std::size_t side = index(dir);
  OpenedPacket opened;
  bool fromClient = false;
  if (!clientDir_) {
    // Which side is the client: the first Initial that opens with client keys derived from
    // its own DCID. Until then server Initials cannot be opened (their keys come from the
    // client's DCID).
    if (!openWithFreshKeys(h, packet, dir, ctx, opened)) return;
    clientDir_ = dir;
    fromClient = true;
    auto& q = ctx.facts.get<QuicFacts>();
    q.dcid = toCid(h.dcid);
    q.scid = toCid(h.scid);
    firstClientInitial_ = ctx.now;
  } else {
    fromClient = dir == *clientDir_;
    if (!spendDecryption(ctx)) return;
    const auto status = openLongHeaderPacket(fromClient ? keys_.client : keys_.server, packet, h.pnOffset,
                                             largestPn_[side], anyPn_[side], scratch(), opened);
    if (status != OpenStatus::Ok) {
      // A client Initial under new keys: after a Retry the client derives them from the
      // server's new connection ID. (Its later Initials to the server's chosen ID keep the
      // first keys, which is why those are tried first.)
      if (!fromClient || sameDcid(h.dcid) || !openWithFreshKeys(h, packet, dir, ctx, opened)) return;
    }
  }
  largestPn_[side] = anyPn_[side] ? std::max(largestPn_[side], opened.packetNumber) : opened.packetNumber;
  anyPn_[side] = true;
  if (fromClient) ctx.facts.get<QuicFacts>().version = h.version;  // the version the client now uses

  const bool google = info_->family == Family::GoogleTls || info_->family == Family::GoogleCrypto;
  const auto walk = walkFrames(opened.payload, google, [&](const CryptoFragment& frag) {
    if (!fromClient || clientHelloDone_) return;  // the server's ServerHello is not needed
    const auto r = clientCrypto_.insert(frag.offset, frag.data);
    if (r != tls::ByteReassembler::Insert::Ok && !cryptoCapCounted_) {
      ctx.counters.capHit(Cap::QuicCryptoBytes);
      cryptoCapCounted_ = true;
    }
  });
  if (walk.capped) ctx.counters.capHit(Cap::QuicPacketsPerDatagram);
  if (walk.connectionClose) closeSeen(dir, ctx);
  if (fromClient) tryClientHello(ctx);
}

void QuicAnalyzer::handleLegacy(core::Bytes datagram, Direction dir, Context& ctx) {
  const auto pkt = parseLegacyClientPacket(datagram);
  if (!pkt) {
    // Packets without a version: the server's, and the client's once the version is agreed.
    shortSeen_[index(dir)] = true;
    return;
  }
  recognise(pkt->version, ctx);
  if (!info_) info_ = versionInfo(pkt->version);
  if (!clientDir_) clientDir_ = dir;
  if (dir != *clientDir_ || clientHelloDone_) return;
  const auto r = clientCrypto_.insert(pkt->streamOffset, pkt->streamData);
  if (r != tls::ByteReassembler::Insert::Ok && !cryptoCapCounted_) {
    ctx.counters.capHit(Cap::QuicCryptoBytes);
    cryptoCapCounted_ = true;
  }
  const core::Bytes s = clientCrypto_.contiguous();
  const auto len = chloLength(s);
  if (!len || (*len > s.size() && !clientCrypto_.contiguousToCapacity())) return;
  Chlo chlo;
  parseChlo(s, chlo);
  auto& q = ctx.facts.get<QuicFacts>();
  if (q.sni.empty()) q.sni = std::move(chlo.sni);
  clientHelloDone_ = true;
  clientCrypto_.release();
}

bool QuicAnalyzer::handleLong(core::Bytes rest, const VersionInfo& info, Direction dir, Context& ctx,
                              std::size_t& consumed) {
  LongHeader h;
  if (parseLongHeader(rest, info.v2, h) != HeaderStatus::Ok) return false;
  consumed = h.length;
  if (!info_ || info_->version != info.version) {
    // The first version seen, or the one a client moved to after Version Negotiation.
    if (!info_ || !clientDir_ || dir == *clientDir_) info_ = info;
  }
  recognise(info.version, ctx);
  if (clientDir_ && dir != *clientDir_ && rtt_.ns == 0 && !firstClientInitial_.isZero()) {
    rtt_ = ctx.now - firstClientInitial_;
  }
  switch (h.type) {
    case PacketType::Initial:
      handleInitial(h, rest.first(h.length), dir, ctx);
      break;
    case PacketType::Handshake:
      // The server's Handshake packet means the server accepted the Initial.
      if (!clientDir_ || dir != *clientDir_) ctx.facts.advanceState(&kHandshake);
      break;
    case PacketType::Retry:
      ctx.facts.get<QuicFacts>().retry = true;
      break;
    case PacketType::ZeroRtt:
    case PacketType::VersionNegotiation:
    case PacketType::Short:
      break;
  }
  return true;
}

Verdict QuicAnalyzer::feed(const Segment& seg, Context& ctx) {
  const core::Bytes d = seg.data;
  std::size_t at = 0;
  for (std::size_t count = 0; at < d.size(); ++count) {
    if (count == kMaxQuicPacketsPerDatagram) {
      ctx.counters.capHit(Cap::QuicPacketsPerDatagram);
      break;
    }
    const core::Bytes rest = d.subspan(at);
    if ((rest[0] & 0x80) == 0 || (info_ && info_->family == Family::GoogleLegacy)) {
      if (!recognised_) {
        if (!parseLegacyClientPacket(rest)) return Verdict::NotMine;
        handleLegacy(rest, seg.dir, ctx);
        break;
      }
      if (info_ && info_->family == Family::GoogleLegacy) {
        handleLegacy(rest, seg.dir, ctx);
      } else {
        shortSeen_[index(seg.dir)] = true;  // a short header runs to the end of the datagram
      }
      break;
    }
    core::Cursor c{rest};
    c.skip(1);
    const auto version = c.be32();
    if (!version) break;
    if (*version == 0) {
      // Version Negotiation only means something as an answer to a QUIC client.
      if (!recognised_) return Verdict::NotMine;
      LongHeader h;
      if (parseLongHeader(rest, false, h) != HeaderStatus::Ok) break;
      recognise(0, ctx);
      ctx.facts.get<QuicFacts>().versionNegotiation = true;
      break;  // Version Negotiation fills the datagram
    }
    const auto info = versionInfo(*version);
    if (!info) {
      if (!recognised_) return Verdict::NotMine;
      break;  // an unknown version after a known one: nothing more to read here
    }
    if (info->family == Family::GoogleLegacy) {
      if (!parseLegacyClientPacket(rest) && !recognised_) return Verdict::NotMine;
      if (!info_) info_ = info;
      handleLegacy(rest, seg.dir, ctx);
      break;
    }
    std::size_t consumed = 0;
    if (!handleLong(rest, *info, seg.dir, ctx, consumed)) {
      if (!recognised_) return Verdict::NotMine;
      break;
    }
    if (consumed == 0) break;
    at += consumed;
  }
  if (shortSeen_[0] && shortSeen_[1]) ctx.facts.advanceState(&kConnected);
  return verdict(ctx);
}

Verdict QuicAnalyzer::verdict(const Context& ctx) const {
  if (!recognised_) return Verdict::NotMine;
  const AppState s = ctx.facts.state();
  if (s == &kConnected || s == &kClosed) return Verdict::Done;
  // Header-only work per packet from here on, and Initial decryption is capped per
  // connection (kMaxQuicDecryptions): cheap enough to keep following the states.
  return Verdict::Monitor;
}

}  // namespace rustnet::dpi::quic
