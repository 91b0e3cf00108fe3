// Live capture: one pcap handle configured before activation (block delivery, a large
// kernel ring, nanosecond timestamps where the kernel gives them), and every way opening
// can fail turned into one line that says what to do about it.
#include <pcap.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <cstring>
#include <string_view>
#include <utility>

#include "capture/pcap_source.h"
#include "core/text.h"

namespace rustnet::capture {
namespace {

using detail::quoted;

// When the kernel cannot give us the requested ring, retry with a quarter of it down to
// this size before giving up.
constexpr int kMinBufferBytes = 2 << 20;

std::string availableInterfaces() {
  try {
    std::string out;
    for (const InterfaceInfo& i : listInterfaces()) {
      if (!out.empty()) out += ", ";
      out += core::escapeControl(i.name);
    }
    return out.empty() ? "none" : out;
  } catch (const CaptureError& e) {
    return std::string("unknown (") + e.what() + ")";
  }
}

bool interfaceExists(const std::string& name) {
  try {
    const auto all = listInterfaces();
    return std::any_of(all.begin(), all.end(), [&](const InterfaceInfo& i) { return i.name == name; });
  } catch (const CaptureError&) {
    return true;  // cannot tell; let the original error speak
  }
}

std::string selfPath() {
  std::array<char, PATH_MAX> buf{};
  const ssize_t n = readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  if (n <= 0) return "rustnet";
  std::string path = core::escapeControl(std::string_view(buf.data(), static_cast<std::size_t>(n)));
  // Quoted for the shell when it holds anything beyond the usual path characters.
  const bool plain = std::all_of(path.begin(), path.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || std::strchr("/._+-", c) != nullptr;
  });
  if (plain) return path;
  std::string shell = "'";
  for (const char c : path) shell += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return shell + "'";
}

bool contains(std::string_view text, std::string_view what) {
  return text.find(what) != std::string_view::npos;
}

struct Attempt {
  detail::PcapHandle handle;
  int status = 0;
  std::string message;  // libpcap's text for errors and warnings
};

Attempt activate(const std::string& iface, const LiveOptions& o, int bufferBytes) {
  Attempt a;
  std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
  a.handle.reset(pcap_create(iface.c_str(), errbuf.data()));
  if (!a.handle) {
    a.status = PCAP_ERROR;
    a.message = errbuf.data();
    return a;
  }
  pcap* p = a.handle.get();
  pcap_set_snaplen(p, o.snaplen);
  pcap_set_promisc(p, o.promiscuous ? 1 : 0);
  pcap_set_timeout(p, o.timeoutMs);
  // No immediate mode: with it libpcap falls back to TPACKET_V2, whose fixed slots are
  // sized for the largest frame (64 KiB on offloading devices), so the 64 MiB buffer held
  // about a thousand frames and a tcpreplay burst overflowed it. TPACKET_V3 packs frames
  // into blocks; the timeout retires a partly filled block, so on a quiet link frames still
  // arrive within timeoutMs.
  pcap_set_buffer_size(p, bufferBytes);
  // Not every kernel/device offers nanoseconds; then libpcap keeps microseconds.
  (void)pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
  a.status = pcap_activate(p);
  a.message = pcap_geterr(p);
  return a;
}

bool outOfRingMemory(const Attempt& a) {
  return a.status == PCAP_ERROR &&
         (contains(a.message, "Cannot allocate memory") || contains(a.message, "rx ring"));
}

[[noreturn]] void throwOpenError(const std::string& iface, const Attempt& a) {
  const std::string detailText = detail::cleanPcapMessage(a.message);
  const bool permission = a.status == PCAP_ERROR_PERM_DENIED ||
                          a.status == PCAP_ERROR_PROMISC_PERM_DENIED ||
                          contains(detailText, "Operation not permitted") ||
                          contains(detailText, "Permission denied");
  const bool unknown = a.status == PCAP_ERROR_NO_SUCH_DEVICE ||
                       (permission && iface != "any" && !interfaceExists(iface));
  if (unknown) {
    throw CaptureError("no interface named " + quoted(iface) + "; available: " + availableInterfaces());
  }
  if (permission) {
    throw CaptureError("capturing on " + quoted(iface) +
                       " needs the CAP_NET_RAW and CAP_NET_ADMIN capabilities: run with sudo, or "
                       "grant them once with `sudo setcap cap_net_raw,cap_net_admin=eip " +
                       selfPath() + "`");
  }
  if (a.status == PCAP_ERROR_IFACE_NOT_UP) {
    throw CaptureError("interface " + quoted(iface) + " is down; bring it up with `sudo ip link set " +
                       core::escapeControl(iface) + " up` or choose another interface");
  }
  std::string what = pcap_statustostr(a.status);
  if (!detailText.empty() && detailText != what) what += ": " + detailText;
  throw CaptureError("cannot capture on " + quoted(iface) + ": " + what);
}

}  // namespace

std::unique_ptr<Source> openLive(const LiveOptions& options) {
  std::string iface = options.interface;
  if (iface.empty()) {
    iface = defaultInterface();
    if (iface.empty()) {
      throw CaptureError(
          "no interface to capture on: none is up with an address, apart from loopback; "
          "name one explicitly (available: " + availableInterfaces() + ")");
    }
  }

  int bufferBytes = options.bufferBytes;
  Attempt a = activate(iface, options, bufferBytes);
  while (outOfRingMemory(a) && bufferBytes > kMinBufferBytes) {
    bufferBytes = std::max(bufferBytes / 4, kMinBufferBytes);
    a = activate(iface, options, bufferBytes);
  }
  if (a.status < 0) throwOpenError(iface, a);

  std::string warning;
  if (a.status > 0) {
    warning = pcap_statustostr(a.status);
    const std::string text = detail::cleanPcapMessage(a.message);
    if (!text.empty() && text != warning) warning += ": " + text;
  }
  if (bufferBytes < options.bufferBytes) {
    if (!warning.empty()) warning += "; ";
    warning += "kernel buffer reduced to " + std::to_string(bufferBytes >> 20) + " MiB";
  }

  // The netmask only matters for the `broadcast` primitive; unknown is acceptable.
  bpf_u_int32 net = 0;
  bpf_u_int32 mask = 0;
  std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
  if (iface == "any" || pcap_lookupnet(iface.c_str(), &net, &mask, errbuf.data()) != 0) {
    mask = PCAP_NETMASK_UNKNOWN;
  }
  detail::applyFilter(a.handle.get(), options.bpfFilter, mask);

  detail::PcapSource::Params params;
  // Linux's netfilter log devices (nflog, nflog:N) read with a blocking recv that ignores
  // the timeout: poll them instead, or an idle group would hold the capture thread forever.
  if (iface.starts_with("nflog") && pcap_get_selectable_fd(a.handle.get()) >= 0) {
    std::array<char, PCAP_ERRBUF_SIZE> nbErr{};
    (void)pcap_setnonblock(a.handle.get(), 1, nbErr.data());  // the poll alone suffices; this is a safety net
    params.pollTimeoutMs = std::max(options.timeoutMs, 1);
  }
  params.nanoTimestamps = pcap_get_tstamp_precision(a.handle.get()) == PCAP_TSTAMP_PRECISION_NANO;
  params.handle = std::move(a.handle);
  params.live = true;
  params.name = iface;
  params.warning = std::move(warning);
  return std::make_unique<detail::PcapSource>(std::move(params));
}

}  // namespace rustnet::capture
