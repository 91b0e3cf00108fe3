#pragma once
// What every DPI fuzz target checks after a run, beyond "no crash": the facts respect
// their caps and can be shown and copied.
#include <cstdlib>

#include "dpi/http/http_facts.h"
#include "dpi/tls/tls_facts.h"
#include "dpi/dns/dns_facts.h"
#include "dpi/ssh/ssh_facts.h"
#include "dpi/quic/quic_facts.h"
#include "dpi/stun/stun_facts.h"
#include "core/text.h"
#include "dpi/facts.h"
#include "dpi/tls/hello.h"

namespace rustnet::fuzz {

inline void require(bool ok) {
  if (!ok) std::abort();
}

inline void checkFacts(const dpi::Facts& f) {
  const auto capped = [](const std::string& s) { require(s.size() <= core::kMaxWireString); };
  if (const auto* h = f.find<dpi::HttpFacts>()) {
    capped(h->method);
    capped(h->host);
    capped(h->path);
    capped(h->userAgent);
  }
  if (const auto* d = f.find<dpi::DnsFacts>()) {
    capped(d->qname);
    require(d->answers.size() <= dpi::kMaxDnsAnswers);
    for (const auto& a : d->answers) capped(a.name);
  }
  if (const auto* s = f.find<dpi::SshFacts>()) {
    for (const auto* b : {&s->client, &s->server}) {
      capped(b->protoVersion);
      capped(b->software);
      capped(b->comment);
    }
    capped(s->negotiated.kex);
    capped(s->negotiated.cipherC2s);
  }
  if (const auto* t = f.find<dpi::TlsFacts>()) {
    capped(t->sni);
    require(t->alpn.size() <= dpi::tls::kMaxAlpnProtocols);
    for (const auto& a : t->alpn) capped(a);
  }
  if (const auto* q = f.find<dpi::QuicFacts>()) {
    capped(q->sni);
    require(q->alpn.size() <= dpi::tls::kMaxAlpnProtocols);
    for (const auto& a : q->alpn) capped(a);
    require(q->dcid.len <= dpi::kMaxQuicCidLen && q->scid.len <= dpi::kMaxQuicCidLen);
  }
  if (const auto* s = f.find<dpi::StunFacts>()) {
    for (const auto* str : {&s->software, &s->serverSoftware, &s->username, &s->realm}) capped(*str);
    // Set by the first message read: 12 bytes after the cookie, or classic's 16.
    require(s->transactionIdLen == (s->classic ? 16 : 12));
  }
  const dpi::Facts copy = f;
  const std::string shown = copy.summary();
  // Shown text is escaped: no control characters reach a terminal.
  for (const char ch : shown) require(static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7f);
  require(copy.domain() == f.domain());
}

}  // namespace rustnet::fuzz
