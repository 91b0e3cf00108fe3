// libFuzzer target: one captured frame through the link → IP → transport decoder, for every
// link type it knows. Input layout (scripts/extract-capture-fuzz-seeds.py writes it):
//   byte 0      link type: its value modulo the number of decode::LinkType values
//   bytes 1-2   big-endian wire-length slack: wireLen = captured length + slack, except
//               0xffff (the largest 32-bit length) and 0xfffe (0: a header that claims
//               fewer bytes on the wire than were captured)
//   then        the frame as captured
#include <cstdint>
#include <limits>

#include "decode/packet.h"
#include "decode_checks.h"

namespace {

constexpr unsigned kLinkTypes = static_cast<unsigned>(rustnet::decode::LinkType::Unsupported) + 1;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rustnet;
  core::Cursor c(core::Bytes(data, size));
  const auto link = c.u8();
  const auto slack = c.be16();
  if (!link || !slack) return 0;
  const auto type = static_cast<decode::LinkType>(*link % kLinkTypes);
  const core::Bytes frame = c.rest();
  const auto capLen = static_cast<std::uint32_t>(frame.size());
  std::uint32_t wireLen = capLen + *slack;
  if (*slack == 0xffff) wireLen = std::numeric_limits<std::uint32_t>::max();
  if (*slack == 0xfffe) wireLen = 0;
  fuzz::decodeAndCheck(type, frame, wireLen, core::Timestamp::fromNanos(1'700'000'000'000'000'000));
  return 0;
}
