// ClientHello / ServerHello parsers and the record-layer scan, on hand-built messages.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dpi/tls/hello.h"
#include "dpi/tls/record_layer.h"
#include "tls_builders.h"

namespace rustnet::dpi::tls {
namespace {

using test::buildClientHello;
using test::buildServerHello;
using test::ClientHelloSpec;
using test::wrapInRecords;

core::Bytes bodyOf(const std::vector<std::uint8_t>& msg) { return core::Bytes(msg).subspan(4); }

TEST(TlsHello, ClientHelloFields) {
  ClientHelloSpec spec;
  spec.sni = "www.example.org";
  spec.alpn = {"h2", "http/1.1"};
  spec.supportedVersions = {0x3a3a, 0x0304, 0x0303};
  const auto msg = buildClientHello(spec);
  ClientHello ch;
  ASSERT_EQ(parseClientHello(bodyOf(msg), ch), ParseStatus::Ok);
  EXPECT_EQ(ch.sni, "www.example.org");
  EXPECT_EQ(ch.alpn, (std::vector<std::string>{"h2", "http/1.1"}));
  EXPECT_EQ(ch.legacyVersion, 0x0303);
  EXPECT_EQ(ch.maxVersion, 0x0304);
  EXPECT_TRUE(ch.hasSupportedVersions);
  EXPECT_FALSE(ch.ech);
  EXPECT_EQ(ch.cipherSuiteCount, 3);
}

TEST(TlsHello, LegacyVersionWithoutSupportedVersions) {
  ClientHelloSpec spec;
  spec.legacyVersion = 0x0302;
  spec.supportedVersions.clear();
  const auto msg = buildClientHello(spec);
  ClientHello ch;
  ASSERT_EQ(parseClientHello(bodyOf(msg), ch), ParseStatus::Ok);
  EXPECT_EQ(ch.maxVersion, 0x0302);
  EXPECT_FALSE(ch.hasSupportedVersions);
}

TEST(TlsHello, GreaseOnlyAndDraftVersions) {
  struct Case {
    std::vector<std::uint16_t> offered;
    std::uint16_t expected;
  };
  const std::vector<Case> cases{
      {{0x0a0a, 0xfafa}, 0x0303},          // only GREASE: fall back to the legacy field
      {{0x7f1c}, 0x7f1c},                   // TLS 1.3 draft 28
      {{0x7f1c, 0x0303}, 0x7f1c},           // a draft beats TLS 1.2
      {{0x7f1c, 0x0304, 0x2a2a}, 0x0304},   // the final version beats drafts
      {{0x0301, 0x0302}, 0x0302},
  };
  for (const auto& c : cases) {
    ClientHelloSpec spec;
    spec.supportedVersions = c.offered;
    const auto msg = buildClientHello(spec);
    ClientHello ch;
    ASSERT_EQ(parseClientHello(bodyOf(msg), ch), ParseStatus::Ok);
    EXPECT_EQ(ch.maxVersion, c.expected) << std::hex << c.offered.front();
  }
  EXPECT_EQ(versionName(0x7f1c), "TLS1.3-draft");
  EXPECT_EQ(versionName(0x0304), "TLS1.3");
  EXPECT_TRUE(versionName(0x1234).empty());
}

TEST(TlsHello, EchIsFlaggedAndOuterSniKept) {
  ClientHelloSpec spec;
  spec.sni = "public.example";
  spec.ech = true;
  const auto msg = buildClientHello(spec);
  ClientHello ch;
  ASSERT_EQ(parseClientHello(bodyOf(msg), ch), ParseStatus::Ok);
  EXPECT_TRUE(ch.ech);
  EXPECT_EQ(ch.sni, "public.example");
}

TEST(TlsHello, AlpnCountAndLengthAreCapped) {
  ClientHelloSpec spec;
  spec.alpn.clear();
  for (int i = 0; i < 20; ++i) spec.alpn.push_back(std::string(60, static_cast<char>('a' + i)));
  const auto msg = buildClientHello(spec);
  ClientHello ch;
  ASSERT_EQ(parseClientHello(bodyOf(msg), ch), ParseStatus::Ok);
  ASSERT_EQ(ch.alpn.size(), kMaxAlpnProtocols);
  for (const auto& a : ch.alpn) EXPECT_LE(a.size(), kMaxAlpnNameLength);
}

TEST(TlsHello, QuicTransportParametersAreExposed) {
  ClientHelloSpec spec;
  spec.quicTransportParameters = {0x01, 0x02, 0x67, 0x10};
  const auto msg = buildClientHello(spec);
  ClientHello ch;
  ASSERT_EQ(parseClientHello(bodyOf(msg), ch), ParseStatus::Ok);
  ASSERT_EQ(ch.quicTransportParameters.size(), 4u);
  EXPECT_EQ(ch.quicTransportParameters[2], 0x67);
}

// Every prefix of a ClientHello parses without error, reports Truncated once the extension
// block has begun, and yields the SNI exactly when the whole SNI extension is inside.
TEST(TlsHello, EveryPrefixYieldsWhatIsInside) {
  ClientHelloSpec spec;
  spec.sni = "prefix.example";
  const auto msg = buildClientHello(spec);
  const auto body = bodyOf(msg);
  // body: version 2 + random 32 + sid 33 + suites 2+6 + compression 2 = 77, then the
  // extensions length (2) and the SNI extension (4 + 2 + 3 + 14).
  const std::size_t extStart = 77;
  const std::size_t sniEnd = extStart + 2 + 4 + 2 + 3 + spec.sni.size();
  for (std::size_t n = 0; n < body.size(); ++n) {
    ClientHello ch;
    const ParseStatus s = parseClientHello(body.first(n), ch);
    if (n == extStart) {
      EXPECT_EQ(s, ParseStatus::Ok) << n;  // a hello without extensions is valid
    } else {
      EXPECT_EQ(s, ParseStatus::Truncated) << n;
    }
    EXPECT_EQ(ch.sni.empty(), n < sniEnd) << n;
  }
}

TEST(TlsHello, InconsistentLengthsAreMalformedNotFatal) {
  ClientHelloSpec spec;
  auto msg = buildClientHello(spec);
  // The SNI list length says more than its extension holds.
  const std::size_t sniListLen = 4 + 77 + 2 + 4;
  msg[sniListLen] = 0x7f;
  ClientHello ch;
  EXPECT_EQ(parseClientHello(bodyOf(msg), ch), ParseStatus::Malformed);
  EXPECT_TRUE(ch.sni.empty());
  EXPECT_EQ(ch.alpn.size(), 2u);  // later extensions are still read
}

TEST(TlsHello, ServerHelloVersionAndCipher) {
  ServerHello sh;
  const auto tls13 = buildServerHello({0x0303, 0x1302, 0x0304});
  ASSERT_EQ(parseServerHello(bodyOf(tls13), sh), ParseStatus::Ok);
  EXPECT_EQ(sh.version, 0x0304);
  EXPECT_EQ(sh.legacyVersion, 0x0303);
  EXPECT_EQ(sh.cipherSuite, 0x1302);
  EXPECT_FALSE(sh.helloRetryRequest);
  EXPECT_EQ(cipherSuiteName(0x1302), "TLS_AES_256_GCM_SHA384");

  const auto tls12 = buildServerHello({0x0303, 0xc02f, 0});
  ASSERT_EQ(parseServerHello(bodyOf(tls12), sh), ParseStatus::Ok);
  EXPECT_EQ(sh.version, 0x0303);
  EXPECT_EQ(cipherSuiteName(sh.cipherSuite), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_TRUE(cipherSuiteName(0xabcd).empty());

  // Every prefix is Truncated, except the one ending where a TLS 1.2 hello without
  // extensions would end (version, random, session id, suite, compression).
  for (std::size_t n = 0; n < tls13.size() - 4; ++n) {
    EXPECT_EQ(parseServerHello(bodyOf(tls13).first(n), sh),
              n == 38 ? ParseStatus::Ok : ParseStatus::Truncated) << n;
  }
}

TEST(TlsRecordLayer, MessageOverSeveralRecordsAtEveryPrefix) {
  ClientHelloSpec spec;
  spec.sni = "records.example";
  const auto msg = buildClientHello(spec);
  const auto stream = wrapInRecords(msg, 50);
  std::vector<std::uint8_t> scratch;
  for (std::size_t n = 1; n < stream.size(); ++n) {
    const auto scan = scanFirstHandshake(core::Bytes(stream).first(n), false, scratch);
    ASSERT_EQ(scan.status, HandshakeScan::Status::NeedMore) << n;
  }
  const auto scan = scanFirstHandshake(core::Bytes(stream), false, scratch);
  ASSERT_EQ(scan.status, HandshakeScan::Status::Complete);
  EXPECT_EQ(scan.type, handshake::kClientHello);
  ASSERT_EQ(scan.body.size(), msg.size() - 4);
  EXPECT_TRUE(std::equal(scan.body.begin(), scan.body.end(), msg.begin() + 4));
  // At the cap, a prefix is handed over as Truncated.
  const auto cut = scanFirstHandshake(core::Bytes(stream).first(stream.size() / 2), true, scratch);
  EXPECT_EQ(cut.status, HandshakeScan::Status::Truncated);
  EXPECT_GT(cut.body.size(), 0u);
}

TEST(TlsRecordLayer, TrailingRecordsAfterTheMessageAreIgnored) {
  const auto msg = buildClientHello({});
  auto stream = wrapInRecords(msg);
  const std::vector<std::uint8_t> ccs{20, 3, 3, 0, 1, 1};
  stream.insert(stream.end(), ccs.begin(), ccs.end());
  std::vector<std::uint8_t> scratch;
  const auto scan = scanFirstHandshake(core::Bytes(stream), false, scratch);
  EXPECT_EQ(scan.status, HandshakeScan::Status::Complete);
  EXPECT_TRUE(scratch.empty());  // one record: no copy
}

TEST(TlsRecordLayer, ProxyProtocolHeadersAreSkipped) {
  const auto records = wrapInRecords(buildClientHello({}));
  std::vector<std::uint8_t> v1{};
  const std::string line = "PROXY TCP4 198.18.0.1 198.18.0.2 51000 443\r\n";
  v1.assign(line.begin(), line.end());
  v1.insert(v1.end(), records.begin(), records.end());
  std::vector<std::uint8_t> scratch;
  auto scan = scanFirstHandshake(core::Bytes(v1), false, scratch);
  EXPECT_EQ(scan.status, HandshakeScan::Status::Complete);
  EXPECT_EQ(scan.proxyHeaderLength, line.size());

  std::vector<std::uint8_t> v2{0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
                               0x21, 0x11, 0x00, 0x0c, 198, 18, 0, 1, 198, 18, 0, 2, 0xc7, 0x38, 0x01, 0xbb};
  v2.insert(v2.end(), records.begin(), records.end());
  scan = scanFirstHandshake(core::Bytes(v2), false, scratch);
  EXPECT_EQ(scan.status, HandshakeScan::Status::Complete);
  EXPECT_EQ(scan.proxyHeaderLength, 28u);
  for (std::size_t n = 1; n < v2.size(); ++n) {
    EXPECT_EQ(scanFirstHandshake(core::Bytes(v2).first(n), false, scratch).status,
              HandshakeScan::Status::NeedMore) << n;
  }
}

TEST(TlsRecordLayer, OtherProtocolsAreNotTls) {
  std::vector<std::uint8_t> scratch;
  const std::string http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::vector<std::uint8_t> h(http.begin(), http.end());
  EXPECT_EQ(scanFirstHandshake(core::Bytes(h), false, scratch).status, HandshakeScan::Status::NotTls);
  EXPECT_FALSE(looksLikeTlsHandshake(core::Bytes(h)));
  // Application data record first: not a handshake start.
  const std::vector<std::uint8_t> app{23, 3, 3, 0, 5, 1, 2, 3, 4, 5};
  EXPECT_EQ(scanFirstHandshake(core::Bytes(app), false, scratch).status, HandshakeScan::Status::NotTls);
  // Handshake record carrying a Finished message (type 20) at the start.
  const std::vector<std::uint8_t> fin{22, 3, 3, 0, 4, 20, 0, 0, 0};
  EXPECT_EQ(scanFirstHandshake(core::Bytes(fin), false, scratch).status, HandshakeScan::Status::NotTls);
  const std::string proxyish = "PROXY nonsense without an end";
  const std::vector<std::uint8_t> p(proxyish.begin(), proxyish.end());
  EXPECT_EQ(scanFirstHandshake(core::Bytes(p), false, scratch).status, HandshakeScan::Status::NeedMore);
  EXPECT_EQ(scanFirstHandshake(core::Bytes(p), true, scratch).status, HandshakeScan::Status::NotTls);
}

}  // namespace
}  // namespace rustnet::dpi::tls
