#pragma once
// The front end's logic without a terminal: takes events, snapshots and keys, keeps the
// UI state and the filtered, sorted rows, and renders frames. The terminal loop (app.cpp)
// only feeds it and flushes what it renders; tests drive it directly.
#include <memory>
#include <string>

#include "engine/engine.h"
#include "filter/filter.h"
#include "ui/frame.h"
#include "ui/history.h"
#include "ui/input.h"
#include "ui/state.h"
#include "ui/store.h"

namespace rustnet::ui {

struct SourceInfo {
  std::string name;
  bool live = false;
};

class Controller {
public:
  Controller(SourceInfo source, StoreConfig store, std::string initialFilter = {});
  // The rows point into the store: copying would leave them pointing at the original's.
  // Moving keeps them valid (the store's containers move their elements in place).
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;
  Controller(Controller&&) = default;
  Controller& operator=(Controller&&) = default;

  void onEvent(engine::ConnectionEvent&& e);
  void setSnapshot(std::shared_ptr<const engine::Snapshot> snap);
  // How processes are found ("sock_diag", "procfs", "ebpf", "off"), for the header.
  void setProcessMethod(std::string method) { view_.header.processMethod = std::move(method); }
  // This host's listening and bound sockets, for the Host tab (process::HostWatcher, or a
  // fixed list in tests), counted against the rows now and at each rebuild().
  void setHostSockets(std::shared_ptr<const process::HostSockets> host);
  // The source has ended (end of file, or capture stopped); `error` says why if it failed.
  void setSourceDone(const std::optional<std::string>& error);

  // Rebuilds the rows from the store with the current filter and sort (after new data).
  void rebuild();
  // The terminal's height changed (the table's page size follows it).
  void resize(int height);
  // Applies a key; rebuilds the rows itself when the filter or sort changed.
  Action key(const Key& k, int width, int height);
  // Puts a transient line in the status bar.
  void setMessage(std::string text, Style style = Style::Message);
  void clearMessage() { state_.message.clear(); }

  [[nodiscard]] Frame render(int width, int height, const RenderOptions& o) const;

  [[nodiscard]] const UiState& state() const { return state_; }
  [[nodiscard]] UiState& state() { return state_; }
  [[nodiscard]] const View& view() const { return view_; }
  [[nodiscard]] const ConnectionStore& store() const { return store_; }
  [[nodiscard]] const History& history() const { return *history_; }

private:
  void applyFilterText();
  void countEnded(const engine::ConnectionRecord& r);
  void buildGraphPanels(const std::vector<RowRef>& all);
  void countHostConnections(const std::vector<RowRef>& all);

  ConnectionStore store_;
  std::unique_ptr<History> history_ = std::make_unique<History>();  // the view points at it: moves keep it
  UiState state_;
  View view_;
  filter::Filter filter_;
  std::string appliedFilter_;
  int lastHeight_ = 24;
  // Bytes of the connections that have ended: with the open rows' counts, the run's totals
  // the Graph's series is fed from.
  std::uint64_t endedIn_ = 0;
  std::uint64_t endedOut_ = 0;
};

}  // namespace rustnet::ui
