// Every capture in the shared corpus read through openFile(), checked against truth.tsv
// (TShark's counts): frame count, link type, and for the DNS+ICMP capture what a BPF
// filter keeps.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include "capture/source.h"
#include "capture_test_util.h"
#include "support/test_support.h"

namespace rustnet::capture {
namespace {

using test::readAll;

struct TruthRow {
  std::string linkType;
  long packets = -1;
  long dnsMessages = 0;  // queries + responses
  long icmpEchoes = 0;   // requests + replies
};

long toLong(const std::string& s) {
  try {
    return std::stol(s);
  } catch (const std::exception&) {
    return -1;
  }
}

// "12/10" → 22
long sumPair(const std::string& s) {
  const auto slash = s.find('/');
  if (slash == std::string::npos) return toLong(s);
  return toLong(s.substr(0, slash)) + toLong(s.substr(slash + 1));
}

std::map<std::string, TruthRow> loadTruth(const std::filesystem::path& dir) {
  std::ifstream in(dir / "truth.tsv");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  {
    std::stringstream ss(line);
    for (std::string col; std::getline(ss, col, '\t');) header.push_back(col);
  }
  auto column = [&](const std::string& name) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    ADD_FAILURE() << "truth.tsv has no column " << name;
    return std::size_t{0};
  };
  const std::size_t cLink = column("link_type");
  const std::size_t cPackets = column("packets");
  const std::size_t cDnsQ = column("dns_queries");
  const std::size_t cDnsR = column("dns_responses");
  const std::size_t cIcmp = column("icmp_echo_req_rep");
  std::map<std::string, TruthRow> out;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string col; std::getline(ss, col, '\t');) f.push_back(col);
    f.resize(header.size());
    TruthRow r;
    r.linkType = f[cLink];
    r.packets = toLong(f[cPackets]);
    r.dnsMessages = toLong(f[cDnsQ]) + toLong(f[cDnsR]);
    r.icmpEchoes = sumPair(f[cIcmp]);
    out[f[0]] = r;
  }
  return out;
}

// capinfos' link-type names (truth.tsv) → ours; nullopt when there is no single type.
std::optional<decode::LinkType> expectedLinkType(const std::string& capinfos) {
  using decode::LinkType;
  static const std::map<std::string, LinkType> kMap = {
      {"ether", LinkType::Ethernet},      {"null", LinkType::Null},
      {"loop", LinkType::Loop},           {"rawip", LinkType::RawIp},
      {"rawip4", LinkType::RawIpv4},      {"rawip6", LinkType::RawIpv6},
      {"linux-sll", LinkType::LinuxSll},  {"linux-sll2", LinkType::LinuxSll2},
      {"ppp", LinkType::Ppp},             {"pktap", LinkType::Pktap},
      {"frelay", LinkType::Unsupported},
  };
  const auto it = kMap.find(capinfos);
  if (it == kMap.end()) return std::nullopt;
  return it->second;
}

class CorpusTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = rustnet::test::pcapDir();
    if (dir_.empty()) GTEST_SKIP() << "shared pcaps not found (set RUSTNET_PCAP_DIR)";
    truth_ = loadTruth(dir_);
    ASSERT_FALSE(truth_.empty());
  }
  std::filesystem::path dir_;
  std::map<std::string, TruthRow> truth_;
};

TEST_F(CorpusTest, EveryFileHasATruthRow) {
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    if (name == "INDEX.md" || name == "truth.tsv") continue;
    EXPECT_TRUE(truth_.contains(name)) << name;
  }
}

TEST_F(CorpusTest, FrameCountsAndLinkTypesMatchTruth) {
  int files = 0;
  for (const auto& [name, row] : truth_) {
    const auto path = dir_ / name;
    if (!std::filesystem::exists(path)) continue;
    SCOPED_TRACE(name);
    ++files;
    std::unique_ptr<Source> src;
    try {
      src = openFile(path.string());
    } catch (const CaptureError& e) {
      ADD_FAILURE() << "open failed: " << e.what();
      continue;
    }
    EXPECT_FALSE(src->isLive());
    EXPECT_EQ(src->name(), path.string());
    if (const auto want = expectedLinkType(row.linkType)) {
      EXPECT_EQ(src->linkType(), *want) << "capinfos says " << row.linkType << ", pcap DLT "
                                        << src->dataLink() << " " << dataLinkName(src->dataLink());
    }
    const auto r = readAll(*src);
    EXPECT_EQ(r.status, ReadStatus::EndOfFile) << r.error;
    EXPECT_EQ(static_cast<long>(r.frames.size()), row.packets);
    EXPECT_EQ(src->stats().received, r.frames.size());
    const auto bad = std::find_if(r.frames.begin(), r.frames.end(),
                                  [](const test::SeenFrame& f) { return f.wireLen < f.data.size(); });
    EXPECT_EQ(bad, r.frames.end()) << "a frame's wire length is below its captured length";
  }
  EXPECT_GT(files, 0);
}

