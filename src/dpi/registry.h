#pragma once
// The table of analyzers (Zeek-style): each protocol folder defines one AnalyzerEntry and
// registry.cpp lists it on one line. The Inspector asks every entry that applies to the
// connection's transport for a cheap probe of a payload and instantiates the most confident.
// Everything outside src/dpi learns the protocols from here: their names (protocols()),
// their facts' kinds (factsKinds(), for filter keywords), in registry order.
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "dpi/analyzer.h"
#include "dpi/fields.h"
#include "dpi/protocol.h"

namespace rustnet::dpi {

// How sure a probe is, from one payload. Content beats Port: TLS on port 53 is TLS.
enum class Confidence : std::uint8_t {
  None,     // not this protocol (or cannot tell yet)
  Port,     // a well-known port plus a plausible header (DNS, mDNS, LLMNR)
  Content,  // the payload itself says so ("SSH-", "GET ", a TLS ClientHello)
};

namespace transports {
inline constexpr std::uint8_t kTcp = 1u << 0;
inline constexpr std::uint8_t kUdp = 1u << 1;
inline constexpr std::uint8_t kBoth = kTcp | kUdp;
}  // namespace transports

struct AnalyzerEntry {
  std::string_view name;   // short lower-case name: "http", "dns", "tls"
  std::uint8_t transports; // bit set of transports::k*
  // The application protocols it reports, and the kinds of facts it records.
  std::span<const AppProtocol* const> protocols;
  std::span<const FactsKind* const> kinds;
  // Must not allocate; sees any payload of a connection that is not yet identified.
  Confidence (*probe)(const FlowInfo& flow, const Segment& seg);
  // Called once the probe won; analyzer state is allocated only then.
  std::unique_ptr<Analyzer> (*create)(const FlowInfo& flow);

  [[nodiscard]] constexpr bool appliesTo(Transport t) const {
    return (transports & (t == Transport::Tcp ? transports::kTcp : transports::kUdp)) != 0;
  }
};

// At most this many entries (the Inspector keeps a bit per entry).
inline constexpr std::size_t kMaxAnalyzers = 32;

// In priority order: on equal confidence the earlier entry wins.
std::span<const AnalyzerEntry* const> analyzers();

// At most this many application protocols in all (counters keep one slot each).
inline constexpr std::size_t kMaxProtocols = 32;
// Every entry's protocols, in registry order.
std::span<const AppProto> protocols();
// Position of `p` in protocols(); kMaxProtocols for nullptr or a protocol not registered.
std::size_t protocolIndex(AppProto p);
// Every kind of facts an entry records, each once, in registry order.
std::span<const FactsKind* const> factsKinds();
// The kind whose keyword is `keyword` (lower case); nullptr when none.
const FactsKind* factsKindByKeyword(std::string_view keyword);

}  // namespace rustnet::dpi
