// NTP as users meet it: the JSON of an NTP connection, the filters that find it, and
// `rustnet --read F --json` over a capture of an exchange. Nothing in output/ or filter/
// knows NTP: these pass because the registry lists it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <unistd.h>

#include "dpi/facts.h"
#include "dpi/ntp/ntp_facts.h"
#include "engine/record.h"
#include "filter/filter.h"
#include "ntp_builders.h"
#include "dpi_test_util.h"
#include "output/events.h"
#include "support/test_support.h"
#include "../ui/pcap_writer.h"

namespace rustnet::test {
namespace {

using nlohmann::json;
namespace mode = dpi::ntp::mode;

// A record of a client's exchange with a stratum-1 GPS server, facts made by the analyzer.
engine::ConnectionRecord gpsExchange() {
  Conversation c(udpFlow(40123, 123));
  c.send(out(ntpPacket(4, mode::kClient)));
  c.send(in(ntpPacket(4, mode::kServer, 1, refidText("GPS"), 6, -20)));
  engine::ConnectionRecord r;
  r.proto = core::proto::kUdp;
  r.local = core::Endpoint{*core::IpAddr::parse("192.0.2.10"), 40123};
  r.remote = core::Endpoint{*core::IpAddr::parse("198.51.100.5"), 123};
  r.stateLabel = "UDP_ACTIVE";
  r.dpi = std::make_shared<dpi::Facts>(c.facts());
  return r;
}

TEST(NtpOutput, JsonEventCarriesNtpFields) {
  engine::ConnectionEvent e;
  e.kind = engine::ConnectionEvent::Kind::New;
  e.record = gpsExchange();
  const json j = json::parse(output::formatEvent(e));
  EXPECT_EQ(j.at("dpi_protocol"), "NTP");
  EXPECT_FALSE(j.contains("dpi_domain"));  // NTP asks for no name
  EXPECT_EQ(j.at("ntp_version"), 4);
  EXPECT_EQ(j.at("ntp_mode"), 3);
  EXPECT_EQ(j.at("ntp_mode_name"), "client");
  EXPECT_EQ(j.at("ntp_stratum"), 1);
  EXPECT_EQ(j.at("ntp_stratum_name"), "primary");
  EXPECT_EQ(j.at("ntp_refid"), "GPS");
  EXPECT_EQ(j.at("ntp_poll_s"), 64);
  EXPECT_EQ(j.at("ntp_precision_ns"), 954);
}

TEST(NtpOutput, FiltersFindNtp) {
  const engine::ConnectionRecord r = gpsExchange();
  auto match = [&](const char* q) { return filter::Filter::parse(q).matches(r); };
  EXPECT_TRUE(match("app:ntp"));
  EXPECT_TRUE(match("proto:ntp"));
  EXPECT_TRUE(match("ntp:gps"));
  EXPECT_TRUE(match("ntp:primary"));
  EXPECT_TRUE(match("ntp:client"));
  EXPECT_TRUE(match("state:ntp_response"));
  EXPECT_TRUE(match("gps"));  // bare words search the searchable fields too
  EXPECT_FALSE(match("ntp:rate"));
  EXPECT_FALSE(match("app:dns"));
  EXPECT_FALSE(match("state:ntp_request"));  // states only move forward
  EXPECT_FALSE(match("dns:gps"));            // the keyword looks only in NTP's fields
}

TEST(NtpOutput, ReadingACaptureOfAnExchange) {
  const std::string dir = testing::TempDir();
  const std::string path = dir + "/ntp_exchange_" + std::to_string(getpid()) + ".pcap";
  PcapWriter w;
  w.udp("192.0.2.10", 40123, "198.51.100.5", 123, ntpPacket(4, mode::kClient));
  w.udp("198.51.100.5", 123, "192.0.2.10", 40123,
        ntpPacket(4, mode::kServer, 2, refidAddress(203, 0, 113, 9), 10, -23));
  // A kiss-o'-death answer on another exchange, and NTP-looking bytes off port 123.
  w.udp("192.0.2.10", 40124, "198.51.100.6", 123, ntpPacket(4, mode::kClient));
  w.udp("198.51.100.6", 123, "192.0.2.10", 40124, ntpPacket(4, mode::kServer, 0, refidText("RATE")));
  w.udp("192.0.2.10", 40125, "198.51.100.7", 5000, ntpPacket(4, mode::kClient));
  ASSERT_TRUE(w.save(path));
  const auto r = runCommand("'" + rustnetBinary().string() + "' --read '" + path + "' --json --workers 1 2>/dev/null");
  std::filesystem::remove(path);
  ASSERT_EQ(r.status, 0);

  std::istringstream lines(r.out);
  std::string line;
  json exchange;
  json kiss;
  json offPort;
  json summary;
  while (std::getline(lines, line)) {
    const json j = json::parse(line);
    if (j.value("event", "") == "summary") summary = j;
    if (j.value("event", "") != "connection_closed") continue;
    const int port = j.at("destination_port");
    if (port == 5000) offPort = j;
    if (j.value("destination_ip", "") == "198.51.100.5") exchange = j;
    if (j.value("destination_ip", "") == "198.51.100.6") kiss = j;
  }
  ASSERT_TRUE(exchange.is_object()) << r.out;
  EXPECT_EQ(exchange.at("dpi_protocol"), "NTP");
  EXPECT_EQ(exchange.at("state"), "NTP_RESPONSE") << exchange.dump();
  EXPECT_EQ(exchange.at("ntp_mode_name"), "client");
  EXPECT_EQ(exchange.at("ntp_stratum"), 2);
  EXPECT_EQ(exchange.at("ntp_refid"), "203.0.113.9");
  EXPECT_EQ(exchange.at("ntp_poll_s"), 1024);
  ASSERT_TRUE(kiss.is_object());
  EXPECT_EQ(kiss.at("ntp_stratum_name"), "kiss-o'-death");
  EXPECT_EQ(kiss.at("ntp_refid"), "RATE");
  ASSERT_TRUE(offPort.is_object());
  EXPECT_FALSE(offPort.contains("dpi_protocol"));
  ASSERT_TRUE(summary.is_object());
  EXPECT_EQ(summary.at("dpi_hits").at("NTP"), 2);
}

}  // namespace
}  // namespace rustnet::test
