// Writes a synthetic capture of many distinct flows for the scale benchmark
// (bench/scale_bench.sh): gen_flows OUT.pcap FLOWS [--random] [--seed N] [--distinct K] [--reply-every K]
// [--span-us US]. See bench/flow_pcap.h for what the packets look like.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "flow_pcap.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s OUT.pcap FLOWS [--random] [--seed N] [--distinct K] [--reply-every K] [--span-us US]\n", argv[0]);
    return 2;
  }
  rustnet::scale::FlowPcapOptions o;
  o.flows = std::strtoull(argv[2], nullptr, 10);
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    const bool hasValue = i + 1 < argc;
    if (a == "--random") {
      o.random = true;
    } else if (a == "--seed" && hasValue) {
      o.seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--distinct" && hasValue) {
      o.distinct = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--reply-every" && hasValue) {
      o.replyEvery = static_cast<std::uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (a == "--span-us" && hasValue) {
      o.spanUs = std::strtoll(argv[++i], nullptr, 10);
    } else {
      std::fprintf(stderr, "gen_flows: unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  rustnet::scale::FlowPcapStats s;
  if (!rustnet::scale::writeFlowPcap(argv[1], o, &s)) {
    std::fprintf(stderr, "gen_flows: cannot write %s\n", argv[1]);
    return 1;
  }
  std::printf("%s: %llu flows (%llu TCP), %llu packets\n", argv[1], static_cast<unsigned long long>(s.flows),
              static_cast<unsigned long long>(s.tcpFlows), static_cast<unsigned long long>(s.packets));
  return 0;
}
