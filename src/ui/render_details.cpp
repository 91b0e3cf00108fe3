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

constexpr int kLabelWidth = 16;
constexpr int kTwoColumnWidth = 120;  // from here on, DPI facts sit beside the connection
constexpr int kValueIndent = kLabelWidth + 2;  // where a field's value starts
// A long value (a User-Agent, a path, an algorithm list) wraps under its value column, up
// to this many lines; a longer one ends in an ellipsis there. Below kMinWrapWidth columns
// for the value, wrapping would only make a tall column of fragments: it is cut instead.
constexpr int kMaxValueLines = 6;
constexpr int kMinWrapWidth = 12;

class Builder {
public:
  explicit Builder(std::vector<Line>& out) : out_(out) {}
  void section(std::string title) { out_.push_back({Span{std::move(title), Style::Section}}); }
  void field(std::string_view label, std::string value, Style style = Style::Normal) {
    std::string l(label);
    l.resize(static_cast<std::size_t>(kLabelWidth), ' ');
    out_.push_back({Span{fmt::format("  {}", l), Style::Label}, Span{std::move(value), style}});
  }
  void blank() { out_.push_back({}); }

private:
  std::vector<Line>& out_;
};

std::string_view endReasonText(track::EndReason r, bool live) {
  switch (r) {
    case track::EndReason::Closed: return "closed by the protocol";
    case track::EndReason::IdleTimeout: return "idle timeout";
    case track::EndReason::Evicted: return "evicted (table full)";
    case track::EndReason::ForcedEnd: return live ? "still open when the capture stopped" : "still open at the end of the file";
  }
  return {};
}

// When the connection ended. A timeout is only noticed at the next packet or sweep, which
// in a file can be days later: it ended when its timeout ran out.
core::Timestamp endTime(const engine::ConnectionRecord& r, const EndInfo& end) {
  if (end.reason == track::EndReason::IdleTimeout && r.idleTimeout.ns > 0 && !r.lastSeen.isZero() &&
      r.lastSeen + r.idleTimeout < end.when) {
    return r.lastSeen + r.idleTimeout;
  }
  return end.when;
}

// The state, with the application's; for a row that has ended, how it ended, then what it was
// doing last.
std::string stateText(const RowRef& row) {
  const engine::ConnectionRecord& r = *row.rec;
  const std::string_view app = r.dpi && r.dpi->state() != nullptr ? dpi::appStateName(r.dpi->state()) : "";
  if (row.end != nullptr && row.gone()) {
    std::string was;
    if (row.end->lastState != r.stateLabel) was = fmt::format("was {}", row.end->lastState);
    if (!app.empty()) was += fmt::format("{}application: {}", was.empty() ? "" : ", ", app);
    return was.empty() ? std::string(r.stateLabel) : fmt::format("{}  ({})", r.stateLabel, was);
  }
  std::string s(r.stateLabel);
  if (!app.empty()) s += fmt::format("  (application: {})", app);
  return s;
}

// How long the connection has been quiet: against its timeout while it is open; for one
// that has ended, only from its last packet to its end (a timeout no longer applies).
std::string idleText(const RowRef& row, core::Timestamp now) {
  const engine::ConnectionRecord& r = *row.rec;
  if (row.end != nullptr) {
    const core::Timestamp end = endTime(r, *row.end);
    const core::Duration idle = end > r.lastSeen ? end - r.lastSeen : core::Duration{};
    return fmt::format("{} from its last packet to its end", formatDuration(idle));
  }
  const core::Duration idle = now > r.lastSeen ? now - r.lastSeen : core::Duration{};
  if (r.idleTimeout.ns > 0 && idle > r.idleTimeout) {
    // Expiry is swept once a second (and in a file at the next packet): not gone yet.
    return fmt::format("{}, past its {} timeout (ending)", formatDuration(idle), formatDuration(r.idleTimeout));
  }
  return fmt::format("{} of a {} timeout", formatDuration(idle), formatDuration(r.idleTimeout));
}

