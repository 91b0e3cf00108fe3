#pragma once
// Builds TLS handshake messages and records by hand for the TLS and QUIC tests.
#include <cstdint>
#include <string>
#include <vector>

namespace rustnet::test {

struct ClientHelloSpec {
  std::uint16_t legacyVersion = 0x0303;
  std::string sni = "example.com";
  std::vector<std::string> alpn{"h2", "http/1.1"};
  std::vector<std::uint16_t> supportedVersions{0x0a0a, 0x0304, 0x0303};  // empty: omit
  bool ech = false;
  std::vector<std::uint8_t> quicTransportParameters;  // empty: omit
  std::size_t paddingExtension = 0;                   // bytes of a padding extension (21)
  std::size_t cipherSuites = 3;
};

// The handshake message: type 1, 24-bit length, body.
std::vector<std::uint8_t> buildClientHello(const ClientHelloSpec& spec);

struct ServerHelloSpec {
  std::uint16_t legacyVersion = 0x0303;
  std::uint16_t cipher = 0x1301;
  std::uint16_t supportedVersion = 0x0304;  // 0: omit the extension
};
std::vector<std::uint8_t> buildServerHello(const ServerHelloSpec& spec);

// Wraps a handshake message in type-22 records of at most `maxRecord` payload bytes.
std::vector<std::uint8_t> wrapInRecords(const std::vector<std::uint8_t>& message,
                                        std::size_t maxRecord = 16384,
                                        std::uint16_t recordVersion = 0x0301);

std::vector<std::uint8_t> fromHex(const std::string& hex);

}  // namespace rustnet::test
