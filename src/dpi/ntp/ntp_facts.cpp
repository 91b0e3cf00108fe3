#include "dpi/ntp/ntp_facts.h"

#include <array>
#include <cmath>

#include "core/ip_addr.h"

namespace rustnet::dpi::ntp {

namespace {
constexpr std::uint8_t kSearch = field::kSearchable;
constexpr FieldInfo kVersion{"ntp_version", "Version", 0};
constexpr FieldInfo kMode{"ntp_mode", "Mode", 0};
constexpr FieldInfo kModeName{"ntp_mode_name", "Mode name", kSearch};
constexpr FieldInfo kStratum{"ntp_stratum", "Stratum", 0};
constexpr FieldInfo kStratumName{"ntp_stratum_name", "Stratum means", kSearch};
constexpr FieldInfo kRefid{"ntp_refid", "Reference id", kSearch};
constexpr FieldInfo kPoll{"ntp_poll_s", "Poll s", 0};
constexpr FieldInfo kPrecision{"ntp_precision_ns", "Precision ns", 0};

constexpr std::array<std::string_view, 8> kModeNames{
    "unspecified", "symmetric active", "symmetric passive", "client",
    "server",      "broadcast",        "control",           "private"};

// Exponents shown as plain numbers: poll intervals of 1 s to 2^24 s (chrony's widest; ntpd
// keeps 3-17), precisions that round to at least 1 ns. Others (sub-second polls, nonsense)
// are left out rather than shown as fractions.
constexpr int kMaxPollExponent = 24;
constexpr int kMinPrecisionExponent = -30;
constexpr int kMaxPrecisionExponent = 6;

bool zero(const std::array<std::uint8_t, 4>& r) { return r[0] == 0 && r[1] == 0 && r[2] == 0 && r[3] == 0; }

std::size_t textLength(const std::array<std::uint8_t, 4>& r) {
  std::size_t n = r.size();
  while (n > 0 && r[n - 1] == 0) --n;
  return n;
}
}  // namespace

std::string_view ntpModeName(std::uint8_t m) { return kModeNames[m & 7u]; }

bool isKissCode(const std::array<std::uint8_t, 4>& refid) {
  const std::size_t n = textLength(refid);
  if (n == 0) return false;
  for (std::size_t i = 0; i < n; ++i) {
    if (refid[i] < 'A' || refid[i] > 'Z') return false;
  }
  return true;
}

std::string_view ntpStratumName(const NtpClock& c) {
  if (c.stratum == 0) return isKissCode(c.refid) ? "kiss-o'-death" : "unspecified";
  if (c.stratum == 1) return "primary";
  if (c.stratum < kStratumUnsynchronised) return "secondary";
  if (c.stratum == kStratumUnsynchronised) return "unsynchronised";
  return "reserved";
}

std::string_view ntpRefidText(const NtpClock& c) {
  // Stratum 0-1: a kiss code or a reference clock's name ("GPS", "PPS"). An unsynchronised
  // ntpd says why in a code ("INIT", "STEP"); otherwise stratum 2+ holds an address.
  const bool text = c.stratum <= 1 || (c.stratum >= kStratumUnsynchronised && isKissCode(c.refid));
  if (!text) return {};
  return {reinterpret_cast<const char*>(c.refid.data()), textLength(c.refid)};
}

void NtpFacts::describe(FieldSink& out) const {
  out.field(kVersion, FieldValue::num(version));
  out.field(kMode, FieldValue::num(mode));
  out.field(kModeName, FieldValue::text(ntpModeName(mode)));
  if (!clockKnown) return;
  out.field(kStratum, FieldValue::num(clock.stratum));
  out.field(kStratumName, FieldValue::text(ntpStratumName(clock)));
  if (const std::string_view t = ntpRefidText(clock); !t.empty()) {
    out.field(kRefid, FieldValue::wire(t));
  } else if (clock.stratum > 1 && !zero(clock.refid)) {
    // Over IPv4 the upstream server's address. Over IPv6 these four bytes are the start of
    // an MD5 hash of its address (RFC 5905 §7.3): shown as the number it is.
    if (ipv6) {
      const std::uint32_t hash = (std::uint32_t{clock.refid[0]} << 24) | (std::uint32_t{clock.refid[1]} << 16) |
                                 (std::uint32_t{clock.refid[2]} << 8) | clock.refid[3];
      out.field(kRefid, FieldValue::code(hash, 8));
    } else {
      out.field(kRefid, FieldValue::address(core::IpAddr::v4Bytes(clock.refid)));
    }
  }
  if (clock.poll >= 0 && clock.poll <= kMaxPollExponent) {
    out.field(kPoll, FieldValue::num(std::uint64_t{1} << clock.poll));
  }
  if (clock.precision >= kMinPrecisionExponent && clock.precision <= kMaxPrecisionExponent) {
    const auto ns = std::llround(std::ldexp(1e9, clock.precision));
    out.field(kPrecision, FieldValue::num(static_cast<std::uint64_t>(ns)));
  }
}

std::optional<std::string_view> NtpFacts::detail() const {
  if (clockKnown) {
    if (const std::string_view t = ntpRefidText(clock); !t.empty()) return t;
  }
  return ntpModeName(mode);
}

}  // namespace rustnet::dpi::ntp
