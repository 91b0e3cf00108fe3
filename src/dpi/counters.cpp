#include "dpi/counters.h"

namespace rustnet::dpi {

Counters& Counters::operator+=(const Counters& o) {
  core::addCounters(*this, o, kCounters);
  return *this;
}

}  // namespace rustnet::dpi
