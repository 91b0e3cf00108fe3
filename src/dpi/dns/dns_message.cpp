#include "dpi/dns/dns_message.h"

#include <algorithm>

namespace rustnet::dpi::dns {
namespace {

constexpr std::uint16_t kTypeOpt = 41;
// Largest record counts a sane message carries (the message-size check is the real bound).
constexpr std::uint16_t kMaxPlausibleQuestions = 32;

bool isHostChar(std::uint8_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_';
}

void countNameCap(NameStatus st, Counters& counters) {
  if (st == NameStatus::TooManyHops) counters.capHit(Cap::DnsPointerHops);
  if (st == NameStatus::TooLong) counters.capHit(Cap::DnsNameBytes);
}

}  // namespace

std::optional<Header> parseHeader(core::Bytes msg) {
  core::Cursor c(msg);
  Header h;
  auto id = c.be16();
  auto flags = c.be16();
  auto qd = c.be16();
  auto an = c.be16();
  auto ns = c.be16();
  auto ar = c.be16();
  if (!ar) return std::nullopt;  // every earlier read succeeded if the last one did
  h.id = *id;
  h.flags = *flags;
  h.qdCount = *qd;
  h.anCount = *an;
  h.nsCount = *ns;
  h.arCount = *ar;
  return h;
}

bool plausibleHeader(const Header& h, std::size_t messageBytes) {
  // QUERY, IQUERY, STATUS, NOTIFY, UPDATE.
  const auto op = h.opcode();
  if (op == 3 || op > 5) return false;
  if (h.qdCount > kMaxPlausibleQuestions) return false;
  const std::size_t records = std::size_t{h.qdCount} + h.anCount + h.nsCount + h.arCount;
  if (records == 0 && !h.isResponse()) return false;
  // The smallest record is 5 bytes (root name, type, class); questions need 5, others 11.
  const std::size_t minBytes =
      kDnsHeaderBytes + std::size_t{h.qdCount} * 5 + (records - h.qdCount) * 11;
  return minBytes <= messageBytes;
}

NameStatus readName(core::Bytes msg, std::size_t offset, std::string* out, std::size_t& next) {
  if (out) out->clear();
  std::size_t pos = offset;
  std::size_t labelsStart = offset;  // a pointer must point before this
  std::size_t hops = 0;
  std::size_t wireLen = 1;  // the terminating zero
  bool jumped = false;
  while (true) {
    if (pos >= msg.size()) return NameStatus::Truncated;
    const std::uint8_t len = msg[pos];
    if ((len & 0xc0) == 0xc0) {
      if (pos + 1 >= msg.size()) return NameStatus::Truncated;
      const std::size_t target = (std::size_t{len & 0x3fu} << 8) | msg[pos + 1];
      if (!jumped) {
        next = pos + 2;
        jumped = true;
      }
      if (target >= labelsStart) return NameStatus::PointerLoop;
      if (++hops > kMaxDnsPointerHops) return NameStatus::TooManyHops;
      pos = labelsStart = target;
      continue;
    }
    if ((len & 0xc0) != 0) return NameStatus::BadLabel;
    if (len == 0) {
      if (!jumped) next = pos + 1;
      return NameStatus::Ok;
    }
    if (pos + 1 + len > msg.size()) return NameStatus::Truncated;
    wireLen += std::size_t{len} + 1;
    if (wireLen > kMaxDnsNameBytes) return NameStatus::TooLong;
    if (out) {
      if (!out->empty()) out->push_back('.');
      out->append(reinterpret_cast<const char*>(msg.data() + pos + 1), len);
    }
    pos += 1 + std::size_t{len};
  }
}

ParseStatus parseMessage(core::Bytes msg, Message& out, Counters& counters, bool withAnswers) {
  out.hasQuestion = false;
  out.qname.clear();
  out.qtype = 0;
  out.answers.clear();
  const auto header = parseHeader(msg);
  if (!header) return ParseStatus::NotDns;
  out.header = *header;

  std::size_t pos = kDnsHeaderBytes;
  out.moreCount = 0;
  const std::size_t questions = std::min<std::size_t>(header->qdCount, kMaxPlausibleQuestions);
  for (std::size_t i = 0; i < questions; ++i) {
    std::size_t next = 0;
    std::string* name = &out.qname;
    if (i > 0) {
      // Later questions (mDNS asks many at once) go to reused strings, at most kMaxDnsNames.
      name = nullptr;
      if (out.moreCount + 1 < kMaxDnsNames) {
        if (out.moreQuestions.size() <= out.moreCount) out.moreQuestions.emplace_back();
        name = &out.moreQuestions[out.moreCount];
      }
    }
    const NameStatus st = readName(msg, pos, name, next);
    countNameCap(st, counters);
    if (st != NameStatus::Ok) {
      out.hasQuestion = i > 0 || !out.qname.empty();
      return ParseStatus::Malformed;
    }
    if (i > 0 && name != nullptr) ++out.moreCount;
    core::Cursor c(msg.subspan(next));
    const auto qtype = c.be16();
    if (!qtype || !c.skip(2)) return ParseStatus::Malformed;
    if (i == 0) {
      out.hasQuestion = true;
      out.qtype = *qtype;
    }
    pos = next + 4;
  }
  // More questions than any real message asks: where the answers start is not worth finding.
  if (header->qdCount > questions) return ParseStatus::Malformed;
  if (!header->isResponse() || !withAnswers) return ParseStatus::Ok;

  bool capped = header->anCount > kMaxDnsRecordsWalked;
  const std::size_t walk = std::min<std::size_t>(header->anCount, kMaxDnsRecordsWalked);
  for (std::size_t i = 0; i < walk; ++i) {
    std::size_t next = 0;
    const NameStatus st = readName(msg, pos, nullptr, next);
    countNameCap(st, counters);
    if (st != NameStatus::Ok) return ParseStatus::Malformed;
    core::Cursor c(msg.subspan(next));
    const auto type = c.be16();
    if (!type || !c.skip(6)) return ParseStatus::Malformed;  // class, TTL
    const auto rdlen = c.be16();
    if (!rdlen) return ParseStatus::Malformed;
    const std::size_t rdata = next + 10;
    const auto body = c.take(*rdlen);
    if (!body) return ParseStatus::Malformed;
    pos = rdata + *rdlen;

    const bool address = (*type == kTypeA && body->size() == 4) ||
                         (*type == kTypeAaaa && body->size() == 16);
    if (!address && *type != kTypeCname) continue;
    if (out.answers.size() >= kMaxDnsAnswers) {
      capped = true;
      continue;
    }
    DnsAnswer a;
    a.type = *type;
    if (*type == kTypeA) {
      a.addr = core::IpAddr::v4Bytes(*body);
    } else if (*type == kTypeAaaa) {
      a.addr = core::IpAddr::v6Bytes(*body);
    } else {
      // The target's pointers may only point before the record data.
      std::size_t after = 0;
      const NameStatus cst = readName(msg.first(rdata + *rdlen), rdata, &a.name, after);
      countNameCap(cst, counters);
      if (cst != NameStatus::Ok) return ParseStatus::Malformed;
    }
    out.answers.push_back(std::move(a));
  }
  if (capped) counters.capHit(Cap::DnsAnswers);
  return ParseStatus::Ok;
}

bool looksLikeStandardQuery(core::Bytes msg) {
  const auto h = parseHeader(msg);
  if (!h || h->isResponse() || h->opcode() != 0 || h->qdCount != 1 || h->anCount != 0 ||
      h->nsCount != 0 || h->arCount > 1) {
    return false;
  }
  std::size_t pos = kDnsHeaderBytes;
  std::size_t labels = 0;
  while (true) {
    if (pos >= msg.size()) return false;
    const std::uint8_t len = msg[pos];
    if (len == 0) break;
    if (len > 63 || pos + 1 + len > msg.size()) return false;
    for (std::size_t i = 1; i <= len; ++i) {
      if (!isHostChar(msg[pos + i])) return false;
    }
    ++labels;
    pos += 1 + std::size_t{len};
  }
  if (labels == 0) return false;
  core::Cursor c(msg.subspan(pos + 1));
  const auto qtype = c.be16();
  const auto qclass = c.be16();
  if (!qclass || *qtype == 0 || ((*qclass & 0x7fff) != 1 && *qclass != 255)) return false;
  if (h->arCount == 0) return c.empty();
  // EDNS(0): an OPT pseudo-record with the root name, and nothing after it.
  const auto root = c.u8();
  const auto type = c.be16();
  if (!type || !c.skip(6)) return false;  // class (UDP size), TTL (extended flags)
  const auto rdlen = c.be16();
  return rdlen && *root == 0 && *type == kTypeOpt && c.remaining() == *rdlen;
}

}  // namespace rustnet::dpi::dns
