#include "dpi/stun/stun_message.h"

#include <algorithm>

namespace rustnet::dpi::stun {
namespace {

constexpr std::uint8_t kFamilyV4 = 0x01;
constexpr std::uint8_t kFamilyV6 = 0x02;

// The message types RFC 3489 defines (Binding and Shared Secret: request, response, error).
constexpr std::array<std::uint16_t, 6> kClassicTypes = {0x0001, 0x0101, 0x0111,
                                                        0x0002, 0x0102, 0x0112};

std::string_view asText(core::Bytes b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// MAPPED-ADDRESS and XOR-MAPPED-ADDRESS share a layout (RFC 8489 §14.1-14.2): a reserved
// byte, the family, the port, and 4 or 16 address bytes. With `xorWith` (the cookie and
// transaction ID, header bytes 4-19) the port and address are un-XORed. A value of another
// family or too short is ignored, as the RFC asks of unknown families.
MappedAddress readAddress(core::Bytes value, const std::array<std::uint8_t, 16>* xorWith) {
  MappedAddress m;
  core::Cursor c(value);
  const auto family = c.peekU8(1);
  if (!family || !c.skip(2)) return m;
  const auto port = c.be16();
  const std::size_t len = *family == kFamilyV4 ? 4 : *family == kFamilyV6 ? 16 : 0;
  const auto raw = len == 0 || !port ? std::nullopt : c.take(len);
  if (!raw) return m;
  std::array<std::uint8_t, 16> a{};
  std::copy(raw->begin(), raw->end(), a.begin());
  m.port = *port;
  if (xorWith != nullptr) {
    m.port ^= static_cast<std::uint16_t>(((*xorWith)[0] << 8) | (*xorWith)[1]);
    for (std::size_t i = 0; i < len; ++i) a[i] ^= (*xorWith)[i];
  }
  m.addr = len == 4 ? core::IpAddr::v4Bytes(core::Bytes(a.data(), 4)) : core::IpAddr::v6Bytes(a);
  m.seen = true;
  return m;
}

// ERROR-CODE (RFC 8489 §14.8): 21 reserved bits, the hundreds (3-6), the rest (0-99).
std::uint16_t readErrorCode(core::Bytes value) {
  if (value.size() < 4) return 0;
  const unsigned hundreds = value[2] & 0x07u;
  const unsigned number = value[3];
  if (hundreds < 3 || hundreds > 6 || number > 99) return 0;
  return static_cast<std::uint16_t>(hundreds * 100 + number);
}

void setOnce(std::string_view& field, core::Bytes value) {
  if (field.empty()) field = asText(value);
}

}  // namespace

bool startsModern(core::Bytes b) {
  core::Cursor c(b);
  const auto type = c.be16();
  const auto length = c.be16();
  const auto cookie = c.be32();
  return cookie && (*type & 0xc000) == 0 && *length % 4 == 0 && *cookie == kMagicCookie;
}

bool startsClassic(core::Bytes b) {
  core::Cursor c(b);
  const auto type = c.be16();
  const auto length = c.be16();
  return length && *length % 4 == 0 &&
         std::find(kClassicTypes.begin(), kClassicTypes.end(), *type) != kClassicTypes.end();
}

std::optional<Header> parseHeader(core::Bytes b, bool classicAllowed) {
  if (b.size() < kHeaderBytes) return std::nullopt;
  Header h;
  if (startsModern(b)) {
    h.classic = false;
  } else if (classicAllowed && startsClassic(b)) {
    h.classic = true;
  } else {
    return std::nullopt;
  }
  h.type = static_cast<std::uint16_t>((b[0] << 8) | b[1]);
  h.length = static_cast<std::uint16_t>((b[2] << 8) | b[3]);
  std::copy(b.begin() + 4, b.begin() + static_cast<std::ptrdiff_t>(kHeaderBytes), h.id.begin());
  return h;
}

ParseStatus parseMessage(core::Bytes bytes, bool classicAllowed, bool cut, Message& out) {
  out = Message{};
  const auto h = parseHeader(bytes, classicAllowed);
  if (!h) return ParseStatus::Malformed;
  out.header = *h;
  const std::size_t body = std::min<std::size_t>(h->length, bytes.size() - kHeaderBytes);
  if (body < h->length && !cut) return ParseStatus::Malformed;
  core::Cursor c(bytes.subspan(kHeaderBytes, body));
  for (std::size_t n = 0; n < kMaxAttributesWalked && !c.empty(); ++n) {
    const auto type = c.be16();
    const auto len = c.be16();
    if (!len) return cut ? ParseStatus::Ok : ParseStatus::Malformed;
    const auto value = c.take(*len);
    if (!value) return cut ? ParseStatus::Ok : ParseStatus::Malformed;
    // RFC 8489 pads every value to 4 bytes. RFC 3489's values were whole words, so padding
    // changes nothing for them, and it keeps the cookie-less messages of its successors'
    // drafts (which padded) readable.
    c.skip(std::min<std::size_t>((4 - *len % 4) % 4, c.remaining()));
    switch (*type) {
      case kAttrMappedAddress:
        if (!out.mapped.seen) out.mapped = readAddress(*value, nullptr);
        break;
      case kAttrXorMappedAddress:
      case kAttrXorMappedAddressDraft:
        if (!out.xorMapped.seen && !h->classic) out.xorMapped = readAddress(*value, &h->id);
        break;
      case kAttrUsername: setOnce(out.username, *value); break;
      case kAttrRealm: setOnce(out.realm, *value); break;
      case kAttrSoftware: setOnce(out.software, *value); break;
      case kAttrErrorCode:
        if (out.errorCode == 0) out.errorCode = readErrorCode(*value);
        break;
      default: break;
    }
  }
  return ParseStatus::Ok;
}

std::string_view methodName(std::uint16_t method) {
  switch (method) {
    case kMethodBinding: return "Binding";
    case 0x002: return "Shared Secret";  // RFC 3489
    case 0x003: return "Allocate";       // TURN, RFC 8656
    case 0x004: return "Refresh";
    case 0x006: return "Send";
    case 0x007: return "Data";
    case 0x008: return "CreatePermission";
    case 0x009: return "ChannelBind";
    case 0x00a: return "Connect";  // TURN over TCP, RFC 6062
    case 0x00b: return "ConnectionBind";
    case 0x00c: return "ConnectionAttempt";
    default: return {};
  }
}

std::string_view className(std::uint8_t cls) {
  switch (cls) {
    case kClassRequest: return "Request";
    case kClassIndication: return "Indication";
    case kClassSuccess: return "Success Response";
    default: return "Error Response";
  }
}

}  // namespace rustnet::dpi::stun
