// NFLOG (LINKTYPE_NFLOG, 239): the TLV walk to the logged packet, in both byte orders, with
// the prefix/uid/gid TLVs, cut at every offset, and the records that carry no packet.
#include <gtest/gtest.h>

#include <string>

#include "decode/packet.h"
#include "frames.h"

namespace rustnet::decode::testing {
namespace {

constexpr std::uint16_t kPacketHdr = 1, kPayload = 9, kPrefix = 10, kUid = 11, kGid = 14;

struct Tlv {
  std::uint16_t type;
  Frame value;
};

Frame be32(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
          static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

// A record as the kernel writes it: header, then each TLV with its 4-byte header in the
// chosen byte order, padded to 4 bytes.
Frame nflog(std::uint8_t family, const std::vector<Tlv>& tlvs, bool littleEndian = true) {
  Frame f{family, 0, 0x00, 0x05};  // version 0, resource id (log group) 5
  auto put16 = [&](std::uint16_t v) {
    if (littleEndian) {
      f.push_back(static_cast<std::uint8_t>(v));
      f.push_back(static_cast<std::uint8_t>(v >> 8));
    } else {
      f.push_back(static_cast<std::uint8_t>(v >> 8));
      f.push_back(static_cast<std::uint8_t>(v));
    }
  };
  for (const Tlv& t : tlvs) {
    put16(static_cast<std::uint16_t>(t.value.size() + 4));
    put16(t.type);
    f.insert(f.end(), t.value.begin(), t.value.end());
    while (f.size() % 4 != 0) f.push_back(0);
  }
  return f;
}

Frame cString(const std::string& s) {
  Frame f(s.begin(), s.end());
  f.push_back(0);
  return f;
}

const Frame kDns = bytesOf("dns query bytes");

std::vector<Tlv> fullRecord(const Frame& packet) {
  return {{kPacketHdr, {0x08, 0x00, 0x03, 0x00}},
          {kPrefix, cString("DROP in: ")},
          {kUid, be32(1000)},
          {kGid, be32(100)},
          {kPayload, packet}};
}

std::string prefixOf(const PacketView& p) { return std::string(p.nflog.prefix.data(), p.nflog.prefixLen); }

TEST(DecodeNflog, Ipv4PayloadWithPrefixUidAndGidInBothByteOrders) {
  const Frame ip = ipv4(kA4, kB4, kUdp, udp(40000, 53, kDns));
  for (const bool le : {true, false}) {
    PacketView p;
    const Frame f = nflog(2, fullRecord(ip), le);
    ASSERT_EQ(decodeFrame(LinkType::Nflog, f, p), Status::Ok) << (le ? "little" : "big");
    EXPECT_EQ(p.src, addr(kA4));
    EXPECT_EQ(p.dst, addr(kB4));
    EXPECT_EQ(p.sport, 40000);
    EXPECT_EQ(p.dport, 53);
    EXPECT_EQ(text(p.payload), "dns query bytes");
    EXPECT_EQ(p.wireLen, f.size());  // byte counts are the record's, as for any link header
    EXPECT_TRUE(p.nflog.hasPrefix);
    EXPECT_EQ(prefixOf(p), "DROP in: ");
    EXPECT_TRUE(p.nflog.hasUid);
    EXPECT_EQ(p.nflog.uid, 1000u);
    EXPECT_TRUE(p.nflog.hasGid);
    EXPECT_EQ(p.nflog.gid, 100u);
  }
}

TEST(DecodeNflog, Ipv6AndUnspecifiedFamilyByVersionNibble) {
  PacketView p;
  const Frame v6 = ipv6(kA6, kB6, kTcp, tcp(443, 50000, tcpflag::kAck, bytesOf("x")));
  ASSERT_EQ(decodeFrame(LinkType::Nflog, nflog(10, {{kPayload, v6}}), p), Status::Ok);
  EXPECT_EQ(p.network, Network::Ipv6);
  EXPECT_EQ(p.sport, 443);
  EXPECT_FALSE(p.nflog.hasPrefix);
  EXPECT_FALSE(p.nflog.hasUid);
  // AF_UNSPEC (bridge/netdev families log 0): the packet says what it is.
  const Frame v4 = ipv4(kA4, kB4, kUdp, udp(1, 2, kDns));
  ASSERT_EQ(decodeFrame(LinkType::Nflog, nflog(0, {{kPayload, v4}}), p), Status::Ok);
  EXPECT_EQ(p.network, Network::Ipv4);
}

TEST(DecodeNflog, RecordsWithoutAPacketAreNotIp) {
  PacketView p;
  EXPECT_EQ(decodeFrame(LinkType::Nflog, nflog(2, {{kPrefix, cString("x")}, {kUid, be32(0)}}), p), Status::NotIp);
  // Version other than 0: a format we do not know.
  Frame f = nflog(2, {{kPayload, ipv4(kA4, kB4, kUdp, udp(1, 2, kDns))}});
  f[1] = 1;
  EXPECT_EQ(decodeFrame(LinkType::Nflog, f, p), Status::NotIp);
}

TEST(DecodeNflog, BadTlvLengthsAreMalformed) {
  PacketView p;
  const Frame ip = ipv4(kA4, kB4, kUdp, udp(1, 2, kDns));
  Frame shortTlv = nflog(2, {{kPrefix, cString("abc")}, {kPayload, ip}});
  shortTlv[4] = 2;  // a TLV length below its own header
  EXPECT_EQ(decodeFrame(LinkType::Nflog, shortTlv, p), Status::Malformed);
  Frame longTlv = nflog(2, {{kPayload, ip}});
  longTlv[4] = 0xff;  // beyond the record
  longTlv[5] = 0x0f;
  EXPECT_EQ(decodeFrame(LinkType::Nflog, longTlv, p), Status::Malformed);
  EXPECT_EQ(decodeFrame(LinkType::Nflog, Frame{2, 0, 0, 5}, p), Status::Malformed);
  Frame zeroType = nflog(2, {{kPayload, ip}});
  zeroType[6] = 0;  // type 0 in either order: not a record we can place
  EXPECT_EQ(decodeFrame(LinkType::Nflog, zeroType, p), Status::Malformed);
}

TEST(DecodeNflog, TheWalkIsBounded) {
  PacketView p;
  std::vector<Tlv> many(kMaxNflogTlvs, Tlv{kPacketHdr, {0x08, 0x00, 0x03, 0x00}});
  many.push_back({kPayload, ipv4(kA4, kB4, kUdp, udp(1, 2, kDns))});
  // The payload sits after more TLVs than the cap allows: never reached, counted as malformed.
  EXPECT_EQ(decodeFrame(LinkType::Nflog, nflog(2, many), p), Status::Malformed);
  many.erase(many.begin());
  EXPECT_EQ(decodeFrame(LinkType::Nflog, nflog(2, many), p), Status::Ok);
}

TEST(DecodeNflog, PrefixIsCappedAndMayLackItsNul) {
  PacketView p;
  const std::string longPrefix(200, 'p');
  const Frame ip = ipv4(kA4, kB4, kUdp, udp(1, 2, kDns));
  ASSERT_EQ(decodeFrame(LinkType::Nflog, nflog(2, {{kPrefix, cString(longPrefix)}, {kPayload, ip}}), p), Status::Ok);
  EXPECT_EQ(prefixOf(p), std::string(kMaxNflogPrefix, 'p'));
  const Frame raw = bytesOf("no\x1bnul");  // control bytes are kept raw here, escaped on output
  ASSERT_EQ(decodeFrame(LinkType::Nflog, nflog(2, {{kPrefix, raw}, {kPayload, ip}}), p), Status::Ok);
  EXPECT_EQ(prefixOf(p), "no\x1bnul");
}

TEST(DecodeNflog, CutAtEveryOffsetInBothByteOrders) {
  const Frame ip = ipv4(kA4, kB4, kUdp, udp(40000, 53, kDns));
  for (const bool le : {true, false}) {
    const Frame whole = nflog(2, fullRecord(ip), le);
    const std::size_t payloadStart = whole.size() - (ip.size() + 3) / 4 * 4;  // the last TLV is padded
    for (std::size_t n = 0; n < whole.size(); ++n) {
      const Frame cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n));
      PacketView p;
      // As a snaplen would cut it: the wire length is the whole record's.
      const Status st = decodeFrame(LinkType::Nflog, cut, p, static_cast<std::uint32_t>(whole.size()));
      if (st == Status::Ok) {
        EXPECT_GE(n, payloadStart + 20 + 4) << n;  // the ports must have been captured
        EXPECT_EQ(p.dport, 53) << n;
        EXPECT_EQ(p.wireLen, whole.size());
      }
      // And as a record that really is that short: never Ok, never out of bounds.
      PacketView q;
      const Status alone = decodeFrame(LinkType::Nflog, cut, q);
      if (n < payloadStart + 28) {
        EXPECT_NE(alone, Status::Ok) << n;
      }
    }
  }
}

}  // namespace
}  // namespace rustnet::decode::testing
