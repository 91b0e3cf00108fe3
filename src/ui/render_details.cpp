// The Details tab: everything known about the selected connection, each DPI fact included.
// Every string that came from a packet or a process goes through core::escapeControl.
#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "dpi/facts.h"
#include "filter/fields.h"
#include "ui/format.h"
#include "ui/render_parts.h"
#include "ui/text.h"

namespace rustnet::ui {

namespace {

constexpr int kLabelWidth = 14;
constexpr int kTwoColumnWidth = 120;  // from here on, DPI facts sit beside the connection

class Builder {
public:
  explicit Builder(std::vector<Line>& out) : out_(out) {}
  void section(std::string title) { out_.push_back({Span{std::move(title), Style::Section}}); }
  void field(std::string_view label, std::string value, Style style = Style::Normal) {
    std::string l(label);
    l.resize(static_cast<std::size_t>(kLabelWidth), ' ');
    out_.push_back({Span{fmt::format("  {}", l), Style::Label}, Span{std::move(value), style}});
  }
  // A wire string: escaped, "-" when empty.
  void wire(std::string_view label, std::string_view raw) { field(label, raw.empty() ? "-" : core::escapeControl(raw)); }
  void blank() { out_.push_back({}); }

private:
  std::vector<Line>& out_;
};

std::string joinEscaped(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += ", ";
    out += core::escapeControl(i);
  }
  return out.empty() ? "-" : out;
}

std::string cidHex(const dpi::QuicCid& c) {
  if (c.len == 0) return "-";
  std::string out;
  for (std::size_t i = 0; i < c.len && i < c.bytes.size(); ++i) out += fmt::format("{:02x}", c.bytes[i]);
  return out;
}

std::string_view cipherName(std::uint16_t id) {
  switch (id) {
    case 0x1301: return "TLS_AES_128_GCM_SHA256";
    case 0x1302: return "TLS_AES_256_GCM_SHA384";
    case 0x1303: return "TLS_CHACHA20_POLY1305_SHA256";
    case 0xc02b: return "ECDHE_ECDSA_AES_128_GCM_SHA256";
    case 0xc02c: return "ECDHE_ECDSA_AES_256_GCM_SHA384";
    case 0xc02f: return "ECDHE_RSA_AES_128_GCM_SHA256";
    case 0xc030: return "ECDHE_RSA_AES_256_GCM_SHA384";
    case 0xcca8: return "ECDHE_RSA_CHACHA20_POLY1305";
    case 0xcca9: return "ECDHE_ECDSA_CHACHA20_POLY1305";
    default: return {};
  }
}

std::string endReasonText(track::EndReason r) {
  switch (r) {
    case track::EndReason::Closed: return "closed by the protocol";
    case track::EndReason::IdleTimeout: return "idle timeout";
    case track::EndReason::Evicted: return "evicted (table full)";
    case track::EndReason::ForcedEnd: return "still open at the end of the run";
  }
  return {};
}

void connectionLines(Builder& b, const RowRef& row, core::Timestamp now) {
  const engine::ConnectionRecord& r = *row.rec;
  b.section(fmt::format("Connection #{}", r.id));
  b.field("Protocol", core::protoName(r.proto));
  b.field("Local", filter::endpointText(r.local, r.proto));
  b.field("Remote", filter::endpointText(r.remote, r.proto));
  if ((r.proto == core::proto::kIcmp || r.proto == core::proto::kIcmpv6) && r.local.port != 0) {
    b.field("Echo id", std::to_string(r.local.port));
  }
  std::string state(r.stateLabel);
  if (r.dpi && r.dpi->state() != dpi::AppState::None) {
    state += fmt::format("  (application: {})", dpi::appStateName(r.dpi->state()));
  }
  b.field("State", state);
  if (filter::hasPorts(r.proto)) {
    const std::uint16_t port = filter::servicePort(r);
    b.field("Service", r.service.empty() ? fmt::format("unknown (port {})", port)
                                         : fmt::format("{} (port {})", r.service, port));
  }
  if (r.process) {
    std::string p = fmt::format("{}, pid {}", core::escapeControl(r.process->name), r.process->pid);
    if (r.process->uid >= 0) p += fmt::format(", uid {}", r.process->uid);
    if (!r.process->match.empty()) p += fmt::format(" ({} match)", r.process->match);
    b.field("Process", p);
    if (!r.process->executable.empty()) b.field("Executable", core::escapeControl(r.process->executable));
  } else {
    b.field("Process", "- (not attributed)");
  }
  if (row.end != nullptr) {
    b.field("Ended", fmt::format("{} at {}", endReasonText(row.end->reason), formatTime(row.end->when)),
            row.gone() ? Style::Error : Style::Normal);
  }

  b.blank();
  b.section("Traffic");
  b.field("Sent", fmt::format("{} packets, {}", formatCount(r.sent.packets), formatBytes(r.sent.bytes)));
  b.field("Received", fmt::format("{} packets, {}", formatCount(r.received.packets), formatBytes(r.received.bytes)));
  b.field("Rate", fmt::format("down {}, up {}", formatRate(r.rateInBps), formatRate(r.rateOutBps)));
  const core::Timestamp ref = row.end != nullptr ? row.end->when : now;
  b.field("First seen", formatTime(r.firstSeen));
  b.field("Last seen", formatTime(r.lastSeen));
  b.field("Duration", formatDuration(r.lastSeen - r.firstSeen));
  const core::Duration idle = ref > r.lastSeen ? ref - r.lastSeen : core::Duration{};
  b.field("Idle", fmt::format("{} of a {} timeout", formatDuration(idle), formatDuration(r.idleTimeout)));
  if (r.proto == core::proto::kTcp) {
    const std::string rtt = r.handshakeRttNs > 0 ? fmt::format("{:.3f} ms", static_cast<double>(r.handshakeRttNs) / 1e6)
                                                 : std::string("unknown");
    b.field("TCP", fmt::format("{} retransmissions, handshake RTT {}", r.retransmissions, rtt));
  }
}

void sshBanner(Builder& b, std::string_view label, const dpi::SshBanner& s) {
  if (!s.seen) {
    b.field(label, "-");
    return;
  }
  std::string text = fmt::format("SSH-{}-{}", core::escapeControl(s.protoVersion), core::escapeControl(s.software));
  if (!s.comment.empty()) text += fmt::format(" {}", core::escapeControl(s.comment));
  b.field(label, text);
}

std::string pair(std::string_view c2s, std::string_view s2c) {
  if (c2s.empty() && s2c.empty()) return "-";
  if (c2s == s2c) return core::escapeControl(c2s);
  return fmt::format("{} / {}", c2s.empty() ? "-" : core::escapeControl(c2s), s2c.empty() ? "-" : core::escapeControl(s2c));
}

void dpiLines(Builder& b, const engine::ConnectionRecord& r) {
  b.section("Application (DPI)");
  if (!r.dpi || r.dpi->proto() == dpi::AppProto::Unknown) {
    b.field("Protocol", r.dpi ? "not identified" : "- (nothing identified)");
    if (!r.dpi) return;
  } else {
    b.field("Protocol", std::string(dpi::appProtoName(r.dpi->proto())));
    b.field("Summary", r.dpi->summary());
  }
  const dpi::Facts& f = *r.dpi;
  if (const auto* h = f.http()) {
    b.section("  HTTP");
    b.wire("Method", h->method);
    b.wire("Host", h->host);
    b.wire("Path", h->path);
    b.wire("User-Agent", h->userAgent);
    b.field("Status", h->status != 0 ? std::to_string(h->status) : "-");
  }
  if (const auto* t = f.tls()) {
    b.section("  TLS");
    b.wire("SNI", t->sni);
    b.field("ALPN", joinEscaped(t->alpn));
    b.field("Version", fmt::format("offered {}, negotiated {}",
                                   t->maxOfferedVersion ? dpi::tlsVersionName(t->maxOfferedVersion) : "-",
                                   t->negotiatedVersion ? dpi::tlsVersionName(t->negotiatedVersion) : "-"));
    if (t->cipher != 0) {
      const std::string_view name = cipherName(t->cipher);
      b.field("Cipher", name.empty() ? fmt::format("0x{:04x}", t->cipher) : fmt::format("{} (0x{:04x})", name, t->cipher));
    } else {
      b.field("Cipher", "-");
    }
    if (t->ech) b.field("ECH", "offered (the SNI above is the outer one)");
  }
  if (const auto* d = f.dns()) {
    b.section("  DNS");
    b.wire("Query", d->qname);
    b.field("Type", d->querySeen ? dpi::dnsTypeName(d->qtype) : "-");
    b.field("Response", d->responseSeen ? fmt::format("{}, {} answers", dpi::dnsRcodeName(d->rcode), d->answerCount)
                                        : std::string("-"));
    for (const auto& a : d->answers) {
      b.field("Answer", a.type == 5 ? fmt::format("CNAME {}", core::escapeControl(a.name))
                                    : fmt::format("{} {}", dpi::dnsTypeName(a.type), a.addr.toString()));
    }
  }
  if (const auto* s = f.ssh()) {
    b.section("  SSH");
    sshBanner(b, "Client", s->client);
    sshBanner(b, "Server", s->server);
    const dpi::SshAlgorithms& a = s->negotiated;
    b.field("Key exchange", a.kex.empty() ? "-" : core::escapeControl(a.kex));
    b.field("Host key", a.hostKey.empty() ? "-" : core::escapeControl(a.hostKey));
    b.field("Cipher", pair(a.cipherC2s, a.cipherS2c));
    b.field("MAC", pair(a.macC2s, a.macS2c));
    b.field("Compression", pair(a.compressionC2s, a.compressionS2c));
  }
  if (const auto* q = f.quic()) {
    b.section("  QUIC");
    b.field("Version", fmt::format("0x{:08x}", q->version));
    b.field("Conn. IDs", fmt::format("dcid {}, scid {}", cidHex(q->dcid), cidHex(q->scid)));
    b.wire("SNI", q->sni);
    b.field("ALPN", joinEscaped(q->alpn));
    b.field("Idle timeout", q->maxIdleTimeoutMs ? fmt::format("{} ms (client's)", q->maxIdleTimeoutMs) : "-");
    std::string flags;
    if (q->closed) flags += "CONNECTION_CLOSE seen ";
    if (q->versionNegotiation) flags += "version negotiation ";
    if (q->retry) flags += "retry ";
    if (!flags.empty()) {
      flags.pop_back();
      b.field("Seen", flags);
    }
  }
}

int lineWidth(const Line& l) {
  int w = 0;
  for (const auto& s : l) w += textWidth(s.text);
  return w;
}

// `l` cut to `width` columns (the last span gets an ellipsis) and padded to it.
Line fitLine(const Line& l, int width, std::string_view ell) {
  Line out;
  int used = 0;
  for (const auto& s : l) {
    const int w = textWidth(s.text);
    if (used + w <= width) {
      out.push_back(s);
      used += w;
      continue;
    }
    out.push_back(Span{fitEnd(s.text, width - used, ell), s.style});
    used = width;
    break;
  }
  if (used < width) out.push_back(Span{std::string(static_cast<std::size_t>(width - used), ' '), Style::Normal});
  return out;
}

}  // namespace

