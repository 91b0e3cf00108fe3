#include "core/cursor.h"

#include <gtest/gtest.h>

#include <array>

namespace rustnet::core {
namespace {

TEST(Cursor, ReadsBigAndLittleEndian) {
  const std::array<std::uint8_t, 8> raw{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  Cursor c{Bytes(raw)};
  EXPECT_EQ(c.be16(), 0x0102);
  EXPECT_EQ(c.le16(), 0x0403);
  EXPECT_EQ(c.be32(), 0x05060708u);
  EXPECT_TRUE(c.empty());
  EXPECT_FALSE(c.u8().has_value());
}

TEST(Cursor, FailedReadLeavesPositionAlone) {
  const std::array<std::uint8_t, 3> raw{1, 2, 3};
  Cursor c{Bytes(raw)};
  ASSERT_TRUE(c.skip(1));
  EXPECT_FALSE(c.be32().has_value());
  EXPECT_FALSE(c.take(3).has_value());
  EXPECT_FALSE(c.skip(3));
  EXPECT_EQ(c.position(), 1u);
  EXPECT_EQ(c.be16(), 0x0203);
}

TEST(Cursor, Be64AndBe24) {
  const std::array<std::uint8_t, 11> raw{0, 0, 0, 0, 0, 0, 1, 2, 0xaa, 0xbb, 0xcc};
  Cursor c{Bytes(raw)};
  EXPECT_EQ(c.be64(), 0x0102u);
  EXPECT_EQ(c.be24(), 0xaabbccu);
}

TEST(Cursor, QuicVarintsFromRfc9000) {
  // RFC 9000 §A.1 examples.
  const std::array<std::uint8_t, 17> raw{0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c, 0x9d,
                                         0x7f, 0x3e, 0x7d, 0x7b, 0xbd, 0x25, 0x40, 0x25};
  Cursor c{Bytes(raw)};
  EXPECT_EQ(c.varint(), 151288809941952652ull);
  EXPECT_EQ(c.varint(), 494878333u);
  EXPECT_EQ(c.varint(), 15293u);
  EXPECT_EQ(c.varint(), 37u);
  EXPECT_EQ(c.varint(), 37u);  // 0x40 0x25: two-byte encoding of 37
  EXPECT_TRUE(c.empty());
  const std::array<std::uint8_t, 3> cut{0x80, 0, 0};
  Cursor d{Bytes(cut)};
  EXPECT_FALSE(d.varint().has_value());
  EXPECT_EQ(d.position(), 0u);
}

TEST(Cursor, PeekDoesNotMove) {
  const std::array<std::uint8_t, 4> raw{0xde, 0xad, 0xbe, 0xef};
  Cursor c{Bytes(raw)};
  EXPECT_EQ(c.peekU8(3), 0xef);
  EXPECT_FALSE(c.peekU8(4).has_value());
  EXPECT_EQ(c.peekBe16(2), 0xbeef);
  EXPECT_EQ(c.peekBe32(), 0xdeadbeefu);
  EXPECT_FALSE(c.peekBe32(1).has_value());
  EXPECT_EQ(c.position(), 0u);
}

}  // namespace
}  // namespace rustnet::core
