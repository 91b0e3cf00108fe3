#pragma once
// What DNS (and mDNS, LLMNR, which share its message format) tells about a connection.
#include <cstdint>
#include <string>
#include <vector>

#include "core/ip_addr.h"
#include "dpi/fields.h"
#include "dpi/protocol.h"

namespace rustnet::dpi::dns {

inline constexpr AppProtocol kDns{"DNS", ""};
inline constexpr AppProtocol kMdns{"mDNS", ""};
inline constexpr AppProtocol kLlmnr{"LLMNR", ""};

inline constexpr AppStateInfo kQuery{"DNS_QUERY", "dns", 0, IdleClass::Exchange};
inline constexpr AppStateInfo kResponse{"DNS_RESPONSE", "dns", 1, IdleClass::Exchange};

// Record types the analyzer looks at (RFC 1035, RFC 3596).
inline constexpr std::uint16_t kTypeA = 1;
inline constexpr std::uint16_t kTypeCname = 5;
inline constexpr std::uint16_t kTypeAaaa = 28;

struct DnsAnswer {
  std::uint16_t type = 0;  // kTypeA, kTypeAaaa or kTypeCname
  core::IpAddr addr;       // A / AAAA
  std::string name;        // CNAME target (raw, capped)
};

// Cap on the answers kept per connection (more are counted in answerCount only).
inline constexpr std::size_t kMaxDnsAnswers = 8;
// Cap on the distinct question names kept per connection (mDNS and LLMNR flows, and
// resolver sockets reused for several queries, carry many).
inline constexpr std::size_t kMaxDnsNames = 16;

struct DnsFacts : FactsOf<DnsFacts> {
  static constexpr FactsKind kKind{"DNS", "dns", "DNS query name, type, response code or answer contains text (dns:nxdomain)"};

  std::uint16_t id = 0;
  std::string qname;        // first question name, dotted, raw bytes (escaped when shown)
  std::uint16_t qtype = 0;
  bool querySeen = false;
  bool responseSeen = false;
  std::uint8_t rcode = 0;   // valid when responseSeen
  std::uint16_t answerCount = 0;  // answer records in the response (ANCOUNT)
  std::vector<DnsAnswer> answers;  // A, AAAA and CNAME answers, at most kMaxDnsAnswers
  // Every distinct question name seen, in queries and responses, in order of appearance,
  // at most kMaxDnsNames (qname is normally the first).
  std::vector<std::string> names;

  void describe(FieldSink& out) const override;
  [[nodiscard]] std::optional<std::string_view> domain() const override { return qname; }
};
static_assert(kMaxDnsAnswers <= kMaxListItems && kMaxDnsNames <= kMaxListItems);

// "A", "AAAA", "CNAME", ... or the number as text.
std::string dnsTypeName(std::uint16_t qtype);
// "NOERROR", "NXDOMAIN", ... or the number as text.
std::string dnsRcodeName(std::uint8_t rcode);

}  // namespace rustnet::dpi::dns

namespace rustnet::dpi {
using dns::DnsAnswer;
using dns::DnsFacts;
using dns::dnsRcodeName;
using dns::dnsTypeName;
using dns::kMaxDnsAnswers;
using dns::kMaxDnsNames;
}  // namespace rustnet::dpi
