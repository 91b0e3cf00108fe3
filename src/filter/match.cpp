// Term evaluation. Wire strings are matched raw (they are never shown from here), folded
// to lower case on the fly so that matching a row allocates as little as possible.

#include <charconv>
#include <string>

#include "dpi/facts.h"
#include "filter/fields.h"
#include "filter/filter.h"

namespace rustnet::filter {

namespace {

// Calls `fn(text)` for each string, stopping at the first that returns true.
template <typename Fn>
bool anyOf(Fn&& fn, std::initializer_list<std::string_view> texts) {
  for (std::string_view t : texts) {
    if (!t.empty() && fn(t)) return true;
  }
  return false;
}

template <typename Fn>
bool sshText(const dpi::SshFacts& s, Fn&& fn) {
  for (const dpi::SshBanner* b : {&s.client, &s.server}) {
    if (anyOf(fn, {b->protoVersion, b->software, b->comment})) return true;
  }
  const dpi::SshAlgorithms& a = s.negotiated;
  return anyOf(fn, {a.kex, a.hostKey, a.cipherC2s, a.cipherS2c, a.macC2s, a.macS2c,
                    a.compressionC2s, a.compressionS2c});
}

template <typename Fn>
bool sniText(const dpi::Facts& f, Fn&& fn) {
  if (const auto* t = f.tls(); t && anyOf(fn, {t->sni})) return true;
  if (const auto* q = f.quic(); q && anyOf(fn, {q->sni})) return true;
  if (const auto* h = f.http(); h && anyOf(fn, {h->host})) return true;
  return false;
}

// Every string DPI holds, for bare words.
template <typename Fn>
bool dpiText(const dpi::Facts& f, Fn&& fn) {
  if (anyOf(fn, {dpi::appProtoName(f.proto()), dpi::appStateName(f.state())})) return true;
  if (const auto* h = f.http()) {
    if (anyOf(fn, {h->method, h->host, h->path, h->userAgent})) return true;
    if (h->status != 0 && fn(std::to_string(h->status))) return true;
  }
  if (const auto* t = f.tls()) {
    if (anyOf(fn, {t->sni})) return true;
    for (const auto& a : t->alpn) {
      if (fn(a)) return true;
    }
    if (t->negotiatedVersion != 0 && fn(dpi::tlsVersionName(t->negotiatedVersion))) return true;
    if (t->maxOfferedVersion != 0 && fn(dpi::tlsVersionName(t->maxOfferedVersion))) return true;
  }
  if (const auto* d = f.dns()) {
    if (anyOf(fn, {d->qname})) return true;
    if (d->querySeen && fn(dpi::dnsTypeName(d->qtype))) return true;
    if (d->responseSeen && fn(dpi::dnsRcodeName(d->rcode))) return true;
    for (const auto& a : d->answers) {
      if (a.type == 5 ? fn(a.name) : fn(a.addr.toString())) return true;
    }
  }
  if (const auto* s = f.ssh(); s && sshText(*s, fn)) return true;
  if (const auto* q = f.quic()) {
    if (anyOf(fn, {q->sni})) return true;
    for (const auto& a : q->alpn) {
      if (fn(a)) return true;
    }
  }
  return false;
}

bool inPorts(const PortRange& p, std::uint16_t port) { return port >= p.lo && port <= p.hi; }

bool inCidr(const Cidr& c, const core::IpAddr& a) {
  if (c.base.isV4() != a.isV4()) return false;
  const auto& x = c.base.bytes();
  const auto& y = a.bytes();
  int bits = c.prefixBits;
  for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
    if ((x[i] & mask) != (y[i] & mask)) return false;
  }
  return true;
}

bool protoMatches(const Term& t, const engine::ConnectionRecord& r) {
  if (equalsFolded(core::protoName(r.proto), t.text)) return true;
  if (!r.dpi || r.dpi->proto() == dpi::AppProto::Unknown) return false;
  return equalsFolded(dpi::appProtoName(r.dpi->proto()), t.text) ||
         (t.text == "tls" && r.dpi->proto() == dpi::AppProto::Tls);
}

bool endpointMatches(const Term& t, const engine::ConnectionRecord& r, const core::Endpoint& e) {
  if (t.cidr) return inCidr(*t.cidr, e.addr);
  EndpointBuffer buf;
  return containsFolded(endpointText(e, r.proto, buf), t.text);
}

// The remote side is also known by the name the client asked for (dst:github.com).
bool remoteMatches(const Term& t, const engine::ConnectionRecord& r) {
  if (endpointMatches(t, r, r.remote)) return true;
  if (t.cidr || !r.dpi) return false;
  return sniText(*r.dpi, [&](std::string_view s) { return containsFolded(s, t.text); });
}

bool processMatches(const Term& t, const engine::ConnectionRecord& r) {
  if (!r.process) return false;
  if (t.pid && r.process->pid == *t.pid) return true;
  return containsFolded(r.process->name, t.text);
}

bool anyFieldMatches(const Term& t, const engine::ConnectionRecord& r) {
  auto has = [&](std::string_view s) { return containsFolded(s, t.text); };
  if (has(core::protoName(r.proto)) || has(r.stateLabel) || has(r.service)) return true;
  EndpointBuffer buf;
  if (has(endpointText(r.local, r.proto, buf)) || has(endpointText(r.remote, r.proto, buf))) return true;
  if (r.process) {
    if (has(r.process->name) || has(r.process->executable)) return true;
    char pid[16];
    const auto end = std::to_chars(pid, pid + sizeof pid, r.process->pid).ptr;
    if (has(std::string_view(pid, static_cast<std::size_t>(end - pid)))) return true;
  }
  return r.dpi && dpiText(*r.dpi, has);
}

}  // namespace

bool termMatches(const Term& t, const engine::ConnectionRecord& r) {
  auto has = [&](std::string_view s) { return containsFolded(s, t.text); };
  switch (t.field) {
    case Field::Any: return anyFieldMatches(t, r);
    case Field::Port:
      return hasPorts(r.proto) && (inPorts(*t.ports, r.local.port) || inPorts(*t.ports, r.remote.port));
    case Field::SrcPort: return hasPorts(r.proto) && inPorts(*t.ports, r.local.port);
    case Field::DstPort: return hasPorts(r.proto) && inPorts(*t.ports, r.remote.port);
    case Field::Src: return endpointMatches(t, r, r.local);
    case Field::Dst: return remoteMatches(t, r);
    case Field::Process: return processMatches(t, r);
    case Field::Sni: return r.dpi && sniText(*r.dpi, has);
    case Field::Ssh: {
      const dpi::SshFacts* s = r.dpi ? r.dpi->ssh() : nullptr;
      return s != nullptr && sshText(*s, has);
    }
    case Field::State:
      return has(r.stateLabel) || (r.dpi && has(dpi::appStateName(r.dpi->state())));
    case Field::Proto: return protoMatches(t, r);
    case Field::Service: return has(r.service);
    case Field::App:
      return r.dpi && (has(dpi::appProtoName(r.dpi->proto())) || has(r.dpi->summary()));
  }
  return false;
}

}  // namespace rustnet::filter
