// libFuzzer target: one raw DNS message (no framing) through the message parser and the
// strict query check; names are read from every offset to reach odd pointer paths.
#include <string>

#include "dpi/counters.h"
#include "dpi/dns/dns_message.h"
#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rustnet;
  const core::Bytes msg(data, size);
  dpi::Counters counters;
  dpi::dns::Message m;
  (void)dpi::dns::parseMessage(msg, m, counters);
  fuzz::require(m.answers.size() <= dpi::kMaxDnsAnswers);
  (void)dpi::dns::looksLikeStandardQuery(msg);
  std::string name;
  for (std::size_t off = 0; off < size && off < 512; ++off) {
    std::size_t next = 0;
    if (dpi::dns::readName(msg, off, &name, next) == dpi::dns::NameStatus::Ok) {
      fuzz::require(next > off && next <= size);
    }
    fuzz::require(name.size() <= dpi::dns::kMaxDnsNameBytes);
  }
  return 0;
}
