#include "capture/pcap_source.h"

#include <pcap.h>
#include <poll.h>

#include <cerrno>

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>

#include "core/text.h"

namespace rustnet::capture {
namespace detail {
namespace {

extern "C" void onPcapPacket(u_char* user, const pcap_pkthdr* header, const u_char* bytes) {
  // `user` is the PcapSource that called pcap_dispatch (see PcapSource::dispatch).
  reinterpret_cast<PcapSource*>(user)->deliver(header, bytes);
}

void replaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

}  // namespace

void PcapCloser::operator()(pcap* p) const {
  if (p != nullptr) pcap_close(p);
}

std::string quoted(const std::string& text) { return "'" + core::escapeControl(text) + "'"; }

std::string cleanPcapMessage(std::string message) {
  std::string out;
  out.reserve(message.size());
  bool space = false;
  for (const char c : message) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isspace(u) != 0 || std::iscntrl(u) != 0) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  while (!out.empty() && (out.back() == '.' || out.back() == ':')) out.pop_back();
  replaceAll(out, "truncated dump file; ", "capture file is truncated: ");
  replaceAll(out, "truncated pcapng dump file; ", "pcapng capture file is truncated: ");
  replaceAll(out, "error reading dump file", "read error");
  replaceAll(out, "dump file", "capture file");
  replaceAll(out, "savefile", "capture file");
  if (out.find("different from the") != std::string::npos &&
      out.find("of the first interface") != std::string::npos) {
    out += " (libpcap reads a pcapng file only while its interfaces match the first one)";
  }
  return out;
}

PcapSource::PcapSource(Params params)
    : stdioBuffer_(std::move(params.stdioBuffer)),
      handle_(std::move(params.handle)),
      live_(params.live),
      nanoTimestamps_(params.nanoTimestamps),
      name_(std::move(params.name)),
      warning_(std::move(params.warning)),
      gzip_(std::move(params.gzip)),
      pollTimeoutMs_(params.pollTimeoutMs),
      dataLink_(pcap_datalink(handle_.get())),
      linkType_(linkTypeFromDlt(dataLink_)) {}

void PcapSource::deliver(const void* header, const std::uint8_t* bytes) {
  const auto* h = static_cast<const pcap_pkthdr*>(header);
  if (sinkException_) return;  // the sink failed earlier in this batch: drop the rest
  Frame f;
  const std::int64_t sec = h->ts.tv_sec;
  const std::int64_t frac = h->ts.tv_usec;
  f.ts = nanoTimestamps_ ? core::Timestamp::fromNanos(sec * 1'000'000'000 + frac)
                         : core::Timestamp::fromMicros(sec, frac);
  // A wire length below the captured length is a damaged header; byte counts must never
  // come out lower than the bytes we actually hold.
  f.wireLen = std::max(h->len, h->caplen);
  f.data = core::Bytes(bytes, h->caplen);
  f.linkType = linkType_;
  f.dataLink = dataLink_;
  delivered_.store(delivered_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  try {
    sink_->onFrame(f);
  } catch (...) {
    // Unwinding through libpcap's C frames would leave the handle half-updated: remember
    // the exception, stop the loop, and rethrow once pcap_dispatch has returned.
    sinkException_ = std::current_exception();
    pcap_breakloop(handle_.get());
  }
}

ReadStatus PcapSource::dispatch(int maxFrames, FrameSink& sink) {
  if (stopRequested_.load(std::memory_order_relaxed)) return ReadStatus::Stopped;
  if (finished_ != ReadStatus::Ok) return finished_;

  if (pollTimeoutMs_ > 0) {
    pollfd p{pcap_get_selectable_fd(handle_.get()), POLLIN, 0};
    const int ready = ::poll(&p, 1, pollTimeoutMs_);
    if (ready == 0 || (ready < 0 && errno == EINTR)) return ReadStatus::Ok;  // idle, as a timeout
  }
  sink_ = &sink;
  const int rc = pcap_dispatch(handle_.get(), maxFrames > 0 ? maxFrames : -1, &onPcapPacket,
                               reinterpret_cast<u_char*>(this));
  sink_ = nullptr;
  if (sinkException_) {
    // libpcap may still hold the break request we made; rather than guess whether the next
    // read would consume it, the source ends here.
    finished_ = ReadStatus::Error;
    lastError_ = "reading stopped: the frame consumer threw an exception";
    std::rethrow_exception(std::exchange(sinkException_, nullptr));
  }

  if (rc == PCAP_ERROR_BREAK || stopRequested_.load(std::memory_order_relaxed)) {
    stopRequested_.store(true, std::memory_order_relaxed);
    return ReadStatus::Stopped;
  }
  if (rc < 0) {
    std::string reason = gzip_ ? gzipError(*gzip_) : std::string{};
    if (reason.empty()) reason = cleanPcapMessage(pcap_geterr(handle_.get()));
    if (reason.empty()) reason = "unknown read error";
    lastError_ = std::move(reason);
    // A live handle that failed (interface gone) or a damaged file cannot be resumed.
    finished_ = ReadStatus::Error;
    return finished_;
  }
  // For a file, pcap_dispatch returns 0 only at its end (filtered-out frames do not end a
  // batch); for a live capture 0 means the timeout passed without traffic.
  if (rc == 0 && !live_) {
    // zlib reports a cut gzip stream as a short read, which looks like a clean end.
    if (gzip_) {
      if (std::string reason = gzipError(*gzip_); !reason.empty()) {
        lastError_ = std::move(reason);
        finished_ = ReadStatus::Error;
        return finished_;
      }
    }
    finished_ = ReadStatus::EndOfFile;
    return finished_;
  }
  return ReadStatus::Ok;
}

void PcapSource::breakLoop() {
  stopRequested_.store(true, std::memory_order_relaxed);
  pcap_breakloop(handle_.get());
}

CaptureStats PcapSource::stats() const {
  CaptureStats s;
  s.received = delivered_.load(std::memory_order_relaxed);
  if (live_) {
    pcap_stat ps{};
    if (pcap_stats(handle_.get(), &ps) == 0) {
      s.kernelReceived = ps.ps_recv;
      s.kernelDropped = ps.ps_drop;
      s.ifaceDropped = ps.ps_ifdrop;
    }
  }
  return s;
}

}  // namespace detail

decode::LinkType linkTypeFromDlt(int dlt) {
  // Numbers rather than DLT_ macros: DLT_RAW and DLT_LOOP differ between platforms, and a
  // file written on OpenBSD still says 14 for raw IP.
  switch (dlt) {
    case 0: return decode::LinkType::Null;          // DLT_NULL
    case 1: return decode::LinkType::Ethernet;      // DLT_EN10MB
    case 9: return decode::LinkType::Ppp;           // DLT_PPP
    case 12:                                        // DLT_RAW (most systems)
    case 14:                                        // DLT_RAW (OpenBSD)
    case 101: return decode::LinkType::RawIp;       // LINKTYPE_RAW
    case 108: return decode::LinkType::Loop;        // DLT_LOOP
    case 113: return decode::LinkType::LinuxSll;    // DLT_LINUX_SLL
    case 228: return decode::LinkType::RawIpv4;     // DLT_IPV4
    case 229: return decode::LinkType::RawIpv6;     // DLT_IPV6
    case 239: return decode::LinkType::Nflog;       // DLT_NFLOG (Linux netfilter log)
    case 258: return decode::LinkType::Pktap;       // DLT_PKTAP (macOS)
    case 276: return decode::LinkType::LinuxSll2;   // DLT_LINUX_SLL2
    default: return decode::LinkType::Unsupported;
  }
}

std::string dataLinkName(int dlt) {
  const char* name = pcap_datalink_val_to_name(dlt);
  const char* description = pcap_datalink_val_to_description(dlt);
  if (name == nullptr) return "DLT " + std::to_string(dlt);
  std::string out = name;
  if (description != nullptr) out += std::string(" (") + description + ")";
  return out;
}

}  // namespace rustnet::capture
