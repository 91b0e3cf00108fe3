#pragma once
// What STUN (RFC 8489, RFC 5389, classic RFC 3489) tells about a connection: the message
// type of its first exchange, the address the server saw (the client's public address
// behind NAT), and the software, user name and realm sent.
#include <array>
#include <cstdint>
#include <string>

#include "core/ip_addr.h"
#include "dpi/fields.h"
#include "dpi/protocol.h"

namespace rustnet::dpi::stun {

inline constexpr AppProtocol kStun{"STUN", ""};

struct StunAddress {
  bool seen = false;
  core::IpAddr addr;
  std::uint16_t port = 0;
};

struct StunFacts : FactsOf<StunFacts> {
  static constexpr FactsKind kKind{"STUN", "stun",
                                   "STUN message type, software, user name, realm or mapped address contains text (stun:coturn)"};

  // The first message read: its type (method and class bits) and transaction ID.
  std::uint16_t type = 0;
  std::array<std::uint8_t, 16> transactionId{};
  std::uint8_t transactionIdLen = 0;  // 12, or 16 for classic STUN
  bool classic = false;               // RFC 3489 (no magic cookie)
  // The first response to that transaction (or the first response at all when the
  // request was not captured).
  bool responseSeen = false;
  std::uint16_t responseType = 0;
  std::uint16_t errorCode = 0;  // its ERROR-CODE (401, 438, ...), 0 when none
  // First seen in any message.
  StunAddress mapped;     // MAPPED-ADDRESS
  StunAddress xorMapped;  // XOR-MAPPED-ADDRESS, un-XORed
  std::string software;        // SOFTWARE of a request or indication (the client's)
  std::string serverSoftware;  // SOFTWARE of a response
  std::string username;
  std::string realm;

  void describe(FieldSink& out) const override;
  // The server's software says more about what is being reached; else the client's.
  [[nodiscard]] std::optional<std::string_view> detail() const override {
    return !serverSoftware.empty() ? serverSoftware : software;
  }
};

// "Binding Request", "Allocate Error Response", "0x0ff Indication" for an unnamed method.
std::string stunTypeName(std::uint16_t type);

}  // namespace rustnet::dpi::stun

namespace rustnet::dpi {
using stun::StunFacts;
}  // namespace rustnet::dpi
