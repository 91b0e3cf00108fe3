#include "capture_test_util.h"

#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "support/test_support.h"

namespace rustnet::capture::test {

ReadResult readAll(Source& source, int batch) {
  // Far more calls than any corpus file needs; reaching it means the source never ends.
  constexpr int kMaxCalls = 1'000'000;
  RecordingSink sink;
  ReadResult r;
  for (int i = 0; i < kMaxCalls; ++i) {
    r.status = source.dispatch(batch, sink);
    if (r.status != ReadStatus::Ok) break;
  }
  r.frames = std::move(sink.frames);
  r.error = source.lastError();
  return r;
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "rustnet-capture-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void writeBytes(const std::filesystem::path& p, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

std::vector<std::uint8_t> readBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeGzip(const std::filesystem::path& p, const std::vector<std::uint8_t>& bytes) {
  gzFile gz = gzopen(p.c_str(), "wb");
  if (gz == nullptr) throw std::runtime_error("gzopen failed for " + p.string());
  const int n = bytes.empty() ? 0 : gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size()));
  const int rc = gzclose(gz);
  if (n != static_cast<int>(bytes.size()) || rc != Z_OK) throw std::runtime_error("gzwrite failed");
}

std::vector<std::uint8_t> makePcap(const std::vector<Record>& records, std::uint32_t linkType,
                                   bool nano) {
  rustnet::test::ByteWriter w;
  w.be32(nano ? 0xa1b23c4d : 0xa1b2c3d4).be16(2).be16(4).be32(0).be32(0).be32(262144).be32(linkType);
  for (const Record& r : records) {
    w.be32(r.sec).be32(r.frac).be32(static_cast<std::uint32_t>(r.data.size())).be32(r.wireLen);
    w.bytes(r.data);
  }
  return w.data();
}

std::vector<Record> sampleRecords(int count) {
  std::vector<Record> out;
  for (int i = 0; i < count; ++i) {
    rustnet::test::ByteWriter w;
    // Ethernet
    w.bytes({0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01}).be16(0x0800);
    // IPv4 + UDP, 46 bytes of IP datagram: 20 header + 8 UDP + 18 payload
    w.bytes({0x45, 0}).be16(46).be16(static_cast<std::uint16_t>(i)).be16(0).bytes({64, 17}).be16(0);
    w.bytes({198, 18, 0, 1, 198, 18, 0, 2});
    w.be16(40000).be16(53).be16(26).be16(0);
    for (int k = 0; k < 18; ++k) w.u8(static_cast<std::uint8_t>(i + k));
    Record r;
    r.sec = 1'700'000'000U + static_cast<std::uint32_t>(i);
    r.frac = 250'000;
    r.data = w.data();
    r.wireLen = static_cast<std::uint32_t>(r.data.size());
    out.push_back(std::move(r));
  }
  return out;
}

std::string runAsNobody(const std::function<std::string()>& body) {
  std::array<int, 2> p{};
  if (pipe(p.data()) != 0) return "pipe failed";
  const pid_t pid = fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    close(p[0]);
    if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0) {
      const char msg[] = "setuid failed";
      (void)!write(p[1], msg, sizeof msg - 1);
      _exit(1);
    }
    const std::string msg = body();
    (void)!write(p[1], msg.data(), msg.size());
    _exit(0);
  }
  close(p[1]);
  std::string out;
  std::array<char, 512> buf{};
  ssize_t n = 0;
  while ((n = read(p[0], buf.data(), buf.size())) > 0) out.append(buf.data(), static_cast<std::size_t>(n));
  close(p[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return out;
}

}  // namespace rustnet::capture::test