// libpcap 1.10 refuses this file (eleven interfaces of two link types); our pcapng reader
// gives every frame its own interface's link type.
TEST_F(CorpusTest, MultiLinkTypePcapngGivesEachFrameItsInterfacesLinkType) {
  const auto path = dir_ / "wireshark__many_interfaces.pcapng.1";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "file absent";
  auto src = openFile(path.string());
  const auto r = readAll(*src);
  ASSERT_EQ(r.status, ReadStatus::EndOfFile) << r.error;
  ASSERT_EQ(r.frames.size(), 64u);
  std::set<decode::LinkType> links;
  for (const auto& f : r.frames) links.insert(f.linkType);
  EXPECT_EQ(links, (std::set<decode::LinkType>{decode::LinkType::Ethernet, decode::LinkType::Null}));
  // The end is final: no more frames, same answer.
  test::RecordingSink sink;
  EXPECT_EQ(src->dispatch(10, sink), ReadStatus::EndOfFile);
  EXPECT_TRUE(sink.frames.empty());
}

TEST_F(CorpusTest, GzipFilesReadThroughZlib) {
  int seen = 0;
  for (const auto& [name, row] : truth_) {
    if (!name.ends_with(".gz") || !std::filesystem::exists(dir_ / name)) continue;
    SCOPED_TRACE(name);
    ++seen;
    auto src = openFile((dir_ / name).string());
    const auto r = readAll(*src);
    EXPECT_EQ(r.status, ReadStatus::EndOfFile) << r.error;
    EXPECT_EQ(static_cast<long>(r.frames.size()), row.packets);
  }
  EXPECT_GT(seen, 0);
}

// Compressing a plain capture ourselves must give back the very same frames.
TEST_F(CorpusTest, GzipOfAPlainCaptureGivesIdenticalFrames) {
  test::TempDir tmp;
  for (const char* name : {"ndpi__443-curl.pcap", "ndpi__tls_2_reasms.pcapng"}) {
    SCOPED_TRACE(name);
    const auto plainPath = dir_ / name;
    if (!std::filesystem::exists(plainPath)) continue;
    const auto gzPath = tmp.file(std::string(name) + ".anything");
    test::writeGzip(gzPath, test::readBytes(plainPath));
    auto plain = openFile(plainPath.string());
    auto gz = openFile(gzPath.string());
    const auto a = readAll(*plain, 7);
    const auto b = readAll(*gz, 1000);
    ASSERT_EQ(a.status, ReadStatus::EndOfFile);
    ASSERT_EQ(b.status, ReadStatus::EndOfFile) << b.error;
    ASSERT_EQ(a.frames.size(), b.frames.size());
    for (std::size_t i = 0; i < a.frames.size(); ++i) {
      EXPECT_EQ(a.frames[i].ts, b.frames[i].ts);
      EXPECT_EQ(a.frames[i].wireLen, b.frames[i].wireLen);
      EXPECT_EQ(a.frames[i].data, b.frames[i].data);
    }
  }
}

TEST_F(CorpusTest, BpfFilterKeepsOnlyMatchingFrames) {
  const std::string name = "wireshark__dns+icmp.pcapng.gz";
  if (!truth_.contains(name) || !std::filesystem::exists(dir_ / name)) GTEST_SKIP() << "file absent";
  const TruthRow& row = truth_.at(name);
  ASSERT_GT(row.dnsMessages, 0);
  ASSERT_GT(row.icmpEchoes, 0);
  ASSERT_LT(row.dnsMessages + row.icmpEchoes, row.packets + 1);

  auto dns = openFile((dir_ / name).string(), "udp port 53");
  const auto d = readAll(*dns);
  EXPECT_EQ(d.status, ReadStatus::EndOfFile);
  EXPECT_EQ(static_cast<long>(d.frames.size()), row.dnsMessages);
  for (const auto& f : d.frames) {
    ASSERT_GE(f.data.size(), 14U + 20U + 8U);
    EXPECT_EQ(f.data[14 + 9], 17) << "not UDP";
  }

  auto icmp = openFile((dir_ / name).string(), "icmp");
  const auto i = readAll(*icmp);
  EXPECT_EQ(static_cast<long>(i.frames.size()), row.icmpEchoes);
}

