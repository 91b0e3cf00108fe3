#include "engine/record.h"

#include "track/services.h"

namespace rustnet::engine {

ConnectionRecord makeRecord(const track::Tracker& tracker, const track::Connection& c,
                            core::Timestamp now) {
  ConnectionRecord r;
  r.id = c.id;
  r.proto = c.proto();
  r.local = c.local();
  r.remote = c.remote();
  r.state = tracker.displayState(c, now);
  r.stateLabel = track::stateLabel(c, r.state);
  r.service = track::connectionService(c);
  r.tunnel = decode::tunnelName(c.tunnel);
  r.firstSeen = c.firstSeen;
  r.lastSeen = c.lastSeen;
  r.sent = c.sent;
  r.received = c.received;
  r.rateOutBps = c.rateOut.bytesPerSecond(now);
  r.rateInBps = c.rateIn.bytesPerSecond(now);
  r.retransmissions = c.tcp.retransmissions;
  r.handshakeRttNs = c.tcp.handshakeRttNs;
  r.idleTimeout = tracker.idleTimeout(c);
  r.dpi = track::publishedFacts(c);
  r.nflog = tracker.nflogOf(c);
  return r;
}

}  // namespace rustnet::engine