void connectionLines(Builder& b, const RowRef& row, core::Timestamp now, bool live) {
  const engine::ConnectionRecord& r = *row.rec;
  b.section(fmt::format("Connection #{}", r.id));
  b.field("Protocol", core::protoName(r.proto));
  b.field("Local", filter::endpointText(r.local, r.proto));
  b.field("Remote", filter::endpointText(r.remote, r.proto));
  if ((r.proto == core::proto::kIcmp || r.proto == core::proto::kIcmpv6) && r.local.port != 0) {
    b.field("Echo id", std::to_string(r.local.port));
  }
  b.field("State", stateText(row));
  if (filter::hasPorts(r.proto)) {
    const std::uint16_t port = filter::servicePort(r);
    b.field("Service", r.service.empty() ? fmt::format("unknown (port {})", port)
                                         : fmt::format("{} (port {})", r.service, port));
  }
  if (!r.tunnel.empty()) b.field("Tunnel", fmt::format("inside {}", r.tunnel));
  if (r.process) {
    std::string p = fmt::format("{}, pid {}", core::escapeControl(r.process->name), r.process->pid);
    if (r.process->uid >= 0) p += fmt::format(", uid {}", r.process->uid);
    if (!r.process->match.empty()) p += fmt::format(" ({} match)", r.process->match);
    b.field("Process", p);
    if (!r.process->executable.empty()) b.field("Executable", core::escapeControl(r.process->executable));
  } else {
    b.field("Process", "- (not attributed)");
  }
  if (r.nflog) {
    std::string n = r.nflog->prefix.empty() ? std::string("no prefix")
                                            : fmt::format("prefix \"{}\"", core::escapeControl(r.nflog->prefix));
    if (r.nflog->uid >= 0) n += fmt::format(", uid {}", r.nflog->uid);
    if (r.nflog->gid >= 0) n += fmt::format(", gid {}", r.nflog->gid);
    b.field("NFLOG", n);
  }
  if (row.end != nullptr) {
    b.field("Ended", fmt::format("{} at {}", endReasonText(row.end->reason, live), formatTime(endTime(r, *row.end))),
            row.gone() ? Style::Error : Style::Normal);
  }

  b.blank();
  b.section("Traffic");
  b.field("Sent", fmt::format("{} packets, {}", formatCount(r.sent.packets), formatBytes(r.sent.bytes)));
  b.field("Received", fmt::format("{} packets, {}", formatCount(r.received.packets), formatBytes(r.received.bytes)));
  b.field("Rate", fmt::format("down {}, up {}", formatRate(r.rateInBps), formatRate(r.rateOutBps)));
  b.field("First seen", formatTime(r.firstSeen));
  b.field("Last seen", formatTime(r.lastSeen));
  b.field("Duration", formatDuration(r.lastSeen - r.firstSeen));
  b.field("Idle", idleText(row, now));
  if (r.proto == core::proto::kTcp) {
    const std::string rtt = r.handshakeRttNs > 0 ? fmt::format("{:.3f} ms", static_cast<double>(r.handshakeRttNs) / 1e6)
                                                 : std::string("unknown");
    b.field("TCP", fmt::format("{} retransmissions, handshake RTT {}", r.retransmissions, rtt));
  }
}

// One described field's value as text: wire text escaped, lists joined.
std::string fieldText(const dpi::FieldValue& v) {
  switch (v.kind) {
    case dpi::FieldKind::Wire: return v.str.empty() ? "-" : core::escapeControl(v.str);
    case dpi::FieldKind::Text: return std::string(v.str);
    case dpi::FieldKind::Number: return std::to_string(v.number);
    case dpi::FieldKind::Code: {
      const std::string hex = fmt::format("0x{:0{}x}", v.number, v.hexDigits);
      return v.str.empty() ? hex : fmt::format("{} ({})", v.str, hex);
    }
    case dpi::FieldKind::Flag: return "yes";
    case dpi::FieldKind::Address: return v.addr.toString();
    case dpi::FieldKind::List: {
      std::string out;
      for (const auto& item : v.items) {
        if (!out.empty()) out += ", ";
        out += fieldText(item);
      }
      return out.empty() ? "-" : out;
    }
  }
  return {};
}

// Lists what a protocol's facts describe, one labelled line per field.
class DetailsFields final : public dpi::FieldSink {
public:
  explicit DetailsFields(Builder& b) : b_(b) {}
  void field(const dpi::FieldInfo& info, const dpi::FieldValue& v) override { b_.field(info.label, fieldText(v)); }

private:
  Builder& b_;
};

