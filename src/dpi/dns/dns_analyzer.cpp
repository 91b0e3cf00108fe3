#include "dpi/dns/dns_analyzer.h"

namespace rustnet::dpi::dns {
namespace {
Confidence probe(const FlowInfo&, const Segment&) { return Confidence::None; }
std::unique_ptr<Analyzer> create(const FlowInfo&) { return nullptr; }
}  // namespace

const AnalyzerEntry kEntry{"dns", transports::kTcp, &probe, &create};

}  // namespace rustnet::dpi::dns
