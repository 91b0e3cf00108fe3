// Term evaluation. Wire strings are matched raw (they are never shown from here), folded
// to lower case on the fly so that matching a row allocates as little as possible.

#include <charconv>
#include <string>

#include "dpi/facts.h"
#include "filter/fields.h"
#include "filter/filter.h"

namespace rustnet::filter {

namespace {

// The one place a term meets a field's text: its pattern when it has one, else its text,
// contained case-insensitively.
bool textMatches(const Term& t, std::string_view s) {
  return t.regex ? t.regex->search(s) : containsFolded(s, t.text);
}

// A number as its decimal text, for patterns over ports and pids.
bool numberMatches(const Term& t, std::int64_t n) {
  char buf[24];
  const auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
  return textMatches(t, std::string_view(buf, static_cast<std::size_t>(end - buf)));
}

// Looks for a term in the fields that the DPI facts describe (dpi/fields.h), by the
// fields' flags: no protocol is named here.
class FieldSearch final : public dpi::FieldSink {
public:
  FieldSearch(const Term& t, std::uint8_t flags) : term_(t), flags_(flags) {}

  // Searches every block, or only those of `kind` when it is given.
  bool in(const dpi::Facts& f, const dpi::FactsKind* kind = nullptr) {
    for (const auto& b : f.blocks()) {
      if (kind != nullptr && &b->kind() != kind) continue;
      b->describe(*this);
      if (found_) return true;
    }
    return false;
  }

  void field(const dpi::FieldInfo& info, const dpi::FieldValue& v) override {
    if (found_ || (info.flags & flags_) != flags_) return;
    if (v.kind == dpi::FieldKind::List) {
      for (const auto& item : v.items) {
        if (value(item)) break;
      }
      return;
    }
    value(v);
  }

private:
  bool value(const dpi::FieldValue& v) {
    switch (v.kind) {
      case dpi::FieldKind::Wire:
      case dpi::FieldKind::Text:
      case dpi::FieldKind::Code: found_ = textMatches(term_, v.str); break;
      case dpi::FieldKind::Number: {
        char buf[24];
        const auto end = std::to_chars(buf, buf + sizeof buf, v.number).ptr;
        found_ = textMatches(term_, std::string_view(buf, static_cast<std::size_t>(end - buf)));
        break;
      }
      case dpi::FieldKind::Address: {
        EndpointBuffer buf;
        found_ = textMatches(term_, endpointText(core::Endpoint{v.addr, 0}, 0, buf));
        break;
      }
      case dpi::FieldKind::Flag:
      case dpi::FieldKind::List: break;
    }
    return found_;
  }

