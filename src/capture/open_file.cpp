// Capture files: pcap and pcapng recognised by libpcap from their content, gzip-compressed
// ones decompressed on the fly by zlib behind a FILE* cookie, so that libpcap reads both
// through the same code and nothing is unpacked to disk or memory.
#include <fcntl.h>
#include <pcap.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>

#include "capture/pcap_source.h"
#include "capture/pcapng_source.h"
#include "core/text.h"

namespace rustnet::capture {
namespace detail {

struct GzipReader {
  gzFile gz = nullptr;
  std::string error;  // set when zlib failed a read; libpcap only sees EIO

  ~GzipReader() {
    if (gz != nullptr) gzclose(gz);
  }
};

std::string gzipError(const GzipReader& gzip) { return gzip.error; }

namespace {

// zlib's internal buffer: larger than its 8 KiB default so a fast reader makes fewer calls.
constexpr unsigned kGzipBufferBytes = 128U << 10;

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
  throw CaptureError("capture file " + quoted(path) + ": " + reason);
}

// The cookie is a heap-held shared_ptr so the reader outlives fclose() when PcapSource
// still holds it for error messages.
using Cookie = std::shared_ptr<GzipReader>;

ssize_t gzipRead(void* cookie, char* buf, std::size_t size) {
  GzipReader& r = **static_cast<Cookie*>(cookie);
  if (r.gz == nullptr) return 0;
  const auto want = static_cast<unsigned>(std::min<std::size_t>(size, INT_MAX));
  const int got = gzread(r.gz, buf, want);
  int errnum = Z_OK;
  const char* message = gzerror(r.gz, &errnum);
  if (got < 0 || (got == 0 && errnum == Z_BUF_ERROR)) {
    // Z_BUF_ERROR at the end of input: the compressed stream stops in the middle.
    if (errnum == Z_BUF_ERROR) {
      r.error = "gzip data is truncated (the compressed stream ends early)";
    } else if (errnum == Z_ERRNO) {
      r.error = std::string("read error: ") + std::strerror(errno);
    } else {
      r.error = std::string("gzip data is corrupt: ") + (message != nullptr ? message : "unknown");
    }
    errno = EIO;
    return -1;
  }
  return got;
}

int gzipClose(void* cookie) {
  auto* owner = static_cast<Cookie*>(cookie);
  GzipReader& r = **owner;
  int rc = 0;
  if (r.gz != nullptr) {
    rc = gzclose(r.gz) == Z_OK ? 0 : EOF;
    r.gz = nullptr;
  }
  delete owner;
  return rc;
}

// Opens `fd` (taking ownership) as a FILE* that yields decompressed bytes. zlib passes
// data that is not gzip through unchanged, which is what pipes need: they cannot be
// peeked at and rewound.
FILE* openGzip(int fd, const std::string& path, std::shared_ptr<GzipReader>& reader) {
  reader = std::make_shared<GzipReader>();
  reader->gz = gzdopen(fd, "rb");
  if (reader->gz == nullptr) {
    close(fd);
    fail(path, "cannot start gzip decompression (out of memory)");
  }
  gzbuffer(reader->gz, kGzipBufferBytes);
  auto* cookie = new Cookie(reader);
  const cookie_io_functions_t io{&gzipRead, nullptr, nullptr, &gzipClose};
  FILE* fp = fopencookie(cookie, "rb", io);
  if (fp == nullptr) {
    const int err = errno;
    gzipClose(cookie);
    fail(path, std::string("cannot open: ") + std::strerror(err));
  }
  return fp;
}

// libpcap's open-time wording → ours, naming what the user can check.
std::string openFailureReason(std::string_view pcapMessage, const GzipReader* gzip) {
  if (gzip != nullptr && !gzip->error.empty()) return gzip->error;
  constexpr std::string_view kShortMagic = "truncated dump file; tried to read 4 file header bytes";
  if (pcapMessage == "unknown file format" || pcapMessage.starts_with(kShortMagic)) {
    if (pcapMessage.ends_with("only got 0")) return "the file is empty";
    return gzip != nullptr ? "not a pcap or pcapng capture (after gzip decompression)"
                           : "not a pcap or pcapng capture";
  }
  return cleanPcapMessage(std::string(pcapMessage));
}

}  // namespace

void applyFilter(pcap* p, const std::string& expression, std::uint32_t netmask) {
  if (expression.empty()) return;
  bpf_program program{};
  if (pcap_compile(p, &program, expression.c_str(), 1, netmask) != 0) {
    throw CaptureError("bad capture filter " + quoted(expression) + ": " +
                       cleanPcapMessage(pcap_geterr(p)));
  }
  const int rc = pcap_setfilter(p, &program);
  pcap_freecode(&program);
  if (rc != 0) {
    throw CaptureError("cannot apply capture filter " + quoted(expression) + ": " +
                       cleanPcapMessage(pcap_geterr(p)));
  }
}

}  // namespace detail

