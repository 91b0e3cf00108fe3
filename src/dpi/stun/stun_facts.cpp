#include "dpi/stun/stun_facts.h"

#include <fmt/format.h>

#include "dpi/stun/stun_message.h"

namespace rustnet::dpi::stun {

namespace {
constexpr std::uint8_t kSearch = field::kSearchable;
constexpr FieldInfo kType{"stun_type", "Type", kSearch};
constexpr FieldInfo kTransaction{"stun_transaction_id", "Transaction", 0};
constexpr FieldInfo kClassic{"stun_classic", "RFC 3489", 0};
constexpr FieldInfo kResponse{"stun_response", "Response", kSearch};
constexpr FieldInfo kErrorCode{"stun_error_code", "Error code", kSearch};
constexpr FieldInfo kMappedAddress{"stun_mapped_address", "Mapped address", kSearch};
constexpr FieldInfo kMappedPort{"stun_mapped_port", "Mapped port", 0};
constexpr FieldInfo kXorMappedAddress{"stun_xor_mapped_address", "XOR-mapped address", kSearch};
constexpr FieldInfo kXorMappedPort{"stun_xor_mapped_port", "XOR-mapped port", 0};
constexpr FieldInfo kSoftware{"stun_software", "Software", kSearch};
constexpr FieldInfo kServerSoftware{"stun_server_software", "Server software", kSearch};
constexpr FieldInfo kUsername{"stun_username", "User name", kSearch};
constexpr FieldInfo kRealm{"stun_realm", "Realm", kSearch};

void address(FieldSink& out, const FieldInfo& addr, const FieldInfo& port, const StunAddress& a) {
  if (!a.seen) return;
  out.field(addr, FieldValue::address(a.addr));
  out.field(port, FieldValue::num(a.port));
}
}  // namespace

std::string stunTypeName(std::uint16_t type) {
  Header h;
  h.type = type;
  const std::string_view method = methodName(h.method());
  if (method.empty()) return fmt::format("0x{:03x} {}", h.method(), className(h.msgClass()));
  return fmt::format("{} {}", method, className(h.msgClass()));
}

void StunFacts::describe(FieldSink& out) const {
  if (transactionIdLen == 0) return;  // nothing read yet
  out.field(kType, FieldValue::text(stunTypeName(type)));
  static constexpr char kHex[] = "0123456789abcdef";
  std::array<char, 2 * sizeof transactionId> hex{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < transactionIdLen && i < transactionId.size(); ++i) {
    hex[n++] = kHex[transactionId[i] >> 4];
    hex[n++] = kHex[transactionId[i] & 0xf];
  }
  out.field(kTransaction, FieldValue::text(std::string_view(hex.data(), n)));
  if (classic) out.field(kClassic, FieldValue::flag());
  if (responseSeen) out.field(kResponse, FieldValue::text(stunTypeName(responseType)));
  if (errorCode != 0) out.field(kErrorCode, FieldValue::num(errorCode));
  address(out, kMappedAddress, kMappedPort, mapped);
  address(out, kXorMappedAddress, kXorMappedPort, xorMapped);
  describeWire(out, kSoftware, software);
  describeWire(out, kServerSoftware, serverSoftware);
  describeWire(out, kUsername, username);
  describeWire(out, kRealm, realm);
}

}  // namespace rustnet::dpi::stun
