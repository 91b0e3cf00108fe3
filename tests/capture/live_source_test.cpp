// Live capture on loopback (root only), the errors a user meets when opening an interface,
// and the interface/address listings.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <thread>

#include "capture/source.h"
#include "capture_test_util.h"
#include "core/time.h"

namespace rustnet::capture {
namespace {

constexpr int kDatagrams = 20;
constexpr std::size_t kEthIpUdp = 14 + 20 + 8;

// A UDP socket bound to 127.0.0.1 on a free port: the destination of our datagrams, so the
// kernel answers nothing (no ICMP unreachable) and the port is not someone else's.
class UdpReceiver {
public:
  UdpReceiver() {
    fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      ADD_FAILURE() << "cannot bind a UDP socket on 127.0.0.1";
      return;
    }
    port_ = ntohs(a.sin_port);
  }
  ~UdpReceiver() {
    if (fd_ >= 0) close(fd_);
  }
  UdpReceiver(const UdpReceiver&) = delete;
  UdpReceiver& operator=(const UdpReceiver&) = delete;
  [[nodiscard]] std::uint16_t port() const { return port_; }

private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// Sends datagrams with payloads of 10, 11, ... bytes to 127.0.0.1:port.
void sendDatagrams(std::uint16_t port, int count) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  to.sin_port = htons(port);
  std::array<char, 64> payload{};
  for (int i = 0; i < count; ++i) {
    const auto n = static_cast<std::size_t>(10 + i);
    EXPECT_EQ(sendto(fd, payload.data(), n, 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
                     static_cast<ssize_t>(n));
  }
  close(fd);
}

// Dispatches until `want` frames arrived or a generous deadline passed (a bound against
// hanging, not a timing assertion).
test::RecordingSink collect(Source& src, std::size_t want) {
  test::RecordingSink sink;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (sink.frames.size() < want && std::chrono::steady_clock::now() < deadline) {
    const ReadStatus s = src.dispatch(64, sink);
    if (s != ReadStatus::Ok) {
      ADD_FAILURE() << "dispatch ended: " << static_cast<int>(s) << " " << src.lastError();
      break;
    }
  }
  return sink;
}

bool isRoot() { return geteuid() == 0; }

TEST(LiveSource, LoopbackDeliversEveryDatagram) {
  if (!isRoot()) GTEST_SKIP() << "live capture needs root (CAP_NET_RAW)";
  UdpReceiver rx;
  LiveOptions o;
  o.interface = "lo";
  o.bpfFilter = "udp and dst host 127.0.0.1 and dst port " + std::to_string(rx.port());
  auto src = openLive(o);
  EXPECT_TRUE(src->isLive());
  EXPECT_EQ(src->name(), "lo");
  EXPECT_EQ(src->linkType(), decode::LinkType::Ethernet);

  const core::Timestamp before = core::SystemClock().now();
  sendDatagrams(rx.port(), kDatagrams);
  const core::Timestamp after = core::SystemClock().now();
  const auto sink = collect(*src, kDatagrams);

  ASSERT_EQ(sink.frames.size(), static_cast<std::size_t>(kDatagrams));
  for (int i = 0; i < kDatagrams; ++i) {
    const auto& f = sink.frames[static_cast<std::size_t>(i)];
    EXPECT_EQ(f.wireLen, kEthIpUdp + 10 + static_cast<std::size_t>(i));
    EXPECT_EQ(f.data.size(), f.wireLen);
    // Kernel timestamps come from the same clock; a second of slack for coarse clocks.
    EXPECT_GE(f.ts, before - core::Duration::seconds(1));
    EXPECT_LE(f.ts, after + core::Duration::seconds(1));
  }
  const CaptureStats st = src->stats();
  EXPECT_EQ(st.received, static_cast<std::uint64_t>(kDatagrams));
  EXPECT_GE(st.kernelReceived, static_cast<std::uint64_t>(kDatagrams));
  EXPECT_EQ(st.kernelDropped, 0U);
}

TEST(LiveSource, AnyInterfaceUsesLinuxCookedFrames) {
  if (!isRoot()) GTEST_SKIP() << "live capture needs root (CAP_NET_RAW)";
  UdpReceiver rx;
  LiveOptions o;
  o.interface = "any";
  o.bpfFilter = "udp and dst port " + std::to_string(rx.port());
  auto src = openLive(o);
  EXPECT_EQ(src->linkType(), decode::LinkType::LinuxSll);
  sendDatagrams(rx.port(), 1);
  const auto sink = collect(*src, 1);
  ASSERT_GE(sink.frames.size(), 1U);
  EXPECT_EQ(sink.frames[0].wireLen, 16 + 20 + 8 + 10U);
}

TEST(LiveSource, BreakLoopFromAnotherThreadStopsAnIdleDispatch) {
  if (!isRoot()) GTEST_SKIP() << "live capture needs root (CAP_NET_RAW)";
  UdpReceiver rx;  // nothing is sent there, so dispatch would wait for its timeout
  LiveOptions o;
  o.interface = "lo";
  o.timeoutMs = 2000;
  o.bpfFilter = "udp and dst port " + std::to_string(rx.port());
  auto src = openLive(o);
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    src->breakLoop();
  });
  test::RecordingSink sink;
  ReadStatus s = ReadStatus::Ok;
  for (int i = 0; i < 20 && s == ReadStatus::Ok; ++i) s = src->dispatch(64, sink);
  stopper.join();
  EXPECT_EQ(s, ReadStatus::Stopped);
  EXPECT_EQ(src->dispatch(64, sink), ReadStatus::Stopped);
}

