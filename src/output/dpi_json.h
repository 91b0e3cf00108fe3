#pragma once
// The DPI part of the NDJSON schema: `dpi_protocol`, `dpi_domain` and the fields each
// protocol describes (dpi/fields.h: tls_*, http_*, dns_*, ...), and the DPI counters of the
// summary line. Lists become arrays. Wire text is written through JsonLine::wire (escaped).
#include "dpi/counters.h"
#include "dpi/facts.h"
#include "output/json_line.h"

namespace rustnet::output {

void appendDpiFields(JsonLine& j, const dpi::Facts& f);
void appendDpiCounters(JsonLine& j, const dpi::Counters& c);

}  // namespace rustnet::output
