#include "capture/pcapng_source.h"

#include <pcap.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <optional>
#include <cstring>
#include <vector>

#include "capture/pcap_source.h"
#include "core/cursor.h"

namespace rustnet::capture::detail {
namespace {

constexpr std::uint32_t kShb = 0x0A0D0D0A;
constexpr std::uint32_t kIdb = 0x00000001;
constexpr std::uint32_t kObsoletePacket = 0x00000002;
constexpr std::uint32_t kSpb = 0x00000003;
constexpr std::uint32_t kEpb = 0x00000006;
constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr int kLinktypeRaw = 101;
constexpr std::uint16_t kOptEnd = 0;
constexpr std::uint16_t kOptTsResol = 9;
constexpr std::uint16_t kOptTsOffset = 14;
// Named caps: a block larger than this is treated as corrupt rather than allocated, and a
// file may not declare more interfaces than this.
constexpr std::uint32_t kMaxBlockBytes = 16u << 20;
constexpr std::size_t kMaxInterfaces = 65'536;
// A block body is read in pieces of at most this many bytes (see readRest).
constexpr std::size_t kReadChunkBytes = 64u << 10;

struct Interface {
  int dlt = 0;
  decode::LinkType link = decode::LinkType::Unsupported;
  std::uint32_t snaplen = 0;
  std::uint8_t tsresol = 6;  // 10^-6 s unless the IDB says otherwise
  std::int64_t tsoffsetSec = 0;
  bool hasFilter = false;
  bpf_program filter{};
};

// Packet times are pinned to what a classic pcap file can express (1970 to 2106, 32-bit
// seconds): a pcapng timestamp, resolution and offset can describe times that overflow
// 64-bit nanoseconds, and later arithmetic on a time near the limit could overflow too.
constexpr std::int64_t kMaxTimestampNs = (std::int64_t{1} << 32) * 1'000'000'000;

// `units` of 10^-resol or 2^-(resol & 0x7f) seconds since the epoch, plus `offsetSec`, as
// nanoseconds within [0, kMaxTimestampNs].
std::int64_t toNanos(std::uint64_t units, std::uint8_t resol, std::int64_t offsetSec) {
  long double ns = 0;
  if ((resol & 0x80) == 0) {
    const int exp = resol;
    if (exp <= 9) {
      std::uint64_t mul = 1;
      for (int i = exp; i < 9; ++i) mul *= 10;
      std::uint64_t whole = 0;
      // Exact while it fits; anything larger is pinned below anyway.
      ns = __builtin_mul_overflow(units, mul, &whole) ? static_cast<long double>(units) * mul
                                                      : static_cast<long double>(whole);
    } else {
      std::uint64_t div = 1;
      for (int i = 9; i < exp && i < 28; ++i) div *= 10;
      ns = static_cast<long double>(exp - 9 > 19 ? 0 : units / div);
    }
  } else {
    // Binary fractions (2^-n s): long double keeps 64 bits of mantissa, enough for ns.
    ns = std::ldexp(static_cast<long double>(units) * 1e9L, -(resol & 0x7f));
  }
  ns += static_cast<long double>(offsetSec) * 1e9L;
  if (!(ns > 0)) return 0;
  if (ns >= static_cast<long double>(kMaxTimestampNs)) return kMaxTimestampNs;
  return static_cast<std::int64_t>(ns);
}

class PcapngSource final : public Source {
public:
  explicit PcapngSource(PcapngParams p)
      : stdioBuffer_(std::move(p.stdioBuffer)),
        file_(p.file),
        gzip_(std::move(p.gzip)),
        name_(std::move(p.name)),
        bpf_(std::move(p.bpfFilter)) {}

  ~PcapngSource() override {
    for (auto& i : interfaces_) {
      if (i.hasFilter) pcap_freecode(&i.filter);
    }
    if (file_ != nullptr) std::fclose(file_);
  }
  PcapngSource(const PcapngSource&) = delete;
  PcapngSource& operator=(const PcapngSource&) = delete;

