#pragma once
// Helpers shared by the tests: where the shared captures are, where the built binary is,
// and building frames by hand.
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

namespace rustnet::test {

// ../shared/pcaps (or $RUSTNET_PCAP_DIR); empty when absent, and tests then GTEST_SKIP.
std::filesystem::path pcapDir();
// The rustnet binary under test ($RUSTNET_BIN, set by CTest).
std::filesystem::path rustnetBinary();

// Appends big-endian integers and raw bytes: for building packets in tests.
class ByteWriter {
public:
  ByteWriter& u8(std::uint8_t v);
  ByteWriter& be16(std::uint16_t v);
  ByteWriter& be32(std::uint32_t v);
  ByteWriter& bytes(std::initializer_list<std::uint8_t> b);
  ByteWriter& bytes(const std::vector<std::uint8_t>& b);
  ByteWriter& str(const std::string& s);
  [[nodiscard]] std::size_t size() const { return buf_.size(); }
  // Overwrites a 16-bit big-endian value at `offset` (lengths, checksums filled in later).
  void patch16(std::size_t offset, std::uint16_t v);
  [[nodiscard]] const std::vector<std::uint8_t>& data() const { return buf_; }

private:
  std::vector<std::uint8_t> buf_;
};

// Runs a shell command; returns its exit status and captured stdout.
struct CommandResult {
  int status = -1;
  std::string out;
};
CommandResult runCommand(const std::string& command);

}  // namespace rustnet::test

namespace rustnet::test {

// ../shared/pcaps/truth.tsv as file name → column → value; empty when absent.
using TruthTable = std::map<std::string, std::map<std::string, std::string>>;
TruthTable readTruth();
// Capture files in pcapDir() (every *.pcap, *.pcapng, *.gz, *.pcapng.1), sorted by name.
std::vector<std::filesystem::path> captureFiles();

}  // namespace rustnet::test
