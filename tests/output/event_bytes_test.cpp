// The exact bytes of the NDJSON lines, pinned: the fast writer (appending, no temporaries)
// must write what the original one did, field for field and escape for escape. The
// expected lines were produced by the writer as it was before the fast path
// (commit b59a2a0) from the same sample events.
#include <gtest/gtest.h>

#include <string>

#include "output/events.h"
#include "sample_events.h"

namespace rustnet::output {
namespace {

const char* const kExpectedEvents[] = {
    R"({"timestamp":"2025-11-22T11:52:25.654321Z","event":"connection_closed","connection_id":52234,"protocol":"TCP","source_ip":"192.168.1.23","source_port":51234,"destination_ip":"140.82.121.4","destination_port":443,"state":"ESTABLISHED","service_name":"https","pid":4242,"process_name":"firefox-esr","process_executable":"/usr/lib/firefox-esr/firefox-esr","process_uid":1000,"process_match":"exact","dpi_protocol":"HTTPS","dpi_domain":"github.com","tls_sni":"github.com","tls_alpn":["h2","http/1.1"],"tls_version":"TLS1.3","tls_max_offered_version":"TLS1.3","tls_cipher":"0x1301","tls_ech":true,"end_reason":"closed","bytes_sent":6123,"bytes_received":104857,"packets_sent":42,"packets_received":87,"duration_secs":45.534321,"first_seen":"2025-11-22T11:51:40.120000Z","last_seen":"2025-11-22T11:52:25.654321Z","tcp_retransmissions":2,"tcp_handshake_rtt_ms":23.456789})",
    R"({"timestamp":"2025-11-22T11:52:25.654321Z","event":"connection_closed","connection_id":41000,"protocol":"TCP","source_ip":"2001:db8::1","source_port":40000,"destination_ip":"2001:db8:0:1::80","destination_port":80,"state":"ESTABLISHED","service_name":"http","pid":-1,"process_name":"ev\\x1bil\"\\\\","process_match":"listener","dpi_protocol":"HTTPS","http_method":"GET","http_host":"deb.debian.org\\x7f","http_path":"/a\"b\\\\c\\x01\\x1f\\xff\\xc2\\x9b\\xe2\\x80\\xae小😀\\xc0\\xaf\\xe4\\xbd","http_user_agent":"Debian APT-HTTP/1.3 (2.6.1)\\x0d\\x0a\\x09","http_status":404,"tls_version":"TLS1.2","tls_max_offered_version":"TLS1.2","end_reason":"idle_timeout","bytes_sent":6123,"bytes_received":104857,"packets_sent":42,"packets_received":87,"duration_secs":45.534321,"first_seen":"2025-11-22T11:51:40.120000Z","last_seen":"2025-11-22T11:52:25.654321Z","tcp_retransmissions":0,"tcp_handshake_rtt_ms":1e-06})",
    R"({"timestamp":"2025-11-22T11:52:25.654321Z","event":"connection_closed","connection_id":54000,"protocol":"UDP","source_ip":"10.0.0.2","source_port":53000,"destination_ip":"::1","destination_port":53,"state":"ACTIVE","service_name":"domain","pid":null,"process_name":null,"dpi_protocol":"DNS","dpi_domain":"www.wikipedia.org","dns_id":23063,"dns_query":"www.wikipedia.org","dns_queries":["www.wikipedia.org","b\\\\ad\".example"],"dns_qtype":"HTTPS","dns_rcode":"NXDOMAIN","dns_answers":["dyna.wikimedia.org\\x07","208.80.153.14","2a02:ec80:300:ed1a::1","::"],"end_reason":"forced_end","bytes_sent":6123,"bytes_received":104857,"packets_sent":42,"packets_received":87,"duration_secs":0,"first_seen":"2025-11-22T11:52:25.654321Z","last_seen":"2025-11-22T11:52:25.654321Z"})",
    R"({"timestamp":"2025-11-22T11:52:25.654321Z","event":"new_connection","connection_id":6353,"protocol":"UDP","source_ip":"10.0.0.2","source_port":5353,"destination_ip":"224.0.0.251","destination_port":5353,"state":"ESTABLISHED","service_name":null,"pid":null,"process_name":null,"dpi_protocol":"mDNS","dns_id":0,"dns_rcode":"NOERROR","dns_answers":[]})",
    R"({"timestamp":"2025-11-22T11:52:25.654321Z","event":"connection_closed","connection_id":1022,"protocol":"TCP","source_ip":"10.1.2.3","source_port":22,"destination_ip":"10.9.8.7","destination_port":60022,"state":"ESTABLISHED","service_name":null,"pid":null,"process_name":null,"dpi_protocol":"SSH","ssh_client_version":"2.0","ssh_client_software":"OpenSSH_9.2p1","ssh_client_comment":"Debian-2+deb12u1","ssh_server_version":"2.0","ssh_server_software":"dropbear\\x1b[2J","ssh_kex":"curve25519-sha256","ssh_host_key":"ssh-ed25519","ssh_cipher_c2s":"chacha20-poly1305@openssh.com","ssh_cipher_s2c":"aes128-ctr","ssh_mac_s2c":"hmac-sha2-256","ssh_compression_c2s":"none","ssh_compression_s2c":"none","end_reason":"closed","bytes_sent":6123,"bytes_received":104857,"packets_sent":42,"packets_received":87,"duration_secs":45.534321,"first_seen":"2025-11-22T11:51:40.120000Z","last_seen":"2025-11-22T11:52:25.654321Z","tcp_retransmissions":0,"tcp_handshake_rtt_ms":123456.789012})",
    R"({"timestamp":"2025-11-22T11:52:25.654321Z","event":"connection_closed","connection_id":62000,"protocol":"UDP","source_ip":"192.168.1.23","source_port":61000,"destination_ip":"142.250.185.78","destination_port":443,"state":"ESTABLISHED","service_name":null,"pid":null,"process_name":null,"dpi_protocol":"QUIC","dpi_domain":"www.google.com","quic_version":"0x00000001","quic_sni":"www.google.com","quic_alpn":["h3"],"quic_dcid":"052a4f7499bee308","quic_scid":"fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedec","quic_max_idle_timeout_ms":30000,"quic_closed":true,"quic_version_negotiation":true,"quic_retry":true,"end_reason":"closed","bytes_sent":6123,"bytes_received":104857,"packets_sent":42,"packets_received":87,"duration_secs":45.534321,"first_seen":"2025-11-22T11:51:40.120000Z","last_seen":"2025-11-22T11:52:25.654321Z"})",
    R"({"timestamp":"2025-11-22T11:52:25.654321Z","event":"new_connection","connection_id":62001,"protocol":"UDP","source_ip":"192.168.1.23","source_port":61001,"destination_ip":"142.250.185.78","destination_port":443,"state":"ESTABLISHED","service_name":null,"pid":null,"process_name":null,"dpi_protocol":"QUIC","quic_version":"0xff00001d","quic_scid":"00"})",
    R"({"timestamp":"2025-11-22T11:52:25.654321Z","event":"connection_closed","connection_id":1077,"protocol":"ICMP","source_ip":"10.0.0.2","destination_ip":"8.8.8.8","icmp_id":77,"state":"ECHO_REQUEST","service_name":null,"end_reason":"closed","bytes_sent":6123,"bytes_received":104857,"packets_sent":42,"packets_received":87,"duration_secs":45.534321,"first_seen":"2025-11-22T11:51:40.120000Z","last_seen":"2025-11-22T11:52:25.654321Z"})",
    R"({"timestamp":"2025-11-22T11:52:25.654321Z","event":"new_connection","connection_id":1000,"protocol":"ICMPv6","source_ip":"fe80::1","destination_ip":"ff02::1","state":"NEIGHBOR_SOLICIT","service_name":null})",
    R"({"timestamp":"2025-11-22T11:52:25.654321Z","event":"new_connection","connection_id":1000,"protocol":"UDP","source_ip":"0.0.0.0","source_port":0,"destination_ip":"255.255.255.255","destination_port":65535,"state":"ESTABLISHED","service_name":null,"pid":null,"process_name":null})",
    R"({"timestamp":"2000-02-29T23:59:59.999999Z","event":"connection_closed","connection_id":18446744073709551615,"protocol":"TCP","source_ip":"100.64.0.1","source_port":1,"destination_ip":"100.64.0.2","destination_port":2,"state":"ESTABLISHED","service_name":null,"pid":null,"process_name":null,"end_reason":"closed","bytes_sent":0,"bytes_received":1,"packets_sent":18446744073709551615,"packets_received":0,"duration_secs":1.500000002,"first_seen":"1969-12-31T23:59:58.499999Z","last_seen":"1970-01-01T00:00:00.000000Z","tcp_retransmissions":4294967295,"tcp_handshake_rtt_ms":0.333333})",
    R"({"timestamp":"2025-11-22T11:52:25.654321Z","event":"connection_closed","connection_id":1003,"protocol":"UDP","source_ip":"100.64.0.1","source_port":3,"destination_ip":"100.64.0.2","destination_port":4,"state":"ESTABLISHED","service_name":null,"pid":1,"process_name":"systemd","process_executable":"/usr/lib/systemd/systemd","process_uid":0,"process_match":"exact","end_reason":"closed","bytes_sent":6123,"bytes_received":104857,"packets_sent":42,"packets_received":87,"duration_secs":0.1,"first_seen":"1970-01-01T00:00:01.000000Z","last_seen":"1970-01-01T00:00:01.100000Z"})",
    R"({"timestamp":"2025-11-22T11:52:25.654321Z","event":"connection_closed","connection_id":1005,"protocol":"UDP","source_ip":"100.64.0.1","source_port":5,"destination_ip":"100.64.0.2","destination_port":6,"state":"ESTABLISHED","service_name":null,"pid":null,"process_name":null,"end_reason":"closed","bytes_sent":6123,"bytes_received":104857,"packets_sent":42,"packets_received":87,"duration_secs":1e-09,"first_seen":"2025-11-22T11:51:40.120000Z","last_seen":"2025-11-22T11:51:40.120000Z"})",
};

