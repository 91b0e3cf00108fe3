// DPI against tshark over every shared capture: the TLS SNIs, QUIC SNIs (and Google QUIC
// CHLO SNIs), HTTP hosts, DNS query names and SSH banners that `rustnet --read F --json`
// reports on its connection_closed events must be the ones in truth.tsv. Prints a table per
// file and the totals; every remaining difference must be listed in knownDifferences()
// with its reason, so a new one fails the test.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "support/test_support.h"

namespace rustnet::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Names = std::set<std::string>;

enum Category { kTlsSni, kQuicSni, kGquicSni, kHttpHost, kDnsQname, kSshBanner, kCategories };
constexpr std::array<const char*, kCategories> kColumn = {"tls_sni",    "quic_sni",   "gquic_sni",
                                                          "http_hosts", "dns_qnames", "ssh_banners"};
constexpr std::array<const char*, kCategories> kTitle = {"TLS SNI",   "QUIC SNI",  "gQUIC SNI",
                                                         "HTTP host", "DNS qname", "SSH banner"};
// truth.tsv lists at most this many distinct names per cell (the most frequent first).
constexpr std::size_t kTruthListCap = 12;

// tshark writes non-printable bytes as \ooo; we write \xHH (core::escapeControl). Both are
// turned back into raw bytes before comparing.
std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' && std::isxdigit(static_cast<unsigned char>(s[i + 2])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 3]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 2, 2), nullptr, 16));
      i += 3;
    } else if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' &&
               std::isdigit(static_cast<unsigned char>(s[i + 2])) &&
               std::isdigit(static_cast<unsigned char>(s[i + 3]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 3), nullptr, 8));
      i += 3;
    } else if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '\\') {
      out += '\\';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

// "a.example(3);b.example" → {a.example, b.example}
Names truthNames(const std::string& cell) {
  Names out;
  std::stringstream in(cell);
  std::string item;
  while (std::getline(in, item, ';')) {
    if (item.empty()) continue;
    if (item.back() == ')') {
      const auto open = item.rfind('(');
      if (open != std::string::npos &&
          item.find_first_not_of("0123456789", open + 1) == item.size() - 1) {
        item.erase(open);
      }
    }
    out.insert(unescape(item));
  }
  return out;
}

std::array<Names, kCategories> ourNames(const fs::path& capture) {
  const auto r = runCommand(rustnetBinary().string() + " --read '" + capture.string() +
                            "' --json --workers 1 2>/dev/null");
  std::array<Names, kCategories> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    json e;
    try {
      e = json::parse(line);
    } catch (const json::exception&) {
      continue;  // engine_conformance_test reports invalid lines
    }
    if (e.value("event", "") != "connection_closed") continue;
    const auto add = [&](Category c, const char* field) {
      if (e.contains(field)) out[c].insert(unescape(e.at(field).get<std::string>()));
    };
    add(kTlsSni, "tls_sni");
    // Google QUIC with its own crypto (Q0xx) carries the SNI in a CHLO tag: tshark's gquic.
    const std::string version = e.value("quic_version", "");
    add(version.rfind("0x5130", 0) == 0 ? kGquicSni : kQuicSni, "quic_sni");
    add(kHttpHost, "http_host");
    add(kDnsQname, "dns_query");
    for (const auto& n : e.value("dns_queries", json::array())) out[kDnsQname].insert(unescape(n.get<std::string>()));
    for (const char* side : {"client", "server"}) {
      const std::string p = std::string("ssh_") + side + "_";
      if (!e.contains(p + "software")) continue;
      std::string banner = "SSH-" + e.value(p + "version", "") + "-" + e.value(p + "software", "");
      if (e.contains(p + "comment")) banner += " " + e.value(p + "comment", "");
      out[kSshBanner].insert(unescape(banner));
    }
  }
  return out;
}

struct Key {
  std::string file;
  Category category;
  std::string name;  // empty: every difference of the category in that file
  auto operator<=>(const Key&) const = default;
};

