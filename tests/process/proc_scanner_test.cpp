#include <gtest/gtest.h>

#include "proc_fixture.h"
#include "process/proc_scanner.h"

namespace rustnet::process {
namespace {

using test::ProcFixture;

TEST(ProcessName, UsesCommWhenItWasNotTruncated) {
  EXPECT_EQ(processName("curl", "/usr/bin/curl", ""), "curl");
  // Short comm that differs from the executable (a renamed thread, prctl): comm wins.
  EXPECT_EQ(processName("worker", "/usr/bin/python3.11", "python3"), "worker");
}

TEST(ProcessName, ExtendsA15CharacterCommFromTheExecutable) {
  EXPECT_EQ(processName("systemd-resolve", "/usr/lib/systemd/systemd-resolved", ""),
            "systemd-resolved");
  EXPECT_EQ(processName("very-long-daemo", "/opt/x/very-long-daemon-name (deleted)", ""),
            "very-long-daemon-name");
}

TEST(ProcessName, FallsBackToArgv0AndNeverToAnUnrelatedName) {
  EXPECT_EQ(processName("my-fancy-script", "/usr/bin/python3.11", "/home/u/my-fancy-script.py"),
            "my-fancy-script.py");
  EXPECT_EQ(processName("abcdefghijklmno", "/usr/bin/zzz", "/bin/yyy"), "abcdefghijklmno");
}

TEST(ProcScanner, MapsSocketInodesToTheirProcess) {
  ProcFixture fx;
  fx.addProcess(100, "nginx", "/usr/sbin/nginx", {5001, 5002});
  fx.addProcess(200, "curl", "/usr/bin/curl", {6001});
  fx.addProcess(300, "bash", "/usr/bin/bash", {});  // no sockets

  ProcScanner sc(fx.root());
  auto st = sc.scan(false);
  EXPECT_EQ(st.pidsListed, 3u);
  EXPECT_EQ(st.pidsRescanned, 3u);
  EXPECT_EQ(sc.owners(5002).pid, 100);
  EXPECT_EQ(sc.owners(5002).count, 1u);
  EXPECT_EQ(sc.owners(6001).pid, 200);
  EXPECT_EQ(sc.owners(9999).count, 0u);
  ASSERT_NE(sc.process(100), nullptr);
  EXPECT_EQ(sc.process(100)->name, "nginx");
  EXPECT_EQ(sc.process(100)->executable, "/usr/sbin/nginx");
  EXPECT_EQ(sc.process(300), nullptr);  // names are read only for socket owners
}

TEST(ProcScanner, ExtendsTruncatedCommOfAFixtureProcess) {
  ProcFixture fx;
  fx.addProcess(42, "systemd-resolve", "/lib/systemd/systemd-resolved", {77});
  fx.addProcess(43, "some-long-pytho", "/usr/bin/python3", {78}, std::string("/srv/some-long-python-tool\0--x", 30));
  ProcScanner sc(fx.root());
  sc.scan(false);
  EXPECT_EQ(sc.process(42)->name, "systemd-resolved");
  EXPECT_EQ(sc.process(43)->name, "some-long-python-tool");
}

TEST(ProcScanner, CountsEveryPidHoldingASharedInode) {
  ProcFixture fx;
  fx.addProcess(10, "server", "/usr/bin/server", {900});
  fx.addProcess(11, "server", "/usr/bin/server", {900, 901});  // forked child, inherited 900
  ProcScanner sc(fx.root());
  sc.scan(false);
  EXPECT_EQ(sc.owners(900).count, 2u);
  EXPECT_EQ(sc.owners(901).count, 1u);
  EXPECT_EQ(sc.sharedInodeCount(), 1u);
}

TEST(ProcScanner, RescansOnlyNewOrChangedProcesses) {
  ProcFixture fx;
  for (int pid = 1000; pid < 1010; ++pid)
    fx.addProcess(pid, "p" + std::to_string(pid), "/bin/p", {std::uint64_t(pid) * 10});
  ProcScanner sc(fx.root());
  EXPECT_EQ(sc.scan(false).pidsRescanned, 10u);
  EXPECT_EQ(sc.scan(false).pidsRescanned, 0u);

  fx.addFd(1003, 9, 77777);  // a new socket in one process
  fx.addProcess(2000, "new", "/bin/new", {88888});
  auto st = sc.scan(false);
  EXPECT_EQ(st.pidsRescanned, 2u);
  EXPECT_EQ(sc.owners(77777).pid, 1003);
  EXPECT_EQ(sc.owners(88888).pid, 2000);

  fx.removeProcess(1005);  // exited: its sockets are released
  sc.scan(false);
  EXPECT_EQ(sc.owners(10050).count, 0u);
  EXPECT_EQ(sc.process(1005), nullptr);

  // A full scan reads everything again.
  EXPECT_EQ(sc.scan(true).pidsRescanned, 10u);
}

TEST(ProcScanner, PidReuseByAnotherProgramIsNoticed) {
  ProcFixture fx;
  fx.addProcess(500, "old", "/bin/old", {1});
  ProcScanner sc(fx.root());
  sc.scan(false);
  EXPECT_EQ(sc.process(500)->name, "old");
  fx.removeProcess(500);
  fx.addProcess(500, "new", "/bin/new", {2});
  sc.scan(false);
  EXPECT_EQ(sc.owners(1).count, 0u);
  EXPECT_EQ(sc.owners(2).pid, 500);
  EXPECT_EQ(sc.process(500)->name, "new");
}

TEST(ProcScanner, AProcessThatVanishesMidScanLeavesNothingBehind) {
  ProcFixture fx;
  fx.addProcess(30, "stays", "/bin/stays", {3000});
  fx.addProcess(31, "leaves", "/bin/leaves", {3100});
  fx.addProcess(32, "stays2", "/bin/stays2", {3200});
  ProcScanner sc(fx.root());
  // Listed by readdir, gone by the time its fd table is read.
  sc.setBeforeReadHook([&](std::int32_t pid) {
    if (pid == 31) fx.removeProcess(31);
  });
  auto st = sc.scan(false);
  EXPECT_EQ(st.pidsVanished, 1u);
  EXPECT_EQ(sc.owners(3100).count, 0u);
  EXPECT_EQ(sc.process(31), nullptr);
  EXPECT_EQ(sc.owners(3000).pid, 30);
  EXPECT_EQ(sc.owners(3200).pid, 32);
  EXPECT_EQ(sc.processCount(), 2u);
}

TEST(ProcScanner, AProcessWhoseCommVanishesAfterItsFdsWereReadIsDropped) {
  ProcFixture fx;
  fx.addProcess(40, "gone", "/bin/gone", {4000});
  // Only the comm file disappears: the fds are read, then the name cannot be, which is what
  // an exit between the two reads looks like.
  std::filesystem::remove(fx.root() / "40" / "comm");
  ProcScanner sc(fx.root());
  auto st = sc.scan(false);
  EXPECT_EQ(st.pidsVanished, 1u);
  EXPECT_EQ(sc.owners(4000).count, 0u);
  EXPECT_EQ(sc.processCount(), 0u);
}

TEST(ProcScanner, AnExitedProcessDoesNotLeaveItsOldInodesWhenItWasKnown) {
  ProcFixture fx;
  fx.addProcess(50, "a", "/bin/a", {5000});
  ProcScanner sc(fx.root());
  sc.scan(false);
  ASSERT_EQ(sc.owners(5000).pid, 50);
  sc.setBeforeReadHook([&](std::int32_t pid) {
    if (pid == 50) fx.removeProcess(50);
  });
  auto st = sc.scan(true);
  EXPECT_EQ(st.pidsVanished, 1u);
  EXPECT_EQ(sc.owners(5000).count, 0u);
}

}  // namespace
}  // namespace rustnet::process
