#include "filter/filter.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <vector>

#include "core/text.h"
#include "dpi/registry.h"
#include "filter/fields.h"

namespace rustnet::filter {

namespace {

constexpr std::array<KeywordInfo, 12> kFixedKeywords{{
    {"port", Field::Port, "either port equals N, or lies in N-M (port:443, port:8000-8100)"},
    {"sport", Field::SrcPort, "local port (sport:443 = connections to this host's port 443)"},
    {"dport", Field::DstPort, "remote port (dport:22)"},
    {"src", Field::Src, "local address contains text, or is in a prefix (src:10.0.0.0/8)"},
    {"dst", Field::Dst, "remote address or server name contains text, or in a prefix (dst:github.com)"},
    {"process", Field::Process, "process name contains text, or pid equals N"},
    {"sni", Field::Sni, "TLS/QUIC server name or HTTP Host contains text (sni:github)"},
    {"state", Field::State, "state contains text (state:syn_recv, state:established)"},
    {"proto", Field::Proto, "protocol is tcp, udp, icmp, icmpv6, arp, igmp, or https, quic, dns..."},
    {"service", Field::Service, "service name contains text (service:https)"},
    {"app", Field::App, "application (DPI) contains text (app:http, app:github.com)"},
    {"tunnel", Field::Tunnel, "came inside a tunnel whose name contains text (tunnel:gtp, tunnel:vxlan)"},
}};

// Caps on what one query may hold, so that a pasted wall of text stays cheap to match.
constexpr std::size_t kMaxTerms = 32;
constexpr std::size_t kMaxQuery = 1024;

std::optional<std::uint16_t> parsePort(std::string_view s) {
  unsigned v = 0;
  const auto* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || p != end || s.empty() || v > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

std::optional<PortRange> parsePorts(std::string_view s) {
  const auto dash = s.find('-');
  if (dash == std::string_view::npos) {
    auto p = parsePort(s);
    if (!p) return std::nullopt;
    return PortRange{*p, *p};
  }
  auto lo = parsePort(s.substr(0, dash));
  auto hi = parsePort(s.substr(dash + 1));
  if (!lo || !hi || *lo > *hi) return std::nullopt;
  return PortRange{*lo, *hi};
}

// "10.0.0.0/8" or "2001:db8::/32"; nullopt when the value is not a prefix (then it is text).
std::optional<Cidr> parseCidr(std::string_view s, bool& invalid) {
  invalid = false;
  const auto slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto addr = core::IpAddr::parse(s.substr(0, slash));
  auto bits = parsePort(s.substr(slash + 1));
  const int maxBits = addr && addr->isV4() ? 32 : 128;
  if (!addr || !bits || *bits > maxBits) {
    invalid = true;
    return std::nullopt;
  }
  return Cidr{*addr, addr->isV4() ? 96 + *bits : *bits};
}

const std::vector<KeywordInfo>& allKeywords() {
  static const std::vector<KeywordInfo> all = [] {
    std::vector<KeywordInfo> v(kFixedKeywords.begin(), kFixedKeywords.end());
    for (const dpi::FactsKind* k : dpi::factsKinds()) v.push_back({k->keyword, Field::Facts, k->help, k});
    return v;
  }();
  return all;
}

const KeywordInfo* findKeyword(std::string_view name) {
  for (const auto& k : allKeywords()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

// Only a letters-only prefix reads as an attempted keyword; anything else before a colon
// (an IPv6 address, "1.2.3.4:80") is plain text and deserves no notice.
bool looksLikeKeyword(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  return true;
}

}  // namespace

std::span<const KeywordInfo> keywords() { return allKeywords(); }

Filter Filter::parse(std::string_view query) {
  Filter f;
  if (query.size() > kMaxQuery) {
    query = query.substr(0, kMaxQuery);
    f.notices_.push_back(fmt::format("filter cut at {} characters", kMaxQuery));
  }
  f.query_ = std::string(query);
  std::size_t i = 0;
  while (i < query.size()) {
    while (i < query.size() && (query[i] == ' ' || query[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < query.size() && query[j] != ' ' && query[j] != '\t') ++j;
    if (j == i) break;
    const std::string_view raw = query.substr(i, j - i);
    std::string word = lowerAscii(raw);
    i = j;

    Term t;
    std::string_view w = word;
    if (w.front() == '!') {
      t.negate = true;
      w.remove_prefix(1);
    }
    if (w.empty()) continue;
    std::string_view value = w;
    if (const auto colon = w.find(':'); colon != std::string_view::npos) {
      const std::string_view name = w.substr(0, colon);
      if (const KeywordInfo* k = findKeyword(name)) {
        t.field = k->field;
        t.kind = k->kind;
        value = w.substr(colon + 1);
        if (value.empty()) continue;  // still being typed
      } else if (looksLikeKeyword(name)) {
        f.notices_.push_back(fmt::format("unknown keyword '{}:' (matched as text)",
                                         core::escapeControl(name)));
      }
    }
    t.text = std::string(value);
    if (value.size() >= 2 && value.front() == '/' && value.back() == '/') {
      // The pattern as typed: lower-casing would turn \S into \s (REG_ICASE folds case).
      const std::size_t at = static_cast<std::size_t>(value.data() - word.data());
      const std::string_view pattern = raw.substr(at + 1, value.size() - 2);
      std::string error;
      t.regex = Pattern::compile(pattern, error);
      if (!t.regex) {
        constexpr std::size_t kShown = 40;  // of a pattern quoted back in a notice
        const std::string shown = pattern.size() > kShown ? std::string(pattern.substr(0, kShown)) + "..."
                                                          : std::string(pattern);
        // The reason comes from regerror (libc's words, not the user's): shown as it is.
        f.notices_.push_back(fmt::format("bad pattern /{}/: {}: ignored", core::escapeControl(shown), error));
        continue;
      }
      t.cidr.reset();
      if (f.terms_.size() == kMaxTerms) {
        f.notices_.push_back(fmt::format("only the first {} terms are used", kMaxTerms));
        break;
      }
      f.terms_.push_back(std::move(t));
      continue;
    }
    switch (t.field) {
      case Field::Port:
      case Field::SrcPort:
      case Field::DstPort:
        t.ports = parsePorts(value);
        if (!t.ports) {
          f.notices_.push_back(fmt::format("'{}' is not a port or range (N or N-M): ignored",
                                           core::escapeControl(value)));
          continue;
        }
        break;
      case Field::Src:
      case Field::Dst: {
        bool invalid = false;
        t.cidr = parseCidr(value, invalid);
        if (invalid) {
          f.notices_.push_back(fmt::format("'{}' is not an address prefix: ignored",
                                           core::escapeControl(value)));
          continue;
        }
        break;
      }
      case Field::Process: {
        std::int32_t pid = 0;
        const auto* end = value.data() + value.size();
        auto [p, ec] = std::from_chars(value.data(), end, pid);
        if (ec == std::errc() && p == end) t.pid = pid;
        break;
      }
      default:
        break;
    }
    if (f.terms_.size() == kMaxTerms) {
      f.notices_.push_back(fmt::format("only the first {} terms are used", kMaxTerms));
      break;
    }
    f.terms_.push_back(std::move(t));
  }
  return f;
}

bool Filter::matches(const engine::ConnectionRecord& r) const {
  for (const Term& t : terms_) {
    if (termMatches(t, r) == t.negate) return false;
  }
  return true;
}

}  // namespace rustnet::filter
