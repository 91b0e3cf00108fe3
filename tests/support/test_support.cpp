#include "support/test_support.h"

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <cstdio>
#include <cstdlib>

namespace rustnet::test {

std::filesystem::path pcapDir() {
  std::filesystem::path dir = RUSTNET_DEFAULT_PCAP_DIR;
  if (const char* env = std::getenv("RUSTNET_PCAP_DIR"); env != nullptr && *env != '\0') dir = env;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return {};
  return dir;
}

std::filesystem::path rustnetBinary() {
  const char* env = std::getenv("RUSTNET_BIN");
  return env != nullptr ? std::filesystem::path(env) : std::filesystem::path("rustnet");
}

ByteWriter& ByteWriter::u8(std::uint8_t v) {
  buf_.push_back(v);
  return *this;
}
ByteWriter& ByteWriter::be16(std::uint16_t v) {
  buf_.push_back(static_cast<std::uint8_t>(v >> 8));
  buf_.push_back(static_cast<std::uint8_t>(v));
  return *this;
}
ByteWriter& ByteWriter::be32(std::uint32_t v) {
  be16(static_cast<std::uint16_t>(v >> 16));
  return be16(static_cast<std::uint16_t>(v));
}
ByteWriter& ByteWriter::bytes(std::initializer_list<std::uint8_t> b) {
  buf_.insert(buf_.end(), b.begin(), b.end());
  return *this;
}
ByteWriter& ByteWriter::bytes(const std::vector<std::uint8_t>& b) {
  buf_.insert(buf_.end(), b.begin(), b.end());
  return *this;
}
ByteWriter& ByteWriter::str(const std::string& s) {
  buf_.insert(buf_.end(), s.begin(), s.end());
  return *this;
}
void ByteWriter::patch16(std::size_t offset, std::uint16_t v) {
  buf_.at(offset) = static_cast<std::uint8_t>(v >> 8);
  buf_.at(offset + 1) = static_cast<std::uint8_t>(v);
}

CommandResult runCommand(const std::string& command) {
  CommandResult r;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace rustnet::test

namespace rustnet::test {

TruthTable readTruth() {
  TruthTable t;
  const auto dir = pcapDir();
  if (dir.empty()) return t;
  std::ifstream in(dir / "truth.tsv");
  std::string line;
  std::vector<std::string> header;
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
      const std::size_t tab = s.find('\t', start);
      out.push_back(s.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    return out;
  };
  if (!std::getline(in, line)) return t;
  header = split(line);
  while (std::getline(in, line)) {
    const auto cells = split(line);
    if (cells.empty() || cells[0].empty()) continue;
    auto& row = t[cells[0]];
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
  }
  return t;
}

std::vector<std::filesystem::path> captureFiles() {
  std::vector<std::filesystem::path> files;
  const auto dir = pcapDir();
  if (dir.empty()) return files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string name = e.path().filename().string();
    if (name.find(".pcap") != std::string::npos) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace rustnet::test
