#include "capture_reader.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>

namespace rustnet::decode::testing {
namespace {

constexpr std::uint32_t kPcapMicro = 0xa1b2c3d4;
constexpr std::uint32_t kPcapNano = 0xa1b23c4d;
constexpr std::uint32_t kNgSectionHeader = 0x0a0d0d0a;
constexpr std::uint32_t kNgByteOrder = 0x1a2b3c4d;
constexpr std::uint32_t kNgInterface = 1;
constexpr std::uint32_t kNgSimplePacket = 3;
constexpr std::uint32_t kNgEnhancedPacket = 6;
constexpr std::uint32_t kMaxRecord = 16u << 20;  // no test capture comes near this

// A cursor that reads integers in the file's byte order.
struct Reader {
  core::Cursor c;
  bool bigEndian = false;
  std::optional<std::uint16_t> u16() { return bigEndian ? c.be16() : c.le16(); }
  std::optional<std::uint32_t> u32() { return bigEndian ? c.be32() : c.le32(); }
};

bool fail(Capture& out, std::string why) {
  out.error = std::move(why);
  return false;
}

bool readPcap(Capture& out, bool bigEndian) {
  Reader r{core::Cursor(core::Bytes(out.file)), bigEndian};
  if (!r.c.skip(20)) return fail(out, "short pcap header");
  const auto link = r.u32();
  if (!link) return fail(out, "short pcap header");
  while (!r.c.empty()) {
    const bool ts = r.c.skip(8);
    const auto capLen = r.u32();
    const auto wireLen = r.u32();
    if (!ts || !capLen || !wireLen) return fail(out, "truncated record header");
    if (*capLen > kMaxRecord) return fail(out, "record larger than the cap");
    const auto data = r.c.take(*capLen);
    if (!data) return fail(out, "truncated record");
    out.records.push_back({*link & 0xffff, *data, *wireLen});  // upper bits: FCS info
  }
  return true;
}

bool readPcapng(Capture& out) {
  core::Cursor file{core::Bytes(out.file)};
  bool bigEndian = false;
  std::vector<std::uint32_t> interfaces;
  while (!file.empty()) {
    const auto type = file.peekBe32();  // the SHB type reads the same in both orders
    if (!type) return fail(out, "truncated block");
    if (*type == kNgSectionHeader) {
      const auto magic = file.peekBe32(8);
      if (!magic) return fail(out, "truncated section header");
      bigEndian = *magic == kNgByteOrder;
      if (!bigEndian && *magic != 0x4d3c2b1a) return fail(out, "bad byte-order magic");
      interfaces.clear();
    }
    Reader head{core::Cursor(file.rest()), bigEndian};
    const auto blockType = head.u32();
    const auto blockLen = head.u32();
    if (!blockType || !blockLen || *blockLen < 12 || *blockLen % 4 != 0)
      return fail(out, "bad block length");
    const auto block = file.take(*blockLen);
    if (!block) return fail(out, "truncated block");
    // Body between the two length fields.
    Reader body{core::Cursor(block->subspan(8, *blockLen - 12)), bigEndian};

    if (*blockType == kNgInterface) {
      const auto link = body.u16();
      if (!link) return fail(out, "short interface block");
      interfaces.push_back(*link);
    } else if (*blockType == kNgEnhancedPacket) {
      const auto iface = body.u32();
      const bool ts = body.c.skip(8);
      const auto capLen = body.u32();
      const auto wireLen = body.u32();
      if (!iface || !ts || !capLen || !wireLen) return fail(out, "short packet block");
      if (*iface >= interfaces.size()) return fail(out, "packet on an undeclared interface");
      const auto data = body.c.take(*capLen);
      if (!data) return fail(out, "packet data beyond its block");
      out.records.push_back({interfaces[*iface], *data, *wireLen});
    } else if (*blockType == kNgSimplePacket) {
      const auto wireLen = body.u32();
      if (!wireLen) return fail(out, "short simple packet block");
      if (interfaces.empty()) return fail(out, "packet on an undeclared interface");
      // The captured length is implied: the smaller of the wire length and the block body.
      const std::size_t capLen = std::min<std::size_t>(*wireLen, body.c.remaining());
      out.records.push_back({interfaces[0], *body.c.take(capLen), *wireLen});
    }
  }
  return true;
}

}  // namespace

bool readCapture(const std::filesystem::path& path, Capture& out) {
  out = Capture{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(out, "cannot open");
  out.file.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  core::Cursor c{core::Bytes(out.file)};
  const auto be = c.peekBe32();
  if (!be) return fail(out, "too short for a magic number");
  if (*be == kPcapMicro || *be == kPcapNano) return readPcap(out, true);
  const auto le = c.le32();
  if (*le == kPcapMicro || *le == kPcapNano) return readPcap(out, false);
  if (*be == kNgSectionHeader) return readPcapng(out);
  return fail(out, "not a pcap or pcapng file");
}

LinkType linkTypeFromFile(std::uint32_t linkType) {
  switch (linkType) {
    case 0: return LinkType::Null;
    case 1: return LinkType::Ethernet;
    case 9: return LinkType::Ppp;
    case 12:  // DLT_RAW as some writers store it
    case 101: return LinkType::RawIp;
    case 108: return LinkType::Loop;
    case 113: return LinkType::LinuxSll;
    case 228: return LinkType::RawIpv4;
    case 229: return LinkType::RawIpv6;
    case 239: return LinkType::Nflog;
    case 258: return LinkType::Pktap;
    case 276: return LinkType::LinuxSll2;
    default: return LinkType::Unsupported;
  }
}

}  // namespace rustnet::decode::testing
