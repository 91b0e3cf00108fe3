// openFile() on captures made here: damaged in known ways, gzip-compressed, through a pipe.
// Each damage has one documented outcome: CaptureError on open, or the frames before the
// damage followed by ReadStatus::Error with a one-line reason.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <random>
#include <thread>

#include "capture/source.h"
#include "capture_test_util.h"
#include "support/test_support.h"

namespace rustnet::capture {
namespace {

using test::makePcap;
using test::readAll;
using test::sampleRecords;
using test::writeBytes;

constexpr std::size_t kFileHeader = 24;
constexpr std::size_t kRecordHeader = 16;
constexpr std::size_t kRecord = kRecordHeader + 60;  // sampleRecords() frames are 60 bytes

// The CaptureError message from opening `path`, or "" when it opened.
std::string openError(const std::filesystem::path& path, const std::string& filter = {}) {
  try {
    openFile(path.string(), filter);
  } catch (const CaptureError& e) {
    return e.what();
  }
  return {};
}

void expectOneLine(const std::string& s) {
  EXPECT_FALSE(s.empty());
  EXPECT_EQ(s.find('\n'), std::string::npos) << s;
}

class FileSourceTest : public ::testing::Test {
protected:
  test::TempDir tmp_;
  std::vector<std::uint8_t> good_ = makePcap(sampleRecords(10));
};

TEST_F(FileSourceTest, ReadsAHandMadeCaptureExactly) {
  const auto path = tmp_.file("good.bin");
  writeBytes(path, good_);
  auto src = openFile(path.string());
  EXPECT_EQ(src->linkType(), decode::LinkType::Ethernet);
  EXPECT_EQ(src->dataLink(), 1);
  EXPECT_TRUE(src->warning().empty());
  const auto r = readAll(*src, 3);
  ASSERT_EQ(r.status, ReadStatus::EndOfFile);
  ASSERT_EQ(r.frames.size(), 10U);
  const auto want = sampleRecords(10);
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(r.frames[i].data, want[i].data);
    EXPECT_EQ(r.frames[i].wireLen, 60U);
    EXPECT_EQ(r.frames[i].ts, core::Timestamp::fromMicros(want[i].sec, 250'000));
  }
  EXPECT_TRUE(r.error.empty());
  EXPECT_EQ(src->stats().received, 10U);
  EXPECT_EQ(src->stats().kernelDropped, 0U);
  // EndOfFile is final.
  test::RecordingSink sink;
  EXPECT_EQ(src->dispatch(5, sink), ReadStatus::EndOfFile);
}

TEST_F(FileSourceTest, NanosecondMagicKeepsNanoseconds) {
  auto recs = sampleRecords(2);
  recs[0].frac = 123'456'789;
  recs[1].frac = 1;
  const auto path = tmp_.file("nano.pcap");
  writeBytes(path, makePcap(recs, 1, true));
  const auto r = readAll(*openFile(path.string()));
  ASSERT_EQ(r.frames.size(), 2U);
  EXPECT_EQ(r.frames[0].ts.ns, 1'700'000'000'123'456'789);
  EXPECT_EQ(r.frames[1].ts.ns, 1'700'000'001'000'000'001);
}

TEST_F(FileSourceTest, SnapTruncatedFramesKeepTheirWireLength) {
  auto recs = sampleRecords(1);
  recs[0].wireLen = 1500;
  const auto path = tmp_.file("snap.pcap");
  writeBytes(path, makePcap(recs));
  const auto r = readAll(*openFile(path.string()));
  ASSERT_EQ(r.frames.size(), 1U);
  EXPECT_EQ(r.frames[0].wireLen, 1500U);
  EXPECT_EQ(r.frames[0].data.size(), 60U);
}

TEST_F(FileSourceTest, WireLengthBelowCapturedLengthIsRaised) {
  auto recs = sampleRecords(1);
  recs[0].wireLen = 10;  // a damaged header: fewer bytes on the wire than we hold
  const auto path = tmp_.file("short-wire.pcap");
  writeBytes(path, makePcap(recs));
  const auto r = readAll(*openFile(path.string()));
  ASSERT_EQ(r.frames.size(), 1U);
  EXPECT_EQ(r.frames[0].wireLen, 60U);
}

TEST_F(FileSourceTest, LinkTypesComeFromTheFileHeader) {
  struct Case {
    std::uint32_t linkType;
    decode::LinkType want;
  };
  const Case cases[] = {
      {0, decode::LinkType::Null},        {1, decode::LinkType::Ethernet},
      {9, decode::LinkType::Ppp},         {101, decode::LinkType::RawIp},
      {108, decode::LinkType::Loop},      {113, decode::LinkType::LinuxSll},
      {228, decode::LinkType::RawIpv4},   {229, decode::LinkType::RawIpv6},
      {276, decode::LinkType::LinuxSll2}, {105, decode::LinkType::Unsupported},  // 802.11
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.linkType);
    const auto path = tmp_.file("lt" + std::to_string(c.linkType));
    writeBytes(path, makePcap(sampleRecords(1), c.linkType));
    auto src = openFile(path.string());
    EXPECT_EQ(src->linkType(), c.want) << dataLinkName(src->dataLink());
    EXPECT_EQ(readAll(*src).frames.size(), 1U);
  }
}

TEST(LinkTypeFromDlt, MapsEveryDecodedTypeAndNothingElse) {
  EXPECT_EQ(linkTypeFromDlt(0), decode::LinkType::Null);
  EXPECT_EQ(linkTypeFromDlt(1), decode::LinkType::Ethernet);
  EXPECT_EQ(linkTypeFromDlt(9), decode::LinkType::Ppp);
  EXPECT_EQ(linkTypeFromDlt(12), decode::LinkType::RawIp);
  EXPECT_EQ(linkTypeFromDlt(14), decode::LinkType::RawIp);
  EXPECT_EQ(linkTypeFromDlt(101), decode::LinkType::RawIp);
  EXPECT_EQ(linkTypeFromDlt(108), decode::LinkType::Loop);
  EXPECT_EQ(linkTypeFromDlt(113), decode::LinkType::LinuxSll);
  EXPECT_EQ(linkTypeFromDlt(228), decode::LinkType::RawIpv4);
  EXPECT_EQ(linkTypeFromDlt(229), decode::LinkType::RawIpv6);
  EXPECT_EQ(linkTypeFromDlt(276), decode::LinkType::LinuxSll2);
  EXPECT_EQ(linkTypeFromDlt(258), decode::LinkType::Pktap);
  EXPECT_EQ(linkTypeFromDlt(239), decode::LinkType::Nflog);
  for (int dlt : {-1, 2, 10, 50, 105, 107, 127, 100000}) {
    EXPECT_EQ(linkTypeFromDlt(dlt), decode::LinkType::Unsupported) << dlt;
  }
  EXPECT_EQ(dataLinkName(1), "EN10MB (Ethernet)");
  EXPECT_EQ(dataLinkName(99999), "DLT 99999");
}

// --- damaged files -----------------------------------------------------------------

TEST_F(FileSourceTest, CutInsideARecordHeader) {
  const auto path = tmp_.file("cut-header.pcap");
  const std::size_t cut = kFileHeader + 6 * kRecord + 7;  // 7 bytes into record 7's header
  writeBytes(path, {good_.begin(), good_.begin() + static_cast<std::ptrdiff_t>(cut)});
  const auto r = readAll(*openFile(path.string()));
  EXPECT_EQ(r.frames.size(), 6U);
  ASSERT_EQ(r.status, ReadStatus::Error);
  expectOneLine(r.error);
  EXPECT_NE(r.error.find("truncated"), std::string::npos) << r.error;
}

TEST_F(FileSourceTest, CutInsidePacketData) {
  const auto path = tmp_.file("cut-data.pcap");
  const std::size_t cut = kFileHeader + 4 * kRecord + kRecordHeader + 30;
  writeBytes(path, {good_.begin(), good_.begin() + static_cast<std::ptrdiff_t>(cut)});
  const auto r = readAll(*openFile(path.string()));
  EXPECT_EQ(r.frames.size(), 4U);
  ASSERT_EQ(r.status, ReadStatus::Error);
  expectOneLine(r.error);
  EXPECT_NE(r.error.find("truncated"), std::string::npos) << r.error;
}

TEST_F(FileSourceTest, CutAtARecordBoundaryIsACleanEnd) {
  const auto path = tmp_.file("cut-boundary.pcap");
  const std::size_t cut = kFileHeader + 3 * kRecord;
  writeBytes(path, {good_.begin(), good_.begin() + static_cast<std::ptrdiff_t>(cut)});
  const auto r = readAll(*openFile(path.string()));
  EXPECT_EQ(r.frames.size(), 3U);
  EXPECT_EQ(r.status, ReadStatus::EndOfFile);
}

TEST_F(FileSourceTest, ImpossibleCaptureLengthStopsWithAnError) {
  auto bytes = good_;
  // Record 3's caplen field → 0x7fffffff.
  const std::size_t at = kFileHeader + 2 * kRecord + 8;
  bytes[at] = 0x7f;
  bytes[at + 1] = bytes[at + 2] = bytes[at + 3] = 0xff;
  const auto path = tmp_.file("huge-caplen.pcap");
  writeBytes(path, bytes);
  const auto r = readAll(*openFile(path.string()));
  EXPECT_EQ(r.frames.size(), 2U);
  ASSERT_EQ(r.status, ReadStatus::Error);
  expectOneLine(r.error);
}

TEST_F(FileSourceTest, CutFileHeaderIsAnOpenError) {
  const auto path = tmp_.file("cut-file-header.pcap");
  writeBytes(path, {good_.begin(), good_.begin() + 10});
  const std::string e = openError(path);
  expectOneLine(e);
  EXPECT_NE(e.find(path.string()), std::string::npos) << e;
  EXPECT_NE(e.find("truncated"), std::string::npos) << e;
}

TEST_F(FileSourceTest, GarbageHeaderIsNotACapture) {
  auto bytes = good_;
  for (std::size_t i = 0; i < kFileHeader; ++i) bytes[i] = static_cast<std::uint8_t>(0x30 + i);
  const auto path = tmp_.file("garbage-header.pcap");
  writeBytes(path, bytes);
  const std::string e = openError(path);
  EXPECT_EQ(e, "capture file '" + path.string() + "': not a pcap or pcapng capture");
}

TEST_F(FileSourceTest, EmptyFile) {
  const auto path = tmp_.file("empty.pcap");
  writeBytes(path, {});
  EXPECT_EQ(openError(path), "capture file '" + path.string() + "': the file is empty");
}

TEST_F(FileSourceTest, RandomBytes) {
  std::mt19937 rng(12345);
  std::vector<std::uint8_t> bytes(4096);
  for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
  bytes[0] = 0x00;  // make sure the seed did not produce a capture or gzip magic
  const auto path = tmp_.file("random.pcap");
  writeBytes(path, bytes);
  EXPECT_EQ(openError(path), "capture file '" + path.string() + "': not a pcap or pcapng capture");
}

TEST_F(FileSourceTest, Directory) {
  EXPECT_EQ(openError(tmp_.path()),
            "capture file '" + tmp_.path().string() + "': is a directory, not a capture file");
}

TEST_F(FileSourceTest, MissingFile) {
  const auto path = tmp_.file("does-not-exist.pcap");
  EXPECT_EQ(openError(path),
            "capture file '" + path.string() + "': No such file or directory");
}

TEST_F(FileSourceTest, UnreadableFile) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to switch to user nobody";
  const auto path = tmp_.file("unreadable.pcap");
  writeBytes(path, good_);
  chmod(tmp_.path().c_str(), 0755);  // the directory is reachable; the file is not
  chmod(path.c_str(), 0600);
  EXPECT_EQ(test::runAsNobody([&] { return openError(path); }),
            "capture file '" + path.string() + "': Permission denied");
}

TEST_F(FileSourceTest, ControlCharactersInThePathAreEscaped) {
  const auto path = tmp_.file("bad\nname\x1b[31m.pcap");
  const std::string e = openError(path);
  expectOneLine(e);
  EXPECT_EQ(e.find('\x1b'), std::string::npos) << e;
}

// --- filters -----------------------------------------------------------------------

TEST_F(FileSourceTest, FilterSelectsFrames) {
  auto recs = sampleRecords(6);
  for (std::size_t i = 0; i < recs.size(); i += 2) recs[i].data[14 + 20 + 3] = 54;  // dport 54
  const auto path = tmp_.file("ports.pcap");
  writeBytes(path, makePcap(recs));
  const auto r = readAll(*openFile(path.string(), "udp dst port 53"));
  EXPECT_EQ(r.status, ReadStatus::EndOfFile);
  ASSERT_EQ(r.frames.size(), 3U);
  EXPECT_EQ(r.frames[0].data, recs[1].data);
}

TEST_F(FileSourceTest, BadFilterNamesTheExpression) {
  const auto path = tmp_.file("good.pcap");
  writeBytes(path, good_);
  const std::string e = openError(path, "udp prot 53");
  expectOneLine(e);
  EXPECT_EQ(e.rfind("bad capture filter 'udp prot 53': ", 0), 0U) << e;
  EXPECT_GT(e.size(), std::string("bad capture filter 'udp prot 53': ").size());
}

// --- gzip --------------------------------------------------------------------------

TEST_F(FileSourceTest, GzipIsRecognisedByContent) {
  const auto path = tmp_.file("capture.pcap");  // no .gz suffix on purpose
  test::writeGzip(path, good_);
  const auto r = readAll(*openFile(path.string()));
  EXPECT_EQ(r.status, ReadStatus::EndOfFile);
  EXPECT_EQ(r.frames.size(), 10U);
}

TEST_F(FileSourceTest, TruncatedGzipDeliversWhatItHasThenErrors) {
  // Incompressible payloads so the compressed size grows with the frames.
  auto recs = sampleRecords(200);
  std::mt19937 rng(7);
  for (auto& r : recs) {
    for (std::size_t i = 42; i < r.data.size(); ++i) r.data[i] = static_cast<std::uint8_t>(rng());
  }
  const auto full = tmp_.file("full.gz");
  test::writeGzip(full, makePcap(recs));
  auto gz = test::readBytes(full);
  gz.resize(gz.size() / 2);
  const auto path = tmp_.file("half.gz");
  writeBytes(path, gz);
  const auto r = readAll(*openFile(path.string()));
  EXPECT_GT(r.frames.size(), 10U);
  EXPECT_LT(r.frames.size(), 200U);
  ASSERT_EQ(r.status, ReadStatus::Error);
  EXPECT_EQ(r.error, "gzip data is truncated (the compressed stream ends early)");
}

TEST_F(FileSourceTest, CorruptGzipStreamErrors) {
  const auto full = tmp_.file("full.gz");
  test::writeGzip(full, makePcap(sampleRecords(50)));
  auto gz = test::readBytes(full);
  for (std::size_t i = 20; i < gz.size(); i += 3) gz[i] ^= 0x5a;
  const auto path = tmp_.file("corrupt.gz");
  writeBytes(path, gz);
  std::unique_ptr<Source> src;
  try {
    src = openFile(path.string());
  } catch (const CaptureError& e) {
    expectOneLine(e.what());
    EXPECT_NE(std::string(e.what()).find("gzip"), std::string::npos) << e.what();
    return;
  }
  const auto r = readAll(*src);
  ASSERT_EQ(r.status, ReadStatus::Error);
  expectOneLine(r.error);
}

TEST_F(FileSourceTest, GzipOfSomethingElseIsNotACapture) {
  const auto path = tmp_.file("text.gz");
  test::writeGzip(path, std::vector<std::uint8_t>(1000, 'a'));
  EXPECT_EQ(openError(path), "capture file '" + path.string() +
                                 "': not a pcap or pcapng capture (after gzip decompression)");
}

// --- pipes (cannot be peeked at or rewound) ----------------------------------------

void readThroughFifo(const std::filesystem::path& fifo, const std::vector<std::uint8_t>& content,
                     std::size_t wantFrames) {
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] { writeBytes(fifo, content); });
  std::unique_ptr<Source> src;
  try {
    src = openFile(fifo.string());
  } catch (const CaptureError& e) {
    writer.join();
    FAIL() << e.what();
  }
  const auto r = readAll(*src);
  writer.join();
  EXPECT_EQ(r.status, ReadStatus::EndOfFile) << r.error;
  EXPECT_EQ(r.frames.size(), wantFrames);
}