  // Reads and checks the section header (the caller saw its magic).
  void start() {
    if (!readBlock()) {
      throw CaptureError("capture file " + quoted(name_) + ": " +
                         (error_.empty() ? std::string("the file is empty") : error_));
    }
    if (type_ != kShb) throw CaptureError("capture file " + quoted(name_) + ": not a pcapng capture");
    handleBlock();
    // On to the first interface, so that linkType() is known before the first dispatch;
    // a packet met on the way is kept for it.
    while (interfaces_.empty() && !frameReady_) {
      if (!readBlock() || !handleBlock()) {
        if (error_.empty()) break;  // a file without packets
        throw CaptureError("capture file " + quoted(name_) + ": " + error_);
      }
    }
  }

  ReadStatus dispatch(int maxFrames, FrameSink& sink) override {
    if (stop_.load(std::memory_order_relaxed)) return ReadStatus::Stopped;
    if (finished_ != ReadStatus::Ok) return finished_;
    int delivered = 0;
    while (maxFrames <= 0 || delivered < maxFrames) {
      if (stop_.load(std::memory_order_relaxed)) return ReadStatus::Stopped;
      if (!frameReady_) {
        if (!readBlock()) {
          finished_ = error_.empty() ? ReadStatus::EndOfFile : ReadStatus::Error;
          return finished_;
        }
        if (!handleBlock()) {
          finished_ = ReadStatus::Error;
          return finished_;
        }
      }
      if (frameReady_) {
        frameReady_ = false;
        ++delivered;
        delivered_.store(delivered_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        sink.onFrame(frame_);
      }
    }
    return ReadStatus::Ok;
  }

  void breakLoop() override { stop_.store(true, std::memory_order_relaxed); }
  [[nodiscard]] decode::LinkType linkType() const override {
    return interfaces_.empty() ? decode::LinkType::Unsupported : interfaces_.front().link;
  }
  [[nodiscard]] int dataLink() const override { return interfaces_.empty() ? -1 : interfaces_.front().dlt; }
  [[nodiscard]] bool isLive() const override { return false; }
  [[nodiscard]] std::string name() const override { return name_; }
  [[nodiscard]] CaptureStats stats() const override {
    CaptureStats s;
    s.received = delivered_.load(std::memory_order_relaxed);
    return s;
  }
  [[nodiscard]] std::string lastError() const override { return error_; }
  [[nodiscard]] std::string warning() const override { return {}; }

private:
  std::uint32_t word(const std::uint8_t* p) const {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return bigEndian_ ? __builtin_bswap32(v) : v;
  }
  std::optional<std::uint32_t> u32(core::Cursor& c) const { return bigEndian_ ? c.be32() : c.le32(); }
  std::optional<std::uint16_t> u16(core::Cursor& c) const { return bigEndian_ ? c.be16() : c.le16(); }

  // Reads one whole block into body_ (without the type and the two length words).
  // False at a clean end of file (error_ empty) or on damage (error_ set).
  bool readBlock() {
    std::uint8_t head[8];
    const std::size_t got = std::fread(head, 1, sizeof head, file_);
    if (got == 0 && std::feof(file_) != 0) return streamEnded();
    if (got < sizeof head) return truncated(sizeof head, got);
    std::uint32_t type;
    std::memcpy(&type, head, 4);
    if (type == kShb || __builtin_bswap32(type) == kShb) {
      // The byte order of a section is declared after its length: peek at it.
      std::uint8_t magic[4];
      if (std::fread(magic, 1, 4, file_) < 4) return truncated(12, 8);
      std::uint32_t m;
      std::memcpy(&m, magic, 4);
      if (m == kByteOrderMagic) {
        bigEndian_ = false;
      } else if (__builtin_bswap32(m) == kByteOrderMagic) {
        bigEndian_ = true;
      } else {
        return corrupt("section header with an unknown byte-order magic");
      }
      type_ = kShb;
      const std::uint32_t len = word(head + 4);
      if (len < 28 || len % 4 != 0 || len > kMaxBlockBytes) return corrupt("bad section header length");
      body_.assign(magic, magic + 4);
      return readRest(len, 4);
    }
    type_ = word(head);
    const std::uint32_t len = word(head + 4);
    if (len < 12 || len % 4 != 0) return corrupt("block length " + std::to_string(len) + " is invalid");
    if (len > kMaxBlockBytes) return corrupt("block of " + std::to_string(len) + " bytes exceeds the limit");
    body_.clear();
    return readRest(len, 0);
  }
  // Reads the rest of a block of `len` bytes whose first 8 bytes (and `bodyOffset` body
  // bytes, already in body_) are in. The body grows as its bytes arrive, so a length
  // field that promises more than the file holds costs no more memory than the file.
  bool readRest(std::uint32_t len, std::size_t bodyOffset) {
    const std::size_t bodyLen = len - 12;
    std::size_t have = bodyOffset;
    while (have < bodyLen) {
      const std::size_t want = std::min(bodyLen - have, kReadChunkBytes);
      body_.resize(have + want);
      const std::size_t got = std::fread(body_.data() + have, 1, want, file_);
      have += got;
      if (got < want) return truncated(len, 8 + have);
    }
    std::uint8_t trailer[4];
    if (std::fread(trailer, 1, 4, file_) < 4) return truncated(len, len - 4);
    if (word(trailer) != len) return corrupt("block length and trailing length differ");
    return true;
  }
  bool streamEnded() {
    if (gzip_) {
      if (std::string reason = gzipError(*gzip_); !reason.empty()) return fail(reason);
    }
    if (std::ferror(file_) != 0) return fail(std::string("read error: ") + std::strerror(errno));
    return false;
  }
  bool truncated(std::size_t want, std::size_t got) {
    if (gzip_) {
      if (std::string reason = gzipError(*gzip_); !reason.empty()) return fail(reason);
    }
    return fail("pcapng capture file is truncated: tried to read " + std::to_string(want) +
                " bytes, only got " + std::to_string(got));
  }
  bool corrupt(const std::string& what) { return fail("pcapng capture file is corrupt: " + what); }
  bool fail(std::string reason) {
    error_ = std::move(reason);
    return false;
  }

  bool handleBlock() {
    core::Cursor c{core::Bytes(body_)};
    switch (type_) {
      case kShb: {
        // A new section: its interfaces replace the previous section's.
        for (auto& i : interfaces_) {
          if (i.hasFilter) pcap_freecode(&i.filter);
        }
        interfaces_.clear();
        return true;
      }
      case kIdb: return addInterface(c);
      case kEpb: return packet(c, true);
      case kObsoletePacket: return packet(c, false);
      case kSpb: return simplePacket(c);
      default: return true;  // name resolution, statistics, custom blocks: not needed
    }
  }

  bool addInterface(core::Cursor& c) {
    const auto link = u16(c);
    const auto reserved = u16(c);
    const auto snaplen = u32(c);
    if (!link || !reserved || !snaplen) return corrupt("short interface description");
    if (interfaces_.size() >= kMaxInterfaces) return corrupt("too many interfaces");
    Interface i;
    i.dlt = *link;
    i.link = linkTypeFromDlt(i.dlt);
    i.snaplen = *snaplen;
    while (c.remaining() >= 4) {
      const auto code = u16(c);
      const auto olen = u16(c);
      if (!code || !olen || *code == kOptEnd) break;
      const auto value = c.take(*olen);
      if (!value || !c.skip((4 - *olen % 4) % 4)) break;  // damaged options: keep defaults
      if (*code == kOptTsResol && *olen >= 1) i.tsresol = (*value)[0];
      if (*code == kOptTsOffset && *olen >= 8) {
        core::Cursor v(*value);
        const auto off = bigEndian_ ? v.be64() : std::optional<std::uint64_t>(leU64(v));
        if (off) i.tsoffsetSec = static_cast<std::int64_t>(*off);
      }
    }
    if (!bpf_.empty() && !compileFilter(i)) return false;
    interfaces_.push_back(i);
    return true;
  }
  static std::uint64_t leU64(core::Cursor& v) {
    const auto lo = v.le32();
    const auto hi = v.le32();
    return (std::uint64_t{hi.value_or(0)} << 32) | lo.value_or(0);
  }

  bool compileFilter(Interface& i) {
    // Files store LINKTYPE_ values; libpcap compiles for DLT_ values, which differ only for
    // raw IP among the types we decode.
    const int dlt = i.dlt == kLinktypeRaw ? DLT_RAW : i.dlt;
    pcap_t* dead = pcap_open_dead(dlt, static_cast<int>(i.snaplen == 0 ? 262'144 : i.snaplen));
    if (dead == nullptr) return fail("cannot compile the capture filter");
    const int rc = pcap_compile(dead, &i.filter, bpf_.c_str(), 1, PCAP_NETMASK_UNKNOWN);
    std::string why = rc != 0 ? cleanPcapMessage(pcap_geterr(dead)) : std::string{};
    pcap_close(dead);
    if (rc != 0) return fail("bad capture filter " + quoted(bpf_) + ": " + why);
    i.hasFilter = true;
    return true;
  }

  bool packet(core::Cursor& c, bool enhanced) {
    std::uint32_t ifIndex = 0;
    if (enhanced) {
      const auto id = u32(c);
      if (!id) return corrupt("short packet block");
      ifIndex = *id;
    } else {
      const auto id = u16(c);
      const auto drops = u16(c);
      if (!id || !drops) return corrupt("short packet block");
      ifIndex = *id;
    }
    const auto hi = u32(c);
    const auto lo = u32(c);
    const auto caplen = u32(c);
    const auto len = u32(c);
    if (!hi || !lo || !caplen || !len) return corrupt("short packet block");
    const auto data = c.take(*caplen);
    if (!data) return corrupt("packet data longer than its block");
    if (ifIndex >= interfaces_.size()) return corrupt("packet for an undeclared interface");
    const Interface& i = interfaces_[ifIndex];
    const std::uint64_t units = (std::uint64_t{*hi} << 32) | *lo;
    return emit(i, core::Timestamp::fromNanos(toNanos(units, i.tsresol, i.tsoffsetSec)),
                std::max(*len, *caplen), *data);
  }

  bool simplePacket(core::Cursor& c) {
    const auto len = u32(c);
    if (!len) return corrupt("short simple packet block");
    if (interfaces_.empty()) return corrupt("packet for an undeclared interface");
    const Interface& i = interfaces_.front();
    std::uint32_t caplen = std::min<std::uint32_t>(*len, static_cast<std::uint32_t>(c.remaining()));
    if (i.snaplen != 0) caplen = std::min(caplen, i.snaplen);
    // No timestamp: the previous frame's time keeps the packet clock monotonic.
    return emit(i, frame_.ts, std::max(*len, caplen), *c.take(caplen));
  }

  bool emit(const Interface& i, core::Timestamp ts, std::uint32_t wireLen, core::Bytes data) {
    if (i.hasFilter) {
      pcap_pkthdr h{};
      h.caplen = static_cast<bpf_u_int32>(data.size());
      h.len = wireLen;
      if (pcap_offline_filter(&i.filter, &h, data.data()) == 0) return true;
    }
    frame_.ts = ts;
    frame_.wireLen = wireLen;
    frame_.data = data;
    frame_.linkType = i.link;
    frame_.dataLink = i.dlt;
    frameReady_ = true;
    return true;
  }

  // Declared before file_ so that it outlives the FILE* it buffers.
  std::unique_ptr<char[]> stdioBuffer_;
  std::FILE* file_;
  std::shared_ptr<GzipReader> gzip_;
  std::string name_;
  std::string bpf_;
  std::vector<Interface> interfaces_;
  std::vector<std::uint8_t> body_;
  std::uint32_t type_ = 0;
  bool bigEndian_ = false;
  Frame frame_;
  bool frameReady_ = false;
  ReadStatus finished_ = ReadStatus::Ok;
  std::string error_;
  std::atomic<std::uint64_t> delivered_{0};
  std::atomic<bool> stop_{false};
};

}  // namespace

std::unique_ptr<Source> openPcapng(PcapngParams params) {
  if (!params.bpfFilter.empty()) {
    // Reject a bad expression at open time, as libpcap does, not at the first interface.
    pcap_t* dead = pcap_open_dead(DLT_EN10MB, 262'144);
    bpf_program program{};
    const int rc = dead != nullptr ? pcap_compile(dead, &program, params.bpfFilter.c_str(), 1,
                                                  PCAP_NETMASK_UNKNOWN)
                                   : -1;
    std::string why = dead != nullptr && rc != 0 ? cleanPcapMessage(pcap_geterr(dead)) : std::string{};
    if (rc == 0) pcap_freecode(&program);
    if (dead != nullptr) pcap_close(dead);
    if (rc != 0) {
      std::fclose(params.file);
      throw CaptureError("bad capture filter " + quoted(params.bpfFilter) + ": " + why);
    }
  }
  auto source = std::make_unique<PcapngSource>(std::move(params));
  source->start();
  return source;
}

}  // namespace rustnet::capture::detail
