#pragma once
// The immutable socket-tuple → process map that snapshots consult. Built by the attribution
// thread after each refresh and published whole; readers hold a shared_ptr to one version
// and never block the writer.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "process/socket_source.h"
#include "process/types.h"

namespace rustnet::process {

class OwnerHints;
class ProcScanner;

// The kernel's sockets at one refresh, joined to their owners.
class LiveIndex {
public:
  // Joins `sockets` to the owners `scanner` knows. Sockets with inode 0 (TIME_WAIT, request
  // sockets) have no owner and are left out. When /proc shows no single holder of a socket,
  // `hints` (may be null) can name the process that used it.
  static std::shared_ptr<const LiveIndex> build(const std::vector<SocketRecord>& sockets,
                                                const ProcScanner& scanner,
                                                const OwnerHints* hints = nullptr);

  // Exact tuple, then the reversed tuple, then listeners / unconnected UDP sockets on the
  // local endpoint (same address before wildcards), else None. More than one possible owner
  // gives Ambiguous, never a guess.
  [[nodiscard]] Attribution match(const SocketTuple& t) const;
  // Only the exact tuple (kind Exact or Ambiguous); null when no owned socket has it.
  [[nodiscard]] const Attribution* exact(const SocketTuple& t) const;
  // True when a socket with this exact tuple exists but its inode has no known owner yet
  // (a process that has not been scanned since it opened it).
  [[nodiscard]] bool hasUnownedExact(const SocketTuple& t) const;

  [[nodiscard]] std::size_t size() const { return exact_.size(); }

private:
  struct Bound {
    core::IpAddr addr;
    bool dualStack = false;
    std::uint32_t owners = 0;  // distinct pids holding the socket (0: unknown)
    Attribution att;           // kind Listener / UnconnectedUdp when owners == 1
  };
  static std::uint32_t portKey(std::uint8_t proto, std::uint16_t port) {
    return (std::uint32_t{proto} << 16) | port;
  }
  [[nodiscard]] Attribution matchBound(const SocketTuple& t) const;

  std::unordered_map<SocketTuple, Attribution, SocketTupleHash> exact_;
  std::unordered_set<SocketTuple, SocketTupleHash> unowned_;  // inode != 0, owner unknown
  std::unordered_map<std::uint32_t, std::vector<Bound>> bound_;
};

using ResultTable = std::unordered_map<SocketTuple, Attribution, SocketTupleHash>;

// One published version: the live index plus the per-connection results (a large base
// rebuilt now and then, and a small delta of what changed since, so that publishing after
// each refresh does not copy every cached result).
class ProcessMap {
public:
  ProcessMap() = default;
  ProcessMap(std::shared_ptr<const LiveIndex> live, std::shared_ptr<const ResultTable> base,
             std::shared_ptr<const ResultTable> delta, Method method, Counters counters)
      : live_(std::move(live)), base_(std::move(base)), delta_(std::move(delta)),
        method_(method), counters_(counters) {}

  // The owner of a connection: a live exact socket; else the result cached for this
  // connection when it was looked up (so a process that has exited keeps its name); else the
  // live reversed / listener match. kind None with no process when unknown.
  [[nodiscard]] Attribution find(const SocketTuple& t) const;
  // Only the cached per-connection result, if any.
  [[nodiscard]] const Attribution* cached(const SocketTuple& t) const;

  [[nodiscard]] Method method() const { return method_; }
  // Counters as of this version's publication.
  [[nodiscard]] const Counters& counters() const { return counters_; }

private:
  std::shared_ptr<const LiveIndex> live_;
  std::shared_ptr<const ResultTable> base_;
  std::shared_ptr<const ResultTable> delta_;  // a None entry hides the base (forgotten)
  Method method_ = Method::Procfs;
  Counters counters_;
};

}  // namespace rustnet::process
