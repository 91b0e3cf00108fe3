#include "dpi/registry.h"

#include <algorithm>
#include <array>
#include <vector>

namespace rustnet::dpi {

// Each protocol folder defines its entry (see its header); list it here, one line each.
namespace http { extern const AnalyzerEntry kEntry; extern const AnalyzerEntry kSsdpEntry; }
namespace dns { extern const AnalyzerEntry kEntry; }
namespace ssh { extern const AnalyzerEntry kEntry; }
namespace tls { extern const AnalyzerEntry kEntry; }
namespace quic { extern const AnalyzerEntry kEntry; }
namespace ntp { extern const AnalyzerEntry kEntry; }
namespace stun { extern const AnalyzerEntry kEntry; }

namespace {
// Priority order for equal confidence, which is also the order protocols are listed in
// (the JSON summary's dpi_hits). Probes that recognise content never tie with each other.
constexpr auto kAnalyzers = std::to_array<const AnalyzerEntry*>({
    &http::kEntry,
    &tls::kEntry,
    &quic::kEntry,
    &dns::kEntry,
    &ssh::kEntry,
    &http::kSsdpEntry,
    &ntp::kEntry,
    &stun::kEntry,
});
static_assert(kAnalyzers.size() <= kMaxAnalyzers);

// The tables derived from kAnalyzers, built once (the entries live in other translation
// units, so this cannot happen at compile time).
struct Derived {
  std::vector<AppProto> protocols;
  std::vector<const FactsKind*> kinds;

  Derived() {
    for (const AnalyzerEntry* e : kAnalyzers) {
      protocols.insert(protocols.end(), e->protocols.begin(), e->protocols.end());
      for (const FactsKind* k : e->kinds) {
        if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) kinds.push_back(k);
      }
    }
  }
};

const Derived& derived() {
  static const Derived d;
  return d;
}
}  // namespace

std::span<const AnalyzerEntry* const> analyzers() { return kAnalyzers; }

std::span<const AppProto> protocols() {
  const auto& p = derived().protocols;
  return {p.data(), std::min(p.size(), kMaxProtocols)};
}

std::size_t protocolIndex(AppProto p) {
  const auto all = protocols();
  const auto it = std::find(all.begin(), all.end(), p);
  return p == nullptr || it == all.end() ? kMaxProtocols : static_cast<std::size_t>(it - all.begin());
}

std::span<const FactsKind* const> factsKinds() { return derived().kinds; }

const FactsKind* factsKindByKeyword(std::string_view keyword) {
  for (const FactsKind* k : factsKinds()) {
    if (k->keyword == keyword) return k;
  }
  return nullptr;
}

}  // namespace rustnet::dpi
