#pragma once
// Idle timeouts by protocol and state (SPEC §2), in one place so that docs and code agree.
#include "core/time.h"

namespace rustnet::track {

struct Timeouts {
  core::Duration tcpEstablished = core::Duration::seconds(300);
  core::Duration tcpHandshake = core::Duration::seconds(60);  // SYN_SENT, SYN_RECV
  core::Duration tcpClosing = core::Duration::seconds(60);    // FIN_WAIT*, CLOSE_WAIT, LAST_ACK
  core::Duration tcpTimeWait = core::Duration::seconds(30);   // TIME_WAIT, CLOSING
  core::Duration tcpClosed = core::Duration::seconds(5);
  core::Duration udp = core::Duration::seconds(60);
  core::Duration udpActiveFor = core::Duration::seconds(10);  // UDP_ACTIVE below this idle time
  core::Duration udpIdleFor = core::Duration::seconds(30);    // UDP_IDLE below this, then UDP_STALE
  core::Duration icmp = core::Duration::seconds(10);
  core::Duration arp = core::Duration::seconds(30);
  core::Duration other = core::Duration::seconds(60);
};

}  // namespace rustnet::track
