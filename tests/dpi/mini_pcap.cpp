#include "mini_pcap.h"

#include <zlib.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace rustnet::test {

namespace {

std::vector<std::uint8_t> slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + file.string());
  std::vector<std::uint8_t> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (raw.size() < 2 || raw[0] != 0x1f || raw[1] != 0x8b) return raw;
  gzFile gz = gzopen(file.c_str(), "rb");
  if (gz == nullptr) throw std::runtime_error("cannot gzopen " + file.string());
  std::vector<std::uint8_t> out;
  std::uint8_t buf[65536];
  int n = 0;
  while ((n = gzread(gz, buf, sizeof buf)) > 0) out.insert(out.end(), buf, buf + n);
  gzclose(gz);
  return out;
}

struct Reader {
  const std::vector<std::uint8_t>& b;
  bool swap = false;
  std::uint32_t u32(std::size_t at) const {
    std::uint32_t v;
    std::memcpy(&v, b.data() + at, 4);
    return swap ? __builtin_bswap32(v) : v;
  }
  std::uint16_t u16(std::size_t at) const {
    std::uint16_t v;
    std::memcpy(&v, b.data() + at, 2);
    return swap ? __builtin_bswap16(v) : v;
  }
};

void readPcap(const std::vector<std::uint8_t>& b, std::vector<PcapPacket>& out) {
  Reader r{b};
  const std::uint32_t magic = r.u32(0);
  bool nanos = false;
  if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) r.swap = true;
  nanos = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
  const decode::LinkType link = linkFromDlt(r.u32(20) & 0x0fffffff);
  for (std::size_t at = 24; at + 16 <= b.size();) {
    const std::uint32_t sec = r.u32(at);
    const std::uint32_t frac = r.u32(at + 4);
    const std::uint32_t cap = r.u32(at + 8);
    const std::uint32_t len = r.u32(at + 12);
    if (at + 16 + cap > b.size()) break;
    PcapPacket p;
    p.link = link;
    p.ts = core::Timestamp::fromNanos(std::int64_t{sec} * 1'000'000'000 + (nanos ? frac : std::int64_t{frac} * 1000));
    p.wireLen = len;
    p.data.assign(b.begin() + static_cast<std::ptrdiff_t>(at + 16), b.begin() + static_cast<std::ptrdiff_t>(at + 16 + cap));
    out.push_back(std::move(p));
    at += 16 + cap;
  }
}

void readPcapng(const std::vector<std::uint8_t>& b, std::vector<PcapPacket>& out) {
  Reader r{b};
  struct Iface {
    decode::LinkType link;
    std::uint64_t unitsPerSecond = 1'000'000;  // if_tsresol, microseconds by default
  };
  std::vector<Iface> ifaces;
  for (std::size_t at = 0; at + 12 <= b.size();) {
    std::uint32_t type = r.u32(at);
    if (type == 0x0a0d0d0a) {
      r.swap = false;
      if (r.u32(at + 8) != 0x1a2b3c4d) r.swap = true;
      ifaces.clear();
    }
    const std::uint32_t total = r.u32(at + 4);
    if (total < 12 || at + total > b.size()) break;
    const std::size_t body = at + 8;
    if (type == 1 && total >= 20) {
      Iface iface{linkFromDlt(r.u16(body))};
      // Options follow link type (2), reserved (2) and snaplen (4): look for if_tsresol (9).
      for (std::size_t o = body + 8; o + 4 <= at + total - 4;) {
        const std::uint16_t code = r.u16(o);
        const std::uint16_t len = r.u16(o + 2);
        if (code == 0) break;
        if (code == 9 && len >= 1) {
          const std::uint8_t v = b[o + 4];
          const unsigned exp = v & 0x7f;
          std::uint64_t units = 1;
          for (unsigned i = 0; i < exp && units < (std::uint64_t{1} << 60); ++i) units *= (v & 0x80) ? 2 : 10;
          iface.unitsPerSecond = units;
        }
        o += 4 + ((len + 3u) & ~3u);
      }
      ifaces.push_back(iface);
    } else if (type == 6 && total >= 32) {
      const std::uint32_t iface = r.u32(body);
      const std::uint64_t ts = (std::uint64_t{r.u32(body + 4)} << 32) | r.u32(body + 8);
      const std::uint32_t cap = r.u32(body + 12);
      const std::uint32_t len = r.u32(body + 16);
      if (body + 20 + cap <= at + total && iface < ifaces.size()) {
        PcapPacket p;
        const auto units = ifaces[iface].unitsPerSecond;
        p.link = ifaces[iface].link;
        p.ts = core::Timestamp::fromNanos(static_cast<std::int64_t>((ts / units) * 1'000'000'000 +
                                                                     (ts % units) * 1'000'000'000 / units));
        p.wireLen = len;
        p.data.assign(b.begin() + static_cast<std::ptrdiff_t>(body + 20),
                      b.begin() + static_cast<std::ptrdiff_t>(body + 20 + cap));
        out.push_back(std::move(p));
      }
    } else if (type == 3 && total >= 16 && !ifaces.empty()) {
      const std::uint32_t len = r.u32(body);
      const std::size_t cap = std::min<std::size_t>(len, total - 16);
      PcapPacket p;
      p.link = ifaces[0].link;
      p.wireLen = len;
      p.data.assign(b.begin() + static_cast<std::ptrdiff_t>(body + 4),
                    b.begin() + static_cast<std::ptrdiff_t>(body + 4 + cap));
      out.push_back(std::move(p));
    }
    at += total;
  }
}

}  // namespace

decode::LinkType linkFromDlt(std::uint32_t dlt) {
  switch (dlt) {
    case 0: return decode::LinkType::Null;
    case 1: return decode::LinkType::Ethernet;
    case 9: return decode::LinkType::Ppp;
    case 12:
    case 14:
    case 101: return decode::LinkType::RawIp;
    case 108: return decode::LinkType::Loop;
    case 113: return decode::LinkType::LinuxSll;
    case 228: return decode::LinkType::RawIpv4;
    case 229: return decode::LinkType::RawIpv6;
    case 276: return decode::LinkType::LinuxSll2;
    default: return decode::LinkType::Unsupported;
  }
}

std::vector<PcapPacket> readCapture(const std::filesystem::path& file) {
  const std::vector<std::uint8_t> b = slurp(file);
  std::vector<PcapPacket> out;
  if (b.size() < 24) return out;
  std::uint32_t magic;
  std::memcpy(&magic, b.data(), 4);
  if (magic == 0x0a0d0d0a) {
    readPcapng(b, out);
  } else {
    readPcap(b, out);
  }
  return out;
}

}  // namespace rustnet::test
