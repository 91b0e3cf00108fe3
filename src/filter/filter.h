#pragma once
// The connection filter (SPEC §6): a query is space-separated terms that must all match,
// case-insensitively. A term is a bare word (found in any field, DPI facts and process
// included) or `keyword:value`; a leading `!` negates it.
//
// Keywords: port sport dport (numbers or ranges N-M; sport/src are the local side,
// dport/dst the remote one; ports match exactly, unlike text), src dst (address text, or a
// CIDR prefix such as 10.0.0.0/8; dst also matches the server name DPI found),
// process (name or pid), sni (TLS/QUIC server name, HTTP Host), state (the connection
// state or the application's), proto (TCP, UDP, ICMP, ... or the application protocol:
// https, quic, dns, ssh), service (port service name), app (the DPI summary and protocol
// name), tunnel (the tunnel an inner connection came in: gtp-u, vxlan, gre, erspan,
// teredo, ip-in-ip); and one keyword per kind of DPI facts, from the DPI registry (ssh: banners and
// algorithms, dns: names and answers, ...), matching that protocol's searchable fields.
//
// A value written `/pattern/` (a bare term, or after a keyword: sni:/goo+gle/) is a POSIX
// extended regular expression, case-insensitive, searched in the same fields the text
// would be (ports and pids as their decimal text); it is compiled once, here, and a
// pattern that does not compile (or is longer than Pattern::kMaxLength) is left out with a
// notice. A pattern cannot hold a space (terms are split at spaces): [[:space:]] can.
//
// Forgiving by design, because the UI filters live while the user types: a term whose
// keyword is unknown is matched as a bare word (so "fe80::1" or "10.0.0.1:443" work), a
// keyword with no value yet is ignored, and a value that cannot be used (port:abc) is
// ignored; each of these leaves a notice the UI shows.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip_addr.h"
#include "dpi/fields.h"
#include "engine/record.h"
#include "filter/pattern.h"

namespace rustnet::filter {

enum class Field : std::uint8_t {
  Any, Port, SrcPort, DstPort, Src, Dst, Process, Sni, State, Proto, Service, App, Tunnel,
  Facts,  // a protocol's searchable fields (KeywordInfo::kind)
};

struct KeywordInfo {
  std::string_view name;  // without the colon
  Field field;
  std::string_view help;  // one line for the Help tab
  const dpi::FactsKind* kind = nullptr;  // Field::Facts
};
// Every keyword, in the order the Help tab lists them: the fixed ones, then one per kind of
// DPI facts in registry order.
std::span<const KeywordInfo> keywords();

struct PortRange {
  std::uint16_t lo = 0;
  std::uint16_t hi = 0;
};

struct Cidr {
  core::IpAddr base;
  int prefixBits = 0;  // over the 128-bit form (IPv4 prefixes are offset by 96)
};

struct Term {
  Field field = Field::Any;
  bool negate = false;
  std::string text;  // lower case
  std::shared_ptr<const Pattern> regex;  // a `/pattern/` value: matched instead of text
  std::optional<PortRange> ports;
  std::optional<Cidr> cidr;
  std::optional<std::int32_t> pid;  // process: a number also matches the pid
  const dpi::FactsKind* kind = nullptr;  // Field::Facts: whose fields
};

class Filter {
public:
  Filter() = default;
  static Filter parse(std::string_view query);

  [[nodiscard]] bool matches(const engine::ConnectionRecord& r) const;
  // True when no term constrains anything (an empty or still incomplete query).
  [[nodiscard]] bool empty() const { return terms_.empty(); }
  [[nodiscard]] const std::string& query() const { return query_; }
  [[nodiscard]] const std::vector<Term>& terms() const { return terms_; }
  // Problems found while parsing, for the status line ("unknown keyword 'prot:' ...").
  [[nodiscard]] const std::vector<std::string>& notices() const { return notices_; }

private:
  std::string query_;
  std::vector<Term> terms_;
  std::vector<std::string> notices_;
};

// Whether one term holds for a record (negation not applied).
bool termMatches(const Term& t, const engine::ConnectionRecord& r);

}  // namespace rustnet::filter
