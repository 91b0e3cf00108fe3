#include "output/dpi_json.h"

#include <string>
#include <string_view>

namespace rustnet::output {

namespace {

// Writes a protocol's described fields; knows field kinds, not protocols.
class JsonFields final : public dpi::FieldSink {
public:
  explicit JsonFields(JsonLine& j) : j_(j) {}

  void field(const dpi::FieldInfo& info, const dpi::FieldValue& v) override {
    const JsonKey key = JsonKey::plain(info.key);
    switch (v.kind) {
      case dpi::FieldKind::Wire: j_.wire(key, v.str); break;
      case dpi::FieldKind::Text: j_.str(key, v.str); break;
      case dpi::FieldKind::Number: j_.num(key, v.number); break;
      case dpi::FieldKind::Code: j_.hex(key, v.number, v.hexDigits); break;
      case dpi::FieldKind::Flag: j_.boolean(key, true); break;
      case dpi::FieldKind::Address: j_.ip(key, v.addr); break;
      case dpi::FieldKind::List:
        j_.beginArray(key);
        for (const auto& item : v.items) element(item);
        j_.endArray();
        break;
    }
  }

private:
  void element(const dpi::FieldValue& v) {
    switch (v.kind) {
      case dpi::FieldKind::Address: j_.element(v.addr); break;
      case dpi::FieldKind::Number:
      case dpi::FieldKind::Code: j_.element(std::to_string(v.number)); break;
      default: j_.element(v.str); break;  // escaped like wire text
    }
  }

  JsonLine& j_;
};

}  // namespace

void appendDpiFields(JsonLine& j, const dpi::Facts& f) {
  if (f.proto() == nullptr) return;
  j.str("dpi_protocol", dpi::appProtoName(f.proto()));
  const std::string_view domain = f.domain();
  if (!domain.empty()) j.wire("dpi_domain", domain);
  JsonFields fields(j);
  for (const auto& block : f.blocks()) block->describe(fields);
}

}  // namespace rustnet::output