// Differences we understand, and why. A name prefixed with '+' is one we report and tshark
// does not; otherwise it is one tshark reports and we do not.
const std::map<Key, std::string>& knownDifferences() {
  static const std::map<Key, std::string> k = {
      {{"ndpi__malformed_dns.pcap", kDnsQname, "<Name too long>"},
       "tshark's placeholder for a name over 255 bytes; we cut such a name (dns_name_bytes cap)"},
      {{"tcpdump__dns-badlabel.pcap", kDnsQname, "<Name too long>"},
       "tshark's placeholder for a name over 255 bytes; the message is malformed for us too"},
      {{"ndpi__ssh.pcap", kSshBanner, "+SSH-2.0-APACHE-SSHD-2.5.0"},
       "SSH on port 8000: tshark 4.0 does not dissect SSH off its port (nDPI's oracle sees "
       "this session)"},
      {{"ndpi__ssh.pcap", kSshBanner, "+SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.11"},
       "SSH on port 8000: tshark 4.0 does not dissect SSH off its port; nDPI's oracle lists "
       "this banner"},
      {{"tcpdump__quic_vn.pcap", kQuicSni, "+localhost"},
       "tshark 4.0 fails to decrypt the v1 Initial sent after Version Negotiation (checktag "
       "error); we decrypt it"},
  };
  return k;
}

// Every name tshark finds, we find: the only names we may miss are tshark's placeholders
// for names it could not show ("<Name too long>"), never a real one.
TEST(DpiConformance, OnlyPlaceholdersMayBeMissing) {
  for (const auto& [key, why] : knownDifferences()) {
    if (!key.name.empty() && key.name.front() == '+') continue;  // one we report and tshark does not
    EXPECT_TRUE(key.name.size() > 2 && key.name.front() == '<' && key.name.back() == '>')
        << key.file << " " << kTitle[key.category] << " '" << key.name << "': " << why;
  }
}

const std::string* explanation(const std::string& file, Category c, const std::string& name) {
  const auto& k = knownDifferences();
  if (const auto it = k.find({file, c, name}); it != k.end()) return &it->second;
  if (const auto it = k.find({file, c, ""}); it != k.end()) return &it->second;
  return nullptr;
}

TEST(DpiConformance, SharedCapturesAgainstTruth) {
  if (pcapDir().empty()) GTEST_SKIP() << "no shared captures (../shared/pcaps)";
  const TruthTable truth = readTruth();
  ASSERT_FALSE(truth.empty());

  std::array<std::size_t, kCategories> totalTruth{};
  std::array<std::size_t, kCategories> totalFound{};
  std::array<std::size_t, kCategories> totalExtra{};
  std::vector<std::string> unexplained;
  std::printf("%-58s", "file");
  for (const char* t : kTitle) std::printf(" %11s", t);
  std::printf("\n");

  for (const fs::path& file : captureFiles()) {
    const std::string name = file.filename().string();
    const auto row = truth.find(name);
    if (row == truth.end()) continue;
    const auto ours = ourNames(file);
    std::string notes;
    std::printf("%-58s", name.c_str());
    for (int c = 0; c < kCategories; ++c) {
      const auto cat = static_cast<Category>(c);
      const Names want = truthNames(row->second.at(kColumn[c]));
      const bool capped = want.size() >= kTruthListCap;  // tshark's list may be cut
      std::size_t found = 0;
      std::size_t extra = 0;
      for (const auto& n : want) {
        if (ours[c].count(n) != 0) {
          ++found;
          continue;
        }
        const std::string* why = explanation(name, cat, n);
        notes += "    - " + std::string(kTitle[c]) + " missing: " + n + " (" +
                 (why ? *why : std::string("UNEXPLAINED")) + ")\n";
        if (!why) unexplained.push_back(name + " " + kTitle[c] + " missing " + n);
      }
      if (!capped) {
        for (const auto& n : ours[c]) {
          if (want.count(n) != 0) continue;
          ++extra;
          const std::string* why = explanation(name, cat, "+" + n);
          notes += "    + " + std::string(kTitle[c]) + " extra: " + n + " (" +
                   (why ? *why : std::string("UNEXPLAINED")) + ")\n";
          if (!why) unexplained.push_back(name + " " + kTitle[c] + " extra " + n);
        }
      }
      totalTruth[c] += want.size();
      totalFound[c] += found;
      totalExtra[c] += extra;
      if (want.empty() && extra == 0) {
        std::printf(" %11s", "-");
      } else {
        std::printf(" %11s", (std::to_string(found) + "/" + std::to_string(want.size()) +
                              (extra > 0 ? "+" + std::to_string(extra) : ""))
                                 .c_str());
      }
    }
    std::printf("\n%s", notes.c_str());
  }
  std::printf("%-58s", "TOTAL (found/tshark+extra)");
  for (int c = 0; c < kCategories; ++c) {
    std::printf(" %11s", (std::to_string(totalFound[c]) + "/" + std::to_string(totalTruth[c]) + "+" +
                          std::to_string(totalExtra[c]))
                             .c_str());
  }
  std::printf("\n");
  for (const auto& u : unexplained) ADD_FAILURE() << "unexplained difference: " << u;
}

}  // namespace
}  // namespace rustnet::test
