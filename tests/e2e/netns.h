#pragma once
// Two network namespaces joined by a veth pair, made by the test and removed after it.
// Addresses come from 198.18.0.0/15 (benchmarking range); nothing leaves the namespaces.
#include <string>

namespace rustnet::test {

class NetnsPair {
public:
  // Empty reason() when the pair is up; otherwise why not (not root, no `ip`, ...).
  NetnsPair();
  ~NetnsPair();
  NetnsPair(const NetnsPair&) = delete;
  NetnsPair& operator=(const NetnsPair&) = delete;

  [[nodiscard]] const std::string& reason() const { return reason_; }
  [[nodiscard]] std::string execA(const std::string& cmd) const { return "ip netns exec " + nsA_ + " " + cmd; }
  [[nodiscard]] std::string execB(const std::string& cmd) const { return "ip netns exec " + nsB_ + " " + cmd; }
  [[nodiscard]] const std::string& vethA() const { return vethA_; }
  static constexpr const char* kAddrA = "198.18.0.1";
  static constexpr const char* kAddrB = "198.18.0.2";

private:
  std::string nsA_;
  std::string nsB_;
  std::string vethA_;
  std::string vethB_;
  std::string reason_;
};

}  // namespace rustnet::test
