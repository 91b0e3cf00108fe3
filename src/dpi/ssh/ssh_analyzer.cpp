#include "dpi/ssh/ssh_analyzer.h"

namespace rustnet::dpi::ssh {
namespace {
Confidence probe(const FlowInfo&, const Segment&) { return Confidence::None; }
std::unique_ptr<Analyzer> create(const FlowInfo&) { return nullptr; }
}  // namespace

const AnalyzerEntry kEntry{"ssh", transports::kTcp, &probe, &create};

}  // namespace rustnet::dpi::ssh