void dpiLines(Builder& b, const engine::ConnectionRecord& r) {
  b.section("Application (DPI)");
  if (!r.dpi || r.dpi->proto() == nullptr) {
    b.field("Protocol", r.dpi ? "not identified" : "- (nothing identified)");
    if (!r.dpi) return;
  } else {
    b.field("Protocol", std::string(dpi::appProtoName(r.dpi->proto())));
    b.field("Summary", r.dpi->summary());
  }
  DetailsFields fields(b);
  for (const auto& block : r.dpi->blocks()) {
    b.section(fmt::format("  {}", block->kind().title));
    block->describe(fields);
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

// `l` as lines of at most `width` columns, not yet padded: a field whose value is too long
// wraps under its value column (bounded by kMaxValueLines); anything else is cut.
std::vector<Line> wrapLine(const Line& l, int width, std::string_view ell) {
  const bool field = l.size() == 2 && l[0].style == Style::Label && textWidth(l[0].text) == kValueIndent;
  if (lineWidth(l) <= width || !field || width - kValueIndent < kMinWrapWidth) return {l};
  std::vector<Line> out;
  for (auto& part : wrapText(l[1].text, width - kValueIndent, kMaxValueLines, ell)) {
    Span head = out.empty() ? l[0] : Span{std::string(static_cast<std::size_t>(kValueIndent), ' '), Style::Normal};
    out.push_back({std::move(head), Span{std::move(part), l[1].style}});
  }
  return out;
}

// Every line wrapped (wrapLine) and each then fitted and padded to `width`.
std::vector<Line> wrapLines(const std::vector<Line>& in, int width, std::string_view ell) {
  std::vector<Line> out;
  out.reserve(in.size());
  for (const auto& l : in) {
    for (auto& w : wrapLine(l, width, ell)) out.push_back(fitLine(w, width, ell));
  }
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
  if (row.group != nullptr) {
    // A group line is no connection: what it sums, and how to see its rows.
    const ProcessGroup& g = *row.group;
    b.section(g.known ? fmt::format("Process group: {}", core::escapeControl(g.sums.process->name))
                      : std::string("Connections without a known process"));
    b.field("Connections", formatCount(g.connections));
    if (g.known) b.field("Processes", g.pids == 1 ? fmt::format("pid {}", g.sums.process->pid) : fmt::format("{} pids", g.pids));
    b.field("Rates", fmt::format("{} down, {} up", formatRate(g.sums.rateInBps), formatRate(g.sums.rateOutBps)));
    b.field("Totals", fmt::format("{} received, {} sent", formatBytes(g.sums.received.bytes), formatBytes(g.sums.sent.bytes)));
    b.field("", "In the Overview (Esc), Enter or Space unfolds the group.");
    return wrapLines(conn, width - 2, glyphs(o.unicode).ellipsis);
  }
  connectionLines(b, row, v.now, v.header.live);
  std::vector<Line> app;
  Builder a(app);
  dpiLines(a, *row.rec);

  const std::string_view ell = glyphs(o.unicode).ellipsis;
  if (width < kTwoColumnWidth) {
    conn.push_back({});
    conn.insert(conn.end(), app.begin(), app.end());
    return wrapLines(conn, width - 2, ell);
  }
  const int leftWidth = (width - 2) / 2;
  const int rightWidth = width - leftWidth - 3;
  // Each side wraps within its own column; the longer one sets the height.
  std::vector<Line> left = wrapLines(conn, leftWidth, ell);
  std::vector<Line> right;
  for (const auto& l : app) {
    for (auto& w : wrapLine(l, rightWidth, ell)) right.push_back(std::move(w));
  }
  std::vector<Line> out;
  const std::size_t n = std::max(left.size(), right.size());
  for (std::size_t i = 0; i < n; ++i) {
    Line line = i < left.size() ? std::move(left[i]) : fitLine(Line{}, leftWidth, ell);
    if (i < right.size()) {
      line.push_back(Span{" ", Style::Normal});
      if (lineWidth(right[i]) > 0) {
        for (auto& sp : fitLine(right[i], rightWidth, ell)) line.push_back(std::move(sp));
      }
    }
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace rustnet::ui