TEST(EventBytes, EveryFieldAndEscapeAsBefore) {
  const auto events = test::sampleEvents();
  ASSERT_EQ(events.size(), std::size(kExpectedEvents));
  std::string batch;
  std::string expectedBatch;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::string expected = std::string(kExpectedEvents[i]) + "\n";
    EXPECT_EQ(formatEvent(events[i]), expected) << "event " << i;
    appendEvent(batch, events[i]);
    expectedBatch += expected;
  }
  EXPECT_EQ(batch, expectedBatch);
}

TEST(EventBytes, SummaryAsBefore) {
  const auto s = test::sampleSummary();
  EXPECT_EQ(formatSummary(s.stats, s.run),
            std::string(R"({"timestamp":"2023-11-14T22:13:20.999999Z","event":"summary","file":"capture\\x1b.pcap","elapsed_secs":1.579999,"packets_seen":985200,"bytes_seen":1234567890,"packets_decoded":985000,"packets_malformed":0,"packets_truncated":0,"packets_fragments":0,"packets_not_ip":0,"packets_unsupported_link":0,"packets_length_capped":0,"packets_tunnelled":0,"packets_tunnel_depth_capped":0,"packets_dropped_kernel":0,"packets_dropped_interface":0,"packets_dropped_ours":0,"fragments_first":0,"fragments_credited":0,"fragments_unmatched":0,"fragments_table_full":0,"fragments_reassembled":0,"packets_ignored_loopback":0,"connections_created":74824,"connections_closed":0,"connections_expired":0,"connections_evicted":0,"connections_forced_end":0,"connections_reused":0,"tcp_retransmissions":0,"dpi_connections_inspected":0,"dpi_packets_inspected":4321,"dpi_unidentified":0,"dpi_malformed":0,"dpi_hits":{"HTTP":0,"HTTPS":1,"QUIC":0,"DNS":0,"mDNS":0,"LLMNR":0,"SSH":0,"SSDP":0,"NTP":0,"STUN":0},"dpi_caps_hit":{"inspected_packets":0,"probe_packets":0,"http_header_bytes":0,"dns_pointer_hops":1,"dns_name_bytes":0,"dns_answers":0,"dns_tcp_bytes":0,"ssh_banner_bytes":0,"ssh_kexinit_bytes":0,"ssh_name_list":0,"tls_handshake_bytes":0,"tls_reassembly_gaps":0,"quic_packets_per_datagram":0,"quic_crypto_bytes":0,"quic_decryptions":0,"dns_names":0},"process_method":"procfs","process_fallback_reason":"ebpf: not root","process_hits_exact":7,"process_hits_exact_reversed":0,"process_hits_listener":0,"process_hits_unconnected_udp":0,"process_lookups":10,"process_hits":7,"process_misses":3,"process_ambiguous":0,"process_requests_dropped":0,"process_refreshes":0,"process_scan_ms_total":12.345678,"process_scan_ms_max":0.000999,"source_error":"truncated \"file\""})") + "\n");
}