  const Term& term_;
  std::uint8_t flags_;
  bool found_ = false;
};

// The name the client asked for: TLS/QUIC server name, HTTP Host (fields marked so).
bool serverNameMatches(const dpi::Facts& f, const Term& t) {
  return FieldSearch(t, dpi::field::kServerName).in(f);
}

// Every searchable string DPI holds, for bare words.
bool dpiTextMatches(const dpi::Facts& f, const Term& t) {
  auto has = [&](std::string_view s) { return !s.empty() && textMatches(t, s); };
  if (has(dpi::appProtoName(f.proto())) || has(dpi::appStateName(f.state()))) return true;
  return FieldSearch(t, dpi::field::kSearchable).in(f);
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
  if (t.regex) {
    if (t.regex->search(core::protoName(r.proto))) return true;
    if (!r.dpi || r.dpi->proto() == nullptr) return false;
    const dpi::AppProtocol& p = *r.dpi->proto();
    return t.regex->search(p.name) || (!p.alias.empty() && t.regex->search(p.alias));
  }
  if (equalsFolded(core::protoName(r.proto), t.text)) return true;
  if (!r.dpi || r.dpi->proto() == nullptr) return false;
  const dpi::AppProtocol& p = *r.dpi->proto();
  return equalsFolded(p.name, t.text) || (!p.alias.empty() && equalsFolded(p.alias, t.text));
}

bool endpointMatches(const Term& t, const engine::ConnectionRecord& r, const core::Endpoint& e) {
  if (t.cidr) return inCidr(*t.cidr, e.addr);
  EndpointBuffer buf;
  return textMatches(t, endpointText(e, r.proto, buf));
}

// The remote side is also known by the name the client asked for (dst:github.com).
bool remoteMatches(const Term& t, const engine::ConnectionRecord& r) {
  if (endpointMatches(t, r, r.remote)) return true;
  if (t.cidr || !r.dpi) return false;
  return serverNameMatches(*r.dpi, t);
}

bool processMatches(const Term& t, const engine::ConnectionRecord& r) {
  if (!r.process) return false;
  if (t.pid && r.process->pid == *t.pid) return true;
  if (t.regex && numberMatches(t, r.process->pid)) return true;
  return textMatches(t, r.process->name);
}

bool anyFieldMatches(const Term& t, const engine::ConnectionRecord& r) {
  auto has = [&](std::string_view s) { return textMatches(t, s); };
  if (has(core::protoName(r.proto)) || has(r.stateLabel) || has(r.service) || has(r.tunnel))
    return true;
  EndpointBuffer buf;
  if (has(endpointText(r.local, r.proto, buf)) || has(endpointText(r.remote, r.proto, buf))) return true;
  if (r.process) {
    if (has(r.process->name) || has(r.process->executable)) return true;
    char pid[16];
    const auto end = std::to_chars(pid, pid + sizeof pid, r.process->pid).ptr;
    if (has(std::string_view(pid, static_cast<std::size_t>(end - pid)))) return true;
  }
  return r.dpi && dpiTextMatches(*r.dpi, t);
}

// A pattern over ports: either port's decimal text (port:/^44[0-9]$/).
bool portPatternMatches(const Term& t, const engine::ConnectionRecord& r) {
  if (!hasPorts(r.proto)) return false;
  switch (t.field) {
    case Field::Port: return numberMatches(t, r.local.port) || numberMatches(t, r.remote.port);
    case Field::SrcPort: return numberMatches(t, r.local.port);
    default: return numberMatches(t, r.remote.port);
  }
}

}  // namespace

bool termMatches(const Term& t, const engine::ConnectionRecord& r) {
  auto has = [&](std::string_view s) { return textMatches(t, s); };
  if (t.regex && (t.field == Field::Port || t.field == Field::SrcPort || t.field == Field::DstPort))
    return portPatternMatches(t, r);
  switch (t.field) {
    case Field::Any: return anyFieldMatches(t, r);
    case Field::Port:
      return hasPorts(r.proto) && (inPorts(*t.ports, r.local.port) || inPorts(*t.ports, r.remote.port));
    case Field::SrcPort: return hasPorts(r.proto) && inPorts(*t.ports, r.local.port);
    case Field::DstPort: return hasPorts(r.proto) && inPorts(*t.ports, r.remote.port);
    case Field::Src: return endpointMatches(t, r, r.local);
    case Field::Dst: return remoteMatches(t, r);
    case Field::Process: return processMatches(t, r);
    case Field::Sni: return r.dpi && serverNameMatches(*r.dpi, t);
    case Field::Facts:
      return r.dpi && t.kind != nullptr && FieldSearch(t, dpi::field::kSearchable).in(*r.dpi, t.kind);
    case Field::State:
      return has(r.stateLabel) || (r.dpi && has(dpi::appStateName(r.dpi->state())));
    case Field::Proto: return protoMatches(t, r);
    case Field::Service: return has(r.service);
    case Field::Tunnel: return has(r.tunnel);
    case Field::App:
      return r.dpi && (has(dpi::appProtoName(r.dpi->proto())) || has(r.dpi->summary()));
  }
  return false;
}

}  // namespace rustnet::filter
