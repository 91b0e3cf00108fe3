// Deep packet inspection cost per analyzer: one fresh dpi::Inspector per iteration fed a
// hand-built conversation the way the tracker feeds it (payloads in order, TCP sequence
// numbers per direction), then dropped. Google Benchmark prints ns per connection; the
// counters give ns per packet and the heap an inspected connection holds:
//   heap_peak   most bytes allocated at once while inspecting (Inspector excluded),
//   heap_after  bytes still allocated when the conversation is over (Inspector excluded),
//   facts_kept  bytes a copy of the final Facts takes (what the tracker keeps afterwards,
//               shared_ptr control block excluded),
//   inspector   sizeof(dpi::Inspector), allocated once per inspected connection.
// Heap figures count malloc_usable_size of every allocation made by the benchmark thread.
// Nothing here asserts on time.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "dpi/http/http_facts.h"
#include "dpi/tls/tls_facts.h"
#include "dpi/dns/dns_facts.h"
#include "dpi/ssh/ssh_facts.h"
#include "dpi/quic/quic_facts.h"
#include "dpi/counters.h"
#include "dpi/facts.h"
#include "dpi/inspector.h"
#include "quic_vectors.h"
#include "tls_builders.h"

namespace {

std::size_t gLiveBytes = 0;

void* countedAlloc(std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  gLiveBytes += malloc_usable_size(p);
  return p;
}
void countedFree(void* p) noexcept {
  if (p == nullptr) return;
  gLiveBytes -= malloc_usable_size(p);
  std::free(p);
}

}  // namespace

void* operator new(std::size_t n) { return countedAlloc(n); }
void* operator new[](std::size_t n) { return countedAlloc(n); }
void operator delete(void* p) noexcept { countedFree(p); }
void operator delete[](void* p) noexcept { countedFree(p); }
void operator delete(void* p, std::size_t) noexcept { countedFree(p); }
void operator delete[](void* p, std::size_t) noexcept { countedFree(p); }

