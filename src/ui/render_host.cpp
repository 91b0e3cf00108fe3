// The Host tab: this machine's listening and bound sockets with the process holding each,
// and how many connections in the table use each one (process/host_sockets.h lists them).
#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "filter/fields.h"
#include "process/host_sockets.h"
#include "ui/format.h"
#include "ui/render_parts.h"
#include "ui/text.h"

namespace rustnet::ui {

namespace {

struct HostColumn {
  std::string_view title;
  int width;
  bool right;
};

std::string cell(std::string_view text, const HostColumn& c, std::string_view ell) {
  return c.right ? padLeft(text, c.width, ell) : padRight(text, c.width, ell);
}

}  // namespace

std::vector<Line> hostLines(const View& v, const UiState& /*s*/, int width, const RenderOptions& o) {
  const Glyphs& g = glyphs(o.unicode);
  std::vector<Line> out;
  const process::HostSockets* host = v.host.get();
  if (host == nullptr) {
    out.push_back({{"Listing this host's sockets...", Style::Status}});
    return out;
  }
  const int room = std::max(10, width - 2);
  if (!host->ok) {
    const std::string why = "This host's sockets cannot be listed: " + core::escapeControl(host->error);
    for (auto& l : wrapText(why, room, 6, g.ellipsis)) out.push_back({{l, Style::Error}});
    return out;
  }
  std::size_t tcp = 0;
  for (const auto& h : host->sockets) tcp += h.proto == core::proto::kTcp ? 1 : 0;
  out.push_back({{fmt::format("{} TCP listening, {} UDP bound", formatCount(tcp),
                              formatCount(host->sockets.size() - tcp)),
                  Style::Section},
                 {fmt::format(" (from {})", process::methodName(host->method)), Style::Status}});
  for (auto& l : wrapText("Conns: the connections in the table on that address and port.", room, 2, g.ellipsis)) {
    out.push_back({{l, Style::Status}});
  }
  out.push_back({});
  // Local takes what the others leave (drawn from column 1), between its minimum and the
  // longest IPv6 endpoint.
  HostColumn cols[] = {{"Proto", 5, false}, {"Local", 0, false}, {"Process", 16, false},
                       {"PID", 7, true},    {"User", 10, false}, {"Conns", 6, true}};
  int fixed = 0;
  for (const auto& c : cols) fixed += c.width + 1;
  cols[1].width = std::clamp(width - 2 - fixed, 12, 47);
  Line header;
  for (const auto& c : cols) header.push_back({cell(c.title, c, g.ellipsis) + " ", Style::TableHeader});
  out.push_back(std::move(header));
  if (host->sockets.empty()) out.push_back({{"no listening or bound sockets", Style::Status}});
  for (std::size_t i = 0; i < host->sockets.size(); ++i) {
    const process::HostSocket& h = host->sockets[i];
    std::string local = filter::endpointText(h.local, h.proto);
    std::string proc = "-";
    if (!h.process.empty()) {
      proc = core::escapeControl(h.process);
    } else if (h.owners > 1) {
      proc = fmt::format("({} processes)", h.owners);
    }
    const std::uint32_t conns = i < v.hostConnections.size() ? v.hostConnections[i] : 0;
    const std::string fields[] = {
        h.proto == core::proto::kTcp ? "TCP" : "UDP",
        fitMiddle(local, cols[1].width, g.ellipsis),
        proc,
        h.pid > 0 ? std::to_string(h.pid) : "-",
        h.user.empty() ? std::to_string(h.uid) : core::escapeControl(h.user),
        formatCount(conns),
    };
    Line line;
    for (std::size_t c = 0; c < std::size(cols); ++c) {
      line.push_back({cell(fields[c], cols[c], g.ellipsis) + " ", c == 5 && conns > 0 ? Style::Label : Style::Normal});
    }
    out.push_back(std::move(line));
  }
  if (host->leftOut > 0) {
    out.push_back({{fmt::format("{} more not listed (at most {} are)", formatCount(host->leftOut),
                                formatCount(process::kMaxHostSockets)),
                    Style::Status}});
  }
  return out;
}

}  // namespace rustnet::ui
