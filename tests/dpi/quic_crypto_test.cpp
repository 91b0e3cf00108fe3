// QUIC building blocks: RFC 9001 / RFC 9369 Appendix A vectors for key derivation and
// protection removal, packet numbers, headers, frames, transport parameters, versions and
// Google's CHLO.
#include <gtest/gtest.h>

#include <string>

#include "dpi/quic/frames.h"
#include "dpi/quic/gquic.h"
#include "dpi/quic/initial_crypto.h"
#include "dpi/quic/packet.h"
#include "dpi/quic/versions.h"
#include "quic_builders.h"
#include "quic_vectors.h"
#include "support/test_support.h"
#include "tls_builders.h"

namespace rustnet::dpi::quic {
namespace {

using test::ByteVec;
using test::fromHex;
namespace vec = test::vectors;

template <std::size_t N>
ByteVec toVec(const std::array<std::uint8_t, N>& a) { return ByteVec(a.begin(), a.end()); }

ByteVec clientPayload() {
  ByteVec p = fromHex(vec::kClientCryptoFrame);
  p.resize(vec::kClientPayloadLength, 0);
  return p;
}

TEST(QuicCrypto, Rfc9001InitialSecretAndKeys) {
  const ByteVec dcid = fromHex(vec::kDcid);
  const auto v1 = versionInfo(1);
  ASSERT_TRUE(v1);
  std::array<std::uint8_t, 32> initial{};
  ASSERT_TRUE(hkdfExtract(v1->salt, core::Bytes(dcid), initial));
  EXPECT_EQ(toVec(initial), fromHex(vec::kV1InitialSecret));
  InitialKeys keys;
  ASSERT_TRUE(deriveInitialKeys(*v1, core::Bytes(dcid), keys));
  EXPECT_EQ(toVec(keys.client.key), fromHex(vec::kV1ClientKey));
  EXPECT_EQ(toVec(keys.client.iv), fromHex(vec::kV1ClientIv));
  EXPECT_EQ(toVec(keys.client.hp), fromHex(vec::kV1ClientHp));
  EXPECT_EQ(toVec(keys.server.key), fromHex(vec::kV1ServerKey));
  EXPECT_EQ(toVec(keys.server.iv), fromHex(vec::kV1ServerIv));
  EXPECT_EQ(toVec(keys.server.hp), fromHex(vec::kV1ServerHp));
}

TEST(QuicCrypto, Rfc9369Keys) {
  const auto v2 = versionInfo(0x6b3343cf);
  ASSERT_TRUE(v2);
  EXPECT_TRUE(v2->v2);
  InitialKeys keys;
  const ByteVec dcid = fromHex(vec::kDcid);
  ASSERT_TRUE(deriveInitialKeys(*v2, core::Bytes(dcid), keys));
  EXPECT_EQ(toVec(keys.client.key), fromHex(vec::kV2ClientKey));
  EXPECT_EQ(toVec(keys.client.iv), fromHex(vec::kV2ClientIv));
  EXPECT_EQ(toVec(keys.client.hp), fromHex(vec::kV2ClientHp));
  EXPECT_EQ(toVec(keys.server.key), fromHex(vec::kV2ServerKey));
  EXPECT_EQ(toVec(keys.server.iv), fromHex(vec::kV2ServerIv));
  EXPECT_EQ(toVec(keys.server.hp), fromHex(vec::kV2ServerHp));
}

struct ClientCase {
  const char* name;
  std::uint32_t version;
  const char* packet;
  const char* header;
  const char* mask;  // first five bytes of the header-protection mask
};

class QuicClientVector : public testing::TestWithParam<ClientCase> {};

TEST_P(QuicClientVector, OpensAndSealsTheAppendixPacket) {
  const auto& c = GetParam();
  const auto info = versionInfo(c.version);
  ASSERT_TRUE(info);
  const ByteVec packet = fromHex(c.packet);
  ASSERT_EQ(packet.size(), 1200u);
  InitialKeys keys;
  ASSERT_TRUE(deriveInitialKeys(*info, core::Bytes(fromHex(vec::kDcid)), keys));

  LongHeader h;
  ASSERT_EQ(parseLongHeader(core::Bytes(packet), info->v2, h), HeaderStatus::Ok);
  EXPECT_EQ(h.type, PacketType::Initial);
  EXPECT_EQ(h.version, c.version);
  EXPECT_EQ(ByteVec(h.dcid.begin(), h.dcid.end()), fromHex(vec::kDcid));
  EXPECT_EQ(h.length, 1200u);
  EXPECT_EQ(h.pnOffset, 18u);

  std::array<std::uint8_t, 5> mask{};
  ASSERT_TRUE(headerProtectionMask(keys.client.hp, core::Bytes(packet).subspan(h.pnOffset + 4, 16), mask));
  EXPECT_EQ(toVec(mask), fromHex(c.mask));

  std::vector<std::uint8_t> scratch;
  OpenedPacket opened;
  ASSERT_EQ(openLongHeaderPacket(keys.client, core::Bytes(packet), h.pnOffset, 0, false, scratch, opened),
            OpenStatus::Ok);
  EXPECT_EQ(opened.packetNumber, 2u);
  EXPECT_EQ(opened.pnLength, 4u);
  EXPECT_EQ(ByteVec(opened.payload.begin(), opened.payload.end()), clientPayload());
  const ByteVec header = fromHex(c.header);
  EXPECT_EQ(ByteVec(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(header.size())), header);

  // Sealing the unprotected header and payload gives the RFC's bytes back.
  EXPECT_EQ(test::sealWithHeader(keys.client, header, 18, 2, clientPayload()), packet);

  // The server keys do not open it, and neither does a packet with one bit flipped.
  EXPECT_EQ(openLongHeaderPacket(keys.server, core::Bytes(packet), h.pnOffset, 0, false, scratch, opened),
            OpenStatus::AuthFailed);
  ByteVec tampered = packet;
  tampered[600] ^= 0x01;
  EXPECT_EQ(openLongHeaderPacket(keys.client, core::Bytes(tampered), h.pnOffset, 0, false, scratch, opened),
            OpenStatus::AuthFailed);
  for (std::size_t n : {0u, 20u, 37u}) {
    EXPECT_EQ(openLongHeaderPacket(keys.client, core::Bytes(packet).first(n), h.pnOffset, 0, false, scratch, opened),
              OpenStatus::TooShort) << n;
  }
  // Just long enough for the sample and a tag: opens nothing.
  EXPECT_EQ(openLongHeaderPacket(keys.client, core::Bytes(packet).first(38), h.pnOffset, 0, false, scratch, opened),
            OpenStatus::AuthFailed);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc, QuicClientVector,
    testing::Values(ClientCase{"rfc9001", 1, vec::kV1ClientPacket, vec::kV1ClientHeader, "437b9aec36"},
                    ClientCase{"rfc9369", 0x6b3343cf, vec::kV2ClientPacket, vec::kV2ClientHeader, "94a0c95e80"}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(QuicCrypto, Rfc9001ServerInitial) {
  const ByteVec packet = fromHex(vec::kV1ServerPacket);
  InitialKeys keys;
  ASSERT_TRUE(deriveInitialKeys(*versionInfo(1), core::Bytes(fromHex(vec::kDcid)), keys));
  LongHeader h;
  ASSERT_EQ(parseLongHeader(core::Bytes(packet), false, h), HeaderStatus::Ok);
  EXPECT_TRUE(h.dcid.empty());
  EXPECT_EQ(h.scid.size(), 8u);
  std::vector<std::uint8_t> scratch;
  OpenedPacket opened;
  ASSERT_EQ(openLongHeaderPacket(keys.server, core::Bytes(packet), h.pnOffset, 0, false, scratch, opened),
            OpenStatus::Ok);
  EXPECT_EQ(opened.packetNumber, 1u);
  EXPECT_EQ(ByteVec(opened.payload.begin(), opened.payload.end()), fromHex(vec::kV1ServerPayload));
  EXPECT_EQ(test::sealWithHeader(keys.server, fromHex(vec::kV1ServerHeader), 18, 1, fromHex(vec::kV1ServerPayload)),
            packet);

  // Its frames: an ACK, then the ServerHello in a CRYPTO frame.
  std::size_t cryptoBytes = 0;
  const auto walk = walkFrames(opened.payload, false, [&](const CryptoFragment& f) {
    EXPECT_EQ(f.offset, 0u);
    cryptoBytes += f.data.size();
  });
  EXPECT_EQ(walk.frames, 2);
  EXPECT_EQ(cryptoBytes, 90u);
  EXPECT_FALSE(walk.malformed);
}

TEST(QuicCrypto, PacketNumberDecodingRfc9000Example) {
  EXPECT_EQ(decodePacketNumber(0xa82f30ea, true, 0x9b32, 2), 0xa82f9b32u);
  EXPECT_EQ(decodePacketNumber(0, false, 2, 4), 2u);
  EXPECT_EQ(decodePacketNumber(0xff, true, 0x01, 1), 0x101u);
}

TEST(QuicPacket, V2RotatesLongHeaderTypes) {
  EXPECT_EQ(longPacketType(0xc0, false), PacketType::Initial);
  EXPECT_EQ(longPacketType(0xd0, false), PacketType::ZeroRtt);
  EXPECT_EQ(longPacketType(0xe0, false), PacketType::Handshake);
  EXPECT_EQ(longPacketType(0xf0, false), PacketType::Retry);
  EXPECT_EQ(longPacketType(0xd0, true), PacketType::Initial);
  EXPECT_EQ(longPacketType(0xe0, true), PacketType::ZeroRtt);
  EXPECT_EQ(longPacketType(0xf0, true), PacketType::Handshake);
  EXPECT_EQ(longPacketType(0xc0, true), PacketType::Retry);
}

TEST(QuicPacket, HeadersCutAtEveryOffsetNeverReadPastTheEnd) {
  const ByteVec packet = fromHex(vec::kV1ClientPacket);
  for (std::size_t n = 0; n < 40; ++n) {
    LongHeader h;
    const auto s = parseLongHeader(core::Bytes(packet).first(n), false, h);
    if (n < 18) {
      EXPECT_NE(s, HeaderStatus::Ok) << n;
    } else {
      ASSERT_EQ(s, HeaderStatus::Ok) << n;
      EXPECT_TRUE(h.truncated);
      EXPECT_EQ(h.length, n);
    }
  }
  // A connection ID longer than 20 bytes is not a version-1 packet.
  ByteVec bad = packet;
  bad[5] = 21;
  LongHeader h;
  EXPECT_EQ(parseLongHeader(core::Bytes(bad), false, h), HeaderStatus::Malformed);
}

TEST(QuicPacket, VersionNegotiationListsVersions) {
  const ByteVec vn = fromHex("80 00000000 04 01020304 04 05060708 00000001 ff00001d 1a2a3a4a");
  LongHeader h;
  ASSERT_EQ(parseLongHeader(core::Bytes(vn), false, h), HeaderStatus::Ok);
  EXPECT_EQ(h.type, PacketType::VersionNegotiation);
  EXPECT_EQ(supportedVersions(core::Bytes(vn), h).size(), 12u);
}

TEST(QuicFrames, WalksTheFramesOfAnInitial) {
  const ByteVec payload = test::concat({test::ackFrame(5), ByteVec{0x01}, test::cryptoFrame(100, ByteVec(10, 7)),
                                        ByteVec(20, 0), test::connectionCloseFrame(0x0a)});
  std::uint64_t offset = 0;
  const auto w = walkFrames(core::Bytes(payload), false, [&](const CryptoFragment& f) { offset = f.offset; });
  EXPECT_EQ(w.frames, 5);
  EXPECT_EQ(w.cryptoFrames, 1);
  EXPECT_EQ(offset, 100u);
  EXPECT_TRUE(w.connectionClose);
  EXPECT_EQ(w.closeErrorCode, 0x0au);
  EXPECT_FALSE(w.malformed);
  EXPECT_FALSE(w.unknownFrame);
  // Google's crypto frame type is only taken for Google versions.
  const ByteVec google = test::cryptoFrame(0, ByteVec(4, 1), 0x08);
  int seen = 0;
  EXPECT_TRUE(walkFrames(core::Bytes(google), false, [&](const CryptoFragment&) { ++seen; }).unknownFrame);
  walkFrames(core::Bytes(google), true, [&](const CryptoFragment&) { ++seen; });
  EXPECT_EQ(seen, 1);
  // Every prefix either walks or stops cleanly.
  for (std::size_t n = 0; n < payload.size(); ++n) {
    walkFrames(core::Bytes(payload).first(n), false, [](const CryptoFragment& f) { EXPECT_LE(f.data.size(), 10u); });
  }
  // An ACK claiming a huge range count ends with the input.
  const ByteVec ack = fromHex("02 05 00 bfffffffffffffff 00 00 00");
  EXPECT_TRUE(walkFrames(core::Bytes(ack), false, [](const CryptoFragment&) {}).malformed);
}

TEST(QuicFrames, MaxIdleTimeoutFromTransportParameters) {
  // From the RFC 9001 A.2 ClientHello: ... 01 04 80007530 ... = 30000 ms.
  const ByteVec params = fromHex("0408ffffffffffffffff05048000ffff07048000ffff0801100104800075300901100f088394c8f03e51570806048000ffff");
  EXPECT_EQ(maxIdleTimeoutMs(core::Bytes(params), true), 30000u);
  EXPECT_EQ(maxIdleTimeoutMs(core::Bytes(params).first(20), true), 0u);
  // Draft encoding: 16-bit list length, 16-bit ids and lengths.
  const ByteVec draft = fromHex("000e 0004 0004 80001000 0001 0002 4bb8");
  EXPECT_EQ(maxIdleTimeoutMs(core::Bytes(draft), false), 3000u);
}

TEST(QuicVersions, NamesAndFamilies) {
  EXPECT_EQ(versionName(1), "v1");
  EXPECT_EQ(versionName(0x6b3343cf), "v2");
  EXPECT_EQ(versionName(0xff00001d), "draft-29");
  EXPECT_EQ(versionName(0xfaceb002), "mvfst-27");
  EXPECT_EQ(versionName(0x51303530), "Q050");
  EXPECT_EQ(versionName(0x54303531), "T051");
  EXPECT_EQ(versionName(0), "VN");
  EXPECT_EQ(versionName(0x1a2a3a4a), "0x1a2a3a4a");
  // Salts: drafts 29-32 share one, 33/34 use v1's, 23-28 and mvfst-27 another.
  EXPECT_TRUE(std::equal(versionInfo(0xff000022)->salt.begin(), versionInfo(0xff000022)->salt.end(),
                         versionInfo(1)->salt.begin()));
  EXPECT_FALSE(std::equal(versionInfo(0xff00001d)->salt.begin(), versionInfo(0xff00001d)->salt.end(),
                          versionInfo(1)->salt.begin()));
  EXPECT_TRUE(std::equal(versionInfo(0xfaceb002)->salt.begin(), versionInfo(0xfaceb002)->salt.end(),
                         versionInfo(0xff000017)->salt.begin()));
  EXPECT_EQ(versionInfo(0x51303436)->family, Family::GoogleLegacy);
  EXPECT_EQ(versionInfo(0x51303530)->family, Family::GoogleCrypto);
  EXPECT_EQ(versionInfo(0x54303531)->family, Family::GoogleTls);
  EXPECT_TRUE(versionInfo(0x1a2a3a4a)->salt.empty());  // greased: recognised, not opened
  EXPECT_FALSE(versionInfo(0xff000010));               // pre-header-protection drafts
  EXPECT_FALSE(versionInfo(0x12345678));
}

ByteVec chlo(const std::string& sni, const std::string& ua) {
  test::ByteWriter w;
  w.str("CHLO").u8(3).u8(0).u8(0).u8(0);
  const auto le32 = [&](std::uint32_t v) { w.u8(v & 0xff).u8((v >> 8) & 0xff).u8((v >> 16) & 0xff).u8(v >> 24); };
  w.str("PAD");
  w.u8(0);
  le32(4);
  w.str("SNI");
  w.u8(0);
  le32(static_cast<std::uint32_t>(4 + sni.size()));
  w.str("UAID");
  le32(static_cast<std::uint32_t>(4 + sni.size() + ua.size()));
  w.str("----").str(sni).str(ua);
  return w.data();
}

TEST(QuicGoogle, ChloTagsAtEveryPrefix) {
  const ByteVec msg = chlo("www.example.com", "Chrome/99");
  ASSERT_EQ(chloLength(core::Bytes(msg)), msg.size());
  Chlo c;
  ASSERT_EQ(parseChlo(core::Bytes(msg), c), ChloStatus::Ok);
  EXPECT_EQ(c.sni, "www.example.com");
  EXPECT_EQ(c.userAgent, "Chrome/99");
  for (std::size_t n = 0; n < msg.size(); ++n) {
    EXPECT_NE(parseChlo(core::Bytes(msg).first(n), c), ChloStatus::Ok) << n;
  }
  ByteVec other = msg;
  other[0] = 'S';
  EXPECT_EQ(parseChlo(core::Bytes(other), c), ChloStatus::NotChlo);
}

TEST(QuicGoogle, LegacyQ043PacketCarriesTheChlo) {
  const ByteVec msg = chlo("legacy.example", "ua");
  test::ByteWriter w;
  w.u8(0x09);                                        // version + 8-byte CID, 1-byte PN
  w.bytes({1, 2, 3, 4, 5, 6, 7, 8}).str("Q043").u8(1);
  for (int i = 0; i < 12; ++i) w.u8(0xaa);           // message hash
  w.u8(0xa0).u8(0x01);                               // STREAM, data length, stream id 1
  w.be16(static_cast<std::uint16_t>(msg.size())).bytes(msg);
  const auto p = parseLegacyClientPacket(core::Bytes(w.data()));
  ASSERT_TRUE(p);
  EXPECT_EQ(versionName(p->version), "Q043");
  EXPECT_EQ(ByteVec(p->streamData.begin(), p->streamData.end()), msg);
  for (std::size_t n = 0; n < w.size(); ++n) {
    const auto cut = parseLegacyClientPacket(core::Bytes(w.data()).first(n));
    if (cut) {
      EXPECT_LT(cut->streamData.size(), msg.size());
    }
  }
}

TEST(QuicGoogle, LegacyQ046LongHeaderCarriesTheChlo) {
  const ByteVec msg = chlo("q46.example", "ua");
  test::ByteWriter w;
  w.u8(0xc3).str("Q046").u8(0x50);                   // Initial, 4-byte PN; DCID 8, no SCID
  w.bytes({1, 2, 3, 4, 5, 6, 7, 8}).be32(1);
  for (int i = 0; i < 12; ++i) w.u8(0xaa);           // message hash
  w.u8(0xa0).u8(0x01).be16(static_cast<std::uint16_t>(msg.size())).bytes(msg);
  const auto p = parseLegacyClientPacket(core::Bytes(w.data()));
  ASSERT_TRUE(p);
  EXPECT_EQ(versionName(p->version), "Q046");
  Chlo c;
  ASSERT_EQ(parseChlo(p->streamData, c), ChloStatus::Ok);
  EXPECT_EQ(c.sni, "q46.example");
  // The same bytes with a Q043 tag in a long header are not a Q046 packet.
  ByteVec other = w.data();
  other[4] = '3';
  EXPECT_FALSE(parseLegacyClientPacket(core::Bytes(other)));
}

}  // namespace
}  // namespace rustnet::dpi::quic
