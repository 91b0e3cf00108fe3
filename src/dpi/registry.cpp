#include "dpi/registry.h"

#include <array>

namespace rustnet::dpi {

// Each protocol folder defines its entry (see its header); list it here, one line each.
namespace http { extern const AnalyzerEntry kEntry; }
namespace dns { extern const AnalyzerEntry kEntry; }
namespace ssh { extern const AnalyzerEntry kEntry; }
namespace tls { extern const AnalyzerEntry kEntry; }
namespace quic { extern const AnalyzerEntry kEntry; }

namespace {
// Priority order for equal confidence. Content-recognised protocols first.
constexpr auto kAnalyzers = std::to_array<const AnalyzerEntry*>({
    &http::kEntry,
    &ssh::kEntry,
    &tls::kEntry,
    &quic::kEntry,
    &dns::kEntry,
});
static_assert(kAnalyzers.size() <= kMaxAnalyzers);
}  // namespace

std::span<const AnalyzerEntry* const> analyzers() { return kAnalyzers; }

}  // namespace rustnet::dpi
