#pragma once
// What every DPI fuzz target checks after a run, beyond "no crash": the facts respect
// their caps and can be shown and copied.
#include <cstdlib>

#include "core/text.h"
#include "dpi/facts.h"
#include "dpi/tls/hello.h"

namespace rustnet::fuzz {

inline void require(bool ok) {
  if (!ok) std::abort();
}

inline void checkFacts(const dpi::Facts& f) {
  const auto capped = [](const std::string& s) { require(s.size() <= core::kMaxWireString); };
  if (const auto* h = f.http()) {
    capped(h->method);
    capped(h->host);
    capped(h->path);
    capped(h->userAgent);
  }
  if (const auto* d = f.dns()) {
    capped(d->qname);
    require(d->answers.size() <= dpi::kMaxDnsAnswers);
    for (const auto& a : d->answers) capped(a.name);
  }
  if (const auto* s = f.ssh()) {
    for (const auto* b : {&s->client, &s->server}) {
      capped(b->protoVersion);
      capped(b->software);
      capped(b->comment);
    }
    capped(s->negotiated.kex);
    capped(s->negotiated.cipherC2s);
  }
  if (const auto* t = f.tls()) {
    capped(t->sni);
    require(t->alpn.size() <= dpi::tls::kMaxAlpnProtocols);
    for (const auto& a : t->alpn) capped(a);
  }
  if (const auto* q = f.quic()) {
    capped(q->sni);
    require(q->alpn.size() <= dpi::tls::kMaxAlpnProtocols);
    for (const auto& a : q->alpn) capped(a);
    require(q->dcid.len <= dpi::kMaxQuicCidLen && q->scid.len <= dpi::kMaxQuicCidLen);
  }
  const dpi::Facts copy = f;
  const std::string shown = copy.summary();
  // Shown text is escaped: no control characters reach a terminal.
  for (const char ch : shown) require(static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7f);
  require(copy.domain() == f.domain());
}

}  // namespace rustnet::fuzz