namespace {

using namespace rustnet;
using Payload = std::vector<std::uint8_t>;
using dpi::Direction;

struct Packet {
  Direction dir;
  Payload bytes;
};

struct Conversation {
  dpi::FlowInfo flow;
  std::vector<Packet> packets;
};

Payload text(const std::string& s) { return Payload(s.begin(), s.end()); }

struct Fed {
  std::size_t peak = 0;
  std::size_t after = 0;
  std::size_t factsKept = 0;
  bool finished = false;
  dpi::AppProto proto = nullptr;
};

// One connection's inspection, as the tracker runs it.
Fed feed(const Conversation& c, dpi::Counters& counters, bool measure) {
  Fed fed;
  const std::size_t base = gLiveBytes;
  auto inspector = std::make_unique<dpi::Inspector>(c.flow);
  const std::size_t own = gLiveBytes - base;
  std::uint32_t seq[2] = {1000, 50000};
  std::int64_t clock = 1'000'000'000;
  for (const Packet& p : c.packets) {
    auto& s = seq[static_cast<std::size_t>(p.dir)];
    inspector->feed(p.bytes, p.dir, s, core::Timestamp::fromNanos(clock += 1000), counters);
    s += static_cast<std::uint32_t>(p.bytes.size());
    if (measure) fed.peak = std::max(fed.peak, gLiveBytes - base - own);
  }
  if (measure) {
    fed.after = gLiveBytes - base - own;
    fed.finished = inspector->finished();
    fed.proto = inspector->facts().proto();
    const std::size_t before = gLiveBytes;
    auto kept = std::make_unique<const dpi::Facts>(inspector->facts());
    fed.factsKept = gLiveBytes - before;
  }
  benchmark::DoNotOptimize(inspector->facts().proto());
  return fed;
}

void run(benchmark::State& state, const Conversation& c, dpi::AppProto expect) {
  dpi::Counters counters;
  const Fed fed = feed(c, counters, true);
  if (fed.proto != expect) {
    state.SkipWithError("the conversation was not recognised as expected");
    return;
  }
  for (auto _ : state) feed(c, counters, false);
  const auto packets = static_cast<double>(c.packets.size());
  // Inverted rate: time per packet.
  state.counters["ns_per_packet"] = benchmark::Counter(
      packets, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["heap_peak"] = static_cast<double>(fed.peak);
  state.counters["heap_after"] = static_cast<double>(fed.after);
  state.counters["facts_kept"] = static_cast<double>(fed.factsKept);
  state.counters["inspector"] = static_cast<double>(sizeof(dpi::Inspector));
  state.counters["finished"] = fed.finished ? 1 : 0;
}

// ---- conversations -------------------------------------------------------------------

Conversation http() {
  return {{dpi::Transport::Tcp, 40000, 80, true},
          {{Direction::Outbound,
            text("GET /index.html?q=1 HTTP/1.1\r\nHost: www.example.com\r\n"
                 "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n"
                 "Accept: text/html,application/xhtml+xml\r\nAccept-Language: en-US,en;q=0.5\r\n"
                 "Accept-Encoding: gzip, deflate, br\r\nConnection: keep-alive\r\n\r\n")},
           {Direction::Inbound,
            text("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\n"
                 "Content-Length: 1234\r\nConnection: keep-alive\r\n\r\n<html>...")}}};
}

Payload clientHello() {
  test::ClientHelloSpec spec;
  spec.sni = "www.example.com";
  spec.paddingExtension = 200;
  spec.cipherSuites = 16;
  return test::wrapInRecords(test::buildClientHello(spec));
}
Payload serverHello() { return test::wrapInRecords(test::buildServerHello({})); }

Conversation tlsWhole() {
  return {{dpi::Transport::Tcp, 40000, 443, true},
          {{Direction::Outbound, clientHello()}, {Direction::Inbound, serverHello()}}};
}

// The ClientHello in `pieces` TCP segments.
Conversation tlsSplit(std::size_t pieces) {
  Conversation c{{dpi::Transport::Tcp, 40000, 443, true}, {}};
  const Payload ch = clientHello();
  const std::size_t step = (ch.size() + pieces - 1) / pieces;
  for (std::size_t at = 0; at < ch.size(); at += step) {
    const std::size_t end = std::min(ch.size(), at + step);
    c.packets.push_back({Direction::Outbound, Payload(ch.begin() + static_cast<std::ptrdiff_t>(at),
                                                      ch.begin() + static_cast<std::ptrdiff_t>(end))});
  }
  c.packets.push_back({Direction::Inbound, serverHello()});
  return c;
}

void putName(Payload& p, const std::string& dotted) {
  std::size_t start = 0;
  while (start <= dotted.size()) {
    const auto dot = dotted.find('.', start);
    const std::size_t end = dot == std::string::npos ? dotted.size() : dot;
    p.push_back(static_cast<std::uint8_t>(end - start));
    p.insert(p.end(), dotted.begin() + static_cast<std::ptrdiff_t>(start),
             dotted.begin() + static_cast<std::ptrdiff_t>(end));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  p.push_back(0);
}

Conversation dns() {
  Payload q{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
  putName(q, "www.example.com");
  q.insert(q.end(), {0, 1, 0, 1});
  Payload r = q;
  r[2] = 0x81;
  r[3] = 0x80;
  r[7] = 2;  // two answers: a CNAME, then an A record
  r.insert(r.end(), {0xc0, 0x0c, 0, 5, 0, 1, 0, 0, 0x0e, 0x10});
  Payload target;
  putName(target, "edge.example.net");
  r.push_back(0);
  r.push_back(static_cast<std::uint8_t>(target.size()));
  const std::size_t targetAt = r.size();
  r.insert(r.end(), target.begin(), target.end());
  r.insert(r.end(), {0xc0, static_cast<std::uint8_t>(targetAt), 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 93, 184, 216, 34});
  return {{dpi::Transport::Udp, 40000, 53, true}, {{Direction::Outbound, q}, {Direction::Inbound, r}}};
}

// An SSH binary packet (RFC 4253 §6) around `payload`, padded to a multiple of 8.
Payload sshPacket(const Payload& payload) {
  std::size_t pad = 8 - (5 + payload.size()) % 8;
  if (pad < 4) pad += 8;
  const auto len = static_cast<std::uint32_t>(1 + payload.size() + pad);
  Payload p{static_cast<std::uint8_t>(len >> 24), static_cast<std::uint8_t>(len >> 16),
            static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len),
            static_cast<std::uint8_t>(pad)};
  p.insert(p.end(), payload.begin(), payload.end());
  p.insert(p.end(), pad, 0);
  return p;
}

Payload kexinit(const std::vector<std::string>& lists) {
  Payload b{20};
  b.insert(b.end(), 16, 0xab);
  for (std::size_t i = 0; i < 10; ++i) {
    const std::string l = i < lists.size() ? lists[i] : "";
    const auto n = static_cast<std::uint32_t>(l.size());
    b.insert(b.end(), {static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                       static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
    b.insert(b.end(), l.begin(), l.end());
  }
  b.insert(b.end(), {0, 0, 0, 0, 0});
  return sshPacket(b);
}

Conversation ssh() {
  const std::vector<std::string> client{
      "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
      "diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,kex-strict-c-v00@openssh.com",
      "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,ssh-ed25519,rsa-sha2-512,rsa-sha2-256",
      "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com",
      "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com",
      "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com",
      "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com",
      "none,zlib@openssh.com",
      "none,zlib@openssh.com"};
  const std::vector<std::string> server{
      "curve25519-sha256,ecdh-sha2-nistp256,kex-strict-s-v00@openssh.com", "rsa-sha2-512,ssh-ed25519",
      "aes128-ctr,chacha20-poly1305@openssh.com", "aes128-ctr,chacha20-poly1305@openssh.com",
      "hmac-sha2-256,umac-64@openssh.com", "hmac-sha2-256,umac-64@openssh.com", "none", "none"};
  return {{dpi::Transport::Tcp, 40000, 22, true},
          {{Direction::Inbound, text("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u1\r\n")},
           {Direction::Outbound, text("SSH-2.0-OpenSSH_9.6\r\n")},
           {Direction::Outbound, kexinit(client)},
           {Direction::Inbound, kexinit(server)}}};
}

Conversation quicInitial() {
  return {{dpi::Transport::Udp, 40000, 443, true}, {{Direction::Outbound, test::fromHex(test::vectors::kV1ClientPacket)}}};
}

void BM_Http(benchmark::State& s) { run(s, http(), &dpi::http::kHttp); }
void BM_TlsWhole(benchmark::State& s) { run(s, tlsWhole(), &dpi::tls::kTls); }
void BM_TlsSplit4(benchmark::State& s) { run(s, tlsSplit(4), &dpi::tls::kTls); }
void BM_Dns(benchmark::State& s) { run(s, dns(), &dpi::dns::kDns); }
void BM_Ssh(benchmark::State& s) { run(s, ssh(), &dpi::ssh::kSsh); }
void BM_QuicInitial(benchmark::State& s) { run(s, quicInitial(), &dpi::quic::kQuic); }

BENCHMARK(BM_Http);
BENCHMARK(BM_TlsWhole);
BENCHMARK(BM_TlsSplit4);
BENCHMARK(BM_Dns);
BENCHMARK(BM_Ssh);
BENCHMARK(BM_QuicInitial);

}  // namespace

BENCHMARK_MAIN();
