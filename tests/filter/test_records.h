#pragma once
// Builds engine::ConnectionRecords by hand for the filter and UI tests.
#include <memory>
#include <string>
#include <utility>

#include "dpi/tls/tls_facts.h"
#include "dpi/ssh/ssh_facts.h"
#include "core/flow_key.h"
#include "core/ip_addr.h"
#include "dpi/facts.h"
#include "engine/record.h"
#include "track/connection.h"

namespace rustnet::test {

inline core::Endpoint ep(const char* addr, std::uint16_t port = 0) {
  return core::Endpoint{*core::IpAddr::parse(addr), port};
}

class RecordBuilder {
public:
  RecordBuilder(std::uint64_t id, std::uint8_t proto, core::Endpoint local, core::Endpoint remote) {
    r_.id = id;
    r_.proto = proto;
    r_.local = local;
    r_.remote = remote;
    r_.state = proto == core::proto::kTcp ? track::State::Established : track::State::UdpActive;
    r_.stateLabel = track::stateName(r_.state);
    r_.firstSeen = core::Timestamp::fromNanos(1'700'000'000'000'000'000);
    r_.lastSeen = r_.firstSeen + core::Duration::seconds(5);
    r_.idleTimeout = core::Duration::seconds(300);
  }
  RecordBuilder& state(track::State s) {
    r_.state = s;
    r_.stateLabel = track::stateName(s);
    return *this;
  }
  RecordBuilder& label(std::string_view l) {  // static text, like the tracker's labels
    r_.stateLabel = l;
    return *this;
  }
  RecordBuilder& service(std::string_view s) {
    r_.service = s;
    return *this;
  }
  RecordBuilder& tunnel(std::string_view t) {  // static text, like decode::tunnelName
    r_.tunnel = t;
    return *this;
  }
  RecordBuilder& traffic(std::uint64_t outPk, std::uint64_t outB, std::uint64_t inPk, std::uint64_t inB) {
    r_.sent = {outPk, outB};
    r_.received = {inPk, inB};
    return *this;
  }
  RecordBuilder& rates(double out, double in) {
    r_.rateOutBps = out;
    r_.rateInBps = in;
    return *this;
  }
  RecordBuilder& times(std::int64_t firstSec, std::int64_t lastSec) {
    r_.firstSeen = core::Timestamp::fromNanos(firstSec * 1'000'000'000);
    r_.lastSeen = core::Timestamp::fromNanos(lastSec * 1'000'000'000);
    return *this;
  }
  RecordBuilder& tcpHealth(std::uint32_t retrans, std::int64_t rttNs) {
    r_.retransmissions = retrans;
    r_.handshakeRttNs = rttNs;
    return *this;
  }
  RecordBuilder& process(std::int32_t pid, std::string name, std::string exe = {}) {
    engine::ProcessInfo p;
    p.pid = pid;
    p.uid = 1000;
    p.name = std::move(name);
    p.executable = std::move(exe);
    r_.process = std::move(p);
    return *this;
  }
  // Edits a fresh Facts, then freezes it into the record as the engine would.
  template <typename Fn>
  RecordBuilder& dpi(dpi::AppProto p, Fn&& edit) {
    auto f = std::make_shared<dpi::Facts>();
    f->setProto(p);
    edit(*f);
    r_.dpi = std::move(f);
    return *this;
  }
  RecordBuilder& tls(std::string sni) {
    return dpi(&dpi::tls::kTls, [&](dpi::Facts& f) {
      f.get<dpi::TlsFacts>().sni = sni;
      f.get<dpi::TlsFacts>().alpn = {"h2", "http/1.1"};
      f.get<dpi::TlsFacts>().clientHelloSeen = true;
      f.get<dpi::TlsFacts>().negotiatedVersion = 0x0304;
    });
  }
  RecordBuilder& ssh(std::string client, std::string server) {
    return dpi(&dpi::ssh::kSsh, [&](dpi::Facts& f) {
      f.get<dpi::SshFacts>().client = {true, "2.0", client, ""};
      f.get<dpi::SshFacts>().server = {true, "2.0", server, "Debian-2"};
      f.get<dpi::SshFacts>().negotiated.kex = "curve25519-sha256";
      f.get<dpi::SshFacts>().negotiated.cipherC2s = "chacha20-poly1305@openssh.com";
      f.advanceState(&dpi::ssh::kEstablished);
    });
  }
  engine::ConnectionRecord build() const { return r_; }
  operator engine::ConnectionRecord() const { return r_; }  // NOLINT: convenience in tests

private:
  engine::ConnectionRecord r_;
};

}  // namespace rustnet::test
