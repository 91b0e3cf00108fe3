#include "track/tcp_state.h"

#include <algorithm>

namespace rustnet::track {

namespace {

using decode::tcpflag::kAck;
using decode::tcpflag::kFin;
using decode::tcpflag::kRst;
using decode::tcpflag::kSyn;

constexpr bool has(std::uint8_t flags, std::uint8_t bit) { return (flags & bit) != 0; }

// Highest sequence number each side has used, and whether this segment re-sends data that
// side had already sent. A keep-alive probe (at most one byte, one below what was sent) is
// not a retransmission. Reordering before the capture point is counted as one, too: telling
// them apart would need per-connection gap tracking, which this figure does not warrant.
void trackSequence(TcpInfo& t, const decode::PacketView& p, bool fromLocal,
                   TcpSegmentResult& r) {
  const std::uint8_t f = p.tcpFlags;
  if (has(f, kRst)) return;  // a reset's sequence number says nothing about sent data
  const std::uint32_t len = p.payloadWireLen;
  const std::uint32_t end = p.seq + len + (has(f, kSyn) ? 1u : 0u) + (has(f, kFin) ? 1u : 0u);
  const std::uint16_t known = fromLocal ? tcpseen::kSeqLocal : tcpseen::kSeqRemote;
  std::uint32_t& next = fromLocal ? t.nextSeqLocal : t.nextSeqRemote;
  if ((t.flags & known) == 0) {
    next = end;
    t.flags |= known;
    return;
  }
  if (seqLess(next, end)) {
    next = end;
    return;
  }
  if (len == 0 || has(f, kSyn)) return;
  const bool keepAlive = len <= 1 && !has(f, kFin) && p.seq + 1 == next;
  if (!keepAlive) r.retransmission = true;
}

void setRtt(TcpInfo& t, core::Timestamp at) {
  const std::int64_t d = at.ns - t.synNs;
  if (d >= 0) t.handshakeRttNs = std::max<std::int64_t>(d, 1);  // 0 means "unknown"
}

void trackHandshakeTimes(TcpInfo& t, const decode::PacketView& p) {
  const std::uint8_t f = p.tcpFlags;
  if (!has(f, kSyn)) return;
  if (!has(f, kAck)) {
    if ((t.flags & tcpseen::kSynTimed) == 0) {
      t.synNs = p.ts.ns;
      t.flags |= tcpseen::kSynTimed;
    }
  } else if ((t.flags & tcpseen::kSynTimed) != 0 && (t.flags & tcpseen::kRttFinal) == 0 &&
             t.handshakeRttNs == 0) {
    setRtt(t, p.ts);  // provisional: SYN → SYN-ACK
  }
}

}  // namespace

void tcpStart(Connection& c, std::uint8_t tcpFlags, bool fromLocal) {
  if (!has(tcpFlags, kSyn)) {
    c.state = State::Established;
    c.tcp.flags |= tcpseen::kMidStream;
    return;
  }
  // A SYN's sender is the one opening; a SYN-ACK's sender is the one accepting.
  const bool localOpens = has(tcpFlags, kAck) ? !fromLocal : fromLocal;
  c.state = localOpens ? State::SynSent : State::SynRecv;
}

int tcpSenderIsLocal(std::uint8_t tcpFlags) {
  if (!has(tcpFlags, kSyn) || has(tcpFlags, kRst)) return -1;
  return has(tcpFlags, kAck) ? 0 : 1;
}

bool tcpStartsNewConnection(const Connection& c, std::uint8_t tcpFlags) {
  return c.proto() == core::proto::kTcp && has(tcpFlags, kSyn) && !has(tcpFlags, kAck) &&
         !has(tcpFlags, kRst) && protocolEnded(c.state);
}

TcpSegmentResult tcpOnSegment(Connection& c, const decode::PacketView& p, bool fromLocal) {
  TcpInfo& t = c.tcp;
  const std::uint8_t f = p.tcpFlags;
  const bool syn = has(f, kSyn);
  const bool ack = has(f, kAck);
  const bool fin = has(f, kFin);
  TcpSegmentResult r;

  trackSequence(t, p, fromLocal, r);
  if (syn) t.flags |= fromLocal ? tcpseen::kSynLocal : tcpseen::kSynRemote;
  trackHandshakeTimes(t, p);

  if (has(f, kRst)) {
    t.flags |= tcpseen::kRst;
    c.state = State::Closed;
    return r;
  }

  // Whether this segment acknowledges a FIN, judged before its own FIN (if any) is noted.
  const bool acksLocalFin = !fromLocal && ack && (t.flags & tcpseen::kFinLocal) != 0 &&
                            seqLessEq(t.finSeqLocal, p.ack);
  const bool acksRemoteFin = fromLocal && ack && (t.flags & tcpseen::kFinRemote) != 0 &&
                             seqLessEq(t.finSeqRemote, p.ack);
  if (fin) {
    const std::uint16_t bit = fromLocal ? tcpseen::kFinLocal : tcpseen::kFinRemote;
    if ((t.flags & bit) == 0) {
      // The FIN occupies the sequence number after the data; its ACK is one beyond that.
      (fromLocal ? t.finSeqLocal : t.finSeqRemote) = p.seq + p.payloadWireLen + (syn ? 1u : 0u) + 1u;
      t.flags |= bit;
    }
  }

  State s = c.state;
  switch (s) {
    case State::SynSent:
    case State::SynRecv: {
      if (syn) {
        // A SYN from the remote side while ours is outstanding: simultaneous open.
        if (s == State::SynSent && !fromLocal && !ack) s = State::SynRecv;
        break;
      }
      if (!ack) break;
      // The opener's ACK completes the handshake. Data or a FIN from the other side also
      // proves it completed (the capture missed the ACK).
      const bool openerAck = (s == State::SynSent) == fromLocal;
      if (openerAck && (t.flags & tcpseen::kSynTimed) != 0) {
        setRtt(t, p.ts);
        t.flags |= tcpseen::kRttFinal;
      }
      if (openerAck || p.payloadWireLen > 0 || fin) {
        s = State::Established;
        if (fin) s = fromLocal ? State::FinWait1 : State::CloseWait;
      }
      break;
    }
    case State::Established:
      if (fin) s = fromLocal ? State::FinWait1 : State::CloseWait;
      break;
    case State::FinWait1:
      if (fromLocal) break;
      if (fin) {
        s = acksLocalFin ? State::TimeWait : State::Closing;
      } else if (acksLocalFin) {
        s = State::FinWait2;
      }
      break;
    case State::FinWait2:
      if (!fromLocal && fin) s = State::TimeWait;
      break;
    case State::Closing:
      if (acksLocalFin) s = State::TimeWait;
      break;
    case State::CloseWait:
      // A local FIN that does not acknowledge the remote one means both FINs crossed.
      if (fromLocal && fin) s = acksRemoteFin ? State::LastAck : State::Closing;
      break;
    case State::LastAck:
      if (acksLocalFin) s = State::Closed;
      break;
    default:
      break;
  }
  c.state = s;
  return r;
}

}  // namespace rustnet::track
