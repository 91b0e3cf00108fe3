#include "pcap_writer.h"

#include <fstream>
#include <stdexcept>

#include "core/ip_addr.h"
#include "support/test_support.h"

namespace rustnet::test {

namespace {

std::uint32_t v4(const std::string& text) {
  const auto a = core::IpAddr::parse(text);
  if (!a || !a->isV4()) throw std::invalid_argument("not an IPv4 address: " + text);
  return a->v4HostOrder();
}

void le32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void le16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}

std::uint16_t ipChecksum(const std::vector<std::uint8_t>& h) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) sum += (std::uint32_t{h[i]} << 8) | h[i + 1];
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

}  // namespace

void PcapWriter::frame(const std::string& src, const std::string& dst, std::uint8_t proto,
                       const std::vector<std::uint8_t>& l4) {
  ByteWriter ip;
  ip.u8(0x45).u8(0).be16(static_cast<std::uint16_t>(20 + l4.size())).be16(0).be16(0x4000).u8(64).u8(proto).be16(0);
  ip.be32(v4(src)).be32(v4(dst));
  std::vector<std::uint8_t> header = ip.data();
  const std::uint16_t sum = ipChecksum(header);
  header[10] = static_cast<std::uint8_t>(sum >> 8);
  header[11] = static_cast<std::uint8_t>(sum);
  ByteWriter eth;
  eth.bytes({0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1}).be16(0x0800).bytes(header).bytes(l4);
  frames_.push_back(eth.data());
}

void PcapWriter::udp(const std::string& src, std::uint16_t sport, const std::string& dst, std::uint16_t dport,
                     const std::vector<std::uint8_t>& payload) {
  ByteWriter u;
  u.be16(sport).be16(dport).be16(static_cast<std::uint16_t>(8 + payload.size())).be16(0).bytes(payload);
  frame(src, dst, 17, u.data());
}

void PcapWriter::tcp(const std::string& src, std::uint16_t sport, const std::string& dst, std::uint16_t dport,
                     std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
                     const std::vector<std::uint8_t>& payload) {
  ByteWriter t;
  t.be16(sport).be16(dport).be32(seq).be32(ack).u8(0x50).u8(flags).be16(65535).be16(0).be16(0).bytes(payload);
  frame(src, dst, 6, t.data());
}

void PcapWriter::tcpConversation(const std::string& client, std::uint16_t cport, const std::string& server,
                                 std::uint16_t sport, const std::vector<std::uint8_t>& fromClient,
                                 const std::vector<std::uint8_t>& fromServer, bool close) {
  std::uint32_t c = 1000;
  std::uint32_t s = 5000;
  tcp(client, cport, server, sport, c, 0, kSyn);
  tcp(server, sport, client, cport, s, c + 1, kSyn | kAck);
  ++c;
  ++s;
  tcp(client, cport, server, sport, c, s, kAck);
  if (!fromClient.empty()) {
    tcp(client, cport, server, sport, c, s, kPsh | kAck, fromClient);
    c += static_cast<std::uint32_t>(fromClient.size());
    tcp(server, sport, client, cport, s, c, kAck);
  }
  if (!fromServer.empty()) {
    tcp(server, sport, client, cport, s, c, kPsh | kAck, fromServer);
    s += static_cast<std::uint32_t>(fromServer.size());
    tcp(client, cport, server, sport, c, s, kAck);
  }
  if (close) {
    tcp(client, cport, server, sport, c, s, kFin | kAck);
    tcp(server, sport, client, cport, s, c + 1, kFin | kAck);
    tcp(client, cport, server, sport, c + 1, s + 1, kAck);
  }
}

bool PcapWriter::save(const std::string& path) const {
  std::vector<std::uint8_t> out;
  le32(out, 0xa1b2c3d4);
  le16(out, 2);
  le16(out, 4);
  le32(out, 0);
  le32(out, 0);
  le32(out, 65535);
  le32(out, 1);  // Ethernet
  std::int64_t usec = 0;
  for (const auto& f : frames_) {
    le32(out, static_cast<std::uint32_t>(startSec_ + usec / 1'000'000));
    le32(out, static_cast<std::uint32_t>(usec % 1'000'000));
    le32(out, static_cast<std::uint32_t>(f.size()));
    le32(out, static_cast<std::uint32_t>(f.size()));
    out.insert(out.end(), f.begin(), f.end());
    usec += 10'000;
  }
  std::ofstream file(path, std::ios::binary);
  file.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
  return static_cast<bool>(file);
}

std::vector<std::uint8_t> dnsQuery(const std::string& name, std::uint16_t id) {
  ByteWriter w;
  w.be16(id).be16(0x0100).be16(1).be16(0).be16(0).be16(0);
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    w.u8(static_cast<std::uint8_t>(dot - start)).str(name.substr(start, dot - start));
    start = dot + 1;
  }
  w.u8(0).be16(1).be16(1);
  return w.data();
}

}  // namespace rustnet::test
