// What this host can capture on, and which addresses are its own.
#include <ifaddrs.h>
#include <netinet/in.h>
#include <pcap.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "capture/pcap_source.h"

namespace rustnet::capture {
namespace {

// sockaddr_in/sockaddr_in6 are read with memcpy: the pointers come from C libraries and
// nothing guarantees the alignment a cast would assume.
std::optional<core::IpAddr> toIpAddr(const sockaddr* sa) {
  if (sa == nullptr) return std::nullopt;
  if (sa->sa_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, sa, sizeof in);
    std::array<std::uint8_t, 4> b{};
    std::memcpy(b.data(), &in.sin_addr, b.size());
    return core::IpAddr::v4Bytes(b);
  }
  if (sa->sa_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, sa, sizeof in6);
    std::array<std::uint8_t, 16> b{};
    std::memcpy(b.data(), &in6.sin6_addr, b.size());
    return core::IpAddr::v6Bytes(b);
  }
  return std::nullopt;
}

struct AllDevsFree {
  void operator()(pcap_if_t* p) const { pcap_freealldevs(p); }
};
struct IfAddrsFree {
  void operator()(ifaddrs* p) const { freeifaddrs(p); }
};

}  // namespace

std::vector<InterfaceInfo> listInterfaces() {
  std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
  pcap_if_t* raw = nullptr;
  if (pcap_findalldevs(&raw, errbuf.data()) != 0) {
    throw CaptureError("cannot list network interfaces: " + detail::cleanPcapMessage(errbuf.data()));
  }
  const std::unique_ptr<pcap_if_t, AllDevsFree> devs(raw);
  std::vector<InterfaceInfo> out;
  for (const pcap_if_t* d = devs.get(); d != nullptr; d = d->next) {
    InterfaceInfo info;
    info.name = d->name != nullptr ? d->name : "";
    info.description = d->description != nullptr ? d->description : "";
    info.up = (d->flags & PCAP_IF_UP) != 0;
    info.running = (d->flags & PCAP_IF_RUNNING) != 0;
    info.loopback = (d->flags & PCAP_IF_LOOPBACK) != 0;
    for (const pcap_addr_t* a = d->addresses; a != nullptr; a = a->next) {
      if (auto ip = toIpAddr(a->addr)) info.addresses.push_back(*ip);
    }
    out.push_back(std::move(info));
  }
  return out;
}

std::string defaultInterface() {
  // libpcap already orders the list with connected, running interfaces first.
  for (const InterfaceInfo& i : listInterfaces()) {
    if (i.up && !i.loopback && !i.addresses.empty()) return i.name;
  }
  return {};
}

std::vector<core::IpAddr> hostAddresses() {
  ifaddrs* raw = nullptr;
  if (getifaddrs(&raw) != 0) {
    throw CaptureError(std::string("cannot read this host's addresses: ") + std::strerror(errno));
  }
  const std::unique_ptr<ifaddrs, IfAddrsFree> list(raw);
  std::vector<core::IpAddr> out;
  for (const ifaddrs* i = list.get(); i != nullptr; i = i->ifa_next) {
    if (auto ip = toIpAddr(i->ifa_addr)) out.push_back(*ip);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace rustnet::capture