TEST_F(FileSourceTest, PlainCaptureThroughAPipe) {
  readThroughFifo(tmp_.file("plain.fifo"), good_, 10);
}

TEST_F(FileSourceTest, GzipCaptureThroughAPipe) {
  const auto gzPath = tmp_.file("x.gz");
  test::writeGzip(gzPath, good_);
  readThroughFifo(tmp_.file("gz.fifo"), test::readBytes(gzPath), 10);
}

// --- stopping ----------------------------------------------------------------------

class StopAfter final : public FrameSink {
public:
  StopAfter(Source& s, std::size_t n) : source_(s), n_(n) {}
  void onFrame(const Frame&) override {
    if (++seen == n_) source_.breakLoop();
  }
  std::size_t seen = 0;

private:
  Source& source_;
  std::size_t n_;
};

TEST_F(FileSourceTest, BreakLoopStopsTheBatchAndStaysStopped) {
  const auto path = tmp_.file("good.pcap");
  writeBytes(path, good_);
  auto src = openFile(path.string());
  StopAfter sink(*src, 3);
  EXPECT_EQ(src->dispatch(100, sink), ReadStatus::Stopped);
  EXPECT_EQ(sink.seen, 3U);
  EXPECT_EQ(src->dispatch(100, sink), ReadStatus::Stopped);
  EXPECT_EQ(sink.seen, 3U);
}

