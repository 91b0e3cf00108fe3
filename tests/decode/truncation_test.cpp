// Every hand-built frame, cut at every offset and lightly corrupted: the decoder must never
// read outside the frame and must give an answer consistent with the whole frame's.
#include <gtest/gtest.h>

#include <random>

#include "decode/packet.h"
#include "frames.h"

namespace rustnet::decode::testing {
namespace {

constexpr core::Timestamp kTs = core::Timestamp::fromNanos(5);

// Invariants that hold for any input.
void expectSane(const PacketView& p, Status st, const std::vector<std::uint8_t>& frame) {
  ASSERT_LE(p.capLen, p.wireLen);
  ASSERT_EQ(p.capLen, frame.size());
  if (!p.payload.empty()) {
    const std::uint8_t* begin = frame.data();
    ASSERT_GE(p.payload.data(), begin);
    ASSERT_LE(p.payload.data() + p.payload.size(), begin + frame.size());
  }
  ASSERT_LE(p.payload.size(), p.payloadWireLen);
  ASSERT_LE(p.payloadWireLen, p.wireLen);
  if (st == Status::Ok || st == Status::Fragment) {
    ASSERT_NE(p.network, Network::None);
  }
  if (st == Status::Fragment) {
    ASSERT_TRUE(p.fragmented);
  }
  if (p.transportTruncated) {
    ASSERT_TRUE(p.payload.empty());
    ASSERT_EQ(p.payloadWireLen, 0u);
  }
  ASSERT_LE(p.vlanDepth, kMaxVlanTags);
  ASSERT_LE(p.tunnelDepth, kMaxTunnelDepth);
}

// A prefix of a frame, decoded with the whole frame's wire length (a snaplen cut), must agree
// with the whole frame on everything it could see.
void expectAgrees(const PacketView& whole, std::size_t wholeOffset, const PacketView& p,
                  std::size_t payloadOffset) {
  EXPECT_EQ(p.network, whole.network);
  EXPECT_EQ(p.vlan, whole.vlan);
  EXPECT_EQ(p.vlanDepth, whole.vlanDepth);
  EXPECT_EQ(p.src, whole.src);
  EXPECT_EQ(p.dst, whole.dst);
  EXPECT_EQ(p.proto, whole.proto);
  EXPECT_EQ(p.ttl, whole.ttl);
  EXPECT_EQ(p.fragmented, whole.fragmented);
  EXPECT_EQ(p.tunnelDepth, whole.tunnelDepth);
  EXPECT_EQ(p.tunnel, whole.tunnel);
  EXPECT_EQ(p.outer.src, whole.outer.src);
  EXPECT_EQ(p.outer.sport, whole.outer.sport);
  EXPECT_EQ(p.sport, whole.sport);
  EXPECT_EQ(p.dport, whole.dport);
  EXPECT_EQ(p.icmpType, whole.icmpType);
  EXPECT_EQ(p.icmpCode, whole.icmpCode);
  EXPECT_EQ(p.icmpId, whole.icmpId);
  EXPECT_EQ(p.icmpSeq, whole.icmpSeq);
  EXPECT_EQ(p.arpOp, whole.arpOp);
  if (p.transportTruncated) return;
  EXPECT_EQ(p.tcpFlags, whole.tcpFlags);
  EXPECT_EQ(p.seq, whole.seq);
  EXPECT_EQ(p.ack, whole.ack);
  EXPECT_EQ(p.window, whole.window);
  EXPECT_EQ(p.payloadWireLen, whole.payloadWireLen);
  EXPECT_LE(p.payload.size(), whole.payload.size());
  if (!p.payload.empty()) {
    EXPECT_EQ(payloadOffset, wholeOffset);
  }
}

TEST(DecodeTruncation, SamplesDecodeAsExpected) {
  for (const Sample& s : allSamples()) {
    PacketView p;
    EXPECT_EQ(decodeFrame(s.link, s.bytes, p), s.expected) << s.name;
  }
}

TEST(DecodeTruncation, EveryPrefixOfEverySample) {
  for (const Sample& s : allSamples()) {
    SCOPED_TRACE(s.name);
    PacketView whole;
    ASSERT_EQ(decodeFrame(s.link, s.bytes, whole), s.expected);
    const auto wire = static_cast<std::uint32_t>(s.bytes.size());
    const std::size_t wholeOffset =
        whole.payload.empty() ? 0 : static_cast<std::size_t>(whole.payload.data() - s.bytes.data());
    bool settled = false;  // a prefix already decoded completely
    for (std::size_t n = 0; n <= s.bytes.size(); ++n) {
      SCOPED_TRACE(n);
      // An exact-size copy, so that a read past the end is a heap overflow under ASan.
      const std::vector<std::uint8_t> prefix(s.bytes.begin(),
                                             s.bytes.begin() + static_cast<std::ptrdiff_t>(n));
      PacketView p;
      const Status st = decode(s.link, core::Bytes(prefix), wire, kTs, p);
      ASSERT_NO_FATAL_FAILURE(expectSane(p, st, prefix));
      const bool sameAsWhole = st == s.expected;
      ASSERT_TRUE(sameAsWhole || st == Status::Malformed ||
                  (st == Status::Ok && p.transportTruncated))
          << statusName(st);
      if (settled) {
        ASSERT_TRUE(sameAsWhole && !p.transportTruncated) << statusName(st);
      }
      if (sameAsWhole && st != Status::Malformed && p.tunnel != whole.tunnel) {
        // Cut inside what a tunnel carries: the frame is the carrying flow's, as a plain
        // packet (and not yet settled: the inner packet comes with more bytes).
        ASSERT_NE(whole.outer.proto, 0) << "only a carrying flow may stand for a cut tunnel";
        EXPECT_EQ(p.tunnel, Tunnel::None);
        EXPECT_EQ(p.src, whole.outer.src);
        EXPECT_EQ(p.dst, whole.outer.dst);
        EXPECT_EQ(p.proto, whole.outer.proto);
        EXPECT_EQ(p.sport, whole.outer.sport);
        EXPECT_EQ(p.dport, whole.outer.dport);
        EXPECT_EQ(p.tunnelDepth, 0);
      } else if (sameAsWhole && st != Status::Malformed) {
        const std::size_t offset =
            p.payload.empty() ? 0 : static_cast<std::size_t>(p.payload.data() - prefix.data());
        expectAgrees(whole, wholeOffset, p, offset);
        settled = settled || !p.transportTruncated;
      }
      if (n == s.bytes.size()) {
        EXPECT_EQ(st, s.expected);
      }

      // The same bytes as a frame that really was that short on the wire.
      PacketView q;
      const Status sq = decode(s.link, core::Bytes(prefix), static_cast<std::uint32_t>(n), kTs, q);
      ASSERT_NO_FATAL_FAILURE(expectSane(q, sq, prefix));
    }
  }
}

TEST(DecodeTruncation, CorruptedSamplesStayInBounds) {
  std::mt19937 rng(20240501);  // fixed: failures must reproduce
  for (const Sample& s : allSamples()) {
    SCOPED_TRACE(s.name);
    for (int round = 0; round < 300; ++round) {
      std::vector<std::uint8_t> f = s.bytes;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int i = 0; i < flips && !f.empty(); ++i)
        f[rng() % f.size()] = static_cast<std::uint8_t>(rng());
      const std::size_t keep = f.empty() ? 0 : rng() % (f.size() + 1);
      f.resize(keep);
      const auto wire = static_cast<std::uint32_t>(keep + rng() % 64);
      PacketView p;
      const Status st = decode(s.link, core::Bytes(f), wire, kTs, p);
      ASSERT_NO_FATAL_FAILURE(expectSane(p, st, f)) << round;
    }
  }
}

}  // namespace
}  // namespace rustnet::decode::testing
