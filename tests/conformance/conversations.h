#pragma once
// TCP and UDP conversations of a capture as tshark sees them (the oracle) and as rustnet's
// JSON reports them, in comparable form. IP fragments are left as they are on the wire
// (tshark's defragmentation off): a later fragment belongs to the conversation whose first
// fragment has the same addresses and IP ID, which is how rustnet credits it.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rustnet::test {

// An endpoint pair, both ways: "TCP 10.0.0.1:80 <-> 10.0.0.2:5000" (endpoints sorted as
// text) → frames in either direction.
using PairFrames = std::map<std::string, std::uint64_t>;

struct DirCounts {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  bool operator==(const DirCounts&) const = default;
};
// One direction of an endpoint pair: "UDP 10.0.0.1:53 > 10.0.0.2:5000" → frames and bytes.
using DirectedCounts = std::map<std::string, DirCounts>;

std::string endpoint(const std::string& ip, std::uint64_t port);
std::string pairKey(const std::string& proto, const std::string& a, const std::string& b);
std::string directedKey(const std::string& proto, const std::string& from, const std::string& to);

// `tshark -z conv,tcp -z conv,udp` (defragmentation off); nullopt when tshark is absent.
std::optional<PairFrames> tsharkPairs(const std::filesystem::path& capture);
// Frame counts and frame.len sums per direction from tshark's per-frame fields (innermost
// IP header; ICMP errors, whose quoted headers are not conversations, left out).
std::optional<DirectedCounts> tsharkDirected(const std::filesystem::path& capture);

// The same two views of rustnet's connection_closed events (a pair may be split over
// several connections by idle timeouts: they are summed).
PairFrames ourPairs(const std::vector<nlohmann::json>& events);
DirectedCounts ourDirected(const std::vector<nlohmann::json>& events);

// One line per key only in `a`, then only in `b` (at most 10 of each), for failure messages.
template <typename Map>
std::string keyDifference(const Map& a, const Map& b, const char* aName, const char* bName) {
  std::string out;
  auto list = [&](const Map& from, const Map& other, const char* label) {
    int shown = 0;
    for (const auto& [k, v] : from) {
      if (other.count(k) != 0) continue;
      if (++shown > 10) {
        out += "\n  ...";
        break;
      }
      out += std::string("\n  only ") + label + ": " + k;
    }
  };
  list(a, b, aName);
  list(b, a, bName);
  return out;
}

}  // namespace rustnet::test
