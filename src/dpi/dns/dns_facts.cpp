#include "dpi/dns/dns_facts.h"

#include <array>

namespace rustnet::dpi::dns {

namespace {
constexpr std::uint8_t kSearch = field::kSearchable;
constexpr FieldInfo kId{"dns_id", "Id", 0};
constexpr FieldInfo kQueryField{"dns_query", "Query", kSearch};
constexpr FieldInfo kQueries{"dns_queries", "Queries", kSearch};
constexpr FieldInfo kQtype{"dns_qtype", "Type", kSearch};
constexpr FieldInfo kRcode{"dns_rcode", "Response", kSearch};
constexpr FieldInfo kAnswers{"dns_answers", "Answers", kSearch};
}  // namespace

std::string dnsTypeName(std::uint16_t t) {
  switch (t) {
    case kTypeA: return "A";
    case 2: return "NS";
    case kTypeCname: return "CNAME";
    case 6: return "SOA";
    case 12: return "PTR";
    case 15: return "MX";
    case 16: return "TXT";
    case kTypeAaaa: return "AAAA";
    case 33: return "SRV";
    case 35: return "NAPTR";
    case 41: return "OPT";
    case 43: return "DS";
    case 46: return "RRSIG";
    case 47: return "NSEC";
    case 48: return "DNSKEY";
    case 64: return "SVCB";
    case 65: return "HTTPS";
    case 255: return "ANY";
    default: return std::to_string(t);
  }
}

std::string dnsRcodeName(std::uint8_t rcode) {
  switch (rcode) {
    case 0: return "NOERROR";
    case 1: return "FORMERR";
    case 2: return "SERVFAIL";
    case 3: return "NXDOMAIN";
    case 4: return "NOTIMP";
    case 5: return "REFUSED";
    default: return std::to_string(rcode);
  }
}

void DnsFacts::describe(FieldSink& out) const {
  out.field(kId, FieldValue::num(id));
  describeWire(out, kQueryField, qname);
  if (names.size() > 1) describeWireList(out, kQueries, names);
  if (querySeen || !qname.empty()) out.field(kQtype, FieldValue::text(dnsTypeName(qtype)));
  if (!responseSeen) return;
  out.field(kRcode, FieldValue::text(dnsRcodeName(rcode)));
  std::array<FieldValue, kMaxListItems> items;
  std::size_t n = 0;
  for (const auto& a : answers) {
    if (n == items.size()) break;
    items[n++] = a.name.empty() ? FieldValue::address(a.addr) : FieldValue::wire(a.name);
  }
  out.field(kAnswers, FieldValue::list({items.data(), n}));
}

}  // namespace rustnet::dpi::dns