namespace {
constexpr std::size_t kFileBufferBytes = 1u << 20;

bool isPcapngMagic(const unsigned char* m) {
  return m[0] == 0x0a && m[1] == 0x0d && m[2] == 0x0d && m[3] == 0x0a;
}

// The first decompressed bytes of a gzip file, read through a second handle so that the
// stream handed to the reader starts at the beginning.
bool gzippedPcapng(const std::string& path) {
  gzFile gz = gzopen(path.c_str(), "rb");
  if (gz == nullptr) return false;
  unsigned char magic[4] = {};
  const int n = gzread(gz, magic, sizeof magic);
  gzclose(gz);
  return n == 4 && isPcapngMagic(magic);
}
}  // namespace

std::unique_ptr<Source> openFile(const std::string& path, const std::string& bpfFilter) {
  using detail::fail;
  const bool fromStdin = path == "-";
  const int fd = fromStdin ? dup(STDIN_FILENO) : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(path, std::strerror(errno));

  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    close(fd);
    fail(path, std::strerror(err));
  }
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    fail(path, "is a directory, not a capture file");
  }
  if (S_ISREG(st.st_mode) && st.st_size == 0) {
    close(fd);
    fail(path, "the file is empty");
  }

  // A regular file can be peeked at: plain captures go to libpcap directly, which is
  // faster than passing every byte through zlib, and pcapng goes to our own reader.
  bool gzipped = !S_ISREG(st.st_mode);
  bool pcapng = false;
  if (S_ISREG(st.st_mode)) {
    std::array<unsigned char, 4> magic{};
    const ssize_t n = pread(fd, magic.data(), magic.size(), 0);
    if (n < 0) {
      const int err = errno;
      close(fd);
      fail(path, std::strerror(err));
    }
    gzipped = n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    pcapng = n == 4 && isPcapngMagic(magic.data());
    if (gzipped) pcapng = gzippedPcapng(path);
  }

  std::shared_ptr<detail::GzipReader> gzip;
  FILE* fp = nullptr;
  if (gzipped) {
    fp = detail::openGzip(fd, path, gzip);
  } else {
    fp = fdopen(fd, "rb");
    if (fp == nullptr) {
      const int err = errno;
      close(fd);
      fail(path, std::strerror(err));
    }
  }

  // stdio's default 4 KiB buffer costs a read() every few packets; a large one lets a
  // file replay run at memory speed. glibc ignores the size unless we supply the buffer.
  auto stdioBuffer = std::make_unique_for_overwrite<char[]>(kFileBufferBytes);
  std::setvbuf(fp, stdioBuffer.get(), _IOFBF, kFileBufferBytes);

  if (pcapng) {
    detail::PcapngParams p;
    p.file = fp;
    p.stdioBuffer = std::move(stdioBuffer);
    p.gzip = std::move(gzip);
    p.name = path;
    p.bpfFilter = bpfFilter;
    return detail::openPcapng(std::move(p));
  }

  std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
  pcap_t* raw = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO,
                                                         errbuf.data());
  if (raw == nullptr) {
    // libpcap leaves the FILE* open on failure.
    std::string reason = detail::openFailureReason(errbuf.data(), gzip.get());
    std::fclose(fp);
    fail(path, reason);
  }
  detail::PcapHandle handle(raw);
  detail::applyFilter(handle.get(), bpfFilter, PCAP_NETMASK_UNKNOWN);

  detail::PcapSource::Params params;
  params.nanoTimestamps = pcap_get_tstamp_precision(handle.get()) == PCAP_TSTAMP_PRECISION_NANO;
  params.handle = std::move(handle);
  params.live = false;
  params.name = path;
  params.gzip = std::move(gzip);
  params.stdioBuffer = std::move(stdioBuffer);
  return std::make_unique<detail::PcapSource>(std::move(params));
}

}  // namespace rustnet::capture
