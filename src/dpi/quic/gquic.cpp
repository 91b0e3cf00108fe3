#include "dpi/quic/gquic.h"

#include <string_view>

#include "core/text.h"
#include "dpi/quic/versions.h"

namespace rustnet::dpi::quic {

namespace {

constexpr std::uint32_t tag(char a, char b, char c, char d) {
  return std::uint32_t{static_cast<std::uint8_t>(a)} | (std::uint32_t{static_cast<std::uint8_t>(b)} << 8) |
         (std::uint32_t{static_cast<std::uint8_t>(c)} << 16) | (std::uint32_t{static_cast<std::uint8_t>(d)} << 24);
}
constexpr std::uint32_t kChlo = tag('C', 'H', 'L', 'O');
constexpr std::uint32_t kSni = tag('S', 'N', 'I', '\0');
constexpr std::uint32_t kUaid = tag('U', 'A', 'I', 'D');

constexpr std::size_t kMessageHashLength = 12;  // null-encryption FNV-1a hash before the frames

std::string_view asText(core::Bytes b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

// Reads an n-byte unsigned integer, little-endian before Q039 and big-endian from then on.
std::optional<std::uint64_t> readUint(core::Cursor& c, std::size_t n, bool bigEndian) {
  auto bytes = c.take(n);
  if (!bytes) return std::nullopt;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t b = bigEndian ? (*bytes)[i] : (*bytes)[n - 1 - i];
    v = (v << 8) | b;
  }
  return v;
}

}  // namespace

std::optional<std::size_t> chloLength(core::Bytes data) {
  core::Cursor c{data};
  auto msgTag = c.le32();
  auto count = c.le16();
  if (!msgTag || !count || !c.skip(2)) return std::nullopt;
  if (*msgTag != kChlo || *count > kMaxChloTags) return std::nullopt;
  std::uint32_t end = 0;
  for (std::uint16_t i = 0; i < *count; ++i) {
    if (!c.skip(4)) return std::nullopt;
    auto off = c.le32();
    if (!off) return std::nullopt;
    end = *off;
  }
  return std::size_t{8} + std::size_t{8} * *count + end;
}

ChloStatus parseChlo(core::Bytes data, Chlo& out) {
  out = Chlo{};
  core::Cursor c{data};
  auto msgTag = c.le32();
  if (!msgTag) return ChloStatus::Truncated;
  if (*msgTag != kChlo) return ChloStatus::NotChlo;
  auto count = c.le16();
  if (!count || !c.skip(2)) return ChloStatus::Truncated;
  if (*count > kMaxChloTags) return ChloStatus::Malformed;
  const std::size_t valuesAt = 8 + std::size_t{8} * *count;
  if (data.size() < valuesAt) return ChloStatus::Truncated;
  const core::Bytes values = data.subspan(valuesAt);
  std::uint32_t prevEnd = 0;
  ChloStatus status = ChloStatus::Ok;
  for (std::uint16_t i = 0; i < *count; ++i) {
    const std::uint32_t t = *c.le32();
    const std::uint32_t end = *c.le32();
    if (end < prevEnd) return ChloStatus::Malformed;  // offsets must not go backwards
    if (end > values.size()) {
      status = ChloStatus::Truncated;
      break;
    }
    const core::Bytes value = values.subspan(prevEnd, end - prevEnd);
    if (t == kSni) out.sni = core::capWireString(asText(value));
    if (t == kUaid) out.userAgent = core::capWireString(asText(value));
    prevEnd = end;
  }
  return status;
}

std::optional<LegacyPacket> parseLegacyClientPacket(core::Bytes datagram) {
  core::Cursor c{datagram};
  auto flags = c.u8();
  if (!flags) return std::nullopt;
  LegacyPacket out;
  std::size_t pnLen = 0;
  if ((*flags & 0x80) != 0) {
    // Q046: long header, version, DCID/SCID lengths as nibbles (n + 3 bytes, 0 = none).
    auto version = c.be32();
    auto lens = c.u8();
    if (!version || !lens || googleVersionNumber(*version) != 46) return std::nullopt;
    const auto cidLen = [](unsigned n) { return n == 0 ? 0u : n + 3; };
    if (!c.skip(cidLen(*lens >> 4) + cidLen(*lens & 0x0f))) return std::nullopt;
    out.version = *version;
    pnLen = (*flags & 0x03) + 1;
  } else {
    // Q043 and older: public flags 0x01 version present, 0x08 eight-byte connection ID,
    // 0x30 packet number length (1, 2, 4 or 6 bytes).
    if ((*flags & 0x01) == 0 || (*flags & 0x08) == 0) return std::nullopt;
    if (!c.skip(8)) return std::nullopt;
    auto version = c.be32();
    if (!version || googleVersionNumber(*version) == 0 || googleVersionNumber(*version) > 43 ||
        (*version >> 24) != 'Q') {
      return std::nullopt;
    }
    out.version = *version;
    static constexpr std::size_t kPnLen[4] = {1, 2, 4, 6};
    pnLen = kPnLen[(*flags >> 4) & 0x03];
  }
  const int g = googleVersionNumber(out.version);
  if (!c.skip(pnLen) || !c.skip(kMessageHashLength)) return std::nullopt;
  if (g < 34 && !c.skip(1)) return std::nullopt;  // private flags

  // The first frame must be a STREAM frame: 1 F D OOO SS (RFC-less gQUIC wire format).
  auto frame = c.u8();
  if (!frame || (*frame & 0x80) == 0) return std::nullopt;
  const bool bigEndian = g >= 39;
  const std::size_t idLen = (*frame & 0x03) + 1;
  const std::size_t offBits = (*frame >> 2) & 0x07;
  const std::size_t offLen = offBits == 0 ? 0 : offBits + 1;
  auto streamId = readUint(c, idLen, bigEndian);
  auto offset = readUint(c, offLen, bigEndian);
  if (!streamId || !offset || *streamId != 1) return std::nullopt;
  std::size_t dataLen = c.remaining();
  if ((*frame & 0x20) != 0) {
    auto len = readUint(c, 2, bigEndian);
    if (!len || *len > c.remaining()) return std::nullopt;
    dataLen = static_cast<std::size_t>(*len);
  }
  out.streamOffset = *offset;
  out.streamData = *c.take(dataLen);
  return out;
}

}  // namespace rustnet::dpi::quic