TEST_F(FileSourceTest, BreakLoopBeforeDispatch) {
  const auto path = tmp_.file("good.pcap");
  writeBytes(path, good_);
  auto src = openFile(path.string());
  src->breakLoop();
  test::RecordingSink sink;
  EXPECT_EQ(src->dispatch(100, sink), ReadStatus::Stopped);
  EXPECT_TRUE(sink.frames.empty());
}

class ThrowingSink final : public FrameSink {
public:
  void onFrame(const Frame&) override {
    if (++seen == 2) throw std::runtime_error("sink failed");
  }
  int seen = 0;
};

TEST_F(FileSourceTest, ASinkExceptionReachesTheCallerAndEndsTheSource) {
  const auto path = tmp_.file("good.pcap");
  writeBytes(path, good_);
  auto src = openFile(path.string());
  ThrowingSink sink;
  EXPECT_THROW(src->dispatch(100, sink), std::runtime_error);
  EXPECT_EQ(sink.seen, 2);
  test::RecordingSink rest;
  EXPECT_EQ(src->dispatch(100, rest), ReadStatus::Error);
  EXPECT_TRUE(rest.frames.empty());
  EXPECT_EQ(src->lastError(), "reading stopped: the frame consumer threw an exception");
}

}  // namespace
}  // namespace rustnet::capture
