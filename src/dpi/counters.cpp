#include "dpi/counters.h"

namespace rustnet::dpi {

Counters& Counters::operator+=(const Counters& o) {
  inspectors += o.inspectors;
  packetsInspected += o.packetsInspected;
  bytesInspected += o.bytesInspected;
  unidentified += o.unidentified;
  notMine += o.notMine;
  malformed += o.malformed;
  for (std::size_t i = 0; i < hits.size(); ++i) hits[i] += o.hits[i];
  for (std::size_t i = 0; i < capsHit.size(); ++i) capsHit[i] += o.capsHit[i];
  return *this;
}

}  // namespace rustnet::dpi
