#pragma once
// The front end's state (everything the user has chosen) and the view it is rendered from.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "engine/stats.h"
#include "process/host_sockets.h"
#include "ui/frame.h"
#include "ui/history.h"
#include "ui/series.h"
#include "ui/store.h"

namespace rustnet::ui {

// A tab is its position in the tab table (kTabs in ui/tabs.h); the first is where a run
// starts. State kept per tab is sized by kMaxTabs, which the table is checked against.
using TabIndex = std::size_t;
inline constexpr std::size_t kMaxTabs = 16;

// Overview columns, in screen order; also the sort keys.
// Down/Up are rates; Recv/Sent the bytes received and sent since the connection started
// (what is left to read at the end of a file, where every rate is 0).
// Rtt is the TCP handshake's round trip (0 = not measured); Trend the recent traffic's
// sparkline (not a sort key).
enum class Column : std::uint8_t { Proto, Local, Remote, State, Service, App, Process, Rtt, Down, Up, Recv, Sent, Trend, Count };
inline constexpr std::size_t kColumnCount = static_cast<std::size_t>(Column::Count);
inline constexpr std::size_t columnIndex(Column c) { return static_cast<std::size_t>(c); }

// The Activity tab's columns, in screen order; also its sort keys.
enum class ActivityColumn : std::uint8_t { Owner, Pid, Conns, Down60, Up60, Recv, Sent, Peer, Count };

// Bounds on user width adjustments, in columns either way.
inline constexpr int kMaxWidthDelta = 60;
inline constexpr int kWidthStep = 2;

struct UiState {
  TabIndex tab = 0;
  TabIndex tabUnderOverlay = 0;  // where an overlay tab (Help) goes back to

  // The selection follows a connection id; the index is re-resolved whenever rows move.
  std::optional<std::uint64_t> selectedId;
  std::size_t selectedIndex = 0;
  std::size_t scroll = 0;  // first row shown in the table
  // The first line shown, for each tab of text; a tab about the selection goes back to its
  // top when the selection changes.
  std::array<int, kMaxTabs> textScroll{};

  std::string filterText;
  bool filterEditing = false;

  Column sortColumn = Column::Down;
  bool sortDescending = true;
  bool showPorts = false;  // `p`: the Service column shows port numbers
  bool showEnded = false;  // `t`: the table lists the ended connections instead of the live ones
  bool grouped = false;    // `a`: rows grouped by process, under one line per process
  std::unordered_set<std::uint64_t> expandedGroups;  // group line ids (groups start folded)

  Column focusColumn = Column::App;  // the column `<` and `>` resize
  std::array<int, kColumnCount> widthDelta{};

  // The Activity tab: its sort and selection (following the owner's filter text).
  ActivityColumn activitySort = ActivityColumn::Down60;
  bool activityDescending = true;
  std::size_t activitySelected = 0;
  std::string activityFollow;

  bool quitPending = false;  // the first `q` was pressed
  std::string message;       // a transient line in the status bar
  Style messageStyle = Style::Message;
};

// What the header shows about the run.
struct HeaderInfo {
  std::string source;  // interface or file name
  bool live = false;
  bool sourceDone = false;  // a file has been read to its end (or the capture stopped)
  std::string sourceError;  // why the source ended early; empty when it did not
  engine::EngineStats stats;
  std::size_t liveRows = 0;
  std::size_t endedRows = 0;
  double rateInBps = 0;
  double rateOutBps = 0;
  std::uint64_t historyDropped = 0;
  std::size_t historyCap = 0;  // the store's bound on ended rows (StoreConfig::maxHistory)
  std::string processMethod;  // "sock_diag", "procfs", "ebpf"; empty or "off" when none
  std::string unsupportedLink;  // engine::Snapshot::unsupportedLink
};

// Everything render() draws from, besides UiState.
struct View {
  HeaderInfo header;
  std::vector<RowRef> rows;  // filtered and sorted (and grouped: group lines point into `groups`)
  std::size_t totalRows = 0;  // before filtering (live or ended ones, as the table shows)
  std::shared_ptr<const std::vector<ProcessGroup>> groups;  // owned here, shared by copies
  core::Timestamp now;
  std::vector<std::string> filterNotices;
  // The Activity tab's owners (ranked), and the history the Trend column reads.
  std::vector<OwnerRow> owners;
  HistoryStats historyStats;
  const History* history = nullptr;
  GraphData graph;  // the Graph tab's series and panels
  // The Host tab: this host's listening and bound sockets (null until listed), and for each
  // the rows whose local endpoint it is.
  std::shared_ptr<const process::HostSockets> host;
  std::vector<std::uint32_t> hostConnections;
};

struct RenderOptions {
  bool unicode = true;  // UTF-8 terminal: box and arrow glyphs; else ASCII
};

}  // namespace rustnet::ui
