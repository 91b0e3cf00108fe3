#include "dpi/tls/record_layer.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace rustnet::dpi::tls {

namespace {

using core::Bytes;
using core::Cursor;

constexpr std::uint8_t kContentHandshake = 22;

constexpr std::array<std::uint8_t, 12> kProxyV2Signature{0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d,
                                                         0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a};
constexpr std::array<std::uint8_t, 6> kProxyV1Prefix{'P', 'R', 'O', 'X', 'Y', ' '};

// Record header check shared by the scanner and the quick test.
bool plausibleRecordHeader(std::uint8_t type, std::uint16_t version, std::uint16_t length) {
  return type == kContentHandshake && (version >> 8) == 0x03 && (version & 0xff) <= 0x04 &&
         length > 0 && length <= kMaxRecordLength;
}

bool plausibleHandshakeType(std::uint8_t t) {
  return t == 1 || t == 2;
}

}  // namespace

ProxyHeader detectProxyHeader(Bytes stream) {
  const auto prefixMatches = [&](const auto& sig) {
    const std::size_t n = std::min(stream.size(), sig.size());
    return std::equal(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(n), sig.begin());
  };
  if (stream.empty()) return {ProxyHeader::Status::NeedMore, 0};
  if (prefixMatches(kProxyV1Prefix)) {
    if (stream.size() < kProxyV1Prefix.size()) return {ProxyHeader::Status::NeedMore, 0};
    const std::size_t limit = std::min(stream.size(), kMaxProxyV1Length);
    for (std::size_t i = kProxyV1Prefix.size(); i + 1 < limit; ++i) {
      if (stream[i] == '\r' && stream[i + 1] == '\n') return {ProxyHeader::Status::Found, i + 2};
    }
    if (stream.size() < kMaxProxyV1Length) return {ProxyHeader::Status::NeedMore, 0};
    return {ProxyHeader::Status::NotProxy, 0};
  }
  if (prefixMatches(kProxyV2Signature)) {
    Cursor c{stream};
    if (!c.skip(kProxyV2Signature.size())) return {ProxyHeader::Status::NeedMore, 0};
    auto verCmd = c.u8();
    auto family = c.u8();
    auto len = c.be16();
    if (!verCmd || !family || !len) return {ProxyHeader::Status::NeedMore, 0};
    if ((*verCmd >> 4) != 2) return {ProxyHeader::Status::NotProxy, 0};
    return {ProxyHeader::Status::Found, kProxyV2Signature.size() + 4 + *len};
  }
  return {ProxyHeader::Status::NotProxy, 0};
}

bool looksLikeTlsHandshake(Bytes start) {
  Cursor c{start};
  auto type = c.u8();
  auto version = c.be16();
  auto length = c.be16();
  if (!type || !version || !length) {
    // Too short to tell: judge on what is there.
    if (type && *type != kContentHandshake) return false;
    if (start.size() >= 2 && start[1] != 0x03) return false;
    return true;
  }
  if (!plausibleRecordHeader(*type, *version, *length)) return false;
  auto hsType = c.u8();
  return !hsType || plausibleHandshakeType(*hsType);
}

HandshakeScan scanFirstHandshake(Bytes stream, bool atCap, std::vector<std::uint8_t>& scratch) {
  HandshakeScan out;
  const auto proxy = detectProxyHeader(stream);
  if (proxy.status == ProxyHeader::Status::NeedMore) {
    out.status = atCap ? HandshakeScan::Status::NotTls : HandshakeScan::Status::NeedMore;
    return out;
  }
  if (proxy.status == ProxyHeader::Status::Found) {
    out.proxyHeaderLength = proxy.length;
    if (proxy.length >= stream.size()) {
      out.status = atCap ? HandshakeScan::Status::NotTls : HandshakeScan::Status::NeedMore;
      return out;
    }
    stream = stream.subspan(proxy.length);
  }

  // First pass: walk record headers only, counting handshake bytes available, so that no
  // copying happens until the message is whole (or the cap is reached).
  Cursor c{stream};
  std::size_t available = 0;        // handshake bytes present so far
  std::size_t firstRecordData = 0;  // of which in the first record
  std::size_t records = 0;
  std::uint8_t hsHeader[4];
  std::size_t hsHeaderHave = 0;
  std::size_t needed = 0;  // 4 + declared length, once the header is known
  while (needed == 0 || available < needed) {
    auto type = c.peekU8();
    auto version = c.peekBe16(1);
    auto length = c.peekBe16(3);
    if (!type || !version || !length) {
      if (type && *type != kContentHandshake) {
        out.status = HandshakeScan::Status::NotTls;
        return out;
      }
      break;
    }
    if (!plausibleRecordHeader(*type, *version, *length)) {
      out.status = HandshakeScan::Status::NotTls;
      return out;
    }
    if (records == 0) out.recordVersion = *version;
    c.skip(5);
    const std::size_t present = std::min<std::size_t>(*length, c.remaining());
    const Bytes payload = c.rest().first(present);
    for (std::size_t i = 0; i < payload.size() && hsHeaderHave < 4; ++i) hsHeader[hsHeaderHave++] = payload[i];
    if (hsHeaderHave == 4 && needed == 0) {
      out.type = hsHeader[0];
      out.declaredLength = (std::uint32_t{hsHeader[1]} << 16) | (std::uint32_t{hsHeader[2]} << 8) | hsHeader[3];
      if (!plausibleHandshakeType(out.type)) {
        out.status = HandshakeScan::Status::NotTls;
        return out;
      }
      needed = 4 + std::size_t{out.declaredLength};
    }
    available += present;
    if (records == 0) firstRecordData = present;
    ++records;
    c.skip(present);
    if (present < *length) break;
  }

  if (needed != 0 && available >= needed) {
    out.status = HandshakeScan::Status::Complete;
  } else if (!atCap) {
    out.status = HandshakeScan::Status::NeedMore;
    return out;
  } else if (needed == 0) {
    // The cap was reached without even a handshake header: not a stream we understand.
    out.status = HandshakeScan::Status::NotTls;
    return out;
  } else {
    out.status = HandshakeScan::Status::Truncated;
  }
  const std::size_t bodyWanted = std::min(needed, available) - 4;

  // Fast path: the message sits inside the first record, contiguous in `stream`.
  if (firstRecordData >= 4 + bodyWanted) {
    out.body = stream.subspan(5 + 4, bodyWanted);
    return out;
  }
  // Second pass: join the record payloads.
  scratch.clear();
  scratch.reserve(4 + bodyWanted);
  Cursor r{stream};
  while (scratch.size() < 4 + bodyWanted) {
    r.skip(3);
    auto length = r.be16();
    if (!length) break;
    const std::size_t take = std::min({std::size_t{*length}, r.remaining(), 4 + bodyWanted - scratch.size()});
    const Bytes part = r.rest().first(take);
    scratch.insert(scratch.end(), part.begin(), part.end());
    if (!r.skip(*length)) break;  // the last record is incomplete
  }
  out.body = Bytes(scratch).subspan(std::min<std::size_t>(4, scratch.size()));
  return out;
}

}  // namespace rustnet::dpi::tls
