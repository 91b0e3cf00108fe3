// Live attribution through netlink sock_diag and the real /proc: sockets opened by this
// test process (and by a forked child) must be attributed to their own pid. Root only.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "process/attributor.h"
#include "process/proc_scanner.h"
#include "process/resolver.h"

namespace rustnet::process {
namespace {

class Fd {
public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

private:
  int fd_;
};

core::Endpoint localOf(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  core::Endpoint ep;
  if (ss.ss_family == AF_INET) {
    sockaddr_in sin;
    std::memcpy(&sin, &ss, sizeof sin);
    ep.addr = core::IpAddr::v4(ntohl(sin.sin_addr.s_addr));
    ep.port = ntohs(sin.sin_port);
  } else {
    sockaddr_in6 sin6;
    std::memcpy(&sin6, &ss, sizeof sin6);
    ep.addr = core::IpAddr::v6Bytes(core::Bytes(sin6.sin6_addr.s6_addr, 16));
    ep.port = ntohs(sin6.sin6_port);
  }
  return ep;
}

sockaddr_in loopback4(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

int tcpListener4() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  auto a = loopback4(0);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 16) != 0) return -1;
  return fd;
}

int connect4(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  auto a = loopback4(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return -1;
  return fd;
}

// What the scanner should call this process: comm, extended from the executable when the
// kernel cut it at 15 characters (the test binaries' names are longer than that).
std::string selfName() {
  std::ifstream in("/proc/self/comm");
  std::string comm;
  std::getline(in, comm);
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  return processName(comm, exe, "");
}

void requireRoot() {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to read every process's /proc/<pid>/fd";
}

TEST(LiveAttribution, OwnSocketsAreAttributedToThisProcessViaSockDiag) {
  requireRoot();
  Fd listener(tcpListener4());
  ASSERT_GE(listener.get(), 0);
  const auto lep = localOf(listener.get());
  Fd client(connect4(lep.port));
  ASSERT_GE(client.get(), 0);
  Fd accepted(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_GE(accepted.get(), 0);
  const auto cep = localOf(client.get());

  Fd udpSock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  auto ua = loopback4(0);
  ASSERT_EQ(::bind(udpSock.get(), reinterpret_cast<sockaddr*>(&ua), sizeof ua), 0);
  const auto uep = localOf(udpSock.get());

  // A dual-stack IPv6 listener accepting an IPv4 client: its sockets carry v4-mapped addresses.
  Fd v6(::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
  int off = 0;
  ::setsockopt(v6.get(), IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
  sockaddr_in6 any6{};
  any6.sin6_family = AF_INET6;
  any6.sin6_addr = in6addr_any;
  if (::bind(v6.get(), reinterpret_cast<sockaddr*>(&any6), sizeof any6) != 0 ||
      ::listen(v6.get(), 4) != 0)
    GTEST_SKIP() << "no IPv6 here";
  const auto v6port = localOf(v6.get()).port;
  Fd v4client(connect4(v6port));
  ASSERT_GE(v4client.get(), 0);
  Fd v6accepted(::accept4(v6.get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_GE(v6accepted.get(), 0);
  const auto v4cep = localOf(v4client.get());

  AttributionConfig cfg;
  cfg.backend = SocketBackend::SockDiag;
  Resolver r(cfg);
  if (r.method() != Method::SockDiag) GTEST_SKIP() << "sock_diag unavailable: " << r.fallbackReason();

  const auto tcp = core::proto::kTcp;
  const auto clientT = SocketTuple::make(tcp, cep, lep);
  const auto acceptedT = SocketTuple::make(tcp, lep, cep);
  const auto halfOpenT = SocketTuple::make(tcp, lep, {lep.addr, 1});
  const auto udpT = SocketTuple::make(core::proto::kUdp, uep, {uep.addr, 9});
  const auto mappedT = SocketTuple::make(tcp, {lep.addr, v6port}, v4cep);
  for (const auto& t : {clientT, acceptedT, halfOpenT, udpT, mappedT}) r.request(t, {});
  r.refresh({});
  auto map = r.publish();

  const int me = static_cast<int>(::getpid());
  const auto comm = selfName();
  struct Case {
    const char* what;
    SocketTuple t;
    MatchKind kind;
  };
  for (const auto& c : {Case{"client", clientT, MatchKind::Exact},
                        Case{"accepted", acceptedT, MatchKind::Exact},
                        Case{"half-open via listener", halfOpenT, MatchKind::Listener},
                        Case{"unconnected udp", udpT, MatchKind::UnconnectedUdp},
                        Case{"v4-mapped accepted", mappedT, MatchKind::Exact}}) {
    auto a = map->find(c.t);
    ASSERT_TRUE(a.known()) << c.what;
    EXPECT_EQ(a.process->pid, me) << c.what;
    EXPECT_EQ(a.process->name, comm) << c.what;
    EXPECT_EQ(a.kind, c.kind) << c.what;
    EXPECT_EQ(a.uid, ::geteuid()) << c.what;
  }
  EXPECT_EQ(r.counters().lookups, 5u);
  EXPECT_EQ(r.counters().misses, 0u);
  EXPECT_GT(r.counters().sockets, 5u);
}

TEST(LiveAttribution, AShortLivedChildKeepsItsNameAfterItExits) {
  requireRoot();
  Fd listener(tcpListener4());
  ASSERT_GE(listener.get(), 0);
  const auto lep = localOf(listener.get());

  AttributionConfig cfg;
  cfg.refreshInterval = core::Duration::seconds(3600);  // only the request can find the child
  Attributor attr(cfg);
  Requester& worker = attr.addRequester();
  attr.start();
  if (attr.activeMethod() == Method::Procfs)
    GTEST_SKIP() << "sock_diag unavailable: " << attr.fallbackReason();

  int toParent[2], toChild[2];
  ASSERT_EQ(::pipe2(toParent, O_CLOEXEC), 0);
  ASSERT_EQ(::pipe2(toChild, O_CLOEXEC), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::prctl(PR_SET_NAME, "rn-shortlived");
    const int fd = connect4(lep.port);
    sockaddr_in me{};
    socklen_t len = sizeof me;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&me), &len);
    std::uint16_t port = ntohs(me.sin_port);
    (void)!::write(toParent[1], &port, sizeof port);
    char go;
    (void)!::read(toChild[0], &go, 1);  // exit when told (or when the parent dies)
    ::_exit(0);
  }
  ::close(toParent[1]);
  ::close(toChild[0]);
  std::uint16_t cport = 0;
  ASSERT_EQ(::read(toParent[0], &cport, sizeof cport), static_cast<ssize_t>(sizeof cport));
  const auto t = SocketTuple::make(core::proto::kTcp, {lep.addr, cport}, lep);
  const auto asked = std::chrono::steady_clock::now();
  ASSERT_TRUE(worker.requestLookup(t));
  bool found = false;
  const auto deadline = asked + std::chrono::seconds(10);
  while (!found && std::chrono::steady_clock::now() < deadline) {
    found = attr.find(t).known();
    if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const auto latencyMs = std::chrono::duration<double, std::milli>(
                             std::chrono::steady_clock::now() - asked).count();
  (void)!::write(toChild[1], "x", 1);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(toParent[0]);
  ::close(toChild[1]);
  ASSERT_TRUE(found);
  std::printf("request to attribution: %.1f ms\n", latencyMs);

  // The child is gone and so is its socket (after a refresh): the name stays.
  Fd accepted(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  const auto before = attr.counters().refreshes;
  ASSERT_TRUE(worker.requestLookup(SocketTuple::make(core::proto::kUdp, lep, {lep.addr, 7})));
  const auto deadline2 = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (attr.counters().refreshes == before && std::chrono::steady_clock::now() < deadline2)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  auto a = attr.find(t);
  ASSERT_TRUE(a.known());
  EXPECT_EQ(a.process->pid, child);
  EXPECT_EQ(a.process->name, "rn-shortlived");
  EXPECT_EQ(a.kind, MatchKind::Exact);
  attr.stop();
}

}  // namespace
}  // namespace rustnet::process

#if RUSTNET_HAVE_EBPF
namespace rustnet::process {
namespace {

// Built with -DRUSTNET_EBPF=ON: the programs must load and attach here (root), and a client
// that connects and exits before anyone looks is still attributed from its close event.
TEST(LiveEbpf, AClientThatExitedBeforeTheLookupIsAttributedFromItsCloseEvent) {
  requireRoot();
  Fd listener(tcpListener4());
  ASSERT_GE(listener.get(), 0);
  const auto lep = localOf(listener.get());
  Fd udpSock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  auto ua = loopback4(0);
  ASSERT_EQ(::bind(udpSock.get(), reinterpret_cast<sockaddr*>(&ua), sizeof ua), 0);
  const auto uep = localOf(udpSock.get());

  AttributionConfig cfg;
  cfg.backend = SocketBackend::Auto;
  cfg.refreshInterval = core::Duration::seconds(3600);
  Attributor attr(cfg);
  Requester& worker = attr.addRequester();
  attr.start();
  ASSERT_EQ(attr.activeMethod(), Method::Ebpf) << attr.fallbackReason();
  EXPECT_EQ(attr.activeMethodName(), "ebpf");

  int toParent[2];
  ASSERT_EQ(::pipe2(toParent, O_CLOEXEC), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::prctl(PR_SET_NAME, "rn-ebpf-child");
    const int fd = connect4(lep.port);
    sockaddr_in me{};
    socklen_t len = sizeof me;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&me), &len);
    // And one datagram from an unconnected UDP socket, which also goes away at exit.
    const int u = ::socket(AF_INET, SOCK_DGRAM, 0);
    auto dst = loopback4(uep.port);
    ::sendto(u, "x", 1, 0, reinterpret_cast<sockaddr*>(&dst), sizeof dst);
    sockaddr_in ume{};
    len = sizeof ume;
    ::getsockname(u, reinterpret_cast<sockaddr*>(&ume), &len);
    std::uint16_t ports[2] = {ntohs(me.sin_port), ntohs(ume.sin_port)};
    (void)!::write(toParent[1], ports, sizeof ports);
    ::_exit(0);
  }
  ::close(toParent[1]);
  std::uint16_t ports[2] = {};
  ASSERT_EQ(::read(toParent[0], ports, sizeof ports), static_cast<ssize_t>(sizeof ports));
  ::close(toParent[0]);
  ::waitpid(child, nullptr, 0);  // gone, and its sockets with it, before anyone asks

  const auto tcpT = SocketTuple::make(core::proto::kTcp, {lep.addr, ports[0]}, lep);
  const auto udpT = SocketTuple::make(core::proto::kUdp, {lep.addr, ports[1]}, uep);
  ASSERT_TRUE(worker.requestLookup(tcpT));
  ASSERT_TRUE(worker.requestLookup(udpT));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((!attr.find(tcpT).known() || !attr.find(udpT).known()) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  for (const auto& t : {tcpT, udpT}) {
    auto a = attr.find(t);
    ASSERT_TRUE(a.known());
    EXPECT_EQ(a.process->pid, child);
    EXPECT_EQ(a.process->name, "rn-ebpf-child");
  }
  EXPECT_EQ(attr.find(tcpT).kind, MatchKind::Exact);
  EXPECT_EQ(attr.find(udpT).kind, MatchKind::UnconnectedUdp);
  EXPECT_GE(attr.counters().resolvedFromEbpf, 2u);
  attr.stop();
}

// Forks a child that, in a new network namespace when `ownNetns`, binds a UDP socket to the
// wildcard address, sends one datagram to 127.0.0.1:9 and exits. Returns its pid and port.
std::pair<pid_t, std::uint16_t> wildcardUdpChild(bool ownNetns) {
  int toParent[2];
  if (::pipe2(toParent, O_CLOEXEC) != 0) return {-1, 0};
  const pid_t child = ::fork();
  if (child == 0) {
    if (ownNetns && ::unshare(CLONE_NEWNET) != 0) ::_exit(1);
    const int u = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in any{};
    any.sin_family = AF_INET;
    ::bind(u, reinterpret_cast<sockaddr*>(&any), sizeof any);
    auto dst = loopback4(9);
    ::sendto(u, "x", 1, 0, reinterpret_cast<sockaddr*>(&dst), sizeof dst);  // lo is down there
    sockaddr_in me{};
    socklen_t len = sizeof me;
    ::getsockname(u, reinterpret_cast<sockaddr*>(&me), &len);
    const std::uint16_t port = ntohs(me.sin_port);
    (void)!::write(toParent[1], &port, sizeof port);
    ::_exit(0);
  }
  ::close(toParent[1]);
  std::uint16_t port = 0;
  if (child < 0 || ::read(toParent[0], &port, sizeof port) != static_cast<ssize_t>(sizeof port))
    port = 0;
  ::close(toParent[0]);
  if (child > 0) ::waitpid(child, nullptr, 0);
  return {child, port};
}

// The hooks see the sockets of every network namespace, whose addresses can repeat ours
// (containers, test namespaces). A process elsewhere that bound the wildcard address and
// exited must not name a connection here that fits its port.
TEST(LiveEbpf, SocketsOfAnotherNetworkNamespaceNameNothingHere) {
  requireRoot();
  AttributionConfig cfg;
  cfg.backend = SocketBackend::Auto;
  cfg.refreshInterval = core::Duration::seconds(3600);
  Attributor attr(cfg);
  Requester& worker = attr.addRequester();
  attr.start();
  ASSERT_EQ(attr.activeMethod(), Method::Ebpf) << attr.fallbackReason();

  const auto [elsewhere, elsewherePort] = wildcardUdpChild(true);
  ASSERT_GT(elsewhere, 0);
  ASSERT_NE(elsewherePort, 0);
  // The same in our namespace, afterwards: once it is named, the other one's events (which
  // the ring buffer delivered first) have been seen too.
  const auto [here, herePort] = wildcardUdpChild(false);
  ASSERT_GT(here, 0);
  ASSERT_NE(herePort, 0);

  const core::Endpoint discard{core::IpAddr::v4(INADDR_LOOPBACK), 9};
  const auto otherT = SocketTuple::make(core::proto::kUdp,
                                        {core::IpAddr::v4(INADDR_LOOPBACK), elsewherePort}, discard);
  const auto hereT = SocketTuple::make(core::proto::kUdp,
                                       {core::IpAddr::v4(INADDR_LOOPBACK), herePort}, discard);
  ASSERT_TRUE(worker.requestLookup(otherT));
  ASSERT_TRUE(worker.requestLookup(hereT));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!attr.find(hereT).known() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const auto h = attr.find(hereT);
  ASSERT_TRUE(h.known());
  EXPECT_EQ(h.process->pid, here);
  // Unknown, or a live socket of ours that happens to use that port: never the other child.
  const auto o = attr.find(otherT);
  EXPECT_TRUE(!o.known() || o.process->pid != elsewhere) << "named " << o.process->name;
  attr.stop();
}

}  // namespace
}  // namespace rustnet::process
#endif