// Expected values are TShark's frame.time_epoch for the first two frames.
TEST_F(CorpusTest, TimestampsAreExact) {
  struct Case {
    const char* file;
    std::int64_t first;
    std::int64_t second;
  };
  const Case cases[] = {
      {"ndpi__doq.pcapng", 1606056093'199591961, 1606056093'201842707},       // ns resolution
      {"ndpi__quic-v2.pcapng", 1671528048'896780491, 1671528048'898552842},   // ns resolution
      {"tcpdump__dns_udp.pcap", 1591780794'740079000, 1591780794'870361000},  // µs pcap
      {"wireshark__dns+icmp.pcapng.gz", 1369953912'269853000, 1369953917'270862000},
  };
  int seen = 0;
  for (const Case& c : cases) {
    const auto path = dir_ / c.file;
    if (!std::filesystem::exists(path)) continue;
    SCOPED_TRACE(c.file);
    ++seen;
    auto src = openFile(path.string());
    test::RecordingSink sink;
    ASSERT_EQ(src->dispatch(2, sink), ReadStatus::Ok);
    ASSERT_EQ(sink.frames.size(), 2U);
    EXPECT_EQ(sink.frames[0].ts.ns, c.first);
    EXPECT_EQ(sink.frames[1].ts.ns, c.second);
  }
  if (seen == 0) GTEST_SKIP() << "none of the files is present";
}

// Real captures cut at many offsets and with bytes flipped: every outcome is one of the
// documented ones (CaptureError naming the file, or frames then EndOfFile/Error with a
// one-line reason), never a crash (run this under ASan).
TEST_F(CorpusTest, DamagedRealCapturesEndCleanly) {
  test::TempDir tmp;
  std::mt19937 rng(2024);
  int variants = 0;
  for (const char* name : {"ndpi__443-curl.pcap", "ndpi__tls_2_reasms.pcapng",
                           "ndpi__quic-v2.pcapng", "wireshark__dns+icmp.pcapng.gz"}) {
    const auto original = dir_ / name;
    if (!std::filesystem::exists(original)) continue;
    const auto bytes = test::readBytes(original);
    const long total = truth_.at(name).packets;
    auto check = [&](const std::vector<std::uint8_t>& damaged, const std::string& what) {
      SCOPED_TRACE(std::string(name) + " " + what);
      ++variants;
      const auto path = tmp.file("damaged");
      test::writeBytes(path, damaged);
      std::unique_ptr<Source> src;
      try {
        src = openFile(path.string());
      } catch (const CaptureError& e) {
        const std::string msg = e.what();
        EXPECT_EQ(msg.rfind("capture file '" + path.string() + "': ", 0), 0U) << msg;
        EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
        return;
      }
      const auto r = readAll(*src);
      ASSERT_TRUE(r.status == ReadStatus::EndOfFile || r.status == ReadStatus::Error);
      if (r.status == ReadStatus::Error) {
        EXPECT_FALSE(r.error.empty());
        EXPECT_EQ(r.error.find('\n'), std::string::npos) << r.error;
      }
      // Cutting never adds frames (flipping a length byte may split one into several).
      if (what.starts_with("cut")) {
        EXPECT_LE(static_cast<long>(r.frames.size()), total);
      }
    };
    const std::size_t step = std::max<std::size_t>(1, bytes.size() / 40);
    for (std::size_t cut = 0; cut < bytes.size(); cut += step) {
      check({bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut)}, "cut at " + std::to_string(cut));
    }
    for (int k = 0; k < 40; ++k) {
      auto damaged = bytes;
      for (int flips = 0; flips < 4; ++flips) {
        // Bias towards the first kilobyte, where the file and block headers are.
        const std::size_t limit = k % 2 == 0 ? std::min<std::size_t>(damaged.size(), 1024) : damaged.size();
        damaged[rng() % limit] ^= static_cast<std::uint8_t>(1U << (rng() % 8));
      }
      check(damaged, "flips #" + std::to_string(k));
    }
  }
  if (variants == 0) GTEST_SKIP() << "none of the files is present";
}

TEST_F(CorpusTest, CutPcapngSaysItIsTruncated) {
  const auto original = dir_ / "ndpi__tls_2_reasms.pcapng";
  if (!std::filesystem::exists(original)) GTEST_SKIP() << "file absent";
  auto bytes = test::readBytes(original);
  bytes.resize(3000);  // inside the sixth packet block
  test::TempDir tmp;
  const auto path = tmp.file("cut.pcapng");
  test::writeBytes(path, bytes);
  const auto r = readAll(*openFile(path.string()));
  EXPECT_EQ(r.frames.size(), 5U);
  ASSERT_EQ(r.status, ReadStatus::Error);
  EXPECT_EQ(r.error.rfind("pcapng capture file is truncated: ", 0), 0U) << r.error;
}

}  // namespace
}  // namespace rustnet::capture
