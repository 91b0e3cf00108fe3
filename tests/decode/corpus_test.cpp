// Decodes every frame of every capture in the shared corpus (without libpcap) and compares
// a few counts with tshark's, from truth.tsv.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "capture_reader.h"
#include "decode/packet.h"
#include "support/test_support.h"

namespace rustnet::decode::testing {
namespace {

using Row = std::map<std::string, std::string>;

// truth.tsv: tab-separated, one header row, one row per capture keyed by the `file` column.
std::map<std::string, Row> readTruth(const std::filesystem::path& path) {
  std::map<std::string, Row> rows;
  std::ifstream in(path);
  std::string line;
  std::vector<std::string> header;
  auto split = [](const std::string& s) {
    std::vector<std::string> cells;
    std::stringstream ss(s);
    std::string cell;
    while (std::getline(ss, cell, '\t')) cells.push_back(cell);
    if (!s.empty() && s.back() == '\t') cells.emplace_back();
    return cells;
  };
  if (!std::getline(in, line)) return rows;
  header = split(line);
  while (std::getline(in, line)) {
    const auto cells = split(line);
    Row row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    if (row.count("file") != 0) rows[row["file"]] = row;
  }
  return rows;
}

// What we count per capture, in truth.tsv's "a/b" notation where it has one.
struct Tally {
  std::size_t records = 0;
  std::size_t snaplenCut = 0;
  std::map<Status, std::size_t> status;
  std::size_t arpRequest = 0, arpReply = 0;
  std::size_t echoRequest = 0, echoReply = 0;
  std::size_t echo6Request = 0, echo6Reply = 0;
  std::size_t fragments = 0;  // IP fragments whose IP header was read, whatever the status

  [[nodiscard]] std::string arp() const { return pair(arpRequest, arpReply); }
  [[nodiscard]] std::string echo() const { return pair(echoRequest, echoReply); }
  [[nodiscard]] std::string echo6() const { return pair(echo6Request, echo6Reply); }
  static std::string pair(std::size_t a, std::size_t b) {
    return std::to_string(a) + "/" + std::to_string(b);
  }
};

void count(Tally& t, Status st, const PacketView& p) {
  ++t.status[st];
  if (p.fragmented) ++t.fragments;
  if (st != Status::Ok) return;
  if (p.network == Network::Arp) {
    t.arpRequest += p.arpOp == 1 ? 1 : 0;
    t.arpReply += p.arpOp == 2 ? 1 : 0;
  } else if (p.proto == 1) {
    t.echoRequest += p.icmpType == 8 ? 1 : 0;
    t.echoReply += p.icmpType == 0 ? 1 : 0;
  } else if (p.proto == 58) {
    t.echo6Request += p.icmpType == 128 ? 1 : 0;
    t.echo6Reply += p.icmpType == 129 ? 1 : 0;
  }
}

// Where our answer differs from tshark's on purpose: file, column, our value, why.
struct KnownDifference {
  const char* file;
  const char* column;
  const char* ours;
  const char* why;
};
constexpr KnownDifference kKnownDifferences[] = {
    {"tcpdump__arp-too-long-tha.pcap", "arp_req_rep", "0/0",
     "hardware address size 14 is not Ethernet: Malformed by design, tshark decodes any size"},
    {"tcpdump__icmpv6-rfc7112.pcap", "ip_fragment_pkts", "0",
     "the fragment header is inside the packet quoted by an ICMPv6 error, which is not parsed"},
};

const KnownDifference* knownDifference(const std::string& file, const std::string& column) {
  for (const KnownDifference& k : kKnownDifferences)
    if (file == k.file && column == k.column) return &k;
  return nullptr;
}

void compare(const std::string& file, const Row& row, const std::string& column,
             const std::string& ours) {
  const auto it = row.find(column);
  if (it == row.end() || it->second.empty()) return;
  if (const KnownDifference* k = knownDifference(file, column)) {
    EXPECT_EQ(ours, k->ours) << file << " " << column << " (known difference: " << k->why
                             << "; tshark says " << it->second << ")";
    return;
  }
  EXPECT_EQ(ours, it->second) << file << " " << column;
}

TEST(DecodeCorpus, EveryFrameOfEveryCapture) {
  const std::filesystem::path dir = rustnet::test::pcapDir();
  if (dir.empty()) GTEST_SKIP() << "no shared capture folder";
  const auto truth = readTruth(dir / "truth.tsv");
  ASSERT_FALSE(truth.empty()) << "truth.tsv missing or empty";

  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    const std::string ext = entry.path().extension().string();
    if (ext == ".gz" || ext == ".md" || ext == ".tsv") continue;  // gzip: not ours to inflate
    SCOPED_TRACE(name);
    Capture cap;
    const bool whole = readCapture(entry.path(), cap);
    EXPECT_TRUE(whole) << cap.error;
    ++files;

    Tally t;
    for (const CaptureRecord& r : cap.records) {
      // Exact-size copy: a read past the frame is then a heap overflow under ASan.
      const std::vector<std::uint8_t> frame(r.data.begin(), r.data.end());
      PacketView p;
      const Status st = decode(linkTypeFromFile(r.linkType), core::Bytes(frame), r.wireLen,
                               core::Timestamp{}, p);
      ++t.records;
      if (r.data.size() < r.wireLen) ++t.snaplenCut;
      if (!p.payload.empty()) {
        ASSERT_GE(p.payload.data(), frame.data());
        ASSERT_LE(p.payload.data() + p.payload.size(), frame.data() + frame.size());
      }
      ASSERT_LE(p.payload.size(), p.payloadWireLen);
      count(t, st, p);
    }
    std::printf("%-80s frames %5zu ok %5zu frag %4zu notip %4zu unsup %4zu malformed %4zu\n",
                name.c_str(), t.records, t.status[Status::Ok], t.status[Status::Fragment],
                t.status[Status::NotIp], t.status[Status::Unsupported],
                t.status[Status::Malformed]);

    const auto row = truth.find(name);
    if (row == truth.end()) continue;
    compare(name, row->second, "packets", std::to_string(t.records));
    compare(name, row->second, "snaplen_truncated_pkts", std::to_string(t.snaplenCut));
    compare(name, row->second, "arp_req_rep", t.arp());
    compare(name, row->second, "icmp_echo_req_rep", t.echo());
    compare(name, row->second, "icmpv6_echo_req_rep", t.echo6());
    compare(name, row->second, "ip_fragment_pkts", std::to_string(t.fragments));
  }
  EXPECT_GT(files, 50u);
}

}  // namespace
}  // namespace rustnet::decode::testing
