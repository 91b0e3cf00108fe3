#include <gtest/gtest.h>

#include "proc_fixture.h"
#include "process/resolver.h"

namespace rustnet::process {
namespace {

using test::ProcFixture;

core::IpAddr ip(const char* s) { return *core::IpAddr::parse(s); }
SocketTuple tcp(const char* l, std::uint16_t lp, const char* r, std::uint16_t rp) {
  return SocketTuple::make(core::proto::kTcp, {ip(l), lp}, {ip(r), rp});
}
SocketTuple udp(const char* l, std::uint16_t lp, const char* r, std::uint16_t rp) {
  return SocketTuple::make(core::proto::kUdp, {ip(l), lp}, {ip(r), rp});
}

class ResolverTest : public ::testing::Test {
protected:
  Resolver make() {
    AttributionConfig cfg;
    cfg.procRoot = fx.root();
    cfg.backend = SocketBackend::Procfs;
    return Resolver(cfg);
  }
  core::Timestamp at(std::int64_t ms) { return core::Timestamp::fromNanos(ms * 1'000'000); }

  ProcFixture fx;
};

std::string nameOf(const Attribution& a) { return a.process ? a.process->name : "<none>"; }

TEST_F(ResolverTest, UsesTheFixtureProcfsBackend) {
  auto r = make();
  EXPECT_EQ(r.method(), Method::Procfs);
  EXPECT_EQ(methodName(r.method()), "procfs");
}

TEST_F(ResolverTest, ExactTupleFirst) {
  fx.addProcess(100, "curl", "/usr/bin/curl", {11});
  fx.addProcess(200, "nginx", "/usr/sbin/nginx", {21, 22});
  fx.addSocket("tcp", "10.0.0.1", 80, "0.0.0.0", 0, kTcpListen, 21);
  fx.addSocket("tcp", "10.0.0.1", 80, "10.0.0.9", 40000, kTcpEstablished, 22);
  fx.addSocket("tcp", "10.0.0.1", 40001, "192.0.2.5", 443, kTcpEstablished, 11);
  auto r = make();
  r.refresh(at(0));
  auto map = r.publish();

  auto client = map->find(tcp("10.0.0.1", 40001, "192.0.2.5", 443));
  EXPECT_EQ(client.kind, MatchKind::Exact);
  EXPECT_EQ(nameOf(client), "curl");
  EXPECT_EQ(client.process->pid, 100);
  EXPECT_TRUE(client.hasUid);
  EXPECT_EQ(client.uid, 1000u);

  auto accepted = map->find(tcp("10.0.0.1", 80, "10.0.0.9", 40000));
  EXPECT_EQ(accepted.kind, MatchKind::Exact);
  EXPECT_EQ(nameOf(accepted), "nginx");

  // A row oriented the other way round still finds the socket.
  auto rev = map->find(tcp("192.0.2.5", 443, "10.0.0.1", 40001));
  EXPECT_EQ(rev.kind, MatchKind::ExactReversed);
  EXPECT_EQ(nameOf(rev), "curl");

  // A half-open connection (no accepted socket yet) belongs to the listener.
  auto half = map->find(tcp("10.0.0.1", 80, "10.0.0.10", 41000));
  EXPECT_EQ(half.kind, MatchKind::Listener);
  EXPECT_EQ(nameOf(half), "nginx");

  EXPECT_EQ(map->find(tcp("10.0.0.1", 81, "10.0.0.10", 41000)).kind, MatchKind::None);
  EXPECT_FALSE(map->find(tcp("10.0.0.1", 81, "10.0.0.10", 41000)).known());
}

TEST_F(ResolverTest, WildcardListenersIncludingDualStackV6) {
  fx.addProcess(1, "sshd", "/usr/sbin/sshd", {31});
  fx.addProcess(2, "apache2", "/usr/sbin/apache2", {32});
  fx.addProcess(3, "dnsmasq", "/usr/sbin/dnsmasq", {33});
  fx.addSocket("tcp", "0.0.0.0", 22, "0.0.0.0", 0, kTcpListen, 31);
  fx.addSocket("tcp6", "::", 8080, "::", 0, kTcpListen, 32);
  fx.addSocket("udp6", "::", 53, "::", 0, kTcpClose, 33);
  auto r = make();
  r.refresh(at(0));
  auto map = r.publish();

  auto ssh = map->find(tcp("198.18.0.1", 22, "198.18.0.2", 50000));
  EXPECT_EQ(ssh.kind, MatchKind::Listener);
  EXPECT_EQ(nameOf(ssh), "sshd");
  // 0.0.0.0 never takes IPv6.
  EXPECT_EQ(map->find(tcp("2001:db8::1", 22, "2001:db8::2", 50000)).kind, MatchKind::None);
  // [::] takes both (the text tables cannot tell IPV6_V6ONLY; the default is dual stack).
  EXPECT_EQ(nameOf(map->find(tcp("198.18.0.1", 8080, "198.18.0.2", 50000))), "apache2");
  EXPECT_EQ(nameOf(map->find(tcp("2001:db8::1", 8080, "2001:db8::2", 50000))), "apache2");
  auto dns = map->find(udp("198.18.0.1", 53, "198.18.0.7", 33333));
  EXPECT_EQ(dns.kind, MatchKind::UnconnectedUdp);
  EXPECT_EQ(nameOf(dns), "dnsmasq");
  // Protocols do not mix.
  EXPECT_EQ(map->find(tcp("198.18.0.1", 53, "198.18.0.7", 33333)).kind, MatchKind::None);
}

TEST_F(ResolverTest, SpecificAddressBeatsWildcardLikeTheKernel) {
  fx.addProcess(1, "wild", "/bin/wild", {41});
  fx.addProcess(2, "specific", "/bin/specific", {42});
  fx.addSocket("udp", "0.0.0.0", 5000, "0.0.0.0", 0, kTcpClose, 41);
  fx.addSocket("udp", "127.0.0.1", 5000, "0.0.0.0", 0, kTcpClose, 42);
  auto r = make();
  r.refresh(at(0));
  auto map = r.publish();
  EXPECT_EQ(nameOf(map->find(udp("127.0.0.1", 5000, "127.0.0.1", 6000))), "specific");
  EXPECT_EQ(nameOf(map->find(udp("198.18.0.1", 5000, "198.18.0.2", 6000))), "wild");
}

TEST_F(ResolverTest, V4MappedSocketsMatchIpv4Connections) {
  fx.addProcess(7, "java", "/usr/bin/java", {51, 52});
  fx.addSocket("tcp6", "::ffff:198.18.0.1", 9000, "::ffff:198.18.0.2", 45000, kTcpEstablished, 51);
  fx.addSocket("udp6", "::ffff:198.18.0.1", 9001, "::", 0, kTcpClose, 52);
  auto r = make();
  r.refresh(at(0));
  auto map = r.publish();
  auto a = map->find(tcp("198.18.0.1", 9000, "198.18.0.2", 45000));
  EXPECT_EQ(a.kind, MatchKind::Exact);
  EXPECT_EQ(nameOf(a), "java");
  auto u = map->find(udp("198.18.0.1", 9001, "198.18.0.3", 1234));
  EXPECT_EQ(u.kind, MatchKind::UnconnectedUdp);
  EXPECT_EQ(nameOf(u), "java");
}

TEST_F(ResolverTest, ConflictingOwnersAreNeverChosenBetween) {
  // Two processes share one accepted socket (fork after accept).
  fx.addProcess(10, "parent", "/bin/srv", {61, 63});
  fx.addProcess(11, "child", "/bin/srv", {61, 64});
  fx.addSocket("tcp", "198.18.0.1", 7000, "198.18.0.2", 50000, kTcpEstablished, 61);
  // SO_REUSEPORT listeners in two processes.
  fx.addSocket("tcp", "0.0.0.0", 7001, "0.0.0.0", 0, kTcpListen, 63);
  fx.addSocket("tcp", "0.0.0.0", 7001, "0.0.0.0", 0, kTcpListen, 64);
  auto r = make();
  const auto shared = tcp("198.18.0.1", 7000, "198.18.0.2", 50000);
  const auto viaListener = tcp("198.18.0.1", 7001, "198.18.0.2", 50001);
  r.request(shared, at(0));
  r.request(viaListener, at(0));
  r.refresh(at(0));
  auto map = r.publish();
  EXPECT_EQ(map->find(shared).kind, MatchKind::Ambiguous);
  EXPECT_FALSE(map->find(shared).known());
  EXPECT_EQ(map->find(viaListener).kind, MatchKind::Ambiguous);
  EXPECT_EQ(r.counters().ambiguous, 2u);
  EXPECT_EQ(r.counters().sharedInodes, 1u);
  EXPECT_EQ(r.pendingCount(), 0u);
}

TEST_F(ResolverTest, AListenerNextToOneWithAnUnseenOwnerIsAmbiguous) {
  fx.addProcess(10, "visible", "/bin/visible", {71});
  fx.addSocket("udp", "0.0.0.0", 8000, "0.0.0.0", 0, kTcpClose, 71);
  fx.addSocket("udp", "0.0.0.0", 8000, "0.0.0.0", 0, kTcpClose, 72);  // nobody we see holds 72
  auto r = make();
  r.refresh(at(0));
  EXPECT_EQ(r.publish()->find(udp("198.18.0.1", 8000, "198.18.0.2", 1)).kind,
            MatchKind::Ambiguous);
}

TEST_F(ResolverTest, AnExactSocketWithAnUnknownOwnerIsNotGuessedFromTheListener) {
  fx.addProcess(10, "server", "/bin/server", {81});
  fx.addSocket("tcp", "0.0.0.0", 443, "0.0.0.0", 0, kTcpListen, 81);
  // Held by a process we cannot see (another pid namespace, say).
  fx.addSocket("tcp", "198.18.0.1", 443, "198.18.0.2", 50000, kTcpEstablished, 82);
  // TIME_WAIT: inode 0, no owner at all: the listener is the best answer.
  fx.addSocket("tcp", "198.18.0.1", 443, "198.18.0.3", 50000, 6, 0);
  auto r = make();
  r.refresh(at(0));
  auto map = r.publish();
  EXPECT_EQ(map->find(tcp("198.18.0.1", 443, "198.18.0.2", 50000)).kind, MatchKind::None);
  EXPECT_EQ(nameOf(map->find(tcp("198.18.0.1", 443, "198.18.0.3", 50000))), "server");
}

TEST_F(ResolverTest, RequestsAreCountedByMatchKindAndMissesAfterTheTimeout) {
  fx.addProcess(100, "curl", "/usr/bin/curl", {11});
  fx.addProcess(200, "named", "/usr/sbin/named", {12});
  fx.addSocket("tcp", "198.18.0.1", 40000, "198.18.0.2", 80, kTcpEstablished, 11);
  fx.addSocket("udp", "0.0.0.0", 53, "0.0.0.0", 0, kTcpClose, 12);
  auto r = make();
  const auto a = tcp("198.18.0.1", 40000, "198.18.0.2", 80);
  const auto b = udp("198.18.0.1", 53, "198.18.0.9", 5555);
  const auto c = udp("198.18.0.1", 9999, "198.18.0.9", 5555);
  EXPECT_TRUE(r.request(a, at(0)));
  EXPECT_TRUE(r.request(b, at(0)));
  EXPECT_TRUE(r.request(c, at(0)));
  EXPECT_TRUE(r.request(c, at(0)));  // duplicate: one lookup
  EXPECT_TRUE(r.hasNewRequests());
  r.refresh(at(10));
  EXPECT_FALSE(r.hasNewRequests());
  EXPECT_EQ(r.counters().lookups, 3u);
  EXPECT_EQ(r.counters().hits[static_cast<std::size_t>(MatchKind::Exact)], 1u);
  EXPECT_EQ(r.counters().hits[static_cast<std::size_t>(MatchKind::UnconnectedUdp)], 1u);
  EXPECT_EQ(r.counters().misses, 0u);
  EXPECT_EQ(r.pendingCount(), 1u);  // c is retried until the timeout

  r.refresh(at(1000));
  EXPECT_EQ(r.pendingCount(), 1u);
  r.refresh(at(3100));
  EXPECT_EQ(r.pendingCount(), 0u);
  EXPECT_EQ(r.counters().misses, 1u);
  EXPECT_EQ(r.counters().refreshes, 3u);
  EXPECT_EQ(r.counters().sockets, 2u);
}

TEST_F(ResolverTest, APendingConnectionResolvesWhenItsSocketAppearsLater) {
  auto r = make();
  const auto t = tcp("198.18.0.1", 40000, "198.18.0.2", 80);
  r.request(t, at(0));
  r.refresh(at(0));
  EXPECT_FALSE(r.publish()->find(t).known());
  fx.addProcess(300, "late", "/bin/late", {91});
  fx.addSocket("tcp", "198.18.0.1", 40000, "198.18.0.2", 80, kTcpEstablished, 91);
  r.refresh(at(500));
  EXPECT_EQ(nameOf(r.publish()->find(t)), "late");
  EXPECT_EQ(r.counters().hits[static_cast<std::size_t>(MatchKind::Exact)], 1u);
}

TEST_F(ResolverTest, AProcessThatExitsKeepsItsNameOnItsConnections) {
  fx.addProcess(100, "short-lived", "/bin/short-lived", {11});
  fx.addProcess(200, "listener", "/bin/listener", {12});
  fx.addSocket("tcp", "198.18.0.1", 40000, "198.18.0.2", 80, kTcpEstablished, 11);
  fx.addSocket("udp", "0.0.0.0", 6000, "0.0.0.0", 0, kTcpClose, 12);
  auto r = make();
  const auto t = tcp("198.18.0.1", 40000, "198.18.0.2", 80);
  const auto u = udp("198.18.0.1", 6000, "198.18.0.2", 7000);
  r.request(t, at(0));
  r.request(u, at(0));
  r.refresh(at(0));
  auto before = r.publish();

  fx.clearSockets();
  fx.removeProcess(100);
  fx.removeProcess(200);
  r.refresh(at(1000));
  auto after = r.publish();
  EXPECT_EQ(nameOf(after->find(t)), "short-lived");
  EXPECT_EQ(after->find(t).kind, MatchKind::Exact);  // how it was matched at the time
  EXPECT_EQ(nameOf(after->find(u)), "listener");
  EXPECT_EQ(after->find(u).kind, MatchKind::UnconnectedUdp);
  // Unrequested tuples are not cached: only live state answers for them.
  EXPECT_EQ(after->find(udp("198.18.0.1", 6000, "198.18.0.3", 7000)).kind, MatchKind::None);
  // The older version is unchanged (immutable).
  EXPECT_EQ(nameOf(before->find(udp("198.18.0.1", 6000, "198.18.0.3", 7000))), "listener");

  // Forgotten (the connection ended): its closing event, written a moment later, still names
  // the process; after forgetDelay nothing is left.
  r.forget(t, at(1000));
  EXPECT_EQ(nameOf(r.publish()->find(t)), "short-lived");
  r.refresh(at(1000) + AttributionConfig{}.forgetDelay);
  EXPECT_EQ(r.publish()->find(t).kind, MatchKind::None);
  EXPECT_EQ(nameOf(r.publish()->find(u)), "listener");
}

TEST_F(ResolverTest, AForgottenResultOutlivesRefreshesUntilForgetDelay) {
  fx.addProcess(100, "gone", "/bin/gone", {11});
  fx.addSocket("tcp", "198.18.0.1", 40000, "198.18.0.2", 80, kTcpEstablished, 11);
  AttributionConfig cfg;
  cfg.procRoot = fx.root();
  cfg.backend = SocketBackend::Procfs;
  cfg.forgetDelay = core::Duration::millis(500);
  Resolver r(cfg);
  const auto t = tcp("198.18.0.1", 40000, "198.18.0.2", 80);
  r.request(t, at(0));
  r.refresh(at(0));
  fx.clearSockets();
  fx.removeProcess(100);

  // The worker forgets the connection as it ends; other connections' lookups then refresh
  // and publish before the front end writes the closing event.
  r.forget(t, at(100));
  r.request(tcp("198.18.0.1", 40001, "198.18.0.2", 80), at(120));
  r.refresh(at(120));
  EXPECT_EQ(nameOf(r.publish()->find(t)), "gone");
  r.refresh(at(599));
  EXPECT_EQ(nameOf(r.publish()->find(t)), "gone");
  r.refresh(at(600));
  EXPECT_EQ(r.publish()->find(t).kind, MatchKind::None);
  EXPECT_EQ(r.counters().cachedResults, 0u);
}

TEST_F(ResolverTest, ATupleRequestedAgainAfterForgetDoesNotInheritTheOldResult) {
  fx.addProcess(100, "old", "/bin/old", {11});
  fx.addSocket("udp", "198.18.0.1", 5353, "198.18.0.2", 53, kTcpEstablished, 11);
  auto r = make();
  const auto u = udp("198.18.0.1", 5353, "198.18.0.2", 53);
  r.request(u, at(0));
  r.refresh(at(0));
  fx.clearSockets();
  fx.removeProcess(100);
  r.forget(u, at(100));
  // The same tuple starts again (a new flow) before the delay ran out: no owner yet.
  r.request(u, at(200));
  r.refresh(at(200));
  EXPECT_EQ(r.publish()->find(u).kind, MatchKind::None);
  // Its own owner appears; the old forget, once due, leaves the new result alone.
  fx.addProcess(200, "new", "/bin/new", {12});
  fx.addSocket("udp", "198.18.0.1", 5353, "198.18.0.2", 53, kTcpEstablished, 12);
  r.refresh(at(300));
  EXPECT_EQ(nameOf(r.publish()->find(u)), "new");
  fx.clearSockets();
  r.refresh(at(100) + AttributionConfig{}.forgetDelay);
  EXPECT_EQ(nameOf(r.publish()->find(u)), "new");
}

TEST_F(ResolverTest, ZeroForgetDelayForgetsAtOnce) {
  fx.addProcess(100, "app", "/bin/app", {11});
  fx.addSocket("tcp", "198.18.0.1", 40000, "198.18.0.2", 80, kTcpEstablished, 11);
  AttributionConfig cfg;
  cfg.procRoot = fx.root();
  cfg.backend = SocketBackend::Procfs;
  cfg.forgetDelay = core::Duration{};
  Resolver r(cfg);
  const auto t = tcp("198.18.0.1", 40000, "198.18.0.2", 80);
  r.request(t, at(0));
  r.refresh(at(0));
  fx.clearSockets();
  fx.removeProcess(100);
  r.refresh(at(10));
  EXPECT_EQ(nameOf(r.publish()->find(t)), "app");
  r.forget(t, at(10));
  EXPECT_EQ(r.publish()->find(t).kind, MatchKind::None);
}

TEST_F(ResolverTest, CachedResultsSurviveRebuildsAndExpireAfterRetention) {
  fx.addProcess(100, "app", "/bin/app", {11});
  fx.addSocket("tcp", "198.18.0.1", 40000, "198.18.0.2", 80, kTcpEstablished, 11);
  AttributionConfig cfg;
  cfg.procRoot = fx.root();
  cfg.backend = SocketBackend::Procfs;
  cfg.cacheRetention = core::Duration::seconds(60);
  Resolver r(cfg);
  const auto t = tcp("198.18.0.1", 40000, "198.18.0.2", 80);
  r.request(t, at(0));
  r.refresh(at(0));
  fx.clearSockets();
  fx.removeProcess(100);
  r.refresh(at(20'000));  // maintenance rebuilds the base: still there
  EXPECT_EQ(nameOf(r.publish()->find(t)), "app");
  EXPECT_EQ(r.counters().cachedResults, 1u);
  r.refresh(at(61'000));
  EXPECT_EQ(r.publish()->find(t).kind, MatchKind::None);
  EXPECT_EQ(r.counters().cachedResults, 0u);
}

TEST_F(ResolverTest, CacheIsCappedAndEvictionsCounted) {
  AttributionConfig cfg;
  cfg.procRoot = fx.root();
  cfg.backend = SocketBackend::Procfs;
  cfg.maxCachedResults = 16;
  std::vector<std::uint64_t> inodes;
  for (std::uint64_t i = 0; i < 40; ++i) inodes.push_back(1000 + i);
  fx.addProcess(100, "many", "/bin/many", inodes);
  for (std::uint16_t i = 0; i < 40; ++i)
    fx.addSocket("tcp", "198.18.0.1", static_cast<std::uint16_t>(30000 + i), "198.18.0.2", 80,
                 kTcpEstablished, 1000 + i);
  Resolver r(cfg);
  for (std::uint16_t i = 0; i < 40; ++i)
    r.request(tcp("198.18.0.1", static_cast<std::uint16_t>(30000 + i), "198.18.0.2", 80), at(0));
  r.refresh(at(0));
  EXPECT_LE(r.publish()->counters().cachedResults, 16u);
  EXPECT_GT(r.counters().cacheEvictions, 0u);
  EXPECT_EQ(r.counters().hits[static_cast<std::size_t>(MatchKind::Exact)], 40u);
}

TEST_F(ResolverTest, ASocketSwappedWithoutChangingTheFdCountIsFoundByTheFullRescan) {
  fx.addProcess(100, "swapper", "/bin/swapper", {11});
  fx.addSocket("tcp", "198.18.0.1", 40000, "198.18.0.2", 80, kTcpEstablished, 11);
  AttributionConfig cfg;
  cfg.procRoot = fx.root();
  cfg.backend = SocketBackend::Procfs;
  cfg.fullScanEvery = 0;  // only the on-demand full scan
  Resolver r(cfg);
  r.refresh(at(0));
  const auto fullBefore = r.counters().fullScans;
  // Same fd number, new socket; on a real procfs the fd count (dir size) stays the same. On
  // tmpfs the directory's mtime changes, so make the signature look unchanged by restoring it.
  const auto fdDir = fx.root() / "100" / "fd";
  const auto mtime = std::filesystem::last_write_time(fdDir);
  fx.removeFd(100, 3);
  fx.addFd(100, 3, 12);
  std::filesystem::last_write_time(fdDir, mtime);
  fx.clearSockets();
  fx.addSocket("tcp", "198.18.0.1", 40001, "198.18.0.2", 80, kTcpEstablished, 12);
  const auto t = tcp("198.18.0.1", 40001, "198.18.0.2", 80);
  r.request(t, at(2000));
  r.refresh(at(2000));
  EXPECT_EQ(r.counters().fullScans, fullBefore + 1);
  EXPECT_EQ(nameOf(r.publish()->find(t)), "swapper");
}

}  // namespace
}  // namespace rustnet::process
