// The Help tab: every key and the filter syntax, with examples. Descriptions wrap to the
// terminal's width so that the text stays readable on narrow screens.
#include <fmt/format.h>

#include <algorithm>

#include "filter/filter.h"
#include "ui/render_parts.h"
#include "ui/tabs.h"
#include "ui/text.h"

namespace rustnet::ui {

namespace {

constexpr int kKeyWidth = 28;
constexpr int kNarrowKeyWidth = 12;
// Beyond this the text is laid out as if the screen were this wide: a paragraph or a key's
// description running across 150 columns is hard to read back.
constexpr int kMaxTextWidth = 96;

struct Entry {
  std::string key;
  std::string what;
};

// Splits `text` into lines of at most `width` columns at spaces.
std::vector<std::string> wrap(std::string_view text, int width) {
  std::vector<std::string> out;
  std::string line;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    const std::string_view word = text.substr(i, j - i);
    if (!line.empty() && textWidth(line) + 1 + textWidth(word) > width) {
      out.push_back(std::move(line));
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
    i = j + 1;
  }
  if (!line.empty() || out.empty()) out.push_back(std::move(line));
  return out;
}

void addEntries(std::vector<Line>& out, const std::vector<Entry>& entries, int width, Style keyStyle) {
  // Long keys (filter examples) get their own line on narrow screens.
  const int keyWidth = width >= 80 ? kKeyWidth : kNarrowKeyWidth;
  const int textWidthAvail = std::max(10, width - keyWidth - 4);
  for (const Entry& e : entries) {
    const auto lines = wrap(e.what, textWidthAvail);
    std::string key = fmt::format("  {}", e.key);
    const bool ownLine = textWidth(e.key) >= keyWidth;
    if (ownLine) {
      out.push_back({Span{key, keyStyle}});
      key.clear();
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
      out.push_back({Span{padRight(i == 0 ? key : std::string(), keyWidth + 2, ""), keyStyle},
                     Span{lines[i], Style::Normal}});
    }
  }
}

void addParagraph(std::vector<Line>& out, std::string_view text, int width) {
  for (auto& l : wrap(text, std::max(10, width - 4))) out.push_back({Span{fmt::format("  {}", l), Style::Normal}});
}

// The tab keys, from the tab table: "1   2   h" and "1 Overview, 2 Details, h Help (...)".
Entry tabKeys() {
  Entry e;
  std::string names;
  for (const TabSpec& t : kTabs) {
    std::string keys;
    for (char32_t k : t.keys) {
      if (!keys.empty()) keys += '/';
      appendUtf8(keys, k);
    }
    if (!e.key.empty()) e.key += "   ";
    e.key += keys;
    if (!e.what.empty()) e.what += ", ";
    e.what += fmt::format("{} {}", keys, t.name);
    if (t.overlay) e.what += fmt::format(" ({} again: back)", keys);
  }
  return e;
}

std::string tabNames() {
  std::string out;
  for (const TabSpec& t : kTabs) {
    if (!out.empty()) out += ", ";
    out += t.name;
  }
  return out;
}

}  // namespace

std::vector<Line> helpLines(const View&, const UiState& s, int screenWidth, const RenderOptions& o) {
  const int width = std::min(screenWidth, kMaxTextWidth);
  const std::string up = o.unicode ? "\u2191" : "Up";
  const std::string down = o.unicode ? "\u2193" : "Down";
  std::vector<Line> out;
  // First the tab Help was opened over: what it shows and its own keys.
  const TabSpec& under = kTabs[s.tabUnderOverlay < kTabs.size() ? s.tabUnderOverlay : 0];
  if (!under.overlay && !under.about.empty()) {
    out.push_back({Span{fmt::format("This tab: {}", under.name), Style::Section}});
    addParagraph(out, under.about, width);
    out.push_back({});
  }
  out.push_back({Span{"Keys", Style::Section}});
  addEntries(out,
             {
                 {"q", "quit (press twice: the first press asks)"},
                 {"Ctrl+C", "quit at once"},
                 {"Tab / Shift+Tab", fmt::format("next / previous tab ({})", tabNames())},
                 {"]   [", "next / previous tab, as Tab and Shift+Tab"},
                 tabKeys(),
                 {up + " k   " + down + " j", "move the selection (in Help: scroll)"},
                 {"PgUp PgDn", "move by 10 (in Details: scroll the text)"},
                 {"g   G", "first / last connection"},
                 {"Enter", "details of the selected connection; on a process group's line: fold or "
                           "unfold it"},
                 {"a", "group the rows by process (a again: ungroup): one line per process with its "
                       "connection count and summed rates and totals; groups start folded"},
                 {"Space   " + std::string(o.unicode ? "\u2190 \u2192" : "Left Right"),
                  "fold or unfold the selected group / fold it / unfold it (" +
                      std::string(o.unicode ? "\u2190" : "Left") + " on a row folds its group)"},
                 {"t", "the ended connections instead of the live ones (t again: back); the tab line "
                       "says how many, the history's cap and how many it forgot"},
                 {"Esc", "back to the overview; there, clear the filter"},
                 {"/", "filter mode: the table filters as you type; the arrow keys still move"},
                 {"  Enter   Esc", "keep the filter / clear it, and leave filter mode"},
                 {"  Ctrl+U  Ctrl+W", "erase the filter / its last word"},
                 {"c", "copy the selected remote address to the clipboard (by OSC 52, and by "
                       "wl-copy, xclip or xsel when present)"},
                 {"p", "Service column: service names or port numbers"},
                 {"s   S", "sort by the next column / reverse the order (the sorted column's title "
                           "carries the arrow)"},
                 {"{   }", "choose the column to resize"},
                 {"<   >", "make it narrower / wider (=: reset every width)"},
                 {"click", "on a tab's name: open it; on a row: select it (double click: its details)"},
                 {"wheel", "move the selection, or scroll a text, by 3"},
                 {"", "(--no-mouse leaves the mouse to the terminal, for selecting text)"},
             },
             width, Style::Label);
  out.push_back({});
  out.push_back({Span{"Filter", Style::Section}});
  addParagraph(out,
               "Space-separated terms that must all match, in any case. A bare word is looked for in "
               "every field: addresses and ports as shown, protocol, state, service, application and "
               "every DPI fact, process name, pid and executable. A leading ! negates a term. A value "
               "written /pattern/ is a regular expression (POSIX extended, any case, no spaces, at "
               "most 256 characters), alone or after a keyword (sni:/goo+gle/). A word before a "
               "colon that is not a keyword is plain text (so fe80::1 and 10.0.0.1:443 work); the "
               "status line says so, as it says why a pattern does not compile.",
               width);
  std::vector<Entry> kw;
  for (const auto& k : filter::keywords()) kw.push_back({fmt::format("{}:", k.name), std::string(k.help)});
  addEntries(out, kw, width, Style::Label);
  out.push_back({});
  out.push_back({Span{"Examples", Style::Section}});
  addEntries(out,
             {
                 {"sport:443 state:syn_recv", "half-open connections to this host's port 443"},
                 {"proto:tcp state:established", "established TCP connections"},
                 {"dport:22 ssh:openssh", "SSH sessions to OpenSSH servers"},
                 {"dst:github.com !proto:quic", "to GitHub, except over QUIC"},
                 {"src:10.0.0.0/8 port:8000-8100", "from a private range, on ports 8000 to 8100"},
                 {"process:firefox app:https", "Firefox's HTTPS connections"},
                 {"sni:/^(www\\.)?github\\.com$/", "server name by regular expression"},
             },
             width, Style::Label);
  out.push_back({});
  out.push_back({Span{"Table", Style::Section}});
  addParagraph(out,
               "Down and Up are this host's receive and send rates; Recv and Sent the bytes received "
               "and sent since the connection started (at the end of a file every rate is 0: sort by "
               "these); RTT the TCP handshake's round trip (- when not measured). The table lists the "
               "live connections (with a file, those still open at its end too); t lists those that "
               "have ended, dimmed, kept for a while (a file's, all of them) up to a cap. With the "
               "rows grouped (a), the sort applies within each group, and groups follow their sums "
               "(Down, Up, Recv, Sent) or their names; the filter applies before grouping. On "
               "narrow terminals columns first give back blank space, then shrink, then hide: RTT "
               "first, Process when no row shown has one, Service, Recv and Sent, Local, Up, "
               "Process, State, Proto, Down.",
               width);
  return out;
}

}  // namespace rustnet::ui