// Every counter with its own value, so that a counter written under another's key (or a
// sum over the wrong members) shows. The expected line was written by formatSummary as it
// was before the counter table (commit 62add4b).
test::SampleSummary everyCounterSummary() {
  test::SampleSummary s = test::sampleSummary();
  std::uint64_t v = 1;
  auto& c = s.stats.capture;
  for (auto* m : {&c.seen, &c.kernelDropped, &c.ifaceDropped, &c.ourDropped, &c.oversize}) *m = v++;
  auto& d = s.stats.decode;
  for (auto* m : {&d.ok, &d.fragments, &d.notIp, &d.unsupported, &d.malformed, &d.bytes}) *m = v++;
  d.tunnelled = 1001;  // added later: numbered apart so the values above stay as they were
  d.tunnelCapped = 1002;
  auto& t = s.stats.tracker;
  for (auto* m : {&t.packets, &t.tracked, &t.ignoredLoopback, &t.untracked, &t.created, &t.closed,
                  &t.expired, &t.evicted, &t.forcedEnd, &t.tcpReused, &t.retransmissions}) {
    *m = v++;
  }
  auto& p = s.stats.dpi;
  for (auto* m : {&p.inspectors, &p.packetsInspected, &p.bytesInspected, &p.unidentified,
                  &p.notMine, &p.malformed}) {
    *m = v++;
  }
  // The values of 62add4b's line: slot 0 was the unknown protocol's, never written.
  ++v;
  for (std::size_t i = 0; i < 8; ++i) p.hits[i] = v++;  // HTTP .. SSDP; NTP and STUN came later

  for (auto& h : p.capsHit) h = v++;
  s.stats.liveConnections = v++;
  process::Counters& q = *s.run.process;
  q.lookups = v++;
  for (auto& h : q.hits) h = v++;
  for (auto* m : {&q.misses, &q.ambiguous, &q.requestsDropped, &q.refreshes, &q.fullScans,
                  &q.pidsRescanned, &q.pidsVanished, &q.sharedInodes, &q.sockets, &q.processes,
                  &q.socketsTruncated, &q.processesTruncated, &q.socketSourceErrors,
                  &q.cacheEvictions, &q.cachedResults, &q.resolvedFromEbpf, &q.ebpfEventsLost,
                  &q.lastScanNs}) {
    *m = v++;
  }
  q.maxScanNs = 1'500'000;
  q.totalScanNs = 123'456'789'012;
  return s;
}