std::string liveError(const LiveOptions& o) {
  try {
    openLive(o);
  } catch (const CaptureError& e) {
    return e.what();
  }
  return {};
}

TEST(LiveSource, UnknownInterfaceListsTheAvailableOnes) {
  LiveOptions o;
  o.interface = "rustnet-nope0";
  const std::string e = liveError(o);
  EXPECT_EQ(e.rfind("no interface named 'rustnet-nope0'; available: ", 0), 0U) << e;
  EXPECT_NE(e.find("lo"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos);
}

TEST(LiveSource, BadFilterQuotesTheExpression) {
  if (!isRoot()) GTEST_SKIP() << "opening an interface needs root (CAP_NET_RAW)";
  LiveOptions o;
  o.interface = "lo";
  o.bpfFilter = "tcp port http-ish";
  const std::string e = liveError(o);
  EXPECT_EQ(e.rfind("bad capture filter 'tcp port http-ish': ", 0), 0U) << e;
}

TEST(LiveSource, DownInterfaceSaysSo) {
  if (!isRoot()) GTEST_SKIP() << "opening an interface needs root (CAP_NET_RAW)";
  std::string down;
  for (const InterfaceInfo& i : listInterfaces()) {
    if (!i.up && i.name != "any" && i.name.find("usbmon") == std::string::npos &&
        i.name.find("bluetooth") == std::string::npos && i.name.find("dbus") == std::string::npos &&
        i.name.find("nf") != 0) {
      down = i.name;
      break;
    }
  }
  if (down.empty()) GTEST_SKIP() << "no interface is down on this machine";
  LiveOptions o;
  o.interface = down;
  const std::string e = liveError(o);
  EXPECT_EQ(e, "interface '" + down + "' is down; bring it up with `sudo ip link set " + down +
                   " up` or choose another interface");
}

std::string openErrorFor(const char* iface) {
  LiveOptions o;
  o.interface = iface;
  const std::string e = liveError(o);
  return e.empty() ? "opened" : e;
}

TEST(LiveSource, UnprivilegedUserIsToldHowToGrantCapabilities) {
  if (!isRoot()) GTEST_SKIP() << "needs root to switch to user nobody";
  const std::string e = test::runAsNobody([] { return openErrorFor("lo"); });
  EXPECT_EQ(e.rfind("capturing on 'lo' needs the CAP_NET_RAW and CAP_NET_ADMIN capabilities: ", 0),
            0U)
      << e;
  EXPECT_NE(e.find("run with sudo"), std::string::npos) << e;
  EXPECT_NE(e.find("`sudo setcap cap_net_raw,cap_net_admin=eip /"), std::string::npos) << e;
}

TEST(LiveSource, UnprivilegedUserWithATypoHearsAboutTheTypo) {
  if (!isRoot()) GTEST_SKIP() << "needs root to switch to user nobody";
  const std::string e = test::runAsNobody([] { return openErrorFor("rustnet-nope0"); });
  EXPECT_EQ(e.rfind("no interface named 'rustnet-nope0'; available: ", 0), 0U) << e;
}

// --- listings ----------------------------------------------------------------------

TEST(Interfaces, LoopbackIsListedWithItsAddress) {
  const auto all = listInterfaces();
  const auto lo = std::find_if(all.begin(), all.end(), [](const InterfaceInfo& i) { return i.name == "lo"; });
  ASSERT_NE(lo, all.end());
  EXPECT_TRUE(lo->loopback);
  EXPECT_TRUE(lo->up);
  EXPECT_NE(std::find(lo->addresses.begin(), lo->addresses.end(), core::IpAddr::v4(0x7f000001)),
            lo->addresses.end());
}

TEST(Interfaces, DefaultIsUpNotLoopbackAndAddressed) {
  const std::string name = defaultInterface();
  if (name.empty()) GTEST_SKIP() << "this machine has no usable non-loopback interface";
  const auto all = listInterfaces();
  const auto it = std::find_if(all.begin(), all.end(), [&](const InterfaceInfo& i) { return i.name == name; });
  ASSERT_NE(it, all.end());
  EXPECT_TRUE(it->up);
  EXPECT_FALSE(it->loopback);
  EXPECT_FALSE(it->addresses.empty());
}

TEST(Interfaces, HostAddressesIncludeLoopbackAndAreUnique) {
  const auto addrs = hostAddresses();
  EXPECT_NE(std::find(addrs.begin(), addrs.end(), core::IpAddr::v4(0x7f000001)), addrs.end());
  EXPECT_TRUE(std::is_sorted(addrs.begin(), addrs.end()));
  EXPECT_EQ(std::adjacent_find(addrs.begin(), addrs.end()), addrs.end());
  // Every address of every listed interface belongs to the host.
  for (const InterfaceInfo& i : listInterfaces()) {
    for (const core::IpAddr& a : i.addresses) {
      EXPECT_TRUE(std::binary_search(addrs.begin(), addrs.end(), a)) << i.name << " " << a.toString();
    }
  }
}

}  // namespace
}  // namespace rustnet::capture