std::vector<Line> detailsLines(const View& v, const UiState& s, int width, const RenderOptions& o) {
  std::vector<Line> conn;
  Builder b(conn);
  if (v.rows.empty() || s.selectedIndex >= v.rows.size()) {
    b.section("No connection selected.");
    b.field("", "Pick one in the Overview tab (Esc) and press Enter.");
    return conn;
  }
  const RowRef& row = v.rows[s.selectedIndex];
  connectionLines(b, row, v.now);
  std::vector<Line> app;
  Builder a(app);
  dpiLines(a, *row.rec);

  const std::string_view ell = glyphs(o.unicode).ellipsis;
  if (width < kTwoColumnWidth) {
    conn.push_back({});
    conn.insert(conn.end(), app.begin(), app.end());
    for (auto& line : conn) line = fitLine(line, width - 2, ell);
    return conn;
  }
  const int leftWidth = (width - 2) / 2;
  std::vector<Line> out;
  const std::size_t n = std::max(conn.size(), app.size());
  for (std::size_t i = 0; i < n; ++i) {
    Line line = fitLine(i < conn.size() ? conn[i] : Line{}, leftWidth, ell);
    if (i < app.size()) {
      line.push_back(Span{" ", Style::Normal});
      const Line right = app[i];
      if (lineWidth(right) > 0) {
        for (const auto& sp : fitLine(right, width - leftWidth - 3, ell)) line.push_back(sp);
      }
    }
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace rustnet::ui
