#include "tls_builders.h"

#include <algorithm>
#include <stdexcept>

#include "support/test_support.h"

namespace rustnet::test {

namespace {

void put16(std::vector<std::uint8_t>& v, std::size_t at, std::size_t value) {
  v[at] = static_cast<std::uint8_t>(value >> 8);
  v[at + 1] = static_cast<std::uint8_t>(value);
}

void appendExtension(ByteWriter& w, std::uint16_t type, const std::vector<std::uint8_t>& data) {
  w.be16(type).be16(static_cast<std::uint16_t>(data.size())).bytes(data);
}

std::vector<std::uint8_t> wrapHandshake(std::uint8_t type, const std::vector<std::uint8_t>& body) {
  std::vector<std::uint8_t> out{type, static_cast<std::uint8_t>(body.size() >> 16),
                                static_cast<std::uint8_t>(body.size() >> 8),
                                static_cast<std::uint8_t>(body.size())};
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

}  // namespace

std::vector<std::uint8_t> buildClientHello(const ClientHelloSpec& spec) {
  ByteWriter ext;
  if (!spec.sni.empty()) {
    ByteWriter sn;
    sn.be16(static_cast<std::uint16_t>(spec.sni.size() + 3)).u8(0);
    sn.be16(static_cast<std::uint16_t>(spec.sni.size())).str(spec.sni);
    appendExtension(ext, 0x0000, sn.data());
  }
  if (!spec.alpn.empty()) {
    ByteWriter names;
    for (const auto& a : spec.alpn) names.u8(static_cast<std::uint8_t>(a.size())).str(a);
    ByteWriter al;
    al.be16(static_cast<std::uint16_t>(names.size())).bytes(names.data());
    appendExtension(ext, 0x0010, al.data());
  }
  if (!spec.supportedVersions.empty()) {
    ByteWriter sv;
    sv.u8(static_cast<std::uint8_t>(spec.supportedVersions.size() * 2));
    for (auto v : spec.supportedVersions) sv.be16(v);
    appendExtension(ext, 0x002b, sv.data());
  }
  if (spec.ech) appendExtension(ext, 0xfe0d, std::vector<std::uint8_t>(40, 0x5a));
  if (!spec.quicTransportParameters.empty()) appendExtension(ext, 0x0039, spec.quicTransportParameters);
  if (spec.paddingExtension > 0) appendExtension(ext, 0x0015, std::vector<std::uint8_t>(spec.paddingExtension, 0));

  if (ext.size() > 0xffff) throw std::invalid_argument("extensions do not fit a ClientHello");
  ByteWriter body;
  body.be16(spec.legacyVersion);
  for (int i = 0; i < 32; ++i) body.u8(static_cast<std::uint8_t>(i));
  body.u8(32);
  for (int i = 0; i < 32; ++i) body.u8(0xee);
  body.be16(static_cast<std::uint16_t>(spec.cipherSuites * 2));
  for (std::size_t i = 0; i < spec.cipherSuites; ++i) body.be16(static_cast<std::uint16_t>(0x1301 + i));
  body.u8(1).u8(0);
  body.be16(static_cast<std::uint16_t>(ext.size())).bytes(ext.data());
  return wrapHandshake(1, body.data());
}

std::vector<std::uint8_t> buildServerHello(const ServerHelloSpec& spec) {
  ByteWriter ext;
  if (spec.supportedVersion != 0) {
    ByteWriter sv;
    sv.be16(spec.supportedVersion);
    appendExtension(ext, 0x002b, sv.data());
  }
  ByteWriter body;
  body.be16(spec.legacyVersion);
  for (int i = 0; i < 32; ++i) body.u8(static_cast<std::uint8_t>(0x40 + i));
  body.u8(0);
  body.be16(spec.cipher).u8(0);
  body.be16(static_cast<std::uint16_t>(ext.size())).bytes(ext.data());
  return wrapHandshake(2, body.data());
}

std::vector<std::uint8_t> wrapInRecords(const std::vector<std::uint8_t>& message, std::size_t maxRecord,
                                        std::uint16_t recordVersion) {
  std::vector<std::uint8_t> out;
  for (std::size_t at = 0; at < message.size(); at += maxRecord) {
    const std::size_t n = std::min(maxRecord, message.size() - at);
    const std::size_t h = out.size();
    out.insert(out.end(), {22, static_cast<std::uint8_t>(recordVersion >> 8),
                           static_cast<std::uint8_t>(recordVersion), 0, 0});
    put16(out, h + 3, n);
    out.insert(out.end(), message.begin() + static_cast<std::ptrdiff_t>(at),
               message.begin() + static_cast<std::ptrdiff_t>(at + n));
  }
  return out;
}

std::vector<std::uint8_t> fromHex(const std::string& hex) {
  std::vector<std::uint8_t> out;
  int hi = -1;
  for (char ch : hex) {
    int v = -1;
    if (ch >= '0' && ch <= '9') v = ch - '0';
    else if (ch >= 'a' && ch <= 'f') v = ch - 'a' + 10;
    else if (ch >= 'A' && ch <= 'F') v = ch - 'A' + 10;
    else continue;  // spaces and line breaks as in the RFCs
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(hi * 16 + v));
      hi = -1;
    }
  }
  if (hi >= 0) throw std::invalid_argument("odd number of hex digits");
  return out;
}

}  // namespace rustnet::test
