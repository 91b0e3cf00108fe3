#pragma once
// The DPI part of the NDJSON schema: `dpi_protocol`, `dpi_domain` and the fields each
// protocol describes (dpi/fields.h: tls_*, http_*, dns_*, ...). Lists become arrays. Wire
// text is written through JsonLine::wire (escaped). The DPI counters are written from their
// counter table (counters_json.h).
#include "dpi/facts.h"
#include "output/json_line.h"

namespace rustnet::output {

void appendDpiFields(JsonLine& j, const dpi::Facts& f);

}  // namespace rustnet::output
