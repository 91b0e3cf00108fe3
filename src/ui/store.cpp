#include "ui/store.h"

#include <algorithm>

namespace rustnet::ui {

std::string_view endedStateLabel(track::EndReason r) {
  switch (r) {
    case track::EndReason::Closed: return "CLOSED";
    case track::EndReason::IdleTimeout: return "TIMED_OUT";
    case track::EndReason::Evicted: return "EVICTED";
    case track::EndReason::ForcedEnd: return {};
  }
  return {};
}

void ConnectionStore::setSnapshot(std::shared_ptr<const engine::Snapshot> snap) {
  snap_ = std::move(snap);
  if (snap_) now_ = std::max(now_, snap_->asOf);
  trim();
}

void ConnectionStore::onEvent(engine::ConnectionEvent&& e) {
  now_ = std::max(now_, e.when);
  if (e.kind != engine::ConnectionEvent::Kind::Closed) return;
  if (!endedIds_.insert(e.record.id).second) return;  // ids are unique within a run
  EndInfo end{e.reason, e.when, e.record.stateLabel};
  if (const std::string_view label = endedStateLabel(e.reason); !label.empty()) {
    // track::State::Closed is what tells displayState that the transport is over (an
    // application state no longer applies); the label says how it ended.
    e.record.state = track::State::Closed;
    e.record.stateLabel = label;
    e.record.rateInBps = 0;
    e.record.rateOutBps = 0;
  }
  history_.push_back(Ended{std::move(e.record), end});
  trim();
}

void ConnectionStore::trim() {
  auto dropFront = [this] {
    endedIds_.erase(history_.front().record.id);
    history_.pop_front();
  };
  while (history_.size() > config_.maxHistory) {
    dropFront();
    ++dropped_;
  }
  if (config_.historyAge.ns > 0) {
    // Forgetting old ended rows on purpose is not a loss: not counted as dropped.
    while (!history_.empty() && now_ - history_.front().end.when > config_.historyAge) dropFront();
  }
}

std::vector<RowRef> ConnectionStore::rows() const {
  std::vector<RowRef> out;
  out.reserve((snap_ ? snap_->rows.size() : 0) + history_.size());
  if (snap_) {
    for (const auto& r : snap_->rows) {
      // A snapshot can be older than the event that ended a row: the event wins.
      if (!endedIds_.empty() && endedIds_.count(r.id) != 0) continue;
      out.push_back(RowRef{&r, nullptr});
    }
  }
  for (const auto& h : history_) out.push_back(RowRef{&h.record, &h.end});
  return out;
}

}  // namespace rustnet::ui
