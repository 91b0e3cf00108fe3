#pragma once
// A self-contained copy of what is known about one connection at one moment: what events
// and snapshots carry from the workers to the front ends (which never see live tracker state).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/flow_key.h"
#include "core/time.h"
#include "dpi/facts.h"
#include "track/connection.h"
#include "track/tracker.h"

namespace rustnet::engine {

// Which process owns a connection, as far as it is known.
struct ProcessInfo {
  std::int32_t pid = 0;
  std::int64_t uid = -1;       // -1 = unknown
  std::string name;            // comm, extended from the executable when truncated
  std::string executable;      // path of /proc/<pid>/exe when readable
  std::string_view match;      // how it was found: "exact", "listener", ... (static text)
};

struct ConnectionRecord {
  std::uint64_t id = 0;
  std::uint8_t proto = 0;
  core::Endpoint local;
  core::Endpoint remote;
  track::State state = track::State::Active;
  std::string_view stateLabel;  // upper-case state, or the ICMP type's name (static text)
  std::string_view service;  // static table storage; empty when unknown
  std::string_view tunnel;   // outermost tunnel of an inner connection ("GTP-U"); static text
  core::Timestamp firstSeen;
  core::Timestamp lastSeen;
  track::DirectionCounters sent;
  track::DirectionCounters received;
  double rateOutBps = 0;  // bytes/s local → remote
  double rateInBps = 0;
  std::uint32_t retransmissions = 0;
  std::int64_t handshakeRttNs = 0;
  core::Duration idleTimeout;
  // What DPI learned (null when nothing); immutable, shared between snapshots.
  std::shared_ptr<const dpi::Facts> dpi;
  // What netfilter logged (NFLOG captures; null otherwise); immutable, shared.
  std::shared_ptr<const track::NflogInfo> nflog;
  // Joined in by the front end from the process attribution map (not per packet).
  std::optional<ProcessInfo> process;
};

ConnectionRecord makeRecord(const track::Tracker& tracker, const track::Connection& c,
                            core::Timestamp now);

struct ConnectionEvent {
  enum class Kind : std::uint8_t { New, Closed };
  Kind kind = Kind::New;
  track::EndReason reason = track::EndReason::ForcedEnd;  // Closed only
  core::Timestamp when;
  ConnectionRecord record;
};

}  // namespace rustnet::engine
