#pragma once
// Shared by the capture tests: a sink that records what it was given, a loop that reads a
// source to its end, and writers for small hand-made capture files.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "capture/source.h"

namespace rustnet::capture::test {

struct SeenFrame {
  core::Timestamp ts;
  std::uint32_t wireLen = 0;
  std::vector<std::uint8_t> data;
  decode::LinkType linkType = decode::LinkType::Unsupported;
};

class RecordingSink final : public FrameSink {
public:
  void onFrame(const Frame& f) override {
    frames.push_back({f.ts, f.wireLen, {f.data.begin(), f.data.end()}, f.linkType});
  }
  std::vector<SeenFrame> frames;
};

struct ReadResult {
  std::vector<SeenFrame> frames;
  ReadStatus status = ReadStatus::Ok;
  std::string error;
};

// Reads until the source says something other than Ok (bounded, so a source that never
// ends fails the test instead of hanging it).
ReadResult readAll(Source& source, int batch = 64);

// A temporary directory removed when the object goes away.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path file(const std::string& name) const { return path_ / name; }

private:
  std::filesystem::path path_;
};

void writeBytes(const std::filesystem::path& p, const std::vector<std::uint8_t>& bytes);
std::vector<std::uint8_t> readBytes(const std::filesystem::path& p);
// gzip-compresses `bytes` into `p` with zlib.
void writeGzip(const std::filesystem::path& p, const std::vector<std::uint8_t>& bytes);

struct Record {
  std::uint32_t sec = 0;
  std::uint32_t frac = 0;  // micro- or nanoseconds, per the file's magic
  std::uint32_t wireLen = 0;
  std::vector<std::uint8_t> data;
};
// A classic big-endian pcap file; `nano` picks the nanosecond magic (a1b23c4d).
std::vector<std::uint8_t> makePcap(const std::vector<Record>& records, std::uint32_t linkType = 1,
                                   bool nano = false);
// `count` Ethernet/IPv4/UDP frames of 60 bytes each, timestamps one second apart.
std::vector<Record> sampleRecords(int count);

// Runs `body` in a child process switched to user and group nobody (65534) and returns
// the string it returned. The caller must be root.
std::string runAsNobody(const std::function<std::string()>& body);

}  // namespace rustnet::capture::test
