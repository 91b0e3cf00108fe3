#pragma once
// Internal to the capture stage: the one Source implementation, shared by live interfaces
// and capture files. Only the capture .cpp files include this header; it names libpcap's
// handle by its struct tag so that <pcap.h> stays inside the .cpp files.
#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>

#include "capture/source.h"

struct pcap;  // pcap_t

namespace rustnet::capture::detail {

// Where the bytes of a gzip-compressed capture come from; owned by the FILE* libpcap reads,
// and consulted after a read error because zlib knows more than libpcap's errno text.
struct GzipReader;

struct PcapCloser {
  void operator()(pcap* p) const;
};
using PcapHandle = std::unique_ptr<pcap, PcapCloser>;

class PcapSource final : public Source {
public:
  struct Params {
    PcapHandle handle;
    bool live = false;
    bool nanoTimestamps = false;  // header ts.tv_usec holds nanoseconds
    std::string name;
    std::string warning;
    std::shared_ptr<GzipReader> gzip;  // set for gzip files; shared with the FILE* cookie
    std::unique_ptr<char[]> stdioBuffer;  // the FILE*'s buffer (files only)
    // Live devices whose reads ignore pcap_set_timeout (Linux nflog: a blocking netlink
    // recv) are made non-blocking and polled for this long instead, so that dispatch()
    // still returns when idle and a stop request is seen. 0: rely on libpcap's timeout.
    int pollTimeoutMs = 0;
  };
  explicit PcapSource(Params params);

  ReadStatus dispatch(int maxFrames, FrameSink& sink) override;
  void breakLoop() override;
  [[nodiscard]] decode::LinkType linkType() const override { return linkType_; }
  [[nodiscard]] int dataLink() const override { return dataLink_; }
  [[nodiscard]] bool isLive() const override { return live_; }
  [[nodiscard]] std::string name() const override { return name_; }
  [[nodiscard]] CaptureStats stats() const override;
  [[nodiscard]] std::string lastError() const override { return lastError_; }
  [[nodiscard]] std::string warning() const override { return warning_; }

  // Called from the C callback only.
  void deliver(const void* header, const std::uint8_t* bytes);

private:
  // Declared before handle_ so that it outlives the FILE* that pcap_close() flushes.
  std::unique_ptr<char[]> stdioBuffer_;
  PcapHandle handle_;
  bool live_;
  bool nanoTimestamps_;
  std::string name_;
  std::string warning_;
  std::shared_ptr<GzipReader> gzip_;
  int pollTimeoutMs_ = 0;
  int dataLink_;
  decode::LinkType linkType_;

  // Written only by the thread that dispatches; relaxed atomics so stats() may read them
  // from elsewhere without a data race.
  std::atomic<std::uint64_t> delivered_{0};
  std::atomic<bool> stopRequested_{false};
  static_assert(std::atomic<bool>::is_always_lock_free, "breakLoop must be signal-safe");

  ReadStatus finished_ = ReadStatus::Ok;  // sticky EndOfFile / Error
  std::string lastError_;
  FrameSink* sink_ = nullptr;             // valid during dispatch() only
  std::exception_ptr sinkException_;      // a throwing sink must not unwind through libpcap
};

// A message from libpcap made into one tidy line: whitespace folded, no trailing period,
// libpcap's "dump file" wording replaced by ours.
std::string cleanPcapMessage(std::string message);

// 'text' with control characters escaped: paths, interface names and filter expressions
// in messages stay on one line.
std::string quoted(const std::string& text);

// Compiles and installs `expression` (nothing when empty). Throws CaptureError quoting the
// expression and libpcap's reason.
void applyFilter(pcap* p, const std::string& expression, std::uint32_t netmask);

// The reason zlib gave for the last failed read of `gzip`, or empty.
std::string gzipError(const GzipReader& gzip);

}  // namespace rustnet::capture::detail
