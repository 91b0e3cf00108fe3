#pragma once
// What NTP (RFC 1059, 1119, 1305, 5905: versions 1-4) tells about a connection: the
// version and mode of its first message, and the clock that the answering side (server,
// peer or broadcaster) describes in its header: stratum, reference id, poll, precision.
#include <array>
#include <cstdint>
#include <string_view>

#include "dpi/fields.h"
#include "dpi/protocol.h"

namespace rustnet::dpi::ntp {

// An exchange is one datagram each way, but clients such as ntpd poll from port 123 on
// one 5-tuple every 64-1024 s: the UDP timeout is the right life for the row.
inline constexpr AppProtocol kNtp{"NTP", "", IdleClass::Transport};

// Forward only; `state:` filters match them.
inline constexpr AppStateInfo kRequest{"NTP_REQUEST", "ntp", 0};
inline constexpr AppStateInfo kResponse{"NTP_RESPONSE", "ntp", 1};

// The association modes (RFC 5905 §7.3). Version 1 had no mode field: its packets carry 0.
namespace mode {
inline constexpr std::uint8_t kUnspecified = 0;
inline constexpr std::uint8_t kSymmetricActive = 1;
inline constexpr std::uint8_t kSymmetricPassive = 2;
inline constexpr std::uint8_t kClient = 3;
inline constexpr std::uint8_t kServer = 4;
inline constexpr std::uint8_t kBroadcast = 5;
inline constexpr std::uint8_t kControl = 6;
inline constexpr std::uint8_t kPrivate = 7;
}  // namespace mode

// Stratum 16 means "not synchronised" (RFC 5905 §7.3); above it is reserved.
inline constexpr std::uint8_t kStratumUnsynchronised = 16;

// The sender's clock, from a 48-byte header (modes 0-5).
struct NtpClock {
  std::uint8_t stratum = 0;
  std::int8_t poll = 0;       // log2 seconds
  std::int8_t precision = 0;  // log2 seconds
  std::array<std::uint8_t, 4> refid{};
};

struct NtpFacts : FactsOf<NtpFacts> {
  static constexpr FactsKind kKind{"NTP", "ntp",
                                   "NTP mode, stratum or reference id contains text (ntp:gps, ntp:server)"};

  std::uint8_t version = 0;  // of the first message seen
  std::uint8_t mode = 0;     // of the first message seen (mode::k*)
  bool requestSeen = false;
  bool responseSeen = false;
  // The answering side's clock (a server's, passive peer's or broadcaster's); before an
  // answer, a symmetric-active peer's own. A client's request describes only the client.
  bool clockKnown = false;
  NtpClock clock;
  bool ipv6 = false;  // over IPv6 a stratum 2+ reference id is a hash, not an address

  void describe(FieldSink& out) const override;
  // The reference id when it is text ("GPS", a kiss code), else the first message's mode.
  [[nodiscard]] std::optional<std::string_view> detail() const override;
};

// "client", "server", "symmetric active", ...
std::string_view ntpModeName(std::uint8_t mode);
// "primary", "secondary", "unsynchronised", "kiss-o'-death", ...
std::string_view ntpStratumName(const NtpClock& clock);
// The reference id as text when the stratum says it is one (0, 1; 16 with a code): up to
// four characters, trailing NULs cut. Empty when it is an address (or a hash) or zero.
std::string_view ntpRefidText(const NtpClock& clock);
// A kiss code (RFC 5905 §7.4): one to four upper-case letters, NUL padded.
bool isKissCode(const std::array<std::uint8_t, 4>& refid);

}  // namespace rustnet::dpi::ntp

namespace rustnet::dpi {
using ntp::NtpFacts;
}  // namespace rustnet::dpi
