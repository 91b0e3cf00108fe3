#pragma once
// What the UI knows about connections: the live rows of the newest snapshot plus a bounded
// history of those that have ended (from the engine's events). With --read the history is
// what makes the file browsable after its end, when every connection has been closed.
#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_set>
#include <vector>

#include "engine/engine.h"
#include "engine/record.h"
#include "track/connection.h"

namespace rustnet::ui {

struct EndInfo {
  track::EndReason reason = track::EndReason::ForcedEnd;
  core::Timestamp when;  // when the end was seen (a timeout is seen at a later packet or sweep)
  std::string_view lastState;  // the state label before it ended (static text)
};

// The state an ended row shows instead of its last one ("TIMED_OUT"), or empty for a
// connection still open when the run ended: that one is shown as it was then.
std::string_view endedStateLabel(track::EndReason r);

struct ProcessGroup;

// One row as the views see it. `end` is null for live connections. With the rows grouped
// by process, a group's own line has `group` set and `rec` points at its sums.
struct RowRef {
  const engine::ConnectionRecord* rec = nullptr;
  const EndInfo* end = nullptr;
  const ProcessGroup* group = nullptr;
  // Ended by the protocol or a timeout (shown dimmed). Connections still open when a file
  // or run ended are shown as they were then: not "gone".
  [[nodiscard]] bool gone() const { return end != nullptr && end->reason != track::EndReason::ForcedEnd; }
};

// One process's line when the rows are grouped (`a`): its connections (those the filter
// kept) counted and summed. `sums` is what the group line's cells show: its process, rates
// and totals; its id marks it as a group's (kGroupIdBit), stable from frame to frame.
struct ProcessGroup {
  engine::ConnectionRecord sums;
  std::size_t connections = 0;
  std::size_t pids = 0;  // distinct pids under this name
  bool known = true;     // false: the group of rows without a process
  bool expanded = false;
};
inline constexpr std::uint64_t kGroupIdBit = std::uint64_t{1} << 63;

struct StoreConfig {
  // Named cap on the history of ended connections (oldest dropped first, and counted).
  std::size_t maxHistory = 200'000;
  // Live runs forget ended connections after this long; zero keeps them (files).
  core::Duration historyAge = core::Duration::seconds(60);
};

class ConnectionStore {
public:
  explicit ConnectionStore(StoreConfig config = {}) : config_(config) {}

  void setSnapshot(std::shared_ptr<const engine::Snapshot> snap);
  // Keeps Closed events (New ones carry nothing the next snapshot will not). A row that
  // has ended is kept as ended: its state says how (endedStateLabel) and its rates are 0,
  // since nothing flows any more (the event's rates are those of its last moments).
  void onEvent(engine::ConnectionEvent&& e);

  // Every row: the snapshot's live ones not known to have ended, then the history. The
  // pointers stay valid until the next setSnapshot/onEvent.
  [[nodiscard]] std::vector<RowRef> rows() const;

  [[nodiscard]] const engine::Snapshot* snapshot() const { return snap_.get(); }
  // The newest moment known: the snapshot's time, or a later event's (packet time for files).
  [[nodiscard]] core::Timestamp now() const { return now_; }
  [[nodiscard]] std::size_t historySize() const { return history_.size(); }
  [[nodiscard]] std::uint64_t historyDropped() const { return dropped_; }
  [[nodiscard]] std::size_t historyCap() const { return config_.maxHistory; }

private:
  struct Ended {
    engine::ConnectionRecord record;
    EndInfo end;
  };
  void trim();

  StoreConfig config_;
  std::shared_ptr<const engine::Snapshot> snap_;
  std::deque<Ended> history_;
  std::unordered_set<std::uint64_t> endedIds_;
  core::Timestamp now_;
  std::uint64_t dropped_ = 0;
};

}  // namespace rustnet::ui
