#include "dpi/http/http_facts.h"

namespace rustnet::dpi::http {

namespace {
constexpr std::uint8_t kSearch = field::kSearchable;
constexpr FieldInfo kMethod{"http_method", "Method", kSearch};
constexpr FieldInfo kHost{"http_host", "Host", kSearch | field::kServerName};
constexpr FieldInfo kPath{"http_path", "Path", kSearch};
constexpr FieldInfo kUserAgent{"http_user_agent", "User-Agent", kSearch};
constexpr FieldInfo kStatus{"http_status", "Status", kSearch};
}  // namespace

void HttpFacts::describe(FieldSink& out) const {
  describeWire(out, kMethod, method);
  describeWire(out, kHost, host);
  describeWire(out, kPath, path);
  describeWire(out, kUserAgent, userAgent);
  if (status != 0) out.field(kStatus, FieldValue::num(status));
}

}  // namespace rustnet::dpi::http
