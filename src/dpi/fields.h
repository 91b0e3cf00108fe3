#pragma once
// Facts that describe themselves. Each protocol keeps what it learned in its own struct (a
// FactsBlock: HttpFacts, TlsFacts, ...), and lists it as named fields through describe().
// The JSON writer, the Details tab and the filter walk those fields and know no protocol:
// adding a protocol adds no code to src/output, src/ui or src/filter.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip_addr.h"

namespace rustnet::dpi {

namespace field {
inline constexpr std::uint8_t kSearchable = 1u << 0;  // bare filter words look in it
inline constexpr std::uint8_t kServerName = 1u << 1;  // the server the client asked for (sni:, dst:)
}  // namespace field

struct FieldInfo {
  std::string_view key;    // JSON key: "tls_sni" (plain ASCII, the protocol's prefix)
  std::string_view label;  // Details label: "SNI"
  std::uint8_t flags = 0;  // field::k*
};

enum class FieldKind : std::uint8_t {
  Wire,     // text from a packet: escaped wherever it is shown
  Text,     // our own text (a name we looked up, hex we formatted)
  Number,   // unsigned integer
  Code,     // a registered number: JSON "0x" + hexDigits digits; shown with its name if known
  Flag,     // something seen (JSON true); absent fields are simply not described
  Address,  // an IP address
  List,     // items of the kinds above (not lists)
};

// One value, valid only during the FieldSink call that receives it (it borrows).
struct FieldValue {
  FieldKind kind = FieldKind::Text;
  std::string_view str;          // Wire, Text; Code: its name, empty when unknown
  std::uint64_t number = 0;      // Number, Code
  std::uint8_t hexDigits = 0;    // Code
  core::IpAddr addr;             // Address
  std::span<const FieldValue> items;  // List

  static FieldValue wire(std::string_view s) { return make(FieldKind::Wire, s); }
  static FieldValue text(std::string_view s) { return make(FieldKind::Text, s); }
  static FieldValue num(std::uint64_t n) { return make(FieldKind::Number, {}, n); }
  static FieldValue code(std::uint64_t n, std::uint8_t digits, std::string_view name = {}) {
    FieldValue v = make(FieldKind::Code, name, n);
    v.hexDigits = digits;
    return v;
  }
  static FieldValue flag() { return make(FieldKind::Flag); }
  static FieldValue address(const core::IpAddr& a) {
    FieldValue v = make(FieldKind::Address);
    v.addr = a;
    return v;
  }
  static FieldValue list(std::span<const FieldValue> items) {
    FieldValue v = make(FieldKind::List);
    v.items = items;
    return v;
  }

private:
  static FieldValue make(FieldKind k, std::string_view s = {}, std::uint64_t n = 0) {
    FieldValue v;
    v.kind = k;
    v.str = s;
    v.number = n;
    return v;
  }
};

class FieldSink {
public:
  virtual void field(const FieldInfo& info, const FieldValue& value) = 0;

protected:
  ~FieldSink() = default;
};

// Helpers for describe(). Lists longer than kMaxListItems are cut there (every list a
// protocol keeps is capped below it).
inline constexpr std::size_t kMaxListItems = 16;

inline void describeWire(FieldSink& out, const FieldInfo& f, std::string_view s) {
  if (!s.empty()) out.field(f, FieldValue::wire(s));
}
inline void describeWireList(FieldSink& out, const FieldInfo& f, const std::vector<std::string>& items) {
  std::array<FieldValue, kMaxListItems> v;
  std::size_t n = 0;
  for (const auto& s : items) {
    if (n == v.size()) break;
    v[n++] = FieldValue::wire(s);
  }
  out.field(f, FieldValue::list({v.data(), n}));
}

// Identity of a kind of FactsBlock, one per struct.
struct FactsKind {
  std::string_view title;    // Details section title: "TLS"
  std::string_view keyword;  // filter keyword matching its searchable fields: "tls"
  std::string_view help;     // one line for the Help tab
};

class FactsBlock {
public:
  virtual ~FactsBlock() = default;
  [[nodiscard]] virtual const FactsKind& kind() const = 0;
  [[nodiscard]] virtual std::unique_ptr<FactsBlock> clone() const = 0;
  // Every field known, in a fixed order (the JSON order); fields not known are left out.
  virtual void describe(FieldSink& out) const = 0;
  // The name the client asked for (SNI, Host, query name): nullopt for protocols that have
  // no such thing, empty when this one has not been seen. Raw: escape to show.
  [[nodiscard]] virtual std::optional<std::string_view> domain() const { return std::nullopt; }
  // What the table shows in parentheses after the protocol's name; the domain by default.
  [[nodiscard]] virtual std::optional<std::string_view> detail() const { return domain(); }

protected:
  FactsBlock() = default;
  FactsBlock(const FactsBlock&) = default;
  FactsBlock& operator=(const FactsBlock&) = default;
};

// Base of a protocol's facts struct: `struct TlsFacts : FactsOf<TlsFacts> { static constexpr
// FactsKind kKind{...}; ... }` gets kind() and clone().
template <typename Derived>
class FactsOf : public FactsBlock {
public:
  [[nodiscard]] const FactsKind& kind() const final { return Derived::kKind; }
  [[nodiscard]] std::unique_ptr<FactsBlock> clone() const final {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
};

}  // namespace rustnet::dpi
