// Link layers: Ethernet (+ VLAN tags), Linux cooked v1/v2, raw IP, BSD NULL/LOOP, PPP, NFLOG;
// and ARP, which only ever sits directly on a link layer.
#include <algorithm>
#include <cstdint>
#include <optional>

#include "decode/layers.h"

namespace rustnet::decode::detail {
namespace {

constexpr std::uint16_t kEtherVlan = 0x8100;     // 802.1Q customer tag
constexpr std::uint16_t kEtherQinQ = 0x88a8;     // 802.1ad service tag
constexpr std::uint16_t kEtherQinQOld = 0x9100;  // pre-standard QinQ, still in the wild

// Linux ARPHRD_NETLINK: the cooked "protocol" field is then a netlink family, not an
// ethertype, and a family number could collide with nothing useful but is not IP either.
constexpr std::uint16_t kArphrdNetlink = 824;

constexpr std::size_t kSllHeader = 16;
constexpr std::size_t kSll2Header = 20;

// BSD address families as written by DLT_NULL/DLT_LOOP. AF_INET6 differs per OS:
// 24 on NetBSD/OpenBSD, 28 on FreeBSD/DragonFly, 30 on macOS.
constexpr std::uint32_t kBsdAfInet = 2;
constexpr std::uint32_t kBsdAfInet6Net = 24;
constexpr std::uint32_t kBsdAfInet6Free = 28;
constexpr std::uint32_t kBsdAfInet6Darwin = 30;

constexpr std::uint16_t kPppIpv4 = 0x0021;
constexpr std::uint16_t kPppIpv6 = 0x0057;

constexpr std::uint16_t kEtherPppoeSession = 0x8864;
constexpr std::size_t kPppoeHeader = 6;  // version/type, code, session id, payload length

// macOS PKTAP: a little-endian header whose first word is its own length and second the
// DLT of the frame that follows (process metadata in between is not used here).
constexpr std::uint32_t kPktapMinHeader = 8;
constexpr std::uint32_t kPktapMaxHeader = 4096;

constexpr std::uint16_t kArpHwEthernet = 1;
constexpr std::uint16_t kArpHwIeee802 = 6;  // same 6-byte MACs, sent by some stacks

constexpr bool isVlanTag(std::uint16_t t) {
  return t == kEtherVlan || t == kEtherQinQ || t == kEtherQinQOld;
}

// The cursor sits just after an ethertype field holding `type`. Strips stacked tags so that
// `type` ends as the encapsulated protocol; the innermost tag's id is the one reported.
Status stripVlanTags(core::Cursor& c, std::uint16_t& type, PacketView& out) {
  while (isVlanTag(type)) {
    if (out.vlanDepth >= kMaxVlanTags) return Status::Malformed;
    const auto tci = c.be16();
    if (!tci) return Status::Malformed;
    const auto inner = c.be16();
    if (!inner) return Status::Malformed;
    out.vlan = static_cast<std::uint16_t>(*tci & 0x0fff);
    ++out.vlanDepth;
    type = *inner;
  }
  return Status::Ok;
}

// Shared tail of the ethertype-carrying link layers.
Status continueWithEthertype(const Layer& frame, core::Cursor& c, std::uint16_t type,
                             PacketView& out) {
  if (const Status s = stripVlanTags(c, type, out); s != Status::Ok) return s;
  return decodeEthertype(type, after(frame, static_cast<std::uint32_t>(c.position())), out);
}

Status decodeEthernet(const Layer& frame, PacketView& out) {
  core::Cursor c(frame.bytes);
  if (!c.skip(12)) return Status::Malformed;  // destination and source MAC
  const auto type = c.be16();
  if (!type) return Status::Malformed;
  return continueWithEthertype(frame, c, *type, out);
}

Status decodeSll(const Layer& frame, PacketView& out) {
  core::Cursor c(frame.bytes);
  const auto hatype = c.peekBe16(2);
  const auto proto = c.peekBe16(14);
  if (!hatype || !proto || !c.skip(kSllHeader)) return Status::Malformed;
  if (*hatype == kArphrdNetlink) return Status::NotIp;
  return continueWithEthertype(frame, c, *proto, out);
}

Status decodeSll2(const Layer& frame, PacketView& out) {
  core::Cursor c(frame.bytes);
  const auto proto = c.peekBe16(0);
  const auto hatype = c.peekBe16(8);
  if (!proto || !hatype || !c.skip(kSll2Header)) return Status::Malformed;
  if (*hatype == kArphrdNetlink) return Status::NotIp;
  return continueWithEthertype(frame, c, *proto, out);
}

// Maps a BSD address family to an ethertype; 0 when it is not IP.
constexpr std::uint16_t etherTypeForBsdAf(std::uint32_t af) {
  switch (af) {
    case kBsdAfInet: return kEtherIpv4;
    case kBsdAfInet6Net:
    case kBsdAfInet6Free:
    case kBsdAfInet6Darwin: return kEtherIpv6;
    default: return 0;
  }
}

// DLT_NULL stores the family in the byte order of the machine that captured, which a file
// does not record; the two readings cannot both be a known family, so try both.
Status decodeNull(const Layer& frame, PacketView& out, bool networkOrderOnly) {
  core::Cursor c(frame.bytes);
  const auto be = c.peekBe32();
  const auto le = c.le32();
  if (!be || !le) return Status::Malformed;
  std::uint16_t type = etherTypeForBsdAf(*be);
  if (type == 0 && !networkOrderOnly) type = etherTypeForBsdAf(*le);
  if (type == 0) return Status::NotIp;
  return decodeEthertype(type, after(frame, 4), out);
}

Status decodeRawByVersion(const Layer& frame, PacketView& out) {
  core::Cursor c(frame.bytes);
  const auto first = c.peekU8();
  if (!first) return Status::Malformed;
  switch (*first >> 4) {
    case 4: return decodeIpv4(frame, 0, out);
    case 6: return decodeIpv6(frame, 0, out);
    default: return Status::Malformed;
  }
}

// RFC 1661/1662: the ff 03 address/control bytes may be absent (ACFC), and the protocol may
// be compressed to one byte (PFC), recognisable because full protocol numbers are even in
// their first byte and odd in their last.
Status decodePpp(const Layer& frame, PacketView& out) {
  core::Cursor c(frame.bytes);
  if (c.peekU8(0) == std::uint8_t{0xff}) {  // not a protocol number: address and control
    if (c.peekU8(1) != std::uint8_t{0x03}) return Status::Malformed;
    c.skip(2);
  }
  const auto first = c.peekU8();
  if (!first) return Status::Malformed;
  std::uint16_t proto = 0;
  if ((*first & 1) != 0) {
    proto = *first;
    c.skip(1);
  } else {
    const auto full = c.be16();
    if (!full) return Status::Malformed;
    proto = *full;
  }
  const Layer rest = after(frame, static_cast<std::uint32_t>(c.position()));
  switch (proto) {
    case kPppIpv4: return decodeIpv4(rest, 0, out);
    case kPppIpv6: return decodeIpv6(rest, 0, out);
    default: return Status::NotIp;
  }
}

// RFC 2516 session stage: the PPP payload follows a 6-byte header whose length field
// bounds it (Ethernet padding may follow).
Status decodePppoeSession(const Layer& rest, PacketView& out) {
  core::Cursor c(rest.bytes);
  const auto verType = c.u8();
  const auto code = c.u8();
  const auto session = c.be16();
  const auto length = c.be16();
  if (!verType || !code || !session || !length) return Status::Malformed;
  if (*verType != 0x11 || *code != 0) return Status::NotIp;
  const Layer payload = after(rest, kPppoeHeader);
  if (*length > payload.wireLen) return Status::Malformed;
  return decodePpp(clip(payload, *length), out);
}

Status decodePktap(const Layer& frame, PacketView& out) {
  core::Cursor c(frame.bytes);
  const auto headerLen = c.le32();
  const auto innerDlt = c.le32();
  if (!headerLen || !innerDlt) return Status::Malformed;
  if (*headerLen < kPktapMinHeader || *headerLen > kPktapMaxHeader || *headerLen > frame.wireLen) {
    return Status::Malformed;
  }
  if (*headerLen > frame.bytes.size()) return Status::Malformed;
  const Layer inner = after(frame, *headerLen);
  switch (*innerDlt) {
    case 0: return decodeNull(inner, out, false);
    case 1: return decodeEthernet(inner, out);
    case 12:
    case 101: return decodeRawByVersion(inner, out);
    case 108: return decodeNull(inner, out, true);
    default: return Status::Unsupported;
  }
}

// NFLOG (what libpcap reads from netfilter's log groups): a 4-byte header (address family,
// version 0, resource id in network order), then netlink-style TLVs whose 16-bit length
// and type are in the byte order of the host that captured (the file does not say which),
// each padded to 4 bytes. The length covers the TLV's own 4-byte header; the values of
// UID and GID are in network order whatever the host.
constexpr std::uint8_t kNflogAfInet = 2;    // Linux AF_INET
constexpr std::uint8_t kNflogAfInet6 = 10;  // Linux AF_INET6
constexpr std::uint32_t kNflogHeader = 4;
constexpr std::uint32_t kNflogTlvHeader = 4;
constexpr std::uint16_t kNflogTypeMask = 0x7fff;  // netlink's NLA_F_* bits are not the type
constexpr std::uint16_t kNflogMaxType = 0xff;     // NFULA_* types are small; see pickOrder
constexpr std::uint16_t kNfulaPayload = 9;
constexpr std::uint16_t kNfulaPrefix = 10;
constexpr std::uint16_t kNfulaUid = 11;
constexpr std::uint16_t kNfulaGid = 14;

struct NflogTlv {
  std::uint16_t length = 0;
  std::uint16_t type = 0;
};

std::optional<NflogTlv> readNflogTlv(const core::Cursor& c, std::size_t at, bool littleEndian) {
  const auto be = [&](std::size_t off) { return c.peekBe16(off); };
  const auto len = be(at);
  const auto type = be(at + 2);
  if (!len || !type) return std::nullopt;
  const auto host = [&](std::uint16_t v) {
    return littleEndian ? static_cast<std::uint16_t>((v >> 8) | (v << 8)) : v;
  };
  return NflogTlv{host(*len), static_cast<std::uint16_t>(host(*type) & kNflogTypeMask)};
}

// The byte order, from the first TLV: a small type number read in the wrong order is a
// multiple of 256, so at most one order gives a plausible type with a plausible length.
std::optional<bool> pickNflogOrder(const core::Cursor& c) {
  for (const bool le : {true, false}) {
    const auto t = readNflogTlv(c, kNflogHeader, le);
    if (t && t->type != 0 && t->type <= kNflogMaxType && t->length >= kNflogTlvHeader) return le;
  }
  return std::nullopt;
}

void takeNflogPrefix(core::Bytes value, NflogMeta& meta) {
  std::size_t n = 0;
  while (n < value.size() && value[n] != 0) ++n;  // NUL-terminated; an unterminated one ends at the TLV
  n = std::min(n, meta.prefix.size());
  for (std::size_t i = 0; i < n; ++i) meta.prefix[i] = static_cast<char>(value[i]);
  meta.prefixLen = static_cast<std::uint8_t>(n);
  meta.hasPrefix = true;
}

Status decodeNflog(const Layer& frame, PacketView& out) {
  core::Cursor c(frame.bytes);
  const auto family = c.peekU8(0);
  const auto version = c.peekU8(1);
  if (!family || !version || frame.bytes.size() < kNflogHeader) return Status::Malformed;
  if (*version != 0) return Status::NotIp;
  const auto order = pickNflogOrder(c);
  if (!order) return Status::Malformed;
  std::optional<Layer> payload;
  std::uint32_t at = kNflogHeader;
  for (int i = 0; at < frame.wireLen; ++i) {
    if (i == kMaxNflogTlvs) {
      if (!payload) return Status::Malformed;  // more TLVs than any kernel writes before it
      break;
    }
    const auto tlv = readNflogTlv(c, at, *order);
    if (!tlv && frame.bytes.size() < frame.wireLen) break;  // the snaplen cut the walk here
    if (!tlv || tlv->length < kNflogTlvHeader) return Status::Malformed;
    if (tlv->length > frame.wireLen - at) return Status::Malformed;
    const Layer value = clip(after(frame, at + kNflogTlvHeader), tlv->length - kNflogTlvHeader);
    const bool whole = value.bytes.size() == value.wireLen;
    switch (tlv->type) {
      case kNfulaPayload: payload = value; break;
      case kNfulaPrefix:
        if (whole) takeNflogPrefix(value.bytes, out.nflog);
        break;
      case kNfulaUid:
      case kNfulaGid: {
        core::Cursor v(value.bytes);
        const auto id = v.be32();
        if (!id || !whole) break;
        if (tlv->type == kNfulaUid) {
          out.nflog.uid = *id;
          out.nflog.hasUid = true;
        } else {
          out.nflog.gid = *id;
          out.nflog.hasGid = true;
        }
        break;
      }
      default: break;
    }
    if (!whole) break;  // the snaplen cut this TLV: nothing after it was captured
    const std::uint32_t padded = (static_cast<std::uint32_t>(tlv->length) + 3u) & ~3u;
    at += padded;
  }
  if (!payload) return Status::NotIp;  // a log record without the packet (or its start)
  switch (*family) {
    case kNflogAfInet: return decodeIpv4(*payload, 0, out);
    case kNflogAfInet6: return decodeIpv6(*payload, 0, out);
    default: return decodeRawByVersion(*payload, out);  // AF_UNSPEC (bridge, netdev): by nibble
  }
}

}  // namespace

Status decodeLink(LinkType link, Layer frame, PacketView& out) {
  switch (link) {
    case LinkType::Ethernet: return decodeEthernet(frame, out);
    case LinkType::Null: return decodeNull(frame, out, false);
    case LinkType::Loop: return decodeNull(frame, out, true);
    case LinkType::RawIp: return decodeRawByVersion(frame, out);
    case LinkType::RawIpv4: return decodeIpv4(frame, 0, out);
    case LinkType::RawIpv6: return decodeIpv6(frame, 0, out);
    case LinkType::LinuxSll: return decodeSll(frame, out);
    case LinkType::LinuxSll2: return decodeSll2(frame, out);
    case LinkType::Ppp: return decodePpp(frame, out);
    case LinkType::Pktap: return decodePktap(frame, out);
    case LinkType::Nflog: return decodeNflog(frame, out);
    case LinkType::Unsupported: break;
  }
  return Status::Unsupported;
}

Status decodeEthertype(std::uint16_t etherType, Layer rest, PacketView& out) {
  switch (etherType) {
    case kEtherIpv4: return decodeIpv4(rest, 0, out);
    case kEtherIpv6: return decodeIpv6(rest, 0, out);
    case kEtherArp: return decodeArp(rest, out);
    case kEtherPppoeSession: return decodePppoeSession(rest, out);
    default: return Status::NotIp;  // includes 802.3 length fields (< 0x0600) before LLC
  }
}

// Only Ethernet-style hardware addresses with IPv4 are tracked; ARP for other protocols is
// well formed but not ours, while wrong address sizes for IPv4-over-Ethernet are corrupt.
Status decodeArp(Layer l, PacketView& out) {
  core::Cursor c(l.bytes);
  const auto htype = c.be16();
  const auto ptype = c.be16();
  const auto hlen = c.u8();
  const auto plen = c.u8();
  const auto op = c.be16();
  if (!htype || !ptype || !hlen || !plen || !op) return Status::Malformed;
  if (*ptype != kEtherIpv4) return Status::NotIp;
  if (*hlen != 6 || *plen != 4) return Status::Malformed;
  if (*htype != kArpHwEthernet && *htype != kArpHwIeee802) return Status::NotIp;
  const auto sha = c.take(6);
  const auto spa = c.take(4);
  const bool thaOk = c.skip(6);
  const auto tpa = c.take(4);
  if (!sha || !spa || !thaOk || !tpa) return Status::Malformed;
  out.network = Network::Arp;
  out.arpOp = *op;
  for (std::size_t i = 0; i < out.arpSenderMac.size(); ++i) out.arpSenderMac[i] = (*sha)[i];
  out.src = core::IpAddr::v4Bytes(*spa);
  out.dst = core::IpAddr::v4Bytes(*tpa);
  return Status::Ok;
}

}  // namespace rustnet::decode::detail
