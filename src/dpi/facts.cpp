#include "dpi/facts.h"

#include <fmt/format.h>


#include "core/text.h"

namespace rustnet::dpi {

// Each protocol's struct is allocated when first written: an HTTP CONNECT tunnel carries
// both HttpFacts and the TlsFacts of what runs inside it; most connections carry one.
struct Facts::Details {
  std::unique_ptr<HttpFacts> http;
  std::unique_ptr<TlsFacts> tls;
  std::unique_ptr<DnsFacts> dns;
  std::unique_ptr<SshFacts> ssh;
  std::unique_ptr<QuicFacts> quic;

  Details() = default;
  Details(const Details& o)
      : http(clone(o.http)), tls(clone(o.tls)), dns(clone(o.dns)), ssh(clone(o.ssh)),
        quic(clone(o.quic)) {}
  Details& operator=(const Details&) = delete;

  template <typename T>
  static std::unique_ptr<T> clone(const std::unique_ptr<T>& p) {
    return p ? std::make_unique<T>(*p) : nullptr;
  }
};

namespace {

// Each protocol's states in order; a state may only be followed by a later one of its own.
enum class Family : std::uint8_t { None, Quic, Dns, Ssh };

Family familyOf(AppState s) {
  switch (s) {
    case AppState::None: return Family::None;
    case AppState::QuicInitial:
    case AppState::QuicHandshake:
    case AppState::QuicConnected:
    case AppState::QuicDraining:
    case AppState::QuicClosed: return Family::Quic;
    case AppState::DnsQuery:
    case AppState::DnsResponse: return Family::Dns;
    case AppState::SshBanner:
    case AppState::SshKeyExchange:
    case AppState::SshAuthentication:
    case AppState::SshEstablished: return Family::Ssh;
  }
  return Family::None;
}

template <typename T>
T& getOrMake(std::unique_ptr<Facts::Details>& d, std::unique_ptr<T> Facts::Details::*member) {
  if (!d) d = std::make_unique<Facts::Details>();
  auto& p = (*d).*member;
  if (!p) p = std::make_unique<T>();
  return *p;
}

}  // namespace

std::string_view appProtoName(AppProto p) {
  switch (p) {
    case AppProto::Unknown: return "";
    case AppProto::Http: return "HTTP";
    case AppProto::Tls: return "HTTPS";
    case AppProto::Quic: return "QUIC";
    case AppProto::Dns: return "DNS";
    case AppProto::Mdns: return "mDNS";
    case AppProto::Llmnr: return "LLMNR";
    case AppProto::Ssh: return "SSH";
    case AppProto::Ssdp: return "SSDP";
    case AppProto::Count: break;
  }
  return "";
}

std::string_view appStateName(AppState s) {
  switch (s) {
    case AppState::None: return "";
    case AppState::QuicInitial: return "QUIC_INITIAL";
    case AppState::QuicHandshake: return "QUIC_HANDSHAKE";
    case AppState::QuicConnected: return "QUIC_CONNECTED";
    case AppState::QuicDraining: return "QUIC_DRAINING";
    case AppState::QuicClosed: return "QUIC_CLOSED";
    case AppState::DnsQuery: return "DNS_QUERY";
    case AppState::DnsResponse: return "DNS_RESPONSE";
    case AppState::SshBanner: return "BANNER";
    case AppState::SshKeyExchange: return "KEYEXCHANGE";
    case AppState::SshAuthentication: return "AUTHENTICATION";
    case AppState::SshEstablished: return "ESTABLISHED";
  }
  return "";
}

std::string dnsTypeName(std::uint16_t t) {
  switch (t) {
    case 1: return "A";
    case 2: return "NS";
    case 5: return "CNAME";
    case 6: return "SOA";
    case 12: return "PTR";
    case 15: return "MX";
    case 16: return "TXT";
    case 28: return "AAAA";
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

std::string tlsVersionName(std::uint16_t v) {
  switch (v) {
    case 0x0300: return "SSL3.0";
    case 0x0301: return "TLS1.0";
    case 0x0302: return "TLS1.1";
    case 0x0303: return "TLS1.2";
    case 0x0304: return "TLS1.3";
    default: return fmt::format("0x{:04x}", v);
  }
}

Facts::Facts(const Facts& other)
    : proto_(other.proto_),
      state_(other.state_),
      idleHint_(other.idleHint_),
      tunnelOpen_(other.tunnelOpen_),
      details_(other.details_ ? std::make_unique<Details>(*other.details_) : nullptr) {}

Facts& Facts::operator=(const Facts& other) {
  if (this != &other) *this = Facts(other);
  return *this;
}

Facts::Facts() = default;
Facts::Facts(Facts&&) noexcept = default;
Facts& Facts::operator=(Facts&&) noexcept = default;
Facts::~Facts() = default;

bool Facts::setProto(AppProto p) {
  if (proto_ == AppProto::Unknown || (tunnelOpen_ && p != proto_)) {
    proto_ = p;
    tunnelOpen_ = false;
  }
  return proto_ == p;
}

bool Facts::advanceState(AppState s) {
  if (s == state_ || s == AppState::None) return false;
  if (state_ != AppState::None && (familyOf(s) != familyOf(state_) || s < state_)) return false;
  state_ = s;
  return true;
}

const HttpFacts* Facts::http() const { return details_ ? details_->http.get() : nullptr; }
const TlsFacts* Facts::tls() const { return details_ ? details_->tls.get() : nullptr; }
const DnsFacts* Facts::dns() const { return details_ ? details_->dns.get() : nullptr; }
const SshFacts* Facts::ssh() const { return details_ ? details_->ssh.get() : nullptr; }
const QuicFacts* Facts::quic() const { return details_ ? details_->quic.get() : nullptr; }
HttpFacts& Facts::http() { return getOrMake(details_, &Details::http); }
TlsFacts& Facts::tls() { return getOrMake(details_, &Details::tls); }
DnsFacts& Facts::dns() { return getOrMake(details_, &Details::dns); }
SshFacts& Facts::ssh() { return getOrMake(details_, &Details::ssh); }
QuicFacts& Facts::quic() { return getOrMake(details_, &Details::quic); }

std::string_view Facts::domain() const {
  if (const auto* t = tls()) return t->sni;
  if (const auto* q = quic()) return q->sni;
  if (const auto* h = http()) return h->host;
  if (const auto* d = dns()) return d->qname;
  return {};
}

std::string Facts::summary() const {
  const std::string_view name = appProtoName(proto_);
  if (name.empty()) return {};
  std::string_view detail = domain();
  if (const auto* s = ssh()) {
    // The server's software says more about what is being reached; fall back to the client.
    detail = s->server.seen && !s->server.software.empty() ? std::string_view(s->server.software)
                                                          : std::string_view(s->client.software);
  }
  if (detail.empty()) return std::string(name);
  return fmt::format("{} ({})", name, core::escapeControl(detail));
}

}  // namespace rustnet::dpi
