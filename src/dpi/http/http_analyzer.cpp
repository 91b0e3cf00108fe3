#include "dpi/http/http_analyzer.h"

namespace rustnet::dpi::http {
namespace {
Confidence probe(const FlowInfo&, const Segment&) { return Confidence::None; }
std::unique_ptr<Analyzer> create(const FlowInfo&) { return nullptr; }
}  // namespace

const AnalyzerEntry kEntry{"http", transports::kTcp, &probe, &create};

}  // namespace rustnet::dpi::http
