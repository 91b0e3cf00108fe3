#pragma once
// The single-threaded heart of attribution: refresh the socket table and the inode → pid
// map, resolve the connections that asked, keep their results, and publish an immutable
// ProcessMap. The Attributor runs it on its own thread; tests drive it directly with a
// fixture /proc tree and a manual clock.
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/time.h"
#include "process/owner_hints.h"
#include "process/proc_scanner.h"
#include "process/process_map.h"
#include "process/socket_source.h"
#include "process/types.h"

namespace rustnet::process {

enum class SocketBackend : std::uint8_t {
  Auto,      // eBPF when built and loadable, else sock_diag, else /proc/net
  SockDiag,  // sock_diag, else /proc/net
  Procfs,    // /proc/net only (fixture trees in tests)
};

struct AttributionConfig {
  std::filesystem::path procRoot = "/proc";
  SocketBackend backend = SocketBackend::Auto;
  core::Duration refreshInterval = core::Duration::seconds(1);
  // A request refreshes at once, but not more often than this (nor more often than twice
  // the last refresh took), so a flood of new connections cannot pin a core.
  core::Duration minRequestGap = core::Duration::millis(20);
  // A requested connection with no owner yet is retried at each refresh for this long,
  // then counted as a miss.
  core::Duration pendingTimeout = core::Duration::seconds(3);
  // A cached result whose socket is gone is kept this long (the connection still shows it).
  core::Duration cacheRetention = core::Duration::seconds(15 * 60);
  // A connection's result stays this long after forget(): a front end may write the closing
  // event a moment later (the JSON output holds events 150 ms), and by then the process may
  // have exited and its socket gone, so only the kept result can still name it.
  core::Duration forgetDelay = core::Duration::seconds(2);
  std::size_t maxCachedResults = std::size_t{1} << 18;
  std::size_t maxPending = std::size_t{1} << 16;
  unsigned fullScanEvery = 30;  // refreshes between full fd-table scans
  std::size_t requestQueueCapacity = 4096;  // per requester (packet worker)
  // Called (on the attribution thread, or in start()) when a preferred method is refused and
  // another is used instead; wire it to the log. Optional.
  std::function<void(const std::string&)> onNotice;
};

class Resolver {
public:
  // `source` overrides the backend choice (tests); otherwise sock_diag is opened when the
  // config allows it, falling back to /proc/net with the reason kept.
  explicit Resolver(AttributionConfig cfg, std::unique_ptr<SocketSource> source = nullptr);

  [[nodiscard]] Method method() const { return hints_ ? Method::Ebpf : source_->method(); }
  [[nodiscard]] const std::string& fallbackReason() const { return fallbackReason_; }

  // A new connection: resolve it at the next refresh (and keep retrying until
  // pendingTimeout). Returns false when the pending set is full.
  bool request(const SocketTuple& t, core::Timestamp now);
  // The connection ended: its cached result goes cfg.forgetDelay after `now` (at a refresh),
  // or at once when the same tuple is requested again (a new connection must not inherit it).
  void forget(const SocketTuple& t, core::Timestamp now);
  [[nodiscard]] bool hasNewRequests() const { return newRequests_; }
  [[nodiscard]] std::size_t pendingCount() const { return pending_.size(); }

  // Re-reads the sockets and the changed fd tables, then resolves what is pending.
  void refresh(core::Timestamp now);
  // The current state as an immutable map.
  [[nodiscard]] std::shared_ptr<const ProcessMap> publish();

  [[nodiscard]] const Counters& counters() const { return counters_; }
  void addDroppedRequests(std::uint64_t n) { counters_.requestsDropped += n; }
  [[nodiscard]] core::Duration lastScanDuration() const {
    return core::Duration::nanos(static_cast<std::int64_t>(counters_.lastScanNs));
  }
  ProcScanner& scanner() { return scanner_; }

  // Extra ownership evidence (the eBPF backend, or a fake in tests); makes method() Ebpf.
  void setHints(std::unique_ptr<OwnerHints> hints) { hints_ = std::move(hints); }
  // The hints' descriptor to poll (-1 when none) and their event drain.
  [[nodiscard]] int hintsFd() const { return hints_ ? hints_->waitFd() : -1; }
  void drainHints() {
    if (hints_) hints_->drain();
  }

private:
  struct CacheEntry {
    Attribution att;
    core::Timestamp confirmed;  // resolved, or last seen still owned by the same process
    core::Timestamp forgetAt;   // zero unless forgotten: dropped at this time
  };

  void dumpSockets();
  bool pendingNeedsFullScan() const;
  void resolvePending(core::Timestamp now);
  [[nodiscard]] Attribution matchClosed(const SocketTuple& t) const;
  void store(const SocketTuple& t, const Attribution& a, core::Timestamp now);
  void drop(const SocketTuple& t);
  void dropForgotten(core::Timestamp now);
  void maintainCache(core::Timestamp now);
  void rebuildBase();

  AttributionConfig cfg_;
  std::unique_ptr<SocketSource> source_;
  std::unique_ptr<OwnerHints> hints_;
  std::string fallbackReason_;
  ProcScanner scanner_;
  std::vector<SocketRecord> sockets_;
  std::shared_ptr<const LiveIndex> live_;

  std::unordered_map<SocketTuple, core::Timestamp, SocketTupleHash> pending_;  // → first asked
  bool newRequests_ = false;

  std::unordered_map<SocketTuple, CacheEntry, SocketTupleHash> cache_;
  std::shared_ptr<const ResultTable> base_;
  std::deque<std::pair<core::Timestamp, SocketTuple>> forgotten_;  // forgetAt, in order asked
  ResultTable delta_;  // changes since base_ (None = forgotten)
  std::shared_ptr<const ResultTable> publishedDelta_;
  bool deltaDirty_ = false;
  core::Timestamp lastMaintain_;
  core::Timestamp lastFullScan_;
  std::uint64_t refreshCount_ = 0;

  Counters counters_;
};

}  // namespace rustnet::process
