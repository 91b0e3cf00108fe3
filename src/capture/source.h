#pragma once
// Packet sources: a live interface or a capture file, both behind one interface. This
// folder is the only code that includes <pcap.h>. Opening failures throw CaptureError with
// a one-line message that says what is wrong and how to fix it; reading never throws.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/cursor.h"
#include "core/ip_addr.h"
#include "core/time.h"
#include "decode/packet.h"

namespace rustnet::capture {

class CaptureError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct Frame {
  core::Timestamp ts;
  std::uint32_t wireLen = 0;
  core::Bytes data;  // captured bytes; valid only during the FrameSink call
  // How to decode it: the source's link type, except in pcapng files whose interfaces
  // differ (each frame then carries its interface's).
  decode::LinkType linkType = decode::LinkType::Unsupported;
  int dataLink = -1;  // the pcap DLT behind linkType, for messages about it
};

class FrameSink {
public:
  virtual ~FrameSink() = default;
  virtual void onFrame(const Frame& f) = 0;
};

struct CaptureStats {
  std::uint64_t received = 0;        // frames handed to us (delivered to a FrameSink)
  std::uint64_t kernelReceived = 0;  // pcap_stats ps_recv: frames that passed the kernel filter
  std::uint64_t kernelDropped = 0;   // pcap_stats ps_drop: buffer overflow in the kernel
  std::uint64_t ifaceDropped = 0;    // pcap_stats ps_ifdrop: dropped by the interface/driver
};

enum class ReadStatus : std::uint8_t {
  Ok,         // zero or more frames delivered (zero: live timeout); call again
  EndOfFile,  // file fully read
  Error,      // read error: see lastError(); frames before it were delivered
  Stopped,    // breakLoop() was called
};

struct LiveOptions {
  std::string interface;        // empty → defaultInterface(); "any" → all (Linux)
  std::string bpfFilter;        // empty → none
  int snaplen = 262'144;
  int bufferBytes = 64 << 20;   // kernel ring; generous so bursts are not dropped
  // Longest a captured frame waits in a partly filled kernel block (and how often
  // dispatch() returns when idle): the delay before a new connection is seen.
  int timeoutMs = 20;
  bool promiscuous = false;
};

struct InterfaceInfo {
  std::string name;
  std::string description;
  std::vector<core::IpAddr> addresses;
  bool up = false;
  bool running = false;
  bool loopback = false;
};

class Source {
public:
  virtual ~Source() = default;
  // Delivers up to `maxFrames` frames to `sink` (maxFrames <= 0: all in the kernel buffer
  // for a live capture, the rest of the file for a file). EndOfFile and Error are final:
  // later calls return them again without reading. Call from one thread at a time. If the
  // sink throws, the source stops (later calls return Error) and the exception is rethrown here.
  virtual ReadStatus dispatch(int maxFrames, FrameSink& sink) = 0;
  // Makes a dispatch() in progress (or the next one) return Stopped; every later call
  // returns Stopped too. Safe from a signal handler and from another thread.
  virtual void breakLoop() = 0;
  [[nodiscard]] virtual decode::LinkType linkType() const = 0;
  // The pcap DLT value behind linkType(), for messages (see dataLinkName()).
  [[nodiscard]] virtual int dataLink() const = 0;
  [[nodiscard]] virtual bool isLive() const = 0;
  // Interface name, or the file path.
  [[nodiscard]] virtual std::string name() const = 0;
  // kernel* fields are filled for live captures only. Call from the dispatching thread
  // (libpcap handles are not thread-safe); `received` alone may be read from anywhere.
  [[nodiscard]] virtual CaptureStats stats() const = 0;
  // One line, set when dispatch() returned Error; empty before.
  [[nodiscard]] virtual std::string lastError() const = 0;
  // A non-fatal notice from opening (e.g. promiscuous mode not supported); usually empty.
  [[nodiscard]] virtual std::string warning() const = 0;
};

// Opens a live capture (kernel blocks retired after timeoutMs, large buffer, nanosecond
// timestamps where the kernel offers them). Throws CaptureError: unknown interface
// (listing the available ones), missing privileges (saying how to grant them), interface
// down, no usable default interface, bad BPF filter.
std::unique_ptr<Source> openLive(const LiveOptions& options);

// Opens a pcap or pcapng file, recognised by its content; gzip-compressed files are read
// through zlib. "-" reads standard input; pipes and other non-regular files work too.
// Timestamps keep the file's full (up to nanosecond) precision. Throws CaptureError,
// "capture file '<path>': <reason>", when the file cannot be opened or is not a capture,
// and "bad capture filter '<expr>': <reason>" for a filter libpcap rejects.
std::unique_ptr<Source> openFile(const std::string& path, const std::string& bpfFilter = {});

// Every interface libpcap can capture on (including "any" on Linux). Throws CaptureError
// when libpcap cannot enumerate them.
std::vector<InterfaceInfo> listInterfaces();
// The first interface that is up, not loopback and has an address; empty when none is.
std::string defaultInterface();
// Every address configured on this host (for local/remote orientation), without
// duplicates. Throws CaptureError when getifaddrs() fails.
std::vector<core::IpAddr> hostAddresses();

// pcap DLT value (as pcap_datalink() reports it) → the decoder's link type.
decode::LinkType linkTypeFromDlt(int dlt);
// "EN10MB (Ethernet)", or "DLT 1234" for values libpcap does not know.
std::string dataLinkName(int dlt);

}  // namespace rustnet::capture
