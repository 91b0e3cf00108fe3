// NETLINK_SOCK_DIAG: the kernel's own socket dump (what `ss` uses). Cheaper than parsing
// /proc/net text and it also says whether an IPv6 wildcard socket is IPV6_V6ONLY. Messages
// are copied out of the receive buffer with memcpy (no casts onto unaligned memory).
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "process/socket_source.h"

namespace rustnet::process {
namespace {

constexpr std::size_t kRecvBuffer = 64 * 1024;
constexpr std::size_t align4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

struct DiagRequest {
  nlmsghdr nlh;
  inet_diag_req_v2 req;
};

core::IpAddr diagAddr(std::uint8_t family, const std::uint32_t (&words)[4]) {
  std::uint8_t raw[16];
  std::memcpy(raw, words, sizeof raw);  // already in network order
  if (family == AF_INET) return core::IpAddr::v4Bytes(core::Bytes(raw, 4));
  return canonicalAddr(core::IpAddr::v6Bytes(core::Bytes(raw, 16)));
}

}  // namespace

SockDiagSource::SockDiagSource() : buf_(kRecvBuffer) {}

SockDiagSource::~SockDiagSource() {
  if (fd_ >= 0) ::close(fd_);
}

bool SockDiagSource::open(std::string& error) {
  fd_ = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd_ < 0) {
    error = fmt::format("netlink sock_diag socket: {}", std::strerror(errno));
    return false;
  }
  // A dump that never ends must not wedge the attribution thread.
  timeval tv{};
  tv.tv_sec = 2;
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::vector<SocketRecord> probe;
  auto r = dump(probe);
  if (!r.ok) {
    error = r.error;
    ::close(fd_);
    fd_ = -1;
    return false;
  }
  return true;
}

DumpResult SockDiagSource::dump(std::vector<SocketRecord>& out) {
  DumpResult res;
  out.clear();
  if (fd_ < 0) {
    res.error = "sock_diag socket is not open";
    return res;
  }
  for (std::uint8_t proto : {std::uint8_t{IPPROTO_TCP}, std::uint8_t{IPPROTO_UDP}}) {
    for (std::uint8_t family : {std::uint8_t{AF_INET}, std::uint8_t{AF_INET6}}) {
      if (!dumpOne(family, proto, out, res)) return res;
      if (res.truncated) {
        res.ok = true;
        return res;
      }
    }
  }
  res.ok = true;
  return res;
}

bool SockDiagSource::dumpOne(std::uint8_t family, std::uint8_t proto,
                             std::vector<SocketRecord>& out, DumpResult& res) {
  DiagRequest msg{};
  msg.nlh.nlmsg_len = sizeof msg;
  msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  msg.nlh.nlmsg_seq = ++seq_;
  msg.req.sdiag_family = family;
  msg.req.sdiag_protocol = proto;
  // Every state (listeners, connected and unconnected sockets) except the two that never
  // have an owning file: TIME_WAIT and request sockets. They would be dropped anyway.
  msg.req.idiag_states = ~0u;
  if (proto == IPPROTO_TCP) msg.req.idiag_states &= ~((1u << kTcpTimeWait) | (1u << kTcpNewSynRecv));

  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  iovec iov{&msg, sizeof msg};
  msghdr mh{};
  mh.msg_name = &kernel;
  mh.msg_namelen = sizeof kernel;
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  if (::sendmsg(fd_, &mh, 0) < 0) {
    res.error = fmt::format("sock_diag request: {}", std::strerror(errno));
    return false;
  }

  const char* what = proto == IPPROTO_TCP ? "tcp" : "udp";
  for (;;) {
    const ssize_t n = ::recv(fd_, buf_.data(), buf_.size(), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      res.error = fmt::format("sock_diag {} dump: {}", what, std::strerror(errno));
      return false;
    }
    if (n == 0) {
      res.error = fmt::format("sock_diag {} dump: connection closed", what);
      return false;
    }
    std::size_t off = 0;
    const auto len = static_cast<std::size_t>(n);
    while (len - off >= sizeof(nlmsghdr)) {
      nlmsghdr h;
      std::memcpy(&h, buf_.data() + off, sizeof h);
      if (h.nlmsg_len < sizeof h || h.nlmsg_len > len - off) break;  // malformed: drop the rest
      const std::uint8_t* payload = buf_.data() + off + align4(sizeof h);
      const std::size_t payloadLen = h.nlmsg_len - std::min<std::size_t>(h.nlmsg_len, align4(sizeof h));
      off += std::min<std::size_t>(align4(h.nlmsg_len), len - off);
      if (h.nlmsg_seq != seq_) continue;  // a stale reply from an earlier, abandoned dump
      if (h.nlmsg_type == NLMSG_DONE) return true;
      if (h.nlmsg_type == NLMSG_ERROR) {
        int err = 0;
        if (payloadLen >= sizeof err) std::memcpy(&err, payload, sizeof err);
        res.error = fmt::format("sock_diag {} dump refused: {}", what, std::strerror(-err));
        return false;
      }
      if (h.nlmsg_type != SOCK_DIAG_BY_FAMILY || payloadLen < sizeof(inet_diag_msg)) continue;
      inet_diag_msg m;
      std::memcpy(&m, payload, sizeof m);

      SocketRecord r;
      core::Endpoint local{diagAddr(m.idiag_family, m.id.idiag_src), ntohs(m.id.idiag_sport)};
      core::Endpoint remote{diagAddr(m.idiag_family, m.id.idiag_dst), ntohs(m.id.idiag_dport)};
      r.tuple = SocketTuple::make(proto, local, remote);
      r.inode = m.idiag_inode;
      r.cookie = (std::uint64_t{m.id.idiag_cookie[1]} << 32) | m.id.idiag_cookie[0];
      r.uid = m.idiag_uid;
      r.state = m.idiag_state;
      r.listening = proto == IPPROTO_TCP
                        ? r.state == kTcpListen
                        : (remote.port == 0 && r.tuple.remote.addr.isUnspecified());
      r.dualStack = m.idiag_family == AF_INET6;
      // Attributes: INET_DIAG_SKV6ONLY tells whether a v6 wildcard also takes IPv4.
      std::size_t a = align4(sizeof(inet_diag_msg));
      while (a + 4 <= payloadLen) {
        std::uint16_t alen = 0, atype = 0;
        std::memcpy(&alen, payload + a, 2);
        std::memcpy(&atype, payload + a + 2, 2);
        if (alen < 4 || alen > payloadLen - a) break;
        if (atype == INET_DIAG_SKV6ONLY && alen >= 5 && payload[a + 4] != 0) r.dualStack = false;
        a += align4(alen);
      }
      if (out.size() >= kMaxSockets) {
        res.truncated = true;
        continue;  // keep reading so the dump is consumed up to NLMSG_DONE
      }
      out.push_back(r);
    }
  }
}

}  // namespace rustnet::process
