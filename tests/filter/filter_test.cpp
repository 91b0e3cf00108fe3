// The filter language (SPEC §6): parsing, notices, and matching each keyword.
#include "dpi/dns/dns_facts.h"
#include "filter/filter.h"

#include <gtest/gtest.h>

#include "filter/fields.h"
#include "filter/pattern.h"
#include "filter/test_records.h"

namespace rustnet::test {
namespace {

using filter::Field;
using filter::Filter;
namespace proto = core::proto;

bool match(const char* query, const engine::ConnectionRecord& r) { return Filter::parse(query).matches(r); }

// A server on this host answering a half-open connection on 443.
engine::ConnectionRecord synRecv() {
  return RecordBuilder(1, proto::kTcp, ep("192.0.2.10", 443), ep("198.51.100.7", 51000))
      .state(track::State::SynRecv)
      .service("https");
}
engine::ConnectionRecord httpsOut() {
  return RecordBuilder(2, proto::kTcp, ep("192.0.2.10", 40000), ep("140.82.121.4", 443))
      .service("https")
      .tls("GitHub.com")
      .process(4242, "firefox-esr", "/usr/lib/firefox-esr/firefox-esr");
}
engine::ConnectionRecord sshOut() {
  return RecordBuilder(3, proto::kTcp, ep("192.0.2.10", 50022), ep("203.0.113.5", 22))
      .service("ssh")
      .ssh("OpenSSH_9.2p1", "OpenSSH_8.4p1");
}
engine::ConnectionRecord dnsV6() {
  return RecordBuilder(4, proto::kUdp, ep("2001:db8::10", 53001), ep("2001:db8::53", 53))
      .service("domain")
      .dpi(&dpi::dns::kDns, [](dpi::Facts& f) {
        f.get<dpi::DnsFacts>().qname = "example.org";
        f.get<dpi::DnsFacts>().qtype = 28;
        f.get<dpi::DnsFacts>().querySeen = true;
        f.get<dpi::DnsFacts>().responseSeen = true;
        f.get<dpi::DnsFacts>().rcode = 3;
        f.advanceState(&dpi::dns::kResponse);
      });
}
engine::ConnectionRecord ping() {
  return RecordBuilder(5, proto::kIcmp, ep("192.0.2.10", 7), ep("192.0.2.1", 7)).state(track::State::EchoReply);
}

TEST(FilterParse, EmptyAndBlankQueriesMatchEverything) {
  for (const char* q : {"", "   ", "\t", "!", "port:", "!sni:"}) {
    const Filter f = Filter::parse(q);
    EXPECT_TRUE(f.empty()) << q;
    EXPECT_TRUE(f.notices().empty()) << q;
    EXPECT_TRUE(f.matches(synRecv())) << q;
  }
}

TEST(FilterParse, TermsKeywordsAndNegation) {
  const Filter f = Filter::parse("  sport:443   !State:SYN_recv github ");
  ASSERT_EQ(f.terms().size(), 3u);
  EXPECT_EQ(f.terms()[0].field, Field::SrcPort);
  ASSERT_TRUE(f.terms()[0].ports);
  EXPECT_EQ(f.terms()[0].ports->lo, 443);
  EXPECT_EQ(f.terms()[0].ports->hi, 443);
  EXPECT_FALSE(f.terms()[0].negate);
  EXPECT_EQ(f.terms()[1].field, Field::State);
  EXPECT_TRUE(f.terms()[1].negate);
  EXPECT_EQ(f.terms()[1].text, "syn_recv");
  EXPECT_EQ(f.terms()[2].field, Field::Any);
  EXPECT_EQ(f.terms()[2].text, "github");
  EXPECT_TRUE(f.notices().empty());
}

TEST(FilterParse, UnknownKeywordIsTextWithANotice) {
  const Filter f = Filter::parse("prot:tcp");
  ASSERT_EQ(f.terms().size(), 1u);
  EXPECT_EQ(f.terms()[0].field, Field::Any);
  EXPECT_EQ(f.terms()[0].text, "prot:tcp");
  ASSERT_EQ(f.notices().size(), 1u);
  EXPECT_NE(f.notices()[0].find("unknown keyword 'prot:'"), std::string::npos);
}

TEST(FilterParse, AddressesWithColonsAreTextWithoutNotice) {
  for (const char* q : {"2001:db8::53", "192.0.2.10:443", "[2001:db8::10]:53001", "::1"}) {
    const Filter f = Filter::parse(q);
    ASSERT_EQ(f.terms().size(), 1u) << q;
    EXPECT_EQ(f.terms()[0].field, Field::Any) << q;
    EXPECT_TRUE(f.notices().empty()) << q;
  }
}

TEST(FilterParse, BadValuesAreIgnoredWithANotice) {
  for (const char* q : {"port:https", "dport:70000", "port:90-80", "sport:1-", "src:10.0.0.0/33",
                        "dst:nothing/8"}) {
    const Filter f = Filter::parse(q);
    EXPECT_TRUE(f.empty()) << q;
    EXPECT_EQ(f.notices().size(), 1u) << q;
  }
}

TEST(FilterParse, NoticesEscapeControlCharacters) {
  const Filter f = Filter::parse("port:\x1b[31m");
  ASSERT_EQ(f.notices().size(), 1u);
  EXPECT_EQ(f.notices()[0].find('\x1b'), std::string::npos);
  EXPECT_NE(f.notices()[0].find("\\x1b"), std::string::npos);
}

TEST(FilterParse, TermCountIsCapped) {
  std::string q;
  for (int i = 0; i < 40; ++i) q += "a ";
  const Filter f = Filter::parse(q);
  EXPECT_EQ(f.terms().size(), 32u);
  EXPECT_EQ(f.notices().size(), 1u);
}

TEST(FilterMatch, SpecExamples) {
  EXPECT_TRUE(match("sport:443 state:syn_recv", synRecv()));
  EXPECT_FALSE(match("sport:443 state:syn_recv", httpsOut()));  // remote 443, established
  EXPECT_TRUE(match("proto:tcp state:established", httpsOut()));
  EXPECT_FALSE(match("proto:tcp state:established", synRecv()));
  EXPECT_FALSE(match("proto:tcp state:established", dnsV6()));
  EXPECT_TRUE(match("dport:22 ssh:openssh", sshOut()));
  EXPECT_FALSE(match("dport:22 ssh:openssh", httpsOut()));
}

TEST(FilterMatch, Ports) {
  EXPECT_TRUE(match("port:443", synRecv()));
  EXPECT_TRUE(match("port:443", httpsOut()));
  EXPECT_FALSE(match("port:22", httpsOut()));
  EXPECT_TRUE(match("port:50000-50100", sshOut()));
  EXPECT_TRUE(match("dport:443", httpsOut()));
  EXPECT_FALSE(match("sport:443", httpsOut()));
  // ICMP's echo identifier lives in the port fields but is not a port.
  EXPECT_FALSE(match("port:7", ping()));
}

TEST(FilterMatch, AddressesAndPrefixes) {
  EXPECT_TRUE(match("src:192.0.2.10", httpsOut()));
  EXPECT_FALSE(match("dst:192.0.2.10", httpsOut()));
  EXPECT_TRUE(match("dst:140.82.0.0/16", httpsOut()));
  EXPECT_FALSE(match("dst:140.83.0.0/16", httpsOut()));
  EXPECT_TRUE(match("dst:2001:DB8::/32", dnsV6()));
  EXPECT_FALSE(match("dst:2001:db8::/32", httpsOut()));  // IPv4 never falls in an IPv6 prefix
  EXPECT_TRUE(match("dst:[2001:db8::53]:53", dnsV6()));
  EXPECT_TRUE(match("src:0.0.0.0/0", httpsOut()));
  EXPECT_TRUE(match("dst:github.com", httpsOut()));  // the server name names the remote side
  EXPECT_FALSE(match("src:github.com", httpsOut()));
  EXPECT_FALSE(match("dst:example.org", dnsV6()));   // a DNS question is not the resolver's name
}

TEST(FilterMatch, ProcessByNameOrPid) {
  EXPECT_TRUE(match("process:firefox", httpsOut()));
  EXPECT_TRUE(match("process:FIREFOX", httpsOut()));
  EXPECT_TRUE(match("process:4242", httpsOut()));
  EXPECT_FALSE(match("process:424", httpsOut()));
  EXPECT_FALSE(match("process:firefox", sshOut()));  // unknown process never matches
  EXPECT_TRUE(match("!process:firefox", sshOut()));
}

TEST(FilterMatch, DpiKeywords) {
  EXPECT_TRUE(match("sni:github", httpsOut()));
  EXPECT_FALSE(match("sni:github", sshOut()));
  EXPECT_FALSE(match("sni:example", dnsV6()));  // a DNS query name is not a server name
  EXPECT_TRUE(match("app:https", httpsOut()));
  EXPECT_TRUE(match("app:github.com", httpsOut()));
  EXPECT_TRUE(match("app:dns", dnsV6()));
  EXPECT_FALSE(match("app:dns", synRecv()));
  EXPECT_TRUE(match("ssh:8.4", sshOut()));
  EXPECT_TRUE(match("ssh:curve25519", sshOut()));
  EXPECT_TRUE(match("state:dns_response", dnsV6()));
}

// Every kind of DPI facts in the registry brings its own keyword, matching only its fields.
TEST(FilterMatch, ProtocolKeywordsComeFromTheRegistry) {
  EXPECT_TRUE(match("tls:h2", httpsOut()));
  EXPECT_TRUE(match("tls:1.3", httpsOut()));
  EXPECT_FALSE(match("tls:h2", sshOut()));
  EXPECT_TRUE(match("dns:nxdomain", dnsV6()));
  EXPECT_FALSE(match("dns:github", httpsOut()));
  EXPECT_FALSE(match("http:github", httpsOut()));  // TLS facts are not HTTP's
  EXPECT_TRUE(filter::Filter::parse("quic:h3").notices().empty());
  bool listed = false;
  for (const auto& k : filter::keywords()) listed = listed || (k.name == "dns" && k.field == filter::Field::Facts && !k.help.empty());
  EXPECT_TRUE(listed);
}

TEST(FilterMatch, ProtoIsExactAndKnowsApplications) {
  EXPECT_TRUE(match("proto:udp", dnsV6()));
  EXPECT_TRUE(match("proto:dns", dnsV6()));
  EXPECT_TRUE(match("proto:https", httpsOut()));
  EXPECT_TRUE(match("proto:tls", httpsOut()));
  EXPECT_TRUE(match("proto:icmp", ping()));
  EXPECT_FALSE(match("proto:icmpv6", ping()));
  EXPECT_FALSE(match("proto:tc", httpsOut()));
}

TEST(FilterMatch, ServiceAndState) {
  EXPECT_TRUE(match("service:dom", dnsV6()));
  EXPECT_FALSE(match("service:https", dnsV6()));
  EXPECT_TRUE(match("state:echo", ping()));
  EXPECT_TRUE(match("state:established", sshOut()));
}

TEST(FilterMatch, TunnelNamesTheInnerConnectionsTunnel) {
  const auto inner = RecordBuilder(6, proto::kUdp, ep("10.45.0.7", 40000), ep("8.8.8.8", 53))
                         .service("domain")
                         .tunnel("GTP-U");
  const auto carrier = RecordBuilder(7, proto::kUdp, ep("192.0.2.1", 2152), ep("192.0.2.2", 2152));
  EXPECT_TRUE(match("tunnel:gtp", inner));
  EXPECT_TRUE(match("tunnel:GTP-U", inner));
  EXPECT_FALSE(match("tunnel:vxlan", inner));
  EXPECT_FALSE(match("tunnel:gtp", carrier));
  EXPECT_TRUE(match("!tunnel:gtp", carrier));
  EXPECT_TRUE(match("gtp-u", inner));  // a bare word finds it too
  EXPECT_FALSE(match("gtp-u", carrier));
  bool listed = false;
  for (const auto& k : filter::keywords()) listed = listed || (k.name == "tunnel" && k.field == filter::Field::Tunnel);
  EXPECT_TRUE(listed);
}

TEST(FilterMatch, BareWordsSearchEveryField) {
  EXPECT_TRUE(match("github", httpsOut()));                // SNI
  EXPECT_TRUE(match("h2", httpsOut()));                    // ALPN
  EXPECT_TRUE(match("tls1.3", httpsOut()));                // version
  EXPECT_TRUE(match("firefox", httpsOut()));               // process
  EXPECT_TRUE(match("/usr/lib", httpsOut()));              // executable
  EXPECT_TRUE(match("140.82.121.4:443", httpsOut()));      // endpoint as shown
  EXPECT_TRUE(match("nxdomain", dnsV6()));                 // DNS response code
  EXPECT_TRUE(match("aaaa", dnsV6()));                     // query type
  EXPECT_TRUE(match("example.org", dnsV6()));
  EXPECT_TRUE(match("chacha20", sshOut()));                // SSH algorithm
  EXPECT_TRUE(match("syn_recv", synRecv()));
  EXPECT_TRUE(match("https", synRecv()));                  // service
  EXPECT_TRUE(match("icmp", ping()));
  EXPECT_FALSE(match("github", sshOut()));
}

TEST(FilterMatch, AllTermsMustMatchAndNegationInverts) {
  EXPECT_TRUE(match("tcp github", httpsOut()));
  EXPECT_FALSE(match("tcp github udp", httpsOut()));
  EXPECT_FALSE(match("!github", httpsOut()));
  EXPECT_TRUE(match("!github", sshOut()));
  EXPECT_TRUE(match("!port:53 !proto:icmp", httpsOut()));
  EXPECT_FALSE(match("!port:53 !proto:icmp", ping()));
}

TEST(FilterMatch, RecordsWithoutDpiOrProcess) {
  const engine::ConnectionRecord r = synRecv();
  EXPECT_FALSE(match("sni:a", r));
  EXPECT_FALSE(match("ssh:a", r));
  EXPECT_FALSE(match("app:a", r));
  EXPECT_FALSE(match("process:a", r));
  EXPECT_TRUE(match("!app:https", r));
}

// `/pattern/` terms: POSIX extended, case-insensitive, in the fields text would search.
TEST(FilterRegex, BareTermMatchesAnyFieldByPattern) {
  const Filter f = Filter::parse("/git(hub|lab)\\.com$/");
  ASSERT_EQ(f.terms().size(), 1u);
  EXPECT_TRUE(f.notices().empty());
  ASSERT_NE(f.terms()[0].regex, nullptr);
  EXPECT_TRUE(f.matches(httpsOut()));  // the TLS server name GitHub.com, any case
  EXPECT_FALSE(f.matches(sshOut()));
  EXPECT_FALSE(f.matches(dnsV6()));
  // Anchors apply to each field, not to a row's text run together.
  EXPECT_TRUE(match("/^firefox-esr$/", httpsOut()));
  EXPECT_FALSE(match("/^firefox$/", httpsOut()));
  // The same word as text is a substring; as a pattern, '.' is any character.
  EXPECT_FALSE(match("github.co.", httpsOut()));
  EXPECT_TRUE(match("/github.co./", httpsOut()));
}

TEST(FilterRegex, AfterAKeywordSearchesThatKeywordsFields) {
  EXPECT_TRUE(match("sni:/^gi+thub\\.com$/", httpsOut()));
  EXPECT_FALSE(match("sni:/^thub/", httpsOut()));
  // The process name, not the server name, for process:.
  EXPECT_FALSE(match("process:/github/", httpsOut()));
  EXPECT_TRUE(match("process:/^FIREFOX/", httpsOut()));
  EXPECT_TRUE(match("process:/^42[0-9]2$/", httpsOut()));  // the pid as text
  EXPECT_TRUE(match("dns:/^exa[m]ple\\.(org|net)$/", dnsV6()));
  EXPECT_FALSE(match("dns:/^example\\.net$/", dnsV6()));
  EXPECT_TRUE(match("ssh:/openssh_9\\.[0-9]/", sshOut()));
  // Ports as decimal text: 443 on either side for port:, the local one for sport:.
  EXPECT_TRUE(match("port:/^44[0-9]$/", httpsOut()));
  EXPECT_FALSE(match("sport:/^44[0-9]$/", httpsOut()));
  EXPECT_TRUE(match("sport:/^44[0-9]$/", synRecv()));
  EXPECT_FALSE(match("port:/^44[0-9]$/", ping()));  // ICMP has no ports
  EXPECT_TRUE(match("dst:/^140\\.82\\./", httpsOut()));
  EXPECT_TRUE(match("dst:/^\\[2001:db8::53\\]:53$/", dnsV6()));
  EXPECT_TRUE(match("proto:/^(tcp|udp)$/", dnsV6()));
  EXPECT_FALSE(match("proto:/^tc$/", httpsOut()));
  EXPECT_TRUE(match("state:/^syn_r/", synRecv()));
  EXPECT_TRUE(match("service:/^(ssh|domain)$/", sshOut()));
  EXPECT_FALSE(match("service:/^(ssh|domain)$/", httpsOut()));
  // Negation and conjunction as with text.
  EXPECT_FALSE(match("!sni:/github/", httpsOut()));
  EXPECT_TRUE(match("!sni:/github/ tcp", sshOut()));
}

TEST(FilterRegex, PatternKeepsItsCaseSensitiveEscapes) {
  // \S is "not a space": lower-cased to \s it would be "a space", and match nothing here.
  EXPECT_TRUE(match("sni:/^\\S+$/", httpsOut()));
  EXPECT_TRUE(match("sni:/^[[:upper:]]+/", httpsOut()));  // REG_ICASE: any letter case
}

TEST(FilterRegex, BadPatternIsOneClearNoticeAndNoTerm) {
  for (const char* q : {"/(/", "sni:/[a-/", "/a{2,1}/", "!dns:/*+?(/"}) {
    const Filter f = Filter::parse(q);
    EXPECT_TRUE(f.terms().empty()) << q;
    ASSERT_EQ(f.notices().size(), 1u) << q;
    EXPECT_EQ(f.notices()[0].rfind("bad pattern /", 0), 0u) << f.notices()[0];
    EXPECT_TRUE(f.notices()[0].ends_with(": ignored")) << f.notices()[0];
  }
  // The regcomp reason is in it.
  const Filter paren = Filter::parse("/(/");
  EXPECT_NE(paren.notices()[0].find("bad pattern /(/: "), std::string::npos) << paren.notices()[0];
  EXPECT_GT(paren.notices()[0].size(), std::string("bad pattern /(/: : ignored").size());
  // A bad term does not spoil the good ones.
  const Filter mixed = Filter::parse("tcp /(/ sni:/github/");
  EXPECT_EQ(mixed.terms().size(), 2u);
  EXPECT_TRUE(mixed.matches(httpsOut()));
  EXPECT_FALSE(mixed.matches(sshOut()));
}

TEST(FilterRegex, BackReferencesEmptyAndLongPatternsAreRefused) {
  auto notice = [](const std::string& q) {
    const Filter f = Filter::parse(q);
    EXPECT_TRUE(f.terms().empty()) << q;
    return f.notices().empty() ? std::string() : f.notices()[0];
  };
  EXPECT_NE(notice("/(a)\\1/").find("back-references"), std::string::npos);
  EXPECT_NE(notice("//").find("empty pattern"), std::string::npos);
  const std::string atCap(filter::Pattern::kMaxLength, 'a');
  const Filter ok = Filter::parse("/" + atCap + "/");
  EXPECT_EQ(ok.terms().size(), 1u);
  EXPECT_TRUE(ok.notices().empty());
  const std::string n = notice("/" + atCap + "a/");
  EXPECT_NE(n.find("longer than 256"), std::string::npos) << n;
  EXPECT_LT(n.size(), 120u);  // the pattern is not quoted back whole
  // An escaped backslash before a digit is a literal backslash, not a back-reference.
  EXPECT_EQ(Filter::parse("/a\\\\1/").terms().size(), 1u);
  // Not a pattern: no closing slash, or a prefix (these are text, as before).
  EXPECT_EQ(Filter::parse("/usr").terms()[0].regex, nullptr);
  EXPECT_EQ(Filter::parse("src:10.0.0.0/8").terms()[0].regex, nullptr);
}

TEST(FilterRegex, PatternSearchIsBoundedByLengthNotNul) {
  std::string error;
  const auto p = filter::Pattern::compile("b.d$", error);
  ASSERT_NE(p, nullptr) << error;
  EXPECT_TRUE(p->search(std::string_view("abcd")));
  EXPECT_FALSE(p->search(std::string_view("abcde", 4).substr(0, 3)));  // "abc"
  EXPECT_TRUE(p->search(std::string_view("a\0bcd", 5)));  // a NUL byte does not end the text
  EXPECT_FALSE(p->search(std::string_view()));
  // Classic backtracking traps finish at once: POSIX matching does not backtrack.
  const auto trap = filter::Pattern::compile("^(a+)+$", error);
  ASSERT_NE(trap, nullptr) << error;
  EXPECT_FALSE(trap->search(std::string(4000, 'a') + "!"));
}

TEST(FilterFields, EndpointTextAndServicePort) {
  EXPECT_EQ(filter::endpointText(ep("192.0.2.1", 80), proto::kTcp), "192.0.2.1:80");
  EXPECT_EQ(filter::endpointText(ep("2001:db8::1", 80), proto::kUdp), "[2001:db8::1]:80");
  EXPECT_EQ(filter::endpointText(ep("192.0.2.1", 9), proto::kIcmp), "192.0.2.1");
  EXPECT_EQ(filter::servicePort(synRecv()), 443);
  EXPECT_EQ(filter::servicePort(sshOut()), 22);
  EXPECT_EQ(filter::servicePort(ping()), 0);
  const engine::ConnectionRecord unknown =
      RecordBuilder(9, proto::kTcp, ep("192.0.2.1", 40001), ep("192.0.2.2", 39999));
  EXPECT_EQ(filter::servicePort(unknown), 39999);
  const engine::ConnectionRecord inbound =
      RecordBuilder(10, proto::kTcp, ep("192.0.2.1", 8099), ep("192.0.2.2", 51000));
  EXPECT_EQ(filter::servicePort(inbound), 8099);  // the ephemeral side is the client
  const engine::ConnectionRecord ephemeralBoth =
      RecordBuilder(11, proto::kTcp, ep("127.0.0.1", 57090), ep("127.0.0.1", 59177));
  EXPECT_EQ(filter::servicePort(ephemeralBoth), 59177);
}

TEST(FilterFields, ContainsFolded) {
  EXPECT_TRUE(filter::containsFolded("GitHub.COM", "github.com"));
  EXPECT_TRUE(filter::containsFolded("abc", ""));
  EXPECT_FALSE(filter::containsFolded("ab", "abc"));
  EXPECT_TRUE(filter::containsFolded("\xc3\xa9t\xc3\xa9", "t\xc3\xa9"));
  EXPECT_EQ(filter::lowerAscii("MiXeD-1"), "mixed-1");
}

}  // namespace
}  // namespace rustnet::test
