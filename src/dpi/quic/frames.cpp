#include "dpi/quic/frames.h"

#include <algorithm>
#include <optional>

namespace rustnet::dpi::quic {

namespace {
constexpr std::uint64_t kMaxIdleTimeoutId = 0x01;
// Parameters walked; each costs at least two bytes, this caps the work regardless.
constexpr int kMaxTransportParameters = 128;

// A parameter value holding one integer: a varint spanning the whole value, or (in some
// old drafts) a plain big-endian number.
std::uint64_t integerValue(core::Bytes v) {
  core::Cursor c{v};
  if (auto n = c.varint(); n && c.empty()) return *n;
  if (v.size() > 8) return 0;
  std::uint64_t out = 0;
  for (auto b : v) out = (out << 8) | b;
  return out;
}
}  // namespace

std::uint64_t maxIdleTimeoutMs(core::Bytes params, bool varint) {
  core::Cursor c{params};
  if (!varint) {
    auto total = c.be16();
    if (!total) return 0;
    c = core::Cursor{c.rest().first(std::min<std::size_t>(*total, c.remaining()))};
  }
  for (int i = 0; i < kMaxTransportParameters && !c.empty(); ++i) {
    std::optional<std::uint64_t> id;
    std::optional<std::uint64_t> len;
    if (varint) {
      id = c.varint();
      len = c.varint();
    } else {
      id = c.be16();
      len = c.be16();
    }
    if (!id || !len || *len > c.remaining()) return 0;
    const auto value = *c.take(static_cast<std::size_t>(*len));
    if (*id == kMaxIdleTimeoutId) return integerValue(value);
  }
  return 0;
}

}  // namespace rustnet::dpi::quic
