#include "dpi/tls/hello.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "core/text.h"

namespace rustnet::dpi::tls {

namespace {

using core::Bytes;
using core::Cursor;

std::string_view asText(Bytes b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// Orders versions so that "highest offered" means what a reader expects: TLS 1.3 drafts
// (0x7fNN) rank above TLS 1.2 and below the final TLS 1.3. Versions we do not know rank 0.
int versionRank(std::uint16_t v) {
  if ((v >> 8) == 0x03 && (v & 0xff) <= 0x04) return 1000 + (v & 0xff) * 1000;
  if ((v >> 8) == 0x7f) return 4000 + 1 + (v & 0xff);
  return 0;
}

// A length-prefixed vector: reads the prefix, then the body when it is wholly present.
// `truncated` tells the caller whether it failed because input ended.
std::optional<Bytes> takeVector8(Cursor& c) {
  auto n = c.peekU8();
  if (!n || c.remaining() < 1u + *n) return std::nullopt;
  c.skip(1);
  return c.take(*n);
}
std::optional<Bytes> takeVector16(Cursor& c) {
  auto n = c.peekBe16();
  if (!n || c.remaining() < 2u + *n) return std::nullopt;
  c.skip(2);
  return c.take(*n);
}

ParseStatus parseServerName(Bytes data, ClientHello& out) {
  Cursor c{data};
  auto list = takeVector16(c);
  if (!list) return ParseStatus::Malformed;
  Cursor l{*list};
  // Each entry costs at least 3 bytes, so this loop is bounded by the extension length.
  while (!l.empty()) {
    auto type = l.u8();
    if (!type) return ParseStatus::Malformed;
    auto name = takeVector16(l);
    if (!name) return ParseStatus::Malformed;
    if (*type == 0 && out.sni.empty()) {
      out.sni = core::capWireString(asText(*name));
      return ParseStatus::Ok;
    }
  }
  return ParseStatus::Ok;
}

ParseStatus parseAlpnList(Bytes data, std::vector<std::string>& out) {
  Cursor c{data};
  auto list = takeVector16(c);
  if (!list) return ParseStatus::Malformed;
  Cursor l{*list};
  while (!l.empty()) {
    auto name = takeVector8(l);
    if (!name) return ParseStatus::Malformed;
    if (out.size() < kMaxAlpnProtocols) {
      out.push_back(core::capWireString(asText(*name), kMaxAlpnNameLength));
    }
  }
  return ParseStatus::Ok;
}

ParseStatus parseClientSupportedVersions(Bytes data, ClientHello& out) {
  Cursor c{data};
  auto list = takeVector8(c);
  if (!list || list->size() % 2 != 0) return ParseStatus::Malformed;
  Cursor l{*list};
  out.hasSupportedVersions = true;
  std::uint16_t best = 0;
  while (auto v = l.be16()) {
    if (isGrease(*v)) continue;
    if (best == 0 || versionRank(*v) > versionRank(best)) best = *v;
  }
  if (best != 0) out.maxVersion = best;
  return ParseStatus::Ok;
}

// Combines statuses so that the worst one wins: Malformed > Truncated > Ok.
ParseStatus worst(ParseStatus a, ParseStatus b) {
  return static_cast<std::uint8_t>(a) >= static_cast<std::uint8_t>(b) ? a : b;
}

// Walks an extensions block, calling `onExt(type, data)` for each complete extension. Returns
// Truncated when the block (or the input) ends inside an extension.
template <class OnExt>
ParseStatus walkExtensions(Cursor& c, std::uint16_t& count, OnExt&& onExt) {
  if (c.empty()) return ParseStatus::Ok;  // extensions are optional before TLS 1.3
  auto total = c.be16();
  if (!total) return ParseStatus::Truncated;
  const bool blockCut = c.remaining() < *total;
  Cursor block{c.rest().first(std::min<std::size_t>(*total, c.remaining()))};
  ParseStatus status = ParseStatus::Ok;
  while (!block.empty() && count < kMaxHelloExtensions) {
    auto type = block.be16();
    auto len = block.be16();
    if (!type || !len) return ParseStatus::Truncated;
    auto data = block.take(*len);
    if (!data) return blockCut ? ParseStatus::Truncated : ParseStatus::Malformed;
    ++count;
    status = worst(status, onExt(*type, *data));
  }
  if (blockCut) return worst(status, ParseStatus::Truncated);
  return status;
}

constexpr std::array<std::uint8_t, 32> kHelloRetryRandom{
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

}  // namespace

ParseStatus parseClientHello(Bytes body, ClientHello& out) {
  out = ClientHello{};
  Cursor c{body};
  auto legacy = c.be16();
  if (!legacy) return ParseStatus::Truncated;
  out.legacyVersion = *legacy;
  out.maxVersion = *legacy;
  if (!c.skip(32)) return ParseStatus::Truncated;  // random
  auto sessionId = c.peekU8();
  if (!sessionId) return ParseStatus::Truncated;
  if (*sessionId > 32) return ParseStatus::Malformed;
  if (!takeVector8(c)) return ParseStatus::Truncated;
  auto suites = c.peekBe16();
  if (!suites) return ParseStatus::Truncated;
  if (*suites % 2 != 0) return ParseStatus::Malformed;
  if (!takeVector16(c)) return ParseStatus::Truncated;
  out.cipherSuiteCount = static_cast<std::uint16_t>(*suites / 2);
  if (!takeVector8(c)) return ParseStatus::Truncated;  // compression methods

  return walkExtensions(c, out.extensionCount, [&out](std::uint16_t type, Bytes data) {
    switch (type) {
      case ext::kServerName:
        return parseServerName(data, out);
      case ext::kAlpn:
        if (!out.alpn.empty()) return ParseStatus::Ok;  // a repeated extension is ignored
        return parseAlpnList(data, out.alpn);
      case ext::kSupportedVersions:
        return parseClientSupportedVersions(data, out);
      case ext::kEncryptedClientHello:
        out.ech = true;
        return ParseStatus::Ok;
      case ext::kEncryptedServerName:
        out.esni = true;
        return ParseStatus::Ok;
      case ext::kQuicTransportParameters:
      case ext::kQuicTransportParametersDraft:
        if (out.quicTransportParameters.empty()) {
          out.quicTransportParameters = data;
          out.quicTransportParametersDraft = type == ext::kQuicTransportParametersDraft;
        }
        return ParseStatus::Ok;
      default:
        return ParseStatus::Ok;
    }
  });
}

ParseStatus parseServerHello(Bytes body, ServerHello& out) {
  out = ServerHello{};
  Cursor c{body};
  auto legacy = c.be16();
  if (!legacy) return ParseStatus::Truncated;
  out.legacyVersion = *legacy;
  out.version = *legacy;
  auto random = c.take(32);
  if (!random) return ParseStatus::Truncated;
  out.helloRetryRequest = std::equal(random->begin(), random->end(), kHelloRetryRandom.begin());
  auto sessionId = c.peekU8();
  if (!sessionId) return ParseStatus::Truncated;
  if (*sessionId > 32) return ParseStatus::Malformed;
  if (!takeVector8(c)) return ParseStatus::Truncated;
  auto suite = c.be16();
  if (!suite) return ParseStatus::Truncated;
  out.cipherSuite = *suite;
  if (!c.skip(1)) return ParseStatus::Truncated;  // compression method

  std::uint16_t count = 0;
  return walkExtensions(c, count, [&out](std::uint16_t type, Bytes data) {
    if (type == ext::kSupportedVersions) {
      if (data.size() != 2) return ParseStatus::Malformed;
      out.version = static_cast<std::uint16_t>((data[0] << 8) | data[1]);
    } else if (type == ext::kAlpn) {
      std::vector<std::string> selected;
      const auto s = parseAlpnList(data, selected);
      if (!selected.empty()) out.alpn = std::move(selected.front());
      return s;
    }
    return ParseStatus::Ok;
  });
}

std::string_view versionName(std::uint16_t version) {
  switch (version) {
    case 0x0300: return "SSL3.0";
    case 0x0301: return "TLS1.0";
    case 0x0302: return "TLS1.1";
    case 0x0303: return "TLS1.2";
    case 0x0304: return "TLS1.3";
    default: break;
  }
  if ((version >> 8) == 0x7f) return "TLS1.3-draft";
  return {};
}

std::string_view cipherSuiteName(std::uint16_t suite) {
  struct Entry {
    std::uint16_t id;
    std::string_view name;
  };
  // The suites seen in practice; anything else is shown by number by the caller.
  static constexpr std::array kSuites{
      Entry{0x0004, "TLS_RSA_WITH_RC4_128_MD5"},
      Entry{0x0005, "TLS_RSA_WITH_RC4_128_SHA"},
      Entry{0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
      Entry{0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA"},
      Entry{0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"},
      Entry{0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"},
      Entry{0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"},
      Entry{0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256"},
      Entry{0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256"},
      Entry{0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256"},
      Entry{0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
      Entry{0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
      Entry{0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
      Entry{0x1301, "TLS_AES_128_GCM_SHA256"},
      Entry{0x1302, "TLS_AES_256_GCM_SHA384"},
      Entry{0x1303, "TLS_CHACHA20_POLY1305_SHA256"},
      Entry{0x1304, "TLS_AES_128_CCM_SHA256"},
      Entry{0x1305, "TLS_AES_128_CCM_8_SHA256"},
      Entry{0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
      Entry{0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
      Entry{0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
      Entry{0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
      Entry{0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
      Entry{0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
      Entry{0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
      Entry{0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
      Entry{0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
      Entry{0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
      Entry{0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
      Entry{0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
      Entry{0xc09c, "TLS_RSA_WITH_AES_128_CCM"},
      Entry{0xc09d, "TLS_RSA_WITH_AES_256_CCM"},
      Entry{0xc0a0, "TLS_RSA_WITH_AES_128_CCM_8"},
      Entry{0xc0a1, "TLS_RSA_WITH_AES_256_CCM_8"},
      Entry{0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"},
      Entry{0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"},
      Entry{0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"},
      Entry{0xc0af, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"},
      Entry{0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
      Entry{0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
      Entry{0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
  };
  auto it = std::lower_bound(kSuites.begin(), kSuites.end(), suite,
                             [](const Entry& e, std::uint16_t id) { return e.id < id; });
  if (it != kSuites.end() && it->id == suite) return it->name;
  return {};
}

}  // namespace rustnet::dpi::tls
