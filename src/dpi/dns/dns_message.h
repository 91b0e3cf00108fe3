#pragma once
// Parsing of one DNS message (RFC 1035 §4): header, first question, and the A/AAAA/CNAME
// answers. Names are followed through compression pointers with a hop cap, and every
// pointer must point before the labels that contain it, which also rules out loops.
// Label bytes are kept raw (a label may hold any byte); callers escape them for display.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/cursor.h"
#include "dpi/counters.h"
#include "dpi/dns/dns_facts.h"
#include "dpi/facts.h"

namespace rustnet::dpi::dns {

// Compression pointers followed for one name.
inline constexpr std::size_t kMaxDnsPointerHops = 16;
// Wire length of a name (RFC 1035 §3.1: 255 octets); longer names are cut here.
inline constexpr std::size_t kMaxDnsNameBytes = 255;
// Answer records walked per message looking for A/AAAA/CNAME.
inline constexpr std::size_t kMaxDnsRecordsWalked = 32;
inline constexpr std::size_t kDnsHeaderBytes = 12;

struct Header {
  std::uint16_t id = 0;
  std::uint16_t flags = 0;
  std::uint16_t qdCount = 0;
  std::uint16_t anCount = 0;
  std::uint16_t nsCount = 0;
  std::uint16_t arCount = 0;

  [[nodiscard]] bool isResponse() const { return (flags & 0x8000) != 0; }
  [[nodiscard]] std::uint8_t opcode() const { return (flags >> 11) & 0x0f; }
  [[nodiscard]] std::uint8_t rcode() const { return flags & 0x0f; }
};

std::optional<Header> parseHeader(core::Bytes msg);
// A header a real DNS/mDNS/LLMNR speaker could send (known opcode, record counts that fit
// in the message): the port-based probe's sanity check.
bool plausibleHeader(const Header& h, std::size_t messageBytes);

enum class NameStatus : std::uint8_t {
  Ok,
  Truncated,    // the message ended inside the name
  BadLabel,     // label type 0x40/0x80 (extended/unknown)
  PointerLoop,  // a pointer that does not point before its own labels
  TooManyHops,  // more than kMaxDnsPointerHops pointers (Cap::DnsPointerHops)
  TooLong,      // more than kMaxDnsNameBytes (Cap::DnsNameBytes); `out` holds the start
};

// Reads the name at `offset` in `msg` as dotted text into `out` (cleared first; the root
// name is empty), and sets `next` to the offset just after the name where it started.
// With `out` null the name is only skipped.
NameStatus readName(core::Bytes msg, std::size_t offset, std::string* out, std::size_t& next);

// The parts of a message the analyzer keeps. Reused between messages so that parsing does
// not allocate once its buffers have grown.
struct Message {
  Header header;
  bool hasQuestion = false;
  std::string qname;  // the first question's
  std::uint16_t qtype = 0;
  // The names of the second and later questions: moreQuestions[0, moreCount).
  std::vector<std::string> moreQuestions;
  std::size_t moreCount = 0;
  std::vector<DnsAnswer> answers;  // at most kMaxDnsAnswers
};

enum class ParseStatus : std::uint8_t {
  Ok,
  NotDns,     // no plausible header
  Malformed,  // header fine, body broken (what was read before the break is in `out`)
};

// Parses `msg`; counts caps hit in `counters`. With `withAnswers` false only the header
// and questions are read (out.answers stays empty).
ParseStatus parseMessage(core::Bytes msg, Message& out, Counters& counters, bool withAnswers = true);

// Strict shape of a standard query (one question, host-name characters, nothing left
// over): lets DNS on a non-standard UDP port be recognised by content alone.
bool looksLikeStandardQuery(core::Bytes msg);

}  // namespace rustnet::dpi::dns
