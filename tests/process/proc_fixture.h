#pragma once
// A fake /proc tree in a temporary directory: processes with fd symlinks to socket inodes,
// comm/exe/cmdline, and /proc/net tables written in the kernel's text format.
#include <arpa/inet.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace rustnet::process::test {

namespace fs = std::filesystem;

class ProcFixture {
public:
  ProcFixture() {
    std::random_device rd;
    root_ = fs::temp_directory_path() / fmt::format("rustnet-proc-{}-{:x}", ::getpid(), rd());
    fs::create_directories(root_ / "net");
  }
  ~ProcFixture() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  ProcFixture(const ProcFixture&) = delete;
  ProcFixture& operator=(const ProcFixture&) = delete;

  [[nodiscard]] const fs::path& root() const { return root_; }

  void addProcess(int pid, const std::string& comm, const std::string& exe,
                  const std::vector<std::uint64_t>& socketInodes,
                  const std::string& cmdline = "") {
    const auto dir = root_ / std::to_string(pid);
    fs::create_directories(dir / "fd");
    write(dir / "comm", comm + "\n");
    if (!exe.empty()) fs::create_symlink(exe, dir / "exe");
    write(dir / "cmdline", cmdline);
    fs::create_symlink("/dev/null", dir / "fd" / "0");  // not a socket: ignored
    int fd = 3;
    for (auto inode : socketInodes) addFd(pid, fd++, inode);
  }
  void addFd(int pid, int fd, std::uint64_t inode) {
    fs::create_symlink(fmt::format("socket:[{}]", inode),
                       root_ / std::to_string(pid) / "fd" / std::to_string(fd));
  }
  void removeFd(int pid, int fd) { fs::remove(root_ / std::to_string(pid) / "fd" / std::to_string(fd)); }
  void removeProcess(int pid) { fs::remove_all(root_ / std::to_string(pid)); }

  // One socket line; `table` is tcp, tcp6, udp or udp6.
  void addSocket(const std::string& table, const std::string& local, std::uint16_t lport,
                 const std::string& remote, std::uint16_t rport, int state,
                 std::uint64_t inode, std::uint32_t uid = 1000) {
    const bool v6 = table.back() == '6';
    auto& lines = tables_[table];
    lines.push_back(fmt::format(
        "{:4}: {}:{:04X} {}:{:04X} {:02X} 00000000:00000000 00:00000000 00000000 {:5} 0 {} 1 "
        "0000000000000000 100 0 0 10 0",
        lines.size(), hexAddr(local, v6), lport, hexAddr(remote, v6), rport, state, uid, inode));
    flush(table);
  }
  void clearSockets() {
    for (auto& [t, lines] : tables_) {
      lines.clear();
      flush(t);
    }
  }

  // The kernel prints each 32-bit word of the address as the CPU reads it from memory.
  static std::string hexAddr(const std::string& text, bool v6) {
    std::uint8_t raw[16] = {};
    if (v6) {
      if (inet_pton(AF_INET6, text.c_str(), raw) != 1) throw std::runtime_error("bad v6 " + text);
    } else if (inet_pton(AF_INET, text.c_str(), raw) != 1) {
      throw std::runtime_error("bad v4 " + text);
    }
    std::string out;
    for (int w = 0; w < (v6 ? 4 : 1); ++w) {
      std::uint32_t word;
      std::memcpy(&word, raw + w * 4, 4);
      out += fmt::format("{:08X}", word);
    }
    return out;
  }

private:
  static void write(const fs::path& p, const std::string& s) {
    std::ofstream(p, std::ios::binary) << s;
  }
  void flush(const std::string& table) {
    std::string text =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
        "timeout inode\n";
    for (const auto& l : tables_[table]) text += l + "\n";
    write(root_ / "net" / table, text);
  }

  fs::path root_;
  std::map<std::string, std::vector<std::string>> tables_;
};

}  // namespace rustnet::process::test
