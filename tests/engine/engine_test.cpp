// The engine over real captures: any number of workers must report the same connections,
// and nothing may be lost between the capture and the front end.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "support/test_support.h"

namespace rustnet::engine {
namespace {

struct RunResult {
  std::vector<std::string> rows;  // one line per closed connection, sorted
  EngineStats stats;
  std::optional<std::string> error;
};

RunResult runEngine(const std::string& file, int workers, std::size_t maxConnections = 262'144) {
  EngineConfig cfg;
  cfg.readFile = file;
  cfg.workers = workers;
  cfg.tracker.maxConnections = maxConnections;
  Engine e(cfg);
  e.start();
  RunResult run;
  std::vector<ConnectionEvent> events;
  for (;;) {
    const bool done = e.finished();
    e.drainEvents(events);
    if (done) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::size_t opened = 0;
  for (const auto& ev : events) {
    if (ev.kind == ConnectionEvent::Kind::New) {
      ++opened;
      continue;
    }
    const auto& r = ev.record;
    run.rows.push_back(fmt::format("{} {}:{} {}:{} {} {} {}/{} {}/{}", core::protoName(r.proto),
                                   r.local.addr.toString(), r.local.port, r.remote.addr.toString(),
                                   r.remote.port, r.stateLabel, track::endReasonName(ev.reason),
                                   r.sent.packets, r.sent.bytes, r.received.packets, r.received.bytes));
  }
  EXPECT_EQ(opened, run.rows.size()) << "every new connection is closed by the end";
  std::sort(run.rows.begin(), run.rows.end());
  run.stats = e.stats();
  run.error = e.sourceError();
  return run;
}

std::string capture(const char* name) {
  const auto dir = test::pcapDir();
  if (dir.empty()) return {};
  return (dir / name).string();
}

TEST(Engine, SameConnectionsWithAnyNumberOfWorkers) {
  const std::string file = capture("ndpi__alexa-app.pcapng");
  if (file.empty()) GTEST_SKIP() << "shared captures absent";
  const RunResult inlineRun = runEngine(file, 0);
  ASSERT_GT(inlineRun.rows.size(), 50u);
  for (int workers : {1, 2, 3}) {
    const RunResult r = runEngine(file, workers);
    EXPECT_EQ(r.rows, inlineRun.rows) << workers << " workers";
    EXPECT_EQ(r.stats.capture.seen, 3103u);
    EXPECT_EQ(r.stats.decode.ok + r.stats.decode.notIp + r.stats.decode.malformed + r.stats.decode.fragments +
                  r.stats.decode.unsupported,
              r.stats.capture.seen);
    EXPECT_EQ(r.stats.tracker.created, r.rows.size());
  }
}

TEST(Engine, BoundedTableEvictsAndCounts) {
  const std::string file = capture("ndpi__1kxun.pcap");
  if (file.empty()) GTEST_SKIP() << "shared captures absent";
  const RunResult r = runEngine(file, 1, 16);
  EXPECT_GT(r.stats.tracker.evicted, 0u);
  std::size_t evictedRows = std::count_if(r.rows.begin(), r.rows.end(),
                                          [](const std::string& s) { return s.find(" evicted ") != std::string::npos; });
  EXPECT_EQ(evictedRows, r.stats.tracker.evicted);
}

TEST(Engine, CorruptFileReportsWhatWasReadThenTheError) {
  const std::string file = capture("ndpi__443-curl.pcap");
  if (file.empty()) GTEST_SKIP() << "shared captures absent";
  const auto cut = std::filesystem::temp_directory_path() / ("rustnet-cut-" + std::to_string(::getpid()) + ".pcap");
  std::filesystem::copy_file(file, cut, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::resize_file(cut, 40'000);  // mid-record
  const RunResult r = runEngine(cut.string(), 1);
  std::filesystem::remove(cut);
  ASSERT_TRUE(r.error.has_value());
  EXPECT_FALSE(r.error->empty());
  EXPECT_GT(r.stats.capture.seen, 10u);
  EXPECT_LT(r.stats.capture.seen, 109u);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_NE(r.rows[0].find("forced_end"), std::string::npos) << r.rows[0];
}

TEST(Engine, UnreadableFileThrowsAClearError) {
  EngineConfig cfg;
  cfg.readFile = "/nonexistent/file.pcap";
  try {
    Engine e(cfg);
    FAIL() << "expected CaptureError";
  } catch (const capture::CaptureError& err) {
    EXPECT_NE(std::string(err.what()).find("/nonexistent/file.pcap"), std::string::npos) << err.what();
  }
}

// A classic pcap (big-endian header, Ethernet) written by hand: each record is its
// captured bytes and the original length it claims.
struct PcapRecord {
  std::vector<std::uint8_t> bytes;
  std::uint32_t origLen = 0;  // 0: the captured length
  std::uint32_t sec = 0;
};

std::filesystem::path writePcap(const std::string& name, const std::vector<PcapRecord>& records) {
  test::ByteWriter w;
  w.be32(0xa1b2c3d4).be16(2).be16(4).be32(0).be32(0).be32(65535).be32(1);
  std::uint32_t usec = 0;
  for (const auto& r : records) {
    const auto cap = static_cast<std::uint32_t>(r.bytes.size());
    w.be32(1'700'000'000 + r.sec).be32(usec++).be32(cap).be32(r.origLen ? r.origLen : cap);
    w.bytes(r.bytes);
  }
  const auto path = std::filesystem::temp_directory_path() /
                    (name + "-" + std::to_string(::getpid()) + ".pcap");
  std::FILE* f = std::fopen(path.c_str(), "wb");
  EXPECT_NE(f, nullptr);
  if (f != nullptr) {
    std::fwrite(w.data().data(), 1, w.data().size(), f);
    std::fclose(f);
  }
  return path;
}

// Ethernet + IPv4 (+ `data`, the IP payload) between 10.0.0.1 and 10.0.0.2.
std::vector<std::uint8_t> ipFrame(bool forward, std::uint16_t id, std::uint16_t fragField,
                                  const std::vector<std::uint8_t>& data, int totalLen = -1) {
  test::ByteWriter w;
  w.bytes({2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).be16(0x0800);
  const auto total = totalLen >= 0 ? static_cast<std::uint16_t>(totalLen)
                                   : static_cast<std::uint16_t>(20 + data.size());
  w.u8(0x45).u8(0).be16(total).be16(id).be16(fragField).u8(64).u8(17).be16(0);
  w.bytes(forward ? std::initializer_list<std::uint8_t>{10, 0, 0, 1, 10, 0, 0, 2}
                  : std::initializer_list<std::uint8_t>{10, 0, 0, 2, 10, 0, 0, 1});
  w.bytes(data);
  return w.data();
}

std::vector<std::uint8_t> udpHead(bool forward, std::uint16_t length) {
  test::ByteWriter w;
  w.be16(forward ? 40000 : 53).be16(forward ? 53 : 40000).be16(length).be16(0);
  return w.data();
}

// Two 3-fragment UDP datagrams of one flow (the second out of order: last, middle,
// first) and an unfragmented reply.
std::vector<PcapRecord> fragmentedFlow() {
  auto body = [](std::size_t n) { return std::vector<std::uint8_t>(n, 0x5a); };
  std::vector<PcapRecord> recs;
  for (const std::uint16_t id : {0x4242, 0x4243}) {
    std::vector<std::uint8_t> firstData = udpHead(true, 8 + 1472 + 1480 + 100);
    const auto rest = body(1472);
    firstData.insert(firstData.end(), rest.begin(), rest.end());
    std::vector<PcapRecord> d = {{ipFrame(true, id, 0x2000, firstData)},
                                 {ipFrame(true, id, 0x2000 | 185, body(1480))},
                                 {ipFrame(true, id, 370, body(100))}};
    if (id == 0x4243) std::reverse(d.begin(), d.end());
    recs.insert(recs.end(), d.begin(), d.end());
  }
  std::vector<std::uint8_t> reply = udpHead(false, 8 + 20);
  const auto payload = body(20);
  reply.insert(reply.end(), payload.begin(), payload.end());
  recs.push_back({ipFrame(false, 0x99, 0, reply)});
  return recs;
}

TEST(Engine, FragmentsAreCreditedToTheirConnection) {
  const auto path = writePcap("rustnet-frags", fragmentedFlow());
  for (int workers : {0, 1, 2}) {
    const RunResult r = runEngine(path.string(), workers);
    ASSERT_EQ(r.rows.size(), 1u) << workers << " workers";
    // 2 x (1514 + 1514 + 134) sent, one 62-byte reply.
    EXPECT_NE(r.rows[0].find(" 6/6324 1/62"), std::string::npos) << workers << ": " << r.rows[0];
    EXPECT_EQ(r.stats.capture.fragmentsFirst, 2u);
    EXPECT_EQ(r.stats.capture.fragmentsCredited, 4u);
    EXPECT_EQ(r.stats.capture.fragmentsUnmatched, 0u);
    EXPECT_EQ(r.stats.decode.fragments, 4u);
    EXPECT_EQ(r.stats.decode.bytes, 6324u + 62u);
  }
  std::filesystem::remove(path);
}

TEST(Engine, AbsurdRecordLengthIsCapped) {
  std::vector<std::uint8_t> data = udpHead(true, 8 + 4);
  data.insert(data.end(), {1, 2, 3, 4});
  std::vector<PcapRecord> recs = {{ipFrame(true, 1, 0, data), 2'147'483'647u}};
  const auto path = writePcap("rustnet-cap", recs);
  const RunResult r = runEngine(path.string(), 1);
  std::filesystem::remove(path);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_NE(r.rows[0].find(" 1/46 0/0"), std::string::npos) << r.rows[0];  // 14 + 32
  EXPECT_EQ(r.stats.decode.lengthCapped, 1u);
  EXPECT_EQ(r.stats.decode.bytes, 46u);
}

TEST(Engine, ClippedPacketIsTrackedAndCountedTruncated) {
  std::vector<std::uint8_t> data = udpHead(true, 8 + 4);
  data.insert(data.end(), {1, 2, 3, 4});
  std::vector<PcapRecord> recs = {{ipFrame(true, 1, 0, data, 1400)}};
  const auto path = writePcap("rustnet-clip", recs);
  const RunResult r = runEngine(path.string(), 1);
  std::filesystem::remove(path);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_NE(r.rows[0].find(" 1/46 0/0"), std::string::npos) << r.rows[0];
  EXPECT_EQ(r.stats.decode.truncated, 1u);
  EXPECT_EQ(r.stats.decode.malformed, 0u);
}

}  // namespace
}  // namespace rustnet::engine
