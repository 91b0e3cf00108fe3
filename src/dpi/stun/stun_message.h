#pragma once
// STUN messages (RFC 8489, which obsoletes RFC 5389; and the classic RFC 3489 form without
// the magic cookie): the 20-byte header and the few attributes rustnet reports. Parsing
// reads views into the caller's buffer and never allocates.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/cursor.h"
#include "core/ip_addr.h"

namespace rustnet::dpi::stun {

inline constexpr std::uint32_t kMagicCookie = 0x2112A442;
inline constexpr std::size_t kHeaderBytes = 20;
// Attributes walked per message: a Binding exchange carries about six, a TURN Allocate
// about ten; the rest of a longer list is not read.
inline constexpr std::size_t kMaxAttributesWalked = 32;

// Message classes (RFC 8489 §5): two bits spread over the type field.
inline constexpr std::uint8_t kClassRequest = 0;
inline constexpr std::uint8_t kClassIndication = 1;
inline constexpr std::uint8_t kClassSuccess = 2;
inline constexpr std::uint8_t kClassError = 3;

inline constexpr std::uint16_t kMethodBinding = 0x001;

// Attribute types read (RFC 8489 §18.3, RFC 3489 §11.2).
inline constexpr std::uint16_t kAttrMappedAddress = 0x0001;
inline constexpr std::uint16_t kAttrUsername = 0x0006;
inline constexpr std::uint16_t kAttrErrorCode = 0x0009;
inline constexpr std::uint16_t kAttrRealm = 0x0014;
inline constexpr std::uint16_t kAttrXorMappedAddress = 0x0020;
// The number XOR-MAPPED-ADDRESS had in the drafts of RFC 5389, still sent by old stacks.
inline constexpr std::uint16_t kAttrXorMappedAddressDraft = 0x8020;
inline constexpr std::uint16_t kAttrSoftware = 0x8022;  // "SERVER" in RFC 3489's successors' drafts

struct Header {
  std::uint16_t type = 0;
  std::uint16_t length = 0;  // bytes of attributes after the header
  bool classic = false;      // RFC 3489: no magic cookie, a 16-byte transaction ID
  // Bytes 4-19: the cookie then the 12-byte transaction ID, or the classic 16-byte one.
  std::array<std::uint8_t, 16> id{};

  [[nodiscard]] constexpr std::uint16_t method() const {
    return static_cast<std::uint16_t>((type & 0x000f) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0f80));
  }
  [[nodiscard]] constexpr std::uint8_t msgClass() const {
    return static_cast<std::uint8_t>(((type >> 7) & 0x2) | ((type >> 4) & 0x1));
  }
  // The transaction ID as sent: 12 bytes after the cookie, or all 16 for classic STUN.
  [[nodiscard]] std::size_t idOffset() const { return classic ? 0 : 4; }
  [[nodiscard]] std::size_t idLength() const { return classic ? 16 : 12; }
};

// Whether `b` starts like an RFC 8489 message: type's top two bits zero, length a multiple
// of 4, and the magic cookie. Needs 8 bytes.
bool startsModern(core::Bytes b);
// Whether `b` starts like a classic RFC 3489 message: one of its six types and a length
// that is a multiple of 4. Needs 4 bytes; weak, so only believed on the STUN port.
bool startsClassic(core::Bytes b);
// The header at the start of `b` (20 bytes needed); `classicAllowed` admits the cookie-less
// form. The length is not compared with b.size().
std::optional<Header> parseHeader(core::Bytes b, bool classicAllowed);

struct MappedAddress {
  bool seen = false;
  core::IpAddr addr;
  std::uint16_t port = 0;
};

// What one message says; strings are views into the parsed buffer.
struct Message {
  Header header;
  MappedAddress mapped;     // MAPPED-ADDRESS
  MappedAddress xorMapped;  // XOR-MAPPED-ADDRESS, the XOR undone
  std::string_view software;
  std::string_view username;
  std::string_view realm;
  std::uint16_t errorCode = 0;  // ERROR-CODE as class * 100 + number (300-699), 0 if none
};

enum class ParseStatus : std::uint8_t {
  Ok,
  Malformed,  // an attribute runs past the message's end, or a field is out of range
};

// Parses `bytes`, a whole message (header and `length` bytes of attributes), or its first
// bytes when `cut` (a message longer than the caller keeps: attributes are read as far as
// they go). The first occurrence of each attribute counts.
ParseStatus parseMessage(core::Bytes bytes, bool classicAllowed, bool cut, Message& out);

// "Binding", "Allocate", ...; empty for a method without a name here.
std::string_view methodName(std::uint16_t method);
// "Request", "Indication", "Success Response", "Error Response".
std::string_view className(std::uint8_t cls);

}  // namespace rustnet::dpi::stun
