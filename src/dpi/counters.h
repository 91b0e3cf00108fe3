#pragma once
// Per-worker DPI counters: plain integers owned by one worker thread, summed by the engine
// for the run's totals. Every named cap on attacker-controlled input has its own counter.
#include <array>
#include <cstdint>
#include <string_view>

#include "core/counter_table.h"
#include "dpi/protocol.h"
#include "dpi/registry.h"

namespace rustnet::dpi {

// One entry per named cap. Append new caps before Count and add the name below.
enum class Cap : std::uint8_t {
  InspectedPackets,    // inspector.h kMaxInspectedPackets: gave up on an unfinished analyzer
  ProbePackets,        // inspector.h kMaxProbePackets: no analyzer recognised the payloads
  HttpHeaderBytes,     // http kMaxHttpHeaderBytes
  DnsPointerHops,      // dns kMaxDnsPointerHops
  DnsNameBytes,        // dns kMaxDnsNameBytes
  DnsAnswers,          // facts.h kMaxDnsAnswers / dns kMaxDnsRecordsWalked
  DnsTcpBytes,         // dns kMaxDnsTcpMessageBytes (TCP reassembly)
  SshBannerBytes,      // ssh kMaxSshBannerBytes
  SshKexinitBytes,     // ssh kMaxSshKexinitBytes
  SshNameList,         // ssh kMaxSshNameListBytes / kMaxSshAlgorithms
  TlsHandshakeBytes,   // tls kMaxClientHelloBytes (one direction's first handshake message)
  TlsReassemblyGaps,   // tls kMaxReassemblyRanges (holes in an out-of-order handshake)
  QuicPacketsPerDatagram,  // quic kMaxQuicPacketsPerDatagram (coalesced packets walked)
  QuicCryptoBytes,     // quic kMaxQuicCryptoBytes / kMaxReassemblyRanges (CRYPTO stream)
  QuicDecryptions,     // quic kMaxQuicDecryptions (Initial packets decrypted per connection)
  DnsNames,            // facts.h kMaxDnsNames (distinct question names kept per connection)
  Count,  // keep last
};
inline constexpr std::size_t kCapCount = static_cast<std::size_t>(Cap::Count);
// snake_case names for JSON, logs and metrics, in the order of Cap.
inline constexpr std::array<std::string_view, kCapCount> kCapNames = {
    "inspected_packets", "probe_packets",    "http_header_bytes", "dns_pointer_hops",
    "dns_name_bytes",    "dns_answers",      "dns_tcp_bytes",     "ssh_banner_bytes",
    "ssh_kexinit_bytes", "ssh_name_list",    "tls_handshake_bytes", "tls_reassembly_gaps",
    "quic_packets_per_datagram", "quic_crypto_bytes", "quic_decryptions",
    "dns_names",
};
inline constexpr std::string_view capName(Cap c) {
  return kCapNames[static_cast<std::size_t>(c)];
}

struct Counters {
  std::uint64_t inspectors = 0;        // connections DPI started looking at
  std::uint64_t packetsInspected = 0;  // payload packets given to the inspectors
  std::uint64_t bytesInspected = 0;
  std::uint64_t unidentified = 0;      // inspectors that finished without a protocol
  std::uint64_t notMine = 0;           // analyzers that withdrew after winning a probe
  std::uint64_t malformed = 0;         // Malformed verdicts (input broken mid-protocol)
  std::array<std::uint64_t, kMaxProtocols> hits{};  // connections identified, by protocolIndex()
  std::array<std::uint64_t, kCapCount> capsHit{};

  void hit(AppProto p) {
    if (const std::size_t i = protocolIndex(p); i < hits.size()) ++hits[i];
  }
  void capHit(Cap c) { ++capsHit[static_cast<std::size_t>(c)]; }
  [[nodiscard]] std::uint64_t hitsFor(AppProto p) const {
    const std::size_t i = protocolIndex(p);
    return i < hits.size() ? hits[i] : 0;
  }
  [[nodiscard]] std::uint64_t capHits(Cap c) const {
    return capsHit[static_cast<std::size_t>(c)];
  }
  Counters& operator+=(const Counters& o);  // by kCounters
};

// The label of hits[i]: the name of the registry's i-th protocol; empty (left out) past them.
inline std::string_view hitLabel(std::size_t i) {
  const auto all = protocols();
  return i < all.size() ? all[i]->name : std::string_view();
}

inline constexpr auto kCounters = std::to_array<core::CounterDef<Counters>>({
    {.name = "dpi_connections_inspected",
     .help = "Connections whose payloads DPI started looking at.",
     .slots = core::counterSlots<&Counters::inspectors>()},
    {.name = "dpi_packets_inspected",
     .help = "Payload packets given to the inspectors.",
     .slots = core::counterSlots<&Counters::packetsInspected>()},
    {.name = "dpi_bytes_inspected",
     .help = "Payload bytes given to the inspectors.",
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&Counters::bytesInspected>()},
    {.name = "dpi_unidentified",
     .help = "Inspections that ended without recognising a protocol.",
     .slots = core::counterSlots<&Counters::unidentified>()},
    {.name = "dpi_not_mine",
     .help = "Analyzers that withdrew after winning the probe.",
     .json = core::JsonForm::Omit,
     .slots = core::counterSlots<&Counters::notMine>()},
    {.name = "dpi_malformed",
     .help = "Inspections ended by input broken in the middle of a protocol.",
     .slots = core::counterSlots<&Counters::malformed>()},
    {.name = "dpi_hits",
     .help = "Connections identified, by application protocol.",
     .json = core::JsonForm::Object,
     .slots = core::counterSlots<&Counters::hits>(),
     .label = "protocol",
     .labelOf = hitLabel},
    {.name = "dpi_caps_hit",
     .help = "Times a named cap on hostile input was reached (docs/dpi.md lists the caps).",
     .json = core::JsonForm::Object,
     .slots = core::counterSlots<&Counters::capsHit>(),
     .label = "cap",
     .labelOf = [](std::size_t i) { return kCapNames[i]; }},
});
static_assert(core::countsEveryMember<Counters>(kCounters));

}  // namespace rustnet::dpi
