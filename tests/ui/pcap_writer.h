#pragma once
// Writes small classic pcap files (Ethernet, IPv4, TCP/UDP) for the UI's end-to-end tests,
// so that they need no shared capture and can hold exactly the hostile bytes they test.
#include <cstdint>
#include <string>
#include <vector>

namespace rustnet::test {

class PcapWriter {
public:
  // Every frame's timestamp: `startSec` plus 10 ms per frame written so far.
  explicit PcapWriter(std::int64_t startSec = 1'714'564'800) : startSec_(startSec) {}

  void udp(const std::string& src, std::uint16_t sport, const std::string& dst, std::uint16_t dport,
           const std::vector<std::uint8_t>& payload);
  void tcp(const std::string& src, std::uint16_t sport, const std::string& dst, std::uint16_t dport,
           std::uint32_t seq, std::uint32_t ack, std::uint8_t flags, const std::vector<std::uint8_t>& payload = {});

  // A whole TCP conversation: handshake, the client's and then the server's payload,
  // and (if `close`) FINs both ways.
  void tcpConversation(const std::string& client, std::uint16_t cport, const std::string& server,
                       std::uint16_t sport, const std::vector<std::uint8_t>& fromClient,
                       const std::vector<std::uint8_t>& fromServer, bool close);

  // False when the file cannot be written.
  bool save(const std::string& path) const;

  static constexpr std::uint8_t kFin = 0x01;
  static constexpr std::uint8_t kSyn = 0x02;
  static constexpr std::uint8_t kPsh = 0x08;
  static constexpr std::uint8_t kAck = 0x10;

private:
  void frame(const std::string& src, const std::string& dst, std::uint8_t proto,
             const std::vector<std::uint8_t>& l4);
  std::int64_t startSec_;
  std::vector<std::vector<std::uint8_t>> frames_;
};

// A DNS query for `name` (type A), as a UDP payload.
std::vector<std::uint8_t> dnsQuery(const std::string& name, std::uint16_t id);

}  // namespace rustnet::test
