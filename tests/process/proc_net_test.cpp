#include <gtest/gtest.h>

#include "proc_fixture.h"
#include "process/socket_source.h"

namespace rustnet::process {
namespace {

using test::ProcFixture;

core::IpAddr ip(const char* s) { return *core::IpAddr::parse(s); }

TEST(ProcNetLine, ParsesAnIpv4TcpLine) {
  SocketRecord r;
  ASSERT_TRUE(parseProcNetLine(
      "   3: 0100007F:1F90 0200007F:C350 01 00000000:00000000 00:00000000 00000000  1000  0 4242 "
      "1 0000000000000000 20 4 30 10 -1",
      core::proto::kTcp, false, r));
  EXPECT_EQ(r.tuple.local.addr, ip("127.0.0.1"));
  EXPECT_EQ(r.tuple.local.port, 8080);
  EXPECT_EQ(r.tuple.remote.addr, ip("127.0.0.2"));
  EXPECT_EQ(r.tuple.remote.port, 50000);
  EXPECT_EQ(r.state, kTcpEstablished);
  EXPECT_EQ(r.uid, 1000u);
  EXPECT_EQ(r.inode, 4242u);
  EXPECT_FALSE(r.listening);
  EXPECT_EQ(r.tuple.proto, core::proto::kTcp);
}

TEST(ProcNetLine, RejectsHeaderAndTruncatedLines) {
  SocketRecord r;
  EXPECT_FALSE(parseProcNetLine("  sl  local_address rem_address   st tx_queue rx_queue tr "
                                "tm->when retrnsmt   uid  timeout inode",
                                core::proto::kTcp, false, r));
  EXPECT_FALSE(parseProcNetLine("   0: 0100007F:1F90 00000000:0000 0A", core::proto::kTcp, false, r));
  EXPECT_FALSE(parseProcNetLine("", core::proto::kTcp, false, r));
  // An IPv4 address in a v6 table has the wrong width.
  EXPECT_FALSE(parseProcNetLine("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 "
                                "00:00000000 00000000 0 0 7 1",
                                core::proto::kTcp, true, r));
}

TEST(ProcNetSource, ReadsAllFourTablesWithV6AndV4MappedAddresses) {
  ProcFixture fx;
  fx.addSocket("tcp", "0.0.0.0", 22, "0.0.0.0", 0, kTcpListen, 100);
  fx.addSocket("tcp6", "2001:db8::1", 443, "2001:db8::2", 51000, kTcpEstablished, 101);
  fx.addSocket("tcp6", "::ffff:192.0.2.1", 80, "::ffff:198.51.100.7", 40000, kTcpEstablished, 102);
  fx.addSocket("udp", "0.0.0.0", 53, "0.0.0.0", 0, kTcpClose, 103);
  fx.addSocket("udp6", "::", 5353, "::", 0, kTcpClose, 104);

  ProcNetSource src(fx.root());
  std::vector<SocketRecord> out;
  auto res = src.dump(out);
  ASSERT_TRUE(res.ok) << res.error;
  ASSERT_EQ(out.size(), 5u);
  // Table order: tcp, tcp6, udp, udp6.
  EXPECT_TRUE(out[0].listening);
  EXPECT_EQ(out[0].tuple.local.port, 22);
  EXPECT_EQ(out[1].tuple.local.addr, ip("2001:db8::1"));
  EXPECT_FALSE(out[1].tuple.local.addr.isV4());
  // A dual-stack socket's v4-mapped addresses come out as plain IPv4, as packets carry them.
  EXPECT_TRUE(out[2].tuple.local.addr.isV4());
  EXPECT_EQ(out[2].tuple.local.addr, ip("192.0.2.1"));
  EXPECT_EQ(out[2].tuple.remote.addr, ip("198.51.100.7"));
  EXPECT_EQ(out[3].tuple.proto, core::proto::kUdp);
  EXPECT_TRUE(out[3].listening);
  EXPECT_TRUE(out[4].listening);
  EXPECT_TRUE(out[4].dualStack);
  EXPECT_FALSE(out[4].tuple.local.addr.isV4());
}

TEST(ProcNetSource, FailsWithAReasonWhenNoTableExists) {
  ProcNetSource src("/nonexistent-rustnet-proc");
  std::vector<SocketRecord> out;
  auto res = src.dump(out);
  EXPECT_FALSE(res.ok);
  EXPECT_NE(res.error.find("no readable socket table"), std::string::npos);
}

TEST(SocketTuple, CanonicalisesV4MappedAddresses) {
  auto mapped = core::IpAddr::v6Bytes(ip("::ffff:10.1.2.3").bytes());  // raw mapped bytes
  ASSERT_FALSE(mapped.isV4());
  auto t = SocketTuple::make(core::proto::kTcp, {mapped, 1}, {ip("10.0.0.9"), 2});
  EXPECT_TRUE(t.local.addr.isV4());
  EXPECT_EQ(t.local.addr, ip("10.1.2.3"));
  EXPECT_EQ(t, SocketTuple::make(core::proto::kTcp, {ip("10.1.2.3"), 1}, {ip("10.0.0.9"), 2}));
  EXPECT_NE(t.hash(), t.reversed().hash());
}

TEST(SocketTuple, FromFlowOrientsByLocalSide) {
  bool srcIsA = false;
  auto key = core::FlowKey::make(core::proto::kUdp, {ip("10.0.0.2"), 5000}, {ip("10.0.0.1"), 53},
                                 srcIsA);
  // The sender (10.0.0.2:5000) is local.
  auto t = SocketTuple::fromFlow(key, srcIsA);
  EXPECT_EQ(t.local.port, 5000);
  EXPECT_EQ(t.remote.port, 53);
  auto u = SocketTuple::fromFlow(key, !srcIsA);
  EXPECT_EQ(u.local.port, 53);
}

}  // namespace
}  // namespace rustnet::process