TEST(EventBytes, SummaryWithEveryCounterAsBefore) {
  const auto s = everyCounterSummary();
  EXPECT_EQ(formatSummary(s.stats, s.run), std::string(R"({"timestamp":"2023-11-14T22:13:20.999999Z","event":"summary","file":"capture\\x1b.pcap","elapsed_secs":1.579999,"packets_seen":1,"bytes_seen":11,"packets_decoded":6,"packets_malformed":10,"packets_truncated":0,"packets_fragments":7,"packets_not_ip":8,"packets_unsupported_link":9,"packets_length_capped":0,"packets_tunnelled":1001,"packets_tunnel_depth_capped":1002,"packets_dropped_kernel":2,"packets_dropped_interface":3,"packets_dropped_ours":9,"fragments_first":0,"fragments_credited":0,"fragments_unmatched":0,"fragments_table_full":0,"fragments_reassembled":0,"packets_ignored_loopback":14,"connections_created":16,"connections_closed":17,"connections_expired":18,"connections_evicted":19,"connections_forced_end":20,"connections_reused":21,"tcp_retransmissions":22,"dpi_connections_inspected":23,"dpi_packets_inspected":24,"dpi_unidentified":26,"dpi_malformed":28,"dpi_hits":{"HTTP":30,"HTTPS":31,"QUIC":32,"DNS":33,"mDNS":34,"LLMNR":35,"SSH":36,"SSDP":37,"NTP":0,"STUN":0},"dpi_caps_hit":{"inspected_packets":38,"probe_packets":39,"http_header_bytes":40,"dns_pointer_hops":41,"dns_name_bytes":42,"dns_answers":43,"dns_tcp_bytes":44,"ssh_banner_bytes":45,"ssh_kexinit_bytes":46,"ssh_name_list":47,"tls_handshake_bytes":48,"tls_reassembly_gaps":49,"quic_packets_per_datagram":50,"quic_crypto_bytes":51,"quic_decryptions":52,"dns_names":53},"process_method":"procfs","process_fallback_reason":"ebpf: not root","process_hits_exact":57,"process_hits_exact_reversed":58,"process_hits_listener":59,"process_hits_unconnected_udp":60,"process_lookups":55,"process_hits":234,"process_misses":62,"process_ambiguous":63,"process_requests_dropped":64,"process_refreshes":65,"process_scan_ms_total":123456.789012,"process_scan_ms_max":1.5,"source_error":"truncated \"file\""})") + "\n");
}

}  // namespace
}  // namespace rustnet::output
